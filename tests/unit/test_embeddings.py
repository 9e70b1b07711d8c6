"""core.embeddings: vectors the tests build where the right answers are known, the text-file
reader on small files (malformed lines included), the GloVe download over a local HTTP
server, projections, Word2Vec on a tiny corpus, and a run initialised from vectors."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest

from core import embeddings as emb
from core import paths
from core.download import RemoteFile
from core.errors import DataError, DownloadError, RnnLabError

# --------------------------------------------------------------------------- a space with known answers

# Axes: royalty, male, female, place, food. king - man + woman = queen by construction.
KNOWN = {
    "king": [1.0, 1.0, 0.0, 0.0, 0.0],
    "queen": [1.0, 0.0, 1.0, 0.0, 0.0],
    "man": [0.0, 1.0, 0.0, 0.0, 0.1],
    "woman": [0.0, 0.0, 1.0, 0.0, 0.1],
    "prince": [0.8, 0.9, 0.0, 0.1, 0.0],
    "paris": [0.0, 0.0, 0.0, 1.0, 0.0],
    "rome": [0.0, 0.0, 0.0, 0.9, 0.2],
    "bread": [0.0, 0.0, 0.0, 0.1, 1.0],
    "far": [0.0, 0.0, 0.0, 10.0, 0.0],  # same direction as paris, ten times as long
}


@pytest.fixture
def space() -> emb.Vectors:
    words = list(KNOWN)
    return emb.Vectors(words, np.asarray([KNOWN[w] for w in words]), counts=np.arange(len(words), 0, -1), source="test")


def test_neighbours_by_cosine_and_by_euclidean_distance(space):
    by_cos = emb.neighbours(space, "paris", k=3)
    assert list(by_cos.columns) == ["rank", "word", "cosine", "euclidean"]
    assert by_cos["word"].tolist()[:2] == ["far", "rome"]  # "far" points the same way: cosine 1
    assert by_cos["cosine"].iloc[0] == pytest.approx(1.0)
    assert "paris" not in by_cos["word"].tolist()
    by_dist = emb.neighbours(space, "paris", k=3, metric="euclidean")
    assert by_dist["word"].iloc[0] == "rome"  # "far" is far away in Euclidean terms
    assert "far" not in by_dist["word"].tolist()
    assert by_dist["euclidean"].is_monotonic_increasing
    expected = np.linalg.norm(np.asarray(KNOWN["rome"]) - np.asarray(KNOWN["paris"]))
    assert by_dist["euclidean"].iloc[0] == pytest.approx(expected, rel=1e-5)


def test_neighbours_of_a_vector_and_more_than_there_are(space):
    table = emb.neighbours(space, np.asarray(KNOWN["queen"]), k=100)
    assert len(table) == len(space)  # a vector query excludes nothing
    assert table["word"].iloc[0] == "queen"
    with pytest.raises(DataError) as err:
        emb.neighbours(space, np.ones(3))
    assert err.value.key == "emb.dim_mismatch"
    with pytest.raises(RnnLabError):
        emb.neighbours(space, "king", metric="manhattan")


def test_analogy_king_man_woman_is_queen_and_excludes_the_inputs(space):
    answers = emb.analogy(space, "king", "man", "woman", k=3)
    assert answers["word"].iloc[0] == "queen"
    assert not {"king", "man", "woman"} & set(answers["word"])
    assert answers["cosine"].is_monotonic_decreasing
    # 3CosAdd score = cos(x, a) - cos(x, b) + cos(x, c)
    n = space.normalised
    q = n[space.row("queen")]
    expected = q @ n[space.row("king")] - q @ n[space.row("man")] + q @ n[space.row("woman")]
    assert answers["score"].iloc[0] == pytest.approx(float(expected), rel=1e-5)


def test_unknown_word_suggests_close_spellings(space):
    with pytest.raises(DataError) as err:
        emb.neighbours(space, "kinq")
    assert err.value.key == "emb.unknown_word"
    assert "king" in err.value.params["suggestions"]
    assert emb.suggest(space, "Paris")[0] == "paris"  # another letter case first
    with pytest.raises(DataError) as err:
        emb.neighbours(space, "zzzzzzzzzz")
    assert err.value.key == "emb.unknown_word_none"
    chinese = emb.Vectors(["中国", "人民", "北京"], np.eye(3))
    assert "中国" in emb.suggest(chinese, "中国人")
    # a one-character typo of a two-character word: difflib's ratio (0.5) is below its cutoff, and
    # 中 was the only suggestion for 中囯; the words one typo away come first, those of the same
    # length (a character changed) before the shorter or longer ones, each most frequent first.
    # The order is People's Daily's: 中 is commoner than 中国, and still comes after it
    typos = emb.Vectors(["的", "中", "中国", "中央", "国家", "美国"], np.eye(6))
    assert emb.suggest(typos, "中囯") == ["中国", "中央", "中"]  # (中: 囯 left out)
    assert emb.suggest(typos, "国中")[0] == "中国"  # two characters swapped
    # an emoji or another one-character word shares nothing with the vocabulary's words: no
    # suggestion (every one-character word is "one change away", and 😀 got 的、中 first)
    assert emb.suggest(typos, "😀") == [] and emb.suggest(typos, "啊") == []
    assert emb.unknown_word_error(typos, "😀").key == "emb.unknown_word_none"
    assert emb.known_spelling(space, "Paris") == "paris" and emb.known_spelling(space, "paris") == "paris" and emb.known_spelling(space, "Pariss") is None
    assert emb.one_edit_apart("kinq", "king") and emb.one_edit_apart("kng", "king") and emb.one_edit_apart("kingg", "king")
    assert not emb.one_edit_apart("king", "king") and not emb.one_edit_apart("kign", "kong") and not emb.one_edit_apart("ab", "abcd")


def test_similarity_matrix_and_bad_word_lists(space):
    sims = emb.similarity_matrix(space, ["paris", "rome", "paris", "bread"])
    assert list(sims.index) == ["paris", "rome", "bread"]  # repeats dropped, order kept
    assert np.allclose(np.diag(sims), 1.0)
    assert np.allclose(sims.to_numpy(), sims.to_numpy().T)
    assert sims.loc["paris", "rome"] == pytest.approx(emb.cosine(np.asarray(KNOWN["paris"]), np.asarray(KNOWN["rome"])))
    with pytest.raises(DataError) as err:
        emb.similarity_matrix(space, [])
    assert err.value.key == "emb.empty_words"
    with pytest.raises(DataError) as err:
        emb.similarity_matrix(space, ["paris", "rme"])
    assert err.value.key == "emb.unknown_words" and err.value.params["words"] == ["rme"] and "rome" in err.value.params["suggestions"]
    with pytest.raises(DataError) as err:  # nothing spelled like it: no "Close to ...: -" clause
        emb.similarity_matrix(space, ["paris", "不存在的词xyz"])
    assert err.value.key == "emb.unknown_words_none" and err.value.message("en") == "These words are not in the vocabulary: 不存在的词xyz."
    assert emb.parse_word_list("like, dislike，Rome  Paris\n喜欢、讨厌") == ["like", "dislike", "Rome", "Paris", "喜欢", "讨厌"]


def test_vectors_value_checks():
    with pytest.raises(DataError):
        emb.Vectors(["a", "b"], np.zeros((3, 2)))
    with pytest.raises(DataError) as err:
        emb.Vectors(["a"], np.asarray([[np.nan, 1.0]]))
    assert err.value.key == "emb.not_finite_row"
    v = emb.Vectors(["a", "b"], np.asarray([[3.0, 4.0], [0.0, 0.0]]))
    assert v.matrix.dtype == np.float32
    assert np.allclose(v.normalised[0], [0.6, 0.8]) and np.allclose(v.normalised[1], 0.0)  # a zero row stays zero


# --------------------------------------------------------------------------- text files

GLOVE_TEXT = "the 0.1 0.2 0.3\nof -1 2.5e-1 3\nand 4 5 6\n"


def test_glove_format_from_a_path_bytes_and_a_file_object(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text(GLOVE_TEXT, encoding="utf-8")
    for source in (path, GLOVE_TEXT.encode(), io.BytesIO(GLOVE_TEXT.encode())):
        v = emb.read_text_vectors(source)
        assert v.words == ["the", "of", "and"]
        assert v.matrix.dtype == np.float32 and v.matrix.shape == (3, 3)
        assert np.allclose(v.matrix[1], [-1, 0.25, 3])
        assert v.info["format"] == "GloVe"


def test_word2vec_text_format_with_its_header_crlf_bom_and_blank_lines():
    text = "\ufeff3 2\r\nthe 1 2\r\n\r\nof 3 4\r\nand 5 6\r\n"
    v = emb.read_text_vectors(text.encode("utf-8"))
    assert v.words == ["the", "of", "and"] and v.info["format"] == "word2vec"
    assert np.allclose(v.matrix, [[1, 2], [3, 4], [5, 6]])
    short = emb.read_text_vectors(b"5 2\nthe 1 2\n")
    assert ("emb.header_count", {"announced": 5, "found": 1}) in short.notices


def test_vocab_keeps_only_the_needed_rows_and_limit_reads_the_top():
    v = emb.read_text_vectors(GLOVE_TEXT.encode(), vocab={"and", "the", "missing"})
    assert v.words == ["the", "and"] and v.matrix.shape == (2, 3)
    assert emb.read_text_vectors(GLOVE_TEXT.encode(), limit=2).words == ["the", "of"]
    with pytest.raises(DataError) as err:
        emb.read_text_vectors(GLOVE_TEXT.encode(), vocab={"nothing"})
    assert err.value.key == "emb.no_vocab_rows"


def test_duplicates_keep_the_first_vector_and_words_may_hold_spaces():
    v = emb.read_text_vectors(b"a 1 2\nb 3 4\na 5 6\nat & t 7 8\n")
    assert v.words == ["a", "b", "at & t"]
    assert np.allclose(v.vector("a"), [1, 2]) and np.allclose(v.vector("at & t"), [7, 8])
    assert ("emb.duplicates", {"n": 1}) in v.notices


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        (b"the 1 2 3\nof 1 x 3\n", "emb.line_bad_number", 2),
        (b"the 1 2 3\nof 1 2\n", "emb.line_dims", 2),
        (b"the 1 2 3\nof 1 2 3 4\n", "emb.line_dims", 2),
        (b"the 1 2 3\n\nlonely\n", "emb.line_no_values", 3),
        (b"the 1 2 3\nof 1 nan 3\n", "emb.line_not_finite", 2),
        (b"king 1e308 1e308 1e308\n", "emb.line_too_large", 1),
        (b"the 1 2 3\nof 1 -1e39 3\n", "emb.line_too_large", 2),
        (b"2 3\nthe 1 2 3\nof 1 2\n", "emb.line_dims_header", 3),
        (b"the 1 2 3\nof \xff\xfe 2 3\n", "emb.bad_encoding", 2),
    ],
)
def test_malformed_lines_name_the_line_and_the_reason(text, key, line):
    with pytest.raises(DataError) as err:
        emb.read_text_vectors(text)
    assert err.value.key == key
    assert err.value.params["line"] == line
    assert f"{line}" in err.value.message("en") and f"{line}" in err.value.message("zh")


def test_a_gbk_vector_file_is_read_with_a_notice():
    # a vector file saved on a Chinese Windows machine was refused as "not UTF-8 ... not binary
    # word2vec files" (an exploratory tester): read as GBK, said so
    # 学校's GBK bytes are valid UTF-8 too: read line by line it became "ѧУ" (a regression check)
    data = "学校 0.5 0.5 0.5\n中国 0.1 0.2 0.3\n北京 0.2 0.3 0.4\nthe 1 2 3\n".encode("gbk")
    v = emb.read_text_vectors(data)
    assert v.words == ["学校", "中国", "北京", "the"] and np.allclose(v.vector("北京"), [0.2, 0.3, 0.4])
    assert ("emb.read_as_gbk", {}) in v.notices
    import io

    assert emb.read_text_vectors(io.BytesIO(data)).words == v.words  # a file object too
    assert "emb.read_as_gbk" not in [key for key, _ in emb.read_text_vectors("中国 1 2\n".encode()).notices]


def test_malformed_lines_found_in_a_later_chunk_and_outside_the_vocabulary(monkeypatch):
    monkeypatch.setattr(emb, "PARSE_CHUNK_LINES", 3)
    rows = [f"w{i} {i} {i + 1}" for i in range(10)]
    good = emb.read_text_vectors("\n".join(rows).encode())
    assert len(good) == 10 and np.allclose(good.vector("w7"), [7, 8])
    rows[7] = "w7 7 oops"
    with pytest.raises(DataError) as err:
        emb.read_text_vectors("\n".join(rows).encode())
    assert (err.value.key, err.value.params["line"]) == ("emb.line_bad_number", 8)
    rows[7] = "w7 7 8 9"  # not asked for, but its dimension is still checked
    with pytest.raises(DataError) as err:
        emb.read_text_vectors("\n".join(rows).encode(), vocab={"w1"})
    assert (err.value.key, err.value.params["line"]) == ("emb.line_dims", 8)


def test_empty_files_and_zip_members(tmp_path):
    with pytest.raises(DataError) as err:
        emb.read_text_vectors(b"\n\n")
    assert err.value.key == "emb.empty_file"
    archive = tmp_path / "vectors.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("inner/vecs.txt", GLOVE_TEXT)
    assert emb.read_text_vectors(archive).words == ["the", "of", "and"]
    assert emb.read_text_vectors(archive, member="inner/vecs.txt").words == ["the", "of", "and"]
    with pytest.raises(DataError) as err:
        emb.read_text_vectors(archive, member="nope.txt")
    assert err.value.key == "emb.zip_member"
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DataError) as err:
        emb.read_text_vectors(bad)
    assert err.value.key == "emb.bad_zip"


def test_write_then_read_round_trip(tmp_path, space):
    for header in (False, True):
        path = emb.write_text_vectors(space, tmp_path / f"out{header}.txt", header=header)
        back = emb.read_text_vectors(path)
        assert back.words == space.words
        assert np.allclose(back.matrix, space.matrix, atol=1e-5)


# --------------------------------------------------------------------------- GloVe 6B, downloaded from a local server


def _glove_zip(dims=(50, 100, 200, 300)) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for d in dims:
            rng = np.random.default_rng(d)
            lines = [w + " " + " ".join(f"{x:.4f}" for x in rng.standard_normal(d)) for w in ("the", "king", "queen", "rome")]
            z.writestr(f"glove.6B.{d}d.txt", "\n".join(lines) + "\n")
    return buffer.getvalue()


def test_glove_download_checks_size_and_zip_then_loads(www):
    root, base = www
    data = _glove_zip()
    (root / "glove.6B.zip").write_bytes(data)
    assert emb.find_glove(50) is None
    with pytest.raises(DataError) as err:
        emb.load_glove(50)
    assert err.value.key == "emb.glove_missing"
    seen = []
    remote = RemoteFile(url=f"{base}/glove.6B.zip", filename="glove.6B.zip", digest="", approx_bytes=len(data), size=len(data))
    path = emb.fetch_glove(progress=lambda done, total: seen.append((done, total)), remote=remote)
    assert path.parent == paths.cache_dir() and seen[-1] == (len(data), len(data))
    assert emb.find_glove(100) == (path, "glove.6B.100d.txt")
    v = emb.load_glove(100, vocab={"king", "queen"})
    assert v.words == ["king", "queen"] and v.dim == 100
    assert "GloVe 6B 100d" in v.source


def test_glove_download_of_the_wrong_size_or_not_a_zip_is_deleted(www):
    root, base = www
    data = _glove_zip()
    (root / "glove.6B.zip").write_bytes(data)
    wrong = RemoteFile(url=f"{base}/glove.6B.zip", filename="glove.6B.zip", digest="", approx_bytes=1, size=len(data) + 1)
    with pytest.raises(DownloadError) as err:
        emb.fetch_glove(remote=wrong)
    assert err.value.key == "download.size"
    (root / "fake.zip").write_bytes(b"x" * 100)
    fake = RemoteFile(url=f"{base}/fake.zip", filename="glove.6B.zip", digest="", approx_bytes=100, size=100)
    with pytest.raises(DataError) as err:
        emb.fetch_glove(remote=fake)
    assert err.value.key == "emb.bad_zip"
    assert not (paths.cache_dir() / "glove.6B.zip").exists()
    offline = RemoteFile(url="http://127.0.0.1:9/glove.6B.zip", filename="glove.6B.zip", digest="", approx_bytes=1, size=1)
    with pytest.raises(DownloadError) as err:
        emb.fetch_glove(remote=offline)
    assert err.value.key == "download.offline"


def test_the_operator_cli_fetches_glove_or_says_why_not(www, monkeypatch, capsys):
    root, base = www
    data = _glove_zip()
    (root / "glove.6B.zip").write_bytes(data)
    monkeypatch.setattr(emb, "GLOVE_6B", RemoteFile(url=f"{base}/glove.6B.zip", filename="glove.6B.zip", digest="", approx_bytes=len(data), size=len(data)))
    assert emb.main(["fetch-glove"]) == 0
    assert emb.find_glove(300) == (paths.cache_dir() / "glove.6B.zip", "glove.6B.300d.txt")
    (paths.cache_dir() / "glove.6B.zip").unlink()
    monkeypatch.setattr(emb, "GLOVE_6B", RemoteFile(url="http://127.0.0.1:9/glove.6B.zip", filename="glove.6B.zip", digest="", approx_bytes=1, size=1))
    assert emb.main(["fetch-glove"]) == 1
    assert "offline" in capsys.readouterr().err


def test_a_glove_text_file_in_the_data_folder_is_found_first(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path))
    (tmp_path / "glove.6B.50d.txt").write_text("the " + " ".join(["0.5"] * 50) + "\n", encoding="utf-8")
    assert emb.find_glove(50) == (tmp_path / "glove.6B.50d.txt", None)
    assert emb.load_glove(50).words == ["the"]
    with pytest.raises(RnnLabError):
        emb.glove_member(64)


# --------------------------------------------------------------------------- projections


def test_projections_have_the_right_shape_and_repeat_for_a_seed():
    rng = np.random.default_rng(0)
    v = emb.Vectors([f"w{i}" for i in range(40)], rng.standard_normal((40, 8)))
    for dims in (2, 3):
        coords = emb.project(v, "pca", dims)
        assert coords.shape == (40, dims)
        assert np.array_equal(coords, emb.project(v, "pca", dims))
    coords, explained = emb.pca(v.matrix, 2)
    assert 0 < explained.sum() <= 1 and explained[0] >= explained[1]
    assert np.allclose(coords.mean(axis=0), 0, atol=1e-9)
    a = emb.project(v, "tsne", 2, seed=3)
    assert a.shape == (40, 2) and np.array_equal(a, emb.project(v, "tsne", 2, seed=3))
    assert emb.project(v.head(10), "tsne", 3, seed=1).shape == (10, 3)
    with pytest.raises(RnnLabError):
        emb.project(v, "pca", 4)
    with pytest.raises(DataError) as err:
        emb.project(v.head(1), "pca", 2)
    assert err.value.key == "emb.too_few_points"
    if "umap" not in emb.available_projections():
        with pytest.raises(DataError) as err:
            emb.project(v, "umap", 2)
        assert err.value.key == "emb.projection_missing"
    frame = emb.projection_frame(v.head(5), emb.project(v.head(5), "pca", 3))
    assert list(frame.columns) == ["word", "x", "y", "z", "frequency", "rank"]


@pytest.mark.timeout(300)
def test_umap_projects_and_repeats_for_a_seed():
    """umap-learn is in requirements.txt: the page offers UMAP (its first call compiles with numba: ~30 s)."""
    assert "umap" in emb.available_projections()
    rng = np.random.default_rng(1)
    # two well-separated clusters stay separated in the 2-D layout
    matrix = np.vstack([rng.normal(0, 0.1, (30, 8)) + 5, rng.normal(0, 0.1, (30, 8)) - 5])
    v = emb.Vectors([f"w{i}" for i in range(60)], matrix)
    a = emb.project(v, "umap", 2, seed=4)
    assert a.shape == (60, 2) and np.isfinite(a).all()
    assert np.array_equal(a, emb.project(v, "umap", 2, seed=4))
    gap = np.linalg.norm(a[:30].mean(axis=0) - a[30:].mean(axis=0))
    spread = max(np.linalg.norm(a[:30] - a[:30].mean(axis=0), axis=1).max(), np.linalg.norm(a[30:] - a[30:].mean(axis=0), axis=1).max())
    assert gap > 2 * spread
    assert emb.project(v, "umap", 3, seed=4).shape == (60, 3)
    # its epochs are counted (through tqdm, into the progress function), and counting changes nothing
    said = []
    assert np.array_equal(emb.project(v, "umap", 2, seed=4, progress=lambda done, total: said.append((done, total))), a)
    totals = {total for _, total in said}
    assert len(totals) == 1 and totals.pop() >= 100, said[:5]
    counts = [done for done, _ in said]
    assert counts == sorted(counts) and counts[-1] == said[-1][1] and len(set(counts)) >= 2


@pytest.mark.timeout(300)
def test_umap_gets_the_neighbour_graph_its_own_search_would_build():
    """The map's neighbours come from scikit-learn (UMAP's own exact search compiles numba code in
    every new process): UMAP builds the same fuzzy graph from them. With a word's distance to
    itself left at 1e-7, each word's graph came out wider, and the maps kept fewer neighbours."""
    import umap

    rng = np.random.default_rng(3)
    matrix = (rng.standard_normal((200, 20)) + np.repeat(np.eye(20)[:4] * 3, 50, axis=0)).astype(np.float32)
    indices, distances = emb.umap_neighbours(matrix, 15)
    assert indices.shape == distances.shape == (200, 15) and distances.dtype == np.float32
    assert (indices[:, 0] == np.arange(200)).all() and (distances[:, 0] == 0).all()
    ours = umap.UMAP(n_neighbors=15, random_state=0, n_epochs=0, precomputed_knn=(indices, distances), force_approximation_algorithm=True).fit(matrix).graph_
    theirs = umap.UMAP(n_neighbors=15, random_state=0, n_epochs=0).fit(matrix).graph_
    assert ours.nnz == theirs.nnz and abs(ours - theirs).max() < 1e-4


