"""Word vectors: where they come from, how near words are, and how they start a run.

A `Vectors` value is a vocabulary and a float32 matrix ``[n_words, dim]`` (row i is the
vector of ``words[i]``), optionally with each word's corpus count. Sources:

- the Embedding layer of a trained run (`from_run`), word or character: its table
  ``[vocab, dim]`` with the run's vocabulary (the reserved ``<pad>``/``<unk>`` rows left out);
- pretrained text files (`read_text_vectors`): the GloVe format (``word v1 ... vd`` per
  line, e.g. ``glove.6B.50d.txt``) and the word2vec text format (the same lines after a
  header line ``n_words dim``), read line by line so that, given a vocabulary, only its
  rows are kept in memory; GloVe 6B comes from the data folder, a cached download of the
  Stanford NLP archive (`fetch_glove`), or an upload;
- word2vec's binary format (`read_word2vec_binary`, ``.bin``), read with numpy from the bytes;
  the Chinese Wikipedia vectors of the ``synonyms`` 3.10.2 package come this way, read from
  its archive as PyPI serves it (`fetch_zh_wiki`, `load_zh_wiki`);
- Word2Vec trained here with gensim (`train_word2vec`) on a corpus's sentences
  (`corpus_sentences`): skip-gram or CBOW, negative sampling.

What is computed on them: `neighbours` (cosine and Euclidean), `analogy` (a - b + c,
3CosAdd), `similarity_matrix`, `project` (PCA, t-SNE, UMAP when installed) and
`compare_spaces`. Into training: `coverage` says how much of a run's vocabulary the
vectors know, `embedding_matrix_for` builds the initial ``[vocab, dim]`` table, and
`save_vectors`/`load_vectors` keep vectors in a run folder as ``.npy`` + ``.words.json``
(never pickle).

Errors a user can cause (an unknown word, a malformed file, an empty word list) raise
`DataError` with a translation key; malformed files name the line.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import math
import re
import threading
import time
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from core import paths
from core.download import ProgressFn, RemoteFile, fetch_file
from core.errors import DataError, RnnLabError

METRICS: tuple[str, ...] = ("cosine", "euclidean")
PROJECTION_METHODS: tuple[str, ...] = ("pca", "tsne", "umap")
KERAS_EMBEDDING_INIT = 0.05
"""Keras's default Embedding initializer draws from uniform(-0.05, 0.05)."""
RESERVED = ("<pad>", "<unk>")
SUGGESTION_POOL = 100_000
"""Close spellings are looked for among the first (most frequent) words only, to stay fast."""
PARSE_CHUNK_LINES = 8192


# =========================================================================== the value


@dataclass(eq=False)
class Vectors:
    """Words and their vectors: ``matrix[i]`` is the vector of ``words[i]``.

    words: n strings (a repeated word keeps its first row for look-ups).
    matrix: float32 ``[n, dim]``.
    counts: int64 ``[n]`` corpus frequencies, or None (GloVe files are ordered by
        frequency instead).
    source: a one-line description (file, run, corpus and settings).
    info: figures about how it was made (seconds, words per second, ...).
    notices: message keys with parameters the user should read (e.g. duplicate words).
    """

    words: list[str]
    matrix: np.ndarray
    counts: np.ndarray | None = None
    source: str = ""
    info: dict[str, Any] = field(default_factory=dict)
    notices: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        matrix = np.asarray(self.matrix, dtype=np.float32)
        self.words = [str(w) for w in self.words]
        if matrix.ndim != 2 or matrix.shape[0] != len(self.words):
            raise DataError("emb.bad_matrix", shape=str(tuple(matrix.shape)), n=len(self.words))
        if matrix.shape[1] == 0:
            raise DataError("emb.bad_matrix", shape=str(tuple(matrix.shape)), n=len(self.words))
        if matrix.size and not np.isfinite(matrix).all():
            row = int(np.argwhere(~np.isfinite(matrix))[0][0])
            raise DataError("emb.not_finite_row", word=self.words[row])
        self.matrix = np.ascontiguousarray(matrix)
        if self.counts is not None:
            counts = np.asarray(self.counts, dtype=np.int64)
            if counts.shape != (len(self.words),):
                raise DataError("emb.bad_matrix", shape=str(tuple(counts.shape)), n=len(self.words))
            self.counts = counts
        index: dict[str, int] = {}
        for i, word in enumerate(self.words):
            index.setdefault(word, i)
        self.index = index

    # ------------------------------------------------------------------ basics
    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    @cached_property
    def norms(self) -> np.ndarray:
        """Euclidean length of every row, float32 ``[n]``."""
        return np.linalg.norm(self.matrix, axis=1).astype(np.float32)

    @cached_property
    def normalised(self) -> np.ndarray:
        """Every row divided by its length (a zero row stays zero): cosine = a dot product. ``[n, dim]``."""
        norms = self.norms.copy()
        norms[norms == 0] = 1.0
        return self.matrix / norms[:, None]

    @cached_property
    def squared_norms(self) -> np.ndarray:
        return (self.norms.astype(np.float64) ** 2).astype(np.float32)

    def row(self, word: str) -> int:
        """The row of ``word``; an unknown word raises `DataError` with close spellings."""
        i = self.index.get(word)
        if i is None:
            raise unknown_word_error(self, word)
        return i

    def vector(self, word: str) -> np.ndarray:
        return self.matrix[self.row(word)]

    def frequency(self) -> np.ndarray:
        """Counts when known, else a frequency proxy from the order (1 / rank), float ``[n]``."""
        if self.counts is not None:
            return self.counts.astype(np.float64)
        return 1.0 / np.arange(1, len(self.words) + 1, dtype=np.float64)

    def subset(self, words: Iterable[str], source: str | None = None) -> Vectors:
        """These words only (unknown ones are skipped), in the given order."""
        rows = []
        seen = set()
        for w in words:
            if w in self.index and w not in seen:
                rows.append(self.index[w])
                seen.add(w)
        rows_arr = np.asarray(rows, dtype=np.int64)
        return Vectors(
            words=[self.words[i] for i in rows],
            matrix=self.matrix[rows_arr] if rows else np.zeros((0, self.dim), np.float32),
            counts=None if self.counts is None else self.counts[rows_arr],
            source=source if source is not None else self.source,
        )

    def head(self, n: int) -> Vectors:
        """The first ``n`` words (the most frequent, for every source here)."""
        n = max(0, min(int(n), len(self)))
        return Vectors(self.words[:n], self.matrix[:n], None if self.counts is None else self.counts[:n], self.source)

    def describe(self) -> dict[str, Any]:
        return {"words": len(self), "dim": self.dim, "source": self.source, **self.info}


def one_edit_apart(a: str, b: str) -> bool:
    """Whether `b` is `a` with one character changed, added or left out, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(differ) == 1 or (len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def known_spelling(vectors: Vectors, word: str) -> str | None:
    """`word` as the vocabulary spells it when only its letter case differs ("Good" in a lower-case
    vocabulary such as GloVe's or Keras's IMDB: "good"); `word` itself when known; else None."""
    if word in vectors.index:
        return word
    for variant in (word.lower(), word.capitalize(), word.upper()):
        if variant in vectors.index:
            return variant
    return None


def suggest(vectors: Vectors, word: str, n: int = 5) -> list[str]:
    """Words of the vocabulary spelled like ``word``: other letter cases first, then the words one
    typo away, then close matches (difflib). Among the words one typo away, those of the same length
    (a character changed or two swapped) come before those with a character added or left out,
    each most frequent first: for 中囯 a typist meant 中国, not the commoner 中. difflib alone
    missed that typo: 中囯 shares half of 中国, below its cutoff. A suggestion shares a character
    with ``word``: an emoji or a one-character word gets none rather than the commonest words."""
    found: list[str] = []
    for variant in (word.lower(), word.upper(), word.capitalize(), word.strip()):
        if variant != word and variant in vectors.index and variant not in found:
            found.append(variant)
    if not word.strip():
        return found[:n]
    span = max(2, len(word) // 2)  # (at least the one character a typo adds or leaves out)
    pool = [w for w in vectors.words[:SUGGESTION_POOL] if abs(len(w) - len(word)) <= span]
    same_length: list[str] = []  # a character changed or two swapped: what a typist most likely meant
    other_length: list[str] = []  # a character added or left out
    for candidate in pool:  # (most frequent first when the vectors come from a corpus)
        if len(same_length) >= n:
            break
        # (sharing a character: for a one-character word every other one is "one change away", and 😀
        # was offered 的、了、是、我、很, the commonest words, as its spellings)
        if candidate not in found and one_edit_apart(word, candidate) and not set(word).isdisjoint(candidate):
            tier = same_length if len(candidate) == len(word) else other_length
            tier.append(candidate)
    found += same_length + other_length
    for match in difflib.get_close_matches(word, pool, n=n, cutoff=0.6):
        if match not in found:
            found.append(match)
    if not found and len(word) > 1:  # a longer Chinese phrase: words that share a part of it
        found = [w for w in pool[:20_000] if len(w) > 1 and w in word][:n]
    return found[:n]


def unknown_word_error(vectors: Vectors, word: str) -> DataError:
    close = suggest(vectors, word)
    if close:
        return DataError("emb.unknown_word", word=word, suggestions=close)
    return DataError("emb.unknown_word_none", word=word)


def parse_word_list(text: str) -> list[str]:
    """Words typed by a user: separated by commas (Latin or Chinese), semicolons, new lines or spaces."""
    parts = re.split(r"[,，;；、\s]+", text or "")
    out: list[str] = []
    for p in parts:
        if p and p not in out:
            out.append(p)
    return out


# =========================================================================== the Embedding layer, taught

TOY_WORDS: tuple[str, ...] = (
    "<pad>", "like", "dislike", "good", "bad", "Rome", "Paris", "king", "queen", "man",
    "woman", "cat", "dog", "movie", "book", "happy", "sad", "city", "river", "music",
)
"""Labels of the small demo vocabulary (id i is TOY_WORDS[i]), as the tutorial writes them."""
TOY_WORDS_ZH: tuple[str, ...] = (
    "<pad>", "喜欢", "讨厌", "好", "坏", "罗马", "巴黎", "国王", "王后", "男人",
    "女人", "猫", "狗", "电影", "书", "开心", "难过", "城市", "河流", "音乐",
)
"""The same words on the Chinese page (an English toy vocabulary beside the Chinese example read oddly)."""
TUTORIAL_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("like", "dislike", "rome", "paris"),
    "zh": ("喜欢", "讨厌", "罗马", "巴黎"),
}
"""The tutorial's cosine example (GloVe is lower-case), and the same words in Chinese."""
ANALOGY_EXAMPLES: tuple[tuple[str, str, str], ...] = (("king", "man", "woman"), ("paris", "france", "italy"), ("北京", "中国", "日本"), ("国王", "男人", "女人"))


