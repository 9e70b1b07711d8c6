"""Count-based word vectors and topic models (tutorial T3's other ways to get word vectors).

Word2Vec (`core.embeddings.train_word2vec`) learns a word's vector by predicting its
neighbours. The older way counts: which words occur in which documents. Both methods here
start from the same document-term matrix, one row per document (a line of the corpus: an
article paragraph of People's Daily, one review), one column per word::

    X [documents, words]      X[d, w] = how often word w occurs in document d

- **LSA** (latent semantic analysis, Deerwester et al. 1990) weighs the counts by TF-IDF
  (``(1 + log tf) * log(N / df)``, so that a word in every document weighs nothing) and
  keeps the top ``dim`` singular directions of the truncated SVD ``X ≈ U_k Σ_k V_kᵀ``. A
  word's vector is its row of ``V_k Σ_k`` [words, k]: two words used in the same documents
  get near vectors. Each of the k directions is a "topic" read off its largest loadings
  (positive and negative: an SVD direction has two ends).
- **LDA** (latent Dirichlet allocation, Blei, Ng & Jordan 2003) is a generative model: each
  document a mixture of ``dim`` topics, each topic a probability distribution over the
  words (gensim's online variational Bayes, ``passes`` over the corpus). A word's vector is
  how its probability divides among the topics, ``p(topic | word)`` (``p(word | topic)``
  normalised over the topics, topics taken as equally likely): non-negative, summing to 1.

- **Doc2Vec** (Le & Mikolov 2014, PV-DM, gensim) learns like Word2Vec's CBOW, with one more
  "word" in every context: the document's own vector, shared by all its windows. It gives
  word vectors and a vector per document; a new text gets one by the same training with
  the words' vectors frozen (``infer_vector``), and documents near it are found by cosine.
  It is predictive, not a count model: it keeps every word, stopwords included (they are
  context), and the document-share limit does not apply.

All three return a `core.embeddings.Vectors`, so every view of the Embeddings page (neighbours,
maps, analogies, similarity heatmaps, comparisons with Word2Vec) works on them; their
``info["topics"]`` lists each topic's top words. Stopwords (snownlp's list of 1,424 distinct Chinese
and English words and punctuation, plus the 31 function words it lacks, `EXTRA_STOPWORDS`) are left out by default: in a count model they are most
of the mass and every topic's top words.
"""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Callable, Sequence

import numpy as np

from core.embeddings import Vectors, check_int_settings
from core.errors import DataError, RnnLabError

METHODS: tuple[str, ...] = ("lsa", "lda", "doc2vec")
_LETTER = re.compile(r"[^\W\d_]")  # a letter of any script (not a digit, not punctuation)
TOP_WORDS = 8  # words shown per topic (per end of an LSA direction)

ProgressFn = Callable[[int, int, float], None]  # (steps done, steps, seconds)


# Function words snownlp's list lacks though it has their longer forms (没有, 还是, 非常): the
# commonest adverbs, localisers and measure phrases of the embedded corpora. Without them 很, 不,
# 都 and 还 (each in 18-28% of the reviews) topped every LDA topic of the reviews, under a
# header saying the stopwords were left out. Content words as frequent (好, 说, 人, 看) stay.
EXTRA_STOPWORDS: frozenset[str] = frozenset(
    "很 不 没 都 还 才 太 再 更 最 却 已 挺 "  # adverbs (degree, negation, time)
    "上 中 下 后 前 里 内 外 时 会 "  # localisers, a modal
    "一个 一点 一种 两 次 种 位 名".split()  # numerals and measure words
)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """snownlp's stopword list (``snownlp/normal/stopwords.txt``: Chinese function words,
    English ones, punctuation), lower-cased, with the function words it lacks
    (`EXTRA_STOPWORDS`)."""
    from core.datasets import _package_file  # found, not imported: `import snownlp` loads its models (5-6 s)

    path = _package_file("snownlp", "normal", "stopwords.txt")
    listed = frozenset(word.strip().lower() for word in path.read_text(encoding="utf-8").split() if word.strip())
    return listed | EXTRA_STOPWORDS


