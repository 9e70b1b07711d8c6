"""A queued run's wait at its turn, with the next in line waiting warm and without.

    python -m bench.bench_queue [--rounds 2] [--json-out FILE]

On a class server one run trains at a time (`RNNLAB_MAX_CONCURRENT_RUNS=1`) and the others
queue. A queued run's process used to start only at its turn, and imported TensorFlow then:
15-45 s of "starting" on a busy 2-core server, for every run of the queue. With the warm queue
(`RNNLAB_WARM_QUEUE=1`, `core.runs.RunStore.schedule`) the next in line waits with its process
started and TensorFlow loaded, and takes its turn at once. Both settings in the same run,
alternating (``--rounds`` each), through `core.runs.RunStore` with real training processes:

1. run A starts (a tiny character GRU on a synthetic text, ``--epochs-a`` epochs: its process
   imports TensorFlow and trains for some seconds);
2. run B is queued behind it (1 epoch);
3. measured: from the moment A's status says it ended to the moment B's first epoch begins
   (``epoch_running`` in its status; polled every 20 ms), and from A's end to B's end.

The baseline is RNNLAB_WARM_QUEUE=0 (the store before 2026-12-04). The last line is one JSON
object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {"baseline (cold at its turn)": "0", "warm queue": "1"}


def lm_config(corpus: str, epochs: int) -> dict:
    return {
        "task": "language_model", "dataset": corpus, "tokenizer": "char",
        "model": {"cell": "gru", "implementation": "layer", "units": 16, "embedding_dim": 8},
        "optimizer": "adam", "learning_rate": 0.01, "batch_size": 8, "num_steps": 10, "sampler": "consecutive",
        "epochs": epochs, "sample_prefixes": ["春风"], "sample_every": 1000, "sample_length": 5, "log_every_batches": 5,
    }


def wait_for(predicate, timeout: float = 300.0, poll: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(poll)
    raise TimeoutError("no answer within the bench's timeout")


def one_round(setting: str, epochs_a: int, folder: Path) -> dict[str, float]:
    os.environ["RNNLAB_WARM_QUEUE"] = setting
    os.environ["RNNLAB_MAX_CONCURRENT_RUNS"] = "1"
    from core.runs import RunStore

    store = RunStore(folder / f"checkpoints-{setting}-{time.monotonic_ns()}")
    corpus = folder / "corpus.txt"
    a = store.create(lm_config(f"upload:{corpus}", epochs_a), label="a")
    store.start(a.run_id)
    b = store.create(lm_config(f"upload:{corpus}", 1), label="b")
    assert store.start(b.run_id)["state"] == "queued"
    ended = wait_for(lambda: (s := store.refresh(a)).get("state") not in ("queued", "running") and s)
    a_end = float(ended.get("finished") or time.time())
    # B's turn: A's process schedules it as it exits; the first epoch begins once B's process is ready
    wait_for(lambda: store.refresh(b).get("epoch_running"))
    first_epoch = time.time()
    final = wait_for(lambda: (s := store.refresh(b)).get("state") not in ("queued", "running") and s)
    if ended.get("state") != "done" or final.get("state") != "done":
        raise RuntimeError(f"a run did not end done: A {ended.get('state')}, B {final.get('state')} ({final.get('error')})")
    return {"turn_to_first_epoch": round(first_epoch - a_end, 3), "turn_to_done": round(float(final["finished"]) - a_end, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--epochs-a", type=int, default=3, help="epochs of the run trained first (each well under a second)")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import numpy as np

    seen: dict[str, list[dict]] = {name: [] for name in SETTINGS}
    with tempfile.TemporaryDirectory(prefix="rnnlab-bench-queue-") as tmp:
        folder = Path(tmp)
        words = ["春风", "明月", "山水", "故乡", "归来", "，", "。"]
        (folder / "corpus.txt").write_text("".join(np.random.default_rng(0).choice(words, size=8000)), encoding="utf-8")
        for round_no in range(args.rounds):
            for name, value in SETTINGS.items():
                figures = one_round(value, args.epochs_a, folder)
                seen[name].append(figures)
                print(f"round {round_no + 1} · {name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in figures.items()), flush=True)

    result: dict = {"rounds": args.rounds, "epochs_a": args.epochs_a, "cores": os.cpu_count(), "median_seconds": {}}
    print(f"\nfrom the end of the run training to the queued run's first epoch and end, median of {args.rounds} (seconds)")
    print(f"{'setting':<30}{'first epoch':>14}{'done':>10}")
    for name, rows in seen.items():
        medians = {k: round(statistics.median(r[k] for r in rows), 3) for k in rows[0]}
        result["median_seconds"][name] = medians
        print(f"{name:<30}{medians['turn_to_first_epoch']:>14.2f}{medians['turn_to_done']:>10.2f}")
    base, warm = (result["median_seconds"][name] for name in SETTINGS)
    result["speed_up"] = {k: round(base[k] / warm[k], 2) if warm[k] else None for k in base}
    print("speed-up: " + ", ".join(f"{k} {v}x" for k, v in result["speed_up"].items()))
    line = json.dumps(result)
    if args.json_out:
        args.json_out.write_text(line + "\n", encoding="utf-8")
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
