"""A download from the Data page in a real browser, from a mirror on this machine.

A class without internet sets RNNLAB_DOWNLOAD_MIRROR to a local web server holding the data
files (README, Data sets). Here that server is a thread serving ../shared/data, slowed down so
the download lasts a few seconds; the app is a `streamlit run` server of its own with empty
data and cache folders. The browser clicks Download, sees the progress, and the page shows
the lyrics when the file is in, without a reload: the download's polling fragment reruns the
page (AppTest cannot follow that: the chosen option's label changes under it).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
import time

import pytest
from playwright.sync_api import expect

from bench.app_server import wait_for_app
from core import datasets

from .conftest import running_app

pytestmark = pytest.mark.e2e


class _Slow(http.server.SimpleHTTPRequestHandler):
    """Serves files 8 KB at a time, 0.25 s apart (the 52 KB lyrics zip takes about 2 s)."""

    requests: list[str] = []

    def copyfile(self, source, outputfile):
        while chunk := source.read(8192):
            outputfile.write(chunk)
            outputfile.flush()
            time.sleep(0.25)

    def do_GET(self):  # noqa: N802 - http.server's naming
        _Slow.requests.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def mirrored_app(shared_data, tmp_path):
    mirror = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Slow, directory=str(shared_data)))
    threading.Thread(target=mirror.serve_forever, daemon=True).start()
    (tmp_path / "data").mkdir()
    env = {
        **os.environ,
        "RNNLAB_DATA_DIR": str(tmp_path / "data"),
        "RNNLAB_CACHE_DIR": str(tmp_path / "cache"),
        "RNNLAB_CHECKPOINTS_DIR": str(tmp_path / "checkpoints"),
        "RNNLAB_DOWNLOAD_MIRROR": f"http://127.0.0.1:{mirror.server_address[1]}",
    }
    _Slow.requests.clear()
    try:
        with running_app(env, tmp_path / "streamlit.log") as url:
            yield url, tmp_path / "cache"
    finally:
        mirror.shutdown()


def test_download_the_lyrics_from_a_mirror_and_see_them(mirrored_app, page):
    url, cache = mirrored_app
    # the lyrics are chosen while the default data set (the Chinese reviews, empty cache) is still
    # being tokenised: that job's polling bar must not stay drawn where this page puts its warning
    # (tests/e2e/test_stale_poll_browser.py races that alone)
    page.goto(f"{url}/data?lang=en")
    wait_for_app(page)
    expect(page.get_by_test_id("stProgress")).to_be_visible()
    page.get_by_role("combobox", name="Data set").click()
    page.get_by_role("option", name=re.compile("Jay Chou")).click()
    expect(page.get_by_role("combobox", name="Data set")).to_have_value(re.compile("Jay Chou.*download"))
    expect(page.get_by_text("not on this machine")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"Download \(about 0\.1 MB\)")).click()
    # the download runs in the background with its bar, and the page says what it does
    expect(page.get_by_test_id("stProgress")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Downloading .*Jay Chou"))).to_be_visible()
    # then, with no click and no reload, the page shows the data set
    expect(page.get_by_test_id("stMetric").filter(has_text="Characters")).to_contain_text("63,282", timeout=60_000)
    expect(page.get_by_test_id("stProgress")).to_have_count(0)
    assert _Slow.requests == [f"/{datasets.LYRICS_FILE.filename}"]
    assert (cache / datasets.LYRICS_FILE.filename).is_file()