@dataclass(frozen=True)
class TopicSettings:
    """method: "lsa", "lda" or "doc2vec"; dim: LSA's singular directions / LDA's topics /
    Doc2Vec's vector size; min_count: rarer words are left out; max_doc_share: words in more
    than this share of the documents are left out too (LSA, LDA); passes: LDA's passes over
    the corpus, Doc2Vec's epochs (LSA has none); stopwords: leave out snownlp's stopwords
    (LSA, LDA); seed: the SVD's random start / LDA's / Doc2Vec's."""

    method: str = "lsa"
    dim: int = 100
    min_count: int = 5
    max_doc_share: float = 0.5
    passes: int = 5
    stopwords: bool = True
    seed: int = 0

    def validate(self) -> None:
        if self.method not in METHODS:
            raise RnnLabError("topics.bad_method", method=str(self.method)[:40], methods=", ".join(METHODS))
        check_int_settings(self, {"dim": (2, 500), "min_count": (1, 1000), "passes": (1, 50), "seed": (0, 2**31 - 1)})
        share = self.max_doc_share
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0.01 <= share <= 1.0:
            raise RnnLabError("emb.bad_setting", name="max_doc_share", low=0.01, high=1.0, value=str(share)[:40])


@dataclass
class DocumentTerms:
    """The document-term counts: ``matrix`` scipy CSR [documents, words] (documents with no
    kept word dropped), ``words`` most frequent first, ``counts`` their corpus frequencies."""

    matrix: Any
    words: list[str]
    counts: np.ndarray
    documents: int  # the corpus's documents, before the empty ones were dropped
    tokens: int  # the corpus's tokens, before anything was left out


def document_terms(documents: Sequence[Sequence[str]], min_count: int = 5, max_doc_share: float = 0.5, drop_stopwords: bool = True) -> DocumentTerms:
    """Count each kept word in each document. Kept: at least ``min_count`` times in the
    corpus, in at most ``max_doc_share`` of the documents, not a stopword (when
    ``drop_stopwords``), with a letter in it (numbers such as ０．５ are left out). Raises
    DataError when fewer than two words are left."""
    from scipy import sparse

    # every token to an id of the corpus's own vocabulary once, then numpy: per-document Counters
    # over 950,000 tokens took 4-6 s of LSA's 9 s on People's Daily
    vocab: dict[str, int] = {}
    ids = np.fromiter((vocab.setdefault(w, len(vocab)) for doc in documents for w in doc), dtype=np.int64)
    lengths = np.fromiter((len(doc) for doc in documents), dtype=np.int64, count=len(documents))
    doc_of = np.repeat(np.arange(len(documents)), lengths)
    words = list(vocab)
    counts = np.bincount(ids, minlength=len(words))
    full = sparse.csr_matrix((np.ones(len(ids)), (doc_of, ids)), shape=(len(documents), len(words)))
    full.sum_duplicates()  # [documents, every word]: the counts
    doc_freq = np.bincount(full.indices, minlength=len(words))
    stop = stopwords() if drop_stopwords else frozenset()
    limit = max_doc_share * len(documents)
    kept = [j for j, w in enumerate(words) if counts[j] >= min_count and doc_freq[j] <= limit and _LETTER.search(w) is not None and w.lower() not in stop]
    if len(kept) < 2:
        raise DataError("emb.topics_empty", min_count=min_count, share=f"{max_doc_share:.0%}", words=len(kept))
    kept.sort(key=lambda j: (-counts[j], words[j]))  # most frequent first, ties by the word: the same order everywhere
    matrix = full[:, kept]
    matrix = matrix[np.diff(matrix.indptr) > 0]  # the documents with at least one kept word
    matrix.sort_indices()
    return DocumentTerms(matrix, [words[j] for j in kept], counts[kept].astype(np.int64), len(documents), int(len(ids)))


def tfidf(matrix):
    """LSA's weighting of a CSR count matrix: ``(1 + log tf) * log(N / df)`` (a word in every
    document weighs 0)."""
    weighted = matrix.copy().astype(np.float64)
    weighted.data = 1.0 + np.log(weighted.data)
    df = np.bincount(weighted.indices, minlength=weighted.shape[1])
    idf = np.log(weighted.shape[0] / np.maximum(df, 1))
    return weighted.multiply(idf[None, :]).tocsr()


def _top(words: list[str], loadings: np.ndarray, k: int) -> list[str]:
    return [words[j] for j in np.argsort(-loadings, kind="stable")[:k]]


