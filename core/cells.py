"""Recurrent cells written from their equations, and a layer that steps a cell
with a plain Python loop.

Three cells re-implement what ``keras.layers.SimpleRNNCell``, ``LSTMCell`` and
``GRUCell`` compute, one time step at a time::

    x_t     : [batch, features]   (one time step of a [batch, steps, features] sequence)
    h_{t-1} : [batch, units]      (previous hidden state)
    h_t     : [batch, units]      (new hidden state = the cell's output)

Their weights are named and shaped exactly like Keras's cells, with the gates
stacked side by side in the columns, so ``scratch_cell.set_weights(
keras_cell.get_weights())`` copies a trained Keras cell into a scratch one::

    kernel            [features, k * units]   (x_t @ kernel)
    recurrent_kernel  [units,    k * units]   (h_{t-1} @ recurrent_kernel)
    bias              [k * units]             (GRU: [2, 3 * units])

with k = 1 (SimpleRNN), 4 (LSTM: gates i, f, c, o) or 3 (GRU: gates z, r, h).

Every cell follows the Keras 3 RNN-cell API (``state_size``, ``output_size``,
``call(inputs, states, training=False) -> (output, new_states)``), so
``keras.layers.RNN(cell)`` runs it over a whole sequence. ``SteppedRNN`` runs any
such cell with an explicit ``for`` loop over the time steps instead, the way the
TF2 tutorials unroll ``SimpleRNNCell`` by hand.
"""

from __future__ import annotations

from typing import Any, Sequence

import keras
from keras import ops

# `DropoutRNNCell` is the Keras mixin that draws ONE dropout mask per sequence
# and reuses it at every step. It is not exported under `keras.layers`, but
# `keras.layers.RNN` checks `isinstance(cell, DropoutRNNCell)` to pre-draw the
# masks before its symbolic loop, so a custom cell has to inherit this exact
# class to get Keras's dropout behaviour (pinned: Keras 3.15).
from keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell

from core.model_config import CELL_KINDS, INITIALIZERS  # noqa: E402,F401 - (defined without Keras, for the configs)

CELL_IMPLEMENTATIONS: tuple[str, ...] = ("keras_cell", "scratch")

TUTORIAL_STDDEV = 0.01  # weights ~ N(0, 0.01^2), biases = 0 (the from-scratch tutorial)


def _check_units(units: Any) -> None:
    if isinstance(units, bool) or not isinstance(units, int) or units < 1:
        raise ValueError(f"`units` must be a positive integer, got {units!r}.")


def _check_rate(name: str, rate: Any) -> None:
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0.0 <= rate < 1.0:
        raise ValueError(f"`{name}` must be a number in [0, 1), got {rate!r}.")


def _check_initializer(initializer: Any) -> None:
    if initializer not in INITIALIZERS:
        raise ValueError(
            f"`initializer` must be one of {INITIALIZERS}, got {initializer!r}."
        )


def _tutorial_normal() -> keras.initializers.Initializer:
    return keras.initializers.RandomNormal(mean=0.0, stddev=TUTORIAL_STDDEV)


def keras_initializer_kwargs(kind: str, initializer: str) -> dict[str, Any]:
    """Constructor kwargs that give a Keras cell/layer the chosen initialisation.

    ``"keras"`` returns ``{}`` (glorot_uniform kernel, orthogonal recurrent
    kernel, zero bias, LSTM forget-gate bias 1). ``"tutorial"`` returns
    N(0, 0.01^2) kernels and all-zero biases (so no LSTM forget-gate bias).
    Works for ``keras.layers.SimpleRNN/LSTM/GRU`` and their ``*Cell`` classes.
    """
    _check_initializer(initializer)
    if initializer == "keras":
        return {}
    kwargs: dict[str, Any] = {
        "kernel_initializer": _tutorial_normal(),
        "recurrent_initializer": _tutorial_normal(),
        "bias_initializer": "zeros",
    }
    if kind == "lstm":
        kwargs["unit_forget_bias"] = False
    return kwargs


