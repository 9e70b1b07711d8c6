"""The translation table: both languages everywhere, matching placeholders, and no key used in the code but missing.

The key scan reads the sources with `ast` rather than a regex: calls spread over several
lines, keys in f-strings with nested quotes (`tr(f'ds.{name}.title', LANG)`) and the
keyword arguments a call passes (checked against the text's placeholders) all come for free.
"""

from __future__ import annotations

import ast
import itertools
import re
import string
from pathlib import Path

import numpy as np
import pytest

from core import datasets, runs, stats
from core import text as textlib
from core.errors import RnnLabError
from core.i18n import DEFAULT_LANG, LANGS, TEXTS, tr

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [ROOT / "streamlit_app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py"), *(ROOT / "core").glob("*.py")]
)
KEY_CALLS = {"t", "tr", "DataError", "DownloadError", "RnnLabError", "Notice"}
NAMESPACES = {key.split(".")[0] for key in TEXTS}
KEY_SHAPE = re.compile(r"^[a-z]+\.[a-z0-9_\-]+(\.[a-z0-9_\-]+)*$")


def _fields(text: str) -> dict[str, str]:
    """Placeholder name -> format spec of a translated text."""
    return {name: spec or "" for _, name, spec, _ in string.Formatter().parse(text) if name is not None}


def _sample_value(spec: str):
    return 1234 if spec else "⟦v⟧"


# --------------------------------------------------------------------------- the table itself


def test_every_entry_has_both_languages_and_the_same_placeholders():
    problems = []
    for key, pair in TEXTS.items():
        if not (isinstance(pair, tuple) and len(pair) == len(LANGS)):
            problems.append(f"{key}: not a ({', '.join(LANGS)}) pair")
            continue
        zh, en = pair
        if not (isinstance(zh, str) and zh.strip() and isinstance(en, str) and en.strip()):
            problems.append(f"{key}: an empty text")
            continue
        if set(_fields(zh)) != set(_fields(en)):
            problems.append(f"{key}: zh {sorted(_fields(zh))} vs en {sorted(_fields(en))}")
        if any(name == "" or name.isdigit() for name in _fields(zh) | _fields(en)):
            problems.append(f"{key}: positional placeholder")
    assert not problems, "translation table problems:\n" + "\n".join(problems)


def test_chinese_texts_are_chinese():
    """A zh entry that is pure ASCII is almost always an untranslated copy of the English."""
    exempt = {"fig.maxlen", "train.precision_float32", "train.precision_bfloat16"}  # "maxlen = {maxlen}" and the type names read the same in both languages
    untranslated = [k for k, (zh, en) in TEXTS.items() if k not in exempt and zh == en and zh.isascii()]
    assert not untranslated, untranslated


def test_tr_fills_every_placeholder_in_both_languages():
    for key, pair in TEXTS.items():
        for lang, template in zip(LANGS, pair):
            fields = _fields(template)
            if not fields:
                assert tr(key, lang) == template
                continue
            params = {name: _sample_value(spec) for name, spec in fields.items()}
            out = tr(key, lang, **params)
            assert "{" not in out.replace("{{", "") and "}" not in out.replace("}}", ""), (key, lang, out)
            for name, spec in fields.items():
                assert format(params[name], spec) in out, (key, lang, name)


def test_tr_languages_and_unknown_keys():
    assert DEFAULT_LANG in LANGS
    assert tr("app.title", "en") == TEXTS["app.title"][1]
    assert tr("app.title", "zh") == TEXTS["app.title"][0]
    assert tr("app.title") == TEXTS["app.title"][LANGS.index(DEFAULT_LANG)]
    assert tr("app.title", "fr") == TEXTS["app.title"][0], "an unknown language falls back to Chinese"
    assert tr("no.such.key", "en") == "no.such.key"
    assert tr("data.split", "en", train=13891, val=1736, test=1736).count("13,891") == 1
    with pytest.raises(KeyError):
        tr("app.data_folder", "en", wrong="x")


