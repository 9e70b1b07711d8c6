"""Conventions of the pages that no single page's test would notice being broken."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE_SOURCES = sorted([ROOT / "streamlit_app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])


def _lines(pattern: str, skip: set[str] = frozenset()) -> list[str]:
    found = []
    for path in PAGE_SOURCES:
        if path.name in skip:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(pattern, code):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_pages_write_the_address_through_put_url_and_end_early_through_stop_page():
    # streamlit_app.py sends a run's address once, when the page's script ends (ui.common.put_url):
    # a page writing st.query_params itself puts its setting into the address of the page the user
    # has just left, and after a bare st.stop() the run sends nothing more, so its settings are lost
    assert PAGE_SOURCES and any(p.parent.name == "pages" for p in PAGE_SOURCES)
    assert not _lines(r"st\.query_params\s*\[[^\]]*\]\s*=|st\.query_params\.(pop|update|from_dict|clear)\(", skip={"common.py"})
    assert not _lines(r"\bst\.stop\(\)", skip={"common.py"})


def test_links_between_pages_go_through_page_link():
    # a page writes ?lang=en only when its first run ends (put_url): a bare st.page_link opened the
    # next page under an address without the language, which a reload in that moment showed in Chinese
    assert not _lines(r"\bst\.page_link\(", skip={"common.py"})
    assert _lines(r"\bpage_link\(")  # (the pattern still finds the calls that remain)


def test_a_new_session_opens_in_the_address_language_then_the_remembered_one():
    from core.i18n import DEFAULT_LANG
    from ui.common import first_language

    assert first_language(None, None) == DEFAULT_LANG == "zh"
    assert first_language(None, "en") == "en"  # a bare address, a browser that chose English
    assert first_language("zh", "en") == "zh"  # a shared link says which
    assert first_language("en", None) == "en"
    assert first_language("xx", "en") == "en" and first_language("xx", "<b>") == "zh"  # unknown values count as absent


def test_scripts_are_sent_from_ui_common_only():
    # the app's scripts (the history line, set_cookie's line) are fixed lines in ui/common.py
    # holding nothing a user typed; a page sending its own would be a place for an injected one
    assert not _lines(r"unsafe_allow_javascript", skip={"common.py"})
    assert len(_lines(r"unsafe_allow_javascript=True")) == 2


def test_a_cookie_value_cannot_carry_code():
    import pytest

    from ui.common import set_cookie

    for name, value in (("rnnlab_lang", "en';alert(1);'"), ("rnnlab_lang", "<b>"), ("x; y", "1")):
        with pytest.raises(ValueError):
            set_cookie(name, value, 60)


def test_every_multiselect_shows_streamlits_select_all_in_english_only():
    # Streamlit's "Select all" entry is English and cannot be translated: each multiselect passes
    # select_all=select_all() (ui.common), which leaves it out of the Chinese page
    calls = _lines(r"\.multiselect\(")
    assert calls, "the pattern finds the multiselects"
    assert not [line for line in calls if "select_all=select_all()" not in line], calls


def _magic_strings(tree) -> list[int]:
    """Line numbers of bare string expressions that Streamlit's magic writes on the page: in a
    script's own statements (under `with`, `if`, `for`, `try` too), not in functions or classes,
    the script's docstring aside."""
    import ast

    found = []

    def visit(statements, top: bool) -> None:
        for index, node in enumerate(statements):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str) and not (top and index == 0):
                found.append(node.lineno)
            for field in ("body", "orelse", "finalbody"):
                visit(getattr(node, field, []) or [], False)
            for handler in getattr(node, "handlers", []) or []:
                visit(handler.body, False)

    visit(tree.body, True)
    return found


def test_no_string_is_left_for_streamlits_magic_to_write_on_the_page():
    # a constant's docstring-like string under it ("How often the run list looks …") was written on
    # the Training page, above its tabs, in English in both languages
    import ast

    pages = [ROOT / "streamlit_app.py", *sorted((ROOT / "pages").glob("*.py"))]
    found = {str(p.relative_to(ROOT)): lines for p in pages if (lines := _magic_strings(ast.parse(p.read_text(encoding="utf-8"))))}
    assert not found
    assert _magic_strings(ast.parse('"""doc"""\nx = 1\n"""said"""\nwith a:\n    "also"\ndef f():\n    "not"\n')) == [3, 5]