def test_tsne_counts_its_iterations_for_the_progress_bar_and_only_its_own():
    rng = np.random.default_rng(2)
    v = emb.Vectors([f"w{i}" for i in range(60)], rng.standard_normal((60, 8)))
    quiet = emb.project(v, "tsne", 2, seed=5)
    said = []
    counted = emb.project(v, "tsne", 2, seed=5, progress=lambda done, total: said.append((done, total)))
    assert np.array_equal(counted, quiet)  # counting changes nothing
    assert said[0] == (0, emb.TSNE_ITERATIONS) and {total for _, total in said} == {emb.TSNE_ITERATIONS}
    counts = [done for done, _ in said]
    assert counts == sorted(counts) and 250 < counts[-1] <= emb.TSNE_ITERATIONS  # past the 250 early-exaggeration steps
    # a t-SNE on another thread (another session's job) meanwhile is not counted in this one's bar
    import threading

    mine, other_said = [], []
    other = threading.Thread(target=lambda: other_said.append(emb.project(v, "tsne", 2, seed=6)))
    other.start()
    emb.project(v, "tsne", 2, seed=5, progress=lambda done, total: mine.append(done))
    other.join()
    assert other_said and max(mine) <= emb.TSNE_ITERATIONS and mine == sorted(mine)
    assert max(mine) == counts[-1] - counts[-1] % 10  # the same count as alone (reported every 10 iterations)


