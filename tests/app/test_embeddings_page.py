"""The Embeddings page through AppTest: the layer lesson, Word2Vec on People's Daily, a GloVe
file from the data folder, a malformed upload, a trained Embedding layer, and a run started
from the vectors."""

from __future__ import annotations

import json
import re
import time

import numpy as np
import pytest

from core import embeddings as emb
from core.i18n import tr
from core.runs import RunStore
from ui.loaders import space as emb_space
from core import topics as topic_models
from core.text import tokenize_jieba

from .conftest import charts_titled, metric_values, open_app, settled, show_tab
from tests.app.rendered import shown  # noqa: E402

PAGE = "pages/embeddings.py"
TUTORIAL = ["like", "dislike", "rome", "paris", "king", "man", "woman", "queen", "the", "good"]


def _said(tr, key: str, lang: str, text: str, **params) -> bool:
    """Whether `text` is the i18n text `key` with `params` and any number of seconds."""
    pattern = re.escape(tr(key, lang, seconds=12345.6, **params)).replace(re.escape("12345.6"), r"[0-9.]+")
    return re.fullmatch(pattern, text) is not None


def _bar_texts_until_done(at) -> list[str]:
    """The texts of the progress bars the page shows while its background job runs, looking
    every half second (a browser's fragment polls as often) until the job is over and shown."""
    from ui import jobs

    texts = []
    for _ in range(1200):
        texts += [bar.proto.text for bar in at.get("progress")]
        if not at.get("progress"):
            return texts
        time.sleep(0.5)
        at.run()
    jobs.wait_all()
    raise AssertionError(f"the job still runs after 10 minutes: {texts[-3:]}")


def _errors(at) -> list[str]:
    return [shown(e.value) for e in at.error]


def _table(at, column: str):
    """The first table that has this column (AppTest does not keep a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _number_format(at, column: str) -> str | None:
    """The format the page gives a table's column (its column_config, as the browser gets it)."""
    import json

    frame = next(d for d in at.dataframe if column in d.value.columns)
    return json.loads(frame.proto.columns or "{}").get(column, {}).get("type_config", {}).get("format")


def test_the_layer_lesson_needs_no_vectors(lang):
    at = open_app(lang, PAGE)
    assert tr("emb.none_loaded", lang) in [i.value for i in at.info]
    charts = [c for c in at.get("plotly_chart")]
    assert len(charts) >= 3  # the table, the output rows, one-hot cosines
    # at 1024 px: the table and the output rows each the page's width (side by side, 274 px each,
    # their values ran together), the one-hot cosines in half of it without a colour bar
    from tests.app.rendered import MAIN_WIDTH, placed_widths

    placed = {id(node.proto): px for node, px in placed_widths(at) if getattr(node, "type", "") == "plotly_chart"}
    (table,), (output,), (onehot,) = (charts_titled(at, title) for title in (tr("fig.emb_table", lang, rows=10, cols=4), tr("fig.emb_output", lang, rows=10, cols=4), tr("emb.onehot_cosine_title", lang)))
    assert (placed[id(table.proto)], placed[id(output.proto)]) == (MAIN_WIDTH, MAIN_WIDTH) and placed[id(onehot.proto)] < MAIN_WIDTH / 2
    assert json.loads(onehot.proto.spec)["data"][0]["showscale"] is False
    # the pairs its caption names, like/dislike and Rome/Paris, are all in it (Paris was left out)
    words = set(json.loads(onehot.proto.spec)["data"][0]["x"])
    assert set(emb.TUTORIAL_WORDS[lang]) <= {w.lower() for w in words}, words
    values = metric_values(at)
    assert values[tr("emb.params_total", lang)] == "40"  # Embedding(10, 4)
    (code,) = [c.value for c in at.code]  # the layer's code, its comments in the page's language
    assert "layers.Embedding(10, 4)" in code and tr("emb.code_table", lang, n_vocab=10, n_dim=4) in code
    at.toggle(key="emb_layer_trainable").set_value(False).run()
    assert metric_values(at)[tr("emb.params_frozen", lang)] == "40"
    assert metric_values(at)[tr("emb.params_trainable", lang)] == "0"
    at.text_input(key="emb_layer_ids_10").set_value("1, 12").run()
    assert not at.exception
    assert tr("emb.bad_id", lang, value="12", n=10, last=9) in _errors(at)


