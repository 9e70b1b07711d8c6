"""Plotly figure builders: plain data in, `go.Figure` out, every axis labelled with its unit.

Figures take `lang` so their titles and axis labels come from the translation
table; they never compute statistics themselves (that is `core.stats`).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.gates import SIGMOID_GATES
from core.i18n import tr

PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6", "#9D755D", "#BAB0AC", "#EECA3B")


TEMPLATE = "plotly_white"


def _white(fig: go.Figure) -> go.Figure:
    """The `plotly_white` template, set as plotly sets its default template: without validating it again.

    `update_layout(template="plotly_white")` validates the template's ~7 kB of settings on
    every figure (about 10 ms of CPU each, most of what a page's figures cost); the
    registered template object is valid already, so it is assigned as is.
    """
    import plotly.io as pio

    layout = fig.layout
    if not getattr(fig, "_allow_disable_validation", False):
        fig.update_layout(template=TEMPLATE)
        return fig
    layout._validate = False
    try:
        layout.template = pio.templates[TEMPLATE]
    finally:
        layout._validate = fig._validate
    return fig


TITLE_WIDTH = 255
"""The widest line of a chart's title, in pixels (`text_width`): a chart in half of the page's
column at 1024 px is 274 px wide (two columns of the 564 px main column), a phone's is 358 px;
the title starts a few pixels in. A longer title is wrapped (`wrap_title`): plotly cuts a title
at the chart's edge ("Embedding table [10, 4] (boxed: the ro", a layout audit at 1024 and 390 px)."""

WIDE_TITLE_WIDTH = 530
"""The widest title line of a chart as wide as the page's column on a desktop (`set_title_width`):
that column is 564 px at 1024 px with the sidebar open (the title starts 4 px in; measured), 900 px
and more on a common screen, which the server cannot know. At 500 px a 523 px title (the Lyrics
page's unit traces) still took two lines at 1400 px (an exploratory session). Titles
wrapped for half a column there took two or three lines in a chart three times as wide (an
exploratory session). A chart in one of two columns keeps `TITLE_WIDTH` (`title_width_for`)."""

_TITLE_WIDTH: ContextVar[float] = ContextVar("rnnlab_title_width", default=TITLE_WIDTH)
"""The width `_layout` wraps titles to, per thread: each Streamlit session runs its page in a thread
of its own, and a background thread (a job) gets the safe default."""


def set_title_width(width: float) -> None:
    """Wrap the titles of the figures this thread builds from now on to `width` px (a page's run sets
    it from the reader's screen: `ui.common.render_sidebar`)."""
    _TITLE_WIDTH.set(width)


def title_width() -> float:
    """The width titles are wrapped to in this thread (`ui.charts.cached` keys its figures by it)."""
    return _TITLE_WIDTH.get()


@contextmanager
def title_width_for(width: float) -> Iterator[None]:
    """Figures built inside are wrapped to `width` px: ``with title_width_for(TITLE_WIDTH):`` around the
    figures of two charts side by side."""
    token = _TITLE_WIDTH.set(width)
    try:
        yield
    finally:
        _TITLE_WIDTH.reset(token)


TITLE_FONT = 16  # px: the title's size in Streamlit's plotly theme

AXIS_TITLE_FONT = 14  # px: an axis title's size in Streamlit's plotly theme
AXIS_TITLE_WIDTH = 250
"""The longest axis title, in pixels (`text_width` at `AXIS_TITLE_FONT`): the plot of a full-width
chart on a 390 px phone is 250-262 px (measured), and plotly neither wraps an axis title nor keeps
it inside the chart ("Characters of the text read (the models tokenise differently; aligned by
character)", 546 px, was cut at both edges). A y title has at most its plot's height. Detail goes to
the chart's title, its hover or the page's caption; the unit stays in the axis title."""
TITLE_LINE = 22  # px of top margin per title line after the first


def _wide(char: str, ambiguous: bool = False) -> bool:
    """A character drawn about one em wide: CJK and full-width punctuation (and, with
    `ambiguous`, the symbols East Asian fonts draw wide, such as the line-break mark ↵)."""
    return unicodedata.east_asian_width(char) in (("W", "F", "A") if ambiguous else ("W", "F"))


def text_width(text: str, size: float = TITLE_FONT, ambiguous: bool = False) -> float:
    """The width in pixels of one line of plain `text` in a `size` px sans-serif, estimated:
    a CJK character is one em, any other about half of one (Source Sans's average: the audit's
    English titles measured 6.9-7.5 px a character at 16 px, Chinese 16 px)."""
    return sum(size if _wide(c, ambiguous) else 0.47 * size for c in text)


_OPENING, _CLOSING = set("（「『《【([{"), set("）」』》】)]}")
_NO_LINE_START = _CLOSING | set("，。、；：？！,.;:?!%")
_NO_LINE_END = _OPENING | {"="}  # ("= [2, 200]" starts a line, not "=" ending one)
_GOOD_BREAK_AFTER = set("：，、；:;,")


def _greedy_lines(text: str, width: float, size: float, aim: float | None = None) -> list[str]:
    """`text` cut into lines of at most `width` px where it can be: at a space, or between two
    CJK characters, never before closing or after opening punctuation. A line ends at the last
    break within `aim` px (default `width`), or later, up to `width`, after a colon or a comma
    outside brackets or before an opening bracket (taken when it leaves the line half of `aim`)."""
    aim = min(aim or width, width)
    lines, start = [], 0
    while text_width(text[start:], size) > width:
        near = far = good = None  # the last break within `aim`, within `width`, and the last good one
        for i in range(start + 1, len(text)):
            before = text[start:i].rstrip()
            used = text_width(before, size)
            if used > width:
                break
            prev, char = text[i - 1], text[i]
            if not (char == " " or prev == " " or _wide(prev) or _wide(char)):
                continue
            after = text[i:].lstrip()[:1]
            if not before or not after or after in _NO_LINE_START or before[-1] in _NO_LINE_END:
                continue
            far = i
            if used <= aim:
                near = i
            inside = sum(c in _OPENING for c in before) > sum(c in _CLOSING for c in before)  # brackets
            if ((before[-1] in _GOOD_BREAK_AFTER and not inside) or after in _OPENING) and used >= aim / 2:
                good = i
        cut = good or near or far
        if cut is None:  # one word longer than the line: left whole
            break
        lines.append(text[start:cut].rstrip())
        start = cut
        while start < len(text) and text[start] == " ":
            start += 1
    lines.append(text[start:])
    return [line for line in lines if line]


def _wrap_line(text: str, width: float, size: float) -> list[str]:
    """`text` (one line, no markup) in as few lines of at most `width` px as `_greedy_lines`
    makes, of even lengths where it can (no "the row of each / id")."""
    lines = _greedy_lines(text, width, size)
    if len(lines) < 2:
        return lines
    aim = text_width(text, size) / len(lines)
    while aim < width:
        even = _greedy_lines(text, width, size, aim)
        if len(even) <= len(lines):
            return even
        aim += size / 2
    return lines


_MARKUP = re.compile(r"</?(b|i|em|s|u|sup|sub|span|a)\b", re.IGNORECASE)
"""The tags plotly draws as style in a title; any other, such as "<unk>", it shows as text."""


def wrap_title(title: str, width: float = TITLE_WIDTH) -> str:
    """`title` with ``<br>`` where a line would be wider than `width` px (`text_width`); its own
    ``<br>`` are kept, and a line in ``<sup>`` (a note, at 70% of the size) is wrapped in it."""
    out = []
    for line in title.split("<br>"):
        if line.startswith("<sup>") and line.endswith("</sup>") and line.count("<") == 2:
            out += [f"<sup>{part}</sup>" for part in _wrap_line(line[5:-6], width, 0.7 * TITLE_FONT)]
        elif _MARKUP.search(line):  # other markup of plotly's: left as it is
            out.append(line)
        else:
            out += _wrap_line(line, width, TITLE_FONT)
    return "<br>".join(out)


def _layout(fig: go.Figure, title: str, x: str, y: str, height: int = 360) -> go.Figure:
    """Title (wrapped to `title_width()`, the top margin growing with its lines), axis titles, height."""
    title = wrap_title(title, title_width())
    top = 50 + TITLE_LINE * title.count("<br>")
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y, height=height + top - 50, margin=dict(l=60, r=20, t=top, b=50))
    return _white(fig)