def test_compare_spaces_agree_with_themselves_and_not_with_noise(space):
    table, agreement = emb.compare_spaces(space, space, ["king", "queen", "paris", "rome", "bread"], k=2)
    assert agreement == pytest.approx(1.0) and (table["shared"] == 2).all()
    _, noise = emb.compare_spaces(space, emb.random_like(space, seed=1), list(KNOWN), k=2)
    assert noise is not None and noise < 0.9
    with pytest.raises(DataError):
        emb.compare_spaces(space, space, [])


# --------------------------------------------------------------------------- the Embedding layer, taught


def test_the_layer_demo_is_a_row_gather_like_keras():
    import keras

    table = emb.embedding_layer_table(10, 4, seed=0)
    assert table.shape == (10, 4) and np.abs(table).max() <= 0.05
    ids = emb.parse_ids("3, 0 7，9", 10)
    assert ids == [3, 0, 7, 9]
    layer = keras.layers.Embedding(10, 4)
    layer.build((None,))
    layer.set_weights([table])
    assert np.allclose(np.asarray(layer(np.asarray([ids]))[0]), emb.lookup(table, ids))
    with pytest.raises(DataError) as err:
        emb.parse_ids("1, 10", 10)
    assert err.value.key == "emb.bad_id"
    with pytest.raises(DataError):
        emb.parse_ids("  ", 10)
    # a row of the output each: 2,000 ids drew a chart tens of thousands of pixels tall (a learner)
    assert emb.parse_ids("、".join(["1"] * emb.MAX_TYPED_IDS), 10) == [1] * emb.MAX_TYPED_IDS
    with pytest.raises(DataError) as err:
        emb.parse_ids(" ".join(["1"] * 2000), 10)
    assert err.value.key == "emb.too_many_ids" and "2,000" in str(err.value)
    assert emb.embedding_parameters(10, 4, trainable=False) == {"total": 40, "trainable": 0, "non_trainable": 40}
    cmp = emb.one_hot_vs_dense(10_000, 32)
    assert cmp["one_hot_sparsity"] == pytest.approx(0.9999) and cmp["table_parameters"] == 320_000
    eye = emb.one_hot(5)
    assert np.allclose(eye @ eye.T, np.eye(5))  # every pair of one-hot vectors: cosine 0


