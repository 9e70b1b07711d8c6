"""Looking inside recurrent networks: how much gradient reaches each time step.

Backpropagation through time (BPTT) sends d loss / d h_t back from the loss
through every earlier hidden state. In a plain RNN each step back multiplies it
by the recurrent matrix and by tanh' (at most 1), so it usually shrinks
geometrically: a SimpleRNN learns little about inputs more than ~10 steps
before the loss. LSTM and GRU add an (almost) additive path through their
memory and keep far more of it. This module measures that, exactly, with
autodiff:

- ``gradient_norms_through_time``: a fresh, seeded, untrained cell on random
  input, a loss on the LAST step only; returns |d loss / d h_t| for every t.
- ``gradient_flow_table``: the same for several cells, as one long table (the
  single source of the Training page's "gradient flow through time" figure).
- ``gradient_flow_for_model``: the same measurement for a (trained) model built
  by ``core.models``, with the model's own loss on real (x, y).

How it works: the cell is stepped by an explicit Python loop under
``tf.GradientTape`` (as the TF2 tutorials unroll ``SimpleRNNCell``), so every
h_t is a tensor of its own and ``tape.gradient(loss, [h_0, ..., h_{T-1}])``
returns d loss / d h_t. h_t is the cell's output at step t, which is also the
hidden state it hands to step t + 1 (for the LSTM: h_t, not the memory c_t).
The gradient with respect to h_t therefore collects every path from h_t to the
loss: through later steps and, in a language model, through the output at t.

Norms are taken per sequence (the 2-norm over the units) and then averaged
over the batch.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import keras
import numpy as np
import pandas as pd
import tensorflow as tf
from keras import ops
from keras.src.backend import set_keras_mask  # not exported by Keras 3.15; see model_state_gradients

from core.cells import CELL_KINDS, INITIALIZERS, TUTORIAL_STDDEV, make_cell
from core.gates import CELL_GATES

GRADIENT_FLOW_COLUMNS = ["cell", "step", "distance_from_loss", "grad_norm", "relative"]
DEFAULT_FLOW_CELLS: tuple[str, ...] = ("simple_rnn", "gru", "lstm")


# --------------------------------------------------------------------------- the explicit loop


def _as_list(states: Any) -> list:
    return list(states) if isinstance(states, (list, tuple)) else [states]


def _unroll(
    cell: keras.layers.Layer,
    sequences,
    initial_states: Sequence,
    mask=None,
    go_backwards: bool = False,
    zero_output_for_mask: bool = False,
    perturbations=None,
    tape: tf.GradientTape | None = None,
) -> tuple[list, list, list]:
    """Step ``cell`` over ``sequences`` [batch, steps, features] with a Python loop.

    Returns ``(nodes, outputs, states)``:

    - ``nodes[t]`` [batch, units]: h_t, the cell's fresh output at input position
      t (time order, whatever the direction). It is also the first state handed
      to the next step, so d loss / d nodes[t] is the full d loss / d h_t.
      ``perturbations[t]`` (if given) is added to it first, for finite differences.
    - ``outputs``: what a ``keras.layers.RNN`` emits, in processing order
      (reversed for ``go_backwards``), after masking.
    - ``states``: the final states.

    Masking follows ``keras.layers.RNN`` / ``SteppedRNN``: where the mask is False
    the states keep their old values and the output repeats the previous output
    (zeros with ``zero_output_for_mask``), so h_t of a padded step is discarded
    and gets zero gradient.
    """
    num_steps = sequences.shape[1]
    if num_steps is None:
        raise ValueError("The number of time steps must be known to step the cell in a Python loop.")
    cell_kwargs = {"training": False} if getattr(cell, "_call_has_training_arg", False) else {}
    inputs_per_step = tf.unstack(sequences, num=num_steps, axis=1)
    mask_per_step = (
        tf.unstack(tf.cast(mask, "bool"), num=num_steps, axis=1) if mask is not None else None
    )
    order = range(num_steps - 1, -1, -1) if go_backwards else range(num_steps)
    states = list(initial_states)
    nodes: list = [None] * num_steps
    outputs: list = []
    for t in order:
        output, new_states = cell(inputs_per_step[t], states, **cell_kwargs)
        new_states = _as_list(new_states)
        if perturbations is not None:
            output = output + perturbations[t]
        if tape is not None:
            tape.watch(output)
        # Keras convention for SimpleRNN / LSTM / GRU cells: the first state IS the
        # output h_t. Re-using the one tensor makes it the single node for h_t.
        new_states[0] = output
        nodes[t] = output
        if mask_per_step is not None:
            keep = tf.expand_dims(mask_per_step[t], axis=-1)  # [batch, 1]
            fallback = tf.zeros_like(output) if zero_output_for_mask or not outputs else outputs[-1]
            output = tf.where(keep, output, fallback)
            new_states = [tf.where(keep, new, old) for new, old in zip(new_states, states)]
        states = new_states
        outputs.append(output)
    return nodes, outputs, states


# --------------------------------------------------------------------------- a seeded, untrained cell


def _keras_like_weights(shape: tuple[int, int], kind: str, rng: np.random.Generator) -> np.ndarray:
    """Keras's glorot_uniform ("kernel") / orthogonal ("recurrent") drawn from numpy."""
    rows, cols = shape
    if kind == "kernel":
        limit = np.sqrt(6.0 / (rows + cols))
        return rng.uniform(-limit, limit, size=shape)
    # orthogonal, as keras.initializers.Orthogonal: QR of a normal matrix, sign-fixed
    flat = (max(rows, cols), min(rows, cols))
    q, r = np.linalg.qr(rng.standard_normal(flat))
    q = q * np.sign(np.diag(r))
    return q.T if rows < cols else q


