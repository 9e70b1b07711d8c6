"""core.generate on real tiny runs: greedy is the model's own argmax, the one-step states are the
full-sequence states, sampling is repeatable and stays inside top-k / top-p, the prefix rules,
the limits, the inspection of hidden states and gates, and the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import text as textlib
from core.errors import RnnLabError
from core.generate import (
    MAX_LENGTH,
    MAX_SAMPLES,
    LanguageGenerator,
    LayerTrace,
    SamplingSettings,
    StateTrace,
    _Stepper,
    draw,
    main,
    pattern_positions,
    recompute_cell,
    restore_line_breaks,
    sampling_distribution,
    softmax,
    steps_table,
    units_reacting_to,
)
from core.gates import SIGMOID_GATES
from core.models import reset_states
from core.runs import RunDir, write_json
from core.train import load_run_model
from tests.tiny_lm import tiny_lm_config, train_tiny_lm, write_corpus

RUNS = {
    # name: (cell, implementation, sampler, model extras)
    "lstm2_layer_consecutive": ("lstm", "layer", "consecutive", {"num_layers": 2}),
    "gru_scratch": ("gru", "scratch", "random", {}),
    "rnn_keras_cell_onehot": ("simple_rnn", "keras_cell", "random", {"embedding_dim": 0}),
    # the T4 model's shape with its output layer in bfloat16 (trained by core.fused)
    "rnn_scratch_bf16_output": ("simple_rnn", "scratch", "consecutive", {"embedding_dim": 0, "output_precision": "bfloat16"}),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, RunDir]:
    root = tmp_path_factory.mktemp("lm")
    corpus = write_corpus(root / "data")
    out = {}
    for name, (cell, impl, sampler, extra) in RUNS.items():
        out[name] = train_tiny_lm(root / name, tiny_lm_config(corpus, cell, impl, sampler, **extra))
    out["word_lstm"] = train_tiny_lm(root / "word_lstm", tiny_lm_config(write_corpus(root / "data", english=True), "lstm", "scratch", tokenizer="word"))
    return out


@pytest.fixture(scope="module")
def generators(runs) -> dict[str, LanguageGenerator]:
    return {name: LanguageGenerator.from_run(run.path) for name, run in runs.items()}


def _own_forward_logits(run: RunDir, ids: list[int]) -> np.ndarray:
    """The trained model itself (as saved: stateful with batch 8, or a fixed length for keras_cell) on ids -> logits [steps, vocab]."""
    model = load_run_model(run.best_model_path if run.best_model_path.exists() else run.last_model_path)
    batch = model.inputs[0].shape[0] or 1
    reset_states(model)
    x = np.tile(np.asarray(ids, dtype=np.int32), (batch, 1))
    return np.asarray(model(x, training=False))[0]


# --------------------------------------------------------------------------- the model's own maths


@pytest.mark.parametrize("name", list(RUNS))
def test_greedy_equals_argmax_of_the_models_own_forward_pass(runs, generators, name):
    gen = generators[name]
    # prefix 2 + 9 generated = 11 ids; the model reads the first 10 (the keras_cell model's fixed length)
    out = gen.generate("分开", 9, SamplingSettings("greedy"))
    ids = gen.sample_ids(out)
    assert out.prefix_tokens == ["分", "开"] and len(ids) == 11
    logits = _own_forward_logits(runs[name], ids[:-1])
    expected = np.argmax(logits[1:, 1:], axis=1) + 1  # from the last prefix position on; <pad> is never generated
    assert out.samples[0].ids == expected.tolist()
    # the probabilities reported are the model's softmax at those positions
    probs = softmax(logits[1:])
    np.testing.assert_allclose([s.probability for s in out.samples[0].steps], probs[np.arange(9), expected], rtol=1e-4, atol=1e-6)


ONE_GRAPH_SETTINGS = [
    SamplingSettings("greedy"),
    SamplingSettings("temperature", temperature=1.0, seed=3),
    SamplingSettings("temperature", temperature=0.4, seed=11),
    SamplingSettings("top_k", top_k=5, temperature=1.3, seed=7),
    SamplingSettings("top_k", top_k=1, seed=2),
    SamplingSettings("top_p", top_p=0.9, seed=5),
    SamplingSettings("top_p", top_p=0.3, temperature=2.0, seed=9),
    SamplingSettings("greedy", avoid_unk=True),
    SamplingSettings("top_k", top_k=3, temperature=2.0, seed=4, avoid_unk=True),
    SamplingSettings("top_p", top_p=0.95, temperature=3.0, seed=6, avoid_unk=True),
]


@pytest.mark.parametrize("name", list(RUNS))
def test_the_one_graph_continuation_equals_the_per_token_loop(generators, name, monkeypatch):
    """Without recorded states the whole continuation runs in one tf.while_loop; with
    record_states=True the same generator steps token by token from Python, drawing from
    `sampling_distribution` with `draw`. For every strategy both must give the same tokens
    (the same seed, so the same uniforms), probabilities, sampling probabilities and top
    candidates, for one row and for several."""
    from core import generate as generate_module

    calls = []
    one_graph = generate_module._Stepper.continuation

    def counted(stepper, logits, length, settings, uniforms=None, banned=None):
        calls.append((settings.strategy, length))
        return one_graph(stepper, logits, length, settings, uniforms, banned)

    monkeypatch.setattr(generate_module._Stepper, "continuation", counted)
    gen = generators[name]
    expected_calls = []
    for settings in ONE_GRAPH_SETTINGS:
        for n in (1, 3):
            fast = gen.generate("分开", 30, settings, n_samples=n)
            expected_calls.append((settings.strategy, 30))
            slow = gen.generate("分开", 30, settings, n_samples=n, record_states=True)
            assert slow.states is not None and fast.states is None
            for a, b in zip(fast.samples, slow.samples, strict=True):
                assert a.ids == b.ids and a.text == b.text, (settings, n)
                for x, y in zip(a.steps, b.steps, strict=True):
                    assert [c.id for c in x.top] == [c.id for c in y.top]
                    assert x.probability == pytest.approx(y.probability, rel=1e-5, abs=1e-7)
                    assert x.sampling_probability == pytest.approx(y.sampling_probability, rel=1e-9, abs=1e-12)
                    assert x.id != 0  # <pad> is never generated
                    assert not (settings.avoid_unk and x.id == textlib.UNK_ID)
            if settings.strategy == "greedy":
                assert all(step.sampling_probability == 1.0 for sample in fast.samples for step in sample.steps)
            if settings.strategy == "top_k" and settings.top_k == 1:  # top-1 sampling is greedy
                greedy = gen.generate("分开", 30, SamplingSettings("greedy"), n_samples=n)
                expected_calls.append(("greedy", 30))
                assert [s.ids for s in fast.samples] == [s.ids for s in greedy.samples]
    assert calls == expected_calls, "one graph call per generation without states, none with them"
    other_seed = gen.generate("分开", 30, SamplingSettings("temperature", seed=4), n_samples=3)
    same_seed = gen.generate("分开", 30, SamplingSettings("temperature", seed=3), n_samples=3)
    assert [s.ids for s in same_seed.samples] == [s.ids for s in gen.generate("分开", 30, SamplingSettings("temperature", seed=3), n_samples=3).samples]
    assert [s.ids for s in other_seed.samples] != [s.ids for s in same_seed.samples], "another seed, other samples"


def test_the_command_line_never_writes_unk_by_default_as_the_page(runs, capsys):
    # the Lyrics page's "Never write <unk>" is on by default; the CLI had it off unless asked
    from core import generate as cli

    args = ["--run-dir", str(runs["gru_scratch"].path), "--prefix", "分开", "--length", "200", "--samples", "8",
            "--strategy", "temperature", "--temperature", "3", "--seed", "1", "--json"]
    unknowns = {}
    for extra in ([], ["--no-avoid-unk"]):
        assert cli.main(args + extra) == 0
        printed = json.loads(capsys.readouterr().out)
        unknowns[bool(extra)] = sum(sample["text"].count(textlib.UNK) for sample in printed["samples"])
    assert unknowns == {False: 0, True: unknowns[True]} and unknowns[True] > 0, unknowns


def test_avoid_unk_never_writes_the_unknown_token_and_renormalises_over_the_rest(generators):
    gen = generators["gru_scratch"]
    hot = dict(strategy="temperature", temperature=3.0, seed=1)  # flat enough that the model's small <unk> mass gets drawn
    free = gen.generate("分开", 200, SamplingSettings(**hot), n_samples=8)
    assert sum(s.ids.count(textlib.UNK_ID) for s in free.samples) > 0, "the check below must be able to fail"
    kept = gen.generate("分开", 200, SamplingSettings(**hot, avoid_unk=True), n_samples=8)
    assert all(textlib.UNK_ID not in s.ids for s in kept.samples)
    # the sampled distribution is the model's (at that temperature) without <pad> and <unk>, renormalised
    logits = np.log([[0.5, 0.3, 0.15, 0.05]])  # <pad>, <unk>, two tokens
    p = sampling_distribution(logits, SamplingSettings("temperature", avoid_unk=True), SamplingSettings(avoid_unk=True).banned_ids(4))
    np.testing.assert_allclose(p, [[0.0, 0.0, 0.75, 0.25]])
    greedy = sampling_distribution(logits, SamplingSettings("greedy"), SamplingSettings(avoid_unk=True).banned_ids(4))
    assert greedy.tolist() == [[0.0, 0.0, 1.0, 0.0]]  # <unk> was the argmax
    assert SamplingSettings(avoid_unk=True).banned_ids(2) == (textlib.PAD_ID,), "a vocabulary of <pad> and <unk> only keeps <unk>"
    with pytest.raises(RnnLabError) as info:
        SamplingSettings(avoid_unk="yes").validate()
    assert info.value.key == "generate.bad_avoid_unk"


@pytest.mark.parametrize("name", list(RUNS))
def test_one_step_states_equal_the_full_sequence_states(generators, name):
    gen = generators[name]
    out = gen.generate("我们分开", 40, SamplingSettings("top_k", top_k=5, seed=7), n_samples=3, record_states=True)
    assert len(out.states) == 40
    for i in range(3):
        trace = gen.trace(gen.sample_ids(out, i))
        start = len(out.prefix_ids) - 1  # generated token k is predicted from the state after reading position start + k
        for layer in trace.layers:
            h_steps = np.stack([s[f"{layer.name}/h"][i] for s in out.states])
            np.testing.assert_allclose(h_steps, layer.h[start : start + 40], atol=1e-5)
            if layer.cell == "lstm":
                c_steps = np.stack([s[f"{layer.name}/c"][i] for s in out.states])
                np.testing.assert_allclose(c_steps, layer.c[start : start + 40], atol=1e-5)


@pytest.mark.parametrize("name", list(RUNS))
def test_gates_recomputed_from_the_weights_give_back_h(generators, name):
    gen = generators[name]
    ids = gen.encode_prefix("我们分开以后天空还是很蓝 你说")[1]
    trace = gen.trace(ids)
    x = gen._token_features(np.asarray(ids))
    for layer in trace.layers:
        _, gates, h = recompute_cell(layer.cell, gen._weights[layer.name], x, layer.h)
        np.testing.assert_allclose(h, layer.h, atol=1e-5)
        expected = {"lstm": ["i", "f", "g", "o"], "gru": ["z", "r", "n"], "simple_rnn": []}[layer.cell]
        assert list(layer.gates) == expected == list(gates)  # Keras's column order
        for name_, values in layer.gates.items():
            assert values.shape == (len(ids), layer.units)
            if name_ in SIGMOID_GATES:  # sigmoid: [0, 1]
                assert values.min() >= 0 and values.max() <= 1
            else:  # the tanh candidates g and n: signed, and they do go below 0 here
                assert name_ in ("g", "n") and values.min() < 0 and values.max() <= 1 and values.min() >= -1
        x = layer.h
    assert trace.probabilities.shape == (len(ids) - 1,)


def test_warm_up_is_one_call_then_one_graph_call_or_one_token_per_call(generators, monkeypatch):
    """The prefix is read in one call; then the continuation is one graph call, or, when every
    step's state is recorded, one call per generated token."""
    shapes = []
    original = _Stepper.advance

    def spy(self, ids):
        shapes.append(np.asarray(ids).shape)
        return original(self, ids)

    monkeypatch.setattr(_Stepper, "advance", spy)
    generators["gru_scratch"].generate("我们分开以后", 6, SamplingSettings("temperature", seed=1), n_samples=2, record_states=True)
    assert shapes == [(2, 6)] + [(2, 1)] * 5
    shapes.clear()
    generators["gru_scratch"].generate("我们分开以后", 6, SamplingSettings("temperature", seed=1), n_samples=2)
    assert shapes == [(2, 6)]


