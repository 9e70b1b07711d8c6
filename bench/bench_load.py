"""Many sessions at once against one `streamlit run` server while a run trains (issue 7).

    python -m bench.bench_load [--client ws|browser] [--sessions 20] [--rounds 1] [--no-training] [--json-out FILE]

Two kinds of client, the same phases and the same output:

* ``--client ws`` (the default): Python websocket clients of Streamlit's own protocol
  (bench/st_client.py), all in this one process. They cost almost nothing, so on a 2-core
  machine the figures are the server's. A page's render time is from sending the rerun
  BackMsg to receiving the ``script_finished`` of that run: the script run and the messages,
  which is what the server costs. It does NOT include what a browser adds on top: the
  JavaScript that lays out and draws the elements (charts, tables), static files, media and
  component requests, nor the timer reruns of an ``st.fragment(run_every=...)``; a person
  in a browser waits longer than this. Each session is one websocket (one Streamlit
  session): the first page is a first visit of its URL (``/?lang=zh``), every other page a
  click in the navigation (a rerun with the page's script hash, as the browser sends).
* ``--client browser``: headless Debian Chromium through Playwright, one browser context per
  session, each page a full page load (``page.goto``). A page's render time is from the
  navigation to the moment the app is connected, its script has finished and no skeleton is
  left (the same wait as the browser tests). On 2 cores 20 Chromium renderers take most of
  the CPU themselves, so these figures measure the browsers as much as the server.

What it does, on localhost:

1. starts the app as a user would (``streamlit run streamlit_app.py``, headless) with its
   own temporary checkpoints folder;
2. baseline, measured in the same run: ONE session walks through every page
   (home, data, training, sentiment and the other pages that exist), with no training;
3. starts a real training run (the offline ``chinese_reviews_gru`` preset, more epochs
   than the benchmark lasts) in its own process, as the Training page does;
4. load: ``--sessions`` sessions (separate Streamlit sessions) walk through the same pages
   at the same time, ``--rounds`` times each;
5. stops the run and the server.

An error is a page that did not finish within the timeout, whose script did not compile,
or that shows a Streamlit exception box (an ``exception`` element). Server memory is the
resident set size (VmRSS) of the server process before the load, right after it, and 20 s
after the sessions closed.

Goal (issue 7): 20 sessions, p95 render time under 2 s on 2 cores while one run trains,
no errors. It prints a table and, last, one JSON line with every figure; it exits 0
(benchmarks report; they do not fail CI).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as _dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from bench.app_server import APP_CONNECTED, APP_IDLE, CHROMIUM, CHROMIUM_ARGS, NO_SKELETON, start_server, stop_server  # noqa: E402
from bench.report import emit  # noqa: E402
SHARED_DATA = ROOT.parent / "shared" / "data"
GOAL_P95_S = 2.0
GOAL_SESSIONS = 20
PAGE_TIMEOUT_MS = 60_000
ALL_PAGES = [("home", ""), ("data", "data"), ("training", "training"), ("sentiment", "sentiment"), ("lyrics", "lyrics"), ("embeddings", "embeddings")]


def pages_present() -> list[tuple[str, str]]:
    """The app's pages whose script exists (pages/<name>.py)."""
    return [(name, path) for name, path in ALL_PAGES if (ROOT / "pages" / f"{name}.py").exists()]


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def cpu_s(pid: int) -> float | None:
    """User + system CPU seconds the process has used so far (/proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


async def wait_for_app(page) -> None:
    """`bench.app_server.wait_for_app` for Playwright's async API."""
    await page.wait_for_selector(APP_CONNECTED, timeout=PAGE_TIMEOUT_MS)
    await page.wait_for_selector(APP_IDLE, timeout=PAGE_TIMEOUT_MS)
    await page.wait_for_function(NO_SKELETON, timeout=PAGE_TIMEOUT_MS)


