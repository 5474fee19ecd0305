"""Benchmark: the server time of each screen of the public questionnaire (/q/<code>/).

Builds a throwaway database (Django's test-database machinery: SQLite in a temporary file, or
``test_<name>`` on the PostgreSQL server of DATABASE_URL; never the default database) with one
open campaign of ``--orgs`` organizations, then walks ``--walks`` respondents through the whole
form with Django's test client — the full request cycle (middleware, view, template, database)
without a network or a second process — as a browser running survey.js does it: the start
page, «Начать», the first question screen (it carries the questions; the following screens are
shown in the browser), the kept answers in one request, the review screen and the submission
(with the client id the review page carries), the thanks page. ``--no-script``: as a browser
without JavaScript, every question screen a GET and an answer POST. Prints, per kind of screen, the median and
the 99th percentile of the time, the median CPU time of the process (the request cycle without
the database server's work: steadier on a shared machine), and the queries a screen makes.

Baseline, measured in the same run: after every screen the same client asks for an empty page
through the same middleware and test client (a view that returns «ok» without touching the
database or a template) — the floor any request pays. Each screen's medians are printed as a
ratio to the floor's, so what a screen adds stays comparable between runs on a loaded machine.

Usage:
    .venv/bin/python bench/bench_public_form.py [--walks 60] [--orgs 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nok_form_bench \
        .venv/bin/python bench/bench_public_form.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections import defaultdict
from datetime import timedelta
from typing import Any

from benchlib import throwaway_database

FLOOR = "floor (empty page, same middleware)"
HIDDEN_CLIENT_ID = re.compile(r'name="client_id" value="([^"]+)"')
SCREENS = re.compile(r'<script id="survey-screens" type="application/json">(.*?)</script>', re.S)


def floor_view(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("ok")


def urlpatterns_with_floor() -> list[Any]:
    from django.urls import include, path

    return [path("bench-floor/", floor_view), path("", include("config.urls"))]

ANSWERS = {"respondent": "recipient", "used_stand": "yes", "info_stand": "yes",
           "used_site": "yes", "info_site": "no", "timely": "yes", "comfort": "yes",
           "disabled": "yes", "accessibility": "yes", "courtesy_first_contact": "yes",
           "courtesy_service": "yes", "used_remote": "no", "recommend": "yes",
           "schedule": "yes", "overall": "yes"}


def choose(key: str, options: list[str], rng: random.Random) -> str:
    """A respondent's answer: the usual one where the question offers it, else an option at
    random; a free-text question left blank or answered with a short phrase."""
    value = ANSWERS.get(key, "")
    if options and value not in options:
        return rng.choice(options)
    if not options:
        return rng.choice(("", "Спасибо персоналу"))
    return value


def build(n_orgs: int) -> list[str]:
    """An open campaign of ``n_orgs`` organizations; their survey codes."""
    from django.utils import timezone

    from nok.assessments.models import Assessment, Campaign
    from nok.methodology.models import Methodology
    from nok.methodology.services import methodology_sync_builtin
    from nok.organizations.models import Organization, OrganizationType

    methodology_sync_builtin()
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="Бенчмарк анкеты", year=today.year, period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=30),
        methodology=Methodology.objects.get(slug="social-2018"))
    org_type = OrganizationType.objects.create(name="КЦСОН")
    orgs = Organization.objects.bulk_create(
        Organization(name=f"ГБУ «КЦСОН № {i + 1}»", type=org_type, has_semi_stationary=True,
                     recipients_semi_stationary=500)
        for i in range(n_orgs))
    return [a.survey_code for a in Assessment.objects.bulk_create(
        Assessment(campaign=campaign, organization=org, survey_code=f"f{i:07d}")
        for i, org in enumerate(orgs))]


# Per kind of screen: the CPU seconds of this process (the whole request cycle but the database
# server's own work) — steadier than the wall time on a machine shared with other work.
CPU: dict[str, list[float]] = defaultdict(list)


class Walk:
    """One respondent's requests, each timed and its queries counted by kind of screen."""

    def __init__(self, connection: Any, times: dict[str, list[float]],
                 queries: dict[str, list[int]]) -> None:
        from django.test import Client

        self.client = Client()
        self.connection = connection
        self.times = times
        self.queries = queries
        self.cpu: dict[str, list[float]] = CPU

    def request(self, kind: str, method: str, path: str, data: dict[str, str] | None = None,
                status: int | None = None) -> Any:
        from django.db import reset_queries
        from django.test.utils import CaptureQueriesContext

        reset_queries()
        with CaptureQueriesContext(self.connection) as captured:
            start, cpu = time.perf_counter(), time.process_time()
            response = (self.client.get(path) if method == "GET"
                        else self.client.post(path, data or {}))
            elapsed = time.perf_counter() - start
            self.cpu[kind].append(time.process_time() - cpu)
        if status is not None:
            assert response.status_code == status, (kind, path, response.status_code)
        self.times[kind].append(elapsed)
        self.queries[kind].append(len(captured.captured_queries))
        if kind != FLOOR:  # the baseline, under the same load as the screen just measured
            self.request(FLOOR, "GET", "/bench-floor/", status=200)
        return response

    def through(self, code: str, rng: random.Random) -> None:
        start = f"/q/{code}/"
        self.request("start page GET", "GET", start, status=200)
        response = self.request("start POST («Начать»)", "POST", start,
                                {"client_id": str(uuid.uuid4())}, status=302)
        location = response["Location"]
        while "/review/" not in location:
            page = self.request("question screen GET", "GET", location, status=200)
            key = location.rstrip("/").rsplit("/", 1)[-1]
            options = re.findall(r'name="answer" id="answer-[^"]*" value="([^"]*)"',
                                 page.content.decode())
            value = choose(key, options, rng)
            response = self.request("answer POST", "POST", location,
                                    {"answer": value, "action": "next"}, status=302)
            location = response["Location"]
        self.finish(code, location)

    def through_with_script(self, code: str, rng: random.Random) -> None:
        """As a browser running survey.js: the first question screen carries the questions,
        the following ones are shown without a request, the answers go in one request."""
        start = f"/q/{code}/"
        self.request("start page GET", "GET", start, status=200)
        response = self.request("start POST («Начать»)", "POST", start,
                                {"client_id": str(uuid.uuid4())}, status=302)
        page = self.request("first question screen GET (carries the questions)", "GET",
                            response["Location"], status=200)
        found = SCREENS.search(page.content.decode())
        assert found is not None, "the first screen carries no questions"
        screens = json.loads(found.group(1))
        answers: dict[str, str] = {}
        for question in screens["questions"]:
            if all(answers.get(k) == v for k, v in question["when"].items()):
                options = [key for key, _ in question["options"]]
                answers[question["key"]] = choose(question["key"], options, rng)
        self.request("kept answers POST (all in one)", "POST", screens["save"],
                     {"answers": json.dumps(answers)}, status=200)
        self.finish(code, screens["review"])

    def finish(self, code: str, location: str) -> None:
        review = self.request("review GET", "GET", location, status=200)
        found = HIDDEN_CLIENT_ID.search(review.content.decode())
        assert found is not None, "the review page carries no client id"
        response = self.request("submit POST", "POST", f"/q/{code}/submit/",
                                {"client_id": found.group(1)}, status=302)
        self.request("thanks GET", "GET", response["Location"], status=200)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--walks", type=int, default=60, help="respondents walked through")
    parser.add_argument("--orgs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3, help="walks not counted")
    parser.add_argument("--no-script", action="store_true",
                        help="walk as a browser without JavaScript: every question GET + POST")
    args = parser.parse_args(argv)

    with throwaway_database() as connection:
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["*"]
        # This module is the URL configuration: the site's URLs and the floor's page.
        globals()["urlpatterns"] = urlpatterns_with_floor()
        settings.ROOT_URLCONF = __name__
        codes = build(args.orgs)
        rng = random.Random(2026)
        times: dict[str, list[float]] = defaultdict(list)
        queries: dict[str, list[int]] = defaultdict(list)
        def walk(into: Walk, code: str) -> None:
            (into.through if args.no_script else into.through_with_script)(code, rng)

        for _ in range(args.warmup):
            walk(Walk(connection, defaultdict(list), defaultdict(list)), rng.choice(codes))
        CPU.clear()
        start = time.perf_counter()
        for _ in range(args.walks):
            walk(Walk(connection, times, queries), rng.choice(codes))
        wall = time.perf_counter() - start
        if os.environ.get("BENCH_PROFILE"):  # one walk more, profiled: where a screen's time goes
            import cProfile
            import pstats

            profiled = Walk(connection, defaultdict(list), defaultdict(list))
            code = rng.choice(codes)
            cProfile.runctx("walk(profiled, code)", globals(), locals(),
                            "/tmp/nok-bench-form.prof")
            pstats.Stats("/tmp/nok-bench-form.prof").sort_stats("cumulative").print_stats(60)

        print(f"database: {connection.vendor}; {args.walks} respondents walked through the "
              f"form in {wall:.1f} s (test client: server time, no network)")
        floor_wall = statistics.median(times[FLOOR])
        floor_cpu = statistics.median(CPU[FLOOR])
        for kind, runs in times.items():
            ordered = sorted(runs)
            p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
            counts = queries[kind]
            median, cpu = statistics.median(runs), statistics.median(CPU[kind])
            print(f"{kind}: median {median * 1000:.2f} ms (×{median / floor_wall:.1f} the "
                  f"floor), p99 {p99 * 1000:.2f} ms over {len(runs)}; CPU of this process: "
                  f"median {cpu * 1000:.2f} ms (×{cpu / floor_cpu:.1f}); queries median "
                  f"{statistics.median(counts):g}, max {max(counts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

