"""Benchmark: the campaign-wide survey import (``manage.py survey_import``) against the
per-organization import (``import_run``).

Builds a throwaway database (Django's test-database machinery: SQLite in a temporary file —
put it on /dev/shm with TMPDIR=/dev/shm — or ``test_<name>`` on the PostgreSQL server of
DATABASE_URL, the very database the tests of that URL use: never run both at once) with a campaign of N organizations (bulk inserts), writes a CSV of R rows
(streamed to disk: ИНН, timestamp and 15 question columns headed by the question texts, answers
«Да»/«Нет» and option labels), then times:

- the baseline: ``import_job_create`` + ``import_run`` on one organization's slice of S rows
  (the path that holds the file in the database and builds ORM objects);
- the campaign-wide import of the R rows (both passes, the stale marks, the counters, the
  quality checks), with the time of each phase;

and prints rows/s, seconds, the ratio, and the process's peak RSS before and after the import
(with ``--xlsx``, the file is an XLSX and the reader process's peak RSS is printed too;
``--profile FILE`` writes a cProfile of the campaign-wide import, of its main thread only).
It also prints the CPU seconds of the import — this process's (all threads) and, when the
PostgreSQL server runs on this machine, its server process's — and the load average: on a
shared machine the wall time varies with the others' load, the CPU seconds much less.

Usage:
    TMPDIR=/dev/shm .venv/bin/python bench/bench_import.py [--rows 1000000] [--orgs 5000] [--xlsx]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_bulkimport \\
        .venv/bin/python bench/bench_import.py --rows 200000
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchlib import peak_rss_mb, throwaway_database

TYPES = ("КЦСОН", "Дом-интернат для престарелых и инвалидов", "Социальный приют")
QUESTIONS = ("respondent", "used_stand", "info_stand", "used_site", "info_site", "timely",
             "comfort", "disabled", "accessibility", "courtesy_first_contact",
             "courtesy_service", "recommend", "schedule", "overall", "sex")  # 15 columns
INN_BASE = 7700000000


def build(n_orgs: int) -> Any:
    """The campaign: organizations with an ИНН each, one assessment each (bulk inserts)."""
    from django.utils import timezone

    from nok.assessments import services
    from nok.methodology.models import Methodology
    from nok.methodology.services import methodology_sync_builtin
    from nok.organizations.models import Organization, OrganizationType

    methodology_sync_builtin()
    types = [OrganizationType.objects.get_or_create(name=name)[0] for name in TYPES]
    orgs = Organization.objects.bulk_create((
        Organization(name=f"ГБУ «Учреждение № {i + 1}»", short_name=f"У № {i + 1}",
                     inn=str(INN_BASE + i), type=types[i % len(types)], has_home=True,
                     recipients_home=300)
        for i in range(n_orgs + 1)), batch_size=1000)  # the last one: the baseline's
    year = timezone.localdate().year
    return services.campaign_create(
        user=None, title="Бенчмарк импорта", year=year,
        period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate().replace(month=12, day=31),
        methodology=Methodology.objects.get(slug="social-2018"), organizations=orgs,
    )


def write_csv(path: Path, n_rows: int, orgs: range, questions: dict[str, Any],
              rng: random.Random) -> int:
    """A regional export, written a row at a time; returns its size in bytes."""
    from nok.surveys.questionnaire import options_of

    start = datetime(datetime.now().year, 1, 10)
    span = int(timedelta(days=300).total_seconds())
    labels = {key: [label for _, label in options_of(questions[key])] for key in QUESTIONS}
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)  # «,»: see the note on ";" in the report
        writer.writerow(["ИНН", "Отметка времени", *(questions[k].text for k in QUESTIONS)])
        for _ in range(n_rows):
            moment = start + timedelta(seconds=rng.randrange(span))
            cells = []
            for key in QUESTIONS:
                options = labels[key]
                if options == ["Да", "Нет"]:
                    cells.append("Да" if rng.random() < 0.85 else "Нет")
                else:
                    cells.append(rng.choice(options))
            writer.writerow([str(INN_BASE + rng.choice(orgs)),
                             moment.strftime("%d.%m.%Y %H:%M:%S"), *cells])
    return path.stat().st_size


def write_xlsx(path: Path, csv_path: Path) -> int:
    """The same export as an XLSX (a sheet of strings, as form services write it), written
    row by row (xlsxwriter's constant-memory mode); returns its size in bytes."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    with csv_path.open(encoding="utf-8-sig", newline="") as source:
        for r, row in enumerate(csv.reader(source)):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
    book.close()
    return path.stat().st_size


def backend_cpu_s(connection: Any) -> float | None:
    """CPU seconds used so far by the PostgreSQL server process of this connection, when the
    server runs on this machine (read from /proc); None otherwise. With the process's own CPU
    time it tells the work from the waiting on a shared machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child_peak_rss_mb() -> float:
    """The peak resident memory of the largest finished child process (the XLSX reader)."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--slice", type=int, default=2000,
                        help="rows of the one organization imported by import_run (baseline)")
    parser.add_argument("--no-flags", action="store_true", help="skip the quality checks")
    parser.add_argument("--verify", action="store_true",
                        help="afterwards, check the counters against a recount (slow)")
    parser.add_argument("--xlsx", action="store_true",
                        help="import the regional file as an XLSX instead of a CSV")
    parser.add_argument("--profile", metavar="FILE",
                        help="write a cProfile of the campaign-wide import to FILE")
    args = parser.parse_args(argv)

    with throwaway_database() as connection:
        from nok.surveys import bulk_import
        from nok.surveys.questionnaire import questions_for
        from nok.surveys.services import import_job_create, import_run
        from nok.surveys.tallies import tally_rebuild

        rng = random.Random(2025)
        started = time.perf_counter()
        campaign = build(args.orgs)
        assessments = list(campaign.assessments.select_related("campaign", "organization")
                           .order_by("organization__inn"))
        questions = {q.key: q for q in questions_for(assessments[0])}
        print(f"{connection.vendor}: {args.orgs} organizations built in "
              f"{time.perf_counter() - started:.1f} s")

        folder = Path(tempfile.mkdtemp(prefix="nok-bench-import-"))
        baseline_file = folder / "slice.csv"
        write_csv(baseline_file, args.slice, range(args.orgs, args.orgs + 1), questions, rng)
        started = time.perf_counter()
        job = import_job_create(assessment=assessments[-1], filename="slice.csv",
                                content=baseline_file.read_bytes(), user=None)
        job = import_run(job=job, mapping={int(k): v for k, v in job.mapping.items()}, user=None)
        base_s = time.perf_counter() - started
        base_rate = job.imported / base_s
        print(f"baseline import_run, one organization: {job.imported} rows in {base_s:.2f} s "
              f"= {base_rate:,.0f} rows/s")

        big = folder / "region.csv"
        started = time.perf_counter()
        size = write_csv(big, args.rows, range(args.orgs), questions, rng)
        print(f"CSV of {args.rows:,} rows ({size / 2**20:.0f} MB) written in "
              f"{time.perf_counter() - started:.1f} s; peak RSS so far {peak_rss_mb():.0f} MB")
        if args.xlsx:
            started = time.perf_counter()
            book = folder / "region.xlsx"
            size = write_xlsx(book, big)
            big.unlink()
            big = book
            print(f"XLSX of the same rows ({size / 2**20:.0f} MB) written in "
                  f"{time.perf_counter() - started:.1f} s")

        rss_before = peak_rss_mb()
        marks: dict[str, float] = {}

        def progress(phase: str, value: int) -> None:
            marks.setdefault(phase, time.perf_counter())
            if phase in ("scan", "write") and value and value % 100_000 == 0:
                print(f"  {phase}: {value:,} rows at {time.perf_counter() - started:.1f} s",
                      flush=True)

        profiler = cProfile.Profile() if args.profile else None
        backend_before, cpu_before = backend_cpu_s(connection), time.process_time()
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        result = bulk_import.survey_import_campaign(
            campaign=campaign, path=big, flags=not args.no_flags, progress=progress)
        total_s = time.perf_counter() - started
        cpu_s, backend_after = time.process_time() - cpu_before, backend_cpu_s(connection)
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
        end = time.perf_counter()
        scan_end = marks.get("guard", end)
        guard_end = marks.get("write", end)
        counters_start = marks.get("counters", end)
        write_end = marks.get("flags", end)
        rate = result.imported / total_s
        print(f"campaign-wide import: {result.imported:,} rows into {result.organizations} "
              f"organizations in {total_s:.1f} s = {rate:,.0f} rows/s "
              f"({rate / base_rate:.1f}× import_run); flags added: {result.flags}")
        print(f"  phases: scan (rows, widths, organizations) {scan_end - started:.1f} s, guard "
              f"(stale marks) {guard_end - scan_end:.1f} s, check + write "
              f"{counters_start - guard_end:.1f} s, counters {write_end - counters_start:.1f} s, "
              f"quality checks {end - write_end:.1f} s")
        print(f"  peak RSS: {rss_before:.0f} MB before the import, {peak_rss_mb():.0f} MB after")
        backend = (f", database server process {backend_after - backend_before:.1f} s"
                   if backend_before is not None and backend_after is not None else "")
        print(f"  CPU: this process {cpu_s:.1f} s (all threads){backend}; load average "
              f"{os.getloadavg()[0]:.1f}")
        if args.xlsx:
            print(f"  peak RSS of the XLSX reader process (holds the whole sheet): "
                  f"{child_peak_rss_mb():.0f} MB")

        started = time.perf_counter()
        again = bulk_import.survey_import_campaign(campaign=campaign, path=big, flags=False)
        print(f"re-import of the same file: {again.imported} added, {again.skipped:,} skipped "
              f"in {time.perf_counter() - started:.1f} s")
        if args.verify:
            started = time.perf_counter()
            differing = tally_rebuild([a.pk for a in assessments])
            print(f"counters vs recount: {differing} rows differ "
                  f"({time.perf_counter() - started:.1f} s)")
        big.unlink()
        baseline_file.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NOK_ENV", "test")
    sys.exit(main(sys.argv[1:]))
