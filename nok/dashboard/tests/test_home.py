"""The start page of each role, on a region built through the real services.

The region (``build_region``):
- «НОК 2025», published: only Organization A, with seed 001's fieldwork (every checklist, 3.1
  one condition of five, 3.2 four of six, ten respondents all «да», none disabled), 20
  recipients so that its ten respondents reach the minimum (8). Its results: K1 = K2 = K4 = K5 =
  100, K3 = (0.3 × 20 + 0.4 × 80) / 0.7 = 54.29 (3.3 has no disabled respondent), total
  (400 + 54.29) / 5 = 90.86, place 1 of 1 among the КЦСОН; six shortcomings (3.1 four missing
  conditions, 3.2 two). Its plan is approved with every measure due ten days ago: 6 overdue.
- «НОК 2026», in fieldwork until ten days from today, five organizations:
  Ромашка (Дом ветеранов, г. Кемерово, 5 recipients → minimum 2): every checklist, 2
    responses, a control call — ready;
  Василёк (Дом ветеранов, г. Белово, 5 recipients): one checklist of six, 1 response, an
    import left unfinished — not ready;
  Лютик (КЦСОН, г. Кемерово, 5 recipients): every checklist, 2 responses and 1 flagged — not
    ready (a response waits for review);
  Organization A (КЦСОН, г. Кемерово, minimum 8) and Organization B (КЦСОН, no municipality,
    200 recipients, minimum 80): nothing recorded.
  Totals: 5 organizations, checklists complete 2, sample reached 2, ready 1, responses 5 of
  a minimum of 2 + 2 + 2 + 8 + 80 = 94, flagged 1; without a control call: 4.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nok.assessments import services as fieldwork
from nok.assessments.models import Campaign
from nok.assessments.tests.factories import (
    assessment_of,
    fill_all_checklists,
    methodology,
    respond,
    tick,
)
from nok.organizations.models import Organization
from nok.organizations.services import organization_update
from nok.organizations.tests.factories import make_organization
from nok.plans.models import Plan
from nok.plans.tests.factories import approved_plan, published_campaign, seed_001_fieldwork
from nok.surveys.services import import_job_create
from nok.surveys.tests.factories import make_response

pytestmark = pytest.mark.django_db


@dataclass
class Region:
    published: Campaign
    current: Campaign
    plan: Plan
    romashka: Organization
    vasilek: Organization
    lyutik: Organization


def small(name: str, type_name: str, municipality: str) -> Organization:
    """An organization with 5 recipients (the minimum sample is ceil(0.4 × 5) = 2)."""
    return make_organization(name, short_name=name, type_name=type_name, municipality=municipality,
                             has_home=False, recipients_semi_stationary=5, recipients_home=0)


def build_region(personas: Any) -> Region:
    today = timezone.localdate()
    organization_update(organization=personas.org_a, user=personas.operator, data={
        "recipients_semi_stationary": 10, "recipients_home": 10, "municipality": "г. Кемерово"})
    published = published_campaign(
        [personas.org_a], personas, year=2025, title="НОК 2025",
        fill=lambda c: seed_001_fieldwork(assessment_of(c, personas.org_a)))
    plan = approved_plan(published, personas.org_a, personas, personas.org_admin,
                         planned=today - dt.timedelta(days=10))

    romashka = small("Ромашка", "Дом ветеранов", "г. Кемерово")
    vasilek = small("Василёк", "Дом ветеранов", "г. Белово")
    lyutik = small("Лютик", "КЦСОН", "г. Кемерово")
    current = fieldwork.campaign_create(
        user=personas.operator, title="НОК 2026", year=today.year,
        period_start=today - dt.timedelta(days=60), period_end=today + dt.timedelta(days=10),
        methodology=methodology("social-2018"),
        organizations=[romashka, vasilek, lyutik, personas.org_a, personas.org_b])
    a_romashka, a_vasilek, a_lyutik = (assessment_of(current, o) for o in (romashka, vasilek, lyutik))
    fill_all_checklists(a_romashka)
    fill_all_checklists(a_lyutik)
    tick(a_vasilek, "stand", ["founding", "schedule", "contacts"])
    for assessment, n in ((a_romashka, 2), (a_vasilek, 1), (a_lyutik, 2)):
        for _ in range(n):
            respond(assessment)
    make_response(a_lyutik, status="flagged")
    fieldwork.contact_create(assessment=a_romashka, user=personas.operator, kind="call",
                             date=today - dt.timedelta(days=3), form="semi_stationary",
                             answered=True, effective=True)
    import_job_create(assessment=a_vasilek, filename="выгрузка.csv", user=personas.operator,
                      content="Отметка времени;Вы рекомендовали бы организацию?\n"
                              "01.03.2026 10:00;да\n".encode())
    return Region(published, current, plan, romashka, vasilek, lyutik)


@pytest.fixture
def region(personas: Any) -> Region:
    return build_region(personas)


def page(user: Any) -> str:
    client = Client()
    client.force_login(user)
    answer = client.get(reverse("dashboard:home"))
    assert answer.status_code == 200
    return answer.content.decode()


def text_of(html: str) -> str:
    """The page's text with tags dropped and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def stat(html: str, label: str) -> str:
    """The number of the stat card labelled ``label`` (the first such card)."""
    found = re.search(rf'stat-label">{re.escape(label)}</span><span class="stat-number">([^<]*)<',
                      html)
    assert found, f"no card «{label}»"
    return found.group(1)


