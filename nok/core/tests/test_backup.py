"""manage.py backup / restore: a site with scores, survey responses and uploaded evidence is
backed up, restored into a fresh database and media folder by another process, and every
assessment's stored score (inputs, results, total) comes back identical — and current: the
restored site does not need to recompute it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from nok.assessments import services
from nok.assessments.tests.factories import assessment_of, make_campaign, respond, tick
from nok.organizations.tests.factories import make_organization
from nok.scores.models import Score
from nok.scores.refresh import scores_refresh

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[3]

READ_SCORES = """
import django, json; django.setup()
from nok.assessments.models import Campaign
from nok.scores.models import Score
from nok.scores.refresh import stale_assessment_ids
print(json.dumps({
    "scores": {str(s.assessment_id): [s.total, s.low, s.high, s.insufficient] for s in Score.objects.all()},
    "stale": [pk for c in Campaign.objects.all() for pk in stale_assessment_ids(c)],
}))
"""


@pytest.fixture
def fresh_site(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a second site: an empty database of the same kind and an empty
    media folder."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "NOK_SQLITE_PATH"}}
    env.update({"NOK_ENV": "test", "NOK_MEDIA_ROOT": str(tmp_path / "restored-media")})
    if connection.vendor == "sqlite":
        env["NOK_SQLITE_PATH"] = str(tmp_path / "restored.sqlite3")
        yield env
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/postgres"
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def _scored_site(operator: Any) -> list[Score]:
    organizations = [make_organization() for _ in range(3)]
    campaign = make_campaign(organizations, user=operator)
    for n, organization in enumerate(organizations):
        assessment = assessment_of(campaign, organization)
        tick(assessment, "remote_channels", ["phone", "email"][: n + 1], absent=["phone", "email"][n + 1:])
        for _ in range(5 + n):
            respond(assessment)
        respond(assessment, overall="no")
    first = assessment_of(campaign, organizations[0])
    services.checklist_update(
        assessment=first, user=operator, checklist_key="remote_channels",
        items={"phone": services.TickInput(
            present=True, evidence=SimpleUploadedFile("фото стенда.png", b"\x89PNG\r\n\x1a\n" + b"x" * 2000,
                                                      content_type="image/png"))},
    )
    scores_refresh(campaign=campaign)
    return list(Score.objects.order_by("pk"))


def test_a_restored_backup_gives_every_assessment_the_same_total_and_result(
    personas: Any, settings: Any, tmp_path: Path, fresh_site: dict[str, str]
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    scores = _scored_site(personas.operator)
    assert len(scores) == 3 and all(s.total is not None for s in scores)
    evidence = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert len(evidence) == 1
    archive = tmp_path / "nok.tar.gz"

    call_command("backup", "-o", str(archive), verbosity=0)
    restored = _run(fresh_site, "manage.py", "restore", str(archive), "--noinput")

    assert restored.returncode == 0, restored.stderr
    read = json.loads(_run({**fresh_site, "DJANGO_SETTINGS_MODULE": "config.settings"},
                           "-c", READ_SCORES).stdout)
    assert read["scores"] == {str(s.assessment_id): [s.total, s.low, s.high, s.insufficient]
                             for s in scores}
    assert read["stale"] == []
    media = Path(fresh_site["NOK_MEDIA_ROOT"])
    copied = media / evidence[0].relative_to(tmp_path / "media")
    assert copied.read_bytes() == evidence[0].read_bytes()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, fresh_site: dict[str, str]) -> None:
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not an archive")
    proc = _run(fresh_site, "manage.py", "restore", str(bogus), "--noinput")
    assert proc.returncode != 0
    assert "не резервная копия НОК или файл повреждён" in proc.stderr
