"""The campaign's way to publication (current scores are kept by ``nok.scores.refresh``).

- :func:`campaign_close_fieldwork` (operator): fieldwork -> review. Refused while responses
  wait for a review decision (those are fieldwork). Freezes a snapshot of every organization's
  inputs and results with the methodology document, its edition and content hash, the rating
  and the unmet publication preconditions.
- :func:`campaign_return_to_fieldwork` (operator or ministry): review -> fieldwork.
- :func:`campaign_publish` (ministry only): review -> published, after every unmet
  precondition got a recorded reason; the published snapshot is the review one, exactly. The
  call lists of the telephone survey are deleted (journaled).
- :func:`campaign_reopen` (ministry only): published -> fieldwork of the next edition, with a
  recorded reason; the published snapshot of the earlier edition stays as it was.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

import scoring
from nok.assessments.models import Campaign, CampaignStatus
from nok.assessments.services import campaign_status_change
from nok.core.db import upsert
from nok.core.services import acting_user, audit_record
from nok.fieldwork.services import call_lists_delete
from nok.methodology.services import methodology_load
from nok.organizations.access import AnyUser, role_of
from nok.organizations.models import Role
from nok.scores.bridge import collector_paused, frozen
from nok.scores.models import Snapshot, SnapshotRow, SnapshotStage
from nok.scores.selectors import flagged_waiting, frozen_unmet

# --- the way to publication ------------------------------------------------------------------


def _require(user: AnyUser | None, roles: set[str], what: str) -> None:
    if role_of(user) not in roles:
        raise PermissionDenied(what)


def require_ministry(user: AnyUser | None, what: str) -> None:
    """403 with ``what`` unless the user is the ministry (publication, reopening)."""
    _require(user, {Role.MINISTRY}, what)


SNAPSHOT_CHUNK = 500
ROW_COLUMNS = ("organization_id", "organization_name", "organization_type", "type_position",
               "inputs", "results", "total", "low", "high", "place", "insufficient", "unmet",
               "exception")


def _snapshot(campaign: Campaign, user: AnyUser | None, stage: str) -> tuple[Snapshot, int]:
    """Freeze every organization's inputs, results, place and unmet preconditions; returns the
    snapshot and how many organizations it holds.

    One pass over the campaign (``bridge.frozen``, a chunk at a time): each row is kept in the
    database's form (its JSON already encoded, a few kilobytes) until the rating of all of
    them gives its place, then all are written in one statement (``nok.core.db.upsert``: COPY
    on PostgreSQL)."""
    methodology = campaign.methodology
    definition = methodology.definition
    loaded = methodology_load(methodology)
    snapshot = Snapshot.objects.create(
        campaign=campaign, edition=campaign.edition, stage=stage,
        created_by=acting_user(user),
        methodology_slug=loaded.slug, methodology_title=loaded.title,
        methodology_version=loaded.version,
        methodology_sha256=scoring.definition_sha256(definition),
        methodology_definition=definition, rule=loaded.rating.describe(),
    )
    ids = sorted(campaign.assessments.values_list("pk", flat=True))
    dumps = json.dumps  # as JSONField writes it (no encoder of its own)
    entries: list[scoring.RatingEntry] = []
    # assessment id -> its row up to ``high``, and its unmet preconditions (as JSON)
    rows: dict[int, tuple[tuple[Any, ...], str]] = {}
    with collector_paused():  # thousands of short-lived containers, no cycles
        for chunk in frozen(campaign, ids):
            unmet = frozen_unmet(loaded, chunk)
            for f in chunk:
                figures = f.figures
                low, high = figures.intervals.get("total") or (None, None)
                entries.append(scoring.RatingEntry(str(f.assessment_id), f.name, f.type,
                                                   figures.total, figures.insufficient))
                rows[f.assessment_id] = (
                    (snapshot.pk, f.assessment_id, f.organization_id, f.name, f.type,
                     f.type_position, dumps(f.inputs), dumps(f.results), figures.total, low, high),
                    dumps(list(unmet.get(f.assessment_id, ()))),
                )
        placed = []
        for r in scoring.rate(entries, loaded.rating):
            head, unmet_json = rows.pop(int(r.key))
            placed.append((*head, r.position, dumps(list(r.insufficient)), unmet_json, ""))
        upsert(SnapshotRow, ("snapshot_id", "assessment_id"), ROW_COLUMNS, placed)
    return snapshot, len(ids)


@transaction.atomic
def campaign_close_fieldwork(*, campaign: Campaign, user: AnyUser | None) -> Snapshot:
    """fieldwork -> review (operator). Refused while responses await a review decision."""
    _require(user, {Role.OPERATOR}, "Передать кампанию на проверку может только оператор")
    if campaign.status != CampaignStatus.FIELDWORK:
        raise ValidationError("Кампания не на этапе сбора данных")
    campaign_status_change(campaign=campaign, user=user, status=CampaignStatus.REVIEW)
    # The rows are locked and the status is changed: nothing can be written any more.
    waiting = flagged_waiting(campaign)
    if waiting:
        raise ValidationError(
            f"Анкеты ждут решения по проверке ({sum(waiting.values())} в {len(waiting)} "
            "организациях): решения по ним — часть сбора данных. Примите или отклоните их, "
            "затем передайте кампанию на проверку."
        )
    snapshot, n = _snapshot(campaign, user, SnapshotStage.REVIEW)
    audit_record(user=user, action="freeze", obj=campaign, campaign_id=campaign.pk,
                 after={"edition": campaign.edition, "snapshot": snapshot.pk,
                        "organizations": n,
                        "methodology_sha256": snapshot.methodology_sha256})
    return snapshot


@transaction.atomic
def campaign_return_to_fieldwork(*, campaign: Campaign, user: AnyUser | None) -> Campaign:
    """review -> fieldwork (operator or ministry): data may be corrected again. The review
    snapshot stays in the history; the next move to review freezes a new one."""
    _require(user, {Role.OPERATOR, Role.MINISTRY},
             "Вернуть кампанию на сбор данных может оператор или министерство")
    if campaign.status != CampaignStatus.REVIEW:
        raise ValidationError("Кампания не на проверке")
    return campaign_status_change(campaign=campaign, user=user, status=CampaignStatus.FIELDWORK)


def review_snapshot(campaign: Campaign) -> Snapshot:
    """The latest review snapshot of the campaign's current edition."""
    snapshot = Snapshot.objects.filter(campaign=campaign, edition=campaign.edition,
                                       stage=SnapshotStage.REVIEW).first()
    if snapshot is None:
        raise ValidationError("Нет снимка результатов этапа проверки")
    return snapshot


