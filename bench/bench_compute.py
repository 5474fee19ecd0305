"""Benchmark: compute a whole campaign, render its pages, and keep them current under new
responses.

Builds a throwaway database (Django's test-database machinery: SQLite in a temporary file,
or ``test_<name>`` on the PostgreSQL server of DATABASE_URL; never the default database), a
campaign of N organizations in 7 types with every checklist ticked at random and R survey
responses per organization, then times:

- ``campaign_compute``: every score of the campaign computed from scratch (all stale);
- the campaign page with nothing stale (its first type, and its last: ``?type=7``), and the
  assessment page;
- the open-data exports (``--exports``) downloaded through their view, with the memory
  sampled while each one runs (a figure per step: the process's lifetime peak is set by the
  build);
- ``--new`` responses sent through the survey service to random organizations (each one a
  real submission: guard, counters, quality check), then the campaign page, which recomputes
  the organizations they made stale before it renders.

Usage:
    .venv/bin/python bench/bench_compute.py [--orgs 500] [--responses 30] [--repeat 3]
    .venv/bin/python bench/bench_compute.py --orgs 5000 --responses 200 --keep /tmp/nok-5000.sqlite3
    .venv/bin/python bench/bench_compute.py --orgs 5000 --responses 20 --keep /dev/shm/nok-5000x20.sqlite3 --exports xlsx
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nok_fieldwork_bench \
        .venv/bin/python bench/bench_compute.py
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from typing import Any

from benchlib import memory_during, peak_rss_mb, throwaway_database, timed

TYPES = [
    "КЦСОН", "Дом-интернат для престарелых и инвалидов", "Психоневрологический интернат",
    "Социально-реабилитационный центр для несовершеннолетних", "Центр социальной помощи семье и детям",
    "Реабилитационный центр для детей и подростков с ограниченными возможностями",
    "Социальный приют",
]



QUESTIONS = ("info_stand", "info_site", "timely", "comfort", "courtesy_first_contact",
             "courtesy_service", "recommend", "schedule", "overall")
CHUNK = 100  # organizations whose survey rows are built and inserted at a time


def build(n_orgs: int, n_responses: int, rng: random.Random, connection: Any) -> Any:
    """The campaign, streamed into the database a chunk of organizations at a time (bulk
    inserts; memory stays flat whatever the size). Checklists and survey rows are inserted
    directly, then their summaries (``Assessment.observed``, the survey counters) are rebuilt
    from the rows exactly as the services keep them."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from nok.assessments import services
    from nok.methodology.models import Methodology
    from nok.methodology.services import methodology_sync_builtin
    from nok.organizations.models import Membership, Organization, OrganizationType, Role

    methodology_sync_builtin()
    method = Methodology.objects.get(slug="social-2018")
    types = [OrganizationType.objects.get_or_create(name=name)[0] for name in TYPES]
    orgs = Organization.objects.bulk_create((
        Organization(
            name=f"ГБУ «Учреждение социального обслуживания № {i + 1}»", short_name=f"УСО № {i + 1}",
            type=types[i % len(types)], has_semi_stationary=True, has_home=i % 2 == 0,
            recipients_semi_stationary=40 + i % 50, recipients_home=(100 + i % 80) * (i % 2 == 0),
        )
        for i in range(n_orgs)), batch_size=1000)
    operator = User.objects.create_user("bench-operator", password="bench-pass-123")
    Membership.objects.create(user=operator, role=Role.OPERATOR)
    campaign = services.campaign_create(
        user=operator, title="Бенчмарк", year=2025, period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate().replace(month=12, day=31), methodology=method,
        organizations=orgs,
    )
    ids = list(campaign.assessments.order_by("pk").values_list("pk", flat=True))
    loaded = services.assessment_methodology(campaign.assessments.first())
    now = timezone.now()
    n_answers = 0
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():  # one commit per chunk
            n_answers += _build_chunk(ids[start:start + CHUNK], n_responses, loaded, now, rng)
    if connection.vendor == "postgresql":
        # The planner's statistics of the bulk-loaded tables, as autovacuum would gather them
        # later: without them it sorts a million counters on disk instead of hashing them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return campaign, operator, len(ids) * n_responses, n_answers