def test_a_list_is_enumerated_the_way_the_language_does():
    # the Chinese page wrote "中国, 北京" with English commas in four places, and three pages
    # each chose the separator themselves
    words = ["中国", "北京", "上*海"]
    assert tr("emb.list_unknown", "zh", words=words) == "这些词不在词表里，没有画出：中国、北京、上*海"
    assert tr("emb.list_unknown", "en", words=words) == "Not in the vocabulary, not drawn: 中国, 北京, 上*海"
    assert tr("emb.list_unknown", "zh", markdown=True, words=words).endswith("中国、北京、上\\*海"), "each word is still escaped"
    assert tr("emb.list_unknown", "en", words=["one"]) == "Not in the vocabulary, not drawn: one"
    error = RnnLabError("emb.no_common_words", words=["甲", "乙"])
    assert error.message("zh").endswith("甲、乙") and error.message("en").endswith("甲, 乙"), "said in the reader's language"


# --------------------------------------------------------------------------- keys used in the code


def _tiny_tables_columns() -> set[str]:
    """Column names the pages pass through `col.{c}`: those of the stats tables they localise."""
    reviews = datasets.LabelledTexts("t", ["a b", "b c"], np.asarray([0, 1], dtype=np.int8), np.asarray(["train", "test"]), "en")
    encoded = datasets.EncodedReviews("imdb", [[1, 5, 2]], np.asarray([1]), [[1, 4]], np.asarray([0]), num_words=10)
    columns = set(stats.top_tokens(stats.tokenise_dataset(reviews, "word")).columns)
    columns |= set(stats.sample_record(stats.tokenise_dataset(encoded, "keras_ids"), 0)["offset_table"].columns)
    # the Training page: the run list, the parameter table
    columns |= set(runs.OVERVIEW_COLUMNS) - {"owner", "created", "stopped_by"} | {"yours"}
    columns |= set(_models_source_columns())
    # the Sentiment page: scores, occlusion, side by side, errors
    columns |= {"text", "model", "cell", "p_positive", "prediction", "label", "correct", "confidence", "position", "token", "p_without", "importance"}
    # the Lyrics page: every step's candidates, the units that react to a pattern
    columns |= {"step", "token", "probability", "candidate_1", "candidate_2", "candidate_3", "candidate_4", "candidate_5"}
    columns |= {"layer", "unit", "mean_at_pattern", "mean_elsewhere", "score"}
    # the Embeddings page: a topic model's topics (LSA has the directions' other end)
    from core import topics

    docs = [["猫", "狗", "鱼"], ["猫", "狗"], ["股票", "银行", "鱼"], ["股票", "银行"]]
    columns |= set(topics.topics_table(topics.train_lsa(docs, topics.TopicSettings(dim=2, min_count=1, stopwords=False))).columns)
    from core import embeddings as emb

    doc2vec = emb.Vectors(["猫", "狗"], np.eye(2), info={"doc_vectors": np.eye(2), "doc_texts": ["猫", "狗"]})
    columns |= set(topics.nearest_documents(doc2vec, np.array([1.0, 0.0]), k=2).columns)
    return columns


