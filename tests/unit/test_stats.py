"""Unit tests for core.stats on small hand-made data sets (and the real lyrics when present).

Each figure is checked against an independent computation: a Counter over the tokens,
a vocabulary re-encoding by brute force, core.text's own samplers and padding.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from core import text as textlib
from core.datasets import Corpus, EncodedReviews, LabelledTexts, load, seeded_split
from core.stats import (
    LINE_SEPARATOR,
    dataset_summary,
    length_percentiles,
    padded_batch,
    rank_frequency,
    sample_record,
    sampler_batch,
    sampler_layout,
    tokenise_dataset,
    top_tokens,
    unknown_share,
    unknown_share_curve,
)

# A corpus with repeated characters, a real space, an empty line, a CRLF line end and a trailing newline.
CORPUS_TEXT = "想要有直升机\n想要和你飞到宇宙去\n\n想要和你 融化在一起\r\n融化在宇宙里\n"
REVIEWS = [
    "This movie was great, great acting!",
    "Terrible plot. I hated it.",
    "Great music; the plot was thin.",
    "I don't know... it was fine",
    "",
    "Acting: great. Plot: great. Music: great!",
]
LABELS = np.asarray([1, 0, 1, 0, 0, 1], dtype=np.int8)


def _corpus(text: str = CORPUS_TEXT, words=None) -> Corpus:
    return Corpus(name="tiny", text=text, language="zh", words=words)


def _reviews() -> LabelledTexts:
    return LabelledTexts(name="tiny_reviews", texts=list(REVIEWS), labels=LABELS.copy(), split=seeded_split(LABELS), language="en")


def _encoded() -> EncodedReviews:
    return EncodedReviews(
        name="imdb",
        x_train=[[1, 14, 22, 2, 4, 600], [1, 4, 4, 9], [1, 2, 2, 5, 14]],
        y_train=np.asarray([1, 0, 1], dtype=np.int8),
        x_test=[[1, 4, 30, 499, 3]],
        y_test=np.asarray([0], dtype=np.int8),
        num_words=10_000,
    )


def _first_appearance_order(tokens: list[str]) -> list[str]:
    counts = Counter(tokens)
    first = {}
    for i, t in enumerate(tokens):
        first.setdefault(t, i)
    return sorted(counts, key=lambda t: (-counts[t], first[t]))


# --------------------------------------------------------------------------- counting


def test_char_corpus_counts_and_stream_match_the_language_model_text():
    ds = _corpus()
    tok = tokenise_dataset(ds, "char")
    assert tok.kind == "corpus"
    assert tok.full_counts == dict(Counter(ds.lm_text()))
    stream = tok.stream()
    assert stream.dtype == np.int32
    assert stream.tolist() == tok.vocab.encode(list(ds.lm_text()))
    assert "".join(tok.decode(stream)) == ds.lm_text()
    # the texts of a corpus are its lines, the empty one included (it keeps the stream aligned)
    assert len(tok.docs) == len(ds.text.replace("\r\n", "\n").split("\n"))


def test_word_corpus_counts_add_one_separator_per_line_break():
    ds = _corpus("the cat sat\non the mat\nthe end")
    tok = tokenise_dataset(ds, "word")
    lines = ds.text.split("\n")
    expected = Counter(t for line in lines for t in textlib.tokenize_words(line))
    expected[LINE_SEPARATOR] += len(lines) - 1
    assert tok.full_counts == dict(expected)
    assert tok.stream().tolist() == tok.vocab.encode(
        [t for i, line in enumerate(lines) for t in ([LINE_SEPARATOR] if i else []) + textlib.tokenize_words(line)]
    )


def test_labelled_counts_equal_a_counter_over_the_tokens():
    ds = _reviews()
    tok = tokenise_dataset(ds, "word")
    token_lists = [textlib.tokenize_words(t) for t in REVIEWS]
    assert tok.full_counts == dict(Counter(t for tokens in token_lists for t in tokens))
    assert LINE_SEPARATOR not in tok.full_counts
    assert [d.tolist() for d in tok.docs] == [tok.vocab.encode(tokens) for tokens in token_lists]
    assert tok.lengths.tolist() == [len(tokens) for tokens in token_lists]
    assert np.array_equal(tok.labels, LABELS) and np.array_equal(tok.split, ds.split)
    assert tok.raw_texts == REVIEWS
    with pytest.raises(ValueError):
        tok.stream()


def test_given_segmentation_is_used_as_is():
    words = [["想要", "有", "直升机"], ["想要", "和", "你"]]
    ds = _corpus("想要有直升机\n想要和你", words=words)
    tok = tokenise_dataset(ds, "given")
    assert tok.full_counts == {"想要": 2, "有": 1, "直升机": 1, "和": 1, "你": 1, LINE_SEPARATOR: 1}
    assert tok.decode(tok.stream()) == ["想要", "有", "直升机", LINE_SEPARATOR, "想要", "和", "你"]
    with pytest.raises(ValueError):
        tokenise_dataset(_corpus(), "given")


# --------------------------------------------------------------------------- vocabulary


def test_vocabulary_is_ordered_by_frequency_then_first_appearance():
    ds = _reviews()
    tok = tokenise_dataset(ds, "word")
    tokens = [t for text in REVIEWS for t in textlib.tokenize_words(text)]
    assert tok.vocab.tokens[:2] == list(textlib.RESERVED_TOKENS)
    assert tok.vocab.tokens[2:] == _first_appearance_order(tokens)
    assert tok.vocab_size == len(set(tokens)) + 2


def test_char_corpus_vocabulary_order_when_the_separator_has_no_tie():
    ds = _corpus()
    tok = tokenise_dataset(ds, "char")
    expected = _first_appearance_order(list(ds.lm_text()))
    counts = Counter(ds.lm_text())
    assert sum(1 for c in counts.values() if c == counts[" "]) == 1, "fixture must not tie the separator"
    assert tok.vocab.tokens[2:] == expected


def test_char_corpus_vocabulary_ties_with_the_separator_follow_the_stream():
    ds = _corpus("ab\ncd")
    tok = tokenise_dataset(ds, "char")
    assert tok.vocab.tokens == textlib.Vocab.build([list(ds.lm_text())]).tokens


def test_max_tokens_maps_cut_tokens_to_unknown():
    ds = _reviews()
    full = tokenise_dataset(ds, "word")
    tok = tokenise_dataset(ds, "word", max_tokens=5)
    assert tok.vocab_size == 5
    kept = set(full.vocab.tokens[2:5])
    # full counts stay complete, so the page can show what was cut
    assert tok.full_counts == full.full_counts
    for text, doc in zip(REVIEWS, tok.docs):
        tokens = textlib.tokenize_words(text)
        assert len(doc) == len(tokens)
        for token, i in zip(tokens, doc.tolist()):
            if token in kept:
                assert i == full.vocab.token_to_id(token) and i >= 2
            else:
                assert i == textlib.UNK_ID
    assert any((d == textlib.UNK_ID).any() for d in tok.docs)


@pytest.mark.parametrize("make,tokenizer", [(_corpus, "char"), (_reviews, "word"), (_reviews, "char")])
def test_unknown_share_matches_brute_force_re_encoding(make, tokenizer):
    ds = make()
    tok = tokenise_dataset(ds, tokenizer)
    n_distinct = len(tok.full_counts)
    sizes = [2, 3, 5, 8, n_distinct, n_distinct + 2, n_distinct + 50]
    shares = unknown_share(tok, sizes)
    for size, share in zip(sizes, shares):
        cut = tokenise_dataset(ds, tokenizer, max_tokens=size)
        ids = cut.stream() if cut.kind == "corpus" else np.concatenate(cut.docs)
        assert share == pytest.approx(float(np.mean(ids == textlib.UNK_ID))), size
    assert shares[0] == 1.0 and shares[-1] == 0.0
    assert all(a >= b for a, b in zip(shares, shares[1:]))


def test_unknown_share_curve_is_the_same_function():
    tok = tokenise_dataset(_reviews(), "word")
    curve = unknown_share_curve(tok, points=10)
    assert curve["vocab_size"].iloc[0] == 2
    assert curve["vocab_size"].iloc[-1] == len(tok.full_counts) + 2
    assert curve["unknown_share"].tolist() == unknown_share(tok, curve["vocab_size"].tolist())


# --------------------------------------------------------------------------- imdb ids


def test_encoded_reviews_keep_keras_ids():
    ds = _encoded()
    tok = tokenise_dataset(ds, "keras_ids")
    assert tok.kind == "encoded" and tok.vocab is None
    assert [d.tolist() for d in tok.docs] == ds.x_train + ds.x_test
    assert tok.full_counts == dict(Counter(i for r in ds.x_train + ds.x_test for i in r))
    assert tok.labels.tolist() == [1, 0, 1, 0]
    assert tok.split.tolist() == ["train", "train", "train", "test"]
    assert tok.vocab_size == ds.num_words


@pytest.mark.parametrize("size", [3, 5, 15, 23, 31, 500, 601, 10_000])
def test_encoded_unknown_share_is_the_share_of_ids_at_or_above_size_or_oov(size):
    ds = _encoded()
    tok = tokenise_dataset(ds, "keras_ids")
    ids = [i for r in ds.x_train + ds.x_test for i in r]
    expected = sum(1 for i in ids if i >= size or i == 2) / len(ids)
    assert unknown_share(tok, [size]) == [pytest.approx(expected)]


# --------------------------------------------------------------------------- tables


@pytest.mark.parametrize("make,tokenizer", [(_corpus, "char"), (_reviews, "word"), (_encoded, "keras_ids")])
def test_top_tokens_shares_add_up(make, tokenizer):
    tok = tokenise_dataset(make(), tokenizer)
    table = top_tokens(tok, k=6)
    total = sum(tok.full_counts.values())
    assert len(table) == min(6, len(tok.full_counts))
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert table["count"].is_monotonic_decreasing
    assert table["share"].tolist() == pytest.approx((table["count"] / total).tolist())
    assert table["cumulative_share"].tolist() == pytest.approx(table["share"].cumsum().tolist())
    assert table["count"].tolist() == sorted(tok.full_counts.values(), reverse=True)[: len(table)]
    if tok.vocab is not None:
        # untruncated vocabulary: rank r is id r + 1 (after <pad>, <unk>), the same order as the vocab
        assert table["id"].tolist() == [r + 1 for r in table["rank"]]
        assert table["token"].tolist() == tok.vocab.tokens[2 : 2 + len(table)]
    else:
        assert table["token"].tolist() == [make().id_to_word(i) for i in table["id"]]
    everything = top_tokens(tok, k=10_000)
    assert everything["cumulative_share"].iloc[-1] == pytest.approx(1.0)


def test_rank_frequency_is_non_increasing():
    tok = tokenise_dataset(_corpus(CORPUS_TEXT * 3), "char")
    table = rank_frequency(tok, max_points=5)
    assert len(table) <= 5
    assert table["rank"].iloc[0] == 1 and table["rank"].iloc[-1] == len(tok.full_counts)
    assert (np.diff(table["rank"]) > 0).all()
    assert (np.diff(table["count"]) <= 0).all()
    assert table["count"].iloc[0] == max(tok.full_counts.values())
    # every point is a true (rank, count) pair of the sorted counts
    ordered = sorted(tok.full_counts.values(), reverse=True)
    for points in (5, 10_000):
        table = rank_frequency(tok, max_points=points)
        assert table["count"].tolist() == [ordered[r - 1] for r in table["rank"]]


def test_length_percentiles():
    lengths = np.asarray([1, 2, 3, 4, 100])
    pct = length_percentiles(lengths)
    assert pct["mean"] == 22.0 and pct["p50"] == 3.0 and pct["max"] == 100.0
    assert pct["p50"] <= pct["p90"] <= pct["p95"] <= pct["p99"] <= pct["max"]
    assert length_percentiles(np.asarray([], dtype=np.int64))["max"] == 0.0


# --------------------------------------------------------------------------- samples and tensors


def test_sample_record_decodes_back_to_the_tokens():
    ds = _reviews()
    tok = tokenise_dataset(ds, "word")
    for index in range(len(REVIEWS)):
        record = sample_record(tok, index)
        tokens = textlib.tokenize_words(REVIEWS[index])
        assert record["raw"] == REVIEWS[index]
        assert record["tokens"] == tokens
        assert record["decoded"] == tokens
        assert record["ids"] == tok.vocab.encode(tokens)
        assert record["label"] == int(LABELS[index])
        assert record["split"] == str(ds.split[index])
        assert "offset_table" not in record
    with pytest.raises(IndexError):
        sample_record(tok, len(REVIEWS))
    with pytest.raises(IndexError):
        sample_record(tok, -1)


def test_sample_record_shows_cut_tokens_and_their_unknown_ids():
    tok = tokenise_dataset(_reviews(), "word", max_tokens=4)
    record = sample_record(tok, 1)
    assert record["tokens"] == textlib.tokenize_words(REVIEWS[1])
    assert record["decoded"] == [t if t in tok.vocab else textlib.UNK for t in record["tokens"]]


def test_sample_record_of_a_corpus_line():
    ds = _corpus()
    tok = tokenise_dataset(ds, "char")
    record = sample_record(tok, 1)
    assert record["raw"] == "想要和你飞到宇宙去"
    assert record["tokens"] == record["decoded"] == list("想要和你飞到宇宙去")
    assert record["label"] is None and record["split"] is None


def test_sample_record_of_imdb_has_an_offset_table():
    ds = _encoded()
    tok = tokenise_dataset(ds, "keras_ids")
    record = sample_record(tok, 0)
    ids = ds.x_train[0]
    assert record["raw"] is None
    assert record["ids"] == ids
    assert record["decoded"] == ds.decode(ids) == ["<start>", "#14", "#22", "<unk>", "#4", "#600"]
    table = record["offset_table"]
    assert table["position"].tolist() == list(range(len(ids)))
    assert table["id"].tolist() == ids
    ranks = table["rank_in_word_index"].tolist()
    for i, rank in zip(ids, ranks):
        if i <= ds.index_from:
            assert rank is None or np.isnan(rank)
        else:
            assert rank == i - ds.index_from
    assert table["word"].tolist() == record["decoded"]


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
def test_padded_batch_equals_pad_and_truncate(padding, truncating):
    tok = tokenise_dataset(_reviews(), "word")
    batch = padded_batch(tok, 1, 4, 6, padding=padding, truncating=truncating)
    expected = textlib.pad_and_truncate([d.tolist() for d in tok.docs[1:5]], 6, padding=padding, truncating=truncating)
    assert batch.shape == (4, 6) and batch.dtype == np.int32
    assert np.array_equal(batch, expected)


@pytest.mark.parametrize("sampler", ["random", "consecutive"])
def test_sampler_layout_rows_are_the_samplers_starts(sampler):
    length, batch_size, num_steps, n_batches, seed = 203, 3, 7, 4, 11
    layout = sampler_layout(length, sampler, batch_size, num_steps, n_batches, seed=seed)
    batches = list(textlib.SAMPLERS[sampler](np.arange(length), batch_size, num_steps, seed=seed))[:n_batches]
    assert len(layout) == n_batches * batch_size
    assert layout["batch"].tolist() == [b for b in range(n_batches) for _ in range(batch_size)]
    assert layout["row"].tolist() == list(range(batch_size)) * n_batches
    assert layout["start"].tolist() == [int(s) for b in batches for s in b.starts]
    assert (layout["end"] - layout["start"]).eq(num_steps).all()
    for b, batch in enumerate(batches):
        rows = layout[layout["batch"] == b]
        for (_, row), x in zip(rows.iterrows(), batch.x):
            assert x.tolist() == list(range(row["start"], row["end"]))  # positions are the ids here
    if sampler == "consecutive":
        for b in range(n_batches - 1):
            now, nxt = layout[layout["batch"] == b], layout[layout["batch"] == b + 1]
            assert nxt["start"].tolist() == now["end"].tolist()
    else:
        again = sampler_layout(length, sampler, batch_size, num_steps, n_batches, seed=seed)
        assert again.equals(layout)
        other = sampler_layout(length, sampler, batch_size, num_steps, n_batches, seed=seed + 1)
        assert not other.equals(layout)


def test_sampler_batch_reads_the_stream():
    tok = tokenise_dataset(_corpus(CORPUS_TEXT * 4), "char")
    stream = tok.stream()
    batch = sampler_batch(stream, "consecutive", 2, 5, batch_index=1)
    for r, start in enumerate(batch.starts):
        assert batch.x[r].tolist() == stream[start : start + 5].tolist()
        assert batch.y[r].tolist() == stream[start + 1 : start + 6].tolist()
    with pytest.raises(IndexError):
        sampler_batch(stream, "consecutive", 2, 5, batch_index=10_000)
    with pytest.raises(ValueError):
        sampler_layout(100, "shuffled", 2, 5, 1)


# --------------------------------------------------------------------------- summary


def test_dataset_summary_of_hand_made_reviews():
    ds = _reviews()
    summary = dataset_summary(ds, "word")
    token_lists = [textlib.tokenize_words(t) for t in REVIEWS]
    assert summary["texts"] == sum(1 for t in token_lists if t)
    assert summary["tokens"] == sum(len(t) for t in token_lists)
    assert summary["characters"] == sum(len(t) for t in REVIEWS)
    assert summary["distinct_tokens"] == len({t for tokens in token_lists for t in tokens})
    assert summary["labels"] == {"negative": int((LABELS == 0).sum()), "positive": int((LABELS == 1).sum())}
    assert sum(summary["split"].values()) == len(REVIEWS)
    assert summary["unknown_share"] == 0.0
    assert summary["length_tokens"]["max"] == max(len(t) for t in token_lists)


def test_dataset_summary_of_the_real_lyrics(shared_data):
    ds = load("lyrics")
    summary = dataset_summary(ds, "char")
    assert summary["characters"] == 63_282
    assert summary["distinct_tokens"] == 2_582
    assert summary["tokens"] == 63_282
    assert summary["vocab_size"] == 2_582 + 2
    assert summary["unknown_share"] == 0.0
    assert summary["lines"] == summary["texts"] == len(ds.lines)