# --------------------------------------------------------------------------- sampling


def test_sampling_is_repeatable_for_a_seed(generators):
    gen = generators["gru_scratch"]
    for strategy in ("temperature", "top_k", "top_p"):
        settings = SamplingSettings(strategy, temperature=1.5, top_k=20, top_p=0.95, seed=11)
        a = gen.generate("分开", 30, settings, n_samples=3)
        b = gen.generate("分开", 30, settings, n_samples=3)
        assert [s.ids for s in a.samples] == [s.ids for s in b.samples]
        c = gen.generate("分开", 30, SamplingSettings(strategy, temperature=1.5, top_k=20, top_p=0.95, seed=12), n_samples=3)
        assert [s.ids for s in a.samples] != [s.ids for s in c.samples]
        assert len({tuple(s.ids) for s in a.samples}) > 1, "the samples of one batch differ"


@pytest.mark.parametrize("record_states", [False, True])
def test_a_sample_is_the_same_text_whatever_the_number_of_samples_asked(generators, record_states):
    """The Lyrics page's side-by-side asks each model for one sample with the page's seed and called
    it "the same seed" as the text above; with three samples above, the chosen model's column was
    none of them (the draws were shaped (length, n)). Each sample draws from its own stream."""
    gen = generators["gru_scratch"]
    settings = SamplingSettings("temperature", temperature=1.5, seed=5)
    three = gen.generate("分开", 30, settings, n_samples=3, record_states=record_states)
    one = gen.generate("分开", 30, settings, n_samples=1, record_states=record_states)
    assert three.samples[0].ids == one.samples[0].ids
    assert len({tuple(s.ids) for s in three.samples}) == 3, "three different samples"
    five = gen.generate("分开", 30, settings, n_samples=5, record_states=record_states)
    assert [s.ids for s in five.samples[:3]] == [s.ids for s in three.samples]


