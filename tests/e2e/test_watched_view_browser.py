"""A view nobody looks at any more stops, in a real server and browser.

A t-SNE map or gradient flow (`ui.jobs.result` with `stop_stale`) held one of the two
workers to its end when its reader closed the tab or went to another page meanwhile. It now
stops once every session that asked for it has closed its connection for a while (Streamlit's
runtime says so) or has not polled it for a while (`ui.jobs.JobBoard.submit`'s watch). The
page (tests/e2e/apps/watched_view.py) shortens the two limits to 1 s and 8 s; its job would
take a minute and writes how far it is into a file.
"""

from __future__ import annotations

import os
import time

import pytest
from playwright.sync_api import expect

from bench.app_server import wait_for_app

from .conftest import running_app

pytestmark = pytest.mark.e2e


@pytest.fixture
def watched_app(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {**os.environ, "RNNLAB_CACHE_DIR": str(cache), "RNNLAB_CHECKPOINTS_DIR": str(tmp_path / "checkpoints"), "RNNLAB_BACKGROUND_JOBS": "3"}
    with running_app(env, tmp_path / "streamlit.log", script="tests/e2e/apps/watched_view.py") as url:
        yield url, cache


def _status(cache, name: str) -> str:
    path = cache / name
    return path.read_text() if path.exists() else ""


def _until(cache, name: str, wanted: str, timeout: float) -> float:
    """Seconds until the job `name` writes `wanted` (fails after `timeout`)."""
    start = time.monotonic()
    while _status(cache, name) != wanted:
        assert time.monotonic() - start < timeout, f"{name}: still {_status(cache, name)!r} after {timeout} s"
        time.sleep(0.1)
    return time.monotonic() - start


def _open(cache, browser, url: str, name: str):
    """A new reader (a browser of its own) of the view `name`, once its job runs."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/?job={name}")
    wait_for_app(page)
    expect(page.get_by_role("progressbar")).to_be_visible()
    start = time.monotonic()
    while not _status(cache, name).isdigit():
        assert time.monotonic() - start < 10, f"{name}: {_status(cache, name)!r}, not running"
        time.sleep(0.05)
    return context, page


def test_a_view_stops_when_its_reader_closes_the_tab_or_leaves_but_not_while_watched(watched_app, browser):
    url, cache = watched_app
    kept_context, kept = _open(cache, browser, url, "kept")  # a reader who stays
    try:
        closed_context, closed = _open(cache, browser, url, "closed")
        closed_context.close()  # the tab is closed: its connection too
        waited = _until(cache, "closed", "stopped", timeout=20)
        assert waited < 5.0, f"stopped {waited:.1f} s after the tab closed: by the missing polls, not the closed connection"

        left_context, left = _open(cache, browser, url, "left")
        left.get_by_text("Leave the view").click()  # another page: connected, but nobody polls the view
        expect(left.get_by_text("Another page")).to_be_visible()
        waited = _until(cache, "left", "stopped", timeout=30)
        assert waited > 6.0, f"stopped {waited:.1f} s after the reader left, though its connection is open"
        left_context.close()

        assert _status(cache, "kept").isdigit(), "the view its reader still looks at runs on"
        step = int(_status(cache, "kept"))
        time.sleep(1.0)
        assert int(_status(cache, "kept")) > step
        expect(kept.get_by_role("progressbar")).to_be_visible()
    finally:
        kept_context.close()
