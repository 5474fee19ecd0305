"""Background tasks of the website audit (django-tasks, run by ``manage.py worker``): one
organization's site, or every site of a campaign with its progress in the job's row."""

from __future__ import annotations

from django_tasks import task

from nok.siteaudit import services


@task()
def site_audit(run_id: int) -> int:
    """Audit one organization's site (the run was created by «Проверить сайт»)."""
    return services.site_audit_execute(run_id=run_id).pk


@task()
def campaign_site_audit(job_id: int) -> int:
    """Audit every site of the campaign one after another, updating the job's progress."""
    return services.campaign_site_audit_execute(job_id=job_id).pk
