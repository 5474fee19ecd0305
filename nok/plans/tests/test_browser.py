"""The plan's whole cycle in real Chromium across two campaigns: a shortcoming of the published
results becomes a measure, the ministry approves the plan, the organization reports the
measure with evidence, the ministry accepts the report, and the next campaign's published
results show the shortcoming resolved. Then the plan pages at 1280 and 390 px."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import login_browser
from nok.assessments.tests.factories import assessment_of
from nok.plans import services
from nok.plans.models import Plan, PlanStatus, ReportStatus
from nok.plans.tests.factories import approved_plan, row, seed_001_campaign

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
RAMPS = "disabled_premises:ramps"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second_page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """Another person's browser (its own context and cookies) on the same live server."""
    contexts = []

    def _open(user: Any) -> Any:
        context = chromium.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.base_url = live_server.url
        login_browser(page, user)
        return page

    yield _open
    for context in contexts:
        context.close()


def accept_dialogs(page: Any) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


class PlanCycleBrowserTests:
    def test_a_shortcoming_becomes_a_measure_a_report_and_is_resolved_the_next_year(
            self, personas, login, second_page) -> None:
        seed_001_campaign(personas, year=2025)
        org = login(personas.org_admin)
        accept_dialogs(org)
        org.goto(f"{org.base_url}/plans/")
        org.get_by_role("button", name="Составить план").click()
        expect(org.locator("h1")).to_have_text("План по устранению недостатков")
        expect(org.locator("tr.criterion-row")).to_have_text(["III. Доступность услуг для инвалидов"])
        plan = Plan.objects.get()
        ramps = plan.items.get(shortcoming_key=RAMPS)

        # The measure of the ramps row, typed by the organization.
        org.locator(f"#item-{ramps.pk}").get_by_role("link", name="Изменить").click()
        org.get_by_label("Наименование мероприятия по устранению недостатка").fill(
            "Установить пандус с поручнями у главного входа")
        org.get_by_label("Плановый срок реализации мероприятия").fill("2026-06-01")
        org.get_by_label("Ответственный исполнитель: фамилия, имя, отчество").fill(
            "Иванова Анна Петровна")
        org.get_by_label("Должность ответственного исполнителя").fill("заместитель директора")
        org.get_by_role("button", name="Сохранить строку").click()
        expect(org.locator(".messages")).to_contain_text("Строка плана сохранена")
        expect(org.locator(f"#item-{ramps.pk}")).to_contain_text("Иванова Анна Петровна, "
                                                                 "заместитель директора")
        for item in plan.items.exclude(pk=ramps.pk):  # the other five rows, as quickly
            services.plan_item_update(item=item, user=personas.org_admin,
                                      row=row(item.measure, dt.date(2027, 6, 1)))
        org.reload()
        org.get_by_role("button", name="Отправить на утверждение").click()
        expect(org.locator(".page-head .badge")).to_have_text("на утверждении")

        # The ministry approves it.
        ministry = second_page(personas.ministry)
        accept_dialogs(ministry)
        ministry.goto(f"{ministry.base_url}/plans/{plan.pk}/")
        ministry.get_by_role("button", name="Утвердить план").click()
        expect(ministry.locator(".page-head .badge")).to_have_text("утверждён")

        # The organization reports the ramps with a photo; the row is overdue until accepted.
        org.reload()
        row_of_ramps = org.locator(f"#item-{ramps.pk}")
        expect(row_of_ramps).to_have_class("plan-row overdue")
        row_of_ramps.get_by_role("link", name="Отчитаться").click()
        org.get_by_label("Реализованные меры по устранению выявленного недостатка").fill(
            "Пандус с поручнями установлен, акт приёмки от 20.05.2026")
        org.get_by_label("Фактический срок реализации").fill("2026-05-20")
        org.get_by_label("Подтверждающий файл (фото или документ)").set_input_files(
            {"name": "pandus.png", "mimeType": "image/png", "buffer": PNG})
        org.get_by_role("button", name="Отправить отчёт").click()
        expect(org.locator(f"#item-{ramps.pk}")).to_contain_text("отчёт отправлен")

        # The ministry accepts the report: the row is no longer overdue.
        ministry.reload()
        ministry.locator(f"#item-{ramps.pk}").get_by_role("button", name="Принять отчёт").click()
        expect(ministry.locator(f"#item-{ramps.pk}")).to_contain_text("принят")
        expect(ministry.locator(f"#item-{ramps.pk}")).not_to_have_class("plan-row overdue")
        ramps.refresh_from_db()
        assert ramps.report_status == ReportStatus.ACCEPTED
        assert ramps.evidence.name.endswith(".png")

        # The next campaign: the ramps are there, everything else as before.
        seed_001_campaign(personas, year=2026, premises=("wheelchairs", "ramps"))
        org.reload()
        expect(org.locator("#follow-up")).to_contain_text("устранено: 1")
        expect(org.locator("#follow-up")).to_contain_text("сохраняется: 5")
        expect(org.locator(f"#item-{ramps.pk}")).to_contain_text("устранён")
        parking = plan.items.get(shortcoming_key="disabled_premises:parking")
        expect(org.locator(f"#item-{parking.pk}")).to_contain_text("сохраняется")

        # The card: K1–K5 and the total of both years, with the chart.
        org.goto(f"{org.base_url}/organizations/{personas.org_a.pk}/")
        expect(org.locator("table.history tbody tr")).to_have_count(2)
        expect(org.locator("svg.history-chart")).to_be_visible()
        plan.refresh_from_db()
        assert plan.status == PlanStatus.APPROVED


