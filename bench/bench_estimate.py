"""How good the New run tab's time estimate is (`core.estimate`), and the constants it uses.

Trains short real runs (`core.train.run_training`, three epochs each, on synthetic text so no
data set is needed) of language models and classifiers across sizes, cells and the three
implementations; each run's typical epoch time (the median without the first epoch, which
traces the graph) beside the estimate made from its config before it started. Then the shipped
models, whose epoch times are in their histories: estimated from their configs, measured on the
machine that trained them.

    python -m bench.bench_estimate                   # the estimate against the measured runs (~4 min on 2 cores)
    python -m bench.bench_estimate --fit             # also fit REFERENCE's constants on them (printed, to paste)
    python -m bench.bench_estimate --json-out bench/results/bench_estimate.json
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from core import estimate as est
from core.runs import RunDir, typical_epoch_seconds

ROOT = Path(__file__).resolve().parents[1]
CHARS = [chr(0x4E00 + i) for i in range(2000)]  # CJK characters: a vocabulary of any size up to 2,000
WORDS = [f"w{i}" for i in range(5000)]

# (task, implementation, cell, units, layers, bidirectional, steps, batch, vocabulary, training batches)
GRID = [
    ("language_model", impl, cell, units, layers, False, steps, batch, vocab, batches)
    for impl in ("layer", "keras_cell", "scratch")
    for cell, units, layers, steps, batch, vocab, batches in (
        ("lstm", 32, 1, 10, 16, 200, 60),
        ("gru", 64, 1, 35, 32, 1000, 30),
        ("lstm", 256, 1, 35, 32, 2500, 20),
        ("simple_rnn", 128, 2, 50, 64, 500, 12),
        ("lstm", 512, 1, 35, 64, 2000, 6),
    )
] + [
    ("sentiment", impl, cell, units, layers, bi, steps, batch, vocab, batches)
    for impl in ("layer", "keras_cell", "scratch")
    for cell, units, layers, bi, steps, batch, vocab, batches in (
        ("gru", 32, 1, False, 50, 32, 2000, 30),
        ("gru", 48, 1, False, 120, 64, 5000, 12),
        ("lstm", 64, 1, True, 200, 64, 5000, 12),
        ("simple_rnn", 128, 2, False, 100, 64, 5000, 12),
    )
]


def _config(task, impl, cell, units, layers, bi, steps, batch, vocab, batches, folder: Path) -> tuple[dict, int, int]:
    """A run config on synthetic data written into `folder`; (config, training units, held-out units)."""
    rng = random.Random(0)
    model = {"cell": cell, "implementation": impl, "units": units, "num_layers": layers, "bidirectional": bi, "embedding_dim": 32}
    if task == "sentiment" and units in (48, 64):  # the shipped classifiers' head: padding masked, max and mean pooled
        model.update(mask_zero=True, pooling="max_mean", embedding_dim=64, dropout=0.2)
    common = {"task": task, "model": model, "batch_size": batch, "epochs": 3, "seed": 0, "log_every_batches": 1000}
    if task == "language_model":
        # consecutive batches: `batches` of [batch, steps] in the training part, a tenth more held out
        # (held out: at least two validation batches)
        n_train = batch * steps * batches + batch + 1
        n_val = max(int(n_train / 9), 2 * batch * steps + 2)
        n = n_train + n_val
        path = folder / f"corpus_{vocab}_{n}.txt"
        path.write_text("".join(rng.choice(CHARS[:vocab]) for _ in range(n)), encoding="utf-8")
        sampler = "random" if units == 256 else "consecutive"  # (the shipped lyrics models' sampler and size)
        config = {**common, "dataset": f"upload:{path}", "tokenizer": "char", "num_steps": steps, "sampler": sampler,
                  "val_fraction": round(n_val / n, 4), "sample_prefixes": [CHARS[0]], "sample_length": 20}
        return config, n - int(round(n * config["val_fraction"])), int(round(n * config["val_fraction"]))
    texts = batch * batches
    n = int(texts / 0.8) + 2
    path = folder / f"reviews_{vocab}_{n}_{steps}.csv"
    lines = ["text,label"] + [" ".join(rng.choice(WORDS[:vocab]) for _ in range(steps)) + f",{i % 2}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = {**common, "dataset": f"upload:{path}", "tokenizer": "word", "maxlen": steps, "dataset_options": {"text_column": "text", "label_column": "label"}}
    return config, None, None  # (the split's sizes are the run's own: read from its status after it ran)


def measure(grid=GRID) -> list[dict]:
    from core.train import run_training

    rows = []
    with tempfile.TemporaryDirectory(prefix="rnnlab-bench-estimate-") as tmp:
        folder = Path(tmp)
        for i, spec in enumerate(grid):
            config, n_train, n_val = _config(*spec, folder)
            run = RunDir(folder / f"run{i}")
            started = time.perf_counter()
            status = run_training(config, run)
            if status.get("state") != "done":
                print(f"  {spec}: {status.get('state')} {status.get('error')}", file=sys.stderr)
                continue
            data = status.get("data") or {}
            if spec[0] == "sentiment":
                n_train, n_val = int(data.get("train_texts", 0)), int(data.get("val_texts", 0))
            measured = typical_epoch_seconds(run.history())
            cost = est.epoch_cost(json.loads(run.config_path.read_text(encoding="utf-8")), int(status["vocab_size"]), n_train, n_val)
            rows.append({"spec": list(spec), "measured": measured, "cost": cost, "wall": time.perf_counter() - started, "data": data})
            print(f"  {i + 1}/{len(grid)} {spec[0][:9]:9} {spec[1]:10} {spec[2]:10} u{spec[3]:<4} L{spec[4]} {'bi' if spec[5] else '  '} "
                  f"T{spec[6]:<4} B{spec[7]:<3} V{status['vocab_size']:<5}: {measured:.3f} s/epoch measured, {cost.seconds():.3f} estimated", flush=True)
    return rows


def fit(rows: list[dict]) -> dict[str, dict[str, float]]:
    """REFERENCE's constants per implementation: non-negative least squares on relative errors."""
    from scipy.optimize import nnls

    fitted = {}
    for impl in ("layer", "keras_cell", "scratch"):
        mine = [r for r in rows if r["cost"].implementation == impl and r["measured"]]
        if len(mine) < 3:
            continue
        names = ("per_batch", "per_step", "per_step_masked", "rate")  # (the rate's term is divided by it: its inverse is fitted)
        # the cost model's own terms (`EpochCost.terms`), each row relative: a 0.1 s epoch counts as much as a 10 s one
        a = np.array([[r["cost"].terms()[name] / r["measured"] for name in names] for r in mine])
        x, _ = nnls(a, np.ones(len(mine)))
        fitted[impl] = {"per_batch": float(x[0]), "per_step": float(x[1]), "per_step_masked": float(x[2]), "rate": float(1.0 / x[3]) if x[3] > 0 else float("inf")}
    return fitted


