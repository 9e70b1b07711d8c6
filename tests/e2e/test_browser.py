"""The main user paths in a real browser: Chromium, driven by Playwright, against `streamlit run`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bench.app_server import wait_for_app

from .conftest import switch_language

pytestmark = pytest.mark.e2e


def chart_title(page, text: str):
    """The plotly title that says `text`, on one line or on several (core.figures.wrap_title breaks
    a long title where a space was; plotly draws each line as a tspan, so the text has no space there)."""
    words = [re.escape(word) for word in text.split()]
    return page.locator(".gtitle").filter(has_text=re.compile(r"\s*".join(words)))


def test_deep_link_as_first_request_gets_the_full_shell(app_url, page):
    """The very first request of a fresh server is a deep link: the page still has the sidebar and navigation."""
    page.goto(f"{app_url}/data?lang=en")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Home", exact=True)).to_be_visible()
    expect(nav.get_by_text("streamlit app")).to_have_count(0)
    expect(page.get_by_test_id("stSidebar").get_by_text("English")).to_be_visible()


def test_visit_every_page_switch_language_and_inspect_a_dataset(app_url, page):
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="RNN 实验室")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_be_visible()

    # to the Data page through the sidebar navigation
    page.get_by_test_id("stSidebarNav").get_by_text("数据", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="数据", exact=True)).to_be_visible()

    # choose the embedded Chinese reviews and see their statistics and charts
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=re.compile("中文评论情感")).click()
    wait_for_app(page)
    expect(page.get_by_test_id("stMetric").filter(has_text="文本数")).to_contain_text("17,363")
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()

    # switch the language: the same page, now in English, the choice kept
    switch_language(page, "en")
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stMetric").filter(has_text="Texts")).to_contain_text("17,363")

    # a reload keeps the language (it lives in the URL)
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()

    # the samplers of the lyrics tutorial on an offline corpus
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=re.compile("People's Daily")).click()
    # (its figures first: right after the click the page may still show the data set before it,
    # with tabs the new page replaces)
    expect(page.get_by_test_id("stMetric").filter(has_text="Lines")).to_contain_text("19,484", timeout=120_000)
    wait_for_app(page)
    page.get_by_role("tab", name="Samplers").click()
    expect(chart_title(page, "Random sampling: corpus positions each row reads")).to_be_visible()
    expect(chart_title(page, "Consecutive sampling: corpus positions each row reads")).to_be_visible()

    # the chosen tab stays chosen while the page is drawn anew: another tokeniser (read again in
    # the background) and a language switch (the browser's own tabs went back to the first)
    page.get_by_test_id("stSelectbox").nth(1).click()
    page.get_by_role("option", name=re.compile("given", re.I)).click()
    expect(page.get_by_test_id("stMetric").filter(has_text=re.compile("^Tokens"))).not_to_contain_text("1,861,140", timeout=120_000)
    wait_for_app(page)
    expect(page.get_by_role("tab", name="Samplers")).to_have_attribute("aria-selected", "true")
    expect(chart_title(page, "Random sampling: corpus positions each row reads")).to_be_visible()
    switch_language(page, "zh")
    expect(page.get_by_role("tab", name="采样器")).to_have_attribute("aria-selected", "true")
    switch_language(page, "en")
    expect(page.get_by_role("tab", name="Samplers")).to_have_attribute("aria-selected", "true")

    # a reload is a new session: the URL brings back the data set and the tab, by their names
    assert "dataset=peoples_daily" in page.url and "tab=samplers" in page.url, page.url
    expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))
    page.reload()
    wait_for_app(page)
    expect(page.get_by_test_id("stMetric").filter(has_text="Lines")).to_contain_text("19,484", timeout=120_000)
    expect(page.get_by_role("tab", name="Samplers")).to_have_attribute("aria-selected", "true")

    # back home, in English
    page.get_by_test_id("stSidebarNav").get_by_text("Home", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="RNN Lab")).to_be_visible()
