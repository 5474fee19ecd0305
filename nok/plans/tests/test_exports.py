"""CSV and JSON of a plan and of a campaign's approved plans, downloaded and read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from nok.assessments.tests.factories import assessment_of
from nok.plans import selectors, services
from nok.plans.exports import COLUMNS, ORGANIZATION_COLUMNS
from nok.plans.tests.factories import (
    approved_plan,
    complete,
    item_by_key,
    row,
    seed_001_campaign,
)

pytestmark = pytest.mark.django_db


def download(user, url: str):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer


def read_csv(answer) -> list[list[str]]:  # type: ignore[no-untyped-def]
    text = answer.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet programs read the Cyrillic right
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    return seed_001_campaign(personas)


@pytest.fixture
def plan(campaign, personas):  # type: ignore[no-untyped-def]
    """A's approved plan; the ramps measure reported and accepted."""
    plan = approved_plan(campaign, personas.org_a, personas, personas.org_admin)
    ramps = item_by_key(plan, "disabled_premises:ramps")
    services.plan_item_report(item=ramps, user=personas.org_admin, report=services.ReportInput(
        "Пандус установлен у главного входа", dt.date(2026, 5, 20),
        evidence_link="https://kcson.example.ru/akt.pdf"))
    services.plan_item_report_accept(item=ramps, user=personas.ministry)
    return plan