def toy_words(lang: str) -> tuple[str, ...]:
    """The demo vocabulary in the page's language."""
    return TOY_WORDS if lang == "en" else TOY_WORDS_ZH


def embedding_layer_table(n_vocab: int, dim: int, seed: int = 0) -> np.ndarray:
    """A fresh ``Embedding(n_vocab, dim)`` table: float32 ``[n_vocab, dim]`` drawn from Keras's default uniform(-0.05, 0.05)."""
    if not 1 <= n_vocab <= 100_000 or not 1 <= dim <= 1000:
        raise RnnLabError("emb.bad_layer_size", n_vocab=str(n_vocab), dim=str(dim))
    return np.random.default_rng(seed).uniform(-KERAS_EMBEDDING_INIT, KERAS_EMBEDDING_INIT, size=(n_vocab, dim)).astype(np.float32)


MAX_TYPED_IDS = 50
"""Ids the Embedding-layer demo draws at most: a row each in its output heatmap (2,000 ids drew a
chart tens of thousands of pixels tall in 10 s, without a word)."""


def parse_ids(text: str, n_vocab: int, most: int = MAX_TYPED_IDS) -> list[int]:
    """Ids typed by a user ("3, 0, 7" or "3 0 7"); each must be in [0, n_vocab), and at most
    `most` of them (DataError otherwise)."""
    parts = [p for p in re.split(r"[,，、\s]+", text or "") if p]
    if not parts:
        raise DataError("emb.no_ids")
    if len(parts) > most:
        raise DataError("emb.too_many_ids", n=f"{len(parts):,}", most=most)
    ids = []
    for p in parts:
        if not re.fullmatch(r"-?\d+", p) or not 0 <= int(p) < n_vocab:
            raise DataError("emb.bad_id", value=p[:20], n=n_vocab, last=n_vocab - 1)
        ids.append(int(p))
    return ids


def lookup(table: np.ndarray, ids: Sequence[int]) -> np.ndarray:
    """What ``Embedding`` does: ids ``[steps]`` -> rows ``[steps, dim]`` (``table[ids]``, a row gather)."""
    return np.asarray(table)[np.asarray(ids, dtype=np.int64)]


def embedding_parameters(n_vocab: int, dim: int, trainable: bool) -> dict[str, int]:
    """Parameters of ``Embedding(n_vocab, dim)``: N_vocab * n, trainable or not (frozen: the optimizer skips them)."""
    total = int(n_vocab) * int(dim)
    return {"total": total, "trainable": total if trainable else 0, "non_trainable": 0 if trainable else total}


def one_hot_vs_dense(vocab_size: int, dim: int, bytes_per_value: int = 4) -> dict[str, float]:
    """One word as a one-hot vector of length ``vocab_size`` versus a dense vector of ``dim`` values.

    Returns values per word, bytes per word (float32), the one-hot vector's share of zeros
    (its sparsity), the Embedding table's parameters, and the fixed geometry of one-hot
    vectors: every pair has cosine 0 and distance sqrt(2).
    """
    return {
        "one_hot_values": int(vocab_size),
        "dense_values": int(dim),
        "one_hot_bytes": int(vocab_size) * bytes_per_value,
        "dense_bytes": int(dim) * bytes_per_value,
        "one_hot_sparsity": 1.0 - 1.0 / vocab_size,
        "table_parameters": int(vocab_size) * int(dim),
        "one_hot_cosine": 0.0,
        "one_hot_distance": math.sqrt(2.0),
    }


def one_hot(n: int) -> np.ndarray:
    """n one-hot vectors of length n (the identity matrix): row i is word i."""
    return np.eye(int(n), dtype=np.float32)


def pick_examples(vectors: Vectors, candidates: Sequence[Sequence[str]]) -> tuple[str, ...] | None:
    """The first group of words the vectors all know (lower-case forms tried), or None."""
    for group in candidates:
        resolved = []
        for w in group:
            i = find_row(vectors, w)
            if i is None:
                break
            resolved.append(vectors.words[i])
        else:
            return tuple(resolved)
    return None


# =========================================================================== neighbours, analogies


def _top(scores: np.ndarray, k: int, exclude: Sequence[int]) -> np.ndarray:
    """Indices of the ``k`` highest scores (best first), leaving out ``exclude``."""
    scores = np.array(scores, dtype=np.float32 if scores.dtype == np.float32 else np.float64, copy=True)
    if len(exclude):
        scores[np.asarray(list(exclude), dtype=np.int64)] = -np.inf
    available = int(np.isfinite(scores).sum())
    k = max(0, min(int(k), available))
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    if k < len(scores):
        part = np.argpartition(-scores, k - 1)[:k]
    else:
        part = np.arange(len(scores))
    return part[np.argsort(-scores[part], kind="stable")]


def _query(vectors: Vectors, query: str | np.ndarray) -> tuple[np.ndarray, list[int]]:
    if isinstance(query, str):
        i = vectors.row(query)
        return vectors.matrix[i], [i]
    q = np.asarray(query, dtype=np.float32).reshape(-1)
    if q.shape != (vectors.dim,):
        raise DataError("emb.dim_mismatch", got=int(q.shape[0]), expected=vectors.dim)
    return q, []


def neighbours(vectors: Vectors, query: str | np.ndarray, k: int = 10, metric: str = "cosine", exclude: Iterable[str] = ()) -> pd.DataFrame:
    """The ``k`` nearest words to a word (itself left out) or to a vector.

    metric "cosine": largest cos(theta) = a.b / (|a| |b|) first; "euclidean": smallest
    |a - b| first. Both figures are given for every row. Columns: rank, word, cosine,
    euclidean.
    """
    if metric not in METRICS:
        raise RnnLabError("emb.bad_metric", metric=str(metric), metrics=", ".join(METRICS))
    q, skip = _query(vectors, query)
    skip += [vectors.index[w] for w in exclude if w in vectors.index]
    q_norm = float(np.linalg.norm(q))
    dots = vectors.matrix @ q  # the one pass over the matrix: [n]
    if metric == "cosine":
        denom_all = vectors.norms * np.float32(q_norm)
        scores = np.divide(dots, denom_all, out=np.zeros_like(dots), where=denom_all > 0)
    else:
        scores = -(vectors.squared_norms - 2.0 * dots + np.float32(q_norm**2))
    top = _top(scores, k, skip)
    norms = vectors.norms[top].astype(np.float64)
    denom = norms * q_norm
    cosine = np.divide(dots[top].astype(np.float64), denom, out=np.zeros(len(top)), where=denom > 0)
    euclid = np.sqrt(np.maximum(vectors.squared_norms[top].astype(np.float64) - 2.0 * dots[top] + q_norm**2, 0.0))
    return pd.DataFrame({"rank": np.arange(1, len(top) + 1), "word": [vectors.words[i] for i in top], "cosine": cosine, "euclidean": euclid})


def analogy(vectors: Vectors, a: str, b: str, c: str, k: int = 5) -> pd.DataFrame:
    """a - b + c (king - man + woman): the words nearest the unit vectors' combination, inputs left out.

    3CosAdd (Mikolov et al. 2013): rank every x by cos(x, a) - cos(x, b) + cos(x, c),
    which is the cosine between x and ``â - b̂ + ĉ`` times a constant. Columns: rank,
    word, cosine (to â - b̂ + ĉ), score (the 3CosAdd sum).
    """
    rows = [vectors.row(w) for w in (a, b, c)]
    n = vectors.normalised
    target = n[rows[0]] - n[rows[1]] + n[rows[2]]
    scores = n @ target
    top = _top(scores, k, rows)
    t_norm = float(np.linalg.norm(target)) or 1.0
    return pd.DataFrame({"rank": np.arange(1, len(top) + 1), "word": [vectors.words[i] for i in top], "cosine": scores[top] / t_norm, "score": scores[top].astype(np.float64)})


