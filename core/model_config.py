"""What a model is, as plain data: `ModelConfig`, its settings' ranges and choices.

Kept apart from `core.models` (the builders), which imports Keras: a run's config is made and
checked without it, so the command line refuses an absurd `--set` at once (with `--preset` it
took 18 s on a busy machine, Keras loading first) and `core.presets` lists its configs cheaply.
`core.models` re-exports every name here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.errors import SettingError

CELL_KINDS: tuple[str, ...] = ("simple_rnn", "lstm", "gru")
INITIALIZERS: tuple[str, ...] = ("keras", "tutorial")
IMPLEMENTATIONS: tuple[str, ...] = ("layer", "keras_cell", "scratch")
MAX_LAYERS = 4
MAX_UNITS = 2048
MAX_EMBEDDING_DIM = 4096
MAX_DENSE_UNITS = 4096
POOLINGS: tuple[str, ...] = ("last", "max", "mean", "max_mean")
OUTPUT_PRECISIONS: tuple[str, ...] = ("float32", "bfloat16")


@dataclass
class ModelConfig:
    """What to build. Plain data: ``to_dict()`` is JSON-safe, ``from_dict`` reverses it.

    cell: "simple_rnn" | "lstm" | "gru".
    implementation: "layer" | "keras_cell" | "scratch" (see module docstring).
    num_layers: 1-4 stacked recurrent layers; all but the last return sequences
        in the classifier, all return sequences in the language model.
    units: hidden size h of every layer (int), or one int per layer (list).
    bidirectional: wrap each recurrent layer in keras.layers.Bidirectional
        (outputs 2h features). Classifier only: a language model must not see
        the future.
    dropout, recurrent_dropout: Keras-style dropout inside each recurrent layer,
        on x_t and on h_{t-1}; in [0, 1).
    embedding_dim: size n of the token vectors. 0 = one-hot input (vocab-sized
        vectors, no weights), as in the from-scratch tutorial.
    embedding_trainable: False freezes the embedding (e.g. pretrained vectors).
    mask_zero: id 0 is padding and is masked (the recurrent layers skip it).
    dense_units: hidden Dense(relu) layer in the classifier head; 0 = none.
    pooling: classifier only, how the last recurrent layer's outputs become one
        vector per text: "last" = its final state (the tutorials' classifier);
        "max" / "mean" = the maximum / mean of h_t over the real (unmasked) steps;
        "max_mean" = both side by side (2x the features). Any pooling but "last"
        makes the last layer return its whole sequence [batch, steps, h]. A
        language model ignores it (it predicts at every step).
    embedding_dropout: classifier only, the fraction of embedding dimensions
        dropped for a whole text while training (``SpatialDropout1D`` on the token
        vectors); 0 = none. A language model ignores it (see token_dropout).
    token_dropout: language model only, AWD-LSTM's embedding dropout: while training,
        this fraction of the vocabulary is drawn anew for every batch and each of those
        tokens gets an all-zero input vector wherever it occurs in the batch (the others
        are scaled by 1 / (1 - rate)), so the model cannot lean on any one character's
        identity. Layer "token_dropout"; 0 = none. A classifier ignores it.
    output_dropout: language model only, dropout on the last recurrent layer's outputs
        h_t before the output layer (and before tie_projection), with one mask per
        sequence for all its steps (locked / variational dropout); 0 = none. Layer
        "output_dropout". A classifier ignores it.
    tie_embeddings: language model only. The output layer reuses the embedding
        matrix E [vocab, n]: logits = h E^T + b. When the last recurrent layer's
        size differs from n, a linear Dense(n) "tie_projection" maps h to n first.
        Needs embedding_dim > 0.
    initializer: "keras" (Keras defaults) or "tutorial" (N(0, 0.01^2), zero biases).
    output_precision: language model only, the precision of the output layer over the
        vocabulary, which does most of a character model's arithmetic: "float32" (as the
        tutorials) or "bfloat16" (Keras's "mixed_bfloat16" policy on that Dense layer alone:
        its weights stay float32, its inputs and weights are rounded to bfloat16 for the
        product, and its logits come back to float32 through a layer "output_float32"; the
        embedding and the recurrence stay float32). About twice as fast for that layer on
        CPUs with bfloat16 instructions (AVX512-BF16, AMX) and on recent GPUs, slower on
        CPUs without them (see `bfloat16_is_fast`). The logits carry about 3 significant
        digits; the T4 character RNN learns the same curve (bench/README.md). Not with
        tie_embeddings. A classifier ignores it.
    """

    cell: str = "lstm"
    implementation: str = "layer"
    num_layers: int = 1
    units: int | list[int] = 64
    bidirectional: bool = False
    dropout: float = 0.0
    recurrent_dropout: float = 0.0
    embedding_dim: int = 32
    embedding_trainable: bool = True
    mask_zero: bool = False
    dense_units: int = 0
    tie_embeddings: bool = False
    initializer: str = "keras"
    pooling: str = "last"
    embedding_dropout: float = 0.0
    token_dropout: float = 0.0
    output_dropout: float = 0.0
    output_precision: str = "float32"

    def layer_units(self) -> list[int]:
        """Hidden size of each recurrent layer, first to last."""
        if isinstance(self.units, (list, tuple)):
            return list(self.units)
        return [self.units] * self.num_layers

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of every field."""
        data = dataclasses.asdict(self)
        if isinstance(data["units"], tuple):
            data["units"] = list(data["units"])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        """Inverse of ``to_dict``. Missing fields take their defaults; unknown ones are an error."""
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"Unknown model setting(s) {unknown}; known settings are {sorted(known)}."
            )
        return cls(**data)

    def validate(self) -> None:
        """Raise `SettingError` (a ValueError) with a sentence in both languages if any setting is
        out of range; the settings are named as a run's config names them (model.units)."""
        def choice(name: str, choices) -> None:
            if getattr(self, name) not in choices:
                raise SettingError("train.bad_choice", name=f"model.{name}", value=repr(getattr(self, name)), choices=", ".join(choices))

        def whole(name: str, value: Any, low: int, high: int) -> None:
            if not _is_int(value) or not low <= value <= high:
                raise SettingError("train.bad_range", name=f"model.{name}", low=low, high=high, value=repr(value))

        choice("cell", CELL_KINDS)
        choice("implementation", IMPLEMENTATIONS)
        whole("num_layers", self.num_layers, 1, MAX_LAYERS)
        if isinstance(self.units, (list, tuple)) and len(self.units) != self.num_layers:
            raise SettingError("model.units_per_layer", sizes=len(self.units), layers=self.num_layers)
        for units in self.layer_units():
            whole("units", units, 1, MAX_UNITS)
        for name in ("dropout", "recurrent_dropout", "embedding_dropout", "token_dropout", "output_dropout"):
            rate = getattr(self, name)
            if not _is_number(rate) or not 0.0 <= rate < 1.0:
                raise SettingError("train.bad_fraction", name=f"model.{name}", value=repr(rate))
        whole("embedding_dim", self.embedding_dim, 0, MAX_EMBEDDING_DIM)
        whole("dense_units", self.dense_units, 0, MAX_DENSE_UNITS)
        for name in ("bidirectional", "embedding_trainable", "mask_zero", "tie_embeddings"):
            if not isinstance(getattr(self, name), bool):
                raise SettingError("train.bad_type", name=f"model.{name}", expected="expected.bool", value=repr(getattr(self, name)))
        choice("initializer", INITIALIZERS)
        choice("pooling", POOLINGS)
        choice("output_precision", OUTPUT_PRECISIONS)
        if self.output_precision != "float32" and self.tie_embeddings:
            raise SettingError("model.tied_bfloat16")
        if self.tie_embeddings and self.embedding_dim == 0:
            raise SettingError("model.tied_one_hot")


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
