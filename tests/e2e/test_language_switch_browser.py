"""A language switch keeps every choice, shown in the new language (a real browser: AppTest keeps
widget values by themselves and never saw this).

Streamlit 1.67 sends a menu's or a radio's value between browser and server as its shown label,
and the app labels options in the page's language. Before `ui.common.keep_choices_across_a_language_switch`,
a switch left the radios with nothing chosen and the menus in the old language, and the switch
back reset them to their defaults: a language-model config became a sentiment one, top-k
sampling became greedy (found by a browser audit, 2026-12-02).
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from bench.app_server import wait_for_app
from core.i18n import tr

from .conftest import broken_radio_words, choose_option, cut_menus, device_page, switch_language

pytestmark = pytest.mark.e2e


def _chosen(page, label: str):
    """The radio option shown as chosen with this label (Streamlit draws each as a label around an input)."""
    return page.locator("label:has(input[type=radio]:checked)").filter(has_text=label)


def test_a_language_switch_keeps_the_training_form_and_the_sampling_strategy(app_url, page):
    page.goto(f"{app_url}/training?lang=zh")
    wait_for_app(page)
    page.get_by_text(tr("train.task_language_model", "zh"), exact=True).first.click()
    wait_for_app(page)
    page.get_by_text(tr("data.sampler_random", "zh"), exact=True).first.click()
    wait_for_app(page)
    for lang in ("en", "zh", "en"):
        switch_language(page, lang)
        expect(_chosen(page, tr("train.task_language_model", lang))).to_have_count(1)
        expect(_chosen(page, tr("data.sampler_random", lang))).to_have_count(1)
        expect(page.get_by_role("combobox", name=tr("train.dataset", lang))).to_have_value(tr("ds.lyrics.title", lang))
    # every implementation's name, and the data set's, fits its menu in both languages on a
    # projector's 1024 px (a 4-column row cut "Keras 层（SimpleRNN/LSTM/G…" and "中文评论情…":
    # found by browser audits, 2026-12-02)
    page.set_viewport_size({"width": 1024, "height": 768})  # a page drawn at this width (after a resize its menus did not open)
    for lang in ("en", "zh"):
        page.goto(f"{app_url}/training?lang={lang}")
        wait_for_app(page)
        menu = page.get_by_role("combobox", name=tr("train.implementation", lang))
        for impl in ("layer", "keras_cell", "scratch"):
            choose_option(page, menu, tr(f"train.impl_{impl}", lang))
            expect(menu).to_have_value(tr(f"train.impl_{impl}", lang))
            assert menu.evaluate("el => el.scrollWidth <= el.clientWidth"), f"{impl} cut in {lang}: {menu.input_value()!r}"
        data_menu = page.get_by_role("combobox", name=tr("train.dataset", lang))
        assert data_menu.evaluate("el => el.scrollWidth <= el.clientWidth"), f"data set cut in {lang}: {data_menu.input_value()!r}"
        # every menu of the form, on the custom form and a T4 preset's (the tokeniser's "characters" read
        # "characte", the cell's "SimpleRNN" "SimpleRI", the output precision "float32 (as the"), and no
        # radio option broken inside a word ("Sentiment classificatio-n"): an exploratory tester, 2026-12-04
        for address in (f"training?lang={lang}", f"training?lang={lang}&preset=lyrics_scratch_rnn_random"):
            page.goto(f"{app_url}/{address}")
            wait_for_app(page)
            cut = cut_menus(page)
            assert not [v for v in cut if v != tr("train.custom", lang) and " · " not in v], (address, cut)  # (the preset menu's long descriptions are whole below it)
            words_broken = broken_radio_words(page)
            assert not words_broken, (address, words_broken)
    page.set_viewport_size({"width": 1400, "height": 1000})

    page.goto(f"{app_url}/lyrics?lang=en")
    wait_for_app(page)
    page.get_by_text(tr("lyr.strategy_top_k", "en"), exact=True).click()
    wait_for_app(page)
    for lang in ("zh", "en"):
        switch_language(page, lang)
        expect(_chosen(page, tr("lyr.strategy_top_k", lang))).to_have_count(1)
        expect(page.get_by_role("spinbutton", name=tr("lyr.top_k", lang))).to_be_visible()  # shown for top-k only


def test_on_a_phone_the_language_switch_heads_the_page(app_url, browser):
    """A phone's sidebar starts closed behind a bare "»": the switch was there only, so a reader
    of the other language saw a page in Chinese and no word of English. On a phone it heads
    the page; a wide screen keeps it in the sidebar."""
    for phone in (True, False):
        page = device_page(browser, phone, width=390 if phone else 1280)
        page.goto(f"{app_url}/sentiment")
        wait_for_app(page)
        english = page.get_by_text("English", exact=True)
        if not phone:
            expect(page.get_by_test_id("stSidebar").get_by_text("English", exact=True)).to_be_visible()
            expect(page.get_by_test_id("stMain").get_by_text("English", exact=True)).to_have_count(0)
            page.context.close()
            continue
        expect(page.get_by_test_id("stSidebar")).not_to_be_in_viewport()  # closed, as Streamlit opens a phone's page
        switch = page.get_by_test_id("stMain").get_by_text("English", exact=True)
        expect(switch).to_be_in_viewport()
        title = page.get_by_role("heading", name=tr("sent.title", "zh"))
        assert switch.bounding_box()["y"] < title.bounding_box()["y"]  # above the page's title
        english.click()
        wait_for_app(page)
        expect(page.get_by_role("heading", name=tr("sent.title", "en"))).to_be_visible()
        expect(page).to_have_url(re.compile(r"[?&]lang=en(&|$)"))  # (written when the run ends)
        page.reload()  # kept by the address, as on a wide screen
        wait_for_app(page)
        expect(page.get_by_role("heading", name=tr("sent.title", "en"))).to_be_visible()
        expect(_chosen(page, "English")).to_have_count(1)
        page.context.close()


def test_the_browser_remembers_its_language(app_url, page):
    """A page writes ?lang=en when its first run ends: a reload right after a click in the page
    menu showed the new page in Chinese (found by a probe, 2026-12-03), and so did the app's bare
    address on every new visit of a reader who had chosen English. The browser keeps the last
    choice in a cookie; an address that names a language still wins."""
    page.goto(f"{app_url}/data?lang=en")
    wait_for_app(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=tr("nav.lyrics", "en")).click()
    page.wait_for_url(re.compile(r"/lyrics"))
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=tr("lyr.title", "en"), exact=True)).to_be_visible()
    assert "lang=en" in page.url, page.url
    page.goto(app_url)  # another day, the bare address
    wait_for_app(page)
    expect(_chosen(page, "English")).to_have_count(1)
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name=tr("nav.lyrics", "en"))).to_be_visible()
    switch_language(page, "zh")  # and back: the address drops lang, the cookie follows
    page.goto(f"{app_url}/lyrics")
    wait_for_app(page)
    expect(page.get_by_role("heading", name=tr("lyr.title", "zh"), exact=True)).to_be_visible()
    page.goto(f"{app_url}/lyrics?lang=en")  # a shared English link opens in English all the same
    wait_for_app(page)
    expect(page.get_by_role("heading", name=tr("lyr.title", "en"), exact=True)).to_be_visible()


def test_the_file_uploader_speaks_the_pages_language(app_url, page, tmp_path):
    """Streamlit's uploader says "Upload" and "50MB per file • CSV, TSV" whatever the page's
    language (streamlit#13500): its button reads in the page's language, and its line of limits
    gives way to the page's own caption."""
    page.goto(f"{app_url}/sentiment?lang=zh")
    wait_for_app(page)
    for lang in ("zh", "en"):
        if lang == "en":
            switch_language(page, "en")
        zone = page.get_by_test_id("stFileUploaderDropzone").first
        zone.scroll_into_view_if_needed()
        # (the style arrives with the run's elements; waited for, as Playwright's expect waits)
        page.wait_for_function(
            """word => { const p = document.querySelector('[data-testid=stFileUploaderDropzone] [data-testid=stBaseButton-secondary] p');
                        return p && getComputedStyle(p, '::after').content === JSON.stringify(word); }""",
            arg=tr("ui.upload_button", lang),
        )
        assert zone.locator("[data-testid=stBaseButton-secondary] p").evaluate("p => getComputedStyle(p).fontSize") == "0px"
        expect(zone.get_by_test_id("stFileUploaderDropzoneInstructions")).to_be_hidden()
        limit = page.get_by_test_id("stCaptionContainer").filter(has_text=tr("sent.batch_hint", lang, mb="50").split("；")[0].split(";")[0])
        expect(limit.first).to_be_visible()
    # a file over the limit, which the browser refuses without sending it, says why in the page's
    # language (Streamlit only reddens its chip and says it in an English tooltip)
    too_big = tmp_path / "too_big.csv"
    with too_big.open("wb") as f:
        f.truncate(51 * 1_000_000)
    page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(too_big))
    chips = page.get_by_test_id("stFileChips").first
    expect(chips.locator("[data-testid=stFileChip][aria-invalid=true]")).to_have_count(1)
    assert chips.evaluate("c => getComputedStyle(c, '::after').content") == json.dumps(tr("ui.upload_refused", "en", mb=50))
    assert chips.evaluate("c => getComputedStyle(c).flexWrap") == "wrap"  # (the reason on a line of its own)


