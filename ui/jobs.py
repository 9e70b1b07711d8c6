"""Long work off the script thread: the page stays live while a test split or a CSV is scored,
Word2Vec trains, a large vector file is read, a data set is downloaded or tokenised, a t-SNE
map or a gradient flow is computed.

A Streamlit script run that scores 25,000 IMDB test reviews or a 50 MB CSV takes tens of
seconds, and while it runs the session is stuck: worse, touching any widget (typing in the
review box) stops the run at its next progress update and the next run starts the scoring
over (or, for work started by a button such as training Word2Vec, drops it). Here such work
is a *job*: `work(progress)` runs on one of a few worker threads of
the server process, the page shows its progress in a fragment that polls it
(`follow`), and reruns of the page meanwhile find the same job running instead of starting
it again.

Jobs are keyed by everything their result depends on (model file stamp, data digest):
sessions asking for the same key share one job and its result (a class opening the same
error analysis scores it once). At most ``RNNLAB_BACKGROUND_JOBS`` jobs (default 2, one per
core here) run at once; the others wait their turn, and the page says so. Downloads, which
wait on the network, run on threads of their own (`DOWNLOAD_WORKERS`). Finished jobs
are kept (the last `KEEP`, for `KEEP_SECONDS` after they were last asked for), so coming
back to a page shows the result at once; a job nobody came back for (an upload removed while
it was scored, a session closed) does not hold its result for ever. The board remembers
which sessions asked for a job: a queued job of one view (a map, a gradient flow, a data set
being read) is cancelled when its only session asks for another one instead (`withdraw`),
and so is a running map or gradient flow, at its next progress report (`stop_stale`); a
value taken into a session goes when every session that asked has it (`release`). Such a view
also stops once no page looks at it any more (`JobBoard.submit` with `watch`): every session
that asked for it has closed its connection (a closed tab) for `DISCONNECTED_SECONDS`, or has
not polled it for `UNWATCHED_SECONDS` (the reader went to another page).

A job that fails with an `RnnLabError` (a file it cannot read) keeps that error: the page
says it (here, where the result would have been) on every rerun, and it is not retried
unless the user clicks the button that started it again (`start`). An unexpected failure is
logged with its trace and offered again with a button (`forget`), never retried in a loop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Hashable

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import hosting
from core.errors import RnnLabError
from core.i18n import tr
from ui.common import full_run, lang, leave_if_left_behind, session_id, show_error

log = logging.getLogger("rnnlab")

KEEP = 16  # finished jobs kept with their results (least recently asked for go first)
DOWNLOAD_WORKERS = 2  # downloads (keys ("download", ...)) have their own threads: see JobBoard
KEEP_SECONDS = 30 * 60  # ... and not longer than this after they were last asked for
POLL_SECONDS = 0.5  # how often a page showing a running job looks at it again
FIRST_WAIT_SECONDS = 0.4  # a job this quick is shown at once, without a progress bar flashing by
# A watched view (`JobBoard.submit(watch=True)`) stops once no session that asked for it looks
# at it: each one's page has not polled it for UNWATCHED_SECONDS (it went to another page; a
# browser fires a hidden tab's timers at least once a minute, so a reader in another tab keeps
# it), or its connection has been closed for DISCONNECTED_SECONDS (the tab was closed; a
# connection that drops and comes back sooner keeps it). Checked at most every WATCH_EVERY.
UNWATCHED_SECONDS = 90.0
DISCONNECTED_SECONDS = 15.0
WATCH_EVERY = 1.0


class Withdrawn(BaseException):
    """Raised by `Job.report` in the work of a running job nobody wants any more (`JobBoard.withdraw`
    with `running=True`): the work stops there and its worker goes to the next job. A
    BaseException, like KeyboardInterrupt, so that the work's own `except Exception` does not
    swallow it."""


class Job:
    """One piece of work and what is known of it: queued, running, done, failed or cancelled."""

    def __init__(self, key: Hashable, work: Callable[[Callable[[int, int], None]], Any]) -> None:
        self.key = key
        self._work = work
        self.state = "queued"
        self.done = 0  # how far the work is, of `total` (None until the work reports)
        self.total: int | None = None
        self.phase: str | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self.finished = threading.Event()
        self.created = time.monotonic()
        self.asked = self.created  # when a page last asked for it (kept `KEEP_SECONDS` after that once finished)
        self.started: float | None = None  # time.monotonic() when the work began
        self.seconds: float | None = None  # how long the work ran, once finished
        self.askers: set[str] = set()  # the sessions that asked for it (`result`); see `JobBoard.release` and `withdraw`
        self._start_lock = threading.Lock()  # "queued" -> "running" or "cancelled", once
        self.withdrawn = False  # a running job nobody wants any more: `report` stops the work
        # a watched view (`JobBoard.submit(watch=True)`): the board's check of whether any page
        # still looks at it, and per asker when its page last did and its Streamlit session
        self.watch: Callable[[Job], None] | None = None
        self.seen: dict[str, float] = {}
        self.connections: dict[str, str] = {}
        self._watched_at = 0.0

    def report(self, done: int, total: int | None, phase: str | None = None) -> None:
        """The `progress(done, total[, phase])` callback the work is given (`total` None: not
        known yet; `phase`: what it is doing, for work in steps such as download then unpack).
        In a withdrawn job it raises `Withdrawn`, once (a second raise from a progress bar's
        clean-up would only be printed as ignored). A watched view also stops here when no page
        looks at it any more."""
        if self.watch is not None and not self.withdrawn and time.monotonic() - self._watched_at >= WATCH_EVERY:
            self._watched_at = time.monotonic()
            self.watch(self)
        if self.withdrawn and self.state == "running":
            self.state = "cancelling"
            raise Withdrawn(self.key)
        self.done, self.total = int(done), (int(total) if total else None)
        if phase is not None:
            self.phase = phase

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0

    @property
    def elapsed(self) -> float:
        """Seconds the work has run so far (its whole time once finished)."""
        if self.seconds is not None:
            return self.seconds
        return time.monotonic() - self.started if self.started is not None else 0.0

    @property
    def ended(self) -> float | None:
        """time.monotonic() when the work finished (done, failed or stopped); None before, and
        for a job cancelled while queued."""
        if self.started is None or self.seconds is None:
            return None
        return self.started + self.seconds

    def run(self) -> None:
        if self.watch is not None:
            self.watch(self)  # a view whose readers left while it waited for a worker is cancelled here
        with self._start_lock:
            if self.state == "cancelled":  # withdrawn while queued: nobody wants it any more
                return
            self.state = "running"
        self.started = time.monotonic()
        start = time.perf_counter()
        try:
            self.result = self._work(self.report)
            self.state = "done"
        except Withdrawn:
            self.state = "cancelled"
        except RnnLabError as exc:
            self.error = exc
            self.state = "failed"
        except BaseException as exc:  # noqa: BLE001: anything else is reported to the page, with its trace in the log
            log.exception("a background job failed: %r", self.key)
            self.error = exc
            self.state = "failed"
        finally:
            self.seconds = time.perf_counter() - start
            self._work = None  # the closure may hold a large upload
            self.finished.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block up to `timeout` seconds for the job; True when it has finished."""
        return self.finished.wait(timeout)


