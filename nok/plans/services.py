"""Every write of improvement plans, and who may make it.

- :func:`plan_draft` (the organization itself, once the campaign's results are published): the
  plan with one row per shortcoming of the published results, the catalogue's measure filled in.
- :func:`plan_item_add`, :func:`plan_item_update`, :func:`plan_item_delete` (the organization,
  while the plan is a draft or was returned).
- :func:`plan_submit` (the organization): draft/returned -> на утверждении, every row complete.
- :func:`plan_approve`, :func:`plan_return` (the ministry; a return needs a comment).
- :func:`plan_item_report` (the organization, once the plan is approved): what was done, when,
  the evidence; :func:`plan_item_report_accept`, :func:`plan_item_report_return` (the ministry).
- :func:`plan_reminders_send`: e-mails the organizations whose measures are due soon or overdue.

Each write locks the plan's row first (two moves on one plan queue) and leaves an audit entry
(who, when, before and after) in the organization's and campaign's journal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from nok.assessments.models import Assessment, Campaign
from nok.core.services import AuditScope, acting_user, audit_record
from nok.organizations.access import AnyUser, own_organization_id, role_of
from nok.organizations.models import Role
from nok.plans import selectors
from nok.plans.models import EDITABLE, Plan, PlanItem, PlanStatus, ReportStatus
from nok.scores.selectors import AssessmentResult, published_assessment_result

# How far ahead a planned date may lie (years after the campaign's year): a later one is a typo.
PLANNED_YEARS_AHEAD = 5


def _require_organization(user: AnyUser | None, organization_id: int, what: str) -> None:
    if own_organization_id(user) != organization_id:
        raise PermissionDenied(what)


def _require_ministry(user: AnyUser | None, what: str) -> None:
    if role_of(user) != Role.MINISTRY:
        raise PermissionDenied(what)


def _scope(plan: Plan) -> AuditScope:
    return {"organization_id": plan.organization_id, "campaign_id": plan.campaign_id}


def _locked(plan_id: int) -> Plan:
    """The plan's row, locked until the transaction ends, read afresh."""
    return Plan.objects.select_for_update().select_related("campaign").get(pk=plan_id)


