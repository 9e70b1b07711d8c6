"""Count-based vectors and topic models (core.topics): LSA's vectors are the TF-IDF matrix's
SVD, recomputed here with numpy; LDA's are probabilities over the topics; both find the topics
of a corpus built from two separate vocabularies; bad settings are refused with a message."""

from __future__ import annotations

import numpy as np
import pytest

from core import topics
from core.embeddings import neighbours
from core.errors import RnnLabError
from core.i18n import tr

SPORT = ["足球", "比赛", "球队", "进球", "冠军", "教练"]
MONEY = ["银行", "股票", "利率", "货币", "贷款", "市场"]


def two_topic_corpus(n: int = 120, seed: int = 0) -> list[list[str]]:
    """Documents drawn either from the sport words or from the money words, with the function
    words 的 and 了 (snownlp stopwords) sprinkled over both."""
    rng = np.random.default_rng(seed)
    docs = []
    for i in range(n):
        words = SPORT if i % 2 == 0 else MONEY
        docs.append(list(rng.choice(words, size=8)) + ["的", "了"])
    return docs


def test_the_document_term_counts_leave_out_rare_words_stopwords_numbers_and_ubiquitous_words():
    docs = [["猫", "的", "狗", "１９９７", "猫"], ["猫", "鱼", "的"], ["狗", "鱼", "猫"], ["稀有", "狗"]]
    terms = topics.document_terms(docs, min_count=2, max_doc_share=0.9, drop_stopwords=True)
    # 猫 is in 3 of 4 documents (75% <= 90%), 的 is a stopword, １９９７ a number, 稀有 rare
    assert terms.words == ["猫", "狗", "鱼"]
    assert terms.counts.tolist() == [4, 3, 2]
    assert terms.matrix.toarray().tolist() == [[2, 1, 0], [1, 0, 1], [1, 1, 1], [0, 1, 0]]
    assert (terms.documents, terms.tokens) == (4, 13)
    # 猫 in 75% of the documents: out at a 0.5 share; the documents left with no word are dropped
    terms = topics.document_terms(docs, min_count=2, max_doc_share=0.5, drop_stopwords=False)
    assert "猫" not in terms.words and "的" in terms.words
    assert terms.matrix.shape[0] == sum(1 for d in docs if set(d) & set(terms.words))


def test_lsa_vectors_are_the_rows_of_v_sigma_of_the_tfidf_matrix():
    docs = two_topic_corpus()
    settings = topics.TopicSettings(dim=4, min_count=1)
    vectors = topics.train_lsa(docs, settings, source="two topics")
    terms = topics.document_terms(docs, 1, 0.5, True)
    x = terms.matrix.toarray()
    weighted = np.where(x > 0, 1 + np.log(np.where(x > 0, x, 1)), 0) * np.log(x.shape[0] / (x > 0).sum(axis=0))
    _, sigma, vt = np.linalg.svd(weighted, full_matrices=False)
    expected = vt[:4].T * sigma[:4]
    assert vectors.words == terms.words and vectors.matrix.shape == (len(terms.words), 4)
    for k in range(4):  # each direction up to its sign, which core.topics fixes (largest loading positive)
        column = vectors.matrix[:, k]
        assert np.allclose(column, expected[:, k], atol=1e-4) or np.allclose(column, -expected[:, k], atol=1e-4), k
        assert column[np.argmax(np.abs(column))] > 0
    found = [t["singular_value"] for t in vectors.info["topics"]]
    np.testing.assert_allclose(found, sigma[:4], rtol=1e-5)
    np.testing.assert_allclose([t["share"] for t in vectors.info["topics"]], sigma[:4] ** 2 / (weighted**2).sum(), rtol=1e-5)
    assert "的" not in vectors and vectors.info["topic_model"]["method"] == "lsa"
    # the same settings give the same vectors (a seeded start)
    np.testing.assert_array_equal(topics.train_lsa(docs, settings).matrix, vectors.matrix)


