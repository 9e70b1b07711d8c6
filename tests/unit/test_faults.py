"""Faults a hosted instance must survive, with real processes (issue 7).

- kill -9 while a process is writing checkpoints: the model file is always loadable;
- a truncated `.keras` file: the run is listed, loading it is a sentence with a reason,
  and the other models still load;
- the app's server dies while a run trains: the run goes on, and a new server (a new
  RunStore in another process) sees it running and can stop it;
- a run whose process is frozen (SIGSTOP) is flagged stalled once its heartbeat is old.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import runs
from core.errors import RnnLabError
from core.runs import RunDir, RunStore

from .test_runs_lifecycle import ROOT, corpus, lm_config, state_of, store, wait_for  # noqa: F401  (fixtures)

keras = pytest.importorskip("keras")

SAVER = r"""
import sys, keras
from pathlib import Path
from core.runs import RunDir
run = RunDir(Path(sys.argv[1]))
inputs = keras.Input((20,))
hidden = keras.layers.Dense(256)(inputs)
model = keras.Model(inputs, keras.layers.Dense(256)(hidden))
model.compile(optimizer="adam", loss="mse")
print("ready", flush=True)
while True:
    run.save_model(model, "last")
"""


def test_kill_9_during_checkpoint_writes_never_leaves_a_broken_model(tmp_path):
    from core.train import load_run_model

    run = RunDir(tmp_path / "run")
    run.path.mkdir()
    for attempt in range(3):  # three kills at different moments of the saves (each attempt imports TensorFlow: seconds)
        proc = subprocess.Popen([sys.executable, "-c", SAVER, str(run.path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            assert proc.stdout.readline().strip() == "ready"
            if attempt == 0:
                wait_for(run.last_model_path.exists, "the first save")
            time.sleep(0.3 + 0.37 * attempt)  # somewhere inside a save: they take tens of milliseconds
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        model = load_run_model(run.last_model_path)  # the last complete file, never a half-written one
        assert model.count_params() == 20 * 256 + 256 + 256 * 256 + 256
    leftovers = [p.name for p in run.path.iterdir() if p.name != "model_last.keras"]
    assert all(name.startswith(".") and ".tmp." in name for name in leftovers), leftovers


def _sentiment_run(folder: Path) -> RunDir:
    """A finished tiny sentiment run, written by the real engine."""
    from core.train import TrainConfig, run_training

    config = TrainConfig.from_dict(
        {"task": "sentiment", "dataset": "chinese_reviews", "maxlen": 20, "max_train_texts": 200, "epochs": 1,
         "model": {"cell": "gru", "units": 4, "embedding_dim": 4}}
    )
    run = RunDir(folder)
    assert run_training(config, run)["state"] == "done"
    return run


def test_a_new_process_of_a_run_sweeps_the_temporaries_a_killed_one_left(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    stale = [".model_last.424242.tmp.keras", ".status.json.424242.0a1b2c3d.tmp"]
    for name in stale:
        (folder / name).write_bytes(b"half a file")
    (folder / ".status.lock").touch()  # a lock, not a temporary: it stays
    run = _sentiment_run(folder)
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    assert not set(stale) & set(left) and ".status.lock" in left
    assert not [name for name in left if ".tmp" in name], left
    assert "removed 2 temporary file(s)" in run.log_path.read_text(encoding="utf-8")


def test_a_truncated_model_is_listed_and_explained_and_the_others_still_load(tmp_path):
    from core.predict import SentimentPredictor

    store = RunStore(tmp_path / "checkpoints")
    good = _sentiment_run(store.root / "good-run")
    bad = _sentiment_run(store.root / "bad-run")
    data = bad.best_model_path.read_bytes()
    bad.best_model_path.write_bytes(data[: len(data) // 3])

    listed = dict(runs.model_choices(store, "sentiment"))
    assert "bad-run" in listed and "good-run" in listed
    problems = {label: runs.model_problem(folder) for label, folder in listed.items()}
    assert problems["good-run"] is None
    assert problems["bad-run"] and "model_best.keras" in problems["bad-run"]
    with pytest.raises(RnnLabError) as caught:
        SentimentPredictor.from_run(bad.path)
    assert caught.value.key == "predict.broken_model" and caught.value.params["reason"]
    assert 0.0 < float(SentimentPredictor.from_run(good.path).predict(["很好"])[0]) < 1.0


APP = r"""
import sys
from pathlib import Path
from core.runs import RunStore
store = RunStore(Path(sys.argv[1]))
run = store.create(__import__("json").loads(sys.argv[2]), owner="session-of-the-dead-server")
print(store.start(run.run_id)["state"], run.run_id, flush=True)
import time; time.sleep(600)  # the "server" lives on until it is killed
"""


def test_a_run_survives_the_death_of_the_server_that_started_it_and_is_reattached(tmp_path, corpus):  # noqa: F811
    root = tmp_path / "checkpoints"
    server = subprocess.Popen([sys.executable, "-c", APP, str(root), json.dumps(lm_config(corpus, epochs=200))], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        state, run_id = server.stdout.readline().split()
        assert state == "running"
    finally:
        server.send_signal(signal.SIGKILL)  # the app server dies without any clean-up
        server.wait(timeout=30)
    store = RunStore(root)  # a new server process: it knows the run only from its folder
    run = store.run(run_id)
    try:
        first = wait_for(lambda: (run.status().get("batch") or run.status().get("epoch")) and run.status(), "the orphaned run to train")
        beat = first["heartbeat"]
        wait_for(lambda: run.status()["heartbeat"] > beat, "a newer heartbeat after the server died")
        assert state_of(store, run_id) == "running" and runs._pid_alive(first["pid"], run.path)
        store.stop(run_id, actor="session-of-the-dead-server")  # its owner (or the admin) can still stop it
        final = wait_for(lambda: state_of(store, run_id) not in ("running", "queued") and run.status(), "the stop")
        assert final["state"] == "cancelled"
        assert run.last_model_path.exists()
    finally:
        store.kill(run_id)


def test_a_frozen_run_is_flagged_stalled_and_recovers_when_it_reports_again(store, corpus, monkeypatch):  # noqa: F811
    run = store.create(lm_config(corpus, epochs=200), label="frozen")
    status = store.start(run.run_id)
    pid = status.get("pid") or wait_for(lambda: run.status().get("pid"), "the pid")
    wait_for(lambda: run.status().get("batch") or run.status().get("epoch"), "training to start")
    monkeypatch.setattr(runs, "HEARTBEAT_STALE_SECONDS", 3.0)
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(4.5)
        frozen = store.refresh(run)
        assert frozen["state"] == "running" and frozen["stalled"] is True
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_for(lambda: store.refresh(run).get("stalled") is False, "the heartbeat to resume")
    store.kill(run.run_id)
