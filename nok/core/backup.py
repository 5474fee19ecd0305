"""Backup and restore of the whole site: the database and the media folder (uploaded
evidence) in one ``.tar.gz``.

Inside the archive: ``manifest.json`` (format, database vendor, when), the database —
``database.sqlite3`` (SQLite's online backup API: a consistent copy while the site runs) or
``database.pgdump`` (``pg_dump --format=custom``) — and ``media/`` with every uploaded file.
A restore goes into the configured database (SQLite: the file is replaced; PostgreSQL:
``pg_restore --clean``) and replaces the media folder (the previous one is kept beside it as
``<media>.before-restore-<time>``). An archive restores only into the same kind of database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

FORMAT = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Russian."""


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        proc = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"Не найдена программа {command[0]}: установите клиент PostgreSQL.") from exc
    if proc.returncode != 0:
        raise BackupError(f"{command[0]} завершился с ошибкой: {proc.stderr.strip()}")


def _dump_database(alias: str, folder: Path) -> str:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return target.name
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
             _pg_env(connection.settings_dict))
        return target.name
    raise BackupError(f"Резервное копирование базы {connection.vendor} не поддерживается.")


def backup_create(*, output: Path, alias: str = "default") -> dict[str, Any]:
    """Write the archive to ``output``; returns its manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="nok-backup-") as tmp:
        folder = Path(tmp)
        database_file = _dump_database(alias, folder)
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        manifest = {
            "format": FORMAT, "vendor": connections[alias].vendor, "database": database_file,
            "media_files": len(files), "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(folder / MANIFEST, arcname=MANIFEST)
            archive.add(folder / database_file, arcname=database_file)
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(media).as_posix()}")
        partial.replace(output)  # a failed backup never leaves a half-written archive
    return manifest


def _restore_database(alias: str, vendor: str, dump: Path) -> None:
    connection = connections[alias]
    if connection.vendor != vendor:
        raise BackupError(
            f"Копия сделана с базы {vendor}, а сайт настроен на {connection.vendor}: "
            "восстановите её в базу того же вида."
        )
    if vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        connection.close()
        with sqlite3.connect(dump) as source, sqlite3.connect(name) as target:
            source.backup(target)
        source.close()
        target.close()
        return
    connection.close()
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--dbname", str(connection.settings_dict["NAME"]), str(dump)],
         _pg_env(connection.settings_dict))


def _extract(archive: tarfile.TarFile, folder: Path) -> None:
    for member in archive.getmembers():
        target = (folder / member.name).resolve()
        if not target.is_relative_to(folder.resolve()) or not (member.isfile() or member.isdir()):
            raise BackupError(f"В архиве недопустимый элемент: {member.name}")
    archive.extractall(folder, filter="data")


def backup_restore(*, source: Path, alias: str = "default") -> dict[str, Any]:
    """Put the database and the media folder back as they were in the archive ``source``."""
    if not source.is_file():
        raise BackupError(f"Файл {source} не найден.")
    with tempfile.TemporaryDirectory(prefix="nok-restore-") as tmp:
        folder = Path(tmp)
        try:
            with tarfile.open(source, "r:gz") as archive:
                _extract(archive, folder)
            manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text("utf-8"))
        except (tarfile.TarError, OSError, json.JSONDecodeError) as exc:
            raise BackupError(f"{source} — не резервная копия НОК или файл повреждён ({exc}).") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Неизвестный формат копии: {manifest.get('format')!r}.")
        _restore_database(alias, manifest["vendor"], folder / manifest["database"])
        media = Path(settings.MEDIA_ROOT)
        restored = folder / "media"
        restored.mkdir(exist_ok=True)
        if media.exists():
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            media.rename(media.with_name(f"{media.name}.before-restore-{stamp}"))
        media.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(restored), str(media))
    return manifest
