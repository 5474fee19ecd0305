"""Shared pieces of the database benchmarks: the project on sys.path, timing, and a
throwaway database (Django's test-database machinery: a temporary SQLite file, or
``test_<name>`` on the PostgreSQL server of DATABASE_URL; never the default database)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("NOK_ENV", "test")


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(best, median) seconds over ``repeat`` runs, and the last result."""
    runs, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return min(runs), statistics.median(runs), result


@contextmanager
def throwaway_database() -> Iterator[Any]:
    """Set Django up on a fresh test database, yield its connection, destroy it afterwards."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    tmp = None
    if connection.vendor == "sqlite":
        tmp = tempfile.NamedTemporaryFile(prefix="nok-bench-", suffix=".sqlite3", delete=False)
        connection.settings_dict.setdefault("TEST", {})["NAME"] = tmp.name
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)
