"""core.train: the config, the data split, the language model's state rules, clipping,
perplexity, and small real runs that write a complete run folder.

Every model here is tiny (a few hundred weights) so the whole module runs in seconds;
equivalences are checked against computations written out by hand in numpy.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from core import text as textlib
from core.errors import RnnLabError
from core.i18n import TEXTS, tr
from core.hosting import settings as hosting_settings
from core.presets import PRESET_TEXT_KEYS, PRESETS, get_preset, preset_description
from core.runs import RunDir, training_seconds
from core.train import (
    LanguageModelTrainer,
    TrainConfig,
    apply_overrides,
    check_settings,
    main,
    model_state,
    prepare_language_model_data,
    run_training,
    split_stream,
    validation_shape,
)

ROOT = Path(__file__).resolve().parents[2]

keras = pytest.importorskip("keras")
from core.models import ModelConfig, build_language_model  # noqa: E402  (imports Keras)


# =========================================================================== helpers


@pytest.fixture(autouse=True)
def _seeded_weights():
    """Every test starts from the same initial weights, so a precondition that depends on
    them (a gradient large enough to clip, a carried state that matters) holds every run."""
    keras.utils.set_random_seed(1234)


def tiny_model_config(**changes) -> ModelConfig:
    fields = {"cell": "gru", "implementation": "layer", "units": 6, "embedding_dim": 4}
    fields.update(changes)
    return ModelConfig(**fields)


def compiled_lm(cfg: ModelConfig, vocab: int, batch: int | None, stateful: bool, optimizer=None):
    model = build_language_model(cfg, vocab, batch_size=batch, stateful=stateful)
    model.compile(optimizer=optimizer or keras.optimizers.SGD(learning_rate=0.5), loss="sparse_categorical_crossentropy")
    return model


def mean_ce_by_hand(logits: np.ndarray, targets: np.ndarray) -> float:
    """Mean over every position of -log softmax(logits)[target], in float64 numpy."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, np.asarray(targets)[..., None], axis=-1)[..., 0]
    return float(-picked.mean())


def stateless_copy(model, cfg: ModelConfig, vocab: int):
    """The same weights in a stateless model that reads any batch and length from a zero state."""
    twin = build_language_model(cfg, vocab)
    twin.set_weights(model.get_weights())
    return twin


def write_corpus(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return f"upload:{path}"


RNG = np.random.default_rng(7)
STREAM = RNG.integers(2, 12, size=700).astype(np.int32)  # ids 2..11 of a 12-id vocabulary
VOCAB = 12


# =========================================================================== config


def test_config_round_trips_through_json():
    cfg = TrainConfig(
        task="language_model",
        dataset="peoples_daily",
        tokenizer="given",
        char_limit=5000,
        max_tokens=300,
        model=tiny_model_config(units=[8, 5], num_layers=2, tie_embeddings=True),
        optimizer="rmsprop",
        learning_rate=0.01,
        clip_global_norm=0.5,
        sampler="random",
        sample_prefixes=["中国"],
        max_train_texts=None,
        dataset_options={},
    )
    text = json.dumps(cfg.to_dict(), ensure_ascii=False)
    back = TrainConfig.from_dict(json.loads(text))
    assert back == cfg
    assert isinstance(back.model, ModelConfig) and back.model.units == [8, 5]
    assert TrainConfig.from_dict({}) == TrainConfig()  # every field has a default
    assert back.copy(epochs=3).epochs == 3 and back.epochs == cfg.epochs


def test_overrides_reach_into_the_model_and_parse_json_values():
    base = TrainConfig().to_dict()
    out = apply_overrides(base, ["model.units=64", "epochs=2", "dataset=lyrics", "clip_global_norm=null", "sample_prefixes=[\"a\", \"b\"]"])
    assert out["model"]["units"] == 64 and out["epochs"] == 2 and out["dataset"] == "lyrics"
    assert out["clip_global_norm"] is None and out["sample_prefixes"] == ["a", "b"]
    assert base["epochs"] == TrainConfig().epochs, "the input dict is not changed"
    with pytest.raises(RnnLabError) as info:
        apply_overrides(base, ["epochs"])
    assert info.value.key == "train.bad_set"


@pytest.mark.parametrize(
    ("changes", "key", "named"),
    [
        ({"epochs": 0}, "train.bad_range", "epochs"),
        ({"epochs": 10_001}, "train.bad_range", "epochs"),
        ({"epochs": 2.5}, "train.bad_range", "epochs"),
        ({"batch_size": 0}, "train.bad_range", "batch_size"),
        ({"batch_size": 4097}, "train.bad_range", "batch_size"),
        ({"learning_rate": 0}, "train.bad_open_range", "learning_rate"),
        ({"learning_rate": -0.1}, "train.bad_open_range", "learning_rate"),
        ({"learning_rate": 1001}, "train.bad_open_range", "learning_rate"),
        ({"learning_rate": float("nan")}, "train.bad_open_range", "learning_rate"),
        ({"num_steps": 0}, "train.bad_range", "num_steps"),
        ({"num_steps": 1001}, "train.bad_range", "num_steps"),
        ({"maxlen": 0}, "train.bad_range", "maxlen"),
        ({"maxlen": 5001}, "train.bad_range", "maxlen"),
        ({"clip_global_norm": 0}, "train.bad_clip", "clip_global_norm"),
        ({"clip_global_norm": -1.0}, "train.bad_clip", "clip_global_norm"),
        ({"val_fraction": 0}, "train.bad_open_range", "val_fraction"),
        ({"val_fraction": 0.6}, "train.bad_open_range", "val_fraction"),
        ({"dataset": "mnist"}, "train.bad_dataset", "mnist"),
        ({"dataset": "upload:notes.pdf"}, "train.bad_upload", "notes.pdf"),
        ({"task": "translation"}, "train.bad_choice", "task"),
        ({"optimizer": "adagrad"}, "train.bad_choice", "optimizer"),
        ({"sampler": "shuffled"}, "train.bad_choice", "sampler"),
        ({"tokenizer": "klingon"}, "train.bad_choice", "tokenizer"),
        ({"padding": "middle"}, "train.bad_choice", "padding"),
        ({"task": "language_model"}, "train.task_dataset", "chinese_reviews"),  # a labelled data set
        ({"dataset_options": {"num_words": 100}}, "train.bad_options", "num_words"),
        ({"sample_prefixes": []}, "train.bad_prefixes", "sample_prefixes"),
        ({"model": tiny_model_config(units=0)}, "train.bad_model", "units"),
    ],
)
def test_validate_refuses_absurd_values_with_a_sentence(changes, key, named):
    cfg = TrainConfig(**changes)
    with pytest.raises(RnnLabError) as info:
        cfg.validate()
    assert info.value.key == key
    assert named in str(info.value)
    assert info.value.message("zh") != info.value.message("en")  # both languages render
    if "model" not in changes:  # the same check without Keras, as the CLI runs it first
        with pytest.raises(RnnLabError) as fast:
            check_settings(dict(changes))
        assert fast.value.key == key


def test_the_t4_tutorials_2500_epochs_can_be_asked_for():
    """T4 trains 2,500 epochs of eight batches; a learner who copies that must not be refused."""
    check_settings({"task": "language_model", "dataset": "lyrics", "epochs": 2500})  # raises when refused
    config = get_preset("lyrics_scratch_rnn_consecutive").copy(epochs=2500)
    config.validate()
    assert TrainConfig.from_dict(json.loads(json.dumps(config.to_dict()))).epochs == 2500


def test_unknown_settings_and_bad_model_dicts_are_refused():
    with pytest.raises(RnnLabError) as info:
        TrainConfig.from_dict({"epochz": 3})
    assert info.value.key == "train.unknown_settings" and "epochz" in str(info.value)
    with pytest.raises(RnnLabError) as info:
        TrainConfig.from_dict({"model": {"cells": "lstm"}})
    assert info.value.key == "train.bad_model"
    lm = TrainConfig(task="language_model", dataset="lyrics", model=tiny_model_config(bidirectional=True))
    with pytest.raises(RnnLabError) as info:
        lm.validate()
    assert info.value.key == "train.lm_bidirectional"


def test_a_setting_of_the_wrong_type_is_said_wholly_in_the_readers_language():
    """What was expected ("a JSON object", "true or false") was English in the Chinese sentence,
    and a Chinese name was followed by a space: "设置 双向（model.bidirectional） 应为true or false"."""
    with pytest.raises(RnnLabError) as info:
        TrainConfig.from_dict(["epochs", 3])
    assert info.value.key == "train.bad_type"
    assert info.value.message("en") == "The setting config must be a JSON object, got ['epochs', 3]."
    assert info.value.message("zh") == "设置 config 应为一个 JSON 对象，实际为 ['epochs', 3]。"
    with pytest.raises(RnnLabError) as info:
        tiny_model_config(bidirectional=3).validate()
    assert info.value.message("en") == "The setting Bidirectional (model.bidirectional) must be true or false, got 3."
    assert info.value.message("zh") == "设置双向（model.bidirectional）应为布尔值（true 或 false），实际为 3。"
    assert info.value.message("zh", markdown=True) == r"设置双向（model\.bidirectional）应为布尔值（true 或 false），实际为 3。"


def test_every_preset_is_a_valid_config_with_descriptions_in_both_languages():
    assert len(PRESETS) >= 14
    for name in PRESETS:
        cfg = get_preset(name)
        cfg.validate()
        assert TrainConfig.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg
        zh, en = TEXTS[PRESET_TEXT_KEYS[name]]
        for lang, text in (("zh", zh), ("en", en)):  # T1's add their own choices; T4's fill in what the tutorial's 2,500 epochs take here
            shown = preset_description(name, lang)
            assert shown.startswith(text.split("{longer}")[0]) and "{" not in shown, (name, lang, shown)
            if "{longer}" in text:
                assert shown.endswith(text.split("{longer}")[1]) and tr("preset.t4_longer", lang, cap=hosting_settings().max_epochs) in shown, shown
    with pytest.raises(RnnLabError) as info:
        get_preset("no_such_preset")
    assert info.value.key == "train.unknown_preset"
    lyrics = get_preset("lyrics_scratch_rnn_consecutive")
    assert (lyrics.model.implementation, lyrics.model.initializer, lyrics.model.embedding_dim, lyrics.model.units) == ("scratch", "tutorial", 0, 256)
    assert (lyrics.num_steps, lyrics.batch_size, lyrics.char_limit, lyrics.optimizer, lyrics.learning_rate, lyrics.clip_global_norm) == (35, 32, 10_000, "sgd", 100.0, 0.01)
    assert get_preset("lyrics_scratch_rnn_random").sampler == "random"
    assert get_preset("imdb_simple_rnn_cells").model.implementation == "keras_cell"
    assert get_preset("imdb_simple_rnn_2layer_cells").model.num_layers == 2


def test_the_imdb_bilstm_preset_builds_the_tutorials_377985_parameters():
    from core.train import build_sentiment_model

    cfg = get_preset("imdb_bilstm")
    assert (cfg.maxlen, cfg.padding, cfg.batch_size, cfg.epochs, cfg.optimizer) == (256, "post", 64, 10, "adam")
    assert build_sentiment_model(cfg, 10_000).count_params() == 377_985


def test_listing_presets_does_not_load_tensorflow():
    code = "import sys; from core.train import main; rc = main(['--list-presets']); assert 'tensorflow' not in sys.modules, 'TF loaded'; sys.exit(rc)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for name in PRESETS:
        assert name in out.stdout


# =========================================================================== data


def test_validation_is_the_last_tenth_and_the_vocabulary_comes_from_the_first_nine(tmp_path):
    head = "春眠不觉晓处处闻啼鸟" * 90  # 900 characters
    tail = "夜来风雨声花落知多少" * 9 + "龘" * 10  # 100 characters, "龘" only here
    text = head + tail
    cfg = TrainConfig(task="language_model", dataset=write_corpus(tmp_path / "poem.txt", text), tokenizer="char")
    data = prepare_language_model_data(cfg)
    assert data.n_tokens == 1000 and data.split_index == 900 == split_stream(1000, 0.1)
    assert data.vocab.decode(data.train_ids) == list(head)
    assert len(data.val_ids) == 100
    assert "龘" not in data.vocab and "夜" not in data.vocab
    decoded_val = data.vocab.decode(data.val_ids)
    assert decoded_val == [c if c in data.vocab else textlib.UNK for c in tail]
    assert data.val_unknown == sum(1 for c in tail if c not in data.vocab) == 100 - sum(1 for c in tail if c in head)
    # char_limit reads only the first N characters; newlines are spaces
    cfg2 = cfg.copy(char_limit=50, dataset=write_corpus(tmp_path / "lines.txt", "ab\ncd\n" * 20))
    data2 = prepare_language_model_data(cfg2)
    assert data2.n_tokens == 50 and "\n" not in data2.vocab and " " in data2.vocab


def test_validation_batches_shrink_for_a_short_held_out_stream():
    assert validation_shape(1000, "consecutive", 32, 35) == (32, 30)  # the lyrics preset: 1,000 held-out characters
    assert validation_shape(1000, "random", 32, 35) == (28, 35)
    assert validation_shape(10_000, "consecutive", 32, 35) == (32, 35)
    with pytest.raises(RnnLabError) as info:
        validation_shape(40, "consecutive", 32, 35)
    assert info.value.key == "train.val_too_short"
    with pytest.raises(RnnLabError) as info:
        validation_shape(1000, "consecutive", 32, 35, fixed_steps=True)
    assert info.value.key == "train.val_too_short_fixed" and info.value.params["need"] == 32 * 36
    assert validation_shape(32 * 36, "consecutive", 32, 35, fixed_steps=True) == (32, 35)  # (what it says is enough, is)


# =========================================================================== the language model's state


def test_consecutive_sampling_carries_the_state_across_batches_and_resets_it_each_epoch():
    cfg = tiny_model_config()
    model = compiled_lm(cfg, VOCAB, batch=4, stateful=True)
    trainer = LanguageModelTrainer(model, "consecutive", batch_size=4, num_steps=5)
    batches = trainer.batches(STREAM, epoch=0)
    assert np.array_equal(batches[1].starts, batches[0].starts + 5), "rows continue each other"

    trainer.reset_state()
    assert all(not s.any() for s in model_state(model))
    trainer.train_batch(batches[0].x, batches[0].y)
    state_after_1 = model_state(model)
    assert state_after_1 and np.abs(state_after_1[0]).sum() > 0
    weights_after_1 = model.get_weights()

    # batch 2's loss from batch 1's final state, computed independently
    import tensorflow as tf

    twin = build_language_model(cfg, VOCAB, batch_size=4, stateful=True)
    twin.set_weights(weights_after_1)
    twin.get_layer("rnn_1").states[0].assign(state_after_1[0])  # a constant start: nothing flows back
    with tf.GradientTape() as tape:
        logits = twin(batches[1].x)
        twin_loss = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(batches[1].y, logits, from_logits=True))
    grads = [tf.convert_to_tensor(g).numpy() for g in tape.gradient(twin_loss, twin.trainable_variables)]
    expected = mean_ce_by_hand(logits.numpy(), batches[1].y)
    from_zero = mean_ce_by_hand(stateless_copy(model, cfg, VOCAB)(batches[1].x).numpy(), batches[1].y)
    before = [np.array(v.numpy()) for v in model.trainable_variables]
    loss_2, _ = trainer.train_batch(batches[1].x, batches[1].y)
    assert loss_2 == pytest.approx(expected, abs=1e-5)
    assert abs(expected - from_zero) > 1e-4, "the carried state must matter in this test"
    # the update is plain SGD (lr 0.5) on batch 2's own gradient: the state is detached from batch 1
    for var, old, grad in zip(model.trainable_variables, before, grads, strict=True):
        np.testing.assert_allclose(var.numpy(), old - 0.5 * grad, atol=1e-5)

    # a whole epoch, then the next one starts from a zero state again
    trainer.train_epoch(STREAM, epoch=0)
    expected_first = mean_ce_by_hand(stateless_copy(model, cfg, VOCAB)(batches[0].x).numpy(), batches[0].y)
    seen = []
    trainer.train_epoch(STREAM, epoch=1, on_batch=lambda b, logs: seen.append(logs))
    assert seen[0]["batch_loss"] == pytest.approx(expected_first, abs=1e-5)
    assert len(seen) == textlib.count_consecutive_batches(len(STREAM), 4, 5)
    running = np.cumsum([s["batch_loss"] for s in seen]) / np.arange(1, len(seen) + 1)
    assert [s["loss"] for s in seen] == pytest.approx(running.tolist(), rel=1e-6)


