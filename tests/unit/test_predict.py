"""The sentiment predictor: exact encoding, predictions, step-by-step curve and occlusion, on a real tiny run."""

from __future__ import annotations

import numpy as np
import pytest

from core import text as textlib
from core.errors import RnnLabError
from core.predict import SentimentPredictor, confusion, misclassified, score_table
from core.runs import RunDir, write_json
from core.train import TrainConfig, run_training
from tests.conftest import IMDB_WORD_INDEX


def _train(folder, bidirectional=False, padding="post"):
    config = TrainConfig.from_dict(
        {
            "task": "sentiment",
            "dataset": "chinese_reviews",
            "maxlen": 30,
            "padding": padding,
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
def gru_run(tmp_path_factory):
    return _train(tmp_path_factory.mktemp("runs") / "gru")


@pytest.fixture(scope="module")
def predictor(gru_run):
    return SentimentPredictor.from_run(gru_run.path)


TEXT = "这本书写得非常好，我很喜欢，推荐给大家"


def test_encoding_matches_training(predictor):
    encoded = predictor.encode(TEXT)
    tokens = textlib.tokenize(TEXT, "char")
    expected = textlib.pad_and_truncate([predictor.vocab.encode(tokens)], 30, "post", "pre")[0]
    assert np.array_equal(encoded.ids, expected)
    assert encoded.tokens == tokens and not encoded.truncated


def test_one_string_is_refused_not_scored_character_by_character(predictor):
    # predict("这家酒店很好") gave one score per character, without a word (a practitioner)
    with pytest.raises(TypeError, match=r"predict\(\[text\]\)"):
        predictor.predict(TEXT)
    assert predictor.predict([TEXT]).shape == (1,)


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


def test_stepwise_curves_share_the_token_axis_when_the_tokens_agree(predictor):
    from core import figures

    curve = predictor.stepwise(TEXT)
    assert curve["chars_read"].tolist() == list(range(1, len(TEXT) + 1))  # characters: one per step
    fig = figures.stepwise_plot({"a": curve, "b": curve.assign(p_positive=1 - curve["p_positive"])}, "en")
    assert [list(trace.x) for trace in fig.data] == [curve["step"].tolist()] * 2
    axis = fig.layout.xaxis  # the tokens read at the labelled steps (every k-th: figures.token_tick_every)
    assert len(axis.tickvals) >= 2 and list(axis.ticktext) == [TEXT[step - 1] for step in axis.tickvals]
    assert fig.layout.xaxis.title.text == "Tokens read"
    words = curve.iloc[[1, 3]].assign(step=[1, 2], token=[TEXT[:2], TEXT[2:4]])  # another tokenisation of the same text
    fig = figures.stepwise_plot({"chars": curve, "words": words}, "en")
    assert [list(trace.x) for trace in fig.data] == [curve["chars_read"].tolist(), [2, 4]]
    assert fig.layout.xaxis.ticktext is None and fig.layout.xaxis.title.text == "Text read (characters)"
    assert "tokenise differently" in fig.layout.title.text  # why, in the title's note


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


def test_texts_from_a_file_are_scored_whatever_their_length(predictor):
    # the typed-text limit is not for an upload's rows or a test split: a 30,000-character row
    # is read as training read it (it crashed batch scoring)
    long = "太差了" + "好" * 30_000
    encoded = predictor.encode(long, max_chars=None)
    assert encoded.truncated
    table = score_table(predictor, ["很好", long])
    expected = predictor.model.predict(np.stack([predictor.encode("很好").ids, encoded.ids]), verbose=0).reshape(-1)
    assert table["p_positive"].tolist() == pytest.approx(expected.tolist(), abs=1e-6)


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


def test_a_text_of_unknown_tokens_alone_gets_no_verdict_when_asked(predictor):
    from core.predict import labelled, scores_csv

    texts = ["很好", "정말좋은영화", "太差了"]
    assert predictor.encode(texts[1]).all_unknown and not predictor.encode(texts[0]).all_unknown
    judged = score_table(predictor, texts, np.array([1, 0, 0]))  # (a test split: every text judged, as training scored it)
    assert judged["prediction"].notna().all() and len(labelled(judged)) == 3
    table = score_table(predictor, texts, np.array([1, 0, 0]), judge_unknown=False)
    assert table["p_positive"].tolist() == judged["p_positive"].tolist()
    assert table["prediction"].isna().tolist() == [False, True, False] and table["correct"].isna().tolist() == [False, True, False]
    assert labelled(table)["text"].tolist() == ["很好", "太差了"] and confusion(labelled(table)).values.sum() == 2
    assert scores_csv(table, lang="en").decode("utf-8-sig").splitlines()[2].split(",")[3] == "can't tell"


def test_batch_scoring_reports_progress_and_lets_go_of_the_model_between_chunks(predictor):
    # a long batch (an upload, a test split) is scored chunk by chunk: progress after each,
    # and the model is free between chunks, so a shared demo's other sessions are not held
    # until the whole batch ends
    texts = [TEXT, "太差了，不推荐", "一般般", "很好"] * 150
    calls, free_between = [], []

    def report(done, total):
        calls.append((done, total))
        free = predictor._lock.acquire(blocking=False)
        free_between.append(free)
        if free:
            predictor._lock.release()

    probs = predictor.predict_ids(np.stack([predictor.encode(t).ids for t in texts]), batch_size=256, progress=report)
    assert calls == [(256, 600), (512, 600), (600, 600)]
    assert all(free_between)
    assert probs.tolist() == pytest.approx(predictor.predict(texts).tolist(), abs=1e-6)
    calls.clear()
    table = score_table(predictor, texts[:10], progress=report)
    assert calls == [(10, 10)] and len(table) == 10
    assert predictor.predict_ids(np.zeros((0, predictor.maxlen), np.int32), progress=report).shape == (0,)
    assert calls == [(10, 10)]  # nothing to score, nothing reported


def test_texts_are_tokenised_chunk_by_chunk_with_the_progress(predictor, monkeypatch):
    # tokenising (jieba) is a third of a large batch's time: it is done a chunk at a time
    # between the reports, not all before the first one (a bar that sat at 0 for seconds)
    texts = [TEXT, "太差了，不推荐", "一般般", "很好"] * 150
    expected = predictor.predict_ids(np.stack([predictor.encode(t).ids for t in texts])).tolist()
    encoded, seen = [], []
    real = predictor.encode
    monkeypatch.setattr(predictor, "encode", lambda *a, **k: (encoded.append(1), real(*a, **k))[1])
    probs = predictor.predict(texts, progress=lambda done, total: seen.append((done, total, len(encoded))))
    assert seen == [(256, 600, 256), (512, 600, 512), (600, 600, 600)]
    assert probs.tolist() == pytest.approx(expected, abs=1e-6)
    assert predictor.predict([]).shape == (0,)


def _finite_difference_of_vector_scaling(predictor, text, k, eps=1e-2):
    """dP/d alpha at alpha = 1 when the word vector of the k-th kept token is scaled by alpha
    (central difference through model predictions; the token must occur once in the text),
    which is exactly e_t . dP/de_t at that position."""
    import keras

    encoded = predictor.encode(text)
    ids = predictor._raw_ids(encoded)
    token_id = ids[predictor.start + k]
    assert ids.count(token_id) == 1, "pick a token that occurs once"
    layer = next(x for x in predictor.model.layers if isinstance(x, keras.layers.Embedding))
    table = layer.embeddings.numpy()
    p = {}
    try:
        for sign in (1, -1):
            scaled = table.copy()
            scaled[token_id] *= 1 + sign * eps
            layer.embeddings.assign(scaled)
            p[sign] = float(predictor.predict([text])[0])
    finally:
        layer.embeddings.assign(table)
    return (p[1] - p[-1]) / (2 * eps)


@pytest.mark.parametrize("padding", ["post", "pre"])
def test_gradient_x_input_is_the_derivative_of_scaling_each_word_vector(padding, predictor, tmp_path):
    model = predictor if padding == "post" else SentimentPredictor.from_run(_train(tmp_path / "pre", padding="pre").path)
    table = model.gradient_x_input(TEXT)
    assert table["token"].tolist() == list(TEXT) and table["position"].tolist() == list(range(len(TEXT)))
    for k in (0, 2, len(TEXT) - 1):  # 这, 书, 家: each once in TEXT
        assert table["importance"].iloc[k] == pytest.approx(_finite_difference_of_vector_scaling(model, TEXT, k), rel=0.02, abs=2e-6)


def test_gradient_x_input_of_an_imdb_run_skips_the_start_id(imdb_predictor):
    table = imdb_predictor.gradient_x_input(IMDB_TEXT)
    tokens = imdb_predictor.encode(IMDB_TEXT).tokens
    assert table["token"].tolist() == tokens
    k = tokens.index("movie")  # id 17, once
    assert table["importance"].iloc[k] == pytest.approx(_finite_difference_of_vector_scaling(imdb_predictor, IMDB_TEXT, k), rel=0.02, abs=2e-6)


def test_gradient_x_input_of_a_text_longer_than_maxlen(imdb_predictor):
    # 80 words into maxlen 40 with truncating "pre": the model reads the last 40 words and no
    # start id (the columns used to be counted from a start id that truncation had cut: IndexError)
    text = " ".join(f"w{rank}" for rank in range(100, 180))
    encoded = imdb_predictor.encode(text)
    assert encoded.truncated and len(encoded.kept) == 40 and encoded.ids[0] != 1
    table = imdb_predictor.gradient_x_input(text)
    assert table["token"].tolist() == [f"w{rank}" for rank in range(140, 180)]
    for k in (0, 39):
        assert table["importance"].iloc[k] == pytest.approx(_finite_difference_of_vector_scaling(imdb_predictor, text, k), rel=0.02, abs=2e-6)


def test_gradient_x_input_gives_masked_padding_nothing():
    # a model that masks its padding (the shipped GRU: mask_zero) does not read it, so the
    # padding gets exactly 0 (the tiny runs here do not mask: their padding is read and counts)
    from core.inspect import embedding_gradient_x_input
    from core.runs import shipped_dir

    if not (shipped_dir() / "sentiment_gru" / "config.json").exists():
        pytest.skip("the shipped GRU is not in checkpoints/shipped")
    shipped = SentimentPredictor.from_run(shipped_dir() / "sentiment_gru")
    encoded = shipped.encode("房间很干净")
    n = len(encoded.kept)
    values = embedding_gradient_x_input(shipped.model, encoded.ids[None, :])[0]
    assert values.shape == (shipped.maxlen,) and (values[n:] == 0).all() and (values[:n] != 0).all()
    assert shipped.gradient_x_input("房间很干净")["importance"].tolist() == pytest.approx(values[:n].tolist())


def test_error_analysis_is_on_the_texts_the_run_was_tested_on(gru_run, predictor):
    # the run trained on at most 300 texts of each part: its error analysis is on the same 300
    # seeded test texts it was scored on, so the two accuracies are one figure
    from core.datasets import load
    from core.predict import misclassified_test

    calls = []
    wrong, total = misclassified_test(predictor, progress=lambda done, n: calls.append((done, n)))
    status = gru_run.status()
    assert total == status["data"]["test_texts"] == 300
    assert calls == [(256, 300), (300, 300)]
    assert 1 - len(wrong) / total == pytest.approx(status["test_accuracy"], abs=1e-6)
    test_texts = set(load("chinese_reviews").part("test")[0])
    assert set(wrong["text"]) <= test_texts


def test_broken_and_wrong_runs_give_sentences(tmp_path, predictor):
    folder = tmp_path / "broken"
    folder.mkdir()
    run = RunDir(folder)
    write_json(run.config_path, {"task": "sentiment", "maxlen": 30})
    run.best_model_path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(RnnLabError) as info:
        SentimentPredictor.from_run(folder)
    assert info.value.key == "predict.broken_model"
    # said as what it is, not in Keras's words for it ("File not found: filepath=…", for a file that is there)
    assert "not a complete .keras archive" in str(info.value) and "File not found" not in str(info.value)
    write_json(run.config_path, {"task": "language_model"})
    with pytest.raises(RnnLabError) as info:
        SentimentPredictor.from_run(folder)
    assert info.value.key == "predict.not_sentiment"
    run.best_model_path.unlink()
    write_json(run.config_path, {"task": "sentiment"})
    with pytest.raises(RnnLabError) as info:
        SentimentPredictor.from_run(folder)
    assert info.value.key == "predict.no_model"
    with pytest.raises(RnnLabError) as info:  # a mistyped folder is said as one
        SentimentPredictor.from_run(tmp_path / "no-such-run")
    assert info.value.key == "runs.no_run_folder" and "no-such-run" in str(info.value)


def test_bidirectional_stepwise_is_prefix_predictions(tmp_path):
    predictor = SentimentPredictor.from_run(_train(tmp_path / "bi", bidirectional=True).path)
    assert predictor.bidirectional
    curve = predictor.stepwise(TEXT)
    for k in (1, 4):
        assert curve["p_positive"].iloc[k - 1] == pytest.approx(float(predictor.predict([TEXT[:k]])[0]), abs=1e-6)


# =========================================================================== runs on Keras ids (imdb)

IMDB_TEXT = "This movie was GREAT, the great... don't miss it! A masterpiece"


@pytest.fixture
def imdb_predictor(tiny_imdb, monkeypatch):
    """The tiny IMDB run (tests/conftest.py: maxlen 40, padded at the end, num_words 500)."""
    _, data, run = tiny_imdb
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(data))
    return SentimentPredictor.from_run(run.path)


def test_imdb_typed_text_is_encoded_as_keras_encodes_reviews(imdb_predictor):
    # lower case, no punctuation (Keras's IMDB has none), the start id 1, rank + 3, <unk> = 2
    # for words not in the index or beyond num_words
    encoded = imdb_predictor.encode(IMDB_TEXT)
    assert encoded.tokens == ["this", "movie", "was", "great", "the", "great", "don't", "miss", "it", "a", "masterpiece"]
    ids = [1, 2, 17, 2, 84, 4, 84, 90, 2, 2, 2, 2]
    assert np.array_equal(encoded.ids, textlib.pad_and_truncate([ids], 40, "post", "pre")[0])
    assert encoded.unknown == ["this", "was", "miss", "it", "a", "masterpiece"]
    assert not encoded.truncated and not encoded.all_unknown


def test_imdb_prediction_stepwise_and_occlusion_agree_with_the_model(imdb_predictor):
    encoded = imdb_predictor.encode(IMDB_TEXT)
    p = float(imdb_predictor.predict([IMDB_TEXT])[0])
    assert p == pytest.approx(float(imdb_predictor.model.predict(encoded.ids[None], verbose=0)[0, 0]), abs=1e-6)
    curve = imdb_predictor.stepwise(IMDB_TEXT)
    assert curve["token"].tolist() == encoded.tokens
    assert curve["p_positive"].iloc[-1] == pytest.approx(p, abs=1e-6)
    table = imdb_predictor.occlusion(IMDB_TEXT)
    ids = [1, 2, 17, 2, 84, 4, 84, 90, 2, 2, 2, 2]
    ids[1 + 3] = 2  # "great" (the 4th token) read as <unk>
    without = float(imdb_predictor.predict_ids(textlib.pad_and_truncate([ids], 40, "post", "pre"))[0])
    assert table["importance"].iloc[3] == pytest.approx(p - without, abs=1e-6)


def test_imdb_misclassified_test_reviews_are_the_runs_own_decoded(imdb_predictor):
    from core.predict import misclassified_encoded
    from core.train import prepare_sentiment_data

    calls = []
    wrong, total = misclassified_encoded(imdb_predictor, progress=lambda done, n: calls.append((done, n)))
    assert calls == [(256, 300), (300, 300)]
    data = prepare_sentiment_data(TrainConfig.from_dict(imdb_predictor.config))
    assert total == len(data.y_test) == 300
    probs = imdb_predictor.model.predict(data.x_test, verbose=0).reshape(-1)
    errors = np.flatnonzero((probs >= 0.5).astype(int) != data.y_test.astype(int))
    assert len(wrong) == len(errors) > 0
    assert list(wrong.columns) == ["text", "p_positive", "prediction", "label", "correct", "confidence"]
    assert wrong["confidence"].is_monotonic_decreasing and not wrong["correct"].any()
    assert (wrong["prediction"] != wrong["label"]).all()
    # the most confident error is the row with the largest |p - 0.5|, its words decoded
    top = errors[np.argmax(np.abs(probs[errors] - 0.5))]
    assert wrong["p_positive"].iloc[0] == pytest.approx(float(probs[top]), abs=1e-6)
    inverse = {rank + 3: word for word, rank in IMDB_WORD_INDEX.items()}
    assert wrong["text"].iloc[0] == " ".join(inverse.get(int(i), "<unk>") for i in data.x_test[top] if i > 1)


def test_imdb_run_without_the_word_index_scores_its_test_reviews_as_ids(tiny_imdb, shared_data, monkeypatch):
    """Offline, the shared IMDB subset comes without Keras's word index: the run's model still reads
    its own test reviews (ids), listed as #ids; a typed text is refused with a sentence that says
    which file is missing. (The page showed only that sentence, in red, and nothing else.)"""
    from core.predict import misclassified_test
    from core.train import prepare_sentiment_data

    _, _, run = tiny_imdb
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(shared_data))  # the subset, no imdb_word_index.json
    predictor = SentimentPredictor.from_run(run.path)
    assert not predictor.reads_text and predictor.language == "en"
    with pytest.raises(RnnLabError) as info:
        predictor.encode("a great movie")
    assert info.value.key == "predict.no_word_index" and "imdb_word_index.json" in str(info.value)
    wrong, total = misclassified_test(predictor)
    data = prepare_sentiment_data(TrainConfig.from_dict(predictor.config))
    probs = predictor.model.predict(data.x_test, verbose=0).reshape(-1)
    errors = np.flatnonzero((probs >= 0.5).astype(int) != data.y_test.astype(int))
    assert total == len(data.y_test) and len(wrong) == len(errors) > 0
    top = errors[np.argmax(np.abs(probs[errors] - 0.5))]
    assert wrong["text"].iloc[0] == " ".join("<unk>" if i == 2 else f"#{int(i)}" for i in data.x_test[top] if i > 1)


