"""Training runs: one `TrainConfig` in, one run folder (see `core.runs`) out.

Two tasks, one set of hooks:

- ``"sentiment"``: token ids [batch, maxlen] -> P(positive) [batch, 1], trained with
  ``model.fit`` (binary cross-entropy, accuracy), then evaluated on the test split.
- ``"language_model"``: ids [batch, num_steps] -> next-token logits
  [batch, num_steps, vocab], trained by a compiled ``tf.function`` step with the
  lyrics tutorial's two samplers:

  * ``"random"``: batches start at random corpus positions, so every batch starts
    from a zero state (a non-stateful model);
  * ``"consecutive"``: row r of a batch continues row r of the previous batch, so
    the final state of a batch is the next batch's initial state (a stateful model
    with a fixed batch size; the state lives in non-trainable variables, which cuts
    the graph: no gradient flows into the previous batch). The state is zeroed at
    the start of every epoch and of every validation pass.

  Loss = cross-entropy averaged over every position of the batch; perplexity =
  exp(mean cross-entropy) over the epoch (train) or the held-out stream
  (validation: the LAST ``val_fraction`` of the corpus).

Both tasks report through `RunMonitor`: batches.jsonl every ``log_every_batches``
batches, history.jsonl / model_last.keras / model_best.keras / status.json at every
epoch end, a heartbeat every few seconds, a stop request checked after every batch,
and epoch scalars for TensorBoard in ``tb/``.

CLI (what `core.runs.RunStore` launches)::

    python -m core.train --list-presets
    python -m core.train --preset NAME [--set key=value ...] --run-dir DIR
    python -m core.train --config FILE [--set key=value ...] --run-dir DIR
    python -m core.train --run-dir DIR [--resume]          # DIR/config.json

TensorFlow and Keras are imported only when training starts, so listing presets
and validating configs stay fast.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import errno
import io
import json
import math
import os
import re
import shutil
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from core import datasets as datasets_lib
from core import text as textlib
from core.errors import RnnLabError
from core.runs import RunDir, RunStore, _pid_alive, append_jsonl, archive_problem, read_jsonl, training_seconds, write_atomic, write_json

if TYPE_CHECKING:  # pragma: no cover - typing only; importing core.models imports Keras
    from core.models import ModelConfig

TASKS: tuple[str, ...] = ("sentiment", "language_model")
OPTIMIZERS: tuple[str, ...] = ("adam", "sgd", "rmsprop")
SAMPLER_NAMES: tuple[str, ...] = ("random", "consecutive")
SIDES: tuple[str, ...] = ("pre", "post")
UPLOAD_PREFIX = "upload:"
UPLOAD_TOKENIZERS: tuple[str, ...] = ("char", "word", "jieba")
DATASET_OPTIONS: dict[str, tuple[str, ...]] = {
    "imdb": ("num_words", "index_from"),
    "upload_csv": ("text_column", "label_column"),
}
HEARTBEAT_SECONDS = 2.0

def upload_file_name(dataset: str) -> str:
    """The stored file's name of an uploaded data set ("upload:<folder>/<hash>.csv" -> "<hash>.csv"):
    the folder it is kept in on the server is nobody's business in a class."""
    return Path(dataset[len(UPLOAD_PREFIX) :]).name


def dataset_title(name: str | None, lang: str, with_file: bool = False) -> str:
    """A data set's name as the pages show it ("周杰伦歌词" for `lyrics`); an upload as "an uploaded
    file", or with `with_file` by its stored file's name (where two uploads must be told apart: the
    compare table); the name itself for one this version does not know."""
    from core.i18n import tr

    if name in datasets_lib.DATASET_NAMES:
        return tr(f"ds.{name}.title", lang)
    if isinstance(name, str) and name.startswith(UPLOAD_PREFIX):
        return tr("setting.upload", lang, name=upload_file_name(name)) if with_file else tr("ds.uploaded", lang)
    return str(name)

"""status.json is rewritten (heartbeat, progress, ETA) at most this often within an epoch."""
CHECKPOINT_SECONDS = 5.0
"""model_last.keras is written at the end of an epoch when this long has passed since the last
write, and always at an epoch whose val_loss improved (model_best.keras is copied from it), at
the last epoch, when early stopping ends the run and when a stop request does. Saving the T4
model takes about 22 ms, a fifth of its 8-batch epoch: saving every epoch cost 15-20% of such
runs. A killed run resumes from the last written checkpoint (status.json's
``checkpoint_epoch``), redoing at most this many seconds of training."""
EVAL_BATCH_COST = 0.3
"""A validation or test batch against a training batch of the same shape, in the time left
(`RunMonitor.work_done`): the forward pass alone (0.19-0.40 measured for the sentiment presets on 2
cores). Paced on training batches only, the first epoch's estimate left validation out and jumped
once it was timed (64 s -> 106 s seen); after the first epoch the pace includes the measured
validation whatever this guess, as every epoch is alike."""
EXECUTION_SECONDS = 0.25
"""A language model's training runs about this long per call into TensorFlow (as many batches as
fit, at least one): on_batch hooks (progress, stop requests) come at least this often."""
MAX_STEPS_PER_EXECUTION = 64
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EISDIR, errno.ENOTDIR})
"""An OSError with one of these while a run writes its folder is a full disk or an unwritable folder ("train.disk")."""

LIMITS = {
    "epochs": (1, 10_000),  # the T4 tutorial trains 2,500 epochs (eight batches each)
    "batch_size": (1, 4096),
    "num_steps": (1, 1000),
    "maxlen": (1, 5000),
    "max_tokens": (3, 10_000_000),
    "char_limit": (10, 1_000_000_000),
    "seed": (0, 2**32 - 1),
    "sample_every": (1, 1000),
    "sample_length": (0, 1000),
    "log_every_batches": (1, 1_000_000),
    "max_train_texts": (2, 100_000_000),
    "early_stopping_patience": (1, 1000),
    "rare_max_count": (1, 1_000_000),
    "num_words": (4, 10_000_000),
    "index_from": (0, 100),
}
MAX_LEARNING_RATE = 1000.0
MAX_TIME_LIMIT_MINUTES = 100_000  # (ten weeks: the command line's bound; the app's is the instance's, `core.hosting`)
MAX_PREFIXES = 10
MAX_PREFIX_CHARS = 200


# =========================================================================== config


def _model_config_class():
    from core.model_config import ModelConfig  # (no Keras: a config is made and checked without it)

    return ModelConfig


def _default_model_config() -> ModelConfig:
    return _model_config_class()()


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _show(value: Any) -> str:
    """A setting's value as a message quotes it: as typed where it can be (a whole float without
    its ".0": "-1" typed for clipping was echoed "-1.0"), strings quoted, long values cut."""
    whole = isinstance(value, float) and value.is_integer() and abs(value) < 1e15
    text = str(int(value)) if whole else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class TrainConfig:
    """Everything one training run needs. Plain data: ``to_dict()`` is JSON, ``from_dict`` reverses it.

    task: "sentiment" | "language_model".
    dataset: a name in ``core.datasets.REGISTRY``, or "upload:<path>" (a .txt corpus
        for a language model, a .csv of texts and labels for sentiment).
    dataset_options: keyword arguments of the loader, e.g. {"num_words": 10000} for imdb
        ({"text_column", "label_column"} for an uploaded csv).
    tokenizer: None = the data set's default (its first tokeniser; for uploads "char"
        for Chinese text, "word" otherwise).
    max_tokens: vocabulary size including <pad> and <unk>; None = every training token.
    maxlen, padding, truncating: sentiment texts are cut / padded to maxlen ids.
    char_limit: language model: read only the first N characters of the corpus
        (the lyrics tutorial: 10,000); None = all.
    model: a ``core.model_config.ModelConfig`` (re-exported by ``core.models``).
    optimizer: "adam" | "sgd" | "rmsprop"; learning_rate; batch_size; epochs (total,
        also when resuming).
    clip_global_norm: the tutorials' theta: when the norm of all gradients together
        exceeds it, they are scaled down to it (Keras ``global_clipnorm``). None = off.
    num_steps, sampler ("random" | "consecutive"): language-model batches [batch, num_steps].
    val_fraction: language model: the LAST fraction of the token stream is held out;
        sentiment: used only when the data set has no "val" split (carved from train
        with the seed).
    seed: seeds Python, numpy and TensorFlow (``keras.utils.set_random_seed``) and the
        sampling of subsets.
    sample_prefixes, sample_every, sample_length: language model: every sample_every
        epochs (and at the run's last epoch, early stopping's too) greedily continue each prefix by
        sample_length tokens into samples.jsonl.
    log_every_batches: a line in batches.jsonl every N batches (and at each epoch's
        last batch).
    max_train_texts: sentiment quick runs: use at most N training texts (a seeded
        random subset) and at most N validation and N test texts.
    early_stopping_patience: end the run once the validation loss has not improved
        for this many epochs in a row (model_best.keras keeps the best epoch's
        weights either way); None = always train every epoch.
    time_limit_minutes: stop the run once it has trained this many minutes (> 0, fractions
        too) in one stretch (from the start of its training loop, each resume a new stretch),
        after the training batch under way: it ends "cancelled" with ``stopped_by``
        "time_limit", its model saved as a stop request saves it, and can be resumed. The app sets it on every run it starts, at
        most the instance's ``RNNLAB_MAX_RUN_MINUTES`` (`core.hosting`), so that one run
        cannot hold a class's training slot for hours. None = no limit.
    pretrained_vectors: initialise the Embedding layer from word vectors: the path of an
        ``.npy`` matrix [n, embedding_dim] whose words are in ``<stem>.words.json`` beside
        it (see ``core.embeddings.save_vectors``); relative to the run folder unless
        absolute. Rows of the run's vocabulary found there start as exactly those vectors,
        the others as Keras's default uniform(-0.05, 0.05), ``<pad>`` as zeros; freeze them
        with ``model.embedding_trainable = False``. Used when a run starts, not on resume
        (the saved model has the weights). None = Keras's initialisation.
    word2vec_init: sentiment only: before training, fit Word2Vec (gensim, seeded, one
        worker, so the same in every process) on this run's own training texts - the
        training split only, tokenised as the run reads them, labels unused - and start
        the Embedding from its vectors (`core.embeddings.embedding_matrix_for`). A dict of
        Word2Vec settings (`WORD2VEC_INIT_DEFAULTS` fills what is missing): sg (1 =
        skip-gram), window, negative, epochs, min_count; the size is
        ``model.embedding_dim``. The vectors are not saved; the model carries them.
        None = no Word2Vec. Not together with ``pretrained_vectors``.
    word2vec_corpora: with ``word2vec_init``: unlabelled corpora whose lines are added to
        the training texts that Word2Vec is fitted on, each line tokenised as the run
        reads its texts (e.g. ["peoples_daily"]: 1.8M characters of news); names of
        ``WORD2VEC_CORPORA``. More text gives vectors to words the reviews use rarely;
        the vocabulary is still the training split's. [] = the training texts alone.
    label_smoothing: language model only: the training loss is (1 - eps) x cross-entropy +
        eps x the mean of -log p over the whole vocabulary, which keeps some probability on
        rare characters and <unk> (reported losses and perplexities stay the plain
        cross-entropy). 0 = off; 0 <= eps < 1.
    label_smoothing_prior: what label smoothing spreads its share over: "uniform" (the
        mean of -log p above: every token alike) or "unigram": the training part's token
        frequencies q (add-one, as output_bias "unigram"), i.e. eps x sum_v q_v (-log p_v),
        so frequent tokens keep more of it than rare ones.
    output_bias: language model only: "zeros" (Keras's default) or "unigram": the output
        layer's bias starts at log of the training part's character frequencies (add-one),
        so an untrained model already predicts the unigram distribution.
    weight_average: language model only: the decay d of an exponential moving average of
        the trainable weights, updated after every batch (average = d x average + (1 - d) x
        weights, starting from the initial weights); 0 = off, 0 <= d < 1. The averaged
        weights are the ones validated, sampled and saved (model_last / model_best), so
        early stopping and the best epoch judge them; training itself goes on from the
        raw weights. A resumed run starts both from the saved (averaged) weights.
    rare_to_unk: language model only: the probability with which each occurrence of a rare
        training token (one seen at most ``rare_max_count`` times in the training part) is
        read as <unk> in an epoch, drawn anew for every epoch (the same occurrence is <unk>
        both as a target and as the next step's input). The held-out text's unknown
        characters are <unk>, and a model trained on text without any never learns how
        often one comes (it gives them almost no probability); this teaches it that, and
        what follows one. Validation is unchanged. 0 = off, 0 <= p <= 1.
    rare_max_count: what "rare" means for ``rare_to_unk``: at most this many occurrences in
        the training part (1 = characters seen once).
    """

    task: str = "sentiment"
    dataset: str = "chinese_reviews"
    dataset_options: dict[str, Any] = field(default_factory=dict)
    tokenizer: str | None = None
    max_tokens: int | None = None
    maxlen: int = 100
    padding: str = "post"
    truncating: str = "pre"
    char_limit: int | None = None
    model: ModelConfig = field(default_factory=_default_model_config)
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    batch_size: int = 64
    epochs: int = 5
    clip_global_norm: float | None = None
    num_steps: int = 35
    sampler: str = "consecutive"
    val_fraction: float = 0.1
    seed: int = 0
    sample_prefixes: list[str] = field(default_factory=lambda: ["分开", "不分开"])
    sample_every: int = 1
    sample_length: int = 50
    log_every_batches: int = 20
    max_train_texts: int | None = None
    early_stopping_patience: int | None = None
    time_limit_minutes: float | None = None
    pretrained_vectors: str | None = None
    word2vec_init: dict[str, int] | None = None
    word2vec_corpora: list[str] = field(default_factory=list)
    label_smoothing: float = 0.0
    label_smoothing_prior: str = "uniform"
    output_bias: str = "zeros"
    weight_average: float = 0.0
    rare_to_unk: float = 0.0
    rare_max_count: int = 1

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of every field (the model config nested under "model")."""
        data: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "model":
                value = value.to_dict() if hasattr(value, "to_dict") else dict(value)
            data[f.name] = value
        return json.loads(json.dumps(data, ensure_ascii=False))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        """Inverse of ``to_dict``. Missing fields take their defaults; unknown ones are an error."""
        if not isinstance(data, dict):
            raise RnnLabError("train.bad_type", name="config", expected="expected.json_object", value=_show(data))
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise RnnLabError("train.unknown_settings", names=", ".join(unknown), known=", ".join(known))
        values = dict(data)
        model_cls = _model_config_class()
        model = values.get("model")
        if model is None:
            values.pop("model", None)
        elif isinstance(model, dict):
            try:
                values["model"] = model_cls.from_dict(model)
            except (TypeError, ValueError) as exc:
                raise RnnLabError("train.bad_model", reason=exc if isinstance(exc, RnnLabError) else str(exc)) from exc
        elif not isinstance(model, model_cls):
            raise RnnLabError("train.bad_type", name="model", expected="expected.json_object", value=_show(model))
        return cls(**values)

    def copy(self, **changes: Any) -> TrainConfig:
        """A deep copy with some fields replaced."""
        new = TrainConfig.from_dict(self.to_dict())
        return dataclasses.replace(new, **changes) if changes else new

    # ------------------------------------------------------------------ checks
    def validate(self) -> None:
        """Raise ``RnnLabError`` with a sentence for the user if any setting is absurd or unknown."""
        _validate_settings(self)
        model_cls = _model_config_class()
        if not isinstance(self.model, model_cls):
            raise RnnLabError("train.bad_type", name="model", expected="expected.model_config", value=_show(self.model))
        try:
            self.model.validate()
        except ValueError as exc:  # (a SettingError speaks the reader's language: kept as it is for the page)
            raise RnnLabError("train.bad_model", reason=exc if isinstance(exc, RnnLabError) else str(exc)) from exc
        if self.task == "language_model" and self.model.bidirectional:
            raise RnnLabError("train.lm_bidirectional")
        if self.pretrained_vectors and self.model.embedding_dim == 0:
            raise RnnLabError("emb.init_one_hot")
        if self.word2vec_init is not None and self.model.embedding_dim < 2:
            raise RnnLabError("train.bad_word2vec", reason="it needs an Embedding layer of at least 2 dimensions (model.embedding_dim)")

    def resolved(self) -> TrainConfig:
        """A copy with the data set's default tokeniser filled in (uploads: decided when loaded)."""
        new = self.copy()
        if new.tokenizer is None and not new.dataset.startswith(UPLOAD_PREFIX):
            new.tokenizer = datasets_lib.REGISTRY[new.dataset].tokenizers[0]
        return new


