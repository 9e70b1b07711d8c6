"""A phone in a real browser (its User-Agent says "Mobile", its screen has touch and no hover):
what a phone draws differently from a wide screen with a mouse."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bench.app_server import wait_for_app

from .conftest import TABLET_AGENT, device_page

pytestmark = pytest.mark.e2e


def _overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_a_phones_charts_keep_their_titles_clear_of_the_tool_bar(app_url, browser):
    """Without hover, plotly shows its tool bar all the time: its eight buttons covered the title of
    a 358 px chart ("P(positive) after each token"). A phone keeps only the full-screen button; a
    tablet (touch, no hover, 1024 px) keeps the whole bar, which its wide charts have room for (it
    lost the zoom buttons and the PNG download with the phone); a mouse still gets the whole bar
    under the pointer."""
    for device in ("phone", "tablet", "mouse"):
        if device == "tablet":
            page = device_page(browser, True, width=1024, height=768, agent=TABLET_AGENT)
        else:
            page = device_page(browser, device == "phone")
        page.goto(f"{app_url}/data?lang=en")
        wait_for_app(page)
        chart = page.locator("[data-testid=stPlotlyChart]:visible").first
        chart.scroll_into_view_if_needed()
        expect(chart.locator("g.infolayer .gtitle")).to_be_visible()
        title = chart.locator("g.infolayer .gtitle").bounding_box()
        if device == "phone":
            buttons = chart.locator(".modebar-btn:visible")
            expect(buttons).to_have_count(1)
            expect(chart.locator('.modebar-btn[data-title="Fullscreen"]')).to_be_visible()
            assert not _overlaps(title, buttons.first.bounding_box()), (title, buttons.first.bounding_box())
        else:
            if device == "mouse":
                chart.hover()
            buttons = chart.locator(".modebar-btn:visible")
            assert buttons.count() >= 8, device  # PNG, zoom, pan, zoom in/out, autoscale, reset, full screen
            if device == "tablet":
                assert not any(_overlaps(title, button.bounding_box()) for button in buttons.all()), title
        page.context.close()


def test_a_phones_sampler_tables_show_x_and_y_without_scrolling_sideways(app_url, browser):
    """The Samplers tab's X/Y tables on a 390 px phone: batch, row and start took 200 of the
    table's 358 px and Y scrolled out of view; narrower columns (and "Start" for "Start position")
    leave X and Y the rest."""
    page = device_page(browser, True)
    page.goto(f"{app_url}/data?dataset=peoples_daily&tab=samplers&lang=en")
    wait_for_app(page)
    tables = page.locator("[data-testid=stDataFrame] .dvn-scroller")
    expect(tables).to_have_count(2)
    for scroller in tables.all():
        scroller.scroll_into_view_if_needed()
        wide, shown = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert wide <= shown, (wide, shown)
    page.context.close()


def test_a_phones_table_tool_bar_covers_nothing_above_the_table(app_url, browser):
    """Without hover, a table's tool bar (show columns, download, search, full screen) is always
    there, 44 px above the table's top edge: it covered the Training page's tab labels above the
    run list, and the Lyrics page's heading above its candidates table (ui.common._TOUCH_CSS)."""
    from core.runs import RunStore

    store = RunStore()
    run = store.create({"task": "sentiment", "dataset": "chinese_reviews", "epochs": 1, "model": {"cell": "gru"}}, label="e2e-phone-table")
    store.stop(run.run_id)
    page = device_page(browser, True)
    page.goto(f"{app_url}/training?tab=runs&lang=zh")
    wait_for_app(page)
    bar = page.locator("[data-testid=stElementToolbar]:visible").first
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box["height"] > 30, box
    covered = page.evaluate(
        """(bar) => {
            const inside = (r) => r.width > 0 && r.height > 0 && r.left < bar.x + bar.width && bar.x < r.right && r.top < bar.y + bar.height && bar.y < r.bottom;
            return [...document.querySelectorAll('[role=tab], h1, h2, h3, p, label')]
                .filter((el) => !el.closest('[data-testid=stElementToolbar]') && inside(el.getBoundingClientRect()))
                .map((el) => el.textContent.trim().slice(0, 30));
        }""",
        box,
    )
    assert covered == [], covered
    page.context.close()