@transaction.atomic
def campaign_publish(*, campaign: Campaign, user: AnyUser | None,
                     exceptions: Mapping[int, str]) -> Snapshot:
    """review -> published (ministry only). Every organization with unmet preconditions needs
    a reason in ``exceptions`` (assessment id -> text); the published snapshot is the review
    one, row for row, with those reasons."""
    _require(user, {Role.MINISTRY}, "Опубликовать результаты может только министерство")
    if campaign.status != CampaignStatus.REVIEW:
        raise ValidationError("Опубликовать можно только кампанию на проверке")
    review = review_snapshot(campaign)
    unmet = [(aid, name) for aid, name, unmet in
             review.rows.values_list("assessment_id", "organization_name", "unmet") if unmet]
    missing = [name for aid, name in unmet if not (exceptions.get(aid) or "").strip()]
    if missing:
        raise ValidationError(
            "Укажите основание публикации для каждой организации с невыполненными условиями: "
            + "; ".join(missing[:10]) + (f" и ещё {len(missing) - 10}" if len(missing) > 10 else "")
        )
    campaign_status_change(campaign=campaign, user=user, status=CampaignStatus.PUBLISHED)
    # The telephone numbers of the survey are not needed any more: deleted (and journaled).
    call_lists_delete(campaign=campaign, user=user)
    published = Snapshot.objects.create(
        campaign=campaign, edition=review.edition, stage=SnapshotStage.PUBLISHED,
        created_by=acting_user(user),
        methodology_slug=review.methodology_slug, methodology_title=review.methodology_title,
        methodology_version=review.methodology_version,
        methodology_sha256=review.methodology_sha256,
        methodology_definition=review.methodology_definition, rule=review.rule,
    )
    reasons = {aid: (exceptions.get(aid) or "").strip() for aid, _ in unmet}
    batch: list[SnapshotRow] = []
    for r in review.rows.order_by("pk").iterator(chunk_size=SNAPSHOT_CHUNK):  # flat memory
        batch.append(SnapshotRow(
            snapshot=published, assessment_id=r.assessment_id, organization_id=r.organization_id,
            organization_name=r.organization_name, organization_type=r.organization_type,
            type_position=r.type_position, inputs=r.inputs, results=r.results, total=r.total,
            low=r.low, high=r.high, place=r.place, insufficient=r.insufficient, unmet=r.unmet,
            exception=reasons.get(r.assessment_id, ""),
        ))
        if len(batch) == SNAPSHOT_CHUNK:
            SnapshotRow.objects.bulk_create(batch)
            batch = []
    SnapshotRow.objects.bulk_create(batch)
    audit_record(user=user, action="publish", obj=campaign, campaign_id=campaign.pk,
                 after={"edition": published.edition, "snapshot": published.pk,
                        "exceptions": {str(k): v for k, v in reasons.items()}})
    return published


@transaction.atomic
def campaign_reopen(*, campaign: Campaign, user: AnyUser | None, reason: str) -> Campaign:
    """published -> fieldwork of the next edition (ministry only), for a correction. The
    published results of the earlier edition stay as they were, visible in the history."""
    _require(user, {Role.MINISTRY}, "Открыть опубликованную кампанию для исправления может "
                                    "только министерство")
    if campaign.status != CampaignStatus.PUBLISHED:
        raise ValidationError("Открыть для исправления можно только опубликованную кампанию")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Укажите, что и почему нужно исправить"})
    edition = campaign.edition + 1
    campaign_status_change(campaign=campaign, user=user, status=CampaignStatus.FIELDWORK,
                           edition=edition)
    audit_record(user=user, action="reopen", obj=campaign, campaign_id=campaign.pk,
                 before={"edition": edition - 1}, after={"edition": edition, "reason": reason})
    return campaign
