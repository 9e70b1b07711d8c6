"""Text generation from a trained language model, one token at a time, carrying the state.

`LanguageGenerator.from_run(folder)` reads a language-model run folder (config.json,
vocab.json, model_best.keras or model_last.keras loaded with Keras ``safe_mode``) and
copies its weights, layer by layer, into a *stateful* twin built by
`core.models.build_language_model` with one state row per sample. Generation is the
lyrics tutorial's prediction loop (``predict_ch8``), with the state carried in the
recurrent layers' state variables instead of being recomputed:

1. tokenise the prefix exactly as the run's corpus was (its tokeniser; newlines as
   spaces, as the corpus was read), look the tokens up, and deal with unknown ones
   (``unknown="drop"`` leaves them out, ``"unk"`` feeds the unknown id 1, ``"error"``
   refuses); an empty prefix starts from a start token (a space by default);
2. warm the state up on the whole prefix in ONE call of the compiled step
   (ids [n, P] -> logits of the last position [n, vocab]);
3. repeat ``length`` times: turn the logits into a distribution (greedy, temperature,
   top-k or top-p), pick the next token for every sample, feed it back as ids [n, 1].

The compiled step is a ``tf.function`` with the input signature [n, None], traced once
and used for the warm-up; step 3 runs in one graph call (a ``tf.while_loop``, one traced
function per strategy) that computes the distribution and the draw as
`sampling_distribution` and `draw` do in numpy, with the same uniforms from the seed. When
every step's state is recorded (``record_states``), step 3 is a Python loop over single
steps instead, the numpy reference of the graph; both give the same tokens. Nothing
re-reads the whole text.

Everything the Lyrics page shows comes from here, as plain dataclasses and numpy/pandas:
the text of every sample, and for every generated token its id, the probability the
model gave it and the model's top-5 candidates (`Generation`); the hidden state of
every layer over a text, with the LSTM's memory cell and the LSTM/GRU gates recomputed
from the cell's weights (`StateTrace`, via `LanguageGenerator.trace`); and the units
that react to a character or a pattern, in the spirit of LSTMVis (`units_reacting_to`).

The ``keras_cell`` implementation steps Keras's cells in a Python loop over a fixed
number of steps; its twin here uses the Keras layer of the same cell (the same cell
class, the same weights, the same equations) so that one traced function accepts any
prefix length.

CLI::

    python -m core.generate --run-dir DIR --prefix 分开 --length 100 \\
        [--strategy greedy|temperature|top_k|top_p] [--temperature T] [--top-k K] \\
        [--top-p P] [--seed S] [--no-avoid-unk] [--samples N] [--unknown drop|unk|error] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from core import text as textlib
from core.errors import RnnLabError
from core.gates import CELL_GATES
from core.runs import RunDir

STRATEGIES: tuple[str, ...] = ("greedy", "temperature", "top_k", "top_p")
CONTINUATION_CHUNK = 100
"""Tokens per call of the compiled continuation: a long generation reports its progress between
calls (1,000 characters x 16 samples take seconds on a busy 2-core server)."""
UNKNOWN_POLICIES: tuple[str, ...] = ("drop", "unk", "error")
MAX_LENGTH = 1000
"""Most tokens generated per request (the tutorial generates 50)."""
MAX_SAMPLES = 16
"""Most samples generated at once (one batch row each)."""
MAX_PREFIX_CHARS = 1000
MAX_TEMPERATURE = 10.0
MIN_TEMPERATURE = 0.01
TOP_CANDIDATES = 5
DEFAULT_START = " "
LINE_BREAK_MARK = "↵"
"""How a line break (a space token in the corpus) is drawn on axes and in tables."""


# =========================================================================== settings and results


@dataclass
class SamplingSettings:
    """How the next token is picked from the model's logits.

    strategy: "greedy" (argmax, the tutorial's rule), "temperature" (sample from
        softmax(logits / temperature)), "top_k" (sample among the k most likely tokens)
        or "top_p" (nucleus: sample among the fewest most likely tokens whose
        probabilities add up to at least p).
    temperature: divides the logits before the softmax for every sampling strategy
        (below 1 sharper, above 1 flatter); greedy ignores it.
    top_k, top_p: used by their strategies only.
    seed: seeds the sampling (numpy's PCG64); the same seed gives the same samples.
    avoid_unk: never pick the unknown token ``<unk>`` (it gets probability 0 before the
        strategy, as <pad> always does): a model trained on a corpus with rare tokens
        mapped to <unk> gives it mass and would write it; off by default, so a sample shows
        what the model does.
    """

    strategy: str = "greedy"
    temperature: float = 1.0
    top_k: int = 10
    top_p: float = 0.9
    seed: int = 0
    avoid_unk: bool = False

    def banned_ids(self, vocab_size: int | None = None) -> tuple[int, ...]:
        """The ids never picked: <pad> always, <unk> too with ``avoid_unk`` (unless the
        vocabulary has nothing else)."""
        if self.avoid_unk and (vocab_size is None or vocab_size > 2):
            return (textlib.PAD_ID, textlib.UNK_ID)
        return (textlib.PAD_ID,)

    def validate(self, vocab_size: int | None = None) -> None:
        if self.strategy not in STRATEGIES:
            raise RnnLabError("generate.bad_strategy", value=str(self.strategy)[:60], choices=", ".join(STRATEGIES))
        if not _is_number(self.temperature) or not MIN_TEMPERATURE <= float(self.temperature) <= MAX_TEMPERATURE:
            raise RnnLabError("generate.bad_temperature", low=MIN_TEMPERATURE, high=MAX_TEMPERATURE, value=str(self.temperature)[:60])
        high = vocab_size if vocab_size is not None else 10_000_000
        if not _is_int(self.top_k) or not 1 <= self.top_k <= high:
            raise RnnLabError("generate.bad_top_k", high=high, value=str(self.top_k)[:60])
        if not _is_number(self.top_p) or not 0.0 < float(self.top_p) <= 1.0:
            raise RnnLabError("generate.bad_top_p", value=str(self.top_p)[:60])
        if not _is_int(self.seed) or not 0 <= self.seed < 2**32:
            raise RnnLabError("generate.bad_seed", value=str(self.seed)[:60])
        if not isinstance(self.avoid_unk, (bool, np.bool_)):
            raise RnnLabError("generate.bad_avoid_unk", value=str(self.avoid_unk)[:60])


@dataclass
class Candidate:
    """One of the model's most likely next tokens."""

    token: str
    id: int
    probability: float


@dataclass
class GeneratedStep:
    """One generated token of one sample.

    probability: what the model gave the chosen token, P(token | text so far), the plain
        softmax of its logits (temperature 1), whatever the strategy.
    sampling_probability: its probability under the distribution actually sampled from
        (after temperature / top-k / top-p; 1 for greedy).
    top: the model's TOP_CANDIDATES most likely tokens at this step, most likely first.
    """

    position: int  # index of the token in the sample's whole token list (prefix included)
    id: int
    token: str
    probability: float
    sampling_probability: float
    top: list[Candidate]


@dataclass
class Sample:
    """One continuation of the prefix."""

    index: int
    tokens: list[str]  # the generated tokens only
    ids: list[int]
    steps: list[GeneratedStep]
    text: str  # prefix + generated text, tokens joined as in the corpus
    generated_text: str

    @property
    def mean_probability(self) -> float:
        return float(np.mean([s.probability for s in self.steps])) if self.steps else float("nan")

    @property
    def perplexity(self) -> float:
        """exp(mean -log P(chosen token)): how surprised the model is by its own text."""
        if not self.steps:
            return float("nan")
        return float(math.exp(-np.mean([math.log(max(s.probability, 1e-45)) for s in self.steps])))


@dataclass
class Generation:
    """The answer to one request: the prefix as the model read it, and every sample.

    prefix_tokens / prefix_ids: what was fed (an unknown token kept under the "unk" policy
        keeps its own text here, with id 1); ``unknown`` lists the prefix tokens the
        vocabulary lacks, before the policy; ``start_token`` is set when the prefix was
        empty (after dropping) and generation started from it instead.
    states: with ``record_states``, the state each generated token was predicted from:
        states[k][name] is [n_samples, units] for "rnn_1/h", "rnn_1/c" (LSTM), ...
    """

    prefix: str
    prefix_tokens: list[str]
    prefix_ids: list[int]
    unknown: list[str]
    policy: str
    start_token: str | None
    settings: SamplingSettings
    length: int
    samples: list[Sample]
    joiner: str
    tokenizer: str
    seconds: float
    states: list[dict[str, np.ndarray]] | None = None

    @property
    def prefix_text(self) -> str:
        return self.joiner.join(self.prefix_tokens)


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool) and math.isfinite(float(value))


