"""The lyrics language models the app ships in `checkpoints/shipped/lyrics_*`: prune a finished
run, write its model card. The language-model counterpart of `core.shipped` (the classifiers).

Each shipped model is an ordinary run folder made by the training CLI from a named preset::

    python -m core.train --preset shipped_lyrics_lstm --run-dir checkpoints/shipped/lyrics_lstm --overwrite
    python -m core.shipped_lm prune checkpoints/shipped/lyrics_lstm
    python -m bench.bench_lm --json-out bench/results/bench_lm.json
    python -m core.shipped_lm card checkpoints/shipped/lyrics_lstm --bench bench/results/bench_lm.json

``prune`` keeps config, status, history, samples, vocabulary, the best model (without the
optimizer state) and the log;
``card`` writes ``MODEL_CARD.md`` and its Chinese twin ``MODEL_CARD.zh.md`` from those files and
the benchmark's JSON (the Kneser-Ney 5-gram baseline of the same split, and the model's own
perplexity over the whole held-out stream), so no figure in a card is typed by hand:
`card_facts` gathers the figures once and `render_card` says them in English or Chinese.

No Streamlit here; Keras is imported only to count the layers' parameters for the card.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from core import shipped
from core.runs import read_jsonl

SHIPPED_LYRICS: dict[str, str] = {
    "lyrics_lstm": "shipped_lyrics_lstm",
    "lyrics_gru": "shipped_lyrics_gru",
    "lyrics_simple_rnn": "shipped_lyrics_simple_rnn",
}
"""Shipped folder name -> the preset that trains it."""

KEEP_FILES: tuple[str, ...] = (
    "config.json", "status.json", "history.jsonl", "samples.jsonl", "vocab.json", "model_best.keras", "train.log", "MODEL_CARD.md", "MODEL_CARD.zh.md",
)
"""What a shipped language-model folder holds; `prune` removes everything else."""

CARD_NAMES = shipped.CARD_NAMES
"""MODEL_CARD.md and its Chinese twin MODEL_CARD.zh.md, written together from one `card_facts`."""
CARD_NAME = shipped.CARD_NAME
BENCH_JSON = Path("bench/results/bench_lm.json")
SEEDS_JSON = "bench/results/bench_lm_{cell}_seeds.json"
"""bench_lm's JSON for runs of a shipped recipe with other seeds (``--shipped`` on a folder of
``lyrics_<cell>_s<seed>`` runs); when it exists, the card reports the spread over the seeds."""
_CELL_NAMES = {"lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"}


def prune(folder: Path) -> list[str]:
    """Delete everything in a finished run folder except `KEEP_FILES` and strip Adam's state from
    model_best.keras (a third of the size; the page only predicts); returns the names removed."""
    return shipped.prune(folder, keep=KEEP_FILES)


def heldout_perplexity(status: dict) -> float:
    """The held-out perplexity of the best epoch as training measured it: exp(best val_loss)."""
    return math.exp(float(status["best"]["val_loss"]))


def _validation_text(config: dict, data: dict, lang: str = "en") -> str:
    """How training's validation pass read the held-out stream (what history.jsonl's val_perplexity covers)."""
    n, rows, steps = data.get("val_tokens"), data.get("val_rows"), data.get("val_steps")
    zh = lang == "zh"
    if not (n and rows and steps):
        return "训练时的验证过程" if zh else "training's validation pass"
    if config.get("sampler") == "random":
        windows = (int(n) - 1) // int(steps)
        used = windows // int(rows) * int(rows)
        if zh:
            return (
                f"训练时的验证过程，取 {windows} 个 {steps} 步窗口中的 {used} 个（{int(n) - 1:,} 个目标中的 {used * int(steps):,} 个，"
                f"每批 {rows} 个窗口），每个窗口都从零状态开始"
            )
        return (
            f"training's validation pass, {used} of the {windows} windows of {steps} steps ({used * int(steps):,} of the {int(n) - 1:,} "
            f"targets, in batches of {rows}), each window from a zero state"
        )
    if zh:
        return f"训练时的验证过程，{rows} 行相邻的批次，每批 {steps} 步，每行的状态从零开始并在批次之间传递"
    return f"training's validation pass, {rows} rows of consecutive batches of {steps} steps, each row's state carried from a zero start"


def _best_row(history: list[dict], epoch: int | None) -> dict:
    for row in history:
        if row.get("epoch") == epoch:
            return row
    return {}


_bench_entry = shipped._bench_entry


def card_facts(folder: Path, bench: dict | None = None) -> SimpleNamespace:
    """Every figure of a finished lyrics language-model run folder's card, computed once and
    rendered in each language by `render_card`."""
    folder, run, config, status, history, model_cfg, data, best, params, layers, size_mb = shipped.card_inputs(folder, "language_model")
    name = folder.name
    baseline = (bench or {}).get("baseline")
    measured = _bench_entry(bench, name)
    val_ppl = heldout_perplexity(status)
    started = status.get("started")
    samples = [r for r in read_jsonl(run.samples_path)] if run.samples_path.exists() else []
    last = [r for r in samples if r.get("epoch") == max((s.get("epoch", 0) for s in samples), default=None)]
    ours = (measured["heldout_perplexity"] if measured else val_ppl) if baseline else None
    return SimpleNamespace(
        name=name, preset=SHIPPED_LYRICS.get(name), config=config, model=model_cfg, data=data, best=best, history=history,
        cell=_CELL_NAMES.get(model_cfg.get("cell"), str(model_cfg.get("cell"))), is_lstm=model_cfg.get("cell") == "lstm",
        val_ppl=val_ppl, train_ppl=_best_row(history, best.get("epoch")).get("perplexity"),
        bench=bench or {}, baseline=baseline, measured=measured, ours=ours,
        kn=baseline["heldout_perplexity"] if baseline else None, ratio=ours / baseline["heldout_perplexity"] if baseline else None,
        seeds=_seed_facts(model_cfg.get("cell"), config.get("seed"), baseline["heldout_perplexity"]) if baseline else None,
        vocab_size=status.get("vocab_size"), params=params, layers=[row for row in layers if row.get("layer") != "total"], size_mb=size_mb,
        trained_on=time.strftime("%Y-%m-%d", time.gmtime(started)) if started else "?",
        duration_min=float(status.get("duration") or 0) / 60, epochs_run=status.get("epoch"), samples=last,
        cores=status.get("cores") or shipped.SHIPPED_CORES,
    )


def render_card(facts: SimpleNamespace, lang: str = "en") -> str:
    """The text of a language model's card from `card_facts`: MODEL_CARD.md ("en") or MODEL_CARD.zh.md ("zh")."""
    return _card_zh(facts) if lang == "zh" else _card_en(facts)