def known_words(vectors: Vectors, words: Sequence[str]) -> tuple[list[str], list[str]]:
    """(known, unknown) words, duplicates removed, order kept."""
    known, unknown = [], []
    for w in words:
        if w in known or w in unknown:
            continue
        (known if w in vectors.index else unknown).append(w)
    return known, unknown


def unknown_words_error(vectors: Vectors, unknown: Sequence[str]) -> DataError:
    """The words the vectors lack, named, with close spellings of the first when there are any."""
    close = suggest(vectors, unknown[0])
    if close:
        return DataError("emb.unknown_words", words=list(unknown), word=unknown[0], suggestions=close)
    return DataError("emb.unknown_words_none", words=list(unknown))  # (it said "Close to “x”: -.")


def similarity_matrix(vectors: Vectors, words: Sequence[str]) -> pd.DataFrame:
    """Cosine similarity of every pair of ``words``: a ``[len, len]`` table, 1 on the diagonal.

    An empty list or a word the vectors do not know raises `DataError`.
    """
    words = [w for w in words if w]
    if not words:
        raise DataError("emb.empty_words")
    known, unknown = known_words(vectors, words)
    if unknown:
        raise unknown_words_error(vectors, unknown)
    n = vectors.normalised[[vectors.index[w] for w in known]]
    sims = np.clip(n @ n.T, -1.0, 1.0)
    return pd.DataFrame(sims.astype(np.float64), index=known, columns=known)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """cos(theta) = a.b / (|a| |b|); 0 when either is the zero vector."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(np.dot(a, b) / (na * nb)) if na > 0 and nb > 0 else 0.0


# =========================================================================== projections


def available_projections() -> tuple[str, ...]:
    """PCA always; t-SNE with scikit-learn; UMAP only when the `umap-learn` package is installed."""
    import importlib.util

    out = ["pca"]
    if importlib.util.find_spec("sklearn") is not None:
        out.append("tsne")
    if importlib.util.find_spec("umap") is not None:
        out.append("umap")
    return tuple(out)


def pca(matrix: np.ndarray, dims: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """Principal components: (coordinates ``[n, dims]``, share of the variance each keeps ``[dims]``).

    Deterministic: each component's sign is fixed so its largest loading is positive.
    Components beyond the data's rank are zero.
    """
    x = np.asarray(matrix, dtype=np.float64)
    x = x - x.mean(axis=0, keepdims=True)
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    signs[signs == 0] = 1.0
    u, vt = u * signs, vt * signs[:, None]
    coords = np.zeros((len(x), dims))
    keep = min(dims, len(s))
    coords[:, :keep] = u[:, :keep] * s[:keep]
    total = float((s**2).sum())
    explained = np.zeros(dims)
    if total > 0:
        explained[:keep] = s[:keep] ** 2 / total
    return coords, explained


TSNE_ITERATIONS = 1000  # scikit-learn's default, said here so that a progress bar knows its end


def project(vectors: Vectors, method: str = "pca", dims: int = 2, seed: int = 0, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """Every vector as a point in 2 or 3 dimensions, float64 ``[n, dims]``; repeatable for a seed.

    pca: linear, keeps the most variance (the seed is not needed). tsne: scikit-learn's
    t-SNE (PCA start, perplexity min(30, (n - 1) / 3)), keeps neighbourhoods. umap: only
    when installed.

    progress: ``progress(done, total)`` as t-SNE's gradient descent counts its iterations (of
    `TSNE_ITERATIONS`; it may stop early, when the layout has settled) and UMAP its epochs. The
    work before them (t-SNE's neighbour probabilities, UMAP's neighbour graph and, the first
    time, the compilation of its code) is not counted.
    """
    if dims not in (2, 3):
        raise RnnLabError("emb.bad_dims", dims=str(dims))
    n = len(vectors)
    if method not in PROJECTION_METHODS:
        raise RnnLabError("emb.bad_projection", method=str(method), methods=", ".join(available_projections()))
    if method not in available_projections():
        raise DataError("emb.projection_missing", method=method)
    if n < 2 or (method != "pca" and n < 5):
        raise DataError("emb.too_few_points", n=n, least=2 if method == "pca" else 5)
    if method == "pca":
        return pca(vectors.matrix, dims)[0]
    if method == "tsne":
        from sklearn.manifold import TSNE
        from threadpoolctl import threadpool_limits

        perplexity = float(min(30.0, max(1.0, (n - 1) / 3.0)))
        model = TSNE(
            n_components=dims, perplexity=perplexity, init="pca", random_state=int(seed), method="barnes_hut" if dims < 4 else "exact", max_iter=TSNE_ITERATIONS
        )
        # One OpenMP thread: on a busy machine (a shared server) several spinning threads made
        # t-SNE ten times slower, and one thread leaves a core to the other users.
        with threadpool_limits(limits=1), _tsne_iterations(progress):
            return np.asarray(model.fit_transform(vectors.matrix.astype(np.float64)), dtype=np.float64)
    import umap  # noqa: PLC0415 - optional dependency

    global _umap_has_run

    def epochs(done: int, total: int) -> None:
        global _umap_has_run
        _umap_has_run = True  # (the epochs run compiled code: compiled by now, even if the map is then stopped)
        progress(done, total)

    # UMAP's epochs go through tqdm (tqdm_kwds, part of its API), here into `_TqdmCounts` instead of a terminal
    tqdm_kwds = {"disable": False, "file": _TqdmCounts(epochs), "bar_format": "{n} {total}", "mininterval": 0.25} if progress is not None else None
    # said on every map, of what this one does not use or asks for: the search index that
    # transform() would need, and one thread because of the seed (set here, at each map: a caller
    # that restores the warning filters, as pytest does after each test, would drop a filter set once)
    warnings.filterwarnings("ignore", message=r"precomputed_knn\[2\] \(knn_search_index\) is not an NNDescent", category=UserWarning)
    warnings.filterwarnings("ignore", message=r"n_jobs value 1 overridden to 1 by setting random_state", category=UserWarning)
    k = min(15, n - 1)
    model = umap.UMAP(
        n_components=dims,
        random_state=int(seed),
        n_neighbors=k,
        tqdm_kwds=tqdm_kwds,
        precomputed_knn=umap_neighbours(vectors.matrix, k),
        force_approximation_algorithm=True,  # (else fewer than 4,096 points take UMAP's own way regardless)
    )
    coords = np.asarray(model.fit_transform(vectors.matrix), dtype=np.float64)
    _umap_has_run = True
    return coords


def umap_neighbours(matrix: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's `k` nearest rows, itself first (indices, Euclidean distances as float32), for
    UMAP's `precomputed_knn` (part of its API). UMAP's own way for fewer than 4,096 points (all
    distances, then numba code to sort them) is exact too, and builds the same graph, but that
    code is compiled in every new process: 6 s of the first map of a server (13 s then, 7 s now;
    the next maps 2 s then, 1 s now; bench_embeddings)."""
    from sklearn.neighbors import NearestNeighbors  # noqa: PLC0415

    distances, indices = NearestNeighbors(n_neighbors=k).fit(matrix).kneighbors(matrix)
    # a row's distance to itself comes out as 1e-7, not 0, and UMAP takes the smallest non-zero
    # distance for the nearest neighbour's (rho): every row's fuzzy neighbourhood was then wider
    distances[indices == np.arange(len(matrix))[:, None]] = 0.0
    return indices, distances.astype(np.float32)


class _TqdmCounts(io.TextIOBase):
    """A file for tqdm whose bar is "{n} {total}": each line it draws is passed on as progress(n, total)."""

    def __init__(self, progress: Callable[[int, int], None]) -> None:
        self.progress = progress

    def write(self, text: str) -> int:
        found = re.findall(r"(\d+) (\d+)", text)
        if found:
            done, total = found[-1]
            self.progress(int(done), int(total))
        return len(text)


# t-SNE's iterations: scikit-learn has no callback, and its verbose lines go to the process's
# stdout, which every session's jobs share. Its gradient descent calls the objective function
# once per iteration, looked up by name in sklearn.manifold._t_sne on each fit: that name is
# wrapped once (a private name of scikit-learn 1.9, pinned in requirements.txt) in a function
# that counts the calls of the job on this thread, and only while `_tsne_iterations` is open.
_TSNE_COUNTS = threading.local()
_TSNE_WRAP_LOCK = threading.Lock()


@contextlib.contextmanager
def _tsne_iterations(progress: Callable[[int, int], None] | None):
    if progress is None:
        yield
        return
    from sklearn.manifold import _t_sne

    with _TSNE_WRAP_LOCK:
        for name in ("_kl_divergence_bh", "_kl_divergence"):
            original = getattr(_t_sne, name)
            if not getattr(original, "_rnnlab_counted", False):
                setattr(_t_sne, name, _counted(original))
    _TSNE_COUNTS.done, _TSNE_COUNTS.progress = 0, progress
    progress(0, TSNE_ITERATIONS)
    try:
        yield
    finally:
        _TSNE_COUNTS.progress = None


