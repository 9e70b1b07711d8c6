"""An experiment, not a benchmark: train the shipped BiLSTM recipe without the training texts whose label looks wrong (issue 5).

Confident learning in its simplest form (Northcutt et al. 2021, "prune by noise rate" reduced
to one threshold): out-of-fold probabilities for every *training* text from the TF-IDF
baseline of bench_sentiment (character 1-3-grams, logistic regression, C = 16), 5 folds,
seeded; a training text whose out-of-fold probability of its own label is below TAU is left
out. Validation and test are untouched, so the figures compare with the plain recipe's.
Everything else is `python -m core.train --preset shipped_sentiment_bilstm --set seed=SEED`
(same split, vocabulary from the kept training texts, Word2Vec start, model, early stopping,
run folder): `core.train._text_parts` is patched from here, the product is unchanged.
Figures and conclusion: bench/README.md (bench_sentiment).

    python -m bench.exp_clean_sentiment SEED TAU RUN_DIR      # e.g. 0 0.1 /tmp/clean_s0; ~6 minutes on 2 cores
"""
import sys

import numpy as np

import core.train as T


def out_of_fold_own_label(texts: list[str], labels: np.ndarray, folds: int = 5, seed: int = 0) -> np.ndarray:
    """P(the text's own label) from a TF-IDF + logreg model that did not see the text."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    order = np.random.default_rng(seed).permutation(len(texts))
    own = np.empty(len(texts))
    for k in range(folds):
        held = order[k::folds]
        fit = np.setdiff1d(order, held)
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        a_fit = vectorizer.fit_transform([texts[i] for i in fit])
        model = LogisticRegression(C=16, solver="liblinear", max_iter=1000).fit(a_fit, labels[fit])
        p = model.predict_proba(vectorizer.transform([texts[i] for i in held]))[:, 1]
        own[held] = np.where(labels[held] == 1, p, 1 - p)
    return own


def main() -> int:
    seed, tau, run_dir = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    text_parts = T._text_parts

    def cleaned(ds, config, rng):
        parts, source = text_parts(ds, config, rng)
        texts, labels = parts["train"]
        own = out_of_fold_own_label(texts, np.asarray(labels))
        keep = np.flatnonzero(own >= tau)
        print(f"label cleaning: tau {tau:g}, {len(texts) - len(keep)} of {len(texts)} training texts left out "
              f"({np.mean(np.asarray(labels)[own < tau]) if len(keep) < len(texts) else float('nan'):.2f} of them positive)", flush=True)
        parts["train"] = ([texts[i] for i in keep], np.asarray(labels)[keep])
        return parts, source

    T._text_parts = cleaned
    return T.main(["--preset", "shipped_sentiment_bilstm", "--set", f"seed={seed}", "--run-dir", run_dir])


if __name__ == "__main__":
    sys.exit(main())
