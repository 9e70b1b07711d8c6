"""ui/highlight.py: generated text as HTML for st.markdown(unsafe_allow_html=True) must be inert:
no tag and no Markdown from the text, and the visible text unchanged."""

from __future__ import annotations

import html
import re

from core.generate import Candidate, GeneratedStep
from ui.highlight import coloured_text_html, escape_text

HOSTILE = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "![x](http://evil.example/x.png)", "[click](javascript:alert(1))", "**bold** _it_ `code` # h", "a & b"]


def test_escape_text_is_reversible_and_leaves_no_markup():
    for text in HOSTILE + ["分开", "不分开\n"]:
        escaped = escape_text(text)
        assert html.unescape(escaped) == text
        assert not re.search(r"[<>\[\]()*_`!#]", re.sub(r"&#\d+;", "", escaped)), escaped


def _step(token: str, position: int = 0) -> GeneratedStep:
    return GeneratedStep(position=position, id=5, token=token, probability=0.3, sampling_probability=0.3, top=[Candidate(token=token, id=5, probability=0.3)])


def test_coloured_text_carries_hostile_tokens_only_as_text():
    out = coloured_text_html(list(HOSTILE[0]), [_step(t) for t in HOSTILE], joiner="")
    for text in HOSTILE:
        assert text not in out, "raw hostile text must not reach the HTML"
    assert "<script" not in out and "<img" not in out and "](" not in out
    visible = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert HOSTILE[0] in visible and HOSTILE[2] in visible


def test_a_long_run_of_generated_line_breaks_is_drawn_as_one_mark_with_its_count():
    """Greedy decoding that ends in 478 line breaks drew 478 lines (the page was 38,000 px tall and
    its note on the loop far below): one mark with their count, then one empty line. The mark
    counts them all (it counted those after two drawn: three read "↵ ↵ ↵ × 1", 99 "↵ × 97" under
    the loop note's 99). Fewer in a row, line breaks in the prefix, and the text without restored
    line breaks are as they were."""
    from ui.highlight import MAX_LINE_BREAKS

    steps = [_step(t) for t in ["我", "的", " "] + [" "] * 477 + ["天"]]
    out = coloured_text_html(list("天空"), steps)
    assert out.count("<br>") == MAX_LINE_BREAKS  # one empty line after the mark
    assert _visible(out).count("↵") == 1 and "↵ × 478" in _visible(out)
    assert _visible(out).endswith("天")  # what follows the run is still there
    three = coloured_text_html([], [_step(t) for t in ["我", " ", " ", " ", "你"]])
    assert _visible(three).count("↵") == 1 and "↵ × 3" in _visible(three)
    short = coloured_text_html([], [_step(t) for t in ["我", " ", " ", "你"]])
    assert short.count("<br>") == 2 and "×" not in short
    prefix = coloured_text_html([" "] * 5, [_step("我")])
    assert prefix.count("<br>") == 5
    flat = coloured_text_html([], [_step(" ")] * 10, line_breaks=False)
    assert "<br>" not in flat and "×" not in flat and _visible(flat).count(" ") == 10


# ---------------------------------------------------------------- the Sentiment page's influence text


