"""Take the README's screenshots of the playgrounds, the Training page and the Embeddings page.

    python docs/screenshots.py [--out docs/screenshots] [--only NAME ...]

Reproducible: it starts the app as a user does (``streamlit run streamlit_app.py``, headless,
through ``bench.app_server.start_server``) with its own empty, temporary checkpoints folder,
so no run of yours appears; the shipped models (``checkpoints/shipped/``, found beside the
code whatever RNNLAB_CHECKPOINTS_DIR says) still do. When ``../shared/data`` exists it is the
data folder (RNNLAB_DATA_DIR), so the lyrics corpus is there offline. The Chinese shots
need a Chinese font for Chromium (Debian: ``apt-get install fonts-noto-cjk``).

It drives Debian's Chromium (/usr/bin/chromium, or RNNLAB_CHROMIUM) through Playwright, 1400
pixels wide, waits after every action as the browser tests do (connected, script finished,
no skeleton left, plus the element the shot is about), and writes one PNG per shot:

* ``sentiment-zh.png``: the Sentiment playground with the shipped BiLSTM, a review typed,
  its probability, the step-by-step curve and each token's contribution (the text coloured
  by it, and the bars);
* ``lyrics-zh.png``: the Lyrics playground, the shipped LSTM continuing 分开 with 60
  characters sampled at temperature 0.8 (seed 0), the text coloured by probability and
  the table of every step's candidates;
* ``lyrics-heatmap-en.png``: the same in English, the hidden-state heatmap section;
* ``training-new-run-en.png``: the Training page's New run tab with the lyrics tutorial
  preset (the offline ``chinese_reviews_gru`` when the lyrics are not on this machine) and
  the model's parameter table;
* ``training-gradients-en.png``: the "Gradient flow through time" tab with the tutorial's
  small initialisation;
* ``embeddings-neighbours-en.png``: Word2Vec trained on People's Daily with the page's
  default settings (offline, some seconds) and the nearest neighbours of 中国.

The browser window is 1400 wide; for a shot it is made 3600 tall (Streamlit's layout
depends on the width only), so a shot is one clip of the window from a section's top
(or the page's) to the bottom of the last element wanted, never a scrolled stitch.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.app_server import CHROMIUM, CHROMIUM_ARGS, chromium_executable, start_server, wait_for_app as rendered  # noqa: E402
from bench.bench_load import SHARED_DATA  # noqa: E402
from core.i18n import tr  # noqa: E402

WIDTH = 1400
HEIGHT = 900  # the window while navigating
TALL = 3600  # the window while a shot is measured and taken
TIMEOUT_MS = 180_000  # the first page that loads TensorFlow and a model takes a while on 2 cores
MAX_BYTES = 400_000
SHOTS = ("sentiment-zh", "lyrics-zh", "lyrics-heatmap-en", "training-new-run-en", "training-gradients-en", "embeddings-neighbours-en")


# ---------------------------------------------------------------------- waiting and clipping


def wait_for_app(page, timeout: float = TIMEOUT_MS) -> None:
    """`bench.app_server.wait_for_app` with this script's longer timeout by default."""
    rendered(page, timeout)


def settle(page) -> None:
    """After the last action: no spinner or running status left, charts drawn, no hover, no focus ring."""
    wait_for_app(page)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=\"stSpinner\"]').length === 0", timeout=TIMEOUT_MS)
    page.mouse.move(2, 2)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(1500)  # plotly's and the data grid's first paint
    wait_for_app(page)


def goto(page, url: str) -> None:
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.goto(url, timeout=TIMEOUT_MS)
    wait_for_app(page)


def shoot(page, path: Path, bottom, top=None, pad: int = 24, bottom_pad: int = 2) -> None:
    """Write the window from `top` (a locator; the page's top when None) to the bottom of `bottom`."""
    page.set_viewport_size({"width": WIDTH, "height": TALL})
    settle(page)
    if top is not None:  # the section's top near the window's top, below Streamlit's header bar
        top.evaluate("e => { e.style.scrollMarginTop = '90px'; e.scrollIntoView({block: 'start'}); }")
    else:
        page.evaluate("() => document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
    page.wait_for_timeout(300)
    y0 = 0.0 if top is None else max(0.0, top.bounding_box()["y"] - pad)
    box = bottom.bounding_box()
    y1 = min(float(TALL), box["y"] + box["height"] + bottom_pad)
    page.screenshot(path=str(path), clip={"x": 0, "y": y0, "width": WIDTH, "height": y1 - y0}, animations="disabled", caret="hide")
    size = path.stat().st_size
    flag = "" if size <= MAX_BYTES else f"  (over {MAX_BYTES // 1000} KB)"
    print(f"  {path.name}: {WIDTH}x{int(y1 - y0)}, {size / 1000:.0f} KB{flag}", flush=True)
    errors = page.get_by_test_id("stException").count() + page.get_by_test_id("stAlertContentError").count()
    if errors:
        print(f"  WARNING: {path.name} shows {errors} error box(es)", flush=True)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})


