"""The sentiment path in a real browser: type a review, see a probability (offline data, a real run)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.runs import RunStore
from core.train import TrainConfig, run_training

from bench.app_server import wait_for_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def sentiment_run():
    """A small real sentiment run in the server's checkpoints folder (the page lists it)."""
    config = TrainConfig.from_dict(
        {"task": "sentiment", "dataset": "chinese_reviews", "maxlen": 40, "max_train_texts": 600, "epochs": 1,
         "model": {"cell": "gru", "units": 8, "embedding_dim": 8}}
    )
    store = RunStore()
    run = store.create(config.to_dict(), label="e2e-sentiment")
    assert run_training(config, run)["state"] == "done"
    return run


def test_type_a_review_and_see_a_probability(app_url, page, sentiment_run):
    page.goto(f"{app_url}/sentiment?lang=zh")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="情感游乐场")).to_be_visible()
    box = page.get_by_label("评论")
    box.fill("这家店的服务非常好，东西也很好吃，下次还来！")
    box.press("Control+Enter")
    wait_for_app(page)
    metric = page.get_by_test_id("stMetric").filter(has_text="正面的概率")
    expect(metric).to_contain_text(re.compile(r"0\.\d{3}"))
    expect(page.get_by_test_id("stMetric").filter(has_text="判断")).to_contain_text(re.compile("正面|负面"))
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    # the review as typed, each token on its influence's colour, the value on hover
    influence = page.locator(".sent-influence")
    expect(influence).to_have_text("这家店的服务非常好，东西也很好吃，下次还来！")
    first = influence.locator("span[title]").first
    expect(first).to_have_attribute("title", re.compile(r"^这[^:]*: [+-]\d\.\d{3}$"))