def _vline(x: float, line: dict, text: str | None = None, position: str = "top") -> tuple[dict, dict | None]:
    """What `fig.add_vline(x, line_..., annotation_text=text, annotation_position=position)` adds, as plain
    layout dicts (a shape and its label), so several lines are set in one layout update."""
    shape = dict(type="line", xref="x", yref="y domain", x0=x, x1=x, y0=0, y1=1, line=line)
    if text is None:
        return shape, None
    anchor = {"top": ("center", "bottom"), "top right": ("left", "top")}[position]
    return shape, dict(showarrow=False, text=text, x=x, xref="x", y=1, yref="y domain", xanchor=anchor[0], yanchor=anchor[1])


def length_histogram(lengths: np.ndarray, percentiles: dict[str, float], maxlen: int | None, lang: str) -> go.Figure:
    """Histogram of text lengths in tokens, with the 50/95/99th percentiles and `maxlen` marked.

    Each line's label sits on a row of its own, from the top down in the order of the lines
    along x, just right of its line: percentiles of a skewed corpus lie close together
    (p50 = 46, p95 = 190, p99 = 350 on an axis to 3,000), where labels on one row overlapped.

    A long tail (the Chinese reviews: p99 = 350, the longest 2,900) squeezed nearly every text into
    the first few bars: the axis stops a little past p99 and `maxlen`, at `_tail_cut`, and the
    title says how many texts lie beyond and how long the longest is. A short corpus's axis counts
    whole tokens (a small upload's ticks read "12.5").
    """
    lengths = np.asarray(lengths)
    cut = _tail_cut(lengths, percentiles, maxlen)
    beyond = int((lengths > cut).sum()) if cut is not None else 0
    shown = lengths[lengths <= cut] if beyond else lengths
    fig = go.Figure(
        go.Histogram(
            x=shown, nbinsx=80, marker_color=PALETTE[0], name=tr("fig.texts_y", lang),
            hovertemplate=f"{tr('fig.length_x', lang)}: %{{x}}<br>{tr('fig.texts_y', lang)}: %{{y:,}}<extra></extra>",  # (a bare "(9, 556)" before)
        )
    )
    marks = []  # (x, colour, width, dash, label)
    for key, colour in (("p50", PALETTE[2]), ("p95", PALETTE[5]), ("p99", PALETTE[3])):
        value = percentiles.get(key)
        if value:
            # as the table beside it writes it: 349.5 was labelled "p99 = 350"
            marks.append((value, colour, 1, "dot", f"{key} = {value:,.0f}" if float(value).is_integer() else f"{key} = {value:,.1f}"))
    if maxlen:
        marks.append((maxlen, PALETTE[1], 2, "solid", tr("fig.maxlen", lang, maxlen=maxlen)))
    marks.sort(key=lambda mark: mark[0])
    shapes, labels = [], []
    for row, (x, colour, width, dash, text) in enumerate(marks):
        shape, _ = _vline(x, dict(color=colour, width=width, dash=dash))
        shapes.append(shape)
        labels.append(
            dict(
                showarrow=False, text=text, x=x, xref="x", y=1 - LABEL_ROW * row, yref="y domain", xanchor="left", yanchor="top",
                xshift=3, font=dict(color=colour, size=12), bgcolor="rgba(255,255,255,0.85)",
            )
        )
    if marks:
        fig.update_layout(shapes=shapes, annotations=labels)
    if len(lengths) and lengths.max() <= 20:
        fig.update_xaxes(tick0=0, dtick=1)
    title = tr("fig.length_hist", lang)
    if beyond:
        title += "<br><sup>" + tr("fig.length_beyond", lang, n=beyond, cut=int(cut), longest=int(lengths.max())) + "</sup>"
    return _layout(fig, title, tr("fig.length_x", lang), tr("fig.texts_y", lang))


def _tail_cut(lengths: np.ndarray, percentiles: dict[str, float], maxlen: int | None) -> float | None:
    """Where `length_histogram`'s axis stops: 1.5 x the larger of p99 and maxlen, when the longest
    text is more than twice that far (None: the whole range is shown)."""
    if not len(lengths):
        return None
    reach = max(float(percentiles.get("p99") or np.percentile(lengths, 99)), float(maxlen or 0))
    cut = 1.5 * reach
    return cut if reach > 0 and lengths.max() > 2 * cut else None


LABEL_ROW = 0.08
"""The height of one row of line labels in `length_histogram`, as a share of the plot's height."""


def zipf_plot(table: pd.DataFrame, lang: str) -> go.Figure:
    """Rank against count on log-log axes (a straight line is Zipf's law)."""
    fig = go.Figure(go.Scatter(x=table["rank"], y=table["count"], mode="lines+markers", marker=dict(size=4, color=PALETTE[0])))
    fig.update_xaxes(type="log")
    fig.update_yaxes(type="log")
    return _layout(fig, tr("fig.zipf", lang), tr("fig.rank_x", lang), tr("fig.count_y", lang))


def unknown_share_plot(curve: pd.DataFrame, chosen_size: int, chosen_share: float, lang: str) -> go.Figure:
    """Share of tokens that become <unk> against vocabulary size, the chosen size marked."""
    fig = go.Figure(
        go.Scatter(
            x=curve["vocab_size"], y=curve["unknown_share"], mode="lines", line=dict(color=PALETTE[0]),
            # (what the size counts, here: the axis title says it in few words)
            hovertemplate=f"{tr('fig.vocab_hover', lang)}: %{{x:,}}<br>{tr('fig.unknown_y', lang)}: %{{y:.1%}}<extra></extra>",
        )
    )
    sizes = [float(v) for v in curve["vocab_size"] if v and v > 0] or [float(chosen_size or 1)]
    # the label on the side with room: the chosen size is often the whole vocabulary, at the right edge,
    # where a label to its right was cut to "Current: 2"
    right_half = chosen_size >= math.sqrt(min(sizes) * max(sizes))  # the middle of a log axis
    fig.add_trace(
        go.Scatter(
            x=[chosen_size],
            y=[chosen_share],
            mode="markers+text",
            marker=dict(size=11, color=PALETTE[1]),
            text=[tr("fig.chosen", lang, size=chosen_size)],
            textposition="top left" if right_half else "top right",
            cliponaxis=False,
        )
    )
    fig.update_xaxes(type="log")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_layout(showlegend=False)
    return _layout(fig, tr("fig.unknown", lang), tr("fig.vocab_x", lang), tr("fig.unknown_y", lang))


def whole_ticks(count: int, most: int = 10) -> dict:
    """Axis settings for an axis of whole numbers (rows, steps, ids) spanning `count` values: a tick
    every 1, 2, 5, 10, 20, 50, ... so that at most about `most` are drawn, never at a half (plotly's
    own ticks on a 2-row heatmap were -0.5, 0, 0.5, 1, 1.5)."""
    step = 1
    while count / step > most:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2  # 1, 2, 5, 10, 20, 50, ...
    return dict(tickmode="linear", tick0=0, dtick=step, tickformat="d")


def _part_note(first: int, shown: int, total: int | None, lang: str) -> str:
    """The note a batch chart adds to its title when it draws only part of each row."""
    if total is None or shown >= total:
        return ""
    return "<br><sup>" + tr("fig.steps_part", lang, first=first, last=first + shown - 1, shown=shown, total=total) + "</sup>"


