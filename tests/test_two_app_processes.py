"""Two application processes on one PostgreSQL never double-count a retried submission: the
same questionnaire sent twenty times at once, half to each of two gunicorn servers, is stored
once and counted once (the database's unique client id decides, not a process's memory)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.db import connection
from django.db.models import Sum

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="several processes on one database: PostgreSQL (make test-postgres)"),
]

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[list[str]]:
    """Two gunicorn masters (one worker process each) on the test database."""
    procs, urls = [], []
    for n in range(2):
        log = tmp_path / f"gunicorn-{n}.log"
        port = _free_port()
        env = os.environ | {
            "DATABASE_URL": _database_url(), "NOK_ENV": "test", "NOK_BIND": f"127.0.0.1:{port}",
            "NOK_WEB_WORKERS": "1", "NOK_WEB_THREADS": "8", "NOK_ACCESS_LOG": "",
        }
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb")))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, proc in zip(urls, procs, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(url + "/healthz", timeout=2)  # any answer: the server is up
                    break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError("gunicorn did not start: "
                                       + (tmp_path / f"gunicorn-{urls.index(url)}.log").read_text())
                time.sleep(0.2)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def test_a_submission_retried_on_two_processes_at_once_is_stored_once(two_servers) -> None:
    from nok.surveys import services
    from nok.surveys.models import Response, ResponseTally
    from nok.surveys.public_views import _cookie
    from nok.surveys.questionnaire import asked_questions, questions_for
    from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment

    assessment = make_assessment()
    code = assessment.survey_code
    client_id = uuid.uuid4()
    draft = services.draft_start(assessment=assessment, client_id=client_id)
    for question in asked_questions(questions_for(assessment), ALL_YES_NO_SITE):
        if question.key in ALL_YES_NO_SITE:
            draft = services.draft_answer(draft=draft, question=question.key,
                                          value=ALL_YES_NO_SITE[question.key])

    def browser(url: str) -> tuple[httpx.Client, str]:
        """A respondent's browser on one server: the form page gives the CSRF token."""
        client = httpx.Client(base_url=url, timeout=30)
        client.cookies.set(_cookie(code), draft.token)
        page = client.get(f"/q/{code}/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        return client, token.group(1)

    browsers = [browser(url) for url in two_servers]

    def send(i: int) -> Any:
        client, token = browsers[i % 2]
        return client.post(f"/q/{code}/submit/", data={
            "csrfmiddlewaretoken": token, "client_id": str(client_id)})

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(send, range(20)))
    assert all(a.status_code == 302 for a in answers), [a.status_code for a in answers]
    assert all("/thanks/" in a.headers["location"] for a in answers)
    assert Response.objects.filter(client_id=client_id).count() == 1
    counted = ResponseTally.objects.filter(assessment=assessment).aggregate(n=Sum("n"))["n"]
    assert counted == 1
