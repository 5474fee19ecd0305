"""Benchmark: closing fieldwork of a campaign — the frozen snapshot of every organization.

Builds (or reuses, with ``--keep``) the campaign of ``bench_compute.py`` — N organizations in 7
types, every checklist ticked at random, R survey responses each — then times, each run inside
a transaction rolled back afterwards (the kept database is left as it was):

- ``freeze``: ``nok.scores.services._snapshot``, the snapshot as closing fieldwork writes it;
- ``baseline``: the snapshot as it was written before (every assessment through
  ``bridge.compute`` and ``scoring.score`` a chunk at a time, after a headline pass for the
  rating), kept below as it was;
- ``close fieldwork``: the operator's POST to the close page (status change with every
  assessment row locked, the snapshot, the audit entry), through the view.

Then it checks that both snapshots hold the same rows, column for column (``--no-check`` to
skip).

Usage:
    .venv/bin/python bench/bench_freeze.py --orgs 5000 --responses 200 \
        --keep /dev/shm/nok-freeze-5000.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/bench_freeze.py --orgs 5000 --responses 200 --keep nok_bench_freeze
    BENCH_PROFILE=1 ...: a profile of one freeze (cumulative, then own time)
    BENCH_SQL=1 ...: the queries of one freeze, the slowest first
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench_compute import build, existing
from benchlib import memory_during, throwaway_database

COLUMNS = ("assessment_id", "organization_id", "organization_name", "organization_type",
           "type_position", "inputs", "results", "total", "low", "high", "place", "insufficient",
           "unmet", "exception")


def old_snapshot(campaign: Any, user: Any, stage: str) -> tuple[Any, int]:
    """The baseline: ``_snapshot`` as it was before (headlines of every organization for the
    rating, then ``compute`` and ``unmet_preconditions`` 500 at a time, model instances to
    ``bulk_create``)."""
    import scoring
    from nok.core.services import acting_user
    from nok.methodology.services import methodology_load
    from nok.scores.bridge import compute, headlines
    from nok.scores.models import Snapshot, SnapshotRow
    from nok.scores.selectors import unmet_preconditions

    methodology = campaign.methodology
    definition = methodology.definition
    loaded = methodology_load(methodology)
    snapshot = Snapshot.objects.create(
        campaign=campaign, edition=campaign.edition, stage=stage,
        created_by=acting_user(user),
        methodology_slug=loaded.slug, methodology_title=loaded.title,
        methodology_version=loaded.version,
        methodology_sha256=scoring.definition_sha256(definition),
        methodology_definition=definition, rule=loaded.rating.describe(),
    )
    organizations = {
        pk: (short or name, type_name)
        for pk, short, name, type_name in campaign.assessments.values_list(
            "pk", "organization__short_name", "organization__name", "organization__type__name")
    }
    ids = sorted(organizations)
    rating = scoring.rate(
        [scoring.RatingEntry(str(h.assessment_id), *organizations[h.assessment_id],
                             h.headline.total, h.headline.insufficient)
         for h in headlines(campaign, ids)],
        loaded.rating,
    )
    places = {int(r.key): r for r in rating}
    for start in range(0, len(ids), 500):
        computed = compute(ids[start:start + 500])
        unmet = unmet_preconditions(computed)
        SnapshotRow.objects.bulk_create([
            SnapshotRow(
                snapshot=snapshot, assessment=c.assessment, organization=c.assessment.organization,
                organization_name=str(c.assessment.organization),
                organization_type=c.assessment.organization.type.name,
                type_position=c.assessment.organization.type.position,
                inputs=c.file, results=c.results, total=c.result.total,
                low=c.interval[0], high=c.interval[1], place=places[c.assessment.pk].position,
                insufficient=list(places[c.assessment.pk].insufficient),
                unmet=list(unmet.get(c.assessment.pk, ())),
            )
            for c in computed
        ])
    return snapshot, len(ids)


def rolled_back(fn: Callable[[], Any]) -> Callable[[], Any]:
    """``fn`` inside a transaction that is rolled back (the kept database stays as it was)."""
    from django.db import transaction

    def run() -> Any:
        with transaction.atomic():
            try:
                return fn()
            finally:
                transaction.set_rollback(True)

    return run


def timed_runs(fn: Callable[[], Any], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of this process over ``repeat`` runs of ``fn``."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def rows_of(snapshot: Any) -> dict[int, tuple[Any, ...]]:
    from nok.scores.models import SnapshotRow

    return {row[0]: row for row in SnapshotRow.objects.filter(snapshot=snapshot)
            .values_list(*COLUMNS).order_by()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--responses", type=int, default=30,
                        help="survey responses per organization")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-repeat", type=int, default=1,
                        help="runs of the old code path (slow: 1 by default)")
    parser.add_argument("--no-check", action="store_true",
                        help="skip comparing the rows of both snapshots")
    parser.add_argument("--keep", metavar="NAME",
                        help="build into this SQLite file (PostgreSQL: database) once and reuse "
                             "it on later runs")
    args = parser.parse_args(argv)

    with throwaway_database(args.keep) as connection:
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        from nok.assessments.models import CampaignStatus
        from nok.scores.models import SnapshotStage
        from nok.scores.services import _snapshot

        settings.ALLOWED_HOSTS = ["*"]
        start = time.perf_counter()
        found = existing(args.orgs) if args.keep else None
        reused = found is not None
        campaign, operator, n_resp, n_ans = found or build(
            args.orgs, args.responses, random.Random(2025), connection)
        build_s = time.perf_counter() - start
        assert campaign.status == CampaignStatus.FIELDWORK, campaign.status

        def freeze() -> Any:
            return _snapshot(campaign, operator, SnapshotStage.REVIEW)

        def baseline() -> Any:
            return old_snapshot(campaign, operator, SnapshotStage.REVIEW)

        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            rolled_back(lambda: profile.runcall(freeze))()
            profile.dump_stats("/tmp/nok-bench-freeze.prof")
            stats = pstats.Stats("/tmp/nok-bench-freeze.prof")
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)

        _, freeze_before, freeze_peak = memory_during(rolled_back(freeze))
        if os.environ.get("BENCH_SQL"):
            from django.db import reset_queries
            from django.test.utils import CaptureQueriesContext

            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                rolled_back(freeze)()
            slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
            print(f"freeze: {len(slowest)} queries, "
                  f"{sum(float(q['time']) for q in slowest) * 1000:.0f} ms in all; the slowest:")
            for q in slowest[:8]:
                print(f"  {float(q['time']) * 1000:6.0f} ms  {q['sql'][:130]}")
        freeze_wall, freeze_cpu = timed_runs(rolled_back(freeze), args.repeat)
        base_wall, base_cpu = timed_runs(rolled_back(baseline), args.baseline_repeat)

        client = Client()
        client.force_login(operator)
        url = reverse("scores:close", args=[campaign.pk])

        def close() -> None:
            answer = client.post(url)
            assert answer.status_code == 302, answer.status_code
            campaign.refresh_from_db()
            assert campaign.status == CampaignStatus.REVIEW, campaign.status

        def close_and_reset() -> None:
            try:
                close()
            finally:
                campaign.status = CampaignStatus.FIELDWORK

        close_wall, _ = timed_runs(rolled_back(close_and_reset), args.repeat)

        same = "not checked"
        if not args.no_check:
            def both() -> tuple[dict[int, Any], dict[int, Any]]:
                return rows_of(freeze()[0]), rows_of(baseline()[0])

            new, old = rolled_back(both)()
            differing = [aid for aid in old if new.get(aid) != old[aid]]
            assert set(new) == set(old), "different organizations"
            assert not differing, f"{len(differing)} rows differ, e.g. {differing[:3]}: " \
                f"{new[differing[0]]} != {old[differing[0]]}"
            same = f"the same {len(new)} rows, column for column"

        med = statistics.median(freeze_wall)
        base = statistics.median(base_wall)
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); load "
              f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"campaign: {args.orgs} organizations, {n_resp} responses, {n_ans} answers; "
              + (f"reused from {args.keep}" if reused else f"set-up {build_s:.1f} s"))
        print(f"freeze: {args.orgs} organizations, best {min(freeze_wall) * 1000:.0f} ms, "
              f"median {med * 1000:.0f} ms over {len(freeze_wall)} (CPU time of this process: "
              f"median {statistics.median(freeze_cpu) * 1000:.0f} ms); memory "
              f"{freeze_before:.0f} MB before, peak {freeze_peak:.0f} MB "
              f"(+{freeze_peak - freeze_before:.0f} MB)")
        print(f"baseline (the old snapshot code): median {base * 1000:.0f} ms over "
              f"{len(base_wall)} (CPU {statistics.median(base_cpu) * 1000:.0f} ms) — the freeze "
              f"is {base / med:.1f}× faster")
        print(f"close fieldwork through the view (POST, status change, snapshot, audit): "
              f"median {statistics.median(close_wall) * 1000:.0f} ms over {len(close_wall)}")
        print(f"snapshots compared: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
