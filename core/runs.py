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

import contextlib
import errno
import json
import math
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from core import paths
from core.errors import RnnLabError
from core.i18n import escape_markdown, tr

STATES = ("created", "queued", "running", "done", "failed", "cancelled", "interrupted")
ACTIVE_STATES = ("queued", "running")
HEARTBEAT_STALE_SECONDS = 120.0
RUN_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,80}$")
SHIPPED_DIR = "shipped"


def max_concurrent_runs() -> int:
    """How many runs train at once (`RNNLAB_MAX_CONCURRENT_RUNS`; default 1, which suits 2 cores; see core.hosting)."""
    from core.hosting import settings

    return settings().max_concurrent_runs


# --------------------------------------------------------------------------- atomic files


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` so that readers see the old or the new file, never a mix."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    mode = "wb" if isinstance(data, bytes) else "w"
    try:
        with open(tmp, mode, **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        _failed_write(exc, tmp, path)


def _failed_write(exc: BaseException, tmp: Path, path: Path) -> None:
    """After a failed atomic write: remove the temporary file and re-raise, an OSError naming the real file.

    A full disk (ENOSPC), a file-size limit (EFBIG) or a folder that cannot be written
    must leave neither a half-written file under the real name nor a stray temporary
    one, and the error says which file could not be written (not the temporary name).
    """
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass
    if isinstance(exc, OSError) and exc.errno is not None:
        raise OSError(exc.errno, exc.strerror or os.strerror(exc.errno), str(path)) from exc
    raise exc


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
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            if os.write(fd, line) != len(line):  # the disk filled up part-way through the line
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        finally:
            os.close(fd)
    except OSError as exc:
        if exc.filename is None and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror or os.strerror(exc.errno), str(path)) from exc
        raise


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

    def saved_weights(self) -> dict[str, dict]:
        """The model files a playground may load, by kind, each with the epoch it holds and that
        epoch's record from history.jsonl (`val_perplexity`, `val_accuracy`, ...):
        ``{"best": {"epoch": 4, ...}, "last": {"epoch": 30, ...}}``. "best" is the epoch whose
        validation loss was lowest, "last" the latest saved (the run's samples are written from
        it); "last" is left out when it holds the same epoch as "best", and a file missing is
        left out. An epoch unknown (a run from before status.json said) is None."""
        status = self.status()
        records = {int(row["epoch"]): row for row in self.history() if isinstance(row.get("epoch"), (int, float))}
        best_epoch = (status.get("best") or {}).get("epoch")
        last_epoch = status.get("checkpoint_epoch") or (status.get("last") or {}).get("epoch") or status.get("epoch")
        found: dict[str, dict] = {}
        for kind, path, epoch in (("best", self.best_model_path, best_epoch), ("last", self.last_model_path, last_epoch)):
            if not path.exists():
                continue
            epoch = int(epoch) if isinstance(epoch, (int, float)) else None
            if kind == "last" and "best" in found and epoch == found["best"]["epoch"]:
                continue
            found[kind] = {**records.get(epoch, {}), "epoch": epoch}
        return found

    def samples(self) -> list[dict]:
        return read_jsonl(self.samples_path)

    # writing (the training process)
    def update_status(self, **fields: Any) -> dict:
        """Merge `fields` into status.json (atomically) and stamp the heartbeat.

        Read-modify-write under a lock, since the page and the training process both write it.
        """
        with _file_lock(self.path / ".status.lock"):
            status = self.status()
            status.update(fields)
            status["heartbeat"] = time.time()
            write_json(self.status_path, status)
        return status

    def _model_path(self, which: str) -> Path:
        return self.best_model_path if which == "best" else self.last_model_path

    def _write_model(self, target: Path, write: Callable[[Path], Any]) -> Path:
        """``write(tmp)`` a `.keras` file beside ``target``, fsync it, then rename it onto ``target``.

        When that fails (a full disk, say), the temporary file is removed and the previous
        file under the real name is left as it was.
        """
        tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.keras")
        try:
            write(tmp)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException as exc:
            _failed_write(exc, tmp, target)
        return target

    def save_model(self, model, which: str = "last") -> Path:
        """Save a Keras model as `.keras` atomically (to a temporary name, then rename)."""
        return self._write_model(self._model_path(which), model.save)

    def copy_model(self, source: str = "last", target: str = "best") -> Path:
        """Copy one saved model file onto the other, atomically: the same bytes as saving the
        same model again, without serialising it a second time."""
        src = self._model_path(source)
        return self._write_model(self._model_path(target), lambda tmp: shutil.copyfile(src, tmp))

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


def _kill_group(pid: int) -> None:
    """SIGKILL a training process and its process group (each runs in a session of its own)."""
    try:
        os.killpg(int(pid), signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def warm_queue() -> bool:
    """Whether the next queued runs wait with their process started (`RNNLAB_WARM_QUEUE`, default
    1): a run's turn then begins in about a second instead of the 15-45 s its process takes to
    import TensorFlow on a busy 2-core server (`bench/bench_queue.py`); `0` starts a queued run's
    process only at its turn, and saves that process's memory meanwhile."""
    return os.environ.get("RNNLAB_WARM_QUEUE", "1").strip() != "0"


def _pid_alive(pid: int | None, run_path: Path | None = None) -> bool:
    """Whether `pid` is a live process (not a zombie) and, given `run_path`, the training process of that run.

    Checking the command line guards against a pid reused by another program after a restart.
    """
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{int(pid)}/stat") as f:
            if f.read().split(")")[-1].split()[0] == "Z":
                return False
        if run_path is not None:
            with open(f"/proc/{int(pid)}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
            return "core.train" in cmdline and Path(run_path).name in cmdline
    except OSError:
        return True
    return True


OPERATOR = "__operator__"
"""The ``actor`` of calls from the CLI, tests and the operator's own code: may manage any run.
The app passes the browser session's id instead (and ``admin=True`` for the admin)."""


def status_error(status: dict, lang: str = "en", markdown: bool = False) -> str | None:
    """The run's error in the reader's language: from ``error_key``/``error_params`` when the
    run stored them (every failure the training process recognises does), else the stored
    English ``error``; None when the status has no error. ``markdown=True``: for a Markdown
    renderer, the parameters (or the whole stored sentence, which already holds them) escaped."""
    key, params = status.get("error_key"), status.get("error_params") or {}
    if key:
        try:  # (as the error says itself: a range's setting by its name on the form too, "词表大小上限（max_tokens）")
            text = RnnLabError(key, **params).message(lang, markdown=markdown) if isinstance(params, dict) else key
        except (KeyError, IndexError, ValueError, TypeError):  # parameters that do not fit the text (an edited or older file): its English sentence
            text = key
        if text != key:
            return text
    error = status.get("error")
    return escape_markdown(error) if markdown and error is not None else error


def run_slug(label: str) -> str:
    """A label as the middle of a run id: lower case letters, digits and dashes, 40 at most."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40] or "run"


class RunStore:
    """All runs under one folder: create, start (or queue), stop, resume, delete, list.

    ``start``, ``stop`` and ``delete`` take an ``actor``: the app passes the browser
    session's owner id, and only the run's owner (or ``admin=True``) may act on it
    (see core.hosting.can_manage); the default, `OPERATOR`, is the CLI's and the tests'.
    """

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
        return f"{time.strftime('%Y%m%d-%H%M%S')}-{run_slug(label)}-{secrets.token_hex(3)}"

    def create(self, config: dict, owner: str | None = None, label: str = "run", owner_name: str | None = None, estimated_seconds: float | None = None) -> RunDir:
        """A new run folder holding `config`, queued (not started). ``owner_name``: the name its
        student typed (`clean_owner_name`), shown in the run list so a teacher knows whose it is.
        ``estimated_seconds``: how long it should train (the New run form's estimate, within its time
        limit), for the wait of the runs queued behind it (`queue_wait`)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            run = self.run(self.new_run_id(label))
            run.path.mkdir()
            write_json(run.config_path, config)
            write_json(run.status_path, {"state": "created", "owner": owner, "owner_name": clean_owner_name(owner_name), "created": time.time(), "heartbeat": time.time(), "epoch": 0,
                                         **({"estimated_seconds": round(float(estimated_seconds), 1)} if estimated_seconds is not None else {})})
        except OSError as exc:
            raise RnnLabError("runs.unwritable", folder=str(self.root), reason=str(exc)) from exc
        return run

    def stamp(self) -> frozenset[tuple[str, int]]:
        """What changes when a run is made, deleted, queued, started, stopped or ends: each run's
        id with its status.json's modification time (file listings and stats only, nothing read;
        a page that shows the list while no run is active looks at it every few seconds)."""
        found = set()
        for run_id in self.list_ids():
            try:
                found.add((run_id, self.run(run_id).status_path.stat().st_mtime_ns))
            except (OSError, RnnLabError):  # (deleted meanwhile: changed)
                continue
        return frozenset(found)

    def list_ids(self) -> list[str]:
        """The runs' ids, newest first: by the time in the id (to the second), then, for runs made
        in the same second (a class pressing Start together), by their status's creation time,
        not by the id's random tail."""
        if not self.root.is_dir():
            return []
        folders = [p for p in self.root.iterdir() if p.is_dir() and RUN_ID_PATTERN.match(p.name) and p.name != SHIPPED_DIR and (p / "config.json").exists()]
        seconds = Counter(folder.name[:15] for folder in folders)  # "20261202-032447": the id's time

        def newest_first(folder: Path) -> tuple:
            created = 0.0
            if seconds[folder.name[:15]] > 1:  # (status.json is read only for such ties)
                value = RunDir(folder).status().get("created")
                created = float(value) if isinstance(value, (int, float)) else 0.0
            return (folder.name[:15], created, folder.name)

        return [folder.name for folder in sorted(folders, key=newest_first, reverse=True)]

    # ------------------------------------------------------------------ lifecycle
    def refresh(self, run: RunDir, schedule_next: bool = True) -> dict:
        """The run's status: a running run whose process is gone becomes interrupted, and the queue
        moves on (`schedule`; not when `schedule` itself asks: `schedule_next=False`); one whose
        process lives but has not written a heartbeat for a while is flagged `stalled` (not
        stored: it clears as soon as the process reports again)."""
        _reap_children()
        status = run.status()
        if status.get("state") == "running":
            if status.get("pid") is None and time.time() - float(status.get("started") or 0) < 60:
                return status  # being spawned: the pid is written in a moment
            if not _pid_alive(status.get("pid"), run.path):
                died = False
                with _file_lock(run.path / ".status.lock"):
                    status = run.status()  # the process may have written its final state meanwhile
                    if status.get("state") == "running":
                        # it ended at its last sign of life: later writes (a resume's queueing) stamp a new heartbeat,
                        # which `training_seconds` took for the end of the stretch, the idle time counted as training
                        status.update(state="interrupted", finished=status.get("finished") or status.get("heartbeat"), **({} if status.get("error") else RnnLabError("run.died").status_fields()))
                        write_json(run.status_path, status)
                        died = True
                # a process killed (the OOM killer, kill -9) never reaches its own _schedule_next: the
                # queued runs waited for good, until someone happened to start another (a class scenario)
                if died and schedule_next:
                    with contextlib.suppress(OSError, RnnLabError):  # (reading a status must not fail for another run's start; the next start says it)
                        self.schedule()
            else:
                status["stalled"] = time.time() - float(status.get("heartbeat", 0)) > HEARTBEAT_STALE_SECONDS
        return status

    def check_actor(self, run: RunDir, actor: str = OPERATOR, admin: bool = False) -> dict:
        """The run's status, after checking that ``actor`` may manage it (RnnLabError "runs.not_owner")."""
        from core.hosting import can_manage

        status = self.refresh(run)
        if actor != OPERATOR and not can_manage(status.get("owner"), actor, admin):
            raise RnnLabError("runs.not_owner", run_id=run.run_id)
        return status

    def start(self, run_id: str, resume: bool = False, actor: str = OPERATOR, admin: bool = False, time_limit_minutes: int | None = None) -> dict:
        """Queue the run and start as many queued runs as the concurrency limit allows.

        ``time_limit_minutes``: the run's own time limit (`TrainConfig.time_limit_minutes`,
        which a resume may change) becomes at most this first: the app resumes a run made
        before it had limits, or from the command line, within the instance's."""
        run = self.run(run_id)
        status = self.check_actor(run, actor, admin)
        if status.get("state") == "running":
            return status
        if resume and status.get("state") not in ("interrupted", "cancelled", "failed", "done"):
            raise RnnLabError("runs.cannot_resume", state=status.get("state", "?"))
        if resume and status.get("stopped_by") == "teacher" and status.get("state") == "cancelled" and not admin and actor != OPERATOR:
            # the teacher's stop sticks: its student resumed it at once, and the run the teacher had
            # stopped (too big for a shared server, say) took its place in the queue again
            raise RnnLabError("runs.teacher_stopped", run_id=run_id)
        if not resume and status.get("state") not in ("created", "queued"):
            raise RnnLabError("runs.cannot_start", state=status.get("state", "?"))
        if time_limit_minutes is not None:
            config = run.config()
            own = config.get("time_limit_minutes")
            if config and not (isinstance(own, (int, float)) and not isinstance(own, bool) and 0 < own <= time_limit_minutes):
                write_json(run.config_path, {**config, "time_limit_minutes": int(time_limit_minutes)})
        run.stop_path.unlink(missing_ok=True)
        run.update_status(state="queued", resume=bool(resume), queued_at=time.time(), error=None, stopped_by=None)
        self.schedule()
        return run.status()

    def queued_in_order(self, statuses: dict[str, dict] | None = None) -> list[str]:
        """The queued runs' ids, oldest first: the order `schedule` starts them in (``statuses``:
        each run's status by id, when the caller has read them already)."""
        if statuses is None:
            statuses = {i: self.run(i).status() for i in self.list_ids()}
        return sorted((i for i, s in statuses.items() if s.get("state") == "queued"), key=lambda i: statuses[i].get("queued_at", 0))

    def queue_wait(self, run_id: str, statuses: dict[str, dict] | None = None, now: float | None = None) -> tuple[int, float | None, bool] | None:
        """Where a queued run stands: (its place, 1 first; the seconds until it can start, or None
        when the runs training have no estimate yet; whether that is the time itself or a least
        time). None when the run is not queued; no seconds while a slot is free (the scheduler
        starts it at its next look). With the estimate of every run ahead (``estimated_seconds``,
        the New run form's, written when it was queued), the runs ahead fill the slots as they free
        and the time is that estimate's ("about").

        A queued run starts when a running run ends and the runs ahead of it have started. First
        in line, that is when the first of the runs training ends: each one's own estimate of the
        time it has left (written with its heartbeat, counted down since). Further back, the runs
        ahead take the slots that free first and their own lengths are not known before they
        train: the place-th end among the runs training now is a least time ("not before"), and
        beyond the runs training there is no figure. A run still starting (no epoch timed) has no
        estimate, so neither has the queue."""
        if statuses is None:
            statuses = {i: self.run(i).status() for i in self.list_ids()}
        order = self.queued_in_order(statuses)
        if run_id not in order:
            return None
        place = order.index(run_id) + 1
        now = time.time() if now is None else now
        running = [s for s in statuses.values() if s.get("state") == "running"]
        free_slots = max(0, max_concurrent_runs() - len(running))
        if place <= free_slots:  # a free slot: the scheduler starts it at its next look, no wait to tell
            return place, None, False
        ends = []
        for status in running:
            eta = status.get("eta_seconds")
            if eta is None or not status.get("epoch_running"):
                return place, None, False
            ends.append(max(0.0, float(eta) - max(0.0, now - float(status.get("heartbeat") or now))))
        ends.sort()
        nth = place - free_slots  # the run starts at the nth end among those training now, at the soonest
        ahead = [statuses[i].get("estimated_seconds") for i in order[: place - 1]]
        if ahead and all(isinstance(e, (int, float)) and e >= 0 for e in ahead):
            # the runs ahead each take a slot as one frees and hold it for their own estimate (written
            # when they were queued, `create`): the wait of place 2 and beyond, where there was no
            # figure at all (a class of five: "place 4 in the queue" and nothing more)
            slots = sorted(ends + [0.0] * free_slots)
            for seconds in ahead:
                slots.append(slots.pop(0) + float(seconds))
                slots.sort()
            return place, slots[0], True
        if nth > len(ends):
            return place, None, False
        return place, ends[nth - 1], nth == 1

    def schedule(self) -> list[str]:
        """Start queued runs, oldest first, while fewer than the limit are running. Returns the started ids.

        A queued run next in line has its process started ahead of its turn (`warm_queue`): it
        imports TensorFlow while it waits, and its turn is handed to it (`warm_pid`). The others
        wait as files only."""
        started: list[str] = []
        with _file_lock(self.root / ".schedule.lock"):
            runs = [self.run(i) for i in self.list_ids()]
            statuses = {r.run_id: self.refresh(r, schedule_next=False) for r in runs}
            running = sum(1 for s in statuses.values() if s.get("state") == "running")
            waiting = [self.run(i) for i in self.queued_in_order(statuses)]
            for run in list(waiting):
                if running >= max_concurrent_runs():
                    break
                status = statuses[run.run_id]
                if _pid_alive(status.get("warm_pid"), run.path):
                    self._hand_turn(run, int(status["warm_pid"]), resume=bool(status.get("resume")))
                else:
                    self._spawn(run, resume=bool(status.get("resume")))
                running += 1
                started.append(run.run_id)
                waiting.remove(run)
            if warm_queue():  # the next in line, as many as could start at once, wait with TensorFlow loaded
                for run in waiting[: max_concurrent_runs()]:
                    if not _pid_alive(statuses[run.run_id].get("warm_pid"), run.path):
                        self._spawn(run, resume=bool(statuses[run.run_id].get("resume")), warm=True)
        return started

    def _carried(self, run: RunDir, resume: bool) -> dict:
        # A resumed run's earlier stretches are counted now, from the stopped status, before
        # `started` is overwritten: the process read 0 s from it (a stop and a resume lost the 21 s before the stop)
        return {"finished": None, "earlier_seconds": round(training_seconds(run.status()) or 0.0, 3)} if resume else {}

    def _hand_turn(self, run: RunDir, pid: int, resume: bool) -> None:
        """Start a queued run whose process already waits (`_spawn(warm=True)`): "running" with
        its pid is what that process waits for."""
        now = time.time()
        run.update_status(state="running", started=now, spawned=now, pid=pid, warm_pid=None, epoch_running=None, **self._carried(run, resume))

    def _spawn(self, run: RunDir, resume: bool, warm: bool = False) -> None:
        """Start the run's training process. ``warm``: a queued run's process, which loads
        TensorFlow and waits until `_hand_turn` gives it its turn (`core.train --wait-turn`);
        the run stays queued, the process's pid kept as `warm_pid`."""
        cmd = [sys.executable, "-m", "core.train", "--run-dir", str(run.path)]
        if resume:
            cmd.append("--resume")
        if warm:
            cmd.append("--wait-turn")
        else:
            # "running" is written before the process exists, so nothing the process writes
            # (even a quick "failed") can be overwritten by the parent afterwards
            now = time.time()  # (spawned: when its start-up began, which the page counts "starting" from)
            run.update_status(state="running", started=now, spawned=now, pid=None, warm_pid=None, epoch_running=None, **self._carried(run, resume))  # (no epoch begun yet: "starting")
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
        with _file_lock(run.path / ".status.lock"):
            status = run.status()
            if warm:
                if status.get("state") == "queued":
                    status["warm_pid"] = proc.pid
                    write_json(run.status_path, status)
                else:  # stopped meanwhile: the process would wait for nothing
                    _kill_group(proc.pid)
            elif status.get("pid") is None:
                status["pid"] = proc.pid
                write_json(run.status_path, status)

    def stop(self, run_id: str, actor: str = OPERATOR, admin: bool = False) -> None:
        """Ask the run to finish its batch, save and end as cancelled (a queued run is cancelled at once).
        Who asked is kept in its status (`stopped_by`): "teacher" when the host's admin stopped
        another session's run (its student is told so, not just "cancelled"), else "owner", or
        "operator" (the CLI, the server)."""
        run = self.run(run_id)
        status = self.check_actor(run, actor, admin)
        owner = status.get("owner")
        by = "operator" if actor == OPERATOR else ("teacher" if admin and owner and owner != actor else "owner")
        if status.get("state") in ("created", "queued"):
            run.update_status(state="cancelled", stopped_by=by, warm_pid=None)
            self._end_warm(run, status)
            self._move_queue_up(status)
        elif status.get("state") == "running":
            run.update_status(stopped_by=by)
            run.request_stop()

    def kill(self, run_id: str) -> None:
        """Terminate the run's process group at once (operators and tests; the run becomes interrupted)."""
        run = self.run(run_id)
        status = run.status()
        pid = status.get("pid")
        if pid and _pid_alive(pid):
            _kill_group(int(pid))
        self._end_warm(run, status)

    def _move_queue_up(self, status: dict) -> None:
        """After a queued run left the queue (stopped, deleted) with its process waiting
        (`status`, read before): the run behind it moves up, its process started at once (it
        started cold at its turn, 14 s later)."""
        if status.get("warm_pid"):
            with contextlib.suppress(OSError, RnnLabError):
                self.schedule()

    def _end_warm(self, run: RunDir, status: dict) -> None:
        """End a queued run's waiting process (stopped or deleted: its turn will not come). It would
        notice within a moment by itself; killed here, it cannot take a turn handed a moment later."""
        if _pid_alive(status.get("warm_pid"), run.path):
            _kill_group(int(status["warm_pid"]))

    def delete(self, run_id: str, actor: str = OPERATOR, admin: bool = False) -> None:
        """Delete a run for good; a running one must be stopped first. A queued run leaves the
        queue: its turn cannot be given meanwhile (the scheduler's lock), its waiting process ends,
        and the run behind it moves up with its process started (as `stop` does)."""
        run = self.run(run_id)
        self.check_actor(run, actor, admin)
        with _file_lock(self.root / ".schedule.lock"):
            status = run.status()
            if status.get("state") == "running":
                raise RnnLabError("runs.delete_running", run_id=run_id)
            self._end_warm(run, status)
            shutil.rmtree(run.path, ignore_errors=True)
        self._move_queue_up(status)

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


# --------------------------------------------------------------------------- what the pages show


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}{key}."))
        return out
    return {prefix[:-1]: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, tuple)) else value}


def flatten_config(config: dict) -> dict[str, Any]:
    """A nested config as dotted keys (`model.units`), lists shown as JSON."""
    return _flatten(config)


def _with_defaults(config: dict) -> dict:
    """``config`` with every setting a run of this version has, the ones it lacks at their
    defaults (a run saved before a setting existed trained with its default), when it is a
    valid `core.train.TrainConfig`; otherwise as it is."""
    from core.train import TrainConfig  # core.train imports this module

    try:
        return TrainConfig.from_dict(config).to_dict()
    except Exception:  # noqa: BLE001 - an old or foreign config is shown as written
        return config


# Settings one task reads and the other ignores (`core.train.TrainConfig`, `core.models.ModelConfig`):
# the compare table shows them as not used for a run of the other task, so that two classifiers
# do not list a dozen sampling and language-model settings they never read
SENTIMENT_ONLY_SETTINGS = frozenset({
    "maxlen", "padding", "truncating", "max_train_texts", "word2vec_init", "word2vec_corpora",
    "model.bidirectional", "model.dense_units", "model.pooling", "model.embedding_dropout",
})
LANGUAGE_MODEL_ONLY_SETTINGS = frozenset({
    "char_limit", "num_steps", "sampler", "sample_prefixes", "sample_every", "sample_length", "label_smoothing",
    "label_smoothing_prior", "output_bias", "weight_average", "rare_to_unk", "rare_max_count",
    "model.token_dropout", "model.output_dropout", "model.tie_embeddings", "model.output_precision",
})
NOT_USED = "<not used>"  # a setting the run's task does not read (`setting_used`)


def setting_used(key: str, task: str | None) -> bool:
    """Whether a run of `task` reads the (flattened) setting `key`; word2vec_init.sg counts as word2vec_init."""
    base = key.split(".")[0] if key.startswith("word2vec_init.") else key
    if task == "sentiment":
        return base not in LANGUAGE_MODEL_ONLY_SETTINGS
    if task == "language_model":
        return base not in SENTIMENT_ONLY_SETTINGS
    return True  # a foreign config: everything as written


def short_run_names(run_ids: list[str]) -> dict[str, str]:
    """Each run id without its leading date and time ("20261203-180345-sentiment-gru-848f3b" ->
    "sentiment-gru-848f3b"; its random tail keeps it apart), for legends and table headers in half
    a page, where the whole id was cut to "…-848f3b · valida"; the whole ids if two would look alike."""
    short = {run_id: re.sub(r"^\d{8}-\d{6}-", "", run_id) for run_id in run_ids}
    return short if len(set(short.values())) == len(short) else {run_id: run_id for run_id in run_ids}


def config_differences(configs: dict[str, dict]):
    """Configs side by side: one row per setting, one column per run, and `differs` marking
    rows that disagree. Settings a run's config predates show their default value; settings its
    task does not read show `NOT_USED` (and two runs that both ignore a setting agree on it)."""
    import pandas as pd

    flat = {run_id: flatten_config(_with_defaults(cfg)) for run_id, cfg in configs.items()}
    for run_id, values in flat.items():
        task = configs[run_id].get("task")
        flat[run_id] = {k: (v if setting_used(k, task) else NOT_USED) for k, v in values.items()}
    keys = list(dict.fromkeys(k for f in flat.values() for k in f))  # in the config's order: data, model, training (as on the form)
    frame = pd.DataFrame({run_id: [f.get(k) for k in keys] for run_id, f in flat.items()}, index=keys)
    frame["differs"] = [len({json.dumps(v, sort_keys=True, default=str) for v in row}) > 1 for row in frame[list(flat)].itertuples(index=False)]
    frame.index.name = "setting"
    return frame.reset_index()


# the values of these settings are named in the page's language: the text key for value v is key.format(v)
SETTING_VALUE_TEXTS = {
    "task": "train.task_{}", "tokenizer": "tok.{}", "padding": "side.{}", "truncating": "side.{}", "sampler": "data.sampler_{}",
    "model.implementation": "train.impl_{}", "model.initializer": "train.init_{}", "model.output_precision": "train.precision_{}",
    "model.pooling": "setting.pooling_{}", "label_smoothing_prior": "setting.prior_{}", "output_bias": "setting.bias_{}",
}
# what None means for these settings (elsewhere: "none")
SETTING_NONE_TEXTS = {"tokenizer": "setting.none_default", "max_tokens": "setting.none_all", "char_limit": "setting.none_all",
                      "max_train_texts": "setting.none_all", "clip_global_norm": "setting.none_off", "early_stopping_patience": "setting.none_off",
                      "time_limit_minutes": "setting.none_off"}


def setting_label(key: str, lang: str) -> str:
    """A (flattened) config key as the compare table names it: 学习率 / Learning rate; the key itself
    for one this version does not know (an old or foreign config)."""
    text = tr(f"setting.{key}", lang)
    if text != f"setting.{key}":
        return text
    head, _, name = key.partition(".")
    if head in ("dataset_options", "word2vec_init") and name:
        return tr(f"setting.{head}_item", lang, name=name)
    return key


PROPER_FIRST_WORDS = ("Keras",)


def _in_a_cell(text: str, lang: str) -> str:
    """A choice's name as a value among others: the form's labels start with a capital ("Random
    sampling", "Cell from equations"), the table's other values do not ("characters", "off"), so in
    English the first letter is lowered, except for a name ("Keras layer") or an acronym ("LSTM")."""
    first = text.split(" ", 1)[0].rstrip(":,")
    if lang != "en" or first in PROPER_FIRST_WORDS or not first[1:].islower():
        return text
    return text[:1].lower() + text[1:]


def setting_value(key: str, value: Any, lang: str) -> str:
    """A config value as the compare table shows it, in `lang`: choices by their names on the form
    (LSTM, 按字符 / characters, 前 / front), yes / no, what None means for the setting (关闭 / off),
    lists enumerated (`join_list`), data sets by their titles; numbers as written."""
    from core.i18n import join_list
    from core.train import dataset_title  # core.train imports this module

    if isinstance(value, str) and value == NOT_USED:
        return tr("setting.not_used", lang)
    if value is None:
        return tr(SETTING_NONE_TEXTS.get(key, "setting.none"), lang)
    if isinstance(value, bool):
        return tr("setting.yes" if value else "setting.no", lang)
    if isinstance(value, str) and value.startswith("["):  # a list (flatten_config writes lists as JSON)
        try:
            items = json.loads(value)
        except ValueError:
            return value
        if not items:
            return tr("setting.none", lang)
        return join_list([dataset_title(i, lang) if key == "word2vec_corpora" else setting_value(key, i, lang) for i in items], lang)
    if key == "dataset" and isinstance(value, str):
        return dataset_title(value, lang, with_file=True)
    if key == "model.cell" and isinstance(value, str):
        from core.figures import CELL_LABELS

        return CELL_LABELS.get(value, value)
    if key in SETTING_VALUE_TEXTS and isinstance(value, str):
        text_key = SETTING_VALUE_TEXTS[key].format(value)
        text = tr(text_key, lang)
        return value if text == text_key else _in_a_cell(text, lang)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def headline_metric(config: dict) -> str:
    """The figure a run is judged by: validation perplexity for language models, accuracy otherwise."""
    return "perplexity" if config.get("task") == "language_model" else "accuracy"


OVERVIEW_COLUMNS = (
    "run", "state", "task", "dataset", "cell", "implementation", "layers", "units", "bidirectional", "parameters",
    "epochs", "best_metric", "best_value", "best_epoch", "test_accuracy", "seconds", "owner", "owner_name", "created", "stopped_by",
)

OWNER_NAME_CHARS = 40


def clean_owner_name(name: str | None) -> str | None:
    """A student's name as a run keeps it: spaces collapsed, control and format characters
    dropped, at most `OWNER_NAME_CHARS` characters; None for nothing."""
    import unicodedata

    if not isinstance(name, str):
        return None
    kept = "".join(c if not unicodedata.category(c).startswith("C") else " " for c in name)
    kept = " ".join(kept.split())[:OWNER_NAME_CHARS].strip()
    return kept or None



def typical_epoch_seconds(history: Sequence[float | dict]) -> float | None:
    """The median of a run's epoch times without the first epoch's, which builds and compiles the
    graph: at epoch 2 of a lyrics run whose epochs take 0.5 s the panel said "10.8 s per epoch
    (median)", the median of two being their mean. `history`: its rows (history.jsonl's), or their
    ``seconds``. Rows marked ``first_of_stretch`` (the first epoch of each process: a resumed run
    builds its graph again) are the ones left out when any is marked; else the first row."""
    rows = [row if isinstance(row, dict) else {"seconds": row} for row in history]
    timed = [row for row in rows if isinstance(row.get("seconds"), (int, float)) and math.isfinite(row["seconds"])]
    if not timed:
        return None
    marked = [row.get("first_of_stretch") is True for row in timed]
    rest = [row for row, first in zip(timed, marked) if not first] if any(marked) else timed[1:]
    return float(statistics.median(float(row["seconds"]) for row in (rest or timed)))


# the settings that decide what a run's figures are measured on: which held-out texts (a classifier's
# validation and test accuracies) or which held-out tokens over which vocabulary (a language model's
# perplexity, whose <unk> share grows as the vocabulary shrinks)
SCORING_SETTINGS = {
    "sentiment": ("dataset", "dataset_options", "max_train_texts", "val_fraction"),
    "language_model": ("dataset", "dataset_options", "tokenizer", "char_limit", "val_fraction", "max_tokens"),
}


def scoring_differences(configs: dict[str, dict], statuses: dict[str, dict] | None = None) -> list[str]:
    """The (flattened) settings on which runs of one task differ among those that decide what their
    figures are measured on (`SCORING_SETTINGS`; for classifiers trained on at most N texts, the seed
    too, which draws the subset): their accuracies or perplexities are then not on one scale. Compare
    laid a run on 20,000 lyric characters (1,395 words of vocabulary, 7% of the held-out text <unk>)
    beside one on the whole corpus without a word (a practitioner). Empty for one run, runs of
    different tasks (the caller asks per task), or configs that are not valid.

    With the runs' `statuses`: classifiers that all validated on their data set's own validation
    part (``data.val_source``) are not told apart by `val_fraction`, which none of them used."""
    from core.train import TrainConfig  # core.train imports this module

    try:
        resolved = {i: TrainConfig.from_dict(c).resolved().to_dict() for i, c in configs.items()}
    except Exception:  # noqa: BLE001 - an old or foreign config: nothing said
        return []
    tasks = {c["task"] for c in resolved.values()}
    if len(resolved) < 2 or len(tasks) != 1:
        return []
    task = tasks.pop()
    keys = list(SCORING_SETTINGS[task]) + (["seed"] if task == "sentiment" and any(c.get("max_train_texts") for c in resolved.values()) else [])
    if task == "sentiment" and statuses is not None and all(((statuses.get(i) or {}).get("data") or {}).get("val_source") == "val split" for i in resolved):
        keys.remove("val_fraction")
    frame = config_differences(resolved)
    return [k for k in frame.loc[frame["differs"], "setting"] if k.split(".")[0] in keys]


def training_seconds(status: dict) -> float | None:
    """The seconds a run has trained, all its stretches together: the ones before its last resume
    (``earlier_seconds``, written when it resumes) and the last one, to its end or, while it runs,
    to now. The list showed the last stretch only (10.4 s for a run stopped and resumed that
    had trained 21 s)."""
    started, finished = status.get("started"), status.get("finished")
    end = finished or (status.get("heartbeat") if status.get("state") != "running" else time.time())
    if not (isinstance(started, (int, float)) and isinstance(end, (int, float))):
        return None
    earlier = status.get("earlier_seconds")
    return (float(earlier) if isinstance(earlier, (int, float)) else 0.0) + max(0.0, end - started)


def run_overview(store: RunStore, run_id: str) -> dict:
    """One row of the run list: status, task, model, key settings, best validation figure, duration."""
    run = store.run(run_id)
    config, status = run.config(), store.refresh(run)
    model = config.get("model", {}) or {}
    metric = headline_metric(config)
    best = status.get("best") or {}
    seconds = training_seconds(status)
    return {
        "run": run_id,
        "state": status.get("state", "?"),
        "task": config.get("task"),
        "dataset": config.get("dataset"),
        "cell": model.get("cell"),
        "implementation": model.get("implementation"),
        "layers": model.get("num_layers"),
        "units": json.dumps(model.get("units")) if isinstance(model.get("units"), list) else model.get("units"),
        "bidirectional": model.get("bidirectional"),
        "parameters": status.get("parameters"),
        "epochs": f"{status.get('epoch', 0)}/{config.get('epochs', '?')}",
        "best_metric": metric,
        "best_value": best.get(f"val_{metric}"),
        "best_epoch": best.get("epoch"),  # which epoch that is (a language model's best can be its first, barely trained)
        "test_accuracy": status.get("test_accuracy"),
        "seconds": round(seconds, 1) if seconds is not None else None,
        "owner": status.get("owner"),
        "owner_name": status.get("owner_name"),
        "created": status.get("created"),
        "stopped_by": status.get("stopped_by"),
    }


def runs_table(store: RunStore):
    """Every run's overview as a table, newest first."""
    import pandas as pd

    rows = [run_overview(store, run_id) for run_id in store.list_ids()]
    return pd.DataFrame(rows, columns=list(OVERVIEW_COLUMNS))


def history_frame(run: RunDir):
    """The per-epoch history as a table (epoch, loss, accuracy / perplexity, val_*, seconds, lr)."""
    import pandas as pd

    return pd.DataFrame(run.history())


def shipped_dir() -> Path:
    """Models the app ships (committed): `checkpoints/shipped/<name>/` in the project."""
    return paths.PROJECT_ROOT / "checkpoints" / SHIPPED_DIR


def model_problem(folder: Path) -> str | None:
    """Why the run folder's model cannot be loaded, or None when its file looks whole.

    A cheap check that needs no Keras: the `.keras` file the app would load (best, else
    last) must be a complete zip archive holding the model's config and weights. A file
    cut short by a full disk or a copy that stopped half-way fails here, so a page can
    list the run as broken with this reason instead of failing when it is picked.
    """
    run = RunDir(Path(folder))
    path = run.best_model_path if run.best_model_path.exists() else run.last_model_path
    if not path.exists():
        return "no model file (model_best.keras / model_last.keras)"
    return archive_problem(path)


def archive_problem(path: Path) -> str | None:
    """Why the `.keras` file `path` is not a whole model archive, or None when it looks whole
    (`model_problem`'s check, for one file). Said instead of Keras's own words for a corrupt file,
    "File not found: filepath=…", about a file that is there (a practitioner)."""
    import zipfile

    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            bad = archive.testzip()
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        return f"{path.name}: not a complete .keras archive ({exc})"
    if bad is not None:
        return f"{path.name}: the archive member {bad} is corrupt"
    missing = {"config.json", "model.weights.h5"} - names
    if missing:
        return f"{path.name}: lacks {', '.join(sorted(missing))}"
    return None


_CELL_ORDER = {"lstm": 0, "gru": 1, "simple_rnn": 2}


def _shipped_order(folder: Path, config: dict) -> tuple:
    """Bidirectional before unidirectional, then LSTM, GRU, SimpleRNN, then the name: the
    strongest shipped model of a task is the one a page offers first."""
    model = config.get("model") or {}
    return (not model.get("bidirectional"), _CELL_ORDER.get(model.get("cell"), len(_CELL_ORDER)), folder.name)


def epoch_in_progress(status: dict, config: dict) -> int:
    """The epoch a running run is in (1-based): one past those its status counts as finished, at
    most its configured epochs (the Training page said "epoch 0/3" while the first trained)."""
    epoch = int(status.get("epoch") or 0) + 1
    return min(epoch, config["epochs"]) if isinstance(config.get("epochs"), int) else epoch


def model_choices(store: RunStore, task: str) -> list[tuple[str, Path]]:
    """(label, folder) of every run with a saved model for `task`: shipped models first (see
    `_shipped_order`), then the user's runs."""
    found: list[tuple[str, Path]] = []
    root = shipped_dir()
    if root.is_dir():
        shipped = [(folder, RunDir(folder).config()) for folder in root.iterdir() if (folder / "config.json").exists()]
        for folder, config in sorted(shipped, key=lambda pair: _shipped_order(*pair)):
            if config.get("task") == task:
                found.append((f"shipped/{folder.name}", folder))
    for run_id in store.list_ids():
        run = store.run(run_id)
        if run.config().get("task") == task and (run.best_model_path.exists() or run.last_model_path.exists()):
            found.append((run_id, run.path))
    return found
