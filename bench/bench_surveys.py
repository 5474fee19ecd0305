"""Benchmark: survey counting, sample tracking, quality checks, submission and import.

Builds a throwaway database (Django's test-database machinery: SQLite in a temporary file, or
``test_<name>`` on the PostgreSQL server of DATABASE_URL; never the default database) with
N organizations × R responses each (default 200 × 500 = 100,000 responses, ~1.3 M answers),
then times:
- ``survey_counts`` over every assessment (without and with flagged responses);
- ``sample_statuses`` over every assessment;
- ``flags_recompute`` for one organization holding a large share of the responses;
- ``response_create`` (one online submission with its incremental quality check);
- the online walk: ``draft_answer`` per screen (a locked row write) and ``draft_submit``;
- ``import_run`` of a 2,000-row CSV export, and its re-import (all rows skipped).

Usage:
    .venv/bin/python bench/bench_surveys.py [--orgs 200] [--per-org 500] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nok_surveys_bench \
        .venv/bin/python bench/bench_surveys.py
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from typing import Any

from benchlib import throwaway_database, timed

YES_NO = ("info_stand", "info_site", "timely", "comfort", "courtesy_first_contact",
          "courtesy_service", "recommend", "schedule", "overall")



def answers_for(rng: random.Random) -> dict[str, str]:
    used_site = rng.random() < 0.6
    disabled = rng.random() < 0.2
    values = {"respondent": "recipient", "used_stand": "yes",
              "used_site": "yes" if used_site else "no",
              "disabled": "yes" if disabled else "no", "used_remote": "no"}
    for key in YES_NO:
        if key == "info_site" and not used_site:
            continue
        values[key] = "yes" if rng.random() < 0.9 else "no"
    if disabled:
        values["accessibility"] = "yes" if rng.random() < 0.7 else "no"
    return values


def build(n_orgs: int, per_org: int, rng: random.Random) -> tuple[list[Any], Any]:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from nok.assessments.models import Assessment, Campaign
    from nok.methodology.models import Methodology
    from nok.methodology.services import methodology_sync_builtin
    from nok.organizations.models import Membership, Organization, OrganizationType, Role
    from nok.surveys.models import Response
    from nok.surveys.tallies import tally_rebuild

    methodology_sync_builtin()
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Бенчмарк опроса", year=today.year, period_start=today - timedelta(days=60),
        period_end=today + timedelta(days=30), methodology=Methodology.objects.get(slug="social-2018"),
    )
    org_type = OrganizationType.objects.create(name="КЦСОН")
    orgs = Organization.objects.bulk_create(
        Organization(name=f"ГБУ «КЦСОН № {i + 1}»", type=org_type, has_semi_stationary=True,
                     recipients_semi_stationary=500 + i * 10)
        for i in range(n_orgs)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(campaign=campaign, organization=org, survey_code=f"b{i:07d}")
        for i, org in enumerate(orgs)
    )
    start = timezone.now() - timedelta(days=50)
    statuses = ["ok"] * 90 + ["flagged"] * 6 + ["accepted"] * 2 + ["rejected"] * 2
    for assessment in assessments:
        Response.objects.bulk_create(
            Response(assessment=assessment, client_id=uuid.uuid4(), channel="online", mode="online",
                     submitted_at=start + timedelta(minutes=7 * j + rng.random() * 5),
                     duration_seconds=60 + rng.randrange(600), client_hash=f"{rng.randrange(10**9):x}",
                     vector_hash=f"{rng.randrange(2**20):x}", status=rng.choice(statuses),
                     answers=answers_for(rng))
            for j in range(per_org)
        )
    # Bulk inserts skip the services that keep the counters: count the rows once, as
    # ``survey_tallies --rebuild`` would.
    tally_rebuild([a.pk for a in assessments])
    operator = User.objects.create_user("bench-operator", password="bench-pass-123")
    Membership.objects.create(user=operator, role=Role.OPERATOR)
    return assessments, operator


def export_csv(rows: int, rng: random.Random) -> bytes:
    import scoring

    questions = [q for q in scoring.load_methodology("social-2018").questions if q.type == "yes_no"]
    lines = [";".join(["Отметка времени", *(q.text for q in questions)])]
    for i in range(rows):
        answers = answers_for(rng)
        cells = [f"2026/03/{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d} GMT+3"]
        cells += [{"yes": "Да", "no": "Нет"}.get(answers.get(q.key, ""), "") for q in questions]
        lines.append(";".join(cells))
    return "\n".join(lines).encode("utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=200)
    parser.add_argument("--per-org", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    with throwaway_database() as connection:
        run(args, connection)
    return 0


def run(args: argparse.Namespace, connection: Any) -> None:
    from django.utils import timezone

    from nok.surveys.models import Response
    from nok.surveys.selectors import sample_statuses, survey_counts
    from nok.surveys.services import (
        draft_answer,
        draft_start,
        draft_submit,
        flags_recompute,
        import_job_create,
        import_run,
        response_create,
    )

    rng = random.Random(2026)
    start = time.perf_counter()
    assessments, operator = build(args.orgs, args.per_org, rng)
    build_s = time.perf_counter() - start
    ids = [a.pk for a in assessments]
    print(f"database: {connection.vendor}")
    print(f"data: {len(ids)} organizations, {Response.objects.count()} responses, "
          f"{sum(map(len, Response.objects.values_list('answers', flat=True)))} answers; "
          f"set-up {build_s:.1f} s")

    best, med, tallies = timed(lambda: survey_counts(ids), args.repeat)
    print(f"survey_counts (all assessments): best {best * 1000:.0f} ms, median {med * 1000:.0f} ms, "
          f"respondents {sum(t.respondents for t in tallies.values())}")
    best, med, _ = timed(lambda: survey_counts(ids, include_flagged=True), args.repeat)
    print(f"survey_counts include_flagged: best {best * 1000:.0f} ms, median {med * 1000:.0f} ms")
    best, med, _ = timed(lambda: survey_counts(ids[:1]), args.repeat)
    print(f"survey_counts (one assessment): best {best * 1000:.1f} ms, median {med * 1000:.1f} ms")
    best, med, statuses = timed(lambda: sample_statuses(ids), args.repeat)
    below = sum(s.below_minimum for s in statuses.values())
    print(f"sample_statuses: best {best * 1000:.0f} ms, median {med * 1000:.0f} ms, "
          f"{below} of {len(ids)} below minimum")

    one = assessments[0]
    best, med, summary = timed(lambda: flags_recompute(assessment=one, user=operator), args.repeat)
    print(f"flags_recompute ({args.per_org} responses): best {best * 1000:.0f} ms, "
          f"median {med * 1000:.0f} ms, {summary}")

    times = []
    for _ in range(100):
        answers = answers_for(rng)
        now = timezone.now()
        t0 = time.perf_counter()
        response_create(assessment=one, answers=answers, channel="online", client_id=uuid.uuid4(),
                        started_at=now - timedelta(minutes=3), client_hash=f"{rng.randrange(10**9):x}")
        times.append(time.perf_counter() - t0)
    print(f"response_create (online, with quality check): median {statistics.median(times) * 1000:.1f} ms, "
          f"p95 {sorted(times)[94] * 1000:.1f} ms over 100")

    # The online path a respondent takes: one locked draft write per screen, then the submit.
    answer_times, submit_times = [], []
    for _ in range(30):
        draft = draft_start(assessment=one, client_id=uuid.uuid4())
        for key, value in answers_for(rng).items():
            t0 = time.perf_counter()
            draft = draft_answer(draft=draft, question=key, value=value)
            answer_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        draft_submit(draft=draft, client_hash=f"{rng.randrange(10**9):x}")
        submit_times.append(time.perf_counter() - t0)
    print(f"draft_answer (one screen): median {statistics.median(answer_times) * 1000:.1f} ms; "
          f"draft_submit: median {statistics.median(submit_times) * 1000:.1f} ms over 30 walks")

    content = export_csv(2000, rng)
    target = assessments[1]
    t0 = time.perf_counter()
    job = import_job_create(assessment=target, filename="export.csv", content=content, user=operator)
    job = import_run(job=job, mapping=job.mapping, user=operator)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = import_job_create(assessment=target, filename="export.csv", content=content, user=operator)
    again = import_run(job=again, mapping=again.mapping, user=operator)
    second = time.perf_counter() - t0
    print(f"import_run 2000 rows: {first:.2f} s ({job.imported} imported); "
          f"re-import {second:.2f} s ({again.imported} imported, {again.skipped} skipped)")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