def check_settings(data: dict[str, Any]) -> None:
    """Validate a config dict's settings except the model's, without importing Keras.

    The CLI calls it first, so an absurd config fails in a fraction of a second;
    ``TrainConfig.validate`` repeats these checks and adds the model's.
    """
    if not isinstance(data, dict):
        raise RnnLabError("train.bad_type", name="config", expected="expected.json_object", value=_show(data))
    fields = [f for f in dataclasses.fields(TrainConfig)]
    unknown = sorted(set(data) - {f.name for f in fields})
    if unknown:
        raise RnnLabError("train.unknown_settings", names=", ".join(unknown), known=", ".join(f.name for f in fields))
    values: dict[str, Any] = {}
    for f in fields:
        if f.name == "model":
            continue
        if f.name in data:
            values[f.name] = data[f.name]
        elif f.default is not dataclasses.MISSING:
            values[f.name] = f.default
        else:
            values[f.name] = f.default_factory()  # type: ignore[misc]
    _validate_settings(SimpleNamespace(**values))


def _validate_settings(config: Any) -> None:
    """Every check of `TrainConfig.validate` except the model's (no Keras needed)."""
    _check_choice("task", config.task, TASKS)
    if not isinstance(config.dataset, str) or not config.dataset:
        raise RnnLabError("train.bad_dataset", name=_show(config.dataset), names=", ".join(datasets_lib.DATASET_NAMES))
    if config.dataset.startswith(UPLOAD_PREFIX):
        path = config.dataset[len(UPLOAD_PREFIX) :]
        if not path or Path(path).suffix.lower() not in datasets_lib.UPLOAD_TYPES:
            raise RnnLabError("train.bad_upload", path=path or "?", allowed=", ".join(datasets_lib.UPLOAD_TYPES))
    elif config.dataset not in datasets_lib.REGISTRY:
        raise RnnLabError("train.bad_dataset", name=config.dataset, names=", ".join(datasets_lib.DATASET_NAMES))
    kind = dataset_kind(config.dataset)
    wanted = ("corpus",) if config.task == "language_model" else ("labelled_text", "encoded")
    if kind not in wanted:
        raise RnnLabError("train.task_dataset", task=config.task, dataset=config.dataset)
    if not isinstance(config.dataset_options, dict):
        raise RnnLabError("train.bad_type", name="dataset_options", expected="expected.json_object", value=_show(config.dataset_options))
    allowed = dataset_option_names(config.dataset)
    extra = sorted(set(config.dataset_options) - set(allowed))
    if extra:
        raise RnnLabError("train.bad_options", names=", ".join(extra), dataset=config.dataset, allowed=", ".join(allowed) or "-")
    for name in ("num_words", "index_from"):
        if name in config.dataset_options:
            _check_int(name, config.dataset_options[name], allow_none=name == "num_words")
    if config.tokenizer is not None:
        _check_choice("tokenizer", config.tokenizer, dataset_tokenizers(config.dataset))
    _check_int("max_tokens", config.max_tokens, allow_none=True)
    _check_int("maxlen", config.maxlen)
    _check_choice("padding", config.padding, SIDES)
    _check_choice("truncating", config.truncating, SIDES)
    _check_int("char_limit", config.char_limit, allow_none=True)
    _check_choice("optimizer", config.optimizer, OPTIMIZERS)
    if not _is_number(config.learning_rate) or not math.isfinite(config.learning_rate) or not 0 < config.learning_rate <= MAX_LEARNING_RATE:
        raise RnnLabError("train.bad_open_range", name="learning_rate", low=0, high=_show(MAX_LEARNING_RATE), value=_show(config.learning_rate))
    _check_int("batch_size", config.batch_size)
    _check_int("epochs", config.epochs)
    if config.clip_global_norm is not None and (
        not _is_number(config.clip_global_norm) or not math.isfinite(config.clip_global_norm) or config.clip_global_norm <= 0
    ):
        raise RnnLabError("train.bad_clip", name="clip_global_norm", value=_show(config.clip_global_norm))
    _check_int("num_steps", config.num_steps)
    _check_choice("sampler", config.sampler, SAMPLER_NAMES)
    if not _is_number(config.val_fraction) or not 0 < config.val_fraction <= 0.5:
        raise RnnLabError("train.bad_open_range", name="val_fraction", low=0, high=0.5, value=_show(config.val_fraction))
    _check_int("seed", config.seed)
    if (
        not isinstance(config.sample_prefixes, (list, tuple))
        or not 1 <= len(config.sample_prefixes) <= MAX_PREFIXES
        or not all(isinstance(p, str) and p.strip() and len(p) <= MAX_PREFIX_CHARS for p in config.sample_prefixes)
    ):
        prefixes = config.sample_prefixes
        # as the form's field writes them, one space between each (a Python list, "['分开', '']", was shown)
        shown = " ".join(prefixes) if isinstance(prefixes, (list, tuple)) and all(isinstance(p, str) for p in prefixes) else _show(prefixes)
        raise RnnLabError("train.bad_prefixes", name="sample_prefixes", most=MAX_PREFIXES, chars=MAX_PREFIX_CHARS, value=_show(shown.strip()) if shown.strip() else "—")
    _check_int("sample_every", config.sample_every)
    _check_int("sample_length", config.sample_length)
    _check_int("log_every_batches", config.log_every_batches)
    _check_int("max_train_texts", config.max_train_texts, allow_none=True)
    _check_int("early_stopping_patience", config.early_stopping_patience, allow_none=True)
    limit = config.time_limit_minutes
    if limit is not None and (not _is_number(limit) or not math.isfinite(limit) or not 0 < limit <= MAX_TIME_LIMIT_MINUTES):
        raise RnnLabError("train.bad_open_range", name="time_limit_minutes", low=0, high=MAX_TIME_LIMIT_MINUTES, value=_show(limit))
    if config.pretrained_vectors is not None and (
        not isinstance(config.pretrained_vectors, str) or not config.pretrained_vectors.endswith(".npy")
    ):
        raise RnnLabError("train.bad_type", name="pretrained_vectors", expected="expected.npy_path", value=_show(config.pretrained_vectors))
    _check_word2vec_init(config)
    smoothing, average, rare = config.label_smoothing, config.weight_average, config.rare_to_unk
    _check_share("label_smoothing", smoothing, "train.bad_fraction")
    _check_choice("output_bias", config.output_bias, OUTPUT_BIASES)
    _check_choice("label_smoothing_prior", config.label_smoothing_prior, SMOOTHING_PRIORS)
    _check_share("weight_average", average, "train.bad_fraction")
    _check_share("rare_to_unk", rare, "train.bad_probability", one_allowed=True)
    _check_int("rare_max_count", config.rare_max_count)
    if config.task != "language_model" and (smoothing or config.output_bias != "zeros" or average or rare or config.label_smoothing_prior != "uniform"):
        raise RnnLabError("train.lm_only", names="label_smoothing, label_smoothing_prior, output_bias, weight_average, rare_to_unk")


OUTPUT_BIASES: tuple[str, ...] = ("zeros", "unigram")
"""How a language model's output bias starts (`TrainConfig.output_bias`)."""

SMOOTHING_PRIORS: tuple[str, ...] = ("uniform", "unigram")
"""What label smoothing spreads its share over (`TrainConfig.label_smoothing_prior`)."""

WORD2VEC_INIT_DEFAULTS: dict[str, int] = {"sg": 1, "window": 5, "negative": 5, "epochs": 5, "min_count": 2}
"""Word2Vec settings of ``word2vec_init`` when the config leaves them out."""

WORD2VEC_CORPORA: tuple[str, ...] = ("peoples_daily", "lyrics")
"""Unlabelled Chinese corpora that ``word2vec_corpora`` may add to Word2Vec's training texts."""


def _check_word2vec_init(config: Any) -> None:
    settings = getattr(config, "word2vec_init", None)
    corpora = getattr(config, "word2vec_corpora", [])
    if not isinstance(corpora, list) or not all(isinstance(c, str) for c in corpora):
        raise RnnLabError("train.bad_type", name="word2vec_corpora", expected="expected.corpus_list", value=_show(corpora))
    unknown = [c for c in corpora if c not in WORD2VEC_CORPORA]
    if unknown:
        raise RnnLabError("train.bad_word2vec", reason=f"word2vec_corpora: unknown corpus {', '.join(unknown)}; known: {', '.join(WORD2VEC_CORPORA)}")
    if len(set(corpora)) != len(corpora):
        raise RnnLabError("train.bad_word2vec", reason="word2vec_corpora names a corpus twice")
    if corpora and settings is None:
        raise RnnLabError("train.bad_word2vec", reason="word2vec_corpora adds text to word2vec_init's Word2Vec: set word2vec_init too")
    if settings is None:
        return
    if not isinstance(settings, dict):
        raise RnnLabError("train.bad_type", name="word2vec_init", expected="expected.word2vec_settings", value=_show(settings))
    extra = sorted(set(settings) - set(WORD2VEC_INIT_DEFAULTS))
    if extra:
        raise RnnLabError("train.bad_word2vec", reason=f"unknown setting(s) {', '.join(extra)}; known: {', '.join(WORD2VEC_INIT_DEFAULTS)}")
    if config.task != "sentiment":
        raise RnnLabError("train.bad_word2vec", reason="it is for sentiment runs only")
    if getattr(config, "pretrained_vectors", None):
        raise RnnLabError("train.bad_word2vec", reason="give pretrained_vectors or word2vec_init, not both")
    from core.embeddings import Word2VecSettings  # no Keras

    try:
        Word2VecSettings(**{**WORD2VEC_INIT_DEFAULTS, **settings}, dim=2, seed=0).validate()
    except RnnLabError as exc:
        raise RnnLabError("train.bad_word2vec", reason=exc.message("en")) from exc


