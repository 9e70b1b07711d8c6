"""The lyrics path in a real browser: keep the prefix 分开, press Generate, see generated text (a real tiny run)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from core.runs import RunStore
from tests.tiny_lm import tiny_lm_config, train_tiny_lm, write_corpus

from bench.app_server import wait_for_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def lyrics_run(tmp_path_factory):
    """A small real language-model run in the server's checkpoints folder (the page lists it)."""
    corpus = write_corpus(tmp_path_factory.mktemp("lyrics-data"))
    store = RunStore()
    return train_tiny_lm(store.root / store.new_run_id("e2e-lyrics"), tiny_lm_config(corpus, "gru", "layer"))


def test_generate_from_the_default_prefix(app_url, page, lyrics_run):
    page.goto(f"{app_url}/lyrics?lang=zh")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="歌词游乐场")).to_be_visible()
    # the first visit loads TensorFlow and the model: give it time
    prefix = page.get_by_label("开头（前缀）", exact=True).and_(page.get_by_test_id("stTextInputField"))
    expect(prefix).to_have_value("分开", timeout=120_000)
    page.get_by_role("button", name="生成", exact=True).click()
    wait_for_app(page)
    text = page.locator(".lyr-text").first
    expect(text).to_be_visible(timeout=120_000)
    expect(text).to_contain_text("分开")
    # something was generated after the prefix (a barely trained greedy model may write only line breaks, shown as ↵)
    assert len(text.inner_text().replace("\n", "")) >= len("分开") + 100
    expect(page.locator(".js-plotly-plot").first).to_be_visible()


def test_sample_three_continuations_with_top_k(app_url, page, lyrics_run):
    """A sampling strategy and several samples at once (the whole continuation is one graph call)."""
    page.goto(f"{app_url}/lyrics?lang=zh")
    wait_for_app(page)
    prefix = page.get_by_label("开头（前缀）", exact=True).and_(page.get_by_test_id("stTextInputField"))
    expect(prefix).to_have_value("分开", timeout=120_000)
    page.get_by_text("top-k 采样", exact=True).click()
    wait_for_app(page)
    samples = page.get_by_label("样本数（一次生成几份）", exact=True)
    samples.fill("3")
    samples.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="生成", exact=True).click()
    wait_for_app(page)
    for n in (1, 2, 3):
        expect(page.get_by_text(f"样本 {n}", exact=True)).to_be_visible(timeout=120_000)
    # the result's three samples come first (the comparison with the shipped models follows)
    texts = [page.locator(".lyr-text").nth(i).inner_text().replace("\n", "") for i in range(3)]
    for text in texts:
        assert text.startswith("分开") and len(text) >= len("分开") + 100
    assert len(set(texts)) > 1, "top-k samples of one batch differ"
