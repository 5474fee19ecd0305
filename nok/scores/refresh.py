"""Current scores kept current: the stale ones are recomputed in one batch before anything
reads them.

A score is stale when its assessment's fieldwork changed since it was computed (the data
version that ``fieldwork_guard`` raises with every write), or the organization's registry card
or the methodology document did. ``nok.scores.selectors`` calls :func:`scores_refresh` before
it reads the results of a fieldwork campaign, so a page, an export or a document always shows
the data as it is now; nobody presses «Пересчитать».
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from nok.assessments.models import Assessment, Campaign
from nok.scores.bridge import Computed, compute
from nok.scores.models import Score


def stale_assessment_ids(campaign: Campaign) -> list[int]:
    """Assessments of the campaign whose stored score is missing or older than their data."""
    return list(
        Assessment.objects.filter(campaign=campaign)
        .filter(
            Q(score__isnull=True)
            | ~Q(score__data_version=F("data_version"))
            | ~Q(score__organization_stamp=F("organization__updated_at"))
            | ~Q(score__methodology_stamp=F("campaign__methodology__updated_at"))
        )
        .values_list("pk", flat=True)
    )


def _score_row(c: Computed, now: datetime) -> Score:
    a = c.assessment
    return Score(
        assessment_id=a.pk, data_version=a.data_version,
        organization_stamp=a.organization.updated_at,
        methodology_stamp=a.campaign.methodology.updated_at,
        total=c.result.total, low=c.interval[0], high=c.interval[1], inputs=c.file,
        results=c.results,
        insufficient=list(c.insufficient), computed_at=now,
    )


@transaction.atomic
def scores_refresh(*, campaign: Campaign, assessment_ids: Iterable[int] | None = None) -> int:
    """Recompute the stale scores of a fieldwork campaign (of these assessments only, if
    given); returns how many were recomputed. A frozen campaign is read from its snapshot,
    so nothing is done for it.

    The data versions are read before the data: a write that lands in between leaves its
    score stale again (recomputed on the next read), never silently current."""
    if not campaign.collecting:
        return 0
    stale = stale_assessment_ids(campaign)
    if assessment_ids is not None:
        wanted = set(assessment_ids)
        stale = [pk for pk in stale if pk in wanted]
    if not stale:
        return 0
    now = timezone.now()
    rows = [_score_row(c, now) for c in compute(stale)]
    Score.objects.bulk_create(
        rows, batch_size=500, update_conflicts=True, unique_fields=["assessment"],
        update_fields=["data_version", "organization_stamp", "methodology_stamp", "total", "low",
                       "high", "inputs", "results", "insufficient", "computed_at"],
    )
    return len(rows)
