"""The app as a user starts it (``streamlit run streamlit_app.py``), for every tool that drives it
from outside: the browser tests (tests/e2e), the load benchmark (bench_load) and the README's
screenshots (docs/screenshots.py). One definition of how it is started and of when a page
counts as rendered, so that the three agree.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("RNNLAB_CHROMIUM", "/usr/bin/chromium")

# Headless Chromium in a container, quiet: no sandbox (root), no GPU, /tmp instead of a small
# /dev/shm, and none of the browser's own traffic (updates, sync, QUIC), which has no network here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def chromium_executable() -> str | None:
    """CHROMIUM when it exists, else a ``chromium`` on PATH, else None."""
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


# A page has rendered when the app is connected, its script has finished and no element is
# still a skeleton (Streamlit's own test ids).
APP_CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
NO_SKELETON = "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0"


# `wait_for_app` alone can return between an action and the rerun it asked for: the page says
# "notRunning" until the server's answer arrives. RUN_WATCH (a script for `add_init_script`) marks
# the page as waiting from the moment the app sends a rerun a user asked for (Streamlit's
# BackMsg.rerun_script, not a fragment's timer: is_auto_rerun) until a script_finished that
# ends it arrives (ForwardMsg field 6: FINISHED_SUCCESSFULLY 0 or WITH_COMPILE_ERROR 1 for a
# whole run, also FRAGMENT_RUN_SUCCESSFULLY 3 for an action inside a fragment; not
# EARLY_FOR_RERUN 2) and the frame after it has been drawn. It reads only the messages' top-level
# fields (protobuf's wire format), so it needs no Streamlit code; a new connection (a reload)
# starts afresh. The action's own rerun leaves the page 3-50 ms after it (a timer, a React
# effect), hence RUN_SETTLE first: the watch narrows the race to that, it cannot close it.
RUN_WATCH = """
(() => {
  const watch = (window.__rnnlabRun = { waiting: null, asked: 0 });
  const varint = (bytes, at) => {
    let value = 0, scale = 1, byte;
    do { byte = bytes[at++]; value += (byte & 127) * scale; scale *= 128; } while (byte & 128);
    return [value, at];
  };
  const fields = (bytes) => {
    const out = new Map();
    let at = 0;
    while (at < bytes.length) {
      let tag, value;
      [tag, at] = varint(bytes, at);
      const number = Math.floor(tag / 8), type = tag & 7;
      if (type === 0) { [value, at] = varint(bytes, at); }
      else if (type === 2) { let length; [length, at] = varint(bytes, at); value = bytes.subarray(at, at + length); at += length; }
      else if (type === 1) { at += 8; continue; }
      else if (type === 5) { at += 4; continue; }
      else break;
      out.set(number, value);
    }
    return out;
  };
  const asBytes = (data) => data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
  const Native = window.WebSocket;
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    try {
      const bytes = asBytes(data);
      const rerun = bytes && fields(bytes).get(11);  // BackMsg.rerun_script
      if (rerun) {
        const asked = fields(rerun);
        if (!asked.get(6)) {  // is_auto_rerun, fragment_id
          watch.waiting = asked.get(5) && asked.get(5).length ? "fragment" : "app";
          watch.asked += 1;
        }
      }
    } catch (error) { /* never in the app's way */ }
    return send.call(this, data);
  };
  function Watched(...args) {
    const socket = new Native(...args);
    watch.waiting = null;
    socket.addEventListener("message", (event) => {
      if (!watch.waiting) return;
      try {
        const bytes = asBytes(event.data);
        const finished = bytes && fields(bytes).get(6);  // ForwardMsg.script_finished
        if (finished === undefined || finished === 2) return;
        if (finished === 3 && watch.waiting === "app") return;
        // (done once the app has drawn what came with it: Streamlit handles a message in the
        // task after this one, React draws in the next frame; unless another rerun was asked since)
        const asked = watch.asked;
        setTimeout(() => requestAnimationFrame(() => setTimeout(() => {
          if (watch.asked === asked) watch.waiting = null;
        }, 0)), 0);
      } catch (error) { /* never in the app's way */ }
    });
    return socket;
  }
  Watched.prototype = Native.prototype;
  for (const name of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Watched[name] = Native[name];
  window.WebSocket = Watched;
})();
"""
RUN_WATCHED = "() => !window.__rnnlabRun || !window.__rnnlabRun.waiting"
RUN_SETTLE = "() => window.__rnnlabRun ? new Promise((resolve) => setTimeout(resolve, 100)) : null"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], log_path: Path, timeout: float = 120.0, script: str = "streamlit_app.py") -> tuple[subprocess.Popen, str]:
    """Start the app (or another `script`, relative to the repository) headless on a free
    localhost port with ``env``, its output in ``log_path``; return (process, URL) once
    /_stcore/health answers. RuntimeError with the log's end when it exits or does not answer
    within ``timeout`` seconds."""
    port = free_port()
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"streamlit did not start; its log:\n{log_path.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server `start_server` started: terminate, then kill if it has not ended in 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_for_app(page, timeout: float = 90_000) -> None:
    """Block (Playwright's sync API) until the page has rendered: see `APP_CONNECTED`; on a page
    with `RUN_WATCH`, also until the rerun the last action asked for has finished."""
    from playwright.sync_api import Error as PlaywrightError

    try:  # Streamlit sends an action's rerun 3-50 ms after it (a timer, a React effect): let it go first
        page.evaluate(RUN_SETTLE)
    except PlaywrightError:  # (a page being replaced: the checks below wait for the new one)
        pass
    for _ in range(3):  # (a rerun asked for while the checks ran: once more)
        page.wait_for_function(RUN_WATCHED, timeout=timeout)  # (a page without RUN_WATCH: at once)
        page.wait_for_selector(APP_CONNECTED, timeout=timeout)
        page.wait_for_selector(APP_IDLE, timeout=timeout)
        page.wait_for_function(NO_SKELETON, timeout=timeout)
        try:
            if page.evaluate(RUN_WATCHED):
                return
        except PlaywrightError:
            continue
