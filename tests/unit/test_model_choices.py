"""`core.runs.model_choices`: what the playgrounds offer, shipped models first and strongest first."""

from __future__ import annotations

import json

from core import runs


def test_shipped_models_are_offered_strongest_first(tmp_path, monkeypatch):
    """Bidirectional first, then LSTM, GRU, SimpleRNN, whatever the folders are called; other tasks left out."""
    root = tmp_path / "shipped"
    for name, cell, bidirectional in [("a_simple", "simple_rnn", False), ("b_gru", "gru", False), ("c_lstm", "lstm", False), ("d_bilstm", "lstm", True), ("e_bigru", "gru", True)]:
        (root / name).mkdir(parents=True)
        (root / name / "config.json").write_text(json.dumps({"task": "sentiment", "model": {"cell": cell, "bidirectional": bidirectional}}), encoding="utf-8")
    (root / "f_lm").mkdir()
    (root / "f_lm" / "config.json").write_text(json.dumps({"task": "language_model", "model": {"cell": "lstm"}}), encoding="utf-8")
    monkeypatch.setattr(runs, "shipped_dir", lambda: root)
    store = runs.RunStore(tmp_path / "checkpoints")
    labels = [label for label, _ in runs.model_choices(store, "sentiment")]
    assert labels == ["shipped/d_bilstm", "shipped/e_bigru", "shipped/c_lstm", "shipped/b_gru", "shipped/a_simple"]
    assert [label for label, _ in runs.model_choices(store, "language_model")] == ["shipped/f_lm"]


def test_saved_weights_name_the_epoch_each_model_file_holds(tmp_path):
    """`RunDir.saved_weights`: what a playground may load, with the epoch and its history record;
    the last model is left out when it holds the best epoch, a missing file is left out."""
    run = runs.RunDir(tmp_path / "run")
    run.path.mkdir()
    history = [{"epoch": e, "val_perplexity": p} for e, p in [(1, 300.0), (2, 250.0), (3, 280.0)]]
    run.history_path.write_text("".join(json.dumps(row) + "\n" for row in history), encoding="utf-8")
    assert run.saved_weights() == {}
    runs.write_json(run.status_path, {"epoch": 3, "checkpoint_epoch": 3, "best": {"epoch": 2, "val_loss": 5.5}})
    run.best_model_path.write_bytes(b"x")
    assert run.saved_weights() == {"best": {"epoch": 2, "val_perplexity": 250.0}}
    run.last_model_path.write_bytes(b"x")
    assert run.saved_weights() == {"best": {"epoch": 2, "val_perplexity": 250.0}, "last": {"epoch": 3, "val_perplexity": 280.0}}
    runs.write_json(run.status_path, {"epoch": 2, "checkpoint_epoch": 2, "best": {"epoch": 2}})  # the last epoch was the best
    assert list(run.saved_weights()) == ["best"]
    runs.write_json(run.status_path, {"epoch": 3, "last": {"epoch": 3}, "best": {"epoch": 2}})  # before checkpoint_epoch existed
    assert run.saved_weights()["last"]["epoch"] == 3
    run.best_model_path.unlink()  # a run stopped before its first validation
    assert list(run.saved_weights()) == ["last"]