def choose(page, label: str, option: str) -> None:
    """Pick `option` (its text starts with this) in the selectbox labelled `label`."""
    box = page.get_by_label(label, exact=True).first
    box.click()
    page.keyboard.type(option)  # the list filters as one types (and may be virtualised)
    page.get_by_role("option").filter(has_text=option).first.click()
    wait_for_app(page)


def heading(page, key: str, lang: str):
    return page.get_by_role("heading", name=tr(key, lang), exact=True).first


def expect_visible(locator, timeout: float = TIMEOUT_MS) -> None:
    locator.wait_for(state="visible", timeout=timeout)


# ---------------------------------------------------------------------- the shots


def sentiment_zh(page, url: str, out: Path) -> None:
    lang = "zh"
    goto(page, f"{url}/sentiment?lang={lang}")
    expect_visible(heading(page, "sent.title", lang))
    choose(page, tr("sent.model", lang), "shipped/sentiment_bilstm")
    box = page.get_by_label(tr("sent.text", lang), exact=True)
    box.fill("房间干净，服务周到，下次还会再来")
    box.press("Control+Enter")
    wait_for_app(page)
    expect_visible(page.get_by_test_id("stMetric").filter(has_text=tr("sent.p_positive", lang)).filter(has_text=re.compile(r"0\.\d{3}|1\.000")))
    importance = page.get_by_test_id("stPlotlyChart").nth(1)
    expect_visible(importance.locator(".js-plotly-plot"))
    shoot(page, out / "sentiment-zh.png", bottom=importance)


def lyrics_generate(page, url: str, lang: str) -> None:
    goto(page, f"{url}/lyrics?lang={lang}")
    expect_visible(heading(page, "lyr.title", lang))
    choose(page, tr("lyr.model", lang), "shipped/lyrics_lstm")
    # sampling at temperature 0.8 (seed 0): greedy decoding soon repeats one line
    page.get_by_text(tr("lyr.strategy_temperature", lang), exact=True).click()
    wait_for_app(page)
    press_slider(page, tr("lyr.temperature", lang), "ArrowLeft", 4)  # 1.00 -> 0.80 in steps of 0.05
    prefix = page.get_by_label(tr("lyr.prefix", lang), exact=True).and_(page.get_by_test_id("stTextInputField"))
    prefix.wait_for(state="visible", timeout=TIMEOUT_MS)
    if prefix.input_value() != "分开":
        prefix.fill("分开")
        prefix.press("Enter")
        wait_for_app(page)
    length = page.get_by_label(tr("lyr.length", lang), exact=True).first
    length.fill("60")  # 60 characters: a shorter shot, and the heatmap shows every step at once
    length.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name=tr("lyr.generate", lang), exact=True).click()
    wait_for_app(page)
    expect_visible(page.locator(".lyr-text").first)


def lyrics_zh(page, url: str, out: Path) -> None:
    lyrics_generate(page, url, "zh")
    table = page.get_by_test_id("stDataFrame").first  # every step's top 5 candidates, with their probabilities
    expect_visible(table)
    shoot(page, out / "lyrics-zh.png", bottom=table)


def lyrics_heatmap_en(page, url: str, out: Path) -> None:
    lang = "en"
    lyrics_generate(page, url, lang)
    top = heading(page, "lyr.inside", lang)
    expect_visible(top)
    heatmap = page.get_by_test_id("stPlotlyChart").filter(has=page.locator(".js-plotly-plot")).nth(1)  # after the candidates chart
    expect_visible(heatmap)
    equations = page.get_by_test_id("stCaptionContainer").filter(has_text=tr("lyr.lstm_equations", lang)[:30]).first
    shoot(page, out / "lyrics-heatmap-en.png", top=top, bottom=equations if equations.count() else heatmap)


def training_new_run_en(page, url: str, out: Path) -> None:
    lang = "en"
    goto(page, f"{url}/training?lang={lang}")
    expect_visible(heading(page, "train.title", lang))
    panel = page.get_by_role("tabpanel").first
    for preset in ("lyrics_scratch_rnn_consecutive", "chinese_reviews_gru"):
        choose(page, tr("train.preset", lang), preset)
        settle(page)
        if panel.get_by_test_id("stDataFrame").count():
            break
        print(f"  {preset}: its data is not on this machine, trying the next preset", flush=True)
    table = panel.get_by_test_id("stDataFrame").first
    expect_visible(table)
    shoot(page, out / "training-new-run-en.png", bottom=table)


