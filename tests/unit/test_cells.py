"""The scratch cells compute what Keras's cells compute, and SteppedRNN loops like keras.layers.RNN."""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest
import tensorflow as tf

from core.cells import (
    CELL_KINDS,
    GRUCellScratch,
    LSTMCellScratch,
    SimpleRNNCellScratch,
    SteppedRNN,
    make_cell,
)

BATCH, STEPS, FEATURES, UNITS = 3, 6, 5, 4
TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}


def _sequence(seed: int = 0) -> np.ndarray:
    """[batch, steps, features] float32."""
    return np.random.RandomState(seed).normal(size=(BATCH, STEPS, FEATURES)).astype("float32")


def _mask(padding: str | None) -> np.ndarray | None:
    """[batch, steps] bool: row 0 full, row 1 short, row 2 one real step."""
    if padding is None:
        return None
    lengths = [STEPS, 3, 1]
    mask = np.zeros((BATCH, STEPS), dtype=bool)
    for row, length in enumerate(lengths):
        if padding == "right":
            mask[row, :length] = True
        else:
            mask[row, STEPS - length :] = True
    return mask


def _twin_rnns(kind: str, **rnn_kwargs):
    """keras.layers.RNN over a Keras cell and over our scratch cell, with identical weights."""
    keras_rnn = keras.layers.RNN(make_cell(kind, UNITS, "keras_cell"), **rnn_kwargs)
    scratch_rnn = keras.layers.RNN(make_cell(kind, UNITS, "scratch"), **rnn_kwargs)
    x = _sequence()
    keras_rnn(x)
    scratch_rnn(x)
    scratch_rnn.cell.set_weights(keras_rnn.cell.get_weights())
    return keras_rnn, scratch_rnn


@pytest.mark.parametrize("kind", CELL_KINDS)
def test_scratch_weights_are_named_and_shaped_like_keras(kind):
    keras_rnn, scratch_rnn = _twin_rnns(kind)
    assert [w.name for w in scratch_rnn.cell.weights] == [w.name for w in keras_rnn.cell.weights]
    assert [tuple(w.shape) for w in scratch_rnn.cell.weights] == [
        tuple(w.shape) for w in keras_rnn.cell.weights
    ]
    assert scratch_rnn.cell.state_size == keras_rnn.cell.state_size


@pytest.mark.parametrize("kind", CELL_KINDS)
def test_scratch_cell_matches_keras_outputs_and_gradients(kind):
    keras_rnn, scratch_rnn = _twin_rnns(kind, return_sequences=True, return_state=True)
    x = tf.constant(_sequence(1))
    projection = tf.constant(np.random.RandomState(2).normal(size=(UNITS,)).astype("float32"))

    def outputs_and_gradients(rnn):
        with tf.GradientTape() as tape:
            tape.watch(x)
            sequence, *final_states = rnn(x)
            loss = tf.reduce_sum(sequence * projection) + sum(
                tf.reduce_sum(tf.square(s)) for s in final_states
            )
        weights = rnn.cell.trainable_weights
        gradients = tape.gradient(loss, [x] + weights)
        return [sequence, *final_states], gradients

    keras_outputs, keras_gradients = outputs_and_gradients(keras_rnn)
    scratch_outputs, scratch_gradients = outputs_and_gradients(scratch_rnn)
    assert len(keras_outputs) == len(scratch_outputs)
    for expected, actual in zip(keras_outputs, scratch_outputs):
        np.testing.assert_allclose(actual, expected, **TOLERANCE)
    assert len(keras_gradients) == len(scratch_gradients) == 4  # x, kernel, recurrent, bias
    for expected, actual in zip(keras_gradients, scratch_gradients):
        assert np.abs(expected).max() > 0
        np.testing.assert_allclose(actual, expected, **TOLERANCE)


@pytest.mark.parametrize(
    "kind, recurrent_dropout",
    # Keras's LSTM/GRU switch to one recurrent mask per gate when
    # recurrent_dropout > 0 (ours share one), so only SimpleRNN matches there.
    [("simple_rnn", 0.3), ("lstm", 0.0), ("gru", 0.0)],
)
def test_scratch_dropout_matches_keras_in_training(kind, recurrent_dropout):
    rates = {"dropout": 0.4, "recurrent_dropout": recurrent_dropout, "seed": 7}
    keras_rnn = keras.layers.RNN(make_cell(kind, UNITS, "keras_cell", **rates))
    scratch_rnn = keras.layers.RNN(make_cell(kind, UNITS, "scratch", **rates))
    x = _sequence()
    keras_rnn(x)
    scratch_rnn(x)
    scratch_rnn.cell.set_weights(keras_rnn.cell.get_weights())
    trained = scratch_rnn(x, training=True)
    np.testing.assert_allclose(trained, keras_rnn(x, training=True), **TOLERANCE)
    assert not np.allclose(trained, scratch_rnn(x, training=False))  # dropout was active
    np.testing.assert_allclose(scratch_rnn(x), keras_rnn(x), **TOLERANCE)  # inference: no dropout


def test_scratch_recurrent_dropout_runs_for_gated_cells():
    for kind in ("lstm", "gru"):
        rnn = keras.layers.RNN(make_cell(kind, UNITS, "scratch", recurrent_dropout=0.5, seed=1))
        x = _sequence()
        assert not np.allclose(rnn(x, training=True), rnn(x, training=False))