def test_random_sampling_starts_every_batch_from_a_zero_state():
    cfg = tiny_model_config(cell="simple_rnn")
    model = compiled_lm(cfg, VOCAB, batch=None, stateful=False)
    trainer = LanguageModelTrainer(model, "random", batch_size=4, num_steps=5, seed=3)
    assert model_state(model) == []
    batches = trainer.batches(STREAM, epoch=0)
    assert batches[0].starts.tolist() != trainer.batches(STREAM, epoch=1)[0].starts.tolist(), "a new order every epoch"
    for batch in batches[:3]:
        expected = mean_ce_by_hand(stateless_copy(model, cfg, VOCAB)(batch.x).numpy(), batch.y)
        loss, _ = trainer.train_batch(batch.x, batch.y)
        assert loss == pytest.approx(expected, abs=1e-5)
    with pytest.raises(ValueError):
        LanguageModelTrainer(model, "consecutive", batch_size=4, num_steps=5)


@pytest.mark.parametrize(
    "changes, sampler",
    [
        ({"cell": "simple_rnn", "implementation": "scratch", "embedding_dim": 0}, "consecutive"),  # core.fused
        ({"cell": "lstm", "implementation": "scratch"}, "random"),  # autodiff, unrolled cells
        ({"cell": "gru", "implementation": "layer"}, "consecutive"),  # autodiff through model(x)
    ],
)
def test_batches_grouped_into_one_call_make_the_same_updates_as_one_call_each(changes, sampler):
    cfg = tiny_model_config(**changes)
    stateful = sampler == "consecutive"
    start = compiled_lm(cfg, VOCAB, batch=4 if stateful else None, stateful=stateful).get_weights()
    results = {}
    for group in (1, 3, None):  # one batch a call, three, and as many as fill EXECUTION_SECONDS
        keras.utils.set_random_seed(1234)
        model = compiled_lm(cfg, VOCAB, batch=4 if stateful else None, stateful=stateful)
        model.set_weights(start)
        trainer = LanguageModelTrainer(model, sampler, batch_size=4, num_steps=5, seed=2, steps_per_execution=group)
        calls = []
        real = trainer.train_batches
        trainer.train_batches = lambda xs, ys: calls.append(len(xs)) or real(xs, ys)
        logs = []
        for epoch in range(3):
            trainer.train_epoch(STREAM, epoch, on_batch=lambda b, row: logs.append((b, row)))
        results[group] = (logs, model.get_weights(), calls)
    batches = len(trainer.batches(STREAM, 0))
    assert batches >= 7
    for group in (3, None):
        logs, weights, calls = results[group]
        assert [b for b, _ in logs] == [b for b, _ in results[1][0]] == list(range(batches)) * 3
        for (_, row), (_, one) in zip(logs, results[1][0]):
            assert row == pytest.approx(one, rel=1e-5, abs=1e-6)
        for w, one in zip(weights, results[1][1], strict=True):
            np.testing.assert_allclose(w, one, rtol=1e-5, atol=1e-6)
        assert sum(calls) == 3 * batches
    assert results[1][2] == [1] * (3 * batches)
    assert results[3][2] == ([3] * (batches // 3) + ([batches % 3] if batches % 3 else [])) * 3, "groups never cross an epoch"
    # automatic: one batch a call until a call has been timed, then larger groups (this
    # model's batch takes milliseconds, so an epoch's remaining batches fit in one call)
    auto = results[None][2]
    assert auto[:2] == [1, 1] and max(auto) > 1 and len(auto) < 3 * batches


def test_a_stop_request_during_a_group_still_logs_every_update_of_the_group():
    from core.train import StopRequested

    cfg = tiny_model_config()
    model = compiled_lm(cfg, VOCAB, batch=None, stateful=False)
    trainer = LanguageModelTrainer(model, "random", batch_size=4, num_steps=5, steps_per_execution=4)
    seen = []

    def on_batch(b, logs):
        seen.append(b)
        if b == 1:
            raise StopRequested()

    with pytest.raises(StopRequested):
        trainer.train_epoch(STREAM, 0, on_batch=on_batch)
    assert seen == [0, 1, 2, 3], "the four updates of the first call are all logged, then the run stops"
    with pytest.raises(ValueError):
        trainer.train_batches(np.zeros((0, 4, 5), np.int32), np.zeros((0, 4, 5), np.int32))
    with pytest.raises(ValueError):
        LanguageModelTrainer(model, "random", batch_size=4, num_steps=5, steps_per_execution=0)


def test_global_norm_clipping_bounds_the_applied_update():
    cfg = tiny_model_config(cell="lstm")
    theta, lr = 1e-3, 2.0
    model = compiled_lm(cfg, VOCAB, batch=None, stateful=False, optimizer=keras.optimizers.SGD(learning_rate=lr, global_clipnorm=theta))
    trainer = LanguageModelTrainer(model, "random", batch_size=4, num_steps=5)
    batch = trainer.batches(STREAM, epoch=0)[0]
    before = [np.array(v.numpy()) for v in model.trainable_variables]

    import tensorflow as tf

    twin = stateless_copy(model, cfg, VOCAB)
    with tf.GradientTape() as tape:
        loss = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(batch.y, twin(batch.x), from_logits=True))
    grads = [tf.convert_to_tensor(g).numpy() for g in tape.gradient(loss, twin.trainable_variables)]
    norm = math.sqrt(sum(float((g.astype(np.float64) ** 2).sum()) for g in grads))
    assert norm > 10 * theta, "the test needs a gradient that gets clipped"

    _, reported_norm = trainer.train_batch(batch.x, batch.y)
    assert reported_norm == pytest.approx(norm, rel=1e-4)
    deltas = []
    for var, old, grad in zip(model.trainable_variables, before, grads, strict=True):
        delta = var.numpy() - old
        expected = -lr * grad * (theta / norm)
        # float32 gradients of two graphs (the trainer's compiled step, the twin's tape) differ
        # element by element by up to ~0.6% on other CPUs (seen in CI), so compare whole
        # tensors: a wrong norm or a missing clip changes every element by the same factor.
        # Floor: 0.01% of the whole update's norm (lr * theta), for near-zero tensors.
        error = np.linalg.norm((delta - expected).astype(np.float64))
        assert error <= 3e-3 * np.linalg.norm(expected.astype(np.float64)) + 1e-4 * lr * theta, (var.path, error)
        deltas.append(delta)
    applied = math.sqrt(sum(float((d.astype(np.float64) ** 2).sum()) for d in deltas))
    assert applied == pytest.approx(lr * theta, rel=1e-3) and applied <= lr * theta * (1 + 1e-3)


@pytest.mark.parametrize("optimizer", ["sgd", "adam", "rmsprop"])
def test_sentiment_fit_clips_by_the_true_global_norm_with_repeated_tokens(tmp_path, optimizer):
    """model.fit's path (sentiment runs): the Embedding's gradient comes as sparse rows, one per
    token, with repeats; the config's optimizer clips by the norm of the summed gradient.
    Keras's own optimizer does not (checked here too, so the test shows what it guards)."""
    import tensorflow as tf

    from core.models import CLIPPED_OPTIMIZERS
    from core.train import build_sentiment_model, load_run_model, make_optimizer

    theta = 0.01
    cfg = TrainConfig(task="sentiment", dataset="chinese_reviews", maxlen=6, optimizer=optimizer, learning_rate=1.0, clip_global_norm=theta,
                      model=tiny_model_config(cell="gru", units=4, embedding_dim=3, pooling="mean"))
    x = np.array([[1, 1, 1, 1, 2, 2]] * 4, dtype="int32")  # every token repeated: the rows add up
    y = np.ones((4, 1), dtype="float32")

    def true_norm(model):
        with tf.GradientTape() as tape:
            loss = keras.ops.mean(keras.losses.binary_crossentropy(y, model(x)))
        return math.sqrt(sum(float(tf.reduce_sum(tf.convert_to_tensor(g) ** 2)) for g in tape.gradient(loss, model.trainable_variables)))

    def first_update(model) -> np.ndarray:
        before = [w.copy() for w in model.get_weights()]
        model.train_on_batch(x, y)
        return np.concatenate([(a - b).ravel() for a, b in zip(model.get_weights(), before)])

    keras.utils.set_random_seed(0)
    model = build_sentiment_model(cfg, vocab_size=5)
    assert isinstance(model.optimizer, CLIPPED_OPTIMIZERS[optimizer])
    weights = model.get_weights()
    norm = true_norm(model)
    assert norm > 10 * theta, "the test needs a gradient that gets clipped"
    update = first_update(model)
    if optimizer == "sgd":  # SGD's step is lr x the clipped gradient: its norm is theta
        assert np.linalg.norm(update) == pytest.approx(theta, rel=1e-4)
    # same weights, gradient clipped to theta by hand -> the same step, for any optimizer
    keras.utils.set_random_seed(0)
    by_hand = build_sentiment_model(cfg.copy(clip_global_norm=None), vocab_size=5)
    by_hand.set_weights(weights)
    with tf.GradientTape() as tape:
        loss = keras.ops.mean(keras.losses.binary_crossentropy(y, by_hand(x)))
    grads = [tf.convert_to_tensor(g) * (theta / norm) for g in tape.gradient(loss, by_hand.trainable_variables)]
    before = [w.copy() for w in by_hand.get_weights()]
    by_hand.optimizer.apply(grads, by_hand.trainable_variables)
    expected = np.concatenate([(a - b).ravel() for a, b in zip(by_hand.get_weights(), before)])
    np.testing.assert_allclose(update, expected, rtol=2e-3, atol=1e-6)

    if optimizer == "sgd":  # Keras's own SGD with the same global_clipnorm takes another step
        keras.utils.set_random_seed(0)
        plain = build_sentiment_model(cfg.copy(clip_global_norm=None), vocab_size=5)
        plain.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0, global_clipnorm=theta), loss="binary_crossentropy")
        plain.set_weights(weights)
        assert abs(np.linalg.norm(first_update(plain)) - theta) > 0.01 * theta

    # the run's model file keeps the optimizer and loads with safe_mode
    model.save(tmp_path / "m.keras")
    loaded = load_run_model(tmp_path / "m.keras")
    assert type(loaded.optimizer) is type(make_optimizer(cfg)) and loaded.optimizer.global_clipnorm == pytest.approx(theta)


