"""Backup and restore of the database and the data directory, the same for SQLite and PostgreSQL.

A backup is one ``.zip``:

    manifest.json        format, curbside version, schema revision, row counts, creation time
    db/<table>.jsonl     every row of every table, one JSON object per line
    data/...             the data directory (indexes, caches, threads), without the SQLite files

Restore needs an empty database (no users, articles or audit entries) and writes the data files
through a temporary folder renamed into place, so a failed restore leaves nothing half-done.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.sql.sqltypes import Boolean, DateTime, Integer

from curbside import __version__
from curbside.errors import Conflict, UsageError
from curbside.store.db import HEAD_REVISION, Database
from curbside.store.models import TABLES, UTCDateTime

FORMAT = "curbside-backup/1"
_SKIP = {"curbside.db", "curbside.db-wal", "curbside.db-shm", "curbside.db-journal"}


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _decode(column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime | DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(column.type, Boolean):
        return bool(value)
    if isinstance(column.type, Integer):
        return int(value)
    return value


def backup(db: Database, *, data_dir: Path, file: Path) -> dict[str, int]:
    """Writes the backup zip (atomically: a temporary file renamed into place); returns rows per table."""
    file = Path(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    fd, tmp = tempfile.mkstemp(prefix=".backup-", suffix=".zip", dir=file.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            with db.transaction() as s:  # one transaction: a consistent snapshot of every table
                for model in TABLES:
                    table = model.__table__
                    lines = []
                    for row in s.execute(select(table).order_by(*table.primary_key.columns)).mappings():
                        lines.append(json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False))
                    counts[table.name] = len(lines)
                    zf.writestr(f"db/{table.name}.jsonl", "".join(line + "\n" for line in lines))
            data_dir = Path(data_dir)
            if data_dir.is_dir():
                for path in sorted(data_dir.rglob("*")):
                    rel = path.relative_to(data_dir)
                    if path.is_file() and not path.is_symlink() and rel.name not in _SKIP \
                            and path.resolve() != file.resolve() and not rel.name.startswith(".backup-"):
                        zf.write(path, f"data/{rel.as_posix()}")
            manifest = {"format": FORMAT, "curbside": __version__, "revision": HEAD_REVISION, "tables": counts,
                        "created": dt.datetime.now(dt.UTC).isoformat(), "backend": db.dialect}
            zf.writestr("manifest.json", json.dumps(manifest, indent=2))
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return counts


def _read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except (KeyError, ValueError):
        raise UsageError("not a curbside backup: manifest.json is missing or unreadable") from None
    if manifest.get("format") != FORMAT:
        raise UsageError(f"unsupported backup format {manifest.get('format')!r} (expected {FORMAT})")
    if manifest.get("revision") != HEAD_REVISION:
        raise UsageError(f"the backup's schema revision {manifest.get('revision')!r} differs from this "
                         f"curbside's {HEAD_REVISION!r}; restore it with the curbside version that made it")
    return manifest


def restore(db: Database, *, data_dir: Path, file: Path) -> dict[str, int]:
    """Restores a backup into an empty database and data directory; returns rows per table."""
    file = Path(file)
    if not file.is_file():
        raise UsageError(f"no such backup file: {file}")
    try:
        zf = zipfile.ZipFile(file)
    except zipfile.BadZipFile:
        raise UsageError(f"not a curbside backup (not a zip file): {file}") from None
    with zf:
        manifest = _read_manifest(zf)
        data_dir = Path(data_dir)
        members = [n for n in zf.namelist() if n.startswith("data/") and not n.endswith("/")]
        for name in members:
            rel = PurePosixPath(name).relative_to("data")
            if rel.is_absolute() or ".." in rel.parts:
                raise UsageError(f"unsafe path in backup: {name}")
        existing = [p for p in data_dir.iterdir() if p.name not in _SKIP] if data_dir.is_dir() else []
        if existing and members:
            raise Conflict(f"the data directory {data_dir} is not empty; restore into an empty one")
        db.upgrade()
        with db.transaction() as s:
            for model in TABLES:
                if s.scalar(select(func.count()).select_from(model.__table__)):
                    raise Conflict("the database is not empty; restore into an empty database")
        # Data files: extracted beside the target, then moved in.
        data_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
        try:
            for name in members:
                target = staging.joinpath(*PurePosixPath(name).relative_to("data").parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(name) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
            counts = _insert_rows(db, zf, manifest)
            for child in staging.iterdir():
                os.replace(child, data_dir / child.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return counts


def _insert_rows(db: Database, zf: zipfile.ZipFile, manifest: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    with db.transaction() as s:
        for model in TABLES:
            table = model.__table__
            try:
                raw = zf.read(f"db/{table.name}.jsonl").decode()
            except KeyError:
                raise UsageError(f"the backup has no db/{table.name}.jsonl") from None
            rows = []
            for line in raw.splitlines():
                if line.strip():
                    data = json.loads(line)
                    rows.append({c.name: _decode(c, data.get(c.name)) for c in table.columns})
            if rows:
                s.execute(table.insert(), rows)
            counts[table.name] = len(rows)
            expected = manifest.get("tables", {}).get(table.name)
            if expected is not None and expected != len(rows):
                raise UsageError(f"the backup is damaged: {table.name} has {len(rows)} rows, the manifest says {expected}")
        if db.dialect == "postgresql":  # serial counters continue after the restored ids
            for model in TABLES:
                table = model.__table__
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and isinstance(pk[0].type, Integer):
                    s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                                   f"COALESCE((SELECT MAX({pk[0].name}) FROM {table.name}), 0) + 1, false)"))
    return counts