def row_cells(html: str, head: str) -> list[str]:
    """The cells after the first cell ``head`` of the first table row that starts with it."""
    found = re.search(rf'<td class="head">{re.escape(head)}</td>(.*?)</tr>', html, re.S)
    assert found, f"no row «{head}»"
    return [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)]


class RegionStartPageTests:
    def test_the_ministry_sees_the_current_campaign_progress_by_type_and_municipality(
            self, personas, region) -> None:
        html = page(personas.ministry)
        assert stat(html, "Организаций") == "5"
        assert stat(html, "Перечни заполнены") == "2"
        assert stat(html, "Выборка набрана") == "2"
        assert stat(html, "Анкет получено") == "5"
        assert "минимальная выборка — 94" in html
        assert stat(html, "Анкет ждут проверки") == "1"
        assert stat(html, "Готовы к публикации") == "1"
        # type: organizations, checklists, sample, responses / minimum, flagged, ready
        assert row_cells(html, "Дом ветеранов") == ["2", "1", "1", "3 / 4", "0", "1"]
        assert row_cells(html, "КЦСОН") == ["3", "1", "1", "2 / 90", "1", "0"]
        assert row_cells(html, "г. Белово") == ["1", "0", "0", "1 / 2", "0", "0"]
        assert row_cells(html, "г. Кемерово") == ["3", "2", "2", "4 / 12", "1", "1"]
        assert row_cells(html, "не указано") == ["1", "0", "0", "0 / 80", "0", "0"]
        assert "осталось 10 дней" in html

    def test_the_ministry_sees_the_published_results_and_the_plans_to_act_on(
            self, personas, region) -> None:
        html = page(personas.ministry)
        text = text_of(html)
        assert "Результаты: НОК 2025" in html
        assert stat(html, "Организаций оценено") == "1"
        assert stat(html, "Получили место в рейтинге") == "1"
        assert stat(html, "Средний итоговый балл") == "90,9"
        # the criteria chart: K3 54,29 drawn as 54,3; the total 90,86 as 90,9
        assert "K3. Доступность услуг для инвалидов: 54,3" in html
        assert "Итоговый балл: 90,9" in html
        assert stat(html, "Утверждён") == "1"
        assert stat(html, "Просрочено мероприятий") == "6"
        assert "6 мероприятий планов просрочено" in text
        assert f'href="{reverse("plans:detail", args=[region.plan.pk])}#item-' in html

    def test_a_campaign_under_review_asks_the_ministry_to_publish(self, personas, region) -> None:
        from nok.scores import services as scores
        from nok.surveys.models import Response
        from nok.surveys.services import response_review

        flagged = Response.objects.get(status="flagged")
        response_review(response=flagged, decision="accepted", reason="проверено по журналу",
                        user=personas.operator)
        scores.campaign_close_fieldwork(campaign=region.current, user=personas.operator)
        html = page(personas.ministry)
        assert reverse("scores:publish", args=[region.current.pk]) in html
        assert "Проверить и опубликовать результаты кампании «НОК 2026»" in html
        council = page(personas.council)
        assert reverse("scores:publish", args=[region.current.pk]) not in council
        assert "Результаты кампании «НОК 2026» на проверке" in council

    def test_the_council_counts_only_the_approved_plans(self, personas, region) -> None:
        html = page(personas.council)
        assert stat(html, "Утверждён") == "1"
        assert "План не составлен" not in html and "Черновик" not in html
        assert "ждёт утверждения" not in html and "ждут утверждения" not in html

    def test_a_submitted_plan_and_a_sent_report_are_on_the_ministrys_list(self, personas,
                                                                            region) -> None:
        from nok.plans import services as plans

        item = region.plan.items.order_by("pk").first()
        plans.plan_item_report(item=item, user=personas.org_admin, report=plans.ReportInput(
            "Пандус установлен", timezone.localdate(), evidence_link="https://example.ru/ramp"))
        text = text_of(page(personas.ministry))
        assert "1 отчёт о мероприятии ждёт решения" in text

    def test_the_region_page_runs_as_many_queries_for_more_organizations(
            self, personas, region, django_assert_max_num_queries) -> None:
        from nok.organizations.tests.factories import page_queries

        before = page_queries(personas.ministry, reverse("dashboard:home"))
        more = [small(f"Филиал {i}", "Дом ветеранов", f"район {i}") for i in range(8)]
        fieldwork.campaign_update(
            campaign=region.current, user=personas.operator, title="НОК 2026",
            year=region.current.year, period_start=region.current.period_start,
            period_end=region.current.period_end, methodology=region.current.methodology,
            organizations=[*Organization.objects.filter(assessments__campaign=region.current), *more])
        for organization in more:
            respond(assessment_of(region.current, organization))
        assert page_queries(personas.ministry, reverse("dashboard:home")) == before
        with django_assert_max_num_queries(40):
            page(personas.ministry)


