"""Shared test set-up: isolated folders, and the real data of ../shared/data when it is there.

Tests never touch the user's home cache: the cache and checkpoints folders point
into a temporary folder for the whole session. The data folder points at
`../shared/data` (the project's real data for development and CI) when it exists;
tests that need those files ask for the `shared_data` fixture and skip, with the
reason, where the folder is absent (a user's fresh clone).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Tests want the real error text, which the hosted config hides from users.
os.environ["STREAMLIT_CLIENT_SHOW_ERROR_DETAILS"] = "full"
_SESSION_TMP = Path(tempfile.mkdtemp(prefix="rnnlab-tests-"))
os.environ["RNNLAB_CACHE_DIR"] = str(_SESSION_TMP / "cache")
os.environ["RNNLAB_CHECKPOINTS_DIR"] = str(_SESSION_TMP / "checkpoints")
if SHARED_DATA.is_dir():
    os.environ["RNNLAB_DATA_DIR"] = str(SHARED_DATA)
else:
    (_SESSION_TMP / "data").mkdir(parents=True, exist_ok=True)
    os.environ["RNNLAB_DATA_DIR"] = str(_SESSION_TMP / "data")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real data files; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (it exists on development machines and CI only)")
    return SHARED_DATA


@pytest.fixture
def empty_data_dir(tmp_path, monkeypatch) -> Path:
    """A machine with no data files at all: empty data and cache folders."""
    data, cache = tmp_path / "data", tmp_path / "cache"
    data.mkdir()
    cache.mkdir()
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(data))
    monkeypatch.setenv("RNNLAB_CACHE_DIR", str(cache))
    return data