def id_heatmap(ids: np.ndarray, hover_tokens: list[list[str]] | None, lang: str, first_step: int = 0, total_steps: int | None = None) -> go.Figure:
    """A `[batch, steps]` id matrix as a heatmap; hovering shows the token.

    `ids` may be a window of a longer batch: its columns are the steps `first_step`,
    `first_step + 1`, ... of rows `total_steps` long; the title then gives the batch's real
    shape `[batch, total_steps]` and says which steps are drawn.
    """
    rows, shown = ids.shape
    total = total_steps if total_steps is not None else shown
    fig = go.Figure(
        go.Heatmap(
            z=ids,
            x=np.arange(first_step, first_step + shown),
            y=np.arange(rows),
            text=hover_tokens,
            hovertemplate=f"{tr('col.row', lang)} %{{y}}, {tr('col.step', lang)} %{{x}}<br>id %{{z}}<br>%{{text}}<extra></extra>",
            colorscale="Viridis",
            colorbar=dict(title=tr("fig.id_colour", lang)),
        )
    )
    fig.update_xaxes(**whole_ticks(shown, 12))
    fig.update_yaxes(autorange="reversed", **whole_ticks(rows, 8))
    title = tr("fig.ids_heatmap", lang) + f" = [{rows}, {total}]" + _part_note(first_step, shown, total, lang)
    return _layout(fig, title, tr("fig.step_x", lang), tr("fig.batch_row_y", lang), height=320)


def one_hot_plot(row_ids: np.ndarray, tokens: list[str], vocab_size: int, row: int, lang: str, first_step: int = 0, total_steps: int | None = None) -> go.Figure:
    """One row of a batch as its one-hot `[steps, vocab]` matrix, drawn as one dot per 1 over the full vocabulary width.

    As in `id_heatmap`, `row_ids` may be the steps `first_step`, ... of a row `total_steps` long.
    """
    shown = len(row_ids)
    steps = np.arange(first_step, first_step + shown)
    fig = go.Figure(
        go.Scatter(
            x=row_ids,
            y=steps,
            mode="markers",
            marker=dict(size=7, color=PALETTE[3], symbol="square"),
            text=tokens,
            hovertemplate=f"{tr('col.step', lang)} %{{y}} → id %{{x}} (%{{text}})<extra></extra>",
        )
    )
    fig.update_xaxes(range=[-0.5, vocab_size - 0.5], **whole_ticks(vocab_size, 10))
    fig.update_yaxes(autorange="reversed", **whole_ticks(shown, 8))
    total = total_steps if total_steps is not None else shown
    title = tr("fig.onehot", lang, row=row) + _part_note(first_step, shown, total, lang)
    return _layout(fig, title, tr("fig.vocab_id_x", lang, v=vocab_size - 1), tr("fig.step_x", lang), height=340)


SAMPLER_LANES = 0.6
"""The share of a row's height the batches' lanes take (`sampler_plot`): batch b of n is drawn at
row + (b - (n - 1) / 2) x SAMPLER_LANES / n, so that batches reading next to one another stay apart."""


def sampler_plot(layout: pd.DataFrame, name: str, lang: str, corpus_length: int | None = None) -> go.Figure:
    """Which corpus positions each batch row reads: a thick segment per (batch, row), coloured by batch.

    A segment of a few steps is a sliver on a corpus of 60,000 positions, so each one
    also gets a marker at its start to stay visible at full zoom-out. Each batch has a lane of
    its own within the row: consecutive sampling's batches read one after another, and at the
    corpus's scale the last one was drawn over the others (an exploratory session saw only batch 2).
    With `corpus_length` the x axis spans the whole corpus, the same for both samplers (each
    spanned only the positions its batches read: 50k for random sampling beside 30k for
    consecutive on the same 63k characters).
    """
    fig = go.Figure()
    batches = sorted(layout["batch"].unique())
    lane = SAMPLER_LANES / max(len(batches), 1)
    for b, part in layout.groupby("batch"):
        offset = (batches.index(b) - (len(batches) - 1) / 2) * lane
        xs, ys = [], []
        for start, end, row in zip(part["start"], part["end"], part["row"]):
            xs += [start, end, None]
            ys += [row + offset, row + offset, None]
        colour = PALETTE[int(b) % len(PALETTE)]
        label = tr("fig.batch_legend", lang, b=int(b))
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(width=8, color=colour), name=label, legendgroup=label, hoverinfo="skip"))
        fig.add_trace(
            go.Scatter(
                x=part["start"],
                y=part["row"] + offset,
                customdata=np.column_stack([part["end"], part["row"]]),
                mode="markers",
                marker=dict(size=10, color=colour, symbol="line-ns-open", line=dict(width=3, color=colour)),
                legendgroup=label,
                showlegend=False,
                hovertemplate=f"{label}, {tr('col.row', lang)} %{{customdata[1]}}: %{{x}} … %{{customdata[0]}}<extra></extra>",
            )
        )
    fig.update_layout(legend=dict(orientation="h", y=-0.3, yanchor="top"))
    rows = sorted(layout["row"].unique())
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=rows, ticktext=[str(r) for r in rows])
    if corpus_length:
        fig.update_xaxes(range=[-0.01 * corpus_length, 1.01 * corpus_length])
    return _layout(fig, tr("fig.sampler", lang, name=name), tr("fig.corpus_pos_x", lang), tr("fig.batch_row_y", lang), height=320)


CELL_LABELS = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


def cell_name(cell: str | None, bidirectional: bool = False) -> str:
    """A model's cell as pickers and tables name it: "BiLSTM" for a bidirectional LSTM; an unknown
    cell by its id, "?" when there is none."""
    return ("Bi" if bidirectional else "") + CELL_LABELS.get(cell, cell or "?")