def test_word2vec_on_peoples_daily_then_every_view():
    at = open_app("en", PAGE, timeout=300)
    at.slider(key="emb_w2v_epochs").set_value(1).run()
    at.select_slider(key="emb_w2v_dim").set_value(10).run()
    at.slider(key="emb_w2v_min_count").set_value(20).run()
    settled(at.button(key="emb_w2v_train").click().run())
    assert not at.exception, [e.value for e in at.exception]
    assert any("Word2Vec CBOW" in s.value for s in at.success)
    # its size and settings once each, in the page's language (the caption was core's English label)
    at.radio(key="lang").set_value("zh").run()
    (made,) = [c.value for c in at.caption if "Word2Vec CBOW" in c.value]
    assert made.endswith(tr("emb.w2v_settings", "zh", algorithm="CBOW", dim=10, window=5, negative=5, epochs=1, min_count=20, seed=0)), made
    assert " on " not in made and made.count("10 维") == 1
    (said,) = [s.value for s in at.success if "Word2Vec CBOW" in s.value]
    assert "维" in said and said.count("10 维") == 1
    at.radio(key="lang").set_value("en").run()
    # neighbours of the default search word
    assert at.text_input(key="emb_word").value == "中国"
    table = _table(at, "Euclidean distance")
    assert len(table) == 10 and "中国" not in table["Word"].tolist()
    assert table["Cosine similarity"].is_monotonic_decreasing
    assert any(m.value.startswith("Nearest to") for m in at.markdown)
    # a word the vectors lack: said so, with close spellings
    at.text_input(key="emb_word").set_value("中国人").run()
    # (a yellow suggestion, not a red failure)
    assert any("is not in the vocabulary" in w.value and "中国" in w.value for w in at.warning) and not _errors(at)
    at.text_input(key="emb_word").set_value("经济").run()
    # projection (PCA by default; 3-D as well), analogy, heatmap, two spaces
    assert at.get("plotly_chart")
    at.radio(key="emb_proj_dims").set_value(3).run()
    assert not at.exception
    assert len(_table(at, "3CosAdd score")) == 5
    # the score is said not to be a cosine, and analogies on vectors trained here on a small corpus are said to be a stretch
    captions = [c.value for c in at.caption]
    assert tr("emb.score_explain", "en") in captions and tr("emb.analogy_small_corpus", "en") in captions
    heat_words = f"emb_heat_words_{at.session_state['emb_current']}"
    # a word it lacks among words it knows: said, and the known ones drawn all the same (nothing was drawn)
    at.text_area(key=heat_words).set_value("中国, xyzzy, 经济").run()
    assert any(w.value.startswith(tr("emb.unknown_words_none", "en", words=["xyzzy"])[:40]) for w in at.warning), [w.value for w in at.warning]
    (heat,) = [c for c in at.get("plotly_chart") if c.proto.id and "emb_heatmap" in c.proto.id]
    assert json.loads(heat.proto.spec)["data"][0]["x"] == ["中国", "经济"]
    at.text_area(key=heat_words).set_value(" ,, ").run()
    assert tr("emb.empty_words", "en") in _errors(at)
    assert len(_table(at, "Shared neighbours")) >= 1
    assert any(m.label == tr("emb.agreement", "en") for m in at.metric)

    # a reload (a new session at the same address) finds the space again, named as before, and trains nothing
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    address = {k: at.query_params[k] for k in ("lang", "space")}
    assert len(address["space"]) == 12 and "|" not in address["space"], "a digest, not the key (which can hold a server path)"
    reloaded = AppTest.from_file(APP, default_timeout=300)
    reloaded.query_params.update(address)
    reloaded.switch_page(PAGE).run()
    assert not reloaded.exception and not reloaded.get("progress")
    assert [s.value for s in reloaded.success if "Word2Vec CBOW" in s.value] == [s.value for s in at.success if "Word2Vec CBOW" in s.value]
    assert reloaded.session_state["emb_current"] == at.session_state["emb_current"]
    # and its form is the one that made the space (a link showed a space of the reviews under a
    # People's Daily form, whose Train button would have made another)
    assert (reloaded.selectbox(key="emb_w2v_corpus").value, reloaded.slider(key="emb_w2v_epochs").value, reloaded.select_slider(key="emb_w2v_dim").value,
            reloaded.slider(key="emb_w2v_min_count").value) == (at.selectbox(key="emb_w2v_corpus").value, 1, 10, 20)
    reloaded.slider(key="emb_w2v_epochs").set_value(2).run()
    assert reloaded.slider(key="emb_w2v_epochs").value == 2, "a change afterwards stays"
    # an address whose space this server no longer holds: said, and nothing else shown
    gone = AppTest.from_file(APP, default_timeout=300)
    gone.query_params.update({"lang": "en", "space": "0123456789ab"})
    gone.switch_page(PAGE).run()
    assert not gone.exception and tr("emb.address_gone", "en") in [i.value for i in gone.info]
    assert "space" not in gone.query_params

    # two spaces side by side: the space B is in the address, and a reload compares the same two (it
    # offered only the random space: the session's list of spaces was new)
    first = at.session_state["emb_current"]
    at.number_input(key="emb_w2v_seed").set_value(1).run()
    settled(at.button(key="emb_w2v_train").click().run())
    assert at.session_state["emb_current"] != first
    at.selectbox(key="emb_compare_with").set_value(first).run()
    assert not at.exception and len(at.query_params["compare"]) == 12
    words = f"emb_compare_words_{at.session_state['emb_current']}"
    at.text_area(key=words).set_value("中国, 经济, 发展, 人民, 工作, 企业, 国家, 社会").run()
    agreement = metric_values(at)[tr("emb.agreement", "en")]
    both = AppTest.from_file(APP, default_timeout=300)
    both.query_params.update({k: at.query_params[k] for k in ("lang", "space", "compare")})
    both.switch_page(PAGE).run()
    assert not both.exception and both.session_state["emb_current"] == at.session_state["emb_current"]
    both.text_area(key=words).set_value(at.text_area(key=words).value).run()
    assert both.selectbox(key="emb_compare_with").value == first and metric_values(both)[tr("emb.agreement", "en")] == agreement


