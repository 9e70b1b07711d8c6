"""The lyrics language models the app ships in `checkpoints/shipped/lyrics_*`: prune a finished
run, write its model card. The language-model counterpart of `core.shipped` (the classifiers).

Each shipped model is an ordinary run folder made by the training CLI from a named preset::

    python -m core.train --preset shipped_lyrics_lstm --run-dir checkpoints/shipped/lyrics_lstm
    python -m core.shipped_lm prune checkpoints/shipped/lyrics_lstm
    python -m bench.bench_lm --json-out bench/results/bench_lm.json
    python -m core.shipped_lm card checkpoints/shipped/lyrics_lstm --bench bench/results/bench_lm.json

``prune`` keeps config, status, history, samples, vocabulary, the best model and the log;
``card`` writes ``MODEL_CARD.md`` from those files and the benchmark's JSON (the Kneser-Ney
5-gram baseline of the same split, and the model's own perplexity over the whole held-out
stream), so no figure in a card is typed by hand.

No Streamlit here; Keras is imported only to count the layers' parameters for the card.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import Any

from core import shipped
from core.runs import RunDir, read_jsonl

SHIPPED_LYRICS: dict[str, str] = {
    "lyrics_lstm": "shipped_lyrics_lstm",
    "lyrics_gru": "shipped_lyrics_gru",
    "lyrics_simple_rnn": "shipped_lyrics_simple_rnn",
}
"""Shipped folder name -> the preset that trains it."""

KEEP_FILES: tuple[str, ...] = (
    "config.json", "status.json", "history.jsonl", "samples.jsonl", "vocab.json", "model_best.keras", "train.log", "MODEL_CARD.md",
)
"""What a shipped language-model folder holds; `prune` removes everything else."""

CARD_NAME = "MODEL_CARD.md"
BENCH_JSON = Path("bench/results/bench_lm.json")
_CELL_NAMES = {"lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"}


def prune(folder: Path) -> list[str]:
    """Delete everything in a finished run folder except `KEEP_FILES`; returns the names removed
    (the optimizer state stays in model_best.keras, as the committed models have it)."""
    return shipped.prune(folder, keep=KEEP_FILES, strip=False)


def heldout_perplexity(status: dict) -> float:
    """The held-out perplexity of the best epoch as training measured it: exp(best val_loss)."""
    return math.exp(float(status["best"]["val_loss"]))


def _validation_text(config: dict, data: dict) -> str:
    """How training's validation pass read the held-out stream (what history.jsonl's val_perplexity covers)."""
    n, rows, steps = data.get("val_tokens"), data.get("val_rows"), data.get("val_steps")
    if not (n and rows and steps):
        return "training's validation pass"
    if config.get("sampler") == "random":
        windows = (int(n) - 1) // int(steps)
        used = windows // int(rows) * int(rows)
        return (
            f"training's validation pass, {used} of the {windows} windows of {steps} steps ({used * int(steps):,} of the {int(n) - 1:,} "
            f"targets, in batches of {rows}), each window from a zero state"
        )
    return f"training's validation pass, {rows} rows of consecutive batches of {steps} steps, each row's state carried from a zero start"


def _best_row(history: list[dict], epoch: int | None) -> dict:
    for row in history:
        if row.get("epoch") == epoch:
            return row
    return {}


def _bench_entry(bench: dict | None, name: str) -> dict | None:
    for row in (bench or {}).get("models") or []:
        if row.get("name") == name:
            return row
    return None


def _parameters(folder: Path) -> tuple[int, list[dict[str, Any]]]:
    from core.models import parameter_table
    from core.train import load_run_model

    model = load_run_model(RunDir(folder).best_model_path)
    return int(model.count_params()), parameter_table(model).to_dict("records")


def model_card(folder: Path, bench: dict | None = None) -> str:
    """The text of MODEL_CARD.md for a finished lyrics language-model run folder."""
    folder = Path(folder)
    run = RunDir(folder)
    name = folder.name
    config = run.config()
    status = run.status()
    history = read_jsonl(run.history_path)
    if config.get("task") != "language_model" or status.get("state") != "done":
        raise ValueError(f"{folder} is not a finished language-model run.")
    model_cfg = config.get("model") or {}
    data = status.get("data") or {}
    best = status.get("best") or {}
    best_row = _best_row(history, best.get("epoch"))
    preset = SHIPPED_LYRICS.get(name)
    params, layers = _parameters(folder)
    size_mb = run.best_model_path.stat().st_size / 1e6
    cell = _CELL_NAMES.get(model_cfg.get("cell"), str(model_cfg.get("cell")))
    val_ppl = heldout_perplexity(status)
    train_ppl = best_row.get("perplexity")
    baseline = (bench or {}).get("baseline")
    measured = _bench_entry(bench, name)
    started = status.get("started")
    trained_on = time.strftime("%Y-%m-%d", time.localtime(started)) if started else "?"
    duration_min = float(status.get("duration") or 0) / 60

    lines: list[str] = []
    add = lines.append
    add(f"# {name}: {cell} character language model of the Jay Chou lyrics")
    add("")
    add(f"<!-- Generated by `python -m core.shipped_lm card checkpoints/shipped/{name} --bench {BENCH_JSON}` from this folder's")
    add("     config.json, status.json, history.jsonl, model_best.keras and the benchmark's JSON. Do not edit by hand. -->")
    add("")
    add("Predicts the next character of a lyric from the characters before it. Shipped with RNN Lab so the Lyrics")
    add("playground works at once and the three cells (SimpleRNN, GRU, LSTM; the same size) can be compared side by side;")
    add("it is a teaching model trained on 57k characters, not a lyricist.")
    add("")
    add("## Results")
    add("")
    add("| text | perplexity | notes |")
    add("| --- | --- | --- |")
    add(f"| training (first 90%) | {train_ppl:.2f} | epoch {best.get('epoch')}: exp of the mean cross-entropy over the epoch's training batches, with dropout on |" if train_ppl else "| training | - | |")
    add(f"| held out (last 10%) | {val_ppl:.2f} | epoch {best.get('epoch')}, the lowest held-out loss, whose weights are model_best.keras: {_validation_text(config, data)} |")
    if measured:
        add(f"| held out, whole stream | {measured['heldout_perplexity']:.2f} | `bench/bench_lm.py` on {bench.get('date')}: the same weights over the {measured['targets']} held-out targets in one pass, state carried |")
    if baseline:
        add(f"| held out, baseline | {baseline['heldout_perplexity']:.2f} | interpolated Kneser-Ney character {baseline['order']}-gram (discounts estimated per order) trained on the same 90% by `bench/bench_lm.py` on {bench.get('date')}, scored on the same targets |")
    add("")
    add(f"Held-out perplexity: {val_ppl:.2f}")
    add("")
    if baseline:
        ours = measured["heldout_perplexity"] if measured else val_ppl
        kn = baseline["heldout_perplexity"]
        if ours < kn:
            verdict = f"The goal of issue 4 (the shipped LSTM beats the Kneser-Ney {baseline['order']}-gram on held-out perplexity) is met by this model: {ours:.2f} against {kn:.2f}."
        else:
            verdict = (
                f"This model does NOT beat the Kneser-Ney {baseline['order']}-gram baseline: {ours:.2f} against {kn:.2f} held-out perplexity "
                f"({ours / kn:.2f} times the baseline)"
                + (", so the goal of issue 4 (the shipped LSTM beats the baseline) is not met." if model_cfg.get("cell") == "lstm" else ".")
            )
        add(verdict + " Characters of the held-out text missing from the training vocabulary are `<unk>` for both models.")
        add("")
    add("## Data")
    add("")
    add(
        f"`lyrics`: the Jay Chou lyrics of the d2l tutorial (jaychou_lyrics.txt.zip, {data.get('tokens', '?'):,} characters), "
        f"newlines read as spaces, one token per character. The first {data.get('train_tokens'):,} characters train the model; "
        f"the last {data.get('val_tokens'):,} (10%) are held out and never trained on. The vocabulary is every character of the "
        f"training part plus `<pad>` and `<unk>`: {status.get('vocab_size')} entries (vocab.json); {data.get('val_unknown')} held-out "
        f"characters are not in it and count as `<unk>`."
    )
    add("")
    add("## Reproduce")
    add("")
    add("```bash")
    if preset:
        add(f"python -m core.train --preset {preset} --run-dir checkpoints/shipped/{name}")
    else:
        add(f"python -m core.train --config checkpoints/shipped/{name}/config.json --run-dir checkpoints/shipped/{name}")
    add(f"python -m core.shipped_lm prune checkpoints/shipped/{name}")
    add(f"python -m bench.bench_lm --json-out {BENCH_JSON}")
    add(f"python -m core.shipped_lm card checkpoints/shipped/{name} --bench {BENCH_JSON}")
    add("```")
    add("")
    add(
        f"The preset's full configuration is config.json (seed {config.get('seed')}). Training on CPU is not bit-for-bit "
        "repeatable across machines, so a rerun lands near, not exactly on, these figures."
    )
    add("")
    add("## Model")
    add("")
    tie = bool(model_cfg.get("tie_embeddings"))
    units = model_cfg.get("units")
    add(
        f"Embedding {model_cfg.get('embedding_dim')} → {model_cfg.get('num_layers')} × {cell} {units} (Keras layer, dropout "
        f"{model_cfg.get('dropout')} on its inputs, recurrent dropout {model_cfg.get('recurrent_dropout')})"
        + (f" → linear Dense {model_cfg.get('embedding_dim')} → logits h E^T + b with the embedding matrix E tied to the output" if tie and units != model_cfg.get("embedding_dim") else "")
        + (" → logits h E^T + b with the embedding matrix E tied to the output" if tie and units == model_cfg.get("embedding_dim") else "")
        + ("" if tie else " → Dense (vocabulary) logits")
        + "."
    )
    add("")
    add(f"Parameters: {params:,}; model_best.keras is {size_mb:.2f} MB.")
    add("")
    add("| layer | type | output shape | parameters |")
    add("| --- | --- | --- | --- |")
    for row in layers:
        if row.get("layer") == "total":
            continue
        add(f"| {row['layer']} | {row['type']} | {row['output_shape']} | {int(row['keras_params']):,} |")
    add("")
    add(
        f"Training: {config.get('optimizer')} learning rate {config.get('learning_rate')}, global gradient norm clipped to "
        f"{config.get('clip_global_norm')}, batch {config.get('batch_size')} × {config.get('num_steps')} steps, {config.get('sampler')} "
        f"sampling, mean cross-entropy, at most {config.get('epochs')} epochs"
        + (f", stopping after {config.get('early_stopping_patience')} epochs without a lower held-out loss" if config.get("early_stopping_patience") else "")
        + f". It ran {status.get('epoch')} epochs in {duration_min:.1f} minutes on {trained_on}, on a shared machine with 2 CPU "
        f"cores and no GPU (other training ran at the same time); the best epoch was {best.get('epoch')}."
    )
    add("")
    add("| epoch | training perplexity | held-out perplexity | seconds |")
    add("| --- | --- | --- | --- |")
    for row in history:
        mark = " (best)" if row.get("epoch") == best.get("epoch") else ""
        add(f"| {row.get('epoch')}{mark} | {row.get('perplexity', float('nan')):.2f} | {row.get('val_perplexity', float('nan')):.2f} | {row.get('seconds', 0):.0f} |")
    add("")
    samples = [r for r in read_jsonl(run.samples_path)] if run.samples_path.exists() else []
    last = [r for r in samples if r.get("epoch") == max((s.get("epoch", 0) for s in samples), default=None)]
    if last:
        add(f"Greedy samples with the weights of epoch {last[0].get('epoch')}, the last sampled (samples.jsonl; not necessarily the best epoch's weights):")
        add("")
        for r in last:
            add(f"- `{r.get('text')}`")
        add("")
    add("## Limits")
    add("")
    add("- 57k characters of one songwriter's lyrics: the model knows their phrases and little else; held-out songs are")
    add("  much harder for it than the training ones (compare the two perplexities).")
    add("- Characters outside its vocabulary are `<unk>`; greedy decoding soon repeats itself (try temperature or top-p).")
    add("")
    return "\n".join(lines)


def write_card(folder: Path, bench: dict | None = None) -> Path:
    return shipped.write_card(folder, bench, model_card)


load_bench = shipped.load_bench


def main(argv: list[str] | None = None) -> int:
    return shipped.cli(argv, "python -m core.shipped_lm", "language-model", "bench.bench_lm", BENCH_JSON, "no baseline", prune, model_card)


if __name__ == "__main__":
    sys.exit(main())