def _build_chunk(chunk: list[int], n_responses: int, loaded: Any, now: Any,
                 rng: random.Random) -> int:
    """One chunk of organizations: checklists, responses with their answers; the number of
    answers."""
    from nok.assessments import services
    from nok.assessments.models import ChecklistTick
    from nok.surveys.models import Response
    from nok.surveys.tallies import tally_rebuild

    ChecklistTick.objects.bulk_create((
        ChecklistTick(assessment_id=a, checklist_key=c.key, item_key=item.key,
                      present=rng.random() < 0.8)
        for a in chunk for c in loaded.checklists for item in c.items), batch_size=2000)
    services.observed_rebuild(chunk)
    # Survey rows without the services (their quality checks per response would make the
    # set-up, not the measured part, dominate); the counters are rebuilt from them below.
    answers = 0

    def answered() -> dict[str, str]:
        nonlocal answers
        disabled = rng.random() < 0.2
        values = {"respondent": "recipient", "used_stand": "yes", "used_site": "yes",
                  "disabled": "yes" if disabled else "no", "used_remote": "no"}
        for key in QUESTIONS:
            values[key] = "yes" if rng.random() < 0.9 else "no"
        if disabled:
            values["accessibility"] = "yes" if rng.random() < 0.7 else "no"
        answers += len(values)
        return values

    Response.objects.bulk_create((
        Response(assessment_id=a, client_id=uuid.uuid4(), channel="paper", mode="paper",
                 submitted_at=now, status="ok", answers=answered())
        for a in chunk for _ in range(n_responses)), batch_size=2000)
    tally_rebuild(chunk)
    return answers


def existing(n_orgs: int) -> Any:
    """The campaign of a kept database, if it was built for this many organizations."""
    from django.contrib.auth.models import User
    from django.db.models import Sum

    from nok.assessments.models import Campaign
    from nok.surveys.models import AnswerTally, ResponseTally

    campaign = Campaign.objects.filter(title="Бенчмарк").first()
    if campaign is None or campaign.assessments.count() != n_orgs:
        return None
    ids = campaign.assessments.values("pk")
    responses = ResponseTally.objects.filter(assessment__in=ids).aggregate(n=Sum("n"))["n"] or 0
    answers = AnswerTally.objects.filter(assessment__in=ids).aggregate(n=Sum("n"))["n"] or 0
    return campaign, User.objects.get(username="bench-operator"), responses, answers


def campaign_assessments(campaign: Any) -> list[Any]:
    """The campaign's assessments, read once and shared by every new response: joined into
    every one of thousands of rows, the methodology document alone would be parsed thousands
    of times, and reading 5,000 assessments is no part of recording one response."""
    assessments = list(campaign.assessments.all())
    for assessment in assessments:
        assessment.campaign = campaign
    return assessments


