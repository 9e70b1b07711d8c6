"""The Lyrics playground through AppTest, on real tiny language-model runs trained for the test."""

from __future__ import annotations

import json
import html

import pytest

from core.generate import MAX_LENGTH, LanguageGenerator, SamplingSettings, show_token, trailing_loop
from core.i18n import tr
from core.runs import RunStore, model_choices
from tests.tiny_lm import tiny_lm_config, train_tiny_lm, write_corpus

from .conftest import open_app, settled
from tests.app.rendered import shown  # noqa: E402

PAGE = "pages/lyrics.py"


@pytest.fixture(scope="module")
def trained_checkpoints(tmp_path_factory):
    folder = tmp_path_factory.mktemp("checkpoints")
    corpus = write_corpus(tmp_path_factory.mktemp("data"))
    store = RunStore(folder)
    runs = {}
    for cell in ("lstm", "gru"):
        runs[cell] = train_tiny_lm(folder / store.new_run_id(f"tiny-{cell}"), tiny_lm_config(corpus, cell, "layer"))
    return folder, runs


@pytest.fixture
def app(trained_checkpoints, monkeypatch):
    folder, runs = trained_checkpoints
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(folder))
    # these tests compare the page with the two tiny runs only: hide the shipped models
    # (checkpoints/shipped/lyrics_*, tested in test_shipped_models_on_the_page and
    # tests/unit/test_shipped_lms.py), which would otherwise be listed first
    import core.runs

    monkeypatch.setattr(core.runs, "shipped_dir", lambda: folder / "no-shipped-models")
    return runs


def _generate(at):
    settled(at.button(key="lyr_generate").click().run())  # a job (ui.jobs): shown at once when quick
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text_blocks(at) -> list[str]:
    return [m.value for m in at.markdown if m.allow_html and 'class="lyr-text"' in m.value]


def test_no_models_message(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(tmp_path))
    at = open_app(lang, PAGE)
    shipped = model_choices(RunStore(tmp_path), "language_model")
    if shipped:  # shipped models are there for a user with no runs of their own, named with data set and cell
        options = at.selectbox(key="lyr_model").options
        assert [o.split(" · ")[0] for o in options] == [label for label, _ in shipped]
        assert f"shipped/lyrics_lstm · {tr('ds.lyrics.title', lang)} · LSTM" in options
    else:  # otherwise the page says so and links to the Training page
        assert [i.value for i in at.info] == [tr("lyr.no_models", lang, preset="lyrics_scratch_rnn_consecutive")]
        links = at.get("page_link")
        assert len(links) == 1 and links[0].proto.page == "training"
        # the reader's language goes with the link (a reload before the Training page's first run
        # ends would otherwise show that page in Chinese)
        assert links[0].proto.query_string == "preset=lyrics_scratch_rnn_consecutive" + ("&lang=en" if lang == "en" else "")