def _counted(objective: Callable) -> Callable:
    def counted(*args, **kwargs):
        report = getattr(_TSNE_COUNTS, "progress", None)
        if report is not None:
            _TSNE_COUNTS.done += 1
            if _TSNE_COUNTS.done % 10 == 0:
                report(_TSNE_COUNTS.done, TSNE_ITERATIONS)
        return objective(*args, **kwargs)

    counted._rnnlab_counted = True
    return counted


_umap_has_run = False


def umap_compiled() -> bool:
    """Whether this process has made a UMAP projection already. The first one also compiles
    umap-learn's numba code: 10 s of a map of 300 words on 2 cores when idle (14 s before
    `umap_neighbours`), 27 s in a fresh virtualenv, whose numba cache is empty, more on a busy
    server; later ones take about a second. A page says so while the first one runs."""
    return _umap_has_run


def projection_frame(vectors: Vectors, coords: np.ndarray) -> pd.DataFrame:
    """Points for a scatter: word, x, y (, z), frequency (count, or 1/rank when unknown), rank."""
    frame = pd.DataFrame({"word": vectors.words, "x": coords[:, 0], "y": coords[:, 1]})
    if coords.shape[1] > 2:
        frame["z"] = coords[:, 2]
    frame["frequency"] = vectors.frequency()
    frame["rank"] = np.arange(1, len(vectors) + 1)
    return frame


# =========================================================================== two spaces


def random_like(vectors: Vectors, seed: int = 0, scale: float = KERAS_EMBEDDING_INIT) -> Vectors:
    """The same words with a fresh Embedding layer's table: uniform(-scale, scale), Keras's default."""
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(-scale, scale, size=vectors.matrix.shape).astype(np.float32)
    return Vectors(list(vectors.words), matrix, vectors.counts, source=f"uniform(-{scale:g}, {scale:g}), seed {seed}")


def compare_spaces(a: Vectors, b: Vectors, words: Sequence[str], k: int = 5) -> tuple[pd.DataFrame, float | None]:
    """The same words in two spaces.

    Returns (table, agreement): the table has one row per word known to both (word,
    neighbours_a, neighbours_b, shared = how many of the k nearest agree); agreement is
    the Pearson correlation of the pairwise cosines of those words in the two spaces
    (1 = the spaces arrange them alike; None with fewer than 3 words).
    """
    words = [w for w in words if w]
    if not words:
        raise DataError("emb.empty_words")
    common = [w for w in dict.fromkeys(words) if w in a.index and w in b.index]
    if not common:
        raise DataError("emb.no_common_words", words=", ".join(words[:10]))
    rows = []
    for w in common:
        na = neighbours(a, w, k)["word"].tolist()
        nb = neighbours(b, w, k)["word"].tolist()
        rows.append({"word": w, "neighbours_a": ", ".join(na), "neighbours_b": ", ".join(nb), "shared": len(set(na) & set(nb))})
    agreement = None
    if len(common) >= 3:
        sa = similarity_matrix(a, common).to_numpy()
        sb = similarity_matrix(b, common).to_numpy()
        upper = np.triu_indices(len(common), 1)
        x, y = sa[upper], sb[upper]
        if x.std() > 0 and y.std() > 0:
            agreement = float(np.corrcoef(x, y)[0, 1])
    return pd.DataFrame(rows), agreement


# =========================================================================== text files


def _count_lines(path: Path) -> int:
    """Lines in a file (newlines + 1), read in 1 MB chunks: a fraction of a second for GloVe 50d."""
    count = 1
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            count += chunk.count(b"\n")
    return count