# =========================================================================== sampling (pure numpy)


def softmax(logits: np.ndarray) -> np.ndarray:
    """logits [..., vocab] -> probabilities [..., vocab] (float64, rows sum to 1)."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def sampling_distribution(logits: np.ndarray, settings: SamplingSettings, banned: tuple[int, ...] = (textlib.PAD_ID,)) -> np.ndarray:
    """The distribution the next token is drawn from: logits [n, vocab] -> probabilities [n, vocab].

    ``banned`` ids (padding: a language model never has to predict it) get probability 0.
    Greedy puts all the mass on the argmax; the others are softmax(logits / temperature),
    then for top-k only the k largest are kept, for top-p only the fewest largest whose
    mass reaches p (the token that crosses p included), renormalised.
    """
    z = np.array(logits, dtype=np.float64, ndmin=2)
    if banned:
        z[:, list(banned)] = -np.inf
    n, vocab = z.shape
    if settings.strategy == "greedy":
        out = np.zeros_like(z)
        out[np.arange(n), np.argmax(z, axis=1)] = 1.0
        return out
    p = softmax(z / float(settings.temperature))
    if settings.strategy == "top_k":
        k = min(int(settings.top_k), vocab - len(banned))
        keep = np.argsort(-p, axis=1, kind="stable")[:, :k]  # ties at the k-th place: the lower id, as tf.math.top_k
        mask = np.zeros_like(p, dtype=bool)
        np.put_along_axis(mask, keep, True, axis=1)
        p = np.where(mask, p, 0.0)
    elif settings.strategy == "top_p":
        order = np.argsort(-p, axis=1, kind="stable")
        sorted_p = np.take_along_axis(p, order, axis=1)
        before = np.cumsum(sorted_p, axis=1) - sorted_p  # mass of the tokens ranked above each one
        keep_sorted = before < float(settings.top_p)
        keep_sorted[:, 0] = True
        mask = np.zeros_like(p, dtype=bool)
        np.put_along_axis(mask, order, keep_sorted, axis=1)
        p = np.where(mask, p, 0.0)
    return p / p.sum(axis=1, keepdims=True)


def draw(probabilities: np.ndarray, rng: np.random.Generator | np.ndarray) -> np.ndarray:
    """One id per row of probabilities [n, vocab], by inverse CDF with u in (0, 1]: ids [n].
    `rng`: a generator, or the row's uniforms in [0, 1) already drawn [n] (`sample_uniforms`).

    A token of probability 0 is never drawn.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    cdf = np.cumsum(p, axis=1)
    uniform = rng.random(p.shape[0]) if isinstance(rng, np.random.Generator) else np.asarray(rng, dtype=np.float64)
    u = (1.0 - uniform) * cdf[:, -1]
    return np.minimum(np.sum(cdf < u[:, None], axis=1), p.shape[1] - 1)


def sample_uniforms(seed: int, length: int, n: int) -> np.ndarray:
    """The uniforms [length, n] that sampling draws with: sample i's from its own stream, so that
    it is the same text whether 1 or 16 samples are asked for with one seed (the Lyrics page's
    side-by-side, one sample per model, named its model's column "the same seed" as sample 1, and
    wrote another text: the draws were shaped (length, n)). Sample 0's stream is the seed's own,
    as it always was for one sample."""
    columns = [np.random.default_rng(int(seed) if i == 0 else [int(seed), i]).random(length) for i in range(n)]
    return np.stack(columns, axis=1) if columns else np.zeros((length, 0))


# =========================================================================== text helpers


def joiner_for(tokenizer: str) -> str:
    """How tokens are joined back into text: English words with spaces, everything else directly."""
    return " " if tokenizer == "word" else ""


