"""Benchmark: every staff page of a national campaign — server time, size, memory.

Builds (once, with ``--keep``) the campaign of ``bench_compute.py`` — N organizations in 7
types, every checklist ticked, R survey responses each — then opens each page of the campaign,
of one organization, and the lists and start pages, as the operator and as the ministry, through
the test client with the whole middleware stack: the median server time over ``--repeat``
requests (after one warm-up), the size of the HTML and the memory the request took (sampled
while it ran). A page that grows with the number of organizations shows here first.

Usage:
    .venv/bin/python bench/bench_pages.py --orgs 5000 --responses 5 --keep /dev/shm/nok-docs-5000.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_pages.py \\
        --orgs 5000 --keep nok_bench_5000x200
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from benchlib import memory_during, peak_rss_mb, throwaway_database

PAGES = (
    ("dashboard:home", None), ("assessments:campaign_list", None), ("organizations:list", None),
    ("scores:campaign", "campaign"), ("scores:close", "campaign"), ("reports:campaign", "campaign"),
    ("surveys:campaign_overview", "campaign"), ("surveys:campaign_review", "campaign"),
    ("fieldwork:progress", "campaign"), ("siteaudit:campaign", "campaign"),
    ("plans:list", None), ("dashboard:audit", None),
    ("scores:assessment", "assessment"), ("surveys:manage", "assessment"),
    ("assessments:assessment_checklists", "assessment"),
)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=5000)
    parser.add_argument("--responses", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", metavar="NAME",
                        help="SQLite file (PostgreSQL: database) built once and reused")
    args = parser.parse_args(argv)
    with throwaway_database(args.keep) as connection:
        from bench_compute import build, existing
        from django.conf import settings
        from django.contrib.auth.models import User
        from django.test import Client
        from django.urls import reverse

        from nok.organizations.models import Role
        from nok.organizations.tests.factories import make_user

        settings.ALLOWED_HOSTS = ["*"]
        found = existing(args.orgs) if args.keep else None
        if found is None:
            start = time.perf_counter()
            build(args.orgs, args.responses, random.Random(2025), connection)
            print(f"campaign built: {args.orgs} organizations, {time.perf_counter() - start:.0f} s")
            found = existing(args.orgs)
        assert found is not None
        campaign, operator, n_responses, _ = found
        ministry = (User.objects.filter(username="bench-ministry").first()
                    or make_user("bench-ministry", Role.MINISTRY))
        one = campaign.assessments.order_by("pk").first()
        assert one is not None
        objects = {"campaign": campaign.pk, "assessment": one.pk}
        print(f"database: {connection.vendor}; campaign of {args.orgs} organizations, "
              f"{n_responses} responses")
        print(f"{'user':10} {'page':36} {'status':>6} {'median':>9} {'HTML':>9} {'memory':>9}")
        for who in (operator, ministry):
            client = Client()
            client.force_login(who)
            for name, kind in PAGES:
                url = reverse(name, args=[objects[kind]] if kind else [])
                answer, before, peak = memory_during(lambda url=url, c=client: c.get(url))
                runs = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    client.get(url)
                    runs.append(time.perf_counter() - start)
                label = "operator" if who == operator else "ministry"
                print(f"{label:10} {name:36} {answer.status_code:>6} "
                      f"{statistics.median(runs) * 1000:>6.0f} ms {len(answer.content) // 1024:>5} KiB "
                      f"{peak - before:>+6.0f} MB")
        print(f"peak memory of this process: {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