def test_lsa_and_lda_tell_the_two_vocabularies_apart():
    docs = two_topic_corpus()
    lsa = topics.train_lsa(docs, topics.TopicSettings(dim=2, min_count=1))
    lda = topics.train_lda(docs, topics.TopicSettings(method="lda", dim=2, min_count=1, passes=5, seed=1))
    for vectors in (lsa, lda):
        for word, same in (("足球", SPORT), ("银行", MONEY)):
            near = neighbours(vectors, word, k=5)["word"].tolist()
            assert set(near) == set(same) - {word}, (vectors.source, word, near)
    # LDA: each word's vector is p(topic | word), and each topic's top words come from one vocabulary
    np.testing.assert_allclose(lda.matrix.sum(axis=1), 1.0, atol=1e-5)
    assert (lda.matrix >= 0).all()
    tops = [set(t["positive"][:6]) for t in lda.info["topics"]]
    assert sorted(map(sorted, tops)) == sorted([sorted(SPORT), sorted(MONEY)])
    assert abs(sum(t["share"] for t in lda.info["topics"]) - 1) < 1e-6 and lda.info["perplexity"] > 1
    table = topics.topics_table(lda)
    assert list(table.columns) == ["topic", "share", "top_words"] and len(table) == 2
    assert list(topics.topics_table(lsa).columns) == ["topic", "share", "top_words", "other_end"]


def test_progress_is_reported_per_step_and_per_pass():
    docs = two_topic_corpus(40)
    seen = []
    topics.train(docs, topics.TopicSettings(dim=2, min_count=1), progress=lambda done, total, seconds: seen.append((done, total)))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]  # 0 first: a bar says how many there are from the start
    seen.clear()
    topics.train(docs, topics.TopicSettings(method="lda", dim=2, min_count=1, passes=3), progress=lambda done, total, seconds: seen.append((done, total)))
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize(
    "settings, key",
    [
        (dict(method="pca"), "topics.bad_method"),
        (dict(dim=1), "emb.bad_setting"),
        (dict(dim=10_000), "emb.bad_setting"),
        (dict(passes=0), "emb.bad_setting"),
        (dict(min_count=True), "emb.bad_setting"),
        (dict(max_doc_share=0.0), "emb.bad_setting"),
        (dict(max_doc_share=float("nan")), "emb.bad_setting"),
    ],
)
def test_absurd_settings_are_refused_with_a_message(settings, key):
    with pytest.raises(RnnLabError) as caught:
        topics.train(two_topic_corpus(10), topics.TopicSettings(**settings))
    assert caught.value.key == key
    assert caught.value.message("zh") and caught.value.message("en")


def test_nothing_left_or_too_many_dimensions_is_said():
    with pytest.raises(RnnLabError) as caught:
        topics.train_lsa([["的", "了"], ["的"]], topics.TopicSettings(dim=2, min_count=1))
    assert caught.value.key == "emb.topics_empty"
    assert caught.value.message("en") == tr("emb.topics_empty", "en", min_count=1, share="50%", words=0)
    with pytest.raises(RnnLabError) as caught:
        topics.train_lsa(two_topic_corpus(10), topics.TopicSettings(dim=50, min_count=1))
    assert caught.value.key == "emb.topics_too_many" and "50" in caught.value.message("en")
    with pytest.raises(RnnLabError) as caught:  # an empty corpus
        topics.train_lda([], topics.TopicSettings(method="lda", dim=2))
    assert caught.value.key == "emb.topics_empty"


def test_the_stopwords_are_snownlps_list_and_the_function_words_it_lacks():
    words = topics.stopwords()
    assert len(words) > 1000 and {"的", "了", "the", "。"} <= words
    assert {"很", "不", "都", "还"} <= words  # not in snownlp's list, yet in a fifth of the reviews
    assert not {"好", "酒店", "中国"} & words  # content words stay