def _models_source_columns() -> list[str]:
    """PARAMETER_TABLE_COLUMNS read from core/models.py's source (importing it would load Keras)."""
    tree = ast.parse((ROOT / "core" / "models.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PARAMETER_TABLE_COLUMNS" for t in node.targets):
            return [elt.value for elt in node.value.elts]
    raise AssertionError("core/models.py has no PARAMETER_TABLE_COLUMNS")


def _template_values() -> dict[str, tuple]:
    """Values each f-string key template is formatted with in the code."""
    from core.models import OUTPUT_PRECISIONS  # imports Keras
    from core.topics import METHODS

    tokenizers = set(textlib.TOKENIZERS) | {"given", "keras_ids"} | {k for i in datasets.REGISTRY.values() for k in i.tokenizers}
    sides = ("pre", "post")
    return {
        "ds.{}.title": datasets.DATASET_NAMES,
        "ds.{}.desc": datasets.DATASET_NAMES,
        "tok.{}": tuple(sorted(tokenizers)),
        "kind.{}": tuple(sorted({i.kind for i in datasets.REGISTRY.values()})),
        "side.{}": sides,
        "data.where_{}": sides,
        "data.source_{}": ("data", "cache", "checkpoints", "package", "other"),
        "data.sampler_{}": tuple(textlib.SAMPLERS),
        "label.{}": (-1, 0, 1),
        "upload.labels_partly{}": ("", "_inspect"),
        "upload.labels_ignored{}": ("", "_inspect"),
        "upload.unlabelled_rows{}": ("", "_inspect"),
        "col.{}": tuple(sorted(_tiny_tables_columns())),
        "train.task_{}": ("sentiment", "language_model"),
        "emb.unit_{}": ("tsne", "umap"),
        "emb.w2v_segmented_{}": ("given", "jieba", "word"),
        "train.impl_{}": ("layer", "keras_cell", "scratch"),
        "train.impl_short_{}": ("layer", "keras_cell", "scratch"),
        "data.split_{}": ("train", "val", "test"),
        "train.equations_{}": ("simple_rnn", "lstm", "gru"),
        "lyr.inside_explain_{}": ("simple_rnn", "lstm", "gru"),
        "lyr.loop_{}": ("greedy", "top_1", "sampled"),
        "home.path_{}": ("t1", "t2", "t3", "t4"),
        "train.compare_figures_{}": ("sentiment", "language_model"),
        "train.compare_figures_of_{}": ("sentiment", "language_model"),
        "train.head_equation_{}": ("sentiment", "language_model"),
        "col.cell_{}": ("variable", "symbols", "shape", "values"),
        "train.metric_{}": ("accuracy", "perplexity"),
        "train.play_{}": ("sentiment", "language_model"),
        "lyr.weights_{}": ("best", "last"),
        "train.init_{}": ("keras", "tutorial"),
        "train.precision_{}": OUTPUT_PRECISIONS,
        "train.bf16_{}": ("fast", "slow", "unknown"),
        "state.{}": tuple(runs.STATES) + ("?",),
        "fig.curve_{}": ("accuracy", "perplexity"),
        "home.page_{}": ("data", "training", "sentiment", "lyrics", "embeddings"),
        "sent.method_{}": ("unknown", "remove", "gradient"),
        "lyr.strategy_{}": ("greedy", "temperature", "top_k", "top_p"),
        "lyr.strategy_{}_help": ("greedy", "temperature", "top_k", "top_p"),
        "lyr.unknown_{}": ("drop", "unk"),
        "fig.quantity_{}": ("h", "c", "i", "f", "g", "o", "z", "r", "n"),
        "emb.topics_{}": METHODS,
        "emb.label_{}": METHODS,
        "emb.topics_settings_{}": METHODS,
        "emb.topics_table_{}": ("lsa", "lda"),  # the topic models' tables (Doc2Vec has documents instead)
        "emb.topics_table_explain_{}": ("lsa", "lda"),
        "emb.topics_share_help_{}": ("lsa", "lda"),
        "emb.topics_dim_{}": METHODS,
        "emb.topics_explain_{}": METHODS,
        "emb.topics_train_{}": METHODS,
        "setting.{}": _config_keys(),
        "setting.{}_item": ("dataset_options", "word2vec_init"),
    }


def _config_keys() -> tuple[str, ...]:
    """The flattened settings of this version's configs, both tasks (`core.runs.setting_label` names
    each; a data set's options and Word2Vec's own settings are named by the two templates above)."""
    from core.train import TrainConfig

    configs = [TrainConfig.from_dict({"task": task, "dataset": name}).to_dict() for task, name in (("sentiment", "chinese_reviews"), ("language_model", "lyrics"))]
    keys = {k for c in configs for k in runs.flatten_config(c)}
    return tuple(sorted(k for k in keys if not k.startswith(("dataset_options.", "word2vec_init."))))


def test_every_choice_of_a_compared_setting_has_text():
    """The compare table names a choice setting's values through `core.runs.SETTING_VALUE_TEXTS`
    (str.format, which the key scanner does not see): each choice core accepts has its text."""
    from core.models import IMPLEMENTATIONS, OUTPUT_PRECISIONS, POOLINGS
    from core.cells import INITIALIZERS
    from core.train import OUTPUT_BIASES, SMOOTHING_PRIORS

    tokenizers = set(textlib.TOKENIZERS) | {k for i in datasets.REGISTRY.values() for k in i.tokenizers}
    choices = {"task": ("sentiment", "language_model"), "tokenizer": tokenizers, "padding": ("pre", "post"), "truncating": ("pre", "post"),
               "sampler": textlib.SAMPLERS, "model.implementation": IMPLEMENTATIONS, "model.initializer": INITIALIZERS,
               "model.output_precision": OUTPUT_PRECISIONS, "model.pooling": POOLINGS, "label_smoothing_prior": SMOOTHING_PRIORS, "output_bias": OUTPUT_BIASES}
    assert set(choices) == set(runs.SETTING_VALUE_TEXTS)
    missing = [(setting, value) for setting, values in choices.items() for value in values if runs.SETTING_VALUE_TEXTS[setting].format(value) not in TEXTS]
    assert not missing, missing


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _template_of(node: ast.JoinedStr) -> str | None:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
        elif isinstance(value, ast.FormattedValue):
            parts.append("{}")
        else:
            return None
    return "".join(parts)


def _passed_params(node: ast.Call, name: str) -> set[str] | None:
    """Keyword parameters a call passes; None when they cannot be known (`**kwargs`, a variable)."""
    if name == "Notice":
        if len(node.args) < 2:
            return None if node.keywords else set()  # Notice(key, params=...) is not checked
        params = node.args[1]
        if isinstance(params, ast.Dict) and all(isinstance(k, ast.Constant) for k in params.keys):
            return {k.value for k in params.keys}
        return None
    if any(kw.arg is None for kw in node.keywords):
        return None
    return {kw.arg for kw in node.keywords}


def _scan():
    """(file:line, key, passed params or None) for every key the code passes to a translating call."""
    templates = _template_values()
    uses, unknown_templates = [], []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(ROOT)
        fstring_parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and _call_name(node) in KEY_CALLS:
                name = _call_name(node)
                first = node.args[0]
                params = _passed_params(node, name)
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    uses.append((f"{where}:{node.lineno}", first.value, params))
                elif isinstance(first, ast.JoinedStr):
                    template = _template_of(first)
                    if template not in templates:
                        unknown_templates.append(f"{where}:{node.lineno}: {ast.unparse(first)}")
                        continue
                    for value in templates[template]:
                        uses.append((f"{where}:{node.lineno}", template.format(value), params))
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in fstring_parts
                and not str(where).startswith("core")
                and KEY_SHAPE.match(node.value)
                and node.value.split(".")[0] in NAMESPACES
                and not node.value.endswith(".py")
            ):
                # keys held in a list or variable first (e.g. the tab names of the Data page)
                uses.append((f"{where}:{node.lineno}", node.value, None))
    return uses, unknown_templates


