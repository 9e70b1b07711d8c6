"""Model builders: shapes, parameter counts, config handling, state, learnability."""

from __future__ import annotations

import itertools
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import pytest
import tensorflow as tf

from core.cells import CELL_KINDS
from core.errors import SettingError
from core.models import (
    IMPLEMENTATIONS,
    PARAMETER_TABLE_COLUMNS,
    POOLINGS,
    ModelConfig,
    SequencePooling,
    build_language_model,
    build_sentiment_classifier,
    parameter_table,
    reset_states,
)

VOCAB, MAXLEN = 20, 6


def _row(table, layer_name):
    rows = table[table["layer"] == layer_name]
    assert len(rows) == 1, f"no single row named {layer_name!r} in\n{table}"
    return rows.iloc[0]


def _assert_table_consistent(table, model):
    total = _row(table, "total")
    assert total["keras_params"] == model.count_params()
    assert total["formula_params"] == model.count_params()
    layers = table[table["layer"] != "total"]
    assert layers["formula_params"].notna().all(), table
    assert (layers["formula_params"] == layers["keras_params"]).all(), table


# --------------------------------------------------------------------------- parameter table


@pytest.mark.parametrize(
    "cell, implementation, bidirectional, num_layers",
    list(itertools.product(CELL_KINDS, IMPLEMENTATIONS, [False, True], [1, 2])),
)
def test_parameter_table_totals_match_keras(cell, implementation, bidirectional, num_layers):
    cfg = ModelConfig(
        cell=cell,
        implementation=implementation,
        bidirectional=bidirectional,
        num_layers=num_layers,
        units=3,
        embedding_dim=4,
        dense_units=5,
    )
    model = build_sentiment_classifier(cfg, VOCAB, MAXLEN)
    table = parameter_table(model)
    assert list(table.columns) == PARAMETER_TABLE_COLUMNS
    assert list(table["layer"]) == (
        ["embedding"] + [f"rnn_{i}" for i in range(1, num_layers + 1)]
        + ["head_dense", "output", "total"]
    )
    _assert_table_consistent(table, model)


@pytest.mark.parametrize(
    "embedding_dim, tie_embeddings",
    [(0, False), (4, False), (4, True), (3, True)],  # one-hot, plain, tied, tied + projection
)
def test_parameter_table_for_language_models(embedding_dim, tie_embeddings):
    cfg = ModelConfig(
        cell="lstm", units=[3, 4], num_layers=2, embedding_dim=embedding_dim,
        tie_embeddings=tie_embeddings,
    )
    model = build_language_model(cfg, VOCAB, seq_len=MAXLEN)
    table = parameter_table(model)
    _assert_table_consistent(table, model)
    assert ("tie_projection" in set(table["layer"])) == (tie_embeddings and embedding_dim != 4)


def test_tutorial_bidirectional_lstm_has_377985_parameters():
    cfg = ModelConfig(cell="lstm", units=64, bidirectional=True, embedding_dim=32, dense_units=64)
    model = build_sentiment_classifier(cfg, vocab_size=10000, maxlen=200)
    table = parameter_table(model)
    expected = {"embedding": 320_000, "rnn_1": 49_664, "head_dense": 8_256, "output": 65,
                "total": 377_985}
    for name, count in expected.items():
        assert _row(table, name)["formula_params"] == count
        assert _row(table, name)["keras_params"] == count
    assert _row(table, "rnn_1")["formula"] == "2 × 4h(d+h+1)"
    assert _row(table, "rnn_1")["formula_filled"] == "2·4·64·(32+64+1)"
    assert model.count_params() == 377_985


def test_tutorial_simple_rnn_784_and_dense_4352():
    cfg = ModelConfig(cell="simple_rnn", units=16, embedding_dim=32, dense_units=256)
    table = parameter_table(build_sentiment_classifier(cfg, vocab_size=100, maxlen=10))
    rnn, dense = _row(table, "rnn_1"), _row(table, "head_dense")
    assert (rnn["formula"], rnn["formula_filled"]) == ("h(d+h+1)", "16·(32+16+1)")
    assert rnn["formula_params"] == rnn["keras_params"] == 784
    assert (dense["formula"], dense["formula_filled"]) == ("d·k+k", "16·256+256")
    assert dense["formula_params"] == dense["keras_params"] == 4_352
    assert rnn["output_shape"] == "(None, 16)"