def test_greedy_samples_are_all_the_same(generators):
    out = generators["gru_scratch"].generate("分开", 20, SamplingSettings("greedy", seed=3), n_samples=3)
    assert len({tuple(s.ids) for s in out.samples}) == 1
    assert all(s.sampling_probability == 1.0 for s in out.samples[0].steps)


def test_top_k_never_emits_outside_the_top_k(generators):
    gen = generators["lstm2_layer_consecutive"]
    out = gen.generate("分开", 60, SamplingSettings("top_k", top_k=3, temperature=3.0, seed=5), n_samples=4)
    for sample in out.samples:
        for step in sample.steps:
            assert step.id in [c.id for c in step.top[:3]]
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(50, 40)) * 3
    for k in (1, 4, 10):
        p = sampling_distribution(logits, SamplingSettings("top_k", top_k=k))
        assert ((p > 0).sum(axis=1) == k).all()
        top = np.argsort(-np.where(np.arange(40) == 0, -np.inf, logits), axis=1)[:, :k]  # id 0 (<pad>) is banned
        assert all(set(np.flatnonzero(p[r])) == set(top[r]) for r in range(50))
        picked = draw(p, rng)
        assert all(picked[r] in top[r] for r in range(50))
    # ties at the k-th place (frequent with bfloat16 logits, which keep 8 significant bits):
    # the lower id is kept, as tf.math.top_k does in the one-graph continuation
    tied = np.array([[0.0, 1.0, 2.0, 2.0, 2.0, 3.0]])
    p = sampling_distribution(tied, SamplingSettings("top_k", top_k=3))
    assert np.flatnonzero(p[0]).tolist() == [2, 3, 5]