def model_card(folder: Path, bench: dict | None = None, lang: str = "en") -> str:
    """The text of MODEL_CARD.md (``lang`` "en") or MODEL_CARD.zh.md ("zh") for a finished lyrics language-model run folder."""
    return render_card(card_facts(folder, bench), lang)


def _layer_rows(layers: list[dict]) -> list[str]:
    return [f"| {row['layer']} | {row['type']} | {row['output_shape']} | {int(row['keras_params']):,} |" for row in layers]


def _history_rows(history: list[dict], best_epoch, best_mark: str) -> list[str]:
    return [
        f"| {row.get('epoch')}{best_mark if row.get('epoch') == best_epoch else ''} | {row.get('perplexity', float('nan')):.2f} | "
        f"{row.get('val_perplexity', float('nan')):.2f} | {row.get('seconds', 0):.0f} |"
        for row in history
    ]


def _card_en(f: SimpleNamespace) -> str:
    name, config, model_cfg, data, best, bench, baseline, measured = f.name, f.config, f.model, f.data, f.best, f.bench, f.baseline, f.measured
    cell, val_ppl, train_ppl = f.cell, f.val_ppl, f.train_ppl

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
        ours, kn, order = f.ours, f.kn, baseline["order"]
        if ours < kn and f.is_lstm:
            verdict = f"The project's goal for the shipped language models (the LSTM beats the Kneser-Ney {order}-gram on held-out perplexity) is met by this model: {ours:.2f} against {kn:.2f}."
        elif ours < kn:  # the goal names the LSTM: a GRU or SimpleRNN that beats the baseline does not meet it
            verdict = f"This model beats the Kneser-Ney {order}-gram baseline: {ours:.2f} against {kn:.2f} held-out perplexity ({f.ratio:.2f} times the baseline)."
        else:
            verdict = (
                f"This model does NOT beat the Kneser-Ney {order}-gram baseline: {ours:.2f} against {kn:.2f} held-out perplexity "
                f"({f.ratio:.2f} times the baseline)"
                + (", so the project's goal for the shipped language models (the LSTM beats the baseline) is not met." if f.is_lstm else ".")
            )
        add(verdict + " Characters of the held-out text missing from the training vocabulary are `<unk>` for both models.")
        add("")
        if f.seeds:
            add(shipped.seed_text(f.seeds, "en"))
            add("")
    add("## Data")
    add("")
    add(
        f"`lyrics`: the Jay Chou lyrics of the d2l tutorial (jaychou_lyrics.txt.zip, {data.get('tokens', '?'):,} characters), "
        f"newlines read as spaces, one token per character. The first {data.get('train_tokens'):,} characters train the model; "
        f"the last {data.get('val_tokens'):,} (10%) are held out and never trained on. The vocabulary is every character of the "
        f"training part plus `<pad>` and `<unk>`: {f.vocab_size} entries (vocab.json); {data.get('val_unknown')} held-out "
        f"characters are not in it and count as `<unk>`."
    )
    add("")
    lines.extend(shipped.reproduce_lines(name, f.preset, "core.shipped_lm", "bench.bench_lm", BENCH_JSON))
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
        f"Embedding {model_cfg.get('embedding_dim')}"
        + (f" (token dropout {model_cfg.get('token_dropout')}: that share of the characters gets a zero vector in each batch)" if model_cfg.get("token_dropout") else "")
        + f" → {model_cfg.get('num_layers')} × {cell} {units} (Keras layer, dropout "
        f"{model_cfg.get('dropout')} on its inputs, recurrent dropout {model_cfg.get('recurrent_dropout')})"
        + (f" → dropout {model_cfg.get('output_dropout')} on its outputs (one mask per sequence)" if model_cfg.get("output_dropout") else "")
        + (f" → linear Dense {model_cfg.get('embedding_dim')} → logits h E^T + b with the embedding matrix E tied to the output" if tie and units != model_cfg.get("embedding_dim") else "")
        + (" → logits h E^T + b with the embedding matrix E tied to the output" if tie and units == model_cfg.get("embedding_dim") else "")
        + ("" if tie else " → Dense (vocabulary) logits")
        + "."
    )
    add("")
    add(f"Parameters: {f.params:,}; model_best.keras is {f.size_mb:.2f} MB.")
    add("")
    add("| layer | type | output shape | parameters |")
    add("| --- | --- | --- | --- |")
    lines.extend(_layer_rows(f.layers))
    add("")
    add(
        f"Training: {config.get('optimizer')} learning rate {config.get('learning_rate')}, global gradient norm clipped to "
        f"{config.get('clip_global_norm')}, batch {config.get('batch_size')} × {config.get('num_steps')} steps, {config.get('sampler')} "
        f"sampling, "
        + (f"cross-entropy with label smoothing {config.get('label_smoothing')}"
           + (" toward the training part's unigram distribution" if config.get("label_smoothing_prior") == "unigram" else "")
           + " (the reported perplexities are plain cross-entropy)"
           if config.get("label_smoothing") else "mean cross-entropy")
        + (", the output bias started at the training part's log unigram frequencies" if config.get("output_bias") == "unigram" else "")
        + (f", characters seen at most {config.get('rare_max_count')} times in the training part read as `<unk>` with probability "
           f"{config.get('rare_to_unk')} in each epoch" if config.get("rare_to_unk") else "")
        + (f", validated and saved with a moving average of the weights (decay {config.get('weight_average')} per batch)"
           if config.get("weight_average") else "")
        + f", at most {config.get('epochs')} epochs"
        + (f", stopping after {config.get('early_stopping_patience')} epochs without a lower held-out loss" if config.get("early_stopping_patience") else "")
        + f". It ran {f.epochs_run} epochs in {f.duration_min:.1f} minutes on {f.trained_on}, on a shared machine with {f.cores} CPU "
        f"cores and no GPU; the best epoch was {best.get('epoch')}."
    )
    add("")
    add("| epoch | training perplexity | held-out perplexity | seconds |")
    add("| --- | --- | --- | --- |")
    lines.extend(_history_rows(f.history, best.get("epoch"), " (best)"))
    add("")
    if f.samples:
        add(f"Greedy samples with the weights of epoch {f.samples[0].get('epoch')}, the last sampled (samples.jsonl; not necessarily the best epoch's weights):")
        add("")
        for r in f.samples:
            add(f"- `{r.get('text')}`")
        add("")
    add("## Limits")
    add("")
    add("- 57k characters of one songwriter's lyrics: the model knows their phrases and little else; held-out songs are")
    add("  much harder for it than the training ones (compare the two perplexities).")
    add("- Characters outside its vocabulary are `<unk>`; greedy decoding soon repeats itself (try temperature or top-p).")
    add("")
    return "\n".join(lines)


