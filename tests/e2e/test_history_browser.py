"""Back and Forward walk the pages a user visited, one step per page (a real browser: the history
is the browser's own, which AppTest does not have).

Streamlit 1.67 adds a history entry for every change a script makes to st.query_params. A visit
to the Data page made three (the page, then ?dataset=, then ?tokenizer=), so Back stayed on the
page twice, and the Lyrics page's ?model= was written into the Sentiment page's entry (found
2026-12-02). `ui.common.put_url` now writes a run's settings at once at its end, and
`keep_history_to_pages` makes a change of the address that stays on a page replace its entry.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from bench.app_server import wait_for_app
from core.i18n import tr

from .conftest import choose_option

pytestmark = pytest.mark.e2e


# the words of `ui.common.url_index`'s warning for a choice the address names and the page lacks
_MISSING = tr("ui.url_choice_missing", "en", name="", shown="").split(":")[0].strip("“” ")


def _visit(page, nav_key: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=tr(nav_key, "en")).click()
    wait_for_app(page)


def _address(page) -> tuple[str, dict[str, str]]:
    parts = urlsplit(page.url)
    return parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()}


def _entries(page) -> int:
    return page.evaluate("history.length")


def test_back_and_forward_step_through_the_pages_visited(app_url, page):
    page.goto(f"{app_url}/data?lang=en&dataset=peoples_daily")  # a link shared with a class
    wait_for_app(page)
    expect(page.get_by_role("combobox", name=tr("data.dataset", "en"))).to_have_value(re.compile("^" + re.escape(tr("ds.peoples_daily.title", "en"))))
    landed = _entries(page)
    path, query = _address(page)
    assert path == "/data" and query["dataset"] == "peoples_daily" and query["lang"] == "en" and "tokenizer" not in query  # (its first tokeniser: no word)

    # a setting changed on a page is in its address, and no new step of the history
    choose_option(page, page.get_by_role("combobox", name=tr("data.tokenizer", "en")), tr("tok.given", "en"))
    expect(page).to_have_url(re.compile(r"[?&]tokenizer=given"))
    assert _entries(page) == landed

    # each page visited is one step, its own settings in its own address
    _visit(page, "nav.sentiment")
    expect(page).to_have_url(re.compile(r"/sentiment\?.*model="))
    path, query = _address(page)
    assert path == "/sentiment" and query["lang"] == "en" and "dataset" not in query
    sentiment_model = query["model"]
    assert _entries(page) == landed + 1
    _visit(page, "nav.lyrics")
    expect(page).to_have_url(re.compile(r"/lyrics\?.*model="))
    assert _address(page)[1]["model"] != sentiment_model
    assert _entries(page) == landed + 2

    # Back: the Sentiment page as it was (not with the Lyrics page's model), then the Data page as it was
    page.go_back()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=tr("nav.sentiment", "en"))).to_be_visible()
    assert _address(page) == ("/sentiment", {"lang": "en", "model": sentiment_model})
    expect(page.get_by_text(_MISSING)).to_have_count(0)  # no model of another page asked for
    page.go_back()
    wait_for_app(page)
    expect(page.get_by_role("combobox", name=tr("data.tokenizer", "en"))).to_have_value(tr("tok.given", "en"))
    path, query = _address(page)
    assert path == "/data" and query["dataset"] == "peoples_daily" and query["tokenizer"] == "given"
    expect(page.get_by_text(_MISSING)).to_have_count(0)

    # Forward: the Sentiment page again
    page.go_forward()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=tr("nav.sentiment", "en"))).to_be_visible()
    assert _entries(page) == landed + 2


def test_a_page_left_from_the_sidebar_is_found_as_it_was_left(app_url, page):
    """Streamlit drops a page's widget values once another page runs, and the sidebar's link has no
    settings in it: Lyrics -> Data -> Lyrics showed the first model, greedy and seed 0 again, and the
    Training page lost its preset and its edits (found 2026-12-04). `ui.common.remember_page` keeps
    them for the session, setting by setting, those the address does not hold too."""
    page.goto(f"{app_url}/lyrics?lang=en")
    wait_for_app(page)
    model = page.get_by_role("combobox", name=tr("lyr.model", "en"))
    gru = f"shipped/lyrics_gru · {tr('ds.lyrics.title', 'en')} · GRU"  # (named with data set and cell)
    choose_option(page, model, gru)
    page.get_by_text(tr("lyr.strategy_top_k", "en"), exact=True).click()
    wait_for_app(page)
    seed = page.get_by_label(tr("lyr.seed", "en"))
    seed.fill("42")
    seed.press("Enter")
    wait_for_app(page)
    avoid = page.get_by_role("switch", name=tr("lyr.avoid_unk", "en"))
    page.get_by_text(tr("lyr.avoid_unk", "en"), exact=True).click()  # a setting the address does not hold
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"[?&]seed=42"))
    left = _address(page)

    _visit(page, "nav.data")
    _visit(page, "nav.lyrics")
    expect(page.get_by_role("combobox", name=tr("lyr.model", "en"))).to_have_value(gru)
    expect(page.get_by_label(tr("lyr.seed", "en"))).to_have_value("42")
    expect(page.get_by_role("switch", name=tr("lyr.avoid_unk", "en"))).not_to_be_checked()
    expect(page).to_have_url(re.compile(r"[?&]seed=42"))
    assert _address(page) == left

    page.goto(f"{app_url}/training?lang=en&preset=lyrics_scratch_rnn_random")
    wait_for_app(page)
    epochs = page.get_by_label(tr("train.epochs", "en"))
    epochs.fill("40")
    epochs.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(tr("train.preset_edited", "en", n=1, settings="", label="").split(":")[0])).to_be_visible()
    _visit(page, "nav.home")
    _visit(page, "nav.training")
    expect(page).to_have_url(re.compile(r"[?&]preset=lyrics_scratch_rnn_random"))
    expect(page.get_by_label(tr("train.epochs", "en"))).to_have_value("40")


def test_a_page_that_ends_at_once_does_not_write_its_settings_into_the_page_left(app_url, page):
    """The Data page waiting for an upload ends its run at once, and wrote its ?dataset=upload before
    the browser had moved to /data: onto the Embeddings page's entry, which Back then showed as
    /embeddings?dataset=upload (an exploratory tester; each time, in Chinese, a second or so between
    clicks)."""
    def visit(nav_key: str) -> None:
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=tr(nav_key, "zh")).click()
        wait_for_app(page)
        page.wait_for_timeout(1500)

    page.goto(f"{app_url}/data?dataset=upload")
    wait_for_app(page)
    expect(page.get_by_text(tr("data.upload_wait", "zh"))).to_be_visible()
    page.wait_for_timeout(1500)
    visit("nav.embeddings")
    expect(page).to_have_url(re.compile(r"/embeddings"))
    visit("nav.data")
    expect(page.get_by_text(tr("data.upload_wait", "zh"))).to_be_visible()
    assert _address(page) == ("/data", {"dataset": "upload"})
    page.go_back()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=tr("emb.title", "zh")).first).to_be_visible()
    page.wait_for_timeout(500)
    assert _address(page) == ("/embeddings", {}), page.url


def test_the_new_run_forms_edits_survive_a_reload_and_open_from_a_copied_address(app_url, page, browser):
    """The preset was in the address and nothing else: a reload kept it and reset the epochs and
    units typed into the form (found 2026-12-05). Each edit is in the address now (`ui.form_address`),
    and a reload, or the address pasted into another browser, opens the same form (in Chinese there:
    the address names no language)."""
    page.goto(f"{app_url}/training?lang=en&preset=lyrics_scratch_rnn_random")
    wait_for_app(page)
    for label, value in (("train.epochs", "40"), ("train.units", "64")):
        box = page.get_by_label(tr(label, "en")).first  # (the Gradients tab has a "Hidden units h" of its own, after it)
        box.fill(value)
        box.press("Enter")
        wait_for_app(page)
    expect(page).to_have_url(re.compile(r"[?&]model\.units=64"))
    assert {k: v for k, v in _address(page)[1].items() if k in ("epochs", "model.units")} == {"epochs": "40", "model.units": "64"}
    edited = tr("train.preset_edited", "en", n=2, settings="", label="").split(":")[0]

    page.reload()
    wait_for_app(page)
    expect(page.get_by_label(tr("train.epochs", "en"))).to_have_value("40")
    expect(page.get_by_label(tr("train.units", "en")).first).to_have_value("64")
    expect(page.get_by_text(edited)).to_be_visible()

    other = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        other.goto(page.url.replace("lang=en&", "").replace("&lang=en", ""))
        wait_for_app(other)
        expect(other.get_by_label(tr("train.epochs", "zh"))).to_have_value("40")
        expect(other.get_by_label(tr("train.units", "zh")).first).to_have_value("64")
    finally:
        other.close()
