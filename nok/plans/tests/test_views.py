"""The plan pages: who sees and changes which plan, Russian messages naming the field on bad
input, overdue measures highlighted for the organization and the ministry, the dashboard."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nok.assessments.tests.factories import assessment_of
from nok.plans import services
from nok.plans.models import Plan, PlanStatus, ReportStatus
from nok.plans.tests.factories import (
    approved_plan,
    complete,
    item_by_key,
    published_campaign,
    row,
    seed_001_campaign,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def texts(answer, xpath: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(" ".join(e.itertext()).split())
            for e in lxml.html.fromstring(answer.content.decode()).xpath(xpath)]


def errors(answer) -> list[str]:  # type: ignore[no-untyped-def]
    return texts(answer, "//ul[contains(@class,'errorlist')]/li")


def flash(answer) -> list[str]:  # type: ignore[no-untyped-def]
    return texts(answer, "//ul[contains(@class,'messages')]/li")


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    return seed_001_campaign(personas)


@pytest.fixture
def plan(campaign, personas):  # type: ignore[no-untyped-def]
    return services.plan_draft(assessment=assessment_of(campaign, personas.org_a),
                               user=personas.org_admin)


class AccessTests:
    def test_an_organization_never_sees_another_organizations_plan(self, plan, personas) -> None:
        other = client_for(personas.outsider)
        item = plan.items.first()
        for url in (reverse("plans:detail", args=[plan.pk]),
                    reverse("plans:item_edit", args=[plan.pk, item.pk]),
                    reverse("plans:report", args=[plan.pk, item.pk]),
                    reverse("plans:export", args=[plan.pk, "json"])):
            assert other.get(url).status_code == 404, url
        assert other.post(reverse("plans:item_edit", args=[plan.pk, item.pk]), {
            "measure": "Чужое мероприятие", "planned_date": "2026-06-01",
            "responsible_name": "Петров", "responsible_position": "директор"}).status_code == 404
        assert other.post(reverse("plans:submit", args=[plan.pk])).status_code == 404
        item.refresh_from_db()
        assert item.measure != "Чужое мероприятие"
        own_list = other.get(reverse("plans:list")).content.decode()
        assert reverse("plans:detail", args=[plan.pk]) not in own_list
        assert "НОК 2025" in own_list  # its own campaign, where it may draft its own plan

    def test_the_ministry_and_the_operator_read_a_draft_but_may_not_edit_it(self, plan,
                                                                              personas) -> None:
        item = plan.items.first()
        for user in (personas.ministry, personas.operator):
            client = client_for(user)
            assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
            assert client.get(reverse("plans:item_edit", args=[plan.pk, item.pk])).status_code == 403

    def test_the_public_council_reads_approved_plans_only(self, campaign, personas) -> None:
        draft = services.plan_draft(assessment=assessment_of(campaign, personas.org_a),
                                    user=personas.org_admin)
        council = client_for(personas.council)
        assert council.get(reverse("plans:detail", args=[draft.pk])).status_code == 404
        complete(draft, personas.org_admin)
        services.plan_submit(plan=draft, user=personas.org_admin)
        services.plan_approve(plan=draft, user=personas.ministry)
        assert council.get(reverse("plans:detail", args=[draft.pk])).status_code == 200


class DraftAndEditTests:
    def test_the_organization_drafts_its_plan_from_its_list(self, campaign, personas) -> None:
        client = client_for(personas.org_admin)
        page = client.get(reverse("plans:list"))
        assert "Составить план" in page.content.decode()
        answer = client.post(reverse("plans:draft", args=[assessment_of(campaign, personas.org_a).pk]))
        plan = Plan.objects.get()
        assert answer.status_code == 302 and answer["Location"] == reverse("plans:detail", args=[plan.pk])
        detail = client.get(answer["Location"])
        body = detail.content.decode()
        assert "III. Доступность услуг для инвалидов" in body
        assert "Входные группы не оборудованы пандусами" in body
        assert "Не заполнено строк: 6" in body

    def test_a_planned_date_before_the_campaign_gets_a_message_naming_the_field(
            self, plan, personas) -> None:
        item = item_by_key(plan, "disabled_premises:ramps")
        answer = client_for(personas.org_admin).post(
            reverse("plans:item_edit", args=[plan.pk, item.pk]),
            {"measure": "Установить пандус", "planned_date": "2025-01-15",
             "responsible_name": "Иванова Анна Петровна", "responsible_position": "директор"})
        assert answer.status_code == 400
        assert errors(answer) == ["Плановый срок реализации 15.01.2025 раньше начала кампании "
                                  "«НОК 2025» (01.03.2025)"]
        item.refresh_from_db()
        assert item.planned_date is None

    def test_an_empty_measure_gets_a_message_naming_the_field(self, plan, personas) -> None:
        item = item_by_key(plan, "disabled_premises:ramps")
        answer = client_for(personas.org_admin).post(
            reverse("plans:item_edit", args=[plan.pk, item.pk]),
            {"measure": "", "planned_date": "2026-06-01",
             "responsible_name": "Иванова Анна Петровна", "responsible_position": "директор"})
        assert answer.status_code == 400
        assert errors(answer) == ["Наименование мероприятия не заполнено: укажите, что будет "
                                  "сделано для устранения недостатка"]

    def test_a_date_that_is_not_a_date_gets_a_message_naming_the_field(self, plan, personas) -> None:
        item = item_by_key(plan, "disabled_premises:ramps")
        answer = client_for(personas.org_admin).post(
            reverse("plans:item_edit", args=[plan.pk, item.pk]),
            {"measure": "Пандус", "planned_date": "31.02.2026",
             "responsible_name": "Иванова", "responsible_position": "директор"})
        assert errors(answer) == ["Плановый срок реализации мероприятия: введите дату в виде "
                                  "ДД.ММ.ГГГГ"]

    def test_a_saved_row_returns_to_the_plan_and_the_next_row_offers_the_same_person(
            self, plan, personas) -> None:
        client = client_for(personas.org_admin)
        ramps = item_by_key(plan, "disabled_premises:ramps")
        answer = client.post(reverse("plans:item_edit", args=[plan.pk, ramps.pk]), {
            "measure": "Установить пандус", "planned_date": "2026-06-01",
            "responsible_name": "Иванова Анна Петровна", "responsible_position": "директор"})
        assert answer.status_code == 302 and answer["Location"].endswith(f"#item-{ramps.pk}")
        parking = item_by_key(plan, "disabled_premises:parking")
        form = client.get(reverse("plans:item_edit", args=[plan.pk, parking.pk])).content.decode()
        assert 'value="Иванова Анна Петровна"' in form

    def test_the_organization_adds_a_row_under_a_criterion(self, plan, personas) -> None:
        answer = client_for(personas.org_admin).post(reverse("plans:item_add", args=[plan.pk]), {
            "criterion": "K1", "shortcoming": "На стенде нет сведений о попечительском совете",
            "measure": "Разместить сведения", "planned_date": "2026-04-01",
            "responsible_name": "Петров Пётр Петрович", "responsible_position": "специалист"})
        assert answer.status_code == 302
        added = plan.items.get(shortcoming_key="")
        assert (added.criterion_number, added.planned_date) == (1, dt.date(2026, 4, 1))

    def test_submitting_an_incomplete_plan_shows_which_rows_are_missing_what(
            self, plan, personas) -> None:
        client = client_for(personas.org_admin)
        answer = client.post(reverse("plans:submit", args=[plan.pk]), follow=True)
        [message] = flash(answer)
        assert message.startswith("Заполните строки плана перед отправкой: строка 1 (III) — "
                                  "плановый срок реализации")
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT


class DecisionTests:
    def test_the_ministry_returns_a_plan_only_with_a_comment(self, plan, personas) -> None:
        complete(plan, personas.org_admin)
        services.plan_submit(plan=plan, user=personas.org_admin)
        ministry = client_for(personas.ministry)
        page = ministry.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert "Утвердить план" in page and "Вернуть с комментарием" in page
        answer = ministry.post(reverse("plans:return", args=[plan.pk]), {"comment": " "},
                               follow=True)
        assert flash(answer) == ["Комментарий: укажите, что нужно исправить"]
        ministry.post(reverse("plans:return", args=[plan.pk]),
                      {"comment": "Перенесите срок по пандусу"})
        plan.refresh_from_db()
        assert plan.status == PlanStatus.RETURNED
        own = client_for(personas.org_admin).get(reverse("plans:detail", args=[plan.pk]))
        assert "Министерство вернуло план на доработку: Перенесите срок по пандусу" in " ".join(
            texts(own, "//p[contains(@class,'notice')]"))

    def test_the_organization_may_not_approve_its_own_plan(self, plan, personas) -> None:
        complete(plan, personas.org_admin)
        services.plan_submit(plan=plan, user=personas.org_admin)
        assert client_for(personas.org_admin).post(
            reverse("plans:approve", args=[plan.pk])).status_code == 403
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SUBMITTED


class ExecutionTests:
    @pytest.fixture
    def approved(self, campaign, personas):  # type: ignore[no-untyped-def]
        return approved_plan(campaign, personas.org_a, personas, personas.org_admin,
                             planned=dt.date(2026, 6, 1))

    def test_overdue_measures_are_highlighted_for_the_organization_and_the_ministry(
            self, approved, personas) -> None:
        # Every planned date (1 June 2026) is before today; one report is accepted.
        ramps = item_by_key(approved, "disabled_premises:ramps")
        services.plan_item_report(item=ramps, user=personas.org_admin, report=services.ReportInput(
            "Пандус установлен", dt.date(2026, 5, 30)))
        services.plan_item_report_accept(item=ramps, user=personas.ministry)
        url = reverse("plans:detail", args=[approved.pk])
        for user in (personas.org_admin, personas.ministry):
            page = client_for(user).get(url)
            overdue = lxml.html.fromstring(page.content.decode()).xpath(
                "//tr[contains(@class,'plan-row') and contains(@class,'overdue')]/@id")
            assert len(overdue) == 5 and f"item-{ramps.pk}" not in overdue
            assert "Просрочено мероприятий: 5." in page.content.decode()
        own_list = client_for(personas.org_admin).get(reverse("plans:list")).content.decode()
        assert '<span class="badge bad">5</span>' in own_list
        board = client_for(personas.ministry).get(reverse("plans:list"))
        rows = texts(board, "//table[contains(@class,'overdue-list')]/tbody/tr")
        assert len(rows) == 5 and all("01.06.2026" in r for r in rows)

    def test_a_report_with_a_date_not_yet_come_gets_a_message_naming_the_field(
            self, approved, personas) -> None:
        item = item_by_key(approved, "disabled_premises:ramps")
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        answer = client_for(personas.org_admin).post(
            reverse("plans:report", args=[approved.pk, item.pk]),
            {"done": "Пандус установлен", "actual_date": tomorrow.isoformat()})
        assert answer.status_code == 400
        assert errors(answer) == [f"Фактический срок реализации {tomorrow:%d.%m.%Y} ещё не "
                                  "наступил: укажите дату, когда мероприятие выполнено"]

    def test_a_report_with_a_file_that_is_not_what_it_says_is_refused(
            self, approved, personas, settings, tmp_path) -> None:
        settings.MEDIA_ROOT = str(tmp_path)
        item = item_by_key(approved, "disabled_premises:ramps")
        answer = client_for(personas.org_admin).post(
            reverse("plans:report", args=[approved.pk, item.pk]),
            {"done": "Пандус установлен", "actual_date": "2026-05-30",
             "evidence": SimpleUploadedFile("akt.pdf", b"MZ not a pdf")})
        assert answer.status_code == 400
        assert errors(answer) == ["Файл «akt.pdf»: содержимое не похоже на PDF"]
        item.refresh_from_db()
        assert item.report_status == ReportStatus.NOT_STARTED

    def test_the_evidence_file_is_served_to_whoever_reads_the_plan(
            self, approved, personas, settings, tmp_path) -> None:
        settings.MEDIA_ROOT = str(tmp_path)
        item = item_by_key(approved, "disabled_premises:ramps")
        client_for(personas.org_admin).post(
            reverse("plans:report", args=[approved.pk, item.pk]),
            {"done": "Пандус установлен", "actual_date": "2026-05-30",
             "evidence": SimpleUploadedFile("akt.pdf", b"%PDF-1.4 act of acceptance")})
        url = reverse("plans:evidence", args=[approved.pk, item.pk])
        for user in (personas.org_admin, personas.ministry, personas.council):
            answer = client_for(user).get(url)
            assert answer.status_code == 200
            assert b"".join(answer.streaming_content) == b"%PDF-1.4 act of acceptance"
            assert answer["Cache-Control"] == "private, no-store"
        assert client_for(personas.outsider).get(url).status_code == 404

    def test_the_ministry_accepts_a_report_from_the_plan_page(self, approved, personas) -> None:
        item = item_by_key(approved, "disabled_premises:ramps")
        services.plan_item_report(item=item, user=personas.org_admin, report=services.ReportInput(
            "Пандус установлен", dt.date(2026, 5, 30)))
        ministry = client_for(personas.ministry)
        page = ministry.get(reverse("plans:detail", args=[approved.pk])).content.decode()
        assert reverse("plans:report_accept", args=[approved.pk, item.pk]) in page
        ministry.post(reverse("plans:report_accept", args=[approved.pk, item.pk]))
        item.refresh_from_db()
        assert item.report_status == ReportStatus.ACCEPTED
        answer = client_for(personas.org_admin).get(
            reverse("plans:report", args=[approved.pk, item.pk]), follow=True)
        assert flash(answer) == ["Отчёт по этому мероприятию уже принят министерством"]


class DashboardTests:
    def test_the_ministry_sees_plans_by_status_type_and_organization(self, personas) -> None:
        campaign = published_campaign([personas.org_a, personas.org_b], personas, year=2025)
        approved_plan(campaign, personas.org_b, personas, personas.outsider,
                      planned=dt.date(2026, 1, 15))
        board = client_for(personas.ministry).get(reverse("plans:list"))
        assert board.status_code == 200
        stats = texts(board, "//div[contains(@class,'stat ')]")
        assert stats == ["План не составлен 1", "Черновик 0", "На утверждении 0",
                         "Возвращён с комментарием 0", "Утверждён 1", "Просрочено мероприятий 1"]
        [by_type] = texts(board, "//table[contains(@class,'by-type')]/tbody/tr")
        assert by_type == "КЦСОН 2 1 0 0 0 1 1"
        organizations = texts(board, "//table[contains(@class,'by-organization')]/tbody/tr")
        assert organizations == ["КЦСОН Канавинского района КЦСОН план не составлен 0 0 0",
                                 "КЦСОН Сормовского района КЦСОН утверждён 1 0 1"]

    def test_the_public_council_sees_only_approved_plans(self, personas) -> None:
        campaign = published_campaign([personas.org_a, personas.org_b], personas, year=2025)
        services.plan_draft(assessment=assessment_of(campaign, personas.org_a),
                            user=personas.org_admin)
        approved_plan(campaign, personas.org_b, personas, personas.outsider)
        board = client_for(personas.council).get(reverse("plans:list"))
        organizations = texts(board, "//table[contains(@class,'by-organization')]/tbody/tr")
        assert organizations == ["КЦСОН Сормовского района КЦСОН утверждён 1 0 1"]
        assert texts(board, "//div[contains(@class,'stat ')]")[0] == "Утверждён 1"

    def test_a_long_overdue_list_shows_the_longest_overdue_first(self, campaign, personas,
                                                                 monkeypatch) -> None:
        monkeypatch.setattr("nok.plans.selectors.OVERDUE_SHOWN", 4)
        plan = services.plan_draft(assessment=assessment_of(campaign, personas.org_a),
                                   user=personas.org_admin)
        for n, item in enumerate(plan.items.order_by("position")):  # 1 … 6 June 2026
            services.plan_item_update(item=item, user=personas.org_admin,
                                      row=row(item.measure, dt.date(2026, 6, 6 - n)))
        services.plan_submit(plan=plan, user=personas.org_admin)
        services.plan_approve(plan=plan, user=personas.ministry)
        board = client_for(personas.ministry).get(reverse("plans:list"))
        rows = texts(board, "//table[contains(@class,'overdue-list')]/tbody/tr")
        assert [r.split()[-3] for r in rows] == ["01.06.2026", "02.06.2026", "03.06.2026",
                                                 "04.06.2026"]
        assert "Показаны самые давние: 4 из 6." in board.content.decode()
        assert texts(board, "//div[contains(@class,'stat-overdue')]") == [
            "Просрочено мероприятий 6"]

    def test_without_published_results_the_dashboard_says_so(self, personas) -> None:
        board = client_for(personas.ministry).get(reverse("plans:list"))
        assert "Результаты кампаний ещё не опубликованы" in board.content.decode()


class OrganizationCardTests:
    def test_the_card_shows_the_criteria_and_total_year_over_year_with_a_chart(
            self, personas) -> None:
        seed_001_campaign(personas, year=2024)
        seed_001_campaign(personas, year=2025, premises=("wheelchairs", "ramps"))
        page = client_for(personas.org_admin).get(
            reverse("dashboard:organization", args=[personas.org_a.pk]))
        rows = texts(page, "//table[contains(@class,'history')]/tbody/tr")
        # K3 = 0.3 × 3.1 + 0.4 × 3.2 + 0.3 × 3.3: 3.1 = 20 × conditions (1, then 2),
        # 3.2 = 80 (4 of 6), 3.3 = 100 (no disabled respondents: excluded, renormalized:
        # K3 = (0.3 × 20 + 0.4 × 80) / 0.7 = 54.29, then (0.3 × 40 + 32) / 0.7 = 62.86);
        # the total is the mean of the five: (400 + 54.29) / 5 = 90.86, then 92.57.
        assert rows == ["НОК 2024 2024 100,00 100,00 54,29 100,00 100,00 90,86",
                        "НОК 2025 2025 100,00 100,00 62,86 100,00 100,00 92,57"]
        svg = lxml.html.fromstring(page.content.decode()).xpath("//svg[@role='img']")
        assert len(svg) == 1
        assert [t.text_content() for t in svg[0].xpath(".//text")][-6:] == [
            "K1", "K2", "K3", "K4", "K5", "Итоговый балл"]
        assert "style=" not in page.content.decode()