def test_shipped_models_on_the_page(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(tmp_path))
    shipped = model_choices(RunStore(tmp_path), "language_model")
    if not shipped:
        pytest.skip("no shipped language models in checkpoints/shipped/")
    at = open_app("en", PAGE, timeout=300)
    assert [o.split(" · ")[0] for o in at.selectbox(key="lyr_model").options] == [label for label, _ in shipped]
    assert at.selectbox(key="lyr_model").value == "shipped/lyrics_lstm", "the strongest shipped model is offered first"
    (card,) = at.expander  # its model card, headings under the page's, the generator's note left out
    assert card.label == tr("ui.model_card", "en")
    card_text = " ".join(m.value for m in card.markdown)
    assert card_text.startswith("#### lyrics_lstm") and "<!--" not in card_text
    assert "## Results" in card_text and "结果" not in card_text
    # in Chinese, the Chinese card (MODEL_CARD.zh.md), with no note that it is English only
    at.radio(key="lang").set_value("zh").run()
    (card,) = at.expander
    card_text = " ".join(m.value for m in card.markdown)
    assert card.label == tr("ui.model_card", "zh") and card_text.startswith("#### lyrics_lstm") and "## 结果" in card_text and not card.caption
    at.radio(key="lang").set_value("en").run()
    _generate(at)
    blocks = _text_blocks(at)
    # the text, then side by side one model per cell type (the shipped SimpleRNN, GRU and LSTM)
    from core.runs import RunDir

    cells = {RunDir(folder).config()["model"]["cell"] for _, folder in shipped}
    assert len(blocks) == 1 + len(cells)
    assert all("分" in html.unescape(block) for block in blocks)  # every text starts from the prefix 分开
    # greedy decoding loops, and the page says where, what and why (the text ended in 「↵我不能再想」 x 15
    # or a column of blank lines, unremarked)
    label = at.selectbox(key="lyr_model").value
    generated = LanguageGenerator.from_run(dict(shipped)[label]).generate("分开", 100, SamplingSettings(avoid_unk=True)).samples[0]
    loop = trailing_loop(generated.tokens)
    assert loop is not None and loop.tokens >= 50, "the shipped model's greedy text after 分开 ends in a loop"
    said = [i.value for i in at.info if tr("lyr.loop_greedy", "en") in i.value]
    period = "".join(show_token(x) for x in loop.period)
    whole = float(loop.repeats).is_integer()  # (93 tokens of a 6-token period: "about 15.5 times")
    sentence = tr("lyr.loop" if whole else "lyr.loop_about", "en", start=loop.start + 1, period=period, tokens=loop.tokens, repeats=int(loop.repeats) if whole else loop.repeats)
    assert said == [sentence + " " + tr("lyr.loop_greedy", "en")]
    assert "↵" in period
    # above the text it explains (below a column of 400 line breaks, nobody read it)
    from streamlit.testing.v1.element_tree import Info, Markdown

    flat = list(at.main)  # every element, top to bottom
    note = next(i for i, e in enumerate(flat) if isinstance(e, Info) and tr("lyr.loop_greedy", "en") in e.value)
    text = next(i for i, e in enumerate(flat) if isinstance(e, Markdown) and 'class="lyr-text"' in e.value)
    assert note < text
    # sampled at temperature 1 (seed 0), the same model does not loop, and nothing is said
    at.radio(key="lyr_strategy").set_value("temperature").run()
    _generate(at)
    assert not [i for i in at.info if tr("lyr.loop_sampled", "en") in i.value or tr("lyr.loop_greedy", "en") in i.value]
    # top-k with k = 1 is greedy decoding: the same loop, said so (it advised raising the temperature)
    at.radio(key="lyr_strategy").set_value("top_k").run()
    at.number_input(key="lyr_top_k").set_value(1).run()
    _generate(at)
    said = [i.value for i in at.info if tr("lyr.loop_top_1", "en") in i.value]
    assert len(said) == 1 and tr("lyr.loop_sampled", "en") not in said[0]
    # what a validation perplexity means, beside the model's (the Training page's sentence), and no alarm for this one
    vocab = LanguageGenerator.from_run(dict(shipped)[label]).vocab_size
    assert tr("train.perplexity_explain", "en", vocab=f"{vocab:,}") in [c.value for c in at.caption]
    assert not [w for w in at.warning if "vocabulary size" in w.value]
    # how it was trained: the tutorial's two T4 runs differ only in their sampler (their names alone told them apart)
    config = RunDir(dict(shipped)[label]).config()
    clip = config.get("clip_global_norm")
    how = tr("lyr.trained_how", "en", sampler=tr(f"data.sampler_{config['sampler']}", "en"), steps=config["num_steps"],
             optimizer={"sgd": "SGD", "adam": "Adam", "rmsprop": "RMSprop"}[config["optimizer"]], lr=config["learning_rate"], clip=f"{clip:g}" if clip else "off")
    assert how in [c.value for c in at.caption], [c.value for c in at.caption]


def test_generate_from_the_default_prefix(app, lang):
    at = open_app(lang, PAGE, timeout=300)
    assert at.text_input(key="lyr_prefix").value == "分开"
    assert at.info[-1].value == tr("lyr.press_generate", lang)  # nothing generated before the click
    label = at.selectbox(key="lyr_model").value
    _generate(at)
    blocks = _text_blocks(at)
    # the text, then side by side: the same text again and the other model's (one model per other cell)
    assert len(blocks) == 3 and blocks[1] == blocks[0]
    expected = LanguageGenerator.from_run(app["lstm" if "lstm" in label else "gru"].path).generate("分开", 100, SamplingSettings(avoid_unk=True))
    shown = [s.replace("↵<br>", " ") for s in blocks]
    for token in expected.samples[0].tokens[:10]:
        assert html.escape(token) in shown[0]
    # the top-5 table has one row per generated character, and the figures are there
    (steps,) = [d for d in at.dataframe if len(d.value) == 100]
    table = steps.value
    assert len(table.columns) == 8
    assert len(at.get("plotly_chart")) >= 3  # candidates, heatmap, and (when the pattern occurs) the unit trace
    # on a phone the table scrolls sideways: the step stays at the left, and the narrow step, token and
    # probability columns leave room for the candidates (half of one showed at 390 px)
    columns = json.loads(steps.proto.columns)
    step, token, probability = (columns.get(tr(f"col.{c}", lang), {}) for c in ("step", "token", "probability"))
    assert step.get("pinned") is True and not token.get("pinned")
    widths = [column.get("width") for column in (step, token, probability)]
    assert None not in widths and sum(widths) <= 220, widths


