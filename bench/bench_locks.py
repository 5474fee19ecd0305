"""Benchmark: respondents of different organizations never queue behind one another or behind
a recompute of the whole campaign.

Each write of survey data locks its own assessment's row only (``fieldwork_guard``); the
recompute writes score rows and locks nothing the respondents need. The script builds a
campaign of N organizations, then R threads (one per organization) each send S responses
through the survey service, first alone, then while the main thread recomputes every score of
the campaign in a loop. It prints the latency of one submission in both runs, and — the direct
measure of queueing — how often a sampler found one of those sessions waiting for a lock
(``pg_locks`` not granted, sampled every 5 ms). On two shared cores the recompute also takes
CPU time from the respondents, so their latency rises without any queueing; the lock samples
say which it is. Run it on PostgreSQL (SQLite has one writer at a time anyway):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nok_bench .venv/bin/python bench/bench_locks.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import uuid
from typing import Any

from benchlib import throwaway_database

ANSWERS = {"respondent": "recipient", "used_stand": "yes", "info_stand": "yes", "used_site": "no",
           "timely": "yes", "comfort": "yes", "disabled": "no", "courtesy_first_contact": "yes",
           "courtesy_service": "yes", "used_remote": "no", "recommend": "yes", "schedule": "yes",
           "overall": "yes"}


def build(n_orgs: int) -> Any:
    import datetime as dt

    from nok.assessments import services
    from nok.methodology.models import Methodology
    from nok.methodology.services import methodology_sync_builtin
    from nok.organizations.models import Organization, OrganizationType

    methodology_sync_builtin()
    kind = OrganizationType.objects.get_or_create(name="КЦСОН")[0]
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Учреждение № {i}", type=kind, has_home=True, recipients_home=100)
        for i in range(n_orgs))
    return services.campaign_create(
        user=None, title="Блокировки", year=2026, period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31), methodology=Methodology.objects.get(slug="social-2018"),
        organizations=orgs)


def respondents(assessments: list[Any], per_thread: int) -> list[float]:
    """One thread per organization; the seconds each submission took."""
    from django.db import connection

    from nok.surveys import services as surveys

    times: list[float] = []
    lock = threading.Lock()

    def run(assessment: Any) -> None:
        mine = []
        for _ in range(per_thread):
            start = time.perf_counter()
            surveys.response_record(assessment=assessment, answers=ANSWERS, channel="paper",
                                    client_id=uuid.uuid4())
            mine.append(time.perf_counter() - start)
        connection.close()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=run, args=(a,)) for a in assessments]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def figures(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"{label}: {len(times)} submissions, median {statistics.median(times) * 1000:.1f} ms, "
            f"p99 {p99 * 1000:.1f} ms, max {ordered[-1] * 1000:.1f} ms")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=200, help="organizations in the campaign")
    parser.add_argument("--threads", type=int, default=20, help="concurrent respondents")
    parser.add_argument("--each", type=int, default=20, help="responses per respondent")
    args = parser.parse_args(argv)
    with throwaway_database() as connection:
        from nok.scores.models import Score
        from nok.scores.refresh import scores_refresh

        campaign = build(args.orgs)
        assessments = list(campaign.assessments.select_related("campaign__methodology")
                           [:args.threads])
        alone = respondents(assessments, args.each)
        stop = threading.Event()
        recomputes: list[float] = []

        def recompute_loop() -> None:
            while not stop.is_set():
                start = time.perf_counter()
                Score.objects.filter(assessment__campaign=campaign).delete()
                scores_refresh(campaign=campaign)
                recomputes.append(time.perf_counter() - start)
            connection.close()

        waits: list[int] = []
        samples = 0

        def lock_sampler() -> None:
            nonlocal samples
            import psycopg

            dsn = {k: v for k, v in connection.get_connection_params().items()
                   if k in ("dbname", "user", "password", "host", "port")}
            with psycopg.connect(**dsn) as pg:
                while not stop.is_set():
                    blocked = pg.execute(
                        "SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()
                    waits.append(blocked[0] if blocked else 0)
                    samples += 1
                    time.sleep(0.005)

        sampler = threading.Thread(target=lock_sampler)
        worker = threading.Thread(target=recompute_loop)
        if connection.vendor == "postgresql":
            sampler.start()
        worker.start()
        time.sleep(0.2)
        during = respondents(assessments, args.each)
        stop.set()
        worker.join()
        if sampler.is_alive() or connection.vendor == "postgresql":
            sampler.join()
        print(f"database: {connection.vendor}; {args.orgs} organizations, {args.threads} "
              f"respondents in different organizations, {args.each} responses each")
        print(figures("alone", alone))
        print(figures("during recomputes", during))
        print(f"recomputes of the whole campaign meanwhile: {len(recomputes)}, median "
              f"{statistics.median(recomputes) * 1000:.0f} ms" if recomputes else "no recompute ran")
        if samples:
            print(f"lock waits: {sum(1 for w in waits if w)} of {samples} samples found a "
                  f"session waiting for a lock (most at once: {max(waits)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
