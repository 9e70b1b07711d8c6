"""Downloading a data file: URL, checksum, cache folder, progress, clear errors.

`fetch_file` streams to `<name>.part` while hashing, checks the digest, then
renames atomically, so an interrupted or mismatched download never leaves a file
that looks complete. Progress is reported through a callback
`progress(done_bytes, total_bytes_or_None)` that the CLI turns into a text bar
and the page into `st.progress`.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from core import paths
from core.errors import DownloadError

ProgressFn = Callable[[int, "int | None"], None]
CHUNK_BYTES = 1 << 16
MIRROR_ENV = "RNNLAB_DOWNLOAD_MIRROR"
"""A base URL serving the files by name (a school's web server, or ``python -m http.server``
in a folder holding them): every download then comes from ``<mirror>/<filename>``, checked
against the same digest and size, so a class without internet needs the files once."""


@dataclass(frozen=True)
class RemoteFile:
    """A file on the web with a known digest (sha256, or md5 where the source only gives md5).

    ``size``: the exact length in bytes, checked when given. A source that publishes no
    digest gets ``digest=""`` and must then give ``size`` (the caller checks the content
    itself, e.g. a zip archive's CRCs).
    """

    url: str
    filename: str
    digest: str
    approx_bytes: int
    size: int | None = None

    @property
    def algorithm(self) -> str:
        return "md5" if len(self.digest) == 32 else "sha256"

    def matches(self, path: Path) -> bool:
        """Whether the file at ``path`` is this one (its size and, when known, its digest)."""
        if self.size is not None and path.stat().st_size != self.size:
            return False
        return not self.digest or file_digest(path, self.algorithm) == self.digest


def source_url(remote: RemoteFile) -> str:
    """Where ``remote`` is downloaded from: its own URL, or ``<RNNLAB_DOWNLOAD_MIRROR>/<filename>``."""
    mirror = os.environ.get(MIRROR_ENV, "").strip()
    if not mirror:
        return remote.url
    if urllib.parse.urlsplit(mirror).scheme.lower() not in ("http", "https", "file"):
        raise DownloadError("download.bad_mirror", mirror=mirror)
    return mirror.rstrip("/") + "/" + urllib.parse.quote(remote.filename)


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in chunks."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK_BYTES), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch_file(
    remote: RemoteFile,
    dest_dir: Path | None = None,
    progress: ProgressFn | None = None,
    timeout: float = 30.0,
) -> Path:
    """Download `remote` into `dest_dir` (default: the cache folder) and return its path.

    A file already there with the right digest is returned without a download.
    Raises `DownloadError` when offline, on an HTTP error, or when the digest
    does not match (the partial file is deleted in every failure).
    """
    dest_dir = Path(dest_dir) if dest_dir is not None else paths.cache_dir()
    target = dest_dir / remote.filename
    if not remote.digest and remote.size is None:
        raise ValueError(f"{remote.filename}: a RemoteFile needs a digest or an exact size")
    if target.exists() and remote.matches(target):
        return target
    url = source_url(remote)
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError("download.unwritable", folder=str(dest_dir), reason=str(exc)) from exc
    partial = dest_dir / (remote.filename + ".part")
    hasher = hashlib.new(remote.algorithm)
    done = 0
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "rnnlab"})
        with urllib.request.urlopen(request, timeout=timeout) as response, open(partial, "wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            if progress:
                progress(0, total)
            while chunk := response.read(CHUNK_BYTES):
                out.write(chunk)
                hasher.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except urllib.error.HTTPError as exc:
        partial.unlink(missing_ok=True)
        raise DownloadError("download.http", url=url, code=exc.code, reason=str(exc.reason), filename=remote.filename, folder=str(paths.data_dir())) from exc
    except (urllib.error.URLError, http.client.HTTPException, socket.timeout, ConnectionError, TimeoutError) as exc:
        partial.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        where = {"url": url, "filename": remote.filename, "folder": str(paths.data_dir())}
        if isinstance(reason, socket.gaierror):  # "[Errno -2] Name or service not known" said in words
            raise DownloadError("download.no_name", host=urllib.parse.urlsplit(url).hostname or url, **where) from exc
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise DownloadError("download.timed_out", seconds=f"{timeout:g}", **where) from exc
        raise DownloadError("download.offline", reason=str(reason), **where) from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DownloadError("download.unwritable", folder=str(dest_dir), reason=str(exc)) from exc
    if remote.size is not None and done != remote.size:
        partial.unlink(missing_ok=True)
        raise DownloadError(
            "download.size",
            url=url,
            expected=remote.size,
            got=done,
            filename=remote.filename,
            folder=str(paths.data_dir()),
        )
    if remote.digest and hasher.hexdigest() != remote.digest:
        partial.unlink(missing_ok=True)
        raise DownloadError(
            "download.checksum",
            url=url,
            expected=remote.digest,
            got=hasher.hexdigest(),
            filename=remote.filename,
            folder=str(paths.data_dir()),
        )
    os.replace(partial, target)
    return target


def text_progress_bar(width: int = 30) -> ProgressFn:
    """A progress callback that draws a bar on stderr (for the CLI)."""
    import sys

    def report(done: int, total: int | None) -> None:
        if total:
            filled = int(width * done / total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done / 1e6:7.2f}/{total / 1e6:.2f} MB")
        else:
            sys.stderr.write(f"\r{done / 1e6:7.2f} MB")
        if total and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return report