@pytest.mark.parametrize("sampler", ["consecutive", "random"])
def test_validation_perplexity_is_exp_of_the_mean_cross_entropy_on_the_held_out_stream(sampler):
    cfg = tiny_model_config(cell="lstm")
    stateful = sampler == "consecutive"
    model = compiled_lm(cfg, VOCAB, batch=4 if stateful else None, stateful=stateful)
    trainer = LanguageModelTrainer(model, sampler, batch_size=4, num_steps=5, seed=1)
    trainer.train_epoch(STREAM[:400], epoch=0)
    val = STREAM[400:]
    result = trainer.evaluate(val)
    twin = stateless_copy(model, cfg, VOCAB)
    rows, steps = validation_shape(len(val), sampler, 4, 5)
    if stateful:
        # carrying the state from zero through consecutive batches = reading each row in one go
        n = textlib.count_consecutive_batches(len(val), rows, steps) * steps
        strips = val[: rows * (len(val) // rows)].reshape(rows, -1)
        x, y = strips[:, :n], strips[:, 1 : n + 1]
        by_hand = mean_ce_by_hand(twin(x).numpy(), y)
    else:
        # every window of `steps` from the start, once (the shuffled batches left a seeded choice out)
        starts = np.arange((len(val) - 1) // steps) * steps
        windows = starts[:, None] + np.arange(steps)[None, :]
        by_hand = mean_ce_by_hand(twin(val[windows]).numpy(), val[windows + 1])
        assert result["targets"] == len(starts) * steps > (len(val) - 1) - steps
        # so the figure is the weights', whatever the run's seed and batch size
        for seed, batch_size in ((7, 4), (1, 3)):
            other = LanguageModelTrainer(model, sampler, batch_size=batch_size, num_steps=5, seed=seed)
            assert other.evaluate(val)["loss"] == pytest.approx(result["loss"], abs=1e-5)
    assert result["loss"] == pytest.approx(by_hand, abs=1e-5)
    assert result["perplexity"] == pytest.approx(math.exp(by_hand), rel=1e-5)
    assert 1.0 < result["perplexity"] < 3 * VOCAB


# =========================================================================== whole runs


EXPECTED_FILES = ["config.json", "status.json", "history.jsonl", "batches.jsonl", "samples.jsonl", "vocab.json", "model_last.keras", "model_best.keras", "train.log", "tb"]


def test_a_tiny_sentiment_run_writes_the_whole_run_folder(tmp_path):
    cfg = TrainConfig(
        task="sentiment",
        dataset="chinese_reviews",
        max_train_texts=400,
        maxlen=40,
        epochs=1,
        batch_size=64,
        log_every_batches=3,
        model=tiny_model_config(units=8, embedding_dim=8),
    )
    run = RunDir(tmp_path / "run")
    status = run_training(cfg, run)
    assert status["state"] == "done", status.get("error")
    for name in EXPECTED_FILES:
        assert (run.path / name).exists(), name
    assert any((run.path / "tb").rglob("events.out.tfevents*")), "TensorBoard scalars"
    history = run.history()
    assert [h["epoch"] for h in history] == [1]
    assert {"loss", "accuracy", "val_loss", "val_accuracy", "seconds", "lr"} <= set(history[0])
    batches = run.batches()
    assert [b["batch"] for b in batches] == [3, 6, 7] and batches[-1]["step"] == 7
    assert 0.0 <= status["test_accuracy"] <= 1.0 and status["test_loss"] > 0
    assert status["epoch"] == 1 and status["progress"] == 1.0 and status["best"]["epoch"] == 1
    assert status["cores"] == len(os.sched_getaffinity(0))  # what its speed was measured on
    assert status["data"]["train_texts"] == 400 and status["data"]["val_source"] == "val split"
    assert TrainConfig.from_dict(run.config()).tokenizer == "char", "the resolved config is saved"
    vocab = textlib.Vocab.from_json(run.vocab_path.read_text(encoding="utf-8"))
    assert len(vocab) == status["vocab_size"]
    for path in (run.last_model_path, run.best_model_path):
        model = keras.saving.load_model(path, safe_mode=True)
        assert model.predict(np.zeros((2, 40), dtype="int32"), verbose=0).shape == (2, 1)


def test_a_language_model_learns_a_repeated_text_and_writes_samples(tmp_path):
    text = "我爱北京天安门，天安门上太阳升。" * 60
    cfg = TrainConfig(
        task="language_model",
        dataset=write_corpus(tmp_path / "song.txt", text),
        tokenizer="char",
        model=tiny_model_config(cell="gru", units=32, embedding_dim=16),
        optimizer="adam",
        learning_rate=0.02,
        clip_global_norm=5.0,
        batch_size=8,
        num_steps=10,
        sampler="consecutive",
        epochs=4,
        sample_prefixes=["我爱"],
        sample_every=2,
        sample_length=15,
        log_every_batches=5,
    )
    run = RunDir(tmp_path / "lm")
    status = run_training(cfg, run)
    assert status["state"] == "done", status.get("error")
    vocab_size = status["vocab_size"]
    history = run.history()
    assert [h["epoch"] for h in history] == [1, 2, 3, 4]
    for h in history:
        assert h["perplexity"] == pytest.approx(math.exp(h["loss"]), rel=1e-6)
        assert h["val_perplexity"] == pytest.approx(math.exp(h["val_loss"]), rel=1e-6)
    assert history[-1]["val_perplexity"] < 2.0 < 0.2 * vocab_size, history[-1]
    samples = run.samples()
    assert [s["epoch"] for s in samples] == [2, 4]
    assert samples[-1]["prefix"] == "我爱" and samples[-1]["text"].startswith("我爱北京天安门")
    assert status["best"]["val_perplexity"] == min(h["val_perplexity"] for h in history)
    model = keras.saving.load_model(run.last_model_path, safe_mode=True)
    assert model.get_layer("rnn_1").stateful


@pytest.mark.parametrize(("cell", "implementation"), [("simple_rnn", "scratch"), ("lstm", "layer")])
def test_a_language_model_with_a_bfloat16_output_layer_learns_as_well(tmp_path, cell, implementation):
    """The same run in float32 and with output_precision="bfloat16" (core.fused for the
    from-scratch SimpleRNN, autodiff through the Keras layers for the LSTM): both learn the
    repeated text, to held-out losses within bfloat16's rounding of each other; the saved
    bfloat16 model loads (safe_mode) with its output layer in bfloat16 and float32 logits."""
    corpus = write_corpus(tmp_path / "song.txt", "我爱北京天安门，天安门上太阳升。" * 60)
    results = {}
    for precision in ("float32", "bfloat16"):
        cfg = TrainConfig(task="language_model", dataset=corpus, tokenizer="char", optimizer="adam", learning_rate=0.02,
                          clip_global_norm=5.0, batch_size=8, num_steps=10, sampler="consecutive", epochs=4, sample_length=0,
                          model=tiny_model_config(cell=cell, implementation=implementation, units=32, embedding_dim=0, output_precision=precision))
        run = RunDir(tmp_path / precision)
        status = run_training(cfg, run)
        assert status["state"] == "done", status.get("error")
        results[precision] = run.history()[-1]
        model = keras.saving.load_model(run.last_model_path, safe_mode=True)
        assert model.get_layer("output").compute_dtype == precision
        assert model.outputs[0].dtype == "float32"
    assert results["bfloat16"]["val_perplexity"] < 2.0, results
    assert results["bfloat16"]["val_loss"] == pytest.approx(results["float32"]["val_loss"], abs=0.05), results


def test_a_stop_request_cancels_after_the_batch_and_saves_the_model(tmp_path):
    cfg = TrainConfig(
        task="language_model",
        dataset=write_corpus(tmp_path / "c.txt", "abcdefghij" * 80),
        tokenizer="char",
        model=tiny_model_config(),
        batch_size=4,
        num_steps=5,
        sampler="random",
        epochs=3,
    )
    run = RunDir(tmp_path / "stopped")
    run.path.mkdir()
    run.request_stop()
    status = run_training(cfg, run)
    assert status["state"] == "cancelled" and status["epoch"] == 0 and status["model_saved"]
    assert run.last_model_path.exists() and run.history() == []
    assert len(run.batches()) == 0 or run.batches()[0]["batch"] == 1


def test_a_run_stops_at_its_time_limit_saved_and_resumable(tmp_path):
    """`time_limit_minutes`: a run within every cap on its own (units, layers, steps, epochs) held a
    class's only training slot for hours (an exploratory teacher). 6 s of a run of 10,000 epochs."""
    cfg = TrainConfig(task="language_model", dataset=write_corpus(tmp_path / "c.txt", "abcdefghij" * 80), tokenizer="char",
                      model=tiny_model_config(), batch_size=4, num_steps=5, sampler="random", epochs=10_000, sample_length=0,
                      time_limit_minutes=0.1)
    run = RunDir(tmp_path / "limited")
    started = time.monotonic()
    status = run_training(cfg, run)
    took = time.monotonic() - started
    assert status["state"] == "cancelled" and status["stopped_by"] == "time_limit" and status["model_saved"], status
    assert 6.0 <= took < 120.0  # (6 s of training, after Keras's import and the data)
    epochs = int(status["epoch"])
    # (on a busy machine the first epoch, which traces the graph, may not end within the 6 s: then none)
    assert 0 <= epochs < 10_000 and status["checkpoint_epoch"] == epochs and run.last_model_path.exists()
    assert "time limit of 0.1 min reached" in run.log_path.read_text(encoding="utf-8")
    assert status["stretch_epochs"] == epochs  # (what the panel says: none, and a resume would only start the same epoch again)
    # resumed with the epochs it has plus two and no limit: carries on from its checkpoint and finishes
    assert main(["--run-dir", str(run.path), "--resume", "--set", f"epochs={epochs + 2}", "--set", "time_limit_minutes=null"]) == 0
    resumed = run.status()
    assert resumed["state"] == "done" and resumed["resumed_from"] == epochs and resumed.get("stopped_by") is None
    assert [row["epoch"] for row in run.history()] == list(range(1, epochs + 3))
    with pytest.raises(RnnLabError) as caught:  # fractions are allowed, nothing at or below 0
        TrainConfig(time_limit_minutes=0).validate()
    assert caught.value.params["name"] == "time_limit_minutes"


def test_the_time_limit_ends_a_run_after_a_training_batch_not_while_it_is_scored(tmp_path):
    """A run whose last epoch had trained would have ended "stopped" had its time run out while
    its validation or test batches were scored."""
    from core.train import RunLog, RunMonitor, TimeLimitReached

    run = RunDir(tmp_path / "run")
    run.path.mkdir()
    monitor = RunMonitor(run, TrainConfig(time_limit_minutes=0.001), None, steps_per_epoch=4, start_epoch=0, log=RunLog(run))
    monitor.batch_end(0, 0, {"loss": 1.0})  # within its 0.06 s
    time.sleep(0.1)
    monitor.test_batch_end()  # scoring goes on
    with pytest.raises(TimeLimitReached):
        monitor.batch_end(0, 1, {"loss": 1.0})
    monitor.close()


def test_the_time_left_is_no_later_than_the_time_limit(tmp_path):
    """A run of 500 epochs stopped at its 2 minutes said "about 9902 s left", and a classmate
    queued behind it read "your turn in about 10452 s" (an exploratory teacher)."""
    from core.train import RunLog, RunMonitor

    run = RunDir(tmp_path / "run")
    run.path.mkdir()
    monitor = RunMonitor(run, TrainConfig(epochs=500, time_limit_minutes=0.5), None, steps_per_epoch=100, start_epoch=0, log=RunLog(run))
    assert monitor.eta(0.0) is None  # (the pace starts)
    time.sleep(0.05)
    left = monitor.eta(0.0001)  # 0.05 s for a ten-thousandth of the run: about 500 s at this pace
    assert monitor.eta_limited and left <= 30.0
    monitor.heartbeat(force=True, eta_seconds=left)
    assert run.status()["eta_limited"] is True
    unlimited = RunMonitor(run, TrainConfig(epochs=500), None, steps_per_epoch=100, start_epoch=0, log=RunLog(run))
    unlimited.eta(0.0)
    time.sleep(0.05)
    assert unlimited.eta(0.0001) > 100 and not unlimited.eta_limited
    monitor.close()
    unlimited.close()


def test_failures_end_as_failed_with_one_sentence_and_the_cli_exit_status(tmp_path):
    cfg = TrainConfig(
        task="language_model",
        dataset=write_corpus(tmp_path / "short.txt", "abc" * 10),
        model=tiny_model_config(),
        batch_size=32,
        num_steps=35,
    )
    run = RunDir(tmp_path / "short")
    status = run_training(cfg, run)
    assert status["state"] == "failed" and status["error_key"] == "train.corpus_too_short"
    assert "\n" not in status["error"] and "batch_size" in status["error"]
    log = run.log_path.read_text(encoding="utf-8")
    assert f"training failed: {status['error']}" in log and "Traceback" not in log  # a user's error is a sentence, not a trace
    # the CLI: an absurd config fails (non-zero) before any training, and says why in status.json
    config_file = tmp_path / "bad.json"
    config_file.write_text(json.dumps({**cfg.to_dict(), "epochs": 0}), encoding="utf-8")
    assert main(["--config", str(config_file), "--run-dir", str(tmp_path / "bad")]) != 0
    bad = RunDir(tmp_path / "bad").status()
    assert bad["state"] == "failed" and bad["error_key"] == "train.bad_range" and "epochs" in bad["error"]


def test_the_cli_refuses_commands_that_would_spoil_a_trained_run(tmp_path, capsys):
    """An exploratory practitioner's findings: `--resume --set char_limit=… val_fraction=…` trained
    on the old held-out text (perplexity 250 -> 83, marked best), `--resume --set model.units=64`
    rewrote config.json and failed on the weights; `--set epochs=abc` against a finished run
    turned it "failed"; `--config` into a finished run's folder trained over it unasked."""
    cfg = TrainConfig(task="language_model", dataset=write_corpus(tmp_path / "c.txt", "天地玄黄宇宙洪荒" * 60), tokenizer="char",
                      batch_size=4, num_steps=8, epochs=1, sample_length=0, model=tiny_model_config())
    run = RunDir(tmp_path / "run")
    assert run_training(cfg, run)["state"] == "done"
    config_before, status_before = run.config_path.read_text(encoding="utf-8"), run.status_path.read_text(encoding="utf-8")
    config_file = tmp_path / "cfg.json"
    config_file.write_text(json.dumps(cfg.to_dict()), encoding="utf-8")

    def refused(*argv: str) -> str:
        capsys.readouterr()
        assert main([*argv, "--run-dir", str(run.path)]) == 1
        return capsys.readouterr().err

    said = refused("--resume", "--set", "epochs=3", "--set", "val_fraction=0.5", "--set", "model.units=64")
    assert said.startswith("error: --resume cannot change model, val_fraction") and "epochs" in said.split("may change only")[1]
    assert "--preset or --config" in refused("--resume", "--config", str(config_file))
    assert "--set epochs=" in refused("--resume")  # its 1 epoch is trained: nothing to continue
    assert "whole number" in refused("--set", "epochs=abc")
    assert "--overwrite" in refused("--config", str(config_file))
    # none of them touched the run
    assert run.config_path.read_text(encoding="utf-8") == config_before
    assert run.status_path.read_text(encoding="utf-8") == status_before
    # what may change on resume does; --overwrite trains the folder again from scratch
    assert main(["--resume", "--set", "epochs=2", "--set", "sample_every=2", "--run-dir", str(run.path)]) == 0
    assert [row["epoch"] for row in run.history()] == [1, 2] and run.config()["epochs"] == 2
    assert main(["--config", str(config_file), "--overwrite", "--run-dir", str(run.path)]) == 0
    assert [row["epoch"] for row in run.history()] == [1] and run.config()["epochs"] == 1
    # a new folder whose first command was refused takes the corrected one without --overwrite
    bad_file = tmp_path / "bad.json"
    bad_file.write_text(json.dumps({**cfg.to_dict(), "epochs": 0}), encoding="utf-8")
    assert main(["--config", str(bad_file), "--run-dir", str(tmp_path / "fresh")]) == 1
    assert RunDir(tmp_path / "fresh").status()["state"] == "failed"
    assert main(["--config", str(config_file), "--run-dir", str(tmp_path / "fresh")]) == 0
    # a folder outside any store is not made one (a .schedule.lock was left beside any --run-dir)
    assert not (tmp_path / ".schedule.lock").exists()
    # and a run folder that cannot be made is said as such (it read "Something went wrong: FileNotFoundError")
    capsys.readouterr()
    assert main(["--config", str(config_file), "--run-dir", "/proc/rnnlab-no-such-run"]) == 1
    said = capsys.readouterr().err
    assert said.startswith("error: The run folder /proc/rnnlab-no-such-run cannot be made") and "could not schedule" not in said, said


# =========================================================================== best weights, early stopping, Word2Vec start


def test_early_stopping_ends_a_run_after_patience_epochs_without_a_better_val_loss(tmp_path):
    from core.train import RunLog, RunMonitor

    cfg = TrainConfig(task="sentiment", epochs=10, early_stopping_patience=2, model=tiny_model_config())
    run = RunDir(tmp_path / "run")
    run.path.mkdir()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    monitor = RunMonitor(run, cfg, model, steps_per_epoch=1, start_epoch=0, log=RunLog(run))
    stopped = []
    for epoch, val_loss in enumerate([0.6, 0.5, 0.55, 0.52, 0.4]):
        monitor.epoch_end(epoch, {"loss": 0.5, "accuracy": 0.7, "val_loss": val_loss, "val_accuracy": 0.7})
        stopped.append(monitor.stopped_early)
        if monitor.stopped_early is not None:
            break
    monitor.close()
    assert stopped == [None, None, None, 4], "two epochs (3 and 4) without beating epoch 2's 0.5"
    assert monitor.best["epoch"] == 2
    assert "early stopping" in run.log_path.read_text(encoding="utf-8")
    without = RunMonitor(run, cfg.copy(early_stopping_patience=None), model, 1, 0, RunLog(run))
    for epoch, val_loss in enumerate([0.5, 0.6, 0.7, 0.8]):
        without.epoch_end(epoch, {"loss": 0.5, "val_loss": val_loss})
    without.close()
    assert without.stopped_early is None


@pytest.mark.parametrize(
    ("rows", "key", "params"),
    [
        # every text positive: it trained "successfully" to an accuracy of 1.0
        ([("很好的东西{i}", "好评")] * 60, "train.one_class", {"label": "好评"}),
        # 12 texts, 6 of each label: the 80/10/10 split per label leaves no test text, and the
        # run trained and then failed with "KeyError: 'loss'" from evaluate() on nothing
        ([("很好的东西{i}", 1), ("不好的东西{i}", 0)] * 6, "train.too_few_texts", {"train": 10, "val": 2, "test": 0}),
    ],
    ids=["one label", "no test text"],
)
def test_a_sentiment_run_on_unusable_texts_is_refused_before_training(tmp_path, rows, key, params):
    # a CSV given on the command line (the Training page refuses both at upload)
    from core.train import prepare_sentiment_data

    path = tmp_path / "reviews.csv"
    path.write_text("text,label\n" + "".join(f"{text.format(i=i)},{label}\n" for i, (text, label) in enumerate(rows)), encoding="utf-8")
    config = TrainConfig(task="sentiment", dataset=f"upload:{path}", tokenizer="char", maxlen=10)
    with pytest.raises(RnnLabError) as info:
        prepare_sentiment_data(config)
    assert info.value.key == key and info.value.params == {"dataset": f"upload:{path}", **params}


def test_a_language_model_stopped_early_samples_its_last_epoch(tmp_path):
    """Samples came every sample_every epochs and at the config's last epoch: a run that early
    stopping ended at epoch 23 showed its samples of epoch 20 as its last (a practitioner)."""
    rng = np.random.default_rng(0)
    text = "".join(rng.choice(list("天地玄黄宇宙洪荒日月盈昃"), size=1500))  # no pattern: val_loss soon rises
    cfg = TrainConfig(task="language_model", dataset=write_corpus(tmp_path / "c.txt", text), tokenizer="char", optimizer="adam",
                      learning_rate=0.05, batch_size=4, num_steps=8, sampler="random", epochs=40, early_stopping_patience=1,
                      sample_every=100, sample_length=5, sample_prefixes=["天地"], model=tiny_model_config(units=32))
    run = RunDir(tmp_path / "run")
    status = run_training(cfg, run)
    assert status["state"] == "done" and status["stopped_early"] is not None and status["stopped_early"] < 40, status
    assert [row["epoch"] for row in run.samples()] == [status["stopped_early"]]


def test_a_sentiment_run_scores_the_test_split_with_the_best_weights(tmp_path):
    from core.train import prepare_sentiment_data

    cfg = TrainConfig(
        task="sentiment", dataset="chinese_reviews", max_train_texts=300, maxlen=30, epochs=3,
        learning_rate=0.05, early_stopping_patience=1,  # a large step: val_loss soon rises
        model=tiny_model_config(units=8, embedding_dim=8, mask_zero=True, pooling="max"),
    )
    run = RunDir(tmp_path / "run")
    status = run_training(cfg, run)
    assert status["state"] == "done", status.get("error")
    history = run.history()
    best_epoch = min(history, key=lambda h: h["val_loss"])["epoch"]
    assert status["best"]["epoch"] == best_epoch == status["test_epoch"]
    if status["stopped_early"] is not None:
        assert status["stopped_early"] == len(history) < cfg.epochs
    data = prepare_sentiment_data(TrainConfig.from_dict(run.config()))
    best = keras.saving.load_model(run.best_model_path, safe_mode=True)
    accuracy = float(((best.predict(data.x_test, verbose=0)[:, 0] >= 0.5) == (data.y_test == 1)).mean())
    assert status["test_accuracy"] == pytest.approx(accuracy, abs=1e-6)


def test_word2vec_init_starts_the_embedding_from_vectors_of_the_training_texts(tmp_path):
    from core import embeddings
    from core.train import WORD2VEC_INIT_DEFAULTS, prepare_sentiment_data

    cfg = TrainConfig(
        task="sentiment", dataset="chinese_reviews", tokenizer="jieba", max_train_texts=200, maxlen=20, epochs=1,
        learning_rate=1e-7, word2vec_init={"epochs": 2, "min_count": 3},
        model=tiny_model_config(units=4, embedding_dim=6, mask_zero=True),
    )
    run = RunDir(tmp_path / "run")
    status = run_training(cfg, run)
    assert status["state"] == "done", status.get("error")
    info = status["word2vec_init"]
    assert 0 < info["covered"] < info["vocab"] and "200 training texts" in info["source"]
    # the same vectors again (one worker, fixed hash: the same in every process)
    data = prepare_sentiment_data(TrainConfig.from_dict(run.config()))
    settings = embeddings.Word2VecSettings(**{**WORD2VEC_INIT_DEFAULTS, "epochs": 2, "min_count": 3}, dim=6, seed=0, workers=1)
    vectors = embeddings.train_word2vec(data.train_tokens, settings)
    tokens, _ = embeddings.vocab_tokens(data.vocab_json)
    expected, covered = embeddings.embedding_matrix_for(tokens, vectors, seed=0)
    table = keras.saving.load_model(run.last_model_path, safe_mode=True).get_layer("embedding").get_weights()[0]
    np.testing.assert_allclose(table[covered], expected[covered], atol=1e-4)  # learning rate 1e-7: still the start


def test_word2vec_corpora_add_unlabelled_lines_to_the_word2vec_texts(tmp_path):
    from core import embeddings
    from core.train import WORD2VEC_INIT_DEFAULTS, prepare_sentiment_data, word2vec_corpus_tokens

    cfg = TrainConfig(
        task="sentiment", dataset="chinese_reviews", tokenizer="jieba", max_train_texts=200, maxlen=20, epochs=1,
        learning_rate=1e-7, word2vec_init={"epochs": 2, "min_count": 3}, word2vec_corpora=["lyrics"],
        model=tiny_model_config(units=4, embedding_dim=6, mask_zero=True),
    )
    run = RunDir(tmp_path / "run")
    status = run_training(cfg, run)
    assert status["state"] == "done", status.get("error")
    assert TrainConfig.from_dict(run.config()).word2vec_corpora == ["lyrics"]
    lyrics = word2vec_corpus_tokens("lyrics", "jieba")
    assert lyrics and all(lyrics) and f"+ {len(lyrics)} lines of lyrics" in status["word2vec_init"]["source"]
    data = prepare_sentiment_data(TrainConfig.from_dict(run.config()))
    settings = embeddings.Word2VecSettings(**{**WORD2VEC_INIT_DEFAULTS, "epochs": 2, "min_count": 3}, dim=6, seed=0, workers=1)
    tokens, _ = embeddings.vocab_tokens(data.vocab_json)
    with_lyrics, covered = embeddings.embedding_matrix_for(tokens, embeddings.train_word2vec(data.train_tokens + lyrics, settings), seed=0)
    alone, covered_alone = embeddings.embedding_matrix_for(tokens, embeddings.train_word2vec(data.train_tokens, settings), seed=0)
    assert covered.sum() > covered_alone.sum()  # words too rare in 200 reviews get a vector from the lyrics
    table = keras.saving.load_model(run.last_model_path, safe_mode=True).get_layer("embedding").get_weights()[0]
    np.testing.assert_allclose(table[covered], with_lyrics[covered], atol=1e-4)
    assert not np.allclose(table[covered_alone], alone[covered_alone], atol=1e-3)


@pytest.mark.parametrize(
    "changes, needle",
    [
        ({"word2vec_init": [5]}, "word2vec_init"),
        ({"word2vec_init": {"dim": 50}}, "unknown setting"),
        ({"word2vec_init": {"epochs": 0}}, "epochs"),
        ({"word2vec_init": {}, "task": "language_model", "dataset": "lyrics"}, "sentiment runs only"),
        ({"word2vec_init": {}, "pretrained_vectors": "v.npy"}, "not both"),
        ({"word2vec_init": {}, "word2vec_corpora": "peoples_daily"}, "word2vec_corpora"),
        ({"word2vec_init": {}, "word2vec_corpora": ["imdb"]}, "unknown corpus imdb"),
        ({"word2vec_init": {}, "word2vec_corpora": ["lyrics", "lyrics"]}, "twice"),
        ({"word2vec_corpora": ["peoples_daily"]}, "set word2vec_init too"),
    ],
)
def test_word2vec_init_settings_are_checked_before_training(changes, needle):
    with pytest.raises(RnnLabError) as info:
        check_settings(changes)
    assert needle in info.value.message("en")
    with pytest.raises(RnnLabError, match="Embedding layer"):
        TrainConfig(word2vec_init={}, model=tiny_model_config(embedding_dim=0)).validate()


# =========================================================================== label smoothing and the unigram output bias


def test_label_smoothing_updates_by_the_smoothed_objective_and_reports_plain_cross_entropy():
    import tensorflow as tf

    cfg = tiny_model_config(cell="lstm")
    lr, eps = 0.5, 0.3
    model = compiled_lm(cfg, VOCAB, batch=None, stateful=False, optimizer=keras.optimizers.SGD(learning_rate=lr))
    trainer = LanguageModelTrainer(model, "random", batch_size=4, num_steps=5, label_smoothing=eps)
    batch = trainer.batches(STREAM, epoch=0)[0]
    before = [np.array(v.numpy()) for v in model.trainable_variables]
    twin = stateless_copy(model, cfg, VOCAB)
    with tf.GradientTape() as tape:
        logits = twin(batch.x)
        ce = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(batch.y, logits, from_logits=True))
        objective = (1 - eps) * ce - eps * keras.ops.mean(keras.ops.log_softmax(logits, axis=-1))
    grads = [tf.convert_to_tensor(g).numpy() for g in tape.gradient(objective, twin.trainable_variables)]
    loss, _ = trainer.train_batch(batch.x, batch.y)
    assert loss == pytest.approx(mean_ce_by_hand(np.asarray(logits), batch.y), rel=1e-5)  # the plain CE, before the update
    for var, old, grad in zip(model.trainable_variables, before, grads, strict=True):
        delta, expected = var.numpy() - old, -lr * grad
        assert np.linalg.norm(delta - expected) <= 3e-3 * np.linalg.norm(expected) + 1e-7, var.path
    # and without smoothing the same step differs (the test can tell the two apart)
    model2 = compiled_lm(cfg, VOCAB, batch=None, stateful=False, optimizer=keras.optimizers.SGD(learning_rate=lr))
    model2.set_weights(twin.get_weights())  # the weights before the smoothed step
    LanguageModelTrainer(model2, "random", batch_size=4, num_steps=5).train_batch(batch.x, batch.y)
    assert not all(np.allclose(a.numpy(), b.numpy()) for a, b in zip(model2.trainable_variables, model.trainable_variables))


def test_label_smoothing_toward_a_prior_updates_by_that_objective():
    import tensorflow as tf

    from core.train import unigram_distribution

    cfg = tiny_model_config(cell="lstm")
    lr, eps = 0.5, 0.3
    prior = unigram_distribution(STREAM, VOCAB)
    assert prior.sum() == pytest.approx(1.0) and prior[0] == prior.min()
    model = compiled_lm(cfg, VOCAB, batch=None, stateful=False, optimizer=keras.optimizers.SGD(learning_rate=lr))
    twin = stateless_copy(model, cfg, VOCAB)
    trainer = LanguageModelTrainer(model, "random", batch_size=4, num_steps=5, label_smoothing=eps, smoothing_prior=prior)
    batch = trainer.batches(STREAM, epoch=0)[0]
    with tf.GradientTape() as tape:
        logits = twin(batch.x)
        ce = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(batch.y, logits, from_logits=True))
        spread = -keras.ops.mean(keras.ops.sum(keras.ops.log_softmax(logits, axis=-1) * prior.astype("float32"), axis=-1))
        objective = (1 - eps) * ce + eps * spread
    grads = [tf.convert_to_tensor(g).numpy() for g in tape.gradient(objective, twin.trainable_variables)]
    before = [np.array(v.numpy()) for v in model.trainable_variables]
    loss, _ = trainer.train_batch(batch.x, batch.y)
    assert loss == pytest.approx(mean_ce_by_hand(np.asarray(logits), batch.y), rel=1e-5)
    for var, old, grad in zip(model.trainable_variables, before, grads, strict=True):
        delta, expected = var.numpy() - old, -lr * grad
        assert np.linalg.norm(delta - expected) <= 3e-3 * np.linalg.norm(expected) + 1e-7, var.path
    # smoothing toward the uniform distribution moves the weights differently
    uniform = compiled_lm(cfg, VOCAB, batch=None, stateful=False, optimizer=keras.optimizers.SGD(learning_rate=lr))
    uniform.set_weights(twin.get_weights())
    LanguageModelTrainer(uniform, "random", batch_size=4, num_steps=5, label_smoothing=eps).train_batch(batch.x, batch.y)
    assert not all(np.allclose(a.numpy(), b.numpy(), atol=1e-6) for a, b in zip(uniform.trainable_variables, model.trainable_variables))


def test_a_run_smoothing_toward_the_unigram_distribution_keeps_the_setting(tmp_path):
    corpus = write_corpus(tmp_path / "c.txt", "分开 不分开 我不能再想 我不 我不 我不能 " * 40)
    cfg = TrainConfig(task="language_model", dataset=corpus, tokenizer="char", batch_size=4, num_steps=6, epochs=1, sampler="random",
                      label_smoothing=0.2, label_smoothing_prior="unigram", sample_length=0, model=tiny_model_config())
    run = RunDir(tmp_path / "run")
    assert run_training(cfg, run)["state"] == "done"
    assert TrainConfig.from_dict(run.config()).label_smoothing_prior == "unigram"
    with pytest.raises(RnnLabError) as info:
        check_settings({"task": "language_model", "dataset": "lyrics", "label_smoothing_prior": "zipf"})
    assert info.value.key == "train.bad_choice"
    with pytest.raises(RnnLabError) as info:
        check_settings({"label_smoothing_prior": "unigram"})
    assert info.value.key == "train.lm_only"


@pytest.mark.parametrize("tied", [False, True])
def test_unigram_output_bias_is_the_log_of_add_one_frequencies(tied):
    from core.train import set_unigram_output_bias

    cfg = tiny_model_config(tie_embeddings=tied, embedding_dim=6 if tied else 4)
    model = build_language_model(cfg, VOCAB)
    bias = set_unigram_output_bias(model, STREAM, VOCAB)
    counts = np.bincount(STREAM, minlength=VOCAB)
    expected = np.log((counts + 1) / (counts.sum() + VOCAB))
    np.testing.assert_allclose(model.get_layer("output").get_weights()[-1], expected, rtol=1e-6)
    np.testing.assert_allclose(bias, expected, rtol=1e-6)
    assert np.exp(expected).sum() == pytest.approx(1.0)  # a distribution: ids 0 and 1 (never seen) keep 1/(n+V) each


def test_a_language_model_run_with_smoothing_and_unigram_bias_reports_plain_perplexities(tmp_path):
    corpus = write_corpus(tmp_path / "c.txt", "分开 不分开 我不能再想 我不 我不 我不能 " * 40)
    cfg = TrainConfig(task="language_model", dataset=corpus, tokenizer="char", batch_size=4, num_steps=6, epochs=1,
                      label_smoothing=0.2, output_bias="unigram", sample_length=0, model=tiny_model_config())
    run = RunDir(tmp_path / "run")
    status = run_training(cfg, run)
    assert status["state"] == "done", status.get("error")
    row = run.history()[0]
    assert row["perplexity"] == pytest.approx(math.exp(row["loss"]), rel=1e-6)
    assert row["val_perplexity"] == pytest.approx(math.exp(row["val_loss"]), rel=1e-6)
    assert "output bias: log unigram" in run.log_path.read_text(encoding="utf-8")
    assert TrainConfig.from_dict(run.config()).label_smoothing == 0.2


@pytest.mark.parametrize(
    "changes, key",
    [
        ({"label_smoothing": 1.0, "task": "language_model", "dataset": "lyrics"}, "train.bad_fraction"),
        ({"label_smoothing": -0.1, "task": "language_model", "dataset": "lyrics"}, "train.bad_fraction"),
        ({"output_bias": "ones", "task": "language_model", "dataset": "lyrics"}, "train.bad_choice"),
        ({"label_smoothing": 0.1}, "train.lm_only"),
        ({"output_bias": "unigram"}, "train.lm_only"),
    ],
)
def test_smoothing_and_output_bias_settings_are_checked(changes, key):
    with pytest.raises(RnnLabError) as info:
        check_settings(changes)
    assert info.value.key == key


# =========================================================================== weight averaging


def test_weight_average_is_the_moving_average_of_the_updated_weights_and_is_swapped_in_and_out():
    cfg = tiny_model_config(cell="lstm")
    d = 0.8
    model = compiled_lm(cfg, VOCAB, batch=None, stateful=False, optimizer=keras.optimizers.SGD(learning_rate=0.5))
    trainer = LanguageModelTrainer(model, "random", batch_size=4, num_steps=5, weight_average=d)
    w0 = [np.array(v.numpy()) for v in model.trainable_variables]
    expected = [w.copy() for w in w0]
    for batch in trainer.batches(STREAM, epoch=0)[:3]:
        trainer.train_batch(batch.x, batch.y)
        expected = [d * e + (1 - d) * np.array(v.numpy()) for e, v in zip(expected, model.trainable_variables)]
    raw = [np.array(v.numpy()) for v in model.trainable_variables]
    assert not all(np.allclose(r, w) for r, w in zip(raw, w0))  # training moved the weights
    x = trainer.batches(STREAM, epoch=1)[0].x
    with trainer.averaged_weights():
        for var, e in zip(model.trainable_variables, expected):
            np.testing.assert_allclose(var.numpy(), e, rtol=1e-5, atol=1e-6)
        averaged_logits = np.asarray(model(x))
    for var, r in zip(model.trainable_variables, raw):  # the raw weights are back
        np.testing.assert_array_equal(var.numpy(), r)
    assert not np.allclose(averaged_logits, np.asarray(model(x)))
    # without averaging the block changes nothing
    plain = LanguageModelTrainer(model, "random", batch_size=4, num_steps=5)
    with plain.averaged_weights():
        np.testing.assert_array_equal(model.trainable_variables[0].numpy(), raw[0])


def test_a_run_with_weight_average_validates_and_saves_the_averaged_weights(tmp_path):
    corpus = write_corpus(tmp_path / "c.txt", "分开 不分开 我不能再想 我不 我不 我不能 " * 40)
    cfg = TrainConfig(task="language_model", dataset=corpus, tokenizer="char", batch_size=4, num_steps=6, epochs=2,
                      sampler="random", weight_average=0.9, sample_length=0, model=tiny_model_config())
    run = RunDir(tmp_path / "run")
    status = run_training(cfg, run)
    assert status["state"] == "done", status.get("error")
    assert "weight average" in run.log_path.read_text(encoding="utf-8")
    assert TrainConfig.from_dict(run.config()).weight_average == 0.9
    # the saved model's held-out loss is the one history reports for its epoch
    from core.train import load_run_model

    data = prepare_language_model_data(cfg)
    saved = load_run_model(run.last_model_path)
    twin = build_language_model(cfg.model, len(data.vocab))
    twin.set_weights(saved.get_weights())
    twin.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    evaluator = LanguageModelTrainer(twin, "random", batch_size=4, num_steps=6)
    assert evaluator.evaluate(data.val_ids)["loss"] == pytest.approx(run.history()[-1]["val_loss"], rel=1e-5)
    # and it is not what the raw weights give: the same run without averaging saves other weights
    keras.utils.set_random_seed(1234)
    raw_run = RunDir(tmp_path / "raw")
    assert run_training(cfg.copy(weight_average=0.0), raw_run)["state"] == "done"
    assert run.history()[-1]["loss"] == pytest.approx(raw_run.history()[-1]["loss"], rel=1e-5)  # the same training
    assert not np.allclose(load_run_model(raw_run.last_model_path).get_weights()[0], saved.get_weights()[0])


@pytest.mark.parametrize("value, key", [(1.0, "train.bad_fraction"), (-0.5, "train.bad_fraction"), ("0.9", "train.bad_fraction")])
def test_weight_average_setting_is_checked(value, key):
    with pytest.raises(RnnLabError) as info:
        check_settings({"task": "language_model", "dataset": "lyrics", "weight_average": value})
    assert info.value.key == key
    with pytest.raises(RnnLabError) as info:
        check_settings({"weight_average": 0.5})
    assert info.value.key == "train.lm_only"


# =========================================================================== rare tokens read as <unk>


def test_rare_token_mask_marks_the_ids_seen_at_most_max_count_times():
    from core.train import rare_token_mask

    ids = np.array([2, 3, 3, 4, 4, 4, 1, 1, 0, 5], dtype=np.int32)  # <unk> and <pad> are never "rare"
    np.testing.assert_array_equal(rare_token_mask(ids, 7, 1), [False, False, True, False, False, True, False])
    np.testing.assert_array_equal(rare_token_mask(ids, 7, 2), [False, False, True, True, False, True, False])


def test_rare_to_unk_replaces_rare_occurrences_anew_each_epoch_and_only_in_training():
    from core.train import rare_token_mask

    stream = np.concatenate([STREAM, np.arange(12, 40, dtype=np.int32)])  # ids 12..39 once each
    vocab = 40
    rare = rare_token_mask(stream, vocab, 1)
    assert rare.sum() == 28
    model = compiled_lm(tiny_model_config(), vocab, batch=None, stateful=False)
    off = LanguageModelTrainer(model, "random", batch_size=4, num_steps=5)
    np.testing.assert_array_equal(off.epoch_ids(stream, 0), stream)
    every = LanguageModelTrainer(model, "random", batch_size=4, num_steps=5, rare_tokens=rare, rare_to_unk=1.0)
    np.testing.assert_array_equal(every.epoch_ids(stream, 0), np.where(rare[stream], textlib.UNK_ID, stream))
    half = LanguageModelTrainer(model, "random", batch_size=4, num_steps=5, rare_tokens=rare, rare_to_unk=0.5)
    first, again, second = half.epoch_ids(stream, 0), half.epoch_ids(stream, 0), half.epoch_ids(stream, 1)
    np.testing.assert_array_equal(first, again)  # seeded by the seed and the epoch
    assert not np.array_equal(first, second)
    changed = first != stream
    assert rare[stream[changed]].all() and (first[changed] == textlib.UNK_ID).all()  # only rare tokens, only to <unk>
    assert 5 <= changed.sum() <= 23
    # the batches of an epoch are cut from that stream: <unk> as targets and as inputs
    xs = np.concatenate([b.x.ravel() for b in every.batches(stream, 0)])
    ys = np.concatenate([b.y.ravel() for b in every.batches(stream, 0)])
    assert (xs == textlib.UNK_ID).any() and (ys == textlib.UNK_ID).any() and not rare[xs].any()


def test_a_run_with_rare_to_unk_logs_it_and_keeps_the_config(tmp_path):
    corpus = write_corpus(tmp_path / "c.txt", "甲乙丙丁 " + "分开 不分开 我不能再想 我不 我不 我不能 " * 40)
    cfg = TrainConfig(task="language_model", dataset=corpus, tokenizer="char", batch_size=4, num_steps=6, epochs=1,
                      sampler="random", rare_to_unk=0.5, rare_max_count=2, sample_length=0, model=tiny_model_config())
    run = RunDir(tmp_path / "run")
    assert run_training(cfg, run)["state"] == "done"
    assert "rare_to_unk: 4 tokens seen at most 2 times" in run.log_path.read_text(encoding="utf-8")
    restored = TrainConfig.from_dict(run.config())
    assert (restored.rare_to_unk, restored.rare_max_count) == (0.5, 2)


@pytest.mark.parametrize(
    "changes, key",
    [
        ({"rare_to_unk": 1.5}, "train.bad_probability"),
        ({"rare_to_unk": -0.1}, "train.bad_probability"),
        ({"rare_to_unk": "0.5"}, "train.bad_probability"),
        ({"rare_max_count": 0}, "train.bad_range"),
    ],
)
def test_rare_to_unk_settings_are_checked(changes, key):
    with pytest.raises(RnnLabError) as info:
        check_settings({"task": "language_model", "dataset": "lyrics", **changes})
    assert info.value.key == key
    with pytest.raises(RnnLabError) as info:
        check_settings({"rare_to_unk": 0.5})
    assert info.value.key == "train.lm_only"


# --------------------------------------------------------------------------- run process threads


@pytest.mark.parametrize(("cores", "expected"), [(1, (2, 1)), (2, (2, 1)), (3, (2, 1)), (8, (2, 4)), (64, (2, 32))])
def test_run_threads_are_two_ops_of_half_the_cores_each(cores, expected):
    from core.train import run_threads

    assert run_threads(cores) == expected
    assert run_threads(cores, "") == expected


@pytest.mark.parametrize(("setting", "expected"), [("default", None), (" Default ", None), ("3,5", (3, 5)), ("1, 1", (1, 1))])
def test_run_threads_follow_the_setting(setting, expected):
    from core.train import run_threads

    assert run_threads(2, setting) == expected


@pytest.mark.parametrize("setting", ["4", "a,b", "0,2", "2,-1", "1,2,3"])
def test_a_malformed_thread_setting_is_refused_with_its_name(setting):
    from core.train import RUN_THREADS_ENV, run_threads

    with pytest.raises(ValueError, match=RUN_THREADS_ENV):
        run_threads(2, setting)


@pytest.mark.parametrize(("setting", "expected"), [(None, "True 2 3"), ("default", "False 0 0"), ("3,1", "True 3 1")])
def test_configure_threads_sets_tensorflow_before_it_starts_and_not_after(setting, expected):
    code = (
        "import os, tensorflow as tf; from core.train import configure_threads;"
        "os.sched_getaffinity = lambda pid: set(range(6));"  # 6 cores: two ops of 3 threads unless told otherwise
        "done = configure_threads(); tf.constant(1.0) + 1;"
        "print(done, tf.config.threading.get_inter_op_parallelism_threads(), tf.config.threading.get_intra_op_parallelism_threads());"
        "os.environ['RNNLAB_RUN_THREADS'] = '5,5'; print('after start:', configure_threads())"
    )
    env = {k: v for k, v in os.environ.items() if k != "RNNLAB_RUN_THREADS"}
    if setting is not None:
        env["RNNLAB_RUN_THREADS"] = setting
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines() == [expected, "after start: False"]


@pytest.mark.parametrize(
    ("model_changes", "run_changes", "expected"),
    [
        ({"cell": "simple_rnn", "implementation": "scratch", "embedding_dim": 0}, {}, "derived by hand (core.fused"),
        ({"cell": "simple_rnn", "implementation": "scratch", "embedding_dim": 0, "output_precision": "bfloat16"}, {}, "time chunks), some layers computing in bfloat16"),
        ({"cell": "simple_rnn", "implementation": "scratch", "embedding_dim": 0}, {"label_smoothing": 0.1}, "autodiff through the unrolled"),
        ({"cell": "lstm", "implementation": "scratch"}, {}, "autodiff through the unrolled"),
        ({"cell": "gru", "implementation": "layer"}, {}, "autodiff through model(x)"),
    ],
)
def test_a_language_model_run_logs_how_its_step_is_computed(tmp_path, model_changes, run_changes, expected):
    corpus = write_corpus(tmp_path / "c.txt", "分开 不分开 我不能再想 我不 我不 我不能 " * 40)
    cfg = TrainConfig(task="language_model", dataset=corpus, tokenizer="char", batch_size=4, num_steps=6, epochs=1,
                      sample_length=0, model=tiny_model_config(**model_changes), **run_changes)
    run = RunDir(tmp_path / "run")
    assert run_training(cfg, run)["state"] == "done"
    lines = [line for line in run.log_path.read_text(encoding="utf-8").splitlines() if "training step:" in line]
    assert len(lines) == 1 and expected in lines[0]
    assert ("bfloat16" in lines[0]) == ("bfloat16" in expected)
    assert "threads" in lines[0]


def test_the_time_left_is_paced_from_the_first_batch_not_from_the_start(monkeypatch):
    """The first batch builds and compiles the graph: timed from the start, a lyrics run whose
    epochs take 0.4 s said "about 7414 s left" at epoch 1/100 (it took 49 s in all)."""
    from types import SimpleNamespace

    from core import train as train_module

    clock = [1000.0]
    monkeypatch.setattr(train_module.time, "time", lambda: clock[0])
    monitor = SimpleNamespace(_pace_from=None, _deadline=None)
    eta = lambda progress: train_module.RunMonitor.eta(monitor, progress)  # noqa: E731
    clock[0] += 8.0  # the first batch, with the graph's compilation: no pace yet
    assert eta(0.001) is None
    clock[0] += 0.4  # then one epoch (1% of the run) in 0.4 s
    assert eta(0.011) == pytest.approx(0.4 / 0.01 * 0.989)
    clock[0] += 0.4
    assert eta(0.021) == pytest.approx(0.8 / 0.02 * 0.979)
    assert eta(0.001) is None  # no progress since the pace's start: no estimate (and no division by zero)
    resumed = SimpleNamespace(_pace_from=None, _deadline=None)  # a resumed run paces itself anew (its own compilation)
    assert train_module.RunMonitor.eta(resumed, 0.5) is None


def test_the_time_left_counts_validation_and_test_batches(tmp_path, monkeypatch):
    """Paced on training batches only, the first epoch's time left left out validation (and the test
    at the end) and jumped once they were timed (64 s -> 106 s seen; 1 s said with 10 s of test
    scoring left). The share done counts them at EVAL_BATCH_COST of a training batch each."""
    from core import train as train_module
    from core.train import EVAL_BATCH_COST, RunLog, RunMonitor

    clock = [1000.0]
    monkeypatch.setattr(train_module.time, "time", lambda: clock[0])
    run = RunDir(tmp_path / "run")
    run.path.mkdir()
    monkeypatch.setattr(run, "save_model", lambda model, which="last": None)  # (no model here: the pace is the point)
    monkeypatch.setattr(run, "copy_model", lambda source, target: None)
    monitor = RunMonitor(run, TrainConfig(epochs=2), None, steps_per_epoch=10, start_epoch=0, log=RunLog(run), val_batches=10, test_batches=5)
    epoch_work, total = 10 + 10 * EVAL_BATCH_COST, 2 * (10 + 10 * EVAL_BATCH_COST) + 5 * EVAL_BATCH_COST
    monitor.epoch_begin(0)
    monitor.batch_end(0, 0, {"loss": 1.0})  # the pace starts (the graph was built)
    for batch in range(1, 5):  # a second a batch
        clock[0] += 1.0
        monitor.batch_end(0, batch, {"loss": 1.0})
    left = total - 5  # the rest of this epoch's training and validation, the second epoch, the test
    assert monitor.work_done() == pytest.approx(5 / total)
    assert run.status()["eta_seconds"] == pytest.approx(4.0 / (4 / total) * (left / total)) == pytest.approx(left)
    assert left > 2 * 10 - 5, "more than the training batches left"
    monitor.heartbeat(force=True)
    for batch in range(5, 10):
        clock[0] += 1.0
        monitor.batch_end(0, batch, {"loss": 1.0})
    for _ in range(10):  # validation: 0.3 s a batch, as the guess
        clock[0] += EVAL_BATCH_COST
        monitor.test_batch_end()
    assert monitor.work_done() == pytest.approx(epoch_work / total)
    monitor.epoch_end(0, {"loss": 1.0, "val_loss": 1.0})
    assert run.status()["eta_seconds"] == pytest.approx(total - epoch_work)
    monitor.epoch_begin(1)
    for batch in range(10):
        clock[0] += 1.0
        monitor.batch_end(1, batch, {"loss": 1.0})
    for _ in range(10):
        clock[0] += EVAL_BATCH_COST
        monitor.test_batch_end()
    monitor.epoch_end(1, {"loss": 1.0, "val_loss": 1.0})
    assert run.status()["eta_seconds"] == pytest.approx(5 * EVAL_BATCH_COST), "the test's batches are still to come"
    for _ in range(2):
        clock[0] += EVAL_BATCH_COST
        monitor.test_batch_end()
    assert monitor.work_done() == pytest.approx((total - 3 * EVAL_BATCH_COST) / total)
    monitor.close()


@pytest.mark.parametrize("sampler", ["random", "consecutive"])
def test_a_language_models_validation_batches_are_counted_as_its_trainer_reads_them(tmp_path, monkeypatch, sampler):
    from core import train as train_module
    from tests.tiny_lm import tiny_lm_config, train_tiny_lm, write_corpus

    seen: list[tuple[int, int, int]] = []  # (epoch, validation batches read, validation_batches)
    test_batch_end = train_module.RunMonitor.test_batch_end

    def counted(self):
        test_batch_end(self)
        seen.append((self._epoch, self._validated, self.val_batches))

    monkeypatch.setattr(train_module.RunMonitor, "test_batch_end", counted)
    train_tiny_lm(tmp_path / "run", tiny_lm_config(write_corpus(tmp_path / "data"), sampler=sampler))
    last = {epoch: (read, expected) for epoch, read, expected in seen}
    assert last and all(read == expected > 0 for read, expected in last.values()), seen


def test_checkpoints_are_throttled_and_a_resume_starts_from_the_last_one(tmp_path, monkeypatch):
    """With short epochs model_last.keras is not rewritten every epoch (it took a fifth of a T4
    epoch), only when val_loss improves (model_best.keras is copied from it), at the last
    epoch, or once CHECKPOINT_SECONDS have passed; status.json's checkpoint_epoch says which.
    A run that dies later resumes from that checkpoint, training the later epochs again,
    and its history has every epoch once."""
    from core import train as train_module
    from core.train import Terminated

    monkeypatch.setattr(train_module, "CHECKPOINT_SECONDS", 3600.0)
    saves: list[int] = []
    save_model = RunDir.save_model

    def recorded(self, model, which="last"):
        saves.append(len(self.history()) + 1)  # the epoch being saved: its history row comes after
        return save_model(self, model, which)

    monkeypatch.setattr(RunDir, "save_model", recorded)
    rng = np.random.default_rng(0)
    text = "".join(rng.choice(list("天地玄黄宇宙洪荒日月盈昃"), size=1500))  # no pattern: val_loss soon rises
    cfg = TrainConfig(task="language_model", dataset=write_corpus(tmp_path / "c.txt", text), tokenizer="char", optimizer="adam",
                      learning_rate=0.05, batch_size=4, num_steps=8, sampler="random", epochs=12, sample_length=0,
                      model=tiny_model_config(units=32))
    run = RunDir(tmp_path / "run")
    status = run_training(cfg, run)
    assert status["state"] == "done" and status["checkpoint_epoch"] == 12
    history = run.history()
    improved, best = [], float("inf")
    for row in history:
        if row["val_loss"] < best:
            best = row["val_loss"]
            improved.append(row["epoch"])
    assert saves == sorted(set(improved) | {12})
    assert len(saves) < 12, "some epochs improved nothing and were not saved"
    assert status["best"]["epoch"] == improved[-1]

    # the same run dies at the start of epoch 10: the status says epoch 9, the checkpoint is older
    checkpoint = max(e for e in saves if e <= 9)
    assert checkpoint < 9
    monitor_begin = train_module.RunMonitor.epoch_begin

    def dies_at_ten(self, epoch):
        if epoch == 9:
            raise Terminated()
        return monitor_begin(self, epoch)

    saves.clear()
    monkeypatch.setattr(train_module.RunMonitor, "epoch_begin", dies_at_ten)
    run2 = RunDir(tmp_path / "run2")
    status = run_training(cfg, run2)
    assert status["state"] == "interrupted" and status["epoch"] == 9 and status["checkpoint_epoch"] == checkpoint
    first_stretch = training_seconds(status)
    assert first_stretch > 0
    monkeypatch.setattr(train_module.RunMonitor, "epoch_begin", monitor_begin)
    status = run_training(cfg, run2, resume=True)
    assert status["state"] == "done" and status["resumed_from"] == checkpoint and status["epoch"] == 12
    # its time is both stretches' (the list showed the last one only)
    assert status["earlier_seconds"] == pytest.approx(first_stretch, abs=1e-3)
    assert status["duration"] == pytest.approx(first_stretch + status["finished"] - status["started"], abs=0.01)
    assert training_seconds(status) == pytest.approx(status["duration"], abs=0.01) and status["duration"] > first_stretch
    assert [row["epoch"] for row in run2.history()] == list(range(1, 13))
    # each process's first epoch built its graph: marked, and left out of the time an epoch takes
    assert [row["epoch"] for row in run2.history() if row.get("first_of_stretch")] == [1, checkpoint + 1]
    assert "first_of_stretch" not in run2.log_path.read_text(encoding="utf-8")
    log = run2.log_path.read_text(encoding="utf-8")
    assert f"resuming at epoch {checkpoint + 1}" in log
    assert f"the last checkpoint holds epoch {checkpoint}; epochs {checkpoint + 1}-9 are trained again" in log


def test_a_classifier_stopped_in_its_last_epoch_is_scored_when_resumed(tmp_path):
    """Stopped during its last epoch (its checkpoint written), a classifier resumed had nothing left
    to train and ended "done" without a test accuracy (an exploratory tester): it is scored now,
    with the best epoch's weights, as the end of training scores it."""
    from core.runs import write_json

    cfg = TrainConfig(task="sentiment", dataset="chinese_reviews", tokenizer="jieba", max_train_texts=200, maxlen=20, epochs=2,
                      model=tiny_model_config(units=4, embedding_dim=6))
    run = RunDir(tmp_path / "run")
    done = run_training(cfg, run)
    assert done["state"] == "done" and done["test_accuracy"] is not None
    stopped = {k: v for k, v in done.items() if not k.startswith("test_")}
    write_json(run.status_path, dict(stopped, state="cancelled", stopped_by="owner"))  # as a stop in epoch 2 leaves it
    resumed = run_training(cfg, run, resume=True)
    assert resumed["state"] == "done", resumed.get("error")
    assert resumed["test_accuracy"] == pytest.approx(done["test_accuracy"]) and resumed["test_epoch"] == done["test_epoch"]
    assert run.log_path.read_text(encoding="utf-8").count("test (weights of epoch") == 2


def test_a_refused_value_is_quoted_as_typed():
    # "-1" typed for clipping was echoed "-1.0" (the form hands over floats)
    with pytest.raises(RnnLabError) as info:
        TrainConfig(clip_global_norm=-1.0).validate()
    assert info.value.message("en").endswith("got -1.") and info.value.message("zh").endswith("实际为 -1。")
    with pytest.raises(RnnLabError) as info:
        TrainConfig(clip_global_norm=-0.25).validate()
    assert info.value.message("en").endswith("got -0.25.")


def test_the_cli_refuses_an_absurd_setting_of_a_preset_before_keras_loads(tmp_path):
    # `--preset … --set epochs=0` loaded Keras before the check (18 s on a busy machine, TensorFlow's
    # start-up lines twice); the config is plain data now (core.model_config)
    code = ("import sys; from core.train import main; "
            f"rc = main(['--preset', 'chinese_reviews_gru', '--set', 'epochs=0', '--run-dir', {str(tmp_path / 'run')!r}]); "
            "print(rc, 'keras' in sys.modules, 'tensorflow' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["1", "False", "False"], done.stdout + done.stderr[-2000:]
    assert "Epochs (epochs) must be a whole number from 1 to 10,000, got 0." in done.stderr


@pytest.mark.parametrize("limit, expected", [(None, ["ab", "c", " ", "de", " ", "f"]), (3, ["ab", "c"]), (4, ["ab", "c", " "]), (5, ["ab", "c", " "]),
                                             (6, ["ab", "c", " ", "de"]), (1, []), (2, ["ab"])])
def test_a_char_limit_keeps_the_whole_given_words_within_it(limit, expected):
    """A given segmentation is cut at the last whole word within the limit, a line break counting one
    character (the space a language model reads); the Data page cuts by the same rule
    (`Corpus.first_characters`)."""
    from core.datasets import Corpus
    from core.train import corpus_tokens

    corpus = Corpus("c", "ab c\r\nde\nf", "zh", words=[["ab", "c"], ["de"], ["f"]])
    assert corpus_tokens(corpus, "given", limit) == expected
    cut = corpus.first_characters(limit)
    assert cut.lm_text() == corpus.lm_text()[:limit] and corpus.lm_text() == "ab c de f"  # (\r\n: one line break, one space)
    assert corpus_tokens(corpus, "char", limit) == list(corpus.first_characters(limit).lm_text())


def test_the_tutorials_first_10000_lyric_characters_hold_1027_distinct_ones(shared_data):
    """T4: corpus_chars[0:10000] has 1,027 distinct characters (d2l's run); the Data page and the
    Training page both cut the corpus with Corpus.first_characters."""
    from core import datasets

    lyrics = datasets.load("lyrics")
    cut = lyrics.first_characters(10_000)
    assert len(cut.lm_text()) == 10_000 and cut.lm_text() == lyrics.lm_text()[:10_000]
    assert len(set(cut.lm_text())) == 1027
