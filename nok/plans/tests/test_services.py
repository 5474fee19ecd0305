"""Plans from real published results: drafting, the rows, the way to approval, the execution
reports — who may make each move, what is refused and why, and the journal of every move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from nok.assessments.tests.factories import assessment_of, make_campaign, methodology
from nok.core.models import AuditEntry
from nok.methodology.services import methodology_load
from nok.plans import selectors, services
from nok.plans.models import Plan, PlanStatus, ReportStatus
from nok.plans.tests.factories import (
    SEED_001_SHORTCOMINGS,
    approved_plan,
    complete,
    item_by_key,
    row,
    seed_001_campaign,
)
from nok.scores.selectors import published_assessment_result

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    return seed_001_campaign(personas)


@pytest.fixture
def plan(campaign, personas):  # type: ignore[no-untyped-def]
    return services.plan_draft(assessment=assessment_of(campaign, personas.org_a),
                               user=personas.org_admin)


def report(done: str = "Пандус установлен, акт приёмки подписан",
           day: dt.date = dt.date(2026, 5, 20), **kwargs) -> services.ReportInput:  # type: ignore[no-untyped-def]
    return services.ReportInput(done, day, **kwargs)


class DraftTests:
    def test_a_plan_has_one_row_per_shortcoming_of_the_published_results(
            self, plan, campaign, personas) -> None:
        published = published_assessment_result(assessment_of(campaign, personas.org_a))
        assert [s.key for s in published.shortcomings()] == SEED_001_SHORTCOMINGS
        assert [i.shortcoming_key for i in plan.items.order_by("position")] == SEED_001_SHORTCOMINGS
        assert plan.status == PlanStatus.DRAFT and plan.snapshot == published.snapshot

    def test_each_row_carries_its_criterion_and_the_catalogues_measure(self, plan) -> None:
        ramps = item_by_key(plan, "disabled_premises:ramps")
        item = methodology_load(methodology()).checklist("disabled_premises").item("ramps")
        assert (ramps.criterion, ramps.criterion_number, ramps.criterion_roman) == ("K3", 3, "III")
        assert ramps.criterion_title == "Доступность услуг для инвалидов"
        assert ramps.shortcoming == item.shortcoming[0].upper() + item.shortcoming[1:]
        assert ramps.measure == item.recommendation[0].upper() + item.recommendation[1:]
        assert ramps.planned_date is None and ramps.responsible == ""
        assert ramps.report_status == ReportStatus.NOT_STARTED

    def test_rows_are_grouped_by_criterion_as_in_the_official_form(self, plan, personas) -> None:
        services.plan_item_add(plan=plan, user=personas.org_admin, criterion="K1",
                               shortcoming="На стенде нет сведений о попечительском совете",
                               row=row("Разместить сведения на стенде"))
        sections = selectors.plan_sections(plan, timezone.localdate())
        assert [(s.roman, s.title) for s in sections] == [
            ("I", "Открытость и доступность информации об организации"),
            ("III", "Доступность услуг для инвалидов")]
        assert [r.number for s in sections for r in s.rows] == list(range(1, 8))

    def test_nothing_is_drafted_before_the_results_are_published(self, personas) -> None:
        fieldwork = make_campaign([personas.org_a])
        with pytest.raises(ValidationError, match="ещё не опубликованы"):
            services.plan_draft(assessment=assessment_of(fieldwork, personas.org_a),
                                user=personas.org_admin)
        assert not Plan.objects.exists()

    def test_only_the_organization_itself_drafts_its_plan(self, campaign, personas) -> None:
        assessment = assessment_of(campaign, personas.org_a)
        for user in (personas.outsider, personas.operator, personas.ministry, personas.council,
                     personas.nobody):
            with pytest.raises(PermissionDenied):
                services.plan_draft(assessment=assessment, user=user)
        assert not Plan.objects.exists()

    def test_a_second_plan_for_the_same_campaign_is_refused(self, plan, campaign, personas) -> None:
        with pytest.raises(ValidationError, match="уже составлен"):
            services.plan_draft(assessment=assessment_of(campaign, personas.org_a),
                                user=personas.org_admin)

    def test_drafting_is_in_the_organizations_journal(self, plan, personas) -> None:
        entry = AuditEntry.objects.get(object_type="plans.plan", action="create")
        assert entry.user == personas.org_admin
        assert (entry.organization_id, entry.campaign_id) == (plan.organization_id, plan.campaign_id)
        assert entry.after["items"] == 6


class RowTests:
    def test_a_planned_date_before_the_campaign_is_refused_naming_the_field(
            self, plan, personas) -> None:
        item = item_by_key(plan, "disabled_premises:ramps")
        with pytest.raises(ValidationError) as caught:
            services.plan_item_update(item=item, user=personas.org_admin,
                                      row=row(planned=dt.date(2025, 2, 28)))
        [message] = caught.value.message_dict["planned_date"]
        assert message == ("Плановый срок реализации 28.02.2025 раньше начала кампании "
                           "«НОК 2025» (01.03.2025)")
        item.refresh_from_db()
        assert item.planned_date is None

    def test_the_first_day_of_the_campaign_is_a_valid_planned_date(self, plan, personas) -> None:
        item = item_by_key(plan, "disabled_premises:ramps")
        services.plan_item_update(item=item, user=personas.org_admin,
                                  row=row(planned=dt.date(2025, 3, 1)))
        item.refresh_from_db()
        assert item.planned_date == dt.date(2025, 3, 1)

    def test_an_empty_measure_is_refused_naming_the_field(self, plan, personas) -> None:
        item = item_by_key(plan, "disabled_premises:ramps")
        with pytest.raises(ValidationError) as caught:
            services.plan_item_update(item=item, user=personas.org_admin, row=row(measure="   "))
        assert caught.value.message_dict["measure"] == [
            "Наименование мероприятия не заполнено: укажите, что будет сделано для устранения "
            "недостатка"]

    def test_a_row_needs_the_responsible_person_and_position(self, plan, personas) -> None:
        item = item_by_key(plan, "disabled_premises:ramps")
        with pytest.raises(ValidationError) as caught:
            services.plan_item_update(item=item, user=personas.org_admin,
                                      row=row(name="", position=""))
        assert set(caught.value.message_dict) == {"responsible_name", "responsible_position"}

    def test_a_drafted_row_keeps_the_shortcoming_the_results_found(self, plan, personas) -> None:
        item = item_by_key(plan, "disabled_premises:ramps")
        before = item.shortcoming
        services.plan_item_update(item=item, user=personas.org_admin, row=row(),
                                  shortcoming="Недостатков нет", criterion="K1")
        item.refresh_from_db()
        assert (item.shortcoming, item.criterion) == (before, "K3")
        assert item.measure == "Установить пандус у главного входа"

    def test_a_row_the_organization_added_may_be_reworded_and_moved(self, plan, personas) -> None:
        own = services.plan_item_add(plan=plan, user=personas.org_admin, criterion="K1",
                                     shortcoming="Нет навигации", row=row())
        services.plan_item_update(item=own, user=personas.org_admin, row=row(),
                                  shortcoming="Нет навигации по зданию", criterion="K2")
        own.refresh_from_db()
        assert (own.shortcoming, own.criterion, own.criterion_number) == (
            "Нет навигации по зданию", "K2", 2)
        assert own.shortcoming_key == ""

    def test_an_unknown_criterion_is_refused(self, plan, personas) -> None:
        with pytest.raises(ValidationError) as caught:
            services.plan_item_add(plan=plan, user=personas.org_admin, criterion="K9",
                                   shortcoming="Нет навигации", row=row())
        assert "criterion" in caught.value.message_dict

    def test_another_organization_may_not_change_the_rows(self, plan, personas) -> None:
        item = item_by_key(plan, "disabled_premises:ramps")
        for user in (personas.outsider, personas.ministry, personas.operator):
            with pytest.raises(PermissionDenied):
                services.plan_item_update(item=item, user=user, row=row())
            with pytest.raises(PermissionDenied):
                services.plan_item_delete(item=item, user=user)
        assert plan.items.count() == 6

    def test_rows_change_only_while_the_plan_is_a_draft_or_returned(self, plan, personas) -> None:
        complete(plan, personas.org_admin)
        services.plan_submit(plan=plan, user=personas.org_admin)
        item = item_by_key(plan, "disabled_premises:ramps")
        with pytest.raises(ValidationError, match="на утверждении"):
            services.plan_item_delete(item=item, user=personas.org_admin)
        with pytest.raises(ValidationError):
            services.plan_item_add(plan=plan, user=personas.org_admin, criterion="K1",
                                   shortcoming="Нет навигации", row=row())
        services.plan_return(plan=plan, user=personas.ministry, comment="Уточните сроки")
        services.plan_item_delete(item=item, user=personas.org_admin)
        assert plan.items.count() == 5

    def test_every_change_of_a_row_is_journaled_with_before_and_after(self, plan, personas) -> None:
        item = item_by_key(plan, "disabled_premises:ramps")
        services.plan_item_update(item=item, user=personas.org_admin, row=row())
        entry = AuditEntry.objects.get(object_type="plans.planitem", action="update")
        assert entry.user == personas.org_admin
        assert entry.before["planned_date"] is None and entry.after["planned_date"] == "2026-06-01"
        labels = [label for label, _, _ in entry.changes_display()]
        assert "плановый срок реализации" in labels
        services.plan_item_delete(item=item, user=personas.org_admin)
        deleted = AuditEntry.objects.get(object_type="plans.planitem", action="delete")
        assert deleted.before["shortcoming_key"] == "disabled_premises:ramps"
        assert (deleted.organization_id, deleted.campaign_id) == (plan.organization_id,
                                                                  plan.campaign_id)


class WorkflowTests:
    def test_an_incomplete_plan_is_not_submitted_and_the_message_names_rows_and_columns(
            self, plan, personas) -> None:
        services.plan_item_update(item=item_by_key(plan, "disabled_premises:ramps"),
                                  user=personas.org_admin, row=row())
        with pytest.raises(ValidationError) as caught:
            services.plan_submit(plan=plan, user=personas.org_admin)
        [message] = caught.value.messages
        assert message.startswith("Заполните строки плана перед отправкой: строка 2 (III) — "
                                  "плановый срок реализации, ответственный исполнитель, "
                                  "должность ответственного;")
        assert "строка 1 " not in message
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT

    def test_an_empty_plan_is_not_submitted(self, plan, personas) -> None:
        for item in plan.items.all():
            services.plan_item_delete(item=item, user=personas.org_admin)
        with pytest.raises(ValidationError, match="нет ни одного мероприятия"):
            services.plan_submit(plan=plan, user=personas.org_admin)

    def test_the_ministry_approves_a_submitted_plan_and_the_journal_says_who_and_when(
            self, plan, personas) -> None:
        complete(plan, personas.org_admin)
        services.plan_submit(plan=plan, user=personas.org_admin)
        services.plan_approve(plan=plan, user=personas.ministry)
        plan.refresh_from_db()
        assert plan.status == PlanStatus.APPROVED
        assert plan.submitted_by == personas.org_admin and plan.decided_by == personas.ministry
        moves = list(AuditEntry.objects.filter(object_type="plans.plan", action="status")
                     .order_by("at", "id"))
        assert [(e.user, e.before["status"], e.after["status"]) for e in moves] == [
            (personas.org_admin, "draft", "submitted"), (personas.ministry, "submitted", "approved")]
        assert all(e.at is not None for e in moves)
        assert moves[1].changes_display() == [("статус", "на утверждении", "утверждён")]
        assert list(selectors.plan_history(plan)) == [moves[1], moves[0], AuditEntry.objects.get(
            object_type="plans.plan", action="create")]

    def test_only_the_ministry_decides_on_a_plan(self, plan, personas) -> None:
        complete(plan, personas.org_admin)
        services.plan_submit(plan=plan, user=personas.org_admin)
        for user in (personas.org_admin, personas.operator, personas.council, personas.outsider):
            with pytest.raises(PermissionDenied):
                services.plan_approve(plan=plan, user=user)
            with pytest.raises(PermissionDenied):
                services.plan_return(plan=plan, user=user, comment="Уточните сроки")
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SUBMITTED

    def test_only_the_organization_submits_its_plan(self, plan, personas) -> None:
        complete(plan, personas.org_admin)
        for user in (personas.outsider, personas.ministry, personas.operator):
            with pytest.raises(PermissionDenied):
                services.plan_submit(plan=plan, user=user)

    def test_a_draft_is_neither_approved_nor_returned(self, plan, personas) -> None:
        with pytest.raises(ValidationError, match="черновик"):
            services.plan_approve(plan=plan, user=personas.ministry)

    def test_a_return_needs_a_comment_and_the_corrected_plan_goes_back_for_approval(
            self, plan, personas) -> None:
        complete(plan, personas.org_admin)
        services.plan_submit(plan=plan, user=personas.org_admin)
        with pytest.raises(ValidationError) as caught:
            services.plan_return(plan=plan, user=personas.ministry, comment="  ")
        assert "comment" in caught.value.message_dict
        services.plan_return(plan=plan, user=personas.ministry,
                             comment="Сроки по пандусу нереальны: перенесите на 2027 год")
        plan.refresh_from_db()
        assert plan.status == PlanStatus.RETURNED
        assert plan.comment == "Сроки по пандусу нереальны: перенесите на 2027 год"
        services.plan_item_update(item=item_by_key(plan, "disabled_premises:ramps"),
                                  user=personas.org_admin, row=row(planned=dt.date(2027, 6, 1)))
        services.plan_submit(plan=plan, user=personas.org_admin)
        services.plan_approve(plan=plan, user=personas.ministry)
        plan.refresh_from_db()
        assert plan.status == PlanStatus.APPROVED
        returned = AuditEntry.objects.get(object_type="plans.plan", after__status="returned")
        assert returned.after["comment"].startswith("Сроки по пандусу")


class ReportTests:
    @pytest.fixture
    def approved(self, campaign, personas):  # type: ignore[no-untyped-def]
        return approved_plan(campaign, personas.org_a, personas, personas.org_admin)

    def test_reports_are_sent_only_for_an_approved_plan(self, plan, personas) -> None:
        with pytest.raises(ValidationError, match="после утверждения плана"):
            services.plan_item_report(item=item_by_key(plan, "disabled_premises:ramps"),
                                      user=personas.org_admin, report=report())

    def test_the_organization_reports_what_was_done_with_evidence(self, approved, personas,
                                                                  settings, tmp_path) -> None:
        settings.MEDIA_ROOT = str(tmp_path)
        item = item_by_key(approved, "disabled_premises:ramps")
        services.plan_item_report(item=item, user=personas.org_admin, report=report(
            evidence=SimpleUploadedFile("akt.png", PNG), evidence_link="https://example.ru/akt"))
        item.refresh_from_db()
        assert item.report_status == ReportStatus.SENT and item.reported_by == personas.org_admin
        assert item.evidence.name.startswith(f"plan-evidence/{approved.pk}/")
        assert item.evidence_link == "https://example.ru/akt"
        entry = AuditEntry.objects.get(object_type="plans.planitem", action="update",
                                       after__report_status="sent")
        assert entry.after["done"] == "Пандус установлен, акт приёмки подписан"

    def test_evidence_is_checked_like_checklist_evidence(self, approved, personas) -> None:
        item = item_by_key(approved, "disabled_premises:ramps")
        with pytest.raises(ValidationError) as caught:
            services.plan_item_report(item=item, user=personas.org_admin, report=report(
                evidence=SimpleUploadedFile("akt.png", b"not a picture")))
        assert "содержимое не похоже на PNG" in str(caught.value)
        item.refresh_from_db()
        assert item.report_status == ReportStatus.NOT_STARTED

    def test_a_report_needs_what_was_done_and_a_date_that_has_come(self, approved, personas) -> None:
        item = item_by_key(approved, "disabled_premises:ramps")
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with pytest.raises(ValidationError) as caught:
            services.plan_item_report(item=item, user=personas.org_admin,
                                      report=report(done="", day=tomorrow))
        errors = caught.value.message_dict
        assert errors["done"] == ["Реализованные меры: опишите, что сделано"]
        assert errors["actual_date"][0].startswith(f"Фактический срок реализации {tomorrow:%d.%m.%Y} ещё не наступил")
        with pytest.raises(ValidationError, match="раньше начала кампании"):
            services.plan_item_report(item=item, user=personas.org_admin,
                                      report=report(day=dt.date(2024, 12, 31)))

    def test_only_the_organization_reports_its_measures(self, approved, personas) -> None:
        item = item_by_key(approved, "disabled_premises:ramps")
        for user in (personas.outsider, personas.ministry, personas.operator):
            with pytest.raises(PermissionDenied):
                services.plan_item_report(item=item, user=user, report=report())

    def test_the_ministry_returns_a_report_with_a_comment_then_accepts_the_corrected_one(
            self, approved, personas) -> None:
        item = item_by_key(approved, "disabled_premises:ramps")
        services.plan_item_report(item=item, user=personas.org_admin, report=report())
        with pytest.raises(ValidationError):
            services.plan_item_report_return(item=item, user=personas.ministry, comment="")
        services.plan_item_report_return(item=item, user=personas.ministry,
                                         comment="Приложите акт приёмки")
        item.refresh_from_db()
        assert (item.report_status, item.report_comment) == (ReportStatus.RETURNED,
                                                             "Приложите акт приёмки")
        with pytest.raises(ValidationError, match="отправленному отчёту"):
            services.plan_item_report_accept(item=item, user=personas.ministry)
        services.plan_item_report(item=item, user=personas.org_admin,
                                  report=report(evidence_link="https://example.ru/akt.pdf"))
        services.plan_item_report_accept(item=item, user=personas.ministry)
        item.refresh_from_db()
        assert item.report_status == ReportStatus.ACCEPTED and item.reviewed_by == personas.ministry
        decisions = AuditEntry.objects.filter(object_type="plans.planitem", action="status",
                                              user=personas.ministry).order_by("at", "id")
        assert [e.after["report_status"] for e in decisions] == ["returned", "accepted"]

    def test_an_accepted_report_is_final(self, approved, personas) -> None:
        item = item_by_key(approved, "disabled_premises:ramps")
        services.plan_item_report(item=item, user=personas.org_admin, report=report())
        services.plan_item_report_accept(item=item, user=personas.ministry)
        with pytest.raises(ValidationError, match="уже принят"):
            services.plan_item_report(item=item, user=personas.org_admin, report=report())

    def test_only_the_ministry_decides_on_a_report(self, approved, personas) -> None:
        item = item_by_key(approved, "disabled_premises:ramps")
        services.plan_item_report(item=item, user=personas.org_admin, report=report())
        for user in (personas.org_admin, personas.operator, personas.council):
            with pytest.raises(PermissionDenied):
                services.plan_item_report_accept(item=item, user=user)
            with pytest.raises(PermissionDenied):
                services.plan_item_report_return(item=item, user=user, comment="Нет акта")
        item.refresh_from_db()
        assert item.report_status == ReportStatus.SENT


class OverdueTests:
    def test_a_measure_is_overdue_from_the_day_after_its_planned_date_until_accepted(
            self, campaign, personas) -> None:
        today = timezone.localdate()
        plan = approved_plan(campaign, personas.org_a, personas, personas.org_admin,
                             planned=today)
        item = item_by_key(plan, "disabled_premises:ramps")
        assert not item.overdue_on(today)
        assert item.overdue_on(today + dt.timedelta(days=1))
        services.plan_item_report(item=item, user=personas.org_admin, report=report(day=today))
        item.refresh_from_db()
        assert item.overdue_on(today + dt.timedelta(days=1))  # sent, not yet accepted
        services.plan_item_report_accept(item=item, user=personas.ministry)
        item.refresh_from_db()
        assert not item.overdue_on(today + dt.timedelta(days=1))

    def test_only_rows_of_approved_plans_count_as_overdue(self, plan, personas) -> None:
        complete(plan, personas.org_admin, planned=dt.date(2025, 6, 1))
        today = timezone.localdate()
        assert not any(r.overdue for s in selectors.plan_sections(plan, today) for r in s.rows)
        assert not selectors.overdue_items(Plan.objects.all(), today).exists()
        services.plan_submit(plan=plan, user=personas.org_admin)
        services.plan_approve(plan=plan, user=personas.ministry)
        plan.refresh_from_db()
        assert all(r.overdue for s in selectors.plan_sections(plan, today) for r in s.rows)
        assert selectors.overdue_items(Plan.objects.all(), today).count() == 6