# --------------------------------------------------------------------------- config


def test_model_config_json_round_trip():
    for cfg in [
        ModelConfig(),
        ModelConfig(cell="gru", implementation="scratch", num_layers=3, units=[8, 16, 4],
                    bidirectional=True, dropout=0.2, recurrent_dropout=0.1, embedding_dim=0,
                    embedding_trainable=False, mask_zero=True, dense_units=7,
                    initializer="tutorial"),
        ModelConfig(cell="lstm", bidirectional=True, mask_zero=True, pooling="max_mean",
                    embedding_dropout=0.25),
        ModelConfig(cell="gru", tie_embeddings=True, token_dropout=0.1, output_dropout=0.4),
        ModelConfig(cell="simple_rnn", implementation="scratch", embedding_dim=0, output_precision="bfloat16"),
    ]:
        cfg.validate()
        restored = ModelConfig.from_dict(json.loads(json.dumps(cfg.to_dict())))
        assert restored == cfg


def test_from_dict_rejects_unknown_settings():
    with pytest.raises(ValueError, match="Unknown model setting"):
        ModelConfig.from_dict({"cell": "lstm", "hidden": 3})


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"cell": "transformer"}, "model.cell"),
        ({"implementation": "cudnn"}, "model.implementation"),
        ({"num_layers": 0}, "num_layers"),
        ({"num_layers": 5}, "num_layers"),
        ({"units": 0}, "units"),
        ({"units": 4096}, "units"),
        ({"units": 2.5}, "units"),
        ({"num_layers": 2, "units": [4, 4, 4]}, "one size per layer"),
        ({"dropout": 1.0}, "dropout"),
        ({"recurrent_dropout": -0.1}, "recurrent_dropout"),
        ({"embedding_dim": -1}, "embedding_dim"),
        ({"dense_units": -3}, "dense_units"),
        ({"initializer": "he"}, "initializer"),
        ({"bidirectional": "yes"}, "bidirectional"),
        ({"tie_embeddings": True, "embedding_dim": 0}, "embedding_dim > 0"),
        ({"pooling": "attention"}, "model.pooling"),
        ({"pooling": None}, "model.pooling"),
        ({"embedding_dropout": 1.0}, "embedding_dropout"),
        ({"embedding_dropout": "0.2"}, "embedding_dropout"),
        ({"token_dropout": 1.0}, "token_dropout"),
        ({"output_dropout": -0.2}, "output_dropout"),
        ({"output_dropout": True}, "output_dropout"),
        ({"output_precision": "float16"}, "model.output_precision"),
        ({"output_precision": "bfloat16", "tie_embeddings": True}, "tie_embeddings"),
    ],
)
def test_validate_rejects_absurd_values(changes, message):
    cfg = ModelConfig(**changes)
    with pytest.raises(ValueError, match=message) as info:
        cfg.validate()
    # a sentence in both languages, the setting named as a config names it (the Chinese page had the English one)
    assert isinstance(info.value, SettingError) and "must" not in info.value.message("zh") and info.value.message("zh") != info.value.message("en")
    with pytest.raises(ValueError, match=message):
        build_sentiment_classifier(cfg, VOCAB, MAXLEN)


def test_language_model_rejects_impossible_setups():
    with pytest.raises(ValueError, match="backwards"):
        build_language_model(ModelConfig(bidirectional=True), VOCAB, seq_len=4)
    with pytest.raises(ValueError, match="batch_size"):
        build_language_model(ModelConfig(), VOCAB, seq_len=4, stateful=True)
    with pytest.raises(ValueError, match="seq_len"):
        build_language_model(ModelConfig(implementation="keras_cell"), VOCAB)


# --------------------------------------------------------------------------- embeddings


@pytest.mark.parametrize("trainable", [True, False])
def test_embedding_matrix_is_loaded_and_frozen_when_not_trainable(trainable):
    matrix = np.random.RandomState(0).normal(size=(VOCAB, 4)).astype("float32")
    cfg = ModelConfig(cell="gru", units=3, embedding_dim=4, embedding_trainable=trainable)
    model = build_sentiment_classifier(cfg, VOCAB, MAXLEN, embedding_matrix=matrix)
    embedding = model.get_layer("embedding")
    np.testing.assert_array_equal(embedding.get_weights()[0], matrix)
    assert embedding.trainable is trainable
    assert len(embedding.trainable_weights) == (1 if trainable else 0)

    model.compile(optimizer=keras.optimizers.SGD(1.0), loss="binary_crossentropy")
    x = np.random.RandomState(1).randint(1, VOCAB, size=(8, MAXLEN))
    model.train_on_batch(x, np.ones((8, 1)))
    unchanged = np.array_equal(embedding.get_weights()[0], matrix)
    assert unchanged is not trainable