def gradient_flow_plot(table: pd.DataFrame, lang: str) -> go.Figure:
    """One line per cell: gradient norm relative to the last step against distance from the loss, log y.

    `table` is `core.inspect.gradient_flow_table` (columns cell, distance_from_loss,
    grad_norm, relative). Zero values (underflow) have no place on a log axis and
    are left as gaps.
    """
    fig = go.Figure()
    for index, (cell, part) in enumerate(table.groupby("cell", sort=False)):
        part = part.sort_values("distance_from_loss")
        relative = part["relative"].where(part["relative"] > 0)
        fig.add_trace(
            go.Scatter(
                x=part["distance_from_loss"],
                y=relative,
                customdata=part["grad_norm"],
                mode="lines+markers",
                marker=dict(size=4),
                line=dict(color=PALETTE[index % len(PALETTE)]),
                name=CELL_LABELS.get(cell, str(cell)),
                # (what distance 0 is, here: the axis title says it in few words)
                hovertemplate=tr("fig.grad_distance_hover", lang, steps="%{x}") + ": %{y:.2e} (‖∂L/∂h‖ = %{customdata:.2e})<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_yaxes(type="log", exponentformat="power")
    # the cells' names in a row below the plot: beside it they left the plot 150 of a phone's 358 px
    fig.update_layout(legend=dict(orientation="h", y=-0.3, yanchor="top"))
    return _layout(fig, tr("fig.grad_flow", lang), tr("fig.grad_distance_x", lang), tr("fig.grad_relative_y", lang), height=360 + LEGEND_ROW)


def training_curves(histories: dict[str, pd.DataFrame], metric: str, lang: str) -> tuple[go.Figure, go.Figure]:
    """Loss, and the headline metric, per epoch for one or more runs: train solid, validation
    dashed; two charts of the same height, for two columns of the page (`pages/training.py`'s
    `show_curves`).

    `histories` maps a label to `core.runs.history_frame`. Perplexity is drawn on a log axis.
    Two charts, not one of two panels: Streamlit puts columns one below the other on a phone,
    where each panel of the one chart had been 113 px wide."""
    return _curve_chart(histories, "loss", lang), _curve_chart(histories, metric, lang)


MARKED_EPOCHS = 60
"""A training curve marks each epoch up to this many epochs; a longer run is drawn as lines alone."""


def _curve_chart(histories: dict[str, pd.DataFrame], key: str, lang: str) -> go.Figure:
    fig = go.Figure()
    for index, (label, frame) in enumerate(histories.items()):
        if frame.empty:
            continue
        colour = PALETTE[index % len(PALETTE)]
        # training and validation differ by the marker too: after one epoch each is a lone point,
        # and two dots of one colour could not be told apart by their lines' dashes. A long run's
        # markers, one an epoch, ran together into a thick band that hid a short run beside it (an
        # exploratory tester, 400 epochs): past MARKED_EPOCHS, lines alone (their dashes tell them apart)
        marked = len(frame) <= MARKED_EPOCHS
        for prefix, dash, symbol, part in (("", "solid", "circle", tr("fig.train", lang)), ("val_", "dash", "diamond-open", tr("fig.validation", lang))):
            if prefix + key in frame:
                fig.add_trace(go.Scatter(
                    x=frame["epoch"], y=frame[prefix + key], mode="lines+markers" if marked else "lines", line=dict(color=colour, dash=dash),
                    marker=dict(symbol=symbol, size=9, line=dict(width=2, color=colour)), name=f"{label} · {part}", legendgroup=label,
                ))
        # the epoch whose weights the run keeps (the lowest validation loss: the test accuracy and the
        # playgrounds use them), starred on its validation curve: a T4 run's best epoch was its 4th of
        # 250 and nothing on the chart said so (a practitioner)
        best = _best_epoch_row(frame)
        if best is not None and f"val_{key}" in frame:
            fig.add_trace(go.Scatter(
                x=[frame["epoch"].iloc[best]], y=[frame[f"val_{key}"].iloc[best]], mode="markers", legendgroup=label, showlegend=index == 0,
                marker=dict(symbol="star", size=15, color=colour, line=dict(width=1, color="#222")), name=tr("fig.best_epoch", lang),
                hovertemplate=f"{label} · " + tr("fig.best_epoch_hover", lang, epoch=int(frame["epoch"].iloc[best])) + "<extra></extra>",
            ))
    fig.update_xaxes(dtick=1 if max((len(f) for f in histories.values()), default=0) <= 20 else None)
    if key == "perplexity":  # a log axis labelled 100, 200, 500, 1,000 (Plotly's own labels the 2 of 200 "2")
        _labelled_log_axis(fig, [v for frame in histories.values() for name in ("perplexity", "val_perplexity") if name in frame for v in frame[name]])
    elif key != "loss":
        values = [float(v) for frame in histories.values() for name in (key, f"val_{key}") if name in frame for v in frame[name] if v is not None and math.isfinite(float(v))]
        span = (max(values) - min(values)) if values else 1.0
        # whole percents repeat on a narrow range ("57%, 57%, 56%, 56%"): a decimal then, two on a very narrow one
        fig.update_yaxes(tickformat=".0%" if span >= 0.05 else ".1%" if span >= 0.005 else ".2%")
    # the legend below the axis's title, growing downwards (one row per run and part on a narrow
    # page: anchored by its bottom, as Plotly anchors a legend below the plot, it grew up over it)
    runs = sum(not frame.empty for frame in histories.values())
    if not fig.data:  # no run has this curve: a word, not empty -100%..400% axes (runs not trained yet, or all of another task)
        fig.add_annotation(text=tr("fig.no_curve", lang), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font=dict(size=14, color="#666"))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    fig.update_layout(legend=dict(orientation="h", y=-0.25, yanchor="top"))
    title, y_title = (tr("fig.curve_loss", lang), tr("fig.loss_y", lang)) if key == "loss" else (tr(f"fig.curve_{key}", lang), tr(f"fig.curve_{key}", lang))
    return _layout(fig, title, tr("fig.epoch_x", lang), y_title, height=340 + 45 * max(runs, 1))


def _best_epoch_row(frame: pd.DataFrame) -> int | None:
    """The row of the epoch with the lowest validation loss (the first of equals, as the run keeps
    it), or None without one."""
    if "val_loss" not in frame:
        return None
    losses = pd.to_numeric(frame["val_loss"], errors="coerce").reset_index(drop=True)
    losses = losses[np.isfinite(losses)]
    return None if losses.empty else int(losses.idxmin())


def log_ticks(values) -> list[float]:
    """Tick values for a log axis over `values`: 1, 2 and 5 times each power of ten from the one
    below the smallest to the one above the largest (1, 2, 5, 10, 20, 50, ...), or only the powers
    of ten when that would be more than a dozen ticks, or every whole multiple (1-9) when the
    values span too little for two of those (400-700 showed one label, 500), or evenly spaced
    round values when they span too little even for that (a 2-epoch run's perplexities, 584-589,
    had no label at all), or the one value when all are equal; [] without a finite positive value."""
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v)) and float(v) > 0]
    if not finite:
        return []
    smallest, largest = min(finite), max(finite)
    if largest == smallest:
        return [smallest]
    low, high = math.floor(math.log10(smallest)), math.ceil(math.log10(largest))
    ticks = [m * 10.0**e for e in range(low, high + 1) for m in (1, 2, 5)]
    ticks = [v for v in ticks if 10.0**low <= v <= 10.0**high]
    inside = lambda ticks: sum(smallest <= v <= largest for v in ticks)  # noqa: E731
    if len(ticks) > 12:
        ticks = [10.0**e for e in range(low, high + 1)]
    elif inside(ticks) < 2:
        ticks = [m * 10.0**e for e in range(low, high + 1) for m in range(1, 10) if m * 10.0**e <= 10.0**high]
        if inside(ticks) < 2:  # a narrow range: a round step giving 3-6 ticks across it
            step = next(m * 10.0**e for e in range(math.floor(math.log10(largest - smallest)) - 1, high + 1) for m in (1, 2, 5) if (largest - smallest) / (m * 10.0**e) <= 5)
            first = math.floor(smallest / step) * step
            ticks = [round(first + i * step, 12) for i in range(int((largest - first) / step) + 2)]
    return ticks


def _labelled_log_axis(fig: go.Figure, values, **otherwise) -> None:
    """A log y axis labelled at `log_ticks(values)` as plain numbers (1,000; 0.05); with no positive
    value, plotly's own ticks with the `otherwise` settings."""
    ticks = log_ticks(values)
    fig.update_yaxes(type="log", **({"tickvals": ticks, "ticktext": [f"{v:,g}" for v in ticks]} if ticks else otherwise))


SPARSE_POINTS = 50
"""A curve of fewer points than this is drawn with markers too: a short run logs a few batches,
and a line of one point is invisible (an empty chart, seen after a 1-epoch run of 300 texts)."""


def _line_mode(n_points: int) -> str:
    return "lines+markers" if n_points < SPARSE_POINTS else "lines"


def window_means(batches: pd.DataFrame) -> np.ndarray:
    """The mean loss of the batches logged since the previous row, from the rows' `loss`, which is
    the mean of the epoch so far (Keras's running mean, what its progress bar shows): at batch
    b after batch a of the same epoch, (m_b * b - m_a * a) / (b - a). The first row of an epoch,
    or of an epoch begun again after a resume (its batch number goes back), is its own mean. Exact
    for batches of one size; the epoch's smaller last batch weighs a little less in Keras's mean."""
    out = np.empty(len(batches))
    before: tuple[int, int, float] | None = None  # (epoch, batch, running mean) of the previous row
    for i, (epoch, batch, mean) in enumerate(zip(batches["epoch"], batches["batch"], batches["loss"])):
        epoch, batch, mean = int(epoch), int(batch), float(mean)
        if before is not None and before[0] == epoch and before[1] < batch:
            out[i] = (mean * batch - before[2] * before[1]) / (batch - before[1])
        else:
            out[i] = mean
        before = (epoch, batch, mean)
    return out


def batch_loss_plot(batches: pd.DataFrame, lang: str) -> go.Figure:
    """Training loss every few batches (the live curve while an epoch runs): the mean of the
    batches since the previous point (`window_means`), and, dotted, Keras's running mean of the
    epoch so far, which each point used to be: it fell smoothly through an epoch and dropped
    at the next one's start, a cliff a learner read as the model suddenly learning."""
    hover = f"{tr('fig.step_batches_x', lang)}: %{{x}}<br>{tr('fig.loss_y', lang)}: %{{y:.4f}}<extra>%{{fullData.name}}</extra>"
    mode = _line_mode(len(batches))
    fig = go.Figure()
    if {"epoch", "batch"} <= set(batches.columns):
        fig.add_trace(go.Scatter(x=batches["step"], y=window_means(batches), mode=mode, line=dict(color=PALETTE[0]), name=tr("fig.batch_loss_window", lang), hovertemplate=hover))
    fig.add_trace(go.Scatter(x=batches["step"], y=batches["loss"], mode="lines", line=dict(color=PALETTE[0], dash="dot", width=1), opacity=0.6, name=tr("fig.batch_loss_running", lang), hovertemplate=hover))
    fig.update_layout(legend=dict(orientation="h", y=-0.3, yanchor="top"))
    _whole_steps(fig, batches["step"])
    return _layout(fig, tr("fig.batch_loss", lang), tr("fig.step_batches_x", lang), tr("fig.loss_y", lang), height=300 + 2 * LEGEND_ROW)


