"""Held-out perplexity of the shipped lyrics language models against an interpolated
Kneser-Ney character n-gram model trained on the same 90% of the corpus.

    python -m bench.bench_lm [--preset shipped_lyrics_lstm] [--order 5] [--json-out FILE]

The corpus is loaded exactly as training loads it: `core.train.prepare_language_model_data`
with the preset's config (the Jay Chou lyrics, newlines as spaces, character tokens, the
vocabulary of the first 90%, the last ``val_fraction`` = 10% held out). Held-out characters
missing from the training vocabulary become ``<unk>`` for both kinds of model, so both are
scored on the same token stream and the same targets: every held-out token but the first
(which has no context), predicted from the held-out tokens before it only.

- **Kneser-Ney**: interpolated Kneser-Ney (Chen & Goodman 1998) of orders 1..5, one
  absolute discount per order estimated from the training counts, D = n1 / (n1 + 2 n2)
  (n1, n2: how many n-grams of that order occur once, twice); continuation counts for the
  lower orders; the lowest order interpolated with the uniform distribution over the whole
  vocabulary (including ``<pad>`` and ``<unk>``, which the recurrent models' softmax covers
  too), so every token of the vocabulary has a probability and they sum to 1.
- **Recurrent models** (every ``checkpoints/shipped/lyrics_*``): the saved model_best.keras
  (`core.train.load_run_model`, safe_mode), its weights copied into a stateful twin with batch 1
  and no dropout, run over the whole held-out stream in consecutive windows of 256 tokens, the state carried
  from window to window (so each token sees all the held-out text before it, as the
  n-gram does), starting from a zero state. Training validation (history.jsonl) instead
  restarts the state for each of the sampler's windows of num_steps tokens, so its figure
  differs a little (mostly higher: less context; the shipped SimpleRNN's is a little lower).
  The shipped models' history was measured before 2026-12-04 on the windows of the seed's
  shuffled batches (a seeded tenth left out); runs since score every window.

Perplexity = exp(mean negative log-likelihood over the targets). Prints a table and ends
with one JSON line.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Sequence

import numpy as np
from bench.report import emit  # noqa: E402

DEFAULT_PRESET = "shipped_lyrics_lstm"
DEFAULT_ORDER = 5
WINDOW = 256


# =========================================================================== Kneser-Ney


class KneserNey:
    """Interpolated Kneser-Ney n-gram model over integer token ids ``0 .. vocab_size - 1``.

    ``KneserNey(order, vocab_size).fit(ids)``; ``prob(token, context)`` and
    ``distribution(context)`` (a numpy vector over the vocabulary summing to 1).

    For the highest order k (and only there) raw counts are used; for lower orders the
    continuation counts N1+(. h w) (in how many distinct contexts h w follows a token).
    With c the relevant count and h the last j-1 tokens of the context::

        P_j(w | h) = max(c(h w) - D_j, 0) / c(h .)  +  D_j * N1+(h .) / c(h .) * P_{j-1}(w | h')
        P_0(w)     = 1 / vocab_size

    where c(h .) = sum_w c(h w), N1+(h .) = the number of distinct w with c(h w) > 0 and h'
    drops the oldest token of h. A context never seen (c(h .) = 0) backs off entirely to
    P_{j-1}. ``discounts``: one D per order 1..k; None = D_j = n1 / (n1 + 2 n2) estimated from
    the counts of order j (0.75 when that is undefined).
    """

    def __init__(self, order: int, vocab_size: int, discounts: Sequence[float] | None = None) -> None:
        if order < 1:
            raise ValueError("order must be at least 1")
        if vocab_size < 1:
            raise ValueError("vocab_size must be at least 1")
        if discounts is not None and len(discounts) != order:
            raise ValueError(f"give one discount per order (1..{order}), got {len(discounts)}")
        self.order = order
        self.vocab_size = vocab_size
        self._given_discounts = None if discounts is None else [float(d) for d in discounts]
        self.discounts: list[float] = []
        # counts[j][(context tuple of length j-1)][w] for j = 1..order
        self.counts: list[dict[tuple, dict[int, int]]] = []
        self._totals: list[dict[tuple, int]] = []
        self._cache: dict[tuple, float] = {}

    # ------------------------------------------------------------------ fitting
    def fit(self, ids: Sequence[int]) -> KneserNey:
        ids = [int(t) for t in ids]
        for t in ids:
            if not 0 <= t < self.vocab_size:
                raise ValueError(f"token id {t} outside the vocabulary 0..{self.vocab_size - 1}")
        k = self.order
        raw: dict[tuple, int] = defaultdict(int)  # n-grams of length k, plus the shorter ones at the start
        n = len(ids)
        for end in range(1, n + 1):
            for length in range(1, k + 1):
                start = end - length
                if start < 0:
                    break
                # only the top order's raw counts are needed, and shorter n-grams at the very
                # start of the text (which no longer n-gram contains) count as "raw" too
                if length == k or start == 0:
                    raw[tuple(ids[start:end])] += 1
        counts: list[dict[tuple, dict[int, int]]] = [defaultdict(dict) for _ in range(k + 1)]
        # top order: raw counts
        for gram, c in raw.items():
            if len(gram) == k:
                counts[k][gram[:-1]][gram[-1]] = c
        # lower orders: continuation counts N1+(. g) over the distinct n-grams one longer;
        # an n-gram at the very start of the text has no token before it and counts itself
        for j in range(k - 1, 0, -1):
            level = counts[j]
            for ctx, row in counts[j + 1].items():
                for w in row:
                    g = ctx[1:] + (w,)
                    level[g[:-1]][g[-1]] = level[g[:-1]].get(g[-1], 0) + 1
            for gram, c in raw.items():
                if len(gram) == j and j < k:
                    level[gram[:-1]][gram[-1]] = level[gram[:-1]].get(gram[-1], 0) + 1
        self.counts = [dict(level) for level in counts]
        self._totals = [{ctx: sum(row.values()) for ctx, row in level.items()} for level in self.counts]
        self.discounts = []
        for j in range(1, k + 1):
            if self._given_discounts is not None:
                self.discounts.append(self._given_discounts[j - 1])
                continue
            values = [c for row in self.counts[j].values() for c in row.values()]
            n1 = sum(1 for c in values if c == 1)
            n2 = sum(1 for c in values if c == 2)
            self.discounts.append(n1 / (n1 + 2 * n2) if n1 + 2 * n2 > 0 and n1 > 0 else 0.75)
        self._cache = {}
        return self

    # ------------------------------------------------------------------ probabilities
    def _p(self, w: int, context: tuple, j: int) -> float:
        """P_j(w | last j-1 tokens of context)."""
        if j == 0:
            return 1.0 / self.vocab_size
        ctx = context[len(context) - (j - 1):] if j > 1 else ()
        key = (w, ctx, j)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        lower = self._p(w, ctx, j - 1)
        row = self.counts[j].get(ctx)
        if not row:
            p = lower
        else:
            total = self._totals[j][ctx]
            d = self.discounts[j - 1]
            p = max(row.get(w, 0) - d, 0.0) / total + d * len(row) / total * lower
        if len(self._cache) < 2_000_000:
            self._cache[key] = p
        return p

    def prob(self, w: int, context: Sequence[int] = ()) -> float:
        """P(w | context) with the model's full order (only the last order-1 tokens are used)."""
        context = tuple(int(t) for t in context)
        if len(context) > self.order - 1:
            context = context[len(context) - (self.order - 1):] if self.order > 1 else ()
        if self.order == 1:
            context = ()
        # a context shorter than order-1 (the start of a stream) uses the orders it can
        return self._p(int(w), context, min(self.order, len(context) + 1))

    def distribution(self, context: Sequence[int] = ()) -> np.ndarray:
        """P(. | context) over the whole vocabulary."""
        return np.array([self.prob(w, context) for w in range(self.vocab_size)])

    def log_likelihood(self, ids: Sequence[int], start: int = 1) -> tuple[float, int]:
        """(sum of ln P(ids[i] | ids[:i]) for i >= start, number of targets): the stream's own
        earlier tokens are its only context."""
        ids = [int(t) for t in ids]
        total = 0.0
        for i in range(start, len(ids)):
            total += math.log(self.prob(ids[i], ids[max(0, i - self.order + 1):i]))
        return total, max(len(ids) - start, 0)

    def perplexity(self, ids: Sequence[int], start: int = 1) -> float:
        total, n = self.log_likelihood(ids, start)
        return math.exp(-total / max(n, 1))


# =========================================================================== recurrent models


def rnn_log_likelihood(folder: Path, val_ids: np.ndarray, window: int = WINDOW) -> dict:
    """Sum of ln P over val_ids[1:] from the folder's model_best.keras, state carried over the stream."""
    import tensorflow as tf

    from core.models import ModelConfig, build_language_model, reset_states
    from core.runs import RunDir
    from core.train import load_run_model

    run = RunDir(folder)
    config = run.config()
    saved = load_run_model(run.best_model_path)
    cfg = dict(config["model"])
    if cfg.get("implementation") == "keras_cell":
        cfg["implementation"] = "layer"
    cfg["dropout"] = cfg["recurrent_dropout"] = 0.0
    twin = build_language_model(ModelConfig.from_dict(cfg), saved.output_shape[-1], batch_size=1, stateful=True)
    by_name = {layer.name: layer for layer in saved.layers}
    for layer in twin.layers:
        if layer.weights:
            layer.set_weights(by_name[layer.name].get_weights())
    reset_states(twin)
    step = tf.function(lambda x: twin(x, training=False), reduce_retracing=True)
    x_all, y_all = val_ids[:-1], val_ids[1:]
    total = 0.0
    t0 = time.perf_counter()
    for s in range(0, len(x_all), window):
        x = np.asarray(x_all[s : s + window], dtype=np.int32)[None, :]
        y = np.asarray(y_all[s : s + window], dtype=np.int64)
        logits = np.asarray(step(x))[0].astype(np.float64)
        logits -= logits.max(axis=-1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
        total += float(logp[np.arange(len(y)), y].sum())
    seconds = time.perf_counter() - t0
    status = run.status()
    history_best = (status.get("best") or {})
    n = len(y_all)
    return {
        "name": folder.name,
        "cell": config["model"].get("cell"),
        "parameters": int(saved.count_params()),
        "heldout_perplexity": math.exp(-total / n),
        "targets": n,
        "best_epoch": history_best.get("epoch"),
        "history_val_perplexity": math.exp(history_best["val_loss"]) if "val_loss" in history_best else None,
        "seconds": round(seconds, 2),
    }


# =========================================================================== main


def load_data(preset: str):
    from core.presets import get_preset
    from core.train import prepare_language_model_data

    config = get_preset(preset).resolved()
    return config, prepare_language_model_data(config)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_lm", description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default=DEFAULT_PRESET, help="the config whose data split and vocabulary are used")
    parser.add_argument("--order", type=int, default=DEFAULT_ORDER, help="highest n-gram order (orders 1..N are reported)")
    parser.add_argument("--shipped", type=Path, default=None, help="folder of shipped models (default: core.runs.shipped_dir())")
    parser.add_argument("--json-out", type=Path, default=None, help="also write the JSON line to this file")
    args = parser.parse_args(argv)

    import platform

    from core.runs import shipped_dir

    t0 = time.perf_counter()
    config, data = load_data(args.preset)
    train_ids, val_ids = data.train_ids, data.val_ids
    vocab_size = len(data.vocab)
    print(f"lyrics: {data.n_tokens} tokens, {len(train_ids)} training, {len(val_ids)} held out "
          f"({data.val_unknown} <unk>), vocabulary {vocab_size}; {len(val_ids) - 1} targets")

    kn_rows = []
    for order in range(1, args.order + 1):
        t = time.perf_counter()
        model = KneserNey(order, vocab_size).fit(train_ids)
        ppl_val = model.perplexity(val_ids)
        ppl_train = model.perplexity(train_ids)
        kn_rows.append({"order": order, "heldout_perplexity": ppl_val, "train_perplexity": ppl_train,
                        "discounts": [round(d, 4) for d in model.discounts], "seconds": round(time.perf_counter() - t, 2)})

    # the same model with the textbook's fixed discount 0.75 at every order, for reference
    fixed = KneserNey(args.order, vocab_size, discounts=[0.75] * args.order).fit(train_ids)
    kn_fixed = {"order": args.order, "discount": 0.75, "heldout_perplexity": fixed.perplexity(val_ids), "train_perplexity": fixed.perplexity(train_ids)}

    root = args.shipped or shipped_dir()
    folders = sorted(p for p in root.glob("lyrics_*") if (p / "model_best.keras").exists()) if root.is_dir() else []
    rnn_rows = [rnn_log_likelihood(folder, val_ids) for folder in folders]

    print()
    print(f"{'model':32s} {'held-out ppl':>12s} {'train ppl':>10s}  notes")
    for row in kn_rows:
        print(f"{'Kneser-Ney order ' + str(row['order']):32s} {row['heldout_perplexity']:12.2f} {row['train_perplexity']:10.2f}  D = {row['discounts']}")
    print(f"{'Kneser-Ney order ' + str(args.order) + ', D = 0.75':32s} {kn_fixed['heldout_perplexity']:12.2f} {kn_fixed['train_perplexity']:10.2f}  fixed discount, for reference")
    baseline = kn_rows[-1]["heldout_perplexity"]
    for row in rnn_rows:
        hist = row["history_val_perplexity"]
        rel = "beats" if row["heldout_perplexity"] < baseline else "does not beat"
        hist_text = f"history val ppl {hist:.2f}; " if hist else ""
        print(f"{'shipped/' + row['name']:32s} {row['heldout_perplexity']:12.2f} {'':>10s}  {row['parameters']:,} params, best epoch {row['best_epoch']}, "
              f"{hist_text}{rel} KN-{args.order}")
    result = {
        "bench": "bench_lm",
        "date": time.strftime("%Y-%m-%d"),
        "preset": args.preset,
        "tokens": data.n_tokens,
        "train_tokens": int(len(train_ids)),
        "heldout_tokens": int(len(val_ids)),
        "heldout_unknown": int(data.val_unknown),
        "targets": int(len(val_ids) - 1),
        "vocab_size": vocab_size,
        "kneser_ney": kn_rows,
        "kneser_ney_fixed_discount": kn_fixed,
        "baseline": {"name": f"kneser_ney_{args.order}", "order": args.order, "heldout_perplexity": baseline},
        "models": rnn_rows,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    try:
        import tensorflow as tf

        result["tensorflow"] = tf.__version__
    except ImportError:  # pragma: no cover
        pass
    emit(result, args.json_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
