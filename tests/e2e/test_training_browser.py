"""The training path in a real browser: start a run, watch its curve grow, stop it."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from bench.app_server import wait_for_app
from core.runs import RunStore
from ui.common import OWNER_COOKIE

pytestmark = pytest.mark.e2e


def set_number(page, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True).first  # the New run tab comes first
    box.fill(str(value))
    box.press("Enter")
    wait_for_app(page)


def start_run(page, numbers: dict[str, int]) -> None:
    """Type the New run tab's numbers (label -> value) and press Start training."""
    for label, value in numbers.items():
        set_number(page, label, value)
    page.get_by_role("button", name="Start training").click()
    wait_for_app(page)


def test_start_watch_and_stop_a_run(app_url, page):
    page.goto(f"{app_url}/training?lang=en")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Training", exact=True)).to_be_visible()
    # the parameter table (the cell's weights table before it is in a closed expander)
    expect(page.get_by_test_id("stDataFrame").filter(visible=True).first).to_be_visible()

    # a small sentiment run on the embedded Chinese reviews, long enough to be watched
    start_run(page, {"Hidden units h": 8, "maxlen (tokens per text)": 40, "Use at most this many texts (in each of training, validation and test; 0 = all)": 600, "Epochs": 200})
    expect(page.get_by_text(re.compile(r"Run .* created"))).to_be_visible(timeout=60_000)
    # the page went to the Runs tab by itself, where the run's live panel is
    expect(page.get_by_role("tab", name="Runs")).to_have_attribute("aria-selected", "true")
    # the live panel refreshes on its own: the run trains and its epoch curve appears and grows
    expect(page.get_by_text(re.compile(r"running · epoch \d+/200"))).to_be_visible(timeout=120_000)
    expect(page.get_by_text(re.compile(r"running · epoch ([2-9]|\d\d+)/200"))).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()

    # a reload is a new session: the URL (?tab=runs&run=...) brings back the tab and the run
    assert "tab=runs" in page.url and "run=" in page.url, page.url
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("tab", name="Runs")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_text(re.compile(r"running · epoch \d+/200"))).to_be_visible(timeout=120_000)

    # the app's own button, not Streamlit's toolbar "Stop" (shown while a script runs)
    page.get_by_test_id("stButton").get_by_role("button", name="Stop", exact=True).click()
    expect(page.get_by_text(re.compile(r"cancelled · epoch \d+/200"))).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("stButton").get_by_role("button", name="Resume", exact=True)).to_be_enabled()

    # the stopped run kept its best epoch's model: the panel links to the Sentiment playground
    # with it chosen (?model=<run id>), where it reads a typed review
    run_id = re.search(r"run=([^&]+)", page.url).group(1)
    page.get_by_role("link", name="Try this model in the Sentiment playground").click()
    # the link itself carries the language: the new page's address has it before its first run
    # has written anything, so a reload at once (it happened in CI) stays in English
    page.wait_for_url(re.compile(r"/sentiment\?"))
    assert "lang=en" in page.url, page.url
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Sentiment playground")).to_be_visible()
    expect(page.get_by_role("combobox", name="Model")).to_have_value(re.compile(rf"^{re.escape(run_id)} · "))  # (with its data set and cell)
    assert f"model={run_id}" in page.url, page.url
    page.reload()  # and a reload keeps it
    wait_for_app(page)
    expect(page.get_by_role("combobox", name="Model")).to_have_value(re.compile(rf"^{re.escape(run_id)} · "))  # (with its data set and cell)
    box = page.get_by_role("textbox", name="Review")
    box.fill("房间很干净，服务也很好。")
    box.press("Control+Enter")
    wait_for_app(page)
    expect(page.get_by_test_id("stMetric").filter(has_text="P(positive)")).to_be_visible()


def test_a_live_panels_refreshes_wrap_chart_titles_as_the_page_does(app_url, page):
    """The live panel of a running language model refreshes itself (a fragment, every 2 s). Its
    gradient-norm chart is as wide as the page, whose title fits on one line on a desktop
    (core.figures.WIDE_TITLE_WIDTH). Streamlit runs a fragment's rerun in a thread of its own,
    where the width was a phone's default: the title took two lines there and one in a full run,
    and the chart jumped. A small character LSTM on People's Daily (embedded, offline)."""
    page.goto(f"{app_url}/training?lang=en&preset=peoples_daily_char_lstm")
    wait_for_app(page)
    start_run(page, {"Hidden units h": 16, "Use only the first N characters (0 = all; the tutorial uses 10,000)": 3000, "Epochs": 300})
    expect(page.get_by_text(re.compile(r"running · epoch ([2-9]|\d\d+)/300"))).to_be_visible(timeout=120_000)
    # (while plotly redraws a refreshed chart, the title it replaces can be there too, hidden)
    title = page.locator(".gtitle:visible").filter(has_text="Gradient norm before clipping")
    expect(title.last).to_be_visible(timeout=60_000)
    for _ in range(3):
        page.wait_for_timeout(2_500)  # a refresh of the panel
        expect(page.get_by_text(re.compile(r"running · epoch \d+/300"))).to_be_visible()  # (still refreshing)
        expect(title.last).to_be_visible()
        lines = [(shown.locator("tspan.line").count(), shown.inner_html()) for shown in title.all()]
        assert all(n <= 1 for n, _ in lines), lines
    page.get_by_test_id("stButton").get_by_role("button", name="Stop", exact=True).click()
    expect(page.get_by_text(re.compile(r"cancelled · epoch \d+/300"))).to_be_visible(timeout=120_000)


