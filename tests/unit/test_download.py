"""Unit tests for core.download: real HTTP on 127.0.0.1, checksums, progress, clear errors.

Every download here is served by a real `http.server` (or a raw socket server for
broken responses) listening on 127.0.0.1 in a thread; "offline" is a closed local port.
No traffic leaves the machine.
"""

from __future__ import annotations

import functools
import hashlib
import os
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core import paths
from core.download import CHUNK_BYTES, MIRROR_ENV, RemoteFile, fetch_file, file_digest, source_url, text_progress_bar
from core.errors import DownloadError

# Bigger than a few read chunks, so progress is reported several times.
PAYLOAD_BYTES = 3 * CHUNK_BYTES + 1234


class _Server:
    """A real HTTP server on 127.0.0.1 serving `root`, counting the requests it answers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[str] = []
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.requests.append(self.path)
                super().do_GET()

            def log_message(self, *args) -> None:  # keep the test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    srv = _Server(root)
    yield srv
    srv.close()


@pytest.fixture
def payload(server) -> bytes:
    data = os.urandom(PAYLOAD_BYTES)
    (server.root / "corpus.bin").write_bytes(data)
    return data


@pytest.fixture
def isolated_dirs(tmp_path, monkeypatch) -> tuple[Path, Path]:
    data, cache = tmp_path / "data", tmp_path / "cache"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(data))
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(cache))
    return data, cache


def _closed_port() -> int:
    """A local port nobody listens on (bound then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _raw_server(response: bytes):
    """A TCP server on 127.0.0.1 that answers every connection with `response` bytes, then closes."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(10)

    def run() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                conn.sendall(response)

    threading.Thread(target=run, daemon=True).start()
    return listener


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --------------------------------------------------------------------------- success


def test_fetch_downloads_checks_sha256_and_reports_progress(server, payload, tmp_path):
    remote = RemoteFile(server.url("corpus.bin"), "corpus.bin", hashlib.sha256(payload).hexdigest(), len(payload))
    calls: list[tuple[int, int | None]] = []
    dest = tmp_path / "dest"

    path = fetch_file(remote, dest_dir=dest, progress=lambda done, total: calls.append((done, total)))

    assert path == dest / "corpus.bin"
    assert path.read_bytes() == payload
    assert _leftovers(dest) == ["corpus.bin"]  # no .part left behind
    assert server.requests == ["/corpus.bin"]
    # total comes from Content-Length; done grows strictly and ends at the file size
    assert all(total == len(payload) for _, total in calls)
    dones = [done for done, _ in calls]
    assert dones[0] == 0
    assert len(dones) >= 4, "a file of several chunks reports progress several times"
    assert all(b > a for a, b in zip(dones, dones[1:]))
    assert dones[-1] == len(payload)


def test_second_fetch_with_the_file_present_makes_no_request(server, payload, tmp_path):
    remote = RemoteFile(server.url("corpus.bin"), "corpus.bin", hashlib.sha256(payload).hexdigest(), len(payload))
    first = fetch_file(remote, dest_dir=tmp_path)
    calls = []
    second = fetch_file(remote, dest_dir=tmp_path, progress=lambda d, t: calls.append(d))
    assert second == first
    assert len(server.requests) == 1
    assert calls == []
    assert second.read_bytes() == payload


def test_a_present_file_with_the_wrong_digest_is_downloaded_again(server, payload, tmp_path):
    remote = RemoteFile(server.url("corpus.bin"), "corpus.bin", hashlib.sha256(payload).hexdigest(), len(payload))
    (tmp_path / "corpus.bin").write_bytes(b"an old, damaged copy")
    path = fetch_file(remote, dest_dir=tmp_path)
    assert len(server.requests) == 1
    assert path.read_bytes() == payload


def test_default_destination_is_the_cache_folder(server, payload, isolated_dirs):
    _, cache = isolated_dirs
    remote = RemoteFile(server.url("corpus.bin"), "corpus.bin", hashlib.sha256(payload).hexdigest(), len(payload))
    path = fetch_file(remote)
    assert path == cache / "corpus.bin"
    assert path.read_bytes() == payload


def test_md5_digests_are_accepted(server, payload, tmp_path):
    md5 = hashlib.md5(payload).hexdigest()
    assert len(md5) == 32
    remote = RemoteFile(server.url("corpus.bin"), "corpus.bin", md5, len(payload))
    assert remote.algorithm == "md5"
    path = fetch_file(remote, dest_dir=tmp_path)
    assert path.read_bytes() == payload
    # a wrong md5 is reported with the md5 actually computed (so md5, not sha256, was used)
    wrong = RemoteFile(server.url("corpus.bin"), "other.bin", "0" * 32, len(payload))
    with pytest.raises(DownloadError) as info:
        fetch_file(wrong, dest_dir=tmp_path)
    assert info.value.key == "download.checksum"
    assert info.value.params["got"] == md5


def test_file_digest_matches_hashlib_for_both_algorithms(tmp_path):
    data = os.urandom(2 * CHUNK_BYTES + 7)
    path = tmp_path / "blob"
    path.write_bytes(data)
    assert file_digest(path) == hashlib.sha256(data).hexdigest()
    assert file_digest(path, "md5") == hashlib.md5(data).hexdigest()


# --------------------------------------------------------------------------- failures


def test_checksum_mismatch_raises_and_leaves_no_file(server, payload, isolated_dirs, tmp_path):
    data_dir, _ = isolated_dirs
    expected = hashlib.sha256(b"something else").hexdigest()
    remote = RemoteFile(server.url("corpus.bin"), "corpus.bin", expected, len(payload))
    dest = tmp_path / "dest"
    with pytest.raises(DownloadError) as info:
        fetch_file(remote, dest_dir=dest)
    err = info.value
    assert err.key == "download.checksum"
    assert err.params["expected"] == expected
    assert err.params["got"] == hashlib.sha256(payload).hexdigest()
    assert not (dest / "corpus.bin").exists()
    assert not (dest / "corpus.bin.part").exists()
    assert _leftovers(dest) == []
    message = str(err)
    assert expected in message and "corpus.bin" in message and str(data_dir) in message


def test_truncated_download_is_a_checksum_error_with_no_file_left(payload, tmp_path):
    """The server promises the whole file (Content-Length) but closes after a quarter."""
    head = f"HTTP/1.0 200 OK\r\nContent-Length: {len(payload)}\r\n\r\n".encode()
    listener = _raw_server(head + payload[: len(payload) // 4])
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/corpus.bin"
        remote = RemoteFile(url, "corpus.bin", hashlib.sha256(payload).hexdigest(), len(payload))
        with pytest.raises(DownloadError) as info:
            fetch_file(remote, dest_dir=tmp_path / "dest", timeout=10)
        assert info.value.key == "download.checksum"
        assert _leftovers(tmp_path / "dest") == []
    finally:
        listener.close()


def test_unreachable_url_raises_offline_naming_the_data_folder_and_file(isolated_dirs, tmp_path):
    data_dir, _ = isolated_dirs
    url = f"http://127.0.0.1:{_closed_port()}/jaychou_lyrics.txt.zip"
    remote = RemoteFile(url, "jaychou_lyrics.txt.zip", "0" * 64, 52_607)
    dest = tmp_path / "dest"
    with pytest.raises(DownloadError) as info:
        fetch_file(remote, dest_dir=dest, timeout=5)
    err = info.value
    assert err.key == "download.offline"
    english = str(err)
    assert str(data_dir) in english
    assert "jaychou_lyrics.txt.zip" in english
    assert url in english
    chinese = err.message("zh")
    assert str(data_dir) in chinese and "jaychou_lyrics.txt.zip" in chinese
    assert _leftovers(dest) == []


def test_a_name_that_cannot_be_looked_up_is_said_in_words(isolated_dirs, tmp_path):
    # offline, the resolver fails first: "[Errno -2] Name or service not known" was the reason shown
    url = "http://rnnlab-test.invalid/jaychou_lyrics.txt.zip"  # .invalid never resolves (RFC 6761)
    remote = RemoteFile(url, "jaychou_lyrics.txt.zip", "0" * 64, 52_607)
    with pytest.raises(DownloadError) as info:
        fetch_file(remote, dest_dir=tmp_path / "dest", timeout=5)
    assert info.value.key == "download.no_name"
    for lang in ("en", "zh"):
        text = info.value.message(lang)
        assert "rnnlab-test.invalid" in text and "Errno" not in text and str(isolated_dirs[0]) in text
    assert "could not be looked up" in str(info.value)
    assert _leftovers(tmp_path / "dest") == []


def test_a_server_that_never_answers_times_out_with_the_time_said(isolated_dirs, tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:  # connections queue, nobody answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/jaychou_lyrics.txt.zip"
        remote = RemoteFile(url, "jaychou_lyrics.txt.zip", "0" * 64, 52_607)
        with pytest.raises(DownloadError) as info:
            fetch_file(remote, dest_dir=tmp_path / "dest", timeout=0.5)
    assert info.value.key == "download.timed_out"
    assert "within 0.5 s" in str(info.value) and "0.5 秒" in info.value.message("zh")
    assert _leftovers(tmp_path / "dest") == []


def test_http_error_raises_download_error_and_leaves_no_file(server, tmp_path):
    remote = RemoteFile(server.url("missing.bin"), "missing.bin", "0" * 64, 10)
    with pytest.raises(DownloadError) as info:
        fetch_file(remote, dest_dir=tmp_path / "dest")
    assert server.requests == ["/missing.bin"]
    assert remote.url in str(info.value)
    assert _leftovers(tmp_path / "dest") == []


def test_destination_under_a_file_is_unwritable(server, payload, tmp_path):
    """Works as root too: nobody can create a folder inside a regular file."""
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    remote = RemoteFile(server.url("corpus.bin"), "corpus.bin", hashlib.sha256(payload).hexdigest(), len(payload))
    with pytest.raises(DownloadError) as info:
        fetch_file(remote, dest_dir=blocker / "sub")
    assert info.value.key == "download.unwritable"
    assert str(blocker / "sub") in str(info.value)
    assert server.requests == []


def test_read_only_destination_is_unwritable(server, payload, tmp_path):
    dest = tmp_path / "readonly"
    dest.mkdir()
    dest.chmod(0o500)
    try:
        if os.access(dest, os.W_OK):
            pytest.skip("running as root: chmod does not stop writes here")
        remote = RemoteFile(server.url("corpus.bin"), "corpus.bin", hashlib.sha256(payload).hexdigest(), len(payload))
        with pytest.raises(DownloadError) as info:
            fetch_file(remote, dest_dir=dest)
        assert info.value.key == "download.unwritable"
        assert str(dest) in str(info.value)
        assert _leftovers(dest) == []
    finally:
        dest.chmod(0o700)


def test_a_non_http_reply_is_a_download_error(tmp_path):
    listener = _raw_server(b"this is not HTTP\r\n\r\n")
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/corpus.bin"
        remote = RemoteFile(url, "corpus.bin", "0" * 64, 10)
        with pytest.raises(DownloadError):
            fetch_file(remote, dest_dir=tmp_path / "dest", timeout=10)
    finally:
        listener.close()


def test_a_chunked_reply_cut_short_is_a_download_error_with_no_part_file(payload, tmp_path):
    head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    body = b"%x\r\n" % len(payload) + payload[: len(payload) // 2]
    listener = _raw_server(head + body)
    dest = tmp_path / "dest"
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/corpus.bin"
        remote = RemoteFile(url, "corpus.bin", hashlib.sha256(payload).hexdigest(), len(payload))
        try:
            fetch_file(remote, dest_dir=dest, timeout=10)
        except DownloadError:
            pass
        except Exception as exc:  # noqa: BLE001 - the bug: anything but DownloadError
            pytest.fail(f"raw {type(exc).__name__} escaped; left {_leftovers(dest)}")
        else:
            pytest.fail("a truncated download was accepted")
        assert _leftovers(dest) == []
    finally:
        listener.close()


# --------------------------------------------------------------------------- CLI progress bar


def test_text_progress_bar_draws_on_stderr(capsys):
    report = text_progress_bar(width=10)
    report(500_000, 1_000_000)
    half = capsys.readouterr().err
    assert "[#####.....]" in half and "0.50/1.00 MB" in half and not half.endswith("\n")
    report(1_000_000, 1_000_000)
    assert capsys.readouterr().err.endswith("\n")
    report(2_500_000, None)  # unknown size: megabytes only
    assert "2.50 MB" in capsys.readouterr().err


# --------------------------------------------------------------------------- a mirror (RNNLAB_DOWNLOAD_MIRROR)


def test_a_mirror_serves_the_file_by_name_checked_against_the_same_digest(server, payload, tmp_path, monkeypatch):
    unreachable = f"http://127.0.0.1:{_closed_port()}/somewhere/corpus.bin"
    remote = RemoteFile(unreachable, "corpus.bin", hashlib.sha256(payload).hexdigest(), len(payload))
    monkeypatch.setenv(MIRROR_ENV, server.url("") + "/")  # a trailing slash is fine
    assert source_url(remote) == server.url("corpus.bin")
    path = fetch_file(remote, dest_dir=tmp_path / "dest", timeout=5)
    assert path.read_bytes() == payload
    assert server.requests == ["/corpus.bin"]


def test_a_mirror_with_another_file_under_the_name_is_a_checksum_error_naming_the_mirror(server, payload, tmp_path, monkeypatch):
    remote = RemoteFile("https://example.invalid/corpus.bin", "corpus.bin", "0" * 64, len(payload))
    monkeypatch.setenv(MIRROR_ENV, server.url(""))
    with pytest.raises(DownloadError) as info:
        fetch_file(remote, dest_dir=tmp_path / "dest", timeout=5)
    assert info.value.key == "download.checksum"
    assert server.url("corpus.bin") in str(info.value)
    assert _leftovers(tmp_path / "dest") == []


def test_a_mirror_folder_as_a_file_url_works_too(payload, server, tmp_path, monkeypatch):
    remote = RemoteFile("https://example.invalid/corpus.bin", "corpus.bin", hashlib.sha256(payload).hexdigest(), len(payload))
    monkeypatch.setenv(MIRROR_ENV, server.root.as_uri())
    assert fetch_file(remote, dest_dir=tmp_path / "dest").read_bytes() == payload
    assert server.requests == []


def test_a_mirror_that_is_not_a_url_is_said_and_nothing_is_fetched(tmp_path, monkeypatch):
    remote = RemoteFile("https://example.invalid/corpus.bin", "corpus.bin", "0" * 64, 10)
    monkeypatch.setenv(MIRROR_ENV, "ftp-server-in-room-12")
    with pytest.raises(DownloadError) as info:
        fetch_file(remote, dest_dir=tmp_path / "dest", timeout=5)
    assert info.value.key == "download.bad_mirror"
    assert "ftp-server-in-room-12" in str(info.value) and "ftp-server-in-room-12" in info.value.message("zh")
    assert not (tmp_path / "dest").exists()


def test_an_empty_mirror_setting_means_the_original_address(monkeypatch):
    remote = RemoteFile("https://example.invalid/a/corpus.bin", "corpus.bin", "0" * 64, 10)
    monkeypatch.setenv(MIRROR_ENV, "  ")
    assert source_url(remote) == remote.url