_SAMPLER_ZH = {"random": "随机采样", "consecutive": "相邻采样"}


def _card_zh(f: SimpleNamespace) -> str:
    """The Chinese card (MODEL_CARD.zh.md): the same facts and figures as `_card_en`, sentence by sentence."""
    name, config, model_cfg, data, best, bench, baseline, measured = f.name, f.config, f.model, f.data, f.best, f.bench, f.baseline, f.measured
    cell, val_ppl, train_ppl = f.cell, f.val_ppl, f.train_ppl

    lines: list[str] = []
    add = lines.append
    add(f"# {name}：周杰伦歌词的 {cell} 字符级语言模型")
    add("")
    add(f"<!-- 由 `python -m core.shipped_lm card checkpoints/shipped/{name} --bench {BENCH_JSON}` 根据本文件夹的")
    add("     config.json、status.json、history.jsonl、model_best.keras 和基准测试的 JSON 生成，与英文版 MODEL_CARD.md 一同写出。请勿手工编辑。 -->")
    add("")
    add("根据前面的字预测歌词的下一个字。它随 RNN Lab 一起发布，让歌词游乐场打开就能用，")
    add("也让三种循环单元（SimpleRNN、GRU、LSTM，大小相同）可以并排比较；")
    add("这是只用约 5.7 万（57k）个字符训练的教学模型，不是作词人。")
    add("")
    add("## 结果")
    add("")
    add("| 文本 | 困惑度 | 说明 |")
    add("| --- | --- | --- |")
    add(f"| 训练部分（前 90%） | {train_ppl:.2f} | 第 {best.get('epoch')} 轮：该轮各训练批次平均交叉熵的 exp，计算时 dropout 开启 |" if train_ppl else "| 训练部分 | - | |")
    add(f"| 留出部分（后 10%） | {val_ppl:.2f} | 第 {best.get('epoch')} 轮，留出损失最低的一轮，model_best.keras 保存的就是这一轮的权重：{_validation_text(config, data, 'zh')} |")
    if measured:
        add(f"| 留出部分，整段 | {measured['heldout_perplexity']:.2f} | `bench/bench_lm.py` 于 {bench.get('date')}：同一组权重一次读完全部 {measured['targets']} 个留出目标，状态一路传递 |")
    if baseline:
        add(f"| 留出部分，基线 | {baseline['heldout_perplexity']:.2f} | 插值 Kneser-Ney 字符 {baseline['order']}-gram（每一阶的折扣分别估计），由 `bench/bench_lm.py` 于 {bench.get('date')} 在同样的前 90% 上训练，在同样的目标上评分 |")
    add("")
    add(f"留出部分困惑度：{val_ppl:.2f}")
    add("")
    if baseline:
        ours, kn, order = f.ours, f.kn, baseline["order"]
        if ours < kn and f.is_lstm:
            verdict = f"这个模型达到了本项目对随应用发布的语言模型定下的目标（LSTM 的留出困惑度低于 Kneser-Ney {order}-gram）：{ours:.2f} 对 {kn:.2f}。"
        elif ours < kn:
            verdict = f"这个模型胜过 Kneser-Ney {order}-gram 基线：留出困惑度 {ours:.2f} 对 {kn:.2f}（是基线的 {f.ratio:.2f} 倍）。"
        else:
            verdict = (
                f"这个模型**没有**胜过 Kneser-Ney {order}-gram 基线：留出困惑度 {ours:.2f} 对 {kn:.2f}（是基线的 {f.ratio:.2f} 倍）"
                + ("，所以本项目对随应用发布的语言模型定下的目标（LSTM 胜过基线）没有达到。" if f.is_lstm else "。")
            )
        add(verdict + "留出文本中不在训练词表里的字，对两个模型都按 `<unk>` 计。")
        add("")
        if f.seeds:
            add(shipped.seed_text(f.seeds, "zh"))
            add("")
    add("## 数据")
    add("")
    add(
        f"`lyrics`：《动手学深度学习》（d2l）教程使用的周杰伦歌词（jaychou_lyrics.txt.zip，{data.get('tokens', '?'):,} 个字符），"
        f"换行读作空格，每个字一个词元。前 {data.get('train_tokens'):,} 个字符用于训练；"
        f"后 {data.get('val_tokens'):,} 个（10%）留出，从不参与训练。词表是训练部分出现的每个字，"
        f"再加上 `<pad>` 和 `<unk>`：共 {f.vocab_size} 项（vocab.json）；留出部分有 {data.get('val_unknown')} 个字不在词表中，按 `<unk>` 计。"
    )
    add("")
    lines.extend(["## 复现"] + shipped.reproduce_lines(name, f.preset, "core.shipped_lm", "bench.bench_lm", BENCH_JSON)[1:])
    add("")
    add(
        f"预设的完整配置见 config.json（随机种子 {config.get('seed')}）。在 CPU 上训练，换一台机器就不能逐位复现，"
        "所以重新训练的结果会接近这些数字，但不会恰好相等。"
    )
    add("")
    add("## 模型")
    add("")
    tie = bool(model_cfg.get("tie_embeddings"))
    units = model_cfg.get("units")
    tied = "logits = h E^T + b，嵌入矩阵 E 与输出层共享"
    add(
        f"Embedding {model_cfg.get('embedding_dim')}"
        + (f"（词元 dropout {model_cfg.get('token_dropout')}：每批中这一比例的字得到零向量）" if model_cfg.get("token_dropout") else "")
        + f" → {model_cfg.get('num_layers')} × {cell} {units}（Keras 层，输入 dropout "
        f"{model_cfg.get('dropout')}，循环 dropout {model_cfg.get('recurrent_dropout')}）"
        + (f" → 输出 dropout {model_cfg.get('output_dropout')}（每个序列一个掩码）" if model_cfg.get("output_dropout") else "")
        + (f" → 线性 Dense {model_cfg.get('embedding_dim')} → {tied}" if tie and units != model_cfg.get("embedding_dim") else "")
        + (f" → {tied}" if tie and units == model_cfg.get("embedding_dim") else "")
        + ("" if tie else " → Dense（词表大小）logits")
        + "。"
    )
    add("")
    add(f"参数量：{f.params:,}；model_best.keras 大小为 {f.size_mb:.2f} MB。")
    add("")
    add("| 层 | 类型 | 输出形状 | 参数量 |")
    add("| --- | --- | --- | --- |")
    lines.extend(_layer_rows(f.layers))
    add("")
    sampler = config.get("sampler")
    add(
        f"训练：{config.get('optimizer')}，学习率 {config.get('learning_rate')}，按全局范数做梯度裁剪、阈值 "
        f"{config.get('clip_global_norm')}，批大小 {config.get('batch_size')} × {config.get('num_steps')} 步，{_SAMPLER_ZH.get(sampler, f'{sampler} 采样')}，"
        + (f"交叉熵加标签平滑 {config.get('label_smoothing')}"
           + ("，平滑的目标是训练部分的一元字频分布" if config.get("label_smoothing_prior") == "unigram" else "")
           + "（报告的困惑度用的是不加平滑的交叉熵）"
           if config.get("label_smoothing") else "平均交叉熵")
        + ("，输出偏置从训练部分字频的对数开始" if config.get("output_bias") == "unigram" else "")
        + (f"，训练部分中出现不超过 {config.get('rare_max_count')} 次的字在每一轮里以 {config.get('rare_to_unk')} 的概率读作 `<unk>`"
           if config.get("rare_to_unk") else "")
        + (f"，验证和保存用的是权重的滑动平均（每批衰减 {config.get('weight_average')}）" if config.get("weight_average") else "")
        + f"，最多 {config.get('epochs')} 轮"
        + (f"，留出损失 {config.get('early_stopping_patience')} 轮不降即停止" if config.get("early_stopping_patience") else "")
        + f"。实际训练了 {f.epochs_run} 轮，用时 {f.duration_min:.1f} 分钟，日期 {f.trained_on}，在一台与其他任务共用、{f.cores} 个 CPU 核、"
        f"没有 GPU 的机器上；最佳轮次是第 {best.get('epoch')} 轮。"
    )
    add("")
    add("| 轮 | 训练困惑度 | 留出困惑度 | 用时（秒） |")
    add("| --- | --- | --- | --- |")
    lines.extend(_history_rows(f.history, best.get("epoch"), "（最佳）"))
    add("")
    if f.samples:
        add(f"用第 {f.samples[0].get('epoch')} 轮的权重贪心生成的样本（这是最后一次采样的轮次，见 samples.jsonl；不一定是最佳轮次的权重）：")
        add("")
        for r in f.samples:
            add(f"- `{r.get('text')}`")
        add("")
    add("## 局限")
    add("")
    add("- 训练文本只是同一位歌手约 5.7 万（57k）个字符的歌词：模型熟悉其中的词句，此外所知甚少；")
    add("  留出的歌曲对它来说比训练过的难得多（对比上面两个困惑度）。")
    add("- 词表之外的字都是 `<unk>`；贪心解码很快就会自我重复（可以试试温度采样或 top-p 采样）。")
    add("")
    return "\n".join(lines)


def _seed_facts(cell: str | None, seed: int | None, baseline: float) -> dict | None:
    """How the same recipe fared over several seeds (`SEEDS_JSON`), or None."""
    return shipped.seed_facts(SEEDS_JSON.format(cell=cell), r"lyrics_\w+_s(\d+)", "heldout_perplexity", seed, baseline, False, 1)


def _seed_spread(cell: str | None, seed: int | None, baseline: float, lang: str = "en") -> str | None:
    """A sentence on how the same recipe fared over several seeds (`SEEDS_JSON`), or None."""
    return shipped.seed_text(_seed_facts(cell, seed, baseline), lang)


def write_cards(folder: Path, bench: dict | None = None) -> list[Path]:
    """Write MODEL_CARD.md and MODEL_CARD.zh.md into the folder from one `card_facts`."""
    return shipped.write_cards(folder, bench, card_facts, render_card)


load_bench = shipped.load_bench


def main(argv: list[str] | None = None) -> int:
    return shipped.cli(argv, "python -m core.shipped_lm", "language-model", "bench.bench_lm", BENCH_JSON, "no baseline", prune, card_facts, render_card)


if __name__ == "__main__":
    sys.exit(main())
