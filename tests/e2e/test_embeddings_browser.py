"""The Embeddings page in a real browser: train a small Word2Vec on People's Daily (offline),
search a word, see its neighbours."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bench.app_server import wait_for_app

from core.i18n import tr

from .conftest import broken_radio_words, choose_option, cut_menus, device_page

pytestmark = pytest.mark.e2e


def _to_minimum(page, label: str) -> None:
    """Move a slider (or select slider) to its first value with the keyboard, as a user can."""
    slider = page.locator(f'input[type="range"][aria-label="{label}"]')
    slider.focus()
    slider.press("Home")
    wait_for_app(page)


def test_search_a_word_and_see_its_neighbours(app_url, page):
    page.goto(f"{app_url}/embeddings?lang=zh")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="词向量").first).to_be_visible()
    _to_minimum(page, "维数 n")  # 10 dimensions
    _to_minimum(page, "轮数")  # 1 epoch: a few seconds on People's Daily
    page.get_by_role("button", name="训练 Word2Vec").click()
    # trained in the background (the page polls its progress), then shown without a reload
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="Word2Vec CBOW")).to_be_visible(timeout=180_000)
    wait_for_app(page)

    page.get_by_role("tab", name="近邻").click()
    box = page.get_by_label("查找一个词")
    box.fill("中国")
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text(re.compile("与“中国”最近的："))).to_be_visible()
    panel = page.get_by_role("tabpanel").filter(has_text="与“中国”最近的")
    expect(panel.get_by_test_id("stDataFrame")).to_be_visible()

    box.fill("中国人")  # not in the vocabulary: said so, with close spellings
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentWarning").filter(has_text="中国人")).to_contain_text("相近的拼写")


def test_lsa_shows_its_topics_and_doc2vec_finds_documents_near_a_typed_text(app_url, page):
    """T3's vectors from documents, as a user makes them: LSA's directions in a table, then
    Doc2Vec (one epoch) and the documents nearest to a typed text."""
    page.goto(f"{app_url}/embeddings?lang=en")
    wait_for_app(page)
    page.get_by_text("Vectors from documents (LSA / LDA / Doc2Vec)").click()
    wait_for_app(page)
    page.get_by_role("button", name="Compute LSA").click()
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="LSA, People's Daily")).to_be_visible(timeout=180_000)
    wait_for_app(page)
    topics = page.get_by_test_id("stExpander").filter(has_text="LSA's 100 directions")
    expect(topics.get_by_test_id("stDataFrame")).to_be_visible()

    page.get_by_text("Doc2Vec (paragraph vectors)").click()
    wait_for_app(page)
    _to_minimum(page, "Passes / epochs")  # one epoch: a few seconds
    page.get_by_role("button", name="Train Doc2Vec").click()
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="Doc2Vec, People's Daily")).to_be_visible(timeout=180_000)
    wait_for_app(page)
    documents = page.get_by_test_id("stExpander").filter(has_text="Doc2Vec's document vectors")
    box = documents.get_by_label("A text")
    box.fill("中国足球队获得冠军")
    box.press("Enter")
    wait_for_app(page)
    expect(documents.get_by_text(re.compile(r"Words the model knows \(\d+ of \d+\)"))).to_be_visible()
    expect(documents.get_by_test_id("stDataFrame")).to_be_visible()
    box.fill("qqqq zzzz")
    box.press("Enter")
    wait_for_app(page)
    expect(documents.get_by_test_id("stAlertContentWarning")).to_contain_text("None of this text's words")


def test_a_phones_word_map_has_its_colour_bar_below_the_plot(app_url, browser, tmp_path):
    """A phone (its User-Agent says "Mobile") gets the word map laid out for its width: beside the
    plot, the colour bar left it 189 of 340 px, where the labels ran into one another."""
    import numpy as np

    from core.i18n import tr

    rng = np.random.default_rng(0)
    vectors = tmp_path / "words.txt"
    vectors.write_text("".join(f"词{i} " + " ".join(f"{x:.4f}" for x in rng.standard_normal(8)) + "\n" for i in range(120)), encoding="utf-8")
    sizes = {}
    for phone in (False, True):
        page = device_page(browser, phone, height=900)
        page.goto(f"{app_url}/embeddings?lang=zh")
        wait_for_app(page)
        page.get_by_text(tr("emb.source_file", "zh"), exact=True).click()
        wait_for_app(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(vectors))
        wait_for_app(page)
        page.get_by_role("button", name=tr("emb.load", "zh")).click()
        expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="words")).to_be_visible()
        page.get_by_role("tab", name=tr("emb.tab_projection", "zh")).click()
        wait_for_app(page)
        chart = page.locator("[data-testid=stPlotlyChart]:visible").filter(has=page.locator("g.colorbar")).first  # (other tabs hold charts too)
        expect(chart).to_be_visible()
        bar, plot = chart.locator("g.colorbar").bounding_box(), chart.locator("rect.nsewdrag").first.bounding_box()
        sizes[phone] = plot["width"]
        if phone:  # across the chart, under the plot
            assert bar["width"] > bar["height"] and bar["y"] > plot["y"] + plot["height"], (bar, plot)
        else:  # beside the plot, as on a wide screen
            assert bar["height"] > bar["width"] and bar["x"] >= plot["x"] + plot["width"] - 1, (bar, plot)
        page.context.close()
    assert sizes[True] > 1.3 * sizes[False], sizes  # the phone's plot is the wider


def test_the_word2vec_form_fits_a_projector(app_url, browser):
    """At 1024 px, in four columns, the corpus menu read "People's Dai" and each algorithm wrapped
    to four lines (an exploratory tester, 2026-12-04). Every corpus's name whole in its menu, and no
    word of a radio option broken, in both languages."""
    page = device_page(browser, False, width=1024, height=768)
    for lang in ("en", "zh"):
        page.goto(f"{app_url}/embeddings?lang={lang}")
        wait_for_app(page)
        menu = page.get_by_role("combobox", name=tr("emb.w2v_corpus", lang))
        menu.click()
        names = [o.inner_text() for o in page.get_by_role("option").all()]
        page.keyboard.press("Escape")
        assert tr("ds.peoples_daily.title", lang) in names, names
        for name in names:
            choose_option(page, menu, name)
            expect(menu).to_have_value(name)
            assert not cut_menus(page), (lang, cut_menus(page))
            assert not broken_radio_words(page), (lang, broken_radio_words(page))
    page.context.close()