def test_the_language_a_model_reads_is_its_data_sets_not_its_tokenisers():
    """The page's example sentences follow it: a character model of English reviews had Chinese ones."""
    def reading(dataset: str, tokens: list[str]) -> str:
        vocab = textlib.Vocab(list(textlib.RESERVED_TOKENS) + tokens)
        return SentimentPredictor(None, {"dataset": dataset, "maxlen": 10}, vocab, None, "char", "x").language

    assert reading("imdb_reviews", list("etaoinshr")) == "en"
    assert reading("chinese_reviews", list("的是不了")) == "zh"
    assert reading("upload:/srv/uploads/a.csv", list("的是不了好很")) == "zh"  # an upload: its vocabulary's
    assert reading("upload:/srv/uploads/b.csv", ["the", "movie", "great", "bad"]) == "en"


def test_a_typed_texts_call_goes_before_a_batchs_next_turn():
    # ModelTurns: the model is one call at a time; when it comes free, a waiting one-text call
    # (`now`) has it before a background batch's next turn (`after_others`)
    import threading
    import time

    from core.predict import ModelTurns

    turns = ModelTurns()
    order = []
    holding, release = threading.Event(), threading.Event()

    def first():
        with turns.now():
            holding.set()
            release.wait(10)
            order.append("first")

    def batch():
        with turns.after_others():
            order.append("batch")

    def typed():
        with turns.now():
            order.append("typed")

    threads = [threading.Thread(target=first)]
    threads[0].start()
    holding.wait(10)
    threads.append(threading.Thread(target=batch))
    threads[1].start()
    time.sleep(0.05)  # the batch is waiting for the model first
    threads.append(threading.Thread(target=typed))
    threads[2].start()
    time.sleep(0.05)
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == ["first", "typed", "batch"]