class OperatorStartPageTests:
    def test_the_operator_sees_what_needs_doing_with_counts_and_links(self, personas,
                                                                      region) -> None:
        html = page(personas.operator)
        text = text_of(html)
        a_vasilek = assessment_of(region.current, region.vasilek)
        a_lyutik = assessment_of(region.current, region.lyutik)
        assert "3 организации — перечни заполнены не полностью" in text
        assert reverse("assessments:assessment_checklists", args=[a_vasilek.pk]) in html
        assert "3 организации — выборка меньше минимальной" in text
        assert "Василёк (1 из 2)" in text
        assert "1 анкета ждёт проверки" in text
        assert f'{reverse("surveys:manage", args=[a_lyutik.pk])}#flagged' in html
        assert "1 импорт анкет не завершён" in text
        job = a_vasilek.survey_imports.get()
        assert reverse("surveys:import_map", args=[job.pk]) in html
        assert "4 организации — не записано ни одного контрольного звонка" in text
        assert "Ромашка" not in text.split("контрольного звонка")[1].split("Ход работ")[0]
        assert "осталось 10 дней" in text

    def test_the_operator_page_runs_as_many_queries_for_more_organizations(
            self, personas, region) -> None:
        from nok.organizations.tests.factories import page_queries

        before = page_queries(personas.operator, reverse("dashboard:home"))
        more = [small(f"Филиал {i}", "КЦСОН", "г. Кемерово") for i in range(8)]
        fieldwork.campaign_update(
            campaign=region.current, user=personas.operator, title="НОК 2026",
            year=region.current.year, period_start=region.current.period_start,
            period_end=region.current.period_end, methodology=region.current.methodology,
            organizations=[*Organization.objects.filter(assessments__campaign=region.current), *more])
        assert page_queries(personas.operator, reverse("dashboard:home")) == before


