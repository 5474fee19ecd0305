"""Deadline reminders through Django's mail framework: the command and the background task."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from nok.assessments.tests.factories import assessment_of
from nok.organizations.models import Role
from nok.organizations.tests.factories import make_user
from nok.plans import services
from nok.plans.tasks import plan_reminders
from nok.plans.tests.factories import (
    SEED_001_SHORTCOMINGS,
    item_by_key,
    row,
    seed_001_campaign,
)

TODAY = dt.date(2026, 6, 1)


def reminders(days: int) -> str:
    """The command as cron runs it, on 1 June 2026."""
    out = io.StringIO()
    call_command("plan_reminders", "--today", TODAY.isoformat(), "--days", str(days), stdout=out)
    return out.getvalue()


@pytest.fixture
def approve(personas):  # type: ignore[no-untyped-def]
    """A's plan with every row due on 1 July 2026 except the ``dates`` given (shortcoming key ->
    planned date), submitted and approved; the director's address is on file."""
    personas.org_admin.email = "director@kcson.example.ru"
    personas.org_admin.save()
    campaign = seed_001_campaign(personas)

    def _approve(dates: dict[str, dt.date]):  # type: ignore[no-untyped-def]
        plan = services.plan_draft(assessment=assessment_of(campaign, personas.org_a),
                                   user=personas.org_admin)
        for item in plan.items.all():
            services.plan_item_update(item=item, user=personas.org_admin, row=row(
                item.measure, dates.get(item.shortcoming_key, dt.date(2026, 7, 1))))
        services.plan_submit(plan=plan, user=personas.org_admin)
        services.plan_approve(plan=plan, user=personas.ministry)
        mail.outbox.clear()
        return plan

    return _approve


@pytest.mark.django_db
class ReminderCommandTests:
    def test_the_organization_gets_one_letter_naming_overdue_and_coming_measures(
            self, approve, personas) -> None:
        plan = approve({"disabled_premises:ramps": dt.date(2026, 5, 31),
                        "disabled_premises:parking": dt.date(2026, 6, 15),
                        "disabled_premises:sanitary_rooms": dt.date(2026, 5, 30)})
        sanitary = item_by_key(plan, "disabled_premises:sanitary_rooms")
        services.plan_item_report(item=sanitary, user=personas.org_admin,
                                  report=services.ReportInput("Санузел оборудован",
                                                              dt.date(2026, 5, 29)))
        mail.outbox.clear()
        output = reminders(days=14)
        assert output.splitlines() == ["Отправлено писем: 1; мероприятий в них: 2"]
        [letter] = mail.outbox
        assert letter.to == ["director@kcson.example.ru"]
        assert letter.subject == "НОК: сроки мероприятий плана — КЦСОН Канавинского района"
        body = letter.body
        overdue, coming = body.index("Просрочены"), body.index("Срок наступает")
        ramps = body.index("Предусмотреть оборудование входных групп пандусами")
        parking = body.index("Предусмотреть стоянки")
        assert overdue < ramps < coming < parking
        assert "(срок 31.05.2026)" in body and "(срок 15.06.2026)" in body
        assert "Срок наступает в ближайшие 14 дней:" in body
        assert "санитарно-гигиенических" not in body  # reported: waits for the ministry
        assert f"/plans/{plan.pk}/" in body

    def test_nothing_is_sent_when_nothing_is_due(self, approve) -> None:
        approve({})
        assert reminders(days=14).splitlines() == ["Отправлено писем: 0; мероприятий в них: 0"]
        assert mail.outbox == []

    def test_the_window_counts_plural_days_in_russian(self, approve) -> None:
        approve({"disabled_premises:parking": dt.date(2026, 6, 2)})
        for days, phrase in ((1, "в ближайший 1 день"), (3, "в ближайшие 3 дня"),
                             (21, "в ближайший 21 день"), (11, "в ближайшие 11 дней")):
            mail.outbox.clear()
            reminders(days=days)
            assert f"Срок наступает {phrase}:" in mail.outbox[0].body, days

    def test_an_organization_without_an_address_is_named(self, approve, personas) -> None:
        approve({"disabled_premises:ramps": dt.date(2026, 5, 31)})
        personas.org_admin.email = ""
        personas.org_admin.save()
        output = reminders(days=14)
        assert "Нет адреса электронной почты ни у одного пользователя организации: " \
               "КЦСОН Канавинского района" in output
        assert mail.outbox == []

    def test_every_active_user_of_the_organization_gets_it_and_no_one_else(
            self, approve, personas) -> None:
        deputy = make_user("deputy", Role.ORGANIZATION, personas.org_a)
        deputy.email = "deputy@kcson.example.ru"
        deputy.save()
        gone = make_user("gone", Role.ORGANIZATION, personas.org_a)
        gone.email, gone.is_active = "gone@kcson.example.ru", False
        gone.save()
        personas.ministry.email = "ministry@example.ru"
        personas.ministry.save()
        approve({"disabled_premises:ramps": dt.date(2026, 5, 31)})
        reminders(days=14)
        [letter] = mail.outbox
        assert letter.to == ["deputy@kcson.example.ru", "director@kcson.example.ru"]

    def test_a_negative_window_is_refused(self) -> None:
        with pytest.raises(CommandError, match="не может быть отрицательным"):
            reminders(days=-1)


class ReminderTaskTests:
    @pytest.mark.django_db(transaction=True)
    def test_the_background_task_sends_the_same_letters(self, approve, run_tasks) -> None:
        today = timezone.localdate()  # the task reminds as of today
        later = today + dt.timedelta(days=60)
        approve({key: today - dt.timedelta(days=1) if key == "disabled_premises:ramps" else later
                 for key in SEED_001_SHORTCOMINGS})
        result = plan_reminders.enqueue(days=14)
        assert mail.outbox == []  # nothing is sent when the task is queued
        assert run_tasks() == 1
        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == {"messages": 1, "items": 1, "without_address": []}
        assert mail.outbox[0].to == ["director@kcson.example.ru"]