# --------------------------------------------------------------------------- Word2Vec


def _toy_corpus() -> list[list[str]]:
    rng = np.random.default_rng(0)
    animals, foods = ["cat", "dog", "cow"], ["rice", "bread", "soup"]
    out = []
    for _ in range(300):
        if rng.random() < 0.5:
            out.append(["the", str(rng.choice(animals)), "runs", "and", "sleeps"])
        else:
            out.append(["we", "eat", str(rng.choice(foods)), "with", "salt"])
    return out


def test_word2vec_reports_progress_and_repeats_for_a_seed():
    corpus = _toy_corpus()
    seen = []
    a = emb.train_word2vec(corpus, callback=lambda done, total, s: seen.append((done, total)), source="toy", dim=16, epochs=3, min_count=1, sg=1)
    b = emb.train_word2vec(corpus, source="toy", dim=16, epochs=3, min_count=1, sg=1)
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]  # 0 once training begins: the bar says how many epochs
    assert a.words == b.words and np.array_equal(a.matrix, b.matrix)
    assert a.dim == 16 and (np.diff(a.counts) <= 0).all()  # most frequent first
    assert a.info["corpus_words"] == sum(map(len, corpus)) and a.info["words_per_second"] > 0
    assert "skip-gram" in a.source
    with pytest.raises(DataError) as err:
        emb.train_word2vec([["rare"]], min_count=5)
    assert err.value.key == "emb.w2v_empty"
    with pytest.raises(RnnLabError):
        emb.train_word2vec(corpus, dim=0)


