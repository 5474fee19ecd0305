"""The campaign-wide survey import as a background task (django-tasks; run by
``manage.py worker``), for a file the worker can read (an upload saved to shared storage, or a
path on the server). Takes and returns JSON-compatible values only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from nok.assessments.models import Campaign
from nok.surveys.bulk_import import BulkImportRefused, survey_import_campaign
from nok.surveys.models import Mode


@task()
def survey_import_file(campaign_id: int, path: str, *, user_id: int | None = None,
                       org_column: str | None = None, mode: str = Mode.ONLINE,
                       flags: bool = True) -> dict[str, Any]:
    """What ``manage.py survey_import`` does. Returns the counts, or on refusal
    ``{"refused": <how many errors>, "errors": [<the first ones, in Russian>]}`` (a refusal is
    an answer, not a failure of the task); other errors (file, campaign closed) fail the task."""
    campaign = Campaign.objects.select_related("methodology").get(pk=campaign_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        result = survey_import_campaign(campaign=campaign, path=path, user=user,
                                        org_column=org_column, mode=mode, flags=flags)
    except BulkImportRefused as refused:
        return {"refused": refused.total, "errors": [str(e) for e in refused.row_errors]}
    return {"rows": result.rows, "imported": result.imported, "skipped": result.skipped,
            "organizations": result.organizations, "flags": result.flags}