def training_gradients_en(page, url: str, out: Path) -> None:
    lang = "en"
    goto(page, f"{url}/training?lang={lang}")
    expect_visible(heading(page, "train.title", lang))
    page.get_by_role("tab", name=tr("train.tab_gradients", lang), exact=True).click()
    wait_for_app(page)
    page.get_by_text(tr("train.init_tutorial", lang), exact=True).click()  # the tutorial's small initialisation: SimpleRNN's gradient vanishes
    wait_for_app(page)
    panel = page.get_by_role("tabpanel").filter(has=page.locator(".js-plotly-plot")).first
    expect_visible(panel)
    note = panel.get_by_test_id("stCaptionContainer").last
    shoot(page, out / "training-gradients-en.png", bottom=note)


def press_slider(page, label: str, key: str, times: int) -> None:
    """Move the slider labelled `label` with the keyboard, as a user can (`key` pressed `times` times)."""
    slider = page.locator(f'input[type="range"][aria-label="{label}"]').first
    page.wait_for_function("e => !e.disabled", arg=slider.element_handle(), timeout=TIMEOUT_MS)  # e.g. enabled by a radio just clicked
    slider.focus()
    for _ in range(times):
        slider.press(key)
    wait_for_app(page)


def embeddings_neighbours_en(page, url: str, out: Path) -> None:
    lang = "en"
    goto(page, f"{url}/embeddings?lang={lang}")
    expect_visible(heading(page, "emb.title", lang))
    # the default settings (CBOW, 100 dimensions, 5 epochs): some seconds on People's Daily
    page.get_by_role("button", name=tr("emb.w2v_train", lang), exact=True).click()
    wait_for_app(page, timeout=300_000)
    expect_visible(page.get_by_test_id("stAlertContentSuccess").filter(has_text="Word2Vec"), timeout=300_000)
    page.get_by_role("tab", name=tr("emb.tab_neighbours", lang), exact=True).click()
    wait_for_app(page)
    box = page.get_by_label(tr("emb.search", lang), exact=True)
    box.fill("中国")
    box.press("Enter")
    wait_for_app(page)
    panel = page.get_by_role("tabpanel").filter(has_text=tr("emb.nearest", lang, word="中国", words="")[:12])
    table = panel.get_by_test_id("stDataFrame").first
    expect_visible(table)
    shoot(page, out / "embeddings-neighbours-en.png", bottom=panel.get_by_test_id("stCaptionContainer").last)


TAKERS = {
    "sentiment-zh": sentiment_zh,
    "lyrics-zh": lyrics_zh,
    "lyrics-heatmap-en": lyrics_heatmap_en,
    "training-new-run-en": training_new_run_en,
    "training-gradients-en": training_gradients_en,
    "embeddings-neighbours-en": embeddings_neighbours_en,
}


# ---------------------------------------------------------------------- the run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNG files")
    parser.add_argument("--only", nargs="+", choices=SHOTS, help="take only these shots")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    chromium = chromium_executable()
    if not chromium:
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2

    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if not fonts.strip():
        print("WARNING: no Chinese font is installed, the Chinese shots will show boxes (apt-get install fonts-noto-cjk)", file=sys.stderr)

    from playwright.sync_api import sync_playwright

    failed = []
    with tempfile.TemporaryDirectory(prefix="rnnlab-screenshots-") as tmp:
        tmp_path = Path(tmp)
        env = os.environ.copy()
        env["RNNLAB_CHECKPOINTS_DIR"] = str(tmp_path / "checkpoints")  # empty: only the shipped models are listed
        if SHARED_DATA.is_dir():
            env["RNNLAB_DATA_DIR"] = str(SHARED_DATA)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        log_path = tmp_path / "streamlit.log"
        proc, url = start_server(env, log_path)
        print(f"app at {url} (checkpoints {env['RNNLAB_CHECKPOINTS_DIR']}, data {env.get('RNNLAB_DATA_DIR', 'default')})", flush=True)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
                for name in args.only or SHOTS:
                    print(name, flush=True)
                    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1, locale="zh-CN")
                    page = context.new_page()
                    page.set_default_timeout(TIMEOUT_MS)
                    t0 = time.perf_counter()
                    try:
                        TAKERS[name](page, url, out)
                        print(f"  done in {time.perf_counter() - t0:.0f} s", flush=True)
                    except Exception as exc:  # noqa: BLE001 - report, take the other shots
                        failed.append(name)
                        print(f"  FAILED: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}", flush=True)
                        debug = Path(tempfile.gettempdir()) / f"rnnlab-screenshot-{name}-failed.png"
                        page.screenshot(path=str(debug))
                        print(f"  the window then: {debug}", flush=True)
                    finally:
                        context.close()
                browser.close()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except Exception:  # noqa: BLE001
                proc.kill()
            if failed:
                print(f"server log (last lines):\n{log_path.read_text(errors='replace')[-3000:]}", file=sys.stderr)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
