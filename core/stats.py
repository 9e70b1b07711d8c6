"""What the Data page shows, computed once here: statistics of a tokenised data set.

`tokenise_dataset` turns any loaded data set into one `TokenisedDataset`: every text
as an int32 id array under one vocabulary, plus the full token counts (before
`max_tokens` cuts the vocabulary) so the page can show what a smaller vocabulary
loses. Everything else here is a small pure function of that object, returning
plain dicts and pandas tables, so the CLI, the tests and the page share one source
of truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from core import text as textlib
from core.datasets import Corpus, Dataset, EncodedReviews, LabelledTexts

LINE_SEPARATOR = " "
"""A corpus is read by a language model as one stream with newlines as spaces (the tutorial)."""


@dataclass
class TokenisedDataset:
    """A data set as ids.

    `docs[i]` is text i as int32 ids `[length_i]` under `vocab` (ids beyond `max_tokens`
    are 1, unknown). For a corpus the texts are its lines, and `stream()` is the whole
    corpus as the language model reads it. For `imdb` the ids are Keras's own and
    `vocab` is None (decode with the data set's word index).
    """

    name: str
    kind: str
    tokenizer: str
    docs: list[np.ndarray]
    full_counts: dict  # token (str, or int id for imdb) -> count, every token seen
    vocab: textlib.Vocab | None
    labels: np.ndarray | None
    split: np.ndarray | None
    raw_texts: list[str] | None
    source: Dataset

    @property
    def lengths(self) -> np.ndarray:
        return np.fromiter((len(d) for d in self.docs), dtype=np.int64, count=len(self.docs))

    @property
    def vocab_size(self) -> int:
        if self.vocab is not None:
            return len(self.vocab)
        return int(self.source.num_words)  # type: ignore[union-attr]

    def decode(self, ids) -> list[str]:
        if self.vocab is not None:
            return self.vocab.decode(ids, skip_pad=False)
        return self.source.decode(ids)  # type: ignore[union-attr]

    def stream(self) -> np.ndarray:
        """A corpus as one id sequence `[n_tokens]`: lines joined by the separator token."""
        if self.kind != "corpus":
            raise ValueError("Only a corpus is read as one stream.")
        sep = np.asarray([self.vocab.token_to_id(LINE_SEPARATOR)], dtype=np.int32)
        pieces: list[np.ndarray] = []
        for i, doc in enumerate(self.docs):
            if i:
                pieces.append(sep)
            pieces.append(doc)
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int32)


TOKENISE_CHUNK = 200  # texts tokenised between two progress reports


def _tokenize_reporting(texts: list[str], tokenizer: str, progress: Callable[[int, int], None] | None) -> list[list[str]]:
    """`texts` tokenised; with `progress` (work in a background job) reported every
    `TOKENISE_CHUNK` texts and handing the interpreter over after each text."""
    if progress is None:
        return textlib.tokenize_many(texts, tokenizer)
    out: list[list[str]] = []
    for start in range(0, len(texts), TOKENISE_CHUNK):
        progress(start, len(texts))
        out += textlib.tokenize_many(texts[start : start + TOKENISE_CHUNK], tokenizer, hand_over=True)  # (a background job: see there)
    progress(len(texts), len(texts))
    return out


def _token_lists(ds: Dataset, tokenizer: str, progress: Callable[[int, int], None] | None = None) -> tuple[list, list[str] | None]:
    if isinstance(ds, Corpus):
        lines = ds.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if tokenizer == "given":
            if ds.words is None:
                raise ValueError("This corpus has no given segmentation; choose another tokeniser.")
            return ds.words, ["".join(w) for w in ds.words]
        return _tokenize_reporting(lines, tokenizer, progress), lines
    if isinstance(ds, LabelledTexts):
        return _tokenize_reporting(list(ds.texts), tokenizer, progress), ds.texts
    raise TypeError(type(ds))


def tokenise_dataset(ds: Dataset, tokenizer: str, max_tokens: int | None = None, progress: Callable[[int, int], None] | None = None) -> TokenisedDataset:
    """Tokenise every text of `ds`, build the vocabulary and encode, in one pass over the tokens.

    Tokens get provisional ids in order of first appearance while counting; the vocabulary
    (most frequent first, ties by first appearance, `max_tokens` including the 2 reserved
    ids) then renumbers them with one lookup table, so nothing is tokenised twice.
    ``progress(done, total)``: texts (or lines) tokenised so far, every `TOKENISE_CHUNK`.
    """
    if isinstance(ds, EncodedReviews):
        docs = [np.asarray(x, dtype=np.int32) for x in ds.x_train + ds.x_test]
        all_ids = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int32)
        counts = np.bincount(all_ids)
        full_counts = {int(i): int(c) for i, c in enumerate(counts) if c}
        labels = np.concatenate([ds.y_train, ds.y_test]).astype(np.int8)
        split = np.asarray(["train"] * len(ds.x_train) + ["test"] * len(ds.x_test), dtype="<U5")
        return TokenisedDataset(ds.name, "encoded", "keras_ids", docs, full_counts, None, labels, split, None, ds)

    token_lists, raw = _token_lists(ds, tokenizer, progress)
    provisional: dict[str, int] = {}
    prov_docs: list[np.ndarray] = []
    is_corpus = isinstance(ds, Corpus)
    for i, tokens in enumerate(token_lists):
        if is_corpus and i == 1:  # the stream's first line separator comes right after line 0
            provisional.setdefault(LINE_SEPARATOR, len(provisional))
        ids = [provisional.setdefault(t, len(provisional)) for t in tokens]
        prov_docs.append(np.asarray(ids, dtype=np.int32))
    n_prov = len(provisional)
    counts = np.bincount(np.concatenate(prov_docs), minlength=n_prov) if prov_docs and n_prov else np.zeros(n_prov, dtype=np.int64)
    full_counts = {t: int(counts[i]) for t, i in provisional.items()}
    if is_corpus and len(token_lists) > 1:
        full_counts[LINE_SEPARATOR] += len(token_lists) - 1
    vocab = textlib.Vocab.build(full_counts, max_tokens=max_tokens)
    lookup = np.full(max(n_prov, 1), textlib.UNK_ID, dtype=np.int32)
    for token, i in provisional.items():
        lookup[i] = vocab.token_to_id(token)
    docs = [lookup[d] if len(d) else d for d in prov_docs]
    if isinstance(ds, LabelledTexts):
        # texts read without a label (-1: an upload inspected on the Data page needs none) have no
        # label and no split: a file of texts alone has neither; one labelled in part was not split
        labelled = ds.labels >= 0
        labels = ds.labels if labelled.any() else None
        split = ds.split if labelled.all() else None
        return TokenisedDataset(ds.name, "labelled_text", tokenizer, docs, full_counts, vocab, labels, split, raw, ds)
    return TokenisedDataset(ds.name, "corpus", tokenizer, docs, full_counts, vocab, None, None, raw, ds)


def length_percentiles(lengths: np.ndarray) -> dict[str, float]:
    """Mean, median and the 90/95/99th percentiles and maximum of text lengths (tokens)."""
    if len(lengths) == 0:
        return {"mean": 0.0, "p50": 0.0, "p90": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    p50, p90, p95, p99 = np.percentile(lengths, [50, 90, 95, 99])
    return {"mean": float(lengths.mean()), "p50": float(p50), "p90": float(p90), "p95": float(p95), "p99": float(p99), "max": float(lengths.max())}


def unknown_share(tok: TokenisedDataset, sizes) -> list[float]:
    """For each vocabulary size (reserved ids included), the share of running tokens that become unknown.

    For `imdb` a size is Keras's `num_words`: ids at or above it, and the unknown id 2, are unknown.
    """
    sizes = [int(s) for s in sizes]
    if tok.vocab is not None:
        return textlib.unknown_share_by_vocab_size(tok.full_counts, sizes)
    ids = np.asarray(sorted(tok.full_counts), dtype=np.int64)
    counts = np.asarray([tok.full_counts[i] for i in ids], dtype=np.int64)
    total = counts.sum() or 1
    out = []
    for size in sizes:
        unknown = counts[(ids >= size) | (ids == tok.source.oov_char)].sum()  # type: ignore[union-attr]
        out.append(float(unknown / total))
    return out


def dataset_summary(ds: Dataset, tokenizer: str, max_tokens: int | None = None, tok: TokenisedDataset | None = None) -> dict:
    """The headline figures of a data set (JSON-able): sizes, tokens, vocabulary, labels, lengths."""
    tok = tok or tokenise_dataset(ds, tokenizer, max_tokens)
    lengths = tok.lengths
    n_tokens = int(sum(tok.full_counts.values()))
    summary: dict = {
        "name": tok.name,
        "kind": tok.kind,
        "tokenizer": tok.tokenizer,
        "source": getattr(ds, "source", ""),
        "texts": int((lengths > 0).sum()),
        "characters": None,
        "tokens": n_tokens,
        "distinct_tokens": len(tok.full_counts),
        "vocab_size": tok.vocab_size,
        "unknown_share": unknown_share(tok, [tok.vocab_size])[0],
        "length_tokens": length_percentiles(lengths[lengths > 0]),
    }
    if isinstance(ds, Corpus):
        summary["characters"] = len(ds.text)
        summary["lines"] = summary["texts"]
    elif isinstance(ds, LabelledTexts):
        summary["characters"] = int(sum(len(t) for t in ds.texts))
    if tok.labels is not None:
        labels = tok.labels
        summary["labels"] = {"negative": int((labels == 0).sum()), "positive": int((labels == 1).sum())}
        if tok.split is not None:
            summary["split"] = {p: int((tok.split == p).sum()) for p in ("train", "val", "test") if (tok.split == p).any()}
    return summary


def top_tokens(tok: TokenisedDataset, k: int = 30) -> pd.DataFrame:
    """The `k` most frequent tokens: rank, token, id, count, share and cumulative share of all tokens."""
    items = sorted(tok.full_counts.items(), key=lambda kv: -kv[1])[:k]
    total = sum(tok.full_counts.values()) or 1
    rows = []
    cumulative = 0
    for rank, (token, count) in enumerate(items, start=1):
        cumulative += count
        if tok.vocab is not None:
            ident, shown = tok.vocab.token_to_id(token), token
        else:
            ident, shown = int(token), tok.source.id_to_word(int(token))  # type: ignore[union-attr]
        rows.append({"rank": rank, "token": shown, "id": ident, "count": count, "share": count / total, "cumulative_share": cumulative / total})
    return pd.DataFrame(rows, columns=["rank", "token", "id", "count", "share", "cumulative_share"])


def rank_frequency(tok: TokenisedDataset, max_points: int = 400) -> pd.DataFrame:
    """Rank vs count of every distinct token (Zipf), thinned to about `max_points` log-spaced ranks."""
    counts = np.sort(np.fromiter(tok.full_counts.values(), dtype=np.int64))[::-1]
    if len(counts) == 0:
        return pd.DataFrame({"rank": [], "count": []})
    if len(counts) <= max_points:
        ranks = np.arange(1, len(counts) + 1)
    else:
        ranks = np.unique(np.geomspace(1, len(counts), num=max_points).astype(np.int64))
    return pd.DataFrame({"rank": ranks, "count": counts[ranks - 1]})


def unknown_share_curve(tok: TokenisedDataset, points: int = 60) -> pd.DataFrame:
    """Share of unknown tokens for vocabulary sizes from 2 to all distinct tokens (log-spaced)."""
    upper = len(tok.full_counts) + 2 if tok.vocab is not None else max(tok.full_counts) + 1
    sizes = np.unique(np.geomspace(2, max(upper, 3), num=points).astype(np.int64))
    return pd.DataFrame({"vocab_size": sizes, "unknown_share": unknown_share(tok, sizes)})


def sample_record(tok: TokenisedDataset, index: int) -> dict:
    """One text as the page shows it: raw text, tokens, ids, ids decoded back, label.

    For `imdb` the table also spells out the index offset: id = rank in the word index + index_from.
    """
    if not 0 <= index < len(tok.docs):
        raise IndexError(f"Text {index} does not exist; there are {len(tok.docs)}.")
    ids = tok.docs[index]
    decoded = tok.decode(ids)
    record = {
        "index": index,
        "raw": tok.raw_texts[index] if tok.raw_texts is not None else None,
        "ids": ids.tolist(),
        "decoded": decoded,
        "label": int(tok.labels[index]) if tok.labels is not None and tok.labels[index] >= 0 else None,
        "split": str(tok.split[index]) if tok.split is not None else None,
    }
    if tok.vocab is None:
        offset = tok.source.index_from  # type: ignore[union-attr]
        record["offset_table"] = pd.DataFrame(
            {"position": np.arange(len(ids)), "id": ids, "rank_in_word_index": [i - offset if i > offset else None for i in ids.tolist()], "word": decoded}
        )
    else:
        record["tokens"] = _tokens_of(tok, index)
    return record


def _tokens_of(tok: TokenisedDataset, index: int) -> list[str]:
    """The tokens of text `index` before the vocabulary maps them (so cut tokens still show)."""
    if tok.tokenizer == "given":
        return list(tok.source.words[index])  # type: ignore[union-attr]
    return textlib.tokenize(tok.raw_texts[index], tok.tokenizer)


def padded_batch(tok: TokenisedDataset, start: int, batch_size: int, maxlen: int, padding: str = "pre", truncating: str = "pre") -> np.ndarray:
    """Texts `start .. start+batch_size` padded/truncated to `[batch, maxlen]` int32 ids."""
    docs = [d.tolist() for d in tok.docs[start : start + batch_size]]
    return textlib.pad_and_truncate(docs, maxlen, padding=padding, truncating=truncating)


def sampler_layout(stream_length: int, sampler: str, batch_size: int, num_steps: int, n_batches: int, seed: int = 0) -> pd.DataFrame:
    """Which corpus positions each row of the first `n_batches` batches reads, for one sampler.

    Columns: batch, row, start, end (end exclusive). Computed on positions only, so it
    is cheap for any corpus length.
    """
    positions = np.arange(stream_length, dtype=np.int32)
    batches = _sampler(sampler)(positions, batch_size, num_steps, seed=seed)
    rows = []
    for b, batch in enumerate(batches):
        if b >= n_batches:
            break
        for r, start in enumerate(batch.starts.tolist()):
            rows.append({"batch": b, "row": r, "start": int(start), "end": int(start) + num_steps})
    return pd.DataFrame(rows, columns=["batch", "row", "start", "end"])


def sampler_batch(stream: np.ndarray, sampler: str, batch_size: int, num_steps: int, batch_index: int = 0, seed: int = 0) -> textlib.Batch:
    """Batch number `batch_index` of a sampler over the id stream (X, Y and the start positions)."""
    batches = _sampler(sampler)(stream, batch_size, num_steps, seed=seed)
    for b, batch in enumerate(batches):
        if b == batch_index:
            return batch
    raise IndexError(f"The sampler gives fewer than {batch_index + 1} batches for these settings.")


def _sampler(name: str) -> Callable:
    try:
        return textlib.SAMPLERS[name]
    except KeyError:
        raise ValueError(f"Unknown sampler {name!r}: choose one of {', '.join(textlib.SAMPLERS)}.") from None