def _open_binary(source: Any, member: str | None) -> tuple[IO[bytes], int | None, str, list, int | None]:
    """A binary stream over the vector text, its size in bytes (or None), a name, what to
    close, and an upper bound on its number of lines (None inside a zip archive)."""
    closers: list = []
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(bytes(source)), len(source), "upload", closers, source.count(b"\n") + 1
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            if member is not None or path.suffix.lower() == ".zip":
                archive = zipfile.ZipFile(path)
                closers.append(archive)
                if member is None:
                    names = [n for n in archive.namelist() if n.endswith((".txt", ".vec"))]
                    if len(names) != 1:
                        raise DataError("emb.zip_member", path=str(path), names=", ".join(archive.namelist()[:10]) or "-")
                    member = names[0]
                info = archive.getinfo(member)
                stream = archive.open(info)
                closers.append(stream)
                return stream, info.file_size, f"{path.name}:{member}", closers, None
            lines = _count_lines(path)
            stream = open(path, "rb")
            closers.append(stream)
            return stream, path.stat().st_size, path.name, closers, lines
        except KeyError as exc:
            raise DataError("emb.zip_member", path=str(path), names=str(member)) from exc
        except zipfile.BadZipFile as exc:
            raise DataError("emb.bad_zip", path=str(path), reason=str(exc)) from exc
        except OSError as exc:
            raise DataError("emb.unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = getattr(source, "name", "upload")
        return io.BytesIO(data), len(data), str(name), closers, data.count(b"\n") + 1
    raise RnnLabError("emb.bad_source", kind=type(source).__name__)


def _shown(text: str, limit: int = 40) -> str:
    """The start of a file's text for a message: control characters (a binary file read as
    text) shown as "·", not sent to the page."""
    return "".join(c if c.isprintable() else "·" for c in text[:limit])


FLOAT32_MAX = float(np.finfo(np.float32).max)  # vectors are read as float32: a larger number becomes inf


def _line_error(lineno: int, word: str, rest: str, dim: int | None, header: bool) -> DataError:
    """The reason a vector line did not parse, as precisely as can be said."""
    values = rest.split()
    word = _shown(word)
    if not values:
        return DataError("emb.line_no_values", line=lineno, word=word)
    for v in values:
        try:
            number = float(v)
        except ValueError:
            return DataError("emb.line_bad_number", line=lineno, word=word, value=_shown(v))
        if not math.isfinite(number):
            return DataError("emb.line_not_finite", line=lineno, word=word, value=_shown(v))
        if abs(number) > FLOAT32_MAX:  # (1e308 is a number: it read "is not a number", quoting the whole row)
            return DataError("emb.line_too_large", line=lineno, word=word, value=_shown(v))
    if dim is not None and len(values) != dim:
        key = "emb.line_dims_header" if header else "emb.line_dims"
        return DataError(key, line=lineno, word=word, got=len(values), expected=dim)
    return DataError("emb.line_bad_number", line=lineno, word=word, value=_shown(rest))


def _split_line(text: str, dim: int | None) -> tuple[str, str]:
    """(word, the numbers as text). A word may contain spaces (some GloVe files have them)."""
    text = text.rstrip()
    if dim is not None and text.count(" ") > dim:
        parts = text.rsplit(" ", dim)
        head = parts[0]
        # a word with spaces ("at&t .com"), not a line with too many numbers
        if head.strip() and not _looks_numeric(head.rsplit(" ", 1)[-1]):
            return head, " ".join(parts[1:])
    word, _, rest = text.partition(" ")
    return word, rest.strip()


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _parse_block(rests: list[str], dim: int) -> np.ndarray | None:
    """The numbers of many lines at once with pandas' C parser (four times numpy's text
    parser here): float32 ``[len(rests), dim]``, or None when any line is off."""
    import csv

    try:
        frame = pd.read_csv(io.StringIO("\n".join(rests)), sep=" ", header=None, engine="c", quoting=csv.QUOTE_NONE, na_filter=False, low_memory=False)
        values = frame.to_numpy(dtype=np.float32)
    except (ValueError, TypeError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    if values.shape != (len(rests), dim) or not np.isfinite(values).all():
        return None
    return values


class _NotUtf8(Exception):
    """A vector file's line that is not UTF-8: `read_text_vectors` reads the whole file again as GBK."""


def read_text_vectors(
    source: str | Path | bytes | IO,
    vocab: Iterable[str] | None = None,
    limit: int | None = None,
    member: str | None = None,
    progress: ProgressFn | None = None,
    name: str | None = None,
) -> Vectors:
    """`_read_text_vectors` as UTF-8, else, once a line is not UTF-8, the whole file again as GBK
    (GB18030), with a notice: a file saved on a Chinese Windows machine. Line by line, a GBK word
    whose bytes happen to be valid UTF-8 (学校) was read as "ѧУ" without a word."""
    if hasattr(source, "read"):  # read once, so that it can be read twice
        name = name or str(getattr(source, "name", "upload"))
        data = source.read()
        source = data.encode("utf-8") if isinstance(data, str) else data
    try:
        return _read_text_vectors(source, vocab, limit, member, progress, name, "utf-8")
    except _NotUtf8:
        return _read_text_vectors(source, vocab, limit, member, progress, name, "gb18030")


def _read_text_vectors(
    source: str | Path | bytes,
    vocab: Iterable[str] | None,
    limit: int | None,
    member: str | None,
    progress: ProgressFn | None,
    name: str | None,
    encoding: str,
) -> Vectors:
    """Read vectors from a GloVe or word2vec text file, streaming it line by line.

    source: a path (a ``.txt``/``.vec`` file, or a ``.zip`` with ``member``), the bytes of
        an upload, or a binary file object.
    vocab: keep only these words (the others are checked for their number of values
        but not parsed or kept, so memory holds only the needed rows).
    limit: read at most this many vectors from the top of the file (GloVe and word2vec
        files list frequent words first).
    progress: ``progress(bytes_done, bytes_total_or_None)`` now and then.

    Formats: GloVe lines ``word v1 ... vd``; the word2vec text format adds a first line
    ``n_words dim``. Blank lines are skipped; a repeated word keeps its first vector (a
    notice says how many repeats there were). A line that cannot be read raises
    `DataError` naming the line and the reason: no numbers, a value that is not a
    (finite) number, a different number of values than the earlier lines (or than the
    header says), text that is not UTF-8.
    """
    stream, total, label, closers, max_lines = _open_binary(source, member)
    label = name or label
    wanted = None if vocab is None else set(vocab)
    # An upper bound on the rows kept lets the matrix be allocated once, filled in place
    # (no copy of every block at the end: the peak memory stays near the result's size).
    bounds = [b for b in (limit, None if wanted is None else len(wanted), max_lines) if b is not None]
    capacity = min(bounds) if bounds else None
    buffer: np.ndarray | None = None
    filled = 0
    words: list[str] = []
    blocks: list[np.ndarray] = []
    seen: set[str] = set()
    duplicates = 0
    dim: int | None = None
    header_count: int | None = None
    header = False
    vector_lines = 0
    lineno = 0
    done_bytes = 0
    pending_words: list[str] = []
    pending_rest: list[str] = []
    pending_lines: list[int] = []
    last_report = time.monotonic()

    def flush() -> None:
        if not pending_rest:
            return
        values = _parse_block(pending_rest, dim)
        if values is None:  # something in this block is off: find the line, or read it line by line
            rows = []
            for ln, w, r in zip(pending_lines, pending_words, pending_rest):
                try:
                    row = np.array(r.split(), dtype=np.float32)
                except ValueError:
                    raise _line_error(ln, w, r, dim, header) from None
                if row.size != dim or not np.isfinite(row).all():
                    raise _line_error(ln, w, r, dim, header)
                rows.append(row)
            values = np.stack(rows)
        nonlocal buffer, filled
        if capacity is not None:
            if buffer is None:
                buffer = np.empty((capacity, dim), dtype=np.float32)
            buffer[filled : filled + len(values)] = values
        else:
            blocks.append(values)
        filled += len(values)
        words.extend(pending_words)
        pending_words.clear()
        pending_rest.clear()
        pending_lines.clear()

    try:
        for raw in stream:
            lineno += 1
            done_bytes += len(raw)
            try:
                text = raw.decode(encoding).rstrip()
            except UnicodeDecodeError:
                if encoding == "utf-8":  # (GBK then: read_text_vectors starts again)
                    raise _NotUtf8 from None
                raise DataError("emb.bad_encoding", line=lineno) from None
            if lineno == 1:
                text = text.lstrip("\ufeff")
            if not text:
                continue
            if dim is None:
                parts = text.split()
                if vector_lines == 0 and len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit():
                    header_count, dim, header = int(parts[0]), int(parts[1]), True
                    if dim <= 0:
                        raise DataError("emb.line_no_values", line=lineno, word=text[:40])
                    continue
                word, rest = _split_line(text, None)
                dim = len(rest.split())
                if dim == 0:
                    raise _line_error(lineno, word, rest, None, header)
            else:
                word, _, rest = text.partition(" ")
                if rest.count(" ") != dim - 1:  # a word with spaces, several spaces, or a bad line
                    word, rest = _split_line(text, dim)
                    if len(rest.split()) != dim:
                        raise _line_error(lineno, word, rest, dim, header)
            vector_lines += 1
            if (wanted is None or word in wanted) and word not in seen:
                seen.add(word)
                pending_words.append(word)
                pending_rest.append(rest)
                pending_lines.append(lineno)
                if len(pending_rest) >= PARSE_CHUNK_LINES:
                    flush()
            elif word in seen:
                duplicates += 1
            if progress is not None and not vector_lines % 4096 and time.monotonic() - last_report > 0.25:
                progress(done_bytes, total)
                last_report = time.monotonic()
            if limit is not None and vector_lines >= limit:
                break
        flush()
    except zipfile.BadZipFile as exc:
        raise DataError("emb.bad_zip", path=label, reason=str(exc)) from exc
    except OSError as exc:
        raise DataError("emb.unreadable", path=label, reason=exc.strerror or str(exc)) from exc
    finally:
        for closer in reversed(closers):
            try:
                closer.close()
            except Exception:  # noqa: BLE001 - closing a stream that failed
                pass
    if progress is not None:
        progress(done_bytes, total)
    if vector_lines == 0 or dim is None:
        raise DataError("emb.empty_file", name=label)
    if wanted is not None and not words:
        raise DataError("emb.no_vocab_rows", name=label, n=len(wanted))
    if buffer is not None:  # keep the buffer when nearly full, else copy the rows out and free it
        matrix = buffer[:filled] if filled >= 0.98 * len(buffer) else buffer[:filled].copy()
        del buffer
    else:
        matrix = np.concatenate(blocks) if blocks else np.zeros((0, dim), np.float32)
    notices: list[tuple[str, dict[str, Any]]] = []
    if encoding != "utf-8":
        notices.append(("emb.read_as_gbk", {}))
    if duplicates:
        notices.append(("emb.duplicates", {"n": duplicates}))
    if header_count is not None and limit is None and header_count != vector_lines:
        notices.append(("emb.header_count", {"announced": header_count, "found": vector_lines}))
    fmt = "word2vec" if header else "GloVe"
    # (`described`: how the page says where the vectors come from, in its language; `source` is English)
    info = {"format": fmt, "lines_read": vector_lines, "described": ("emb.from_text", {"name": label, "format": fmt, "dim": dim})}
    return Vectors(words, matrix, source=f"{label} ({fmt} text, {dim}d)", info=info, notices=notices)


def write_text_vectors(vectors: Vectors, path: Path, header: bool = False, precision: int = 6) -> Path:
    """Write vectors as GloVe text (``header=True``: word2vec text, with ``n dim`` first)."""
    path = Path(path)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        if header:
            f.write(f"{len(vectors)} {vectors.dim}\n")
        for word, row in zip(vectors.words, vectors.matrix):
            f.write(word + " " + " ".join(f"{v:.{precision}g}" for v in row) + "\n")
    return path


# =========================================================================== GloVe 6B

# Stanford NLP publishes no checksum for glove.6B.zip, and none was found that could be
# trusted, so the download is checked by its exact size (862,182,613 bytes) and then as
# a zip archive: the member list on arrival, and every member's CRC-32 as it is read.
GLOVE_6B = RemoteFile(
    url="https://nlp.stanford.edu/data/glove.6B.zip",
    filename="glove.6B.zip",
    digest="",
    approx_bytes=862_182_613,
    size=862_182_613,
)
GLOVE_DIMS: tuple[int, ...] = (50, 100, 200, 300)
GLOVE_WORDS = 400_000


def glove_member(dim: int) -> str:
    """The text file of GloVe 6B vectors of ``dim`` dimensions (inside the zip, or on its own)."""
    if dim not in GLOVE_DIMS:
        raise RnnLabError("emb.glove_dim_bad", dim=str(dim), dims=", ".join(map(str, GLOVE_DIMS)))
    return f"glove.6B.{dim}d.txt"


def _find_file_or_member(filename: str, archive_name: str, member: str) -> tuple[Path, str | None] | None:
    """(path, None) for ``filename`` on its own in the data or cache folder, else (path of the
    archive ``archive_name``, ``member``) when the archive is there; None when neither is."""
    single = paths.find_local(filename)
    if single is not None and single.is_file():
        return single, None
    archive = paths.find_local(archive_name)
    if archive is not None and archive.is_file():
        return archive, member
    return None


def find_glove(dim: int = 50) -> tuple[Path, str | None] | None:
    """(path, zip member or None) of GloVe 6B ``dim``d on this machine: the text file in the data
    or cache folder, else the downloaded zip; None when neither is here."""
    return _find_file_or_member(glove_member(dim), GLOVE_6B.filename, glove_member(dim))


def glove_missing(dim: int = 50) -> DataError:
    """What to say when GloVe 6B ``dim``d is not on this machine: where to put it, or its download."""
    return DataError("emb.glove_missing", filename=glove_member(dim), archive=GLOVE_6B.filename, folder=str(paths.data_dir()), mb=round(GLOVE_6B.approx_bytes / 1e6))


def fetch_glove(progress: ProgressFn | None = None, remote: RemoteFile = GLOVE_6B) -> Path:
    """Download glove.6B.zip into the cache folder (size checked, then opened as a zip whose
    members must include the four glove.6B.<d>d.txt files); returns its path."""
    path = fetch_file(remote, progress=progress)
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        path.unlink(missing_ok=True)
        raise DataError("emb.bad_zip", path=str(path), reason=str(exc)) from exc
    missing = [glove_member(d) for d in GLOVE_DIMS if glove_member(d) not in names]
    if missing:
        path.unlink(missing_ok=True)
        raise DataError("emb.bad_zip", path=str(path), reason="missing " + ", ".join(missing))
    return path


def load_glove(dim: int = 50, vocab: Iterable[str] | None = None, limit: int | None = None, progress: ProgressFn | None = None) -> Vectors:
    """GloVe 6B vectors from this machine (never downloads: `fetch_glove` does); see `read_text_vectors`."""
    found = find_glove(dim)
    if found is None:
        raise glove_missing(dim)
    path, member = found
    vectors = read_text_vectors(path, vocab=vocab, limit=limit, member=member, progress=progress, name=glove_member(dim))
    vectors.source = f"GloVe 6B {dim}d ({path.name}{':' + member if member else ''})"
    return vectors


# =========================================================================== word2vec binary


def read_word2vec_binary(
    source: bytes | str | Path,
    vocab: Iterable[str] | None = None,
    limit: int | None = None,
    progress: ProgressFn | None = None,
    name: str | None = None,
) -> Vectors:
    """Vectors in word2vec's binary format, as Google's C tool and gensim write it: a header
    line ``n_words dim``, then for every word its UTF-8 bytes, a space and ``dim``
    little-endian float32 values (a newline may follow each vector).

    source: the file's bytes, or its path. vocab / limit / progress: as in `read_text_vectors`
    (progress in bytes of the file). Nothing is unpickled or executed: the values are read with
    `numpy.frombuffer`. A word whose bytes are not valid UTF-8 (the C tool cuts long words in
    the middle of a character) keeps its valid part, and a notice says how many there were; a
    header that is not two numbers, or a file that ends before its last vector, raises
    `DataError`.
    """
    if isinstance(source, (bytes, bytearray)):
        data, label = bytes(source), name or "upload"
    else:
        path = Path(source)
        label = name or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataError("emb.unreadable", path=label, reason=exc.strerror or str(exc)) from exc
    total = len(data)
    end = data.find(b"\n", 0, 100)
    header = data[:end].split() if end > 0 else []
    if len(header) != 2 or not all(h.isdigit() for h in header) or not 0 < int(header[1]) <= 100_000 or int(header[0]) == 0:
        start = data[: end if end > 0 else 40][:40]
        try:
            shown = start.decode("utf-8")
        except UnicodeDecodeError:  # not text at all: its first bytes, not "õ���:�^" (an exploratory tester)
            raise DataError("emb.bin_header_bytes", name=label, start=" ".join(f"{b:02x}" for b in data[:8])) from None
        raise DataError("emb.bin_header", name=label, start=_shown(shown).strip("· ") or "-")
    count, dim = int(header[0]), int(header[1])
    row_bytes = 4 * dim
    wanted = None if vocab is None else set(vocab)
    words: list[str] = []
    offsets: list[int] = []
    seen: set[str] = set()
    duplicates = mended = 0
    pos = end + 1
    read = 0
    last_report = time.monotonic()
    for number in range(1, count + 1):
        if limit is not None and number > limit:
            break
        while pos < total and data[pos] == 10:  # the newline after the previous vector
            pos += 1
        space = data.find(b" ", pos, pos + 1000)
        if space < 0 or space + 1 + row_bytes > total:
            raise DataError("emb.bin_truncated", name=label, number=number, count=count)
        raw = data[pos:space]
        try:
            word = raw.decode("utf-8")
        except UnicodeDecodeError:
            word = raw.decode("utf-8", errors="ignore")
            mended += 1
        start, pos = space + 1, space + 1 + row_bytes
        read += 1
        if wanted is not None and word not in wanted:
            continue
        if not word or word in seen:
            duplicates += 1
            continue
        seen.add(word)
        words.append(word)
        offsets.append(start)
        if progress is not None and not number % 4096 and time.monotonic() - last_report > 0.25:
            progress(pos, total)
            last_report = time.monotonic()
    if wanted is not None and not words:
        raise DataError("emb.no_vocab_rows", name=label, n=len(wanted))
    raw_bytes = np.frombuffer(data, dtype=np.uint8)
    matrix = np.empty((len(offsets), dim), dtype=np.float32)
    columns = np.arange(row_bytes)
    for first in range(0, len(offsets), 4096):  # gathered in blocks: one index array per block
        block = np.asarray(offsets[first : first + 4096], dtype=np.int64)
        matrix[first : first + len(block)] = raw_bytes[block[:, None] + columns].view("<f4")
    if progress is not None:
        progress(pos, total)
    notices: list[tuple[str, dict[str, Any]]] = []
    if duplicates:
        notices.append(("emb.duplicates", {"n": duplicates}))
    if mended:
        notices.append(("emb.bin_mended", {"n": mended}))
    info = {"format": "word2vec binary", "lines_read": read, "described": ("emb.from_binary", {"name": label, "dim": dim})}
    return Vectors(words, matrix, source=f"{label} (word2vec binary, {dim}d)", info=info, notices=notices)


def read_vectors_file(source: bytes | str | Path, name: str, limit: int | None = None, progress: ProgressFn | None = None) -> Vectors:
    """A vector file by its name: ``.bin`` in word2vec's binary format (`read_word2vec_binary`),
    anything else as GloVe or word2vec text (`read_text_vectors`)."""
    if name.lower().endswith(".bin"):
        return read_word2vec_binary(source, limit=limit, progress=progress, name=name)
    return read_text_vectors(source, limit=limit, name=name, progress=progress)


# =========================================================================== Chinese Wikipedia word2vec

# The Chinese word vectors that a package registry offers: ``words.vector`` inside the sdist of
# the ``synonyms`` package 3.10.2 on PyPI (MIT-licensed; word2vec fitted on Chinese Wikipedia,
# 125,796 jieba-segmented words x 100; the package left out its stopwords, e.g. 的, 不, 很).
# PyPI publishes the archive's sha256; later versions of the package download their vectors
# under another licence, so this version is the one used.
ZH_WIKI = RemoteFile(
    url="https://files.pythonhosted.org/packages/3e/47/065b8f34aad7bbf34447df72e4188a5ac6ae7106af5e2f91f5a0ed33f4e0/synonyms-3.10.2.tar.gz",
    filename="synonyms-3.10.2.tar.gz",
    digest="d42f4679adcac522bb6b23256a076aeea11c238eeac47d7fd731f49d7ecce094",
    approx_bytes=54_459_255,
    size=54_459_255,
)
ZH_WIKI_MEMBER = "synonyms-3.10.2/synonyms/data/words.vector"
ZH_WIKI_FILE = "words.vector"  # the member on its own, in the data folder
ZH_WIKI_WORDS = 125_796


def find_zh_wiki() -> tuple[Path, str | None] | None:
    """(path, tar member or None) of the Chinese Wikipedia vectors on this machine: the
    ``words.vector`` file in the data or cache folder, else the package's archive; None when
    neither is here."""
    return _find_file_or_member(ZH_WIKI_FILE, ZH_WIKI.filename, ZH_WIKI_MEMBER)


def zh_wiki_missing() -> DataError:
    """What to say when the Chinese Wikipedia vectors are not on this machine: where to put them, or their download."""
    return DataError("emb.zh_wiki_missing", filename=ZH_WIKI_FILE, archive=ZH_WIKI.filename, folder=str(paths.data_dir()), mb=round(ZH_WIKI.approx_bytes / 1e6))


def _tar_member_bytes(path: Path, member: str) -> bytes:
    """One member of a .tar.gz read into memory (never extracted to disk: no path from the
    archive is ever used). A broken archive or a missing member raises `DataError`."""
    import tarfile

    try:
        with tarfile.open(path, "r:gz") as archive:
            stream = archive.extractfile(archive.getmember(member))
            if stream is None:
                raise KeyError(member)
            return stream.read()
    except KeyError as exc:
        raise DataError("emb.archive_member", path=str(path), member=member) from exc
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise DataError("emb.bad_archive", path=str(path), reason=str(exc)[:200]) from exc


def fetch_zh_wiki(progress: ProgressFn | None = None, remote: RemoteFile = ZH_WIKI) -> Path:
    """Download the ``synonyms`` 3.10.2 archive into the cache folder (size and sha256 checked,
    then opened: its ``words.vector`` must be a readable word2vec header); returns its path."""
    path = fetch_file(remote, progress=progress)
    try:
        data = _tar_member_bytes(path, ZH_WIKI_MEMBER)
        read_word2vec_binary(data, limit=1, name=ZH_WIKI_MEMBER)
    except DataError:
        path.unlink(missing_ok=True)
        raise
    return path


def load_zh_wiki(limit: int | None = None, vocab: Iterable[str] | None = None, progress: ProgressFn | None = None) -> Vectors:
    """The Chinese Wikipedia vectors from this machine (never downloads: `fetch_zh_wiki` does)."""
    found = find_zh_wiki()
    if found is None:
        raise zh_wiki_missing()
    path, member = found
    data = path if member is None else _tar_member_bytes(path, member)
    vectors = read_word2vec_binary(data, vocab=vocab, limit=limit, progress=progress, name=ZH_WIKI_FILE)
    vectors.source = f"Chinese Wikipedia word2vec, synonyms 3.10.2 ({path.name}{':' + member if member else ''})"
    vectors.info["described"] = ("emb.from_zh_wiki", {"file": f"{path.name}{':' + member if member else ''}"})
    return vectors


# =========================================================================== runs


def vocab_tokens(vocab_json: str) -> tuple[list[str], dict[str, int]]:
    """(token of every id, token counts) from a run's vocab.json.

    A run on Keras's IMDB ids stores ``{"kind": "keras_imdb", ...}``: its tokens come from
    the word index (id = rank + index_from) when the file is here, else ``#id``.
    """
    from core import text as textlib

    data = json.loads(vocab_json)
    if isinstance(data, dict) and data.get("kind") == "keras_imdb":
        from core import datasets

        num_words, index_from = int(data["num_words"]), int(data.get("index_from", 3))
        reserved = {0: "<pad>", 1: "<start>", 2: "<unk>", 3: "<unused>"}
        inverse: dict[int, str] = {}
        found = paths.find_local(datasets.IMDB_WORD_INDEX_FILE.filename)
        if found is not None:
            try:
                index = json.loads(found.read_text(encoding="utf-8"))
                inverse = {int(rank) + index_from: w for w, rank in index.items()}
            except (OSError, ValueError):
                inverse = {}
        tokens = [reserved[i] if i in reserved and i <= index_from else inverse.get(i, f"#{i}") for i in range(num_words)]
        return tokens, {}
    vocab = textlib.Vocab.from_json(vocab_json)
    return list(vocab.tokens), dict(vocab.counts)


def run_model_path(run_dir: Path) -> Path:
    """model_best.keras when there is one, else model_last.keras (DataError when neither)."""
    run_dir = Path(run_dir)
    for name in ("model_best.keras", "model_last.keras"):
        if (run_dir / name).exists():
            return run_dir / name
    raise DataError("emb.run_no_model", run=run_dir.name)


def from_run(run_dir: Path | str, include_reserved: bool = False) -> Vectors:
    """The Embedding layer of a run's saved model (loaded with safe_mode) and the run's vocabulary.

    Rows of the reserved tokens (``<pad>``, ``<unk>``, and IMDB's ``<start>``/``<unused>``)
    are left out unless ``include_reserved``. A one-hot model (no table) raises DataError.
    """
    run_dir = Path(run_dir)
    config = json.loads((run_dir / "config.json").read_text(encoding="utf-8")) if (run_dir / "config.json").exists() else {}
    if int((config.get("model") or {}).get("embedding_dim", 1) or 0) == 0:
        raise DataError("emb.run_one_hot", run=run_dir.name)
    model_path = run_model_path(run_dir)
    try:
        vocab_json = (run_dir / "vocab.json").read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError("emb.run_no_vocab", run=run_dir.name) from exc
    tokens, counts = vocab_tokens(vocab_json)
    from core.train import load_run_model

    try:
        model = load_run_model(model_path)
        table = np.asarray(model.get_layer("embedding").get_weights()[0], dtype=np.float32)
    except ValueError as exc:
        raise DataError("emb.run_no_embedding", run=run_dir.name, reason=str(exc)[:200]) from exc
    n = min(len(tokens), table.shape[0])
    keep = [i for i in range(n) if include_reserved or tokens[i] not in ("<pad>", "<unk>", "<start>", "<unused>")]
    words = [tokens[i] for i in keep]
    counts_arr = np.asarray([counts.get(w, 0) for w in words], dtype=np.int64) if counts else None
    kind = config.get("task", "?")
    tokenizer = config.get("tokenizer") or "?"
    return Vectors(words, table[keep], counts_arr, source=f"run {run_dir.name} ({kind}, {tokenizer}, {table.shape[1]}d, {model_path.name})")


def run_initial_vectors(run_dir: Path | str) -> Vectors | None:
    """The vectors a run was initialised with (its pretrained_vectors file), or None."""
    run_dir = Path(run_dir)
    try:
        config = json.loads((run_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = config.get("pretrained_vectors")
    if not name:
        return None
    path = Path(name) if Path(name).is_absolute() else run_dir / name
    vectors = load_vectors(path)
    vectors.source = f"run {run_dir.name}: initial vectors ({path.name})"
    return vectors


# =========================================================================== Word2Vec

W2V_CORPORA: tuple[str, ...] = ("peoples_daily", "imdb_reviews", "chinese_reviews", "lyrics")
_HAS_WORD = re.compile(r"\w")


def corpus_sentences(name: str, max_sentences: int | None = None) -> list[list[str]]:
    """A corpus as lists of words for Word2Vec; tokens with no letter or digit (punctuation) dropped.

    peoples_daily: its own segmentation (one list per line), offline. imdb_reviews:
    English words, lowercased. chinese_reviews and lyrics: jieba's segmentation.
    """
    return corpus_documents(name, max_sentences)[0]


def corpus_documents(name: str, max_sentences: int | None = None) -> tuple[list[list[str]], list[str]]:
    """`corpus_sentences`, and beside each word list the text it was read from, as written
    (punctuation and case kept): what a page shows of a document (Doc2Vec's nearest ones)."""
    from core import datasets
    from core import text as textlib

    if name not in W2V_CORPORA:
        raise RnnLabError("emb.bad_corpus", name=str(name), names=", ".join(W2V_CORPORA))
    ds = datasets.load(name)
    if name == "peoples_daily":
        texts: list[str] = ["".join(line) for line in ds.words or []]
        lines: Iterable[list[str]] = ds.words or []
    elif name == "imdb_reviews":
        texts = ds.texts
        lines = (textlib.tokenize_words(t) for t in texts)
    elif name == "chinese_reviews":
        texts = ds.texts
        lines = (textlib.tokenize_jieba(t) for t in texts)
    else:
        texts = ds.lines
        lines = (textlib.tokenize_jieba(line) for line in texts)
    out: list[list[str]] = []
    kept_texts: list[str] = []
    for line, text in zip(lines, texts):
        kept = [w for w in line if _HAS_WORD.search(w)]
        if kept:
            out.append(kept)
            kept_texts.append(text)
            if max_sentences is not None and len(out) >= max_sentences:
                break
    return out, kept_texts


def _stable_hash(text: str) -> int:
    """A hash that is the same in every process (Python's own `hash` of a str is salted)."""
    return zlib.crc32(text.encode("utf-8"))


@dataclass(frozen=True)
class Word2VecSettings:
    """gensim Word2Vec settings. sg: 1 = skip-gram (predict the context from a word), 0 = CBOW
    (predict a word from its context); negative: noise words per example (negative
    sampling); window: context words on each side; dim: vector size; epochs: passes over
    the corpus; min_count: rarer words are left out."""

    sg: int = 0
    negative: int = 5
    window: int = 5
    dim: int = 100
    epochs: int = 5
    min_count: int = 5
    seed: int = 0
    workers: int = 1

    def validate(self) -> None:
        check_int_settings(self, {"sg": (0, 1), "negative": (1, 30), "window": (1, 20), "dim": (2, 500), "epochs": (1, 100), "min_count": (1, 1000), "seed": (0, 2**31 - 1), "workers": (1, 32)})


ALIKE_COSINE = 0.8
"""A space whose random word pairs have a mean cosine above this is said to be one of look-alike
vectors: Word2Vec with its defaults on the lyrics (34,000 words) gave 0.95, every neighbour of 的
at 0.9997, and the page showed them as if they meant something (a Chinese learner). People's
Daily (950,000 words) gives 0.65 after 5 epochs, 0.12 after 20."""


def mean_pair_cosine(matrix: np.ndarray, pairs: int = 2000, seed: int = 0) -> float:
    """The mean cosine of `pairs` random pairs of distinct rows (rounded to 3 places; 0.0 for
    fewer than two rows): near 0 for vectors spread over their space, near 1 for vectors that
    all point one way."""
    m = np.asarray(matrix, dtype=np.float64)
    if len(m) < 2:
        return 0.0
    norms = np.linalg.norm(m, axis=1)
    m = m / np.where(norms > 0, norms, 1.0)[:, None]
    rng = np.random.default_rng(seed)
    i = rng.integers(0, len(m), pairs)
    j = (i + rng.integers(1, len(m), pairs)) % len(m)  # (never a row with itself)
    return round(float((m[i] * m[j]).sum(axis=1).mean()), 3)


def check_int_settings(settings: Any, ranges: dict[str, tuple[int, int]]) -> None:
    """Each named field of ``settings`` an integer (not a bool) within its (low, high), else
    RnnLabError "emb.bad_setting" naming the first one that is not (Word2Vec's and the topic
    models' settings)."""
    for name, (low, high) in ranges.items():
        value = getattr(settings, name)
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or not low <= value <= high:
            raise RnnLabError("emb.bad_setting", name=name, low=low, high=high, value=str(value)[:40])


def epoch_callback(callback: Callable[[int, int, float], None] | None, epochs: int, started: float):
    """A gensim callback (Word2Vec, Doc2Vec) calling ``callback(epochs_done, epochs, seconds
    since started)`` once the vocabulary is built and training begins (0 epochs done: a bar
    can say how many epochs there are while the first runs) and after every epoch."""
    from gensim.models.callbacks import CallbackAny2Vec

    class _Progress(CallbackAny2Vec):
        def __init__(self) -> None:
            self.epoch = 0

        def on_train_begin(self, model) -> None:  # noqa: ANN001 - gensim's signature
            if callback is not None:
                callback(0, epochs, time.perf_counter() - started)

        def on_epoch_end(self, model) -> None:  # noqa: ANN001 - gensim's signature
            self.epoch += 1
            if callback is not None:
                callback(self.epoch, epochs, time.perf_counter() - started)

    return _Progress()


def train_word2vec(
    sentences: Sequence[Sequence[str]],
    settings: Word2VecSettings | None = None,
    callback: Callable[[int, int, float], None] | None = None,
    source: str = "",
    **overrides: Any,
) -> Vectors:
    """Train Word2Vec (gensim) on ``sentences`` and return its vectors, most frequent word first.

    ``callback(epochs_done, epochs, seconds)`` after every epoch. With ``workers=1`` (the
    default) the result is the same for the same seed in every process (the hash that
    seeds each word's start vector is a fixed CRC-32 here, not Python's salted hash).
    ``info`` holds seconds, words per second and the corpus size.
    """
    from gensim.models import Word2Vec

    s = settings or Word2VecSettings()
    if overrides:
        s = Word2VecSettings(**{**s.__dict__, **overrides})
    s.validate()
    n_words = sum(len(x) for x in sentences)
    if not n_words:
        raise DataError("emb.w2v_empty", min_count=s.min_count)
    started = time.perf_counter()
    model = Word2Vec(
        vector_size=s.dim,
        window=s.window,
        min_count=s.min_count,
        sg=s.sg,
        hs=0,
        negative=s.negative,
        seed=s.seed,
        workers=s.workers,
        hashfxn=_stable_hash,
    )
    model.build_vocab(sentences)
    if len(model.wv) == 0:
        raise DataError("emb.w2v_empty", min_count=s.min_count)
    model.train(sentences, total_examples=model.corpus_count, epochs=s.epochs, callbacks=[epoch_callback(callback, s.epochs, started)])
    seconds = time.perf_counter() - started
    wv = model.wv
    words = list(wv.index_to_key)
    counts = np.asarray([wv.get_vecattr(w, "count") for w in words], dtype=np.int64)
    kind = "skip-gram" if s.sg else "CBOW"
    label = f"Word2Vec {kind} on {source or 'sentences'}: dim {s.dim}, window {s.window}, negative {s.negative}, {s.epochs} epochs, min_count {s.min_count}, seed {s.seed}"
    info = {"seconds": round(seconds, 2), "corpus_words": n_words, "words_per_second": round(n_words * s.epochs / max(seconds, 1e-9)), "sentences": len(sentences),
            "mean_cosine": mean_pair_cosine(wv.vectors, seed=s.seed),
            "word2vec": {"algorithm": kind, "dim": s.dim, "window": s.window, "negative": s.negative, "epochs": s.epochs, "min_count": s.min_count, "seed": s.seed}}  # for a page to say in its language
    return Vectors(words, np.array(wv.vectors, dtype=np.float32), counts, source=label, info=info)


# =========================================================================== into training


def find_row(vectors: Vectors, token: str) -> int | None:
    """The row for a run's token: the exact word, else its lower-case form (GloVe is lower-case)."""
    i = vectors.index.get(token)
    if i is None and token.lower() != token:
        i = vectors.index.get(token.lower())
    return i


def vectors_for_vocab(vectors: Vectors, vocab: Sequence[str]) -> Vectors:
    """Only the rows a run with this vocabulary needs (what is saved into the run folder)."""
    rows = [find_row(vectors, token) for token in vocab if token not in RESERVED]
    return vectors.subset([vectors.words[i] for i in rows if i is not None])


def coverage(vectors: Vectors, vocab: Sequence[str], counts: dict[str, int] | None = None, examples: int = 20) -> dict[str, Any]:
    """How much of a run's vocabulary the vectors know (reserved tokens not counted).

    Returns: vocab (tokens counted), covered, share; token_share (share of running tokens,
    when ``counts`` are given, else None); missing (the first ``examples`` unknown
    tokens, most frequent first).
    """
    tokens = [t for t in vocab if t not in RESERVED and t not in ("<start>", "<unused>")]
    found = [t for t in tokens if find_row(vectors, t) is not None]
    missing = [t for t in tokens if find_row(vectors, t) is None]
    token_share = None
    if counts:
        total = sum(int(counts.get(t, 0)) for t in tokens)
        if total:
            token_share = sum(int(counts.get(t, 0)) for t in found) / total
    return {
        "vocab": len(tokens),
        "covered": len(found),
        "share": len(found) / len(tokens) if tokens else 0.0,
        "token_share": token_share,
        "missing": missing[:examples],
    }


def embedding_matrix_for(vocab: Sequence[str], vectors: Vectors, seed: int = 0, scale: float = KERAS_EMBEDDING_INIT) -> tuple[np.ndarray, np.ndarray]:
    """The initial Embedding table for a run's vocabulary: (matrix float32 ``[len(vocab), dim]``, covered bool ``[len(vocab)]``).

    Row i is exactly the vector of ``vocab[i]`` when the vectors know it (or its lower-case
    form); otherwise it is drawn like a fresh Keras Embedding, uniform(-scale, scale),
    seeded. The ``<pad>`` row is zero.
    """
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(-scale, scale, size=(len(vocab), vectors.dim)).astype(np.float32)
    covered = np.zeros(len(vocab), dtype=bool)
    for i, token in enumerate(vocab):
        if token in RESERVED:
            continue
        row = find_row(vectors, token)
        if row is not None:
            matrix[i] = vectors.matrix[row]
            covered[i] = True
    for i, token in enumerate(vocab):
        if token == "<pad>":
            matrix[i] = 0.0
    return matrix, covered


def run_vocabulary(config: dict[str, Any]) -> tuple[list[str], dict[str, int]]:
    """(token of every id, counts) that a run with this config would build: the same data
    preparation as training (the training split's vocabulary, ``max_tokens``)."""
    from core import train

    cfg = train.TrainConfig.from_dict(config)
    cfg.validate()
    cfg = cfg.resolved()
    if cfg.task == "sentiment":
        return vocab_tokens(train.prepare_sentiment_data(cfg).vocab_json)
    data = train.prepare_language_model_data(cfg)
    return list(data.vocab.tokens), dict(data.vocab.counts)


def words_path(npy_path: Path) -> Path:
    """``vectors.npy`` -> ``vectors.words.json`` (the words of the rows, in order)."""
    npy_path = Path(npy_path)
    return npy_path.with_name(npy_path.stem + ".words.json")


def save_vectors(vectors: Vectors, npy_path: Path) -> Path:
    """Write the matrix as ``.npy`` and the words beside it as JSON (no pickle anywhere)."""
    from core.runs import write_atomic

    npy_path = Path(npy_path)
    buffer = io.BytesIO()
    np.save(buffer, vectors.matrix.astype(np.float32), allow_pickle=False)
    write_atomic(npy_path, buffer.getvalue())
    write_atomic(words_path(npy_path), json.dumps({"words": vectors.words, "source": vectors.source}, ensure_ascii=False))
    return npy_path


def load_vectors(npy_path: Path) -> Vectors:
    """Inverse of `save_vectors` (``np.load(..., allow_pickle=False)``)."""
    npy_path = Path(npy_path)
    try:
        matrix = np.load(npy_path, allow_pickle=False)
        meta = json.loads(words_path(npy_path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError("emb.unreadable", path=str(npy_path), reason=str(exc)[:200]) from exc
    words = meta.get("words") if isinstance(meta, dict) else meta
    if not isinstance(words, list):
        raise DataError("emb.unreadable", path=str(words_path(npy_path)), reason="no word list")
    return Vectors(words, matrix, source=(meta.get("source", "") if isinstance(meta, dict) else "") or npy_path.name)


def main(argv: list[str] | None = None) -> int:
    """``python -m core.embeddings fetch-glove`` / ``fetch-zh-wiki``: the operator's way to get GloVe
    6B or the Chinese Wikipedia vectors before a class (for instance when the pages' downloads
    are off: RNNLAB_ALLOW_DOWNLOADS=0)."""
    import argparse
    import sys

    from core.download import text_progress_bar

    parser = argparse.ArgumentParser(prog="python -m core.embeddings", description="Word-vector files for RNN Lab.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch-glove", help=f"download {GLOVE_6B.filename} ({GLOVE_6B.approx_bytes / 1e6:.0f} MB) into the cache folder")
    sub.add_parser("fetch-zh-wiki", help=f"download {ZH_WIKI.filename} ({ZH_WIKI.approx_bytes / 1e6:.0f} MB, Chinese Wikipedia word2vec) into the cache folder")
    args = parser.parse_args(argv)
    try:
        if args.command == "fetch-zh-wiki":
            print(fetch_zh_wiki(progress=text_progress_bar(), remote=ZH_WIKI))
        else:
            print(fetch_glove(progress=text_progress_bar(), remote=GLOVE_6B))
    except RnnLabError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
