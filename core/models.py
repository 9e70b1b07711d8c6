"""Model builders for the two tasks, and the parameter table.

- ``build_sentiment_classifier``: token ids [batch, maxlen] -> P(positive) [batch, 1].
- ``build_language_model``: token ids [batch, steps] -> next-token logits
  [batch, steps, vocab].

Both take a ``ModelConfig`` (plain data, JSON-friendly) choosing the cell
(SimpleRNN / LSTM / GRU) and how it is implemented:

- ``"layer"``: the fused Keras layers ``keras.layers.SimpleRNN / LSTM / GRU``;
- ``"keras_cell"``: Keras's cells stepped by a Python loop (``SteppedRNN``);
- ``"scratch"``: our cells from ``core.cells`` run by ``keras.layers.RNN``.

All three have the same weights, so the same parameter counts.

Layer names are stable: "embedding" (or "one_hot"), "embedding_dropout",
"token_dropout", "rnn_1" .. "rnn_4", "output_dropout", "pooling", "head_dense",
"tie_projection", "output" (and "output_float32" after a bfloat16 output layer).
"""

from __future__ import annotations

import functools
from typing import Any

import keras
import numpy as np
import pandas as pd
from keras import ops

from core.model_config import (  # noqa: F401 - re-exported: the config and its ranges live in a Keras-free module
    IMPLEMENTATIONS,
    MAX_DENSE_UNITS,
    MAX_EMBEDDING_DIM,
    MAX_LAYERS,
    MAX_UNITS,
    OUTPUT_PRECISIONS,
    POOLINGS,
    ModelConfig,
    _is_int,
    _is_number,
)
from core.gates import CELL_GATES
from core.cells import (
    CELL_KINDS,
    INITIALIZERS,
    GRUCellScratch,
    LSTMCellScratch,
    SimpleRNNCellScratch,
    SteppedRNN,
    keras_initializer_kwargs,
    make_cell,
)


@functools.cache
def bfloat16_is_fast() -> bool | None:
    """Whether this machine multiplies bfloat16 matrices natively: True with a GPU of compute
    capability 8.0 or more (Ampere and later) or a CPU with AVX512-BF16 or AMX instructions,
    False without, None when it cannot tell (a CPU whose flags are not readable: not Linux).

    Measured on the development machine (AMD EPYC, AVX512-BF16, one thread): the output
    layer's [160, 256] x [256, 970] product 0.73 ms in float32, 0.39 ms in bfloat16. Without
    these instructions TensorFlow converts and runs bfloat16 products in float32, slower
    than float32 alone.
    """
    import tensorflow as tf

    for gpu in tf.config.list_physical_devices("GPU"):
        capability = tf.config.experimental.get_device_details(gpu).get("compute_capability")
        if capability and tuple(capability) >= (8, 0):
            return True
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return bool(flags & {"avx512_bf16", "amx_bf16"})
    except OSError:
        pass
    return None


# --------------------------------------------------------------------------- optimizers


class _TrueGlobalNorm:
    """Mixin: ``global_clipnorm`` clips by the norm of the gradient as the maths defines it.

    An Embedding's gradient arrives as sparse slices, one row per token of the batch, the
    rows of a repeated token not yet summed. Keras's global-norm clipping squares those
    slices as they are, so the norm it uses is wrong whenever a token occurs twice in a
    batch (always, for text): too small when the rows point the same way. Here such
    gradients are made dense (the rows summed) before the norm is taken: the clipped
    update then has norm at most ``global_clipnorm``, as the tutorials' theta promises.
    """

    def _clip_gradients(self, grads):
        if self.global_clipnorm and self.global_clipnorm > 0 and keras.backend.backend() == "tensorflow":
            import tensorflow as tf  # only TensorFlow hands out sparse slices (keras.ops keeps them sparse)

            grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in grads]
        return super()._clip_gradients(grads)


@keras.saving.register_keras_serializable(package="rnnlab")
class ClippedAdam(_TrueGlobalNorm, keras.optimizers.Adam):
    """``keras.optimizers.Adam`` whose ``global_clipnorm`` uses the true global norm (`_TrueGlobalNorm`)."""


@keras.saving.register_keras_serializable(package="rnnlab")
class ClippedSGD(_TrueGlobalNorm, keras.optimizers.SGD):
    """``keras.optimizers.SGD`` whose ``global_clipnorm`` uses the true global norm (`_TrueGlobalNorm`)."""


@keras.saving.register_keras_serializable(package="rnnlab")
class ClippedRMSprop(_TrueGlobalNorm, keras.optimizers.RMSprop):
    """``keras.optimizers.RMSprop`` whose ``global_clipnorm`` uses the true global norm (`_TrueGlobalNorm`)."""


