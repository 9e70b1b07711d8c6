"""ui/charts.py and ui/heap.py: what keeps a page render cheap must not change what it shows."""

from __future__ import annotations

import gc
import json
import os
import sys
import time

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from core import figures
from ui import charts, heap


def test_a_cached_figure_is_built_once_and_serialises_as_the_original():
    charts.clear()
    built = []

    def build():
        built.append(1)
        return figures.length_histogram(np.arange(200) % 50, {"p50": 20.0, "p95": 45.0, "p99": 49.0}, 40, "en")

    first = charts.cached(("test", 1), build)
    again = charts.cached(("test", 1), build)
    assert first is again and len(built) == 1
    assert isinstance(first, go.Figure) and first.to_dict() is first.to_dict()  # frozen: one dict, reused
    plain = build()
    assert json.loads(pio.to_json(first.to_dict(), validate=False)) == json.loads(pio.to_json(plain.to_dict(), validate=False))
    charts.cached(("test", 2), build)
    assert len(built) == 3  # another key, another figure


def test_memo_keeps_none_and_table_matches_what_streamlit_would_send():
    charts.clear()
    calls = []
    assert charts.memo("nothing", lambda: calls.append(1)) is None
    assert charts.memo("nothing", lambda: calls.append(1)) is None
    assert calls == [1]  # a None result is cached too (a healthy model's "problem")

    import pandas as pd
    import pyarrow as pa

    frame = pd.DataFrame({"rank": [1, 2], "token": ["的", "了"], "share": [0.5, 0.25]})
    table = charts.table("t", lambda: frame)
    assert isinstance(table, pa.Table) and table.equals(pa.Table.from_pandas(frame))
    odd = pd.DataFrame({"x": [object(), 1]})  # Arrow cannot take it: left to Streamlit as a DataFrame
    assert charts.table("odd", lambda: odd) is odd


def test_stamp_changes_when_a_file_is_rewritten(tmp_path):
    path = tmp_path / "history.jsonl"
    assert charts.stamp(path) == (None,)
    path.write_text("{}\n")
    first = charts.stamp(path)
    with open(path, "a") as f:
        f.write("{}\n")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert charts.stamp(path) != first


def test_settle_freezes_the_heap_and_unfreezes_on_a_full_settle(monkeypatch):
    installed_here = heap._on_gc not in gc.callbacks
    heap.install()
    try:
        monkeypatch.setitem(heap._state, "pending", True)
        monkeypatch.setitem(heap._state, "last_settle", 0.0)
        assert heap.settle()
        assert gc.get_freeze_count() > 0 and not heap._state["pending"]
        assert not heap.settle()  # nothing pending, nothing due: free
    finally:
        gc.unfreeze()
        if installed_here:
            gc.callbacks.remove(heap._on_gc)


def _streamlits_own_cleanup(monkeypatch):
    """Streamlit's post-run clean-up as Streamlit ships it (whatever an earlier test installed)."""
    from streamlit.runtime.scriptrunner import script_runner

    current = script_runner._clean_problem_modules
    monkeypatch.setattr(script_runner, "_clean_problem_modules", getattr(current, "__wrapped__", current))
    return script_runner


def test_streamlits_post_run_cleanup_keeps_keras_state_and_tensorflows_kernels(monkeypatch):
    # Streamlit's clean-up after every script run called keras.backend.clear_session(), which
    # reset Keras's state and emptied TensorFlow's kernel cache, so every compiled function
    # rebuilt its kernels on each rerun (gradient x input: 0.7 s a rerun instead of 0.06 s).
    # Installed, the clean-up leaves both; RNNLAB_KEEP_KERNELS=0 gives Streamlit's own back.
    keras = pytest.importorskip("keras")
    from tensorflow.python.eager import context

    calls = []
    cls = type(context.context())
    real = cls.clear_kernel_cache
    monkeypatch.setattr(cls, "clear_kernel_cache", lambda self: (calls.append(1), real(self))[1])  # counts, then does it
    script_runner = _streamlits_own_cleanup(monkeypatch)
    heap._keep_keras_through_post_run_cleanup()
    cleanup = script_runner._clean_problem_modules
    assert getattr(cleanup, "_rnnlab_keeps_keras", False)
    heap._keep_keras_through_post_run_cleanup()
    assert script_runner._clean_problem_modules is cleanup, "installed once"

    keras.layers.Dense(1), keras.layers.Dense(1)
    cleanup()
    assert keras.layers.Dense(1).name != "dense", "Keras's global state (layer names) is kept"
    assert calls == [], "TensorFlow's kernel cache is kept"
    monkeypatch.setenv("RNNLAB_KEEP_KERNELS", "0")
    cleanup()
    assert keras.layers.Dense(1).name == "dense", "Streamlit's own clean-up: Keras reset"
    assert calls == [1]