@pytest.mark.parametrize("top_p", [0.1, 0.5, 0.9, 0.99, 1.0])
def test_top_p_keeps_the_fewest_tokens_whose_mass_reaches_p(top_p):
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(40, 30)) * 2
    settings = SamplingSettings("top_p", top_p=top_p, temperature=1.0)
    p = sampling_distribution(logits, settings)
    full = softmax(np.where(np.arange(30) == 0, -np.inf, logits))
    for r in range(40):
        kept = np.flatnonzero(p[r])
        mass = full[r, kept].sum()
        assert mass >= top_p - 1e-9, "the kept mass reaches p"
        assert mass - full[r, kept].min() < top_p, "without its least likely token it would not"
        assert full[r, kept].min() >= full[r, np.setdiff1d(np.arange(1, 30), kept)].max(initial=0), "the most likely ones are kept"
        np.testing.assert_allclose(p[r, kept], full[r, kept] / mass)


def test_temperature_sharpens_and_flattens():
    logits = np.array([[0.0, 1.0, 2.0, 3.0]])
    cold = sampling_distribution(logits, SamplingSettings("temperature", temperature=0.5))
    hot = sampling_distribution(logits, SamplingSettings("temperature", temperature=2.0))
    assert cold[0, 0] == 0 and hot[0, 0] == 0  # <pad> banned
    assert cold[0, 3] > softmax(logits[:, 1:])[0, 2] > hot[0, 3]


