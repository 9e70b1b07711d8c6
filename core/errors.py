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
        renderer (they may hold what a user typed or uploaded: see `core.i18n.tr`)."""
        from core.i18n import tr

        return tr(self.key, lang, markdown=markdown, **self.params)

    def status_fields(self) -> dict[str, Any]:
        """What a run's status.json records of it: the English sentence, and the key and
        parameters that let a page say it in the reader's language (`core.runs.status_error`)."""
        import json

        params = json.loads(json.dumps(self.params, default=str, ensure_ascii=False))
        return {"error": self.message("en"), "error_key": self.key, "error_params": params}


class DataError(RnnLabError):
    """A data set is missing, corrupt, or an upload does not fit."""


class DownloadError(DataError):
    """A download failed, timed out or did not match its checksum."""


class CorpusTooShort(DataError, ValueError):
    """A corpus too short for one batch of the sampler asked for (a ValueError too, as the
    samplers' other argument errors are)."""
