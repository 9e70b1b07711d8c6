"""word2vec's binary format (`core.embeddings.read_word2vec_binary`) and the Chinese Wikipedia
vectors read from the `synonyms` 3.10.2 archive (`fetch_zh_wiki`, `load_zh_wiki`).

The binary files here are written by gensim, an independent writer of the format, and the
archive is a small .tar.gz in the real one's layout, served over HTTP from this machine (the `www` fixture)."""

from __future__ import annotations

import hashlib
import io
import struct
import tarfile

import numpy as np
import pytest

from core import embeddings as emb
from core import paths
from core.download import RemoteFile
from core.errors import DataError, DownloadError

WORDS = ["酒店", "饭店", "北京", "东京", "中国", "日本", "喜欢", "讨厌", "good", "bad"]


def _gensim_binary(words=WORDS, dim=6, seed=0) -> tuple[bytes, np.ndarray]:
    import tempfile
    from pathlib import Path

    from gensim.models import KeyedVectors

    matrix = np.random.default_rng(seed).standard_normal((len(words), dim)).astype(np.float32)
    kv = KeyedVectors(dim)
    kv.add_vectors(words, matrix)
    with tempfile.TemporaryDirectory() as folder:
        kv.save_word2vec_format(str(Path(folder) / "v.bin"), binary=True, write_header=True)
        return (Path(folder) / "v.bin").read_bytes(), matrix


def test_reads_what_gensim_writes_with_limit_and_vocabulary(tmp_path):
    data, matrix = _gensim_binary()
    v = emb.read_word2vec_binary(data)
    assert v.words == WORDS and v.dim == 6
    assert np.array_equal(v.matrix, matrix), "bit for bit the float32 values gensim wrote"
    (tmp_path / "v.bin").write_bytes(data)
    assert np.array_equal(emb.read_word2vec_binary(tmp_path / "v.bin").matrix, matrix)
    top = emb.read_word2vec_binary(data, limit=3)
    assert top.words == WORDS[:3] and np.array_equal(top.matrix, matrix[:3])
    some = emb.read_word2vec_binary(data, vocab={"日本", "good", "absent"})
    assert some.words == ["日本", "good"] and np.array_equal(some.matrix, matrix[[5, 8]])
    seen = []
    emb.read_word2vec_binary(data, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(data), len(data))


def _by_hand(entries, dim, header=None) -> bytes:
    """The format written out by hand: header, then word bytes, a space, float32 values, newline."""
    out = (header if header is not None else f"{len(entries)} {dim}\n".encode())
    for word, values in entries:
        out += word + b" " + struct.pack(f"<{dim}f", *values) + b"\n"
    return out


def test_a_repeated_word_or_a_word_cut_inside_a_character_gets_a_notice():
    cut = "酒店".encode()[:-1]  # the C tool cuts over-long words at a byte, not at a character
    data = _by_hand([(b"a", [1, 2]), (b"a", [3, 4]), (cut, [5, 6])], 2)
    v = emb.read_word2vec_binary(data)
    assert v.words == ["a", "酒"]
    assert np.array_equal(v.matrix, [[1, 2], [5, 6]])
    assert dict(v.notices) == {"emb.duplicates": {"n": 1}, "emb.bin_mended": {"n": 1}}


@pytest.mark.parametrize(
    "data, key",
    [
        (b"", "emb.bin_header"),
        (b"the 0.1 0.2\n", "emb.bin_header"),  # GloVe text, not binary
        (b"0 5\n", "emb.bin_header"),
        (bytes.fromhex("c3b5a2efc43ad35e2ea54918d891fd8d"), "emb.bin_header_bytes"),  # random bytes: named as bytes, not as "õ���:�^"
        (_by_hand([(b"a", [1, 2])], 2, header=b"3 2\n"), "emb.bin_truncated"),  # announces 3, holds 1
        (_by_hand([(b"a", [1, 2])], 2)[:-3], "emb.bin_truncated"),  # cut inside the last vector
        (_by_hand([(b"a", [1, float("nan")])], 2), "emb.not_finite_row"),
    ],
)
def test_a_broken_file_says_what_is_wrong(data, key):
    with pytest.raises(DataError) as err:
        emb.read_word2vec_binary(data, name="v.bin")
    assert err.value.key == key
    if key == "emb.bin_header_bytes":
        assert err.value.params["start"] == "c3 b5 a2 ef c4 3a d3 5e" and "\ufffd" not in str(err.value)


def _synonyms_archive(member_data: bytes, member: str = emb.ZH_WIKI_MEMBER) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, payload in ((member.rsplit("/", 1)[0] + "/vocab.txt", b"word 1\n"), (member, member_data)):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return out.getvalue()


