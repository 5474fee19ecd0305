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
def throwaway_database(keep: str | None = None) -> Iterator[Any]:
    """Set Django up on a fresh test database, yield its connection, destroy it afterwards.

    ``keep``: a SQLite file path (or, on PostgreSQL, a database name) that is created if
    missing, reused if present and never destroyed — to build a large data set once and
    measure it many times."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    # DEBUG off, as in production: with it on, Django keeps the text of the last 9,000 queries
    # — 1.1 GB of bulk INSERTs while the national campaign was built. The benchmarks that count
    # queries capture them explicitly.
    setup_test_environment(debug=False)
    tmp = None
    test = connection.settings_dict.setdefault("TEST", {})
    if keep:
        test["NAME"] = keep
    elif connection.vendor == "sqlite":
        tmp = tempfile.NamedTemporaryFile(prefix="nok-bench-", suffix=".sqlite3", delete=False)
        test["NAME"] = tmp.name
    # serialize=False: the test machinery would otherwise keep the whole database as one JSON
    # string in memory (for TransactionTestCase) — 800 MB for a kept national campaign.
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=bool(keep),
                                       serialize=False)
    try:
        yield connection
    finally:
        if not keep:
            connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
        if tmp is not None:
            Path(tmp.name).unlink(missing_ok=True)


def peak_rss_mb() -> float:
    """The peak resident memory of this process so far, in MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """The resident memory of this process now, in MB (Linux)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def memory_during(fn: Callable[[], Any], interval: float = 0.005) -> tuple[Any, float, float]:
    """``fn()`` with the resident memory sampled every ``interval`` seconds by a thread: the
    result, the memory before (MB) and the highest sample while it ran (MB) — the cost of one
    step even when the process's lifetime peak (``peak_rss_mb``) was set by an earlier one."""
    import gc
    import threading

    gc.collect()
    before = rss_mb()
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(interval):
            peak[0] = max(peak[0], rss_mb())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        result = fn()
    finally:
        done.set()
        thread.join()
    return result, before, max(peak[0], rss_mb())
