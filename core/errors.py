"""Errors that reach a user: a message key in the translation table plus parameters.

The page shows `err.message(lang)`, the CLI prints `str(err)` (English), and the
trace goes to the log. Keeping the key separate from the words means one error
speaks both languages without core knowing about the UI.
"""

from __future__ import annotations

from typing import Any


class RnnLabError(Exception):
    """A failure with a sentence for the user: what went wrong and what to do."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en", markdown: bool = False) -> str:
        """The sentence in ``lang``; ``markdown=True`` escapes the parameters for a Markdown
        renderer (they may hold what a user typed or uploaded: see `core.i18n.tr`).

        A parameter that is itself an error (the model's settings inside a run's config) is said
        in ``lang`` too; a setting named by a range or choice check is given its name on the form
        as well ("层数（model.num_layers）"): the Chinese page showed "模型设置无效：num_layers must be
        a whole number from 1 to 4, got 0." """
        from core.i18n import TEXTS, escape_markdown, tr

        params = {name: value.message(lang) if isinstance(value, RnnLabError) else value for name, value in self.params.items()}
        named = self.key in NAMED_SETTING_KEYS and isinstance(params.get("name"), str)
        if named:
            params["name"] = setting_name(params["name"], lang)
            for said in ("expected", "origin"):  # keys of words (train.bad_type's "expected.json_object", hosting.cap's origin)
                if isinstance(params.get(said), str) and params[said] in TEXTS:
                    params[said] = tr(params[said], lang)
        text = tr(self.key, lang, markdown=markdown, **params)
        if named and lang != "en":
            # Chinese sets a Latin name apart by spaces ("设置 model.units 应为…") but not a
            # Chinese one, whose bracket already closes it: "层数（model.num_layers）必须…"
            name = escape_markdown(params["name"]) if markdown else params["name"]
            if name and not name[-1].isascii():
                text = text.replace(f"{name} ", name)
            if name and not name[0].isascii():
                text = text.replace(f" {name}", name)
        return text

    def status_fields(self) -> dict[str, Any]:
        """What a run's status.json records of it: the English sentence, and the key and
        parameters that let a page say it in the reader's language (`core.runs.status_error`)."""
        import json

        params = json.loads(json.dumps(self.params, default=str, ensure_ascii=False))
        return {"error": self.message("en"), "error_key": self.key, "error_params": params}


# the messages whose {name} is a config setting (`setting_name`)
NAMED_SETTING_KEYS = frozenset({"hosting.cap", "hosting.cap_class", "train.bad_range", "train.bad_open_range", "train.bad_fraction", "train.bad_probability", "train.bad_choice", "train.bad_type",
                                "train.bad_clip", "train.bad_prefixes"})


def setting_name(key: str, lang: str) -> str:
    """A config key as a message names it: its label on the form with the key, 层数（model.num_layers）
    / Layers (model.num_layers), the key being what a config file or the CLI's --set writes; the
    label alone where it holds the key ("Tokens per text (maxlen)"); the key alone where the form
    has no label for it."""
    from core.runs import setting_label  # (the compare table's names: one place; core.runs imports this module)

    label = setting_label(key, lang)
    if label == key:
        return key
    last = key.rsplit(".", 1)[-1]
    if label.startswith(last) or label.endswith(last) or f"({last})" in label or f"（{last}）" in label:  # (not "units" in "Hidden units h")
        return label
    if label.endswith(("）", ")")):  # a label that ends in a note: the key joins it, not a second pair of brackets
        return f"{label[:-1]}{'，' if label.endswith('）') else ', '}{key}{label[-1]}"
    return f"{label}（{key}）" if lang != "en" else f"{label} ({key})"


class SettingError(RnnLabError, ValueError):
    """A setting out of its range or choices (a ValueError too, as the model's checks raised)."""


class DataError(RnnLabError):
    """A data set is missing, corrupt, or an upload does not fit."""


class DownloadError(DataError):
    """A download failed, timed out or did not match its checksum."""


class CorpusTooShort(DataError, ValueError):
    """A corpus too short for one batch of the sampler asked for (a ValueError too, as the
    samplers' other argument errors are)."""
