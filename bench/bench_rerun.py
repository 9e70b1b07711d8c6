"""How long a rerun of the Sentiment page takes when the user types, with and without keeping
TensorFlow's kernel cache between script runs.

    python -m bench.bench_rerun [--rounds 3] [--reruns 6] [--json-out FILE]

Streamlit calls ``keras.backend.clear_session()`` after every script run, and Keras's version
also empties TensorFlow's kernel cache, so each compiled function (the model's prediction,
gradient x input) rebuilt its kernels on its first call of every run. `ui.heap` keeps the
cache (RNNLAB_KEEP_KERNELS, default 1). This benchmark measures both in the same process:
the page through Streamlit's own AppTest (a real script run, the same post-run clean-up as
the server), the shipped BiLSTM chosen, the text typed anew for every rerun (five example
reviews in turn), once with token influence by occlusion and once by gradient x input.
The two settings alternate in blocks (``--rounds`` each); the first rerun of a block, which
still pays for the previous block's setting, is not counted. Printed: the median rerun time
per method and setting, and the speed-up; the baseline is Keras's own behaviour
(RNNLAB_KEEP_KERNELS=0), measured in the same run.

What a rerun includes: the whole page script (model list, one prediction, the step-by-step
curve, token influence, the coloured text, the charts) and Streamlit's message building; not
the browser's drawing.

Second, the shared error analysis (``--sessions N``, default 8): N sessions' threads ask for
the shipped BiLSTM's misclassified test texts at the same moment (a class opening the table
at once). As the page asks for it, one scoring job for them all (`ui.jobs`), against the
baseline of every thread computing it itself (measured in the same run): the time until every
session has its table.

Third, typing while a large CSV is scored (``--batch``, on by default): the page with all
17,363 embedded reviews uploaded for batch scoring; the scoring runs as a job in the
background while the user types (``--reruns`` typed reruns, one after another). Printed: the
median typed rerun while it runs, and the job's own time, against the baseline of the same
scoring done in the script thread (`score_table`, measured in the same run): what a rerun had
to wait for before, when the page scored inline (at least that long: a rerun asked for
meanwhile stopped the scoring, which then started over).

Fourth, working while a t-SNE map is made (``--map``, on by default): the Embeddings page
with a space of 3,000 words (random 100-d vectors read from a file; t-SNE's time depends on
the number of points) and its map switched to t-SNE of all of them; the map is a job, and
the user meanwhile changes the embedding-layer lesson (``--reruns`` reruns). Printed: the
median rerun while the map is made, and the job's time, against the baseline of the same
t-SNE in the script thread (`core.embeddings.project`, measured in the same run), which is
what every rerun of the page waited for before.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["房间很干净，服务也很好。", "质量太差了，用了两天就坏了，不会再买。", "还行吧，一般般。", "物流很快，但是包装有点破损。", "这本书写得非常好，强烈推荐！"]
SETTINGS = {"keras": "0", "kept": "1"}  # RNNLAB_KEEP_KERNELS


def open_page(timeout: float = 300, page: str = "pages/sentiment.py"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=timeout)
    at.run()
    at.radio(key="lang").set_value("en").run()
    at.switch_page(page).run()
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    if page == "pages/sentiment.py":
        at.selectbox(key="sent_model").set_value("shipped/sentiment_bilstm").run()
    return at


def measure(rounds: int, reruns: int) -> dict:
    at = open_page()
    at.text_area(key="sent_text").set_value("热身").run()  # loads the model, compiles what it uses
    times: dict[str, dict[str, list[float]]] = {}
    for method in ("unknown", "gradient"):
        at.radio(key="sent_method").set_value(method).run()
        at.text_area(key="sent_text").set_value("再热身一次").run()  # gradient x input's one trace
        per = times.setdefault(method, {name: [] for name in SETTINGS})
        step = 0
        for _ in range(rounds):
            for name, value in SETTINGS.items():
                os.environ["RNNLAB_KEEP_KERNELS"] = value
                for k in range(reruns + 1):
                    text = TEXTS[step % len(TEXTS)] + ("" if k else " ")  # always a change: a rerun with work
                    step += 1
                    start = time.perf_counter()
                    at.text_area(key="sent_text").set_value(text).run()
                    elapsed = time.perf_counter() - start
                    if at.exception:
                        raise RuntimeError(at.exception[0].value)
                    if k:  # the block's first rerun still pays for the previous setting's clean-up
                        per[name].append(elapsed)
    os.environ.pop("RNNLAB_KEEP_KERNELS", None)
    result = {}
    for method, per in times.items():
        medians = {name: statistics.median(values) for name, values in per.items()}
        result[method] = {
            "median_s": {name: round(v, 4) for name, v in medians.items()},
            "all_s": {name: [round(v, 4) for v in values] for name, values in per.items()},
            "speedup": round(medians["keras"] / medians["kept"], 2),
        }
    return result


def shared_error_analysis(sessions: int) -> dict:
    import threading

    from core.predict import SentimentPredictor, misclassified_test
    from core.runs import shipped_dir
    from ui import jobs

    predictor = SentimentPredictor.from_run(shipped_dir() / "sentiment_bilstm")
    misclassified_test(predictor)  # warm: the data read once, the model's function compiled

    def all_served(ask) -> float:
        threads = [threading.Thread(target=ask) for _ in range(sessions)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - start

    each = all_served(lambda: misclassified_test(predictor))
    key = ("bench_rerun", time.time())
    once = all_served(lambda: jobs.board().submit(key, lambda progress: misclassified_test(predictor, progress=progress)).wait())
    return {"sessions": sessions, "each_computes_s": round(each, 3), "job_once_s": round(once, 3), "speedup": round(each / once, 2)}


def typing_while_scoring(reruns: int) -> dict:
    import csv
    import io

    from core import datasets
    from core.predict import SentimentPredictor, score_table
    from core.runs import shipped_dir
    from ui import jobs

    reviews = datasets.load("chinese_reviews")
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["text", "label"])
    writer.writerows(zip(reviews.texts, (int(label) for label in reviews.labels)))
    data = rows.getvalue().encode("utf-8")
    predictor = SentimentPredictor.from_run(shipped_dir() / "sentiment_bilstm")  # the page's cached one is another object: same work
    start = time.perf_counter()
    parsed = datasets.load_upload("all.csv", data, purpose="labelled", require_label=False)
    score_table(predictor, parsed.texts, parsed.labels)
    inline = time.perf_counter() - start

    at = open_page()
    at.text_area(key="sent_text").set_value("热身").run()
    start = time.perf_counter()
    at.file_uploader(key="sent_batch").set_value(("all.csv", data, "text/csv")).run()
    upload_run = time.perf_counter() - start
    (job,) = jobs.board().active()
    typed = []
    for k in range(reruns):
        if job.finished.is_set():
            break
        t0 = time.perf_counter()
        at.text_area(key="sent_text").set_value(TEXTS[k % len(TEXTS)]).run()
        typed.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(at.exception[0].value)
    job.wait()
    at.run()
    if not [d for d in at.dataframe if "P(positive)" in d.value.columns]:
        raise RuntimeError("the scored table did not appear")
    return {
        "texts": len(parsed.texts),
        "inline_scoring_s": round(inline, 3),
        "job_s": round(job.seconds, 3),
        "upload_rerun_s": round(upload_run, 3),
        "typed_reruns_while_scoring_s": [round(v, 4) for v in typed],
        "typed_rerun_median_s": round(statistics.median(typed), 4) if typed else None,
    }


def working_while_mapping(reruns: int, words: int = 3000) -> dict:
    import numpy as np

    from core import embeddings as emb
    from ui import jobs

    rng = np.random.default_rng(0)
    names = [f"w{i}" for i in range(words)]
    matrix = rng.standard_normal((words, 100)).astype(np.float32)
    start = time.perf_counter()
    emb.project(emb.Vectors(names, matrix), "tsne", 2, 0)
    inline = time.perf_counter() - start

    folder = Path(tempfile.mkdtemp(prefix="bench-map-"))
    atexit.register(shutil.rmtree, folder, True)
    os.environ["RNNLAB_DATA_DIR"] = str(folder)
    text = "".join(f"{w} " + " ".join(f"{x:.4f}" for x in row) + "\n" for w, row in zip(names, matrix))
    at = open_page(page="pages/embeddings.py")
    at.radio(key="emb_source").set_value("file").run()
    at.file_uploader(key="emb_file").set_value(("bench3000.txt", text.encode("utf-8"), "text/plain")).run()
    at.button(key="emb_file_load").click().run()
    jobs.wait_all()
    at.run()
    from core.i18n import tr

    at.session_state["emb_tabs"] = tr("emb.tab_projection", "en")  # the map is made only on its tab (ui.common.kept_tabs)
    at.slider(key="emb_proj_n").set_value(words).run()
    start = time.perf_counter()
    at.radio(key="emb_proj_method").set_value("tsne").run()
    choose_run = time.perf_counter() - start
    (job,) = [j for j in jobs.board().active() if j.key[0] == "projection"]
    reruns_s = []
    for k in range(reruns):
        if job.finished.is_set():
            break
        t0 = time.perf_counter()
        at.toggle(key="emb_layer_trainable").set_value(k % 2 == 0).run()
        reruns_s.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(at.exception[0].value)
    job.wait()
    at.run()
    if at.get("progress") or job.error is not None:
        raise RuntimeError(f"the map did not appear: {job.error!r}")
    return {
        "words": words,
        "inline_tsne_s": round(inline, 3),
        "job_s": round(job.seconds, 3),
        "choose_tsne_run_s": round(choose_run, 3),
        "reruns_while_mapping_s": [round(v, 4) for v in reruns_s],
        "rerun_median_s": round(statistics.median(reruns_s), 4) if reruns_s else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="blocks of each setting, alternating")
    parser.add_argument("--reruns", type=int, default=6, help="counted reruns per block")
    parser.add_argument("--sessions", type=int, default=8, help="sessions asking for the same error analysis at once")
    parser.add_argument("--no-batch", action="store_true", help="leave out typing while a large CSV is scored")
    parser.add_argument("--no-map", action="store_true", help="leave out working while a t-SNE map is made")
    parser.add_argument("--only-map", action="store_true", help="only working while a t-SNE map is made")
    parser.add_argument("--json-out", type=Path, default=None, help="also write the JSON result to this file")
    args = parser.parse_args(argv)
    if "RNNLAB_CHECKPOINTS_DIR" not in os.environ:  # only the shipped models; removed when the benchmark ends
        os.environ["RNNLAB_CHECKPOINTS_DIR"] = tempfile.mkdtemp(prefix="bench-rerun-")
        atexit.register(shutil.rmtree, os.environ["RNNLAB_CHECKPOINTS_DIR"], True)
    sys.path.insert(0, str(ROOT))
    import keras
    import streamlit
    import tensorflow as tf

    result = shared = batch = mapping = None
    if not args.only_map:
        result = measure(args.rounds, args.reruns)
        print(f"{'influence method':28s} {'Keras clear_session (s)':>24s} {'kernels kept (s)':>17s} {'speed-up':>9s}")
        for method, row in result.items():
            label = {"unknown": "occlusion (<unk>)", "gradient": "gradient x input"}[method]
            print(f"{label:28s} {row['median_s']['keras']:>24.3f} {row['median_s']['kept']:>17.3f} {row['speedup']:>8.1f}x")
        print("median of the counted reruns: the Sentiment page, shipped BiLSTM, a typed text each rerun (AppTest, this process)")
        shared = shared_error_analysis(args.sessions)
        print(
            f"error analysis asked by {shared['sessions']} sessions at once: every one served after {shared['job_once_s']:.2f} s "
            f"(one job) against {shared['each_computes_s']:.2f} s (each computes it), {shared['speedup']:.1f}x"
        )
    if not args.no_batch and not args.only_map:
        batch = typing_while_scoring(args.reruns)
        print(
            f"typing while {batch['texts']:,} reviews are scored: a typed rerun {batch['typed_rerun_median_s']:.3f} s (median of "
            f"{len(batch['typed_reruns_while_scoring_s'])}), the upload's run {batch['upload_rerun_s']:.2f} s, the job {batch['job_s']:.1f} s; "
            f"scored in the script thread instead: {batch['inline_scoring_s']:.1f} s before the page answered"
        )
    if not args.no_map:
        mapping = working_while_mapping(args.reruns)
        print(
            f"working while t-SNE maps {mapping['words']:,} words: a rerun {mapping['rerun_median_s']:.3f} s (median of "
            f"{len(mapping['reruns_while_mapping_s'])}), the run choosing t-SNE {mapping['choose_tsne_run_s']:.2f} s, the job {mapping['job_s']:.1f} s; "
            f"made in the script thread instead: {mapping['inline_tsne_s']:.1f} s before the page answered"
        )
    record = {
        "bench": "rerun",
        "rounds": args.rounds,
        "reruns": args.reruns,
        "results": result,
        "shared_error_analysis": shared,
        "typing_while_scoring": batch,
        "working_while_mapping": mapping,
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "streamlit": streamlit.__version__,
        "date": time.strftime("%Y-%m-%d"),
    }
    print(json.dumps(record))
    if args.json_out:
        args.json_out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
