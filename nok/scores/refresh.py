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
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Field, Q
from django.utils import timezone

from nok.assessments.models import Assessment, Campaign
from nok.core.db import upsert
from nok.scores.bridge import Headed, collector_paused, headlines
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
        .order_by()  # not by the default (campaign, organization name): no sort needed
        .values_list("pk", flat=True)
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
    stale.sort()  # dense ranges for the reads (``nok.core.db.ids_where``)
    computed_at = _prep("computed_at", timezone.now())
    prepared: dict[tuple[str, ...], Any] = {}  # thousands of scores share a few reasons

    def row(h: Headed) -> tuple[Any, ...]:
        bounds = h.headline.interval or (None, None)
        reasons = h.headline.insufficient
        insufficient = prepared.get(reasons)
        if insufficient is None:
            insufficient = prepared[reasons] = _prep("insufficient", list(reasons))
        return (h.assessment_id, h.data_version, h.organization_stamp, h.methodology_stamp,
                h.headline.total, bounds[0], bounds[1], insufficient, computed_at)

    with collector_paused():  # thousands of rows built and written: no collection pauses
        return upsert(Score, ("assessment_id",), COLUMNS,
                      [row(h) for h in headlines(campaign, stale)])


COLUMNS = ("data_version", "organization_stamp", "methodology_stamp", "total", "low", "high",
           "insufficient", "computed_at")


def _prep(name: str, value: Any) -> Any:
    """A value of a Score column in the database's form."""
    field = Score._meta.get_field(name)
    assert isinstance(field, Field)
    return field.get_db_prep_save(value, connection)
