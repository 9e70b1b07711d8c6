"""core.fused.FusedSimpleRNNStep: the hand-derived training step of the T4 character RNN.

It must be the same maths as autodiff of ``model(ids)``: the same mean cross-entropy, the
same gradient for every trainable weight (float32 rounding), the same carried state, and it
must refuse every model whose equations it does not implement.
"""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from core.fused import FusedSimpleRNNStep, chunk_bounds, mean_cross_entropy  # noqa: E402  (imports Keras)
from core.models import ModelConfig, build_language_model  # noqa: E402

VOCAB = 17
BATCH = 4


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(3)


def data(steps: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 6, size=(BATCH, steps)).astype(np.int32)  # repeated ids: rows of W_xh summed
    y = rng.integers(0, VOCAB, size=(BATCH, steps)).astype(np.int32)
    return x, y


def autodiff(model, x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True))
    grads = tape.gradient(loss, model.trainable_variables)
    return float(loss), [np.asarray(tf.convert_to_tensor(g)) for g in grads]


def fused(step, x, y):
    loss, grads = tf.function(step)(x, y)
    return float(loss), [np.asarray(g) for g in grads]


def assert_same(fast, plain, zero_allowed=()):
    """zero_allowed: indices of gradients that are exactly zero for this input (W_hh's, for
    one step from a zero state), which must then be exactly zero on both sides."""
    (fast_loss, fast_grads), (plain_loss, plain_grads) = fast, plain
    assert fast_loss == pytest.approx(plain_loss, rel=1e-6)
    assert len(fast_grads) == len(plain_grads)
    for index, (a, b) in enumerate(zip(fast_grads, plain_grads, strict=True)):
        assert a.shape == b.shape
        scale = float(np.abs(b).max())
        if index in zero_allowed:
            assert scale == 0 and not np.any(a)
            continue
        assert scale > 0  # every weight gets a gradient here; a zero one would hide a missing term
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5 * scale)


def scaled_up(model):
    """Weights large enough that tanh saturates partly and the softmax is far from uniform (at
    0.8 a 3-layer stack over 35 steps turns chaotic, and float32 rounding alone then moves some
    gradients by 1e-4 relative, on either side)."""
    rng = np.random.default_rng(11)
    model.set_weights([rng.normal(0.0, 0.5, w.shape).astype(np.float32) for w in model.get_weights()])


@pytest.mark.parametrize("steps", [1, 7, 12, 35])
@pytest.mark.parametrize("embedding_dim", [0, 6], ids=["one_hot", "embedding"])
@pytest.mark.parametrize("num_layers", [1, 3])
def test_loss_and_gradients_equal_autodiff(steps, embedding_dim, num_layers):
    cfg = ModelConfig(cell="simple_rnn", implementation="scratch", units=8, embedding_dim=embedding_dim, num_layers=num_layers)
    model = build_language_model(cfg, VOCAB)
    scaled_up(model)
    step = FusedSimpleRNNStep.for_model(model)
    assert step is not None
    x, y = data(steps)
    kernels = [id(model.get_layer(f"rnn_{i + 1}").cell.recurrent_kernel) for i in range(num_layers)]
    zero = [i for i, v in enumerate(model.trainable_variables) if id(v) in kernels] if steps == 1 else []
    assert_same(fused(step, x, y), autodiff(model, x, y), zero_allowed=zero)


@pytest.mark.parametrize("num_layers", [1, 2])
def test_a_frozen_embedding_gets_no_gradient_and_the_rest_still_match(num_layers):
    cfg = ModelConfig(cell="simple_rnn", implementation="scratch", units=8, embedding_dim=6, embedding_trainable=False, num_layers=num_layers)
    model = build_language_model(cfg, VOCAB)
    scaled_up(model)
    step = FusedSimpleRNNStep.for_model(model)
    assert step is not None
    x, y = data(9)
    fast = fused(step, x, y)
    assert len(fast[1]) == len(model.trainable_variables) == 3 * num_layers + 2  # W_xh, W_hh, b_h per layer; W_hq, b_q
    assert_same(fast, autodiff(model, x, y))