def _whole_steps(fig: go.Figure, steps) -> None:
    """An axis of training steps ticked at whole steps when there are few: plotly ticked a 4-step run
    at 2, 2.5, 3, 3.5, 4 (a step is a batch; there is no half of one). Longer runs get plotly's
    own ticks, which are whole numbers there."""
    if len(steps) and float(np.nanmax(np.asarray(steps, dtype=float))) <= 12:
        fig.update_xaxes(dtick=1)


def grad_norm_plot(batches: pd.DataFrame, theta: float | None, lang: str) -> go.Figure:
    """The global norm of the gradients before clipping, every few batches, on a log axis, with
    the clipping threshold theta as a line: above it the step was scaled down to norm theta
    (the tutorials' `grad_clipping`)."""
    frame = batches.dropna(subset=["grad_norm"])
    fig = go.Figure(
        go.Scatter(
            x=frame["step"], y=frame["grad_norm"], mode=_line_mode(len(frame)), line=dict(color=PALETTE[0]), name=tr("fig.grad_norm_trace", lang),
            hovertemplate="%{x}: %{y:.3g}<extra></extra>",
        )
    )
    if theta is not None:
        fig.add_hline(y=float(theta), line=dict(color=PALETTE[3], dash="dash"))
        # its label by hand: on a log axis an annotation's y is log10 of the value (a shape's is the value),
        # and add_hline's annotation_text put "θ = 0.01" at 10^0.01, beside the 1 (a teacher's audit, 2026-12-02)
        fig.add_annotation(x=0, xref="paper", xanchor="left", y=math.log10(float(theta)), yref="y", yanchor="bottom", showarrow=False,
                           text=tr("fig.clip_theta", lang, theta=f"{theta:g}"), font=dict(color=PALETTE[3]))
    # labelled 0.1, 0.2, 0.5, 1, 2 (log_ticks, with theta): plotly's own labels put small 9s and 8s
    # between 10⁻¹ and 1 on a range of less than two decades
    _labelled_log_axis(fig, list(frame["grad_norm"]) + ([float(theta)] if theta is not None else []), exponentformat="power")
    _whole_steps(fig, frame["step"])
    return _layout(fig, tr("fig.grad_norm", lang), tr("fig.step_batches_x", lang), tr("fig.grad_norm_y", lang), height=300)


def stepwise_plot(curves: dict[str, pd.DataFrame], lang: str, narrow: bool = False, same_tokeniser: bool = False) -> go.Figure:
    """P(positive) after each token, one line per model (`core.predict.SentimentPredictor.stepwise`).

    Models that read the same tokens share an axis of tokens read, labelled with the tokens.
    Models that tokenise the text differently (characters against jieba words, say), or that
    cut a long text differently (`same_tokeniser`: one tokeniser, another maxlen or side), are
    drawn against the characters of the text read so far (`chars_read`), so that a point of each
    curve stands above the same place in the text; the title's note says which of the two it is
    (it said "tokenise differently" of three models of one tokeniser and two maxlens).
    """
    fig = go.Figure()
    frames = list(curves.values())
    same_tokens = all(frame["token"].tolist() == frames[0]["token"].tolist() for frame in frames[1:])
    x_column = "step" if same_tokens else "chars_read"
    for index, (label, frame) in enumerate(curves.items()):
        fig.add_trace(
            go.Scatter(
                x=frame[x_column],
                y=frame["p_positive"],
                text=[_label(token) for token in frame["token"]],
                mode="lines+markers",
                line=dict(color=PALETTE[index % len(PALETTE)]),
                name=label,
                hovertemplate="%{x}: %{text} → %{y:.3f}<extra>%{fullData.name}</extra>",
            )
        )
    if frames and same_tokens:
        # every k-th token, as the Lyrics page's axes: up to 60 tokens were all labelled and ran into one smear
        fig.update_xaxes(**_token_ticks(frames[0]["step"].to_numpy(), [_label(token) for token in frames[0]["token"]], room=_wide_axis_room(narrow)))
    fig.update_layout(shapes=[dict(type="line", xref="x domain", yref="y", x0=0, x1=1, y0=0.5, y1=0.5, line=dict(color="#999", dash="dot"))])  # = add_hline(y=0.5)
    # a probability from 0 to 1, as the metric above it (0.257) and the influence chart below it (a
    # change of -0.4) write it: in per cent (0-100%) it read as another unit beside them
    fig.update_yaxes(range=[0, 1], tickformat=".1f")
    height = 340
    if len(curves) > 1:
        # the models' names below the plot, a row each (on a phone, beside it they took half of its 358 px)
        fig.update_layout(legend=dict(orientation="h", y=-0.3, yanchor="top"))
        height += LEGEND_ROW * len(curves)
    if same_tokens:
        return _layout(fig, tr("fig.stepwise", lang), tr("fig.tokens_read_x", lang), tr("fig.p_positive_y", lang), height=height)
    # why the axis is characters, in the title's note (the axis title said it, 546 px long, cut on a phone)
    title = tr("fig.stepwise", lang) + "<br><sup>" + tr("fig.chars_aligned_maxlen_note" if same_tokeniser else "fig.chars_aligned_note", lang) + "</sup>"
    return _layout(fig, title, tr("fig.chars_read_x", lang), tr("fig.p_positive_y", lang), height=height)


def importance_plot(table: pd.DataFrame, method: str, lang: str, narrow: bool = False) -> go.Figure:
    """Each token's occlusion importance as a bar: green pushes towards positive, red towards negative.

    The bars stand in reading order at the step that reads their token (`position` + 1), as in
    `stepwise_plot` above them, and the axis names every k-th token (`_token_ticks`), the same
    tokens as that chart's; hovering (tapping) a bar names its token. Every token is named, with
    its colour, in the page's coloured text (`ui.highlight.influence_html`)."""
    shown = [_label(token) for token in table["token"]]
    steps = table["position"].to_numpy() + 1
    colours = [PALETTE[2] if v >= 0 else PALETTE[3] for v in table["importance"]]
    fig = go.Figure(
        go.Bar(
            x=steps,
            y=table["importance"],
            customdata=shown,
            marker_color=colours,
            hovertemplate="%{x}: %{customdata} → %{y:+.3g}<extra></extra>",
        )
    )
    fig.update_xaxes(**_token_ticks(steps, shown, room=_wide_axis_room(narrow)))
    # a long or saturated text moves P by millionths: 5×10⁻⁵, not Plotly's SI "50μ"
    fig.update_yaxes(exponentformat="power")
    named = tr(f"sent.method_{method}", lang)  # (a title starts with a capital: "Occlusion (replaced by <unk>): ...")
    return _layout(fig, tr("fig.importance", lang, method=named[:1].upper() + named[1:]), tr("fig.token_x", lang), tr("fig.importance_y", lang), height=340)


def confusion_plot(matrix: pd.DataFrame, lang: str) -> go.Figure:
    """A 2x2 confusion matrix: rows the true label, columns the prediction, counts in the cells."""
    names = [tr("label.0", lang), tr("label.1", lang)]
    fig = go.Figure(go.Heatmap(z=matrix.values, x=names, y=names, text=matrix.values, texttemplate="%{text:,}", colorscale="Blues", showscale=False))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, tr("fig.confusion", lang), tr("fig.predicted_x", lang), tr("fig.true_y", lang), height=320)


# --------------------------------------------------------------------------- lyrics playground (core.generate)

def _axis_tokens(tokens: list[str]) -> list[str]:
    """Tokens as plotly text: whitespace made visible (`show_token`), markup escaped (`_label`):
    a typed "<b>" or the vocabulary's "<unk>" is shown as written, never read as plotly's HTML."""
    from core.generate import show_token

    return [_label(show_token(token)) for token in tokens]