def test_the_request_widgets_labels_each_fit_one_line_at_1024_px(app, lang):
    """In one row of four at 1024 px "Characters (tokens) to generate" and "Samples (generated at
    once)" (样本数（一次生成几份）) wrapped to two lines in 101 px, and "Characters not in the
    vocabulary" in a fifth of the next row: the inputs of a row no longer lined up."""
    from tests.app.rendered import label_width, placed_widths

    at = open_app(lang, PAGE, timeout=300)
    keys = {"lyr_prefix", "lyr_length", "lyr_samples", "lyr_seed", "lyr_strategy", "lyr_temperature", "lyr_unknown"}
    room = {node.key: (round(label_width(node)), round(px)) for node, px in placed_widths(at) if getattr(node, "key", None) in keys}
    assert set(room) == keys
    assert {key: (need, px) for key, (need, px) in room.items() if need > px} == {}


def test_sampling_settings_samples_and_inspection(app):
    at = open_app("en", PAGE, timeout=300)
    at.selectbox(key="lyr_model").set_value(app["lstm"].run_id).run()
    assert at.number_input(key="lyr_samples").disabled  # greedy writes one text: three were three identical copies
    at.radio(key="lyr_strategy").set_value("top_k").run()
    at.number_input(key="lyr_top_k").set_value(3).run()
    at.number_input(key="lyr_samples").set_value(3).run()
    at.number_input(key="lyr_length").set_value(40).run()
    at.number_input(key="lyr_seed").set_value(9).run()
    _generate(at)
    assert len([m for m in at.markdown if m.value.startswith("**Sample ")]) == 3
    # the time once, as the whole batch's (each sample's caption repeated it as its own)
    assert len([c for c in at.caption if c.value.startswith(tr("lyr.batch_seconds", "en", n=3, seconds=0).split(" in ")[0])]) == 1
    assert not [c for c in at.caption if c.value.startswith("The model's perplexity") and c.value.endswith(" s")]
    at.radio(key="lyr_strategy").set_value("greedy").run()  # the 3 kept in the field, one sample made
    _generate(at)
    assert at.number_input(key="lyr_samples").value == 3 and not [m for m in at.markdown if m.value.startswith("**Sample ")]
    at.radio(key="lyr_strategy").set_value("top_k").run()
    _generate(at)
    at.selectbox(key="lyr_sample").set_value(2).run()
    at.selectbox(key="lyr_quantity").set_value("c").run()
    assert not at.exception
    at.text_input(key="lyr_pattern").set_value("开").run()
    assert not at.exception
    if any("occurs" in c.value for c in at.caption):  # the pattern finder's table: one precision for its values
        (found,) = [d for d in at.dataframe if tr("col.score", "en") in d.value.columns]
        formats = {name: column["type_config"]["format"] for name, column in json.loads(found.proto.columns).items() if "type_config" in column}
        assert formats == {tr(f"col.{c}", "en"): "%.3f" for c in ("mean_at_pattern", "mean_elsewhere", "score")}
    if at.button(key="lyr_show_found") is not None and any("occurs" in c.value for c in at.caption):
        at.button(key="lyr_show_found").click().run()
        assert not at.exception
    # a typed pattern is shown as typed, not read as Markdown ("*_*" in italics)
    at.text_input(key="lyr_pattern").set_value("*_*").run()
    assert tr("lyr.pattern_absent", "en", markdown=True, pattern="*_*") in [i.value for i in at.info]
    assert "“\\*\\_\\*”" in tr("lyr.pattern_absent", "en", markdown=True, pattern="*_*")


def _boxes(node, height: int) -> list:
    """The containers of fixed `height` (px) under `node`."""
    found = []
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", None) == "flex_container" and child.proto.height_config.pixel_height == height:
            found.append(child)
        found += _boxes(child, height)
    return found


