"""bench_training's own measuring tools: the engine-hook accounting and the intervals it reports.

The benchmark's figures are not asserted (benchmarks report, they do not fail); what is
tested is that the instruments measure what their names say.
"""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from bench import bench_training  # noqa: E402
from core import train  # noqa: E402
from core.models import ModelConfig  # noqa: E402
from core.train import TrainConfig  # noqa: E402


def test_bootstrap_ratio_covers_the_true_ratio_and_narrows_with_more_epochs():
    rng = np.random.default_rng(1)
    true_ratio = 0.9
    few = bench_training.bootstrap_ratio(list(true_ratio * rng.lognormal(0, 0.2, 6)), list(rng.lognormal(0, 0.2, 6)))
    many = bench_training.bootstrap_ratio(list(true_ratio * rng.lognormal(0, 0.2, 400)), list(rng.lognormal(0, 0.2, 400)))
    assert few[0] < true_ratio < few[1]
    assert many[0] < true_ratio < many[1]
    assert many[1] - many[0] < (few[1] - few[0]) / 3
    # identical samples: the interval is the point itself
    assert bench_training.bootstrap_ratio([2.0] * 5, [4.0] * 5) == pytest.approx((0.5, 0.5))
    assert bench_training.bootstrap_median([3.0, 3.0, 3.0]) == pytest.approx((3.0, 3.0))


def test_engine_epochs_times_the_engines_hooks_inside_each_epoch_and_restores_them(monkeypatch):
    """The accounting wraps RunMonitor's hooks for one run: a hook made 0.2 s slower shows up
    as 0.2 s more hook time in every epoch, the epochs are timed, and the class is left as it was."""
    import time

    originals = {name: getattr(train.RunMonitor, name) for name in (*bench_training.ENGINE_HOOKS, "close")}
    slow_epoch_end = originals["epoch_end"]

    def epoch_end(monitor, *args, **kwargs):
        time.sleep(0.2)
        return slow_epoch_end(monitor, *args, **kwargs)

    monkeypatch.setattr(train.RunMonitor, "epoch_end", epoch_end)
    config = TrainConfig(
        task="sentiment", dataset="chinese_reviews", max_train_texts=200, maxlen=20, epochs=3, early_stopping_patience=None,
        model=ModelConfig(cell="gru", units=8, embedding_dim=8, mask_zero=True),
    )
    seconds, hooks = bench_training._engine_epochs(config)
    assert len(seconds) == len(hooks) == 3
    for epoch_s, hook_s in zip(seconds, hooks):
        assert 0.2 <= hook_s < epoch_s
    assert train.RunMonitor.epoch_end is epoch_end  # the test's own patch, put back by the benchmark
    for name in ("epoch_begin", "batch_end", "test_batch_end", "close"):
        assert getattr(train.RunMonitor, name) is originals[name]
