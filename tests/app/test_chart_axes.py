"""Every plotly chart the pages draw names its axes (the quality bar: charts label units and axes)."""

from __future__ import annotations

import json

import pytest

from .conftest import open_app, settled


def unlabelled_axes(at) -> list[str]:
    """'<chart title>: <axis>' for every visible x/y axis without a title, over the page's charts."""
    missing = []
    for chart in at.get("plotly_chart"):
        layout = json.loads(chart.proto.spec).get("layout", {})
        title = (layout.get("title") or {}).get("text", "?")
        for key, axis in layout.items():
            if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict) and axis.get("visible", True) is not False:
                if not (axis.get("title") or {}).get("text"):
                    missing.append(f"{title}: {key}")
    return missing


def overlong_titles(at) -> list[str]:
    """Every line of a chart's title wider than its chart allows: `core.figures.TITLE_WIDTH` for a
    chart in one of several columns (half of the page at 1024 px, where plotly cut "Embedding table
    [10, 4] (boxed: the ro": a layout audit), `WIDE_TITLE_WIDTH` for one as wide as the page (AppTest
    is a desktop). A title wrapped for half a page in a chart as wide as the page shows up too:
    its lines together would fit on fewer lines (the titles took two or three lines on a desktop)."""
    import re

    from core.figures import TITLE_FONT, TITLE_WIDTH, WIDE_TITLE_WIDTH, text_width

    in_columns = {id(chart.proto) for column in at.columns for chart in column.get("plotly_chart")}
    long = []
    for chart in at.get("plotly_chart"):
        room = TITLE_WIDTH if id(chart.proto) in in_columns else WIDE_TITLE_WIDTH
        title = ((json.loads(chart.proto.spec).get("layout", {}).get("title") or {}).get("text")) or ""
        lines = [line for line in title.split("<br>") if not line.startswith("<sup>")]
        for line in title.split("<br>"):
            size = TITLE_FONT * (0.7 if line.startswith("<sup>") else 1)
            if text_width(re.sub(r"</?(sup|b|i)>", "", line), size) > room:
                long.append(line)
        # two lines of plain title that would fit on one: wrapped for a narrower chart than this one
        for first, second in zip(lines, lines[1:]):
            if not re.search(r"</?(b|i|span|a)\b", first + second) and text_width(first + " " + second, TITLE_FONT) <= room and room > TITLE_WIDTH:
                long.append(f"{first} | {second} (on one line: {room} px)")
    return long


@pytest.mark.parametrize(("page", "tabs_key"), [("pages/data.py", "data_tabs"), ("pages/training.py", "train_tabs"), ("pages/embeddings.py", "emb_tabs")])
def test_default_views_label_their_axes(page, tabs_key, lang):
    """Every tab of the page in its default settings (a page draws a tab's costly charts only
    while it is shown: ui.common.kept_tabs), with what background jobs draw (gradient flow)."""
    at = settled(open_app(lang, page, timeout=300))
    labels = [tab.label for tab in at.tabs]
    assert len(labels) >= 4, labels
    drawn = 0
    for label in labels:
        at.session_state[tabs_key] = label
        settled(at.run())
        assert not at.exception, (label, [e.value for e in at.exception])
        drawn += len(at.get("plotly_chart"))
        assert unlabelled_axes(at) == [], label
        assert overlong_titles(at) == [], label
    assert drawn, "the page draws charts"


def test_sentiment_and_lyrics_results_label_their_axes():
    at = open_app("en", "pages/sentiment.py", timeout=300)
    at.text_area(key="sent_text").set_value("房间很干净，服务也很好，下次还会再来。").run()
    assert at.get("plotly_chart") and unlabelled_axes(at) == [] and overlong_titles(at) == []
    at = open_app("en", "pages/lyrics.py", timeout=300)
    settled(at.button(key="lyr_generate").click().run())  # a background job (ui.jobs)
    assert at.get("plotly_chart") and unlabelled_axes(at) == [] and overlong_titles(at) == []