def test_a_phones_run_list_shows_more_than_the_run_id_and_says_it_scrolls(app_url, browser):
    """On a 390 px phone the run list showed the run ids alone, the other columns off to the right
    with nothing saying so (and no scroll bar until the table is touched). The id takes 150 px and
    the state begins on screen; a line above the table says it scrolls sideways. A wide screen with a
    mouse gets no such line."""
    from core.i18n import tr
    from core.runs import RunStore

    store = RunStore()
    run = store.create({"task": "sentiment", "dataset": "chinese_reviews", "epochs": 1, "model": {"cell": "gru"}}, label="e2e-phone-sideways")
    store.stop(run.run_id)
    for phone in (True, False):
        page = device_page(browser, phone)
        page.goto(f"{app_url}/training?tab=runs&lang=en")
        wait_for_app(page)
        runs_tab = page.get_by_role("tabpanel", name=tr("train.tab_runs", "en"))  # (the New run tab's parameter table has its own)
        hint = runs_tab.get_by_text(tr("ui.table_sideways", "en"), exact=True)
        table = runs_tab.locator("[data-testid=stDataFrame]:visible").first
        expect(table).to_be_visible()
        if not phone:
            expect(hint).to_have_count(0)
            expect(page.get_by_role("combobox", name=tr("train.pick_run", "en"))).to_have_value(re.compile(r"\d{8}-\d{6}-e2e-phone-sideways-\w+ · .* · GRU"))
            page.context.close()
            continue
        expect(hint).to_be_visible()
        # the run picker names what the run is first: its 48-character id took the phone's whole menu
        # and cut "· Chinese reviews · GRU" off behind it (a regression check, 2026-12-04)
        picker = page.get_by_role("combobox", name=tr("train.pick_run", "en"))
        expect(picker).to_have_value(re.compile(rf"GRU · {re.escape(tr('ds.chinese_reviews.title', 'en'))} · \d{{8}}-\d{{6}}-e2e-phone-sideways"))
        frame = table.bounding_box()
        assert hint.bounding_box()["y"] < frame["y"], "said above the table"
        # the grid draws on a canvas: a tap 230 px into the first row selects the cell there, which the
        # grid's accessible table names: the run's state (column 2), not its id (column 0), before any scroll
        page.mouse.click(frame["x"] + 230, frame["y"] + 55)
        expect(table.locator("td[aria-selected=true]")).to_have_count(1)
        cell = page.evaluate("document.activeElement.id")
        assert cell.startswith("glide-cell-2-"), cell
        page.context.close()


def test_a_phones_model_card_tables_stay_inside_the_card(app_url, browser):
    """A shipped model's card holds tables of its layers and epochs, 602 px wide: on a 390 px phone
    they ran out of the 324 px card, under its border, their last columns out of reach (the page
    does not scroll sideways). Each scrolls sideways inside the card."""
    from core.i18n import tr

    page = device_page(browser, True)
    page.goto(f"{app_url}/sentiment?lang=zh")
    wait_for_app(page)
    page.get_by_text(tr("ui.model_card", "zh"), exact=True).click()
    card = page.get_by_test_id("stExpander").first
    tables = card.locator("[data-testid=stMarkdownContainer] table")
    expect(tables.first).to_be_visible()
    right = card.bounding_box()["x"] + card.bounding_box()["width"]
    for table in tables.all():
        table.scroll_into_view_if_needed()
        box = table.bounding_box()
        assert box["x"] + box["width"] <= right, (box, right)
    wide = [t.evaluate("e => e.scrollWidth > e.clientWidth") for t in tables.all()]
    assert any(wide), "the widest tables scroll inside (the case this test is about)"
    page.context.close()


def test_the_length_percentiles_fit_a_projector(app_url, browser):
    """At 1024 px the Data page's length percentiles ("99th percentile (tokens)", "Longest (tokens)")
    ran off the table's right edge with nothing saying so (an exploratory tester): the unit is said
    once, the columns fit."""
    page = device_page(browser, False, width=1024, height=768)
    page.goto(f"{app_url}/data?lang=en&dataset=chinese_reviews")
    wait_for_app(page)
    table = page.locator("[data-testid=stDataFrame] .dvn-scroller").first
    expect(table).to_be_visible(timeout=120_000)
    table.scroll_into_view_if_needed()
    wide, shown = table.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert wide <= shown, (wide, shown)
    page.context.close()


def test_a_phones_bptt_equations_fit_the_screen(app_url, browser):
    """The gradient-flow tab's two equations side by side ran off a 390 px screen after "= diag",
    the Jacobian hidden behind a sideways scroll nothing said was there: one a line, each fits."""
    page = device_page(browser, True)
    page.goto(f"{app_url}/training?tab=gradients&lang=en")
    wait_for_app(page)
    panel = page.get_by_role("tabpanel").filter(has=page.locator(".katex")).first
    equations = panel.locator(".katex-display")
    expect(equations.first).to_be_visible()
    widths = equations.evaluate_all("els => els.map(e => [e.scrollWidth, e.clientWidth, e.textContent])")
    assert len(widths) >= 2 and any("diag" in text for _, _, text in widths), widths
    assert all(scroll <= client + 1 for scroll, client, _ in widths), widths
    page.context.close()


def test_a_phones_lyrics_tables_say_they_scroll_sideways(app_url, browser):
    """The Lyrics page's step-by-step candidates were cut at a phone's edge with nothing saying the
    table scrolls (no scroll bar shows on a touch screen until it is touched; an exploratory tester):
    the line the other pages' wide tables have stands above it. A wide screen has no such line."""
    from core.i18n import tr

    hint = tr("ui.table_sideways", "en")
    for phone in (True, False):
        page = device_page(browser, phone)
        page.goto(f"{app_url}/lyrics?lang=en&length=20&generated=1")  # (the text at once, as a shared link)
        wait_for_app(page)
        table = page.get_by_test_id("stDataFrame").first
        expect(table).to_be_visible(timeout=120_000)
        if phone:
            expect(page.get_by_text(hint, exact=True).first).to_be_visible()
            assert page.get_by_text(hint, exact=True).first.bounding_box()["y"] < table.bounding_box()["y"]
        else:
            expect(page.get_by_text(hint, exact=True)).to_have_count(0)
        page.context.close()
