"""ui.jobs: long scoring runs off the script thread, one job per key, a few at a time."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from core.errors import RnnLabError
from ui.jobs import JobBoard


@pytest.fixture
def board():
    made = []

    def make(workers=2, keep=16, keep_seconds=600.0):
        made.append(JobBoard(workers, keep, keep_seconds))
        return made[-1]

    yield make
    for one in made:
        one.shutdown()


def test_one_job_per_key_shared_by_everyone_asking(board):
    jobs = board()
    gate = threading.Event()
    calls = []

    def work(progress):
        calls.append(1)
        progress(1, 2)
        gate.wait(10)
        progress(2, 2)
        return "scores"

    first = jobs.submit("k", work)
    again = [jobs.submit("k", work) for _ in range(3)]  # reruns and other sessions
    assert all(job is first for job in again)
    assert not first.wait(0.05) and first.state == "running"
    gate.set()
    assert first.wait(10)
    assert (first.state, first.result, first.fraction, calls) == ("done", "scores", 1.0, [1])
    assert jobs.submit("k", work) is first and calls == [1]  # a finished job is kept: asked again, not run again


def test_jobs_beyond_the_workers_wait_their_turn_in_order(board):
    jobs = board(workers=1)
    gate = threading.Event()
    order = []

    def blocking(progress):
        gate.wait(10)
        order.append("a")

    a = jobs.submit("a", blocking)
    b = jobs.submit("b", lambda progress: order.append("b"))
    c = jobs.submit("c", lambda progress: order.append("c"))
    assert not b.wait(0.1)
    assert (b.state, c.state) == ("queued", "queued")
    assert (jobs.ahead_of(a), jobs.ahead_of(b), jobs.ahead_of(c)) == (0, 0, 1)
    assert {job.key for job in jobs.active()} == {"a", "b", "c"}
    gate.set()
    assert c.wait(10) and order == ["a", "b", "c"]
    assert jobs.active() == []


def test_a_user_error_is_kept_and_not_retried(board):
    jobs = board()
    calls = []

    def refuse(progress):
        calls.append(1)
        raise RnnLabError("upload.no_text_column", wanted="text, review", columns="words, stars")

    job = jobs.submit("bad", refuse)
    assert job.wait(10)
    assert job.state == "failed" and isinstance(job.error, RnnLabError) and job.result is None
    assert jobs.submit("bad", refuse) is job and calls == [1]


def test_an_unexpected_failure_is_reported_and_can_be_run_again(board, caplog):
    jobs = board()
    attempts = []

    def flaky(progress):
        attempts.append(1)
        if len(attempts) == 1:
            raise MemoryError("no room")
        return 42

    job = jobs.submit("flaky", flaky)
    assert job.wait(10) and job.state == "failed" and isinstance(job.error, MemoryError)
    assert "a background job failed" in caplog.text  # with its trace, in the log
    assert jobs.submit("flaky", flaky) is job  # not retried on its own (a page rerun must not loop)
    jobs.forget("flaky")  # the page's "Try again"
    again = jobs.submit("flaky", flaky)
    assert again is not job and again.wait(10) and again.result == 42


def test_forget_leaves_a_running_job_alone(board):
    jobs = board()
    gate = threading.Event()
    job = jobs.submit("k", lambda progress: gate.wait(10))
    jobs.forget("k")
    assert jobs.get("k") is job
    gate.set()
    assert job.wait(10)


def test_only_the_last_finished_jobs_are_kept_and_a_running_one_never_goes(board):
    jobs = board(workers=2, keep=2)
    gate = threading.Event()
    running = jobs.submit("running", lambda progress: gate.wait(10))
    for i in range(5):
        assert jobs.submit(i, lambda progress, i=i: i).wait(10)
    jobs.submit("last", lambda progress: None).wait(10)
    assert jobs.get("running") is running
    assert [key for key in range(5) if jobs.get(key) is not None] == [3, 4]  # at the last submit, 0-2 went, oldest first
    gate.set()
    assert running.wait(10)


def test_a_finished_job_lets_go_of_its_work(board):
    # the work's closure holds the uploaded file; the result is all that is kept
    jobs = board()
    payload = bytearray(10_000_000)
    job = jobs.submit("big", lambda progress: len(payload))
    assert job.wait(10) and job.result == 10_000_000
    assert job._work is None


def test_a_finished_job_nobody_asks_for_goes_after_a_while(board):
    # an upload removed while it was scored, a session closed: its result is not kept for ever
    jobs = board(keep_seconds=60)

    def made(progress):
        return "result"

    old = jobs.submit("left behind", made)
    kept = jobs.submit("asked again", made)
    assert old.wait(10) and kept.wait(10)
    old.asked -= 61  # last asked for a minute ago (no sleeping in a test)
    kept.asked -= 61
    assert jobs.get("asked again") is kept  # a page asking for it now keeps it
    jobs.submit("something else", made).wait(10)
    assert jobs.get("left behind") is None
    assert jobs.get("asked again") is kept


def test_only_the_run_that_asks_first_waits_a_moment_for_a_job(board):
    # a quick job is shown at once, without a progress bar flashing by; a rerun while a long
    # job goes on (the user typing) shows its progress straight away instead of waiting again
    from ui.jobs import FIRST_WAIT_SECONDS, first_wait

    jobs = board()
    gate = threading.Event()
    job = jobs.submit("long", lambda progress: gate.wait(10))
    assert 0 < first_wait(job) <= FIRST_WAIT_SECONDS
    job.created -= FIRST_WAIT_SECONDS  # asked for a moment ago
    assert first_wait(job) == 0.0
    gate.set()


def test_a_queued_job_nobody_wants_any_more_is_cancelled(board):
    # one session steps a number (each step a new key): the jobs it asked for before and no
    # one else wants are dropped while queued, so the worker goes on to the one it wants now
    jobs = board(workers=1)
    gate = threading.Event()
    ran = []
    busy = jobs.submit("another session's job", lambda progress: gate.wait(10))
    stale = jobs.submit(("flow", 64), lambda progress: ran.append(64), asker="s1")
    shared = jobs.submit(("flow", 65), lambda progress: ran.append(65), asker="s1")
    jobs.submit(("flow", 65), lambda progress: ran.append(-1), asker="s2")  # a second session wants this one
    wanted = jobs.submit(("flow", 66), lambda progress: ran.append(66), asker="s1")
    assert jobs.withdraw(("flow", 64), "s1") is True
    assert stale.state == "cancelled" and stale.finished.is_set()
    assert jobs.withdraw(("flow", 65), "s1") is False  # s2 still wants it
    assert jobs.ahead_of(wanted) == 1 and ("flow", 64) not in jobs.keys()
    assert jobs.withdraw(busy.key, "s1") is False  # running (no asker noted): never cancelled
    gate.set()
    assert wanted.wait(10) and shared.wait(10)
    assert ran == [65, 66]
    # a finished job is kept when its asker moves on: coming back to it shows it at once
    assert jobs.withdraw(("flow", 66), "s1") is False and jobs.get(("flow", 66)) is wanted
    # asked again after the cancellation: a new job, run this time
    again = jobs.submit(("flow", 64), lambda progress: ran.append(64), asker="s1")
    assert again is not stale and again.wait(10) and ran == [65, 66, 64]


def test_a_running_view_nobody_wants_any_more_stops_at_its_next_report(board):
    # a class each stepping through t-SNE maps of 40 s: the maps left behind kept both workers
    jobs = board(workers=1)
    reported = threading.Event()
    steps = []

    def view(progress):
        for i in range(2_000):
            try:
                progress(i, 2_000)
            except Exception:  # noqa: BLE001 - work that swallows its own errors still stops
                pass
            steps.append(i)
            reported.set()
            time.sleep(0.005)
        return "finished"

    stale = jobs.submit(("map", 1), view, asker="s1")
    assert reported.wait(10) and stale.state == "running"
    jobs.submit(("map", 1), view, asker="s2")
    assert jobs.withdraw(("map", 1), "s2", running=True) is False, "s1 still wants it"
    assert jobs.withdraw(("map", 1), "s1") is False and stale.state == "running", "a running job is kept unless asked"
    jobs.submit(("map", 1), view, asker="s1")
    wanted = jobs.submit(("map", 2), lambda progress: "the new map", asker="s1")
    assert jobs.withdraw(("map", 1), "s1", running=True) is True
    assert ("map", 1) not in jobs.keys()
    assert stale.wait(10) and stale.state == "cancelled" and stale.result is None and stale.error is None
    assert len(steps) < 2_000
    assert wanted.wait(10) and wanted.result == "the new map", "the worker went on to the wanted job"
    again = jobs.submit(("map", 1), lambda progress: "asked again", asker="s1")
    assert again is not stale and again.wait(10) and again.result == "asked again"


def test_a_withdrawn_tsne_map_stops_and_the_next_one_counts_from_zero(board):
    # the real work: t-SNE's progress comes from inside scikit-learn's gradient descent
    from core import embeddings as emb

    rng = np.random.default_rng(0)
    vectors = emb.Vectors([f"w{i}" for i in range(400)], rng.standard_normal((400, 16)).astype(np.float32))
    jobs = board(workers=1)
    stale = jobs.submit(("map", "tsne"), lambda progress: emb.project(vectors, "tsne", 2, 0, progress=progress), asker="s1")
    deadline = time.monotonic() + 120
    while stale.done < 20:
        assert time.monotonic() < deadline and not stale.finished.is_set(), (stale.state, stale.done)
        time.sleep(0.05)
    assert jobs.withdraw(("map", "tsne"), "s1", running=True)
    assert stale.wait(60) and stale.state == "cancelled"
    assert stale.done < emb.TSNE_ITERATIONS
    small = emb.Vectors([f"w{i}" for i in range(60)], vectors.matrix[:60])
    seen = []
    coords = emb.project(small, "tsne", 2, 0, progress=lambda done, total: seen.append(done))
    assert coords.shape == (60, 2) and seen[0] == 0 and seen[-1] > 0


def test_a_value_taken_by_one_session_stays_for_the_others_that_asked(board):
    # two sessions score the same file: the first to take the value into its session used to
    # drop the job, so the second scored the file again
    jobs = board()
    job = jobs.submit("file", lambda progress: "scores", asker="s1")
    assert jobs.submit("file", lambda progress: "again", asker="s2") is job
    assert job.wait(10)
    jobs.release("file", "s1")
    assert jobs.get("file") is job, "s2 has not taken it yet"
    jobs.release("file", "s2")
    assert jobs.get("file") is None
    running = jobs.submit("slow", lambda progress: threading.Event().wait(0.3), asker="s1")
    jobs.release("slow", "s1")  # not finished: nothing to let go of
    assert jobs.get("slow") is running


def test_a_download_does_not_hold_a_worker_and_waits_only_for_other_downloads(board):
    # GloVe's 862 MB held one of the two workers for minutes: every other session's map or
    # scoring queued behind the one left. Downloads now have threads of their own.
    jobs = board(workers=1)
    cpu_gate, net_gate = threading.Event(), threading.Event()
    busy = jobs.submit("map", lambda progress: cpu_gate.wait(10))
    fetched = jobs.submit(("download", "glove"), lambda progress: "glove.6B.zip")
    assert fetched.wait(10) and fetched.result == "glove.6B.zip", "a download ran while the one worker was busy"
    queued = jobs.submit("scores", lambda progress: "scored")
    assert queued.state == "queued" and jobs.ahead_of(queued) == 0 and jobs.workers_for(queued) == 1

    slow = [jobs.submit(("download", name), lambda progress: net_gate.wait(10)) for name in ("lyrics", "imdb")]
    third = jobs.submit(("download", "zh_wiki"), lambda progress: "words.vector")
    assert not third.wait(0.1) and third.state == "queued"  # two download threads, both busy
    assert jobs.ahead_of(third) == 0 and jobs.workers_for(third) == 2  # "scores" waits for another kind
    cpu_gate.set()
    assert busy.wait(10) and queued.wait(10) and queued.result == "scored"  # the downloads did not hold it
    net_gate.set()
    assert all(job.wait(10) for job in slow) and third.wait(10) and third.result == "words.vector"


class _Readers:
    """The outside world of watched views: a clock the test moves, and the set of Streamlit
    sessions whose browser connection is open."""

    def __init__(self, jobs, monkeypatch):
        import ui.jobs

        monkeypatch.setattr(ui.jobs, "WATCH_EVERY", 0.0)  # look at every report
        self.now = 0.0
        self.open: set[str] = set()
        jobs.clock = lambda: self.now
        jobs.connected = lambda session: session in self.open


def _view(steps: list, total: int = 100_000):
    def work(progress):
        for i in range(total):
            progress(i, total)
            steps.append(i)
            time.sleep(0.002)
        return "finished"

    return work


def _still_running(job, steps: list) -> bool:
    before = len(steps)
    time.sleep(0.1)  # some reports, each a look at who watches
    return job.state == "running" and len(steps) > before


def _two_readers(board, monkeypatch, key):
    """A watched view of `key` on a board of one worker, asked for by sessions s1 and s2 (connections
    c1 and c2, open), running: (the board, its world, the job, the steps its work has made)."""
    jobs = board(workers=1)
    world = _Readers(jobs, monkeypatch)
    world.open = {"c1", "c2"}
    steps: list = []
    view = jobs.submit(key, _view(steps), asker="s1", watch=True, connection="c1")
    jobs.submit(key, _view(steps), asker="s2", watch=True, connection="c2")
    return jobs, world, view, steps


def test_a_watched_view_stops_once_no_page_has_polled_it_for_a_while(board, monkeypatch, caplog):
    # a reader who went to another page during a t-SNE map of 40 s held a worker to its end
    jobs, world, view, steps = _two_readers(board, monkeypatch, ("map", 1))
    assert _still_running(view, steps)
    world.now = 60.0
    assert jobs.look(("map", 1), "s1") is view  # s1's page polls it; s2's does not any more
    world.now = 60.0 + jobs.unwatched_seconds - 1
    assert _still_running(view, steps), "s1 looked at it within the last minute and a half"
    jobs.look(("map", 1), "someone who never asked")  # a poll of no asker keeps nothing
    world.now = 60.0 + jobs.unwatched_seconds + 1
    with caplog.at_level("INFO", logger="rnnlab"):
        assert view.wait(10) and view.state == "cancelled" and view.result is None and view.error is None
    assert ("map", 1) not in jobs.keys() and "a view nobody looks at any more was stopped" in caplog.text
    again = jobs.submit(("map", 1), lambda progress: "asked again", asker="s1", watch=True, connection="c1")
    assert again is not view and again.wait(10) and again.result == "asked again"


def test_a_watched_view_stops_once_every_reader_closed_the_tab(board, monkeypatch):
    jobs, world, view, steps = _two_readers(board, monkeypatch, ("map", 2))
    world.open = {"c2"}  # s1 closed its tab
    assert _still_running(view, steps)
    world.now = 100.0
    jobs.look(("map", 2), "s2")
    assert _still_running(view, steps), "s2 still looks at it"
    world.open = set()  # s2's connection drops ...
    assert _still_running(view, steps)
    world.now += jobs.disconnected_seconds - 1
    assert _still_running(view, steps), "... not long enough to count as closed"
    world.open = {"c2"}  # ... and comes back (a network blip): counted from zero next time
    assert _still_running(view, steps)
    world.open = set()
    assert _still_running(view, steps)
    world.now += jobs.disconnected_seconds - 1
    assert _still_running(view, steps)
    world.now += 2
    assert view.wait(10) and view.state == "cancelled"
    assert len(steps) < 100_000


def test_a_watched_view_whose_readers_left_while_it_waited_is_not_started(board, monkeypatch):
    jobs = board(workers=1)
    world = _Readers(jobs, monkeypatch)
    world.open = {"c1"}
    gate = threading.Event()
    ran = []
    busy = jobs.submit("another session's job", lambda progress: gate.wait(10))
    queued = jobs.submit(("map", 3), lambda progress: ran.append(3), asker="s1", watch=True, connection="c1")
    world.open = set()
    gate.set()  # judged when its turn comes
    assert busy.wait(10)
    assert queued.wait(10) and queued.state == "done" and ran == [3], "closed for a moment only: still run"

    gate.clear()
    busy = jobs.submit("another session's job, again", lambda progress: gate.wait(10))
    queued = jobs.submit(("map", 4), lambda progress: ran.append(4), asker="s1", watch=True, connection="c1")
    world.now += jobs.unwatched_seconds + 1  # nobody polled it since it was asked for
    gate.set()
    assert busy.wait(10) and queued.wait(10) and queued.state == "cancelled" and ran == [3]
    assert ("map", 4) not in jobs.keys()


def test_a_view_that_is_not_watched_runs_to_its_end_whoever_looks(board, monkeypatch):
    # a data set being tokenised is cached for the next visit: never stopped for want of readers
    jobs = board(workers=1)
    world = _Readers(jobs, monkeypatch)
    steps: list = []
    job = jobs.submit(("tokenise", 1), _view(steps, total=50), asker="s1", connection="c1")
    world.now = 10 * jobs.unwatched_seconds
    assert job.wait(10) and job.state == "done" and job.result == "finished"


def test_a_queued_view_counts_its_readers_closed_tabs_from_when_they_closed(board, monkeypatch):
    # a class closing tabs: their queued maps used to start, then run 15 s before being judged
    jobs = board(workers=1)
    world = _Readers(jobs, monkeypatch)
    world.open = {"c1", "c2"}
    steps: list = []
    running = jobs.submit(("map", 5), _view(steps), asker="s1", watch=True, connection="c1")
    queued = jobs.submit(("map", 6), lambda progress: "never", asker="s2", watch=True, connection="c2")
    assert _still_running(running, steps)
    world.open = set()  # both close their tabs; the running map's reports notice both
    assert _still_running(running, steps)
    world.now += jobs.disconnected_seconds + 1
    assert running.wait(10) and running.state == "cancelled"
    assert queued.wait(10) and queued.state == "cancelled" and queued.result is None, "judged from when its tab closed"