def _remote(base: str, data: bytes, digest: str | None = None) -> RemoteFile:
    return RemoteFile(url=f"{base}/{emb.ZH_WIKI.filename}", filename=emb.ZH_WIKI.filename, digest=digest or hashlib.sha256(data).hexdigest(), approx_bytes=len(data), size=len(data))


def test_the_chinese_wikipedia_vectors_are_downloaded_checked_and_read_from_the_archive(www):
    root, base = www
    vectors, matrix = _gensim_binary()
    data = _synonyms_archive(vectors)
    (root / emb.ZH_WIKI.filename).write_bytes(data)
    assert emb.find_zh_wiki() is None
    with pytest.raises(DataError) as err:
        emb.load_zh_wiki()
    assert err.value.key == "emb.zh_wiki_missing"

    seen = []
    path = emb.fetch_zh_wiki(progress=lambda done, total: seen.append((done, total)), remote=_remote(base, data))
    assert path == paths.cache_dir() / emb.ZH_WIKI.filename and seen[-1] == (len(data), len(data))
    assert emb.find_zh_wiki() == (path, emb.ZH_WIKI_MEMBER)
    v = emb.load_zh_wiki(limit=4)
    assert v.words == WORDS[:4] and np.array_equal(v.matrix, matrix[:4])
    assert "synonyms 3.10.2" in v.source
    assert emb.neighbours(emb.load_zh_wiki(), "酒店", 3)["word"].tolist() == emb.neighbours(emb.Vectors(WORDS, matrix), "酒店", 3)["word"].tolist()

    # the member on its own in the data folder is found first
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    (paths.data_dir() / emb.ZH_WIKI_FILE).write_bytes(vectors)
    assert emb.find_zh_wiki() == (paths.data_dir() / emb.ZH_WIKI_FILE, None)
    assert emb.load_zh_wiki().words == WORDS


def test_a_wrong_or_broken_archive_is_refused_and_removed(www):
    root, base = www
    good = _synonyms_archive(_gensim_binary()[0])
    (root / emb.ZH_WIKI.filename).write_bytes(good)
    with pytest.raises(DownloadError) as err:  # someone else's file under that name
        emb.fetch_zh_wiki(remote=_remote(base, good, digest="0" * 64))
    assert err.value.key == "download.checksum"

    cases = [
        (_synonyms_archive(b"not vectors at all\n"), "emb.bin_header"),
        (_synonyms_archive(_gensim_binary()[0], member="synonyms/other.vector"), "emb.archive_member"),
        (b"\x1f\x8b" + b"broken gzip" * 10, "emb.bad_archive"),
    ]
    for data, key in cases:
        (root / emb.ZH_WIKI.filename).write_bytes(data)
        with pytest.raises(DataError) as err:
            emb.fetch_zh_wiki(remote=_remote(base, data))
        assert err.value.key == key
        assert not (paths.cache_dir() / emb.ZH_WIKI.filename).exists(), "a refused archive is not kept"


def test_the_operator_cli_fetches_the_chinese_wikipedia_vectors(www, monkeypatch):
    root, base = www
    data = _synonyms_archive(_gensim_binary()[0])
    (root / emb.ZH_WIKI.filename).write_bytes(data)
    monkeypatch.setattr(emb, "ZH_WIKI", _remote(base, data))
    assert emb.main(["fetch-zh-wiki"]) == 0
    assert emb.find_zh_wiki() == (paths.cache_dir() / emb.ZH_WIKI.filename, emb.ZH_WIKI_MEMBER)


def test_the_published_archive_is_pinned():
    """The URL, size and sha256 PyPI publishes for synonyms-3.10.2.tar.gz (checked against
    https://pypi.org/simple/synonyms/ on 2026-12-01)."""
    assert emb.ZH_WIKI.url.startswith("https://files.pythonhosted.org/") and emb.ZH_WIKI.url.endswith("/synonyms-3.10.2.tar.gz")
    assert emb.ZH_WIKI.algorithm == "sha256" and emb.ZH_WIKI.size == 54_459_255


def test_a_binary_file_is_named_in_a_message_without_its_control_characters():
    junk = bytes(range(256)) * 4
    with pytest.raises(DataError) as err:
        emb.read_word2vec_binary(junk, name="junk.bin")
    start = err.value.params["start"]
    assert start and all(c.isprintable() for c in start), start
    with pytest.raises(DataError) as err:  # the same bytes offered as a text vector file
        emb.read_text_vectors(b"\x01\x02word\x07 0.1 x\n", name="junk.txt")
    assert err.value.key == "emb.line_bad_number"
    assert err.value.params["word"] == "··word·" and err.value.params["value"] == "x"
