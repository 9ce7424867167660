"""Writing a file so that a crash leaves either the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_file(path: Path, data: bytes, *, stale: str | None = None) -> bool:
    """Write ``data`` to ``path`` atomically; False (nothing written) when the folder is not writable.

    ``stale`` is a glob of files in the same folder that ``path`` supersedes (older caches); they
    are removed first. Callers treat a False as a lost cache or a lost convenience, never an error.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if stale:
            for old in path.parent.glob(stale):
                if old != path:
                    old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return True
    except OSError:
        return False