async def walk(browser, url: str, pages: list[tuple[str, str]], rounds: int, records: list[dict], session: int) -> None:
    """One browser session (its own context) visiting every page `rounds` times."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = await context.new_page()
    try:
        for r in range(rounds):
            for name, path in pages:
                t0 = time.perf_counter()
                error = None
                try:
                    await page.goto(f"{url}/{path}?lang=zh", timeout=PAGE_TIMEOUT_MS)
                    await wait_for_app(page)
                    if await page.locator('[data-testid="stException"]').count():
                        error = "exception box"
                except Exception as exc:  # noqa: BLE001 - every failure is a counted error
                    error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
                records.append({"session": session, "round": r, "page": name, "seconds": time.perf_counter() - t0, "error": error})
    finally:
        await context.close()


async def load_phase(url: str, pages, sessions: int, rounds: int) -> tuple[list[dict], float]:
    from playwright.async_api import async_playwright

    records: list[dict] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        t0 = time.perf_counter()
        await asyncio.gather(*(walk(browser, url, pages, rounds, records, s) for s in range(sessions)))
        wall = time.perf_counter() - t0
        await browser.close()
    return records, wall


async def ws_walk(url: str, pages: list[tuple[str, str]], rounds: int, records: list[dict], session: int) -> None:
    """One websocket session: the first page as a first visit of its URL, then clicks in the navigation."""
    from bench.st_client import StreamlitSession

    client = StreamlitSession(url, timeout=PAGE_TIMEOUT_MS / 1000)
    try:
        await client.connect()
    except Exception as exc:  # noqa: BLE001 - a refused connection is an error for every page of this session
        error = f"connect: {type(exc).__name__}: {str(exc)[:120]}"
        records.extend({"session": session, "round": r, "page": name, "seconds": 0.0, "error": error}
                       for r in range(rounds) for name, _ in pages)
        return
    try:
        first = True
        for r in range(rounds):
            for name, path in pages:
                result = await (client.load(path, query_string="lang=zh") if first else client.navigate(path))
                first = False
                records.append({"session": session, "round": r, "page": name, "seconds": result.seconds, "error": result.error})
    finally:
        await client.close()


async def ws_load_phase(url: str, pages, sessions: int, rounds: int) -> tuple[list[dict], float]:
    records: list[dict] = []
    t0 = time.perf_counter()
    await asyncio.gather(*(ws_walk(url, pages, rounds, records, s) for s in range(sessions)))
    return records, time.perf_counter() - t0


def summary(records: list[dict]) -> dict:
    ok = sorted(r["seconds"] for r in records if not r["error"])
    p95 = ok[min(len(ok) - 1, int(round(0.95 * (len(ok) - 1))))] if ok else float("nan")
    per_page = {}
    for name in dict.fromkeys(r["page"] for r in records):
        times = [r["seconds"] for r in records if r["page"] == name and not r["error"]]
        per_page[name] = round(statistics.median(times), 3) if times else None
    return {
        "renders": len(records),
        "errors": sum(1 for r in records if r["error"]),
        "error_examples": sorted({r["error"] for r in records if r["error"]})[:5],
        "median_s": round(statistics.median(ok), 3) if ok else None,
        "p95_s": round(p95, 3),
        "max_s": round(ok[-1], 3) if ok else None,
        "median_by_page_s": per_page,
    }


def server_env(tmp_path: Path) -> dict[str, str]:
    """The benchmark server's environment: its own checkpoints and download cache in `tmp_path`,
    the shared development data when it is beside the repo (unless RNNLAB_DATA_DIR says where)."""
    env = {**os.environ, "RNNLAB_CHECKPOINTS_DIR": str(tmp_path / "checkpoints"), "RNNLAB_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONUNBUFFERED": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    if "RNNLAB_DATA_DIR" not in env and SHARED_DATA.is_dir():
        env["RNNLAB_DATA_DIR"] = str(SHARED_DATA)
    return env


def start_training(checkpoints: Path, env: dict[str, str]) -> str | None:
    """A real run in its own process (as the Training page starts one); returns its id."""
    os.environ.update({k: v for k, v in env.items() if k.startswith("RNNLAB_")})
    from core.presets import get_preset
    from core.runs import RunStore

    config = get_preset("chinese_reviews_gru").copy(epochs=200)
    store = RunStore(checkpoints)
    run = store.create(config.to_dict(), owner="bench-load", label="bench-load")
    store.start(run.run_id)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until it really trains (past data loading and tracing)
        status = store.refresh(run)
        if status.get("state") != "running" or status.get("batch") or status.get("epoch"):
            break
        time.sleep(1)
    return run.run_id


def end_training(checkpoints: Path, run_id: str) -> None:
    """Stop the run `start_training` started and wait for it to end (killed after 60 s)."""
    from core.runs import RunStore

    store = RunStore(checkpoints)
    store.stop(run_id)
    try:
        store.wait(run_id, timeout=60)
    except Exception:  # noqa: BLE001
        store.kill(run_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--client", choices=["ws", "browser"], default="ws",
                        help="ws: Python websocket clients of Streamlit's protocol (measures the server); browser: headless Chromium")
    parser.add_argument("--sessions", type=int, default=GOAL_SESSIONS)
    parser.add_argument("--rounds", type=int, default=1, help="walks through all pages per session")
    parser.add_argument("--no-training", action="store_true", help="no training run during the load phase")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)

    figures: dict = {"benchmark": "bench_load", "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                     "cpus": os.cpu_count(), "client": args.client, "sessions": args.sessions, "rounds": args.rounds}
    if args.client == "ws":
        figures["render_time"] = "rerun BackMsg sent -> script_finished received (server side only: no browser layout or JS)"
        phase = ws_load_phase
    else:
        figures["render_time"] = "page.goto -> connected, script not running, no skeleton (headless Chromium)"
        phase = load_phase
    if args.client == "browser" and not Path(CHROMIUM).exists():
        figures["skipped"] = f"{CHROMIUM} is not installed (apt-get install chromium)"
        print(f"bench_load skipped: {figures['skipped']}")
        print(json.dumps(figures))
        return 0
    pages = pages_present()
    figures["pages"] = [name for name, _ in pages]
    with tempfile.TemporaryDirectory(prefix="rnnlab-load-") as tmp:
        tmp_path = Path(tmp)
        env = server_env(tmp_path)
        server, url = start_server(env, tmp_path / "server.log")
        run_id = None
        try:
            print(f"bench_load: {figures['date']}, {figures['cpus']} CPUs, {args.client} clients, server {url}, pages {', '.join(figures['pages'])}", flush=True)
            # warm-up (first imports, caches) then the one-session baseline
            asyncio.run(phase(url, pages, 1, 1))
            base_records, _ = asyncio.run(phase(url, pages, 1, 2))
            figures["baseline_one_session"] = summary(base_records)
            figures["server_rss_mb_before"] = rss_mb(server.pid)
            if not args.no_training:
                run_id = start_training(tmp_path / "checkpoints", env)
                figures["training_run"] = run_id
            server_cpu0, client_cpu0 = cpu_s(server.pid), time.process_time()
            records, wall = asyncio.run(phase(url, pages, args.sessions, args.rounds))
            server_cpu1, client_cpu1 = cpu_s(server.pid), time.process_time()
            figures["load"] = summary(records)
            figures["load"]["wall_s"] = round(wall, 1)
            if server_cpu0 is not None and server_cpu1 is not None:
                figures["load"]["server_cpu_s"] = round(server_cpu1 - server_cpu0, 1)
            if args.client == "ws":  # the clients are this process; Chromium's renderers are not, so no figure for them
                figures["load"]["client_cpu_s"] = round(client_cpu1 - client_cpu0, 1)
            figures["server_rss_mb_after"] = rss_mb(server.pid)
            if run_id:
                from core.runs import RunStore

                store = RunStore(tmp_path / "checkpoints")
                status = store.refresh(store.run(run_id))
                figures["training_state_during_load"] = status.get("state")
                figures["training_epochs_done"] = status.get("epoch")
                store.stop(run_id)
            time.sleep(20)
            figures["server_rss_mb_20s_later"] = rss_mb(server.pid)
        finally:
            if run_id:
                end_training(tmp_path / "checkpoints", run_id)
            stop_server(server)
    load = figures["load"]
    base = figures["baseline_one_session"]
    met = load["errors"] == 0 and load["p95_s"] < GOAL_P95_S and args.sessions >= GOAL_SESSIONS
    figures["goal"] = {"sessions": GOAL_SESSIONS, "p95_s_below": GOAL_P95_S, "errors": 0, "met": bool(met)}
    rows = [
        ("1 session, no training (baseline)", base),
        (f"{args.sessions} sessions at once" + ("" if args.no_training else ", one run training"), load),
    ]
    print(f"{'phase':48} {'renders':>7} {'errors':>6} {'median s':>9} {'p95 s':>7} {'max s':>7}")
    for label, s in rows:
        print(f"{label:48} {s['renders']:>7} {s['errors']:>6} {s['median_s']!s:>9} {s['p95_s']!s:>7} {s['max_s']!s:>7}")
    print(f"median by page under load (s): {load['median_by_page_s']}; wall {load['wall_s']} s")
    if "server_cpu_s" in load:
        print(f"CPU during the load (s): server {load['server_cpu_s']}" + (f", clients {load['client_cpu_s']}" if "client_cpu_s" in load else ""))
    if load["error_examples"]:
        print(f"errors: {load['error_examples']}")
    print(f"server memory (RSS, MB): before {figures['server_rss_mb_before']:.0f}, after the load {figures['server_rss_mb_after']:.0f}, "
          f"20 s after the sessions closed {figures['server_rss_mb_20s_later']:.0f}")
    print(f"goal: {GOAL_SESSIONS} sessions, p95 < {GOAL_P95_S} s, no errors -> {'met' if met else 'NOT met'}")
    emit(figures, args.json_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