def test_embedding_matrix_with_wrong_shape_is_rejected():
    cfg = ModelConfig(embedding_dim=4)
    with pytest.raises(ValueError, match="embedding_matrix has shape"):
        build_sentiment_classifier(cfg, VOCAB, MAXLEN, embedding_matrix=np.zeros((VOCAB, 5)))


# --------------------------------------------------------------------------- language model


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("embedding_dim", [0, 5])
def test_language_model_outputs_logits_per_step(implementation, embedding_dim):
    cfg = ModelConfig(cell="gru", implementation=implementation, units=4, num_layers=2,
                      embedding_dim=embedding_dim, mask_zero=True)
    model = build_language_model(cfg, VOCAB, seq_len=7)
    x = np.random.RandomState(0).randint(0, VOCAB, size=(3, 7))
    assert model(x).shape == (3, 7, VOCAB)
    first = model.get_layer("one_hot" if embedding_dim == 0 else "embedding")
    assert first.count_params() == embedding_dim * VOCAB


def test_tied_language_model_shares_the_embedding_and_saves(tmp_path):
    cfg = ModelConfig(cell="lstm", implementation="scratch", units=6, embedding_dim=4,
                      tie_embeddings=True, mask_zero=True)
    model = build_language_model(cfg, VOCAB, seq_len=5)
    embedding = model.get_layer("embedding").embeddings
    x = np.random.RandomState(0).randint(1, VOCAB, size=(2, 5))
    hidden = keras.Model(model.input, model.get_layer("tie_projection").output)(x)
    expected = hidden.numpy() @ embedding.numpy().T + model.get_layer("output").bias.numpy()
    np.testing.assert_allclose(model(x), expected, rtol=1e-5, atol=1e-5)

    path = tmp_path / "tied.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(loaded(x), model(x))
    assert loaded.count_params() == model.count_params()


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
def test_stateful_language_model_carries_state_until_reset(implementation):
    cfg = ModelConfig(cell="lstm", implementation=implementation, units=4, num_layers=2,
                      embedding_dim=3)
    model = build_language_model(cfg, VOCAB, seq_len=5, batch_size=2, stateful=True)
    x = np.random.RandomState(0).randint(0, VOCAB, size=(2, 5))
    first = model(x).numpy()
    second = model(x).numpy()
    assert not np.allclose(first, second)  # the second call starts from the first's state
    reset_states(model)
    np.testing.assert_allclose(model(x), first, rtol=1e-6, atol=1e-6)


# --------------------------------------------------------------------------- learnability


