"""Tiny character language models for the tests: a real (very short) training run on a small
made-up Chinese corpus written to a temporary file, so nothing needs a download."""

from __future__ import annotations

import time
from pathlib import Path

from core.runs import RunDir, write_json
from core.train import TrainConfig, run_training

LINES = [
    "我们分开以后天空还是很蓝", "你说分开就分开不回头", "不分开的夜晚风很温柔", "雨下在窗外我在等你回来",
    "分开的路口灯还亮着", "我把想念写在信里面", "天亮以后我们还要走", "不要说分开我还在这里",
    "风吹过海边的小镇", "你的笑容像阳光一样", "我们一起唱这首歌", "分开以后我学会了想念",
]
ENGLISH_LINES = ["the rain falls on the town", "we walk along the sea", "you sing and i listen", "the night is long and kind"]


def write_corpus(folder: Path, english: bool = False) -> Path:
    """A .txt corpus of a few hundred lines (line breaks included) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / ("corpus_en.txt" if english else "corpus.txt")
    path.write_text("\n".join((ENGLISH_LINES if english else LINES) * 20), encoding="utf-8")
    return path


def tiny_lm_config(corpus: Path, cell: str = "lstm", implementation: str = "layer", sampler: str = "random", tokenizer: str = "char", **model) -> TrainConfig:
    """Two epochs of a 16-unit model: seconds on two cores."""
    fields = {"cell": cell, "implementation": implementation, "units": 16, "embedding_dim": 8, **model}
    return TrainConfig.from_dict(
        {
            "task": "language_model",
            "dataset": f"upload:{corpus}",
            "tokenizer": tokenizer,
            "epochs": 2,
            "batch_size": 8,
            "num_steps": 10,
            "sampler": sampler,
            "sample_length": 5,
            "seed": 1,
            "model": fields,
        }
    )


def train_tiny_lm(folder: Path, config: TrainConfig) -> RunDir:
    """Train `config` into the run folder `folder` (created); the run must end "done"."""
    run = RunDir(folder)
    folder.mkdir(parents=True, exist_ok=False)
    write_json(run.config_path, config.to_dict())
    # its creation time, as RunStore.create records it: two runs made in the same second are listed
    # newest first by it (without, by the id's name: "older" came before "newer", a flaky test in CI)
    write_json(run.status_path, {"state": "created", "created": time.time(), "epoch": 0})
    status = run_training(config, run)
    assert status["state"] == "done", status.get("error")
    return run