@pytest.mark.parametrize("num_layers", [1, 2])
def test_a_stateful_model_starts_from_and_stores_its_state_like_the_layer(num_layers):
    cfg = ModelConfig(cell="simple_rnn", implementation="scratch", units=8, embedding_dim=0, num_layers=num_layers)
    fast_model = build_language_model(cfg, VOCAB, batch_size=BATCH, stateful=True)
    plain_model = build_language_model(cfg, VOCAB, batch_size=BATCH, stateful=True)
    scaled_up(fast_model)
    plain_model.set_weights(fast_model.get_weights())
    step = FusedSimpleRNNStep.for_model(fast_model)
    assert step is not None
    compiled = tf.function(step)
    for seed in range(3):  # the second and third batches start from the carried state
        x, y = data(6, seed)
        fast_loss, fast_grads = compiled(x, y)
        plain = autodiff(plain_model, x, y)
        assert_same((float(fast_loss), [np.asarray(g) for g in fast_grads]), plain)
        for i in range(num_layers):
            fast_state = np.asarray(fast_model.get_layer(f"rnn_{i + 1}").states[0])
            plain_state = np.asarray(plain_model.get_layer(f"rnn_{i + 1}").states[0])
            assert np.abs(fast_state).max() > 0.1
            np.testing.assert_allclose(fast_state, plain_state, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "changes",
    [
        {"cell": "lstm"},
        {"cell": "gru"},
        
        {"implementation": "layer"},
        {"implementation": "keras_cell"},
        {"dropout": 0.2},
        {"recurrent_dropout": 0.2},
    ],
    ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()),
)
def test_models_it_does_not_implement_are_refused(changes):
    cfg = ModelConfig(**{"cell": "simple_rnn", "implementation": "scratch", "units": 8, "embedding_dim": 0, **changes})
    assert FusedSimpleRNNStep.for_model(build_language_model(cfg, VOCAB, seq_len=6)) is None


def test_a_model_with_an_extra_trainable_weight_is_refused():
    cfg = ModelConfig(cell="simple_rnn", implementation="scratch", units=8, embedding_dim=0)
    model = build_language_model(cfg, VOCAB)
    assert FusedSimpleRNNStep.for_model(model) is not None
    model.get_layer("output").activation = keras.activations.softmax
    assert FusedSimpleRNNStep.for_model(model) is None


@pytest.mark.parametrize("steps", [1, 2, 4, 5, 7, 8, 35, 36, 100])
def test_chunks_cover_every_step_once_in_near_equal_sizes(steps):
    bounds = chunk_bounds(steps)
    assert bounds[0][0] == 0 and bounds[-1][1] == steps
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    sizes = [end - start for start, end in bounds]
    assert min(sizes) >= 1 and max(sizes) - min(sizes) <= 1
    assert max(sizes) <= 2 * 5


def test_an_unknown_batch_size_gives_the_same_numbers():
    cfg = ModelConfig(cell="simple_rnn", implementation="scratch", units=8, embedding_dim=6, num_layers=2)
    model = build_language_model(cfg, VOCAB)
    scaled_up(model)
    step = FusedSimpleRNNStep.for_model(model)
    x, y = data(9)
    relaxed = tf.function(step, input_signature=[tf.TensorSpec([None, 9], tf.int32)] * 2)
    loss, grads = relaxed(x, y)
    assert_same((float(loss), [np.asarray(g) for g in grads]), autodiff(model, x, y))


@pytest.mark.parametrize("scale", [0.1, 5.0, 300.0], ids=["flat", "peaked", "extreme"])
@pytest.mark.parametrize("shape", [(6,), (3, 5)], ids=["rows", "batch_x_steps"])
def test_mean_cross_entropy_equals_keras_in_value_and_gradient(scale, shape):
    rng = np.random.default_rng(5)
    logits = tf.Variable((rng.standard_normal((*shape, VOCAB)) * scale).astype(np.float32))
    targets = rng.integers(0, VOCAB, size=shape).astype(np.int32)

    def keras_loss():
        return keras.ops.mean(keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True))

    results = []
    for fn in (lambda: mean_cross_entropy(targets, logits), keras_loss):
        with tf.GradientTape() as tape:
            loss = 3.0 * fn()  # an upstream gradient other than 1
        results.append((float(loss), np.asarray(tape.gradient(loss, logits))))
    (ours, our_grad), (theirs, their_grad) = results
    assert np.isfinite(ours) and ours == pytest.approx(theirs, rel=1e-5, abs=1e-5)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-5, atol=1e-7)
    if scale == 300.0:
        assert ours > 100  # far-off targets: a large, finite loss (no log 0)


