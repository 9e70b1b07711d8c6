"""The Training page's New run form in the address: what the form changes from its preset.

The preset was in the address (`?preset=lyrics_lstm`) and nothing else, so a reload kept the
preset but reset every edit (epochs, texts, time limit), and the time estimate then described
the reset form; a link shared with a class could not say "this preset with 3 epochs". Now each
setting the form changes from its preset is in the address under its config key, as the CLI's
``--set`` names it (``?preset=lyrics_lstm&epochs=3&model.units=128``), and a new session (a
reload, a shared link) opens the form with them. A setting at the preset's value leaves the
address.

The address is read when the form's widgets are new (a new session, a link or Back from another
page), not when another preset is chosen: that resets the form to its values, as it always did
(the edits still in the address then belong to the preset left). A value the form cannot show
(a word where a number goes, a cell that is none of the three) is said, with the preset's value
used instead; a number out of range is shown as typed, and the form's own check says what is
wrong with it. Which settings, and how the form shows each: `core.presets.FORM_SETTINGS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from core.presets import FORM_SETTINGS
from core.train import UPLOAD_PREFIX, TrainConfig
from ui.common import put_url, t

Choices = dict[str, Callable[[dict], Sequence[str]]]
"""The page's own choices (`FormSetting.choices` None): setting -> the options, given the form so far."""

_MEMO = "_train_form_address"
MAX_SAFE_NUMBER = 2**53 - 1  # JavaScript's largest exact integer: Streamlit refuses a number box's value beyond it


def _get(data: dict, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _set(data: dict, key: str, value: Any) -> None:
    *heads, last = key.split(".")
    for part in heads:
        data = data.setdefault(part, {})
    data[last] = value


def encode(key: str, value: Any) -> str | None:
    """A setting's value as the address holds it (None: nothing to hold)."""
    kind = FORM_SETTINGS[key].kind
    if kind in ("count", "optional") and not value:
        return "0"
    if value is None:
        return None
    if kind == "bool":
        return "true" if value else "false"
    if kind == "words":
        return " ".join(value) if isinstance(value, (list, tuple)) else str(value)
    if isinstance(value, (list, tuple)):  # per-layer units: the form shows the first
        value = value[0] if value else None
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def decode(key: str, raw: str, choices: Sequence[str] | None = None) -> Any:
    """The address's text for a setting as the form's value (`choices`: the options when the
    setting has none of its own); ValueError when the form cannot show it."""
    kind, own, bounds = FORM_SETTINGS[key]
    choices = own if own is not None else choices
    raw = raw.strip()
    if kind == "bool":
        if raw.lower() not in ("true", "false", "1", "0"):
            raise ValueError(raw)
        return raw.lower() in ("true", "1")
    if kind == "words":
        return raw.split()
    if kind == "choice":
        if choices is not None and raw not in choices:
            raise ValueError(raw)
        return raw
    number = float(raw)  # (ValueError for a word; "nan" and "inf" are not numbers a box shows)
    if number != number or abs(number) > MAX_SAFE_NUMBER:  # (nan, inf, and beyond what the browser's box holds:
        raise ValueError(raw)                                 # epochs=1e20 stopped the page on Streamlit's JS-number bounds)
    if kind in ("int", "count") and not number.is_integer():
        raise ValueError(raw)  # (the box would have made 2.5 epochs into 2 without a word)
    if bounds is not None and not bounds[0] <= number <= bounds[1]:
        raise ValueError(raw)
    if kind in ("count", "optional"):
        return (int(number) if kind == "count" else number) or None
    return int(number) if kind == "int" else number


def form_start(preset_base: TrainConfig, preset: str, choices: Choices, fresh: bool, preset_drawn: bool) -> TrainConfig:
    """What the form starts from: the preset, with the address's settings when the form is `fresh`
    (its widgets are new: a new session, a link or Back from another page, a first run cut short
    by a rerun), unless its preset was just chosen in the menu (`preset_drawn`: the menu was on the
    page before this run, and held another preset): the address's edits are then the preset left's,
    and choosing a preset resets the form to its values, as it always did."""
    memo = st.session_state.get(_MEMO)
    switched = preset_drawn and memo is not None and memo["preset"] != preset
    if memo is None or switched or fresh:
        config, ignored = _from_address(preset_base, choices) if fresh and not switched else (None, {})
        memo = st.session_state[_MEMO] = {"preset": preset, "config": config, "ignored": ignored}
    if memo["config"] is None or memo["preset"] != preset:  # (never another preset's settings: its hidden ones would come too)
        return preset_base
    return TrainConfig.from_dict(memo["config"])


def _from_address(preset_base: TrainConfig, choices: Choices) -> tuple[dict | None, dict]:
    """(the preset's config with the address's settings, or None when the address has none;
    key -> (the address's text, the preset's value used instead) for those the form cannot show)."""
    data = preset_base.resolved().to_dict()
    ignored: dict[str, tuple[str, str | None]] = {}
    found = False
    for key in FORM_SETTINGS:
        raw = st.query_params.get(key)
        if raw is None:
            continue
        options = choices[key](data) if key in choices else None
        try:
            value = decode(key, raw, options)
        except ValueError:
            ignored[key] = (raw, encode(key, _get(data, key)))
            continue
        if key == "dataset" and value != data["dataset"]:
            data["dataset_options"] = {}  # (the preset's options are its data set's: IMDB's num_words)
            data["tokenizer"] = None
        _set(data, key, value)
        found = True
    if data["tokenizer"] is None and not str(data["dataset"]).startswith(UPLOAD_PREFIX) and data["dataset"] != "upload":
        data = TrainConfig.from_dict(data).resolved().to_dict()
    return (data if found else None), ignored


def put_form(form: dict, preset_base: TrainConfig, note) -> None:
    """Write what the form (a config dict as the page builds it, valid or not) changes from the
    preset into the address, and take out what it does not; say, in `note`, the address's values
    the form could not show while the form still holds what was used instead."""
    base = preset_base.resolved().to_dict()
    shown = dict(form)
    if str(shown.get("dataset", "")).startswith(UPLOAD_PREFIX):
        shown["dataset"] = "upload"  # (a file kept on the server: the name the menu gives it)
    for key in FORM_SETTINGS:
        value, default = encode(key, _get(shown, key)), encode(key, _get(base, key))
        put_url(key, None if value == default else value)
    memo = st.session_state.get(_MEMO) or {}
    ignored = memo.get("ignored") or {}
    for key, (raw, used) in list(ignored.items()):
        if encode(key, _get(shown, key)) == used:
            note.warning(t("ui.url_value_ignored", markdown=True, name=key, value=raw, used=used if used is not None else "—"))
        else:  # changed since: the message is done
            del ignored[key]


__all__ = ["decode", "encode", "form_start", "put_form"]
