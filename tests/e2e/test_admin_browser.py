"""The teacher's admin sign-in on a hosted instance survives a reload, which is a new Streamlit
session: before, every reload asked for the token again. The browser keeps a pass
(`core.hosting.admin_pass`: an expiry and an HMAC keyed by the token, not the token) until it
signs out or the pass expires."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from bench.app_server import wait_for_app
from core.i18n import tr

from .conftest import running_app, wait_for_cookie

pytestmark = pytest.mark.e2e

TOKEN = "teacher-secret-42"


@pytest.fixture
def hosted_app(tmp_path, request):
    env = {**os.environ, "RNNLAB_ADMIN_TOKEN": TOKEN, "RNNLAB_CHECKPOINTS_DIR": str(tmp_path / "checkpoints")}
    request.node.server_log = str(tmp_path / "streamlit.log")  # (in a failed test's report)
    with running_app(env, tmp_path / "streamlit.log") as url:
        yield url


def _admin_pass_kept(page, kept: bool) -> None:
    """Wait until the browser has run the script that sets (or deletes) the pass: it runs when
    its element is drawn, which can be a moment after the script run has ended."""
    wait_for_cookie(page, "rnnlab_admin", lambda value: (value is not None) == kept)


def _admin_panel(page):
    """The sidebar's Administrator expander, opened (a reload draws it closed)."""
    panel = page.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(has_text=tr("host.admin", "en"))
    expect(panel).to_be_visible()
    if not panel.locator("details[open]").count():
        panel.get_by_text(tr("host.admin", "en"), exact=True).click()
    expect(panel.locator("details[open]")).to_have_count(1)
    return panel


def test_the_admin_stays_signed_in_across_reloads_until_signing_out(hosted_app, page):
    # the Home page: no background job polls there, so every click here is the only rerun asked for
    page.goto(f"{hosted_app}/?lang=en")
    wait_for_app(page)
    panel = _admin_panel(page)
    box = panel.get_by_label(tr("host.admin_token", "en"))
    box.fill("not-the-token")
    box.press("Enter")
    # said (`wait_for_app` alone can return before the rerun has begun, and a token typed then
    # went into the box that rerun replaced)
    expect(panel.get_by_text(tr("host.admin_wrong", "en"))).to_be_visible()
    expect(panel.get_by_text(tr("host.admin_on", "en"))).to_have_count(0)
    box.fill(TOKEN)
    box.press("Enter")
    wait_for_app(page)
    expect(panel.get_by_text(tr("host.admin_on", "en"))).to_be_visible()
    expect(panel.get_by_text(tr("host.admin_wrong", "en"))).to_have_count(0)
    _admin_pass_kept(page, True)
    assert TOKEN not in str(page.context.cookies()), "the browser keeps a pass, never the token"

    page.reload()  # a new session
    wait_for_app(page)
    panel = _admin_panel(page)
    expect(panel.get_by_text(tr("host.admin_on", "en"))).to_be_visible()
    expect(panel.get_by_label(tr("host.admin_token", "en"))).to_have_count(0)

    panel.get_by_role("button", name=tr("host.admin_sign_out", "en")).click()
    wait_for_app(page)
    expect(panel.get_by_label(tr("host.admin_token", "en"))).to_be_visible()
    expect(panel.get_by_text(tr("host.admin_on", "en"))).to_have_count(0)
    _admin_pass_kept(page, False)
    page.reload()  # signed out for good
    wait_for_app(page)
    panel = _admin_panel(page)
    expect(panel.get_by_label(tr("host.admin_token", "en"))).to_be_visible()
    expect(panel.get_by_text(tr("host.admin_on", "en"))).to_have_count(0)


def test_the_sidebar_of_a_fresh_servers_first_page_keeps_its_widgets_across_a_rerun(hosted_app, page):
    # A fresh server ran its first session's first run as a legacy `pages/` page, where the
    # sidebar's widgets had other ids than in every later run: the next run drew new ones, and
    # what the reader had typed in the token box was gone (ui.common.leave_legacy_pages_mode).
    page.goto(f"{hosted_app}/?lang=en")
    wait_for_app(page)
    panel = _admin_panel(page)
    box = panel.get_by_label(tr("host.admin_token", "en"))
    switch = page.get_by_test_id("stSidebar").get_by_role("radiogroup")
    for widget in (box, switch):
        widget.evaluate("element => { element.rnnlabMark = true }")  # gone if the element is drawn anew
    box.fill("not-the-token")
    box.press("Enter")
    expect(panel.get_by_text(tr("host.admin_wrong", "en"))).to_be_visible()
    wait_for_app(page)
    assert box.evaluate("element => element.rnnlabMark === true"), "the token box was drawn anew by the first rerun"
    assert switch.evaluate("element => element.rnnlabMark === true"), "the language switch was drawn anew by the first rerun"
    expect(box).to_have_value("not-the-token")
