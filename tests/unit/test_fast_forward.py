"""core.models.LanguageModelForward: the training forward of the from-scratch language models.

The fast path (one-hot product as a row gather, time loop unrolled, states carried in the
stateful layers' variables) must be the same maths as ``model(ids)``: equal logits, equal
gradients up to float32 rounding, the same carried state; any model it does not cover must
fall back to ``model(ids)`` itself.
"""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from core.models import (  # noqa: E402  (imports Keras)
    MAX_XLA_STEPS,
    ModelConfig,
    build_language_model,
    language_model_forward,
    reset_states,
)

VOCAB = 13
BATCH, STEPS = 3, 7


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(7)


def ids(seed: int = 0, steps: int = STEPS) -> np.ndarray:
    # repeated ids on purpose: the gathered kernel rows' gradients must be summed
    return np.random.default_rng(seed).integers(0, 5, size=(BATCH, steps)).astype(np.int32)


def loss_and_grads(model, fn, x):
    y = np.roll(x, -1, axis=1)
    with tf.GradientTape() as tape:
        logits = fn(x)
        loss = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True))
    grads = tape.gradient(loss, model.trainable_variables)
    return np.asarray(logits), [np.asarray(tf.convert_to_tensor(g)) for g in grads]


def assert_grads_close(fast, plain):
    assert len(fast) == len(plain)
    for a, b in zip(fast, plain, strict=True):
        scale = float(np.abs(b).max()) or 1.0
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5 * scale)


@pytest.mark.parametrize("cell", ["simple_rnn", "lstm", "gru"])
@pytest.mark.parametrize("embedding_dim", [0, 6], ids=["one_hot", "embedding"])
@pytest.mark.parametrize("num_layers", [1, 2])
def test_fast_path_equals_the_model_in_logits_and_gradients(cell, embedding_dim, num_layers):
    cfg = ModelConfig(cell=cell, implementation="scratch", units=5, embedding_dim=embedding_dim, num_layers=num_layers)
    model = build_language_model(cfg, VOCAB)
    forward = language_model_forward(model)
    assert forward.fast_path
    x = ids()
    fast_logits, fast_grads = loss_and_grads(model, lambda v: forward(v, training=True), x)
    plain_logits, plain_grads = loss_and_grads(model, lambda v: model(v, training=True), x)
    assert fast_logits.shape == (BATCH, STEPS, VOCAB)
    np.testing.assert_allclose(fast_logits, plain_logits, rtol=1e-5, atol=1e-6)
    assert_grads_close(fast_grads, plain_grads)
    # the one-hot kernel's gradient is dense, as the one-hot product's is
    assert all(isinstance(g, np.ndarray) for g in fast_grads)


@pytest.mark.parametrize("cell", ["simple_rnn", "lstm"])
def test_fast_path_carries_the_state_of_a_stateful_model_like_the_layer(cell):
    cfg = ModelConfig(cell=cell, implementation="scratch", units=4, embedding_dim=0)
    fast_model = build_language_model(cfg, VOCAB, batch_size=BATCH, stateful=True)
    plain_model = build_language_model(cfg, VOCAB, batch_size=BATCH, stateful=True)
    plain_model.set_weights(fast_model.get_weights())
    forward = language_model_forward(fast_model)
    assert forward.fast_path
    for seed in range(3):  # three consecutive batches: the second and third start from the carried state
        x = ids(seed)
        np.testing.assert_allclose(np.asarray(forward(x)), np.asarray(plain_model(x)), rtol=1e-5, atol=1e-6)
        fast_state = [np.asarray(v) for v in fast_model.get_layer("rnn_1").states]
        plain_state = [np.asarray(v) for v in plain_model.get_layer("rnn_1").states]
        for a, b in zip(fast_state, plain_state, strict=True):
            assert np.abs(b).sum() > 0
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    reset_states(fast_model)
    assert all(not np.asarray(v).any() for v in fast_model.get_layer("rnn_1").states)


@pytest.mark.parametrize(
    "changes",
    [
        {"implementation": "layer"},
        {"implementation": "scratch", "dropout": 0.2},
        {"implementation": "scratch", "tie_embeddings": True, "embedding_dim": 5},
        {"implementation": "scratch", "mask_zero": True, "embedding_dim": 5},
    ],
    ids=["keras_layer", "dropout", "tied", "masked"],
)
def test_other_models_fall_back_to_the_model_itself(changes):
    fields = {"cell": "gru", "units": 5, "embedding_dim": 0}
    fields.update(changes)
    model = build_language_model(ModelConfig(**fields), VOCAB)
    forward = language_model_forward(model)
    assert not forward.fast_path
    assert not forward.xla_helps(10)
    x = ids()
    np.testing.assert_array_equal(np.asarray(forward(x)), np.asarray(model(x)))


def test_long_or_unknown_lengths_take_the_model_path_and_agree():
    cfg = ModelConfig(cell="simple_rnn", implementation="scratch", units=4, embedding_dim=0)
    model = build_language_model(cfg, VOCAB)
    forward = language_model_forward(model)
    x = ids(steps=150)  # beyond MAX_UNROLLED_STEPS: no 150-step unrolled graph
    np.testing.assert_allclose(np.asarray(forward(x)), np.asarray(model(x)), rtol=1e-5, atol=1e-6)


def test_xla_is_chosen_only_for_short_simple_rnn_steps():
    simple = language_model_forward(build_language_model(ModelConfig(cell="simple_rnn", implementation="scratch", units=4, embedding_dim=0), VOCAB))
    lstm = language_model_forward(build_language_model(ModelConfig(cell="lstm", implementation="scratch", units=4, embedding_dim=0), VOCAB))
    assert simple.xla_helps(35) and simple.xla_helps(MAX_XLA_STEPS)
    assert not simple.xla_helps(MAX_XLA_STEPS + 1) and not simple.xla_helps(0)
    assert not lstm.xla_helps(35)