TINY_RUN = {"task": "sentiment", "dataset": "chinese_reviews", "epochs": 1, "model": {"cell": "gru", "units": 8}}


def own_stopped_runs(page, app_url, owner: str, *labels: str) -> list[str]:
    """Runs of this browser (`owner`, its owner cookie: ui.common.session_owner), one per label,
    stopped (cancelled: they may be deleted)."""
    page.context.add_cookies([{"name": OWNER_COOKIE, "value": owner, "url": app_url}])
    store = RunStore()
    ids = [store.create(TINY_RUN, owner=owner, label=label).run_id for label in labels]
    for run_id in ids:
        store.stop(run_id)
    return ids


def open_run(page, app_url, run_id: str):
    """The Runs tab showing `run_id`; returns its run picker."""
    page.goto(f"{app_url}/training?lang=en&tab=runs&run={run_id}")
    wait_for_app(page)
    picker = page.get_by_role("combobox", name="Run to show")
    expect(picker).to_have_value(re.compile(re.escape(run_id)))
    return picker


def test_the_run_shown_before_start_can_be_picked_again_soon_after(app_url, page):
    """After Start the picker keeps the new run against a message the browser sent before it had
    it (pages/training.py, STALE_PICK_SECONDS: such a message took the page from the new run back
    to the one shown before). Once the browser's own refresh of the run list names the new run,
    a pick of the run shown before is the student's, and it stays, within those seconds."""
    (before,) = own_stopped_runs(page, app_url, "00112233aabbccdd", "e2e-shown-before")
    page.goto(f"{app_url}/training?lang=en&preset=peoples_daily_char_lstm")
    wait_for_app(page)
    start_run(page, {"Hidden units h": 8, "Use only the first N characters (0 = all; the tutorial uses 10,000)": 3000, "Epochs": 300})
    started = time.monotonic()
    page.wait_for_url(re.compile(r"tab=runs"))
    new = re.search(r"run=([^&]+)", page.url).group(1)
    picker = page.get_by_role("combobox", name="Run to show")
    try:
        assert new != before
        expect(picker).to_have_value(re.compile(re.escape(new)))
        page.wait_for_timeout(2_500)  # a refresh of the run list (every 2 s while the new run is queued or trains)
        picker.click()
        page.get_by_role("option", name=re.compile(re.escape(before))).click()
        wait_for_app(page)
        page.wait_for_timeout(2_000)
        expect(picker).to_have_value(re.compile(re.escape(before)))
        assert f"run={before}" in page.url, page.url
        print(f"picked {time.monotonic() - started:.1f} s after Start")  # (within STALE_PICK_SECONDS, or the test shows nothing)
    finally:
        RunStore().stop(new)


def test_delete_a_run_after_confirming_and_the_run_picker_moves_on(app_url, page):
    """Delete asks first (it is for good), then says the run is gone, and the run picker shows
    the run whose panel is drawn: Streamlit's browser side kept a keyed selectbox's value, and
    "Run to show" went on naming the deleted run (ui.common.replace_gone_choice)."""
    kept, victim = own_stopped_runs(page, app_url, "0123456789abcdef", "e2e-to-keep", "e2e-to-delete")
    store = RunStore()
    picker = open_run(page, app_url, victim)

    page.get_by_test_id("stPopover").get_by_role("button", name="Delete").click()
    expect(page.get_by_text(f"This deletes run {victim} for good")).to_be_visible()
    assert victim in store.list_ids(), "opening the menu deletes nothing"
    page.get_by_role("button", name="Delete for good").click()
    wait_for_app(page)
    expect(page.get_by_text(f"Run {victim} deleted.")).to_be_visible()
    assert victim not in store.list_ids() and kept in store.list_ids()
    expect(picker).not_to_have_value(re.compile(re.escape(victim)))
    shown = re.search(r"run=([^&]+)", page.url)
    assert shown and shown.group(1) != victim, page.url
    expect(picker).to_have_value(re.compile(re.escape(shown.group(1))))  # the picker names the run whose panel is shown