def test_many_long_samples_scroll_in_a_box_of_their_own(app):
    """16 samples of 1,000 characters made a page 100,000 px tall: several samples longer than
    BOXED_CHARACTERS in all scroll in a box, said above it; a few short ones, or one long one, do not."""
    import re

    source = open(PAGE, encoding="utf-8").read()
    limit, height = (int(x.replace("_", "")) for x in re.search(r"BOXED_CHARACTERS, BOXED_HEIGHT = ([\d_]+), (\d+)", source).groups())
    at = open_app("en", PAGE, timeout=300)
    at.selectbox(key="lyr_model").set_value(app["gru"].run_id).run()
    at.radio(key="lyr_strategy").set_value("temperature").run()
    at.number_input(key="lyr_samples").set_value(3).run()
    at.number_input(key="lyr_length").set_value(40).run()
    _generate(at)
    assert not _boxes(at.main, height) and not [c for c in at.caption if "scroll" in c.value]
    at.number_input(key="lyr_samples").set_value(4).run()
    at.number_input(key="lyr_length").set_value(limit // 4 + 1).run()
    _generate(at)
    (box,) = _boxes(at.main, height)
    assert len([m for m in box.markdown if m.value.startswith("**Sample ")]) == 4
    assert len(_text_blocks(box)) == len([m for m in at.markdown if m.value.startswith("**Sample ")]) == 4, "every sample in the box"
    assert tr("lyr.samples_scroll", "en", n=4) in [c.value for c in at.caption]
    at.number_input(key="lyr_samples").set_value(1).run()
    at.number_input(key="lyr_length").set_value(MAX_LENGTH).run()
    _generate(at)
    assert not _boxes(at.main, height) and not [m for m in at.markdown if m.value.startswith("**Sample ")], "one sample, however long, is the page's"


def test_the_request_is_in_the_address_so_a_shared_link_generates_the_same_text(app):
    # a reload lost the prefix and the sampling settings; a teacher could not hand a class a seeded request
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = open_app("en", PAGE, timeout=300)
    at.selectbox(key="lyr_model").set_value(app["gru"].run_id).run()
    at.text_input(key="lyr_prefix").set_value("开").run()
    at.radio(key="lyr_strategy").set_value("top_k").run()
    at.number_input(key="lyr_top_k").set_value(3).run()
    at.number_input(key="lyr_length").set_value(30).run()
    at.number_input(key="lyr_seed").set_value(7).run()
    address = dict(at.query_params)
    assert {k: address.get(k) for k in ("prefix", "strategy", "k", "length", "seed")} == {
        "prefix": "开", "strategy": "top_k", "k": "3", "length": "30", "seed": "7"}
    assert "samples" not in address and "p" not in address and "temperature" not in address, "a setting at its default is left out"
    assert "weights" not in address, "one set of weights or the first of two: nothing in the address (it said weights=auto)"
    assert "generated" not in address
    unmade = AppTest.from_file(APP, default_timeout=300)  # a link of settings alone: the text waits for Generate
    unmade.query_params.update(address)
    unmade.switch_page(PAGE).run()
    assert not unmade.exception and not _text_blocks(unmade) and tr("lyr.press_generate", "en") in [i.value for i in unmade.info]
    text = _text_blocks(_generate(at))
    address = dict(at.query_params)
    assert address.get("generated") == "1", "a text was made: the address says so"

    fresh = AppTest.from_file(APP, default_timeout=300)  # the link, opened by a student (or the page reloaded)
    fresh.query_params.update(address)
    fresh.switch_page(PAGE).run()
    assert not fresh.exception and not fresh.warning, [w.value for w in fresh.warning]
    assert (fresh.text_input(key="lyr_prefix").value, fresh.radio(key="lyr_strategy").value, fresh.number_input(key="lyr_top_k").value) == ("开", "top_k", 3)
    assert fresh.slider(key="lyr_temperature").value == 1.0
    # the text at once, without pressing Generate (a reload showed the settings and no text)
    assert _text_blocks(settled(fresh)) == text, "the same seeded text"
    assert _text_blocks(_generate(fresh)) == text
    # every setting that changes the text is in the link: the characters not in the vocabulary and
    # "never write <unk>" (a class given a link got another text when either was changed)
    at.radio(key="lyr_unknown").set_value("unk").run()
    at.toggle(key="lyr_avoid_unk").set_value(False).run()
    text = _text_blocks(_generate(at))
    assert at.query_params.get("unknown") == "unk" and at.query_params.get("avoid_unk") == "0"
    again = AppTest.from_file(APP, default_timeout=300)
    again.query_params.update(dict(at.query_params))
    again.switch_page(PAGE).run()
    assert (again.radio(key="lyr_unknown").value, again.toggle(key="lyr_avoid_unk").value) == ("unk", False)
    assert _text_blocks(settled(again)) == text
    # values not numbers: the defaults; a length out of range: the nearest (5000 gave 100, not the 1,000 allowed)
    odd = AppTest.from_file(APP, default_timeout=300)
    odd.query_params.update({"lang": "en", "model": app["gru"].run_id, "strategy": "magic", "length": "5000", "seed": "x", "temperature": "9", "unknown": "?"})
    odd.switch_page(PAGE).run()
    assert not odd.exception
    assert (odd.radio(key="lyr_strategy").value, odd.number_input(key="lyr_length").value, odd.number_input(key="lyr_seed").value) == ("greedy", MAX_LENGTH, 0)
    assert odd.radio(key="lyr_unknown").value == "drop"
    # and said, each with the value used instead (they were replaced without a word)
    said = " ".join(shown(w.value) for w in odd.warning)
    for name, value, used in (("length", "5000", str(MAX_LENGTH)), ("seed", "x", "0"), ("strategy", "magic", tr("lyr.strategy_greedy", "en")),
                              ("unknown", "?", tr("lyr.unknown_drop", "en"))):
        assert tr("ui.url_value_ignored", "en", name=name, value=value, used=used) in said, said
    # said again on the next runs, while the boxes hold what was used: the page writes that into the
    # address, and the message left with the next run (with generated=1, the text's arrival a second
    # later: an exploratory tester saw none of six bad values said)
    odd.run()
    assert " ".join(shown(w.value) for w in odd.warning) == said
    # a setting the user changes is no longer the link's: its message goes, the others stay
    odd.number_input(key="lyr_length").set_value(50).run()
    left = " ".join(shown(w.value) for w in odd.warning)
    assert tr("ui.url_value_ignored", "en", name="length", value="5000", used=str(MAX_LENGTH)) not in left
    assert tr("ui.url_value_ignored", "en", name="seed", value="x", used="0") in left
    odd.number_input(key="lyr_length").set_value(MAX_LENGTH).run()  # (back to the value used: the user's own now)
    assert tr("ui.url_value_ignored", "en", name="length", value="5000", used=str(MAX_LENGTH)) not in " ".join(shown(w.value) for w in odd.warning)


def test_unknown_prefix_zero_length_and_html(app):
    at = open_app("en", PAGE, timeout=300)
    at.text_input(key="lyr_prefix").set_value("<b>分开</b>").run()
    _generate(at)
    # every occurrence counted (< b > and < / b >: 7), each character named once
    assert tr("lyr.unknown_dropped", "en", n=7, tokens="< b > /") in [w.value for w in at.warning]
    for block in _text_blocks(at):
        assert "<b>" not in block
    at.radio(key="lyr_unknown").set_value("unk").run()
    _generate(at)
    assert any("read as <unk>" in w.value for w in at.warning)
    assert any(">&#60;</span>" in block for block in _text_blocks(at))  # the typed text is shown, escaped
    # a number out of range is said as typed, at once, and Generate waits; the text made before stays
    # (Streamlit's own bounds kept a typed -5 in the box and the number before it, which the message named)
    before = _text_blocks(at)
    at.radio(key="lyr_strategy").set_value("temperature").run()  # (greedy makes one sample: its field is off)
    before = _text_blocks(at)
    link_words = max(tr("ui.url_value_ignored", "en", markdown=True, name="@", value="@", used="@").split("@"), key=len)
    for key, value, said in [("lyr_length", -5, "from 1 to 1,000, got -5"), ("lyr_length", 1_000_000_000, "from 1 to 1,000, got 1000000000"),
                             ("lyr_samples", 0, "from 1 to 16, got 0"), ("lyr_seed", -1, "got -1")]:
        was = at.number_input(key=key).value
        at.number_input(key=key).set_value(value).run()
        assert not at.exception
        assert at.number_input(key=key).value == value
        assert [e for e in at.error if said in shown(e.value)], (key, [e.value for e in at.error])
        assert at.button(key="lyr_generate").disabled
        assert _text_blocks(at) == before
        at.number_input(key=key).set_value(was).run()
        assert not at.error and not at.button(key="lyr_generate").disabled
        # the typed number was written into the address: not said as a link's value the page cannot
        # use ("the link's samples=0 cannot be used: 1 is used instead", for a number the learner typed)
        at.run()
        assert not [w for w in at.warning if link_words in w.value], (key, [w.value for w in at.warning])


def test_the_training_link_chooses_the_lyrics_preset(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["preset"] = "lyrics_scratch_rnn_consecutive"
    at.run()
    at.switch_page("pages/training.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="train_preset").value == "lyrics_scratch_rnn_consecutive"


def test_the_best_or_the_last_epochs_weights_are_chosen_and_named(tmp_path, monkeypatch):
    """A run whose best validation epoch is not its last (a small corpus overfits: the tutorial's
    settings end far past their best) offers both, says which epoch the text comes from, and the
    last epoch's weights give the text `LanguageGenerator.from_run(which="last")` gives. The run:
    two epochs trained, its model_best.keras replaced by a one-epoch run's of the same config
    and status.json's best set to epoch 1, as training writes them when epoch 2 validates worse."""
    import shutil

    from core.runs import RunDir, write_json

    corpus = write_corpus(tmp_path / "data")
    store = RunStore(tmp_path / "checkpoints")
    run = train_tiny_lm(store.root / store.new_run_id("overfit"), tiny_lm_config(corpus))
    one = train_tiny_lm(tmp_path / "one-epoch", _one_epoch(corpus))
    shutil.copy(one.best_model_path, run.best_model_path)
    status = run.status()
    write_json(run.status_path, dict(status, best={**one.status()["best"], "epoch": 1}))
    assert set(RunDir(run.path).saved_weights()) == {"best", "last"}

    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(store.root))
    import core.runs

    monkeypatch.setattr(core.runs, "shipped_dir", lambda: tmp_path / "no-shipped-models")
    at = open_app("en", PAGE, timeout=300)
    weights = at.radio(key=f"lyr_weights_{run.run_id}")
    assert weights.value == "best" and weights.options == [
        tr("lyr.weights_best", "en", epoch=1, perplexity=f"{run.history()[0]['val_perplexity']:.1f}"),
        tr("lyr.weights_last", "en", epoch=2, perplexity=f"{run.history()[1]['val_perplexity']:.1f}"),
    ]
    assert any("weights of epoch 1 (of 2 trained)" in c.value for c in at.caption)
    best_text = _text_blocks(_generate(at))[0]
    settled(at.radio(key=f"lyr_weights_{run.run_id}").set_value("last").run())
    assert not at.exception, [e.value for e in at.exception]
    assert any("weights of epoch 2 (of 2 trained)" in c.value for c in at.caption)
    last_text = _text_blocks(at)[0]  # the same request, now with the last epoch's weights
    assert last_text != best_text
    expected = LanguageGenerator.from_run(run.path, which="last").generate("分开", 100, SamplingSettings(avoid_unk=True))
    shown_text = last_text.replace("↵<br>", " ")
    for token in expected.samples[0].tokens[:10]:
        assert html.escape(token) in shown_text
    assert not at.info or at.info[-1].value != tr("lyr.press_generate", "en")  # no second click needed
    # the choice is in the address: a link to the text made with the last epoch's weights opens on
    # them and makes the same text (the address held the other settings, not this one: a review)
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    address = dict(at.query_params)
    assert address.get("weights") in ("last", ["last"]), address
    again = AppTest.from_file(APP, default_timeout=300)
    again.query_params.update(address)
    again.switch_page(PAGE).run()
    settled(again)
    assert not again.exception and again.radio(key=f"lyr_weights_{run.run_id}").value == "last"
    assert _text_blocks(again)[0] == last_text


def _one_epoch(corpus):
    from core.train import TrainConfig

    return TrainConfig.from_dict(dict(tiny_lm_config(corpus).to_dict(), epochs=1))


def test_a_long_generation_shows_a_bar_counting_its_characters(tmp_path, monkeypatch):
    """1,000 characters x 4 samples take seconds: a background job whose bar counts the
    characters made (the page only spun for up to 50 s), then the text."""
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(tmp_path))
    if "shipped/lyrics_simple_rnn" not in [label for label, _ in model_choices(RunStore(tmp_path), "language_model")]:
        pytest.skip("no shipped SimpleRNN lyrics model in checkpoints/shipped/")
    at = open_app("en", PAGE, timeout=300)
    at.selectbox(key="lyr_model").set_value("shipped/lyrics_simple_rnn").run()
    at.number_input(key="lyr_length").set_value(1000).run()
    at.radio(key="lyr_strategy").set_value("temperature").run()  # (greedy makes one sample: its field is off)
    at.number_input(key="lyr_samples").set_value(4).run()
    at.button(key="lyr_generate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    label = tr("lyr.generating_count", "en", samples=4)
    bars = [bar.proto.text for bar in at.get("progress")]
    assert any(text.startswith(label) or text.startswith(tr("lyr.generating", "en")) for text in bars), bars
    assert not _text_blocks(at)  # no text before it is made
    settled(at)
    assert not at.get("progress")
    assert len([m for m in at.markdown if m.value.startswith("**Sample ")]) == 4
    assert all(len(html.unescape(block)) > 1000 for block in _text_blocks(at))


def test_the_unit_picker_is_the_models_own_and_never_left_empty(app):
    at = open_app("en", PAGE, timeout=300)
    at.number_input(key="lyr_length").set_value(10).run()
    _generate(at)
    first = at.selectbox(key="lyr_model").value
    assert at.multiselect(key=f"lyr_units_{first}_rnn_1").value == list(range(16))
    # another model: its own picker with the default units (one key per layer name was shared
    # by every model, and the browser showed it empty after a switch)
    other = next(run.run_id for run in app.values() if run.run_id != first)
    settled(at.selectbox(key="lyr_model").set_value(other).run())  # the same request, made with this model
    assert at.multiselect(key=f"lyr_units_{other}_rnn_1").value == list(range(16))
    assert not [m for m in at.multiselect if m.key == f"lyr_units_{first}_rnn_1"]
    heatmaps = len(at.get("plotly_chart"))
    # an empty choice is never kept (Chromium sent one by itself after a switch of model while a
    # generation ran, leaving a blank heatmap): it goes back to the first units
    at.multiselect(key=f"lyr_units_{other}_rnn_1").set_value([]).run()
    assert at.multiselect(key=f"lyr_units_{other}_rnn_1").value == list(range(16))
    assert len(at.get("plotly_chart")) == heatmaps  # the heatmap is drawn, of those units
    at.multiselect(key=f"lyr_units_{other}_rnn_1").set_value([3, 5]).run()
    assert at.multiselect(key=f"lyr_units_{other}_rnn_1").value == [3, 5]  # a real choice is kept


def test_a_run_still_training_says_so(tmp_path, monkeypatch):
    """A run opened in the playground while it trains (a classmate's, or one's own from the
    Training page's link) said "weights of epoch 1 (of 9 trained)" as a finished run would: it
    now says it is still training, in which epoch, and that the weights are those saved so far;
    once it has ended, nothing. A real training process, stopped by the test."""
    import time

    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(tmp_path / "checkpoints"))
    store = RunStore(tmp_path / "checkpoints")
    config = tiny_lm_config(write_corpus(tmp_path / "data")).to_dict() | {"epochs": 500}
    run = store.create(config, label="long")
    store.start(run.run_id)
    deadline = time.monotonic() + 240
    while not (run.best_model_path.exists() and store.refresh(run).get("state") == "running"):  # its first epoch saved
        assert time.monotonic() < deadline and store.refresh(run).get("state") in ("queued", "running"), store.refresh(run)
        time.sleep(0.5)
    try:
        at = AppTest.from_file(APP, default_timeout=300)  # the Training page's link to the run
        at.query_params.update({"lang": "en", "model": run.run_id})
        before = int(store.refresh(run)["epoch"])  # the epochs finished; the page names the one it is in
        at.switch_page(PAGE).run()
        after = int(store.refresh(run)["epoch"])
        assert not at.exception
        assert at.selectbox(key="lyr_model").value == run.run_id
        said = [i.value for i in at.info if "still training" in i.value]
        assert said in ([tr("ui.still_training", "en", epoch=e + 1, epochs=500)] for e in range(before, after + 1)), (said, before, after)
    finally:
        store.stop(run.run_id)
        status = store.wait(run.run_id, timeout=120)
    assert status["state"] not in ("queued", "running"), status
    at.run()
    assert not at.exception and not [i.value for i in at.info if "still training" in i.value]


def test_weights_worse_than_a_uniform_guess_are_said(trained_checkpoints, tmp_path, monkeypatch):
    """A tutorial run's best weights read a validation perplexity of 1,857 beside a vocabulary of
    970: worse than guessing every character alike, shown without a word (an exploratory learner).
    A copy of a tiny run whose records say so."""
    import json
    import shutil

    import core.runs

    _, runs = trained_checkpoints
    store = tmp_path / "checkpoints"
    copy = store / runs["lstm"].path.name
    shutil.copytree(runs["lstm"].path, copy)
    vocab = len(json.loads((copy / "vocab.json").read_text(encoding="utf-8"))["tokens"])
    status = json.loads((copy / "status.json").read_text(encoding="utf-8"))
    status["best"]["val_perplexity"] = 3.0 * vocab
    (copy / "status.json").write_text(json.dumps(status), encoding="utf-8")
    history = [json.loads(line) for line in (copy / "history.jsonl").read_text(encoding="utf-8").splitlines()]
    (copy / "history.jsonl").write_text("".join(json.dumps({**row, "val_perplexity": 3.0 * vocab}) + "\n" for row in history), encoding="utf-8")
    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(store))
    monkeypatch.setattr(core.runs, "shipped_dir", lambda: store / "no-shipped-models")
    for lang in ("en", "zh"):
        at = open_app(lang, PAGE, timeout=300)
        assert not at.exception
        said = [w.value for w in at.warning]
        assert tr("lyr.worse_than_uniform", lang, perplexity=f"{3.0 * vocab:.1f}", vocab=vocab)[:12] in " ".join(said), said


