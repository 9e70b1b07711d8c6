"""Text as HTML with its tokens coloured: generated text by the probability the model gave
each token (Lyrics playground), a review by how much each token moved the prediction
(Sentiment playground).

Plain Python (no Streamlit), so it is tested on its own. Every piece of text that
reaches the HTML, the prefix the user typed included, goes through `html.escape`:
the result is safe for `st.markdown(..., unsafe_allow_html=True)`.
"""

from __future__ import annotations


from typing import Callable, Sequence

from core.generate import GeneratedStep, show_token
from core.text import token_spans

PROBABILITY_BINS: tuple[tuple[float, str], ...] = (
    (0.05, "#f6c1bd"),  # below 5 %: a surprise
    (0.20, "#fbd8a5"),
    (0.50, "#fcf0a4"),
    (1.01, "#c6e5bd"),  # 50 % and more: what the model expected
)
"""(upper bound of P(chosen token), background colour), lowest first."""
PREFIX_STYLE = "font-weight:600;border-bottom:2px solid #4C78A8"
CONTAINER_CLASS = "lyr-text"


def probability_colour(probability: float) -> str:
    """The background colour of a token the model gave ``probability`` (0-1)."""
    for upper, colour in PROBABILITY_BINS:
        if probability < upper:
            return colour
    return PROBABILITY_BINS[-1][1]


_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|~:$"}
"""Every character HTML or Markdown gives a meaning to, as a numeric entity, in ONE pass
(escaping in two passes would mangle the first pass's entities). `st.markdown` parses
Markdown around and inside the HTML, so text such as ``![x](http://...)`` must be inert too."""


def escape_text(text: str) -> str:
    """Text made inert for `st.markdown(..., unsafe_allow_html=True)`: no tag, no Markdown."""
    return text.translate(_ESCAPES)


def _piece(token: str, line_breaks: bool) -> str:
    """One token's visible text, escaped; a line-break space becomes ↵ and a real break."""
    if line_breaks and token == " ":
        return "↵<br>"
    return escape_text(token)


MAX_LINE_BREAKS = 2
"""Line breaks in a row drawn as such in generated text (one empty line); more are one mark with their
count, "↵ × 478", and that empty line."""


def _step_span(step: GeneratedStep, candidates_label: str, piece: str) -> str:
    """One generated token on its colour, its probability and the top candidates on hover."""
    top = ", ".join(f"{show_token(c.token)} {c.probability:.3f}" for c in step.top)
    title = escape_text(f"P({show_token(step.token)}) = {step.probability:.3f} · {candidates_label}: {top}")
    return f'<span title="{title}" style="background:{probability_colour(step.probability)};border-radius:2px">{piece}</span>'


def coloured_text_html(prefix_tokens: list[str], steps: list[GeneratedStep], joiner: str = "", line_breaks: bool = True, candidates_label: str = "top 5") -> str:
    """The prefix (underlined) and the generated tokens on coloured backgrounds, one span each.

    Hovering a generated token shows P(token) and the model's top candidates at that step
    (the `title` attribute, escaped). ``line_breaks`` turns the corpus's line-break spaces
    back into line breaks (not for word-level text, whose spaces join words); more than
    `MAX_LINE_BREAKS` generated in a row are one mark with their count, then that many breaks.
    """
    sep = escape_text(joiner)
    parts = [f'<span style="{PREFIX_STYLE}">{_piece(token, line_breaks)}</span>' for token in prefix_tokens]
    index = 0
    while index < len(steps):
        step = steps[index]
        run = 1  # line breaks in a row from here
        while line_breaks and step.token == " " and index + run < len(steps) and steps[index + run].token == " ":
            run += 1
        if run > MAX_LINE_BREAKS:
            # a loop of line breaks (greedy decoding's classic end) drew hundreds of empty lines, and
            # whatever followed, or the page's note on the loop, far below: one mark that says how
            # many in all (it counted those after the first two drawn: three in a row read
            # "↵ ↵ ↵ × 1", and 99 "↵ × 97" under a note on 99), then the empty line two would make
            rest = steps[index : index + run]
            low, high = min(s.probability for s in rest), max(s.probability for s in rest)
            title = escape_text(f"{run} × {show_token(' ')} · P {low:.3f}–{high:.3f}")
            parts.append(f'<span title="{title}" style="background:{probability_colour(low)};border-radius:2px;padding:0 .3em">{show_token(" ")} × {run}</span>' + "<br>" * MAX_LINE_BREAKS)
            index += run
            continue
        parts.append(_step_span(step, candidates_label, _piece(step.token, line_breaks)))
        index += 1
    body = sep.join(parts)
    return f'<div class="{CONTAINER_CLASS}" style="font-size:1.15rem;line-height:1.9;white-space:pre-wrap">{body}</div>'


