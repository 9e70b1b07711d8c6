"""The New run tab's time estimate (`core.estimate`): the model's arithmetic and its calibration
on the runs a server has finished. How close it comes is `bench/bench_estimate.py`'s question."""

from __future__ import annotations

import math

import pytest

from core import estimate as est
from core import text as textlib
from core.runs import RunStore, typical_epoch_seconds
from core.train import run_training
from tests.tiny_lm import tiny_lm_config, write_corpus


def _lm(units=64, layers=1, cell="lstm", embedding_dim=32, **extra):
    return {"task": "language_model", "batch_size": 32, "num_steps": 35, "sampler": "random", "sample_length": 0,
            "model": {"cell": cell, "units": units, "num_layers": layers, "embedding_dim": embedding_dim}, **extra}


def _classifier(units=64, bidirectional=False, **extra):
    return {"task": "sentiment", "batch_size": 64, "maxlen": 100,
            "model": {"cell": "gru", "units": units, "bidirectional": bidirectional, "embedding_dim": 64}, **extra}


def test_the_multiply_adds_are_the_cells_products():
    # an LSTM layer: 4 gates, each (inputs + units) x units per row and step; the output layer h x V every step
    per_step, once = est.forward_macs_per_row_step(_lm(units=64, embedding_dim=32), vocab_size=1000)
    assert per_step == 4 * (32 + 64) * 64 + 64 * 1000 and once == 0
    # two layers: the second reads the first's h; one-hot input (embedding_dim 0) is vocabulary-wide
    per_step, _ = est.forward_macs_per_row_step(_lm(units=16, layers=2, cell="gru", embedding_dim=0), vocab_size=50)
    assert per_step == 3 * (50 + 16) * 16 + 3 * (16 + 16) * 16 + 16 * 50
    # a bidirectional classifier: both directions, its head once per text
    per_step, once = est.forward_macs_per_row_step(_classifier(units=8, bidirectional=True), vocab_size=10_000)
    assert per_step == 2 * 3 * (64 + 8) * 8 and once == 16


def test_batches_are_the_runs_own():
    cost = est.epoch_cost(_lm(), 1000, train_units=100_000, val_units=10_000)
    assert cost.batches == textlib.count_batches("random", 100_000, 32, 35) and cost.val_batches == math.ceil(10_000 / (32 * 35))
    cost = est.epoch_cost(_classifier(), 10_000, train_units=13_891, val_units=1_736)
    assert (cost.batches, cost.val_batches) == (math.ceil(13_891 / 64), math.ceil(1_736 / 64))
    capped = est.epoch_cost(_classifier(max_train_texts=300), 10_000, train_units=13_891, val_units=1_736)
    assert (capped.batches, capped.val_batches) == (5, 5)
    assert est.epoch_cost(_classifier(model={"cell": "gru", "mask_zero": True}), 100, 640, 64).masked


def test_bigger_runs_take_longer():
    base = est.epoch_cost(_lm(), 1000, 100_000, 10_000).seconds()
    assert est.epoch_cost(_lm(units=512), 1000, 100_000, 10_000).seconds() > base
    assert est.epoch_cost(_lm(layers=3), 1000, 100_000, 10_000).seconds() > base
    assert est.epoch_cost({**_lm(), "num_steps": 200, "batch_size": 32 * 35 // 200}, 1000, 100_000, 10_000).seconds() > base  # the same tokens, more steps in a row
    assert est.epoch_cost(_lm(), 1000, 1_000_000, 10_000).seconds() > 5 * base
    cost = est.epoch_cost(_lm(), 1000, 100_000, 10_000)
    assert est.estimate(cost, epochs=40).total_seconds == pytest.approx(40 * cost.seconds())


def test_the_servers_finished_runs_scale_the_estimate(tmp_path):
    """One finished run: the estimate of its own config is its own measured epoch time."""
    store = RunStore(tmp_path / "store")
    assert est.calibration(est.finished_runs(store)) == (1.0, 0, "none")
    config = tiny_lm_config(write_corpus(tmp_path / "corpus")).to_dict()
    config["epochs"] = 3
    run = store.create(config)
    status = run_training(config, run)
    assert status["state"] == "done"
    broken = store.create(config)  # a run folder that cannot be read is left out, not an error
    broken.status_path.write_text("{not json", encoding="utf-8")
    (finished,) = est.finished_runs(store)
    cost, seconds = finished
    assert seconds == typical_epoch_seconds([row["seconds"] for row in run.history()])
    assert (cost.batches, cost.steps) == (status["steps_per_epoch"], config["num_steps"])
    scale, runs, level = est.calibration([finished], like=cost)
    assert (runs, level) == (1, "same") and est.estimate(cost, 3, scale, runs).epoch_seconds == pytest.approx(seconds)


def test_the_scale_comes_from_the_runs_most_like_the_one_estimated():
    """One median over every run made tiny lyrics runs (0.2 s an epoch) read 0.64 s once a few
    sentiment epochs had finished on a busy server (an exploratory teacher)."""
    lyrics = est.epoch_cost(_lm(units=32, model={"cell": "simple_rnn", "units": 32, "implementation": "scratch", "embedding_dim": 0}), 1000, 9000, 1000)
    other_lyrics = est.epoch_cost({**_lm(model={"cell": "lstm", "units": 64, "implementation": "scratch"}), "batch_size": 16}, 1000, 9000, 1000)
    classifier = est.epoch_cost(_classifier(), 10_000, 13_891, 1_736)
    finished = [(classifier, 3.0 * classifier.seconds()), (classifier, 2.5 * classifier.seconds()), (other_lyrics, 1.2 * other_lyrics.seconds())]
    assert est.calibration(finished, like=lyrics) == (pytest.approx(1.2), 1, "similar")  # the same task and implementation
    assert est.calibration(finished + [(lyrics, 0.8 * lyrics.seconds())], like=lyrics) == (pytest.approx(0.8), 1, "same")
    assert est.calibration(finished[:2], like=lyrics) == (pytest.approx(2.75), 2, "all")  # nothing like it: every run
    assert est.calibration(finished)[2] == "all"


def test_the_benchmarks_fit_recovers_the_constants_that_made_the_times():
    from bench.bench_estimate import fit

    truth = {"per_batch": 2e-3, "per_step": 80e-6, "per_step_masked": 300e-6, "rate": 5e10}
    rows = []
    for units in (16, 64, 256, 512):
        for steps in (10, 50, 200):
            for masked in (False, True):
                config = _classifier(units=units, model={"cell": "lstm", "units": units, "mask_zero": masked, "implementation": "keras_cell"})
                config["maxlen"] = steps
                cost = est.epoch_cost(config, 5000, train_units=640, val_units=64)
                rows.append({"cost": cost, "measured": cost.seconds(truth)})
    fitted = fit(rows)["keras_cell"]
    for name, value in truth.items():
        assert fitted[name] == pytest.approx(value, rel=1e-3), name
