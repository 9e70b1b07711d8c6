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
