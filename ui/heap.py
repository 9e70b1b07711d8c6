"""Keep Python's cyclic garbage collector cheap in the one process that serves every session.

Why: Streamlit runs every session's script in this one process. Once TensorFlow, Keras,
pandas and plotly are imported and a few models are loaded, the heap holds hundreds of
thousands of long-lived objects, and a full (generation 2) collection walks all of them:
about a quarter of a second of CPU under the GIL, during which no session's script moves.
Streamlit makes two after EVERY script run (`runner.postScriptGC`, and the
`keras.backend.clear_session()` of its post-run clean-up, which calls `gc.collect()`), and
the collector's own schedule adds more, so most of a page render's CPU was the collector
re-checking imported modules and loaded models, not the page.

What:

* `runner.postScriptGC` is off (.streamlit/config.toml), and Streamlit's post-run clean-up no
  longer calls `keras.backend.clear_session()` (see `_keep_keras_through_post_run_cleanup`: it
  reset Keras's state under the background threads that were building models, and its
  `gc.collect()` and emptied kernel cache cost every rerun).
* A gc callback times the full collections. When one was slow, the next script run starts
  with `settle()`: `gc.freeze()` the survivors (modules, models, caches), which the
  collector then no longer walks; later collections see only newer objects and are cheap.
  When no other session's script is running the settle is a full one: unfreeze, collect
  everything, then freeze. While other scripts run, only the young generations are
  collected before freezing (milliseconds, where a full collection would stall every
  session for a quarter of a second).
* Objects freed by reference counting are freed at once, frozen or not; cyclic garbage
  among frozen objects (a replaced model, a closed session's state) waits for the next
  full settle: one is made every 10 minutes at a quiet moment (every 30 minutes at the
  latest, quiet or not), so it cannot pile up.

RNNLAB_GC_FREEZE=0 turns the collector part off (the config option stays); RNNLAB_KEEP_KERNELS=0
gives Streamlit's post-run clean-up back (Keras's clear_session: state reset, kernel cache emptied).
"""

from __future__ import annotations

import functools
import gc
import os
import sys
import threading
import time

SLOW_FULL_COLLECTION_S = float(os.environ.get("RNNLAB_GC_SLOW_S", "0.03"))
MIN_INTERVAL_S = 5.0  # at most one settle this often, whatever happens
FULL_EVERY_S = 600.0  # a full settle this often when no other script runs, so frozen garbage is freed
FULL_AT_LEAST_EVERY_S = 1800.0  # ... and this often even under continuous load
SCRIPT_THREAD = "ScriptRunner.scriptThread"  # the name Streamlit gives every script run's thread

_lock = threading.Lock()
_state = {"pending": False, "started": 0.0, "last_settle": 0.0, "last_full": 0.0, "settles": 0, "full": 0}


def _on_gc(phase: str, info: dict) -> None:
    if info.get("generation") != 2:
        return
    if phase == "start":
        _state["started"] = time.perf_counter()
    elif time.perf_counter() - _state["started"] > SLOW_FULL_COLLECTION_S:
        _state["pending"] = True


def install() -> None:
    """As the app starts: Streamlit's post-run clean-up leaves Keras alone (always: it keeps
    background model builds intact), and full collections are timed from now on (idempotent;
    RNNLAB_GC_FREEZE=0 turns the collector part off)."""
    _keep_keras_through_post_run_cleanup()
    if os.environ.get("RNNLAB_GC_FREEZE", "1") == "0":
        return
    if _on_gc not in gc.callbacks:
        gc.callbacks.append(_on_gc)
        _state["pending"] = True  # the first run settles once: the imports are done by then


def _keep_keras_through_post_run_cleanup() -> None:
    """Streamlit runs `_clean_problem_modules()` after every script run; it calls
    `keras.backend.clear_session()` once Keras is imported (and closes matplotlib's figures).
    Replaced here, as the app starts, by a version that leaves Keras alone.

    Why: Keras keeps its global state (layer-name counters, whether variables are tracked,
    dtype policy) in a `threading.local`, and clear_session REPLACES that object for every
    thread of the process. The server's background threads (ui.jobs: loading a model, building a
    generator's stateful twin, scoring) were building models at that moment: a thread inside
    Keras's "do not track" scope found tracking on again, so a stateful RNN's state variables
    counted as weights and `set_weights` failed ("expecting 5 weights", seen on the Lyrics page
    when several models were built at once). A script run's own state needs no reset either:
    every run is a new thread with a fresh `threading.local`. Keras's clear_session also runs a
    full `gc.collect()` and empties TensorFlow's kernel cache, so after every rerun each compiled
    function rebuilt its kernels on its next call: gradient x input on the shipped BiLSTM took
    0.7 s on every rerun instead of 0.06 s. The cache holds op kernels (no weights); it grows with
    the kinds of models served, not with the number of reruns.

    It is the clean-up function that is replaced, before any script runs, not Keras's
    clear_session once Keras is loaded: the run that imports Keras first is covered too. A direct
    `keras.backend.clear_session()` is Keras's own. RNNLAB_KEEP_KERNELS=0 gives Streamlit's
    clean-up back (bench/bench_rerun.py's baseline)."""
    from streamlit.runtime.scriptrunner import script_runner

    streamlits = script_runner._clean_problem_modules  # looked up by name after every run (Streamlit 1.67)
    if getattr(streamlits, "_rnnlab_keeps_keras", False):
        return

    @functools.wraps(streamlits)
    def clean_problem_modules() -> None:
        if os.environ.get("RNNLAB_KEEP_KERNELS", "1") == "0":
            return streamlits()
        pyplot = sys.modules.get("matplotlib.pyplot")  # the rest of Streamlit's clean-up
        if pyplot is not None:
            try:
                pyplot.close("all")
            except Exception:  # noqa: BLE001 - as Streamlit: a clean-up never breaks the app
                pass
        return None

    clean_problem_modules._rnnlab_keeps_keras = True
    script_runner._clean_problem_modules = clean_problem_modules


def _others_running() -> bool:
    me = threading.current_thread()
    return any(t is not me and t.name == SCRIPT_THREAD and t.is_alive() for t in threading.enumerate())


def settle() -> bool:
    """Called as every script run starts. Cheap, except after a slow full collection (freeze what
    survives) or when a full one is due (see the module's docstring). Returns whether it did."""
    if _on_gc not in gc.callbacks:
        return False
    now = time.monotonic()
    due = now - _state["last_full"] > FULL_EVERY_S  # frozen garbage (e.g. a replaced model) is freed by a full one only
    if not (_state["pending"] or due) or now - _state["last_settle"] < MIN_INTERVAL_S:
        return False
    if not _lock.acquire(blocking=False):
        return False  # another session's run is settling right now
    try:
        quiet = not _others_running()
        if (quiet and (due or _state["pending"])) or now - _state["last_full"] > FULL_AT_LEAST_EVERY_S:
            gc.unfreeze()
            gc.collect()
            _state["last_full"] = now
            _state["full"] += 1
        elif _state["pending"]:
            gc.collect(1)
        else:
            return False  # a full one is due: at a quiet moment
        gc.freeze()
        _state["last_settle"] = time.monotonic()
        _state["settles"] += 1
        _state["pending"] = False  # (a full collection above is slow by definition)
        return True
    finally:
        _lock.release()


def stats() -> dict:
    return {"settles": _state["settles"], "full": _state["full"], "frozen": gc.get_freeze_count(), "pending": _state["pending"]}