def test_the_scanner_sees_the_code():
    uses, _ = _scan()
    keys = {key for _, key, _ in uses}
    # one key of each kind of call site, so a broken scanner cannot pass silently
    for expected in ("data.title", "data.not_local", "download.offline", "upload.gbk_used", "ds.lyrics.title", "tok.jieba", "data.tab_lengths", "fig.zipf"):
        assert expected in keys, expected
    assert len(keys) > 100


def test_every_key_used_in_the_code_exists():
    uses, unknown_templates = _scan()
    assert not unknown_templates, (
        "f-string translation keys the test does not know how to expand; add their values to "
        "_template_values():\n" + "\n".join(unknown_templates)
    )
    missing = sorted({f"{key}  (used at {where})" for where, key, _ in uses if key not in TEXTS})
    assert not missing, f"{len(missing)} translation keys are used but missing from core/i18n.py TEXTS:\n" + "\n".join(missing)


def test_every_call_passes_the_placeholders_its_text_needs():
    uses, _ = _scan()
    problems = []
    for where, key, params in uses:
        if key not in TEXTS or params is None:
            continue
        needed = set(_fields(TEXTS[key][0])) | set(_fields(TEXTS[key][1]))
        if needed - params:
            problems.append(f"{where}: {key} needs {sorted(needed)}, gets {sorted(params)}")
    assert not problems, "calls that would raise KeyError or show raw {placeholders}:\n" + "\n".join(sorted(set(problems)))


