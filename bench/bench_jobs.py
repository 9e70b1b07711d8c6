"""A class sharing the background workers: what a map nobody looks at any more costs the others.

    python -m bench.bench_jobs [--words 2000] [--steps 4] [--gap 2.0] [--readers 2]
                               [--leavers 4] [--leaver-words 3000] [--only stepping|closed] [--json-out FILE]

`--readers` readers each step through t-SNE maps (`--steps` of them, one every `--gap`
seconds, as when searching words one after another on the Embeddings page: each a new view,
and the page asks for the new one and withdraws the old one, `ui.jobs.result(family=...)`),
then stop at the map they want. Meanwhile another reader asks for one map of their own. Both on a job board
with the app's default of 2 workers (`RNNLAB_BACKGROUND_JOBS`), the maps made by
`core.embeddings.project` on `--words` random 50-d vectors, as the page makes them.

Measured twice in the same run, in this order:
- baseline: only queued maps are dropped (`withdraw(running=False)`, the app until
  2026-12-03): the first stale map runs to its end on a worker;
- stop_stale: running maps are stopped too, at their next progress report
  (`withdraw(running=True)`, what the Embeddings and Training pages ask for now).

For each: how long the wanted maps (the last one ready) and the other reader's map took from
being asked for to ready, the seconds the workers spent on maps nobody looked at, and what
became of those (run to the end, stopped while running, dropped while queued).

Then readers who close the tab: `--leavers` readers each ask for a t-SNE map of
`--leaver-words` words (the page's largest) and close their tab 2 s later; a reader who stays
asks for one 1 s after that and looks at it (its page polls it) until it is ready. Measured
twice: the maps of closed tabs run to their end (the baseline, the app until 2026-12-03), and
watched (`JobBoard.submit(watch=True)`, the app now): stopped once their reader's connection
has been closed for `ui.jobs.DISCONNECTED_SECONDS` (15 s), queued ones not started.

It prints a table per scenario and, as its last line, one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from typing import Any

import numpy as np

from bench.report import emit


def scenario(words: int, steps: int, gap: float, readers: int, stop_stale: bool) -> dict[str, Any]:
    from core import embeddings as emb
    from ui.jobs import JobBoard

    rng = np.random.default_rng(0)
    vectors = emb.Vectors([f"w{i}" for i in range(words)], rng.standard_normal((words, 50)).astype(np.float32))
    board = JobBoard(2)

    def work(seed: int):
        return lambda progress: emb.project(vectors, "tsne", 2, seed, progress=progress)

    asked: dict[Any, float] = {}
    jobs: dict[Any, Any] = {}
    t0 = time.monotonic()
    for step in range(steps + 1):
        for reader in range(readers):  # (the readers ask at the same moments: the worst case for a class)
            key = ("map", reader, step)
            if step:
                board.withdraw(("map", reader, step - 1), f"reader {reader}", running=stop_stale)
            asked[key] = time.monotonic()
            jobs[key] = board.submit(key, work(reader * 100 + step), asker=f"reader {reader}")
        if step == 0:
            time.sleep(gap / 2)
            asked["other"] = time.monotonic()
            jobs["other"] = board.submit("other", work(10_000), asker="other reader")
            time.sleep(gap / 2)
        elif step < steps:
            time.sleep(gap)
    for job in jobs.values():
        job.wait(900)
    board.shutdown()
    wanted = [("map", reader, steps) for reader in range(readers)]
    stale = [key for key in jobs if key != "other" and key not in wanted]
    assert all(jobs[key].state == "done" for key in [*wanted, "other"]), {k: j.state for k, j in jobs.items()}
    ready = [jobs[key].ended - asked[key] for key in wanted]
    return {
        "wanted_map_s": round(max(ready), 2),
        "other_readers_map_s": round(jobs["other"].ended - asked["other"], 2),
        "stale_work_s": round(sum(jobs[key].seconds or 0.0 for key in stale), 2),
        "stale_done": sum(jobs[key].state == "done" for key in stale),
        "stale_stopped_running": sum(jobs[key].state == "cancelled" and jobs[key].seconds is not None for key in stale),
        "stale_dropped_queued": sum(jobs[key].state == "cancelled" and jobs[key].seconds is None for key in stale),
        "one_map_s": round(statistics.median(jobs[key].seconds for key in [*wanted, "other"]), 2),
        "total_s": round(max(job.ended for job in jobs.values() if job.ended) - t0, 2),
    }


def closed_tabs(words: int, leavers: int, watch: bool) -> dict[str, Any]:
    from core import embeddings as emb
    from ui.jobs import JobBoard

    rng = np.random.default_rng(1)
    vectors = emb.Vectors([f"w{i}" for i in range(words)], rng.standard_normal((words, 50)).astype(np.float32))
    tabs: set[str] = set()
    board = JobBoard(2, connected=lambda tab: tab in tabs)

    def work(seed: int):
        return lambda progress: emb.project(vectors, "tsne", 2, seed, progress=progress)

    t0 = time.monotonic()
    left = []
    for reader in range(leavers):
        tabs.add(f"tab {reader}")
        left.append(board.submit(("map", reader), work(reader), asker=f"reader {reader}", watch=watch, connection=f"tab {reader}"))
    time.sleep(2.0)
    tabs.clear()  # they close their tabs
    time.sleep(1.0)
    tabs.add("stayer")
    asked = time.monotonic()
    stayer = board.submit(("map", "stayer"), work(10_000), asker="stayer", watch=watch, connection="stayer")
    while not stayer.wait(0.5):  # its page polls the job (ui.jobs._progress)
        board.look(("map", "stayer"), "stayer")
    for job in left:
        job.wait(900)
    board.shutdown()
    assert stayer.state == "done", stayer.state
    return {
        "stayers_map_s": round(stayer.ended - asked, 2),
        "closed_tabs_work_s": round(sum(job.seconds or 0.0 for job in left), 2),
        "closed_done": sum(job.state == "done" for job in left),
        "closed_stopped_running": sum(job.state == "cancelled" and job.seconds is not None for job in left),
        "closed_not_started": sum(job.state == "cancelled" and job.seconds is None for job in left),
        "one_map_s": round(stayer.seconds, 2),
        "total_s": round(max(job.ended for job in [*left, stayer] if job.ended) - t0, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=4, help="maps asked for and left before the wanted one")
    parser.add_argument("--gap", type=float, default=2.0, help="seconds between two asks")
    parser.add_argument("--readers", type=int, default=2, help="readers stepping through maps at the same time")
    parser.add_argument("--leavers", type=int, default=4, help="readers who ask for a map and close the tab")
    parser.add_argument("--leaver-words", type=int, default=3000, help="words in their maps and the stayer's")
    parser.add_argument("--only", choices=("stepping", "closed"), help="one of the two scenarios")
    parser.add_argument("--json-out")
    args = parser.parse_args(argv)

    from core import embeddings as emb
    from ui.jobs import DISCONNECTED_SECONDS

    emb.project(emb.Vectors(["a", "b", "c", "d", "e"], np.eye(5, dtype=np.float32)), "tsne", 2, 0)  # imports and warm-up
    results: dict[str, Any] = {}
    if args.only != "closed":
        results.update(stepping(args))
    if args.only != "stepping":
        results.update(closing(args))
    results["config"] = {
        "words": args.words, "steps": args.steps, "gap_s": args.gap, "readers": args.readers, "leavers": args.leavers,
        "leaver_words": args.leaver_words, "disconnected_s": DISCONNECTED_SECONDS, "workers": 2, "machine": platform.processor() or platform.machine(),
    }
    emit(results, args.json_out)
    return 0


def stepping(args) -> dict[str, Any]:
    results = {
        "baseline_queued_only": scenario(args.words, args.steps, args.gap, args.readers, stop_stale=False),
        "stop_stale": scenario(args.words, args.steps, args.gap, args.readers, stop_stale=True),
    }
    print(f"{args.readers} readers each leave {args.steps} maps behind, one every {args.gap:g} s, then ask for the one they want; "
          f"another reader asks for one map meanwhile; t-SNE of {args.words:,} words, 2 workers")
    print(f"{'':24} {'wanted map (last ready)':>24} {'other map':>10} {'stale work':>11} {'stale maps done/stopped/dropped':>32} {'one map':>8}")
    for name, r in results.items():
        fates = f"{r['stale_done']}/{r['stale_stopped_running']}/{r['stale_dropped_queued']}"
        print(f"{name:24} {r['wanted_map_s']:>23.2f}s {r['other_readers_map_s']:>9.2f}s {r['stale_work_s']:>10.2f}s {fates:>32} {r['one_map_s']:>7.2f}s")
    base, new = results["baseline_queued_only"], results["stop_stale"]
    results["speedup_wanted_map"] = round(base["wanted_map_s"] / new["wanted_map_s"], 2)
    results["speedup_other_readers_map"] = round(base["other_readers_map_s"] / new["other_readers_map_s"], 2)
    print(f"the wanted maps are ready {results['speedup_wanted_map']}x sooner, the other reader's {results['speedup_other_readers_map']}x")
    return results



def closing(args) -> dict[str, Any]:
    from ui.jobs import DISCONNECTED_SECONDS

    results: dict[str, Any] = {
        "baseline_closed_run_on": closed_tabs(args.leaver_words, args.leavers, watch=False),
        "watched": closed_tabs(args.leaver_words, args.leavers, watch=True),
    }
    print(f"{args.leavers} readers ask for a map and close the tab 2 s later; another asks for one 1 s after and stays; "
          f"t-SNE of {args.leaver_words:,} words, 2 workers, a closed tab's map stopped after {DISCONNECTED_SECONDS:g} s")
    print(f"{'':24} {'staying reader map':>19} {'closed tabs work':>17} {'closed maps done/stopped/not started':>37} {'one map':>8}")
    for name, r in list(results.items()):
        fates = f"{r['closed_done']}/{r['closed_stopped_running']}/{r['closed_not_started']}"
        print(f"{name:24} {r['stayers_map_s']:>18.2f}s {r['closed_tabs_work_s']:>16.2f}s {fates:>37} {r['one_map_s']:>7.2f}s")
    results["speedup_stayers_map"] = round(results["baseline_closed_run_on"]["stayers_map_s"] / results["watched"]["stayers_map_s"], 2)
    print(f"the staying reader's map is ready {results['speedup_stayers_map']}x sooner")
    return results


if __name__ == "__main__":
    raise SystemExit(main())