def shipped() -> list[dict]:
    """The shipped models: their configs' estimates beside the epoch times in their histories."""
    rows = []
    for folder in sorted((ROOT / "checkpoints" / "shipped").iterdir()):
        run = RunDir(folder)
        status, config, history = run.status(), run.config(), run.history()
        data = status.get("data") or {}
        if not history or not status.get("vocab_size"):
            continue
        if config.get("task") == "language_model":
            n_train, n_val = data.get("train_tokens"), data.get("val_tokens")
        else:
            n_train, n_val = data.get("train_texts"), data.get("val_texts")
        if not n_train:
            continue
        cost = est.epoch_cost(config, int(status["vocab_size"]), int(n_train), int(n_val or 0))
        rows.append({"model": folder.name, "measured": typical_epoch_seconds(history), "cost": cost, "cores": status.get("cores")})
    return rows


def report(rows: list[dict], title: str, constants=None) -> list[dict]:
    print(f"\n{title}")
    print(f"| {'run':58} | measured s/epoch | estimated | estimated / measured |")
    print(f"| {'-' * 58} | --- | --- | --- |")
    out = []
    for r in rows:
        name = r.get("model") or " ".join(str(x) for x in r["spec"])
        c = r["cost"]
        e = c.seconds((constants or {}).get(c.implementation))
        ratio = e / r["measured"] if r["measured"] else math.nan
        print(f"| {name:58} | {r['measured']:.3f} | {e:.3f} | {ratio:.2f} |")
        out.append({"run": name, "measured": r["measured"], "estimated": e, "ratio": ratio})
    ratios = [o["ratio"] for o in out if math.isfinite(o["ratio"])]
    if ratios:
        logs = [abs(math.log(x)) for x in ratios]
        print(f"ratio median {statistics.median(ratios):.2f}, within 1.5x: {sum(lg <= math.log(1.5) for lg in logs)}/{len(logs)}, "
              f"within 2x: {sum(lg <= math.log(2) for lg in logs)}/{len(logs)}, worst {max(ratios, key=lambda x: abs(math.log(x))):.2f}")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit", action="store_true", help="fit REFERENCE's constants on the measured runs and print them")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    print("Short real runs on synthetic text (3 epochs each):", flush=True)
    rows = measure()
    results = {"runs": report(rows, "The estimate with core.estimate.REFERENCE")}
    if args.fit:
        constants = fit(rows)
        print("\nFitted constants (core.estimate.REFERENCE):")
        print(json.dumps(constants, indent=2))
        results["fitted"] = constants
        results["runs_fitted"] = report(rows, "The same runs with the fitted constants", constants)
    results["shipped"] = report(shipped(), "The shipped models (their histories' epoch times, measured when they were trained)")
    if args.fit:
        results["shipped_fitted"] = report(shipped(), "The shipped models with the fitted constants", constants)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