def test_a_batch_is_not_held_back_for_ever_by_typed_texts(monkeypatch):
    import threading
    import time

    from core.predict import ModelTurns

    monkeypatch.setattr(ModelTurns, "MAX_YIELD_S", 0.05)
    turns = ModelTurns()
    stop = threading.Event()

    def typing():  # one typed call after another, without a pause
        while not stop.is_set():
            with turns.now():
                time.sleep(0.001)

    thread = threading.Thread(target=typing)
    thread.start()
    try:
        start = time.perf_counter()
        with turns.after_others():
            waited = time.perf_counter() - start
    finally:
        stop.set()
        thread.join(10)
    assert waited < 2.0


def test_the_scores_download_does_not_hand_a_spreadsheet_formulas():
    # an uploaded review "=HYPERLINK(...)" went into the download as it was, a formula once opened
    # in Excel (CSV injection; an exploratory tester): such a text gets a leading apostrophe
    import io

    import pandas as pd

    from core.predict import scores_csv

    table = pd.DataFrame({"text": ["=HYPERLINK(\"http://x\",\"y\")", "+1 great", "@SUM(A1)", "-bad", "很好", "a = b"], "p_positive": [0.1] * 6, "prediction": [0] * 6})
    data = scores_csv(table)
    assert data.startswith("\ufeff".encode())  # Excel reads the Chinese with the BOM
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["Text"].tolist() == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1 great", "'@SUM(A1)", "'-bad", "很好", "a = b"]
    assert back["P(positive)"].tolist() == [0.1] * 6