class _ScratchCell(keras.layers.Layer, DropoutRNNCell):
    """Bookkeeping shared by the scratch cells: weights, dropout, config.

    Subclasses only write ``build`` (which weights) and ``call`` (the equations).

    Dropout follows Keras: one mask per sequence, reused at every step, applied
    to x_t (``dropout``) and to h_{t-1} (``recurrent_dropout``) only when
    ``training=True``. Unlike Keras's LSTM/GRU (which draw a separate recurrent
    mask per gate once ``recurrent_dropout > 0``), the scratch cells use a single
    recurrent mask shared by all gates.
    """

    def __init__(
        self,
        units: int,
        initializer: str = "keras",
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        rebuilt: bool = False,
        **kwargs: Any,
    ) -> None:
        _check_units(units)
        _check_initializer(initializer)
        _check_rate("dropout", dropout)
        _check_rate("recurrent_dropout", recurrent_dropout)
        super().__init__(**kwargs)
        self.units = units
        self.initializer = initializer
        self.dropout = float(dropout)
        self.recurrent_dropout = float(recurrent_dropout)
        self.seed = seed
        # The weights' initialisers and the dropout's seed generator are made here, in the order the
        # matching Keras cell makes them, so that with one seed (keras.utils.set_random_seed) the three
        # implementations start from the same weights: each unseeded initialiser takes its seed from
        # Python's random when it is made, and at build time the LSTM and GRU drew theirs after the
        # generator, Keras's before it (a practitioner: an LSTM layer and the same LSTM from its
        # equations started apart). Keras's SimpleRNNCell makes its generator first; the tutorial's
        # initialisers are made before any cell (`keras_initializer_kwargs`), except in a copy
        # rebuilt from its config (the backward half of a Bidirectional: `rebuilt`), where the
        # SimpleRNNCell again makes its generator first.
        generator_first = self.KERAS_GENERATOR_FIRST and (initializer == "keras" or rebuilt)
        if generator_first:
            self.seed_generator = keras.random.SeedGenerator(seed)
        if initializer == "tutorial":
            self._kernel_init, self._recurrent_init = _tutorial_normal(), _tutorial_normal()
        else:
            self._kernel_init, self._recurrent_init = keras.initializers.GlorotUniform(), keras.initializers.Orthogonal()
        if not generator_first:
            self.seed_generator = keras.random.SeedGenerator(seed)
        self.output_size = units

    KERAS_GENERATOR_FIRST = False
    """Whether the matching Keras cell makes its dropout seed generator before its initialisers."""

    def _add_gate_weights(
        self,
        input_dim: int,
        num_gates: int,
        bias_shape: tuple[int, ...],
        keras_bias_initializer: Any = "zeros",
    ) -> None:
        """Create kernel [d, k*h], recurrent_kernel [h, k*h] and bias."""
        kernel_init, recurrent_init = self._kernel_init, self._recurrent_init
        bias_init: Any = "zeros" if self.initializer == "tutorial" else keras_bias_initializer
        self.kernel = self.add_weight(
            shape=(input_dim, num_gates * self.units),
            name="kernel",
            initializer=kernel_init,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, num_gates * self.units),
            name="recurrent_kernel",
            initializer=recurrent_init,
        )
        self.bias = self.add_weight(shape=bias_shape, name="bias", initializer=bias_init)

    def _dropped_input(self, x_t, training: bool):
        """x_t [batch, features], times the per-sequence dropout mask when training."""
        if training and self.dropout > 0.0:
            return x_t * self.get_dropout_mask(x_t)
        return x_t

    def _dropped_state(self, h_prev, training: bool):
        """h_{t-1} [batch, units], times the recurrent dropout mask when training."""
        if training and self.recurrent_dropout > 0.0:
            return h_prev * self.get_recurrent_dropout_mask(h_prev)
        return h_prev

    def call(self, inputs, states, training: bool = False):
        """One step: x_t [batch, d] and the states -> (h_t [batch, h], new states).

        The input's share of the pre-activations, x_t W_x = ``x_t @ kernel``, is computed
        here; the subclass's ``recurrent_step`` does the rest of its equations.
        """
        x_t = self._dropped_input(inputs, training)
        h_in = self._dropped_state(_previous(states), training)
        return self.recurrent_step(ops.matmul(x_t, self.kernel), states, h_in)

    def recurrent_step(self, x_proj, states, h_in=None):
        """The step from x_proj = x_t W_x [batch, k*h] (``x_t @ kernel``, no bias added yet).

        ``h_in`` is h_{t-1} as the recurrent product sees it (after recurrent dropout);
        None = the state itself. ``call(x_t, states)`` is exactly
        ``recurrent_step(x_t @ kernel, states)``; callers that have x_t W_x already
        (a whole sequence in one product, or rows of the kernel gathered for one-hot
        inputs: one_hot(ids) @ kernel == kernel[ids]) step the recurrence with this.
        """
        raise NotImplementedError

    def get_initial_state(self, batch_size: int | None = None) -> list:
        """Zero states, one [batch, size] tensor per entry of ``state_size``."""
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        return [ops.zeros((batch_size, size), dtype=self.compute_dtype) for size in sizes]

    def get_config(self) -> dict[str, Any]:
        config = {
            "units": self.units,
            "initializer": self.initializer,
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
            "rebuilt": True,  # (a copy made from this config draws as Keras's copies do: see __init__)
        }
        return {**super().get_config(), **config}


