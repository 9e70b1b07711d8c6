"""The websocket client of bench/st_client.py against a real `streamlit run streamlit_app.py`.

One server for the module (headless, a free port, its own empty checkpoints folder); each
test opens its own session. The page titles are the Chinese ones of core/i18n.py (the
default language).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os

import pytest

from bench.app_server import start_server
from bench.st_client import StreamlitSession
from core.i18n import tr

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("st-client")
    env = {**os.environ, "RNNLAB_CHECKPOINTS_DIR": str(tmp / "checkpoints"), "PYTHONUNBUFFERED": "1"}
    server, url = start_server(env, tmp / "server.log")
    yield url
    server.terminate()
    try:
        server.wait(timeout=20)
    except Exception:  # noqa: BLE001
        server.kill()


def run(coro):
    """asyncio.run in a thread of its own: in a full test session Playwright's sync API may
    already run an event loop in this thread, and asyncio.run refuses to nest."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_home_then_data_page(app_url):
    async def walk():
        async with StreamlitSession(app_url) as session:
            home = await session.load("", query_string="lang=zh")
            pages = dict(session.pages)
            data = await session.navigate("data")
            # the data set is read in a background job the first time (its bar, then the page
            # reruns itself in a browser): rerun until it is drawn
            for _ in range(120):
                if tr("job.background", "zh") not in data.texts:
                    break
                await asyncio.sleep(0.5)
                data = await session.rerun()
            again = await session.rerun()  # the same page at once: large elements come as cache references
            return home, pages, data, again

    home, pages, data, again = run(walk())
    assert home.ok, home.error
    assert data.ok, data.error
    assert home.elements > 0 and data.elements > 0
    assert tr("app.title", "zh") in home.texts
    assert tr("data.title", "zh") in data.texts
    assert {"", "data", "training"} <= set(pages)  # the navigation message lists the pages by URL path
    assert home.page_script_hash == pages[""] and data.page_script_hash == pages["data"]
    assert again.ok, again.error
    assert tr("data.title", "zh") in again.texts
    assert again.refs_resolved > 0 and again.bytes < data.bytes  # the cache was used and resolved


def test_unknown_page_hash_runs_the_default_page(app_url):
    """Streamlit 1.67 (PagesManager._resolve_page_script): an unknown page hash falls back to the
    default page, silently; an unknown URL path also runs the default page but sends page_not_found."""

    async def walk():
        async with StreamlitSession(app_url) as session:
            home = await session.load("", query_string="lang=zh")
            by_hash = await session.navigate("0" * 32)
        async with StreamlitSession(app_url) as session:
            by_path = await session.load("no-such-page", query_string="lang=zh")
        return home, by_hash, by_path

    home, by_hash, by_path = run(walk())
    assert by_hash.ok, by_hash.error
    assert by_hash.page_script_hash == home.page_script_hash
    assert not by_hash.page_not_found
    assert tr("app.title", "zh") in by_hash.texts
    assert by_path.ok, by_path.error
    assert by_path.page_not_found
    assert by_path.page_script_hash == home.page_script_hash


class ForgetfulSession(StreamlitSession):
    """Claims the hashes it has, then drops the messages: the server's references cannot be resolved."""

    def _back_msg(self, *args) -> bytes:
        payload = super()._back_msg(*args)
        self._cache.clear()
        return payload


def test_unresolvable_cache_reference_is_an_error(app_url):
    async def walk():
        async with ForgetfulSession(app_url) as session:
            await session.load("data", query_string="lang=zh")
            return await session.rerun()

    again = run(walk())
    assert not again.ok
    assert again.status == "protocol_error" and "cached ForwardMsg miss" in again.error