def test_draw_never_picks_a_zero_probability_token():
    p = np.zeros((1000, 5))
    p[:, 2] = 0.3
    p[:, 4] = 0.7
    picked = draw(p, np.random.default_rng(0))
    assert set(picked) == {2, 4}
    assert abs((picked == 4).mean() - 0.7) < 0.06


# --------------------------------------------------------------------------- the prefix and the limits


def test_unknown_prefix_characters(generators):
    gen = generators["gru_scratch"]
    dropped = gen.generate("分开Ⅷ", 5)
    assert dropped.unknown == ["Ⅷ"] and dropped.prefix_tokens == ["分", "开"] and dropped.policy == "drop"
    mapped = gen.generate("分开Ⅷ", 5, unknown="unk")
    assert mapped.prefix_tokens == ["分", "开", "Ⅷ"] and mapped.prefix_ids[-1] == textlib.UNK_ID
    assert mapped.samples[0].text.startswith("分开Ⅷ")
    with pytest.raises(RnnLabError) as err:
        gen.generate("分开ⅧⅨ", 5, unknown="error")
    assert err.value.key == "generate.unknown_prefix" and "Ⅷ Ⅸ" in err.value.message("en")


def test_empty_prefix_starts_from_a_space_or_a_chosen_character(generators):
    gen = generators["gru_scratch"]
    out = gen.generate("", 5)
    assert out.start_token == " " and out.prefix_tokens == [" "]
    assert gen.generate("ⅧⅨ", 5).start_token == " "  # everything dropped: the same
    assert gen.generate("", 5, start="我").prefix_tokens == ["我"]
    with pytest.raises(RnnLabError) as err:
        gen.generate("", 5, start="Ⅷ")
    assert err.value.key == "generate.bad_start"


@pytest.mark.parametrize(
    "kwargs, key",
    [
        ({"length": 0}, "generate.bad_length"),
        ({"length": MAX_LENGTH + 1}, "generate.bad_length"),
        ({"n_samples": 0}, "generate.bad_samples"),
        ({"n_samples": MAX_SAMPLES + 1}, "generate.bad_samples"),
        ({"settings": SamplingSettings("beam")}, "generate.bad_strategy"),
        ({"settings": SamplingSettings("temperature", temperature=0)}, "generate.bad_temperature"),
        ({"settings": SamplingSettings("top_k", top_k=0)}, "generate.bad_top_k"),
        ({"settings": SamplingSettings("top_p", top_p=0)}, "generate.bad_top_p"),
        ({"settings": SamplingSettings(seed=-1)}, "generate.bad_seed"),
        ({"unknown": "ignore"}, "generate.bad_policy"),
    ],
)
def test_out_of_range_requests_are_refused_with_a_message(generators, kwargs, key):
    args = {"prefix": "分开", "length": 10, **kwargs}
    with pytest.raises(RnnLabError) as err:
        generators["gru_scratch"].generate(**args)
    assert err.value.key == key
    assert err.value.message("zh") != key and err.value.message("en") != key