def _seed_cell_weights(cell: keras.layers.Layer, kind: str, initializer: str, seed: int) -> None:
    """Set every weight of a fresh scratch cell from numpy's seeded generator.

    Same distributions as ``initializer`` ("keras": glorot_uniform kernel,
    orthogonal recurrent kernel, zero biases but the LSTM's forget-gate bias 1;
    "tutorial": N(0, 0.01^2) kernels, zero biases), but reproducible for a seed
    whatever Keras's global seed is, and the same numbers in float32 and float64.
    """
    rng = np.random.default_rng([seed, 1])
    units, gates = cell.units, len(CELL_GATES[kind])
    input_dim = cell.kernel.shape[0]
    for name, shape in (("kernel", (input_dim, gates * units)), ("recurrent_kernel", (units, gates * units))):
        if initializer == "tutorial":
            values = rng.normal(0.0, TUTORIAL_STDDEV, size=shape)
        else:
            values = _keras_like_weights(shape, name, rng)
        getattr(cell, name).assign(values.astype(cell.variable_dtype))
    bias = np.zeros(cell.bias.shape)
    if kind == "lstm" and initializer == "keras":
        bias[units : 2 * units] = 1.0  # gates i, f, c, o: unit_forget_bias
    cell.bias.assign(bias.astype(cell.variable_dtype))


