"""The Data page's figures (core.figures): what a reader sees is readable and says what is drawn."""

from __future__ import annotations

import re

import numpy as np

from core import figures
from core.i18n import tr


def _labels(fig) -> list[dict]:
    return [a.to_plotly_json() for a in fig.layout.annotations]


def test_percentile_labels_close_together_each_get_a_row_of_their_own():
    lang = "en"
    # the Chinese reviews by character: p50 = 46, p95 = 190, p99 = 350 on an axis to ~3,000, and
    # maxlen = p95 by default; the labels were all drawn on one row, over each other
    lengths = np.concatenate([np.full(9000, 40), np.full(4000, 100), np.full(300, 300), [2900]])
    fig = figures.length_histogram(lengths, {"p50": 46.0, "p90": 120.0, "p95": 190.0, "p99": 350.0}, 190, lang)
    labels = _labels(fig)
    assert sorted(a["text"] for a in labels) == sorted(["p50 = 46", "p95 = 190", "p99 = 350", tr("fig.maxlen", lang, maxlen=190)])
    rows = [round(a["y"], 6) for a in labels]
    assert len(set(rows)) == len(rows), f"two labels share a row: {rows}"
    # each label hangs from its row, rows at least a label's height apart, all inside the plot
    assert all(a["yanchor"] == "top" and a["yref"] == "y domain" for a in labels)
    gaps = np.diff(sorted(rows))
    assert gaps.min() >= 0.07 and min(rows) > 0.5
    # the rows go down in the order of the lines along x, each label beside its line
    by_x = sorted(labels, key=lambda a: a["x"])
    assert [a["y"] for a in by_x] == sorted(rows, reverse=True)
    assert {round(s.x0, 3) for s in fig.layout.shapes} == {round(a["x"], 3) for a in labels}


def test_a_long_tail_of_lengths_is_cut_and_said():
    # the Chinese reviews: p99 = 350, the longest 2,900: nearly every text was in the first bars
    lengths = np.concatenate([np.full(9000, 40), np.full(4000, 100), np.full(300, 300), [1200, 2900]])
    fig = figures.length_histogram(lengths, {"p50": 46.0, "p95": 190.0, "p99": 350.0}, 190, "en")
    drawn = np.asarray(fig.data[0].x)
    assert drawn.max() == 300 and len(drawn) == len(lengths) - 2
    title = " ".join(re.sub(r"<[^>]+>", " ", fig.layout.title.text).split())  # (wrapped to the chart's width)
    assert tr("fig.length_beyond", "en", n=2, cut=525, longest=2900) in title
    # a tail within reach is drawn whole, and said nothing of
    fig = figures.length_histogram(np.array([3, 5, 8, 40]), {"p50": 5, "p95": 30, "p99": 38}, 32, "en")
    assert len(fig.data[0].x) == 4 and "<sup>" not in fig.layout.title.text
    # a short corpus counts whole tokens
    assert fig.layout.xaxis.dtick is None
    small = figures.length_histogram(np.array([3, 5, 9, 12]), {"p50": 7.0}, None, "zh")
    assert small.layout.xaxis.dtick == 1 and tr("fig.length_beyond", "zh", n=1, cut=1, longest=1)[:2] not in small.layout.title.text


def test_batch_charts_have_whole_number_rows_and_steps():
    # plotly's own ticks for a 2-row heatmap were -0.5, 0, 0.5, 1, 1.5
    ids = np.array([[0, 0, 5, 7, 2], [3, 4, 4, 1, 9]])
    heat = figures.id_heatmap(ids, [["a"] * 5, ["b"] * 5], "en")
    onehot = figures.one_hot_plot(ids[0], ["a"] * 5, 10, 0, "en")
    for axis in (heat.layout.yaxis, heat.layout.xaxis, onehot.layout.yaxis, onehot.layout.xaxis):
        assert axis.tickmode == "linear" and axis.tick0 == 0
        assert isinstance(axis.dtick, int) and axis.dtick >= 1
    assert heat.layout.yaxis.dtick == 1  # two rows: 0 and 1
    # many rows or steps: whole steps of 1, 2, 5, 10, ..., about ten ticks
    assert figures.whole_ticks(64, 8)["dtick"] == 10
    assert figures.whole_ticks(200, 12)["dtick"] == 20
    assert figures.whole_ticks(4617, 10)["dtick"] == 500


def test_a_window_of_long_rows_gives_the_real_shape_and_says_which_steps_are_drawn():
    lang = "en"
    # maxlen 300 with padding in front: the last 200 steps (100 ... 299) are drawn
    ids = np.arange(2 * 200).reshape(2, 200) % 50
    heat = figures.id_heatmap(ids, None, lang, first_step=100, total_steps=300)
    note = tr("fig.steps_part", lang, first=100, last=299, shown=200, total=300)
    assert "[2, 300]" in heat.layout.title.text and note in heat.layout.title.text
    assert list(heat.data[0].x[[0, -1]]) == [100, 299]
    onehot = figures.one_hot_plot(ids[1], ["x"] * 200, 50, 1, lang, first_step=100, total_steps=300)
    assert note in onehot.layout.title.text
    assert list(onehot.data[0].y[[0, -1]]) == [100, 299]
    # the whole row drawn: no note
    whole = figures.id_heatmap(ids, None, lang, first_step=0, total_steps=200)
    assert whole.layout.title.text.replace("<br>", " ") == tr("fig.ids_heatmap", lang) + " = [2, 200]"  # (wrapped for half a page: core.figures.wrap_title)
