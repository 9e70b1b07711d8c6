"""`ui.common.warm_up`: TensorFlow imported in the background once per server process (its
speed-up is measured by bench/bench_cold.py)."""

from __future__ import annotations

import threading

from ui import common


class _Recorder:
    started: list[str] = []

    def __init__(self, target, name, daemon):
        self.target, self.name, self.daemon = target, name, daemon

    def start(self):
        _Recorder.started.append(self.name)
        self.target()  # (Keras is imported already in the test process: the import is instant)


def test_the_warm_up_starts_once_per_process_and_can_be_turned_off(monkeypatch):
    monkeypatch.setattr(common.threading, "Thread", _Recorder)
    _Recorder.started = []
    monkeypatch.setattr(common, "_WARMING", threading.Lock())
    monkeypatch.setenv(common.WARM_UP_ENV, "0")
    common.warm_up()
    assert _Recorder.started == [], "RNNLAB_WARM_UP=0: no import in the background"
    monkeypatch.delenv(common.WARM_UP_ENV)
    common.warm_up()
    common.warm_up()  # every page's run asks: only the first starts it
    assert _Recorder.started == ["rnnlab-warm-up"]
