"""Generation speed of the shipped lyrics models against the tutorial's way, measured in the same run (issue 4).

For each shipped language model (``checkpoints/shipped/lyrics_*``), greedy continuation of the
prefix ``分开`` by 200 characters:

- **ours**: `core.generate.LanguageGenerator.generate`, the Lyrics page's path: the state is
  warmed up on the prefix in one call, then the model's one-step graph carries the
  recurrent state from character to character, all 200 steps inside one graph call (a
  ``tf.while_loop``); plus the page's bookkeeping (top-5 candidates and probabilities of
  every step);
- **baseline**: the tutorial's approach (d2l ``predict_rnn`` without a carried state, as the
  Keras tutorials generate): for every new character the same model runs over the whole
  sequence so far (prefix + generated) from a zero state, and the argmax of the last step is
  appended. The model's own full-sequence forward pass, compiled once for any length
  (`LanguageGenerator.forward`), so the comparison is the algorithm, not tracing.

Both must produce the same 200 characters (greedy, same weights): the script checks it. Each
side is timed ``--repeats`` times after a warm-up call; the median is reported. Goal: 200
characters in under 100 ms on 2 CPU cores for the shipped LSTM.

Then, for the shipped LSTM, the sampling strategies (temperature, top-k, top-p; 1 and 5
samples at once): the page's one-graph path against the per-token loop the same function
runs when it records every step's state (one compiled step per character called from
Python, the distribution and the draw in numpy). Same seed, so both must give the same
samples: the script checks it.

    python -m bench.bench_generate --json-out bench/results/bench_generate.json

It always exits 0 (benchmarks report, they do not fail CI).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from bench.report import emit  # noqa: E402

PREFIX = "分开"
LENGTH = 200
GOAL_MS = 100.0
OURS_HEADER = "the page's path, ms"
REPEATS = 5


def _median_ms(fn, repeats: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(1000.0 * (time.perf_counter() - t0))
    return float(statistics.median(times)), times


def rerun_whole_sequence(generator, prefix_ids: list[int], length: int) -> list[int]:
    """The tutorial's way: the whole sequence so far through the model for every new token."""
    ids = list(prefix_ids)
    out = []
    for _ in range(length):
        logits = generator.forward(np.asarray([ids], dtype=np.int32))[0, -1]
        logits = np.array(logits, dtype=np.float64)
        logits[0] = -np.inf  # <pad> is never generated (as in core.generate)
        nxt = int(np.argmax(logits))
        out.append(nxt)
        ids.append(nxt)
    return out