def is_download(key: Hashable) -> bool:
    """Whether the job for `key` waits on the network rather than the cores (a data set or
    vector file downloaded: keys ``("download", name)``)."""
    return isinstance(key, tuple) and len(key) > 0 and key[0] == "download"


class JobBoard:
    """The jobs of this server process, shared by every session's thread.

    Downloads run on threads of their own (`DOWNLOAD_WORKERS`), not on the `workers` that
    the cores' work shares: GloVe's 862 MB take minutes and wait on the network, and they
    used to hold one of the two workers for all that time, so every other session's map,
    scoring or gradient flow queued behind the one left."""

    def __init__(
        self,
        workers: int,
        keep: int = KEEP,
        keep_seconds: float = KEEP_SECONDS,
        download_workers: int = DOWNLOAD_WORKERS,
        connected: Callable[[str], bool] | None = None,
    ) -> None:
        self.connected = connected  # whether a Streamlit session's connection is open (watched views; None: not known)
        self.unwatched_seconds = UNWATCHED_SECONDS
        self.disconnected_seconds = DISCONNECTED_SECONDS
        self.clock = time.monotonic  # when pages looked at watched views (a test's own clock)
        self._closed: dict[str, float] = {}  # watched views' readers' connections found closed, since when
        self._swept = 0.0
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rnnlab-job")
        self._downloads = ThreadPoolExecutor(max_workers=download_workers, thread_name_prefix="rnnlab-download")
        self.workers = workers
        self.download_workers = download_workers
        self.keep = keep
        self.keep_seconds = keep_seconds
        self._jobs: OrderedDict[Hashable, Job] = OrderedDict()
        self._lock = threading.Lock()

    def submit(
        self,
        key: Hashable,
        work: Callable[[Callable[[int, int], None]], Any],
        asker: str | None = None,
        watch: bool = False,
        connection: str | None = None,
    ) -> Job:
        """The job for `key`: the one already queued, running or finished, else `work` queued now.
        `asker` (a session id) is noted among those who want it (see `release`, `withdraw`).

        With `watch` (a view of a page, with an `asker`), a new job is stopped (at its next
        progress report, or when its turn comes if still queued) once no asker's page looks at it
        any more: for every asker, its page has not asked for it or polled it (`look`) for
        `unwatched_seconds`, or its `connection` (its Streamlit session, judged by `connected`)
        has been closed for `disconnected_seconds`. A reader who closed the tab, or went to
        another page, during a t-SNE map of 40 s held a worker to its end."""
        with self._lock:
            self._prune()
            job = self._jobs.get(key)
            if job is not None:
                job.asked = time.monotonic()
                self._jobs.move_to_end(key)
            else:
                job = Job(key, work)
                if watch and asker is not None:
                    job.watch = self._stop_if_unwatched
                self._jobs[key] = job
                self._prune()
                (self._downloads if is_download(key) else self._executor).submit(job.run)
            if asker is not None:
                job.askers.add(asker)
                self._looked(job, asker, connection)
            self._sweep()
            return job

    def look(self, key: Hashable, asker: str) -> Job | None:
        """`get`, by a page of `asker` that shows the job's progress (a poll): it still looks at it."""
        with self._lock:
            self._sweep()
            job = self._jobs.get(key)
            if job is not None:
                job.asked = time.monotonic()
                if asker in job.askers:
                    self._looked(job, asker)
            return job

    def _looked(self, job: Job, asker: str, connection: str | None = None) -> None:
        job.seen[asker] = self.clock()
        if connection is not None:
            job.connections[asker] = connection
        self._closed.pop(job.connections.get(asker), None)  # (it asks: its connection is open)

    def _sweep(self, force: bool = False) -> None:
        """Note which connections of the watched views' readers are closed, and since when
        (`_closed`). Done at every report of a watched view and, at most every `WATCH_EVERY`,
        whenever a page asks for or polls a job: the readers of a view still queued are judged
        from when they closed their tab, not from when its turn comes."""
        if self.connected is None or (not force and time.monotonic() - self._swept < WATCH_EVERY):
            return
        self._swept = time.monotonic()
        now = self.clock()
        readers = {c for job in self._jobs.values() if job.watch is not None and not job.finished.is_set() for c in job.connections.values()}
        for connection in readers:
            if self.connected(connection):
                self._closed.pop(connection, None)
            else:
                self._closed.setdefault(connection, now)
        for connection in set(self._closed) - readers:
            del self._closed[connection]

    def _stop_if_unwatched(self, job: Job) -> None:
        """`Job.watch` of a watched view (its worker calls it): withdraw the job when no asker's
        page looks at it any more (see `submit`)."""
        with self._lock:
            if job.withdrawn or job.finished.is_set():
                return
            self._sweep(force=True)
            now = self.clock()
            for asker in job.askers:
                polled = now - job.seen.get(asker, now) < self.unwatched_seconds
                closed_since = self._closed.get(job.connections.get(asker))
                if polled and (closed_since is None or now - closed_since < self.disconnected_seconds):
                    return
            if not self._drop(job, running=True):
                return
        log.info("a view nobody looks at any more was stopped: %r", job.key)

    def release(self, key: Hashable, asker: str) -> None:
        """`asker` has taken a finished job's value into its own session (`result` with a slot):
        the board lets the job go once no other session that asked for it is left to take it
        (two sessions scoring the same file: the first to pick it up used to drop it, and the
        other scored the file again)."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or not job.finished.is_set():
                return
            job.askers.discard(asker)
            if not job.askers:
                del self._jobs[key]

    def withdraw(self, key: Hashable, asker: str, running: bool = False) -> bool:
        """`asker` no longer wants the job for `key` (it asked for another view since). A job
        still queued that no session wants any more is cancelled, so stale work does not hold
        the workers (a user stepping a number from 64 to 70 asks for seven gradient flows;
        one searching five words, for five t-SNE maps of 40 s). With `running`, so is one
        already running, at its next progress report (`Withdrawn`): a class of readers each
        stepping through maps of 40 s held both workers with maps nobody looked at. Without,
        a running job is kept (a data set being read is cached for the next visit), and a
        finished one always is (its result is used if anyone comes back). True when it was
        cancelled or will stop."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                return False
            job.askers.discard(asker)
            job.seen.pop(asker, None)
            if job.askers:
                return False
            return self._drop(job, running)

    def _drop(self, job: Job, running: bool) -> bool:
        """(Board lock held.) Take `job`, which nobody wants any more, off the board: cancelled
        if still queued, or with `running` stopped at its next progress report (`Withdrawn`);
        a finished job, or a running one without `running`, is kept. True when it was taken off.
        Off the board, asked for again it is a new job."""
        with job._start_lock:
            if job.state == "running" and running:
                job.withdrawn = True
            elif job.state == "queued":
                job.state = "cancelled"
                job._work = None
                job.finished.set()
            else:
                return False
        if self._jobs.get(job.key) is job:
            del self._jobs[job.key]
        return True

    def get(self, key: Hashable) -> Job | None:
        with self._lock:
            job = self._jobs.get(key)
            if job is not None:
                job.asked = time.monotonic()
            return job

    def forget(self, key: Hashable) -> None:
        """Drop a finished job (its result or error), so that the next `submit` runs it again."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.finished.is_set():
                del self._jobs[key]

    def ahead_of(self, job: Job) -> int:
        """How many queued jobs of its kind (downloads, or the rest) were asked for before `job` (0 once it runs)."""
        with self._lock:
            if job.state != "queued":
                return 0
            kind = is_download(job.key)
            return sum(1 for other in self._jobs.values() if other.state == "queued" and other.created < job.created and is_download(other.key) == kind)

    def workers_for(self, job: Job) -> int:
        """The threads `job` waits for: the download threads, or the workers."""
        return self.download_workers if is_download(job.key) else self.workers

    def keys(self) -> list[Hashable]:
        """The keys of the jobs on the board (queued, running and kept), oldest first."""
        with self._lock:
            return list(self._jobs)

    def active(self) -> list[Job]:
        with self._lock:
            return [job for job in self._jobs.values() if not job.finished.is_set()]

    def shutdown(self) -> None:
        """Let the worker threads go once the queued work is done (tests and benchmarks)."""
        self._executor.shutdown(wait=True)
        self._downloads.shutdown(wait=True)

    def _prune(self) -> None:
        now = time.monotonic()
        finished = [key for key, job in self._jobs.items() if job.finished.is_set()]
        for key in finished[: max(0, len(finished) - self.keep)]:
            del self._jobs[key]
        for key in finished[max(0, len(finished) - self.keep) :]:
            if now - self._jobs[key].asked > self.keep_seconds:
                del self._jobs[key]


_BOARD: JobBoard | None = None
_BOARD_LOCK = threading.Lock()


def board() -> JobBoard:
    """The process's job board, made on first use with ``RNNLAB_BACKGROUND_JOBS`` workers (read then)."""
    global _BOARD
    with _BOARD_LOCK:
        if _BOARD is None:
            _BOARD = JobBoard(hosting.settings().background_jobs, connected=_connected)
        return _BOARD