def _vlines(steps: list[int], colour: str) -> list[dict]:
    """Dotted vertical lines at the given x values, as layout shapes (one call, unlike add_vline per line)."""
    return [dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, line=dict(color=colour, width=1, dash="dot")) for x in steps]


TOKEN_TICK_FONT = 11  # px
TOKEN_AXIS_ROOM = 220
"""The width in pixels a token axis's labels may take: the state heatmap's plot on a phone (390 px:
a 358 px chart less its margins, unit numbers and colour bar). Its labels are never drawn closer
than this allows, so they do not run into each other at 1024 px (a 375 px plot) or on the phone;
at 1024 px with 80 steps the old rule (every step, 9 px) drew 80 labels into 375 px, one smear."""
WIDE_TOKEN_AXIS_ROOM = 250
"""The same for a full-width chart without a colour bar (the Sentiment page's P(positive) after each
token and token importance): on a 390 px phone its plot measured 250-262 px (the chart's 358 px less
the y axis's ticks and title and the right margin), at 1024 px 456-468 px. Those charts had labelled
every token up to 60 (50 jieba words ran into one smear at 390 and at 1024 px), none beyond."""

DESKTOP_TOKEN_AXIS_ROOM = 456
"""The same charts' plot on a screen that is not a phone: 456-468 px at 1024 px, the narrowest
desktop layout measured, more on wider screens. With the phone's room everywhere, a 15-token
review had every second token labelled on a 1400 px screen (质量 and 坏 unnamed)."""


def _wide_axis_room(narrow: bool) -> float:
    return WIDE_TOKEN_AXIS_ROOM if narrow else DESKTOP_TOKEN_AXIS_ROOM


LEGEND_ROW = 24  # px: one row of a horizontal legend below the plot


def token_tick_every(shown: list[str], room: float = TOKEN_AXIS_ROOM, size: float = TOKEN_TICK_FONT) -> int:
    """Label every k-th of the tokens `shown` (plotly text, markup escaped) along an axis `room` px
    wide: the smallest k with which the widest label and a gap of half a character fit between
    two labelled ticks."""
    if not shown:
        return 1
    widest = max(text_width(html.unescape(token), size, ambiguous=True) for token in shown) + size / 2  # as drawn: "&lt;" is one "<"
    return max(1, math.ceil(len(shown) * widest / room))


def _token_ticks(steps: np.ndarray, shown: list[str], room: float = TOKEN_AXIS_ROOM) -> dict:
    """x-axis ticks labelled with the tokens at the steps that are multiples of `token_tick_every`
    (the same steps whatever window of the text is drawn); hovering a cell names any token."""
    every = token_tick_every(shown, room)
    keep = [i for i, step in enumerate(steps) if int(step) % every == 0]
    return dict(tickmode="array", tickvals=[int(steps[i]) for i in keep], ticktext=[shown[i] for i in keep], tickangle=0, tickfont=dict(size=TOKEN_TICK_FONT))


def state_heatmap(values: np.ndarray, tokens: list[str], units: list[int], quantity: str, layer: str, lang: str, marks: list[int] | None = None, offset: int = 0) -> go.Figure:
    """A recurrent layer's values over a text: x = the tokens read (step t), y = the chosen units.

    `values` [steps, units] is one quantity of `core.generate.LayerTrace` (h, c or a gate),
    possibly a window of the text starting at step `offset` (the x values are the steps in
    the whole text); `marks` are steps to outline (e.g. where a pattern was read). Sigmoid
    gates use a 0-1 scale, everything else a diverging scale centred on 0.
    """
    shown = _axis_tokens(tokens)
    steps = np.arange(offset, offset + len(tokens))
    z = np.asarray(values)[:, units].T if units else np.zeros((0, len(tokens)))
    is_gate = quantity in SIGMOID_GATES  # in [0, 1]; the tanh candidates g and n, h and c are signed
    colour = dict(colorscale="Viridis", zmin=0.0, zmax=1.0) if is_gate else dict(colorscale="RdBu_r", zmid=0.0)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=steps,
            y=[str(u) for u in units],
            customdata=np.tile(np.asarray(shown, dtype=object), (len(units), 1)) if units else None,
            # no name on the bar: the chart's title names the quantity. Above the bar the name took 100 px of a
            # phone's 358 (the plot got 190); along it, plotly drew it over the tick labels or past the chart's edge
            colorbar=dict(thickness=14),
            hovertemplate=f"%{{x}}: %{{customdata}}<br>{tr('fig.units_y', lang)}: %{{y}}<br>%{{z:.3f}}<extra></extra>",
            **colour,
        )
    )
    fig.update_layout(shapes=_vlines(marks or [], "#222"))
    fig.update_xaxes(**_token_ticks(steps, shown))
    fig.update_yaxes(type="category", autorange="reversed")
    title = tr("fig.state_heatmap", lang, quantity=tr(f"fig.quantity_{quantity}", lang), layer=layer)
    return _layout(fig, title, tr("fig.text_read_x", lang), tr("fig.units_y", lang), height=max(260, 60 + 18 * len(units)))