def bench_model(folder: Path, repeats: int) -> dict:
    from core.generate import LanguageGenerator, SamplingSettings

    generator = LanguageGenerator.from_run(folder)
    greedy = SamplingSettings(strategy="greedy")
    _, prefix_ids, _, _ = generator.encode_prefix(PREFIX)

    def ours():
        return generator.generate(PREFIX, LENGTH, greedy)

    first = ours()  # warm-up: builds and traces the one-step function
    ours_ms, ours_all = _median_ms(ours, repeats)
    ours_ids = [int(i) for i in first.samples[0].ids]  # the generated ids only

    rerun_whole_sequence(generator, prefix_ids, 2)  # warm-up
    t0 = time.perf_counter()
    baseline_ids = rerun_whole_sequence(generator, prefix_ids, LENGTH)  # timed too: the first of the baseline's calls
    base_all = [1000.0 * (time.perf_counter() - t0)] + _median_ms(lambda: rerun_whole_sequence(generator, prefix_ids, LENGTH), max(1, repeats // 2))[1]
    base_ms = float(statistics.median(base_all))
    baseline_text = generator.joiner.join(generator.vocab.decode(baseline_ids, skip_pad=False))
    same = ours_ids == baseline_ids
    return {
        "name": folder.name,
        "cell": generator.config["model"].get("cell"),
        "ours_ms": ours_ms,
        "ours_ms_all": ours_all,
        "baseline_ms": base_ms,
        "baseline_ms_all": base_all,
        "speedup": base_ms / ours_ms,
        "same_text": bool(same),
        "text": baseline_text,
    }


from core.generate import MAX_LENGTH as LARGEST_LENGTH, MAX_SAMPLES as LARGEST_SAMPLES  # noqa: E402 - the Lyrics page's limits
STRATEGY_SETTINGS = (("temperature", {"temperature": 1.0}), ("top_k", {"top_k": 10}), ("top_p", {"top_p": 0.9}))


def bench_strategies(folder: Path, repeats: int) -> list[dict]:
    """The sampling strategies on one model: one graph call against the per-token loop."""
    from core.generate import LanguageGenerator, SamplingSettings

    generator = LanguageGenerator.from_run(folder)
    rows = []
    for strategy, options in STRATEGY_SETTINGS:
        settings = SamplingSettings(strategy=strategy, seed=0, **options)
        for n in (1, 5):
            fast = generator.generate(PREFIX, LENGTH, settings, n_samples=n)  # warm-up (tracing) and the reference
            loop = generator.generate(PREFIX, LENGTH, settings, n_samples=n, record_states=True)
            fast_ms, _ = _median_ms(lambda: generator.generate(PREFIX, LENGTH, settings, n_samples=n), repeats)
            loop_ms, _ = _median_ms(lambda: generator.generate(PREFIX, LENGTH, settings, n_samples=n, record_states=True), repeats)
            rows.append({
                "strategy": strategy, **options, "samples": n, "one_graph_ms": fast_ms, "per_token_loop_ms": loop_ms,
                "speedup": loop_ms / fast_ms, "same_samples": [s.ids for s in fast.samples] == [s.ids for s in loop.samples],
            })
    return rows


def bench_largest(folder: Path, repeats: int) -> dict:
    """The page's largest request (`MAX_SAMPLES` samples x `MAX_LENGTH` characters, temperature 1.5):
    the whole call and the part after the last progress report (the page's bar stood at its end
    meanwhile: 5 of 9 s before 2026-12-04, when the step logits [16, 1000, vocab] went to numpy for
    the probabilities), one graph call against the per-token loop (one call of it)."""
    from core.generate import LanguageGenerator, SamplingSettings

    generator = LanguageGenerator.from_run(folder)
    settings = SamplingSettings(strategy="temperature", temperature=1.5, seed=0)
    generator.generate(PREFIX, LARGEST_LENGTH, settings, n_samples=LARGEST_SAMPLES)  # warm-up (tracing)
    totals, tails = [], []
    for _ in range(repeats):
        reports: list[float] = []
        start = time.perf_counter()
        fast = generator.generate(PREFIX, LARGEST_LENGTH, settings, n_samples=LARGEST_SAMPLES, progress=lambda done, total: reports.append(time.perf_counter()))
        end = time.perf_counter()
        totals.append((end - start) * 1000)
        tails.append((end - reports[-1]) * 1000)
    start = time.perf_counter()
    loop = generator.generate(PREFIX, LARGEST_LENGTH, settings, n_samples=LARGEST_SAMPLES, record_states=True)
    loop_ms = (time.perf_counter() - start) * 1000
    return {"samples": LARGEST_SAMPLES, "length": LARGEST_LENGTH, "temperature": 1.5, "one_graph_ms": statistics.median(totals),
            "after_last_progress_ms": statistics.median(tails), "per_token_loop_ms": loop_ms, "speedup": loop_ms / statistics.median(totals),
            "same_samples": [s.ids for s in fast.samples] == [s.ids for s in loop.samples]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shipped", type=Path, default=None, help="folder of shipped models (default: core.runs.shipped_dir())")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="timed calls of the compiled path (half as many of the baseline)")
    parser.add_argument("--json-out", type=Path, default=None, help="also write the JSON line to this file")
    args = parser.parse_args(argv)
    result: dict = {"bench": "bench_generate", "date": time.strftime("%Y-%m-%d"), "prefix": PREFIX, "length": LENGTH, "goal_ms": GOAL_MS,
                    "cpu_count": os.cpu_count(), "python": platform.python_version(), "models": []}
    t0 = time.perf_counter()
    try:
        import tensorflow as tf

        from core.runs import shipped_dir

        result["tensorflow"] = tf.__version__
        root = args.shipped or shipped_dir()
        folders = sorted(p for p in root.glob("lyrics_*") if (p / "model_best.keras").exists()) if root.is_dir() else []
        print(f"greedy continuation of {PREFIX!r} by {LENGTH} characters; {os.cpu_count()} CPUs; median of {args.repeats} calls (baseline {max(1, args.repeats // 2) + 1})")
        print(f"{'model':28s} {OURS_HEADER:>20s} {'whole sequence per char, ms':>28s} {'speedup':>8s}  same text  goal (< {GOAL_MS:.0f} ms)")
        for folder in folders:
            row = bench_model(folder, max(1, args.repeats))
            result["models"].append(row)
            goal = "met" if row["ours_ms"] < GOAL_MS else "NOT met"
            print(f"{'shipped/' + row['name']:28s} {row['ours_ms']:20.1f} {row['baseline_ms']:28.1f} {row['speedup']:7.1f}x  {str(row['same_text']):9s}  {goal}", flush=True)
        lstm = [r for r in result["models"] if r["cell"] == "lstm"]
        result["goal_met"] = bool(lstm and lstm[0]["ours_ms"] < GOAL_MS and lstm[0]["same_text"])
        if lstm:
            print(f"\nsampling strategies, shipped/{lstm[0]['name']}, {LENGTH} characters, seed 0; median of {args.repeats} calls")
            print(f"{'strategy':18s} {'samples':>7s} {'one graph call, ms':>19s} {'per-token loop, ms':>19s} {'speedup':>8s}  same samples")
            result["strategies"] = bench_strategies(root / lstm[0]["name"], max(1, args.repeats))
            for row in result["strategies"]:
                label = " ".join([row["strategy"]] + [f"{row[k]}" for k in ("temperature", "top_k", "top_p") if k in row])
                print(f"{label:18s} {row['samples']:7d} {row['one_graph_ms']:19.1f} {row['per_token_loop_ms']:19.1f} {row['speedup']:7.1f}x  {row['same_samples']}", flush=True)
            row = result["largest"] = bench_largest(root / lstm[0]["name"], max(1, args.repeats // 2))
            print(f"\nthe largest request, {row['samples']} samples x {row['length']} characters, temperature 1.5: one graph call "
                  f"{row['one_graph_ms']:.0f} ms, of which {row['after_last_progress_ms']:.0f} ms after the last progress report; "
                  f"per-token loop {row['per_token_loop_ms']:.0f} ms ({row['speedup']:.1f}x); same samples {row['same_samples']}", flush=True)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not fail CI
        import traceback

        traceback.print_exc()
        result["error"] = f"{type(exc).__name__}: {exc}"
    result["seconds"] = round(time.perf_counter() - t0, 1)
    emit(result, args.json_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