def new_responses(assessments: list[Any], n: int, rng: random.Random) -> list[float]:
    """``n`` paper responses through the survey service; the seconds each one took."""
    from nok.surveys import services as surveys

    answers = {"respondent": "recipient", "used_stand": "yes", "info_stand": "yes",
               "used_site": "no", "timely": "yes", "comfort": "yes", "disabled": "no",
               "courtesy_first_contact": "yes", "courtesy_service": "yes", "used_remote": "no",
               "recommend": "yes", "schedule": "yes", "overall": "no"}
    times = []
    for _ in range(n):
        assessment = rng.choice(assessments)
        start = time.perf_counter()
        surveys.response_record(assessment=assessment, answers=answers, channel="paper",
                                client_id=uuid.uuid4())
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=500)
    parser.add_argument("--responses", type=int, default=30, help="survey responses per organization")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--new", type=int, default=1000,
                        help="new responses sent before the last page timing")
    parser.add_argument("--exports", default="xlsx,csv",
                        help="open-data exports downloaded and measured (comma-separated: "
                             "xlsx, csv, json; '' for none)")
    parser.add_argument("--keep", metavar="NAME",
                        help="build into this SQLite file (PostgreSQL: database) once and reuse "
                             "it on later runs (each run adds its --new responses)")
    args = parser.parse_args(argv)

    with throwaway_database(args.keep) as connection:
        from django.conf import settings
        from django.db import reset_queries
        from django.db.models import F
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        settings.ALLOWED_HOSTS = ["*"]
        rng = random.Random(2025)
        start = time.perf_counter()
        found = existing(args.orgs) if args.keep else None
        reused = found is not None
        campaign, operator, n_resp, n_ans = found or build(args.orgs, args.responses, rng, connection)
        build_s = time.perf_counter() - start
        build_rss = peak_rss_mb()

        from nok.assessments.models import Assessment
        from nok.scores.models import Score
        from nok.scores.refresh import scores_refresh

        def campaign_compute() -> int:
            """Every score from scratch: none stored, all stale."""
            Score.objects.filter(assessment__campaign=campaign).delete()
            return scores_refresh(campaign=campaign)

        reset_queries()  # the query log is a bounded deque: start each capture empty
        with CaptureQueriesContext(connection) as queries:
            _, compute_before, compute_peak = memory_during(campaign_compute)
        compute_sql = [q["sql"] for q in queries.captured_queries]  # read now: the log is reset
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            cProfile.runctx("campaign_compute()", globals(), locals(),
                            "/tmp/nok-bench-compute.prof")
            pstats.Stats("/tmp/nok-bench-compute.prof").sort_stats("tottime").print_stats(15)
        cpu_runs: list[float] = []

        def campaign_compute_cpu() -> int:
            """campaign_compute, with this process's CPU time kept: on a shared machine the
            wall-clock figure mostly says how many other processes wanted the cores."""
            start = time.process_time()
            try:
                return campaign_compute()
            finally:
                cpu_runs.append(time.process_time() - start)

        compute_best, compute_med, count = timed(campaign_compute_cpu, args.repeat)
        if connection.vendor == "postgresql":
            # Every run above deleted and rewrote 5,000 scores; autovacuum (off on the
            # development server) reclaims such dead rows in real use, and the scans of the
            # later timings would otherwise read them all.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE scores_score")

        from nok.surveys import tallies

        ids = list(campaign.assessments.values_list("pk", flat=True))

        def recount() -> int:
            """The baseline: the survey counts recounted from the raw answers (a GROUP BY
            over every answer of the campaign), as before the counts were kept."""
            return len(tallies.recount(ids)[1])

        recount_best, _, _ = timed(recount, 1)

        client = Client()
        client.force_login(operator)
        url = reverse("scores:campaign", args=[campaign.pk])
        reset_queries()
        with CaptureQueriesContext(connection) as page_queries:
            response, page_before, page_peak = memory_during(lambda: client.get(url))
        page_n = len(page_queries.captured_queries)
        assert response.status_code == 200, response.status_code
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            cProfile.runctx("client.get(url)", globals(), locals(), "/tmp/nok-bench-page.prof")
            pstats.Stats("/tmp/nok-bench-page.prof").sort_stats("cumulative").print_stats(40)
        page_best, page_med, _ = timed(lambda: client.get(url), args.repeat)

        last_type = f"{url}?type=7"
        type_best, type_med, _ = timed(lambda: client.get(last_type), args.repeat)

        export_lines = []
        for fmt in [f for f in args.exports.split(",") if f]:
            export_url = reverse("scores:export", args=[campaign.pk, fmt])

            def download(export_url: str = export_url) -> int:
                answer = client.get(export_url)
                assert answer.status_code == 200, answer.status_code
                size = 0
                for chunk in answer.streaming_content:
                    size += len(chunk)
                answer.close()
                return size

            reset_queries()
            start = time.perf_counter()
            size, before, peak = memory_during(download)
            export_lines.append(
                f"export {fmt}: {count} organizations, {time.perf_counter() - start:.1f} s, "
                f"{size / 1024 / 1024:.1f} MB, memory {before:.0f} MB before, peak "
                f"{peak:.0f} MB (+{peak - before:.0f} MB)")

        one = Assessment.objects.filter(campaign=campaign).first()
        assert one is not None
        a_url = reverse("scores:assessment", args=[one.pk])
        reset_queries()
        with CaptureQueriesContext(connection) as a_queries:
            assert client.get(a_url).status_code == 200
        a_n = len(a_queries.captured_queries)
        a_best, a_med, _ = timed(lambda: client.get(a_url), args.repeat)

        # One new response, then the campaign's scores current again (what a page does first).
        assessments = campaign_assessments(campaign)
        one_new = []
        for _ in range(max(5, args.repeat)):
            start = time.perf_counter()
            new_responses(assessments, 1, rng)
            scores_refresh(campaign=campaign)
            one_new.append(time.perf_counter() - start)

        submissions = new_responses(assessments, args.new, rng)
        stale = Assessment.objects.filter(campaign=campaign).count() - Score.objects.filter(
            assessment__campaign=campaign, data_version=F("assessment__data_version")).count()
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        after_s = time.perf_counter() - start

        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); load "
              f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"campaign: {args.orgs} organizations, {n_resp} responses, {n_ans} answers; "
              + (f"reused from {args.keep}" if reused else
                 f"set-up {build_s:.1f} s, peak memory {build_rss:.0f} MB"))
        print(f"campaign_compute: {count} assessments, best {compute_best * 1000:.0f} ms, "
              f"median {compute_med * 1000:.0f} ms, {len(compute_sql)} queries, "
              f"{compute_best / count * 1000:.2f} ms per assessment")
        print(f"campaign_compute, CPU time of this process (the database server's not "
              f"counted on PostgreSQL): median {statistics.median(cpu_runs) * 1000:.0f} ms")
        print(f"campaign_compute, memory {compute_before:.0f} MB before the first run, peak "
              f"{compute_peak:.0f} MB (+{compute_peak - compute_before:.0f} MB)")
        print(f"baseline, the survey counts recounted from the raw answers (GROUP BY): "
              f"{recount_best * 1000:.0f} ms — the whole computation from the kept counts is "
              f"{recount_best / compute_best:.1f}× faster than this one query")
        print(f"one new response, then every score current: median "
              f"{statistics.median(one_new) * 1000:.1f} ms over {len(one_new)} — "
              f"{compute_med / statistics.median(one_new):.0f}× faster than recomputing the "
              f"whole campaign (campaign_compute's median)")
        print(f"peak memory of this run: {peak_rss_mb():.0f} MB")
        print(f"campaign page: best {page_best * 1000:.0f} ms, median {page_med * 1000:.0f} ms, "
              f"{page_n} queries, {len(response.content) // 1024} KiB — "
              f"{compute_med / page_med:.1f}× faster than recomputing its scores "
              f"(campaign_compute's median)")
        print(f"campaign page, memory {page_before:.0f} MB before the first request, peak "
              f"{page_peak:.0f} MB (+{page_peak - page_before:.0f} MB); the last type's page "
              f"(?type=7): best {type_best * 1000:.0f} ms, median {type_med * 1000:.0f} ms")
        for line in export_lines:
            print(line)
        print(f"assessment page: best {a_best * 1000:.0f} ms, median {a_med * 1000:.0f} ms, "
              f"{a_n} queries")
        print(f"new response through the service: median "
              f"{statistics.median(submissions) * 1000:.1f} ms over {len(submissions)}")
        print(f"campaign page after {len(submissions)} new responses ({stale} organizations "
              f"stale): {after_s * 1000:.0f} ms")
        if os.environ.get("BENCH_SQL"):
            for sql in compute_sql:
                print("   ", sql[:150])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
