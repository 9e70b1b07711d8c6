"""What a Markdown element shows: AppTest gives the Markdown source, in which the pages
backslash-escape user values (`core.i18n.escape_markdown`); CommonMark shows the character."""

from __future__ import annotations

import re


def shown(markdown: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)