def test_lsa_lda_and_doc2vec_on_peoples_daily_show_their_topics_or_documents_and_answer_like_any_space(lang):
    """T3's vectors from documents: LSA, LDA and Doc2Vec made offline on People's Daily, named with their
    settings in the page's language, their topics in a table; the views work on them."""
    at = open_app(lang, PAGE, timeout=300)
    at.radio(key="emb_source").set_value("topics").run()
    assert at.slider(key="emb_topics_passes").disabled  # LSA has no passes
    at.select_slider(key="emb_topics_dim_lsa").set_value(50).run()
    settled(at.button(key="emb_topics_train").click().run())
    assert not at.exception and not _errors(at), _errors(at)
    lsa_key = at.session_state["emb_current"]
    assert lsa_key.startswith("topics|peoples_daily|")
    vectors = emb_space(lsa_key)
    assert vectors.dim == 50 and vectors.info["topic_model"]["method"] == "lsa"
    stop = tr("emb.topics_stop_out", lang)
    assert any(c.value.endswith(tr("emb.topics_settings_lsa", lang, **{**vectors.info["topic_model"], "stopwords": stop})) for c in at.caption)
    assert any(e.label == tr("emb.topics_table_lsa", lang, n=50) for e in at.expander)
    table = _table(at, tr("col.other_end", lang))
    assert len(table) == 50 and table[tr("col.share", lang)].is_monotonic_decreasing
    # in percent, each with one decimal (Streamlit's "percent" wrote 13.48% beside 7.3%)
    shares = topic_models.topics_table(vectors)["share"]
    assert table[tr("col.share", lang)].tolist() == pytest.approx((shares * 100).tolist())
    (listed,) = [d for d in at.dataframe if tr("col.other_end", lang) in d.value.columns]
    assert json.loads(listed.proto.columns)[tr("col.share", lang)]["type_config"]["format"] == "%.1f%%"
    assert table[tr("col.top_words", lang)].iloc[0].split() == vectors.info["topics"][0]["positive"]
    assert table.columns[0] == tr("col.direction", lang), "LSA's are two-ended directions, not topics"
    assert "的" not in vectors and "经济" in vectors  # the stopwords left out
    # the views answer on it: the neighbours of the default search word
    near = _table(at, tr("col.word", lang))
    assert len(near) == 10 and "中国" not in near[tr("col.word", lang)].tolist()
    assert tr("emb.analogy_small_corpus", lang) in [c.value for c in at.caption]  # made here on a small corpus, as Word2Vec

    # LDA: its passes are enabled, its progress and topics table, and a perplexity said
    at.radio(key="emb_topics_method").set_value("lda").run()
    assert not at.slider(key="emb_topics_passes").disabled
    at.select_slider(key="emb_topics_dim_lda").set_value(5).run()
    at.slider(key="emb_topics_passes").set_value(1).run()
    # a seed of each language's own, so this one is made here, not taken from the shared store
    at.number_input(key="emb_topics_seed").set_value(1 + ["zh", "en"].index(lang)).run()
    bars = _bar_texts_until_done(at.button(key="emb_topics_train").click().run())
    # its bar counts passes from the start (a pass takes about 20 s here), not megabytes or epochs
    assert any(_said(tr, "emb.topics_pass", lang, text, done=0, total=1) for text in bars), bars
    at.number_input(key="emb_topics_seed").set_value(0).run()
    assert not at.exception and not _errors(at), _errors(at)
    lda = emb_space(at.session_state["emb_current"])
    assert lda.dim == 5 and lda.info["topic_model"]["passes"] == 1
    np.testing.assert_allclose(lda.matrix.sum(axis=1), 1.0, atol=1e-4)
    assert any(e.label == tr("emb.topics_table_lda", lang, n=5) for e in at.expander)
    assert any(tr("emb.topics_perplexity", lang, perplexity=lda.info["perplexity"]) in c.value for c in at.caption)
    assert tr("col.other_end", lang) not in at.dataframe[0].value.columns
    assert at.dataframe[0].value.columns[0] == tr("col.topic", lang)
    # the LSA space is still one click away (a space made once is kept for everyone)
    assert lsa_key in at.session_state["emb_spaces"]

    # Doc2Vec: no stopword list nor document share (disabled), and a typed text's nearest documents
    at.radio(key="emb_topics_method").set_value("doc2vec").run()
    box = at.checkbox(key="emb_topics_stopwords_doc2vec")
    assert box.disabled and not box.value and at.slider(key="emb_topics_max_share").disabled
    at.select_slider(key="emb_topics_dim_doc2vec").set_value(20).run()
    settled(at.button(key="emb_topics_train").click().run())
    assert not at.exception and not _errors(at), _errors(at)
    d2v = emb_space(at.session_state["emb_current"])
    assert d2v.dim == 20 and "的" in d2v and d2v.info["topic_model"]["passes"] == 1
    assert any(e.label == tr("emb.d2v_documents", lang, n=len(d2v.info["doc_texts"])) for e in at.expander)
    docs = _table(at, tr("col.document", lang))
    assert len(docs) == 5 and docs[tr("col.cosine", lang)].is_monotonic_decreasing
    typed = at.text_input(key="emb_d2v_text_peoples_daily")
    expected = topic_models.nearest_documents(d2v, d2v.info["infer"]([w for w in tokenize_jieba(typed.value) if w.strip("，")]), k=5)
    assert docs[tr("col.document", lang)].tolist() == expected["document"].tolist()
    # each document as written, its punctuation kept (the words alone have none)
    _, written = emb.corpus_documents(at.selectbox(key="emb_topics_corpus").value)
    shown = [topic_models.document_text([], "zh", written[d - 1]) for d in docs[tr("col.document", lang)]]
    assert docs[tr("col.text", lang)].tolist() == shown and any(c in "".join(shown) for c in "，。、")
    assert typed.value == "银行利率下调，股市上涨"  # People's Daily's own kind of text (the reviews' model gets a review)
    assert not [w for w in at.warning if w.value.startswith(tr("emb.d2v_few_known", lang, n=0, total=0)[:8])]
    # a text the model barely knows: its "nearest" documents are said to mean little (cosines near 1 read as twins)
    typed.set_value("股市 qqqq zzzz wwww").run()
    assert tr("emb.d2v_few_known", lang, n=1, total=4) in [w.value for w in at.warning]
    at.text_input(key="emb_d2v_text_peoples_daily").set_value("qqqq zzzz").run()
    assert any(w.value.startswith(tr("emb.d2v_unknown", lang, words="qqqq · zzzz")[:12]) for w in at.warning)
    at.text_input(key="emb_d2v_text_peoples_daily").set_value("😀！").run()  # no word at all: as unknown words, not as an empty text
    assert any(w.value == tr("emb.d2v_unknown", lang, markdown=True, words="😀！") for w in at.warning)
    at.text_input(key="emb_d2v_text_peoples_daily").set_value("  ").run()
    assert tr("emb.d2v_empty", lang) in [i.value for i in at.info]