def test_tutorial_initializer_is_small_normal_with_zero_biases():
    x = np.zeros((64, 2, 40), dtype="float32")
    for kind in CELL_KINDS:
        cell = make_cell(kind, 32, "scratch", initializer="tutorial")
        keras.layers.RNN(cell)(x)
        assert 0.007 < np.std(cell.kernel.numpy()) < 0.013
        assert 0.007 < np.std(cell.recurrent_kernel.numpy()) < 0.013
        np.testing.assert_array_equal(cell.bias.numpy(), 0.0)


def test_keras_initializer_gives_lstm_forget_bias_one():
    cell = make_cell("lstm", 3, "scratch")
    keras.layers.RNN(cell)(_sequence())
    np.testing.assert_array_equal(cell.bias.numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])


def test_make_cell_types_and_errors():
    assert isinstance(make_cell("simple_rnn", 2, "scratch"), SimpleRNNCellScratch)
    assert isinstance(make_cell("lstm", 2, "scratch"), LSTMCellScratch)
    assert isinstance(make_cell("gru", 2, "scratch"), GRUCellScratch)
    assert isinstance(make_cell("lstm", 2, "keras_cell"), keras.layers.LSTMCell)
    with pytest.raises(ValueError, match="Unknown cell kind"):
        make_cell("transformer", 2, "scratch")
    with pytest.raises(ValueError, match="implementation"):
        make_cell("lstm", 2, "layer")
    with pytest.raises(ValueError, match="units"):
        LSTMCellScratch(0)
    with pytest.raises(ValueError, match="dropout"):
        GRUCellScratch(4, dropout=1.0)
    with pytest.raises(ValueError, match="initializer"):
        SimpleRNNCellScratch(4, initializer="he")


@pytest.mark.parametrize("kind", CELL_KINDS)
@pytest.mark.parametrize("padding", [None, "right", "left"])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_stepped_rnn_matches_keras_rnn(kind, padding, return_sequences, go_backwards):
    options = {
        "return_sequences": return_sequences,
        "return_state": True,
        "go_backwards": go_backwards,
    }
    cell = make_cell(kind, UNITS, "keras_cell")
    reference = keras.layers.RNN(cell, **options)
    stepped = SteppedRNN(cell, **options)  # the same cell object: the same weights
    x, mask = _sequence(), _mask(padding)
    expected = reference(x, mask=mask)
    actual = stepped(x, mask=mask)
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, **TOLERANCE)


def test_stepped_rnn_masked_step_keeps_state():
    cell = make_cell("gru", UNITS, "keras_cell")
    stepped = SteppedRNN(cell, return_sequences=True)
    x, mask = _sequence(), _mask("right")
    outputs = stepped(x, mask=mask).numpy()
    short_row_length = 3
    for t in range(short_row_length, STEPS):  # padded steps repeat the last real output
        np.testing.assert_array_equal(outputs[1, t], outputs[1, short_row_length - 1])


def test_stepped_rnn_needs_static_steps():
    stepped = SteppedRNN(make_cell("lstm", UNITS, "keras_cell"))
    traced = tf.function(stepped, input_signature=[tf.TensorSpec((None, None, FEATURES))])
    with pytest.raises(ValueError, match="static number of steps"):
        traced.get_concrete_function()


@pytest.mark.parametrize("padding", [None, "right"])
def test_bidirectional_stepped_rnn_matches_bidirectional_rnn(padding):
    x, mask = _sequence(), _mask(padding)
    reference = keras.layers.Bidirectional(
        keras.layers.RNN(make_cell("lstm", UNITS, "keras_cell"), return_sequences=True)
    )
    stepped = keras.layers.Bidirectional(
        SteppedRNN(make_cell("lstm", UNITS, "keras_cell"), return_sequences=True)
    )
    assert stepped.backward_layer.go_backwards and isinstance(stepped.backward_layer, SteppedRNN)
    reference(x)
    stepped(x)
    stepped.set_weights(reference.get_weights())
    actual = stepped(x, mask=mask)
    assert actual.shape == (BATCH, STEPS, 2 * UNITS)
    np.testing.assert_allclose(actual, reference(x, mask=mask), **TOLERANCE)


def test_stateful_stepped_rnn_carries_and_resets_state():
    x = _sequence()
    stepped = SteppedRNN(make_cell("simple_rnn", UNITS, "scratch"), stateful=True)
    stepped.build(x.shape)
    first = stepped(x).numpy()
    assert not np.allclose(stepped(x), first)
    stepped.reset_state()
    np.testing.assert_allclose(stepped(x), first, **TOLERANCE)


@pytest.mark.parametrize("kind", CELL_KINDS)
def test_models_with_cells_save_and_load_safely(kind, tmp_path):
    ids = keras.Input(shape=(STEPS, FEATURES))
    x = keras.layers.RNN(make_cell(kind, UNITS, "scratch", dropout=0.1), return_sequences=True)(ids)
    x = SteppedRNN(make_cell(kind, UNITS, "keras_cell"), return_sequences=True)(x)
    x = keras.layers.Bidirectional(SteppedRNN(make_cell(kind, UNITS, "scratch", initializer="tutorial")))(x)
    model = keras.Model(ids, keras.layers.Dense(2)(x))
    path = tmp_path / f"{kind}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    data = _sequence(3)
    np.testing.assert_array_equal(loaded(data), model(data))
    assert [type(layer).__name__ for layer in loaded.layers] == [
        type(layer).__name__ for layer in model.layers
    ]