def test_mean_cross_entropy_in_a_compiled_function_with_unknown_shapes():
    rng = np.random.default_rng(6)
    logits = rng.standard_normal((4, 7, VOCAB)).astype(np.float32)
    targets = rng.integers(0, VOCAB, size=(4, 7)).astype(np.int32)
    relaxed = tf.function(mean_cross_entropy, input_signature=[tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None, VOCAB], tf.float32)])
    expected = float(tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)))
    assert float(relaxed(targets, logits)) == pytest.approx(expected, rel=1e-6)


def test_lengths_beyond_the_unrolling_bound_are_left_to_the_model():
    from core.models import MAX_UNROLLED_STEPS
    from core.train import LanguageModelTrainer

    assert FusedSimpleRNNStep.handles(1) and FusedSimpleRNNStep.handles(MAX_UNROLLED_STEPS)
    assert not FusedSimpleRNNStep.handles(MAX_UNROLLED_STEPS + 1) and not FusedSimpleRNNStep.handles(None)
    cfg = ModelConfig(cell="simple_rnn", implementation="scratch", units=4, embedding_dim=0)
    for steps, fused_expected in ((MAX_UNROLLED_STEPS, True), (MAX_UNROLLED_STEPS + 1, False)):
        model = build_language_model(cfg, VOCAB)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy")
        trainer = LanguageModelTrainer(model, "random", BATCH, steps)
        assert trainer.fused is fused_expected
        x, y = data(steps)
        loss, _ = trainer.train_batch(x, y)
        assert np.isfinite(loss)
    step = FusedSimpleRNNStep.for_model(model)
    with pytest.raises(ValueError, match="static number of steps"):
        step(*data(MAX_UNROLLED_STEPS + 1))


def assert_close_in_bfloat16(fast, plain):
    """The same maths with the output layer's products in bfloat16 (8 significant bits): the
    two sides round at different places (the chunks' rows, the 1/n scale), so they agree to
    about bfloat16's precision, not float32's."""
    (fast_loss, fast_grads), (plain_loss, plain_grads) = fast, plain
    assert fast_loss == pytest.approx(plain_loss, rel=2e-3)
    for a, b in zip(fast_grads, plain_grads, strict=True):
        scale = float(np.abs(b).max())
        assert scale > 0
        np.testing.assert_allclose(a, b, rtol=5e-2, atol=2e-2 * scale)


@pytest.mark.parametrize("embedding_dim", [0, 6], ids=["one_hot", "embedding"])
@pytest.mark.parametrize("num_layers", [1, 2])
def test_a_bfloat16_output_layer_matches_autodiff_of_the_keras_layer(embedding_dim, num_layers):
    cfg = ModelConfig(cell="simple_rnn", implementation="scratch", units=8, embedding_dim=embedding_dim,
                      num_layers=num_layers, output_precision="bfloat16")
    model = build_language_model(cfg, VOCAB)
    assert model.get_layer("output").compute_dtype == "bfloat16"
    scaled_up(model)
    step = FusedSimpleRNNStep.for_model(model)
    assert step is not None
    x, y = data(12)
    fast = fused(step, x, y)
    assert_close_in_bfloat16(fast, autodiff(model, x, y))
    # and the products really are rounded: the same weights in a float32 model give another loss
    reference = build_language_model(ModelConfig(**{**cfg.to_dict(), "output_precision": "float32"}), VOCAB)
    reference.set_weights(model.get_weights())
    exact = fused(FusedSimpleRNNStep.for_model(reference), x, y)
    assert fast[0] != exact[0]
    assert fast[0] == pytest.approx(exact[0], rel=1e-2)
