"""Background tasks of the documents (django-tasks, run by ``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from nok.reports import services


@task()
def protocols_zip(job_id: int) -> int:
    """The job's file — the ZIP of every protocol of a campaign, or a large campaign's rating
    or regional report —, its progress in the job's row (the name is kept: queued tasks name
    it)."""
    return services.document_job_execute(job_id=job_id).pk