def _word2vec_queued(monkeypatch, seed: int):
    """A small Word2Vec asked for on the page (1 epoch, 10 dimensions), queued behind another
    session's job on a board of one worker until `gate` is set. `seed`: vectors no other test
    made (the spaces are shared)."""
    import threading

    from ui import jobs

    board = jobs.JobBoard(1)
    monkeypatch.setattr(jobs, "_BOARD", board)
    gate = threading.Event()
    board.submit("another session's job", lambda progress: gate.wait(120))  # the training waits behind it
    at = open_app("en", PAGE, timeout=300)
    at.slider(key="emb_w2v_epochs").set_value(1).run()
    at.select_slider(key="emb_w2v_dim").set_value(10).run()
    at.slider(key="emb_w2v_min_count").set_value(20).run()
    at.number_input(key="emb_w2v_seed").set_value(seed).run()
    at.button(key="emb_w2v_train").click().run()
    return at, gate


def test_word2vec_goes_on_when_the_page_reruns_meanwhile(monkeypatch):
    # the training is a job (ui.jobs): here the one worker is busy with another session's job,
    # so it waits in the queue; touching a widget meanwhile (a rerun, where the button is not
    # pressed any more) used to lose the work; now the page goes on following it
    at, gate = _word2vec_queued(monkeypatch, seed=7)
    (progress,) = at.get("progress")
    assert progress.proto.text == tr("job.queued", "en", ahead=0, workers=1)
    at.toggle(key="emb_layer_trainable").set_value(False).run()  # the user goes on meanwhile
    assert not at.exception and at.get("progress")
    assert metric_values(at)[tr("emb.params_trainable", "en")] == "0"
    gate.set()
    settled(at)
    assert not at.exception and not at.get("progress")
    assert any("Word2Vec CBOW" in s.value and "10d, 1 epoch" in s.value for s in at.success)
    assert any(c.value.startswith("Word2Vec trained:") for c in at.caption)
    assert len(_table(at, "Euclidean distance")) == 10


def test_a_reload_during_word2vec_training_follows_it(monkeypatch):
    """A reload (a new session) in the middle of a Word2Vec training showed "choose a source first":
    the job went on, its user lost it (an exploratory tester, 2026-12-04). The address names the
    space being made (?making=<digest>), and a new session opening it follows the job to its space."""
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at, gate = _word2vec_queued(monkeypatch, seed=11)
    assert at.get("progress") and at.query_params.get("making"), dict(at.query_params)
    reloaded = AppTest.from_file(APP, default_timeout=300)
    reloaded.query_params.update(dict(at.query_params))
    reloaded.switch_page(PAGE).run()
    assert not reloaded.exception
    (progress,) = reloaded.get("progress")  # the same job's bar, not "choose a source first"
    assert reloaded.number_input(key="emb_w2v_seed").value == 11 and reloaded.select_slider(key="emb_w2v_dim").value == 10, "under the form that asked for it"
    assert progress.proto.text == tr("job.queued", "en", ahead=0, workers=1)
    gate.set()
    settled(reloaded)
    assert not reloaded.exception and not reloaded.get("progress")
    assert any("Word2Vec CBOW" in s.value and "10d, 1 epoch" in s.value for s in reloaded.success)
    assert "making" not in reloaded.query_params and reloaded.query_params.get("space")
    # a link to a space being made that this server does not know: nothing to follow, and nothing said wrongly
    stale = AppTest.from_file(APP, default_timeout=300)
    stale.query_params.update({"lang": "en", "making": "0123456789ab"})
    stale.switch_page(PAGE).run()
    assert not stale.exception and not stale.get("progress") and "making" not in stale.query_params