@dataclass
class GradientProbe:
    """A recurrent cell, a random input and a last-step loss, ready for BPTT measurements.

    cell: a built recurrent cell (Keras or scratch), stepped by ``_unroll``.
    inputs: [batch, steps, input_dim], standard normal.
    readout: [units], a fixed random unit vector v. The loss is
        L = sum over the batch of h_{T-1} . v, so d L / d h_{T-1} = v for every
        sequence (norm exactly 1) and every earlier gradient is in units of that.
    """

    cell: keras.layers.Layer
    inputs: tf.Tensor
    readout: tf.Tensor

    @property
    def steps(self) -> int:
        return int(self.inputs.shape[1])

    def _zero_states(self) -> list:
        batch = int(self.inputs.shape[0])
        sizes = self.cell.state_size if isinstance(self.cell.state_size, (list, tuple)) else [self.cell.state_size]
        return [tf.zeros((batch, size), dtype=self.inputs.dtype) for size in sizes]

    def _loss(self, last) -> tf.Tensor:
        """L = sum over the batch of h_{T-1} . v."""
        return tf.reduce_sum(tf.linalg.matvec(last, self.readout))

    def loss(self, perturbations: np.ndarray | None = None) -> float:
        """L for the probe, with ``perturbations`` [steps, batch, units] added to each h_t.

        d L / d perturbations[t] = d L / d h_t: the finite-difference view of
        ``state_gradients``.
        """
        if perturbations is not None:
            perturbations = tf.constant(perturbations, dtype=self.inputs.dtype)
        nodes, _, _ = _unroll(self.cell, self.inputs, self._zero_states(), perturbations=perturbations)
        return float(self._loss(nodes[-1]).numpy())

    def state_gradients(self) -> np.ndarray:
        """d L / d h_t for every t: [steps, batch, units] (autodiff through the explicit loop)."""
        with tf.GradientTape() as tape:
            nodes, _, _ = _unroll(self.cell, self.inputs, self._zero_states(), tape=tape)
            loss = self._loss(nodes[-1])
        grads = tape.gradient(loss, nodes, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return np.stack([g.numpy() for g in grads])

    def norms(self) -> np.ndarray:
        """|d L / d h_t| per sequence, averaged over the batch: [steps] (float64)."""
        return _batch_mean_norms(self.state_gradients())


def _batch_mean_norms(grads: np.ndarray) -> np.ndarray:
    """[steps, batch, features] -> [steps]: the 2-norm over features, averaged over the batch."""
    return np.linalg.norm(grads.astype("float64"), axis=-1).mean(axis=-1)


def make_probe(
    cell: str | keras.layers.Layer,
    units: int,
    steps: int,
    input_dim: int,
    batch: int = 16,
    seed: int = 0,
    initializer: str = "keras",
    dtype: str = "float64",
) -> GradientProbe:
    """A ``GradientProbe``: seeded random input, readout and (for a cell name) weights.

    cell: "simple_rnn" | "lstm" | "gru" for a fresh scratch cell whose weights
        are drawn from ``seed`` with ``initializer`` ("keras" or "tutorial").
        An existing cell (``keras.layers.LSTMCell``, a scratch cell, ...) or
        recurrent layer (``keras.layers.LSTM``, ``keras.layers.RNN(cell)``,
        ``SteppedRNN``; its ``.cell`` is used) is taken as it is, weights and
        all; ``units`` must then match it and ``initializer`` is ignored.
    dtype: "float64" (default) keeps very small gradients from underflowing
        (float32 flushes anything below ~1e-38 to 0, which the tutorial
        initialiser reaches after ~35 steps) and makes finite differences
        precise; "float32" is what the models train in.
    """
    for name, value in (("units", units), ("steps", steps), ("input_dim", input_dim), ("batch", batch)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
    if initializer not in INITIALIZERS:
        raise ValueError(f"Unknown initializer {initializer!r}: choose one of {list(INITIALIZERS)}.")
    if isinstance(cell, str):
        if cell not in CELL_KINDS:
            raise ValueError(f"Unknown cell {cell!r}: choose one of {list(CELL_KINDS)}.")
        # LSTMCellScratch's forget-bias initialiser always makes float32 (core/cells.py),
        # which fails in a float64 cell; every weight is overwritten below anyway.
        build_init = "tutorial" if cell == "lstm" and dtype != "float32" else initializer
        layer = make_cell(cell, int(units), "scratch", initializer=build_init, dtype=dtype)
        layer.build((None, int(input_dim)))
        layer.initializer = initializer
        _seed_cell_weights(layer, cell, initializer, seed)
    else:
        layer = getattr(cell, "cell", cell)  # an RNN layer -> its cell
        if isinstance(cell, keras.layers.Bidirectional):
            raise ValueError("Pass one direction (layer.forward_layer), not a Bidirectional layer.")
        if not layer.built:
            layer.build((None, int(input_dim)))
        if layer.units != units:
            raise ValueError(f"The cell has {layer.units} units but units={units} was asked for.")
        dtype = layer.compute_dtype
    rng = np.random.default_rng([seed, 0])
    inputs = rng.standard_normal((batch, steps, input_dim))
    readout = rng.standard_normal(units)
    readout /= np.linalg.norm(readout)
    return GradientProbe(
        cell=layer,
        inputs=tf.constant(inputs, dtype=dtype),
        readout=tf.constant(readout, dtype=dtype),
    )


def gradient_norms_through_time(
    cell: str | keras.layers.Layer,
    units: int,
    steps: int,
    input_dim: int,
    batch: int = 16,
    seed: int = 0,
    initializer: str = "keras",
    loss_at: str = "last",
    dtype: str = "float64",
) -> np.ndarray:
    """|d loss / d h_t| for t = 0 .. steps-1, averaged over the batch: [steps] float64.

    A fresh cell ("simple_rnn" | "lstm" | "gru", weights from ``seed`` and
    ``initializer``; or an existing cell / recurrent layer, see ``make_probe``)
    reads a seeded standard-normal input [batch, steps, input_dim]; the loss is
    h_{T-1} . v for a fixed random unit vector v, summed over the batch. So the
    last entry is exactly 1 and entry t is how much of that gradient survives
    steps-1-t steps of backpropagation through time. Computed in ``dtype``
    (float64 by default, so deep vanishing stays visible instead of underflowing
    to 0; see ``make_probe``).
    """
    if loss_at != "last":
        raise ValueError(f"loss_at must be 'last' (the loss is on the last step only), got {loss_at!r}.")
    return make_probe(cell, units, steps, input_dim, batch, seed, initializer, dtype).norms()


def gradient_flow_table(
    cells: Sequence[str] = DEFAULT_FLOW_CELLS,
    units: int = 64,
    steps: int = 50,
    input_dim: int = 32,
    batch: int = 16,
    seed: int = 0,
    initializer: str = "keras",
    dtype: str = "float64",
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """``gradient_norms_through_time`` for each cell, in long format.

    Columns: cell, step (t, 0-based), distance_from_loss (steps-1-t, in time
    steps), grad_norm (|d loss / d h_t|, batch mean), relative (grad_norm divided
    by grad_norm at the last step, so 1 at distance 0). ``steps`` rows per cell,
    cells in the order given, steps in time order. ``progress(done, total)`` is called
    before each cell (done = cells finished).
    """
    frames = []
    for done, kind in enumerate(cells):
        if progress is not None:
            progress(done, len(cells))
        norms = gradient_norms_through_time(kind, units, steps, input_dim, batch, seed, initializer, dtype=dtype)
        t = np.arange(steps)
        frames.append(
            pd.DataFrame(
                {
                    "cell": kind,
                    "step": t,
                    "distance_from_loss": steps - 1 - t,
                    "grad_norm": norms,
                    "relative": norms / norms[-1],
                }
            )
        )
    return pd.concat(frames, ignore_index=True)[GRADIENT_FLOW_COLUMNS]


# --------------------------------------------------------------------------- a model from core.models


def _first_recurrent_layer(model: keras.Model) -> keras.layers.Layer:
    for layer in model.layers:
        if isinstance(layer, (keras.layers.RNN, keras.layers.Bidirectional)):
            return layer
    raise ValueError(f"Model {model.name!r} has no recurrent layer.")


def _initial_states(layer: keras.layers.RNN, batch: int) -> list:
    if layer.stateful and layer.states is not None:
        return [tf.identity(v.value) for v in keras.tree.flatten(layer.states)]
    return list(layer.get_initial_state(batch))


def _run_layer_explicitly(layer: keras.layers.Layer, sequences, mask, tape: tf.GradientTape):
    """What ``layer(sequences, mask=mask)`` returns, computed by ``_unroll``.

    Returns ``(output, nodes)`` where ``nodes`` is one list of h_t per direction.
    """
    if isinstance(layer, keras.layers.Bidirectional):
        if layer.merge_mode != "concat" or layer.return_state:
            raise ValueError("Only Bidirectional(merge_mode='concat') without return_state is supported.")
        directions = [layer.forward_layer, layer.backward_layer]
    else:
        directions = [layer]
    batch = int(sequences.shape[0])
    all_nodes, results = [], []
    for rnn in directions:
        if rnn.return_state:
            raise ValueError("Recurrent layers with return_state=True are not supported.")
        nodes, outputs, _ = _unroll(
            rnn.cell,
            sequences,
            _initial_states(rnn, batch),
            mask=mask,
            go_backwards=rnn.go_backwards,
            zero_output_for_mask=rnn.zero_output_for_mask,
            tape=tape,
        )
        all_nodes.append(nodes)
        results.append(tf.stack(outputs, axis=1) if rnn.return_sequences else outputs[-1])
    if len(results) == 1:
        return results[0], all_nodes
    forward, backward = results
    if layer.return_sequences:
        backward = tf.reverse(backward, axis=[1])  # processing order -> time order
    return tf.concat([forward, backward], axis=-1), all_nodes


def _loss_function(model: keras.Model, loss: Any) -> Callable:
    """(y, y_pred) -> scalar: ``loss`` if given, else the compiled loss, else the task's usual loss."""
    if loss is not None:
        fn = keras.losses.get(loss) if isinstance(loss, str) else loss
        return lambda y, y_pred: ops.mean(fn(y, y_pred))
    if getattr(model, "_compile_loss", None) is not None:
        return lambda y, y_pred: model.compute_loss(y=y, y_pred=y_pred, training=False)
    if len(model.output.shape) == 3:  # language model: next-token logits
        fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    else:  # classifier: P(positive)
        fn = keras.losses.BinaryCrossentropy()
    return fn


def _stateful_snapshot(model: keras.Model) -> list[tuple[Any, np.ndarray]]:
    pairs = []
    for layer in model.layers:
        inner = [layer.forward_layer, layer.backward_layer] if isinstance(layer, keras.layers.Bidirectional) else [layer]
        for rnn in inner:
            if getattr(rnn, "stateful", False) and getattr(rnn, "states", None) is not None:
                pairs.extend((v, v.numpy()) for v in keras.tree.flatten(rnn.states))
    return pairs


def model_state_gradients(
    model: keras.Model, x: np.ndarray, y: np.ndarray, loss: Any = None
) -> tuple[float, np.ndarray]:
    """(loss value, d loss / d h_t of the first recurrent layer [steps, batch, features]).

    The model runs through its own graph (same layers, weights, masks), except
    that its first recurrent layer is replaced by the same cell stepped in a
    Python loop, so each h_t is a tensor the tape can differentiate against.
    For a Bidirectional layer, features = 2 * units: the forward h_t next to the
    backward h_t of the same position. Dropout is off (inference mode).
    """
    target = _first_recurrent_layer(model)
    loss_fn = _loss_function(model, loss)
    x = tf.convert_to_tensor(x)
    y = tf.convert_to_tensor(y)
    captured: dict[str, Any] = {}

    with tf.GradientTape() as tape:

        def run_target(sequences, initial_state=None, mask=None, training=None, **_):
            if initial_state is not None:
                raise ValueError("A first recurrent layer called with an explicit initial_state is not supported.")
            output, nodes = _run_layer_explicitly(target, sequences, mask, tape)
            captured["nodes"] = nodes
            # Layer.__call__ would attach the output mask; later layers (and a
            # Keras loss on a masked y_pred) read it from the tensor.
            out_mask = target.compute_mask(sequences, mask)
            if out_mask is not None:
                set_keras_mask(output, out_mask)
            return output

        def operation_fn(op):
            if op is target:
                return run_target

            def call(*args, **kwargs):
                if "training" in getattr(op, "_call_context_args", {}):
                    kwargs["training"] = False
                return op(*args, **kwargs)

            return call

        snapshot = _stateful_snapshot(model)
        try:
            # Keras 3.15's Functional graph runner (private): runs every layer's
            # node as model(x) would, with masks, but lets us swap one layer.
            y_pred = model._run_through_graph([x], operation_fn=operation_fn)
        finally:
            for variable, value in snapshot:  # later stateful layers must not move on
                variable.assign(value)
        loss_value = loss_fn(y, y_pred)

    directions = captured["nodes"]
    flat = [node for nodes in directions for node in nodes]
    grads = tape.gradient(loss_value, flat, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    steps = len(directions[0])
    per_direction = [np.stack([g.numpy() for g in grads[i * steps : (i + 1) * steps]]) for i in range(len(directions))]
    return float(loss_value.numpy()), np.concatenate(per_direction, axis=-1)


def gradient_flow_for_model(
    model: keras.Model, x: np.ndarray, y: np.ndarray, loss: Any = None
) -> np.ndarray:
    """|d loss / d h_t| of the model's first recurrent layer, averaged over the batch: [steps].

    model: a language model or sentiment classifier from ``core.models`` (any
        cell, implementation, number of layers; trained or not).
    x, y: one batch of token ids [batch, steps] and its targets, as for
        ``model.fit`` (next ids [batch, steps] / labels [batch] or [batch, 1]).
    loss: the loss to differentiate; default the model's compiled loss, else
        sparse categorical cross-entropy on logits (language model) or binary
        cross-entropy (classifier).

    Limits: only the first recurrent layer is probed; h_t is its output at input
    position t (for Bidirectional, both directions together, and the backward
    direction is closest to a classifier's loss at t = 0); steps masked as
    padding get exactly 0; inference mode (no dropout); a stateful model starts
    from its carried state and no state is changed. In a language model the loss
    sits on every step, so the curve mixes short and long distances; the clean
    "distance from the loss" view is ``gradient_flow_table``.
    """
    _, grads = model_state_gradients(model, x, y, loss)
    return _batch_mean_norms(grads)


def word_vector_layer(model: keras.Model) -> keras.layers.Embedding | None:
    """The model's first layer when it is a Keras Embedding (a table of word vectors), else None
    (a one-hot model)."""
    layer = next((x for x in model.layers if not isinstance(x, keras.layers.InputLayer)), None)
    return layer if isinstance(layer, keras.layers.Embedding) else None


def embedding_gradient_x_input(model: keras.Model, ids: np.ndarray) -> np.ndarray:
    """Gradient x input on the word vectors: for each position t, e_t . d output / d e_t. ``[batch, steps]``.

    e_t is the Embedding layer's output at position t (the token's vector) and the output is
    the model's single output unit (P(positive) for a sentiment classifier). The sum over the
    vector's d components is the first-order change of the output if that vector were scaled
    down to zero, i.e. how much the prediction leans on that token through its vector. The
    model runs through its own graph (masks included, dropout off), compiled once per model
    (a tf.function: the eager run of a 200-step BiLSTM took 1.6 s); padding gets exactly 0.
    A model whose first layer is not a Keras Embedding (one-hot input) raises ValueError.
    """
    layer = word_vector_layer(model)
    if layer is None:
        raise ValueError(f"Model {model.name!r} does not start with an Embedding layer.")
    compiled = _GRADIENT_X_INPUT.get(model)
    if compiled is None:
        compiled = _GRADIENT_X_INPUT[model] = _gradient_x_input_function(model, layer)
    ids = np.asarray(ids, dtype=np.int32)
    snapshot = _stateful_snapshot(model)
    try:
        values = compiled(tf.convert_to_tensor(ids)).numpy()
    finally:
        for variable, value in snapshot:  # a stateful model must not move on
            variable.assign(value)
    if layer.mask_zero:
        values = np.where(ids == 0, 0.0, values)
    return values.astype(np.float32)


_GRADIENT_X_INPUT: "weakref.WeakKeyDictionary[keras.Model, Callable]" = weakref.WeakKeyDictionary()


def _gradient_x_input_function(model: keras.Model, layer: keras.layers.Embedding) -> Callable:
    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.int32)], reduce_retracing=True)
    def gradient_x_input(ids):
        captured = {}
        with tf.GradientTape() as tape:

            def operation_fn(op):
                def call(*args, **kwargs):
                    if "training" in getattr(op, "_call_context_args", {}):
                        kwargs["training"] = False
                    out = op(*args, **kwargs)
                    if op is layer:  # Layer.__call__ has attached the padding mask to `out`
                        tape.watch(out)
                        captured["vectors"] = out
                    return out

                return call

            # Keras 3.15's Functional graph runner (private), as in model_state_gradients
            output = model._run_through_graph([ids], operation_fn=operation_fn)
            total = tf.reduce_sum(tf.cast(output, tf.float32))  # rows are independent: d sum / d e = d row / d e
        vectors = captured["vectors"]
        grads = tape.gradient(total, vectors, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return tf.reduce_sum(tf.cast(grads, tf.float32) * tf.cast(vectors, tf.float32), axis=-1)

    return gradient_x_input


__all__ = [
    "DEFAULT_FLOW_CELLS",
    "GRADIENT_FLOW_COLUMNS",
    "GradientProbe",
    "embedding_gradient_x_input",
    "word_vector_layer",
    "gradient_flow_for_model",
    "gradient_flow_table",
    "gradient_norms_through_time",
    "make_probe",
    "model_state_gradients",
]