def test_a_run_deleted_by_the_teacher_is_said_when_its_student_clicks_resume(app_url, page):
    """The teacher deletes a stopped run its student is looking at; the student's panel is not
    redrawn (nothing runs) and its buttons are still there. A click on Resume read
    "unknown · epoch 0/?" and "Another browser session started this run" (a class scenario): the
    panel sees its run gone, and the page says so and shows another, the note kept."""
    _, victim = own_stopped_runs(page, app_url, "fedcba9876543210", "e2e-student-other", "e2e-teacher-deletes")
    store = RunStore()
    picker = open_run(page, app_url, victim)
    page.wait_for_timeout(3_000)  # the page settled: nothing redraws it until the click
    store.delete(victim, admin=True)  # the teacher, in another browser
    page.get_by_test_id("stButton").get_by_role("button", name="Resume", exact=True).click()
    note = page.get_by_text(re.compile(rf"{re.escape(victim)}.*is not here any more"))
    expect(note).to_be_visible(timeout=30_000)
    expect(picker).not_to_have_value(re.compile(re.escape(victim)))
    expect(page.get_by_text("Another browser session started this run")).to_have_count(0)
    assert victim not in store.list_ids(), "the click brought nothing back"
    page.wait_for_timeout(3_000)
    expect(note).to_be_visible()


def test_a_run_deleted_by_the_teacher_is_said_while_a_classmates_run_trains(app_url, page):
    """While another student's run trains, the run list refreshes itself every 2 s: the teacher
    deletes the stopped run a student is looking at, and the student's page says so within
    seconds, without a click (it went on showing the run, Resume enabled; a class scenario)."""
    import subprocess
    import sys

    (victim,) = own_stopped_runs(page, app_url, "a1b2c3d4e5f60718", "e2e-deleted-while-others-train")
    store = RunStore()
    classmate = store.create(TINY_RUN, owner="someone-else-0001", label="e2e-classmate-trains")
    # a process that passes for its training process (a real one would end, or need the queue)
    stand_in = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", "core.train", str(classmate.path)])
    try:
        classmate.update_status(state="running", pid=stand_in.pid, started=__import__("time").time(), epoch=0, total_epochs=1)
        picker = open_run(page, app_url, victim)
        page.wait_for_timeout(3_000)  # the page settled: what follows is the list's own refresh
        store.delete(victim, admin=True)  # the teacher, in another browser
        expect(page.get_by_text(re.compile(rf"{re.escape(victim)}.*is not here any more"))).to_be_visible(timeout=15_000)
        expect(picker).not_to_have_value(re.compile(re.escape(victim)))
    finally:
        stand_in.kill()
        stand_in.wait()
        store.refresh(classmate)


def test_an_idle_run_list_notices_runs_deleted_and_made_elsewhere(app_url, page):
    """Nothing trains: the teacher deletes the stopped run a student is reading, without the
    student clicking anything. The list looked for changes only while a run was active, so the
    panel went on showing the run, and its model's download then failed with nothing said (an
    exploratory teacher). A classmate's new run appears in the idle list too."""
    idle_look = 10 + 15  # pages/training.py's IDLE_LIST_SECONDS, and time to redraw on a busy machine
    keep, victim = own_stopped_runs(page, app_url, "0a1b2c3d4e5f6a7b", "e2e-idle-kept", "e2e-idle-deleted")
    store = RunStore()
    assert not [i for i in store.list_ids() if store.refresh(store.run(i)).get("state") in ("queued", "running")], "another test left a run active"
    picker = open_run(page, app_url, victim)
    page.wait_for_timeout(3_000)  # the page settled: nothing but the list's idle look redraws it
    store.delete(victim, admin=True)  # the teacher, in another browser
    note = page.get_by_text(re.compile(rf"{re.escape(victim)}.*is not here any more"))
    expect(note).to_be_visible(timeout=idle_look * 1000)
    expect(picker).not_to_have_value(re.compile(re.escape(victim)))
    classmate = store.create(TINY_RUN, owner="someone-else-0002", label="e2e-idle-classmate")
    store.stop(classmate.run_id)
    option = page.get_by_role("option", name=re.compile(re.escape(classmate.run_id)))
    deadline = time.time() + idle_look
    while True:  # the picker's options are the list's runs: opened now and then until it is there
        picker.click()
        if option.count() or time.time() > deadline:
            break
        page.keyboard.press("Escape")
        page.wait_for_timeout(2_000)
    expect(option).to_have_count(1)
    page.keyboard.press("Escape")
    assert keep in store.list_ids()
