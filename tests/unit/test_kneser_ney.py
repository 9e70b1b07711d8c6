"""The interpolated Kneser-Ney character n-gram of bench/bench_lm.py (the language models' baseline)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bench.bench_lm import KneserNey

CORPUS = [2, 3, 4, 2, 3, 5, 2, 3, 4, 4, 6, 2, 3, 4, 5, 5, 2, 6, 3, 4, 2, 3, 4, 7]
VOCAB = 9  # ids 0 (<pad>) and 1 (<unk>) and 8 never occur: they get probability from the uniform floor


@pytest.mark.parametrize("order", [1, 2, 3, 5])
@pytest.mark.parametrize("discounts", [None, "fixed"])
def test_probabilities_sum_to_one_over_the_vocabulary(order, discounts):
    model = KneserNey(order, VOCAB, discounts=[0.75] * order if discounts else None).fit(CORPUS)
    contexts = [(), (2,), (2, 3), (3, 4, 2), (2, 3, 4, 4), (8, 8, 8, 8), (1,), (4, 5, 5, 2)]
    for context in contexts:
        dist = model.distribution(context)
        assert dist.shape == (VOCAB,)
        assert np.all(dist > 0), context
        assert dist.sum() == pytest.approx(1.0, abs=1e-12), context


def test_order_one_is_the_smoothed_unigram():
    d = 0.5
    model = KneserNey(1, VOCAB, discounts=[d]).fit(CORPUS)
    counts = np.bincount(CORPUS, minlength=VOCAB)
    n, types = len(CORPUS), int(np.count_nonzero(counts))
    expected = np.maximum(counts - d, 0) / n + d * types / n / VOCAB
    np.testing.assert_allclose(model.distribution(()), expected, rtol=1e-12)
    # the context is ignored by a unigram model
    np.testing.assert_allclose(model.distribution((2, 3)), expected, rtol=1e-12)
    # estimated discount: n1 / (n1 + 2 n2) over the unigram counts
    est = KneserNey(1, VOCAB).fit(CORPUS)
    n1, n2 = int(np.sum(counts == 1)), int(np.sum(counts == 2))
    assert est.discounts == [pytest.approx(n1 / (n1 + 2 * n2))]


def test_tiny_bigram_by_hand():
    # text "a b a b a c" over the vocabulary {a=0, b=1, c=2, d=3}, order 2, D = 0.5 at both orders
    a, b, c = 0, 1, 2
    model = KneserNey(2, 4, discounts=[0.5, 0.5]).fit([a, b, a, b, a, c])
    # continuation counts N1+(. w): a follows b (once, as a distinct bigram "b a"), and a starts
    # the text (counted as one context); b follows a; c follows a  -> a: 2, b: 1, c: 1, d: 0; total 4
    p1 = {a: (2 - 0.5) / 4 + 0.5 * 3 / 4 / 4, b: (1 - 0.5) / 4 + 0.5 * 3 / 4 / 4, c: (1 - 0.5) / 4 + 0.5 * 3 / 4 / 4, 3: 0.5 * 3 / 4 / 4}
    assert sum(p1.values()) == pytest.approx(1.0)
    # after "a": bigrams a b (2), a c (1); c(a .) = 3, two distinct followers
    assert model.prob(b, [a]) == pytest.approx((2 - 0.5) / 3 + 0.5 * 2 / 3 * p1[b])
    assert model.prob(c, [a]) == pytest.approx((1 - 0.5) / 3 + 0.5 * 2 / 3 * p1[c])
    assert model.prob(a, [a]) == pytest.approx(0.5 * 2 / 3 * p1[a])
    # after "c" (never a context in training): the unigram level alone
    assert model.prob(a, [c]) == pytest.approx(p1[a])
    # only the last order-1 tokens matter
    assert model.prob(b, [c, c, a]) == pytest.approx(model.prob(b, [a]))
    # perplexity over a stream scores tokens 1.. with their own history
    stream = [a, b, a]
    expected = math.exp(-(math.log(model.prob(b, [a])) + math.log(model.prob(a, [b]))) / 2)
    assert model.perplexity(stream) == pytest.approx(expected)


def test_higher_orders_fit_the_training_text_better():
    ppl = [KneserNey(k, VOCAB).fit(CORPUS).perplexity(CORPUS) for k in (1, 2, 3)]
    assert ppl[0] > ppl[1] > ppl[2]


def test_bad_input():
    with pytest.raises(ValueError):
        KneserNey(0, 5)
    with pytest.raises(ValueError):
        KneserNey(2, 5, discounts=[0.5])
    with pytest.raises(ValueError):
        KneserNey(2, 3).fit([0, 1, 5])
