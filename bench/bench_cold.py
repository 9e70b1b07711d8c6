"""A fresh server's first visit to the pages that need TensorFlow, with and without the warm-up.

    python -m bench.bench_cold [--rounds 2] [--think 8] [--json-out FILE]

A server that has just started has not imported TensorFlow and Keras: the first page that builds
or loads a model (Training, the playgrounds) waited for the import, 5 s on an idle 2-core machine
and 15 s on a busy one (an exploratory tester). `ui.common.warm_up` imports them in a background
thread when the server draws its first page. What a reader meets, measured for both settings in
the same run, alternating (``--rounds`` servers each):

1. a server starts (``streamlit run streamlit_app.py``, its own empty checkpoints folder);
2. one session opens the home page (``/?lang=en``) and reads it for ``--think`` seconds;
3. it clicks Training, then Sentiment in the navigation.

Printed: the seconds from each click to the end of its page's script run (Streamlit's own
protocol, bench/st_client.py: the server's time, not the browser's drawing), per setting, the
median over the rounds. The baseline is RNNLAB_WARM_UP=0 (the app before the warm-up). The
last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {"baseline (no warm-up)": "0", "warm-up": "1"}
PAGES = ("training", "sentiment")


async def visit(url: str, think: float) -> dict[str, float | str]:
    """Home, a pause, then each of `PAGES` by a click: {page: seconds, or the error}."""
    from bench.st_client import StreamlitSession

    client = StreamlitSession(url, timeout=240)
    await client.connect()
    try:
        seen: dict[str, float | str] = {}
        home = await client.load("", query_string="lang=en")
        seen["home"] = home.seconds if home.ok else str(home.error)
        await asyncio.sleep(think)
        for page in PAGES:
            result = await client.navigate(page)
            seen[page] = result.seconds if result.ok else str(result.error)
        return seen
    finally:
        await client.close()


def one_server(setting: str, think: float) -> dict[str, float | str]:
    from bench.app_server import start_server, stop_server

    with tempfile.TemporaryDirectory(prefix="rnnlab-bench-cold-") as folder:
        env = {**os.environ, "RNNLAB_WARM_UP": setting, "RNNLAB_CHECKPOINTS_DIR": str(Path(folder) / "checkpoints")}
        proc, url = start_server(env, Path(folder) / "streamlit.log")
        try:
            return asyncio.run(visit(url, think))
        finally:
            stop_server(proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--think", type=float, default=8.0, help="seconds the reader spends on the home page")
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    runs: dict[str, list[dict]] = {name: [] for name in SETTINGS}
    for round_no in range(args.rounds):
        for name, value in SETTINGS.items():
            seen = one_server(value, args.think)
            runs[name].append(seen)
            print(f"round {round_no + 1} · {name}: " + ", ".join(f"{p} {v:.2f} s" if isinstance(v, float) else f"{p} ERROR {v}" for p, v in seen.items()), flush=True)

    figures: dict = {"rounds": args.rounds, "think_seconds": args.think, "cores": os.cpu_count(), "median_seconds": {}, "errors": []}
    print(f"\nfirst visit after {args.think:g} s on the home page, median of {args.rounds} fresh servers (seconds)")
    print(f"{'setting':<24}" + "".join(f"{p:>12}" for p in ("home",) + PAGES))
    for name, seen_list in runs.items():
        medians = {}
        for page in ("home",) + PAGES:
            times = [s[page] for s in seen_list if isinstance(s.get(page), float)]
            figures["errors"] += [f"{name} {page}: {s[page]}" for s in seen_list if not isinstance(s.get(page), float)]
            medians[page] = round(statistics.median(times), 3) if times else None
        figures["median_seconds"][name] = medians
        print(f"{name:<24}" + "".join(f"{v:>12.2f}" if v is not None else f"{'—':>12}" for v in medians.values()))
    base, warm = (figures["median_seconds"][name] for name in SETTINGS)
    figures["speed_up"] = {page: round(base[page] / warm[page], 2) if base[page] and warm[page] else None for page in PAGES}
    print("speed-up of the first click: " + ", ".join(f"{p} {v}x" for p, v in figures["speed_up"].items()))
    line = json.dumps(figures)
    if args.json_out:
        args.json_out.write_text(line + "\n", encoding="utf-8")
    print(line)
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