def test_the_scores_download_keeps_the_files_own_columns():
    # it kept text, p_positive, prediction and 0/1 labels only: an id to join the scores back on was
    # lost, and the labels were numbers where the file and the table had words (an exploratory tester)
    import io

    import pandas as pd

    from core.datasets import parse_labelled_csv
    from core.i18n import tr
    from core.predict import _scored, scores_csv

    parsed = parse_labelled_csv("id,review,label,Prediction\n=1+1,很好,好评,x\nb,,差评,y\n-3,太差了,差评,z\nd,一般,中评,w\n".encode(), require_label=False)
    assert parsed.texts == ["很好", "太差了", "一般"] and parsed.rows["id"].tolist() == ["=1+1", "b", "-3", "d"]
    table = _scored(parsed.texts, np.asarray([0.91234567, 0.6, 0.2], dtype=np.float32), parsed.labels, 0.5)  # (float32, as the models give them)
    for lang in ("en", "zh"):
        back = pd.read_csv(io.BytesIO(scores_csv(table, parsed.rows, lang, parsed.row_of)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        p, pred, right = (tr(f"col.{c}", lang) for c in ("p_positive", "prediction", "correct"))
        clash = f"{pred} ({tr('col.model', lang)})" if pred == "Prediction" else pred  # (the file's own column is kept)
        assert back.columns.tolist() == ["id", "review", "label", "Prediction", p, clash, right]
        # every line of the file, in its order: b's empty text was not scored (it used to be left out,
        # and a join of the download on id lost it)
        assert back["id"].tolist() == ["'=1+1", "b", "-3", "d"]  # a formula in any column of the file is written as text, a number as it was
        assert back["label"].tolist() == ["好评", "差评", "差评", "中评"] and back["Prediction"].tolist() == ["x", "y", "z", "w"]
        assert back[p].tolist() == ["0.9123", "", "0.6", "0.2"]
        assert back[clash].tolist() == [tr("label.1", lang), "", tr("label.1", lang), tr("label.0", lang)]
        assert back[right].tolist() == [tr("sent.yes", lang), "", tr("sent.no", lang), ""]  # in the page's words (True/False under 正确); no label: blank
    # a number with thousands separators, an exponent or a percent sign is a number, not a formula
    numbers = parse_labelled_csv('score,text\n"-1,234",a\n-2.5e-3,b\n-5%,c\n-1+1,d\n'.encode(), require_label=False)
    unlabelled = _scored(numbers.texts, np.asarray([0.5, 0.5, 0.5, 0.5]), None, 0.5)
    back = pd.read_csv(io.BytesIO(scores_csv(unlabelled, numbers.rows, "en", numbers.row_of)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["score"].tolist() == ["-1,234", "-2.5e-3", "-5%", "'-1+1"]
    # without the file's rows: the text and its label (as words) stand for them
    plain = pd.read_csv(io.BytesIO(scores_csv(table.dropna())), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert plain.columns.tolist() == ["Text", "Label", "P(positive)", "Prediction", "Correct"] and plain["Label"].tolist() == ["positive", "negative"]


def test_a_raw_imdb_review_is_read_as_in_training_whatever_its_tags(tmp_path):
    """The raw IMDB reviews' <br /> tags are line breaks (and entities unescaped) when the data
    set is loaded for training; typed or uploaded they were read as "< br / >": the same review
    scored differently in batch scoring than in the run's error analysis (an exploratory learner)."""
    vocab = textlib.Vocab.build([["this", "is", "great", "fun", "&", "so", "good"]])
    predictor = SentimentPredictor(None, {"dataset": "imdb_reviews", "maxlen": 20}, vocab, None, "word", "raw-imdb")
    tagged = predictor.encode("This is <b>great</b> fun.<br /><br />So &amp; good<BR>")
    plain = predictor.encode("This is <b>great</b> fun.\n\nSo & good")
    assert tagged.tokens == plain.tokens and "br" not in tagged.tokens and list(tagged.ids) == list(plain.ids)
    # an upload's own texts are read as they are: a model trained on them saw the tags
    other = SentimentPredictor(None, {"dataset": "upload:x.csv", "maxlen": 20}, vocab, None, "word", "upload")
    assert "br" in other.encode("fun<br />so").tokens