CLIPPED_OPTIMIZERS = {"adam": ClippedAdam, "sgd": ClippedSGD, "rmsprop": ClippedRMSprop}


# --------------------------------------------------------------------------- custom layers


@keras.saving.register_keras_serializable(package="rnnlab")
class OneHot(keras.layers.Layer):
    """Token ids [batch, steps] -> one-hot vectors [batch, steps, vocab_size]. No weights.

    With ``mask_zero=True`` id 0 is padding and is masked, like
    ``Embedding(mask_zero=True)``.
    """

    def __init__(self, vocab_size: int, mask_zero: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero

    def call(self, ids):
        return ops.one_hot(ops.cast(ids, "int32"), self.vocab_size, dtype=self.compute_dtype)

    def compute_mask(self, ids, mask=None):
        return ops.not_equal(ids, 0) if self.mask_zero else None

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.vocab_size)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "vocab_size": self.vocab_size, "mask_zero": self.mask_zero}


@keras.saving.register_keras_serializable(package="rnnlab")
class TiedEmbedding(keras.layers.Embedding):
    """An Embedding that also serves as the output matrix (weight tying).

    ``layer(ids)``: ids [batch, steps] -> vectors [batch, steps, n] (a lookup in E).
    ``layer(h, reverse=True)``: h [batch, steps, n] -> h E^T [batch, steps, vocab].

    The same layer object is called twice in the model, so E is one variable,
    updated by both uses and saved once.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.supports_masking = True  # the reverse call passes the sequence mask through

    def call(self, inputs, reverse: bool = False):
        if reverse:
            return ops.matmul(inputs, ops.transpose(ops.cast(self.embeddings, inputs.dtype)))
        return super().call(inputs)

    def compute_mask(self, inputs, mask=None):
        if keras.backend.is_float_dtype(inputs.dtype):  # reverse call on hidden states
            return mask  # keep the sequence mask of h
        return super().compute_mask(inputs, mask)

    def compute_output_shape(self, input_shape, reverse: bool = False):
        if reverse:
            return (*input_shape[:-1], self.input_dim)
        return super().compute_output_shape(input_shape)

    def compute_output_spec(self, inputs, reverse: bool = False):
        return keras.KerasTensor(
            self.compute_output_shape(inputs.shape, reverse=reverse), dtype=self.compute_dtype
        )


@keras.saving.register_keras_serializable(package="rnnlab")
class OutputBias(keras.layers.Layer):
    """Adds a learned bias b [size] to the last axis: [..., size] -> [..., size].

    Used after ``TiedEmbedding(h, reverse=True)`` so tied logits are h E^T + b,
    the same form as a Dense output layer.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True

    def build(self, input_shape):
        self.bias = self.add_weight(shape=(input_shape[-1],), name="bias", initializer="zeros")

    def call(self, inputs):
        return inputs + self.bias


@keras.saving.register_keras_serializable(package="rnnlab")
class TokenDropout(keras.layers.Layer):
    """Drops whole tokens of the vocabulary (AWD-LSTM's embedding dropout). No weights.

    ``layer(ids, vectors, training=True)``: ids [batch, steps], vectors [batch, steps, n]
    (their embeddings) -> vectors where every occurrence of a dropped token is all zeros and
    the rest are scaled by 1 / (1 - rate). Which of the ``vocab_size`` tokens are dropped is
    drawn once per call (one batch), so a dropped token is missing everywhere in it.
    Identity when not training.
    """

    def __init__(self, rate: float, vocab_size: int, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"TokenDropout rate must be at least 0 and below 1, got {rate!r}.")
        self.rate = float(rate)
        self.vocab_size = int(vocab_size)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.supports_masking = True

    def call(self, ids, vectors, training=False):
        if not training or self.rate == 0.0:
            return vectors
        draw = keras.random.uniform((self.vocab_size,), seed=self.seed_generator)
        keep = ops.cast(draw >= self.rate, vectors.dtype) / (1.0 - self.rate)
        return vectors * ops.expand_dims(ops.take(keep, ops.cast(ids, "int32"), axis=0), -1)

    def compute_mask(self, ids, vectors=None, mask=None):
        return mask

    def compute_output_shape(self, ids_shape, vectors_shape):
        return vectors_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "rate": self.rate, "vocab_size": self.vocab_size, "seed": self.seed}


