"""Figures and tables shared by every session: built once per input, handed to Streamlit cheaply.

A page's figures mostly depend on a few settings (data set, tokeniser, a slider, the
language), and every visitor with the same settings gets the same figure. Building a
plotly figure costs milliseconds of validation, and `st.plotly_chart` then deep-copies
it into a dict on every run; on a server where all sessions share one interpreter that
adds up. `cached(key, build)` keeps the built figure (keyed by everything it depends on)
and freezes it: its dict is computed once and reused by every later `st.plotly_chart`.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Any, Callable, Hashable

import plotly.graph_objects as go

CAPACITY = 256
_MISSING = object()


class FrozenFigure(go.Figure):
    """A figure that is not changed any more: `to_dict()` (what `st.plotly_chart` serialises) is computed once."""

    _frozen_dict: dict | None = None

    def to_dict(self) -> dict:
        if self._frozen_dict is None:
            self._frozen_dict = super().to_dict()
        return self._frozen_dict


def freeze(fig: go.Figure) -> go.Figure:
    """`fig`, frozen in place (a plain `go.Figure` only; anything else is returned as it is)."""
    if type(fig) is go.Figure:
        fig.__class__ = FrozenFigure
    return fig


class LruStore:
    """A bounded map shared by every session's thread: the least recently used entries go first.

    Used for the figures and tables here and for the Embeddings page's vector spaces
    (`ui.loaders.space_store`).
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            value = self._items.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_STORE = LruStore(CAPACITY)


def cached(key: Hashable, build: Callable[[], Any]) -> Any:
    """The figure `build()` makes (or the tuple of figures), built once per `key` in this
    process and shared (read-only).

    `key` must name everything the figure depends on (inputs, widget values, language); the width its
    title is wrapped to (`core.figures.title_width`: a phone's, a desktop's, half a page's) is added here.
    """
    from core.figures import title_width

    def frozen() -> Any:
        built = build()
        return tuple(freeze(fig) for fig in built) if isinstance(built, tuple) else freeze(built)

    return memo(("figure", key, title_width()), frozen)


_BUILDING: dict[Hashable, tuple[int, threading.Event]] = {}  # key -> (the building thread, set when it is done)
_BUILDING_LOCK = threading.Lock()


def memo(key: Hashable, build: Callable[[], Any]) -> Any:
    """`build()`, computed once per `key` in this process and shared by every session: read-only.

    Once also when several sessions ask at the same moment (a class opening the same page):
    the first builds, the others wait for its result instead of each computing it on
    the same cores. If that build fails or is interrupted (its session reran), a waiting session
    builds it itself.
    """
    while True:
        value = _STORE.get(key, _MISSING)
        if value is not _MISSING:
            return value
        me = threading.get_ident()
        with _BUILDING_LOCK:
            building = _BUILDING.get(key)
            if building is None or building[0] == me:  # nobody (or this thread itself, re-entering): build here
                done = threading.Event()
                _BUILDING[key] = (me, done)
                break
        building[1].wait()  # then look again: built, or build it here
    try:
        value = build()
        _STORE.put(key, value)
        return value
    finally:
        with _BUILDING_LOCK:
            if _BUILDING.get(key, (None, None))[1] is done:
                del _BUILDING[key]
        done.set()


def table(key: Hashable, build: Callable[[], Any]) -> Any:
    """The DataFrame `build()` makes, as the Arrow table `st.dataframe` would convert it to, once per `key`.

    `st.dataframe` converts a pandas DataFrame to Arrow on every call; given the Arrow table it
    sends exactly the same bytes (same dtypes, index and column settings) without converting.
    A frame Arrow cannot take as it is stays a DataFrame (Streamlit then fixes its columns itself).
    """

    def make() -> Any:
        import pyarrow as pa

        frame = build()
        try:
            return pa.Table.from_pandas(frame)
        except (pa.ArrowTypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return frame

    return memo(("table", key), make)


def column_names(frame: Any) -> list[str]:
    """The column names of what `table` returns: an Arrow table's ``columns`` are its arrays, not
    their names (``name in table.columns`` was never true, and a column order built from it
    was empty: Streamlit showed the parameter counts off-screen at 1024 px)."""
    names = getattr(frame, "column_names", None)
    return list(names) if names is not None else [str(c) for c in frame.columns]


def stamp(*paths) -> tuple:
    """A cheap fingerprint of files for a cache key: (modification time in ns, size) each, None if missing.

    A file rewritten (a run's history growing, a model saved again) gets a new stamp, so
    whatever was computed from the old content is not shown any more.
    """
    out = []
    for path in paths:
        try:
            info = os.stat(path)
            out.append((info.st_mtime_ns, info.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def clear() -> None:
    _STORE.clear()
