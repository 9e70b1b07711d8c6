"""A page for tests/e2e/test_stale_poll_browser.py, made of the app's own parts: the shared
sidebar (which counts the session's full runs), a background job whose progress ui.jobs
shows in its polling fragment, and a checkbox that replaces all that with a warning and
`st.stop()`, as the Data page does when the user switches to a data set that is not on this
machine while the first one is being tokenised. The jobs are pure Python, as jieba's
tokenising is: two of them (both workers) hold the GIL, so the server answers late, which is
when a poll of an old fragment reaches it during the new run."""

import time

import streamlit as st

from ui import jobs
from ui.common import render_sidebar

render_sidebar()
if st.checkbox("Leave the job"):
    st.warning("The page after the job")
    st.stop()


def work(progress):
    start, seconds = time.monotonic(), 6.0
    while (elapsed := time.monotonic() - start) < seconds:
        sum(k * k for k in range(50_000))  # holds the GIL for a few milliseconds at a time
        progress(int(elapsed * 10), int(seconds * 10))
    return "done"


key = ("stale_poll", st.session_state.setdefault("stale_poll_session", time.time()))  # two jobs per browser session
jobs.result(key + ("second",), work, "Working too", "Starting")
if jobs.result(key, work, "Working", "Starting") is not None:
    st.write("The job is done")