def test_a_links_prefix_longer_than_the_box_is_cut_and_said(app):
    # a link's ?prefix= beyond the box's 200 characters was cut silently, where other bad link values are said
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"lang": "en", "prefix": "爱" * 250})
    at.run()
    at = at.switch_page("pages/lyrics.py").run()
    assert not at.exception
    assert at.text_input(key="lyr_prefix").value == "爱" * 200
    assert tr("lyr.prefix_link_cut", "en", n=250, limit=200) in [w.value for w in at.warning]
    at.text_input(key="lyr_prefix").set_value("分开").run()
    assert not [w for w in at.warning if "prefix" in w.value]


def test_a_link_to_a_classifier_or_to_a_run_without_a_model_says_so(tmp_path, monkeypatch):
    """A classifier's run on the Lyrics page, or a run stopped before its first epoch saved a model,
    read "is not here any more (deleted, perhaps)" while the Training page listed it (an exploratory
    teacher). Each is said for what it is, and again after the page's next run."""
    import json
    import time as time_module

    from streamlit.testing.v1 import AppTest

    from core import presets

    from .conftest import APP

    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(tmp_path))
    runs = {"classifier": presets.get_preset("chinese_reviews_gru"), "unsaved": presets.get_preset("shipped_lyrics_lstm")}
    ids = {}
    for name, config in runs.items():
        folder = tmp_path / f"20261205-080000-{name}-abcdef"
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps(config.to_dict()), encoding="utf-8")
        (folder / "status.json").write_text(json.dumps({"state": "stopped", "created": time_module.time(), "epoch": 0}), encoding="utf-8")
        ids[name] = folder.name
    for name, key in (("classifier", "ui.model_other_task"), ("unsaved", "ui.model_not_saved")):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update({"lang": "en", "model": ids[name]})
        at.run()
        at = at.switch_page("pages/lyrics.py").run()
        assert not at.exception, [e.value for e in at.exception]
        shown_name = at.selectbox(key="lyr_model").format_func(at.selectbox(key="lyr_model").value)
        expected = tr(key, "en", markdown=True, name=ids[name], page=tr("nav.sentiment", "en"), shown=shown_name)
        for _ in range(2):
            said = [w.value for w in at.warning]
            assert expected in said and not [w for w in said if "deleted, perhaps" in w], said
            at.run()


