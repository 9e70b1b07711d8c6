"""What a Markdown element shows: AppTest gives the Markdown source, in which the pages
backslash-escape user values (`core.i18n.escape_markdown`); CommonMark shows the character."""

from __future__ import annotations

import re


def shown(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


# ---------------------------------------------------------------------------- widths at 1024 px
# A page's layout at a projector's 1024 px window, from what AppTest sees (the columns' weights),
# measured once in Chromium (Streamlit 1.67, the sidebar open): the main column is 564 px, and
# st.columns gives each of n columns its share of it less (n - 1) / n gaps of 16 px (a row of
# [2, 1, 1, 1] drew 214 and 101 px). Labels are 14 px Source Sans, estimated by
# core.figures.text_width (a little wider than drawn: "Samples (generated at once)" 178 px for 166).

MAIN_WIDTH = 564
COLUMN_GAP = 16
LABEL_FONT = 14
HELP_ICON = 24  # px beside a label with a help "?"
CHECKBOX = 28  # px of the box before a checkbox's label


def placed_widths(at, width: float = MAIN_WIDTH):
    """(node, px) for every block and element of the page's main area: the width it is drawn in
    at 1024 px (a column's share of the row it is in, rows in columns nested)."""
    from streamlit.testing.v1.element_tree import Column

    def walk(node, px):
        children = list(getattr(node, "children", {}).values())
        if children and all(isinstance(child, Column) for child in children):
            total, n = sum(child.weight for child in children), len(children)
            for child in children:
                yield from walk(child, px * child.weight / total - COLUMN_GAP * (n - 1) / n)
            return
        yield node, px
        for child in children:
            yield from walk(child, px)

    yield from walk(at.main, width)


def label_width(widget) -> float:
    """The px a widget's label takes on one line: its text, the help icon beside it, a checkbox's box."""
    from core.figures import text_width

    box = CHECKBOX if getattr(widget, "type", "") == "checkbox" else 0
    return text_width(widget.label, LABEL_FONT) + (HELP_ICON if getattr(widget, "help", None) else 0) + box
