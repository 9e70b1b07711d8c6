"""Using a trained sentiment classifier: encode text exactly as its run did, predict, and explain.

`SentimentPredictor.from_run(path)` reads a run folder (config.json, vocab.json and
the best model, loaded with Keras `safe_mode`). Every figure the Sentiment page shows
comes from here:

- `predict(texts)`: P(positive) for each text, one batch through the model;
- `stepwise(text)`: P(positive) after each token, i.e. on every prefix of the text
  (a recurrent network reads in order, so this is how its opinion forms);
- `occlusion(text)`: for each token, how much the prediction moves when that token is
  replaced by the unknown id (or removed) - the change is recomputed, not estimated.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from core import text as textlib
from core.datasets import REGISTRY, clean_for
from core.errors import RnnLabError
from core.runs import RunDir

Progress = Callable[[int, int], None]
"""A progress callback: (rows scored so far, rows in all)."""

MAX_TEXT_CHARS = 20_000
"""Longer typed texts are refused: nothing a review needs, and it keeps the page responsive."""


@dataclass
class Encoded:
    """One text as the model reads it."""

    tokens: list[str]  # every token of the text, before the vocabulary
    ids: np.ndarray  # [maxlen] int32, padded / truncated as in training
    kept: list[int]  # indices into `tokens` of the tokens that made it into `ids`, in order
    unknown: list[str] = field(default_factory=list)  # tokens that became <unk>

    @property
    def truncated(self) -> bool:
        return len(self.kept) < len(self.tokens)

    @property
    def all_unknown(self) -> bool:
        return bool(self.tokens) and len(self.unknown) == len(self.tokens)


BATCH_TURN = 64  # rows a background batch predicts per turn on the shared model


class ModelTurns:
    """Whose turn it is on a model shared by every session: one call at a time, and a typed
    text's call (`now`) goes before the next chunk of a long batch (`after_others`: an upload or
    a test split scored in the background), which otherwise would take the model back at once
    and make each of the page's calls wait for a chunk. A batch waits at most `MAX_YIELD_S`
    per chunk, so a stream of typed texts cannot stop it.
    """

    MAX_YIELD_S = 1.0

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._waiting = 0  # calls in `now`, waiting for the model or holding it
        self._count = threading.Lock()

    @contextlib.contextmanager
    def now(self):
        with self._count:
            self._waiting += 1
        try:
            with self.lock:
                yield
        finally:
            with self._count:
                self._waiting -= 1

    @contextlib.contextmanager
    def after_others(self):
        deadline = time.monotonic() + self.MAX_YIELD_S
        while self._waiting and time.monotonic() < deadline:
            time.sleep(0.002)
        with self.lock:
            yield


class SentimentPredictor:
    """A sentiment run's model with the exact encoding of its training data."""

    def __init__(self, model, config: dict, vocab: textlib.Vocab | None, keras_index: dict | None, tokenizer: str, label: str) -> None:
        self.model = model
        self.config = config
        self.vocab = vocab
        self.keras_index = keras_index  # imdb runs: word -> rank (Keras's word index)
        self.tokenizer = tokenizer
        self.label = label
        self.maxlen = int(config.get("maxlen", 100))
        self.padding = config.get("padding", "post")
        self.truncating = config.get("truncating", "pre")
        self.bidirectional = bool((config.get("model") or {}).get("bidirectional"))
        self._turns = ModelTurns()  # one predictor is shared by every browser session
        self._lock = self._turns.lock

    # ------------------------------------------------------------------ loading
    @classmethod
    def from_run(cls, path: Path, label: str | None = None) -> "SentimentPredictor":
        """Load a sentiment run folder; a missing or corrupt file is a `RnnLabError` that says which."""
        from core.train import load_saved_model

        run = RunDir(Path(path))
        if not run.config_path.exists():
            raise RnnLabError("runs.no_run_folder", folder=str(run.path))
        config = run.config()
        if config.get("task") != "sentiment":
            raise RnnLabError("predict.not_sentiment", run=run.run_id)
        model_path = run.best_model_path if run.best_model_path.exists() else run.last_model_path
        if not model_path.exists():
            raise RnnLabError("predict.no_model", run=run.run_id)
        model = load_saved_model(model_path)
        try:
            record = json.loads(run.vocab_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RnnLabError("predict.broken_vocab", path=str(run.vocab_path), reason=str(exc)) from exc
        vocab, keras_index = None, None
        if isinstance(record, dict) and record.get("kind") == "keras_imdb":
            from core import paths
            from core.datasets import IMDB_WORD_INDEX_FILE

            # without Keras's word index (offline: the shared IMDB subset comes without it) the model
            # still reads its ids: its test reviews are scored and their mistakes listed as #ids;
            # a typed or uploaded text cannot be turned into ids (`encode` says so)
            index_path = paths.find_local(IMDB_WORD_INDEX_FILE.filename)
            try:
                word_index = json.loads(index_path.read_text(encoding="utf-8")) if index_path is not None else None
            except (OSError, ValueError) as exc:
                raise RnnLabError("data.corrupt", path=str(index_path), reason=str(exc)) from exc
            keras_index = {**record, "word_index": word_index}
            tokenizer = "word"
        else:
            vocab = textlib.Vocab.from_json(run.vocab_path.read_text(encoding="utf-8"))
            tokenizer = (run.status().get("data") or {}).get("tokenizer") or config.get("tokenizer")
            if tokenizer is None:
                dataset = config.get("dataset", "")
                tokenizer = REGISTRY[dataset].tokenizers[0] if dataset in REGISTRY else "char"
        return cls(model, config, vocab, keras_index, tokenizer, label or run.run_id)

    # ------------------------------------------------------------------ encoding
    @functools.cached_property
    def language(self) -> str:
        """"zh" or "en": the language of the texts it was trained on (its data set's; an upload's
        from its vocabulary), which is what a user should type (the example sentences)."""
        dataset = str(self.config.get("dataset", ""))
        if dataset in REGISTRY:
            return REGISTRY[dataset].language
        if self.vocab is None:
            return "en"
        from core.datasets import _mostly_cjk

        return "zh" if _mostly_cjk([token for token in self.vocab.tokens[:500] if not token.startswith("<")]) else "en"

    @property
    def reads_text(self) -> bool:
        """Can it turn a text into ids? Not a Keras-ids (imdb) run without Keras's word index."""
        return self.keras_index is None or self.keras_index.get("word_index") is not None

    @property
    def start(self) -> int:
        """How many ids come before the first token's: 1 (Keras's start id) for imdb runs, else 0."""
        return 1 if self.keras_index is not None else 0

    @property
    def unknown_id(self) -> int:
        """The id of a token outside the vocabulary: Keras's 2 (oov_char) for imdb runs, else <unk>'s."""
        return 2 if self.keras_index is not None else textlib.UNK_ID

    def token_ids(self, tokens: list[str]) -> list[int]:
        if self.vocab is not None:
            return self.vocab.encode(tokens)
        index, offset, num_words = self.keras_index["word_index"], self.keras_index.get("index_from", 3), self.keras_index["num_words"]
        ids, unk = [1], self.unknown_id  # Keras's start-of-review id, as every training review began
        for token in tokens:
            rank = index.get(token)
            ids.append(rank + offset if rank is not None and rank + offset < num_words else unk)
        return ids

    def encode(self, text: str, max_chars: int | None = MAX_TEXT_CHARS) -> Encoded:
        """Tokenise, map to ids and pad/truncate to `maxlen` exactly as the run's training data.

        A text longer than `max_chars` (a typed one: the page's limit) is refused with a
        sentence; None for texts from a file (an upload's rows, a test split), which the
        upload's size limit bounds and which are read whatever their length.
        """
        if not self.reads_text:
            from core import paths
            from core.datasets import IMDB_WORD_INDEX_FILE

            raise RnnLabError("predict.no_word_index", filename=IMDB_WORD_INDEX_FILE.filename, folder=str(paths.data_dir()))
        if max_chars is not None and len(text) > max_chars:
            raise RnnLabError("predict.too_long", chars=len(text), limit=max_chars)
        # as its data set's loader read the texts it trained on: the raw IMDB reviews' <br /> tags
        # were line breaks in training, and typed or uploaded they were read as "< br / >" (a review
        # scored differently in batch scoring than in the error analysis of the same run)
        tokens = textlib.tokenize(clean_for(self.config.get("dataset"), text), self.tokenizer)
        if self.keras_index is not None:
            # Keras's IMDB reviews carry no punctuation (words only, inner apostrophes kept),
            # so a typed "great!" is read as "great", not "great" followed by an unknown "!"
            tokens = [token for token in tokens if any(c.isalnum() for c in token)]
        ids = self.token_ids(tokens)
        start = self.start  # the start id has no token
        positions = list(range(len(tokens)))
        if len(ids) > self.maxlen:
            keep = slice(len(ids) - self.maxlen, None) if self.truncating == "pre" else slice(0, self.maxlen)
            kept_ids_index = list(range(len(ids)))[keep]
            kept = [i - start for i in kept_ids_index if i >= start]
        else:
            kept = positions
        unknown = [tokens[i] for i, tid in zip(positions, ids[start:]) if tid == self.unknown_id]
        padded = textlib.pad_and_truncate([ids], self.maxlen, self.padding, self.truncating)[0]
        return Encoded(tokens=tokens, ids=padded, kept=kept, unknown=unknown)

    def decode_ids(self, ids) -> str:
        """A Keras-ids run's id row as words (padding and the start id dropped, 2 -> <unk>); as
        #ids without the word index (as the Data page shows them), 2 still <unk>."""
        if self.keras_index is None:
            raise ValueError("decode_ids is for runs on Keras ids (imdb)")
        if not self.reads_text:
            return " ".join("<unk>" if int(i) == self.unknown_id else f"#{int(i)}" for i in ids if int(i) > 1)
        return " ".join(self._id_to_word.get(int(i), "<unk>") for i in ids if int(i) > 1)

    @functools.cached_property
    def _id_to_word(self) -> dict[int, str]:
        offset = self.keras_index.get("index_from", 3)
        return {rank + offset: word for word, rank in (self.keras_index["word_index"] or {}).items()}

    def _pad(self, rows: list[list[int]]) -> np.ndarray:
        return textlib.pad_and_truncate(rows, self.maxlen, self.padding, self.truncating)

    def _raw_ids(self, encoded: Encoded) -> list[int]:
        """The unpadded ids of the kept tokens (with Keras's start id for imdb runs)."""
        ids = self.token_ids([encoded.tokens[i] for i in encoded.kept])
        return ids

    # ------------------------------------------------------------------ predictions
    def predict_ids(self, ids: np.ndarray, batch_size: int = 256, progress: Progress | None = None) -> np.ndarray:
        """P(positive) for an id matrix [n, maxlen] -> [n].

        `progress(done, total)` is called after each chunk of `batch_size` rows. The model is
        held one chunk at a time, so a long batch (a test split, an upload) does not keep other
        sessions sharing this predictor from their one-text predictions until it ends; a call
        with `progress` is such a batch, and lets the others' calls go first (`ModelTurns`).
        """
        if len(ids) == 0:
            return np.zeros(0, dtype=np.float32)
        out = []
        for i in range(0, len(ids), batch_size):
            out.append(self._chunk(ids[i : i + batch_size], batch=progress is not None))
            if progress is not None:
                progress(min(i + batch_size, len(ids)), len(ids))
        return np.concatenate(out)

    def _chunk(self, ids: np.ndarray, batch: bool) -> np.ndarray:
        # predict_on_batch, not predict(): predict() builds a data adapter and callbacks on
        # every call (~130 ms for one text, against ~11 ms for the network)
        if not batch:
            with self._turns.now():
                return np.asarray(self.model.predict_on_batch(ids)).astype(np.float32).reshape(-1)
        # a batch holds the model for BATCH_TURN rows at a time: a typed text's call that comes
        # while it runs waits for one such turn (~45 ms for the shipped BiLSTM), not a chunk's
        out = []
        for i in range(0, len(ids), BATCH_TURN):
            with self._turns.after_others():
                out.append(np.asarray(self.model.predict_on_batch(ids[i : i + BATCH_TURN])).astype(np.float32).reshape(-1))
        return np.concatenate(out)

    def predict(self, texts: list[str], progress: Progress | None = None, batch_size: int = 256, all_unknown: list | None = None) -> np.ndarray:
        """P(positive) for each text [n], whatever its length. `all_unknown`: a list to append to,
        for each text, whether every one of its tokens is unknown to the model (`Encoded.all_unknown`).

        Tokenised and scored `batch_size` texts at a time, `progress(done, total)` after each
        chunk: tokenising (jieba) is a third of the time of a large batch, so it is counted too.
        A call with `progress` is a batch: it lets other threads go first (the GIL after each
        text, the model after each chunk).
        """
        if isinstance(texts, str):  # (a string is a sequence of texts of one character each: 11 scores for one review)
            raise TypeError("predict takes a list of texts: predict([text]) for one")
        if not texts:
            return np.zeros(0, dtype=np.float32)
        batch = progress is not None
        out = []
        for i in range(0, len(texts), batch_size):
            rows = []
            for text in texts[i : i + batch_size]:
                encoded = self.encode(text, max_chars=None)
                rows.append(encoded.ids)
                if all_unknown is not None:
                    all_unknown.append(encoded.all_unknown)
                if batch:
                    # tokenising is pure Python and holds the GIL: a batch scored in the
                    # background hands it over after every text, else each session's script
                    # thread waits a switch interval (5 ms) every time it needs it back (a
                    # typed rerun beside a tokenising thread: 0.9 s, 0.23 s with this; during
                    # a whole batch job 1.0 -> 0.66 s: bench/README.md, bench_rerun)
                    time.sleep(0)
            out.append(self._chunk(np.stack(rows), batch=batch))
            if progress is not None:
                progress(min(i + batch_size, len(texts)), len(texts))
        return np.concatenate(out)

    def stepwise(self, text: str) -> pd.DataFrame:
        """P(positive) after each kept token: the model's prediction on every prefix of the text.

        Columns: step (1-based), token, chars_read (how many characters of `text` the
        prefix covers: where the token ends, the common axis of models that tokenise
        differently), p_positive. For a unidirectional model the last row equals
        `predict([text])`. For a bidirectional model each prefix is a new, shorter text
        read in both directions, so the curve is the prediction for the text so far, not
        a read-out of one forward pass.
        """
        encoded = self.encode(text)
        ids = self._raw_ids(encoded)
        start = self.start
        prefixes = [ids[: start + k] for k in range(1, len(encoded.kept) + 1)]
        probs = self.predict_ids(self._pad(prefixes))
        ends = textlib.token_end_offsets(text, encoded.tokens)
        return pd.DataFrame(
            {
                "step": np.arange(1, len(prefixes) + 1),
                "token": [encoded.tokens[i] for i in encoded.kept],
                "chars_read": np.asarray([ends[i] for i in encoded.kept], dtype=np.int64),
                "p_positive": probs,
            }
        )

    def occlusion(self, text: str, method: str = "unknown") -> pd.DataFrame:
        """How much each kept token moves the prediction: p(text) - p(text with that token occluded).

        `method`: "unknown" replaces the token by the unknown id; "remove" deletes it.
        Positive values push towards positive. Columns: position, token, p_without, importance.
        """
        encoded = self.encode(text)
        ids = self._raw_ids(encoded)
        start, unk = self.start, self.unknown_id
        variants = []
        for k in range(len(encoded.kept)):
            j = start + k
            variants.append(ids[:j] + [unk] + ids[j + 1 :] if method == "unknown" else ids[:j] + ids[j + 1 :])
        matrix = self._pad([ids] + variants)
        probs = self.predict_ids(matrix)
        full, without = float(probs[0]), probs[1:]
        return pd.DataFrame(
            {
                "position": np.arange(len(encoded.kept)),
                "token": [encoded.tokens[i] for i in encoded.kept],
                "p_without": without,
                "importance": full - without,
            }
        )

    @property
    def has_word_vectors(self) -> bool:
        """Whether the model starts with an Embedding layer (gradient x input needs word vectors)."""
        from core.inspect import word_vector_layer

        return word_vector_layer(self.model) is not None

    def gradient_x_input(self, text: str) -> pd.DataFrame:
        """Each kept token's e_t . dP/de_t (`core.inspect.embedding_gradient_x_input`).

        The first-order estimate of how much P(positive) would fall if that token's word vector
        were zero: same sign and units as `occlusion`'s importance, from one backward pass
        instead of one prediction per token, and small where the prediction is saturated
        (P near 0 or 1, where the sigmoid is flat). Columns: position, token, importance.
        """
        from core.inspect import embedding_gradient_x_input

        encoded = self.encode(text)
        with self._turns.now():
            values = embedding_gradient_x_input(self.model, encoded.ids[None, :])[0]
        # the columns the model read, in order (no id read is 0, the padding); the kept tokens
        # are the last of them, after the start id of imdb runs when truncation left it there
        read = np.flatnonzero(encoded.ids)
        columns = read[len(read) - len(encoded.kept) :]
        return pd.DataFrame(
            {
                "position": np.arange(len(encoded.kept)),
                "token": [encoded.tokens[i] for i in encoded.kept],
                "importance": values[columns].astype(np.float64),
            }
        )


def score_table(
    predictor: SentimentPredictor, texts: list[str], labels: np.ndarray | None = None, threshold: float = 0.5, progress: Progress | None = None,
    judge_unknown: bool = True,
) -> pd.DataFrame:
    """Batch scoring: text, p_positive, prediction (0/1) and, with labels, label and correct.

    `judge_unknown` False: a text made only of tokens the model does not know gets no prediction
    (NA; its P(positive) is <unk>'s, not the text's: a typed one gets no verdict either), and so
    counts in no accuracy. A data set's test split is scored as training scored it (True).
    `progress(done, total)` as in `SentimentPredictor.predict_ids`."""
    unknown: list[bool] | None = None if judge_unknown else []
    probs = predictor.predict(texts, progress=progress, all_unknown=unknown)
    return _scored(texts, probs, labels if labels is not None and len(labels) else None, threshold, no_verdict=unknown)


def _scored(texts: list[str], probs: np.ndarray, labels: np.ndarray | None, threshold: float, no_verdict=None) -> pd.DataFrame:
    """`score_table`'s frame from probabilities already computed: label and correct when a label
    is known; a text without one (-1: a "neutral" beside positive and negative) has neither, and
    counts in no accuracy (`labelled`); nor does a text marked in `no_verdict`, whose prediction is NA."""
    table = pd.DataFrame({"text": texts, "p_positive": probs, "prediction": (probs >= threshold).astype(int)})
    if no_verdict is not None and any(no_verdict):
        prediction = table["prediction"].astype("Int64")
        prediction[np.asarray(no_verdict, dtype=bool)] = pd.NA
        table["prediction"] = prediction
    if labels is None:
        return table
    labels = np.asarray(labels)
    if (labels >= 0).all():
        table["label"] = labels.astype(int)
        table["correct"] = table["label"] == table["prediction"]
    elif (labels >= 0).any():
        label = pd.Series(labels, dtype="Int64")
        label[labels < 0] = pd.NA  # blank where none
        table["label"] = label
        table["correct"] = label == table["prediction"]  # (NA where no label)
    return table


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula in a CSV cell (OWASP's list for CSV injection)."""
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?(?:[eE][+-]?\d+)?%?")
"""A cell that is a number alone (a score of -3, -1,234, -2.5e-3 or -5% in the file): a spreadsheet
reads it as the number, nothing to run."""


def scores_csv(table: pd.DataFrame, rows: pd.DataFrame | None = None, lang: str = "en", row_of=None) -> bytes:
    """A scored table (`score_table`) as the CSV the page offers for download.

    The file's own columns first, as it wrote them (`rows`: an id to join the scores back on, its
    labels as its own words; `row_of`: the row of `rows` each scored text comes from, where `rows`
    holds rows that were not scored, an empty text, whose model columns are left blank), then the
    model's, named and worded as the page shows them in `lang`:
    P(positive) (four decimals), the prediction, and where a text has a label whether it was right
    (yes/no in `lang`'s words; blank where it has none). Without `rows`, the text (and its label) stand for them. UTF-8 with
    a BOM, which Excel needs to read Chinese. A cell that a spreadsheet would run as a formula
    (=HYPERLINK(...), +cmd, @SUM), in any column the file brought, is written with a leading
    apostrophe, which shows it as text: the download of an uploaded file is opened in Excel.
    """
    from core.i18n import tr

    words = {0: tr("label.0", lang), 1: tr("label.1", lang)}
    if rows is None:
        rows = table[[c for c in ("text", "label") if c in table]].copy()
        if "label" in rows:
            rows["label"] = rows["label"].map(words)
        rows.columns = [tr(f"col.{c}", lang) for c in rows.columns]
    added = {
        "p_positive": table["p_positive"].astype("float64").round(4).to_numpy(),  # (rounded as float32, 0.9829 became 0.9829000234603882 in a Float64 column)
        "prediction": table["prediction"].map(words).fillna(tr("sent.verdict_none", lang)).to_numpy(),  # (no verdict: a text of unknown tokens alone)
    }
    if "correct" in table:  # in the page's words, as the other columns (True/False stood under the Chinese "正确")
        added["correct"] = table["correct"].astype("boolean").map({True: tr("sent.yes", lang), False: tr("sent.no", lang)}).astype("string").to_numpy()
    if row_of is not None and len(row_of) < len(rows):  # every line of the file, those not scored blank
        for key, values in list(added.items()):
            full = pd.array([pd.NA] * len(rows), dtype="Float64" if key == "p_positive" else "string")
            full[np.asarray(row_of)] = values
            added[key] = full
    out = rows.reset_index(drop=True).copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):  # (str columns are "object" or "str" by pandas version)
            out[column] = [("'" + v) if isinstance(v, str) and v.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(v) else v for v in out[column]]
    for key, values in added.items():
        name = tr(f"col.{key}", lang)
        while name in out.columns:  # (a file with its own "Prediction" column keeps it)
            name = f"{name} ({tr('col.model', lang)})" if not name.endswith(")") else name + "'"
        out[name] = values
    return out.to_csv(index=False).encode("utf-8-sig")


def labelled(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a scored table that have a label (all of them, unless some had none)."""
    if "label" not in table:
        return table.iloc[:0]
    return table[table["label"].notna() & table["prediction"].notna()].astype({"label": int, "prediction": int, "correct": bool})


def confusion(table: pd.DataFrame) -> pd.DataFrame:
    """2x2 counts: rows the true label, columns the prediction."""
    matrix = pd.crosstab(table["label"], table["prediction"]).reindex(index=[0, 1], columns=[0, 1], fill_value=0)
    matrix.index.name, matrix.columns.name = "label", "prediction"
    return matrix


def misclassified(predictor: SentimentPredictor, texts: list[str], labels: np.ndarray, progress: Progress | None = None) -> pd.DataFrame:
    """The test texts the model gets wrong, most confident first (confidence = |p - 0.5| * 2)."""
    table = score_table(predictor, texts, labels, progress=progress)
    return _most_confident_first(table[~table["correct"]].copy())


def _most_confident_first(wrong: pd.DataFrame) -> pd.DataFrame:
    wrong["confidence"] = (wrong["p_positive"] - 0.5).abs() * 2
    return wrong.sort_values("confidence", ascending=False).reset_index(drop=True)


def misclassified_test(predictor: SentimentPredictor, progress: Progress | None = None) -> tuple[pd.DataFrame, int]:
    """(the held-out test texts the run gets wrong, most confident first; how many there are).

    Exactly the test texts the run was scored on at the end of its training
    (`core.train.sentiment_test_texts`: its data loaded as training loaded it, a registered
    data set or the CSV the user uploaded, the same split and the same seeded subset when it
    trained on at most `max_train_texts`), so the accuracy here is the run's test accuracy.
    Runs on Keras ids go through `misclassified_encoded`. A data set that is not on this
    machine any more is a `DataError` that says so. `progress(done, total)` follows the scoring.
    """
    if predictor.keras_index is not None:
        return misclassified_encoded(predictor, progress=progress)
    from core.train import TrainConfig, sentiment_test_texts

    texts, labels = sentiment_test_texts(TrainConfig.from_dict(predictor.config))
    return misclassified(predictor, texts, np.asarray(labels), progress=progress), len(texts)


def misclassified_encoded(predictor: SentimentPredictor, threshold: float = 0.5, progress: Progress | None = None) -> tuple[pd.DataFrame, int]:
    """(the test reviews a Keras-ids run gets wrong, most confident first; how many it was tested on).

    For runs on ``imdb`` (reviews stored as Keras ids, no text): the run's own test reviews,
    split, encoded and padded exactly as its training did (`core.train.prepare_sentiment_data`
    on its config), and each wrong one decoded with Keras's word index for reading: the words
    the model read (after the run's truncation), ``<unk>`` for words beyond num_words.
    Same columns as `misclassified`.
    """
    from core.train import TrainConfig, prepare_sentiment_data

    if predictor.keras_index is None:
        raise ValueError("misclassified_encoded is for runs on Keras ids (imdb); use misclassified")
    data = prepare_sentiment_data(TrainConfig.from_dict(predictor.config))
    probs = predictor.predict_ids(data.x_test, progress=progress)
    labels = data.y_test.astype(int)
    rows = np.flatnonzero((probs >= threshold).astype(int) != labels)  # decode only the wrong ones
    wrong = _scored([predictor.decode_ids(data.x_test[i]) for i in rows], probs[rows], labels[rows], threshold)
    return _most_confident_first(wrong), len(labels)
