"""The Data page through AppTest: every data set renders in both languages and reacts to its widgets."""

from __future__ import annotations

import http.server
import threading
from dataclasses import replace
from functools import partial

import pytest

from core import datasets
from core.i18n import tr

from .conftest import metric_values, open_app, settled
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
    positive, negative = values[tr("data.m_balance", lang)].split(" / ")
    assert int(positive.replace(",", "")) + int(negative.replace(",", "")) == 17_363
    assert len(at.get("plotly_chart")) >= 4  # lengths, Zipf, unknown share, id heatmap, one-hot
    assert not at.error
    lengths = at.dataframe[0].value  # the length percentiles, headed in the page's language with their unit
    assert list(lengths.columns) == [tr(f"col.len_{k}", lang) for k in ("mean", "p50", "p90", "p95", "p99", "max")]
    assert float(lengths.iloc[0, 1]) <= float(lengths.iloc[0, 3]) <= float(lengths.iloc[0, 5])


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


def test_imdb_real_subset_shows_offset(shared_data):
    at = choose(open_app("en", PAGE), "imdb")
    values = metric_values(at)
    assert values["Texts"] == "6,000"
    assert values["Vocabulary size"] == "500"
    assert any("subset" in i.value for i in at.info)
    assert any("index_from" in c.value for c in at.caption)


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
