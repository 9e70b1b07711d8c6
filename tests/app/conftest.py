"""AppTest helpers: the real app script, run in-process, one page at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")


def open_app(lang: str = "zh", page: str | None = None, timeout: float = 120) -> AppTest:
    """The app with the sidebar language set, optionally switched to `page` (e.g. "pages/data.py")."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    if lang != "zh":
        at.radio(key="lang").set_value(lang).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(autouse=True)
def fresh_jobs(monkeypatch):
    """Each test its own job board (`ui.jobs`): a finished job is kept and shared within a
    process, and one test's scored file must not be another's result."""
    from ui import jobs

    monkeypatch.setattr(jobs, "_BOARD", None)
    yield
    if jobs._BOARD is not None:
        jobs._BOARD.shutdown()


@pytest.fixture(autouse=True)
def fresh_admin_guesses(monkeypatch):
    """Each test its own count of wrong admin tokens (`core.hosting.ADMIN_GUESSES`, one per
    process; every AppTest session comes from the same "local" address)."""
    from core import hosting

    monkeypatch.setattr(hosting, "ADMIN_GUESSES", hosting.TokenGuesses())


@pytest.fixture(params=["zh", "en"])
def lang(request) -> str:
    return request.param


def show_tab(at: AppTest, key: str, label_key: str, lang: str) -> AppTest:
    """`at` run with the tab `label_key` of the tabs `key` chosen, as a click on it does in a
    browser (`ui.common.kept_tabs`: the server keeps the choice, and the page does a hidden
    tab's costly work only once it is shown)."""
    from core.i18n import tr

    at.session_state[key] = tr(label_key, lang)
    return at.run()


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_traces(chart) -> list[dict]:
    """The traces of a rendered plotly chart, with Plotly's packed arrays ({"dtype", "bdata"},
    base64 of the numpy buffer) unpacked into lists, so a test can read x and y."""
    import base64
    import json

    import numpy as np

    def unpack(value):
        if isinstance(value, dict) and set(value) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            shape = value.get("shape")
            if isinstance(shape, str):  # a 2-D array's shape comes as "2, 2"
                shape = tuple(int(n) for n in shape.split(","))
            return array.reshape(shape).tolist() if shape is not None else array.tolist()
        return value

    return [{key: unpack(value) for key, value in trace.items()} for trace in json.loads(chart.proto.spec)["data"]]


def _squashed(text: str) -> str:
    return text.replace("<br>", "").replace(" ", "")


def charts_titled(at: AppTest, text: str) -> list:
    """The page's plotly charts whose title holds `text`, wherever core.figures.wrap_title broke
    their titles into lines (a break takes the place of a space, or of nothing between Chinese
    characters: both are compared without spaces)."""
    import json

    def title(chart) -> str:
        return ((json.loads(chart.proto.spec).get("layout", {}).get("title") or {}).get("text")) or ""

    return [chart for chart in at.get("plotly_chart") if _squashed(text) in _squashed(title(chart))]


def settled(at: AppTest) -> AppTest:
    """`at` once the background jobs (`ui.jobs`) its last run was waiting for have finished
    and the page was run again to show their results: what the page's polling fragment does
    in a browser. A run that showed its job's result at once (a quick job) is left as it is,
    so a result shown once (an error of a button's job) is not run away."""
    from core.i18n import LANGS, tr
    from ui import jobs

    waiting = {tr("job.background", lang) for lang in LANGS}
    for _ in range(10):
        if not any(c.value in waiting for c in at.caption):
            # and the page ran to its end: a page that stopped on an error after its metrics (an upload
            # whose labels were set aside) passed tests that looked at at.error only
            assert not at.exception, [e.value for e in at.exception]
            return at
        jobs.wait_all()
        at.run()
    raise AssertionError("the page still waits for a job after 10 runs")
