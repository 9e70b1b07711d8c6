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