def restore_line_breaks(text: str, tokenizer: str = "char") -> str:
    """The corpus was read with its line breaks as spaces (`Corpus.lm_text`): turn them back.

    For the "word" tokeniser spaces only separate words, so the text is left as it is.
    """
    return text if tokenizer == "word" else text.replace(" ", "\n")


SPACE_MARK = "␣"
"""Whitespace other than the line-break space, line breaks and tabs (the lyrics' ideographic space
U+3000, 396 times in the corpus; a no-break space): it was a blank candidate in the table and an
empty tick on the axis (a learner)."""


def show_token(token: str) -> str:
    """A token for an axis or a table cell: the line-break space as ↵, other whitespace visible."""
    if token == " ":
        return LINE_BREAK_MARK
    return "".join(LINE_BREAK_MARK if c == "\n" else "⇥" if c == "\t" else SPACE_MARK if c.isspace() else c for c in token)


def _guess_tokenizer(vocab: textlib.Vocab) -> str:
    """A run whose config does not name its tokeniser (an upload): single characters -> "char"."""
    tokens = vocab.tokens[2:]
    if all(len(t) == 1 for t in tokens):
        return "char"
    if sum(t.isascii() for t in tokens) > len(tokens) / 2:
        return "word"
    return "jieba"


# =========================================================================== state traces


@dataclass
class LayerTrace:
    """What one recurrent layer holds after reading each token of a text.

    h: the hidden state (the layer's output) [steps, units].
    c: the LSTM's memory cell [steps, units] (None for SimpleRNN/GRU).
    gates: LSTM "i", "f", "g", "o"; GRU "z", "r", "n" (the candidate); each [steps, units].
    """

    name: str
    cell: str
    units: int
    h: np.ndarray
    c: np.ndarray | None = None
    gates: dict[str, np.ndarray] = field(default_factory=dict)

    def quantities(self) -> dict[str, np.ndarray]:
        """Every [steps, units] array of the layer by name: "h", then "c", then the gates."""
        out = {"h": self.h}
        if self.c is not None:
            out["c"] = self.c
        out.update(self.gates)
        return out


@dataclass
class StateTrace:
    """The network's inside over a text: ``tokens[t]`` is the token read at step t, and each
    layer's arrays hold, at row t, the values after reading it (the state the next token
    is predicted from); ``probabilities[t]`` is the model's P(tokens[t + 1])."""

    tokens: list[str]
    ids: list[int]
    layers: list[LayerTrace]
    probabilities: np.ndarray  # [steps - 1]

    def layer(self, name: str) -> LayerTrace:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def recompute_cell(cell_kind: str, weights: list[np.ndarray], inputs: np.ndarray, h_seq: np.ndarray) -> tuple[np.ndarray | None, dict[str, np.ndarray], np.ndarray]:
    """The gates (and the LSTM memory) of one layer over a sequence, from its weights.

    weights: the cell's [kernel [d, k*h], recurrent_kernel [h, k*h], bias] in Keras's layout
        (the same for the Keras layer, the Keras cell and the from-scratch cell);
    inputs: x_t for every step [steps, d]; h_seq: the layer's outputs h_t [steps, h]
        (h_{t-1} for step t is row t-1, zeros before the first step).
    Returns (c [steps, h] or None, gates, h recomputed [steps, h]).
    """
    kernel, recurrent, bias = (np.asarray(w, dtype=np.float64) for w in weights[:3])
    x = np.asarray(inputs, dtype=np.float64)
    h_obs = np.asarray(h_seq, dtype=np.float64)
    steps, units = h_obs.shape
    h_prev = np.vstack([np.zeros((1, units)), h_obs[:-1]])
    if cell_kind == "simple_rnn":
        h = np.tanh(x @ kernel + h_prev @ recurrent + bias)
        return None, {}, h
    if cell_kind == "lstm":
        z = x @ kernel + h_prev @ recurrent + bias
        i, f, g, o = (z[:, k * units : (k + 1) * units] for k in range(4))
        i, f, g, o = _sigmoid(i), _sigmoid(f), np.tanh(g), _sigmoid(o)
        c = np.zeros((steps, units))
        c_prev = np.zeros(units)
        for t in range(steps):
            c_prev = f[t] * c_prev + i[t] * g[t]
            c[t] = c_prev
        return c, dict(zip(CELL_GATES["lstm"], (i, f, g, o))), o * np.tanh(c)
    if cell_kind == "gru":
        if bias.ndim != 2:
            return None, {}, h_obs  # reset_after=False: not what our builders make
        xs = x @ kernel + bias[0]
        hs = h_prev @ recurrent + bias[1]
        xz, xr, xh = (xs[:, k * units : (k + 1) * units] for k in range(3))
        hz, hr, hh = (hs[:, k * units : (k + 1) * units] for k in range(3))
        zg = _sigmoid(xz + hz)
        r = _sigmoid(xr + hr)
        n = np.tanh(xh + r * hh)
        return None, dict(zip(CELL_GATES["gru"], (zg, r, n))), zg * h_prev + (1.0 - zg) * n
    raise ValueError(f"unknown cell {cell_kind!r}")


@dataclass
class UnitResponse:
    """How strongly units respond where a pattern occurs (see `units_reacting_to`)."""

    table: pd.DataFrame
    positions: list[int]
    pattern: str


def pattern_positions(tokens: list[str], pattern: str) -> list[int]:
    """Steps t at which the text read so far ends with ``pattern`` (characters, tokens joined)."""
    if not pattern:
        return []
    out = []
    text = ""
    ends: list[int] = []
    for t, token in enumerate(tokens):
        text += token
        ends.append(len(text))
    for t, end in enumerate(ends):
        if end >= len(pattern) and text[end - len(pattern) : end] == pattern:
            out.append(t)
    return out


