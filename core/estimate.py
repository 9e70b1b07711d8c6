"""How long a run will take, before it starts: a cost model of an epoch, fitted on this kind of
machine and corrected by the runs this server has finished.

Keras-free (the New run tab asks on every rerun). An epoch's time is modelled as

    seconds = batches x (per_batch + steps x layers x directions x per_step + 3 x macs / rate)
              + validation batches x (the same, a third: forward only)
              + samples (language models: sample_length steps per prefix, one row)

where ``macs`` are the multiply-adds of one batch's forward pass (embedding lookups free; a
one-hot input a vocabulary-wide product; each recurrent layer g x (inputs + units) x units per
row and step, g the cell's gate count: 1 SimpleRNN, 3 GRU, 4 LSTM; the output layer: every step
of a language model, once per text of a classifier), the backward pass about twice the forward.
``per_step`` is the cost of one step of the recurrence that no batch size shares out (a
recurrent network reads its steps one after the other; ``per_step_masked`` when a classifier
masks its padding, which keeps Keras from its fused loop and costs several times more),
``per_batch`` the batch's own (its
callbacks, its transfer). Their values for each implementation are fitted by
``bench/bench_estimate.py`` on a 2-core machine (`REFERENCE`); on another machine (a GPU, more
cores) the runs this server has finished scale them (`calibration`): the median of their
measured over estimated epoch times, over the runs most like the one estimated.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any, Iterable

GATES = {"simple_rnn": 1, "gru": 3, "lstm": 4}

# Fitted by `python -m bench.bench_estimate --fit` on the development machine (2 cores, no GPU, 2026-12-05);
# per implementation: seconds per batch, seconds per recurrent step (per layer and direction),
# multiply-adds per second of the batched products.
REFERENCE: dict[str, dict[str, float]] = {
    "layer": {"per_batch": 1.06e-3, "per_step": 125e-6, "per_step_masked": 173e-6, "rate": 6.25e10},
    "keras_cell": {"per_batch": 0.89e-3, "per_step": 59e-6, "per_step_masked": 137e-6, "rate": 5.72e10},
    "scratch": {"per_batch": 0.0, "per_step": 106e-6, "per_step_masked": 201e-6, "rate": 7.18e10},
}

FORWARD_SHARE = 1.0 / 3.0
"""A validation (forward-only) batch's cost against a training batch's."""


@dataclass(frozen=True)
class EpochCost:
    """One epoch of a run, as the cost model sees it."""

    batches: int  # training batches per epoch
    val_batches: int  # validation batches per epoch (forward only)
    steps: int  # time steps per batch (num_steps, maxlen)
    layers: int
    directions: int
    batch_macs: float  # multiply-adds of one training batch's forward pass
    sample_steps: int  # generated tokens per epoch (language models; one row each)
    implementation: str
    masked: bool = False  # a classifier that masks its padding (`mask_zero`): every step selects between states
    task: str = "sentiment"
    signature: str = ""  # the settings that decide an epoch's work (`_signature`): equal for runs of the same settings

    def terms(self) -> dict[str, float]:
        """What each of `REFERENCE`'s constants multiplies in an epoch (the rate divides its term):
        `seconds` is their sum, and `bench/bench_estimate.py` fits the constants on them."""
        weight = self.batches + self.val_batches * FORWARD_SHARE  # (a validation batch: the forward pass only)
        sequential = self.steps * self.layers * self.directions * weight
        sampled = self.sample_steps * self.layers * 3.0  # (one row: the step's own cost, and the products are tiny)
        return {"per_batch": weight, "per_step": (0.0 if self.masked else sequential) + sampled,
                "per_step_masked": sequential if self.masked else 0.0, "rate": 3.0 * self.batch_macs * weight}

    def seconds(self, constants: dict[str, float] | None = None) -> float:
        c = constants or REFERENCE.get(self.implementation, REFERENCE["layer"])
        terms = self.terms()
        return sum(terms[name] * c[name] for name in ("per_batch", "per_step", "per_step_masked")) + terms["rate"] / c["rate"]


def _model(config: dict[str, Any]):
    """The config's model settings (`ModelConfig`: its defaults where the dict leaves them out)."""
    from core.model_config import ModelConfig  # (no Keras)

    return ModelConfig.from_dict(config.get("model") or {})


def forward_macs_per_row_step(config: dict[str, Any], vocab_size: int) -> tuple[float, float]:
    """Multiply-adds of one row's forward pass: (per time step, once per row)."""
    model = _model(config)
    gates = GATES.get(model.cell, 4)
    directions = 2 if model.bidirectional and config.get("task") != "language_model" else 1
    features = int(model.embedding_dim or 0) or vocab_size  # 0: one-hot, a vocabulary-wide product
    per_step = 0.0
    for u in model.layer_units():
        per_step += gates * (features + u) * u * directions
        features = u * directions
    if config.get("task") == "language_model":
        tied = model.tie_embeddings and model.embedding_dim
        out_in = int(model.embedding_dim) if tied else features
        per_step += out_in * vocab_size + (features * out_in if tied and out_in != features else 0)
        once = 0.0
    else:
        pooled = features * (2 if model.pooling == "max_mean" else 1)
        dense = int(model.dense_units or 0)
        once = pooled * dense + dense if dense else pooled
    return per_step, once


