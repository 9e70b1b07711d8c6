"""core.runs.scoring_differences: which settings put two runs' figures on different data."""

from core import presets
from core.runs import scoring_differences


def _preset(name: str, **changes) -> dict:
    return presets.get_preset(name).copy(**changes).to_dict()


def test_a_language_models_perplexity_depends_on_its_text_and_vocabulary():
    lm = "shipped_lyrics_lstm"
    assert scoring_differences({"a": _preset(lm), "b": _preset(lm, char_limit=20_000)}) == ["char_limit"]
    assert scoring_differences({"a": _preset(lm), "b": _preset(lm, max_tokens=500, val_fraction=0.2)}) == ["max_tokens", "val_fraction"]
    assert scoring_differences({"a": _preset(lm), "b": _preset(lm, tokenizer="char")}) == [], "the data set's own tokeniser, named or not"
    assert scoring_differences({"a": _preset(lm), "b": _preset(lm, epochs=3, seed=5)}) == []


def test_a_classifiers_accuracy_depends_on_its_texts_and_their_seeded_subset():
    clf = "chinese_reviews_gru"
    assert scoring_differences({"a": _preset(clf), "b": _preset(clf, max_train_texts=800)}) == ["max_train_texts"]
    assert scoring_differences({"a": _preset(clf, max_train_texts=800), "b": _preset(clf, max_train_texts=800, seed=1)}) == ["seed"]
    assert scoring_differences({"a": _preset(clf), "b": _preset(clf, seed=1, max_tokens=500, tokenizer="jieba")}) == [], "the same test texts"
    assert scoring_differences({"a": _preset(clf), "b": _preset("imdb_bilstm")})[:2] == ["dataset", "val_fraction"]


def test_nothing_is_said_for_one_run_other_tasks_or_configs_that_are_not_valid():
    assert scoring_differences({"a": _preset("chinese_reviews_gru")}) == []
    assert scoring_differences({"a": _preset("chinese_reviews_gru"), "b": _preset("shipped_lyrics_lstm")}) == []
    assert scoring_differences({"a": {"task": "sentiment", "bogus": 1}, "b": _preset("chinese_reviews_gru")}) == []


def test_val_fraction_is_no_difference_between_classifiers_that_validated_on_their_data_sets_own_part():
    """chinese_reviews has its own validation part: two runs differing in val_fraction were said to be
    measured on different data, where neither used it (the last session's note). With the runs'
    statuses, it counts only when a run drew its validation texts from its training part."""
    clf = "chinese_reviews_gru"
    own = {"data": {"val_source": "val split"}}
    configs = {"a": _preset(clf), "b": _preset(clf, val_fraction=0.2)}
    assert scoring_differences(configs) == ["val_fraction"], "without statuses: what the configs say"
    assert scoring_differences(configs, {"a": own, "b": own}) == []
    assert scoring_differences(configs, {"a": own, "b": {"data": {"val_source": "0.2 of train"}}}) == ["val_fraction"]
    assert scoring_differences(configs, {"a": own, "b": {"state": "queued"}}) == ["val_fraction"], "not read yet: not known"
    lm = "shipped_lyrics_lstm"  # a language model's held-out part is always its val_fraction
    assert scoring_differences({"a": _preset(lm), "b": _preset(lm, val_fraction=0.2)}, {"a": own, "b": own}) == ["val_fraction"]