class PlanExportTests:
    def test_the_plan_as_csv_has_the_columns_of_the_official_form(self, plan, personas) -> None:
        answer = download(personas.org_admin, reverse("plans:export", args=[plan.pk, "csv"]))
        assert answer["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in answer["Content-Disposition"]
        header, *rows = read_csv(answer)
        assert header == COLUMNS
        assert len(rows) == 6
        assert rows[0] == [
            "1", "III. Доступность услуг для инвалидов",
            "Входные группы не оборудованы пандусами (подъёмными платформами)",
            "Предусмотреть оборудование входных групп пандусами (подъёмными платформами)",
            "2026-06-01", "Иванова Анна Петровна, заместитель директора",
            "Пандус установлен у главного входа", "2026-05-20", "принят",
            "disabled_premises:ramps",
        ]
        assert rows[1][6:9] == ["", "", "не начато"]

    def test_seed_002s_layout_is_a_selection_of_the_columns(self, plan, personas) -> None:
        """Seed 002: КРИТЕРИИ, ВЫЯВЛЕННЫЕ ЗАМЕЧАНИЯ, МЕРОПРИЯТИЯ ПО УСТРАНЕНИЮ ЗАМЕЧАНИЙ, РЕЗУЛЬТАТЫ."""
        header, *rows = read_csv(download(personas.ministry,
                                          reverse("plans:export", args=[plan.pk, "csv"])))
        pick = [header.index(c) for c in (COLUMNS[1], COLUMNS[2], COLUMNS[3], COLUMNS[6])]
        seed_002 = [[r[i] for i in pick] for r in rows]
        assert seed_002[0] == [
            "III. Доступность услуг для инвалидов",
            "Входные группы не оборудованы пандусами (подъёмными платформами)",
            "Предусмотреть оборудование входных групп пандусами (подъёмными платформами)",
            "Пандус установлен у главного входа"]

    def test_the_plan_as_json_reads_back_with_every_field(self, plan, personas) -> None:
        answer = download(personas.council, reverse("plans:export", args=[plan.pk, "json"]))
        assert answer["Content-Type"] == "application/json; charset=utf-8"
        document = json.loads(answer.content)
        assert (document["format"], document["version"]) == ("nok-plan", 1)
        assert document["organization"]["name"] == personas.org_a.name
        assert document["campaign"]["year"] == 2025
        assert document["status"] == {"code": "approved", "label": "утверждён"}
        first = document["items"][0]
        assert first["criterion"] == {"key": "K3", "number": "III",
                                      "title": "Доступность услуг для инвалидов"}
        assert first["shortcoming"]["key"] == "disabled_premises:ramps"
        assert first["shortcoming"]["indicator"] == "3.1"
        assert first["responsible"] == {"name": "Иванова Анна Петровна",
                                        "position": "заместитель директора"}
        assert (first["planned_date"], first["actual_date"]) == ("2026-06-01", "2026-05-20")
        assert first["evidence"] == {"file": False, "link": "https://kcson.example.ru/akt.pdf"}
        assert first["report"] == {"status": "accepted", "label": "принят"}
        assert [i["number"] for i in document["items"]] == [1, 2, 3, 4, 5, 6]

    def test_a_text_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(self, campaign,
                                                                            personas) -> None:
        plan = services.plan_draft(assessment=assessment_of(campaign, personas.org_a),
                                   user=personas.org_admin)
        services.plan_item_update(item=item_by_key(plan, "disabled_premises:ramps"),
                                  user=personas.org_admin,
                                  row=row('=HYPERLINK("https://example.ru";"пандус")'))
        header, *rows = read_csv(download(personas.org_admin,
                                          reverse("plans:export", args=[plan.pk, "csv"])))
        assert rows[0][3] == "'=HYPERLINK(\"https://example.ru\";\"пандус\")"
        assert rows[1][3].startswith("Предусмотреть")

    def test_an_unknown_format_is_not_found(self, plan, personas) -> None:
        client = Client()
        client.force_login(personas.org_admin)
        assert client.get(reverse("plans:export", args=[plan.pk, "xml"])).status_code == 404


class CampaignExportTests:
    def test_the_campaign_export_holds_the_approved_plans_only(self, campaign, personas) -> None:
        approved_plan(campaign, personas.org_b, personas, personas.outsider)
        services.plan_draft(assessment=assessment_of(campaign, personas.org_a),
                            user=personas.org_admin)  # a draft is not published
        url = reverse("plans:campaign_export", args=[campaign.pk, "json"])
        document = json.loads(download(personas.ministry, url).content)
        assert document["format"] == "nok-plans"
        assert [p["organization"]["name"] for p in document["plans"]] == [personas.org_b.name]
        header, *rows = read_csv(download(personas.ministry, reverse(
            "plans:campaign_export", args=[campaign.pk, "csv"])))
        assert header == ORGANIZATION_COLUMNS + COLUMNS
        assert [r[0] for r in rows] == [personas.org_b.name]
        assert rows[0][3:5] == ["1", "I. Открытость и доступность информации об организации"]

    def test_both_approved_plans_are_listed_in_registry_order(self, campaign, personas) -> None:
        approved_plan(campaign, personas.org_b, personas, personas.outsider)
        approved_plan(campaign, personas.org_a, personas, personas.org_admin)
        header, *rows = read_csv(download(personas.council, reverse(
            "plans:campaign_export", args=[campaign.pk, "csv"])))
        assert [r[0] for r in rows] == [personas.org_a.name] * 6 + [personas.org_b.name]


class PublicationSelectorsTests:
    """What the public results page reads: a campaign's approved plans, an organization's."""

    def test_only_an_approved_plan_is_published(self, campaign, personas) -> None:
        assessment = assessment_of(campaign, personas.org_a)
        draft = services.plan_draft(assessment=assessment, user=personas.org_admin)
        assert selectors.approved_plan_of(assessment) is None
        assert list(selectors.published_plans(campaign)) == []
        complete(draft, personas.org_admin)
        services.plan_submit(plan=draft, user=personas.org_admin)
        assert selectors.approved_plan_of(assessment) is None
        services.plan_approve(plan=draft, user=personas.ministry)
        assert selectors.approved_plan_of(assessment) == draft
        [published] = selectors.published_plans(campaign)
        assert [i.shortcoming_key for i in published.items.all()][:2] == [
            "disabled_premises:ramps", "disabled_premises:parking"]

