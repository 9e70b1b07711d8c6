"""The pages' cached loaders (models, vector spaces, tables), defined once per process.

A function decorated with `st.cache_data` / `st.cache_resource` inside a page script is
decorated again on every run of that page, and each time Streamlit hashes the function's
source to find its cache (about a millisecond per function per run). Defined here, in a
module imported once, they cost nothing per run; the caches and what they key on are the
same as when they lived in the pages. Heavy imports (TensorFlow through the model code)
stay inside the functions or behind the pages that import this module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import streamlit as st

from core import embeddings as emb
from core.errors import DataError
from ui.charts import LruStore, stamp as file_stamp
from ui.common import digest_of, t

if TYPE_CHECKING:
    from core import stats

# ====================================================================== loaded models (Sentiment and Lyrics playgrounds)


def model_stamp(folder: Path) -> tuple:
    """The fingerprint of a run's model files (`ui.charts.stamp`: time and size of each): the
    cache key part that reloads a replaced model and re-checks a rewritten one. With Keras's
    IMDB word index (where it is, its time and size): a Keras-ids run reads it when loaded, and
    one loaded without it (offline) must read typed text once the Data page has downloaded it."""
    from core import paths
    from core.datasets import IMDB_WORD_INDEX_FILE

    index = paths.find_local(IMDB_WORD_INDEX_FILE.filename)
    return file_stamp(folder / "model_best.keras", folder / "model_last.keras") + ((str(index), file_stamp(index)) if index else ())




@st.cache_resource(max_entries=8, show_spinner=False)
def predictor_for(folder: str, stamp: tuple):
    """One loaded model per run folder and file time, shared by all sessions (`stamp` reloads a replaced model)."""
    from core.predict import SentimentPredictor

    return SentimentPredictor.from_run(Path(folder))


# ====================================================================== Lyrics playground


@st.cache_resource(max_entries=8, show_spinner=False)
def generator_for(folder: str, stamp: tuple, which: str = "auto"):
    """One loaded model per run folder, file time and saved weights ("best", "last"; "auto" the
    best if saved), shared by all sessions (`stamp` reloads a replaced model)."""
    from core.generate import LanguageGenerator

    return LanguageGenerator.from_run(Path(folder), which=which)


# ====================================================================== tokenised data sets (Data and Training pages)

_TOKENISED = LruStore(12)  # (name, tokenizer, max_tokens, num_words, char_limit, files, their stamps) -> TokenisedDataset, shared read-only
_TOKENISED_UPLOADS = LruStore(8)  # (content digest, tokenizer, max_tokens) -> TokenisedDataset


def tokenised(name: str, tokenizer: str, max_tokens: int | None, num_words: int | None, char_limit: int | None = None) -> stats.TokenisedDataset | None:
    """A registered data set, loaded and tokenised once per process and shared (read-only) by
    every session: at once when it is ready, else as a background job (`ui.jobs`; 10 s for
    the Chinese reviews with jieba, more for the 50,000 IMDB reviews), its progress shown
    ("Reading <title> …" while the file is read, then the texts done) and None meanwhile. Its
    failure is said there (a data set not on this machine), and None returned. `char_limit`: a
    corpus's first characters only, cut as a language model's run cuts it (`Corpus.first_characters`).

    Keyed by the stamps of the data set's files too (`ui.charts.stamp`: time and size; the
    file read and every file it downloads, e.g. IMDB's word index beside its ids): a file
    replaced in the data folder (a broken download put right by hand, another version) or
    put there later is read again, and a failure to read the old one is not shown for the new one."""
    from core import datasets, paths

    local = datasets.availability(name).path
    found = [local] + [paths.find_local(remote.filename) for remote in datasets.get_info(name).remotes]
    files = tuple(dict.fromkeys(str(f) for f in found if f))
    key = (name, tokenizer, max_tokens, num_words, char_limit, files, file_stamp(*files))

    def work(progress):
        from core import stats

        options = {"num_words": num_words} if name == "imdb" else {}
        ds = datasets.load(name, **options)
        if char_limit is not None and isinstance(ds, datasets.Corpus):
            ds = ds.first_characters(char_limit)
        _TOKENISED.put(key, stats.tokenise_dataset(ds, tokenizer, max_tokens, progress=progress))
        return key

    return _ready(_TOKENISED, key, ("tokenise",) + key, work, t(f"ds.{name}.title"), tokenizer)


def tokenised_file(digest: str, filename: str, data: bytes, tokenizer: str, max_tokens: int | None) -> stats.TokenisedDataset | None:
    """An upload, parsed and tokenised once per content digest, as `tokenised` does for a data set."""
    key = (digest, tokenizer, max_tokens)

    def work(progress, data=data):
        from core import datasets, stats

        _TOKENISED_UPLOADS.put(key, stats.tokenise_dataset(datasets.load_upload(filename, data, require_label=False, inspect=True), tokenizer, max_tokens, progress=progress))
        return key

    return _ready(_TOKENISED_UPLOADS, key, ("tokenise_upload",) + key, work, filename, tokenizer)


def _ready(store: LruStore, key: tuple, job_key: tuple, work, title: str, tokenizer: str):
    """The value in `store` for `key`, else made by `work` as the job `job_key`, its bar naming
    the data set (`title`) and the tokeniser."""
    from ui import jobs

    value = store.get(key)
    if value is not None:
        return value
    label, reading = t("data.tokenising", title=title, tokenizer=t(f"tok.{tokenizer}")), t("data.reading", title=title)
    while True:
        done = jobs.result(job_key, work, label=label, reading_label=reading, family="tokenise")
        if done is None:
            return None
        value = store.get(key)
        if value is not None:
            return value
        jobs.board().forget(job_key)  # made, then pushed out of the store by others since: again


# ====================================================================== Training


@st.cache_data(show_spinner=False, max_entries=64)
def model_preview(config_json: str, vocab_size: int) -> pd.DataFrame:
    """The parameter table of the model a config builds (built once per config, then dropped)."""
    from core.models import parameter_table
    from core.train import TrainConfig, build_sentiment_model, build_training_language_model

    config = TrainConfig.from_dict(json.loads(config_json))
    build = build_training_language_model if config.task == "language_model" else build_sentiment_model
    return parameter_table(build(config, vocab_size))


# ====================================================================== Embeddings: loaded spaces (shared)


@st.cache_resource(show_spinner=False)
def space_store() -> LruStore:
    """Vector spaces loaded or trained in this server process, shared by every session.

    Keyed by what made them (source and settings), so a second user asking for the same
    Word2Vec settings gets the vectors at once; the 8 least recently used are kept.
    """
    return LruStore(capacity=8)


@st.cache_resource(show_spinner=False)
def space_names() -> LruStore:
    """What the address says of a space (`?space=<digest>`, `space_digest`), with its key and its
    name: a reload (a new session) finds the space again in `space_store` and calls it as the
    session that made it did. The key itself stays out of the address (it can hold a server path)."""
    return LruStore(capacity=64)


def space_digest(key: str) -> str:
    return digest_of(key.encode("utf-8"))[:12]


def space(key: str | None) -> emb.Vectors | None:
    return space_store().get(key) if key else None


@st.cache_resource(max_entries=4, show_spinner=False)
def documents_of(corpus: str) -> tuple[list[list[str]], list[str]]:
    """A corpus as word lists and the text of each, read once per process (read-only, shared)."""
    return emb.corpus_documents(corpus)


def sentences_of(corpus: str) -> list[list[str]]:
    """A corpus as word lists (`documents_of`'s first part)."""
    return documents_of(corpus)[0]


@st.cache_data(max_entries=8, show_spinner=False)
def vocabulary_of(config_json: str) -> tuple[list[str], dict[str, int]]:
    return emb.run_vocabulary(json.loads(config_json))


@st.cache_data(max_entries=16, show_spinner=False)
def projected(key: str, method: str, dims: int, seed: int, words: tuple[str, ...]) -> np.ndarray | None:
    """Projection of these words of a loaded space (cached per space, method, seed and word list)."""
    vectors = space(key)
    if vectors is None:
        return None
    return emb.project(vectors.subset(words), method, dims, seed)


@st.cache_data(max_entries=32, show_spinner=False)
def documents_near(key: str, words: tuple[str, ...], k: int = 5) -> pd.DataFrame | None:
    """The documents of a loaded Doc2Vec space nearest to a text's words (`core.topics`), cached
    per space and text: inferring a text's vector is 200 epochs of its own (30-250 ms), and every
    rerun of the page (any widget, on any tab) would otherwise do it again. Inference is seeded,
    so the cached answer is the one a new call would give."""
    from core import topics

    vectors = space(key)
    if vectors is None:
        return None
    return topics.nearest_documents(vectors, vectors.info["infer"](list(words)), k=k)


RANDOM_WORDS = 20_000  # the random space B: the compared words and at most this many frequent ones


@st.cache_resource(max_entries=4, show_spinner=False)
def random_space(key: str, words: tuple[str, ...]) -> emb.Vectors | None:
    """A fresh Embedding layer's table (Keras's default initialiser) for the same words."""
    vectors = space(key)
    if vectors is None:
        return None
    base = vectors.subset(list(dict.fromkeys(vectors.words[:RANDOM_WORDS] + list(words))))
    return emb.random_like(base, seed=0)


@st.cache_data(max_entries=16, show_spinner=False)
def compared(key_a: str, key_b: str, words: tuple[str, ...]) -> tuple[pd.DataFrame, float | None]:
    """The two spaces' neighbours of these words and their agreement (cached per pair and word list)."""
    a = space(key_a)
    b = random_space(key_a, words) if key_b == "__random__" else space(key_b)
    if a is None or b is None:
        raise DataError("emb.no_common_words", words=list(words[:10]))
    return emb.compare_spaces(a, b, list(words), k=5)
