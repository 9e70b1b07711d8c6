"""What a class of idle sessions costs the server while a run trains, by the Training page's tab.

    python -m bench.bench_tabs [--sessions 8] [--seconds 40] [--rounds 2] [--json-out FILE]

The Training page's Runs tab holds the live panel of the selected run, a fragment that redraws
itself every 2 s while the run trains (status, curves, batch losses, samples). Streamlit's plain
tabs draw every tab's content in every run, so every session on the Training page polled the
panel, whichever tab it looked at; with `ui.common.kept_tabs` the page knows the tab shown and
draws the panel only on the Runs tab (and asks for the gradient-flow job only on its tab).

The same server, run and sessions, two phases alternated ``--rounds`` times, ``--seconds`` each:

* "New run tab": every session on the page's first tab (where a class fills in its settings):
  what this commit does there;
* "Runs tab": every session on the Runs tab, the live panel drawn and polled: what every
  session cost before, on any tab (the baseline, measured in the same run).

Printed per phase: the server process's CPU seconds per wall second (/proc/<pid>/stat) and the
training run's batches per second meanwhile (its progress in the status file; the run is a
separate process on the same 2 cores). The sessions are headless Debian Chromium contexts
(Playwright) against ``streamlit run``; their own CPU is not counted, but on one machine they
compete for the same cores, in both phases alike. Exits 0 (benchmarks report; they do not fail).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from bench.app_server import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_for_app  # noqa: E402
from bench.bench_load import cpu_s, end_training, server_env, start_training  # noqa: E402
from bench.report import emit  # noqa: E402

PHASES = (("new", "New run"), ("runs", "Runs"))


def batches_done(store, run_id: str) -> float | None:
    status = store.refresh(store.run(run_id))
    steps, epochs, progress = status.get("steps_per_epoch"), store.run(run_id).config().get("epochs"), status.get("progress")
    if not (steps and epochs) or progress is None:
        return None
    return float(progress) * epochs * steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_tabs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=40.0, help="length of each measured phase")
    parser.add_argument("--rounds", type=int, default=2, help="times each phase is measured (alternated)")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    figures: dict = {"benchmark": "bench_tabs", "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                     "cpus": os.cpu_count(), "sessions": args.sessions, "seconds": args.seconds, "rounds": args.rounds}
    if not Path(CHROMIUM).exists():
        figures["skipped"] = f"{CHROMIUM} is not installed (apt-get install chromium)"
        print(f"bench_tabs skipped: {figures['skipped']}")
        emit(figures, args.json_out)
        return 0

    from playwright.sync_api import sync_playwright

    from core.runs import RunStore

    with tempfile.TemporaryDirectory(prefix="rnnlab-tabs-") as tmp:
        tmp_path = Path(tmp)
        env = server_env(tmp_path)
        server, url = start_server(env, tmp_path / "server.log")
        run_id = None
        store = RunStore(tmp_path / "checkpoints")
        try:
            print(f"bench_tabs: {figures['date']}, {figures['cpus']} CPUs, {args.sessions} sessions, server {url}", flush=True)
            run_id = start_training(tmp_path / "checkpoints", env)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                pages = []
                for _ in range(args.sessions):
                    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                    page.set_default_timeout(120_000)
                    page.goto(f"{url}/training?lang=en")
                    wait_for_app(page)
                    pages.append(page)
                measured: dict[str, list[dict]] = {name: [] for name, _ in PHASES}
                for round_ in range(args.rounds):
                    for name, label in PHASES:
                        for page in pages:
                            page.get_by_role("tab", name=label, exact=True).click()
                        for page in pages:
                            wait_for_app(page)
                        time.sleep(3)  # the reruns of the switch itself are not counted
                        cpu0, b0, t0 = cpu_s(server.pid), batches_done(store, run_id), time.monotonic()
                        time.sleep(args.seconds)
                        cpu1, b1, t1 = cpu_s(server.pid), batches_done(store, run_id), time.monotonic()
                        row = {"server_cpu_per_s": round((cpu1 - cpu0) / (t1 - t0), 3)}
                        if b0 is not None and b1 is not None:
                            row["training_batches_per_s"] = round((b1 - b0) / (t1 - t0), 2)
                        measured[name].append(row)
                        print(f"  round {round_ + 1}, every session on the {label} tab: {row}", flush=True)
                browser.close()
        finally:
            if run_id:
                end_training(tmp_path / "checkpoints", run_id)
            stop_server(server)

    def mean(rows: list[dict], key: str) -> float | None:
        values = [r[key] for r in rows if key in r]
        return round(sum(values) / len(values), 3) if values else None

    for name, label in PHASES:
        figures[name] = {"tab": label, "rounds": measured[name],
                         "server_cpu_per_s": mean(measured[name], "server_cpu_per_s"),
                         "training_batches_per_s": mean(measured[name], "training_batches_per_s")}
    new, runs = figures["new"], figures["runs"]
    print(f"{'every session on':28} {'server CPU s/s':>15} {'training batches/s':>19}")
    for label, s in (("New run tab (this commit)", new), ("Runs tab (= any tab before)", runs)):
        print(f"{label:28} {s['server_cpu_per_s']!s:>15} {s['training_batches_per_s']!s:>19}")
    emit(figures, args.json_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