def _check_dim(settings: TopicSettings, terms: DocumentTerms) -> None:
    most = min(terms.matrix.shape) - 1
    if settings.dim > most:
        raise DataError("emb.topics_too_many", dim=settings.dim, most=most, docs=terms.matrix.shape[0], words=terms.matrix.shape[1])


def train_lsa(documents: Sequence[Sequence[str]], settings: TopicSettings | None = None, progress: ProgressFn | None = None, source: str = "") -> Vectors:
    """LSA word vectors (module docstring): the rows of ``V_k Σ_k`` of the TF-IDF
    document-term matrix's truncated SVD, most frequent word first. ``info["topics"]``: one
    entry per direction (largest singular value first) with its singular value, the share of
    the matrix's squared norm it holds, and its top words at both ends."""
    from scipy.sparse.linalg import svds

    s = settings or TopicSettings()
    s.validate()
    started = time.perf_counter()
    report = (lambda done: progress(done, 3, time.perf_counter() - started)) if progress else (lambda done: None)
    report(0)
    terms = document_terms(documents, s.min_count, s.max_doc_share, s.stopwords)
    _check_dim(s, terms)
    report(1)
    weighted = tfidf(terms.matrix)
    report(2)
    # ARPACK from a seeded start vector (random_state): the same directions in every process;
    # each direction's sign is fixed so that its largest loading is positive
    _, sigma, vt = svds(weighted, k=s.dim, random_state=s.seed)
    order = np.argsort(-sigma)
    sigma, vt = sigma[order], vt[order]
    signs = np.sign(vt[np.arange(len(vt)), np.argmax(np.abs(vt), axis=1)])
    vt = vt * signs[:, None]
    report(3)
    total = float(weighted.multiply(weighted).sum())
    topics = [
        {"topic": i + 1, "singular_value": float(sigma[i]), "share": float(sigma[i] ** 2 / total), "positive": _top(terms.words, vt[i], TOP_WORDS), "negative": _top(terms.words, -vt[i], TOP_WORDS)}
        for i in range(len(sigma))
    ]
    seconds = time.perf_counter() - started
    label = f"LSA on {source or 'documents'}: dim {s.dim}, {_count_settings(s)}"
    return Vectors(terms.words, (vt.T * sigma[None, :]).astype(np.float32), terms.counts, source=label, info=_info(s, terms, seconds, topics))


def train_lda(documents: Sequence[Sequence[str]], settings: TopicSettings | None = None, progress: ProgressFn | None = None, source: str = "") -> Vectors:
    """LDA word vectors (module docstring): each word's ``p(topic | word)`` over ``dim``
    topics, from gensim's LdaModel trained ``passes`` times over the documents (one
    ``update`` per pass, so that ``progress`` can report each). ``info["topics"]``: one
    entry per topic, numbered by its share of the corpus's words (topic 1 the largest, the
    vectors' first column), with its top words; ``info["perplexity"]``: gensim's per-word perplexity bound on the
    training documents, ``exp(-bound)``."""
    from gensim.models import LdaModel

    s = settings or TopicSettings(method="lda", dim=20)
    s.validate()
    started = time.perf_counter()
    terms = document_terms(documents, s.min_count, s.max_doc_share, s.stopwords)
    _check_dim(s, terms)
    matrix = terms.matrix
    corpus = [list(zip(matrix.indices[matrix.indptr[d]:matrix.indptr[d + 1]].tolist(), matrix.data[matrix.indptr[d]:matrix.indptr[d + 1]].tolist())) for d in range(matrix.shape[0])]
    id2word = dict(enumerate(terms.words))
    model = LdaModel(num_topics=s.dim, id2word=id2word, random_state=s.seed, alpha="symmetric", eta=None, chunksize=2000, iterations=50, dtype=np.float64)
    if progress:  # 0 passes done: the bar says how many there are while the first one runs (20 s on People's Daily)
        progress(0, s.passes, time.perf_counter() - started)
    for done in range(1, s.passes + 1):
        model.update(corpus, passes=1)
        if progress:
            progress(done, s.passes, time.perf_counter() - started)
    phi = model.get_topics()  # [topics, words], rows p(word | topic)
    # each topic's share of the corpus: the expected number of the corpus's tokens it generated
    # (one batch inference: get_document_topics, document by document, took twice as long)
    gamma, _ = model.inference(corpus)
    theta = gamma / gamma.sum(axis=1, keepdims=True)  # [documents, topics]
    lengths = np.asarray(matrix.sum(axis=1)).ravel()
    share = theta.T @ lengths / lengths.sum()
    bound = model.log_perplexity(corpus)  # nats per word (gensim's log line says 2**-bound; e**-bound is the perplexity)
    order = np.argsort(-share, kind="stable")  # topic 1 (the vectors' first column) the largest: gensim's numbering is arbitrary
    phi = phi[order]
    vectors = phi / phi.sum(axis=0, keepdims=True)  # p(topic | word) with equally likely topics
    topics = [{"topic": rank + 1, "share": float(share[k]), "positive": _top(terms.words, phi[rank], TOP_WORDS)} for rank, k in enumerate(order)]
    seconds = time.perf_counter() - started
    info = _info(s, terms, seconds, topics)
    info["perplexity"] = float(math.exp(-bound))
    label = f"LDA on {source or 'documents'}: {s.dim} topics, {s.passes} passes, {_count_settings(s)}"
    return Vectors(terms.words, vectors.T.astype(np.float32), terms.counts, source=label, info=info)


