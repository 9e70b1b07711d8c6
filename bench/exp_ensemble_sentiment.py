"""An experiment, not a benchmark: an ensemble of the shipped BiLSTM recipe's seeds (issue 5).

The runs are the recipe trained as usual, one per seed (seed 0 is the shipped folder):

    python -m core.train --preset shipped_sentiment_bilstm --set seed=N --run-dir DIR_N   # ~6 minutes each on 2 cores

Each run's ``model_best.keras`` scores the validation and test texts of the shared split through
the app's own path (`core.predict.SentimentPredictor`); the ensemble's P(positive) is the mean
of its members'. Printed: every member, then every combination of two or more, validation and
test accuracy (choose on validation). Figures and conclusion: bench/README.md (bench_sentiment).

    python -m bench.exp_ensemble_sentiment checkpoints/shipped/sentiment_bilstm DIR_1 DIR_2 ...
"""
from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

from bench.bench_sentiment import is_correct, load_split


def main(argv: list[str]) -> int:
    from core.predict import SentimentPredictor

    split = load_split()
    probs: dict[str, dict[str, np.ndarray]] = {}
    for folder in map(Path, argv):
        predictor = SentimentPredictor.from_run(folder)
        probs[str(folder)] = {part: np.asarray(predictor.predict(split[part][0])) for part in ("val", "test")}

    def accuracy(members: tuple[str, ...], part: str) -> float:
        return float(is_correct(np.mean([probs[m][part] for m in members], axis=0), split[part][1]).mean())

    names = list(probs)
    for k in range(1, len(names) + 1):
        for members in itertools.combinations(names, k):
            print(f"{k}  val {accuracy(members, 'val'):.4f}  test {accuracy(members, 'test'):.4f}  {' + '.join(Path(m).name for m in members)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