def unit_trace_plot(series: dict[str, np.ndarray], tokens: list[str], marks: list[int], quantity: str, lang: str) -> go.Figure:
    """A few units' values over the text, one line each, with the pattern's steps marked."""
    shown = _axis_tokens(tokens)
    steps = np.arange(len(tokens))
    fig = go.Figure()
    for index, (label, values) in enumerate(series.items()):
        fig.add_trace(
            go.Scatter(
                x=steps,
                y=values,
                customdata=shown,
                mode="lines",
                line=dict(color=PALETTE[index % len(PALETTE)]),
                name=label,
                hovertemplate="%{x}: %{customdata} → %{y:.3f}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(shapes=_vlines(marks, "#999"))
    fig.update_xaxes(**_token_ticks(steps, shown))
    fig.update_layout(legend=dict(orientation="h", y=-0.3, yanchor="top"))
    return _layout(fig, tr("fig.unit_trace", lang), tr("fig.text_read_x", lang), tr(f"fig.quantity_{quantity}", lang), height=320)


def candidates_plot(candidates: list[tuple[str, float]], chosen: str, lang: str, chosen_p: float | None = None) -> go.Figure:
    """The model's most likely next tokens at one step as bars, the chosen one highlighted. A
    token sampled from beyond them (`chosen_p`: its probability) is a last bar of its own: with
    temperature, top-k or top-p sampling it often is, and the chart had no orange bar and no word
    (a learner). The axis reaches a little above the tallest bar: five candidates at 1-2% were
    flat lines on a 0-100% axis."""
    beyond = chosen_p is not None and chosen not in [token for token, _ in candidates]
    bars = list(candidates) + ([(chosen, float(chosen_p))] if beyond else [])
    shown = _axis_tokens([token for token, _ in bars])
    colours = [PALETTE[1] if token == chosen else PALETTE[0] for token, _ in bars]
    # each bar's value written on it: a token picked at 0.1% beside a candidate at 41% is a bar too low to see
    fig = go.Figure(go.Bar(x=shown, y=[p for _, p in bars], marker_color=colours, text=[f"{p:.1%}" for _, p in bars], textposition="outside",
                           textfont=dict(color=colours), cliponaxis=False, hovertemplate="%{x}: %{y:.3f}<extra></extra>"))
    top = max((p for _, p in bars), default=1.0)
    fig.update_yaxes(range=[0, min(1.0, max(0.05, top * 1.25))], tickformat=".0%" if top >= 0.1 else ".1%")
    title = tr("fig.candidates_beyond" if beyond else "fig.candidates", lang, n=len(candidates))
    return _layout(fig, title, tr("fig.token_x", lang), tr("fig.probability_y", lang), height=280)


# --------------------------------------------------------------------------- embeddings


def _label(word: str) -> str:
    """A word as plotly text: HTML-like markup escaped, so a word is shown, never interpreted."""
    return html.escape(str(word), quote=False)


MAP_PLOT = (400.0, 410.0)
"""The plot area in pixels a word map's labels are placed for (`place_labels`): the 2-D map at
full width of the page's column at 1024 px (564 px wide, a 402 x 457 px plot as Chromium draws
it, 402 x 419 px with a legend below). Wider screens leave more room between the labels (1280
px: 536 px). A phone's map has a layout of its own (`NARROW_MAP_PLOT`)."""
NARROW_MAP_PLOT = (270.0, 430.0)
"""The plot area a word map's labels are placed for on a phone (`embedding_scatter(narrow=True)`):
a 390 px screen's chart with the colour bar below the plot instead of beside it (beside it, it
took 150 of the chart's 340 px and left a 189 px plot, where 20 pairs of labels overlapped)."""
MAP_LABEL_FONT, ASKED_LABEL_FONT = 10, 12  # px: the labels of the frequent words, and of the words asked for (searched, neighbours, listed)
LABEL_POSITIONS = ("top center", "bottom center", "middle right", "middle left")
MAP_MARKER, LISTED_MARKER, NEAR_MARKER, STAR_MARKER = 5, 8, 9, 14  # px: the points of a word, a listed word, a neighbour, the searched word


def label_extent(label: str, size: float = MAP_LABEL_FONT) -> tuple[float, float]:
    """A label's width and height in pixels, a pixel apart on each side (Chromium's box of a
    10 px label is 11-12 px high)."""
    return text_width(label, size, ambiguous=True) + 2, size * 1.3


def _label_box(x: float, y: float, width: float, height: float, position: str, marker: float = MAP_MARKER) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top; pixels, y up) that plotly gives a label at `position` of
    a point drawn `marker` px wide: the label starts 2 px past the marker's edge (measured in
    Chromium: 4.6 px from the centre of a 5 px point)."""
    gap = marker / 2 + 2
    vertical, horizontal = position.split()
    if vertical == "top":
        bottom = y + gap
    elif vertical == "bottom":
        bottom = y - gap - height
    else:
        bottom = y - height / 2
    if horizontal == "center":
        left = x - width / 2
    elif horizontal == "right":
        left = x + gap
    else:
        left = x - gap - width
    return left, bottom, left + width, bottom + height


def place_labels(x: np.ndarray, y: np.ndarray, labels: list[str], order: list[int], always: int = 0, markers: dict[int, float] | None = None, plot: tuple[float, float] = MAP_PLOT, size: float = MAP_LABEL_FONT) -> dict[int, str]:
    """Where to write the labels of a scatter's points so that no two overlap: the points
    `order` (most important first; ``labels[i]`` the text of point i) each take the first of
    `LABEL_POSITIONS` whose box meets no label placed before, on a plot of `plot` pixels over
    the points' range; a label that fits nowhere is left out (hover still names its point),
    except the first `always` of `order` (words the user asked for), which take the position
    where they overlap least. `markers` {point: px} are points drawn larger than `MAP_MARKER`
    (the asked words): their labels stand further off, in `ASKED_LABEL_FONT`, and no label
    covers them. Returns {point: position}. Frequent words sit together near the
    middle of a PCA map, and their forty labels, all above their points, ran into one another."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if not len(xs):
        return {}

    def pixels(values: np.ndarray, room: float) -> np.ndarray:
        low, high = float(values.min()), float(values.max())
        return (values - low) / ((high - low) or 1.0) * room

    px, py = pixels(xs, plot[0]), pixels(ys, plot[1])
    markers = markers or {}
    placed = [(px[i] - m / 2, py[i] - m / 2, px[i] + m / 2, py[i] + m / 2) for i, m in markers.items()]  # the large points themselves
    positions: dict[int, str] = {}

    def overlap(box: tuple[float, float, float, float]) -> float:
        return sum(max(0.0, min(box[2], b[2]) - max(box[0], b[0])) * max(0.0, min(box[3], b[3]) - max(box[1], b[1])) for b in placed)

    for rank, i in enumerate(order):
        extent = label_extent(labels[i], ASKED_LABEL_FONT if i in markers else size)
        boxes = {position: _label_box(px[i], py[i], *extent, position, markers.get(i, MAP_MARKER)) for position in LABEL_POSITIONS}
        areas = {position: overlap(box) for position, box in boxes.items()}
        best = min(LABEL_POSITIONS, key=lambda position: areas[position])  # the first free one, if any
        if areas[best] == 0.0 or rank < always:
            placed.append(boxes[best])
            positions[i] = best
    return positions


def embedding_table_plot(table: np.ndarray, row_labels: list[str], looked_up: list[int], lang: str) -> go.Figure:
    """The Embedding layer's table [N_vocab, n] as a heatmap; the rows the ids look up are boxed.

    The values written in the cells have no font size of their own: plotly fits them to the
    cells (a fixed 10 px ran them into each other in narrow cells)."""
    labels = [f"{i}: {_label(w)}" for i, w in enumerate(row_labels)]
    fig = go.Figure(go.Heatmap(z=table, y=labels, x=[f"{j}" for j in range(table.shape[1])], colorscale="RdBu", zmid=0, hovertemplate="%{y}, %{x}: %{z:.4f}<extra></extra>", texttemplate="%{z:.3f}", colorbar=dict(thickness=14)))
    boxes = [dict(type="rect", x0=-0.5, x1=table.shape[1] - 0.5, y0=i - 0.5, y1=i + 0.5, line=dict(color=PALETTE[1], width=3)) for i in sorted(set(looked_up))]
    if boxes:
        fig.update_layout(shapes=boxes)
    fig.update_yaxes(autorange="reversed", type="category")
    return _layout(fig, tr("fig.emb_table", lang, rows=table.shape[0], cols=table.shape[1]), tr("fig.emb_dim_x", lang), tr("fig.emb_id_y", lang), height=max(260, 26 * table.shape[0] + 90))


def embedding_output_plot(rows: np.ndarray, ids: list[int], row_labels: list[str], lang: str) -> go.Figure:
    """The layer's output for a sequence of ids: one row of the table per id, [len(ids), n]."""
    labels = [f"t={t} · id {i} ({_label(row_labels[i])})" for t, i in enumerate(ids)]
    fig = go.Figure(go.Heatmap(z=rows, y=labels, x=[f"{j}" for j in range(rows.shape[1])], colorscale="RdBu", zmid=0, hovertemplate="%{y}, %{x}: %{z:.4f}<extra></extra>", texttemplate="%{z:.3f}", colorbar=dict(thickness=14)))
    fig.update_yaxes(autorange="reversed", type="category")
    return _layout(fig, tr("fig.emb_output", lang, rows=rows.shape[0], cols=rows.shape[1]), tr("fig.emb_dim_x", lang), tr("fig.emb_step_y", lang), height=max(260, 26 * rows.shape[0] + 90))