@pytest.fixture
def glove_folder(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    lines = [w + " " + " ".join(f"{x:.5f}" for x in rng.standard_normal(50)) for w in TUTORIAL]
    (tmp_path / "glove.6B.50d.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    return tmp_path


def test_glove_missing_offers_a_download_unless_the_host_switched_downloads_off(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RNNLAB_CACHE_DIR", str(tmp_path / "cache"))
    at = open_app("en", PAGE)
    at.radio(key="emb_source").set_value("glove").run()
    assert [b for b in at.button if b.key == "emb_glove_download"], "no GloVe here: the page offers the download"
    monkeypatch.setenv("RNNLAB_ALLOW_DOWNLOADS", "0")
    at.run()
    assert not [b for b in at.button if b.key == "emb_glove_download"]
    assert any(i.value == tr("hosting.downloads_off", "en") for i in at.info)


def test_glove_from_the_data_folder_shows_the_tutorial_cosines(glove_folder, lang):
    at = open_app(lang, PAGE)
    at.radio(key="emb_source").set_value("glove").run()
    assert any(str(glove_folder) in c.value for c in at.caption)
    settled(at.button(key="emb_glove_load").click().run())
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) >= 4  # the layer lesson's three and the tutorial's cosines
    assert tr("emb.cosine_needs_vectors", lang) not in [i.value for i in at.info]
    assert at.text_input(key="emb_word").value == "good"
    assert len(_table(at, tr("emb.col_euclidean", lang))) == len(TUTORIAL) - 1
    # GloVe is lower-case: "Good" is looked up as "good", and the page says so (it was an error)
    at.text_input(key="emb_word").set_value("Good").run()
    assert tr("emb.case_folded", lang, typed="Good", word="good") in [c.value for c in at.caption] and not at.warning and not _errors(at)
    assert len(_table(at, tr("emb.col_euclidean", lang))) == len(TUTORIAL) - 1
    at.text_input(key="emb_word").set_value("good").run()
    analogy = _table(at, tr("emb.col_score", lang))
    assert not {"king", "man", "woman"} & set(analogy.iloc[:, 1])
    # one precision per column: Streamlit wrote 7.8875 beside 10.043
    for column in ("emb.col_cosine", "emb.col_euclidean", "emb.col_cosine_target", "emb.col_score"):
        assert _number_format(at, tr(column, lang)) == "%.4f", column


def _load_file(at, name: str, data: bytes):
    """A vector file uploaded and read (a background job), as the page's "vector file" source does."""
    at.radio(key="emb_source").set_value("file").run()
    at.file_uploader(key="emb_file").set_value((name, data, "text/plain")).run()
    return settled(at.button(key="emb_file_load").click().run())


def _random_vectors(n: int, seed: int, dim: int = 8) -> bytes:
    """A vector file (GloVe's text format) of the words w0 .. w{n-1}, each a random vector."""
    rng = np.random.default_rng(seed)
    return "".join(f"w{i} " + " ".join(f"{x:.4f}" for x in rng.standard_normal(dim)) + "\n" for i in range(n)).encode()


def test_a_malformed_upload_names_the_line(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    at = _load_file(open_app("en", PAGE), "vecs.txt", b"good 1 2 3\nbad 1 2\n")
    assert not at.exception
    assert any("Line 2" in e and "inconsistent dimensions" in e for e in _errors(at))
    _load_file(at, "vecs.txt", b"good 1 2 3\nbad 1 2 4\nugly 0 0 1\n")
    assert any("vecs" in s.value and "3 words" in s.value for s in at.success)
    # read in the background, as a file from the data folder is, then said what it read
    assert tr("emb.read_done", "en", n=3, dim=3) in [c.value for c in at.caption]
    # the upload limit, and where a larger file goes, in the page's language
    assert tr("emb.file_limit", "en", mb="50", folder=str(tmp_path)) in [c.value for c in at.caption]


def test_where_a_file_space_comes_from_is_said_in_the_pages_language(tmp_path, monkeypatch):
    # "vec_ok.txt (GloVe text, 5d)" stood in the Chinese page's caption (an exploratory tester)
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    at = _load_file(open_app("zh", PAGE), "vecs_zh.txt", b"good 1 2 3\nbad 1 2 4\nfine 0 0 1\n")  # (bytes no other test reads: the spaces are shared)
    assert not at.exception
    said = tr("emb.from_text", "zh", markdown=True, name="vecs_zh.txt", format="GloVe", dim=3)
    assert any(c.value.endswith(" · " + said) for c in at.caption), [c.value for c in at.caption]
    assert not [c for c in at.caption if "GloVe text" in c.value]


def test_a_word2vec_binary_upload_is_read_and_a_text_file_named_bin_is_refused(tmp_path, monkeypatch):
    from tests.unit.test_word2vec_binary import WORDS, _gensim_binary

    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    data, matrix = _gensim_binary()
    at = _load_file(open_app("en", PAGE), "vectors.bin", data)
    assert not at.exception and not at.error, _errors(at)
    assert tr("emb.read_done", "en", n=len(WORDS), dim=6) in [c.value for c in at.caption]
    assert at.text_input(key="emb_word").value == "中国"
    expected = emb.neighbours(emb.Vectors(WORDS, matrix), "中国", 9)["word"].tolist()
    assert _table(at, "Euclidean distance")["Word"].tolist() == expected
    _load_file(at, "glove.bin", b"good 1 2 3\n")
    assert tr("emb.bin_header", "en", name="glove.bin", start="good 1 2 3") in _errors(at)


@pytest.mark.parametrize("vectors", [b"solo 0.1 0.2\n", b"one 0.1 0.2\ntwo 0.3 0.1\n"])
def test_a_space_of_one_or_two_words_is_shown_without_a_crash(tmp_path, monkeypatch, vectors):
    # the analogy tab took its example words from the space's first three: an IndexError
    # (an exception box) for a file of fewer than three words
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    at = _load_file(open_app("en", PAGE), "few.txt", vectors)
    assert not at.exception
    assert any("few" in s.value for s in at.success)
    assert tr("emb.analogy_empty", "en") in [i.value for i in at.info]


def test_a_tsne_map_is_made_in_the_background_while_the_page_answers(tmp_path, monkeypatch):
    # t-SNE of 3,000 words takes about 40 s on 2 cores, and it ran in the script thread: the
    # whole page (every tab) was stuck for it, and each new searched word made a new map. Now it
    # is a job: here the one worker is busy with another session's job, so the map waits in
    # the queue while the user searches a word in another tab; then the map comes
    import threading

    from ui import jobs

    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    at = _load_file(open_app("en", PAGE), "sixty.txt", _random_vectors(60, seed=0))
    assert any("sixty" in s.value for s in at.success)
    show_tab(at, "emb_tabs", "emb.tab_projection", "en")
    charts_before = len(at.get("plotly_chart"))
    board = jobs.JobBoard(1)
    monkeypatch.setattr(jobs, "_BOARD", board)
    gate = threading.Event()
    board.submit("another session's job", lambda progress: gate.wait(120))
    at.radio(key="emb_proj_method").set_value("tsne").run()
    assert not at.exception
    (progress,) = at.get("progress")
    assert progress.proto.text == tr("job.queued", "en", ahead=0, workers=1)
    assert len(at.get("plotly_chart")) == charts_before - 1, "no map while it is made"
    queued = [k for k in board.keys() if k[0] == "projection"]
    assert len(queued) == 1
    # the user goes on meanwhile, on another tab: the page answers, and the map, hidden now,
    # shows no bar and asks for no new map for the searched word
    show_tab(at, "emb_tabs", "emb.tab_neighbours", "en")
    at.text_input(key="emb_word").set_value("w7").run()
    assert not at.exception and not at.get("progress")
    assert "w7" not in _table(at, "Euclidean distance")["Word"].tolist() and len(_table(at, "Euclidean distance")) == 10
    assert [k for k in board.keys() if k[0] == "projection"] == queued
    gate.set()
    jobs.wait_all()
    # back on the map (all 60 words: the searched word and its neighbours are among them, the
    # same view): the finished job's map at once
    show_tab(at, "emb_tabs", "emb.tab_projection", "en")
    assert not at.exception and not at.get("progress")
    assert len(at.get("plotly_chart")) == charts_before
    assert tr("emb.proj_tsne_explain", "en") in [c.value for c in at.caption]
    # the same view again (a rerun, another session) is the finished job's map, not a new one
    made = [k for k in board.keys() if k[0] == "projection"]
    assert made == queued and made[0][2:5] == ("tsne", 2, 0)
    at.run()
    assert not at.get("progress") and len(at.get("plotly_chart")) == charts_before
    assert [k for k in board.keys() if k[0] == "projection"] == made


def test_a_tsne_maps_bar_counts_its_iterations(tmp_path, monkeypatch):
    # the bar of a t-SNE map said only the seconds gone (scikit-learn has no callback); now it
    # counts the gradient descent's iterations (core.embeddings.project)
    from core import embeddings as emb

    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    at = show_tab(_load_file(open_app("en", PAGE), "many.txt", _random_vectors(1500, seed=3)), "emb_tabs", "emb.tab_projection", "en")
    at.slider(key="emb_proj_n").set_value(1500).run()
    at.radio(key="emb_proj_method").set_value("tsne").run()
    texts = _bar_texts_until_done(at)
    counted = [text for text in texts if text.startswith(tr("emb.projecting", "en", method="t-SNE", n=1500).rstrip("…") + ": iteration ")]
    assert counted, texts
    done = [int(text.split("iteration ")[1].split(" of ")[0].replace(",", "")) for text in counted]
    assert done == sorted(done) and max(done) > 0 and all(text.endswith(f" of {emb.TSNE_ITERATIONS:,}") for text in counted), counted
    assert not at.exception and tr("emb.proj_tsne_explain", "en") in [c.value for c in at.caption]


def test_a_hidden_map_asks_for_nothing(tmp_path, monkeypatch):
    # the map's tab is not the one shown: choosing t-SNE there and searching words elsewhere
    # starts no job (each word searched used to ask for a new map of up to a minute)
    from ui import jobs

    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    at = _load_file(open_app("en", PAGE), "four.txt", b"a 1 0\nb 0 1\nc 1 1\nd 0.5 0.2\ne 0.3 0.3\nf 0.9 0.1\n")
    at.session_state["emb_proj_method"] = "tsne"
    at.text_input(key="emb_word").set_value("a").run()
    assert not at.exception and not at.get("progress")
    assert not [k for k in jobs.board().keys() if k[0] == "projection"]
    settled(show_tab(at, "emb_tabs", "emb.tab_projection", "en"))
    assert [k for k in jobs.board().keys() if k[0] == "projection"]
    assert tr("emb.proj_tsne_explain", "en") in [c.value for c in at.caption]


@pytest.mark.timeout(400)
def test_a_umap_map_says_that_the_first_one_compiles_then_shows_the_map(tmp_path, monkeypatch):
    # the first UMAP map of a server process compiles umap-learn's numba code (20-80 s on 2 cores)
    # behind a bar that only counted seconds; its label now says why the first one is slow
    from core import embeddings as emb
    from ui import jobs

    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    at = show_tab(_load_file(open_app("en", PAGE), "forty.txt", _random_vectors(40, seed=0)), "emb_tabs", "emb.tab_projection", "en")
    charts_before = len(at.get("plotly_chart"))
    first = not emb.umap_compiled()
    at.radio(key="emb_proj_method").set_value("umap").run()
    assert not at.exception
    bars = [p.proto.text for p in at.get("progress")]
    if first:  # (another test of this process may have made one already: then it must not say so)
        assert len(bars) == 1 and tr("emb.umap_first", "en") in bars[0], bars
    else:
        assert not any(tr("emb.umap_first", "en") in b for b in bars), bars
    jobs.wait_all()
    settled(at.run())
    assert not at.exception and not at.get("progress")
    assert len(at.get("plotly_chart")) == charts_before
    assert emb.umap_compiled()
    assert tr("emb.proj_umap_explain", "en") in [c.value for c in at.caption]


def test_a_tsne_map_of_too_few_words_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    at = show_tab(_load_file(open_app("en", PAGE), "four.txt", b"a 1 0\nb 0 1\nc 1 1\nd 0.5 0.2\n"), "emb_tabs", "emb.tab_projection", "en")
    at.radio(key="emb_proj_method").set_value("tsne").run()
    settled(at)
    assert not at.exception
    assert tr("emb.too_few_points", "en", n=4, least=5) in _errors(at)


@pytest.fixture
def char_run(tmp_path, monkeypatch):
    """A run folder holding an untrained classifier with a character Embedding layer (fast to make)."""
    from core.models import ModelConfig, build_sentiment_classifier
    from core.runs import RunDir, write_json
    from core.text import Vocab

    monkeypatch.setenv("RNNLAB_CHECKPOINTS_DIR", str(tmp_path))
    vocab = Vocab.build([list("这本书写得非常好，强烈推荐！质量太差了不会再买")])
    model_config = ModelConfig(cell="gru", units=2, embedding_dim=5)
    model = build_sentiment_classifier(model_config, len(vocab), 10)
    run = RunDir(tmp_path / "20260101-000000-chars-abcdef")
    run.path.mkdir()
    write_json(run.config_path, {"task": "sentiment", "dataset": "chinese_reviews", "tokenizer": "char", "model": model_config.to_dict()})
    write_json(run.status_path, {"state": "done"})
    run.vocab_path.write_text(vocab.to_json(), encoding="utf-8")
    run.save_model(model, "best")
    return run, model.get_layer("embedding").get_weights()[0], vocab


def test_a_trained_embedding_layer_starts_a_new_run(char_run):
    run, table, vocab = char_run
    at = open_app("en", PAGE, timeout=300)
    at.radio(key="emb_source").set_value("run").run()
    picker = at.selectbox(key="emb_run")
    assert any(o.startswith("shipped/") for o in picker.options), "the shipped models are offered too"
    picker.set_value(next(o for o in picker.options if run.run_id in o)).run()  # shipped models come first
    at.button(key="emb_run_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value.startswith("Current vector space: Embedding layer of") for s in at.success)
    assert any(c.value.startswith(tr("emb.current_size", "en", n=len(vocab) - 2, dim=5)) for c in at.caption)
    at.text_input(key="emb_word").set_value("好").run()
    near = _table(at, "Euclidean distance")
    expected = emb.neighbours(emb.Vectors(vocab.tokens[2:], table[2:]), "好", 10)
    assert near["Word"].tolist() == expected["word"].tolist()
    # into training: coverage first, then the run, with the vectors saved beside its config
    show_tab(at, "emb_tabs", "emb.tab_training", "en")
    at.selectbox(key="emb_init_dataset").set_value("chinese_reviews").run()
    # a number out of range stays as typed and is said, with nothing to check or start (Streamlit's own
    # bounds refused a typed 500 epochs in the browser, and the run started with the number before it)
    for key, value, said in [("emb_init_epochs", 10_001, "Epochs (epochs) must be a whole number from 1 to 500, got 10001"),
                             ("emb_init_units", 0, "Hidden units h (model.units) must be a whole number from 1 to 1,024, got 0")]:
        was = at.number_input(key=key).value
        at.number_input(key=key).set_value(value).run()
        assert not at.exception and at.number_input(key=key).value == value
        errors = [shown(e.value) for e in at.error]
        assert [e for e in errors if said in e], errors
        assert not [b for b in at.button if b.key in ("emb_init_check", "emb_init_start")]
        at.number_input(key=key).set_value(was).run()
    assert not at.error
    # 0 = no vocabulary limit, as on the Data and Training pages (it was refused: "from 3 to 10000000")
    at.number_input(key="emb_init_max_tokens").set_value(0).run()
    assert not at.error and at.button(key="emb_init_check"), [shown(e.value) for e in at.error]
    at.number_input(key="emb_init_max_tokens").set_value(10_000).run()
    at.selectbox(key="emb_init_tokenizer_chinese_reviews").set_value("char").run()
    at.button(key="emb_init_check").click().run()
    assert not at.exception, [e.value for e in at.exception]
    covered = metric_values(at)[tr("emb.init_covered", "en")]
    assert covered.startswith(f"{len(vocab) - 2} / ")
    store = RunStore()
    before = set(store.list_ids())
    at.button(key="emb_init_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    new = sorted(set(store.list_ids()) - before)
    assert len(new) == 1
    store.kill(new[0])  # the test only needs the folder, not the training
    folder = store.run(new[0]).path
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert config["pretrained_vectors"] == "embedding_init.npy" and config["model"]["embedding_dim"] == 5
    saved = emb.load_vectors(folder / "embedding_init.npy")
    assert sorted(saved.words) == sorted(vocab.tokens[2:])
    assert np.array_equal(saved.vector("好"), table[vocab.tokens.index("好")])
    # its link leads to the Training page's Runs tab, on this run, in the reader's language (also
    # for a reload or a copied address before that page's first run has written them itself)
    (link,) = at.get("page_link")
    assert link.proto.page == "training" and link.proto.query_string == f"tab=runs&run={new[0]}&lang=en"
    at.switch_page("pages/training.py").run()
    assert not at.exception
    assert at.session_state["train_tabs"] == tr("train.tab_runs", "en")
    assert at.selectbox(key="train_run_pick").value == new[0]


def test_glove_is_downloaded_in_the_background_then_offered(www, monkeypatch):
    # a small glove.6B.zip in the real layout on a local server stands for Stanford's
    from dataclasses import replace

    from tests.unit.test_embeddings import _glove_zip

    root, base = www
    data = _glove_zip()
    (root / "glove.6B.zip").write_bytes(data)
    monkeypatch.setattr(emb, "GLOVE_6B", replace(emb.GLOVE_6B, url=f"{base}/glove.6B.zip", approx_bytes=len(data), size=len(data)))
    at = open_app("en", PAGE)
    at.radio(key="emb_source").set_value("glove").run()
    settled(at.button(key="emb_glove_download").click().run())
    assert not at.exception and not at.error
    assert not [b for b in at.button if b.key == "emb_glove_download"]
    assert any("glove.6B.zip" in c.value for c in at.caption)  # found: "Using ..." and the Load button
    settled(at.button(key="emb_glove_load").click().run())
    assert any("GloVe 6B 50d" in s.value for s in at.success)


def test_the_chinese_wikipedia_vectors_are_downloaded_then_answer_the_capital_analogy(www, tmp_path, monkeypatch, lang):
    # a small synonyms-3.10.2.tar.gz in the real layout on a local server stands for PyPI's; its
    # vectors are built so that 北京 - 中国 + 日本 = 东京 (a capital axis added to each country)
    from tests.unit.test_word2vec_binary import _by_hand, _remote, _synonyms_archive

    rng = np.random.default_rng(1)
    base = {w: rng.standard_normal(8) for w in ("中国", "日本", "法国", "酒店", "饭店", "喜欢", "讨厌", "罗马")}
    capital = rng.standard_normal(8) * 2
    base.update({"北京": base["中国"] + capital, "东京": base["日本"] + capital, "巴黎": base["法国"] + capital})
    data = _synonyms_archive(_by_hand([(w.encode(), v) for w, v in base.items()], 8))
    root, url = www
    (root / emb.ZH_WIKI.filename).write_bytes(data)
    monkeypatch.setattr(emb, "ZH_WIKI", _remote(url, data))
    at = open_app(lang, PAGE)
    at.radio(key="emb_source").set_value("zh_wiki").run()
    assert at.selectbox(key="emb_zh_wiki_limit").options[-1] == f"{emb.ZH_WIKI_WORDS:,}", "all of its words can be read too"
    missing = tr("emb.zh_wiki_missing", lang, filename=emb.ZH_WIKI_FILE, archive=emb.ZH_WIKI.filename, folder=str(tmp_path / "data"), mb=round(len(data) / 1e6))
    assert missing in [i.value for i in at.info]
    settled(at.button(key="emb_zh_wiki_download").click().run())
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert not [b for b in at.button if b.key == "emb_zh_wiki_download"], "downloaded: no second offer"
    assert any(emb.ZH_WIKI.filename in c.value for c in at.caption)
    settled(at.button(key="emb_zh_wiki_load").click().run())
    assert not at.exception, [e.value for e in at.exception]
    assert any(tr("emb.label_zh_wiki", lang, n=len(base)) in shown(s.value) for s in at.success), [s.value for s in at.success]
    assert at.text_input(key="emb_word").value == "中国"
    show_tab(at, "emb_tabs", "emb.tab_analogy", lang)
    analogy = _table(at, tr("emb.col_score", lang))
    assert analogy.iloc[0, 1] == "东京", analogy  # the page's example: 北京 - 中国 + 日本
    assert tr("emb.analogy_small_corpus", lang) not in [c.value for c in at.caption]  # pretrained on Wikipedia: no such caveat


def test_no_download_of_the_chinese_wikipedia_vectors_when_the_host_switched_downloads_off(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RNNLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RNNLAB_ALLOW_DOWNLOADS", "0")
    at = open_app("en", PAGE)
    at.radio(key="emb_source").set_value("zh_wiki").run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "emb_zh_wiki_download"]
    assert any(i.value == tr("hosting.downloads_off", "en") for i in at.info)


def test_the_word2vec_caption_says_how_the_chosen_corpus_is_cut_into_words(lang):
    # it said People's Daily's "already segmented" whatever corpus was chosen
    at = open_app(lang, PAGE, timeout=300)
    at.radio(key="emb_source").set_value("word2vec").run()
    said = {}
    for corpus in ("peoples_daily", "chinese_reviews"):
        at.selectbox(key="emb_w2v_corpus").set_value(corpus).run()
        assert not at.exception
        said[corpus] = [c.value for c in at.caption if tr(f"ds.{corpus}.title", lang) in c.value]
    assert len(said["peoples_daily"]) == 1 and tr("emb.w2v_segmented_given", lang) in said["peoples_daily"][0]
    assert len(said["chinese_reviews"]) == 1 and tr("emb.w2v_segmented_jieba", lang) in said["chinese_reviews"][0]


def test_the_one_hot_size_out_of_range_is_said_and_the_nearest_used():
    # 99,999,999 stayed red in the box while the caption went on with the previous size (a learner)
    at = open_app("zh", PAGE)
    at.number_input(key="emb_onehot_vocab").set_value(99_999_999).run()
    assert not at.exception
    assert at.number_input(key="emb_onehot_vocab").value == 10_000_000
    label = tr("emb.onehot_vocab", "zh")
    assert tr("ui.number_clamped", "zh", label=label, typed="99,999,999", low="2", high="10,000,000", used="10,000,000") in [w.value for w in at.warning]
    assert any("10,000,000 × 32" in c.value for c in at.caption), [c.value for c in at.caption]


def test_vectors_with_one_tutorial_word_say_the_example_needs_two():
    # it read "the current vectors lack the tutorial's words (like/dislike/rome/paris / 喜欢/讨厌/罗马/巴黎); present: 喜欢"
    at = _load_file(open_app("zh", PAGE), "one.txt", "喜欢 1 0\n好 0 1\n坏 1 1\n".encode())
    show_tab(at, "emb_tabs", "emb.tab_layer", "zh")
    assert not at.exception
    assert tr("emb.cosine_missing", "zh", known="喜欢") in [i.value for i in at.info], [i.value for i in at.info]


def test_vectors_with_none_of_the_tutorial_words_say_so_in_words():
    # "the current vectors have only: —." (the last session's note)
    at = _load_file(open_app("en", PAGE), "none.txt", "好 0 1\n坏 1 1\n".encode())
    show_tab(at, "emb_tabs", "emb.tab_layer", "en")
    assert not at.exception
    infos = [i.value for i in at.info]
    assert tr("emb.cosine_missing_all", "en") in infos and not [i for i in infos if "—" in i], infos


def test_word2vec_on_the_small_lyrics_corpus_warns_that_its_vectors_are_alike(shared_data):
    # with the defaults on the lyrics every neighbour of 的 was at 0.9997, shown without a word (a learner)
    at = open_app("zh", PAGE, timeout=300)
    at.selectbox(key="emb_w2v_corpus").set_value("lyrics").run()
    settled(at.button(key="emb_w2v_train").click().run())
    assert not at.exception, [e.stack_trace for e in at.exception]
    info = at.session_state["emb_current"]
    warnings = [w.value for w in at.warning if w.value.startswith("这些向量几乎都一样")]
    assert len(warnings) == 1 and "0.9" in warnings[0], [w.value for w in at.warning]
    # skip-gram with 20 epochs spreads them: nothing said
    at.radio(key="emb_w2v_sg").set_value(1).run()
    at.slider(key="emb_w2v_epochs").set_value(20).run()
    settled(at.button(key="emb_w2v_train").click().run())
    assert at.session_state["emb_current"] != info
    assert not [w.value for w in at.warning if w.value.startswith("这些向量几乎都一样")]