def _previous(states):
    """The first state, whether `states` is a tensor or a list of tensors."""
    return states[0] if isinstance(states, (list, tuple)) else states


@keras.saving.register_keras_serializable(package="rnnlab")
class SimpleRNNCellScratch(_ScratchCell):
    """Elman RNN cell: h_t = tanh(x_t W_xh + h_{t-1} W_hh + b_h).

    Weights: kernel = W_xh [d, h], recurrent_kernel = W_hh [h, h], bias = b_h [h]
    (same as ``keras.layers.SimpleRNNCell``). The output IS the new state.

    Call: inputs x_t [batch, d], states [h_{t-1}] with h_{t-1} [batch, h]
    -> (h_t [batch, h], [h_t]).
    """

    KERAS_GENERATOR_FIRST = True

    def __init__(self, units: int, **kwargs: Any) -> None:
        super().__init__(units, **kwargs)
        self.state_size = units

    def build(self, input_shape: Sequence[int | None]) -> None:
        self._add_gate_weights(input_shape[-1], num_gates=1, bias_shape=(self.units,))

    def recurrent_step(self, x_proj, states, h_in=None):
        h_in = _previous(states) if h_in is None else h_in
        h_t = ops.tanh(x_proj + ops.matmul(h_in, self.recurrent_kernel) + self.bias)
        return h_t, [h_t]


@keras.saving.register_keras_serializable(package="rnnlab")
class LSTMCellScratch(_ScratchCell):
    """LSTM cell written from its gate equations.

        i_t = sigmoid(x_t W_xi + h_{t-1} W_hi + b_i)      input gate
        f_t = sigmoid(x_t W_xf + h_{t-1} W_hf + b_f)      forget gate
        g_t = tanh   (x_t W_xc + h_{t-1} W_hc + b_c)      candidate memory
        o_t = sigmoid(x_t W_xo + h_{t-1} W_ho + b_o)      output gate
        c_t = f_t * c_{t-1} + i_t * g_t
        h_t = o_t * tanh(c_t)

    Weights use Keras's layout: columns of kernel [d, 4h], recurrent_kernel
    [h, 4h] and bias [4h] are the gates in the order i, f, c, o. With
    ``initializer="keras"`` the forget-gate bias starts at 1 (Keras's
    ``unit_forget_bias``); with ``"tutorial"`` every bias starts at 0.

    Call: inputs x_t [batch, d], states [h_{t-1}, c_{t-1}], each [batch, h]
    -> (h_t [batch, h], [h_t, c_t]).
    """

    def __init__(self, units: int, **kwargs: Any) -> None:
        super().__init__(units, **kwargs)
        self.state_size = [units, units]  # [h, c]

    def build(self, input_shape: Sequence[int | None]) -> None:
        units = self.units

        def forget_bias_one(shape, dtype=None):
            # zeros for i, ones for f, zeros for c and o
            return ops.concatenate(
                [ops.zeros((units,), dtype=dtype), ops.ones((units,), dtype=dtype), ops.zeros((2 * units,), dtype=dtype)]
            )

        self._add_gate_weights(
            input_shape[-1],
            num_gates=4,
            bias_shape=(4 * units,),
            keras_bias_initializer=forget_bias_one,
        )

    def recurrent_step(self, x_proj, states, h_in=None):
        h_prev, c_prev = states[0], states[1]
        h_in = h_prev if h_in is None else h_in
        # all four pre-activations at once: [batch, 4h], then one [batch, h] per gate
        z = x_proj + ops.matmul(h_in, self.recurrent_kernel) + self.bias
        z_i, z_f, z_g, z_o = ops.split(z, 4, axis=-1)
        i_t = ops.sigmoid(z_i)
        f_t = ops.sigmoid(z_f)
        g_t = ops.tanh(z_g)
        o_t = ops.sigmoid(z_o)
        c_t = f_t * c_prev + i_t * g_t
        h_t = o_t * ops.tanh(c_t)
        return h_t, [h_t, c_t]