class OrganizationStartPageTests:
    def test_the_organization_sees_its_scores_place_shortcomings_and_overdue_plan(
            self, personas, region) -> None:
        html = page(personas.org_admin)
        text = text_of(html)
        assert stat(html, "Итоговый балл") == "90,86"
        assert stat(html, "Место среди организаций типа «КЦСОН»") == "1"
        assert "из 1" in text
        assert stat(html, "Недостатков выявлено") == "6"
        assert "выявлено 6 недостатков" in text
        assert row_cells(html, "K3. Доступность услуг для инвалидов")[0] == "54,29"
        assert row_cells(html, "K1. Открытость и доступность информации об организации")[0] == "100"
        assert "6 мероприятий плана просрочено" in text
        assert reverse("plans:detail", args=[region.plan.pk]) in html
        # its survey in the current campaign: 0 of a minimum of 8
        assert "Получено анкет: 0 из минимальной выборки 8" in text

    def test_an_organization_never_sees_another_organizations_figures(self, personas,
                                                                        region) -> None:
        html = page(personas.outsider)
        text = text_of(html)
        assert personas.org_b.short_name in text
        for foreign in (personas.org_a.short_name, "Ромашка", "Василёк", "Лютик", "90,86",
                        "Утверждён", str(region.plan.pk) + "/"):
            assert foreign not in text, foreign
        assert "Опубликованных результатов пока нет" in text
        assert "Получено анкет: 0 из минимальной выборки 80" in text

    def test_the_organization_page_is_bounded_in_queries(self, personas, region,
                                                         django_assert_max_num_queries) -> None:
        with django_assert_max_num_queries(45):
            page(personas.org_admin)


class OtherUsersTests:
    def test_a_user_without_a_role_reads_that_access_is_not_set_up(self, personas) -> None:
        client = Client()
        client.force_login(personas.nobody)
        answer = client.get(reverse("dashboard:home"))
        assert answer.status_code == 403
        body = answer.content.decode()
        assert "Доступ ещё не настроен" in body and "не назначена роль" in body

    def test_an_interviewer_starts_from_its_organizations(self, personas) -> None:
        from nok.organizations.models import Role
        from nok.organizations.tests.factories import make_user

        client = Client()
        client.force_login(make_user("interviewer", Role.INTERVIEWER))
        answer = client.get(reverse("dashboard:home"))
        assert answer.status_code == 302 and answer["Location"] == reverse("fieldwork:home")

    def test_an_empty_region_says_so_to_every_role(self, personas) -> None:
        assert "Кампаний в работе нет" in page(personas.ministry)
        assert "Результаты ещё не опубликованы" in page(personas.council)
        assert "Кампаний в работе нет" in page(personas.operator)
        assert "Опубликованных результатов пока нет" in page(personas.org_admin)



class OperatorSiteAuditQueueTests:
    @pytest.fixture(autouse=True)
    def local_sites(self, settings, tmp_path):  # type: ignore[no-untyped-def]
        settings.NOK_SITE_AUDIT_ALLOW_PRIVATE = True
        settings.NOK_SITE_AUDIT_DELAY = 0
        settings.MEDIA_ROOT = str(tmp_path)

    def test_suggestions_of_the_latest_audit_wait_until_the_operator_decides(
            self, personas, region) -> None:
        from nok.siteaudit import services as audits
        from nok.siteaudit.models import Decision
        from siteaudit.tests.fixtures import site_kcson
        from siteaudit.tests.fixtures.kit import serve

        assessment = assessment_of(region.current, region.lyutik)
        with serve(site_kcson.build().files) as (base, _):
            Organization.objects.filter(pk=region.lyutik.pk).update(website=base + "/")
            run = audits.site_audit_create(assessment=assessment, user=personas.operator)
            run = audits.site_audit_execute(run_id=run.pk)
        # a suggestion per item of the site list (21), of the remote channels (5) and the site
        # version for the visually impaired (3.2): 27, none decided
        assert run.findings.filter(decision=Decision.PENDING).count() == 27
        text = text_of(page(personas.operator))
        assert "27 предложений проверки сайтов ждут решения" in text and "Лютик (27)" in text
        audits.site_finding_decide(finding=run.findings.first(), user=personas.operator,
                                   decision=Decision.REJECTED, note="не тот раздел")
        assert "26 предложений проверки сайтов ждут решения" in text_of(page(personas.operator))


class Social2014Tests:
    def test_a_campaign_without_checklists_shows_its_progress_without_that_column(
            self, personas) -> None:
        from nok.assessments.tests.factories import make_campaign

        make_campaign([personas.org_a, personas.org_b], slug="social-2014", user=personas.operator)
        html = page(personas.ministry)
        assert stat(html, "Организаций") == "2"
        assert "Перечни заполнены" not in html
        assert stat(html, "Выборка набрана") == "0"
        operator = text_of(page(personas.operator))
        assert "перечни заполнены не полностью" not in operator
        assert "2 организации — выборка меньше минимальной" in operator