def legend_html(labels: list[str]) -> str:
    """The colour key: one swatch per bin of `PROBABILITY_BINS`, with the given (escaped) labels."""
    swatches = [
        f'<span style="background:{colour};padding:0 .5em;margin-right:.6em;border-radius:2px">{escape_text(label)}</span>'
        for (_, colour), label in zip(PROBABILITY_BINS, labels)
    ]
    return '<div style="font-size:.85rem">' + "".join(swatches) + "</div>"


SAMPLES_CLASS = "train-samples"


def samples_html(samples: Sequence[dict], epoch_heading: Callable[[int], str], mark: str | None = None) -> str:
    """The samples a language-model run wrote (`RunDir.samples()`: epoch, prefix, text), one
    below the other under a heading per epoch (`epoch_heading(epoch)`), each with its prefix
    underlined as the Lyrics page underlines it, as one block the width of the page.

    A table of epoch, prefix and text gave the text 258 of a phone's 358 px and broke a
    three-character prefix into three lines; a run of line-break marks (a model early in
    training writes fifty) cannot wrap and ran out of the table. With `mark`, the corpus's
    line-break spaces are shown as it, and a line may end after each; any other run too long for
    a line breaks where it must (`overflow-wrap:anywhere`). Everything is escaped with `escape_text`.
    """

    def shown(text: str) -> str:
        """`text` escaped; with `mark`, its spaces as the mark, after which a line may end (<wbr>)."""
        return escape_text(text).replace(" ", escape_text(mark) + "<wbr>") if mark else escape_text(text)

    parts, epoch = [], None
    for row in samples:
        if row.get("epoch") != epoch:
            epoch = row.get("epoch")
            parts.append(f'<div style="font-size:.85rem;opacity:.7;margin-top:.5em">{escape_text(epoch_heading(epoch))}</div>')
        prefix, text = str(row.get("prefix", "")), str(row.get("text", ""))
        if text.startswith(prefix):  # (the text is the prefix, as the vocabulary decodes it, and what followed)
            body = f'<span style="{PREFIX_STYLE}">{shown(prefix)}</span>{shown(text[len(prefix) :])}'
        else:  # a prefix the vocabulary does not hold whole (it decodes to <unk>): the prefix, then the text
            body = f'<span style="{PREFIX_STYLE}">{escape_text(prefix)}</span> → {shown(text)}'
        parts.append(f'<div style="font-size:1.05rem;line-height:1.7">{body}</div>')
    return f'<div class="{SAMPLES_CLASS}" style="overflow-wrap:anywhere">{"".join(parts)}</div>'


INFLUENCE_RGB = {"positive": (84, 162, 75), "negative": (228, 87, 86)}
"""Towards positive green, towards negative red: the colours of the Sentiment page's bar chart."""
NOT_READ_STYLE = "color:#9a9a9a;text-decoration:line-through"


INFLUENCE_FLOOR = 0.1
"""The smallest |influence| drawn in the deepest colour. Scaled to the text's own largest alone,
a token that moved the prediction by 0.003 was as deep a red as one that moved it by 0.3, and a
learner read a third of a percentage point as a strong effect (an exploratory learner)."""


