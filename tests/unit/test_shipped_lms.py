"""The shipped lyrics language models (checkpoints/shipped/lyrics_*): complete, small folders that
load the way the Lyrics page loads them, generate text, and whose model cards agree with their runs.

Fast: three small `.keras` files and 20 generated characters each; no training, no corpus.
"""

from __future__ import annotations

import math
import re

import pytest

from core import paths, shipped_lm
from core.generate import LanguageGenerator
from core.runs import RunDir, read_jsonl, shipped_dir
from core.shipped_lm import CARD_NAMES, KEEP_FILES, SHIPPED_LYRICS
from tests.unit.card_text import english_runs, figures_missing

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
    best = status["best"]
    from_status = math.exp(best["val_loss"])
    history = {row["epoch"]: row for row in read_jsonl(run.history_path)}
    from_history = history[best["epoch"]]["val_perplexity"]
    for lang, label in (("en", "Held-out perplexity: "), ("zh", "留出部分困惑度：")):
        card = (folder / CARD_NAMES[lang]).read_text(encoding="utf-8")
        match = re.search(rf"^{label}([0-9.]+)$", card, flags=re.M)
        assert match, f"the {lang} card states its held-out perplexity"
        assert float(match.group(1)) == pytest.approx(from_status, abs=0.006)
        assert float(match.group(1)) == pytest.approx(from_history, abs=0.006)
        assert f"--preset {SHIPPED_LYRICS[name]}" in card
        assert "Kneser-Ney" in card


@pytest.mark.parametrize("name", SHIPPED)
def test_only_the_lstm_meets_the_goal_that_names_the_lstm(name):
    # the GRU's card said "The project's goal for the shipped language models (the LSTM beats the
    # Kneser-Ney 5-gram ...) is met by this model": a goal about the LSTM, met by a GRU
    cell = RunDir(shipped_dir() / name).config()["model"]["cell"]
    english, chinese = ((shipped_dir() / name / CARD_NAMES[lang]).read_text(encoding="utf-8") for lang in ("en", "zh"))
    assert ("is met by this model" in english) == ("达到了本项目" in chinese)
    if cell != "lstm":
        assert "is met by this model" not in english


@pytest.fixture(scope="module")
def written_now():
    """Both cards of each shipped language model as `python -m core.shipped_lm card` writes them
    today, from one `card_facts` (no file written)."""
    bench = shipped_lm.load_bench(paths.PROJECT_ROOT / shipped_lm.BENCH_JSON)
    cards = {}
    for name in SHIPPED:
        facts = shipped_lm.card_facts(shipped_dir() / name, bench)
        cards[name] = {lang: shipped_lm.render_card(facts, lang) for lang in CARD_NAMES}
    return cards


@pytest.mark.parametrize("name", SHIPPED)
def test_the_committed_cards_are_what_the_generator_writes(written_now, name):
    # regenerate with the command in the card's first comment: python -m core.shipped_lm card checkpoints/shipped/<name> --bench ...
    for lang, card_name in CARD_NAMES.items():
        committed = (shipped_dir() / name / card_name).read_text(encoding="utf-8")
        assert committed == written_now[name][lang], f"{name}/{card_name} is out of date: run the command in its first comment"


@pytest.mark.parametrize("name", SHIPPED)
def test_the_chinese_card_states_every_figure_of_the_english_one(name):
    folder = shipped_dir() / name
    english, chinese = ((folder / CARD_NAMES[lang]).read_text(encoding="utf-8") for lang in ("en", "zh"))
    assert not figures_missing(english, chinese), f"figures of MODEL_CARD.md missing from MODEL_CARD.zh.md: {dict(figures_missing(english, chinese))}"


@pytest.mark.parametrize("name", SHIPPED)
def test_the_chinese_card_is_written_in_chinese(name):
    chinese = (shipped_dir() / name / CARD_NAMES["zh"]).read_text(encoding="utf-8")
    assert not english_runs(chinese), english_runs(chinese)
    assert english_runs((shipped_dir() / name / CARD_NAMES["en"]).read_text(encoding="utf-8")), "the check finds English prose"
