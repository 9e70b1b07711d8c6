"""A full disk or an unwritable run folder fails the run with a sentence (issue 7), with real processes.

A full disk is stood in for by ``RLIMIT_FSIZE`` (with SIGXFSZ ignored): a write past the
limit fails with EFBIG exactly where a full disk fails with ENOSPC, and the limit lets the
small JSON files through but not a ``.keras`` model. The tests run as root in CI, where
``chmod`` stops nothing, so "unwritable" is a path occupied by something that cannot be
written: a file where the run's TensorBoard folder or the run folder itself must be.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core import runs
from core.i18n import tr
from core.runs import RunDir, RunStore

ROOT = Path(__file__).resolve().parents[2]

keras = pytest.importorskip("keras")

CONFIG = {
    "task": "sentiment", "dataset": "chinese_reviews", "maxlen": 20, "max_train_texts": 200, "epochs": 1, "batch_size": 64,
    "model": {"cell": "gru", "units": 4, "embedding_dim": 4},
}
MODEL_LIMIT = 50_000
"""Bytes per file: config/status/history/vocab (about 26 kB) fit, this config's .keras model (about 100 kB) does not."""


def _train(run: RunDir, *args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    """`python -m core.train ... --run-dir RUN` in its own process, writing files of at most `limit` bytes."""

    def cap_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "core.train", *args, "--run-dir", str(run.path)],
        cwd=ROOT,
        preexec_fn=cap_file_size if limit else None,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )


def _config_file(tmp_path: Path) -> str:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(CONFIG), encoding="utf-8")
    return str(path)


def _assert_disk_failure(proc: subprocess.CompletedProcess, status: dict, path: Path, reason: str | None = None) -> None:
    assert proc.returncode != 0
    assert status["state"] == "failed", status
    assert status["error_key"] == "train.disk" and status["error_params"]["path"] == str(path), status
    if reason is not None:
        assert status["error_params"]["reason"] == reason
    assert status["error"] == tr("train.disk", "en", **status["error_params"]) and "\n" not in status["error"]
    assert status["error"] in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]


def _temporary_files(run: RunDir) -> list[str]:
    return [p.name for p in run.path.iterdir() if ".tmp" in p.name]


def test_a_full_disk_at_a_checkpoint_fails_the_run_and_keeps_the_previous_checkpoint(tmp_path):
    from core.train import TrainConfig, load_run_model, run_training

    store = RunStore(tmp_path / "checkpoints")
    run = store.run("full-disk")
    assert run_training(TrainConfig.from_dict(CONFIG), run)["state"] == "done"  # epoch 1, on a roomy disk
    before = run.last_model_path.read_bytes()
    assert run.vocab_path.stat().st_size < MODEL_LIMIT < len(before), "the limit must pass the JSON files and stop the model"

    proc = _train(run, "--resume", "--set", "epochs=2", limit=MODEL_LIMIT)  # epoch 2's save hits the "full disk"

    status = run.status()
    _assert_disk_failure(proc, status, run.last_model_path, reason=os.strerror(errno.EFBIG))
    assert status["epoch"] == 1 and [h["epoch"] for h in run.history()] == [1]
    assert _temporary_files(run) == [], "the half-written model must be removed"
    assert run.last_model_path.read_bytes() == before, "the previous checkpoint is untouched"
    for path in (run.last_model_path, run.best_model_path):
        model = load_run_model(path)  # the project's loader, safe_mode on
        assert model.predict(keras.ops.zeros((1, 20), dtype="int32"), verbose=0).shape == (1, 1)
    assert runs.model_problem(run.path) is None
    assert store.list_ids() == ["full-disk"]
    assert runs.runs_table(store).set_index("run").loc["full-disk", "state"] == "failed"
    assert [label for label, _ in runs.model_choices(store, "sentiment") if label == "full-disk"] == ["full-disk"]


def test_a_file_where_the_tensorboard_folder_must_be_fails_the_run_with_the_sentence(tmp_path):
    from core.train import load_run_model

    run = RunDir(tmp_path / "run")
    run.path.mkdir()
    run.tensorboard_dir.write_text("not a folder", encoding="utf-8")  # nobody, root included, can write tb/train in it

    proc = _train(run, "--config", _config_file(tmp_path))

    status = run.status()
    _assert_disk_failure(proc, status, run.tensorboard_dir)
    assert "not a directory" in status["error_params"]["reason"]
    assert _temporary_files(run) == []
    load_run_model(run.last_model_path)  # saved before the scalars: still whole


def test_a_run_folder_that_cannot_be_made_is_a_sentence_not_a_traceback(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    run = RunDir(blocker / "run")

    proc = _train(run, "--config", _config_file(tmp_path))

    assert proc.returncode != 0
    # (said as a folder that cannot be made, not as a run that "stopped" with "its last checkpoint kept")
    assert tr("train.cli_bad_run_dir", "en", folder=str(run.path), reason=os.strerror(errno.ENOTDIR)) in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr


def test_when_even_status_json_cannot_be_written_the_reason_goes_to_stderr(tmp_path):
    run = RunDir(tmp_path / "run")
    run.path.mkdir()

    proc = _train(run, "--config", _config_file(tmp_path), limit=100)  # a disk with no room for any file

    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    expected = tr("train.disk", "en", path=str(run.config_path), reason=os.strerror(errno.EFBIG))
    assert f"could not record the run as failed in {run.status_path}" in proc.stderr and expected in proc.stderr, proc.stderr[-2000:]
    assert not run.status_path.exists() and not run.config_path.exists()
    assert _temporary_files(run) == []
