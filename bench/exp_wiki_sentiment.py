"""An experiment, not a benchmark: Chinese Wikipedia word vectors for the shipped BiLSTM recipe (issue 5).

The vectors: ``words.vector`` of the ``synonyms`` package 3.10.2 on PyPI (MIT; word2vec binary,
125,796 jieba words x 100, fitted on Chinese Wikipedia; the package dropped its stopwords,
so 的 / 不 / 很 / 好 / 但是 are missing). Convert once with

    python -m bench.exp_wiki_sentiment convert words.vector /tmp/wiki/wiki.npy

Trains `shipped_sentiment_bilstm` exactly as `python -m core.train` does (same split, vocabulary,
Word2Vec on the training texts + People's Daily, model, early stopping, run folder), except that
the Embedding starts from [Word2Vec 64 | Wikipedia 100] (164 dimensions): the Wikipedia part is
scaled so its mean row norm equals the Word2Vec part's, and is zero for words it lacks. Patched
in from here (``core.train._word2vec_matrix``), so the product is unchanged.

    python -m bench.exp_wiki_sentiment train SEED NPY RUN_DIR   # ~6-8 minutes on 2 cores
"""
import dataclasses
import sys
from pathlib import Path

import numpy as np

import core.train as T
from core import embeddings


def convert(src: str, dst: str) -> None:
    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(src, binary=True, unicode_errors="ignore")
    embeddings.save_vectors(embeddings.Vectors(list(kv.index_to_key), kv.vectors.astype(np.float32), source=f"{Path(src).name} (synonyms 3.10.2)"), Path(dst))


def train(seed: int, npy: str, run_dir: str) -> int:
    wiki = embeddings.load_vectors(Path(npy))
    original = T._word2vec_matrix

    def word2vec_matrix(config, run, data, log):
        small = dataclasses.replace(config, model=dataclasses.replace(config.model, embedding_dim=64))
        base = original(small, run, data, log)
        tokens, _ = embeddings.vocab_tokens(data.vocab_json)
        extra, covered = embeddings.embedding_matrix_for(tokens, wiki, seed=config.seed)
        extra[~covered] = 0.0
        scale = np.linalg.norm(base[2:], axis=1).mean() / np.linalg.norm(extra[covered], axis=1).mean()
        log(f"wiki: {int(covered.sum())} of {len(tokens)} rows, scaled by {scale:.4f}")
        return np.concatenate([base, extra * scale], axis=1).astype(np.float32)

    T._word2vec_matrix = word2vec_matrix
    return T.main(["--preset", "shipped_sentiment_bilstm", "--set", f"seed={seed}", "--set", "model.embedding_dim=164", "--run-dir", run_dir])


if __name__ == "__main__":
    if sys.argv[1] == "convert":
        convert(sys.argv[2], sys.argv[3])
        sys.exit(0)
    sys.exit(train(int(sys.argv[2]), sys.argv[3], sys.argv[4]))