DOC2VEC_WINDOW = 5
DOC2VEC_NEGATIVE = 5
INFER_EPOCHS = 200  # a new text's vector: its own training passes (milliseconds for a sentence)
SHOWN_CHARS = 120  # a document's text as the page lists it


def document_text(words: Sequence[str], language: str = "zh", text: str | None = None) -> str:
    """A document as one line to read, at most `SHOWN_CHARS` characters: its `text` as written
    when known (whitespace runs as one space), else its words joined without spaces in
    Chinese, with them in English."""
    shown = " ".join(text.split()) if text is not None else ("" if language == "zh" else " ").join(words)
    return shown if len(shown) <= SHOWN_CHARS else shown[: SHOWN_CHARS - 1] + "…"


def train_doc2vec(
    documents: Sequence[Sequence[str]], settings: TopicSettings | None = None, progress: ProgressFn | None = None, source: str = "", language: str = "zh",
    texts: Sequence[str] | None = None,
) -> Vectors:
    """Doc2Vec PV-DM (module docstring) with gensim: ``dim`` dimensions, window 5, negative
    sampling 5, ``passes`` epochs, one worker (the same vectors for the same seed in every
    process). Returns the word vectors; ``info["doc_vectors"]`` [documents, dim] and
    ``info["doc_texts"]`` hold the training documents' vectors and their text (`texts`, one
    per document, as written, when given: the words alone lack the punctuation), and
    ``info["infer"]`` is a function from a list of words to a new document's vector."""
    from gensim.models.doc2vec import Doc2Vec, TaggedDocument

    from core.embeddings import _stable_hash, epoch_callback

    s = settings or TopicSettings(method="doc2vec", dim=100)
    s.validate()
    started = time.perf_counter()
    if texts is not None and len(texts) != len(documents):
        raise ValueError(f"{len(texts)} texts for {len(documents)} documents")
    kept_at = [i for i, doc in enumerate(documents) if doc]
    kept = [list(documents[i]) for i in kept_at]  # every word, numbers too: context, as in Word2Vec
    tokens = sum(len(doc) for doc in kept)
    if not kept:
        raise DataError("emb.topics_empty", min_count=s.min_count, share="100%", words=0)

    tagged = [TaggedDocument(doc, [i]) for i, doc in enumerate(kept)]
    model = Doc2Vec(vector_size=s.dim, window=DOC2VEC_WINDOW, min_count=s.min_count, dm=1, hs=0, negative=DOC2VEC_NEGATIVE, seed=s.seed, workers=1, hashfxn=_stable_hash)
    model.build_vocab(tagged)
    if len(model.wv) < 2:
        raise DataError("emb.topics_empty", min_count=s.min_count, share="100%", words=len(model.wv))
    model.train(tagged, total_examples=len(tagged), epochs=s.passes, callbacks=[epoch_callback(progress, s.passes, started)])
    wv = model.wv
    words = list(wv.index_to_key)
    counts = np.asarray([wv.get_vecattr(w, "count") for w in words], dtype=np.int64)
    seconds = time.perf_counter() - started
    lock = threading.Lock()  # infer_vector draws from the model's random state: one text at a time

    def infer(text_words: Sequence[str]) -> np.ndarray:
        with lock:
            model.random.seed(s.seed)  # the same text, the same vector
            # many more epochs than training's: a short text has few windows, and 10 gave documents
            # about cameras and space probes for 「银行利率下调，股市上涨」, 200 ones about stock markets
            return np.asarray(model.infer_vector(list(text_words), epochs=INFER_EPOCHS), dtype=np.float32)

    info = {
        "seconds": round(seconds, 2), "documents": len(kept), "corpus_documents": len(documents), "corpus_words": tokens,
        "kept_tokens": int(sum(int(c) for c in counts)),
        "topic_model": {**asdict(s), "stopwords": False},  # every word kept, whatever the settings say
        "doc_vectors": np.asarray(model.dv.vectors, dtype=np.float32), "doc_texts": [document_text(doc, language, None if texts is None else texts[i]) for i, doc in zip(kept_at, kept)], "infer": infer, "language": language,
    }
    label = f"Doc2Vec PV-DM on {source or 'documents'}: dim {s.dim}, window {DOC2VEC_WINDOW}, negative {DOC2VEC_NEGATIVE}, {s.passes} epochs, min_count {s.min_count}, seed {s.seed}"
    return Vectors(words, np.array(wv.vectors, dtype=np.float32), counts, source=label, info=info)


