"""Shared test set-up: isolated folders, and the real data of ../shared/data when it is there.

Tests never touch the user's home cache: the cache and checkpoints folders point
into a temporary folder for the whole session. The data folder points at
`../shared/data` (the project's real data for development and CI) when it exists;
tests that need those files ask for the `shared_data` fixture and skip, with the
reason, where the folder is absent (a user's fresh clone).
"""

from __future__ import annotations

import functools
import os
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
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
# The processes tests start (training runs, app servers, Chromium) keep their temporary files
# here too: runs the fault tests kill with SIGKILL never reach TensorFlow's exit hook that removes
# its autograph sources (/tmp/__autograph_generated_file*.py, six per killed language-model run).
(_SESSION_TMP / "tmp").mkdir()
os.environ["TMPDIR"] = str(_SESSION_TMP / "tmp")
if SHARED_DATA.is_dir():
    os.environ["RNNLAB_DATA_DIR"] = str(SHARED_DATA)
else:
    (_SESSION_TMP / "data").mkdir(parents=True, exist_ok=True)
    os.environ["RNNLAB_DATA_DIR"] = str(_SESSION_TMP / "data")


def pytest_sessionfinish(session, exitstatus) -> None:
    """Remove the session's temporary folder (runs, caches, uploads) after a green run; keep
    it after a failure, for a look at the runs' logs, and say where it is. Queued runs' waiting
    processes end either way."""
    import json
    import shutil

    from core.runs import _kill_group, _pid_alive

    for status_file in _SESSION_TMP.glob("**/status.json"):  # queued runs' waiting processes (RNNLAB_WARM_QUEUE) end with the session
        try:
            warm = json.loads(status_file.read_text(encoding="utf-8")).get("warm_pid")
        except (OSError, ValueError):
            continue
        if _pid_alive(warm, status_file.parent):
            _kill_group(int(warm))
    if exitstatus == 0:
        shutil.rmtree(_SESSION_TMP, ignore_errors=True)
    else:
        print(f"\nrnnlab: the failed session's runs and caches are kept in {_SESSION_TMP}")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With `--dist loadfile` (pytest.ini), each test file runs whole in one process, and the
    browser tests (tests/e2e) all in the same one, so that at most one app server and one
    Chromium share the 2 cores with the other process's tests."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserTestsTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            return "tests/e2e" if scope.startswith("tests/e2e/") else scope

    return BrowserTestsTogether(config, log)


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


@pytest.fixture
def www(tmp_path, monkeypatch):
    """(folder, base URL): a web server on this machine serving the folder, with empty data and
    cache folders: downloads are tested against it, never the internet."""
    root = tmp_path / "www"
    root.mkdir()
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RNNLAB_CACHE_DIR", str(tmp_path / "cache"))

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# A word index in the layout of Keras's imdb_word_index.json (word -> frequency rank, 1 = most
# frequent). The shared data has the IMDB reviews' ids but not that file, so the words are made
# up except the few the tests type. With num_words 500 a word of rank r reads as id r + 3 when
# r + 3 < 500, else 2 (<unk>).
IMDB_WORD_INDEX = {"the": 1, "and": 2, "movie": 14, "great": 81, "don't": 87, "boring": 340, "masterpiece": 1200}
IMDB_WORD_INDEX.update({f"w{rank}": rank for rank in range(1, 2000) if rank not in IMDB_WORD_INDEX.values()})
TINY_IMDB_CONFIG = {
    "task": "sentiment", "dataset": "imdb", "maxlen": 40, "padding": "post", "truncating": "pre", "max_train_texts": 300,
    "epochs": 1, "batch_size": 32, "model": {"cell": "gru", "units": 8, "embedding_dim": 8},
}


@pytest.fixture(scope="session")
def tiny_imdb(shared_data, tmp_path_factory):
    """(checkpoints folder, data folder, run): a tiny run (`TINY_IMDB_CONFIG`) trained on the local
    Keras IMDB subset, in a data folder that also has a word index (`IMDB_WORD_INDEX`)."""
    import json
    import shutil

    from core.runs import RunStore
    from core.train import TrainConfig, run_training

    data = tmp_path_factory.mktemp("imdb_data")
    shutil.copy(shared_data / "imdb_subset_num_words500.npz", data)
    (data / "imdb_word_index.json").write_text(json.dumps(IMDB_WORD_INDEX), encoding="utf-8")
    folder = tmp_path_factory.mktemp("imdb_checkpoints")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RNNLAB_DATA_DIR", str(data))
        config = TrainConfig.from_dict(TINY_IMDB_CONFIG)
        run = RunStore(folder).create(config.to_dict(), label="imdb tiny")
        assert run_training(config, run)["state"] == "done"
    return folder, data, run

