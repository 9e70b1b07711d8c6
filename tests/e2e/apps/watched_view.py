"""A page for tests/e2e/test_watched_view_browser.py, made of the app's own parts: the shared
sidebar, and a view computed as a background job as the Embeddings page's maps are
(`ui.jobs.result` with `stop_stale`), which ui.jobs stops once no page looks at it. The limits
are shortened (a connection closed for 1 s, no poll for 8 s) so that the test takes seconds.

The job is named by ``?job=``; its work writes how far it is into ``RNNLAB_CACHE_DIR/<name>``
at each progress report, and "stopped" or "done" when it ends, for the test to read. A
checkbox replaces the job with another page's content, as going to another page does."""

import os
import time
from pathlib import Path

import streamlit as st

from ui import jobs
from ui.common import render_sidebar

board = jobs.board()
board.disconnected_seconds = 1.0
board.unwatched_seconds = 8.0

render_sidebar()
if st.checkbox("Leave the view"):
    st.warning("Another page")
    st.stop()

name = st.query_params.get("job", "view")
status = Path(os.environ["RNNLAB_CACHE_DIR"]) / name


def write(text: str) -> None:
    """`text` into the status file at once (a reader never finds it empty mid-write)."""
    part = status.with_suffix(".part")
    part.write_text(text)
    os.replace(part, status)


def work(progress):
    steps = 1_200  # a minute
    try:
        for step in range(steps):
            progress(step, steps)
            write(str(step))
            time.sleep(0.05)
    except jobs.Withdrawn:
        write("stopped")
        raise
    write("done")
    return "done"


if jobs.result(("watched_view", name), work, "Working", "Starting", family="watched_view", stop_stale=True) is not None:
    st.write("The view is ready")