def _check_int(name: str, value: Any, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    low, high = LIMITS[name]
    if not _is_int(value) or not low <= value <= high:
        raise RnnLabError("train.bad_range", name=name, low=low, high=high, value=_show(value))


def _check_share(name: str, value: Any, key: str, one_allowed: bool = False) -> None:
    """A finite number from 0 to below 1 (or to 1 with ``one_allowed``), else ``key``'s message."""
    if not _is_number(value) or not math.isfinite(value) or not (0 <= value <= 1 if one_allowed else 0 <= value < 1):
        raise RnnLabError(key, name=name, value=_show(value))


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise RnnLabError("train.bad_choice", name=name, value=_show(value), choices=", ".join(choices))


def dataset_kind(dataset: str) -> str:
    """"corpus" | "labelled_text" | "encoded" for a registered name or an "upload:<path>"."""
    if dataset.startswith(UPLOAD_PREFIX):
        suffix = Path(dataset[len(UPLOAD_PREFIX) :]).suffix.lower()
        return {".txt": "corpus", ".csv": "labelled_text", ".tsv": "labelled_text"}.get(suffix, "?")
    return datasets_lib.REGISTRY[dataset].kind


def dataset_tokenizers(dataset: str) -> tuple[str, ...]:
    if dataset.startswith(UPLOAD_PREFIX):
        return UPLOAD_TOKENIZERS
    return datasets_lib.REGISTRY[dataset].tokenizers


def dataset_option_names(dataset: str) -> tuple[str, ...]:
    if dataset.startswith(UPLOAD_PREFIX):
        return DATASET_OPTIONS["upload_csv"] if dataset_kind(dataset) == "labelled_text" else ()
    return DATASET_OPTIONS.get(dataset, ())


def apply_overrides(config: dict[str, Any], items: list[str]) -> dict[str, Any]:
    """``--set key=value`` items applied to a config dict (dotted keys reach into "model").

    Values are parsed as JSON when they can be (``64``, ``0.5``, ``null``, ``true``,
    ``["a", "b"]``); anything else is taken as a string.
    """
    out = json.loads(json.dumps(config))
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise RnnLabError("train.bad_set", item=item)
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        target = out
        parts = key.split(".")
        for part in parts[:-1]:
            if not isinstance(target.get(part), dict):
                target[part] = {}
            target = target[part]
        target[parts[-1]] = value
    return out


# =========================================================================== data


@dataclass
class SentimentData:
    """Padded id matrices [n, maxlen] (int32) and 0/1 labels [n] (float32) for each split."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    vocab_size: int
    vocab_json: str
    tokenizer: str
    info: dict[str, Any] = field(default_factory=dict)
    train_tokens: list[list[str]] | None = None  # every training text's tokens, before the vocabulary and maxlen (text data sets)


@dataclass
class LanguageModelData:
    """A token stream split in two: ``train_ids`` = stream[:split_index], ``val_ids`` = stream[split_index:].

    Both int32 [n]; the vocabulary comes from the training part only, so validation
    tokens it lacks are <unk> (id 1); ``val_unknown`` counts them.
    """

    train_ids: np.ndarray
    val_ids: np.ndarray
    vocab: textlib.Vocab
    tokenizer: str
    split_index: int
    n_tokens: int
    val_unknown: int
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def joiner(self) -> str:
        return " " if self.tokenizer == "word" else ""


def load_dataset(config: TrainConfig) -> datasets_lib.Dataset:
    """The data set the config names, from this machine (never downloads)."""
    if config.dataset.startswith(UPLOAD_PREFIX):
        path = Path(config.dataset[len(UPLOAD_PREFIX) :]).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RnnLabError("train.upload_missing", path=str(path), reason=exc.strerror or str(exc)) from exc
        purpose = "corpus" if config.task == "language_model" else "labelled"
        return datasets_lib.load_upload(path.name, data, purpose=purpose, **config.dataset_options)
    return datasets_lib.load(config.dataset, **config.dataset_options)


def _upload_tokenizer(config: TrainConfig, language: str) -> str:
    if config.tokenizer is not None:
        return config.tokenizer
    return "char" if language == "zh" else "word"


def _subset(rng: np.random.Generator, n: int, limit: int | None) -> np.ndarray:
    """Indices of a seeded random subset of at most `limit` of range(n), in their original order."""
    if limit is None or n <= limit:
        return np.arange(n)
    return np.sort(rng.choice(n, size=limit, replace=False))


def sentiment_part_positions(split: np.ndarray, config: TrainConfig, rng: np.random.Generator | None = None) -> tuple[dict[str, np.ndarray], str]:
    """({"train" | "val" | "test": positions}, where validation came from): which of a labelled data
    set's texts (`split`: each text's part, in the data set's order) a run's config trains, validates
    and tests on. The data set's own split; without a validation part, `val_fraction` of the
    training texts (seeded); then at most `max_train_texts` of each part (a seeded subset, in order).
    `rng`: the run's generator (a new one from its seed when None), used in this order, so the parts
    are the same every time; the Training page counts the run's vocabulary from them before Start."""
    rng = np.random.default_rng(config.seed) if rng is None else rng
    split = np.asarray(split)
    train, val, test = (np.flatnonzero(split == name) for name in ("train", "val", "test"))
    val_source = "val split"
    if not len(val):
        order = rng.permutation(len(train))
        n_val = max(1, int(round(config.val_fraction * len(train))))
        val, train = train[np.sort(order[:n_val])], train[np.sort(order[n_val:])]
        val_source = f"{config.val_fraction:g} of train"
    parts = {name: idx[_subset(rng, len(idx), config.max_train_texts)] for name, idx in (("train", train), ("val", val), ("test", test))}
    return parts, val_source


def _text_parts(ds: datasets_lib.LabelledTexts, config: TrainConfig, rng: np.random.Generator) -> tuple[dict[str, tuple[list[str], np.ndarray]], str]:
    """({"train" | "val" | "test": (texts, labels)}, where validation came from) for a run's config
    (`sentiment_part_positions`)."""
    positions, val_source = sentiment_part_positions(ds.split, config, rng)
    labels = np.asarray(ds.labels)
    return {name: ([ds.texts[i] for i in idx], labels[idx]) for name, idx in positions.items()}, val_source


def sentiment_test_texts(config: TrainConfig) -> tuple[list[str], np.ndarray]:
    """(texts, labels) of the test part a sentiment run on a text data set was scored on: the
    same texts as `prepare_sentiment_data` (same split, same seeded subset), not tokenised."""
    ds = load_dataset(config)
    if not isinstance(ds, datasets_lib.LabelledTexts):
        raise RnnLabError("train.task_dataset", task=config.task, dataset=config.dataset)
    return _text_parts(ds, config, np.random.default_rng(config.seed))[0]["test"]


def prepare_sentiment_data(config: TrainConfig, vocab_json: str | None = None) -> SentimentData:
    """Load, split, tokenise (vocabulary from the training texts only), encode and pad.

    ``vocab_json`` (a resumed run's vocab.json) is reused instead of building a new vocabulary.
    """
    ds = load_dataset(config)
    rng = np.random.default_rng(config.seed)
    notices = [n.message("en") for n in getattr(ds, "notices", [])]
    if isinstance(ds, datasets_lib.EncodedReviews):
        x_all, y_all = ds.x_train, np.asarray(ds.y_train)
        order = rng.permutation(len(x_all))
        n_val = max(1, int(round(config.val_fraction * len(x_all))))
        val_idx, train_idx = np.sort(order[:n_val]), np.sort(order[n_val:])
        train_idx = train_idx[_subset(rng, len(train_idx), config.max_train_texts)]
        val_idx = val_idx[_subset(rng, len(val_idx), config.max_train_texts)]
        test_idx = _subset(rng, len(ds.x_test), config.max_train_texts)

        def pad(seqs):
            return textlib.pad_and_truncate(seqs, config.maxlen, config.padding, config.truncating)

        record = {"kind": "keras_imdb", "num_words": int(ds.num_words), "index_from": int(ds.index_from)}
        return SentimentData(
            x_train=pad([x_all[i] for i in train_idx]),
            y_train=y_all[train_idx].astype("float32"),
            x_val=pad([x_all[i] for i in val_idx]),
            y_val=y_all[val_idx].astype("float32"),
            x_test=pad([ds.x_test[i] for i in test_idx]),
            y_test=np.asarray(ds.y_test)[test_idx].astype("float32"),
            vocab_size=int(ds.num_words),
            vocab_json=json.dumps(record),
            tokenizer="keras_ids",
            info={"train_texts": len(train_idx), "val_texts": len(val_idx), "test_texts": len(test_idx), "val_source": f"{config.val_fraction:g} of train", "notices": notices},
        )
    if not isinstance(ds, datasets_lib.LabelledTexts):
        raise RnnLabError("train.task_dataset", task=config.task, dataset=config.dataset)
    tokenizer = _upload_tokenizer(config, ds.language)
    parts, val_source = _text_parts(ds, config, rng)
    if not all(parts[name][0] for name in ("train", "val", "test")):  # (an empty test part made evaluate() fail after training)
        raise RnnLabError("train.too_few_texts", dataset=config.dataset, **{name: len(parts[name][0]) for name in ("train", "val", "test")})
    if len(np.unique(parts["train"][1])) < 2:
        only = int(parts["train"][1][0])  # named as the file names it (an upload's own word), else its 0/1 id
        raise RnnLabError("train.one_class", dataset=config.dataset, label=next((raw for raw, v in (ds.label_mapping or {}).items() if v == only), only))
    tokens = {name: textlib.tokenize_many(texts, tokenizer) for name, (texts, _) in parts.items()}
    if vocab_json is not None:
        vocab = textlib.Vocab.from_json(vocab_json)
    else:
        vocab = textlib.Vocab.build(tokens["train"], max_tokens=config.max_tokens)
    if len(vocab) < 3:
        raise RnnLabError("train.no_texts", dataset=config.dataset)

    def encode(name):
        ids = [vocab.encode(t) for t in tokens[name]]
        return textlib.pad_and_truncate(ids, config.maxlen, config.padding, config.truncating)

    return SentimentData(
        x_train=encode("train"),
        y_train=parts["train"][1].astype("float32"),
        x_val=encode("val"),
        y_val=parts["val"][1].astype("float32"),
        x_test=encode("test"),
        y_test=parts["test"][1].astype("float32"),
        vocab_size=len(vocab),
        vocab_json=vocab.to_json(),
        tokenizer=tokenizer,
        info={
            "train_texts": len(parts["train"][0]),
            "val_texts": len(parts["val"][0]),
            "test_texts": len(parts["test"][0]),
            "val_source": val_source,
            "vocab_size": len(vocab),
            "tokenizer": tokenizer,
            "notices": notices,
        },
        train_tokens=tokens["train"],
    )


def corpus_tokens(corpus: datasets_lib.Corpus, tokenizer: str, char_limit: int | None) -> list[str]:
    """The corpus as the language model reads it: ``lm_text()`` (newlines as spaces), cut to
    ``char_limit`` characters, split into tokens ("given": the corpus's own words, lines
    joined by a space token)."""
    corpus = corpus.first_characters(char_limit)
    if tokenizer == "given":
        if corpus.words is None:
            raise RnnLabError("train.bad_choice", name="tokenizer", value=_show(tokenizer), choices="char, jieba")
        return [token for i, line in enumerate(corpus.words) for token in ([" "] if i else []) + list(line)]
    return textlib.tokenize(corpus.lm_text(), tokenizer)


def split_stream(n_tokens: int, val_fraction: float) -> int:
    """Index where the held-out part starts: the last round(n * val_fraction) tokens (at least 1)."""
    n_val = max(1, int(round(n_tokens * val_fraction)))
    return max(0, n_tokens - n_val)


def prepare_language_model_data(config: TrainConfig, vocab: textlib.Vocab | None = None) -> LanguageModelData:
    """Load the corpus, tokenise it, hold out the last ``val_fraction`` and encode both parts
    with a vocabulary built on the first part only (or the given one, when resuming)."""
    ds = load_dataset(config)
    if not isinstance(ds, datasets_lib.Corpus):
        raise RnnLabError("train.task_dataset", task=config.task, dataset=config.dataset)
    tokenizer = _upload_tokenizer(config, ds.language)
    tokens = corpus_tokens(ds, tokenizer, config.char_limit)
    split = split_stream(len(tokens), config.val_fraction)
    train_tokens, val_tokens = tokens[:split], tokens[split:]
    if vocab is None:
        vocab = textlib.Vocab.build([train_tokens], max_tokens=config.max_tokens)
    if len(vocab) < 3:
        raise RnnLabError("train.corpus_too_short", n=len(train_tokens), batch_size=config.batch_size, num_steps=config.num_steps)
    train_ids = np.asarray(vocab.encode(train_tokens), dtype=np.int32)
    val_ids = np.asarray(vocab.encode(val_tokens), dtype=np.int32)
    val_unknown = int(np.count_nonzero(val_ids == textlib.UNK_ID))
    notices = [n.message("en") for n in ds.notices]
    if val_unknown:
        from core.i18n import tr

        notices.append(tr("train.val_unknown", "en", n=val_unknown, total=len(val_ids)))
    return LanguageModelData(
        train_ids=train_ids,
        val_ids=val_ids,
        vocab=vocab,
        tokenizer=tokenizer,
        split_index=split,
        n_tokens=len(tokens),
        val_unknown=val_unknown,
        info={"tokens": len(tokens), "train_tokens": len(train_ids), "val_tokens": len(val_ids), "vocab_size": len(vocab), "val_unknown": val_unknown, "notices": notices,
              "distinct_tokens": len(set(tokens))},  # (over both parts: the vocabulary of a tutorial that holds nothing out)
    )


def validation_shape(n_val: int, sampler: str, batch_size: int, num_steps: int, fixed_steps: bool = False) -> tuple[int, int]:
    """(rows, steps) of the validation batches over a held-out stream of ``n_val`` ids.

    Consecutive: the same ``batch_size`` rows as training (the stateful model's fixed
    batch), with fewer steps when the stream is short. Random: ``num_steps`` steps,
    fewer rows when short. ``fixed_steps`` (a Keras-cell loop over a fixed length)
    forbids shortening the steps.
    """
    if sampler == "consecutive":
        steps = min(num_steps, n_val // batch_size - 1)
        rows = batch_size
    else:
        steps = min(num_steps, n_val - 1)
        rows = min(batch_size, (n_val - 1) // max(steps, 1)) if steps >= 1 else 0
    if steps < 1 or rows < 1:
        raise RnnLabError("train.val_too_short", n=n_val, batch_size=batch_size, num_steps=num_steps)
    if fixed_steps and steps != num_steps:  # (said apart: raising val_fraction is not the only way out)
        raise RnnLabError("train.val_too_short_fixed", n=n_val, batch_size=batch_size, num_steps=num_steps, need=batch_size * (num_steps + 1))
    return rows, steps


def validation_batches(n_val: int, sampler: str, rows: int, steps: int) -> int:
    """How many batches of (`rows`, `steps`) (`validation_shape`) `LanguageModelTrainer.evaluate`
    reads over a held-out stream of `n_val` ids: consecutive, the strips' windows; random, every
    window once, `rows` at a time."""
    if sampler == "consecutive":
        return max(0, (n_val // rows - 1) // steps)
    return math.ceil(max(0, (n_val - 1) // steps) / rows)


def _epoch_seed(seed: int, epoch: int) -> int:
    return int(np.random.SeedSequence([seed, epoch]).generate_state(1)[0])


# =========================================================================== models


def make_optimizer(config: TrainConfig):
    """The Keras optimizer named by the config; ``clip_global_norm`` becomes ``global_clipnorm``
    of the `core.models.CLIPPED_OPTIMIZERS` variant, which clips by the true global norm
    (Keras's own takes an Embedding's sparse gradient rows as if they were the gradient)."""
    import keras

    from core.models import CLIPPED_OPTIMIZERS

    classes = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD, "rmsprop": keras.optimizers.RMSprop}
    kwargs = {"learning_rate": float(config.learning_rate)}
    if config.clip_global_norm is not None:
        kwargs["global_clipnorm"] = float(config.clip_global_norm)
        return CLIPPED_OPTIMIZERS[config.optimizer](**kwargs)
    return classes[config.optimizer](**kwargs)


def build_sentiment_model(config: TrainConfig, vocab_size: int, embedding_matrix: np.ndarray | None = None):
    """The compiled classifier: binary cross-entropy, accuracy (``embedding_matrix``: the initial table)."""
    from core.models import build_sentiment_classifier

    model = build_sentiment_classifier(config.model, vocab_size, config.maxlen, embedding_matrix=embedding_matrix)
    model.compile(optimizer=make_optimizer(config), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def build_training_language_model(config: TrainConfig, vocab_size: int, embedding_matrix: np.ndarray | None = None):
    """The language model as trained: stateful with a fixed batch for the consecutive sampler.

    Compiled only to attach the optimizer (so .keras files carry its state for resuming);
    the training step is `LanguageModelTrainer`'s own.
    """
    import keras

    from core.models import build_language_model

    stateful = config.sampler == "consecutive"
    model = build_language_model(
        config.model,
        vocab_size,
        seq_len=config.num_steps if config.model.implementation == "keras_cell" else None,
        batch_size=config.batch_size if stateful else None,
        stateful=stateful,
        embedding_matrix=embedding_matrix,
    )
    model.compile(optimizer=make_optimizer(config), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def load_run_model(path: Path):
    """A saved run model (`.keras`), with safe_mode on; our custom classes are registered first."""
    import keras

    import core.cells  # noqa: F401 - registers the "rnnlab" classes
    import core.models  # noqa: F401

    return keras.saving.load_model(path, safe_mode=True)


def load_saved_model(path: Path):
    """`load_run_model`, a file that cannot be read said as what it is (RnnLabError
    "predict.broken_model": an archive cut short, else Keras's first line), for the playgrounds'
    predictor and generator."""
    try:
        return load_run_model(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is reported the same way
        reason = archive_problem(path) or (str(exc).splitlines() or [type(exc).__name__])[0][:300]
        raise RnnLabError("predict.broken_model", path=str(path), reason=reason) from exc


def _recurrent_layers(model) -> list:
    import keras

    return [layer for layer in model.layers if isinstance(layer, keras.layers.RNN)]


def model_state(model) -> list[np.ndarray]:
    """The carried state of every stateful recurrent layer, as numpy arrays (empty when not stateful)."""
    out = []
    for layer in _recurrent_layers(model):
        if getattr(layer, "stateful", False) and layer.states is not None:
            out.extend(np.array(v.numpy()) for v in layer.states)
    return out


class LanguageModelTrainer:
    """Compiled train and evaluation steps of a language model, with the sampler's state rule.

    ``model`` maps ids [batch, steps] to logits [batch, steps, vocab] and is compiled
    with its optimizer. With ``sampler="consecutive"`` the model must be stateful (fixed
    batch): ``train_epoch`` zeroes the state first and then carries it from batch to
    batch. With ``"random"`` the model is not stateful: each batch starts from zeros.

    The training step computes ``model(x)`` through `core.models.LanguageModelForward`: for
    from-scratch models (``fast_path``) the one-hot product is a row gather and the time loop
    is unrolled, the same maths; ``jit_compile`` says whether the step is compiled with XLA
    (short simple_rnn steps, where it pays). From-scratch SimpleRNN models, the tutorial's
    (``fused``), take `core.fused.FusedSimpleRNNStep` instead: their loss and gradients derived
    by hand, the output layer in time chunks that overlap the recurrence, the same numbers as
    autodiff. ``steps_per_execution``: batches per call into TensorFlow (`train_epoch`).
    """

    def __init__(self, model, sampler: str, batch_size: int, num_steps: int, seed: int = 0, label_smoothing: float = 0.0,
                 weight_average: float = 0.0, rare_tokens: np.ndarray | None = None, rare_to_unk: float = 0.0,
                 smoothing_prior: np.ndarray | None = None, steps_per_execution: int | None = None) -> None:
        import keras
        import tensorflow as tf

        if sampler not in SAMPLER_NAMES:
            raise ValueError(f"unknown sampler {sampler!r}")
        self.model = model
        self.optimizer = model.optimizer
        self.sampler = sampler
        self.batch_size = batch_size
        self.num_steps = num_steps
        self.seed = seed
        self.stateful = any(getattr(layer, "stateful", False) for layer in _recurrent_layers(model))
        if self.stateful != (sampler == "consecutive"):
            raise ValueError("the consecutive sampler needs a stateful model and the random one a stateless model")
        if not self.optimizer.built:
            self.optimizer.build(model.trainable_variables)
        from core.fused import FusedSimpleRNNStep, mean_cross_entropy
        from core.models import language_model_forward

        smoothing = float(label_smoothing)
        # model(x) itself, or for from-scratch models the same maths with the one-hot product
        # replaced by a row gather and the time loop unrolled (see core.models.LanguageModelForward)
        forward = language_model_forward(model)
        self.fast_path = forward.fast_path
        # from-scratch SimpleRNN models (the tutorial's): loss and gradients derived by hand, the
        # output layer in time chunks that overlap the recurrence (core.fused); plain cross-entropy only
        fused = FusedSimpleRNNStep.for_model(model) if not smoothing and FusedSimpleRNNStep.handles(num_steps) else None
        self.fused = fused is not None
        # XLA's CPU code runs on the intra-op threads: with one per op (configure_threads) it is slower
        self.jit_compile = forward.xla_helps(num_steps) and fused is None and tf.config.threading.get_intra_op_parallelism_threads() != 1

        # smoothing_prior q [vocab] (sums to 1): smooth toward q instead of the uniform distribution
        prior = None if smoothing_prior is None else tf.constant(np.asarray(smoothing_prior, dtype=np.float32))
        # rare_to_unk p: each epoch, every occurrence of a token with rare_tokens[id] True is <unk> with probability p
        self.rare_tokens = None if rare_tokens is None else np.asarray(rare_tokens, dtype=bool)
        self.rare_to_unk = float(rare_to_unk)
        # weight_average d: after every update, average <- d * average + (1 - d) * weights
        self.weight_average = float(weight_average)
        self._average = None
        if self.weight_average:
            self._average = [tf.Variable(np.array(v.numpy()), trainable=False, name="average") for v in model.trainable_variables]
        average, decay = self._average, self.weight_average

        def autodiff(x, y):
            """(plain mean cross-entropy, dense gradients of the objective) through the tape."""
            with tf.GradientTape() as tape:
                logits = forward(x, training=True)
                loss = mean_cross_entropy(y, logits)  # reported: the plain cross-entropy
                objective = loss
                if smoothing:  # (1 - eps) CE + eps * mean over the vocabulary of -log p (or sum_v q_v -log p_v)
                    log_p = keras.ops.log_softmax(logits, axis=-1)
                    if prior is None:
                        spread = -keras.ops.mean(log_p)
                    else:
                        spread = -keras.ops.mean(keras.ops.sum(log_p * keras.ops.cast(prior, log_p.dtype), axis=-1))
                    objective = (1.0 - smoothing) * loss + smoothing * spread
            grads = tape.gradient(objective, model.trainable_variables)
            # dense: the embedding's gradient is IndexedSlices with repeated rows, whose
            # values alone do not give the norm of the gradient; the optimizer's own
            # global_clipnorm would compute its norm over those slices (too large when ids
            # repeat), so it gets the dense gradient too and clips by the true global norm
            return loss, [tf.convert_to_tensor(g) for g in grads]

        @tf.function(reduce_retracing=True, jit_compile=self.jit_compile)
        def train_step(x, y):
            if fused is not None and fused.handles(x.shape[1]):  # static steps (a relaxed trace falls back)
                loss, grads = fused(x, y)
            else:
                loss, grads = autodiff(x, y)
            variables = model.trainable_variables
            norm = tf.linalg.global_norm(grads)
            self.optimizer.apply(grads, variables)
            if average is not None:
                for avg, var in zip(average, variables):
                    avg.assign(decay * avg + (1.0 - decay) * var)
            return loss, norm

        @tf.function(reduce_retracing=True)
        def eval_step(x, y):
            return mean_cross_entropy(y, forward(x, training=False))

        self._train_step = train_step
        self._eval_step = eval_step
        self._train_steps: dict[tuple, Any] = {}  # (batch, steps) -> the grouped step for that batch shape, traced on its first call
        # batches per call of the grouped step: a fixed number, or None = as many as fill
        # about EXECUTION_SECONDS (measured as the run goes; one until a call has been timed)
        if steps_per_execution is not None and int(steps_per_execution) < 1:
            raise ValueError("steps_per_execution must be at least 1")
        self.steps_per_execution = None if steps_per_execution is None else int(steps_per_execution)
        self._seconds_per_batch: float | None = None

    def step_description(self) -> str:
        """How the training step is computed, in one line for the run's log."""
        import tensorflow as tf

        if self.fused:
            how = "loss and gradients derived by hand (core.fused: BPTT written out, the output layer in time chunks)"
        elif self.fast_path:
            how = "autodiff through the unrolled from-scratch cells (one-hot products as row gathers)"
        else:
            how = "autodiff through model(x)"
        if self.jit_compile:
            how += ", XLA-compiled"
        low = sorted({layer.compute_dtype for layer in self.model.layers if layer.compute_dtype != layer.variable_dtype})
        if low:
            how += f", some layers computing in {'/'.join(low)} (float32 weights)"
        inter, intra = tf.config.threading.get_inter_op_parallelism_threads(), tf.config.threading.get_intra_op_parallelism_threads()
        threads = "TensorFlow's default threads" if not (inter or intra) else f"{inter} ops at once, {intra} thread(s) each"
        return f"{how}; {threads}"

    @contextlib.contextmanager
    def averaged_weights(self):
        """Within the block the model holds the averaged weights (``weight_average``), the raw
        ones again after it, however it ends; without averaging, nothing changes."""
        if self._average is None:
            yield
            return
        raw = [np.array(v.numpy()) for v in self.model.trainable_variables]
        for var, avg in zip(self.model.trainable_variables, self._average):
            var.assign(avg)
        try:
            yield
        finally:
            for var, value in zip(self.model.trainable_variables, raw):
                var.assign(value)

    def reset_state(self) -> None:
        from core.models import reset_states

        reset_states(self.model)

    def train_batch(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        """One update; returns (mean cross-entropy of the batch before the update, gradient norm before clipping)."""
        loss, norm = self._train_step(np.asarray(x, dtype=np.int32), np.asarray(y, dtype=np.int32))
        return float(loss), float(norm)

    def train_batches(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``len(xs)`` updates in one call, one batch after the other (xs, ys int [k, batch, steps]);
        returns each batch's (loss before its update, gradient norm before clipping) as two [k] arrays.

        The same updates as ``train_batch`` on each batch in turn, in one TensorFlow call: a
        loop over the batches inside the graph (as Keras's ``steps_per_execution``), so the cores
        do not wait for Python between batches. On the tutorial's small step (T4) that wait was
        about a tenth of the time: interleaved epochs on 2 cores, 16.4 -> 14.7 ms a batch
        (2026-11-30). The loop costs about 1 ms a call, which a group of one pays only when its
        batch takes `EXECUTION_SECONDS` or more (and in the first two calls); one function for
        every group size means one trace.
        """
        import tensorflow as tf

        xs = np.asarray(xs, dtype=np.int32)
        ys = np.asarray(ys, dtype=np.int32)
        if xs.ndim != 3 or xs.shape != ys.shape or len(xs) < 1:
            raise ValueError(f"train_batches takes x and y of the same shape [k >= 1, batch, steps], not {xs.shape} and {ys.shape}")
        shape = tuple(xs.shape[1:])
        steps_fn = self._train_steps.get(shape)
        if steps_fn is None:
            train_step = self._train_step
            spec = tf.TensorSpec([None, *shape], tf.int32)

            @tf.function(input_signature=[spec, spec])
            def steps_fn(xb, yb):
                count = tf.shape(xb)[0]
                losses = tf.TensorArray(tf.float32, size=count)
                norms = tf.TensorArray(tf.float32, size=count)
                for i in tf.range(count):
                    loss, norm = train_step(xb[i], yb[i])
                    losses = losses.write(i, tf.cast(loss, tf.float32))
                    norms = norms.write(i, tf.cast(norm, tf.float32))
                return losses.stack(), norms.stack()

            self._train_steps[shape] = steps_fn
        losses, norms = steps_fn(xs, ys)
        return losses.numpy(), norms.numpy()

    def _group_size(self, remaining: int) -> int:
        """How many batches the next call of the grouped step takes."""
        if self.steps_per_execution is not None:
            size = self.steps_per_execution
        elif self._seconds_per_batch is None:
            size = 1
        else:
            size = int(EXECUTION_SECONDS / max(self._seconds_per_batch, 1e-6))
        return max(1, min(size, MAX_STEPS_PER_EXECUTION, remaining))

    def eval_batch(self, x: np.ndarray, y: np.ndarray) -> float:
        return float(self._eval_step(np.asarray(x, dtype=np.int32), np.asarray(y, dtype=np.int32)))

    def epoch_ids(self, ids: np.ndarray, epoch: int) -> np.ndarray:
        """The training stream as epoch ``epoch`` reads it: with ``rare_to_unk``, each occurrence of
        a rare token becomes <unk> with that probability (seeded by the seed and the epoch)."""
        ids = np.asarray(ids)
        if self.rare_tokens is None or not self.rare_to_unk:
            return ids
        rng = np.random.default_rng([self.seed, epoch, 1])
        rare = self.rare_tokens[ids] & (rng.random(len(ids)) < self.rare_to_unk)
        return np.where(rare, textlib.UNK_ID, ids).astype(ids.dtype)

    def batches(self, ids: np.ndarray, epoch: int) -> list[textlib.Batch]:
        """One epoch of training batches (the random order depends on the seed and the epoch)."""
        sampler = textlib.SAMPLERS[self.sampler]
        return list(sampler(self.epoch_ids(ids, epoch), self.batch_size, self.num_steps, seed=_epoch_seed(self.seed, epoch)))

    def train_epoch(self, ids: np.ndarray, epoch: int, on_batch: Callable[[int, dict], None] | None = None) -> dict[str, float]:
        """Train over one epoch of ``ids``; ``on_batch(batch, logs)`` runs after every batch.

        logs: loss (mean of the epoch so far), batch_loss, perplexity (exp of loss), grad_norm.
        The batches go to TensorFlow in groups (`train_batches`): ``steps_per_execution`` of
        them, or by default as many as take about `EXECUTION_SECONDS` (one at a time until a
        call has been timed); the hooks of a group's batches run when the group is done, all of
        them even when one asks the run to stop, since their updates are made.
        """
        if self.stateful:
            self.reset_state()
        batches = self.batches(ids, epoch)
        total = 0.0
        count = 0
        while count < len(batches):
            group = batches[count:count + self._group_size(len(batches) - count)]
            traced = tuple(group[0].x.shape) in self._train_steps  # the first call for a batch shape also traces
            started = time.perf_counter()
            losses, norms = self.train_batches(np.stack([b.x for b in group]), np.stack([b.y for b in group]))
            if traced:
                self._seconds_per_batch = (time.perf_counter() - started) / len(group)
            stop = None
            for loss, norm in zip(losses.tolist(), norms.tolist()):
                total += loss
                count += 1
                mean = total / count
                if on_batch is None:
                    continue
                try:
                    on_batch(count - 1, {"loss": mean, "batch_loss": loss, "perplexity": _safe_exp(mean), "grad_norm": norm})
                except StopRequested as request:  # the group's updates are made: log every one of them first
                    stop = request
            if stop is not None:
                raise stop
        mean = total / max(count, 1)
        return {"loss": mean, "perplexity": _safe_exp(mean)}

    def evaluate(self, ids: np.ndarray, on_batch: Callable[[int], None] | None = None) -> dict[str, float]:
        """Mean cross-entropy over the held-out stream and its perplexity (`targets`: how many
        held-out positions it is the mean of).

        Consecutive: the state starts at zero and is carried through the stream, in the training
        batch's rows. Random: every window of ``steps`` from the start of the stream, once, in
        order, each from a zero state (the last batch may have fewer rows). It was the random
        sampler's batches, whose shuffle (seeded by the run's seed) and leftover windows decided
        which tenth of the held-out text was left out: the same weights read 173.4-180.1 with
        seeds 0-4, as large as the spread between the seeds' models (an exploratory practitioner).
        """
        fixed = self.model.inputs[0].shape[1] is not None
        rows, steps = validation_shape(len(ids), self.sampler, self.batch_size, self.num_steps, fixed_steps=fixed)
        if self.stateful:
            self.reset_state()
        if self.sampler == "random":
            data = np.asarray(ids)
            starts = np.arange((len(data) - 1) // steps, dtype=np.int64) * steps
            positions = (starts[i : i + rows, None] + np.arange(steps)[None, :] for i in range(0, len(starts), rows))
            batches = ((data[p], data[p + 1]) for p in positions)
        else:
            batches = ((b.x, b.y) for b in textlib.consecutive_batches(ids, rows, steps))
        total = 0.0
        count = 0
        b = -1
        for b, (x, y) in enumerate(batches):
            total += self.eval_batch(x, y) * len(x)  # (every row has `steps` targets: weighted by rows)
            count += len(x)
            if on_batch is not None:
                on_batch(b)
        if self.stateful:
            self.reset_state()
        mean = total / max(count, 1)
        return {"loss": mean, "perplexity": _safe_exp(mean), "batches": b + 1, "rows": rows, "steps": steps, "targets": count * steps}


def _safe_exp(value: float) -> float:
    try:
        return math.exp(value)
    except OverflowError:
        return float("inf")


class GreedyGenerator:
    """Greedy continuation of a prefix, carrying the state one token at a time.

    A stateful copy of the language model with batch 1 and one step per call:
    feed the prefix token by token (warming the state), then repeatedly append the
    most likely next token and feed it back.
    """

    def __init__(self, model_config: ModelConfig, vocab_size: int) -> None:
        import tensorflow as tf

        from core.models import build_language_model

        self.model = build_language_model(model_config, vocab_size, seq_len=1, batch_size=1, stateful=True)
        self._step = tf.function(lambda x: self.model(x, training=False))

    def generate(self, weights: list[np.ndarray], prefix_ids: list[int], length: int) -> list[int]:
        """prefix ids + ``length`` generated ids (at least one prefix id is needed)."""
        from core.models import reset_states

        self.model.set_weights(weights)
        reset_states(self.model)
        out = list(prefix_ids)
        logits = None
        for token in prefix_ids:
            logits = self._step(np.asarray([[token]], dtype=np.int32))
        for _ in range(length):
            nxt = int(np.argmax(np.asarray(logits)[0, -1]))
            out.append(nxt)
            logits = self._step(np.asarray([[nxt]], dtype=np.int32))
        return out


def tokenize_prefix(prefix: str, tokenizer: str) -> list[str]:
    """Tokens of a sample prefix (the "given" segmentation has no tokeniser: jieba stands in)."""
    if tokenizer == "given":
        tokenizer = "jieba"
    return textlib.tokenize(prefix, tokenizer)


# =========================================================================== hooks


class StopRequested(Exception):
    """Raised after a batch when the run folder holds a stop request."""


class TimeLimitReached(StopRequested):
    """Raised after a batch once the run has trained ``time_limit_minutes`` in this stretch
    (a stop that nobody asked for: saved and resumable alike, ``stopped_by`` "time_limit")."""


class TensorBoardLog:
    """Epoch scalars for TensorBoard under ``tb/train`` and ``tb/validation``.

    Uses ``keras.callbacks.TensorBoard(update_freq="epoch", write_graph=False)`` when the
    ``tensorboard`` package is installed; otherwise writes the same scalar events with
    TensorFlow's own ``tf.summary.write`` (TensorFlow 2.21 no longer depends on
    ``tensorboard``, whose ``tf.summary.scalar`` it needs).
    """

    def __init__(self, log_dir: Path, model) -> None:
        import importlib.util

        self.log_dir = Path(log_dir)
        self.model = model
        self._callback = None
        self._writers: dict[str, Any] = {}
        if importlib.util.find_spec("tensorboard") is not None:
            import keras

            self._callback = keras.callbacks.TensorBoard(log_dir=str(self.log_dir), update_freq="epoch", write_graph=False, profile_batch=0)
            self._callback.set_model(model)
            self._callback.on_train_begin()

    def epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        """Write the epoch's scalars; a log folder that cannot be written is `RnnLabError` "train.disk"."""
        import tensorflow as tf

        try:
            self._write(epoch, logs)
        except tf.errors.OpError as exc:  # TensorFlow's own file errors are not OSError
            first = (str(exc.message).strip().splitlines() or [""])[0]
            reason = re.sub(r"\{\{.*?\}\}\s*|\s*\[Op:.*$", "", first)  # "{{function_node ...}} /x/tb is not a directory [Op:...]"
            raise RnnLabError("train.disk", path=str(self.log_dir), reason=reason or type(exc).__name__) from exc

    def _write(self, epoch: int, logs: dict[str, float]) -> None:
        logs = {k: float(v) for k, v in logs.items() if _is_number(v) and math.isfinite(float(v))}
        if self._callback is not None:
            self._callback.on_epoch_end(epoch, logs)
            return
        import tensorflow as tf
        from tensorflow.core.framework import summary_pb2

        metadata = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))
        for part, items in (("train", {k: v for k, v in logs.items() if not k.startswith("val_")}), ("validation", {k[4:]: v for k, v in logs.items() if k.startswith("val_")})):
            if not items:
                continue
            if part not in self._writers:
                self._writers[part] = tf.summary.create_file_writer(str(self.log_dir / part))
            with self._writers[part].as_default():
                for name, value in items.items():
                    tf.summary.write(f"epoch_{name}", tf.constant(value, dtype=tf.float32), step=epoch, metadata=metadata)
            self._writers[part].flush()

    def close(self) -> None:
        """Close the writers. Every epoch's scalars were flushed already, so a failure here
        (a disk that filled up) is not worth hiding the run's own outcome or error for."""
        try:
            if self._callback is not None:
                self._callback.on_train_end()
            for writer in self._writers.values():
                writer.close()
        except Exception:  # noqa: BLE001
            pass
        self._callback = None
        self._writers = {}


class RunLog:
    """Lines for the run's log: printed to stdout, and appended to train.log unless stdout already is it."""

    def __init__(self, run: RunDir) -> None:
        self.run = run
        self._tee = not _same_file(sys.stdout, run.log_path)

    def __call__(self, message: str) -> None:
        line = f"[{time.strftime('%Y-%m-%d %H:%M:%S')}] {message}"
        try:
            print(line, flush=True)
        except (OSError, ValueError):  # stdout is train.log on a full disk, or closed
            pass
        if self._tee:
            try:
                with open(self.run.log_path, "a", encoding="utf-8") as f:
                    f.write(line + "\n")
            except OSError:
                pass


def _same_file(stream, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(stream.fileno()), os.stat(path))
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


class RunMonitor:
    """What a run reports while it trains; shared by both tasks.

    - after each batch: a line in batches.jsonl every ``log_every_batches`` batches (and at
      the last batch of an epoch), the heartbeat/progress/ETA in status.json at most every
      ``HEARTBEAT_SECONDS``, a non-finite loss is an error, a stop request raises
      `StopRequested` (the batch is finished; the caller saves and marks the run cancelled);
    - at each epoch end: a line in history.jsonl, TensorBoard scalars and status.json;
      model_last.keras when `CHECKPOINT_SECONDS` have passed since it was last written, when
      val_loss improves (then model_best.keras too), at the last epoch and when early
      stopping ends the run; status.json's ``checkpoint_epoch`` says which epoch it holds.

    Epochs are 0-based here (as Keras counts) and 1-based in the files.
    """

    def __init__(self, run: RunDir, config: TrainConfig, model, steps_per_epoch: int, start_epoch: int, log: RunLog, best: dict | None = None,
                 val_batches: int = 0, test_batches: int = 0) -> None:
        self.run = run
        self.config = config
        self.model = model
        self.steps_per_epoch = max(1, int(steps_per_epoch))
        # the time left counts each epoch's validation batches and the test's after the last (`work_done`)
        self.val_batches, self.test_batches = max(0, int(val_batches)), max(0, int(test_batches))
        self._trained = self._validated = self._tested = 0  # batches of this epoch's training and validation; of the test
        self.start_epoch = start_epoch
        self.log = log
        self.best = dict(best) if best else {}
        self.metric = "accuracy" if config.task == "sentiment" else "perplexity"
        self.tensorboard = TensorBoardLog(run.tensorboard_dir, model)
        self._epoch_t0 = time.time()
        self._pace_from: tuple[float, float] | None = None  # (time, progress) the ETA's pace counts from (`eta`)
        self._last_beat = 0.0
        self._epoch = start_epoch
        self.epochs_done = start_epoch
        self.checkpoint_epoch = start_epoch  # the epoch model_last.keras holds
        self._last_checkpoint = time.monotonic()
        self.stopped_early: int | None = None  # the epoch after which early stopping ended the run
        limit = config.time_limit_minutes
        self._deadline = time.monotonic() + 60.0 * limit if limit else None  # (`TrainConfig.time_limit_minutes`)
        self.eta_limited = False  # the last `eta` was the time limit's, not the run's end

    # progress
    def progress(self, epoch: int, batches_done: int) -> float:
        fraction = (epoch + min(batches_done, self.steps_per_epoch) / self.steps_per_epoch) / self.config.epochs
        return float(min(1.0, max(0.0, fraction)))

    @property
    def _testing(self) -> bool:
        """Whether the epochs are over (the last trained, or early stopping ended them): scoring
        batches now are the test's, not an epoch's validation."""
        return self.epochs_done >= self.config.epochs or self.stopped_early is not None

    def work_done(self) -> float:
        """The run's share done, counting what takes time: training batches, each epoch's validation
        batches and the test's after the last epoch (`EVAL_BATCH_COST` of a training batch each).
        What the time left is paced on (`eta`); the progress bar stays the epochs' (`progress`)."""
        epoch_work = self.steps_per_epoch + EVAL_BATCH_COST * self.val_batches
        total = self.config.epochs * epoch_work + EVAL_BATCH_COST * self.test_batches
        if self._testing:
            done = self.config.epochs * epoch_work + EVAL_BATCH_COST * min(self._tested, self.test_batches)
        else:
            done = self._epoch * epoch_work + min(self._trained, self.steps_per_epoch) + EVAL_BATCH_COST * min(self._validated, self.val_batches)
        return float(min(1.0, done / total)) if total > 0 else 1.0

    def eta(self, progress: float) -> float | None:
        """Seconds left, at the pace since the first call (the end of this process's first batch):
        the first batch builds and compiles the graph, seconds that a tiny lyrics epoch (0.4 s)
        does not repeat. Timed from the start, the panel said "about 7414 s left" at epoch 1/100
        of a run that took 49 s in all. None until there is a pace."""
        now = time.time()
        if self._pace_from is None:
            self._pace_from = (now, progress)
            return None
        since, at = self._pace_from
        if progress - at <= 1e-9:
            return None
        left = (now - since) / (progress - at) * (1.0 - progress)
        # no later than its time limit: a run of 500 epochs stopped at its 2 minutes said "about 9902 s
        # left", and a classmate queued behind it "your turn in about 10452 s" (an exploratory teacher)
        self.eta_limited = self._deadline is not None and time.monotonic() + left > self._deadline
        return max(0.0, self._deadline - time.monotonic()) if self.eta_limited else left

    def heartbeat(self, force: bool = False, **fields: Any) -> None:
        now = time.time()
        if force or now - self._last_beat >= HEARTBEAT_SECONDS:
            self._last_beat = now
            if "eta_seconds" in fields:  # (whether the time left is the time limit's: the panel says so)
                fields["eta_limited"] = bool(fields["eta_seconds"] is not None and self.eta_limited)
            self.run.update_status(**fields)

    # hooks
    def epoch_begin(self, epoch: int) -> None:
        self._epoch = epoch
        self._trained = self._validated = 0
        self._epoch_t0 = time.time()
        self.heartbeat(force=True, state="running", progress=self.progress(epoch, 0), epoch_running=epoch + 1)

    def batch_end(self, epoch: int, batch: int, logs: dict[str, float]) -> None:
        step = epoch * self.steps_per_epoch + batch + 1
        loss = float(logs.get("loss", float("nan")))
        if not math.isfinite(loss):
            raise RnnLabError("train.not_finite", value=str(loss), epoch=epoch + 1)
        if step % self.config.log_every_batches == 0 or batch + 1 == self.steps_per_epoch:
            row = {"epoch": epoch + 1, "batch": batch + 1, "step": step}
            row.update({k: float(v) for k, v in logs.items() if _is_number(v)})
            row["time"] = time.time()
            append_jsonl(self.run.batches_path, row)
        self._epoch, self._trained = epoch, batch + 1
        self.heartbeat(progress=self.progress(epoch, batch + 1), eta_seconds=self.eta(self.work_done()), batch=batch + 1)
        self.check_stop()

    def test_batch_end(self) -> None:
        """A validation batch (within an epoch) or a test batch (after the last)."""
        if self._testing:
            self._tested += 1
        else:
            self._validated += 1
        self.heartbeat(eta_seconds=self.eta(self.work_done()))
        self.check_stop(timed=False)

    def check_stop(self, timed: bool = True) -> None:
        """A stop request, or after a training batch the end of the run's time
        (`TimeLimitReached`), ends it here. Not the time after a validation or test batch: a run
        whose last epoch had trained would have ended "stopped" while it was being scored."""
        if self.run.stop_requested():
            raise StopRequested()
        if timed and self._deadline is not None and time.monotonic() >= self._deadline:
            raise TimeLimitReached()

    def epoch_end(self, epoch: int, logs: dict[str, float], extra: dict | None = None) -> dict:
        """Save, append history, update status; returns the history record."""
        seconds = time.time() - self._epoch_t0
        record: dict[str, Any] = {"epoch": epoch + 1}
        for key in ("loss", self.metric, "val_loss", f"val_{self.metric}"):
            if key in logs:
                record[key] = float(logs[key])
        record["seconds"] = round(seconds, 3)
        if epoch == self.start_epoch:  # this process's first: it built the graph (`core.runs.typical_epoch_seconds` leaves it out)
            record["first_of_stretch"] = True
        record["lr"] = _learning_rate(self.model)
        if extra:
            record.update(extra)
        if not math.isfinite(record.get("loss", 0.0)):
            raise RnnLabError("train.not_finite", value=str(record["loss"]), epoch=epoch + 1)
        val_loss = record.get("val_loss")
        improved = val_loss is not None and math.isfinite(val_loss) and val_loss < self.best.get("val_loss", float("inf"))
        patience = self.config.early_stopping_patience
        if patience and not improved and self.best.get("epoch") and epoch + 1 - int(self.best["epoch"]) >= patience:
            self.stopped_early = epoch + 1
        due = time.monotonic() - self._last_checkpoint >= CHECKPOINT_SECONDS
        if improved or due or epoch + 1 >= self.config.epochs or self.stopped_early is not None:
            self.run.save_model(self.model, "last")
            self.checkpoint_epoch = epoch + 1
            self._last_checkpoint = time.monotonic()
        if improved:
            self.run.copy_model("last", "best")  # the model just saved as last
            self.best = {"epoch": epoch + 1, "val_loss": val_loss}
            if f"val_{self.metric}" in record:
                self.best[f"val_{self.metric}"] = record[f"val_{self.metric}"]
        append_jsonl(self.run.history_path, record)
        self.tensorboard.epoch_end(epoch, {k: v for k, v in record.items() if k not in ("epoch", "seconds", "first_of_stretch")})
        self.epochs_done = epoch + 1
        self._epoch, self._trained, self._validated = epoch + 1, 0, 0
        progress = self.progress(epoch + 1, 0)
        self.heartbeat(
            force=True,
            state="running",
            epoch=epoch + 1,
            total_epochs=self.config.epochs,
            progress=progress,
            eta_seconds=self.eta(self.work_done()),
            best=self.best,
            last=record,
            batch=0,
            checkpoint_epoch=self.checkpoint_epoch,
        )
        shown = ", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in record.items() if k not in ("epoch", "first_of_stretch"))
        self.log(f"epoch {epoch + 1}/{self.config.epochs}: {shown}{' (best)' if improved else ''}")
        if self.stopped_early is not None and epoch + 1 < self.config.epochs:
            self.log(f"early stopping: val_loss has not improved for {epoch + 1 - int(self.best['epoch'])} epochs (best: epoch {self.best['epoch']})")
        return record

    def close(self) -> None:
        self.tensorboard.close()


def _learning_rate(model) -> float | None:
    try:
        import keras

        return float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    except Exception:  # noqa: BLE001 - a figure for the history, never worth failing a run
        return None


def _fit_callback(monitor: RunMonitor):
    """A Keras callback that forwards ``model.fit``'s hooks to `RunMonitor`."""
    import keras

    class _MonitorCallback(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self._epoch = monitor.start_epoch

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch = epoch
            monitor.epoch_begin(epoch)

        def on_train_batch_end(self, batch, logs=None):
            monitor.batch_end(self._epoch, batch, logs or {})

        def on_test_batch_end(self, batch, logs=None):
            monitor.test_batch_end()

        def on_epoch_end(self, epoch, logs=None):
            monitor.epoch_end(epoch, logs or {})
            if monitor.stopped_early is not None:
                self.model.stop_training = True

    return _MonitorCallback()


# =========================================================================== the two loops


def _pretrained_matrix(config: TrainConfig, run: RunDir, vocab_json: str, log: RunLog) -> np.ndarray | None:
    """The initial Embedding table from ``config.pretrained_vectors`` for this vocabulary, or None."""
    if not config.pretrained_vectors:
        return None
    from core import embeddings

    path = Path(config.pretrained_vectors)
    vectors = embeddings.load_vectors(path if path.is_absolute() else run.path / path)
    if vectors.dim != config.model.embedding_dim:
        raise RnnLabError("emb.init_dim", got=vectors.dim, expected=config.model.embedding_dim)
    tokens, counts = embeddings.vocab_tokens(vocab_json)
    matrix, covered = embeddings.embedding_matrix_for(tokens, vectors, seed=config.seed)
    share = embeddings.coverage(vectors, tokens, counts)
    run.update_status(embedding_init={k: share[k] for k in ("vocab", "covered", "share", "token_share")})
    log(f"embedding: {int(covered.sum())} of {len(tokens)} rows from {path.name}, trainable {config.model.embedding_trainable}")
    return matrix


def word2vec_corpus_tokens(name: str, tokenizer: str) -> list[list[str]]:
    """The non-empty lines of an unlabelled corpus (``word2vec_corpora``), each tokenised with ``tokenizer``."""
    corpus = datasets_lib.load(name)
    return [tokens for tokens in textlib.tokenize_many([line for line in corpus.lines if line.strip()], tokenizer) if tokens]


def _word2vec_matrix(config: TrainConfig, run: RunDir, data: SentimentData, log: RunLog) -> np.ndarray:
    """The initial Embedding table from Word2Vec fitted on this run's training texts (``word2vec_init``)."""
    from core import embeddings

    if not data.train_tokens:
        raise RnnLabError("train.bad_word2vec", reason=f"the data set {config.dataset} has no training texts to fit Word2Vec on")
    settings = embeddings.Word2VecSettings(**{**WORD2VEC_INIT_DEFAULTS, **config.word2vec_init}, dim=config.model.embedding_dim, seed=config.seed, workers=1)
    sentences, source = list(data.train_tokens), f"the {len(data.train_tokens)} training texts of {config.dataset}"
    for name in config.word2vec_corpora:
        lines = word2vec_corpus_tokens(name, data.tokenizer)
        sentences += lines
        source += f" + {len(lines)} lines of {name}"
    vectors = embeddings.train_word2vec(sentences, settings, source=source)
    tokens, counts = embeddings.vocab_tokens(data.vocab_json)
    matrix, covered = embeddings.embedding_matrix_for(tokens, vectors, seed=config.seed)
    share = embeddings.coverage(vectors, tokens, counts)
    info = {**{k: share[k] for k in ("vocab", "covered", "share", "token_share")}, "seconds": vectors.info.get("seconds"), "source": vectors.source}
    run.update_status(word2vec_init=info)
    log(f"embedding: Word2Vec ({vectors.source}) in {info['seconds']} s; {int(covered.sum())} of {len(tokens)} rows from it, trainable {config.model.embedding_trainable}")
    return matrix


def _train_sentiment(config: TrainConfig, run: RunDir, log: RunLog, start_epoch: int, resume_model, best: dict) -> dict:
    vocab_json = run.vocab_path.read_text(encoding="utf-8") if resume_model is not None and run.vocab_path.exists() else None
    data = prepare_sentiment_data(config, vocab_json=vocab_json)
    if vocab_json is None:
        write_atomic(run.vocab_path, data.vocab_json)
    log(f"data: {json.dumps(data.info, ensure_ascii=False)}")
    if resume_model is not None:
        model = resume_model
    else:
        init = _word2vec_matrix(config, run, data, log) if config.word2vec_init is not None else _pretrained_matrix(config, run, data.vocab_json, log)
        model = build_sentiment_model(config, data.vocab_size, init)
    _CURRENT_MODEL.append(model)
    run.update_status(parameters=int(model.count_params()))  # the model as trained (the page's table before training estimates its vocabulary)
    steps = math.ceil(len(data.x_train) / config.batch_size)
    run.update_status(data=data.info, vocab_size=data.vocab_size, steps_per_epoch=steps)
    monitor = RunMonitor(run, config, model, steps, start_epoch, log, best,
                         val_batches=math.ceil(len(data.x_val) / config.batch_size), test_batches=math.ceil(len(data.x_test) / config.batch_size))
    callback = _fit_callback(monitor)
    try:
        model.fit(
            data.x_train,
            data.y_train,
            batch_size=config.batch_size,
            epochs=config.epochs,
            initial_epoch=start_epoch,
            validation_data=(data.x_val, data.y_val),
            shuffle=True,
            callbacks=[callback],
            verbose=0,
        )
    finally:
        monitor.close()
    # The test split is scored with the weights the app uses: model_best.keras (the epoch
    # with the lowest val_loss), not the last epoch's.
    test_epoch = monitor.epochs_done
    best_epoch = monitor.best.get("epoch")
    if best_epoch is not None and int(best_epoch) != monitor.epochs_done and run.best_model_path.exists():
        model.set_weights(load_run_model(run.best_model_path).get_weights())
        test_epoch = int(best_epoch)
    return {**_scored_on_test(model, data, config, test_epoch, log, [callback]), "best": monitor.best, "stopped_early": monitor.stopped_early}


def _scored_on_test(model, data, config: TrainConfig, test_epoch: int, log: RunLog, callbacks=()) -> dict:
    """A classifier's test loss and accuracy with the weights of `test_epoch` (in `model`), logged."""
    test = model.evaluate(data.x_test, data.y_test, batch_size=config.batch_size, verbose=0, return_dict=True, callbacks=list(callbacks))
    result = {"test_loss": float(test["loss"]), "test_accuracy": float(test["accuracy"]), "test_epoch": test_epoch}
    log(f"test (weights of epoch {test_epoch}): loss {result['test_loss']:.4f}, accuracy {result['test_accuracy']:.4f}")
    return result


def _sentiment_test_only(config: TrainConfig, run: RunDir, log: RunLog, best: dict) -> dict:
    """A trained classifier's test split scored, as `_train_sentiment` scores it at its end: with
    the best epoch's weights when they were saved, else the last."""
    data = prepare_sentiment_data(config, vocab_json=run.vocab_path.read_text(encoding="utf-8"))
    use_best = best.get("epoch") is not None and run.best_model_path.exists()
    model = load_run_model(run.best_model_path if use_best else run.last_model_path)
    return {**_scored_on_test(model, data, config, int(best["epoch"]) if use_best else config.epochs, log), "best": best}


def _train_language_model(config: TrainConfig, run: RunDir, log: RunLog, start_epoch: int, resume_model, best: dict) -> dict:
    vocab = None
    if resume_model is not None and run.vocab_path.exists():
        vocab = textlib.Vocab.from_json(run.vocab_path.read_text(encoding="utf-8"))
    data = prepare_language_model_data(config, vocab=vocab)
    if vocab is None:
        write_atomic(run.vocab_path, data.vocab.to_json())
    steps = textlib.count_batches(config.sampler, len(data.train_ids), config.batch_size, config.num_steps)
    if steps == 0:
        raise RnnLabError("train.corpus_too_short", n=len(data.train_ids), batch_size=config.batch_size, num_steps=config.num_steps)
    fixed = config.model.implementation == "keras_cell"
    val_rows, val_steps = validation_shape(len(data.val_ids), config.sampler, config.batch_size, config.num_steps, fixed_steps=fixed)
    info = dict(data.info, steps_per_epoch=steps, val_rows=val_rows, val_steps=val_steps)
    log(f"data: {json.dumps(info, ensure_ascii=False)}")
    run.update_status(data=info, vocab_size=len(data.vocab), steps_per_epoch=steps, val_unknown=data.val_unknown)
    model = resume_model if resume_model is not None else build_training_language_model(config, len(data.vocab), _pretrained_matrix(config, run, data.vocab.to_json(), log))
    _CURRENT_MODEL.append(model)
    run.update_status(parameters=int(model.count_params()))  # the model as trained (the page's table before training estimates its vocabulary)
    if resume_model is None and config.output_bias == "unigram":
        set_unigram_output_bias(model, data.train_ids, len(data.vocab))
        log("output bias: log unigram frequencies of the training part (add-one)")
    rare = rare_token_mask(data.train_ids, len(data.vocab), config.rare_max_count) if config.rare_to_unk else None
    prior = unigram_distribution(data.train_ids, len(data.vocab)) if config.label_smoothing_prior == "unigram" else None
    trainer = LanguageModelTrainer(model, config.sampler, config.batch_size, config.num_steps, seed=config.seed, label_smoothing=config.label_smoothing,
                                   weight_average=config.weight_average, rare_tokens=rare, rare_to_unk=config.rare_to_unk,
                                   smoothing_prior=prior)
    log(f"training step: {trainer.step_description()}")
    if rare is not None:
        share = float(rare[data.train_ids].mean())
        log(f"rare_to_unk: {int(rare.sum())} tokens seen at most {config.rare_max_count} times ({share:.2%} of the training part) are <unk> with probability {config.rare_to_unk} in each epoch")
    if config.weight_average:
        log(f"weight average: validation, samples and saved models use the moving average of the weights (decay {config.weight_average})")
    generator = GreedyGenerator(config.model, len(data.vocab)) if config.sample_length > 0 else None
    prefixes = [(p, data.vocab.encode(tokenize_prefix(p, data.tokenizer))) for p in config.sample_prefixes]
    monitor = RunMonitor(run, config, model, steps, start_epoch, log, best, val_batches=validation_batches(len(data.val_ids), config.sampler, val_rows, val_steps))

    def write_samples(epoch: int) -> None:
        weights = model.get_weights()
        for prefix, ids in prefixes:
            out = generator.generate(weights, ids, config.sample_length)
            text = data.joiner.join(data.vocab.decode(out, skip_pad=False))
            append_jsonl(run.samples_path, {"epoch": epoch + 1, "prefix": prefix, "text": text})
            log(f"sample {prefix!r}: {text}")

    try:
        for epoch in range(start_epoch, config.epochs):
            monitor.epoch_begin(epoch)
            train = trainer.train_epoch(data.train_ids, epoch, on_batch=lambda b, logs, e=epoch: monitor.batch_end(e, b, logs))
            with trainer.averaged_weights():  # validated, sampled and saved: the averaged weights, if any
                val = trainer.evaluate(data.val_ids, on_batch=lambda b: monitor.test_batch_end())
                logs = {"loss": train["loss"], "perplexity": train["perplexity"], "val_loss": val["loss"], "val_perplexity": val["perplexity"]}
                sampled = generator is not None and ((epoch + 1) % config.sample_every == 0 or epoch + 1 == config.epochs)
                if sampled:
                    write_samples(epoch)
                monitor.epoch_end(epoch, logs)
                if generator is not None and monitor.stopped_early is not None and not sampled:
                    write_samples(epoch)  # the run's last epoch samples too when early stopping ends it (its last were of an epoch before)
            if monitor.stopped_early is not None:
                break
    finally:
        monitor.close()
    return {"best": monitor.best, "stopped_early": monitor.stopped_early}


# =========================================================================== one run


def _truncate_jsonl(path: Path, last_epoch: int) -> None:
    """Keep only the rows of epochs <= last_epoch (a resumed run redoes the later ones)."""
    if not path.exists():
        return
    rows = [r for r in read_jsonl(path) if int(r.get("epoch", 0)) <= last_epoch]
    write_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def _clear_outputs(run: RunDir) -> None:
    """A fresh start: remove what an earlier attempt in this folder wrote."""
    for path in (run.history_path, run.batches_path, run.samples_path, run.vocab_path, run.last_model_path, run.best_model_path):
        path.unlink(missing_ok=True)
    shutil.rmtree(run.tensorboard_dir, ignore_errors=True)


def _error_fields(exc: BaseException, folder: Path | None = None) -> dict[str, Any]:
    """status.json's error, error_key and error_params for an exception.

    An OSError that means a full disk or an unwritable folder (`DISK_ERRNOS`) becomes
    "train.disk", naming the file (or else ``folder``) that could not be written.
    """
    if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:
        exc = RnnLabError("train.disk", path=str(exc.filename or folder or "?"), reason=exc.strerror or os.strerror(exc.errno))
    if isinstance(exc, RnnLabError):
        return exc.status_fields()
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    reason = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return RnnLabError("error.generic", reason=reason).status_fields()


def _final_status(run: RunDir, **fields: Any) -> dict:
    """Write the run's final state; when even status.json cannot be written (a full disk),
    say so on stderr and return the status it would have had, rather than a traceback
    that hides why the run ended."""
    try:
        return run.update_status(**fields)
    except OSError as exc:
        status = {**run.status(), **fields}
        why = f": {fields['error']}" if fields.get("error") else ""
        try:
            print(f"error: could not record the run as {fields.get('state')} in {run.status_path} ({exc.strerror or exc}){why}", file=sys.stderr, flush=True)
        except (OSError, ValueError):
            pass
        return status


class Terminated(BaseException):
    """SIGTERM arrived: the process should end now (the run becomes interrupted, resumable)."""


def token_counts(train_ids: np.ndarray, vocab_size: int) -> np.ndarray:
    """How often each id of the vocabulary occurs in ``train_ids``: [vocab_size] int64."""
    return np.bincount(np.asarray(train_ids, dtype=np.int64), minlength=vocab_size)[:vocab_size]


def unigram_distribution(train_ids: np.ndarray, vocab_size: int) -> np.ndarray:
    """(count + 1) / (n + V) for every id of the vocabulary: the add-one unigram distribution of
    the training ids (float64, sums to 1)."""
    counts = token_counts(train_ids, vocab_size).astype(np.float64)
    return (counts + 1.0) / (counts.sum() + vocab_size)


def set_unigram_output_bias(model, train_ids: np.ndarray, vocab_size: int) -> np.ndarray:
    """Set the language model's output bias (layer "output") to log((count + 1) / (n + V)) of the
    training ids: with the rest of the logits at zero the model predicts the smoothed unigram
    distribution. Returns the bias."""
    bias = np.log(unigram_distribution(train_ids, vocab_size)).astype(np.float32)
    layer = model.get_layer("output")
    weights = layer.get_weights()
    weights[-1] = bias  # Dense: [kernel, bias]; OutputBias (tied embeddings): [bias]
    layer.set_weights(weights)
    return bias


def rare_token_mask(train_ids: np.ndarray, vocab_size: int, max_count: int) -> np.ndarray:
    """[vocab_size] bool: the ids that occur at least once and at most ``max_count`` times in
    ``train_ids`` (never <pad> or <unk>)."""
    counts = token_counts(train_ids, vocab_size)
    mask = (counts >= 1) & (counts <= max_count)
    mask[[textlib.PAD_ID, textlib.UNK_ID]] = False
    return mask


def _remove_stale_temporaries(run: RunDir) -> list[str]:
    """Delete the temporary files (``.<name>.<pid>...tmp`` / ``.tmp.keras``) of earlier processes of
    this run: a process killed mid-write leaves one behind (hidden, never loaded, but megabytes).
    Only the run's own process writes in its folder, so at its start none of them is in use."""
    removed = []
    for path in run.path.glob(".*.tmp*"):
        if path.is_file() and f".{os.getpid()}." not in path.name:
            try:
                path.unlink()
                removed.append(path.name)
            except OSError:
                pass
    return sorted(removed)


def run_training(config: TrainConfig, run: RunDir | Path | str, resume: bool = False) -> dict:
    """Train one run into the folder ``run``; returns the final status dict.

    The state ends as "done", "cancelled" (a stop request), "failed" (with a one-sentence
    ``error``; the traceback goes to train.log) or "interrupted" (SIGTERM / Ctrl-C);
    never "running". ``resume=True`` continues from model_last.keras at the epoch after the
    last completed one (status "epoch"), keeping the vocabulary and the history up to it.
    """
    run = run if isinstance(run, RunDir) else RunDir(Path(run))
    run.path.mkdir(parents=True, exist_ok=True)
    log = RunLog(run)
    started = time.time()
    earlier = 0.0  # the seconds trained before this stretch, when it resumes (`core.runs.training_seconds`)
    monitor_best: dict = {}
    try:
        if not isinstance(config, TrainConfig):
            config = TrainConfig.from_dict(config)
        config.validate()
        config = config.resolved()
        write_json(run.config_path, config.to_dict())
        previous = run.status()
        spawned_by_store = previous.get("state") == "running"  # (`RunStore._spawn` writes "running" before the process starts)
        start_epoch = 0
        if resume:
            # the epoch model_last.keras holds (runs written before checkpoint_epoch existed saved every epoch)
            start_epoch = min(int(previous.get("checkpoint_epoch", previous.get("epoch")) or 0), config.epochs)
            if not run.last_model_path.exists():
                if start_epoch > 0:
                    raise RnnLabError("train.no_checkpoint", path=str(run.last_model_path))
                resume = False
                log("resume: no model_last.keras yet, starting from scratch")
        stale = _remove_stale_temporaries(run)
        if stale:
            log(f"removed {len(stale)} temporary file(s) left by a process killed mid-write: {', '.join(stale)}")
        if resume:
            # started by the run store (`RunStore._spawn`: "running", the earlier stretches counted
            # before it wrote its own start time), else resumed here from the command line
            carried = previous.get("earlier_seconds")
            earlier = float(carried) if spawned_by_store and isinstance(carried, (int, float)) else training_seconds(previous) or 0.0
            monitor_best = dict(previous.get("best") or {})
            for path in (run.history_path, run.batches_path, run.samples_path):
                _truncate_jsonl(path, start_epoch)
        else:
            start_epoch = 0
            _clear_outputs(run)
        run.samples_path.touch()
        run.update_status(
            state="running",
            pid=os.getpid(),
            started=started,
            finished=None,
            epoch_running=None,  # set as each epoch begins: until then the page says the run is starting, counting from
            spawned=previous.get("spawned") if spawned_by_store and previous.get("spawned") else started,  # its spawn (RunStore._spawn)
            epoch=start_epoch,
            total_epochs=config.epochs,
            progress=start_epoch / config.epochs,
            eta_seconds=None,
            best=monitor_best,
            error=None,
            error_key=None,
            error_params=None,
            stopped_by=None,  # (a stretch that ended at its time limit, resumed from the command line, said so still)
            resumed_from=start_epoch if resume else None,
            earlier_seconds=round(earlier, 3),
            checkpoint_epoch=start_epoch,
            task=config.task,
            cores=available_cores(),  # what a run's speed was measured on (model cards, comparisons across machines)
        )
        log(f"{'resuming at epoch ' + str(start_epoch + 1) if resume else 'starting'}: {config.task} on {config.dataset}, pid {os.getpid()}")
        if resume and int(previous.get("epoch") or 0) > start_epoch:
            log(f"resume: the last checkpoint holds epoch {start_epoch}; epochs {start_epoch + 1}-{previous.get('epoch')} are trained again")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        import keras

        keras.utils.set_random_seed(config.seed)
        resume_model = load_run_model(run.last_model_path) if resume and start_epoch < config.epochs else None
        if start_epoch >= config.epochs:
            # nothing left to train (stopped during its last epoch, whose checkpoint was written): a
            # classifier not yet scored on its test split is scored now, as the end of training does
            # (it ended "done" with no test accuracy: an exploratory tester)
            unscored = config.task == "sentiment" and previous.get("test_accuracy") is None
            result = _sentiment_test_only(config, run, log, monitor_best) if unscored else {"best": monitor_best}
        elif config.task == "sentiment":
            result = _train_sentiment(config, run, log, start_epoch, resume_model, monitor_best)
        else:
            result = _train_language_model(config, run, log, start_epoch, resume_model, monitor_best)
        finished = time.time()
        status = run.update_status(state="done", finished=finished, duration=round(earlier + finished - started, 3), progress=1.0, eta_seconds=0, **result)
        log(f"done in {finished - started:.1f} s{f' ({earlier + finished - started:.1f} s with the earlier stretches)' if earlier else ''}; best {json.dumps(result.get('best'))}")
        return status
    except StopRequested as stop:
        timed_out = isinstance(stop, TimeLimitReached)
        log(f"time limit of {config.time_limit_minutes:g} min reached: saving the last model" if timed_out else "stop requested: saving the last model")
        model_saved = _save_current_model(run, log)
        finished = time.time()
        epoch = int(run.status().get("epoch") or 0)  # the last whole epoch
        saved = {"checkpoint_epoch": epoch} if model_saved else {}  # a resume starts after it
        if timed_out:  # and how many epochs this stretch finished: none, and a resume would only start the same epoch again
            saved.update(stopped_by="time_limit", stretch_epochs=max(0, epoch - start_epoch))
        return _final_status(run, state="cancelled", finished=finished, duration=round(earlier + finished - started, 3), eta_seconds=None, model_saved=model_saved, **saved)
    except (Terminated, KeyboardInterrupt) as exc:
        log(f"interrupted ({type(exc).__name__})")
        return _final_status(run, state="interrupted", finished=time.time(), eta_seconds=None, **RnnLabError("run.terminated").status_fields())
    except BaseException as exc:  # noqa: BLE001 - a run must never stay "running"
        # a user's error (bad data, settings) is one sentence; anything else keeps its traceback
        log(f"training failed: {exc}" if isinstance(exc, RnnLabError) else "training failed:\n" + traceback.format_exc())
        fields = _error_fields(exc, run.path)
        status = _final_status(run, state="failed", finished=time.time(), eta_seconds=None, **fields)
        if not isinstance(exc, Exception):
            raise
        return status
    finally:
        _CURRENT_MODEL.clear()


_CURRENT_MODEL: list = []
"""The model being trained (for saving it when a stop request ends the run mid-epoch)."""


def _save_current_model(run: RunDir, log: RunLog) -> bool:
    if not _CURRENT_MODEL:
        return False
    try:
        run.save_model(_CURRENT_MODEL[-1], "last")
        return True
    except Exception:  # noqa: BLE001
        log("could not save the last model:\n" + traceback.format_exc())
        return False


# =========================================================================== CLI


def _load_config_dict(args: argparse.Namespace, run: RunDir) -> dict[str, Any]:
    if args.preset:
        from core.presets import get_preset

        return get_preset(args.preset).to_dict()
    if args.config:
        try:
            return json.loads(Path(args.config).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RnnLabError("train.bad_config_file", path=str(args.config), reason=str(exc)) from exc
    if not run.config_path.exists():
        raise RnnLabError("train.no_config", folder=str(run.path))
    try:
        return json.loads(run.config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RnnLabError("train.bad_config_file", path=str(run.config_path), reason=str(exc)) from exc


RESUMABLE_SETTINGS = ("epochs", "early_stopping_patience", "time_limit_minutes", "sample_every", "sample_length", "sample_prefixes", "log_every_batches")
"""What `--resume --set` may change: when the run ends, what it samples and logs. Anything else
(the data, its split, the vocabulary, the model, the optimiser) would make the history mix two
runs (a held-out part that was trained on read a perplexity of 83 against 250) or fail to load
the saved weights."""


def _check_folder_use(args: argparse.Namespace, run: RunDir, before: dict) -> None:
    """Refuse, before anything is read or written, a command that would spoil the folder's run:
    `--resume` with another config or a setting it cannot change, and a new run into a folder
    that holds a trained one without `--overwrite` (or one training now)."""
    if args.resume:
        if args.preset or args.config:
            raise RnnLabError("train.cli_resume_config", folder=str(run.path))
        changed = sorted({item.split("=", 1)[0].strip().split(".", 1)[0] for item in args.set} - set(RESUMABLE_SETTINGS))
        if changed:
            raise RnnLabError("train.cli_resume_setting", keys=", ".join(changed), allowed=", ".join(RESUMABLE_SETTINGS))
        return
    if not (args.preset or args.config):
        return  # the folder's own config from the start (the run store starts its runs so)
    state = before.get("state")
    if state == "running" and _pid_alive(before.get("pid"), run.path):
        raise RnnLabError("train.cli_folder_training", folder=str(run.path))
    # (a folder whose last command was refused, "failed" before any epoch, is not a trained run)
    trained = state in ("done", "cancelled", "interrupted") or any(p.exists() for p in (run.history_path, run.last_model_path, run.best_model_path))
    if trained and not args.overwrite:
        raise RnnLabError("train.cli_folder_taken", folder=str(run.path), state=state or "?")


def _in_a_store(run: RunDir) -> bool:
    from core import paths

    parent = run.path.parent
    return parent == paths.checkpoints_dir().expanduser().resolve() or (parent / ".schedule.lock").exists()


def _schedule_next(run: RunDir) -> None:
    """Start a queued run of the same store, now that this one has ended."""
    try:
        RunStore(run.path.parent).schedule()
    except Exception as exc:  # noqa: BLE001 - scheduling others must not change this run's outcome
        print(f"could not schedule queued runs: {exc}", file=sys.stderr, flush=True)


TURN_POLL_SECONDS = 0.2
"""How often a queued run's waiting process reads its status (a small JSON file)."""
TURN_WAIT_SECONDS = 3600.0
"""A queued run's process that has waited this long ends (a store abandoned with runs queued,
say); the store starts another when the queue next moves."""


def _wait_for_turn(run: RunDir) -> bool:
    """A queued run's process, started ahead of its turn by `core.runs.RunStore.schedule` once
    TensorFlow is loaded (`configure_threads` imported it): wait until the store hands it the
    turn, i.e. writes the run "running" with this process's pid (True). False, to end at once,
    when the turn will not come to this process: the run stopped or deleted, or another
    process waiting in its place (`warm_pid`), or SIGTERM."""
    import keras  # noqa: F401 - the rest of the import, while there is time

    me = os.getpid()
    give_up = time.monotonic() + TURN_WAIT_SECONDS
    try:
        while time.monotonic() < give_up:
            if not run.config_path.exists():
                return False
            status = run.status()
            if status.get("state") == "running" and status.get("pid") == me:
                return True
            if status.get("state") != "queued" or status.get("warm_pid") not in (None, me):
                return False
            time.sleep(TURN_POLL_SECONDS)
    except Terminated:
        return False
    status = run.status()  # (handed over as it gave up)
    return status.get("state") == "running" and status.get("pid") == me


def _on_sigterm(signum, frame):  # noqa: ANN001
    raise Terminated()


RUN_THREADS_ENV = "RNNLAB_RUN_THREADS"
"""``inter,intra`` (e.g. ``2,8``) for a run's TensorFlow thread pools, or ``default`` for
TensorFlow's own; unset: `run_threads` decides."""


def run_threads(cores: int, setting: str | None = None) -> tuple[int, int] | None:
    """(inter-op, intra-op) threads for a run's process on ``cores`` cores; None = TensorFlow's default.

    Unset: two ops at once, each on half the cores (on 2 cores, one thread per op). A
    language model's step has about two independent streams of work, the recurrence's chain of
    small ops and the output layer's large products, and splitting every small op across all
    cores makes the chain wait on thread hand-offs. ``setting`` is `RUN_THREADS_ENV`'s value.
    """
    if setting is not None and setting.strip():
        text = setting.strip().lower()
        if text == "default":
            return None
        try:
            inter, intra = (int(part) for part in text.split(","))
        except ValueError:
            raise ValueError(f"{RUN_THREADS_ENV} must be 'inter,intra' (e.g. 2,8) or 'default', not {setting!r}") from None
        if inter < 1 or intra < 1:
            raise ValueError(f"{RUN_THREADS_ENV}: both thread counts must be at least 1, not {setting!r}")
        return inter, intra
    return 2, max(1, cores // 2)


def configure_threads() -> bool:
    """Set this process's TensorFlow thread pools to `run_threads` (before TensorFlow starts).

    A run's process (``python -m core.train``) calls this first. Measured on 2 cores
    (2026-11-30, batch 32, 35 steps, one training step, TensorFlow's default -> two ops at
    once, one thread each): the T4 SimpleRNN (`core.fused`) 16.1 -> 14.1 ms, two layers
    23.2 -> 22.4 ms; from-scratch LSTM 51 -> 44 ms, GRU 38 -> 33 ms; Keras LSTM layer 81 ->
    64 ms, two layers 132 -> 103 ms, the shipped lyrics LSTM recipe 82 -> 53 ms; Keras
    SimpleRNN layer 33 ms either way; `model.fit` of the sentiment presets about the same
    (IMDB BiLSTM 2.5 -> 2.2 s an epoch of 2,048 reviews). XLA-compiled steps are slower with
    one thread per op, so the trainer then does not compile them. Machines with more cores
    get two ops of half the cores each, which is not measured here: `RNNLAB_RUN_THREADS`
    overrides it. On a GPU this only sets the host's thread pools.

    Returns False (and changes nothing) when TensorFlow keeps its defaults: asked to, or
    already started in this process, as in a test or notebook that trains in process.
    """
    import tensorflow as tf

    threads = run_threads(available_cores(), os.environ.get(RUN_THREADS_ENV))
    if threads is None:
        return False
    inter, intra = threads
    try:
        tf.config.threading.set_intra_op_parallelism_threads(intra)
        tf.config.threading.set_inter_op_parallelism_threads(inter)
    except RuntimeError:  # "cannot be modified after initialization"
        return False
    return True


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity; `os.cpu_count()` where that is unknown)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    """The command line; exit status 0 only when the run ends "done"."""
    parser = argparse.ArgumentParser(prog="python -m core.train", description="Train one RNN Lab run into a run folder.")
    parser.add_argument("--list-presets", action="store_true", help="list the named presets and exit")
    parser.add_argument("--preset", help="start from a named preset")
    parser.add_argument("--config", help="start from a TrainConfig JSON file")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a setting (dotted keys reach into model, e.g. model.units=64)")
    parser.add_argument("--run-dir", help="the run folder (config.json, status.json, ... are written here)")
    parser.add_argument("--resume", action="store_true", help="continue from model_last.keras at the next epoch, with the folder's own config (--set may raise epochs, and change only " + ", ".join(RESUMABLE_SETTINGS) + ")")
    parser.add_argument("--overwrite", action="store_true", help="with --preset or --config: train from scratch into a folder that already holds a trained run, replacing it")
    parser.add_argument("--wait-turn", action="store_true", help="a queued run's process (started by the run store): load TensorFlow, then wait until the store gives this process the run's turn")
    parser.add_argument("--lang", default="en", choices=("zh", "en"), help="language of --list-presets")
    args = parser.parse_args(argv)

    if args.list_presets:
        from core.presets import PRESETS, preset_description

        width = max(len(n) for n in PRESETS)
        for name in PRESETS:
            print(f"{name:{width}s}  {preset_description(name, args.lang)}")
        return 0
    if not args.run_dir:
        parser.error("--run-dir is required (or --list-presets)")
    if args.preset and args.config:
        parser.error("give --preset or --config, not both")

    run = RunDir(Path(args.run_dir).expanduser().resolve())
    turn_given = True
    try:
        previous_handler = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        previous_handler = None
    try:
        before = run.status() if run.status_path.exists() else {}  # (a folder that held a run keeps its status when the command is refused)
        try:
            run.path.mkdir(parents=True, exist_ok=True)
            _check_folder_use(args, run, before)
            data = _load_config_dict(args, run)
            if args.set:
                data = apply_overrides(data, args.set)
            check_settings(data)  # absurd values fail here, before TensorFlow loads
            config = TrainConfig.from_dict(data)
            config.validate()
            if args.resume and before.get("state") == "done" and int(before.get("epoch") or 0) >= config.epochs:
                raise RnnLabError("train.cli_resume_done", folder=str(run.path), epochs=config.epochs)
        except (RnnLabError, OSError) as exc:  # OSError: the run folder cannot be made or written
            if isinstance(exc, OSError) and not run.path.is_dir():  # (it read "Something went wrong: FileNotFoundError")
                exc = RnnLabError("train.cli_bad_run_dir", folder=str(run.path), reason=exc.strerror or type(exc).__name__)
            fields = _error_fields(exc, run.path)
            print(f"error: {fields['error']}", file=sys.stderr, flush=True)
            # a run the store started (or one never started) fails here with its reason, for the page
            # to say; a mistyped command against a run that has ended leaves it as it was (a finished
            # run read "failed" after `--set epochs=abc`, an exploratory tester)
            if before.get("state") in (None, "created", "queued", "running"):
                try:
                    if run.path.is_dir():
                        run.update_status(state="failed", pid=os.getpid(), finished=time.time(), **fields)
                except OSError:
                    pass
            return 1
        try:
            configure_threads()
        except ValueError as exc:  # a malformed RNNLAB_RUN_THREADS: say so, train with TensorFlow's defaults
            print(f"warning: {exc}; using TensorFlow's default threads", file=sys.stderr, flush=True)
        if args.wait_turn and not _wait_for_turn(run):
            turn_given = False  # (nothing ended here that the queue waited for)
            return 0  # its turn will not come (stopped, deleted, another process waits for it): nothing was done
        status = run_training(config, run, resume=args.resume)
        if status.get("state") == "failed":
            print(f"error: {status.get('error')}", file=sys.stderr, flush=True)
        return 0 if status.get("state") == "done" else 1
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGTERM, previous_handler)
        # a run of a store (the app's checkpoints folder, or one whose queue has run) hands its slot
        # on; one the command line trains into a folder elsewhere does not make that folder's parent
        # a store (it left a .schedule.lock beside any --run-dir, /proc's included)
        if turn_given and _in_a_store(run):
            _schedule_next(run)


if __name__ == "__main__":
    # Run the canonical `core.train` module, not this `__main__` copy, so the classes
    # are the same ones `core.presets` and other importers see.
    from core.train import main as _main

    sys.exit(_main())