def units_reacting_to(trace: StateTrace, pattern: str, quantity: str = "h", top: int = 10) -> UnitResponse:
    """Units whose value differs most where ``pattern`` has just been read (LSTMVis's question:
    which units switch on at a line break?).

    For every layer and unit: the mean of ``quantity`` ("h", "c" or a gate) at the steps
    where the text read so far ends with the pattern, the mean elsewhere, and
    score = (mean at pattern - mean elsewhere) / standard deviation of the unit over the
    whole text (a unit that barely moves scores low however it is placed). Sorted by
    |score|, the ``top`` strongest first. Columns: layer, unit, mean_at_pattern,
    mean_elsewhere, score, matches.
    """
    positions = pattern_positions(trace.tokens, pattern)
    columns = ["layer", "unit", "mean_at_pattern", "mean_elsewhere", "score", "matches"]
    if not positions or len(positions) == len(trace.tokens):
        return UnitResponse(pd.DataFrame(columns=columns), positions, pattern)
    rows = []
    mask = np.zeros(len(trace.tokens), dtype=bool)
    mask[positions] = True
    for layer in trace.layers:
        values = layer.quantities().get(quantity)
        if values is None:
            continue
        at, rest = values[mask].mean(axis=0), values[~mask].mean(axis=0)
        spread = values.std(axis=0) + 1e-6
        score = (at - rest) / spread
        for unit in range(values.shape[1]):
            rows.append({"layer": layer.name, "unit": unit, "mean_at_pattern": float(at[unit]), "mean_elsewhere": float(rest[unit]), "score": float(score[unit]), "matches": len(positions)})
    table = pd.DataFrame(rows, columns=columns)
    if len(table):
        table = table.reindex(table["score"].abs().sort_values(ascending=False, kind="stable").index).head(top).reset_index(drop=True)
    return UnitResponse(table, positions, pattern)


# =========================================================================== the generator


def check_request(length: Any, n_samples: Any, settings: SamplingSettings, vocab_size: int | None = None) -> None:
    """Refuse a generation request out of range (`RnnLabError` with the sentence): the length,
    the number of samples and the sampling settings. The Lyrics page checks what is typed with it
    before Generate (its fields have no bounds of their own, which kept a typed -5 in the box and
    the value before it in the request)."""
    if not _is_int(length) or not 1 <= length <= MAX_LENGTH:
        raise RnnLabError("generate.bad_length", value=str(length)[:60], limit=MAX_LENGTH)
    if not _is_int(n_samples) or not 1 <= n_samples <= MAX_SAMPLES:
        raise RnnLabError("generate.bad_samples", value=str(n_samples)[:60], limit=MAX_SAMPLES)
    settings.validate(vocab_size)


