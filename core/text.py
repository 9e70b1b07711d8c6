"""Text preprocessing for the RNN tutorials: tokenising, vocabularies, padding and batch sampling.

This module follows two classic tutorials:

* Dive into Deep Learning (d2l, Chinese edition), chapter 6: a character-level RNN
  trained on Jay Chou lyrics. It builds a character vocabulary, turns the lyrics into
  one long sequence of ids (the *corpus*) and reads mini-batches from it with two
  samplers, random sampling (``data_iter_random``) and consecutive sampling
  (``data_iter_consecutive``).
* IMDB sentiment classification: word-level tokens, a vocabulary capped at
  ``max_tokens`` and reviews padded or truncated to ``maxlen`` tokens.

It is pure Python + numpy: it imports neither Streamlit nor TensorFlow/Keras, so it
loads quickly. jieba is imported only when the "jieba" tokeniser is first used.

Shape conventions: ``[batch, steps]`` means a 2-D array with one row per example and
one column per time step. Ids are integers; id 0 is always padding and id 1 always
the unknown token.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from core.errors import CorpusTooShort

__all__ = [
    "PAD",
    "UNK",
    "PAD_ID",
    "UNK_ID",
    "RESERVED_TOKENS",
    "TOKENIZERS",
    "tokenize",
    "tokenize_many",
    "tokenize_chars",
    "tokenize_words",
    "tokenize_jieba",
    "count_tokens",
    "Vocab",
    "unknown_share_by_vocab_size",
    "pad_and_truncate",
    "truncation_effect",
    "Batch",
    "random_batches",
    "consecutive_batches",
    "count_random_batches",
    "count_consecutive_batches",
    "count_batches",
    "SAMPLERS",
    "one_hot",
]

# --------------------------------------------------------------------------------------
# Tokenisers
# --------------------------------------------------------------------------------------

PAD = "<pad>"
UNK = "<unk>"
PAD_ID = 0
UNK_ID = 1
RESERVED_TOKENS: tuple[str, str] = (PAD, UNK)

# A word is letters/digits/underscore, optionally with one inner apostrophe ("don't",
# "it's"); every other non-space character (punctuation) is a token of its own.
_WORD_PATTERN = re.compile(r"\w+(?:'\w+)?|[^\w\s]")


def tokenize_chars(text: str) -> list[str]:
    """Split ``text`` into single characters, spaces and punctuation included.

    This is the d2l lyrics tokeniser. Newlines are kept as they are; the caller decides
    whether to replace them (the tutorial replaces them with spaces first).
    """
    return list(text)


def tokenize_words(text: str) -> list[str]:
    """Split English-style ``text`` into lowercase words and punctuation marks.

    Words may contain one inner apostrophe ("don't" stays one token); each punctuation
    mark becomes a token of its own; whitespace is dropped.

    >>> tokenize_words("Don't stop, Believin'!")
    ["don't", 'stop', ',', 'believin', "'", '!']
    """
    return _WORD_PATTERN.findall(text.lower())


@functools.lru_cache(maxsize=1)
def _jieba_module():  # noqa: ANN202 - returns the jieba module
    """Import jieba once, silence its logging and load its dictionary (about 1 s)."""
    import jieba  # imported lazily: it is slow and only the Chinese pages need it

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokenize_jieba(text: str) -> list[str]:
    """Segment Chinese ``text`` into words with jieba (``jieba.lcut``).

    Tokens made only of whitespace are dropped. The first call loads jieba's dictionary
    (about a second); later calls reuse it.

    >>> tokenize_jieba("我爱北京天安门")
    ['我', '爱', '北京', '天安门']
    """
    jieba = _jieba_module()
    return [token for token in jieba.lcut(text) if token.strip()]


def token_spans(text: str, tokens: list[str]) -> list[tuple[int, int] | None]:
    """For each token of `text`, in order, its (start, end) in `text`, or None if not found.

    The tokens are found one after the other (case-insensitively, since the word tokeniser
    lowers the case), each after the previous one found; a token a tokeniser rewrote is
    None. Characters between spans are what the tokeniser dropped (spaces, punctuation).

    >>> token_spans("Great movie!", ["great", "movie"])
    [(0, 5), (6, 11)]
    """
    lowered = text.lower()
    fold = len(lowered) == len(text)  # lower() keeps offsets (it does not for a few letters, e.g. "İ")
    haystack = lowered if fold else text
    spans: list[tuple[int, int] | None] = []
    position = 0
    for token in tokens:
        found = haystack.find(token.lower() if fold else token, position) if token else -1
        if found >= 0:
            position = found + len(token)
            spans.append((found, position))
        else:
            spans.append(None)
    return spans


def token_end_offsets(text: str, tokens: list[str]) -> list[int]:
    """For each token of `text`, in order, the number of characters of `text` up to its end.

    The tokens are found one after the other (case-insensitively, since the word tokeniser
    lowers the case); a token that cannot be found (a tokeniser that rewrites text) ends
    where the previous one did. Works for every tokeniser here, and for tokens dropped in
    between (e.g. punctuation), so models that tokenise the same text differently can be
    drawn on one axis of characters read.

    >>> token_end_offsets("Great movie!", ["great", "movie", "!"])
    [5, 11, 12]
    """
    ends, position = [], 0
    for span in token_spans(text, tokens):
        if span is not None:
            position = span[1]
        ends.append(position)
    return ends


TOKENIZERS: dict[str, Callable[[str], list[str]]] = {
    "char": tokenize_chars,
    "word": tokenize_words,
    "jieba": tokenize_jieba,
}
"""Tokeniser name -> function ``str -> list[str]``, in the order the UI lists them."""


def _tokenizer(kind: str) -> Callable[[str], list[str]]:
    try:
        return TOKENIZERS[kind]
    except KeyError:
        choices = ", ".join(repr(name) for name in TOKENIZERS)
        raise ValueError(f"Unknown tokeniser {kind!r}: choose one of {choices}.") from None


def tokenize(text: str, kind: str) -> list[str]:
    """Split ``text`` into tokens with the tokeniser named ``kind`` ("char", "word" or "jieba")."""
    return _tokenizer(kind)(text)


def tokenize_many(texts: Iterable[str], kind: str, hand_over: bool = False) -> list[list[str]]:
    """Tokenise each text in ``texts``; returns one token list per text.

    ``hand_over``: after every text, let another thread have the interpreter
    (``time.sleep(0)``). For work in a background thread of the app's server: tokenising is
    pure Python and holds the GIL, so a page's script thread would otherwise wait a switch
    interval (5 ms) every time it needs it back (`core.predict` does the same when scoring a
    batch; measured in bench/README.md, bench_rerun).
    """
    tokenizer = _tokenizer(kind)
    if not hand_over:
        return [tokenizer(text) for text in texts]
    out = []
    for text in texts:
        out.append(tokenizer(text))
        time.sleep(0)
    return out


# --------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------


def count_tokens(token_lists: Iterable[Sequence[str]]) -> Counter[str]:
    """Count how often each token occurs across ``token_lists``.

    The returned Counter keeps tokens in order of first appearance (Python dicts keep
    insertion order), which :meth:`Vocab.build` uses to break frequency ties.

    ``token_lists`` is a list of token lists, e.g. ``[["a", "b"], ["b"]]``. A single
    token list must be wrapped (``[tokens]``): passing a plain list of strings raises a
    TypeError, because it would silently be counted character by character.
    """
    counter: Counter[str] = Counter()
    for tokens in token_lists:
        if isinstance(tokens, str):
            raise TypeError(
                "Expected a list of token lists, got a list of strings. "
                "Wrap a single token list in a list: count_tokens([tokens])."
            )
        counter.update(tokens)
    return counter


def _ranked_tokens(counts: Mapping[str, int], min_freq: int = 1) -> list[tuple[str, int]]:
    """Non-reserved tokens with count >= ``min_freq``, most frequent first.

    Ties keep the order of ``counts`` (first appearance) because ``sorted`` is stable.
    """
    candidates = [
        (token, count)
        for token, count in counts.items()
        if token not in RESERVED_TOKENS and count >= min_freq
    ]
    return sorted(candidates, key=lambda item: -item[1])


@dataclass(repr=False)
class Vocab:
    """Two-way mapping between tokens and integer ids.

    ``tokens[i]`` is the token with id ``i``. Ids 0 and 1 are reserved: 0 = ``"<pad>"``
    (padding) and 1 = ``"<unk>"`` (any token not in the vocabulary). ``counts`` holds the
    frequency of every token seen when the vocabulary was built, including tokens that
    did not make it into the vocabulary, so the UI can show what was cut.

    Build one with :meth:`Vocab.build`.
    """

    tokens: list[str]
    counts: dict[str, int] = field(default_factory=dict)
    _index: dict[str, int] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if list(self.tokens[:2]) != list(RESERVED_TOKENS):
            raise ValueError(
                f"A Vocab must start with the reserved tokens {list(RESERVED_TOKENS)}, "
                f"got {list(self.tokens[:2])}."
            )
        self._index = {token: idx for idx, token in enumerate(self.tokens)}
        if len(self._index) != len(self.tokens):
            raise ValueError("A Vocab must not contain the same token twice.")

    @classmethod
    def build(
        cls,
        source: Iterable[Sequence[str]] | Mapping[str, int],
        max_tokens: int | None = None,
        min_freq: int = 1,
    ) -> Vocab:
        """Build a vocabulary from token lists or from a token -> count mapping.

        Tokens are ordered by descending frequency; ties are broken by first appearance
        (for a mapping: its iteration order). The result is therefore deterministic,
        unlike the d2l tutorial, which builds its character list from a Python ``set``
        whose order changes between runs.

        Args:
            source: a list of token lists (``[["a", "b"], ["b"]]``) or a mapping such
                as a ``Counter`` of token counts.
            max_tokens: total vocabulary size **including** the two reserved ids
                ``<pad>`` and ``<unk>``; so ``max_tokens=10`` keeps the 8 most frequent
                tokens. ``None`` keeps every token. Must be at least 2.
            min_freq: tokens seen fewer than ``min_freq`` times are left out (they
                become ``<unk>``).

        Literal ``"<pad>"``/``"<unk>"`` tokens in the source are not added twice.
        """
        if max_tokens is not None and max_tokens < len(RESERVED_TOKENS):
            raise ValueError(
                f"max_tokens must be at least {len(RESERVED_TOKENS)} (it counts the "
                f"reserved ids {list(RESERVED_TOKENS)}); got {max_tokens}."
            )
        if min_freq < 1:
            raise ValueError(f"min_freq must be at least 1; got {min_freq}.")
        counts: Mapping[str, int] = (
            source if isinstance(source, Mapping) else count_tokens(source)
        )
        ranked = _ranked_tokens(counts, min_freq)
        if max_tokens is not None:
            ranked = ranked[: max_tokens - len(RESERVED_TOKENS)]
        tokens = list(RESERVED_TOKENS) + [token for token, _ in ranked]
        all_counts = {token: int(count) for token, count in _ranked_tokens(counts)}
        return cls(tokens=tokens, counts=all_counts)

    def __len__(self) -> int:
        """Number of ids, the two reserved ones included."""
        return len(self.tokens)

    def __contains__(self, token: object) -> bool:
        return token in self._index

    def __repr__(self) -> str:
        preview = ", ".join(repr(token) for token in self.tokens[2:8])
        more = ", ..." if len(self.tokens) > 8 else ""
        return f"Vocab(size={len(self)}, tokens=[<pad>, <unk>, {preview}{more}])"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vocab):
            return NotImplemented
        return self.tokens == other.tokens and self.counts == other.counts

    def token_to_id(self, token: str) -> int:
        """Id of ``token``; 1 (``<unk>``) if it is not in the vocabulary."""
        return self._index.get(token, UNK_ID)

    def id_to_token(self, idx: int) -> str:
        """Token with id ``idx``; raises IndexError if ``idx`` is not a valid id."""
        idx = int(idx)
        if not 0 <= idx < len(self.tokens):
            raise IndexError(f"Id {idx} is outside the vocabulary (ids 0..{len(self) - 1}).")
        return self.tokens[idx]

    def encode(self, tokens: Iterable[str]) -> list[int]:
        """Token list -> id list; unknown tokens become 1 (``<unk>``)."""
        index = self._index
        return [index.get(token, UNK_ID) for token in tokens]

    def decode(self, ids: Iterable[int], skip_pad: bool = True) -> list[str]:
        """Id list (or 1-D array) -> token list; padding ids (0) are dropped if ``skip_pad``."""
        return [self.id_to_token(idx) for idx in ids if not (skip_pad and int(idx) == PAD_ID)]

    def coverage(self, token_lists: Iterable[Sequence[str]]) -> float:
        """Share (0..1) of running tokens in ``token_lists`` that are in the vocabulary.

        Counts every occurrence, not distinct tokens. Returns 1.0 when there are no tokens.
        """
        known = total = 0
        for tokens in token_lists:
            if isinstance(tokens, str):
                raise TypeError("Expected a list of token lists; wrap a single list: [tokens].")
            ids = self.encode(tokens)
            total += len(ids)
            known += sum(1 for idx in ids if idx != UNK_ID)
        return known / total if total else 1.0

    def to_json(self) -> str:
        """Serialise to a plain JSON string ``{"tokens": [...], "counts": {...}}``."""
        return json.dumps({"tokens": self.tokens, "counts": self.counts}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Vocab:
        """Inverse of :meth:`to_json`."""
        data = json.loads(text)
        return cls(
            tokens=[str(token) for token in data["tokens"]],
            counts={str(token): int(count) for token, count in data.get("counts", {}).items()},
        )


def unknown_share_by_vocab_size(counts: Mapping[str, int], sizes: Iterable[int]) -> list[float]:
    """For each vocabulary size, the share (0..1) of running tokens that would be ``<unk>``.

    Each size counts the two reserved ids, exactly like ``Vocab.build(max_tokens=size)``:
    size 2 keeps no real token (share 1.0 when there are tokens), size ``2 + k`` keeps the
    ``k`` most frequent ones. The counts are sorted once and summed cumulatively, so the
    cost is O(V log V) for V distinct tokens plus O(1) per size; nothing is re-encoded.

    Literal ``"<unk>"`` tokens count as unknown at every size and literal ``"<pad>"``
    tokens as known, matching :meth:`Vocab.encode`. Returns 0.0 for every size when
    ``counts`` holds no tokens.
    """
    sizes = [int(size) for size in sizes]
    if any(size < len(RESERVED_TOKENS) for size in sizes):
        raise ValueError(
            "Every vocabulary size must be at least 2 (the reserved <pad> and <unk> ids); "
            f"got {sizes}."
        )
    sorted_counts = np.sort(
        np.fromiter(
            (count for token, count in counts.items() if token not in RESERVED_TOKENS),
            dtype=np.int64,
        )
    )[::-1]
    # known_by_kept[k] = number of running tokens covered by the k most frequent tokens
    known_by_kept = np.concatenate([[0], np.cumsum(sorted_counts)])
    always_known = int(counts.get(PAD, 0))
    total = int(known_by_kept[-1]) + always_known + int(counts.get(UNK, 0))
    if total == 0:
        return [0.0 for _ in sizes]
    shares = []
    for size in sizes:
        kept = min(size - len(RESERVED_TOKENS), len(sorted_counts))
        known = int(known_by_kept[kept]) + always_known
        shares.append(1.0 - known / total)
    return shares


# --------------------------------------------------------------------------------------
# Padding and truncation (IMDB)
# --------------------------------------------------------------------------------------

_SIDES = ("pre", "post")


def _check_maxlen(maxlen: int) -> int:
    if isinstance(maxlen, bool) or not isinstance(maxlen, int | np.integer) or maxlen <= 0:
        raise ValueError(
            f"maxlen must be a positive whole number (tokens kept per text); got {maxlen!r}."
        )
    return int(maxlen)


def pad_and_truncate(
    seqs: Sequence[Sequence[int]],
    maxlen: int,
    padding: str = "pre",
    truncating: str = "pre",
    value: int = PAD_ID,
) -> np.ndarray:
    """Make every id sequence exactly ``maxlen`` long; returns int32 array ``[n, maxlen]``.

    Same semantics as ``keras.utils.pad_sequences`` (whose defaults are also "pre"/"pre"):

    * ``truncating="pre"`` drops tokens from the start of long texts (keeps the end),
      ``"post"`` drops them from the end (keeps the start);
    * ``padding="pre"`` puts ``value`` before short texts, ``"post"`` after them.
    """
    maxlen = _check_maxlen(maxlen)
    for name, side in (("padding", padding), ("truncating", truncating)):
        if side not in _SIDES:
            raise ValueError(f'{name} must be "pre" or "post"; got {side!r}.')
    out = np.full((len(seqs), maxlen), value, dtype=np.int32)
    for row, seq in enumerate(seqs):
        if len(seq) == 0:
            continue
        kept = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        kept = np.asarray(kept, dtype=np.int32)
        if padding == "post":
            out[row, : len(kept)] = kept
        else:
            out[row, maxlen - len(kept) :] = kept
    return out


def truncation_effect(lengths: Iterable[int], maxlen: int) -> dict[str, float | int]:
    """What padding/truncating texts of the given token ``lengths`` to ``maxlen`` does.

    Returns a dict with:

    * ``texts``: number of texts;
    * ``texts_cut``: texts longer than ``maxlen``; ``share_texts_cut``: as a share 0..1;
    * ``tokens``: running tokens before truncation;
    * ``tokens_lost``: tokens removed by truncation; ``share_tokens_lost``: share 0..1
      of ``tokens``;
    * ``padding_added``: padding ids added to short texts; ``share_padding``: share 0..1
      of all ``texts * maxlen`` cells of the padded array.

    Shares are 0.0 when there is nothing to divide by.
    """
    maxlen = _check_maxlen(maxlen)
    lengths_array = np.asarray(list(lengths), dtype=np.int64)
    if np.any(lengths_array < 0):
        raise ValueError("lengths must not be negative.")
    texts = int(lengths_array.size)
    tokens = int(lengths_array.sum())
    texts_cut = int(np.count_nonzero(lengths_array > maxlen))
    tokens_lost = int(np.clip(lengths_array - maxlen, 0, None).sum())
    padding_added = int(np.clip(maxlen - lengths_array, 0, None).sum())
    cells = texts * maxlen
    return {
        "texts": texts,
        "texts_cut": texts_cut,
        "share_texts_cut": texts_cut / texts if texts else 0.0,
        "tokens": tokens,
        "tokens_lost": tokens_lost,
        "share_tokens_lost": tokens_lost / tokens if tokens else 0.0,
        "padding_added": padding_added,
        "share_padding": padding_added / cells if cells else 0.0,
    }


# --------------------------------------------------------------------------------------
# Batch samplers (lyrics tutorial)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Batch:
    """One mini-batch for next-token prediction.

    Attributes:
        x: int32 ``[batch, steps]`` input ids.
        y: int32 ``[batch, steps]`` target ids: ``y[r, t]`` is the id that follows
            ``x[r, t]`` in the corpus.
        starts: int64 ``[batch]`` corpus position where each row of ``x`` begins, so
            row ``r`` reads ``corpus[starts[r] : starts[r] + steps]``.
    """

    x: np.ndarray
    y: np.ndarray
    starts: np.ndarray

    @property
    def batch_size(self) -> int:
        return int(self.x.shape[0])

    @property
    def num_steps(self) -> int:
        return int(self.x.shape[1])


def _check_batch_shape(batch_size: int, num_steps: int) -> None:
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1; got {batch_size}.")
    if num_steps < 1:
        raise ValueError(f"num_steps must be at least 1; got {num_steps}.")


def count_random_batches(corpus_length: int, batch_size: int, num_steps: int) -> int:
    """Batches per epoch of :func:`random_batches` for a corpus of ``corpus_length`` ids.

    ``((corpus_length - 1) // num_steps) // batch_size``; 0 if the corpus is too short.
    """
    _check_batch_shape(batch_size, num_steps)
    num_examples = max(corpus_length - 1, 0) // num_steps
    return num_examples // batch_size


def count_consecutive_batches(corpus_length: int, batch_size: int, num_steps: int) -> int:
    """Batches per epoch of :func:`consecutive_batches` for a corpus of ``corpus_length`` ids.

    ``(corpus_length // batch_size - 1) // num_steps``; 0 if the corpus is too short.
    """
    _check_batch_shape(batch_size, num_steps)
    batch_len = corpus_length // batch_size
    return max(batch_len - 1, 0) // num_steps


def _as_corpus(corpus: Sequence[int] | np.ndarray) -> np.ndarray:
    array = np.asarray(corpus)
    if array.ndim != 1:
        raise ValueError(f"corpus must be a 1-D sequence of ids; got shape {array.shape}.")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"corpus must hold integer ids; got dtype {array.dtype}.")
    return array.astype(np.int32, copy=False)


def random_batches(
    corpus: Sequence[int] | np.ndarray,
    batch_size: int,
    num_steps: int,
    seed: int | None = None,
) -> Iterator[Batch]:
    """Random sampling, d2l's ``data_iter_random``: one epoch of batches in random order.

    The corpus is cut into ``num_examples = (len(corpus) - 1) // num_steps`` examples
    that start at positions ``0, num_steps, 2 * num_steps, ...`` (the ``- 1`` leaves room
    for the last target). The start positions are shuffled with a numpy Generator seeded
    with ``seed`` (``None`` = a different order every call) and dealt out in
    ``num_examples // batch_size`` batches; leftover examples are not used this epoch.
    Row ``r`` has ``x = corpus[p : p + num_steps]`` and ``y = corpus[p + 1 : p + num_steps + 1]``.

    Neighbouring rows and batches are not adjacent in the corpus, so the RNN state must
    be reset (re-initialised) before every batch.

    Yields :class:`Batch` with ``x``, ``y`` of shape ``[batch_size, num_steps]``.
    Raises ValueError (at call time) if the arguments cannot give a single batch
    (`core.errors.CorpusTooShort`, a sentence in both languages, when the corpus is too short).
    """
    data = _as_corpus(corpus)
    epoch_size = count_random_batches(len(data), batch_size, num_steps)
    if epoch_size == 0:
        raise CorpusTooShort("text.corpus_too_short_random", n=len(data), batch_size=batch_size, num_steps=num_steps, needed=batch_size * num_steps + 1)
    num_examples = (len(data) - 1) // num_steps
    example_starts = np.arange(num_examples, dtype=np.int64) * num_steps
    rng = np.random.default_rng(seed)
    rng.shuffle(example_starts)
    offsets = np.arange(num_steps)

    def generate() -> Iterator[Batch]:
        for i in range(epoch_size):
            starts = example_starts[i * batch_size : (i + 1) * batch_size]
            positions = starts[:, None] + offsets[None, :]  # [batch, steps]
            yield Batch(x=data[positions], y=data[positions + 1], starts=starts.copy())

    return generate()


def consecutive_batches(
    corpus: Sequence[int] | np.ndarray,
    batch_size: int,
    num_steps: int,
    seed: int | None = None,
) -> Iterator[Batch]:
    """Consecutive sampling, d2l's ``data_iter_consecutive``: one epoch, in corpus order.

    The first ``batch_size * batch_len`` ids (``batch_len = len(corpus) // batch_size``)
    are reshaped to ``[batch_size, batch_len]``, i.e. the corpus is cut into
    ``batch_size`` contiguous strips, one per row. Batch ``i`` takes columns
    ``i * num_steps : (i + 1) * num_steps`` as ``x`` and the same columns shifted by one
    as ``y``; there are ``(batch_len - 1) // num_steps`` batches.

    Row ``r`` of batch ``i + 1`` continues exactly where row ``r`` of batch ``i`` ended,
    so the RNN state can be carried from batch to batch (detached from the graph).

    ``seed`` is ignored (the order is fixed); it exists so that every function in
    :data:`SAMPLERS` can be called the same way.

    Yields :class:`Batch` with ``x``, ``y`` of shape ``[batch_size, num_steps]``.
    Raises ValueError (at call time) if the arguments cannot give a single batch
    (`core.errors.CorpusTooShort`, a sentence in both languages, when the corpus is too short).
    """
    del seed  # deterministic by design
    data = _as_corpus(corpus)
    epoch_size = count_consecutive_batches(len(data), batch_size, num_steps)
    if epoch_size == 0:
        raise CorpusTooShort("text.corpus_too_short_consecutive", n=len(data), batch_size=batch_size, num_steps=num_steps, needed=batch_size * (num_steps + 1))
    batch_len = len(data) // batch_size
    rows = data[: batch_size * batch_len].reshape(batch_size, batch_len)  # [batch, batch_len]
    row_starts = np.arange(batch_size, dtype=np.int64) * batch_len

    def generate() -> Iterator[Batch]:
        for i in range(epoch_size):
            col = i * num_steps
            yield Batch(
                x=rows[:, col : col + num_steps].copy(),
                y=rows[:, col + 1 : col + num_steps + 1].copy(),
                starts=row_starts + col,
            )

    return generate()


SAMPLERS: dict[str, Callable[..., Iterator[Batch]]] = {
    "random": random_batches,
    "consecutive": consecutive_batches,
}
"""Sampler name -> function ``(corpus, batch_size, num_steps, seed=None) -> Iterator[Batch]``."""

_BATCH_COUNTERS: dict[str, Callable[[int, int, int], int]] = {
    "random": count_random_batches,
    "consecutive": count_consecutive_batches,
}


def count_batches(sampler: str, corpus_length: int, batch_size: int, num_steps: int) -> int:
    """Batches per epoch of the sampler named ``sampler`` ("random" or "consecutive")."""
    try:
        counter = _BATCH_COUNTERS[sampler]
    except KeyError:
        choices = ", ".join(repr(name) for name in _BATCH_COUNTERS)
        raise ValueError(f"Unknown sampler {sampler!r}: choose one of {choices}.") from None
    return counter(corpus_length, batch_size, num_steps)


# --------------------------------------------------------------------------------------
# One-hot inputs
# --------------------------------------------------------------------------------------


def one_hot(ids: np.ndarray | Sequence[int], depth: int) -> np.ndarray:
    """One-hot encode integer ``ids`` of any shape; returns float32 ``[..., depth]``.

    E.g. ``ids`` ``[batch, steps]`` -> ``[batch, steps, depth]``, the tutorial's input to
    an RNN written from scratch (``depth`` = vocabulary size). Raises ValueError for ids
    outside ``0 .. depth - 1``.
    """
    if depth < 1:
        raise ValueError(f"depth must be at least 1; got {depth}.")
    ids_array = np.asarray(ids)
    if ids_array.size and not np.issubdtype(ids_array.dtype, np.integer):
        raise ValueError(f"ids must be integers; got dtype {ids_array.dtype}.")
    ids_array = ids_array.astype(np.int64, copy=False)
    if ids_array.size and (ids_array.min() < 0 or ids_array.max() >= depth):
        raise ValueError(
            f"ids must lie in 0..{depth - 1} for depth={depth}; "
            f"got range {ids_array.min()}..{ids_array.max()}."
        )
    return np.eye(depth, dtype=np.float32)[ids_array]