def test_word_level_runs_join_words_with_spaces(generators):
    gen = generators["word_lstm"]
    assert gen.tokenizer == "word" and gen.joiner == " "
    out = gen.generate("The rain", 8, SamplingSettings("top_k", top_k=3, seed=2))
    assert out.prefix_tokens == ["the", "rain"]
    sample = out.samples[0]
    assert sample.text == " ".join(["the", "rain"] + sample.tokens)
    assert restore_line_breaks(sample.text, "word") == sample.text


def test_restore_line_breaks_and_steps_table(generators):
    assert restore_line_breaks("分开 你说", "char") == "分开\n你说"
    out = generators["gru_scratch"].generate("分开", 12)
    table = steps_table(out.samples[0])
    assert list(table.columns) == ["step", "token", "probability", "candidate_1", "candidate_2", "candidate_3", "candidate_4", "candidate_5"]
    assert len(table) == 12 and table["probability"].between(0, 1).all()
    first = out.samples[0].steps[0]
    assert [c.probability for c in first.top] == sorted((c.probability for c in first.top), reverse=True)
    assert first.top[0].id == first.id  # greedy picks the most likely


def test_a_sentiment_run_or_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(RnnLabError) as err:  # a mistyped folder: it was "not a language model"
        LanguageGenerator.from_run(tmp_path / "no-such-run")
    assert err.value.key == "runs.no_run_folder" and "no-such-run" in str(err.value)
    folder = tmp_path / "sent"
    folder.mkdir()
    write_json(folder / "config.json", {"task": "sentiment"})
    with pytest.raises(RnnLabError) as err:
        LanguageGenerator.from_run(folder)
    assert err.value.key == "generate.not_language_model"
    write_json(folder / "config.json", {"task": "language_model"})
    with pytest.raises(RnnLabError) as err:
        LanguageGenerator.from_run(folder)
    assert err.value.key == "generate.no_model"


# --------------------------------------------------------------------------- units that react to a pattern


def test_pattern_positions_and_reacting_units():
    tokens = list("ab cd ef")
    assert pattern_positions(tokens, " ") == [2, 5]
    assert pattern_positions(tokens, "d e") == [6]
    assert pattern_positions(tokens, "") == []
    h = np.random.default_rng(0).normal(scale=0.1, size=(len(tokens), 6))
    h[[2, 5], 4] += 1.0  # unit 4 switches on right after a space
    trace = StateTrace(tokens, list(range(len(tokens))), [LayerTrace("rnn_1", "simple_rnn", 6, h)], np.zeros(len(tokens) - 1))
    found = units_reacting_to(trace, " ", top=3)
    assert found.positions == [2, 5]
    assert found.table.iloc[0]["unit"] == 4 and found.table.iloc[0]["score"] > 1
    assert units_reacting_to(trace, "zz").table.empty


def test_units_reacting_on_a_real_trace(generators):
    gen = generators["lstm2_layer_consecutive"]
    trace = gen.trace_text("我们分开以后天空还是很蓝 你说分开就分开不回头 不分开的夜晚风很温柔")
    found = units_reacting_to(trace, " ", quantity="c", top=5)
    assert len(found.positions) == 2 and len(found.table) == 5
    assert set(found.table["layer"]) <= {"rnn_1", "rnn_2"}


# --------------------------------------------------------------------------- the command line