@keras.saving.register_keras_serializable(package="rnnlab")
class GRUCellScratch(_ScratchCell):
    """GRU cell in Keras's default ``reset_after=True`` form.

        z_t = sigmoid(x_t W_xz + b_xz + h_{t-1} W_hz + b_hz)          update gate
        r_t = sigmoid(x_t W_xr + b_xr + h_{t-1} W_hr + b_hr)          reset gate
        n_t = tanh   (x_t W_xh + b_xh + r_t * (h_{t-1} W_hh + b_hh))  candidate
        h_t = z_t * h_{t-1} + (1 - z_t) * n_t

    The reset gate multiplies h_{t-1} W_hh *after* the matrix product, which is
    why there are two biases: bias [2, 3h] holds the input bias (row 0) and the
    recurrent bias (row 1). Columns of kernel [d, 3h], recurrent_kernel [h, 3h]
    and each bias row are the gates z, r, h, as in ``keras.layers.GRUCell``.

    Call: inputs x_t [batch, d], states [h_{t-1}] with h_{t-1} [batch, h]
    -> (h_t [batch, h], [h_t]).
    """

    def __init__(self, units: int, **kwargs: Any) -> None:
        super().__init__(units, **kwargs)
        self.state_size = units
        self.reset_after = True

    def build(self, input_shape: Sequence[int | None]) -> None:
        self._add_gate_weights(input_shape[-1], num_gates=3, bias_shape=(2, 3 * self.units))

    def recurrent_step(self, x_proj, states, h_in=None):
        h_prev = _previous(states)
        h_in = h_prev if h_in is None else h_in
        input_bias, recurrent_bias = self.bias[0], self.bias[1]
        x_z, x_r, x_h = ops.split(x_proj + input_bias, 3, axis=-1)
        h_z, h_r, h_h = ops.split(
            ops.matmul(h_in, self.recurrent_kernel) + recurrent_bias, 3, axis=-1
        )
        z_t = ops.sigmoid(x_z + h_z)
        r_t = ops.sigmoid(x_r + h_r)
        n_t = ops.tanh(x_h + r_t * h_h)
        h_t = z_t * h_prev + (1.0 - z_t) * n_t
        return h_t, [h_t]


@keras.saving.register_keras_serializable(package="rnnlab")
class SteppedRNN(keras.layers.RNN):
    """Run a cell over a sequence with an explicit Python ``for`` loop.

    This is the hand-unrolled loop from the TF2 tutorials::

        state = cell.get_initial_state(batch)
        for x_t in unstack(x, axis=1):          # x: [batch, steps, features]
            out, state = cell(x_t, state)       # out: [batch, units]

    Only the loop is new. Everything around it is inherited from
    ``keras.layers.RNN``: initial / ``stateful`` states and ``reset_state()``,
    dropout masks, output shapes, mask propagation, ``get_config`` /
    ``from_config`` and the ``go_backwards`` / ``return_sequences`` /
    ``return_state`` / ``input_spec`` attributes that ``keras.layers.Bidirectional``
    needs. Outputs therefore match ``keras.layers.RNN(cell)`` exactly.

    Masking (e.g. from ``Embedding(mask_zero=True)``): where the mask is False
    the step is skipped -- the states keep their previous values and the output
    repeats the previous output (zeros before the first real step, or always
    zeros with ``zero_output_for_mask=True``).

    The number of steps must be static (known when the layer is called);
    ``go_backwards=True`` walks the steps last-to-first and returns the outputs
    in that (reversed) order, as ``keras.layers.RNN`` does.

    Input: [batch, steps, features]. Output: [batch, units], or
    [batch, steps, units] with ``return_sequences=True``.
    """

    def __init__(
        self,
        cell: keras.layers.Layer,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        zero_output_for_mask: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("unroll", None)  # the Python loop is always unrolled
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            zero_output_for_mask=zero_output_for_mask,
            **kwargs,
        )
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """sequences [batch, steps, features], mask [batch, steps] or None.

        Returns (last_output [batch, units], outputs [batch, steps, units], final states).
        """
        num_steps = sequences.shape[1]
        if num_steps is None:
            raise ValueError(
                "SteppedRNN needs a static number of steps to loop over in Python, "
                f"but got inputs of shape {tuple(sequences.shape)}. Give the model "
                "input a fixed length, e.g. keras.Input(shape=(steps, features))."
            )
        cell_kwargs = {"training": training} if self.cell._call_has_training_arg else {}
        inputs_per_step = ops.unstack(sequences, num=num_steps, axis=1)  # steps x [batch, features]
        mask_per_step = (
            ops.unstack(ops.cast(mask, "bool"), num=num_steps, axis=1)
            if mask is not None
            else [None] * num_steps
        )
        time_order = range(num_steps - 1, -1, -1) if self.go_backwards else range(num_steps)

        states = list(initial_state)
        outputs = []
        for t in time_order:
            output, new_states = self.cell(inputs_per_step[t], states, **cell_kwargs)
            if not isinstance(new_states, (list, tuple)):
                new_states = [new_states]
            if mask_per_step[t] is not None:
                keep = ops.expand_dims(mask_per_step[t], axis=-1)  # [batch, 1]
                if self.zero_output_for_mask or not outputs:
                    skipped_output = ops.zeros_like(output)
                else:
                    skipped_output = outputs[-1]
                output = ops.where(keep, output, skipped_output)
                new_states = _keep_where(keep, new_states, states)
            states = list(new_states)
            outputs.append(output)

        return outputs[-1], ops.stack(outputs, axis=1), states