def test_streamlits_post_run_cleanup_leaves_keras_alone_for_the_background_threads(monkeypatch):
    """Keras keeps its global state in a threading.local that clear_session replaces for every
    thread: Streamlit's clean-up after a script run turned variable tracking back on inside a
    background thread's "do not track" scope (a stateful RNN then had 5 weights instead of 3 and
    the Lyrics page failed to build its generator). Installed, the clean-up leaves the scope
    alone; a direct keras.backend.clear_session() is still Keras's own."""
    import threading

    keras = pytest.importorskip("keras")
    from keras.src.utils import tracking

    script_runner = _streamlits_own_cleanup(monkeypatch)

    def tracking_seen_by_a_building_thread() -> bool:
        inside, cleaned, seen = threading.Event(), threading.Event(), []

        def build():
            with tracking.DotNotTrackScope():  # as RNN._create_state_variables
                inside.set()
                cleaned.wait(10)
                seen.append(tracking.is_tracking_enabled())

        worker = threading.Thread(target=build)
        worker.start()
        inside.wait(10)
        script_runner._clean_problem_modules()  # what Streamlit runs after every script run
        cleaned.set()
        worker.join(10)
        return seen[0]

    assert tracking_seen_by_a_building_thread() is True, "Streamlit's own clean-up breaks the scope: the check can fail"
    heap._keep_keras_through_post_run_cleanup()
    assert tracking_seen_by_a_building_thread() is False, "the scope holds through the clean-up"
    keras.layers.Dense(1), keras.layers.Dense(1)
    keras.backend.clear_session()
    assert keras.layers.Dense(1).name == "dense", "a direct call still resets Keras's state"


@pytest.mark.parametrize("keep", ["1", "0"])
def test_the_script_run_that_imports_the_app_is_cleaned_up_without_resetting_keras(monkeypatch, keep):
    """The run that starts the app (and may import Keras first) ends with the app's clean-up,
    not Streamlit's: it is installed as ui.common is imported, before the run ends. (Before, the
    Keras wrapper was installed by the next run's start, once Keras was loaded: the first run
    that imported it still reset Keras under the background threads.) "0": the check can fail."""
    keras = pytest.importorskip("keras")
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("RNNLAB_KEEP_KERNELS", keep)
    _streamlits_own_cleanup(monkeypatch)
    monkeypatch.delitem(sys.modules, "ui.common", raising=False)  # the script imports it as a fresh app does

    def app():
        import importlib

        import keras

        importlib.import_module("ui.common")  # as streamlit_app.py, first thing
        keras.layers.Dense(1)

    keras.layers.Dense(1), keras.layers.Dense(1)  # this thread's Keras state, as a background job's
    at = AppTest.from_function(app, default_timeout=60)
    at.run()
    assert not at.exception
    assert (keras.layers.Dense(1).name == "dense") is (keep == "0")


def test_memo_builds_once_when_sessions_ask_at_the_same_moment():
    # a class opening the same error analysis at once: one build, the others wait for it
    import threading

    calls, results = [], []
    started = threading.Event()

    def build():
        calls.append(threading.get_ident())
        started.set()
        time.sleep(0.3)
        return {"built by": threading.get_ident()}

    key = ("test_memo_once", time.time())
    threads = [threading.Thread(target=lambda: results.append(charts.memo(key, build))) for _ in range(4)]
    threads[0].start()
    started.wait(5)
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1
    assert len(results) == 4 and all(r is results[0] for r in results)


def test_memo_a_failed_build_is_built_again_by_a_waiting_session():
    import threading

    calls, results = [], []
    started = threading.Event()

    def failing():
        calls.append("failing")
        started.set()
        time.sleep(0.2)
        raise RuntimeError("interrupted")

    def working():
        calls.append("working")
        return 42

    key = ("test_memo_retry", time.time())

    def first():
        with pytest.raises(RuntimeError):
            charts.memo(key, failing)

    one = threading.Thread(target=first)
    one.start()
    started.wait(5)
    two = threading.Thread(target=lambda: results.append(charts.memo(key, working)))
    two.start()
    one.join(10), two.join(10)
    assert calls == ["failing", "working"] and results == [42]
    assert charts.memo(key, working) == 42 and calls == ["failing", "working"]  # now cached
