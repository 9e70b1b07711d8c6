"""Unit tests for core.text: tokenisers, Vocab, padding and the lyrics batch samplers."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from core.text import (
    PAD,
    PAD_ID,
    SAMPLERS,
    TOKENIZERS,
    UNK,
    UNK_ID,
    Batch,
    Vocab,
    consecutive_batches,
    count_batches,
    count_consecutive_batches,
    count_random_batches,
    count_tokens,
    one_hot,
    pad_and_truncate,
    random_batches,
    tokenize,
    tokenize_many,
    truncation_effect,
    unknown_share_by_vocab_size,
)

# --------------------------------------------------------------------------------------
# Tokenisers
# --------------------------------------------------------------------------------------


def test_tokenizer_registry_lists_the_three_kinds() -> None:
    assert list(TOKENIZERS) == ["char", "word", "jieba"]


def test_char_tokenizer_keeps_spaces_and_punctuation() -> None:
    assert tokenize("想要, 有直升机", "char") == ["想", "要", ",", " ", "有", "直", "升", "机"]
    assert tokenize("a b\n", "char") == ["a", " ", "b", "\n"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This movie was GREAT!", ["this", "movie", "was", "great", "!"]),
        ("I don't like it, sadly.", ["i", "don't", "like", "it", ",", "sadly", "."]),
        ("It's 10/10", ["it's", "10", "/", "10"]),
        ("'quoted'", ["'", "quoted", "'"]),
        ("   ", []),
    ],
)
def test_word_tokenizer(text: str, expected: list[str]) -> None:
    assert tokenize(text, "word") == expected


def test_jieba_tokenizer_segments_chinese_words() -> None:
    assert tokenize("我爱北京天安门", "jieba") == ["我", "爱", "北京", "天安门"]


def test_jieba_tokenizer_drops_whitespace_tokens() -> None:
    tokens = tokenize("我爱 北京\n 天安门  ", "jieba")
    assert tokens == ["我", "爱", "北京", "天安门"]
    assert all(token.strip() for token in tokens)


def test_jieba_is_imported_lazily() -> None:
    code = "import sys, core.text; print('jieba' in sys.modules, 'tensorflow' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],  # repo root, so `core` is importable
    )
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("kind", ["char", "word", "jieba"])
@pytest.mark.parametrize(
    "text", ["质量太差了，用了两天就坏了", "Don't stop, Believin'! It's GREAT.", "  好好好  的的 ", "这部 movie 真的 GREAT!!"]
)
def test_token_end_offsets_point_at_each_tokens_end(kind: str, text: str) -> None:
    from core.text import token_end_offsets, tokenize

    tokens = tokenize(text, kind)
    ends = token_end_offsets(text, tokens)
    assert len(ends) == len(tokens) and ends == sorted(ends)
    for token, end in zip(tokens, ends):  # the text read so far ends with the token
        assert text[:end].lower().endswith(token.lower()), (token, end)
    assert ends[-1] == (len(text) if kind == "char" else len(text.rstrip()))
    if kind == "char":
        assert ends == list(range(1, len(text) + 1))


def test_token_end_offsets_with_tokens_dropped_or_not_in_the_text() -> None:
    from core.text import token_end_offsets

    assert token_end_offsets("Great movie!", ["great", "movie"]) == [5, 11]  # punctuation dropped
    assert token_end_offsets("好 好", ["好", "坏", "好"]) == [1, 1, 3]  # a token not found ends where the last did


def test_tokenize_many_and_unknown_kind() -> None:
    assert tokenize_many(["ab", "c"], "char") == [["a", "b"], ["c"]]
    with pytest.raises(ValueError, match="'char', 'word', 'jieba'"):
        tokenize("x", "bpe")


# --------------------------------------------------------------------------------------
# Vocab
# --------------------------------------------------------------------------------------

TOKEN_LISTS = [["b", "a", "c", "a"], ["d", "c", "a", "e"]]
# counts: a=3, c=2, b=1, d=1, e=1; first appearance order b, a, c, d, e


def test_vocab_reserved_ids() -> None:
    vocab = Vocab.build(TOKEN_LISTS)
    assert vocab.tokens[:2] == [PAD, UNK]
    assert (PAD_ID, UNK_ID) == (0, 1)
    assert vocab.token_to_id(PAD) == 0
    assert vocab.token_to_id(UNK) == 1


def test_vocab_orders_by_frequency_then_first_appearance() -> None:
    vocab = Vocab.build(TOKEN_LISTS)
    assert vocab.tokens == [PAD, UNK, "a", "c", "b", "d", "e"]
    assert len(vocab) == 7
    assert vocab.counts == {"a": 3, "c": 2, "b": 1, "d": 1, "e": 1}


def test_vocab_build_from_counter_matches_token_lists() -> None:
    assert Vocab.build(count_tokens(TOKEN_LISTS)) == Vocab.build(TOKEN_LISTS)
    # ties follow the mapping's order
    assert Vocab.build({"y": 2, "x": 2, "z": 5}).tokens == [PAD, UNK, "z", "y", "x"]


def test_vocab_max_tokens_counts_reserved_ids() -> None:
    vocab = Vocab.build(TOKEN_LISTS, max_tokens=4)
    assert vocab.tokens == [PAD, UNK, "a", "c"]
    assert len(vocab) == 4
    assert vocab.counts["e"] == 1  # counts keep the tokens that were cut
    assert len(Vocab.build(TOKEN_LISTS, max_tokens=2)) == 2
    assert len(Vocab.build(TOKEN_LISTS, max_tokens=100)) == 7
    with pytest.raises(ValueError, match="max_tokens must be at least 2"):
        Vocab.build(TOKEN_LISTS, max_tokens=1)


def test_vocab_min_freq() -> None:
    assert Vocab.build(TOKEN_LISTS, min_freq=2).tokens == [PAD, UNK, "a", "c"]


def test_vocab_does_not_duplicate_literal_reserved_tokens() -> None:
    vocab = Vocab.build([["x", UNK, PAD, UNK]])
    assert vocab.tokens == [PAD, UNK, "x"]


def test_vocab_rejects_flat_token_list() -> None:
    with pytest.raises(TypeError, match="Wrap a single token list"):
        Vocab.build(["a", "b"])


def test_vocab_encode_maps_unknowns_to_1() -> None:
    vocab = Vocab.build(TOKEN_LISTS, max_tokens=4)
    assert vocab.encode(["a", "c", "e", "zzz"]) == [2, 3, 1, 1]
    assert vocab.token_to_id("zzz") == UNK_ID
    assert vocab.id_to_token(2) == "a"
    assert "a" in vocab and "e" not in vocab
    with pytest.raises(IndexError):
        vocab.id_to_token(4)


def test_vocab_decode_skips_padding() -> None:
    vocab = Vocab.build(TOKEN_LISTS)
    ids = np.array([0, 0, 2, 3, 1])
    assert vocab.decode(ids) == ["a", "c", UNK]
    assert vocab.decode(ids, skip_pad=False) == [PAD, PAD, "a", "c", UNK]


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (["the film was good", "the film was bad, wasn't it?"], "word"),
        (["想要有直升机\n想要和你飞到宇宙去", "我爱北京天安门"], "char"),
        (["我爱北京天安门", "北京欢迎你"], "jieba"),
        ([""], "char"),
    ],
)
def test_decode_encode_round_trip_for_in_vocabulary_text(texts: list[str], kind: str) -> None:
    token_lists = tokenize_many(texts, kind)
    vocab = Vocab.build(token_lists)
    for tokens in token_lists:
        assert vocab.decode(vocab.encode(tokens)) == tokens
    assert vocab.coverage(token_lists) == 1.0


@pytest.mark.parametrize("seed", range(20))
def test_decode_encode_round_trip_random_tokens(seed: int) -> None:
    rng = np.random.default_rng(seed)
    alphabet = list("abcdefg我爱你,. ")
    token_lists = [
        ["".join(rng.choice(alphabet, size=rng.integers(1, 3))) for _ in range(rng.integers(0, 12))]
        for _ in range(rng.integers(1, 5))
    ]
    vocab = Vocab.build(token_lists)
    for tokens in token_lists:
        assert vocab.decode(vocab.encode(tokens)) == tokens


def test_vocab_coverage() -> None:
    vocab = Vocab.build(TOKEN_LISTS, max_tokens=4)  # keeps a (3) and c (2) of 8 tokens
    assert vocab.coverage(TOKEN_LISTS) == pytest.approx(5 / 8)
    assert vocab.coverage([]) == 1.0


def test_vocab_json_round_trip() -> None:
    vocab = Vocab.build([["我", "爱", "我"], ["don't", "\n"]], max_tokens=4)
    text = vocab.to_json()
    data = json.loads(text)  # plain JSON
    assert data["tokens"][:2] == [PAD, UNK]
    restored = Vocab.from_json(text)
    assert restored == vocab
    assert restored.tokens == vocab.tokens
    assert restored.counts == vocab.counts
    assert restored.encode(["我", "x"]) == vocab.encode(["我", "x"])


def test_vocab_rejects_missing_reserved_tokens() -> None:
    with pytest.raises(ValueError, match="reserved"):
        Vocab(tokens=["a", "b"])


# --------------------------------------------------------------------------------------
# unknown_share_by_vocab_size
# --------------------------------------------------------------------------------------


def test_unknown_share_matches_brute_force_re_encoding() -> None:
    token_lists = tokenize_many(
        [
            "the cat sat on the mat",
            "the dog sat on the log, and the cat ran!",
            "a cat, a dog; the end.",
        ],
        "word",
    )
    counter = count_tokens(token_lists)
    sizes = list(range(2, len(counter) + 5))
    shares = unknown_share_by_vocab_size(counter, sizes)
    total = sum(len(tokens) for tokens in token_lists)
    for size, share in zip(sizes, shares, strict=True):
        vocab = Vocab.build(counter, max_tokens=size)
        unknown = sum(vocab.encode(tokens).count(UNK_ID) for tokens in token_lists)
        assert share == pytest.approx(unknown / total)
        assert share == pytest.approx(1 - vocab.coverage(token_lists))
    assert shares[0] == 1.0
    assert shares[-1] == 0.0


def test_unknown_share_edge_cases() -> None:
    assert unknown_share_by_vocab_size(Counter(), [2, 10]) == [0.0, 0.0]
    assert unknown_share_by_vocab_size({"a": 3, "b": 1}, [3]) == [pytest.approx(0.25)]
    with pytest.raises(ValueError, match="at least 2"):
        unknown_share_by_vocab_size({"a": 1}, [1])


# --------------------------------------------------------------------------------------
# Padding and truncation
# --------------------------------------------------------------------------------------

SEQS = [[1, 2, 3, 4, 5, 6, 7], [8, 9], [], [10, 11, 12, 13, 14], np.array([15, 16, 17, 18, 19, 20])]


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
@pytest.mark.parametrize("maxlen", [1, 5, 9])
def test_pad_and_truncate_matches_keras(padding: str, truncating: str, maxlen: int) -> None:
    keras = pytest.importorskip("keras")
    expected = keras.utils.pad_sequences(
        SEQS, maxlen=maxlen, padding=padding, truncating=truncating, value=0
    )
    got = pad_and_truncate(SEQS, maxlen, padding=padding, truncating=truncating)
    assert got.dtype == np.int32
    assert got.shape == (len(SEQS), maxlen)
    np.testing.assert_array_equal(got, expected)


def test_pad_and_truncate_defaults_are_pre_pre() -> None:
    got = pad_and_truncate([[1, 2, 3, 4], [5]], 3, value=9)
    np.testing.assert_array_equal(got, [[2, 3, 4], [9, 9, 5]])


@pytest.mark.parametrize("maxlen", [0, -3, 2.5, True])
def test_pad_and_truncate_rejects_bad_maxlen(maxlen: object) -> None:
    with pytest.raises(ValueError, match="maxlen must be a positive whole number"):
        pad_and_truncate([[1]], maxlen)  # type: ignore[arg-type]


def test_pad_and_truncate_rejects_bad_side() -> None:
    with pytest.raises(ValueError, match='padding must be "pre" or "post"'):
        pad_and_truncate([[1]], 2, padding="middle")
    with pytest.raises(ValueError, match='truncating must be "pre" or "post"'):
        pad_and_truncate([[1]], 2, truncating="end")


def test_truncation_effect_hand_made_example() -> None:
    effect = truncation_effect([2, 5, 8, 10], maxlen=5)
    assert effect == {
        "texts": 4,
        "texts_cut": 2,
        "share_texts_cut": 0.5,
        "tokens": 25,
        "tokens_lost": 3 + 5,
        "share_tokens_lost": 8 / 25,
        "padding_added": 3,
        "share_padding": 3 / 20,
    }


def test_truncation_effect_empty_and_errors() -> None:
    effect = truncation_effect([], maxlen=3)
    assert effect["texts"] == 0 and effect["share_texts_cut"] == 0.0
    assert effect["share_tokens_lost"] == 0.0 and effect["share_padding"] == 0.0
    with pytest.raises(ValueError, match="maxlen must be a positive whole number"):
        truncation_effect([1, 2], maxlen=0)


# --------------------------------------------------------------------------------------
# Batch samplers
# --------------------------------------------------------------------------------------

CORPUS = list(range(30))


def test_consecutive_batches_exact_layout() -> None:
    batches = list(consecutive_batches(CORPUS, batch_size=2, num_steps=6))
    # batch_len = 15 -> rows [0..14] and [15..29]; epoch_size = (15 - 1) // 6 = 2
    assert len(batches) == 2 == count_consecutive_batches(30, 2, 6)
    expected = [
        (
            [[0, 1, 2, 3, 4, 5], [15, 16, 17, 18, 19, 20]],
            [[1, 2, 3, 4, 5, 6], [16, 17, 18, 19, 20, 21]],
            [0, 15],
        ),
        (
            [[6, 7, 8, 9, 10, 11], [21, 22, 23, 24, 25, 26]],
            [[7, 8, 9, 10, 11, 12], [22, 23, 24, 25, 26, 27]],
            [6, 21],
        ),
    ]
    for batch, (x, y, starts) in zip(batches, expected, strict=True):
        assert isinstance(batch, Batch)
        assert batch.x.shape == batch.y.shape == (2, 6)
        assert (batch.batch_size, batch.num_steps) == (2, 6)
        np.testing.assert_array_equal(batch.x, x)
        np.testing.assert_array_equal(batch.y, y)
        np.testing.assert_array_equal(batch.starts, starts)


@pytest.mark.parametrize(("length", "batch_size", "num_steps"), [(30, 2, 6), (101, 3, 5), (50, 1, 7)])
def test_consecutive_rows_continue_across_batches(length: int, batch_size: int, num_steps: int) -> None:
    corpus = np.arange(100, 100 + length)
    batches = list(consecutive_batches(corpus, batch_size, num_steps))
    for before, after in zip(batches, batches[1:]):
        # row r of the next batch starts right after row r of this batch ended
        np.testing.assert_array_equal(after.x[:, 0], before.x[:, -1] + 1)
        np.testing.assert_array_equal(after.starts, before.starts + num_steps)
    for batch in batches:
        np.testing.assert_array_equal(batch.x, corpus[batch.starts[:, None] + np.arange(num_steps)])
        np.testing.assert_array_equal(batch.y, batch.x + 1)


def test_random_batches_layout_on_small_corpus() -> None:
    batches = list(random_batches(CORPUS, batch_size=2, num_steps=6, seed=0))
    # num_examples = 29 // 6 = 4 (starts 0, 6, 12, 18); epoch_size = 4 // 2 = 2
    assert len(batches) == 2 == count_random_batches(30, 2, 6)
    starts = np.concatenate([batch.starts for batch in batches])
    assert sorted(starts.tolist()) == [0, 6, 12, 18]  # each used exactly once
    for batch in batches:
        assert batch.x.shape == batch.y.shape == (2, 6)
        np.testing.assert_array_equal(batch.x, batch.starts[:, None] + np.arange(6))
        np.testing.assert_array_equal(batch.y, batch.x + 1)


def test_random_batches_start_positions_are_multiples_used_at_most_once() -> None:
    corpus = np.arange(200)
    batches = list(random_batches(corpus, batch_size=3, num_steps=7, seed=5))
    starts = np.concatenate([batch.starts for batch in batches]).tolist()
    assert len(batches) == (199 // 7) // 3 == 9
    assert len(starts) == len(set(starts)) == 27
    assert set(starts) <= {7 * j for j in range(199 // 7)}


def _layout(batches: list[Batch]) -> list[list[int]]:
    return [batch.starts.tolist() for batch in batches]


def test_random_batches_seeded_repeatability() -> None:
    corpus = np.arange(500)
    first = _layout(list(random_batches(corpus, 4, 5, seed=42)))
    again = _layout(list(random_batches(corpus, 4, 5, seed=42)))
    other = _layout(list(random_batches(corpus, 4, 5, seed=43)))
    assert first == again
    assert first != other


def test_samplers_registry_and_shared_signature() -> None:
    assert list(SAMPLERS) == ["random", "consecutive"]
    for name, sampler in SAMPLERS.items():
        batches = list(sampler(CORPUS, 2, 6, seed=1))
        assert len(batches) == count_batches(name, 30, 2, 6) == 2
    with pytest.raises(ValueError, match="Unknown sampler"):
        count_batches("shuffled", 30, 2, 6)


@pytest.mark.parametrize("sampler", [random_batches, consecutive_batches])
@pytest.mark.parametrize(
    ("batch_size", "num_steps", "message"),
    [(0, 6, "batch_size must be at least 1"), (2, 0, "num_steps must be at least 1")],
)
def test_samplers_validate_batch_shape(sampler, batch_size: int, num_steps: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sampler(CORPUS, batch_size, num_steps)  # raises at call time, before iterating


def test_samplers_reject_too_short_corpus() -> None:
    # random needs batch_size * num_steps + 1 ids; consecutive needs batch_size * (num_steps + 1)
    assert count_random_batches(13, 2, 6) == 1
    assert count_random_batches(12, 2, 6) == 0
    with pytest.raises(ValueError, match="needs at least 13.*lower batch_size or num_steps"):
        random_batches(list(range(12)), 2, 6)
    assert count_consecutive_batches(14, 2, 6) == 1
    assert count_consecutive_batches(13, 2, 6) == 0
    with pytest.raises(ValueError, match="needs at least 14.*lower batch_size or num_steps") as info:
        consecutive_batches(list(range(13)), 2, 6)
    # also a sentence for a page, in both languages
    assert info.value.key == "text.corpus_too_short_consecutive" and "至少需要 14" in info.value.message("zh")
    with pytest.raises(ValueError, match="1-D"):
        consecutive_batches(np.zeros((3, 10), dtype=int), 1, 2)


# --------------------------------------------------------------------------------------
# one_hot
# --------------------------------------------------------------------------------------


def test_one_hot_shape_and_values() -> None:
    ids = np.array([[0, 2], [1, 1]])
    encoded = one_hot(ids, depth=3)
    assert encoded.shape == (2, 2, 3)
    assert encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded[0, 1], [0, 0, 1])
    np.testing.assert_array_equal(encoded.argmax(-1), ids)
    np.testing.assert_array_equal(encoded.sum(-1), np.ones((2, 2)))


def test_one_hot_rejects_out_of_range_ids() -> None:
    with pytest.raises(ValueError, match=r"0\.\.2"):
        one_hot(np.array([0, 3]), depth=3)
    with pytest.raises(ValueError):
        one_hot(np.array([-1]), depth=3)
