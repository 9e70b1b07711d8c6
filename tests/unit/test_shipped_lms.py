"""The shipped lyrics language models (checkpoints/shipped/lyrics_*): complete, small folders that
load the way the Lyrics page loads them, generate text, and whose model cards agree with their runs.

Fast: three small `.keras` files and 20 generated characters each; no training, no corpus.
"""

from __future__ import annotations

import math
import re

import pytest

from core.generate import LanguageGenerator
from core.runs import RunDir, read_jsonl, shipped_dir
from core.shipped_lm import KEEP_FILES, SHIPPED_LYRICS

SHIPPED = tuple(SHIPPED_LYRICS)
MAX_FILE_BYTES = 10 * 1024 * 1024


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_folder_is_complete_and_small(name):
    folder = shipped_dir() / name
    run = RunDir(folder)
    config = run.config()
    assert config["task"] == "language_model"
    assert config["dataset"] == "lyrics" and config["tokenizer"] == "char"
    assert config["val_fraction"] == pytest.approx(0.1)
    assert run.status()["state"] == "done"
    for filename in KEEP_FILES:
        assert (folder / filename).is_file(), f"{name} lacks {filename}"
    for unwanted in ("tb", "batches.jsonl", "model_last.keras"):
        assert not (folder / unwanted).exists(), f"{name} should not ship {unwanted}"
    for path in folder.iterdir():
        assert path.stat().st_size < MAX_FILE_BYTES, f"{path} is too big for git"


def test_the_three_cells_have_the_same_size():
    models = [RunDir(shipped_dir() / name).config()["model"] for name in SHIPPED]
    assert sorted(m["cell"] for m in models) == ["gru", "lstm", "simple_rnn"]
    for key in ("units", "num_layers", "embedding_dim", "tie_embeddings", "dropout"):
        assert len({str(m[key]) for m in models}) == 1, key
    vocab_sizes = {RunDir(shipped_dir() / name).status()["vocab_size"] for name in SHIPPED}
    assert len(vocab_sizes) == 1


@pytest.mark.parametrize("name", SHIPPED)
def test_loads_like_the_lyrics_page_and_generates(name):
    gen = LanguageGenerator.from_run(shipped_dir() / name)  # model_best.keras with safe_mode=True
    result = gen.generate("分开", 20)
    sample = result.samples[0]
    assert result.prefix_text == "分开" and not result.unknown
    assert len(sample.steps) == 20 and len(sample.tokens) == 20
    assert sample.text.startswith("分开")
    assert all(0 < step.probability <= 1 for step in sample.steps)
    # the model is not uniform: greedy picks are far more likely than 1 / vocabulary
    assert sample.mean_probability > 10 / gen.vocab_size


@pytest.mark.parametrize("name", SHIPPED)
def test_card_matches_the_run(name):
    folder = shipped_dir() / name
    run = RunDir(folder)
    status = run.status()
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    match = re.search(r"^Held-out perplexity: ([0-9.]+)$", card, flags=re.M)
    assert match, "the card states its held-out perplexity"
    best = status["best"]
    from_status = math.exp(best["val_loss"])
    history = {row["epoch"]: row for row in read_jsonl(run.history_path)}
    from_history = history[best["epoch"]]["val_perplexity"]
    assert float(match.group(1)) == pytest.approx(from_status, abs=0.006)
    assert float(match.group(1)) == pytest.approx(from_history, abs=0.006)
    assert f"--preset {SHIPPED_LYRICS[name]}" in card
    assert "Kneser-Ney" in card