def test_peoples_daily_sentences_are_words_without_punctuation():
    sentences = emb.corpus_sentences("peoples_daily", max_sentences=50)
    assert len(sentences) == 50
    words = [w for s in sentences for w in s]
    assert "，" not in words and "。" not in words and "中国" in words


def test_corpus_documents_keep_the_text_each_word_list_was_read_from():
    from core import datasets

    for name in ("peoples_daily", "chinese_reviews", "lyrics"):
        sentences, texts = emb.corpus_documents(name, max_sentences=300)
        assert sentences == emb.corpus_sentences(name, max_sentences=300) and len(texts) == len(sentences) == 300
        for words, text in zip(sentences, texts):  # each word in order, in the text it came from, punctuation kept there
            at = 0
            for w in words:
                at = text.index(w, at) + len(w)
    _, texts = emb.corpus_documents("chinese_reviews", max_sentences=300)
    reviews = datasets.load("chinese_reviews").texts
    where = [reviews.index(t) for t in texts]  # the reviews as written, in order; one of dots alone is left out
    assert where == sorted(where) and where[-1] > 299 and any("，" in t for t in texts)


# --------------------------------------------------------------------------- into training


def test_coverage_and_the_initial_matrix_take_exactly_the_vectors(space):
    vocab = ["<pad>", "<unk>", "King", "paris", "unknownword", "bread"]
    cov = emb.coverage(space, vocab, counts={"King": 5, "paris": 3, "unknownword": 2, "bread": 0})
    assert (cov["vocab"], cov["covered"]) == (4, 3)
    assert cov["share"] == pytest.approx(0.75) and cov["token_share"] == pytest.approx(0.8)
    assert cov["missing"] == ["unknownword"]
    matrix, covered = emb.embedding_matrix_for(vocab, space, seed=0)
    assert matrix.shape == (6, 5) and matrix.dtype == np.float32
    assert covered.tolist() == [False, False, True, True, False, True]
    assert np.array_equal(matrix[2], space.vector("king"))  # lower-case form found
    assert np.array_equal(matrix[3], space.vector("paris")) and np.array_equal(matrix[5], space.vector("bread"))
    assert np.array_equal(matrix[0], np.zeros(5))  # <pad>
    assert np.abs(matrix[[1, 4]]).max() <= 0.05  # Keras's default for the rest
    assert emb.vectors_for_vocab(space, vocab).words == ["king", "paris", "bread"]