def test_every_registered_dataset_kind_tokenizer_and_label_has_text():
    needed = [f"ds.{n}.{s}" for n, s in itertools.product(datasets.DATASET_NAMES, ("title", "desc"))]
    needed += [f"kind.{i.kind}" for i in datasets.REGISTRY.values()]
    needed += [f"tok.{k}" for i in datasets.REGISTRY.values() for k in i.tokenizers]
    needed += [f"label.{v}" for v in (0, 1)]
    assert [k for k in needed if k not in TEXTS] == []


def test_pages_have_no_stray_string_expressions():
    """Streamlit's "magic" writes any bare expression of a page to the screen: a string
    literal after the module docstring (say, a constant's docstring) would appear on the
    page, untranslated."""
    import ast

    for path in sorted((ROOT / "pages").glob("*.py")) + [ROOT / "streamlit_app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        stray = [
            node.lineno
            for index, node in enumerate(tree.body)
            if index > 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        ]
        assert not stray, f"{path.name}: bare strings at lines {stray} would be drawn on the page"


def test_markdown_escaping_shows_user_values_literally():
    from core.errors import DataError
    from core.i18n import MARKDOWN_SPECIAL, escape_markdown
    from tests.app.rendered import shown

    hostile = "![x](http://example.invalid/p.png) <b>bold</b> :red[red] $x^2$ **b** `c` col_name 0.5"
    escaped = escape_markdown(hostile)
    assert shown(escaped) == hostile
    # no special character is left unescaped
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert escaped[i + 1] in MARKDOWN_SPECIAL
            i += 2
            continue
        assert escaped[i] not in MARKDOWN_SPECIAL, escaped
        i += 1
    assert escape_markdown("第一行\n第二行") == "第一行 第二行"

    # tr(markdown=True) escapes the values, not the template; plain tr leaves both alone
    err = DataError("error.generic", reason=hostile)
    assert err.message("en") == tr("error.generic", "en", reason=hostile)
    message = err.message("en", markdown=True)
    assert escaped in message and hostile not in message
    assert message.replace(escaped, hostile) == err.message("en")

    # numbers are formatted as the template says ("{n:,}") when escaping for Markdown too:
    # every key that formats a number renders for st.error exactly as in plain text
    import re

    import numpy as np

    formatted = [(key, pair) for key, pair in TEXTS.items() if re.search(r"\{\w+:[^}]+\}", pair[1])]
    assert len(formatted) > 10
    for key, pair in formatted:
        params = {name: np.int64(12345) for name in re.findall(r"\{(\w+)\}", pair[1])}
        params.update({name: 12345 if spec.endswith("d") else 12345.678 for name, spec in re.findall(r"\{(\w+):([^}]+)\}", pair[1])})
        for lang in ("zh", "en"):
            assert tr(key, lang, markdown=True, **params) == tr(key, lang, **params), key


def test_status_errors_are_escaped_for_markdown_when_asked():
    from core.runs import status_error
    from tests.app.rendered import shown

    hostile = "[link](http://example.invalid)"
    with_key = {"error": "x", "error_key": "error.generic", "error_params": {"reason": hostile}}
    assert hostile in status_error(with_key, "en")
    assert hostile not in status_error(with_key, "en", markdown=True)
    stored_only = {"error": f"failed: {hostile}"}  # a status written before error keys existed
    assert status_error(stored_only, "en") == f"failed: {hostile}"
    assert shown(status_error(stored_only, "en", markdown=True)) == f"failed: {hostile}"