def epoch_cost(config: dict[str, Any], vocab_size: int, train_units: int, val_units: int) -> EpochCost:
    """The cost of one epoch of ``config`` (a `TrainConfig` dict): ``train_units`` and ``val_units``
    are training and held-out tokens for a language model, texts for a classifier."""
    from core import text as textlib

    model = _model(config)
    lm = config.get("task") == "language_model"
    batch_size = max(1, int(config.get("batch_size", 64)))
    steps = max(1, int(config.get("num_steps" if lm else "maxlen", 35 if lm else 100)))
    if lm:
        batches = textlib.count_batches(config.get("sampler", "consecutive"), max(0, int(train_units)), batch_size, steps)
        val_batches = math.ceil(max(0, int(val_units)) / (batch_size * steps))
        every = max(1, int(config.get("sample_every", 1) or 1))
        sample_steps = int(config.get("sample_length", 0) or 0) * len(config.get("sample_prefixes") or []) // every
    else:
        limit = config.get("max_train_texts")
        train_units, val_units = (min(train_units, limit), min(val_units, limit)) if limit else (train_units, val_units)
        batches = math.ceil(max(0, int(train_units)) / batch_size)
        val_batches = math.ceil(max(0, int(val_units)) / batch_size)
        sample_steps = 0
    per_step, once = forward_macs_per_row_step(config, vocab_size)
    directions = 2 if model.bidirectional and not lm else 1
    return EpochCost(batches=batches, val_batches=val_batches, steps=steps, layers=len(model.layer_units()), directions=directions,
                     batch_macs=batch_size * (steps * per_step + once), sample_steps=sample_steps,
                     implementation=model.implementation, masked=bool(model.mask_zero) and not lm,
                     task=str(config.get("task", "sentiment")), signature=_signature(config))


SIGNATURE_KEYS = ("task", "dataset", "dataset_options", "tokenizer", "max_tokens", "maxlen", "char_limit", "max_train_texts", "batch_size",
                  "num_steps", "sampler", "val_fraction", "sample_length", "sample_prefixes", "sample_every", "model")
"""The settings of a config that decide how long an epoch takes (not its epochs, seed, learning rate…)."""


def _signature(config: dict[str, Any]) -> str:
    import json

    return json.dumps({key: config.get(key) for key in SIGNATURE_KEYS}, sort_keys=True, default=str)


@dataclass(frozen=True)
class Estimate:
    epoch_seconds: float
    total_seconds: float  # every epoch, the first's tracing aside
    scale: float  # the calibration applied (1 = the reference machine's figures)
    runs: int  # finished runs of this server the scale is the median of (0 = none)


def calibration(finished: Iterable[tuple[EpochCost, float]], like: EpochCost | None = None) -> tuple[float, int, str]:
    """The median of measured / estimated epoch seconds over the runs this server finished (each
    an `EpochCost` and its typical epoch seconds) that are most like `like`: of the same settings
    ("same"), else of the same task and implementation ("similar"), else all of them ("all");
    with how many there were and which. (1, 0, "none") without any.

    One scale over every run made the tutorial's tiny lyrics runs (0.2 s an epoch) read 0.64 s
    once a few 20-second sentiment epochs had finished on a busy server (an exploratory teacher)."""
    runs = [(cost, seconds / cost.seconds()) for cost, seconds in finished if seconds and seconds > 0 and cost.seconds() > 0]
    groups = [("all", runs)]
    if like is not None:
        groups = [("same", [r for r in runs if r[0].signature == like.signature]),
                  ("similar", [r for r in runs if (r[0].task, r[0].implementation) == (like.task, like.implementation)])] + groups
    for level, group in groups:
        if group:
            return float(statistics.median(ratio for _, ratio in group)), len(group), level
    return 1.0, 0, "none"


def split_sizes(config: dict[str, Any], data: dict[str, Any]) -> tuple[int, int] | None:
    """A finished run's training and held-out units (tokens or texts) from its status's ``data``."""
    if config.get("task") == "language_model":
        pair = data.get("train_tokens"), data.get("val_tokens")
    else:
        pair = data.get("train_texts"), data.get("val_texts")
    return (int(pair[0]), int(pair[1] or 0)) if isinstance(pair[0], int) and pair[0] > 0 else None


def finished_runs(store) -> list[tuple[EpochCost, float]]:
    """The runs of a `core.runs.RunStore` that trained at least one epoch here, each as its
    `EpochCost` and its typical epoch seconds (`calibration`'s input). A run that cannot be read
    is left out."""
    from core.runs import typical_epoch_seconds

    found = []
    for run_id in store.list_ids():
        try:
            run = store.run(run_id)
            status = run.status()
            if status.get("state") not in ("done", "cancelled", "interrupted") or not status.get("vocab_size"):
                continue
            config = run.config()
            sizes = split_sizes(config, status.get("data") or {})
            seconds = typical_epoch_seconds(run.history())
            if sizes and seconds:
                found.append((epoch_cost(config, int(status["vocab_size"]), *sizes), float(seconds)))
        except Exception:  # noqa: BLE001 - a broken run folder is no reason to give no estimate
            continue
    return found


def estimate(cost: EpochCost, epochs: int, scale: float = 1.0, runs: int = 0) -> Estimate:
    epoch = cost.seconds() * scale
    return Estimate(epoch_seconds=epoch, total_seconds=epoch * max(1, int(epochs)), scale=scale, runs=runs)


__all__ = ["EpochCost", "Estimate", "GATES", "REFERENCE", "calibration", "epoch_cost", "estimate", "finished_runs", "forward_macs_per_row_step", "split_sizes"]
