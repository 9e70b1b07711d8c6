"""A Streamlit session without a browser: the app's own websocket protocol, in Python.

    async with StreamlitSession("http://127.0.0.1:8501") as session:
        home = await session.load("", query_string="lang=zh")   # the first visit: a URL path
        data = await session.navigate("data")                    # a sidebar click: a page hash
        assert data.ok, data.error

What the browser does, and this does the same (Streamlit 1.67, Starlette server):

* one websocket on ``/_stcore/stream``, subprotocol ``streamlit``. The browser puts its XSRF
  token (second entry) and an earlier session id (third) in the same header; the server only
  uses the token to read an auth cookie, which this app has not, so none is sent. Binary
  frames only: each frame from the server is one ``ForwardMsg``, each frame to it one
  ``BackMsg``.
* a page is asked for with ``BackMsg.rerun_script`` (a ``ClientState``): the first visit
  names the URL path (``page_name``, e.g. ``"data"``, ``""`` for the default page) with the
  URL's query string and no page hash; a later click in the navigation sends the page's
  ``page_script_hash``, taken from the ``navigation`` ForwardMsg that every run of an
  ``st.navigation`` app sends (its ``app_pages``), with ``page_name`` empty. Widget states are
  empty (no widget has been touched), ``context_info`` carries a locale and time zone.
* the message cache: the server replaces a large ``new_element`` delta by a ``ref_hash``
  message when the client said, in ``cached_message_hashes``, that it holds that hash. Like
  the browser, this client keeps every ForwardMsg marked ``metadata.cacheable``, sends their
  hashes with each rerun, resolves each ``ref_hash`` from its cache (a miss is an error, as in
  the browser) and forgets entries not seen for ``max_cached_message_age`` runs (from
  ``new_session.config``). ``use_cache=False`` sends no hashes, so every message comes whole.
* a page has rendered when the ``script_finished`` of its run arrives (the run is named by
  ``metadata.run.script_run_id`` of its ``new_session``). ``FINISHED_EARLY_FOR_RERUN`` (the
  page called ``st.rerun()``) is not the end: the client waits for the run that follows.
  ``FINISHED_WITH_COMPILE_ERROR`` is an error; so is every ``Delta`` whose element is an
  ``exception`` (the red box the browser shows).

What it does NOT do: lay out or draw anything (no JavaScript, no DOM, no charts, no static
files, no media or component requests over HTTP), answer ``auto_rerun`` (the timer of an
``st.fragment(run_every=...)``, which a browser left on a page would keep firing), or send
heartbeats. Its time is therefore what the server costs (script run and messages), not what a
person waits for in a browser.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from websockets.asyncio.client import connect  # a dependency of streamlit itself

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STREAM_PATH = "_stcore/stream"
SUBPROTOCOL = "streamlit"
DEFAULT_MAX_CACHED_MESSAGE_AGE = 2  # Streamlit's default for global.maxCachedMessageAge
FINISHED = ForwardMsg.ScriptFinishedStatus


class ProtocolError(RuntimeError):
    """The server sent something a browser could not have handled (a cache miss, a closed socket)."""


@dataclass
class PageResult:
    """One page render: from the rerun BackMsg to the script_finished of its run."""

    requested: str  # the URL path or page hash that was asked for
    seconds: float = 0.0
    status: str = ""  # "ok", "compile_error", "timeout", "disconnected", "protocol_error"
    page_script_hash: str = ""  # the page the server ran (navigation.page_script_hash)
    page_not_found: bool = False  # the server sent page_not_found (and ran the default page)
    elements: int = 0  # new_element deltas of the final run
    exceptions: list[str] = field(default_factory=list)  # "Type: message" of exception elements
    texts: list[str] = field(default_factory=list)  # heading, markdown, alert, text, caption bodies
    messages: int = 0  # ForwardMsgs received for this request
    bytes: int = 0
    refs_resolved: int = 0  # ref_hash messages served from the local cache
    early_reruns: int = 0  # runs that ended with FINISHED_EARLY_FOR_RERUN (st.rerun)
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok" and not self.exceptions

    @property
    def error(self) -> str | None:
        """None for a clean render, else a short description (what the benchmark counts)."""
        if self.status != "ok":
            return f"{self.status}: {self.detail}"[:200]
        if self.exceptions:
            return f"exception element: {self.exceptions[0]}"[:200]
        return None


def _stream_url(url: str) -> str:
    parts = urlsplit(url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    base = parts.path.rstrip("/")
    return f"{scheme}://{parts.netloc}{base}/{STREAM_PATH}"


def _element_text(element) -> str | None:
    kind = element.WhichOneof("type")
    if kind in ("heading", "markdown", "alert", "text"):
        return getattr(element, kind).body
    return None


class StreamlitSession:
    """One Streamlit session over one websocket, as one browser tab has it."""

    def __init__(self, url: str, *, timeout: float = 60.0, use_cache: bool = True, locale: str = "zh-CN",
                 timezone: str = "Asia/Shanghai") -> None:
        self.url = url
        self.timeout = timeout
        self.use_cache = use_cache
        self.locale = locale
        self.timezone = timezone
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash ("" is the default page)
        self.page_titles: dict[str, str] = {}  # page_script_hash -> title
        self.current_page_hash = ""
        self.query_string = ""
        self._ws = None
        self._cache: dict[str, list] = {}  # hash -> [ForwardMsg, run count when last seen]
        self._run_count = 0
        self._max_age = DEFAULT_MAX_CACHED_MESSAGE_AGE

    async def __aenter__(self) -> StreamlitSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def connect(self) -> None:
        self._ws = await asyncio.wait_for(
            connect(_stream_url(self.url), subprotocols=[SUBPROTOCOL], max_size=None, open_timeout=self.timeout),
            self.timeout,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    # --- asking for a page -------------------------------------------------------------

    async def load(self, url_path: str = "", query_string: str = "") -> PageResult:
        """The first visit of a URL (``/<url_path>?<query_string>``): the page is named by its path."""
        self.query_string = query_string
        return await self._rerun(requested=url_path, page_script_hash="", page_name=url_path, query_string=query_string)

    async def navigate(self, url_path_or_hash: str) -> PageResult:
        """A click in the navigation menu: rerun with the page's script hash.

        ``url_path_or_hash`` is a URL path the last ``navigation`` message listed (``""`` for
        the default page) or a page hash as it is (a hash the app does not have is sent too).
        """
        page_hash = self.pages.get(url_path_or_hash, url_path_or_hash)
        if page_hash != self.current_page_hash:
            self.query_string = ""  # the browser drops the query params on a page change (none is bound to a widget here)
        return await self._rerun(requested=url_path_or_hash, page_script_hash=page_hash, page_name="", query_string=self.query_string)

    async def rerun(self) -> PageResult:
        """The same page again (the "Rerun" menu item)."""
        return await self._rerun(requested=self.current_page_hash, page_script_hash=self.current_page_hash, page_name="",
                                 query_string=self.query_string)

    def _back_msg(self, page_script_hash: str, page_name: str, query_string: str) -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query_string
        state.page_script_hash = page_script_hash
        state.page_name = page_name
        state.widget_states.SetInParent()  # no widget touched: an empty WidgetStates
        if self.use_cache:
            state.cached_message_hashes.extend(self._cache.keys())
        state.context_info.locale = self.locale
        state.context_info.timezone = self.timezone
        state.context_info.url = f"{self.url.rstrip('/')}/{page_name}" + (f"?{query_string}" if query_string else "")
        state.context_info.is_embedded = False
        return msg.SerializeToString()

    async def _rerun(self, *, requested: str, page_script_hash: str, page_name: str, query_string: str) -> PageResult:
        if self._ws is None:
            raise ProtocolError("not connected")
        result = PageResult(requested=requested)
        t0 = time.perf_counter()
        try:
            await self._ws.send(self._back_msg(page_script_hash, page_name, query_string))
            await asyncio.wait_for(self._read_run(result), self.timeout)
            result.status = result.status or "ok"
        except asyncio.TimeoutError:
            result.status, result.detail = "timeout", f"no script_finished within {self.timeout:.0f} s"
        except ProtocolError as exc:
            result.status, result.detail = "protocol_error", str(exc)
        except Exception as exc:  # noqa: BLE001 - a closed socket and the like are counted, not raised
            result.status, result.detail = "disconnected", f"{type(exc).__name__}: {exc}"
        result.seconds = time.perf_counter() - t0
        return result

    # --- reading the answer ------------------------------------------------------------

    def _through_cache(self, msg: ForwardMsg) -> ForwardMsg:
        """What the browser's ForwardMsgCache does with each incoming message."""
        if msg.WhichOneof("type") == "ref_hash":
            entry = self._cache.get(msg.ref_hash)
            if entry is None:
                raise ProtocolError(f"cached ForwardMsg miss for hash {msg.ref_hash}")
            entry[1] = self._run_count
            full = ForwardMsg()
            full.CopyFrom(entry[0])
            full.metadata.CopyFrom(msg.metadata)  # the reference carries the new delta path
            return full
        if msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = [msg, self._run_count]
        return msg

    def _after_full_run(self) -> None:
        self._run_count += 1
        for key in [k for k, (_, seen) in self._cache.items() if self._run_count - seen > self._max_age]:
            del self._cache[key]

    async def _read_run(self, result: PageResult) -> None:
        started = False  # a new_session arrived: messages from here on are this request's run
        run_id = None  # the script_run_id of our run, from its new_session
        while True:
            frame = await self._ws.recv()
            if isinstance(frame, str):
                raise ProtocolError("text frame from the server")
            result.messages += 1
            result.bytes += len(frame)
            raw = ForwardMsg()
            raw.ParseFromString(frame)
            is_ref = raw.WhichOneof("type") == "ref_hash"
            msg = self._through_cache(raw)
            result.refs_resolved += int(is_ref)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                started, run_id = True, msg.metadata.run.script_run_id or None
                age = msg.new_session.config.max_cached_message_age
                if age:
                    self._max_age = age
                result.elements, result.exceptions, result.texts = 0, [], []
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_titles = {p.page_script_hash: p.page_name for p in msg.navigation.app_pages}
                self.current_page_hash = result.page_script_hash = msg.navigation.page_script_hash
            elif kind == "page_not_found":
                result.page_not_found = True
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
                exc = msg.session_event.script_compilation_exception
                result.detail = f"{exc.type}: {exc.message}"[:200]
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                result.elements += 1
                if element.WhichOneof("type") == "exception":
                    result.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:200])
                text = _element_text(element)
                if text:
                    result.texts.append(text)
            elif kind == "script_finished":
                finished_run = msg.metadata.run.script_run_id or None
                if not started or (run_id and finished_run and finished_run != run_id):
                    continue  # the end of an earlier run, not ours
                status = msg.script_finished
                if status == FINISHED.FINISHED_EARLY_FOR_RERUN:
                    result.early_reruns += 1  # st.rerun(): the next run is the page
                    started, run_id = False, None
                    continue
                if status == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    continue
                self._after_full_run()
                if status == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    result.status = "compile_error"
                return
