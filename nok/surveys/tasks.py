"""Background tasks of the survey (django-tasks; run by ``manage.py worker``).

Tasks take and return JSON-compatible values only (ids, not model instances): they wait in
the database queue between the code that enqueues them and the worker that runs them.
"""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from nok.surveys.services import drafts_purge, import_uploads_purge


@task()
def survey_drafts_purge(days: int = 60) -> dict[str, int]:
    """What ``manage.py survey_drafts_purge`` does, in the background: delete drafts
    untouched for ``days`` days and import uploads never run after 7 days; returns the counts."""
    return {
        "drafts": drafts_purge(older_than=timedelta(days=days)),
        "uploads": import_uploads_purge(older_than=timedelta(days=7)),
    }