def wait_all(timeout: float = 600.0) -> None:
    """Wait until no job is queued or running (for tests and benchmarks)."""
    deadline = time.monotonic() + timeout
    for job in board().active():
        job.wait(max(0.0, deadline - time.monotonic()))


Describe = Callable[[Job], str]


def result(
    key: Hashable,
    work: Callable[[Callable[[int, int], None]], Any],
    label: str,
    reading_label: str,
    slot: str | None = None,
    describe: Describe | None = None,
    family: str | None = None,
    stop_stale: bool = False,
) -> Any:
    """What `work(progress)` returns for `key`, computed as a job (`board().submit`); None while
    it runs (its progress is on the page, see `follow`) or when it failed: the failure is said
    here, a user error (a file it could not read or score) on every rerun without reading
    again, an unexpected one with a button to try again.

    With `slot`, the finished value (or user error) goes into that Session State entry (one per
    slot, the latest key only) and the board lets the job go: the value is this session's (a
    scored upload can be large, and sixteen of them kept for everyone would add up).

    With `family` (one view of a page, e.g. "grad_flow"), asking for a new key withdraws this
    session from the key it asked for before in that family: that job, if still queued and
    wanted by no other session, is cancelled (`JobBoard.withdraw`); with `stop_stale`, also
    when it is running (views whose result is of no use once the reader has moved on).
    """
    if slot is not None:
        kept = st.session_state.get(slot)
        if kept is not None and kept[0] == key:
            return _said(kept[1])
    asker = session_id()
    if family is not None:
        entry = f"_job_family_{family}"
        before = st.session_state.get(entry)
        if before is not None and before != key:
            board().withdraw(before, asker, running=stop_stale)
        st.session_state[entry] = key
    connection = _connection() if stop_stale else None  # a view: stopped too when nobody looks at it any more
    job = board().submit(key, work, asker, watch=connection is not None, connection=connection)
    if not follow(job, label, reading_label, describe):
        return None
    return outcome(job, slot)