def test_cli_prints_the_text_and_json(runs, capsys):
    folder = str(runs["gru_scratch"].path)
    assert main(["--run-dir", folder, "--prefix", "分开", "--length", "20", "--strategy", "top_p", "--top-p", "0.8", "--seed", "4"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("分开") and len(text.strip()) >= 2
    assert main(["--run-dir", folder, "--prefix", "分开", "--length", "5", "--samples", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["samples"]) == 2 and len(data["samples"][0]["steps"]) == 5
    assert main(["--run-dir", folder, "--length", "0"]) == 1
    assert "1 to 1,000" in capsys.readouterr().err


@pytest.mark.parametrize("settings", [SamplingSettings("greedy"), SamplingSettings("top_p", top_p=0.9, seed=5)], ids=["greedy", "top_p"])
def test_a_long_continuation_runs_in_chunks_with_progress_and_the_same_tokens(generators, settings, monkeypatch):
    """The compiled continuation runs `CONTINUATION_CHUNK` tokens a call, reporting progress
    between calls; the state is carried over, so the tokens, probabilities and candidates are
    those of the per-token loop (with the same progress, token by token)."""
    from core import generate as generate_module

    monkeypatch.setattr(generate_module, "CONTINUATION_CHUNK", 8)
    gen = generators["lstm2_layer_consecutive"]
    reported, stepped = [], []
    fast = gen.generate("分开", 30, settings, n_samples=2, progress=lambda done, total: reported.append((done, total)))
    slow = gen.generate("分开", 30, settings, n_samples=2, record_states=True, progress=lambda done, total: stepped.append(done))
    assert reported == [(8, 30), (16, 30), (24, 30), (30, 30)]
    assert stepped == list(range(1, 31))
    for a, b in zip(fast.samples, slow.samples, strict=True):
        assert a.ids == b.ids and a.text == b.text
        for x, y in zip(a.steps, b.steps, strict=True):
            assert [c.id for c in x.top] == [c.id for c in y.top]
            assert x.probability == pytest.approx(y.probability, rel=1e-5, abs=1e-7)
            assert x.sampling_probability == pytest.approx(y.sampling_probability, rel=1e-9, abs=1e-12)


def test_trailing_loop_finds_the_period_a_sample_ends_in():
    from core.generate import LOOP_MIN_TOKENS, trailing_loop

    line = list(" 我不能再想")
    # the shipped LSTM's greedy text after 分开: a few tokens, then one line over and over, cut short at the end
    tokens = list("我想要") + line * 15 + line[:2]
    loop = trailing_loop(tokens)
    assert loop is not None and loop.period == tuple(line) and loop.start == 3 and loop.tokens == len(tokens) - 3
    assert loop.repeats == pytest.approx((len(tokens) - 3) / 6)
    # a column of line breaks: the shortest period (not "  " x 20)
    assert trailing_loop(list("天晴") + [" "] * 40).period == (" ",)
    # a refrain, or a text that does not end in its repetition, is no loop
    assert trailing_loop(list("我我我")) is None
    assert trailing_loop(list("天晴了") + [" "] * (LOOP_MIN_TOKENS - 1)) is None
    assert trailing_loop(list("啦啦啦啦") + list("窗外的麻雀在电线杆上多嘴你说这一句很有夏天的感觉")) is None
    assert trailing_loop(line * 2 + list("abc") * 2) is None  # a period of 3 twice: fewer than 3 times and 12 tokens
    assert trailing_loop([]) is None


def test_every_whitespace_token_is_shown_visibly():
    """The lyrics' ideographic space (U+3000, 396 times) was a blank candidate in the table and an
    empty tick on the axis (a learner)."""
    from core.generate import LINE_BREAK_MARK, SPACE_MARK, show_token

    assert show_token(" ") == LINE_BREAK_MARK and show_token("\n") == LINE_BREAK_MARK and show_token("\t") == "⇥"
    assert show_token("\u3000") == SPACE_MARK and show_token("\xa0") == SPACE_MARK
    assert show_token("爱") == "爱" and show_token("a\u3000b") == f"a{SPACE_MARK}b"
    assert all(show_token(c).strip() for c in (" ", "\n", "\t", "\u3000", "\xa0", "\u2003"))
