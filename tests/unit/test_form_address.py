"""ui.form_address: a New run form's setting as the address holds it, and back."""

import pytest

from core.presets import FORM_SETTINGS
from ui.form_address import decode, encode


@pytest.mark.parametrize("key, value, text", [
    ("epochs", 3, "3"), ("learning_rate", 0.001, "0.001"), ("learning_rate", 1e-05, "1e-05"), ("model.bidirectional", True, "true"),
    ("sample_prefixes", ["分开", "战争"], "分开 战争"), ("max_tokens", None, "0"), ("clip_global_norm", 0.5, "0.5"), ("clip_global_norm", None, "0"),
    ("model.cell", "gru", "gru"), ("time_limit_minutes", 1.5, "1.5"),
])
def test_a_setting_goes_into_the_address_and_comes_back(key, value, text):
    assert encode(key, value) == text
    assert decode(key, text, ("gru", "lstm") if key == "model.cell" else None) == value


@pytest.mark.parametrize("key, text", [
    ("epochs", "2.5"), ("epochs", "abc"), ("batch_size", "nan"), ("learning_rate", "inf"), ("model.dropout", "0.95"), ("model.dropout", "-0.1"),
    ("model.bidirectional", "yes"), ("model.cell", "transformer"), ("max_train_texts", "1e3.5"),
    ("epochs", "99999999999999999999"), ("learning_rate", "-1e300"),  # (beyond the browser's numbers: the page stopped)
])
def test_a_value_the_form_cannot_show_is_refused(key, text):
    """A whole-number box made 2.5 into 2 without a word; a slider beyond its ends is an error in Streamlit."""
    with pytest.raises(ValueError):
        decode(key, text, ("gru", "lstm") if key == "model.cell" else None)


def test_per_layer_units_are_the_first_layers_as_the_form_shows_them():
    assert encode("model.units", [128, 64]) == "128"
    assert set(FORM_SETTINGS) >= {"epochs", "model.units", "time_limit_minutes", "dataset_options.num_words"}