class LanguageGenerator:
    """A language-model run ready to generate: its vocabulary, tokeniser and weights.

    One object may be shared by every browser session: the stateful twins hold state in
    variables, so every public method runs under a lock.
    """

    def __init__(self, config: dict, vocab: textlib.Vocab, tokenizer: str, layer_weights: dict[str, list[np.ndarray]], label: str = "", status: dict | None = None) -> None:
        from core.models import ModelConfig

        self.config = config
        self.vocab = vocab
        self.tokenizer = tokenizer
        self.label = label
        self.status = status or {}
        self.model_config = ModelConfig.from_dict(config.get("model") or {})
        self.cell = self.model_config.cell
        self.implementation = self.model_config.implementation
        self._weights = layer_weights
        # which saved weights these are ("best" or "last"), the epoch they hold and that epoch's
        # record (`RunDir.saved_weights`); set by `from_run`
        self.checkpoint: dict = {}
        self._lock = threading.RLock()
        self._steppers: dict[int, _Stepper] = {}
        self._probe = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_run(cls, path: Path | str, which: str = "auto", label: str | None = None) -> LanguageGenerator:
        """Load a language-model run folder. ``which``: "best", "last" or "auto" (best if saved, else last).

        Missing or unreadable files are a `RnnLabError` that names them.
        """
        from core.train import load_saved_model

        run = RunDir(Path(path))
        if not run.config_path.exists():  # (a mistyped folder was "not a language model")
            raise RnnLabError("runs.no_run_folder", folder=str(run.path))
        config = run.config()
        if config.get("task") != "language_model":
            raise RnnLabError("generate.not_language_model", run=run.run_id)
        best, last = run.best_model_path, run.last_model_path
        model_path = {"best": best, "last": last}.get(which) or (best if best.exists() else last)
        if not model_path.exists():
            raise RnnLabError("generate.no_model", run=run.run_id)
        try:
            vocab = textlib.Vocab.from_json(run.vocab_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise RnnLabError("predict.broken_vocab", path=str(run.vocab_path), reason=str(exc)[:300]) from exc
        model = load_saved_model(model_path)
        weights = {layer.name: [np.array(w) for w in layer.get_weights()] for layer in model.layers if layer.weights}
        tokenizer = config.get("tokenizer") or (run.status().get("data") or {}).get("tokenizer") or _guess_tokenizer(vocab)
        generator = cls(config, vocab, tokenizer, weights, label or run.run_id, run.status())
        kind = "best" if model_path == best else "last"
        saved = run.saved_weights()
        generator.checkpoint = {"kind": kind, **(saved.get(kind) or saved.get("best") or {})}  # "last" is left out when it is the best epoch
        return generator

    @property
    def joiner(self) -> str:
        return joiner_for(self.tokenizer)

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    def _twin_config(self):
        """The model config of the twins: keras_cell runs as the Keras layer of the same cell."""
        from core.models import ModelConfig

        data = self.model_config.to_dict()
        if data["implementation"] == "keras_cell":
            data["implementation"] = "layer"
        data["dropout"] = data["recurrent_dropout"] = 0.0  # inference: no dropout either way
        return ModelConfig.from_dict(data)

    def _build(self, batch_size: int | None, stateful: bool):
        from core.models import build_language_model

        model = build_language_model(self._twin_config(), self.vocab_size, batch_size=batch_size, stateful=stateful)
        for layer in model.layers:
            if layer.weights:
                if layer.name not in self._weights:
                    raise RnnLabError("generate.weights_mismatch", layer=layer.name)
                layer.set_weights(self._weights[layer.name])
        return model

    def _stepper(self, n: int) -> _Stepper:
        if n not in self._steppers:
            if len(self._steppers) >= 4:
                self._steppers.pop(next(iter(self._steppers)))
            self._steppers[n] = _Stepper(self._build(batch_size=n, stateful=True), n)
        return self._steppers[n]

    # ------------------------------------------------------------------ the prefix
    def encode_prefix(self, prefix: str, unknown: str = "drop", start: str | None = None) -> tuple[list[str], list[int], list[str], str | None]:
        """(tokens fed, their ids, unknown tokens of the prefix, start token or None).

        Newlines become spaces, as the corpus was read. An empty prefix (or one left empty
        by dropping) starts from ``start``: a space by default, or the most frequent token
        when the vocabulary has no space.
        """
        if not isinstance(prefix, str):
            raise RnnLabError("generate.bad_prefix", value=str(prefix)[:60])
        if len(prefix) > MAX_PREFIX_CHARS:
            raise RnnLabError("generate.prefix_too_long", chars=len(prefix), limit=MAX_PREFIX_CHARS)
        if unknown not in UNKNOWN_POLICIES:
            raise RnnLabError("generate.bad_policy", value=str(unknown)[:60], choices=", ".join(UNKNOWN_POLICIES))
        from core.train import tokenize_prefix

        clean = prefix.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        tokens = tokenize_prefix(clean, self.tokenizer) if clean else []
        missing = [t for t in tokens if t not in self.vocab or t in textlib.RESERVED_TOKENS]
        if missing and unknown == "error":
            raise RnnLabError("generate.unknown_prefix", tokens=" ".join(dict.fromkeys(missing)), n=len(missing))
        if unknown == "drop":
            tokens = [t for t in tokens if t in self.vocab and t not in textlib.RESERVED_TOKENS]
        ids = [textlib.UNK_ID if t in missing else self.vocab.token_to_id(t) for t in tokens]
        start_token = None
        if not ids:
            if start is None or start == "":
                start_token = DEFAULT_START if DEFAULT_START in self.vocab else self.vocab.tokens[2] if len(self.vocab) > 2 else textlib.UNK
            else:
                start_token = start
            if start_token not in self.vocab or start_token == textlib.PAD:
                raise RnnLabError("generate.bad_start", token=show_token(start_token))
            tokens, ids = [start_token], [self.vocab.token_to_id(start_token)]
        return tokens, ids, missing, start_token

    # ------------------------------------------------------------------ generating
    def generate(
        self,
        prefix: str,
        length: int,
        settings: SamplingSettings | None = None,
        n_samples: int = 1,
        unknown: str = "drop",
        start: str | None = None,
        record_states: bool = False,
        progress: Callable[[int, int], None] | None = None,
    ) -> Generation:
        """Continue ``prefix`` by ``length`` tokens, ``n_samples`` times at once (one batch row each).

        ``progress(done, length)`` is called as the tokens are made: after every
        `CONTINUATION_CHUNK` tokens (the compiled continuation runs chunk by chunk, the state
        carried over, the same tokens as one call), or every token with ``record_states``."""
        settings = settings or SamplingSettings()
        check_request(length, n_samples, settings, self.vocab_size)
        tokens, ids, missing, start_token = self.encode_prefix(prefix, unknown, start)
        t0 = time.perf_counter()
        n, length = int(n_samples), int(length)
        uniforms = sample_uniforms(settings.seed, length, n) if settings.strategy != "greedy" else None
        chosen = np.zeros((n, length), dtype=np.int64)
        model_p = np.zeros((n, length))
        sample_p = np.zeros((n, length))
        top_ids = np.zeros((n, length, TOP_CANDIDATES), dtype=np.int64)
        top_p = np.zeros((n, length, TOP_CANDIDATES))
        states: list[dict[str, np.ndarray]] | None = [] if record_states else None
        k_top = min(TOP_CANDIDATES, self.vocab_size)
        banned = settings.banned_ids(self.vocab_size)
        with self._lock:
            stepper = self._stepper(n)
            stepper.reset()
            logits, state = stepper.advance(np.tile(np.asarray(ids, dtype=np.int32), (n, 1)))
            if states is None:
                # the whole continuation in one graph call: the same choices as the loop below
                # (the same distribution and the same uniforms), without a Python round trip per token
                done = 0
                while done < length:
                    size = min(CONTINUATION_CHUNK, length - done)
                    if done:  # the chunk before did not feed its last token: feed it, as the loop would
                        logits, _ = stepper.advance(chosen[:, done - 1].astype(np.int32)[:, None])
                    part = stepper.continuation(logits, size, settings, None if uniforms is None else uniforms[done : done + size], banned)
                    span = slice(done, done + size)
                    chosen[:, span], model_p[:, span], top_ids[:, span, :k_top], top_p[:, span, :k_top], sample_p[:, span] = part
                    done += size
                    if progress is not None:
                        progress(done, length)
            else:
                rows = np.arange(n)
                for k in range(length):
                    states.append(state)
                    probs = softmax(logits)
                    dist = sampling_distribution(logits, settings, banned)
                    nxt = draw(dist, uniforms[k]) if uniforms is not None else np.argmax(dist, axis=1)
                    chosen[:, k] = nxt
                    model_p[:, k] = probs[rows, nxt]
                    sample_p[:, k] = dist[rows, nxt]
                    best = np.argsort(-probs, axis=1, kind="stable")[:, :k_top]
                    top_ids[:, k, :k_top] = best
                    top_p[:, k, :k_top] = np.take_along_axis(probs, best, axis=1)
                    if k + 1 < length:
                        logits, state = stepper.advance(nxt.astype(np.int32)[:, None])
                    if progress is not None:
                        progress(k + 1, length)
        samples = []
        decode = self.vocab.tokens
        for i in range(n):
            gen_tokens = [decode[j] for j in chosen[i]]
            steps = [
                GeneratedStep(
                    position=len(tokens) + k,
                    id=int(chosen[i, k]),
                    token=gen_tokens[k],
                    probability=float(model_p[i, k]),
                    sampling_probability=float(sample_p[i, k]),
                    top=[Candidate(decode[int(j)], int(j), float(p)) for j, p in zip(top_ids[i, k, :k_top], top_p[i, k, :k_top])],
                )
                for k in range(length)
            ]
            generated = self.joiner.join(gen_tokens)
            prefix_text = self.joiner.join(tokens)
            text = prefix_text + (self.joiner if prefix_text and generated else "") + generated
            samples.append(Sample(i, gen_tokens, [int(j) for j in chosen[i]], steps, text, generated))
        return Generation(
            prefix=prefix,
            prefix_tokens=tokens,
            prefix_ids=ids,
            unknown=missing,
            policy=unknown,
            start_token=start_token,
            settings=settings,
            length=length,
            samples=samples,
            joiner=self.joiner,
            tokenizer=self.tokenizer,
            seconds=time.perf_counter() - t0,
            states=states,
        )

    # ------------------------------------------------------------------ the whole sequence at once
    def _probe_model(self):
        """A non-stateful twin returning the logits and every recurrent layer's outputs h, compiled once
        for ids [any batch, any length]: (logits [n, steps, vocab], [h [n, steps, units] per layer])."""
        if self._probe is None:
            import keras
            import tensorflow as tf

            model = self._build(batch_size=None, stateful=False)
            rnn = [layer for layer in model.layers if isinstance(layer, keras.layers.RNN)]
            probe = keras.Model(model.inputs[0], [model.outputs[0]] + [layer.output for layer in rnn])
            self._probe_layers = rnn
            self._probe = tf.function(lambda ids: probe(ids, training=False), input_signature=[tf.TensorSpec([None, None], tf.int32)])
        return self._probe

    def forward(self, ids) -> np.ndarray:
        """The model's own full-sequence pass from a zero state: ids [n, steps] -> logits [n, steps, vocab]."""
        with self._lock:
            out = self._probe_model()(np.asarray(ids, dtype=np.int32))
        return np.asarray(out[0])

    def _token_features(self, ids: np.ndarray) -> np.ndarray:
        """x_t of the first recurrent layer for ids [steps]: one-hot or embedding rows [steps, d]."""
        if self.model_config.embedding_dim == 0:
            return np.eye(self.vocab_size, dtype=np.float64)[ids]
        return np.asarray(self._weights["embedding"][0], dtype=np.float64)[ids]

    def trace(self, ids: list[int] | np.ndarray) -> StateTrace:
        """Hidden states (and the LSTM memory and the gates) of every layer after each token of ``ids``.

        h comes from one full-sequence pass of the model; c and the gates are recomputed
        from each cell's weights with the cell's equations (`recompute_cell`), starting
        from zero, as the generation does.
        """
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        with self._lock:
            out = self._probe_model()(ids[None, :].astype(np.int32))
            layers_meta = [(layer.name, layer.cell.units) for layer in self._probe_layers]
        logits = np.asarray(out[0])[0]
        probs = softmax(logits[:-1])
        chosen_p = probs[np.arange(len(ids) - 1), ids[1:]] if len(ids) > 1 else np.zeros(0)
        layers = []
        x = self._token_features(ids)
        for (name, units), h in zip(layers_meta, out[1:]):
            h = np.asarray(h)[0]
            c, gates, _ = recompute_cell(self.cell, self._weights[name], x, h)
            layers.append(LayerTrace(name, self.cell, units, h, None if c is None else c.astype(np.float32), {k: v.astype(np.float32) for k, v in gates.items()}))
            x = h
        return StateTrace([self.vocab.tokens[i] for i in ids], [int(i) for i in ids], layers, chosen_p)

    def trace_text(self, text: str, unknown: str = "drop") -> StateTrace:
        """`trace` of any text, tokenised as a prefix would be."""
        _, ids, _, _ = self.encode_prefix(text, unknown)
        return self.trace(ids)

    def sample_ids(self, generation: Generation, index: int = 0) -> list[int]:
        """Every id of one sample, prefix included."""
        return list(generation.prefix_ids) + list(generation.samples[index].ids)

    def describe(self) -> dict[str, Any]:
        """What the page shows about the model: data set, cell, size, tokeniser, and the loaded
        weights' epoch and validation perplexity (the best epoch's unless the last was asked for)."""
        best = self.checkpoint.get("val_perplexity") or (self.status.get("best") or {}).get("val_perplexity")
        return {
            "dataset": self.config.get("dataset"),
            "cell": self.cell,
            "implementation": self.implementation,
            "layers": self.model_config.num_layers,
            "units": self.model_config.layer_units(),
            "embedding_dim": self.model_config.embedding_dim,
            "tokenizer": self.tokenizer,
            "vocab_size": self.vocab_size,
            "val_perplexity": best,
            "epochs": self.status.get("epoch"),
            "weights": self.checkpoint.get("kind", "best"),
            "weights_epoch": self.checkpoint.get("epoch"),
            # how it was trained (the tutorial's two T4 runs differ only in these: their names alone told them apart)
            "sampler": self.config.get("sampler"),
            "num_steps": self.config.get("num_steps"),
            "optimizer": self.config.get("optimizer"),
            "learning_rate": self.config.get("learning_rate"),
            "clip_global_norm": self.config.get("clip_global_norm"),
        }


class _Stepper:
    """A stateful twin with a fixed batch of n rows and its compiled step.

    ``advance(ids [n, steps])`` reads the ids from the carried state (in the recurrent
    layers' state variables) and returns (logits of the last step [n, vocab], the state
    after it: {"rnn_1/h": [n, units], "rnn_1/c": ..., ...}). ``continuation`` runs a whole
    continuation, choosing and feeding every token, in one graph call.
    """

    def __init__(self, model, n: int) -> None:
        import keras
        import tensorflow as tf

        self.model = model
        self.n = n
        self.layers = [layer for layer in model.layers if isinstance(layer, keras.layers.RNN)]
        self.names = [f"{layer.name}/{kind}" for layer in self.layers for kind in (("h", "c") if len(layer.states) == 2 else ("h",))]
        layers = self.layers

        @tf.function(input_signature=[tf.TensorSpec([n, None], tf.int32)])
        def advance(ids):
            logits = model(ids, training=False)
            states = [tf.convert_to_tensor(v) for layer in layers for v in layer.states]
            return logits[:, -1, :], states

        self._advance = advance

        self.vocab = int(model.outputs[0].shape[-1])
        self._continuations: dict[str, Any] = {}

    def _continuation(self, strategy: str):
        """The compiled continuation for one strategy (built on first use): see `continuation`."""
        if strategy in self._continuations:
            return self._continuations[strategy]
        import tensorflow as tf

        model, n, vocab = self.model, self.n, self.vocab
        k_top = min(TOP_CANDIDATES, vocab)
        rows = tf.range(n)

        def scatter(positions, values):
            """values [n, m] placed at columns positions [n, m] of an [n, vocab] zero/False tensor."""
            index = tf.stack([tf.broadcast_to(rows[:, None], tf.shape(positions)), positions], axis=-1)
            return tf.tensor_scatter_nd_update(tf.zeros([n, vocab], values.dtype), index, values)

        def distribution(z, temperature, top_k, top_p, n_banned):
            """`sampling_distribution` in float64, step for step (z has the banned ids at -inf)."""
            p = tf.nn.softmax(z / temperature, axis=1)
            if strategy == "top_k":
                k = tf.minimum(top_k, vocab - n_banned)  # <pad> (and <unk> when avoided) are out
                keep = tf.math.top_k(p, k=k, sorted=False).indices
                p = tf.where(scatter(keep, tf.ones_like(keep, tf.bool)), p, tf.zeros_like(p))
            elif strategy == "top_p":
                sorted_p, order = tf.math.top_k(p, k=vocab, sorted=True)  # a stable argsort of -p: ties by the lower id
                before = tf.cumsum(sorted_p, axis=1) - sorted_p  # the mass ranked above each token
                keep_sorted = tf.concat([tf.ones([n, 1], tf.bool), (before < top_p)[:, 1:]], axis=1)
                p = tf.where(scatter(order, keep_sorted), p, tf.zeros_like(p))
            return p / tf.reduce_sum(p, axis=1, keepdims=True)

        @tf.function(
            input_signature=[
                tf.TensorSpec([n, vocab], tf.float32),
                tf.TensorSpec([], tf.int32),
                tf.TensorSpec([], tf.float64),
                tf.TensorSpec([], tf.int32),
                tf.TensorSpec([], tf.float64),
                tf.TensorSpec([None, n], tf.float64),
                tf.TensorSpec([vocab], tf.float64),
            ]
        )
        def continuation(logits, length, temperature, top_k, top_p, uniforms, banned):
            n_banned = tf.reduce_sum(tf.cast(tf.math.is_inf(banned), tf.int32))
            chosen = tf.TensorArray(tf.int32, size=length)
            seen = tf.TensorArray(tf.float64, size=length)  # the model's probability of each choice
            tops = tf.TensorArray(tf.int32, size=length)
            top_seen = tf.TensorArray(tf.float64, size=length)  # the model's probabilities of the top candidates
            picked = tf.TensorArray(tf.float64, size=length)

            def body(k, logits, chosen, seen, tops, top_seen, picked):
                z = tf.cast(logits, tf.float64) + banned
                if strategy == "greedy":
                    nxt = tf.argmax(z, axis=1, output_type=tf.int32)
                    chance = tf.ones([n], tf.float64)
                else:  # `draw`: inverse CDF with the step's uniforms u in [0, 1), as 1 - u in (0, 1]
                    dist = distribution(z, temperature, top_k, top_p, n_banned)
                    cdf = tf.cumsum(dist, axis=1)
                    target = (1.0 - uniforms[k]) * cdf[:, -1]
                    nxt = tf.minimum(tf.reduce_sum(tf.cast(cdf < target[:, None], tf.int32), axis=1), vocab - 1)
                    chance = tf.gather(dist, nxt, batch_dims=1)
                # softmax(logits) at the choice and the top candidates only, as `softmax` computes it (float64):
                # the whole [n, length, vocab] logits handed to numpy took 5 of 9 s for 16 x 1,000 characters,
                # after the bar had reached its end (an exploratory tester)
                full = tf.cast(logits, tf.float64)
                norm = tf.reduce_logsumexp(full, axis=1)
                best = tf.math.top_k(logits, k=k_top, sorted=True).indices
                chosen = chosen.write(k, nxt)
                seen = seen.write(k, tf.exp(tf.gather(full, nxt, batch_dims=1) - norm))
                tops = tops.write(k, best)
                top_seen = top_seen.write(k, tf.exp(tf.gather(full, best, batch_dims=1) - norm[:, None]))
                picked = picked.write(k, chance)
                logits = tf.cond(k + 1 < length, lambda: model(nxt[:, None], training=False)[:, -1, :], lambda: logits)
                return k + 1, logits, chosen, seen, tops, top_seen, picked

            loop = (tf.constant(0), logits, chosen, seen, tops, top_seen, picked)
            _, _, chosen, seen, tops, top_seen, picked = tf.while_loop(lambda k, *_: k < length, body, loop)
            return chosen.stack(), seen.stack(), tops.stack(), top_seen.stack(), picked.stack()

        self._continuations[strategy] = continuation
        return continuation

    def continuation(self, logits: np.ndarray, length: int, settings: SamplingSettings, uniforms: np.ndarray | None = None, banned: tuple[int, ...] | None = None):
        """``length`` tokens in one graph call (a tf.while_loop): from the logits after the prefix,
        pick the next token by ``settings`` (never <pad>, nor ``banned``: by default
        ``settings.banned_ids``), feed it, repeat. The same choices as
        the per-token loop of `LanguageGenerator.generate`: argmax for greedy; otherwise
        `sampling_distribution` computed in float64 the same way and `draw` with the same
        uniforms (``uniforms`` [length, n]: the values ``rng.random(n)`` gives at each step).

        Returns (chosen ids [n, length], the model's probability of each choice [n, length], the top
        candidates [n, length, k] (ties: the lower id first, as a stable sort) and their model
        probabilities [n, length, k], the sampling probability of each choice [n, length])."""
        if uniforms is None:
            uniforms = np.zeros((length, self.n))
        run = self._continuation(settings.strategy)
        mask = np.zeros(self.vocab)
        mask[list(settings.banned_ids(self.vocab) if banned is None else banned)] = -np.inf
        chosen, seen, tops, top_seen, picked = run(
            np.asarray(logits, dtype=np.float32),
            np.int32(length),
            np.float64(settings.temperature),
            np.int32(settings.top_k),
            np.float64(settings.top_p),
            np.asarray(uniforms, dtype=np.float64).reshape(length, self.n),
            mask,
        )
        return np.asarray(chosen).T, np.asarray(seen).T, np.transpose(np.asarray(tops), (1, 0, 2)), np.transpose(np.asarray(top_seen), (1, 0, 2)), np.asarray(picked).T

    def reset(self) -> None:
        from core.models import reset_states

        reset_states(self.model)

    def advance(self, ids: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        logits, states = self._advance(np.asarray(ids, dtype=np.int32))
        return np.asarray(logits), {name: np.asarray(s) for name, s in zip(self.names, states)}


# =========================================================================== loops


@dataclass(frozen=True)
class Loop:
    """The end of a sample that repeats one stretch of tokens: ``period`` (its first occurrence),
    from token ``start`` of the generated tokens to the end; ``tokens`` tokens in all, about
    ``repeats`` times the period (the last one may be cut short)."""

    period: tuple[str, ...]
    start: int
    tokens: int

    @property
    def repeats(self) -> float:
        return self.tokens / len(self.period)


LOOP_MIN_TOKENS = 12  # a repetition shorter than this is a refrain, not a loop worth a word ("↵↵↵")
LOOP_MIN_REPEATS = 3
LOOP_MAX_PERIOD = 16


def trailing_loop(tokens: list[str], max_period: int = LOOP_MAX_PERIOD) -> Loop | None:
    """The loop a sample ends in, if it does: the longest stretch at the end in which every token
    equals the one `p` tokens before it, for the shortest such period p <= `max_period`, when it
    covers at least `LOOP_MIN_TOKENS` tokens and `LOOP_MIN_REPEATS` periods. Greedy decoding
    ends in one almost always (the shipped lyrics LSTM after 分开: 「我不能再想↵」 over and over, as
    in the tutorial; after other prefixes a column of line breaks): the state comes back to where it
    was and the most probable token is the same again."""
    n = len(tokens)
    best: Loop | None = None
    for p in range(1, min(max_period, n // LOOP_MIN_REPEATS) + 1):
        start = n - p  # walk back while each token equals the one p before it
        while start > 0 and tokens[start - 1] == tokens[start - 1 + p]:
            start -= 1
        covered = n - start
        if covered < max(LOOP_MIN_TOKENS, LOOP_MIN_REPEATS * p):
            continue
        if best is None or covered > best.tokens:  # (a shorter period first: 「↵」 x 40, not 「↵↵」 x 20)
            best = Loop(tuple(tokens[start : start + p]), start, covered)
    return best


# =========================================================================== tables for the page


def steps_table(sample: Sample) -> pd.DataFrame:
    """One row per generated token: step, token, probability, then the top candidates as
    "token p" strings (candidate_1 .. candidate_5)."""
    rows = []
    for k, step in enumerate(sample.steps, start=1):
        row: dict[str, Any] = {"step": k, "token": show_token(step.token), "probability": step.probability}
        for j in range(TOP_CANDIDATES):
            row[f"candidate_{j + 1}"] = f"{show_token(step.top[j].token)} {step.top[j].probability:.3f}" if j < len(step.top) else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=["step", "token", "probability"] + [f"candidate_{j + 1}" for j in range(TOP_CANDIDATES)])


# =========================================================================== CLI


def _generation_json(generation: Generation, line_breaks: bool) -> dict:
    data = {
        "prefix": generation.prefix,
        "prefix_tokens": generation.prefix_tokens,
        "unknown": generation.unknown,
        "policy": generation.policy,
        "start_token": generation.start_token,
        "settings": asdict(generation.settings),
        "length": generation.length,
        "seconds": round(generation.seconds, 4),
        "samples": [],
    }
    for sample in generation.samples:
        text = restore_line_breaks(sample.text, generation.tokenizer) if line_breaks else sample.text
        data["samples"].append(
            {
                "text": text,
                "perplexity": sample.perplexity,
                "steps": [{"token": s.token, "id": s.id, "probability": s.probability, "top": [[c.token, c.probability] for c in s.top]} for s in sample.steps],
            }
        )
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.generate", description="Generate text from a language-model run folder.")
    parser.add_argument("--run-dir", required=True, help="a language-model run folder (or checkpoints/shipped/<name>)")
    parser.add_argument("--prefix", default="分开", help="text to continue (default 分开)")
    parser.add_argument("--length", type=int, default=100, help=f"tokens to generate (1-{MAX_LENGTH})")
    parser.add_argument("--strategy", default="greedy", choices=STRATEGIES)
    parser.add_argument("--temperature", type=float, default=1.0)
    parser.add_argument("--top-k", type=int, default=10)
    parser.add_argument("--top-p", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--avoid-unk", action=argparse.BooleanOptionalAction, default=True,
                        help="never write the unknown token <unk> (default, as the Lyrics page; --no-avoid-unk: the tutorial's sampling over every token)")
    parser.add_argument("--samples", type=int, default=1, help=f"samples at once (1-{MAX_SAMPLES})")
    parser.add_argument("--unknown", default="drop", choices=UNKNOWN_POLICIES, help="prefix tokens not in the vocabulary")
    parser.add_argument("--start", default=None, help="start token for an empty prefix (default a space)")
    parser.add_argument("--model", default="auto", choices=("auto", "best", "last"), help="which saved model")
    parser.add_argument("--keep-spaces", action="store_true", help="print line breaks as the spaces the model reads")
    parser.add_argument("--json", action="store_true", help="print everything (top candidates too) as JSON")
    parser.add_argument("--lang", default="en", choices=("zh", "en"), help="language of error messages")
    args = parser.parse_args(argv)
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        generator = LanguageGenerator.from_run(Path(args.run_dir).expanduser(), which=args.model)
        settings = SamplingSettings(args.strategy, args.temperature, args.top_k, args.top_p, args.seed, args.avoid_unk)
        generation = generator.generate(args.prefix, args.length, settings, n_samples=args.samples, unknown=args.unknown, start=args.start)
    except RnnLabError as exc:
        print(f"error: {exc.message(args.lang)}", file=sys.stderr, flush=True)
        return 1
    if args.json:
        print(json.dumps(_generation_json(generation, not args.keep_spaces), ensure_ascii=False, indent=1))
        return 0
    if generation.unknown:
        print(f"# not in the vocabulary ({generation.policy}): {' '.join(generation.unknown)}", file=sys.stderr)
    if generation.start_token is not None:
        print(f"# empty prefix: started from {show_token(generation.start_token)!r}", file=sys.stderr)
    for sample in generation.samples:
        text = sample.text if args.keep_spaces else restore_line_breaks(sample.text, generation.tokenizer)
        if len(generation.samples) > 1:
            print(f"--- sample {sample.index + 1} (perplexity {sample.perplexity:.2f})")
        print(text)
    return 0


if __name__ == "__main__":
    from core.generate import main as _main

    sys.exit(_main())