def _connection() -> str | None:
    """The Streamlit session of this script run when the server can say whether its connection
    is open (`_connected`), else None (AppTest's runtime cannot: its views are never watched)."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None and _connected(ctx.session_id) else None


def _connected(session: str) -> bool:
    """Whether the browser connection of Streamlit session `session` is open (a closed tab's is
    not; Streamlit keeps the session a while for a reconnection)."""
    return runtime.exists() and runtime.get_instance().is_active_session(session) is True


def _said(value: Any) -> Any:
    """`value`, or None once said when it is a user error."""
    if isinstance(value, RnnLabError):
        show_error(value)
        return None
    return value


def outcome(job: Job, slot: str | None = None, retry: bool = True) -> Any:
    """A finished job's value for the page, as `result` returns it (`retry`: offer the "try
    again" button after an unexpected failure; not when the page's own button starts the job).
    With `slot`, the value goes into this session and the board lets the job go once every
    session that asked has taken it (`JobBoard.release`)."""
    key = job.key
    if job.error is None or isinstance(job.error, RnnLabError):
        value = job.result if job.error is None else job.error
        if slot is not None:
            st.session_state[slot] = (key, value)
            board().release(key, session_id())
        return _said(value)
    show_error(job.error)
    if retry and st.button(tr("job.retry", lang()), key=f"job_retry_{abs(hash(key))}"):
        board().forget(key)
        st.rerun()
    return None


def start(slot: str, key: Hashable, work: Callable[[Callable[[int, int], None]], Any], **info: Any) -> Job:
    """Start the job for `key` because the user asked (a button), and note in this session's
    `slot` that the page waits for it (with `info`: its labels, what to do with the result),
    so that the following runs, where the button is not pressed any more, follow it
    (`waiting`). A job that failed before, for whatever reason, is run again: the click is
    the retry (a download that failed offline must work once the network is back; the kept
    failure used to be shown again for as long as anyone kept asking)."""
    job = board().get(key)
    if job is not None and job.finished.is_set() and job.error is not None:
        board().forget(key)
    job = board().submit(key, work)
    st.session_state[slot] = (key, info)
    return job


def waiting(slot: str, describe: Describe | None = None) -> tuple[dict, Any] | None:
    """The job this session `start`ed in `slot`: None while it runs (its progress shown here)
    or when there is none; once it is over, (its `info`, its value as `outcome` gives it: None
    when it failed, the failure said here), once: the slot is then cleared."""
    entry = st.session_state.get(slot)
    if entry is None:
        return None
    key, info = entry
    job = board().get(key)
    if job is None:  # let go by the board (many jobs later): nothing to show any more
        del st.session_state[slot]
        return None
    if not follow(job, info.get("label", ""), info.get("reading", ""), describe):
        return None
    del st.session_state[slot]
    return info, outcome(job, retry=False)


def first_wait(job: Job) -> float:
    """How long a page run waits for `job` before showing its progress: what is left of
    `FIRST_WAIT_SECONDS` since it was first asked for. Only the run that started it waits; a
    rerun while it goes on (the user typing: 0.1 s with nothing running) must not wait again
    (a typed rerun during a batch: 0.21 s, 0.59 s when every rerun waited; bench_rerun)."""
    return max(0.0, FIRST_WAIT_SECONDS - (time.monotonic() - job.created))


def follow(job: Job, label: str, reading_label: str, describe: Describe | None = None) -> bool:
    """Show `job` on the page: True when it has finished (the caller shows its result or error).

    A job that finishes within a moment of being asked for is not shown at all (the run that
    asked waits that long; later runs do not wait); otherwise a progress bar (in a
    fragment that looks at the job every `POLL_SECONDS`; the rest of the page stays usable)
    says how far it is (`label` and the counts, or `describe(job)`; `reading_label` before the
    first count), or how many jobs wait before it, and reruns the page once it is over.
    """
    if job.wait(first_wait(job)):
        return True
    _progress(job.key, label, reading_label, lang(), describe, full_run())
    return False


@st.fragment(run_every=POLL_SECONDS)
def _progress(key: Hashable, label: str, reading_label: str, in_lang: str, describe: Describe | None, drawn_in: int) -> None:
    leave_if_left_behind(drawn_in)  # a poll of a page the user has left (see ui.common)
    job = board().look(key, session_id())  # (this page still looks at it: see JobBoard.submit's watch)
    if job is None or job.finished.is_set():
        st.rerun()  # the whole page, which now shows the result (or asks again for a job that was stopped)
    if job.state == "queued":
        st.progress(0.0, text=tr("job.queued", in_lang, ahead=board().ahead_of(job), workers=board().workers_for(job)))
    elif job.total is None:
        st.progress(0.0, text=tr("job.elapsed", in_lang, label=reading_label, seconds=job.elapsed))
    else:
        st.progress(job.fraction, text=describe(job) if describe else f"{label} {job.done:,} / {job.total:,}")
    st.caption(tr("job.background", in_lang))
