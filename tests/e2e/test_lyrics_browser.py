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