def test_lda_on_the_reviews_does_not_put_function_words_at_the_top_of_its_topics():
    """With snownlp's list alone 很, 不, 都 and 还 topped the reviews' topics, under a header
    saying the stopwords were left out."""
    from core.embeddings import corpus_documents

    docs = corpus_documents("chinese_reviews", max_sentences=3000)[0]
    vectors = topics.train_lda(docs, topics.TopicSettings(method="lda", dim=4, passes=2, min_count=5))
    top = {word for topic in vectors.info["topics"] for word in topic["positive"]}
    assert top and not top & {"很", "不", "都", "还", "没", "一个"}


def test_doc2vec_gives_word_and_document_vectors_and_finds_the_documents_of_a_new_text():
    docs = two_topic_corpus(400)
    seen = []
    settings = topics.TopicSettings(method="doc2vec", dim=8, min_count=1, passes=40)
    vectors = topics.train(docs, settings, progress=lambda done, total, seconds: seen.append(done), language="zh")
    assert seen == list(range(0, 41))
    info = vectors.info
    assert info["doc_vectors"].shape == (400, 8) and len(info["doc_texts"]) == 400
    assert info["doc_texts"][0] == "".join(docs[0])  # Chinese: the words joined without spaces
    assert "的" in vectors  # predictive: the stopwords are context and keep their vectors
    # a new sport text: its vector is inferred the same way each time, and its nearest documents are sport ones
    query = info["infer"](["足球", "比赛", "进球", "冠军"])
    np.testing.assert_array_equal(query, info["infer"](["足球", "比赛", "进球", "冠军"]))
    nearest = topics.nearest_documents(vectors, query, k=10)
    assert (nearest["document"] % 2 == 1).all(), nearest  # documents 1, 3, 5, ... are the sport ones (index 0, 2, ...)
    money = topics.nearest_documents(vectors, info["infer"](["银行", "股票", "利率"]), k=10)
    assert (money["document"] % 2 == 0).all(), money
    # the table is the brute-force cosine ranking
    docs_v = info["doc_vectors"]
    cosines = docs_v @ query / (np.linalg.norm(docs_v, axis=1) * np.linalg.norm(query))
    assert nearest["document"].tolist() == (np.argsort(-cosines, kind="stable")[:10] + 1).tolist()
    np.testing.assert_allclose(nearest["cosine"], np.sort(cosines)[::-1][:10], rtol=1e-5)
    assert nearest["cosine"].is_monotonic_decreasing and nearest["rank"].tolist() == list(range(1, 11))
    # the same seed, the same vectors (one worker, a fixed hash)
    again = topics.train(docs, settings, language="zh")
    np.testing.assert_array_equal(again.matrix, vectors.matrix)


def test_doc2vec_on_english_joins_words_with_spaces_and_refuses_an_empty_corpus():
    vectors = topics.train_doc2vec([["a", "good", "film"], ["a", "bad", "film"]], topics.TopicSettings(method="doc2vec", dim=4, min_count=1, passes=2), language="en")
    assert vectors.info["doc_texts"] == ["a good film", "a bad film"]
    # given the texts as written, it shows those (whitespace runs as one space), for the documents it kept
    texts = ["A good film!", "(empty)", "A  bad\nfilm."]
    written = topics.train(
        [["a", "good", "film"], [], ["a", "bad", "film"]], topics.TopicSettings(method="doc2vec", dim=4, min_count=1, passes=2), language="en", texts=texts
    )
    assert written.info["doc_texts"] == ["A good film!", "A bad film."]
    assert topics.document_text([], "zh", "好" * 500) == "好" * (topics.SHOWN_CHARS - 1) + "…"
    with pytest.raises(ValueError):
        topics.train_doc2vec([["a"]], topics.TopicSettings(method="doc2vec", dim=4, min_count=1), texts=["a", "b"])
    with pytest.raises(RnnLabError) as caught:
        topics.train_doc2vec([[], []], topics.TopicSettings(method="doc2vec", dim=4, min_count=1))
    assert caught.value.key == "emb.topics_empty"