def similarity_heatmap(sims: pd.DataFrame, lang: str, title: str | None = None, zmin: float = -1.0, colour_bar: bool = True) -> go.Figure:
    """A square table of similarities (cosine by default, -1..1) with the values written in.

    ``colour_bar=False`` for a chart in half of the page: at 1024 px that is 274 px, of which the
    bar took some 60 and the cells of five words had 26 px each, their values a few pixels high;
    the values written in the cells say what it would."""
    labels = [_label(w) for w in sims.index]
    fig = go.Figure(
        go.Heatmap(
            z=sims.to_numpy(), x=labels, y=labels, zmin=zmin, zmax=1.0, colorscale="RdBu", zmid=0 if zmin < 0 else None,
            texttemplate="%{z:.2f}", hovertemplate="%{y} · %{x}: %{z:.3f}<extra></extra>", showscale=colour_bar,
            colorbar=dict(thickness=14),  # (unnamed: the title says cosine; a name along the bar was drawn over its tick labels)
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    size = max(300, min(900, 40 * len(labels) + 160))
    word = tr("fig.emb_word", lang)
    return _layout(fig, title or tr("fig.emb_similarity", lang), word, word, height=size)


LEGEND_ROW = 26  # px: a horizontal legend's row under a title
THREE_D_LABELS = 20  # words named in a 3-D map besides those asked for (40 overlapped in its smaller scene)


def embedding_scatter(
    points: pd.DataFrame,
    lang: str,
    colour_by: str = "frequency",
    listed: list[str] | None = None,
    highlight: str | None = None,
    neighbour_words: list[str] | None = None,
    label_top: int = 40,
    frequency_known: bool = True,
    title: str | None = None,
    narrow: bool = False,
) -> go.Figure:
    """Words as points (columns word, x, y[, z], frequency) with labels.

    colour_by "frequency": log10 frequency (count, or 1/rank when counts are unknown);
    "list": the ``listed`` words in colour, the rest grey. ``highlight`` (a searched word)
    is a large star and its ``neighbour_words`` are marked and labelled (joined to it by
    lines in 2-D). The ``label_top`` most frequent words are labelled. ``narrow`` (a phone):
    the colour bar lies below the plot and the labels are placed for `NARROW_MAP_PLOT`.
    """
    three = "z" in points.columns
    scatter = go.Scatter3d if three else go.Scatter
    listed = [w for w in (listed or []) if w]
    neighbour_words = list(neighbour_words or [])
    fig = go.Figure()
    words = points["word"].astype(str).tolist()
    safe = [_label(w) for w in words]
    points = points.reset_index(drop=True)
    # which words are named on the map, most important first: the searched word, its neighbours,
    # the listed words, then the most frequent; in 2-D each takes a place where it overlaps no
    # label before it (`place_labels`), or is named on hover only
    first = ([highlight] if highlight else []) + neighbour_words + listed
    by_frequency = points.sort_values("frequency", ascending=False, kind="stable").index[:label_top].tolist()
    where = {w: i for i, w in enumerate(words)}
    asked = list(dict.fromkeys(where[w] for w in first if w in where))
    order = list(dict.fromkeys(asked + by_frequency))
    if three:  # labels cannot be kept apart in a scene that turns: the first THREE_D_LABELS only
        order = order[:max(len(asked), THREE_D_LABELS)]
        position = {i: "top center" for i in order}
    else:
        large = {where[w]: LISTED_MARKER for w in listed if w in where} | {where[w]: NEAR_MARKER for w in neighbour_words if w in where} | ({where[highlight]: STAR_MARKER} if highlight in where else {})
        position = place_labels(points["x"].to_numpy(), points["y"].to_numpy(), safe, order, always=len(asked), markers=large, plot=NARROW_MAP_PLOT if narrow else MAP_PLOT)
    drawn_apart = set(neighbour_words) | ({highlight} if highlight else set())  # their own traces name them
    # numpy arrays, not lists: plotly validates a list's 3,000 strings one by one (40 ms a map)
    text = np.asarray([safe[i] if i in position and words[i] not in drawn_apart else "" for i in range(len(words))], dtype=object)
    places = np.asarray([position.get(i, "top center") for i in range(len(words))], dtype=object)
    names = np.asarray(safe, dtype=object)

    def coords(frame: pd.DataFrame) -> dict:
        out = {"x": frame["x"], "y": frame["y"]}
        if three:
            out["z"] = frame["z"]
        return out

    if colour_by == "list":
        mask = points["word"].isin(listed)
        rest, chosen = points[~mask], points[mask]
        rest_at, chosen_at = rest.index.to_numpy(), chosen.index.to_numpy()
        fig.add_trace(scatter(**coords(rest), mode="markers+text", text=text[rest_at], customdata=names[rest_at], textposition=places[rest_at], textfont=dict(size=MAP_LABEL_FONT), marker=dict(size=4, color="#BBBBBB"), name=tr("fig.emb_others", lang), hovertemplate="%{customdata}<extra></extra>"))
        fig.add_trace(scatter(**coords(chosen), mode="markers+text", text=text[chosen_at], customdata=names[chosen_at], textposition=places[chosen_at], textfont=dict(size=ASKED_LABEL_FONT), marker=dict(size=LISTED_MARKER, color=PALETTE[0]), name=tr("fig.emb_listed", lang), hovertemplate="%{customdata}<extra></extra>"))
    else:
        colour = np.log10(points["frequency"].clip(lower=1e-12))
        colour_title = tr("fig.emb_log_count", lang) if frequency_known else tr("fig.emb_log_rank", lang)
        fig.add_trace(
            scatter(
                **coords(points), mode="markers+text", text=text, customdata=np.stack([safe, points["frequency"].round(6).astype(str)], axis=1),
                textposition=places, textfont=dict(size=MAP_LABEL_FONT),
                marker=dict(size=MAP_MARKER, color=colour, colorscale="Viridis", showscale=True, colorbar=_NARROW_COLOUR_BAR | dict(title=dict(text=colour_title, side="top")) if narrow else dict(title=colour_title)),
                name=tr("fig.emb_words", lang), hovertemplate="%{customdata[0]}<extra></extra>",
            )
        )
    def text_of(i: int) -> str:  # a neighbour's label where it has a place (always in 3-D)
        return safe[i] if i in position else ""

    if highlight and highlight in set(words):
        centre = points[points["word"] == highlight].iloc[0]
        near = points[points["word"].isin(neighbour_words)]
        if not three and len(near):
            fig.update_layout(shapes=[dict(type="line", x0=centre["x"], y0=centre["y"], x1=x, y1=y, line=dict(color=PALETTE[1], width=1, dash="dot")) for x, y in zip(near["x"], near["y"])])
        fig.add_trace(scatter(**coords(near), mode="markers+text", text=[text_of(i) for i in near.index], customdata=[safe[i] for i in near.index], textposition=[places[i] for i in near.index], textfont=dict(size=ASKED_LABEL_FONT), marker=dict(size=NEAR_MARKER, color=PALETTE[1]), name=tr("fig.emb_neighbours", lang), hovertemplate="%{customdata}<extra></extra>"))
        centre_frame = points[points["word"] == highlight].head(1)
        fig.add_trace(scatter(**coords(centre_frame), mode="markers+text", text=[_label(highlight)], textposition=places[centre_frame.index[0]], textfont=dict(size=ASKED_LABEL_FONT), marker=dict(size=STAR_MARKER if not three else 8, color=PALETTE[3], symbol="star" if not three else "diamond"), name=tr("fig.emb_searched", lang), hovertemplate="%{text}<extra></extra>"))
    # a legend only says something with two kinds of points or more (one entry, "words", beside a colour bar did not)
    below = 0.0 if not narrow or colour_by == "list" else _NARROW_COLOUR_BAR_ROOM  # (the list colouring has no bar)
    fig.update_layout(showlegend=len(fig.data) > 1, legend=dict(orientation="h", y=-0.12 - below, yanchor="top"))
    height = (620 if three else 560) + (_NARROW_EXTRA_HEIGHT if below else 0)
    fig = _layout(fig, title or tr("fig.emb_projection", lang), tr("fig.emb_axis", lang, n=1), tr("fig.emb_axis", lang, n=2), height=height)
    if three:
        # a scene has axes of its own (they were named x, y and z), and plotly's default camera
        # drew it in the middle third of the chart: the eye comes closer, the legend sits under
        # the title instead of below an empty band
        fig.update_layout(
            scene=dict(
                xaxis_title=tr("fig.emb_axis", lang, n=1), yaxis_title=tr("fig.emb_axis", lang, n=2), zaxis_title=tr("fig.emb_axis", lang, n=3),
                camera=dict(eye=dict(x=1.8, y=1.8, z=1.0) if narrow else dict(x=1.35, y=1.35, z=0.75)),  # (a phone's scene is tall and narrow)
            ),
            legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0, xanchor="left"),
            margin=dict(l=10, r=10, b=fig.layout.margin.b if narrow else 10, t=fig.layout.margin.t + (LEGEND_ROW if len(fig.data) > 1 else 0)),
        )
    return fig


# a phone's word map: the colour bar lies under the x axis's title, across the plot, and the
# legend under it; the chart is taller by what they take
_NARROW_COLOUR_BAR = dict(orientation="h", x=0.5, xanchor="center", y=-0.16, yanchor="top", thickness=10, len=1.0)
_NARROW_COLOUR_BAR_ROOM = 0.25
_NARROW_EXTRA_HEIGHT = 110


def times_text(ratio: float) -> str:
    """How many times one gradient is another, as the caption says it: 1,234 up to a million, then
    1.7 × 10⁹⁸ (256 units over 200 steps with the tutorial's initialisation printed 97 digits)."""
    if ratio < 1e6:
        return f"{ratio:,.0f}"
    mantissa, exponent = f"{ratio:.1e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPTS)}"


SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
