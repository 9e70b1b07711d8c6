"""The run store: every training run is a folder under `checkpoints/`.

```
checkpoints/<run-id>/
  config.json        the TrainConfig (plain data)
  status.json        state, pid, heartbeat, epoch, error, owner, times
  history.jsonl      one JSON line per epoch (loss, accuracy / perplexity, val_*)
  batches.jsonl      one JSON line every N batches (for live curves)
  samples.jsonl      language models: text generated from fixed prefixes
  vocab.json         the vocabulary the run encoded its data with
  model_last.keras   saved at the end of every epoch (and on stop)
  model_best.keras   saved when the validation figure improves
  stop_request       present when someone asked the run to stop
  train.log          the training process's own output
  tb/                TensorBoard logs
```

Every file is written atomically (temporary file in the same folder, fsync,
`os.replace`), so a run killed at any moment never leaves a half-written file
that later breaks loading. Training runs in its own OS process
(`python -m core.train --run-dir DIR`); this module starts it, queues runs over
the concurrency limit, asks runs to stop, and notices runs whose process died.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from core import paths
from core.errors import RnnLabError

STATES = ("queued", "running", "done", "failed", "cancelled", "interrupted")
ACTIVE_STATES = ("queued", "running")
HEARTBEAT_STALE_SECONDS = 120.0
RUN_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")
SHIPPED_DIR = "shipped"


def max_concurrent_runs() -> int:
    """How many runs train at once (`RNNLAB_MAX_CONCURRENT_RUNS`; default 1, which suits 2 cores)."""
    return max(1, int(os.environ.get("RNNLAB_MAX_CONCURRENT_RUNS", "1")))


# --------------------------------------------------------------------------- atomic files


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` so that readers see the old or the new file, never a mix."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(tmp, mode, **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_json(path: Path, value: Any) -> None:
    write_atomic(path, json.dumps(value, ensure_ascii=False, indent=1))


def read_json(path: Path, default: Any = None) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def append_jsonl(path: Path, row: dict) -> None:
    """Append one JSON line; a line is written whole with one `write` on an O_APPEND file."""
    line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def read_jsonl(path: Path) -> list[dict]:
    """Every complete line of a JSON-lines file (a torn last line from a killed writer is skipped)."""
    rows: list[dict] = []
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                try:
                    rows.append(json.loads(line))
                except ValueError:
                    continue
    except OSError:
        pass
    return rows


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- one run folder


@dataclass
class RunDir:
    """The files of one run. Used by the training process (writer) and the pages (readers)."""

    path: Path

    def __post_init__(self) -> None:
        self.path = Path(self.path)

    @property
    def run_id(self) -> str:
        return self.path.name

    # paths
    @property
    def config_path(self) -> Path:
        return self.path / "config.json"

    @property
    def status_path(self) -> Path:
        return self.path / "status.json"

    @property
    def history_path(self) -> Path:
        return self.path / "history.jsonl"

    @property
    def batches_path(self) -> Path:
        return self.path / "batches.jsonl"

    @property
    def samples_path(self) -> Path:
        return self.path / "samples.jsonl"

    @property
    def vocab_path(self) -> Path:
        return self.path / "vocab.json"

    @property
    def last_model_path(self) -> Path:
        return self.path / "model_last.keras"

    @property
    def best_model_path(self) -> Path:
        return self.path / "model_best.keras"

    @property
    def stop_path(self) -> Path:
        return self.path / "stop_request"

    @property
    def log_path(self) -> Path:
        return self.path / "train.log"

    @property
    def tensorboard_dir(self) -> Path:
        return self.path / "tb"

    # reading
    def config(self) -> dict:
        return read_json(self.config_path, {}) or {}

    def status(self) -> dict:
        return read_json(self.status_path, {}) or {}

    def history(self) -> list[dict]:
        return read_jsonl(self.history_path)

    def batches(self) -> list[dict]:
        return read_jsonl(self.batches_path)

    def samples(self) -> list[dict]:
        return read_jsonl(self.samples_path)

    # writing (the training process)
    def update_status(self, **fields: Any) -> dict:
        """Merge `fields` into status.json (atomically) and stamp the heartbeat."""
        status = self.status()
        status.update(fields)
        status["heartbeat"] = time.time()
        write_json(self.status_path, status)
        return status

    def save_model(self, model, which: str = "last") -> Path:
        """Save a Keras model as `.keras` atomically (to a temporary name, then rename)."""
        target = self.best_model_path if which == "best" else self.last_model_path
        tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.keras")
        model.save(tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
        return target

    def stop_requested(self) -> bool:
        return self.stop_path.exists()

    def request_stop(self) -> None:
        write_atomic(self.stop_path, str(time.time()))


# --------------------------------------------------------------------------- the store


def validate_run_id(run_id: str) -> str:
    """A run id is a plain folder name: lower-case letters, digits, '-' and '_' (no path tricks)."""
    if not isinstance(run_id, str) or not RUN_ID_PATTERN.match(run_id) or run_id == SHIPPED_DIR:
        raise RnnLabError("runs.bad_id", run_id=str(run_id)[:100])
    return run_id


_CHILDREN: list[subprocess.Popen] = []
"""Training processes this process started; polled so finished ones are reaped, not left as zombies."""


def _reap_children() -> None:
    for proc in list(_CHILDREN):
        if proc.poll() is not None:
            _CHILDREN.remove(proc)


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (finished child not yet reaped) is not alive
        with open(f"/proc/{int(pid)}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


class RunStore:
    """All runs under one folder: create, start (or queue), stop, resume, delete, list."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else paths.checkpoints_dir()

    def run(self, run_id: str) -> RunDir:
        run_id = validate_run_id(run_id)
        path = (self.root / run_id).resolve()
        if path.parent != self.root.resolve():
            raise RnnLabError("runs.bad_id", run_id=run_id)
        return RunDir(path)

    def exists(self, run_id: str) -> bool:
        return self.run(run_id).config_path.exists()

    def new_run_id(self, label: str = "run") -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40] or "run"
        return f"{time.strftime('%Y%m%d-%H%M%S')}-{slug}-{secrets.token_hex(3)}"

    def create(self, config: dict, owner: str | None = None, label: str = "run") -> RunDir:
        """A new run folder holding `config`, queued (not started)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            run = self.run(self.new_run_id(label))
            run.path.mkdir()
            write_json(run.config_path, config)
            write_json(run.status_path, {"state": "queued", "owner": owner, "created": time.time(), "heartbeat": time.time(), "epoch": 0})
        except OSError as exc:
            raise RnnLabError("runs.unwritable", folder=str(self.root), reason=str(exc)) from exc
        return run

    def list_ids(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(
            (p.name for p in self.root.iterdir() if p.is_dir() and RUN_ID_PATTERN.match(p.name) and p.name != SHIPPED_DIR and (p / "config.json").exists()),
            reverse=True,
        )

    # ------------------------------------------------------------------ lifecycle
    def refresh(self, run: RunDir) -> dict:
        """The run's status, with a dead or silent running process marked interrupted."""
        _reap_children()
        status = run.status()
        if status.get("state") == "running":
            silent = time.time() - float(status.get("heartbeat", 0)) > HEARTBEAT_STALE_SECONDS
            if not _pid_alive(status.get("pid")) or silent:
                status = run.update_status(state="interrupted", error=status.get("error") or ("heartbeat stopped" if silent else "process ended unexpectedly"))
        return status

    def start(self, run_id: str, resume: bool = False) -> dict:
        """Queue the run and start as many queued runs as the concurrency limit allows."""
        run = self.run(run_id)
        status = self.refresh(run)
        if status.get("state") == "running":
            return status
        if resume and status.get("state") not in ("interrupted", "cancelled", "failed", "done"):
            raise RnnLabError("runs.cannot_resume", state=status.get("state", "?"))
        run.stop_path.unlink(missing_ok=True)
        run.update_status(state="queued", resume=bool(resume), queued_at=time.time(), error=None)
        self.schedule()
        return run.status()

    def schedule(self) -> list[str]:
        """Start queued runs, oldest first, while fewer than the limit are running. Returns the started ids."""
        started: list[str] = []
        with _file_lock(self.root / ".schedule.lock"):
            runs = [self.run(i) for i in self.list_ids()]
            statuses = {r.run_id: self.refresh(r) for r in runs}
            running = sum(1 for s in statuses.values() if s.get("state") == "running")
            queued = sorted((r for r in runs if statuses[r.run_id].get("state") == "queued"), key=lambda r: statuses[r.run_id].get("queued_at", statuses[r.run_id].get("created", 0)))
            for run in queued:
                if running >= max_concurrent_runs():
                    break
                self._spawn(run, resume=bool(statuses[run.run_id].get("resume")))
                running += 1
                started.append(run.run_id)
        return started

    def _spawn(self, run: RunDir, resume: bool) -> None:
        cmd = [sys.executable, "-m", "core.train", "--run-dir", str(run.path)]
        if resume:
            cmd.append("--resume")
        log = open(run.log_path, "ab")
        try:
            proc = subprocess.Popen(
                cmd,
                cwd=paths.PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # survives the page's rerun and the server's restart
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        finally:
            log.close()
        _CHILDREN.append(proc)
        run.update_status(state="running", pid=proc.pid, started=time.time())

    def stop(self, run_id: str) -> None:
        """Ask the run to finish its batch, save and end as cancelled (a queued run is cancelled at once)."""
        run = self.run(run_id)
        status = self.refresh(run)
        if status.get("state") == "queued":
            run.update_status(state="cancelled")
        elif status.get("state") == "running":
            run.request_stop()

    def kill(self, run_id: str) -> None:
        """Terminate the run's process group at once (operators and tests; the run becomes interrupted)."""
        status = self.run(run_id).status()
        pid = status.get("pid")
        if pid and _pid_alive(pid):
            try:
                os.killpg(int(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def delete(self, run_id: str) -> None:
        run = self.run(run_id)
        if self.refresh(run).get("state") == "running":
            raise RnnLabError("runs.delete_running", run_id=run_id)
        shutil.rmtree(run.path, ignore_errors=True)

    def wait(self, run_id: str, timeout: float = 600.0, poll: float = 0.5) -> dict:
        """Block until the run is no longer queued or running (for the CLI and tests)."""
        run = self.run(run_id)
        deadline = time.monotonic() + timeout
        while True:
            status = self.refresh(run)
            if status.get("state") not in ACTIVE_STATES:
                return status
            if time.monotonic() > deadline:
                raise TimeoutError(f"run {run_id} still {status.get('state')} after {timeout} s")
            if status.get("state") == "queued":
                self.schedule()
            time.sleep(poll)