def influence_scale(values) -> float:
    """The |influence| drawn deepest: the text's largest, at least `INFLUENCE_FLOOR`."""
    return max([abs(float(v)) for v in values] + [INFLUENCE_FLOOR])


def influence_colour(value: float, scale: float) -> str | None:
    """The background of a token whose influence is `value`, `scale` the |influence| drawn
    deepest (`influence_scale`): deeper with |value| / scale, none for (almost) nothing."""
    strength = min(1.0, abs(value) / scale) if scale > 0 else 0.0
    if strength < 0.02:
        return None
    r, g, b = INFLUENCE_RGB["positive" if value >= 0 else "negative"]
    return f"rgba({r},{g},{b},{0.1 + 0.7 * strength:.2f})"


NOT_READ_SHOWN = (200, 100)
"""Characters shown of a long stretch maxlen cut, at its start and its end (`influence_html`)."""


def influence_html(text: str, tokens: list[str], kept: list[int], importance: Sequence[float], not_read_label: str = "not read",
                   folded: Callable[[int], str] = lambda n: f"… {n:,} …") -> str:
    """`text` as the user typed it, each token the model read on a background coloured by its
    influence (`importance[k]` for the token `tokens[kept[k]]`), deeper up to `influence_scale`,
    its value on hover.

    What the tokeniser dropped (spaces, and punctuation for Keras's IMDB) stays as plain
    text; each stretch of tokens cut off by maxlen is struck through, as one span with
    `not_read_label` on hover (a 20,000-character text does not become 20,000 spans), and one
    longer than `NOT_READ_SHOWN` allows shows its start and end around `folded(n)` (the words for
    the n characters left out): a 20,000-character review drew 13,500 struck-through tokens,
    a page 16,000 px long. A token the tokeniser rewrote (not found in the text) is shown as the
    token. Everything is escaped with `escape_text`.
    """
    values = {i: float(v) for i, v in zip(kept, importance)}
    scale = influence_scale(values.values())
    spans = token_spans(text, tokens)
    pieces, position, i = [], 0, 0
    while i < len(tokens):
        last = i  # the stretch i..last: one read token, or every token up to the next read one
        if i not in values:
            while last + 1 < len(tokens) and last + 1 not in values:
                last += 1
        found = [span for span in spans[i : last + 1] if span is not None]
        if found:
            start, end = found[0][0], found[-1][1]
            pieces.append(escape_text(text[position:start]))
            shown, position = text[start:end], end
        else:
            shown = " ".join(tokens[i : last + 1])
        if i in values:
            colour = influence_colour(values[i], scale)
            background = f"background:{colour};" if colour else ""
            title = escape_text(f"{tokens[i]}: {values[i]:+.3f}")
            pieces.append(f'<span title="{title}" style="{background}border-radius:2px;padding:0 1px">{escape_text(shown)}</span>')
        else:
            head, tail = NOT_READ_SHOWN
            struck = f'<span title="{escape_text(not_read_label)}" style="{NOT_READ_STYLE}">'
            if len(shown) > head + tail + 50:
                middle = f' <span style="font-size:.85rem;opacity:.7">{escape_text(folded(len(shown) - head - tail))}</span> '
                pieces.append(f"{struck}{escape_text(shown[:head])}</span>{middle}{struck}{escape_text(shown[-tail:])}</span>")
            else:
                pieces.append(f"{struck}{escape_text(shown)}</span>")
        i = last + 1
    pieces.append(escape_text(text[position:]))
    return f'<div class="sent-influence" style="font-size:1.15rem;line-height:1.9;white-space:pre-wrap">{"".join(pieces)}</div>'


def influence_legend_html(positive: str, negative: str) -> str:
    """The colour key of `influence_html`: the deepest green and red, with the given (escaped) labels."""
    swatches = [
        f'<span style="background:{influence_colour(sign, 1.0)};padding:0 .5em;margin-right:.6em;border-radius:2px">{escape_text(label)}</span>'
        for sign, label in ((1.0, positive), (-1.0, negative))
    ]
    return '<div style="font-size:.85rem">' + "".join(swatches) + "</div>"
