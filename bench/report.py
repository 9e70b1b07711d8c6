"""What every benchmark does last: its figures as one JSON line, printed and optionally kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def emit(figures: dict[str, Any], json_out: Path | str | None = None, **dumps: Any) -> str:
    """Print ``figures`` as one JSON line and, with ``json_out``, write it there too (its
    folder made if needed); returns the line. ``dumps``: extra arguments of ``json.dumps``."""
    line = json.dumps(figures, ensure_ascii=False, **dumps)
    if json_out:
        path = Path(json_out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(line + "\n", encoding="utf-8")
    print(line)
    return line
