"""The sentiment path in a real browser: type a review, see a probability (offline data, a real run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.i18n import tr
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
    box = page.get_by_role("textbox", name="评论")  # (a label match also finds the Chinese model card's heading, "…中文评论的…")
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


def test_a_large_csv_is_scored_in_the_background_while_the_page_answers(app_url, page):
    # all 17,363 embedded reviews, scored by the shipped BiLSTM (seconds): the progress bar is
    # polled by a fragment, a review typed meanwhile gets its probability at once, and the
    # table, accuracy and download come when the scoring is done, without reloading
    import csv
    import io

    from core import datasets

    reviews = datasets.load("chinese_reviews")
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["id", "text", "label"])  # an id to join the scores back on
    writer.writerows((f"r{i}", text, "好评" if label else "差评") for i, (text, label) in enumerate(zip(reviews.texts, reviews.labels)))
    page.goto(f"{app_url}/sentiment?lang=en")
    wait_for_app(page)
    page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(
        {"name": "all_reviews.csv", "mimeType": "text/csv", "buffer": rows.getvalue().encode("utf-8")}
    )
    bar = page.get_by_test_id("stProgress")
    expect(bar).to_be_visible(timeout=60_000)
    expect(page.get_by_text("This goes on in the background")).to_be_visible()
    box = page.get_by_role("textbox", name="Review")
    box.fill("质量太差了，用了两天就坏了。")
    box.press("Control+Enter")
    expect(page.get_by_test_id("stMetric").filter(has_text="P(positive)")).to_contain_text(re.compile(r"0\.\d{3}"))
    expect(bar).to_be_visible()  # answered while the batch is still being scored
    expect(page.get_by_test_id("stMetric").filter(has_text="Accuracy")).to_contain_text(re.compile(r"0\.\d{3}"), timeout=240_000)
    expect(page.get_by_role("button", name="Download the scores (CSV)")).to_be_visible()
    expect(bar).to_have_count(0)
    # the download keeps the file's own columns as written (the id, its labels in its words), then
    # the model's as the table words them (it kept text, scores and 0/1 labels only: an exploratory tester)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the scores (CSV)").click()
    got = list(csv.reader(io.StringIO(Path(info.value.path()).read_bytes().decode("utf-8-sig"))))
    assert got[0] == ["id", "text", "label", "P(positive)", "Prediction", "Correct"]
    assert len(got) == 1 + len(reviews.texts) and [row[0] for row in got[1:4]] == ["r0", "r1", "r2"]
    # a review made only of characters the model does not know gets no verdict, and no right or wrong
    none = tr("sent.verdict_none", "en")
    assert {row[2] for row in got[1:]} == {"好评", "差评"} and {"positive", "negative"} <= {row[4] for row in got[1:]} <= {"positive", "negative", none}
    judged = [row for row in got[1:] if row[4] != none]
    assert len(judged) > 0.99 * (len(got) - 1) and all(row[5] == "" for row in got[1:] if row[4] == none)
    assert all((row[5] == "yes") == ((row[2] == "好评") == (row[4] == "positive")) and row[5] in ("yes", "no") for row in judged)