def _a_realistic_plan(personas: Any) -> Plan:
    """A's approved plan of 2025 with one row more, one report accepted, one sent, one
    returned; B's draft; the 2026 campaign published (for the next round and the chart)."""
    earlier = seed_001_campaign(personas, year=2025)
    plan = approved_plan(earlier, personas.org_a, personas, personas.org_admin,
                         planned=dt.date(2026, 6, 1))
    items = list(plan.items.order_by("position"))
    services.plan_item_report(item=items[0], user=personas.org_admin, report=services.ReportInput(
        "Пандус с поручнями установлен у главного входа, акт приёмки подписан",
        dt.date(2026, 5, 20), evidence_link="https://kcson.example.ru/documents/akt-pandus.pdf"))
    services.plan_item_report_accept(item=items[0], user=personas.ministry)
    services.plan_item_report(item=items[1], user=personas.org_admin, report=services.ReportInput(
        "Заключён договор на разметку парковки", dt.date(2026, 7, 1)))
    services.plan_item_report(item=items[2], user=personas.org_admin, report=services.ReportInput(
        "Работы запланированы", dt.date(2026, 7, 2)))
    services.plan_item_report_return(item=items[2], user=personas.ministry,
                                     comment="Приложите смету и график работ")
    services.plan_draft(assessment=assessment_of(earlier, personas.org_b), user=personas.outsider)
    seed_001_campaign(personas, year=2026, premises=("wheelchairs", "ramps"))
    return plan


class PlanPagesLayoutTests:
    def test_the_plan_pages_fit_a_desktop_and_a_phone(self, personas, login, second_page) -> None:
        plan = _a_realistic_plan(personas)
        item = plan.items.order_by("position")[3]
        ARTIFACTS.mkdir(exist_ok=True)
        ministry = second_page(personas.ministry)
        org = login(personas.org_admin)
        pages = [
            (org, "org-plan", f"/plans/{plan.pk}/"),
            (org, "org-list", "/plans/"),
            (org, "org-report", f"/plans/{plan.pk}/items/{item.pk}/report/"),
            (org, "org-card", f"/organizations/{personas.org_a.pk}/"),
            (ministry, "ministry-dashboard", "/plans/"),
            (ministry, "ministry-plan", f"/plans/{plan.pk}/"),
        ]
        for width, height in ((1280, 900), (390, 844)):
            for page, name, path in pages:
                page.set_viewport_size({"width": width, "height": height})
                page.goto(page.base_url + path)
                expect(page.locator("h1")).to_be_visible()
                page.screenshot(path=str(ARTIFACTS / f"plans-{name}-{width}.png"), full_page=True)
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= width, f"{path} at {width}px: {scroll}px wide"
        # The row form of a draft (B's own plan).
        outsider = second_page(personas.outsider)
        draft = Plan.objects.get(organization=personas.org_b)
        outsider.goto(f"{outsider.base_url}/plans/{draft.pk}/items/new/")
        outsider.get_by_role("button", name="Сохранить строку").click()  # nothing filled in
        expect(outsider.locator(".errorlist").first).to_be_visible()
        assert "Недостаток: опишите недостаток" in outsider.locator("form.narrow-form").inner_text()
        for width, height in ((1280, 900), (390, 844)):
            outsider.set_viewport_size({"width": width, "height": height})
            outsider.screenshot(path=str(ARTIFACTS / f"plans-row-form-{width}.png"), full_page=True)
            assert outsider.evaluate("document.documentElement.scrollWidth") <= width
