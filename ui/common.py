"""What every page needs: the current language, translated text, shared cached data, errors."""

from __future__ import annotations

import hashlib
import logging

import pandas as pd
import streamlit as st

from core import datasets, stats
from core.errors import RnnLabError
from core.i18n import DEFAULT_LANG, LANGS, tr

log = logging.getLogger("rnnlab")


def lang() -> str:
    """The language this browser session chose in the sidebar (Chinese by default)."""
    value = st.session_state.get("ui_lang", DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def t(key: str, **params) -> str:
    """`key` in the session's language."""
    return tr(key, lang(), **params)


def show_error(exc: Exception) -> None:
    """A sentence for the user; the trace goes to the log."""
    if isinstance(exc, RnnLabError):
        st.error(exc.message(lang()))
    else:
        log.exception("unexpected error")
        st.error(t("error.generic", reason=str(exc)))


def localise_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names through the translation table (`col.<name>`), for display only."""
    return frame.rename(columns={c: t(f"col.{c}") for c in frame.columns if f"col.{c}" != t(f"col.{c}")})


@st.cache_resource(max_entries=12, show_spinner=False)
def tokenised_dataset(name: str, tokenizer: str, max_tokens: int | None, num_words: int | None = None) -> stats.TokenisedDataset:
    """A registered data set, loaded and tokenised once per process and shared (read-only) by all sessions."""
    options = {"num_words": num_words} if name == "imdb" else {}
    ds = datasets.load(name, **options)
    return stats.tokenise_dataset(ds, tokenizer, max_tokens)


@st.cache_resource(max_entries=8, show_spinner=False)
def tokenised_upload(digest: str, filename: str, _data: bytes, tokenizer: str, max_tokens: int | None) -> stats.TokenisedDataset:
    """An upload, parsed and tokenised once per content digest (`_data` is not hashed: `digest` stands for it)."""
    ds = datasets.load_upload(filename, _data)
    return stats.tokenise_dataset(ds, tokenizer, max_tokens)


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
