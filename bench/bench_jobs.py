"""A class sharing the background workers: what a map nobody looks at any more costs the others.

    python -m bench.bench_jobs [--words 2000] [--steps 4] [--gap 2.0] [--readers 2] [--json-out FILE]

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
became of those (run to the end, stopped while running, dropped while queued). It prints a table and, as
its last line, one JSON object with every figure.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=4, help="maps asked for and left before the wanted one")
    parser.add_argument("--gap", type=float, default=2.0, help="seconds between two asks")
    parser.add_argument("--readers", type=int, default=2, help="readers stepping through maps at the same time")
    parser.add_argument("--json-out")
    args = parser.parse_args(argv)

    from core import embeddings as emb

    emb.project(emb.Vectors(["a", "b", "c", "d", "e"], np.eye(5, dtype=np.float32)), "tsne", 2, 0)  # imports and warm-up
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
    results["config"] = {"words": args.words, "steps": args.steps, "gap_s": args.gap, "readers": args.readers, "workers": 2, "machine": platform.processor() or platform.machine()}
    print(f"the wanted maps are ready {results['speedup_wanted_map']}x sooner, the other reader's {results['speedup_other_readers_map']}x")
    emit(results, args.json_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