def test_vectors_saved_in_a_run_folder_without_pickle(tmp_path, space):
    path = emb.save_vectors(space, tmp_path / "embedding_init.npy")
    assert emb.words_path(path).name == "embedding_init.words.json"
    assert np.load(path, allow_pickle=False).shape == (len(space), 5)
    back = emb.load_vectors(path)
    assert back.words == space.words and np.array_equal(back.matrix, space.matrix)


def test_a_config_with_pretrained_vectors_is_checked():
    from core.train import TrainConfig, check_settings

    cfg = TrainConfig.from_dict({"pretrained_vectors": "vectors.npy", "model": {"embedding_dim": 0}})
    with pytest.raises(RnnLabError) as err:
        cfg.validate()
    assert err.value.key == "emb.init_one_hot"
    with pytest.raises(RnnLabError):
        check_settings({"pretrained_vectors": "vectors.pkl"})
    TrainConfig.from_dict(cfg.to_dict())  # round-trips through JSON


@pytest.mark.slow
@pytest.mark.parametrize("task", ["sentiment", "language_model"])
def test_a_run_started_from_vectors_has_exactly_those_rows(tmp_path, task):
    from core.runs import RunStore
    from core.text import Vocab
    from core.train import TrainConfig, load_run_model, run_training

    dim = 6
    rng = np.random.default_rng(5)
    chars = list("的是不好很了一这我人有个在没也中")
    vectors = emb.Vectors(chars + ["not-in-the-run"], rng.normal(0, 1, size=(len(chars) + 1, dim)), source="test")
    if task == "sentiment":
        settings = {"task": "sentiment", "dataset": "chinese_reviews", "tokenizer": "char", "maxlen": 20, "max_train_texts": 60, "epochs": 1, "batch_size": 32}
    else:
        settings = {"task": "language_model", "dataset": "peoples_daily", "tokenizer": "char", "char_limit": 3000, "num_steps": 10, "batch_size": 8, "epochs": 1, "sample_length": 0, "sampler": "random"}
    config = TrainConfig.from_dict({**settings, "model": {"cell": "gru", "units": 4, "embedding_dim": dim, "embedding_trainable": False}, "pretrained_vectors": "embedding_init.npy"})
    store = RunStore(tmp_path)
    run = store.create(config.to_dict(), label="init")
    emb.save_vectors(vectors, run.path / "embedding_init.npy")
    status = run_training(config, run)
    assert status["state"] == "done", status.get("error")
    vocab = Vocab.from_json(run.vocab_path.read_text(encoding="utf-8"))
    table = load_run_model(run.last_model_path).get_layer("embedding").get_weights()[0]
    assert table.shape == (len(vocab), dim)
    found = 0
    for i, token in enumerate(vocab.tokens):
        if token in vectors.index:
            assert np.array_equal(table[i], vectors.vector(token)), token  # frozen: exactly those rows
            found += 1
        elif token == "<pad>":
            assert not table[i].any()
        else:
            assert np.abs(table[i]).max() <= 0.05
    assert found >= 10
    init = status["embedding_init"]
    assert init["covered"] == found and init["vocab"] == len(vocab) - 2
    # and the explorer reads the same table back from the run
    back = emb.from_run(run.path)
    assert np.array_equal(back.vector("的"), vectors.vector("的")) and "<pad>" not in back
    assert emb.run_initial_vectors(run.path).words == vectors.words