def _first_token_task(rng, n):
    """ids [n, MAXLEN] in 1..VOCAB-1; label [n, 1] = 1 when the FIRST token is in the lower half."""
    x = rng.randint(1, VOCAB, size=(n, MAXLEN)).astype("int32")
    y = (x[:, 0] < VOCAB // 2).astype("float32")[:, None]
    return x, y


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("cell", CELL_KINDS)
def test_one_layer_model_learns_to_remember_the_first_token(cell, implementation):
    keras.utils.set_random_seed(0)
    rng = np.random.RandomState(0)
    cfg = ModelConfig(cell=cell, implementation=implementation, units=8, embedding_dim=8)
    model = build_sentiment_classifier(cfg, VOCAB, MAXLEN)
    optimizer = keras.optimizers.Adam(0.03)
    loss_fn = keras.losses.BinaryCrossentropy()

    @tf.function  # a hand-written step: model.fit's per-call overhead would triple the time
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply(gradients, model.trainable_variables)

    for _ in range(100):
        train_step(*_first_token_task(rng, 64))
    x_test, y_test = _first_token_task(rng, 256)
    accuracy = np.mean((model(x_test).numpy() > 0.5) == y_test)
    # The label depends only on the first of 6 tokens: a model that forgets it
    # (or ignores its input) scores about 0.5.
    assert accuracy > 0.9


# --------------------------------------------------------------------------- pooled classifier head


def test_model_config_defaults_keep_the_last_state_head():
    cfg = ModelConfig()
    assert cfg.pooling == "last" and cfg.embedding_dropout == 0.0
    assert ModelConfig.from_dict({"cell": "gru"}).pooling == "last"  # configs written before pooling existed
    model = build_sentiment_classifier(ModelConfig(units=3, embedding_dim=4), VOCAB, MAXLEN)
    assert [layer.name for layer in model.layers[1:]] == ["embedding", "rnn_1", "output"]


@pytest.mark.parametrize(
    "cell, implementation, pooling",
    list(itertools.product(CELL_KINDS, IMPLEMENTATIONS, ("max", "mean", "max_mean"))),
)
def test_pooled_classifier_builds_for_every_cell_with_a_consistent_table(cell, implementation, pooling):
    cfg = ModelConfig(cell=cell, implementation=implementation, units=3, embedding_dim=4,
                      mask_zero=True, bidirectional=True, pooling=pooling,
                      embedding_dropout=0.1, dense_units=5)
    model = build_sentiment_classifier(cfg, VOCAB, MAXLEN)
    table = parameter_table(model)
    assert list(table["layer"]) == ["embedding", "embedding_dropout", "rnn_1", "pooling",
                                    "head_dense", "output", "total"]
    _assert_table_consistent(table, model)
    features = 2 * 3 * (2 if pooling == "max_mean" else 1)  # bidirectional: 2h per step
    assert _row(table, "pooling")["output_shape"] == f"(None, {features})"
    assert _row(table, "rnn_1")["output_shape"] == f"(None, {MAXLEN}, 6)"
    out = model(np.array([[3, 4, 5, 0, 0, 0]]))
    assert out.shape == (1, 1) and np.isfinite(np.asarray(out)).all()


@pytest.mark.parametrize(
    "cell, implementation, pooling, padding",
    list(itertools.product(CELL_KINDS, IMPLEMENTATIONS, ("max", "mean", "max_mean"), ("post", "pre"))),
)
def test_padding_does_not_change_a_pooled_prediction(cell, implementation, pooling, padding):
    """Masked padding (id 0) takes no part: the same text padded to 6 or to 10 ids gives the same P."""
    keras.utils.set_random_seed(1)
    cfg = ModelConfig(cell=cell, implementation=implementation, units=4, embedding_dim=5,
                      mask_zero=True, bidirectional=True, pooling=pooling)
    long_model = build_sentiment_classifier(cfg, VOCAB, 10)
    short_model = build_sentiment_classifier(cfg, VOCAB, 6)
    short_model.set_weights(long_model.get_weights())
    ids = [3, 7, 11, 2]

    def padded(length):
        zeros = [0] * (length - len(ids))
        return np.array([ids + zeros if padding == "post" else zeros + ids])

    np.testing.assert_allclose(long_model(padded(10)), short_model(padded(6)), rtol=1e-5, atol=1e-6)
    if pooling != "mean":  # without the mask, max over the padding steps differs: the test can tell
        unmasked = build_sentiment_classifier(ModelConfig(**{**cfg.to_dict(), "mask_zero": False}), VOCAB, 10)
        unmasked.set_weights(long_model.get_weights())
        assert not np.allclose(unmasked(padded(10)), long_model(padded(10)))


def test_sequence_pooling_ignores_masked_steps_whatever_they_hold():
    h = np.array([[[1.0, -2.0], [3.0, -4.0], [100.0, 100.0]],
                  [[-1.0, 5.0], [-50.0, -50.0], [-50.0, -50.0]]], dtype="float32")
    mask = np.array([[True, True, False], [True, False, False]])
    got = {mode: np.asarray(SequencePooling(mode)(h, mask=mask)) for mode in ("max", "mean", "max_mean")}
    np.testing.assert_allclose(got["max"], [[3.0, -2.0], [-1.0, 5.0]])
    np.testing.assert_allclose(got["mean"], [[2.0, -3.0], [-1.0, 5.0]])
    np.testing.assert_allclose(got["max_mean"], np.concatenate([got["max"], got["mean"]], axis=-1))
    empty = np.zeros((1, 3), dtype=bool)  # a text with no real token pools to zeros, not -1e9
    np.testing.assert_allclose(SequencePooling("max_mean")(h[:1], mask=empty), [[0.0, 0.0, 0.0, 0.0]])
    np.testing.assert_allclose(SequencePooling("max")(h), [[100.0, 100.0], [-1.0, 5.0]])  # no mask: every step
    with pytest.raises(ValueError, match="max, mean or max_mean"):
        SequencePooling("last")


def test_pooled_classifier_saves_and_loads_safely(tmp_path):
    cfg = ModelConfig(cell="gru", units=3, embedding_dim=4, mask_zero=True, bidirectional=True,
                      pooling="max_mean", embedding_dropout=0.2)
    model = build_sentiment_classifier(cfg, VOCAB, MAXLEN)
    path = tmp_path / "pooled.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    x = np.array([[1, 2, 3, 0, 0, 0], [4, 5, 6, 7, 8, 9]])
    np.testing.assert_allclose(loaded(x), model(x), rtol=1e-6)
    assert POOLINGS[0] == "last"


def test_pooling_does_not_change_a_language_model():
    plain = build_language_model(ModelConfig(units=3, embedding_dim=4), VOCAB, seq_len=MAXLEN)
    pooled = build_language_model(ModelConfig(units=3, embedding_dim=4, pooling="max", embedding_dropout=0.3), VOCAB, seq_len=MAXLEN)
    assert [layer.name for layer in plain.layers] == [layer.name for layer in pooled.layers]


# --------------------------------------------------------------------------- language-model dropout


def _tied_lm(**changes):
    cfg = ModelConfig(cell="lstm", units=6, embedding_dim=4, tie_embeddings=True, **changes)
    return cfg, build_language_model(cfg, VOCAB)


def test_token_dropout_zeroes_every_occurrence_of_the_dropped_tokens_in_a_batch():
    cfg, model = _tied_lm(token_dropout=0.5)
    assert [layer.name for layer in model.layers][:3] == ["token_ids", "embedding", "token_dropout"]
    layer = model.get_layer("token_dropout")
    ids = np.tile(np.arange(VOCAB, dtype="int32"), (3, 2))  # every token, several times per batch
    vectors = np.ones((3, 2 * VOCAB, 4), dtype="float32")
    np.testing.assert_array_equal(layer(ids, vectors, training=False), vectors)  # inference: identity
    out = np.asarray(layer(ids, vectors, training=True))
    per_token = out[0, :VOCAB, 0]
    assert set(np.round(per_token, 5)) <= {0.0, 2.0}  # dropped, or kept and scaled by 1 / (1 - 0.5)
    assert 0 < np.count_nonzero(per_token == 0) < VOCAB
    for token in range(VOCAB):  # the same decision for every occurrence of a token in the batch
        column = out[:, ids[0] == token, :]
        assert np.all(column == column.flat[0]), token
    # two batches draw different tokens
    assert not np.array_equal(out, np.asarray(layer(ids, vectors, training=True)))


def test_output_dropout_locks_one_mask_per_sequence_and_is_off_at_inference():
    cfg, model = _tied_lm(output_dropout=0.5)
    names = [layer.name for layer in model.layers]
    assert names.index("rnn_1") < names.index("output_dropout") < names.index("tie_projection")
    plain = build_language_model(ModelConfig(cell="lstm", units=6, embedding_dim=4, tie_embeddings=True), VOCAB)
    plain.set_weights(model.get_weights())  # no weights of its own: the same weight list
    x = np.random.RandomState(0).randint(1, VOCAB, size=(4, 7))
    np.testing.assert_allclose(model(x, training=False), plain(x), rtol=1e-6)
    drop = model.get_layer("output_dropout")
    h = np.ones((4, 7, 6), dtype="float32")
    out = np.asarray(drop(h, training=True))
    assert np.all(out == out[:, :1, :])  # the same units dropped at every step of a sequence
    assert np.count_nonzero(out == 0) > 0 and set(np.unique(out)) <= {0.0, 2.0}
    assert not np.allclose(model(x, training=True), plain(x))


def test_language_model_dropout_layers_save_and_load_safely(tmp_path):
    cfg, model = _tied_lm(token_dropout=0.2, output_dropout=0.3)
    _assert_table_consistent(parameter_table(model), model)
    path = tmp_path / "lm.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    x = np.random.RandomState(2).randint(1, VOCAB, size=(2, 5))
    np.testing.assert_allclose(loaded(x), model(x), rtol=1e-6)
    assert loaded.get_layer("token_dropout").rate == pytest.approx(0.2)


@pytest.mark.parametrize("cell", ["simple_rnn", "lstm", "gru"])
def test_the_cells_weights_table_has_kerass_own_shapes_and_counts(cell):
    import keras

    import pandas as pd

    from core.models import cell_weights

    d, h = 7, 5
    layer = {"simple_rnn": keras.layers.SimpleRNNCell, "lstm": keras.layers.LSTMCell, "gru": keras.layers.GRUCell}[cell](h)
    layer.build((None, d))
    table = cell_weights(cell, d, h)
    keras_shapes = {w.path.split("/")[-1]: tuple(w.shape) for w in layer.weights}
    assert list(table["variable"]) == list(keras_shapes)
    for _, row in table.iterrows():
        assert row["shape"] == "[" + ", ".join(str(n) for n in keras_shapes[row["variable"]]) + "]"
        assert row["values"] == int(np.prod(keras_shapes[row["variable"]]))
    assert int(table["values"].sum()) == layer.count_params()
    unknown = cell_weights(cell, None, h)  # one-hot input before the vocabulary is known
    assert unknown["shape"][0].startswith("[d, ") and pd.isna(unknown["values"][0])


@pytest.mark.parametrize("cell", ["simple_rnn", "lstm", "gru"])
def test_the_equations_as_written_give_kerass_step(cell):
    """The page's equations and weights table name the gates in the order `core.generate.recompute_cell`
    takes them from Keras's kernel, and those equations give the Keras cell's own steps (two, so
    that h_{t-1} U and, for the GRU, the reset gate over the recurrent bias count): a wrong gate
    order or the reset before the recurrent bias would not."""
    import keras

    from core.generate import recompute_cell
    from core.models import CELL_EQUATIONS, cell_weights

    d, h = 4, 3
    rng = np.random.default_rng(0)
    layer = {"simple_rnn": keras.layers.SimpleRNNCell, "lstm": keras.layers.LSTMCell, "gru": keras.layers.GRUCell}[cell](h)
    rnn = keras.layers.RNN(layer, return_sequences=True)
    x = rng.normal(size=(1, 2, d)).astype("float32")
    rnn(x)
    for w in layer.weights:  # random biases too, so that each bias term shows
        w.assign(rng.normal(size=w.shape).astype("float32"))
    h_keras = np.asarray(rnn(x))[0]
    _, gates, h_recomputed = recompute_cell(cell, [np.asarray(w) for w in layer.weights], x[0], h_keras)
    symbols = cell_weights(cell, d, h)["symbols"][0].split(" | ")  # W_i | W_f | ... in the kernel's order
    assert [f"W_{q}" for q in gates] == (symbols if len(symbols) > 1 else [])
    assert all(any(line.startswith(f"{q}_t =") or f" {q}_t =" in line for line in CELL_EQUATIONS[cell]) for q in gates)
    np.testing.assert_allclose(h_recomputed, h_keras, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("cell", CELL_KINDS)
@pytest.mark.parametrize("initializer", ["keras", "tutorial"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_the_three_implementations_start_from_the_same_weights(cell, initializer, bidirectional):
    """The New run form says the three implementations have the same weights, and Compare sets them
    side by side: with one seed they must start from the same values too, so that a difference in
    what they learn is the implementation's. The cells written from their equations drew their
    LSTM and GRU kernels in another order than Keras's cells (a practitioner: an LSTM layer at
    0.609 test accuracy beside the same LSTM from its equations at 0.558, partly another start)."""
    from core.models import ModelConfig, build_sentiment_classifier

    weights = {}
    for implementation in ("layer", "keras_cell", "scratch"):
        keras.utils.set_random_seed(7)
        cfg = ModelConfig(cell=cell, implementation=implementation, units=6, embedding_dim=5, num_layers=2, bidirectional=bidirectional, initializer=initializer, dropout=0.2)
        model = build_sentiment_classifier(cfg, vocab_size=20, maxlen=7)
        weights[implementation] = [w.numpy() if hasattr(w, "numpy") else np.asarray(w) for w in model.weights]
    for implementation in ("keras_cell", "scratch"):
        assert len(weights[implementation]) == len(weights["layer"])
        for a, b in zip(weights["layer"], weights[implementation]):
            np.testing.assert_array_equal(a, b, err_msg=implementation)