@keras.saving.register_keras_serializable(package="rnnlab")
class SequencePooling(keras.layers.Layer):
    """h [batch, steps, features] -> one vector per sequence, over its real steps only.

    mode "max": max_t h_t [batch, features]; "mean": the mean of h_t [batch, features];
    "max_mean": both concatenated [batch, 2 * features]. Steps where the mask is
    False (padding) take no part; a sequence with no real step at all gives zeros.
    Without a mask every step counts. No weights.
    """

    def __init__(self, mode: str = "max", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if mode not in POOLINGS or mode == "last":
            raise ValueError(f"SequencePooling mode must be max, mean or max_mean, got {mode!r}.")
        self.mode = mode
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            mask = ops.ones(ops.shape(inputs)[:2], dtype="bool")
        mask = ops.cast(mask, "bool")
        keep = ops.expand_dims(mask, -1)  # [batch, steps, 1]
        parts = []
        if self.mode in ("max", "max_mean"):
            lowest = ops.full_like(inputs, -1e9)
            largest = ops.max(ops.where(keep, inputs, lowest), axis=1)
            any_real = ops.any(keep, axis=1)  # [batch, 1]
            parts.append(ops.where(any_real, largest, ops.zeros_like(largest)))
        if self.mode in ("mean", "max_mean"):
            weights = ops.cast(keep, inputs.dtype)
            total = ops.sum(inputs * weights, axis=1)
            count = ops.maximum(ops.sum(weights, axis=1), 1.0)
            parts.append(total / count)
        return parts[0] if len(parts) == 1 else ops.concatenate(parts, axis=-1)

    def compute_mask(self, inputs, mask=None):
        return None  # one vector per sequence: no steps left to mask

    def compute_output_shape(self, input_shape):
        features = input_shape[-1]
        if self.mode == "max_mean" and features is not None:
            features = 2 * features
        return (input_shape[0], features)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mode": self.mode}


# --------------------------------------------------------------------------- builders

_KERAS_LAYERS = {
    "simple_rnn": keras.layers.SimpleRNN,
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
}


def recurrent_layer(
    cfg: ModelConfig,
    units: int,
    return_sequences: bool,
    stateful: bool = False,
    name: str | None = None,
) -> keras.layers.Layer:
    """One recurrent layer as chosen by ``cfg.cell`` / ``cfg.implementation``.

    Input [batch, steps, features]; output [batch, units] or, with
    ``return_sequences``, [batch, steps, units] (2 * units when bidirectional).
    """
    common = {"return_sequences": return_sequences, "stateful": stateful, "name": name}
    if cfg.implementation == "layer":
        layer = _KERAS_LAYERS[cfg.cell](
            units,
            dropout=cfg.dropout,
            recurrent_dropout=cfg.recurrent_dropout,
            **keras_initializer_kwargs(cfg.cell, cfg.initializer),
            **common,
        )
    else:
        cell = make_cell(
            cfg.cell,
            units,
            cfg.implementation,
            initializer=cfg.initializer,
            dropout=cfg.dropout,
            recurrent_dropout=cfg.recurrent_dropout,
        )
        runner = SteppedRNN if cfg.implementation == "keras_cell" else keras.layers.RNN
        layer = runner(cell, **common)
    if cfg.bidirectional:
        layer = keras.layers.Bidirectional(layer, name=name)
    return layer


def _token_features(cfg: ModelConfig, vocab_size: int, tied: bool = False) -> keras.layers.Layer:
    """ids [batch, steps] -> [batch, steps, embedding_dim] (or one-hot [.., vocab_size])."""
    if cfg.embedding_dim == 0:
        return OneHot(vocab_size, mask_zero=cfg.mask_zero, name="one_hot")
    embedding_cls = TiedEmbedding if tied else keras.layers.Embedding
    return embedding_cls(
        vocab_size,
        cfg.embedding_dim,
        mask_zero=cfg.mask_zero,
        trainable=cfg.embedding_trainable,
        name="embedding",
    )


def _recurrent_stack(cfg: ModelConfig, x, last_returns_sequences: bool, stateful: bool = False):
    """x [batch, steps, features] -> through rnn_1 .. rnn_L."""
    sizes = cfg.layer_units()
    for index, units in enumerate(sizes, start=1):
        is_last = index == len(sizes)
        x = recurrent_layer(
            cfg,
            units,
            return_sequences=last_returns_sequences or not is_last,
            stateful=stateful,
            name=f"rnn_{index}",
        )(x)
    return x


def _set_embedding_matrix(
    model: keras.Model, cfg: ModelConfig, vocab_size: int, embedding_matrix: np.ndarray | None
) -> None:
    if embedding_matrix is None:
        return
    if cfg.embedding_dim == 0:
        raise ValueError("An embedding_matrix was given but embedding_dim is 0 (one-hot input).")
    matrix = np.asarray(embedding_matrix, dtype="float32")
    expected = (vocab_size, cfg.embedding_dim)
    if matrix.shape != expected:
        raise ValueError(
            f"embedding_matrix has shape {matrix.shape} but the model needs "
            f"[vocab_size, embedding_dim] = {list(expected)}."
        )
    model.get_layer("embedding").set_weights([matrix])


def _check_sizes(vocab_size: int, **lengths: int | None) -> None:
    if not _is_int(vocab_size) or vocab_size < 2:
        raise ValueError(f"vocab_size must be a whole number of at least 2, got {vocab_size!r}.")
    for name, value in lengths.items():
        if value is not None and (not _is_int(value) or value < 1):
            raise ValueError(f"{name} must be a positive whole number, got {value!r}.")


def build_sentiment_classifier(
    cfg: ModelConfig,
    vocab_size: int,
    maxlen: int,
    embedding_matrix: np.ndarray | None = None,
) -> keras.Model:
    """Embedding -> [SpatialDropout1D] -> recurrent stack -> [pooling] -> [Dense(relu)] -> Dense(1, sigmoid).

    Input: token ids [batch, maxlen] (int). Output: P(positive) [batch, 1].
    With ``cfg.pooling`` "last" the last recurrent layer's final state [batch, h]
    feeds the head; otherwise it returns h_1 .. h_T [batch, maxlen, h] and
    ``SequencePooling`` takes their max and/or mean over the unmasked steps.
    ``embedding_matrix`` [vocab_size, embedding_dim] initialises the embedding
    (frozen when ``cfg.embedding_trainable`` is False). ``cfg.tie_embeddings``
    does not apply here and is ignored.
    """
    cfg.validate()
    _check_sizes(vocab_size, maxlen=maxlen)
    if maxlen is None:
        raise ValueError("maxlen is required: the classifier reads fixed-length padded reviews.")
    ids = keras.Input(shape=(maxlen,), dtype="int32", name="token_ids")
    x = _token_features(cfg, vocab_size)(ids)
    if cfg.embedding_dropout:
        x = keras.layers.SpatialDropout1D(cfg.embedding_dropout, name="embedding_dropout")(x)
    pooled = cfg.pooling != "last"
    x = _recurrent_stack(cfg, x, last_returns_sequences=pooled)
    if pooled:
        x = SequencePooling(cfg.pooling, name="pooling")(x)
    if cfg.dense_units:
        x = keras.layers.Dense(cfg.dense_units, activation="relu", name="head_dense")(x)
    probability = keras.layers.Dense(1, activation="sigmoid", name="output")(x)
    model = keras.Model(ids, probability, name=f"sentiment_{cfg.cell}")
    _set_embedding_matrix(model, cfg, vocab_size, embedding_matrix)
    return model


def build_language_model(
    cfg: ModelConfig,
    vocab_size: int,
    seq_len: int | None = None,
    batch_size: int | None = None,
    stateful: bool = False,
    embedding_matrix: np.ndarray | None = None,
) -> keras.Model:
    """ids [batch, steps] -> embedding / one-hot [-> token_dropout] -> recurrent stack
    [-> output_dropout] -> logits [batch, steps, vocab].

    Every recurrent layer returns sequences; the output layer gives next-token
    logits (no softmax) at every step: Dense(vocab_size), or h E^T + b with
    ``cfg.tie_embeddings``.

    ``stateful=True`` keeps each recurrent layer's final state as the next
    batch's initial state (for consecutive, non-shuffled batches); it needs a
    fixed ``batch_size``. Clear the state with ``reset_states(model)``.
    ``seq_len=None`` accepts any length, except with
    ``implementation="keras_cell"`` whose Python loop needs a fixed length.
    """
    cfg.validate()
    _check_sizes(vocab_size, seq_len=seq_len, batch_size=batch_size)
    if cfg.bidirectional:
        raise ValueError(
            "A language model predicts the next token from the tokens before it, so it "
            "cannot also read the sequence backwards; set bidirectional to false."
        )
    if stateful and batch_size is None:
        raise ValueError(
            "A stateful language model carries one state per batch row, so it needs a "
            "fixed batch_size."
        )
    if cfg.implementation == "keras_cell" and seq_len is None:
        raise ValueError(
            "implementation 'keras_cell' steps through time with a Python loop and needs a "
            "fixed seq_len."
        )

    ids = keras.Input(shape=(seq_len,), batch_size=batch_size, dtype="int32", name="token_ids")
    features = _token_features(cfg, vocab_size, tied=cfg.tie_embeddings)
    x = features(ids)
    if cfg.token_dropout:
        x = TokenDropout(cfg.token_dropout, vocab_size, name="token_dropout")(ids, x)
    x = _recurrent_stack(cfg, x, last_returns_sequences=True, stateful=stateful)
    if cfg.output_dropout:  # one mask per sequence, shared by all its steps
        x = keras.layers.Dropout(cfg.output_dropout, noise_shape=(None, 1, x.shape[-1]), name="output_dropout")(x)
    if cfg.tie_embeddings:
        if x.shape[-1] != cfg.embedding_dim:
            x = keras.layers.Dense(cfg.embedding_dim, name="tie_projection")(x)
        x = features(x, reverse=True)
        logits = OutputBias(name="output")(x)
    elif cfg.output_precision == "bfloat16":
        logits = keras.layers.Dense(vocab_size, name="output", dtype="mixed_bfloat16")(x)
        # the logits back to float32 (Keras's mixed-precision advice): the losses, softmax and
        # sampling downstream see float32, as with a float32 model
        logits = keras.layers.Activation("linear", dtype="float32", name="output_float32")(logits)
    else:
        logits = keras.layers.Dense(vocab_size, name="output")(x)
    model = keras.Model(ids, logits, name=f"language_model_{cfg.cell}")
    _set_embedding_matrix(model, cfg, vocab_size, embedding_matrix)
    return model


# --------------------------------------------------------------------------- fast training forward

MAX_UNROLLED_STEPS = 100
"""`LanguageModelForward` unrolls the time loop in Python up to this many steps."""

MAX_XLA_STEPS = 50
"""`LanguageModelForward.xla_helps`: the longest unrolled simple_rnn step worth compiling with XLA."""

_SCRATCH_CELL_TYPES = (SimpleRNNCellScratch, LSTMCellScratch, GRUCellScratch)


class LanguageModelForward:
    """``forward(ids, training=False)``: the logits of ``model(ids, training=training)``, computed
    faster for the from-scratch language models.

    ids [batch, steps] -> logits [batch, steps, vocab]. For a model built by
    `build_language_model` with ``implementation="scratch"`` and no mask, dropout or weight
    tying (token_ids -> one_hot | embedding -> rnn_1 .. rnn_L -> output Dense), when the
    number of steps is static (as in a traced training step) and at most
    `MAX_UNROLLED_STEPS`:

    - the input's share x_t W_x of every step is computed before the time loop: for
      one-hot input it is a row gather, ``kernel[ids]`` (one_hot(ids) @ kernel picks exactly
      those rows, without the [batch, vocab] x [vocab, k*h] product); otherwise one product
      for all steps at once;
    - the time loop is unrolled in Python; each step is the cell's own ``recurrent_step``;
    - a stateful layer starts from its state variables and stores its final states in them,
      as ``keras.layers.RNN`` does (no gradient flows into them).

    Same weights and equations as ``model(ids)``: the logits agree exactly and the gradients
    up to float rounding. Any other model or input runs ``model(ids, training=training)``;
    ``fast_path`` says whether the model qualifies.
    """

    def __init__(self, model: keras.Model) -> None:
        self.model = model
        self._chain = _scratch_chain(model)

    @property
    def fast_path(self) -> bool:
        return self._chain is not None

    def xla_helps(self, num_steps: int) -> bool:
        """Whether compiling a training step of ``num_steps`` steps with XLA (``jit_compile``) pays.

        Measured on 2 CPU cores (256 units, batch 32): an unrolled simple_rnn step runs about
        30% faster compiled (35 steps: 28 vs 42 ms a batch, for about 3 s of compiling once),
        the gain fading with the length (100 steps: 6%, 10 s to compile); LSTM and GRU steps
        compile for 20-30 s and then run slower. So: simple_rnn chains up to `MAX_XLA_STEPS`.
        (The trainer takes `core.fused` for plain simple_rnn chains and does not compile
        when a run's process has one thread per op; this is for the rest, e.g. label smoothing.)
        """
        if self._chain is None or not 1 <= num_steps <= MAX_XLA_STEPS:
            return False
        return all(isinstance(layer.cell, SimpleRNNCellScratch) for layer in self._chain[1])

    def __call__(self, ids, training: bool = False):
        steps = ids.shape[1] if len(ids.shape) == 2 else None
        if self._chain is None or steps is None or steps > MAX_UNROLLED_STEPS:
            return self.model(ids, training=training)
        features, recurrent, output = self._chain
        if isinstance(features, OneHot):
            first = recurrent[0].cell
            x_proj = _kernel_rows(ops.copy(first.kernel), ops.cast(ids, "int32"))  # a tensor, not the variable: custom_gradient sees no captured variable
        else:
            x = features(ids, training=training)
            x_proj = ops.matmul(x, recurrent[0].cell.kernel)
        for index, layer in enumerate(recurrent):
            if index > 0:
                x_proj = ops.matmul(x, layer.cell.kernel)
            x = _unrolled_layer(layer, x_proj, steps)
        return ops.cast(output(x, training=training), "float32")  # a bfloat16 output layer's "output_float32"


def language_model_forward(model: keras.Model) -> LanguageModelForward:
    """The training forward of a language model: see `LanguageModelForward`."""
    return LanguageModelForward(model)


@ops.custom_gradient
def _kernel_rows(kernel, ids):
    """kernel [vocab, k*h], ids [batch, steps] -> kernel[ids] [batch, steps, k*h] = one_hot(ids) @ kernel.

    The gradient is what the one-hot product's is, one_hot(ids)^T @ upstream (the rows of
    repeated ids summed), as a dense [vocab, k*h] tensor: optimizers and global-norm
    clipping then see exactly the gradient they see for the one-hot model (a plain gather
    would hand them sparse slices with repeated rows).
    """
    vocab = kernel.shape[0]

    def grad(*args, upstream=None):
        if upstream is None:
            (upstream,) = args
        flat = ops.reshape(upstream, (-1, upstream.shape[-1]))
        return ops.segment_sum(flat, ops.reshape(ids, (-1,)), num_segments=vocab), None

    return ops.take(kernel, ids, axis=0), grad


def _is_float32_cast(layer: keras.layers.Layer) -> bool:
    """Whether ``layer`` is the "output_float32" layer after a bfloat16 output layer."""
    return (
        type(layer) is keras.layers.Activation
        and layer.activation is keras.activations.linear
        and layer.compute_dtype == "float32"
    )


def _scratch_chain(model: keras.Model):
    """(features, [rnn layers], output) when `language_model_forward` may take its fast path, else None.

    The output Dense may be a bfloat16 one (``output_precision``) followed by its float32 cast;
    every other layer computes in its variables' dtype.
    """
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    if len(layers) < 3 or any(len(getattr(layer, "_inbound_nodes", [])) != 1 for layer in layers):
        return None  # not a simple chain (e.g. a tied embedding is called twice)
    exact = layers  # the layers that must compute in their weights' dtype
    if len(layers) >= 4 and layers[-2].compute_dtype == "bfloat16" and _is_float32_cast(layers[-1]):
        layers = layers[:-1]  # the forward casts the logits to float32 itself
        exact = layers[:-1]  # and the output Dense computes in bfloat16
    if any(layer.compute_dtype != layer.variable_dtype for layer in exact):
        return None  # mixed precision: the cells' own __call__ casts the weights, this path does not
    features, *recurrent, output = layers
    if type(features) not in (OneHot, keras.layers.Embedding) or features.mask_zero:
        return None
    if type(output) is not keras.layers.Dense:
        return None
    for layer in recurrent:
        if type(layer) is not keras.layers.RNN or not isinstance(layer.cell, _SCRATCH_CELL_TYPES):
            return None
        cell = layer.cell
        if cell.dropout or cell.recurrent_dropout or layer.go_backwards or layer.return_state or not layer.return_sequences:
            return None
    return features, recurrent, output


def _unrolled_layer(layer: keras.layers.RNN, x_proj, steps: int):
    """x_proj [batch, steps, k*h] (x_t W_x of every step) -> h_1 .. h_T [batch, steps, h]."""
    cell = layer.cell
    if layer.stateful:
        states = [ops.convert_to_tensor(variable) for variable in layer.states]
    else:
        states = cell.get_initial_state(batch_size=ops.shape(x_proj)[0])
    outputs = []
    for x_t in ops.unstack(x_proj, num=steps, axis=1):
        h_t, states = cell.recurrent_step(x_t, states)
        outputs.append(h_t)
    if layer.stateful:
        for variable, value in zip(layer.states, states):
            variable.assign(value)
    return ops.stack(outputs, axis=1)


def reset_states(model: keras.Model) -> None:
    """Zero the carried state of every stateful recurrent layer in ``model``.

    Keras 3 has no model-level reset for RNN state; each stateful
    ``keras.layers.RNN`` (including SimpleRNN/LSTM/GRU and SteppedRNN) and
    ``Bidirectional`` layer has ``reset_state()``.
    """
    for layer in _all_layers(model):
        if getattr(layer, "stateful", False) and hasattr(layer, "reset_state"):
            layer.reset_state()


def _all_layers(model: keras.Model) -> list[keras.layers.Layer]:
    layers = []
    for layer in model.layers:
        layers.append(layer)
        if hasattr(layer, "layers"):  # a nested model
            layers.extend(_all_layers(layer))
    return layers


# --------------------------------------------------------------------------- parameter table

PARAMETER_TABLE_COLUMNS = [
    "layer",
    "type",
    "output_shape",
    "formula",
    "formula_filled",
    "formula_params",
    "keras_params",
    "trainable",
]


def _cell_formula(cell: keras.layers.Layer) -> tuple[str, str, int] | None:
    """(symbols, numbers, value) for one recurrent cell; d = input size, h = units."""
    h = cell.units
    d = cell.kernel.shape[0]
    if isinstance(cell, (keras.layers.SimpleRNNCell, SimpleRNNCellScratch)):
        return "h(d+h+1)", f"{h}·({d}+{h}+1)", h * (d + h + 1)
    if isinstance(cell, (keras.layers.LSTMCell, LSTMCellScratch)):
        return "4h(d+h+1)", f"4·{h}·({d}+{h}+1)", 4 * h * (d + h + 1)
    if isinstance(cell, (keras.layers.GRUCell, GRUCellScratch)):
        if cell.reset_after:
            return "3h(d+h+2)", f"3·{h}·({d}+{h}+2)", 3 * h * (d + h + 2)
        return "3h(d+h+1)", f"3·{h}·({d}+{h}+1)", 3 * h * (d + h + 1)
    return None


def _layer_formula(layer: keras.layers.Layer) -> tuple[str, str, int] | None:
    """(symbols, numbers, value) for one layer, or None when we have no formula."""
    if isinstance(layer, keras.layers.Bidirectional):
        inner = _layer_formula(layer.forward_layer)
        if inner is None:
            return None
        symbols, numbers, value = inner
        return f"2 × {symbols}", f"2·{numbers}", 2 * value
    if isinstance(layer, keras.layers.RNN):
        return _cell_formula(layer.cell)
    if isinstance(layer, keras.layers.Embedding):
        n_vocab, n_dim = layer.input_dim, layer.output_dim
        return "N·n", f"{n_vocab}·{n_dim}", n_vocab * n_dim
    if isinstance(layer, OneHot):
        return "0 (one-hot)", "0", 0
    if isinstance(layer, SequencePooling):
        return f"0 ({layer.mode} over steps)", "0", 0
    if isinstance(layer, (keras.layers.Dropout, TokenDropout)):
        return "0 (dropout)", "0", 0
    if isinstance(layer, OutputBias):
        size = layer.bias.shape[0]
        return "V (bias; weights tied to the embedding)", f"{size}", size
    if isinstance(layer, keras.layers.Dense):
        d, k = layer.kernel.shape[0], layer.units
        if layer.use_bias:
            return "d·k+k", f"{d}·{k}+{k}", d * k + k
        return "d·k", f"{d}·{k}", d * k
    return None


def _layer_type(layer: keras.layers.Layer) -> str:
    if isinstance(layer, keras.layers.Bidirectional):
        return f"Bidirectional({_layer_type(layer.forward_layer)})"
    name = type(layer).__name__
    if type(layer) in (keras.layers.RNN, SteppedRNN):
        return f"{name}({type(layer.cell).__name__})"
    return name


def _output_shape(layer: keras.layers.Layer) -> str:
    """Output shape(s) of every call of the layer in the model ("a / b" for a shared layer).

    ``layer.output`` raises for a layer called twice (TiedEmbedding), so read the nodes.
    """
    shapes = []
    for node in getattr(layer, "_inbound_nodes", []):
        for tensor in keras.tree.flatten(node.outputs):
            shapes.append(str(tuple(tensor.shape)))
    return " / ".join(shapes)


def parameter_table(model: keras.Model) -> pd.DataFrame:
    """One row per layer with its parameter formula and Keras's own count, plus a total row.

    Columns: layer, type, output_shape, formula (symbols: d = input size,
    h = units, N = vocabulary, n = embedding size, k = Dense units),
    formula_filled (the formula with the numbers), formula_params (its value;
    missing for layers without a formula), keras_params
    (``layer.count_params()``), trainable.

    Formulas: SimpleRNN h(d+h+1); LSTM 4h(d+h+1); GRU (reset_after) 3h(d+h+2);
    Bidirectional 2x the inner layer; Embedding N·n; one-hot, dropout and
    pooling 0; Dense d·k+k.
    """
    rows = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        formula = _layer_formula(layer)
        symbols, numbers, value = formula if formula is not None else ("", "", None)
        rows.append(
            {
                "layer": layer.name,
                "type": _layer_type(layer),
                "output_shape": _output_shape(layer),
                "formula": symbols,
                "formula_filled": numbers,
                "formula_params": value,
                "keras_params": layer.count_params(),
                "trainable": bool(layer.trainable),
            }
        )
    known = [row["formula_params"] for row in rows if row["formula_params"] is not None]
    rows.append(
        {
            "layer": "total",
            "type": "",
            "output_shape": "",
            "formula": "sum",
            "formula_filled": "",
            "formula_params": sum(known),
            "keras_params": model.count_params(),
            "trainable": None,
        }
    )
    table = pd.DataFrame(rows, columns=PARAMETER_TABLE_COLUMNS)
    table["formula_params"] = table["formula_params"].astype("Int64")
    table["keras_params"] = table["keras_params"].astype("int64")
    return table


__all__ = [
    "IMPLEMENTATIONS",
    "LanguageModelForward",
    "ModelConfig",
    "OneHot",
    "OutputBias",
    "PARAMETER_TABLE_COLUMNS",
    "POOLINGS",
    "SequencePooling",
    "TiedEmbedding",
    "TokenDropout",
    "build_language_model",
    "build_sentiment_classifier",
    "language_model_forward",
    "parameter_table",
    "recurrent_layer",
    "reset_states",
]


# --------------------------------------------------------------------------- the cells' equations, as Keras computes them

CELL_EQUATIONS: dict[str, tuple[str, ...]] = {
    # row vectors times matrices, as Keras multiplies: x_t [1, d] · W [d, h]; σ is the sigmoid, ⊙ the element-wise product
    "simple_rnn": (r"h_t = \tanh\left(x_t W + h_{t-1} U + b\right)",),
    "lstm": (
        r"i_t = \sigma\left(x_t W_i + h_{t-1} U_i + b_i\right) \quad f_t = \sigma\left(x_t W_f + h_{t-1} U_f + b_f\right)",
        r"g_t = \tanh\left(x_t W_g + h_{t-1} U_g + b_g\right) \quad o_t = \sigma\left(x_t W_o + h_{t-1} U_o + b_o\right)",
        r"c_t = f_t \odot c_{t-1} + i_t \odot g_t \qquad h_t = o_t \odot \tanh\left(c_t\right)",
    ),
    "gru": (
        r"z_t = \sigma\left(x_t W_z + b_z + h_{t-1} U_z + b'_z\right)",
        r"r_t = \sigma\left(x_t W_r + b_r + h_{t-1} U_r + b'_r\right)",
        r"n_t = \tanh\left(x_t W_n + b_n + r_t \odot \left(h_{t-1} U_n + b'_n\right)\right)",
        r"h_t = z_t \odot h_{t-1} + \left(1 - z_t\right) \odot n_t",
    ),
}
"""The equations of one step of each cell in Keras's conventions: the LSTM's gates in Keras's
kernel order i, f, g (its "c"), o; the GRU in Keras's default ``reset_after=True`` form, where the
reset gate multiplies h_{t-1} U_n plus its own bias b'_n (two bias rows), and z weighs the old state."""

HEAD_EQUATIONS: dict[str, str] = {
    # what reads the hidden states: T4's output layer over the vocabulary, or a classifier's one probability
    "language_model": r"o_t = h_t W_{hq} + b_q \qquad P\left(x_{t+1} \mid x_1, \dots, x_t\right) = \mathrm{softmax}\left(o_t\right)",
    "sentiment": r"P\left(y = 1\right) = \sigma\left(\mathrm{pool}\left(h_1, \dots, h_T\right) w + b\right)",
}

def cell_weights(cell: str, d: int | None, h: int) -> pd.DataFrame:
    """The trainable variables of one Keras cell of `h` units over inputs of size `d` (None:
    not known yet: the shape says "d" and the count is missing): Keras's name, the symbols of `CELL_EQUATIONS` it holds side by
    side, its shape and its number of values. The shapes are Keras's own (``kernel`` [d, g·h],
    ``recurrent_kernel`` [h, g·h], ``bias`` [g·h], or [2, 3h] for the GRU), so the sum is the
    parameter table's formula for the layer."""
    if cell not in CELL_GATES:
        raise ValueError(f"Unknown cell {cell!r}; use one of {tuple(CELL_GATES)}.")
    gates = CELL_GATES[cell]
    g = len(gates)
    joined = lambda letter, suffix="": " | ".join(f"{letter}_{q}{suffix}" if g > 1 else letter + suffix for q in gates)  # noqa: E731
    rows = [
        ("kernel", joined("W"), (d, g * h)),
        ("recurrent_kernel", joined("U"), (h, g * h)),
        ("bias", joined("b") + ("  /  " + joined("b", "'") if cell == "gru" else ""), (2, g * h) if cell == "gru" else (g * h,)),
    ]
    return pd.DataFrame(
        [{"variable": name, "symbols": symbols, "shape": "[" + ", ".join("d" if n is None else f"{n:,}" for n in shape) + "]",
          "values": None if None in shape else int(np.prod(shape))} for name, symbols, shape in rows]
    ).astype({"values": "Int64"})