def test_a_switch_on_one_page_leaves_the_pages_left_before_as_they_were(app_url, page):
    """The switch wrote back every widget Streamlit still knew, those of pages left before too, and
    they came back to life with their empty defaults: Sentiment (a review typed) -> English ->
    Lyrics -> 中文 -> Back found the review box empty beside the verdict for the review, and the
    next click dropped the review (an exploratory tester, 2026-12-04)."""
    review = "质量一般，但是客服态度很好。"
    page.goto(f"{app_url}/sentiment?lang=zh")
    wait_for_app(page)
    box = page.get_by_role("textbox", name=tr("sent.text", "zh"))
    box.fill(review)
    box.press("Control+Enter")
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"[?&]text="))
    switch_language(page, "en")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=tr("nav.lyrics", "en")).click()
    wait_for_app(page)
    switch_language(page, "zh")
    page.go_back()
    wait_for_app(page)
    expect(page.get_by_role("textbox", name=tr("sent.text", "zh"))).to_have_value(review)
    page.get_by_text(tr("sent.method_remove", "zh"), exact=True).click()  # the next click keeps it too
    wait_for_app(page)
    expect(page.get_by_role("textbox", name=tr("sent.text", "zh"))).to_have_value(review)
    expect(page).to_have_url(re.compile(r"[?&]text="))
