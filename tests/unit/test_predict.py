"""The sentiment predictor: exact encoding, predictions, step-by-step curve and occlusion, on a real tiny run."""

from __future__ import annotations

import numpy as np
import pytest

from core import text as textlib
from core.errors import RnnLabError
from core.predict import SentimentPredictor, confusion, misclassified, score_table
from core.runs import RunDir, write_json
from core.train import TrainConfig, run_training


def _train(folder, bidirectional=False):
    config = TrainConfig.from_dict(
        {
            "task": "sentiment",
            "dataset": "chinese_reviews",
            "maxlen": 30,
            "padding": "post",
            "max_train_texts": 300,
            "epochs": 1,
            "batch_size": 32,
            "model": {"cell": "gru", "units": 8, "embedding_dim": 8, "bidirectional": bidirectional},
        }
    )
    run = RunDir(folder)
    folder.mkdir(parents=True)
    write_json(run.config_path, config.to_dict())
    status = run_training(config, run)
    assert status["state"] == "done"
    return run


@pytest.fixture(scope="module")
def predictor(tmp_path_factory):
    return SentimentPredictor.from_run(_train(tmp_path_factory.mktemp("runs") / "gru").path)


TEXT = "这本书写得非常好，我很喜欢，推荐给大家"


def test_encoding_matches_training(predictor):
    encoded = predictor.encode(TEXT)
    tokens = textlib.tokenize(TEXT, "char")
    expected = textlib.pad_and_truncate([predictor.vocab.encode(tokens)], 30, "post", "pre")[0]
    assert np.array_equal(encoded.ids, expected)
    assert encoded.tokens == tokens and not encoded.truncated


def test_prediction_equals_model_predict(predictor):
    probs = predictor.predict([TEXT, "太差了"])
    direct = predictor.model.predict(np.stack([predictor.encode(TEXT).ids, predictor.encode("太差了").ids]), verbose=0).reshape(-1)
    np.testing.assert_allclose(probs, direct, rtol=1e-6)
    assert ((probs > 0) & (probs < 1)).all()


def test_stepwise_last_step_equals_full_prediction(predictor):
    curve = predictor.stepwise(TEXT)
    assert len(curve) == len(TEXT)
    assert curve["token"].tolist() == list(TEXT)
    assert curve["p_positive"].iloc[-1] == pytest.approx(float(predictor.predict([TEXT])[0]), abs=1e-6)
    first = predictor.predict([TEXT[0]])[0]
    assert curve["p_positive"].iloc[0] == pytest.approx(float(first), abs=1e-6)


@pytest.mark.parametrize("method", ["unknown", "remove"])
def test_occlusion_equals_recomputed_differences(predictor, method):
    table = predictor.occlusion(TEXT, method=method)
    full = float(predictor.predict([TEXT])[0])
    for k in (0, 5, len(TEXT) - 1):
        if method == "unknown":
            ids = predictor.vocab.encode(list(TEXT))
            ids[k] = textlib.UNK_ID
            padded = textlib.pad_and_truncate([ids], 30, "post", "pre")
            p = float(predictor.predict_ids(padded)[0])
        else:
            p = float(predictor.predict([TEXT[:k] + TEXT[k + 1 :]])[0])
        assert table["importance"].iloc[k] == pytest.approx(full - p, abs=1e-6)


def test_long_text_is_truncated_as_in_training(predictor):
    long = TEXT * 5
    encoded = predictor.encode(long)
    assert encoded.truncated and len(encoded.kept) == 30
    assert encoded.kept == list(range(len(long) - 30, len(long)))  # truncating "pre" keeps the end
    assert len(predictor.stepwise(long)) == 30


def test_unknown_only_text_is_flagged(predictor):
    encoded = predictor.encode("ⅧⅨⅩ")
    assert encoded.all_unknown and encoded.unknown == ["Ⅷ", "Ⅸ", "Ⅹ"]
    assert not predictor.encode(TEXT).all_unknown


def test_too_long_text_refused(predictor):
    with pytest.raises(RnnLabError) as info:
        predictor.encode("好" * 30_000)
    assert info.value.key == "predict.too_long"


def test_score_table_confusion_and_errors(predictor):
    texts = [TEXT, "太差了，不推荐", "一般般", "很好"]
    labels = np.array([1, 0, 0, 1])
    table = score_table(predictor, texts, labels)
    assert table["prediction"].tolist() == (table["p_positive"] >= 0.5).astype(int).tolist()
    matrix = confusion(table)
    assert matrix.values.sum() == 4 and matrix.loc[1, 1] + matrix.loc[0, 0] == int(table["correct"].sum())
    wrong = misclassified(predictor, texts, labels)
    assert len(wrong) == 4 - int(table["correct"].sum())
    assert wrong["confidence"].is_monotonic_decreasing


def test_broken_and_wrong_runs_give_sentences(tmp_path, predictor):
    folder = tmp_path / "broken"
    folder.mkdir()
    run = RunDir(folder)
    write_json(run.config_path, {"task": "sentiment", "maxlen": 30})
    run.best_model_path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(RnnLabError) as info:
        SentimentPredictor.from_run(folder)
    assert info.value.key == "predict.broken_model"
    write_json(run.config_path, {"task": "language_model"})
    with pytest.raises(RnnLabError) as info:
        SentimentPredictor.from_run(folder)
    assert info.value.key == "predict.not_sentiment"
    run.best_model_path.unlink()
    write_json(run.config_path, {"task": "sentiment"})
    with pytest.raises(RnnLabError) as info:
        SentimentPredictor.from_run(folder)
    assert info.value.key == "predict.no_model"


def test_bidirectional_stepwise_is_prefix_predictions(tmp_path):
    predictor = SentimentPredictor.from_run(_train(tmp_path / "bi", bidirectional=True).path)
    assert predictor.bidirectional
    curve = predictor.stepwise(TEXT)
    for k in (1, 4):
        assert curve["p_positive"].iloc[k - 1] == pytest.approx(float(predictor.predict([TEXT[:k]])[0]), abs=1e-6)