def test_a_run_whose_vectors_have_the_wrong_size_fails_with_a_sentence(tmp_path):
    from core.runs import RunStore
    from core.train import TrainConfig, run_training

    config = TrainConfig.from_dict({"task": "sentiment", "dataset": "chinese_reviews", "tokenizer": "char", "maxlen": 10, "max_train_texts": 20, "epochs": 1, "model": {"cell": "gru", "units": 2, "embedding_dim": 4}, "pretrained_vectors": "embedding_init.npy"})
    run = RunStore(tmp_path).create(config.to_dict(), label="bad")
    emb.save_vectors(emb.Vectors(["好"], np.ones((1, 3))), run.path / "embedding_init.npy")
    status = run_training(config, run)
    assert status["state"] == "failed" and status["error_key"] == "emb.init_dim"
    assert json.loads(json.dumps(status))["error_params"] == {"got": 3, "expected": 4}


def test_the_toy_vocabulary_speaks_the_pages_language():
    # the Chinese page showed like / dislike / Rome / Paris beside its Chinese example 喜欢 / 罗马
    assert emb.toy_words("en")[:3] == ("<pad>", "like", "dislike")
    zh = emb.toy_words("zh")
    assert len(zh) == len(emb.TOY_WORDS) == len(set(zh)) and zh[0] == "<pad>"
    assert all(not word.isascii() for word in zh[1:])
    assert set(emb.TUTORIAL_WORDS["zh"]) <= set(zh)


def test_the_mean_cosine_of_random_pairs_tells_look_alike_vectors():
    rng = np.random.default_rng(0)
    spread = rng.standard_normal((500, 50))
    alike = 10.0 + 0.1 * rng.standard_normal((500, 50))  # every vector near one direction
    assert abs(emb.mean_pair_cosine(spread)) < 0.05
    assert emb.mean_pair_cosine(alike) > 0.99 > emb.ALIKE_COSINE
    assert emb.mean_pair_cosine(np.ones((1, 3))) == 0.0
    assert emb.mean_pair_cosine(np.eye(2)) == 0.0  # two rows, never paired with themselves