def _keep_where(keep, new_states, old_states):
    """Per sample: the new state where `keep` is True, else the old one (any nesting)."""
    flat_new = keras.tree.flatten(new_states)
    flat_old = keras.tree.flatten(old_states)
    flat = [ops.where(keep, new, old) for new, old in zip(flat_new, flat_old)]
    return keras.tree.pack_sequence_as(new_states, flat)


_KERAS_CELLS = {
    "simple_rnn": keras.layers.SimpleRNNCell,
    "lstm": keras.layers.LSTMCell,
    "gru": keras.layers.GRUCell,
}
_SCRATCH_CELLS = {
    "simple_rnn": SimpleRNNCellScratch,
    "lstm": LSTMCellScratch,
    "gru": GRUCellScratch,
}


def make_cell(
    kind: str,
    units: int,
    implementation: str = "scratch",
    initializer: str = "keras",
    dropout: float = 0.0,
    recurrent_dropout: float = 0.0,
    seed: int | None = None,
    **kwargs: Any,
) -> keras.layers.Layer:
    """Build one recurrent cell.

    kind: "simple_rnn" | "lstm" | "gru".
    implementation: "keras_cell" (keras.layers.SimpleRNNCell / LSTMCell / GRUCell)
        or "scratch" (SimpleRNNCellScratch / LSTMCellScratch / GRUCellScratch).
    initializer: "keras" (Keras defaults) or "tutorial" (N(0, 0.01^2), zero biases).
    Extra kwargs (e.g. ``name``) go to the cell constructor.

    The cell maps x_t [batch, features] and its states to h_t [batch, units];
    run it over [batch, steps, features] with keras.layers.RNN or SteppedRNN.
    """
    if kind not in CELL_KINDS:
        raise ValueError(f"Unknown cell kind {kind!r}; expected one of {CELL_KINDS}.")
    if implementation not in CELL_IMPLEMENTATIONS:
        raise ValueError(
            f"Unknown cell implementation {implementation!r}; "
            f"expected one of {CELL_IMPLEMENTATIONS}."
        )
    _check_units(units)
    _check_rate("dropout", dropout)
    _check_rate("recurrent_dropout", recurrent_dropout)
    if implementation == "scratch":
        return _SCRATCH_CELLS[kind](
            units,
            initializer=initializer,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            **kwargs,
        )
    return _KERAS_CELLS[kind](
        units,
        dropout=dropout,
        recurrent_dropout=recurrent_dropout,
        seed=seed,
        **keras_initializer_kwargs(kind, initializer),
        **kwargs,
    )


__all__ = [
    "CELL_IMPLEMENTATIONS",
    "CELL_KINDS",
    "GRUCellScratch",
    "INITIALIZERS",
    "LSTMCellScratch",
    "SimpleRNNCellScratch",
    "SteppedRNN",
    "keras_initializer_kwargs",
    "make_cell",
]