def nearest_documents(vectors: Vectors, query: np.ndarray, k: int = 5) -> "Any":
    """The ``k`` training documents of a Doc2Vec space nearest to a document vector, by cosine:
    a pandas table (rank, similarity, text, document index)."""
    import pandas as pd

    from core.embeddings import _top  # the word neighbours' top-k, best first

    docs = vectors.info["doc_vectors"]
    norms = np.linalg.norm(docs, axis=1) * max(float(np.linalg.norm(query)), 1e-12)
    scores = docs @ query / np.maximum(norms, 1e-12)
    top = _top(scores, k, ())
    return pd.DataFrame({"rank": np.arange(1, len(top) + 1), "cosine": scores[top].astype(float), "text": [vectors.info["doc_texts"][i] for i in top], "document": top + 1})


def _count_settings(s: TopicSettings) -> str:
    """The count models' (LSA, LDA) shared settings, as their spaces' source lines say them."""
    return f"min_count {s.min_count}, max_doc_share {s.max_doc_share:g}, stopwords {'left out' if s.stopwords else 'kept'}, seed {s.seed}"


def _info(s: TopicSettings, terms: DocumentTerms, seconds: float, topics: list[dict]) -> dict[str, Any]:
    return {
        "seconds": round(seconds, 2),
        "documents": int(terms.matrix.shape[0]),
        "corpus_documents": terms.documents,
        "corpus_words": terms.tokens,
        "kept_tokens": int(terms.matrix.sum()),
        "topics": topics,
        "topic_model": asdict(s),
    }


def train(
    documents: Sequence[Sequence[str]], settings: TopicSettings, progress: ProgressFn | None = None, source: str = "", language: str = "zh",
    texts: Sequence[str] | None = None,
) -> Vectors:
    """`train_lsa`, `train_lda` or `train_doc2vec`, as ``settings.method`` says (each checks
    the settings first, an unknown method included); `texts`, the documents as written, are
    what Doc2Vec shows of them."""
    if settings.method == "doc2vec":
        return train_doc2vec(documents, settings, progress, source, language, texts)
    return (train_lsa if settings.method == "lsa" else train_lda)(documents, settings, progress, source)


def topics_table(vectors: Vectors) -> "Any":
    """A space's topics as a pandas table (empty for a space that is not a topic model):
    topic, share of the corpus (LDA) or of the TF-IDF matrix's squared norm (LSA), top words;
    LSA adds the direction's other end."""
    import pandas as pd

    topics = vectors.info.get("topics") or []
    rows = [{"topic": t["topic"], "share": t["share"], "top_words": " ".join(t["positive"]), **({"other_end": " ".join(t["negative"])} if "negative" in t else {})} for t in topics]
    return pd.DataFrame(rows)
