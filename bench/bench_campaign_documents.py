"""Benchmark: the rating and the regional report of a large campaign, made by the background
job as the worker makes them, against the baseline of rendering them in a request.

Builds (once, with ``--keep``) the campaign of ``bench_compute.py`` — N organizations in 7
types, every checklist ticked, R survey responses each — then, for each document, starts a
fresh process (as a worker is: Django loaded, nothing else in memory) that creates the job and
runs it (``nok.reports.services.document_job_execute``), and prints its time, the size of the
file and the process's peak memory. The request path is measured too: the download link of a
campaign above ``NOK_DOCUMENTS_DIRECT_LIMIT`` (a redirect to the page that offers the job) and
of the same campaign rendered in the request (the limit raised), with the peak memory of
that process — what the request did before the job existed.

Usage:
    .venv/bin/python bench/bench_campaign_documents.py --orgs 5000 --responses 5 \\
        --keep /dev/shm/nok-docs-5000.sqlite3 [--kinds rating_xlsx,rating_docx,region_docx,region_pdf]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python \\
        bench/bench_campaign_documents.py --orgs 5000 --keep nok_docs_5000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from benchlib import peak_rss_mb, throwaway_database

KINDS = ("rating_xlsx", "rating_docx", "region_docx", "region_pdf")


def one_job(keep: str, orgs: int, kind: str) -> None:
    """In this (fresh) process: the job of ``kind`` made from start to end."""
    with throwaway_database(keep):
        from bench_compute import existing

        from nok.reports.models import DocumentJob, JobStatus
        from nok.reports.services import document_job_create, document_job_execute

        found = existing(orgs)
        assert found is not None, "build the campaign first (run without --one)"
        campaign, operator, _, _ = found
        base = peak_rss_mb()
        job, _ = document_job_create(campaign=campaign, kind=kind, user=operator)
        start = time.perf_counter()
        job = document_job_execute(job_id=job.pk)
        seconds = time.perf_counter() - start
        assert job.status == JobStatus.DONE, job.error
        print(f"job {kind}: {job.total} organizations, {seconds:.1f} s, "
              f"{job.size / 1024:.0f} KiB, process peak {peak_rss_mb():.0f} MB "
              f"(Django and the database before the job: {base:.0f} MB)")
        DocumentJob.objects.filter(pk=job.pk).delete()
        job.file.delete(save=False)


def one_request(keep: str, orgs: int, kind: str, limit: int) -> None:
    """In this (fresh) process: the download link of ``kind`` with the direct limit ``limit``."""
    with throwaway_database(keep):
        from bench_compute import existing
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        settings.ALLOWED_HOSTS = ["*"]
        settings.NOK_DOCUMENTS_DIRECT_LIMIT = limit
        found = existing(orgs)
        assert found is not None
        campaign, operator, _, _ = found
        client = Client()
        client.force_login(operator)
        document, fmt = kind.split("_")
        address = reverse("reports:campaign_document", args=[campaign.pk, document, fmt])
        base = peak_rss_mb()
        start = time.perf_counter()
        answer = client.get(address)
        size = sum(len(c) for c in answer.streaming_content) if answer.streaming else 0
        seconds = time.perf_counter() - start
        what = "rendered in the request" if answer.status_code == 200 else (
            f"answered {answer.status_code} -> {answer.get('Location', '')}")
        print(f"request {kind} (limit {limit}): {what}, {seconds * 1000:.0f} ms, "
              f"{size / 1024:.0f} KiB, process peak {peak_rss_mb():.0f} MB "
              f"(before the request: {base:.0f} MB)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--responses", type=int, default=5)
    parser.add_argument("--keep", required=True, metavar="NAME",
                        help="SQLite file (PostgreSQL: database) built once and reused")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--baseline", default="rating_xlsx",
                        help="the document also rendered in a request, as before the job")
    parser.add_argument("--one", choices=("job", "request"), help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=300, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one == "job":
        one_job(args.keep, args.orgs, args.kind)
        return 0
    if args.one == "request":
        one_request(args.keep, args.orgs, args.kind, args.limit)
        return 0

    with throwaway_database(args.keep) as connection:
        import random

        from bench_compute import build, existing

        if existing(args.orgs) is None:
            start = time.perf_counter()
            build(args.orgs, args.responses, random.Random(2025), connection)
            print(f"campaign built: {args.orgs} organizations, {args.responses} responses each, "
                  f"{time.perf_counter() - start:.0f} s")
    me = [sys.executable, os.path.abspath(__file__), "--orgs", str(args.orgs), "--keep", args.keep]
    for kind in [k for k in args.kinds.split(",") if k]:
        subprocess.run([*me, "--one", "job", "--kind", kind], check=True)
    if args.baseline:
        subprocess.run([*me, "--one", "request", "--kind", args.baseline, "--limit", "300"],
                       check=True)
        subprocess.run([*me, "--one", "request", "--kind", args.baseline,
                        "--limit", str(args.orgs + 1)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