def _date(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


# --- drafting ---------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    """The catalogue's wording as a line of the plan: «входные группы …» -> «Входные группы …»."""
    return text[:1].upper() + text[1:]


def draft_items(result: AssessmentResult) -> list[PlanItem]:
    """One unsaved row per shortcoming of ``result`` (``scoring.shortcomings``, the one
    derivation), in the methodology's order, with the catalogue's measure (both worded as
    lines of the plan: a capital first letter)."""
    numbers = {c.key: (n, c.title) for n, c in enumerate(result.methodology.criteria, start=1)}
    rows = []
    for position, s in enumerate(result.shortcomings(), start=1):
        number, title = numbers[s.criterion]
        rows.append(PlanItem(
            position=position, criterion=s.criterion, criterion_number=number,
            criterion_title=title, indicator=s.indicator, shortcoming_key=s.key,
            shortcoming=_sentence(s.text), value=s.value, measure=_sentence(s.measure),
        ))
    return rows


@transaction.atomic
def plan_draft(*, assessment: Assessment, user: AnyUser | None) -> Plan:
    """The organization's plan for the campaign, drafted from its published results: one row
    per shortcoming, grouped by criterion, with the catalogue's measure. Refused before the
    results are published and when the plan exists already."""
    _require_organization(user, assessment.organization_id,
                          "Составить план может только сама организация")
    # The assessment's row is locked: two drafts of one plan queue, the second is refused.
    Assessment.objects.select_for_update().filter(pk=assessment.pk).exists()
    if Plan.objects.filter(assessment=assessment).exists():
        raise ValidationError("План по этой кампании уже составлен")
    result = published_assessment_result(assessment)
    if result is None or result.snapshot is None:
        raise ValidationError(
            f"План составляется по опубликованным результатам, а результаты кампании "
            f"«{assessment.campaign}» ещё не опубликованы")
    plan = Plan(assessment=assessment, organization_id=assessment.organization_id,
                campaign_id=assessment.campaign_id, snapshot=result.snapshot,
                created_by=acting_user(user))
    plan.full_clean()
    plan.save()
    items = draft_items(result)
    for item in items:
        item.plan = plan
    PlanItem.objects.bulk_create(items)
    audit_record(user=user, action="create", obj=plan, **_scope(plan),
                 after={"status": plan.status, "items": len(items),
                        "snapshot": result.snapshot.pk})
    return plan


# --- rows of the plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowInput:
    """The columns of a plan row the organization fills in."""

    measure: str
    planned_date: dt.date | None
    responsible_name: str
    responsible_position: str


def _row_errors(campaign: Campaign, row: RowInput) -> dict[str, str]:
    errors = {}
    if not row.measure.strip():
        errors["measure"] = ("Наименование мероприятия не заполнено: укажите, что будет сделано "
                             "для устранения недостатка")
    if row.planned_date is None:
        errors["planned_date"] = "Плановый срок реализации мероприятия: укажите дату"
    elif row.planned_date < campaign.period_start:
        errors["planned_date"] = (
            f"Плановый срок реализации {_date(row.planned_date)} раньше начала кампании "
            f"«{campaign}» ({_date(campaign.period_start)})")
    elif row.planned_date.year > campaign.year + PLANNED_YEARS_AHEAD:
        errors["planned_date"] = (
            f"Плановый срок реализации {_date(row.planned_date)} позже "
            f"{campaign.year + PLANNED_YEARS_AHEAD} года: проверьте год")
    if not row.responsible_name.strip():
        errors["responsible_name"] = ("Ответственный исполнитель: укажите фамилию, имя и "
                                      "отчество")
    if not row.responsible_position.strip():
        errors["responsible_position"] = "Должность ответственного исполнителя не заполнена"
    return errors


def _editable(plan: Plan, user: AnyUser | None) -> Plan:
    """The plan locked, after checking that the user's organization may change its rows now."""
    _require_organization(user, plan.organization_id, "Изменять план может только сама организация")
    locked = _locked(plan.pk)
    if locked.status not in EDITABLE:
        raise ValidationError(
            f"План {locked.get_status_display()}: строки можно изменять, пока план — черновик "
            "или возвращён министерством")
    return locked


def _criterion(plan: Plan, key: str) -> tuple[int, str]:
    methodology = selectors.plan_methodology(plan)
    for number, criterion in enumerate(methodology.criteria, start=1):
        if criterion.key == key:
            return number, criterion.title
    raise ValidationError({"criterion": "Критерий: выберите критерий из списка"})


def _apply(item: PlanItem, row: RowInput) -> None:
    item.measure = row.measure.strip()
    item.planned_date = row.planned_date
    item.responsible_name = row.responsible_name.strip()
    item.responsible_position = row.responsible_position.strip()


@transaction.atomic
def plan_item_add(*, plan: Plan, user: AnyUser | None, criterion: str, shortcoming: str,
                  row: RowInput) -> PlanItem:
    """A row the organization adds itself (a shortcoming it found, or a second measure)."""
    locked = _editable(plan, user)
    errors = _row_errors(locked.campaign, row)
    if not shortcoming.strip():
        errors["shortcoming"] = "Недостаток: опишите недостаток, который устраняет мероприятие"
    if errors:
        raise ValidationError(errors)
    number, title = _criterion(locked, criterion)
    last = max(locked.items.values_list("position", flat=True), default=0)
    item = PlanItem(plan=locked, position=last + 1, criterion=criterion, criterion_number=number,
                    criterion_title=title, shortcoming=shortcoming.strip())
    _apply(item, row)
    item.full_clean()
    item.save()
    audit_record(user=user, action="create", obj=item, after=item.plan_fields(), **_scope(locked))
    return item


@transaction.atomic
def plan_item_update(*, item: PlanItem, user: AnyUser | None, row: RowInput,
                     criterion: str | None = None, shortcoming: str | None = None) -> PlanItem:
    """The organization's columns of a row; the criterion and the shortcoming's wording only
    of a row it added itself (a drafted row keeps the shortcoming as the results found it)."""
    locked = _editable(item.plan, user)
    item = locked.items.get(pk=item.pk)
    errors = _row_errors(locked.campaign, row)
    own_row = not item.shortcoming_key
    if own_row and shortcoming is not None and not shortcoming.strip():
        errors["shortcoming"] = "Недостаток: опишите недостаток, который устраняет мероприятие"
    if errors:
        raise ValidationError(errors)
    before = item.plan_fields()
    if own_row and criterion is not None and criterion != item.criterion:
        item.criterion = criterion
        item.criterion_number, item.criterion_title = _criterion(locked, criterion)
    if own_row and shortcoming is not None:
        item.shortcoming = shortcoming.strip()
    _apply(item, row)
    item.full_clean()
    item.save()
    audit_record(user=user, action="update", obj=item, before=before, after=item.plan_fields(),
                 **_scope(locked))
    return item


@transaction.atomic
def plan_item_delete(*, item: PlanItem, user: AnyUser | None) -> None:
    locked = _editable(item.plan, user)
    item = locked.items.get(pk=item.pk)
    before = item.plan_fields() | {"shortcoming_key": item.shortcoming_key}
    audit_record(user=user, action="delete", obj=item, before=before, **_scope(locked))
    item.delete()


# --- the plan's way to approval -------------------------------------------------------------


def _status_change(plan: Plan, user: AnyUser | None, status: str, **after: Any) -> Plan:
    before = {"status": plan.status}
    plan.status = status
    plan.full_clean()
    plan.save()
    audit_record(user=user, action="status", obj=plan, before=before,
                 after={"status": status, **after}, **_scope(plan))
    return plan


def _incomplete(item: PlanItem) -> list[str]:
    missing = []
    if not item.measure.strip():
        missing.append("наименование мероприятия")
    if item.planned_date is None:
        missing.append("плановый срок реализации")
    if not item.responsible_name.strip():
        missing.append("ответственный исполнитель")
    if not item.responsible_position.strip():
        missing.append("должность ответственного")
    return missing


@transaction.atomic
def plan_submit(*, plan: Plan, user: AnyUser | None) -> Plan:
    """черновик / возвращён -> на утверждении (the organization), every row complete."""
    _require_organization(user, plan.organization_id,
                          "Отправить план на утверждение может только сама организация")
    locked = _locked(plan.pk)
    if locked.status not in EDITABLE:
        raise ValidationError(f"План уже {locked.get_status_display()}")
    items = list(locked.items.order_by("criterion_number", "position", "pk"))
    if not items:
        raise ValidationError("В плане нет ни одного мероприятия: добавьте строку")
    gaps = [f"строка {n} ({item.criterion_roman}) — {', '.join(missing)}"
            for n, item in enumerate(items, start=1) if (missing := _incomplete(item))]
    if gaps:
        shown = "; ".join(gaps[:10]) + (f" и ещё {len(gaps) - 10}" if len(gaps) > 10 else "")
        raise ValidationError(f"Заполните строки плана перед отправкой: {shown}")
    for n, item in enumerate(items, start=1):
        dated = _row_errors(locked.campaign, RowInput(item.measure, item.planned_date,
                                                      item.responsible_name,
                                                      item.responsible_position))
        if dated:
            raise ValidationError(f"Строка {n} ({item.criterion_roman}): {dated['planned_date']}")
    locked.submitted_at, locked.submitted_by = timezone.now(), acting_user(user)
    return _status_change(locked, user, PlanStatus.SUBMITTED)


def _decision(plan: Plan, user: AnyUser | None, what: str) -> Plan:
    _require_ministry(user, what)
    locked = _locked(plan.pk)
    if locked.status != PlanStatus.SUBMITTED:
        raise ValidationError(f"Решение принимается по плану на утверждении, а этот план "
                              f"{locked.get_status_display()}")
    locked.decided_at, locked.decided_by = timezone.now(), acting_user(user)
    return locked


@transaction.atomic
def plan_approve(*, plan: Plan, user: AnyUser | None) -> Plan:
    """на утверждении -> утверждён (the ministry)."""
    locked = _decision(plan, user, "Утвердить план может только министерство")
    return _status_change(locked, user, PlanStatus.APPROVED)


@transaction.atomic
def plan_return(*, plan: Plan, user: AnyUser | None, comment: str) -> Plan:
    """на утверждении -> возвращён с комментарием (the ministry; the comment is required)."""
    comment = (comment or "").strip()
    _require_ministry(user, "Вернуть план может только министерство")
    if not comment:
        raise ValidationError({"comment": "Комментарий министерства: укажите, что нужно "
                                          "исправить в плане"})
    locked = _decision(plan, user, "Вернуть план может только министерство")
    locked.comment = comment
    return _status_change(locked, user, PlanStatus.RETURNED, comment=comment)


# --- execution reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    """What the organization reports about one measure."""

    done: str
    actual_date: dt.date | None
    evidence: UploadedFile | None = None
    evidence_link: str = ""
    clear_evidence: bool = False


def _report_errors(campaign: Campaign, report: ReportInput, today: dt.date) -> dict[str, str]:
    errors = {}
    if not report.done.strip():
        errors["done"] = "Реализованные меры: опишите, что сделано"
    if report.actual_date is None:
        errors["actual_date"] = "Фактический срок реализации: укажите дату"
    elif report.actual_date < campaign.period_start:
        errors["actual_date"] = (
            f"Фактический срок реализации {_date(report.actual_date)} раньше начала кампании "
            f"«{campaign}» ({_date(campaign.period_start)})")
    elif report.actual_date > today:
        errors["actual_date"] = (f"Фактический срок реализации {_date(report.actual_date)} ещё не "
                                 "наступил: укажите дату, когда мероприятие выполнено")
    return errors


@transaction.atomic
def plan_item_report(*, item: PlanItem, user: AnyUser | None, report: ReportInput) -> PlanItem:
    """The organization reports a measure of its approved plan (sent again after a return,
    or corrected before the ministry decides); an accepted report is final."""
    _require_organization(user, item.plan.organization_id,
                          "Отчитаться о мероприятии может только сама организация")
    locked = _locked(item.plan_id)
    if locked.status != PlanStatus.APPROVED:
        raise ValidationError("Отчёт о выполнении мероприятий отправляется после утверждения плана")
    item = locked.items.get(pk=item.pk)
    if item.report_status == ReportStatus.ACCEPTED:
        raise ValidationError("Отчёт по этому мероприятию уже принят министерством")
    errors = _report_errors(locked.campaign, report, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    before = item.report_fields()
    item.done, item.actual_date = report.done.strip(), report.actual_date
    item.evidence_link = report.evidence_link.strip()
    if report.evidence is not None:
        item.evidence = report.evidence
    elif report.clear_evidence:
        item.evidence = None
    item.report_status = ReportStatus.SENT
    item.reported_at, item.reported_by = timezone.now(), acting_user(user)
    item.full_clean()
    item.save()
    audit_record(user=user, action="update", obj=item, before=before, after=item.report_fields(),
                 **_scope(locked))
    return item


def _report_decision(item: PlanItem, user: AnyUser | None, what: str) -> tuple[Plan, PlanItem]:
    _require_ministry(user, what)
    locked = _locked(item.plan_id)
    item = locked.items.get(pk=item.pk)
    if item.report_status != ReportStatus.SENT:
        raise ValidationError(f"Решение принимается по отправленному отчёту, а состояние отчёта — "
                              f"«{item.get_report_status_display()}»")
    item.reviewed_at, item.reviewed_by = timezone.now(), acting_user(user)
    return locked, item


def _report_status(plan: Plan, item: PlanItem, user: AnyUser | None, status: str) -> PlanItem:
    before = {"report_status": ReportStatus.SENT}
    item.report_status = status
    item.full_clean()
    item.save()
    audit_record(user=user, action="status", obj=item, before=before,
                 after={"report_status": status, "report_comment": item.report_comment},
                 **_scope(plan))
    return item


@transaction.atomic
def plan_item_report_accept(*, item: PlanItem, user: AnyUser | None) -> PlanItem:
    """отчёт отправлен -> принят (the ministry)."""
    plan, locked = _report_decision(item, user, "Принять отчёт может только министерство")
    return _report_status(plan, locked, user, ReportStatus.ACCEPTED)


@transaction.atomic
def plan_item_report_return(*, item: PlanItem, user: AnyUser | None, comment: str) -> PlanItem:
    """отчёт отправлен -> возвращён с комментарием (the ministry; the comment is required)."""
    comment = (comment or "").strip()
    _require_ministry(user, "Вернуть отчёт может только министерство")
    if not comment:
        raise ValidationError({"comment": "Комментарий к отчёту: укажите, что нужно дополнить "
                                          "или исправить"})
    plan, locked = _report_decision(item, user, "Вернуть отчёт может только министерство")
    locked.report_comment = comment
    return _report_status(plan, locked, user, ReportStatus.RETURNED)


# --- reminders ----------------------------------------------------------------------------------


@dataclass
class ReminderSummary:
    """What :func:`plan_reminders_send` did: messages sent, measures they named, and the
    organizations that have measures due but no user with an e-mail address."""

    messages: int = 0
    items: int = 0
    without_address: list[str] = field(default_factory=list)


def _reminder_text(reminder: selectors.Reminder, days: int, today: dt.date) -> str:
    lines = ["Здравствуйте!", "",
             f"Напоминаем о сроках мероприятий плана по устранению недостатков, выявленных в ходе "
             f"независимой оценки качества условий оказания услуг, — {reminder.organization}.", ""]
    for plan, overdue, due in reminder.plans:
        lines.append(f"{plan.campaign}:")
        if overdue:
            lines.append("  Просрочены (плановый срок прошёл, отчёт не принят):")
            lines += [f"  — {item.measure} (срок {_date(item.planned_date)})"
                      for item in overdue if item.planned_date]
        if due:
            lines.append("  " + ngettext(
                "Срок наступает в ближайший %(n)s день:",
                "Срок наступает в ближайшие %(n)s дней:", days) % {"n": days})
            lines += [f"  — {item.measure} (срок {_date(item.planned_date)})"
                      for item in due if item.planned_date]
        url = settings.SITE_URL.rstrip("/") + reverse("plans:detail", args=[plan.pk])
        lines += [f"  План и отчёт о выполнении: {url}", ""]
    lines.append(f"Письмо отправлено автоматически {_date(today)}.")
    return "\n".join(lines)


def plan_reminders_send(*, today: dt.date, days: int) -> ReminderSummary:
    """One e-mail per organization whose approved plans have measures due within ``days`` days
    or overdue (planned date passed, report not accepted), to its active users with an address,
    through Django's mail framework (``EMAIL_BACKEND``; the console by default)."""
    summary = ReminderSummary()
    messages = []
    for reminder in selectors.reminders_due(today=today, days=days):
        if not reminder.addresses:
            summary.without_address.append(str(reminder.organization))
            continue
        count = sum(len(overdue) + len(due) for _, overdue, due in reminder.plans)
        subject = f"НОК: сроки мероприятий плана — {reminder.organization}"
        messages.append(EmailMessage(subject[:250], _reminder_text(reminder, days, today),
                                     to=list(reminder.addresses)))
        summary.items += count
    if messages:
        summary.messages = get_connection().send_messages(messages) or 0
    return summary

