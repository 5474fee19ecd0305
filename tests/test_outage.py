"""The database goes away while a respondent is filling the form: they get a Russian page
saying their answers so far are kept (503, Retry-After), and once it is back the form goes on
where it stopped. A real gunicorn on a private PostgreSQL instance that is really stopped."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.servers import ROOT, Gunicorn, PrivatePostgres, manage, postgres_bindir, server_env

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="runs in the PostgreSQL pass (it starts its own private PostgreSQL)"),
    pytest.mark.skipif(postgres_bindir() is None, reason="PostgreSQL server binaries are not installed"),
]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')

MAKE_SURVEY = """
import django; django.setup()
from nok.surveys.tests.factories import make_assessment
print(make_assessment().survey_code)
"""

READ_DRAFT = """
import django, json; django.setup()
from nok.surveys.models import Draft
print(json.dumps(Draft.objects.get().answers))
"""


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[PrivatePostgres, Gunicorn, dict[str, str], str]]:
    pg = PrivatePostgres().init()
    pg.start()
    server = None
    try:
        env = server_env(pg.createdb("nok_outage"))
        manage(env, "migrate", "--noinput")
        code = _python(env, MAKE_SURVEY)
        server = Gunicorn(env, workers=1, threads=2)
        yield pg, server, env, code
    finally:
        if server is not None:
            server.stop()
        pg.destroy()


def _python(env: dict[str, str], source: str) -> str:
    proc = subprocess.run([sys.executable, "-c", source], cwd=ROOT,
                          env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def _post_form(client: httpx.Client, url: str, html: str, **fields: str) -> httpx.Response:
    data = dict(HIDDEN.findall(html))
    data.update(fields)
    return client.post(url, data=data)


def test_a_respondent_meets_a_russian_page_while_the_database_is_down_and_then_goes_on(site: Any) -> None:
    pg, server, env, code = site
    with httpx.Client(base_url=server.url, timeout=30) as client:
        start = client.get(f"/q/{code}/")
        assert start.status_code == 200
        first = _post_form(client, f"/q/{code}/", start.text)
        assert first.status_code == 302
        step_url = first.headers["location"]
        step = client.get(step_url)
        answered = _post_form(client, step_url, step.text, answer="recipient")
        assert answered.status_code == 302
        second_url = answered.headers["location"]
        second = client.get(second_url)
        assert second.status_code == 200

        pg.stop()
        try:
            down = _post_form(client, second_url, second.text, answer="yes")
        finally:
            pg.start()

        assert down.status_code == 503
        assert down.headers["retry-after"] == "60"
        assert "Server Error" not in down.text
        assert "Ответы, которые вы дали раньше, сохранены" in down.text
        assert "Попробуйте ещё раз через минуту" in down.text

        # «Отправить ещё раз» sends the interrupted screen again, now that the database is back.
        resent = _post_form(client, second_url, down.text)
        assert resent.status_code == 302
        assert resent.headers["location"] not in {second_url, step_url}
        assert client.get(resent.headers["location"]).status_code == 200

    answers = _python(env, READ_DRAFT)
    assert '"respondent": "recipient"' in answers
    assert '"used_stand": "yes"' in answers


def test_healthz_names_the_database_while_it_is_down(site: Any) -> None:
    pg, server, _, _ = site
    pg.stop()
    try:
        response = httpx.get(server.url + "/healthz", timeout=30)
    finally:
        pg.start()
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("недоступна")