def _visible(out: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", out))


def _spans(out: str) -> list[tuple[str, str, str]]:
    """(title, style, visible text) of each token span."""
    return [(html.unescape(t), s, html.unescape(v)) for t, s, v in re.findall(r'<span title="([^"]*)" style="([^"]*)">([^<]*)</span>', out)]


def test_influence_text_is_the_typed_text_with_each_read_token_coloured():
    from ui.highlight import influence_html

    # Keras's IMDB drops punctuation and lowers the case: the text stays as typed, the
    # dropped characters uncoloured, each read token coloured green (+) or red (-), deeper
    # for a larger share of the largest influence, its value on hover
    text = "Great movie, but  TOO long!"
    tokens = ["great", "movie", "but", "too", "long"]
    out = influence_html(text, tokens, [0, 1, 2, 3, 4], [0.2, 0.1, 0.0, -0.05, -0.2])
    assert _visible(out) == text
    spans = _spans(out)
    assert [v for _, _, v in spans] == ["Great", "movie", "but", "TOO", "long"]
    assert [t for t, _, _ in spans] == ["great: +0.200", "movie: +0.100", "but: +0.000", "too: -0.050", "long: -0.200"]
    styles = [s for _, s, _ in spans]
    assert "rgba(84,162,75,0.80)" in styles[0] and "rgba(84,162,75,0.45)" in styles[1]
    assert "background" not in styles[2]  # no influence, no colour
    assert "rgba(228,87,86,0.28)" in styles[3] and "rgba(228,87,86,0.80)" in styles[4]


def test_influence_text_strikes_through_what_maxlen_cut_and_keeps_hostile_text_inert():
    from ui.highlight import NOT_READ_STYLE, influence_html

    text = "<b>差</b>不好![x](http://evil.example/x.png)好"
    tokens = ["<", "b", ">", "差", "<", "/", "b", ">", "不好", "!", "[", "x", "]", "(http://evil.example/x.png)", "好"]
    kept = list(range(8, len(tokens)))  # truncating "pre": the first 8 tokens were cut
    out = influence_html(text, tokens, kept, [0.1] * len(kept), not_read_label="cut <off>")
    assert _visible(out) == text
    assert "<b>" not in out and "](" not in out and "<script" not in out
    spans = _spans(out)
    # the cut stretch is one struck-through span, the read tokens one span each
    assert spans[0] == ("cut <off>", NOT_READ_STYLE, "<b>差</b>")
    assert [v for _, _, v in spans[1:]] == tokens[8:] and not any("line-through" in s for _, s, _ in spans[1:])
    # cut at the end (truncating "post"), with what the tokeniser dropped in between
    out = influence_html("好 不 好 。 坏 坏", ["好", "不", "好", "坏", "坏"], [0, 1], [0.1, -0.1])
    assert _visible(out) == "好 不 好 。 坏 坏"
    assert [v for _, _, v in _spans(out)] == ["好", "不", "好 。 坏 坏"]


def test_a_long_stretch_maxlen_cut_is_folded_to_its_start_and_end():
    """A 20,000-character review drew 13,500 struck-through tokens, a page 16,000 px long (a learner)."""
    from ui.highlight import NOT_READ_SHOWN, NOT_READ_STYLE, influence_html

    cut = "坏" * 5000
    text = cut + "好好"
    tokens = list(text)
    kept = [5000, 5001]  # truncating "pre": the end read
    out = influence_html(text, tokens, kept, [0.1, 0.2], not_read_label="cut", folded=lambda n: f"[{n:,} more]")
    head, tail = NOT_READ_SHOWN
    assert _visible(out) == "坏" * head + f" [{5000 - head - tail:,} more] " + "坏" * tail + "好好"
    spans = _spans(out)
    assert [(title, style) for title, style, _ in spans[:2]] == [("cut", NOT_READ_STYLE)] * 2 and [v for _, _, v in spans[2:]] == ["好", "好"]
    short = influence_html("坏" * 300 + "好", list("坏" * 300 + "好"), [300], [0.1], folded=lambda n: f"[{n:,} more]")
    assert "more]" not in short and _visible(short) == "坏" * 300 + "好", "a stretch a little longer than what is shown: whole"


def test_influence_text_shows_a_token_the_tokeniser_rewrote():
    from ui.highlight import influence_html

    out = influence_html("ab", ["a", "<unk>", "b"], [0, 1, 2], [0.1, 0.0, -0.1])
    assert [v for _, _, v in _spans(out)] == ["a", "<unk>", "b"]
    assert influence_html("", [], [], []) .endswith("</div>")


def test_training_samples_are_one_wrapping_block_with_the_prefix_underlined():
    """The Training page's samples (a table of epoch, prefix and text cut them on a phone): one
    heading per epoch, each sample read whole, its prefix underlined, a run of line-break marks
    free to wrap anywhere, hostile text inert."""
    from ui.highlight import PREFIX_STYLE, SAMPLES_CLASS, samples_html

    rows = [
        {"epoch": 5, "prefix": "分开", "text": "分开 我不能再想" + " " * 50},
        {"epoch": 5, "prefix": "不分开", "text": "不分开" + " " * 50},
        {"epoch": 10, "prefix": "分开", "text": "分开 我 我"},
        {"epoch": 10, "prefix": "<b>", "text": HOSTILE[0] + " " + HOSTILE[2]},  # a prefix the text does not start with
    ]
    out = samples_html(rows, lambda epoch: f"Epoch {epoch}", mark="↵")
    assert out.startswith(f'<div class="{SAMPLES_CLASS}"') and "overflow-wrap:anywhere" in out.split(">", 1)[0]
    assert [out.count(f"Epoch {e}") for e in (5, 10)] == [1, 1]
    visible = html.unescape(re.sub(r"<[^>]+>", "", out))
    assert "分开↵我不能再想" + "↵" * 50 in visible and "不分开" + "↵" * 50 in visible
    assert out.count("↵<wbr>") == sum(row["text"].count(" ") for row in rows)  # a line may end after each mark
    underlined = re.findall(f'<span style="{re.escape(PREFIX_STYLE)}">(.*?)</span>', out)
    assert [html.unescape(u) for u in underlined] == ["分开", "不分开", "分开", "<b>"]
    for text in HOSTILE[:1] + HOSTILE[2:3]:
        assert text not in out
    assert "<script" not in out and "<b>" not in out
    # word-level text keeps its spaces (no mark)
    plain = samples_html([{"epoch": 1, "prefix": "the", "text": "the rain falls"}], str)
    assert "rain falls" in html.unescape(re.sub(r"<[^>]+>", "", plain))


def test_a_tiny_influence_is_drawn_pale_not_as_deep_as_a_large_one():
    # scaled to the text's own largest alone, 0.003 was as deep a red as 0.3 elsewhere: a learner
    # read a third of a percentage point as a strong effect (an exploratory learner)
    from ui.highlight import INFLUENCE_FLOOR, influence_html, influence_scale

    out = influence_html("好 坏 的", ["好", "坏", "的"], [0, 1, 2], [0.004, -0.003, 0.0004])
    styles = [s for _, s, _ in _spans(out)]
    assert "rgba(84,162,75,0.13)" in styles[0] and "rgba(228,87,86,0.12)" in styles[1]
    assert "background" not in styles[2]  # "+0.000" on hover: no colour
    assert influence_scale([0.004, -0.003]) == INFLUENCE_FLOOR and influence_scale([0.3, -0.5]) == 0.5
