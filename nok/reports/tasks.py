"""Background tasks of the documents (django-tasks, run by ``manage.py worker``)."""

from __future__ import annotations

from django_tasks import task

from nok.reports import services


@task()
def protocols_zip(job_id: int) -> int:
    """The ZIP of every protocol of a campaign, its progress in the job's row."""
    return services.document_job_execute(job_id=job_id).pk
