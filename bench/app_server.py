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
    """Block (Playwright's sync API) until the page has rendered: see `APP_CONNECTED`."""
    page.wait_for_selector(APP_CONNECTED, timeout=timeout)
    page.wait_for_selector(APP_IDLE, timeout=timeout)
    page.wait_for_function(NO_SKELETON, timeout=timeout)