def test_a_samples_perplexity_above_the_vocabulary_size_is_explained():
    """At temperature 3 the shipped LSTM's own text read "perplexity 4829.81" under a line saying that a
    uniform guess's is the vocabulary size (2,493), without a word of how it can be higher (a learner)."""
    from streamlit.testing.v1 import AppTest

    from core.runs import shipped_dir

    from .conftest import APP

    if not (shipped_dir() / "lyrics_lstm" / "config.json").exists():
        pytest.skip("the shipped lyrics LSTM is not in checkpoints/shipped")
    explained = tr("lyr.sample_above_vocab", "en", vocab=0).split("(")[0]
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params.update({"lang": "en", "model": "shipped/lyrics_lstm", "strategy": "temperature", "temperature": "3", "seed": "4", "length": "20", "generated": "1"})
    at.run()
    at = settled(at.switch_page("pages/lyrics.py").run())
    stats = [c.value for c in at.caption if c.value.startswith("The model's perplexity on its own text")]
    perplexity = float(stats[0].split("own text ")[1].split(" ")[0])
    vocab = LanguageGenerator.from_run(shipped_dir() / "lyrics_lstm").vocab_size
    assert perplexity > vocab
    assert tr("lyr.sample_above_vocab", "en", vocab=vocab) in [c.value for c in at.caption]
    at.radio(key="lyr_strategy").set_value("greedy").run()
    at = settled(at.button(key="lyr_generate").click().run())
    assert not [c for c in at.caption if c.value.startswith(explained)], "greedy text: the model's likeliest, far below"
