"""A progress bar of the page before must never be drawn over the page after.

Streamlit (1.67) forgets a run's fragments only when the next full run reaches its end; a
run that ends with `st.stop()` (the Data page, for a data set that is not on this machine)
leaves them registered, and a poll of the old progress fragment that reaches the server
during the new run is run after it: its bar was drawn where the new page had put its
warning, and kept polling. Seen on CI, where switching data sets while the first one was
tokenised left its bar over the "not on this machine" warning. The app's polling fragments
now rerun the page instead of drawing when a newer full run has replaced theirs
(`ui.common.leave_if_left_behind`).

The race needs a server that answers late: the two jobs here hold the GIL as jieba does.
Without the guard, 5 attempts of 12 left a bar (2026-12-02, this machine), so six attempts
all miss it about one time in twenty-five; with it, none of 12. The attempts leave the page at
different phases of the 0.5 s poll.
"""

from __future__ import annotations

import os
import time

import pytest
from playwright.sync_api import expect

from bench.app_server import wait_for_app

from .conftest import running_app

pytestmark = pytest.mark.e2e

ATTEMPTS = 6


@pytest.fixture
def stale_poll_app(tmp_path):
    env = {**os.environ, "RNNLAB_CACHE_DIR": str(tmp_path / "cache"), "RNNLAB_CHECKPOINTS_DIR": str(tmp_path / "checkpoints")}
    with running_app(env, tmp_path / "streamlit.log", script="tests/e2e/apps/stale_poll.py") as url:
        yield url


def test_a_poll_of_the_page_before_never_draws_over_the_page_after(stale_poll_app, page):
    for attempt in range(ATTEMPTS):
        page.goto(stale_poll_app)  # a new session, so a new job
        wait_for_app(page)
        expect(page.get_by_role("progressbar").first).to_be_visible()
        time.sleep(0.3 + 0.17 * attempt)
        page.get_by_text("Leave the job").click()
        after = page.get_by_text("The page after the job")
        expect(after).to_be_visible(timeout=15_000)
        time.sleep(2.5)  # any poll sent before the switch has been answered by now
        assert page.get_by_role("progressbar").count() == 0, f"attempt {attempt + 1}: the job's bar is drawn on the page after"
        expect(after).to_be_visible(timeout=1_000)
