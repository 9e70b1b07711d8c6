"""Settings and rules for a shared, hosted instance (one server, a class of browsers).

Every setting is an environment variable, read when asked (so a test or an operator can
change it without restarting Python); the defaults suit one teacher's machine with 2 cores.

=============================  =======  ===================================================
variable                       default  meaning
=============================  =======  ===================================================
RNNLAB_MAX_UPLOAD_MB           50       largest accepted upload (also set Streamlit's
                                        ``server.maxUploadSize`` in .streamlit/config.toml)
RNNLAB_ALLOW_UPLOADS           1        0 = the upload widgets are hidden, uploads refused
RNNLAB_ALLOW_DOWNLOADS         1        0 = the pages offer no downloads (data sets, GloVe's
                                        862 MB); the operator fetches them with the CLI
RNNLAB_MAX_CONCURRENT_RUNS     1        training processes at once; the rest wait queued
RNNLAB_WARM_QUEUE              1        the next queued run waits with its process started
                                        (TensorFlow loaded, ~0.7 GB); 0 = started at its turn
RNNLAB_BACKGROUND_JOBS         2        background jobs at once in the server (ui.jobs:
                                        scoring, Word2Vec, vector files, maps,
                                        gradient flows, downloads)
RNNLAB_MAX_QUEUED_RUNS         20       runs waiting in the queue; beyond it, new runs are
                                        refused with a message
RNNLAB_RUNS_PER_SESSION        3        queued + running runs one browser may have (its tabs share them)
RNNLAB_MAX_EPOCHS              500      caps on a run's settings started from the app
RNNLAB_MAX_UNITS               1024     (the CLI, the operator's tool, is held only to wide bounds)
RNNLAB_MAX_LAYERS              4
RNNLAB_MAX_SEQ_LEN             1000     maxlen (classifiers) and num_steps (language models)
RNNLAB_MAX_RUN_MINUTES         60       a run started from the app stops (saved, resumable)
                                        once it has trained this long in one stretch
                                        (`TrainConfig.time_limit_minutes`, at most this):
                                        each cap above holds on its own, and 1,024 units x
                                        4 layers x 1,000 steps x 500 epochs passed them all
RNNLAB_ADMIN_TOKEN             (unset)  a secret; whoever enters it in the sidebar may stop
                                        and delete anyone's runs (the browser stays signed
                                        in for 12 hours, `admin_pass`, or until it signs
                                        out). Unset = no admin. Five wrong tokens from
                                        one browser within ten minutes lock its box, and
                                        thirty from one address lock the address's,
                                        until the first is ten minutes old
                                        (`TokenGuesses`).
RNNLAB_DOWNLOAD_MIRROR         (unset)  a base URL serving the data files by name; every
                                        download comes from there (core.download)
=============================  =======  ===================================================

Ownership: every run records the random id of the browser session that started it. Anyone
can view any run; only that session or the admin may stop, resume or delete it. Runs
without an owner (started from the CLI) are the operator's: only the admin manages them
from the app.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import threading
import time
from collections import deque
from typing import Any

from core.errors import RnnLabError


def _int_env(name: str, default: int, low: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return max(low, int(float(raw)))
    except ValueError:
        return default


def _bool_env(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    return raw.strip().lower() not in ("0", "false", "no", "off")


@dataclasses.dataclass(frozen=True)
class HostingSettings:
    max_upload_mb: float = 50.0
    allow_uploads: bool = True
    allow_downloads: bool = True
    max_concurrent_runs: int = 1
    max_queued_runs: int = 20
    background_jobs: int = 2
    runs_per_session: int = 3
    max_epochs: int = 500
    max_units: int = 1024
    max_layers: int = 4
    max_seq_len: int = 1000
    max_run_minutes: int = 60
    admin_token: str | None = None

    @classmethod
    def from_env(cls) -> HostingSettings:
        try:
            upload_mb = max(0.001, float(os.environ.get("RNNLAB_MAX_UPLOAD_MB", "50")))
        except ValueError:
            upload_mb = 50.0
        token = (os.environ.get("RNNLAB_ADMIN_TOKEN") or "").strip() or None  # (a secrets file's line break is not part of it)
        return cls(
            max_upload_mb=upload_mb,
            allow_uploads=_bool_env("RNNLAB_ALLOW_UPLOADS", True),
            allow_downloads=_bool_env("RNNLAB_ALLOW_DOWNLOADS", True),
            max_concurrent_runs=_int_env("RNNLAB_MAX_CONCURRENT_RUNS", 1, low=1),
            max_queued_runs=_int_env("RNNLAB_MAX_QUEUED_RUNS", 20, low=0),
            background_jobs=_int_env("RNNLAB_BACKGROUND_JOBS", 2, low=1),
            runs_per_session=_int_env("RNNLAB_RUNS_PER_SESSION", 3, low=1),
            max_epochs=_int_env("RNNLAB_MAX_EPOCHS", 500, low=1),
            max_units=_int_env("RNNLAB_MAX_UNITS", 1024, low=1),
            max_layers=_int_env("RNNLAB_MAX_LAYERS", 4, low=1),
            max_seq_len=_int_env("RNNLAB_MAX_SEQ_LEN", 1000, low=1),
            max_run_minutes=_int_env("RNNLAB_MAX_RUN_MINUTES", 60, low=1),
            admin_token=token if token and len(token) >= 8 else None,
        )

    def public(self) -> dict[str, Any]:
        """The settings to show on a page (the admin token only as set / not set)."""
        shown = dataclasses.asdict(self)
        shown["admin_token"] = "set" if self.admin_token else "not set"
        return shown


def settings() -> HostingSettings:
    return HostingSettings.from_env()


def is_admin(token: str | None, current: HostingSettings | None = None) -> bool:
    """Whether ``token`` is the admin token (compared in constant time; no token set = nobody)."""
    expected = (current or settings()).admin_token
    token = (token or "").strip()  # (pasted with a space or a line break around it: still the token)
    if not expected or not token:
        return False
    return hmac.compare_digest(token.encode("utf-8"), expected.encode("utf-8"))


class TokenGuesses:
    """How many wrong admin tokens each browser and each address typed lately, shared by every
    session of the server process. Five wrong tokens within ten minutes from one browser
    (`browser`: its id, within its address) lock that browser out of the token box until the
    first of them is ten minutes old; thirty from one address (`client`), whatever the browser,
    lock the address. Without it a student's script could try tokens as fast as the server
    answered. Per address alone, one student's five typos behind a school's one address (NAT, a
    proxy) locked the teacher out too (a class scenario): a browser that drops its id to start
    afresh is still counted by its address. A teacher whose browser keeps its pass
    (`admin_pass`) is not asked for the token and is never locked. Without `browser`, the
    address is counted with the browser's limit (one person's machine).

    `try_token` counts a token only when neither is locked (a locked client's token is
    not even compared, so a right one then does not sign in either); the caller judges each
    typed value once, not on every rerun (`ui.common._judge_token`)."""

    def __init__(self, limit: int = 5, window_seconds: float = 600.0, clock=time.monotonic, address_limit: int = 30) -> None:
        self.limit = limit
        self.address_limit = address_limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._wrong: dict[str, deque[float]] = {}

    def _keys(self, client: str, browser: str | None) -> list[tuple[str, int]]:
        """The counters a guess goes to, with their limits: the browser's and its address's."""
        if not browser:
            return [(client, self.limit)]
        return [(f"{client}|{browser}", self.limit), (client, self.address_limit)]

    def locked_for(self, client: str, browser: str | None = None) -> float:
        """Seconds until `client` (and `browser`) may try a token again (0.0: now)."""
        return self.locked(client, browser)[0]

    def locked(self, client: str, browser: str | None = None) -> tuple[float, str]:
        """(seconds until a token is taken again, "browser" or "address": which is locked)."""
        with self._lock:
            now = self._clock()
            waits = [(self._locked_for(key, limit, now), "address" if key == client and browser else "browser") for key, limit in self._keys(client, browser)]
            return max(waits)

    def _locked_for(self, key: str, limit: int, now: float) -> float:
        times = self._wrong.get(key)
        if times is None:
            return 0.0
        while times and times[0] <= now - self.window_seconds:
            times.popleft()
        if not times:
            del self._wrong[key]
            return 0.0
        if len(times) < limit:
            return 0.0
        return max(0.0, times[-limit] + self.window_seconds - now)

    def try_token(self, token: str | None, client: str, current: HostingSettings | None = None, browser: str | None = None) -> str:
        """"ok" (the admin token), "wrong" (counted) or "locked" (not compared: `locked_for`)."""
        with self._lock:
            now = self._clock()
            keys = self._keys(client, browser)
            if any(self._locked_for(key, limit, now) > 0 for key, limit in keys):
                return "locked"
            if is_admin(token, current):
                return "ok"
            if len(self._wrong) > 10_000:  # (a flood of made-up addresses: forget the quiet ones)
                for quiet in [c for c, t in self._wrong.items() if not t or t[-1] <= now - self.window_seconds]:
                    del self._wrong[quiet]
            for key, _ in keys:
                self._wrong.setdefault(key, deque()).append(now)
            return "wrong"

    def clear(self) -> None:
        with self._lock:
            self._wrong.clear()


ADMIN_GUESSES = TokenGuesses()  # (one per server process, like the sessions it guards)


ADMIN_PASS_SECONDS = 12 * 3600  # a school day: a teacher's reloads keep the sign-in, the next day asks again


def admin_pass(browser: str, now: float | None = None, current: HostingSettings | None = None) -> str | None:
    """What a browser that signed in as admin keeps (in a cookie), so that a reload, which is a
    new session, does not ask for the token again: its expiry and an HMAC, keyed by the admin
    token, of that expiry and the browser's id. It holds no token; it expires after
    `ADMIN_PASS_SECONDS` (checked here, not only by the cookie's age), and a new token ends
    every pass. None when the instance has no admin token."""
    token = (current or settings()).admin_token
    if not token or not browser:
        return None
    expires = int((time.time() if now is None else now) + ADMIN_PASS_SECONDS)
    return f"{expires}.{_pass_mac(token, browser, expires)}"


def admin_pass_ok(value: str | None, browser: str, now: float | None = None, current: HostingSettings | None = None) -> bool:
    """Whether `value` is an unexpired `admin_pass` of this browser under the current token."""
    token = (current or settings()).admin_token
    if not token or not value or not browser:
        return False
    expires, _, mac = str(value).partition(".")
    if not expires.isdigit() or int(expires) < (time.time() if now is None else now):
        return False
    return hmac.compare_digest(mac.encode("ascii", "replace"), _pass_mac(token, browser, int(expires)).encode("ascii"))


def _pass_mac(token: str, browser: str, expires: int) -> str:
    return hmac.new(token.encode("utf-8"), f"rnnlab admin pass|{browser}|{expires}".encode("utf-8"), hashlib.sha256).hexdigest()


def can_manage(run_owner: str | None, session: str | None, admin: bool = False) -> bool:
    """May this session stop, resume or delete a run whose status records ``run_owner``?"""
    if admin:
        return True
    return bool(run_owner) and bool(session) and hmac.compare_digest(str(run_owner), str(session))


def _caps(limits: HostingSettings, task: str | None) -> dict[str, tuple[int, str]]:
    """The capped settings of a run of `task`, each with its cap and the variable that sets it
    (the sequence length is num_steps for a language model, maxlen for a classifier)."""
    return {
        "epochs": (limits.max_epochs, "RNNLAB_MAX_EPOCHS"),
        "model.units": (limits.max_units, "RNNLAB_MAX_UNITS"),
        "model.num_layers": (limits.max_layers, "RNNLAB_MAX_LAYERS"),
        "num_steps" if task == "language_model" else "maxlen": (limits.max_seq_len, "RNNLAB_MAX_SEQ_LEN"),
        "time_limit_minutes": (limits.max_run_minutes, "RNNLAB_MAX_RUN_MINUTES"),
    }


def check_run_caps(config: dict[str, Any], current: HostingSettings | None = None) -> None:
    """Refuse a run config that exceeds the instance's caps (RnnLabError "hosting.cap"), or has
    no time limit ("hosting.no_time_limit")."""
    limits = current or settings()
    model = config.get("model") or {}
    units = model.get("units", 0)
    unit_list = list(units) if isinstance(units, (list, tuple)) else [units]
    layers = len(unit_list) if isinstance(units, (list, tuple)) else model.get("num_layers", 1)
    task = config.get("task")
    values = {"epochs": config.get("epochs", 0), "model.units": max((u for u in unit_list if isinstance(u, (int, float))), default=0),
              "model.num_layers": layers, "num_steps": config.get("num_steps", 0), "maxlen": config.get("maxlen", 0),
              "time_limit_minutes": config.get("time_limit_minutes")}
    caps = _caps(limits, task)
    if values["time_limit_minutes"] is None:  # (the form always sets one; a config written by hand may not)
        raise RnnLabError("hosting.no_time_limit", cap=str(caps["time_limit_minutes"][0]))
    for name, (cap, env) in caps.items():
        value = values[name]
        if isinstance(value, (int, float)) and value > cap:
            # whose cap: the default (the T4 preset's 2,500 epochs said "set by the administrator"
            # on an instance nobody had set up), or the host's
            origin = "hosting.cap_set" if os.environ.get(env, "").strip() else "hosting.cap_default"
            raise RnnLabError("hosting.cap", name=name, value=str(value), cap=str(cap), env=env, origin=origin)


def within_caps(exc: Exception, task: str | None, current: HostingSettings | None = None) -> Exception:
    """A setting's range error ("train.bad_range") for a run started from the app, its upper end
    the instance's cap where that is lower: the app said "epochs must be from 1 to 10000" for -1,
    then refused 600 as above its cap of 500 (an exploratory teacher). Other errors unchanged."""
    if isinstance(exc, RnnLabError) and exc.key == "train.bad_model" and isinstance(exc.params.get("reason"), RnnLabError):
        return RnnLabError(exc.key, **{**exc.params, "reason": within_caps(exc.params["reason"], task, current)})  # (the model's own, wrapped)
    if not isinstance(exc, RnnLabError) or exc.key not in ("train.bad_range", "train.bad_open_range"):
        return exc
    caps = _caps(current or settings(), task)
    name, high = exc.params.get("name"), exc.params.get("high")
    if name not in caps or not isinstance(high, (int, float)) or caps[name][0] >= high:
        return exc
    return RnnLabError(exc.key, **{**exc.params, "high": caps[name][0]})


def check_can_queue(statuses: list[dict[str, Any]], session: str | None, current: HostingSettings | None = None) -> None:
    """Refuse a new run when the queue is full or this session already has its quota of active runs.

    ``statuses``: the status of every run in the store (as `RunStore.refresh` returns them).
    """
    limits = current or settings()
    queued = sum(1 for s in statuses if s.get("state") == "queued")
    if queued >= limits.max_queued_runs:
        raise RnnLabError("hosting.queue_full", queued=str(queued), cap=str(limits.max_queued_runs))
    mine = sum(1 for s in statuses if s.get("state") in ("queued", "running") and session and s.get("owner") == session)
    if mine >= limits.runs_per_session:
        raise RnnLabError("hosting.quota", active=str(mine), cap=str(limits.runs_per_session))


__all__ = ["ADMIN_GUESSES", "ADMIN_PASS_SECONDS", "HostingSettings", "TokenGuesses", "admin_pass", "admin_pass_ok", "can_manage", "check_can_queue", "check_run_caps", "is_admin", "settings", "within_caps"]