def test_range_bounds_are_written_with_thousands_separators_and_a_status_whose_parameters_do_not_fit_is_still_said():
    """'from 3 to 10000000' beside '99,999,999' typed (the last session's note): bounds in the page's
    number style. A status.json whose parameters no longer fit the text (edited by hand, or an older
    version's strings) gives its stored English sentence, not a stopped page."""
    from core.errors import RnnLabError
    from core.runs import status_error

    exc = RnnLabError("train.bad_range", name="max_tokens", low=3, high=10_000_000, value="2")
    assert "from 3 to 10,000,000, got 2." in exc.message("en") and "3 到 10,000,000 之间" in exc.message("zh")
    stored = {"error": "max_tokens must be a whole number from 3 to 10000000, got 2.", "error_key": "train.bad_range",
              "error_params": {"name": "max_tokens", "low": "3", "high": "10000000", "value": "2"}}
    assert status_error(stored, "zh") == stored["error"]
    assert "13,540 tokens" in tr("sent.truncated", "en", n=13_540, maxlen=200, side="end") and "120 of 13,540" in tr("sent.truncated_other", "en", model="m", kept=120, n=13_540, side="end")
    assert status_error({**stored, "error_params": {**stored["error_params"], "low": 3, "high": 10_000_000}}, "zh") == exc.message("zh")


def test_a_value_inside_a_code_span_is_shown_as_it_is():
    # Markdown shows a code span's characters literally, backslashes included: the offline
    # message read "Download `jaychou\_lyrics\.txt\.zip` elsewhere" on the Data page
    from core.i18n import tr

    text = tr("download.offline", "en", markdown=True, url="https://x.org/a_b.zip", reason="no *network*", filename="jaychou_lyrics.txt.zip", folder="/data/my_folder")
    assert "`jaychou_lyrics.txt.zip`" in text and "`/data/my_folder`" in text and "`https://x.org/a_b.zip`" in text
    assert "no \\*network\\*" in text  # outside the spans, still escaped
    hostile = tr("download.offline", "en", markdown=True, url="u", reason="r", filename="x` <b>**y**</b> `z", folder="f")
    assert hostile.count("`") == 6  # the value cannot close its span
    assert tr("download.offline", "en", url="u", reason="r", filename="a_b", folder="f") == tr("download.offline", "en", markdown=False, url="u", reason="r", filename="a_b", folder="f")


def test_no_key_is_written_twice_in_the_table():
    # a dict literal keeps the last of two equal keys without a word: a new "emb.source_zh_wiki"
    # (where a file's vectors come from) replaced the Source radio's label of the same name
    import ast
    import collections
    from pathlib import Path

    import core.i18n

    tree = ast.parse(Path(core.i18n.__file__).read_text(encoding="utf-8"))
    tables = [node for node in ast.walk(tree) if isinstance(node, ast.Dict) and len(node.keys) > 100]
    assert tables, "the table of texts is a dict literal in core/i18n.py"
    for table in tables:
        keys = [key.value for key in table.keys if isinstance(key, ast.Constant)]
        assert [key for key, n in collections.Counter(keys).items() if n > 1] == []


def test_english_says_one_word_not_one_words():
    """ "Read 1 words of 3 dimensions" (an exploratory learner): a noun after a count of one loses its
    plural ending, in the template only (a file's own name is left as it is), and not in Chinese."""
    assert tr("emb.read_done", "en", n=1, dim=1) == "Read 1 word of 1 dimension."
    assert tr("emb.read_done", "en", n=1_001, dim=3) == "Read 1,001 words of 3 dimensions."
    assert tr("emb.label_file", "en", name="1 words.txt", n=1) == "File 1 words.txt (1 word)"
    assert tr("emb.label_file", "en", markdown=True, name="a_b.txt", n=1).endswith("(1 word)")
    assert tr("emb.read_done", "zh", n=1, dim=1) == "读取了 1 个词，每个 1 维。"
    assert tr("emb.read_done", "en", n=1_000, dim="1") == "Read 1,000 words of 1 dimension.", "a count the page formatted"
