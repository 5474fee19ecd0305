"""Every document of a campaign downloaded from the web and read back — python-docx, openpyxl,
pypdf — with its figures checked against the scores the campaign's pages show
(``nok.scores.selectors``): current in fieldwork (marked as preliminary), the frozen snapshot
after (its edition named), and an earlier published campaign compared in the regional report."""

from __future__ import annotations

import statistics

import pytest

import scoring
from documents.tests.helpers import docx_page_header, docx_tables, docx_text, pdf_text, row_with
from nok.assessments import services as fieldwork
from nok.assessments.models import Campaign
from nok.assessments.tests.factories import assessment_of, make_campaign, respond
from nok.reports.tests.factories import (
    body,
    client_for,
    publish,
    three_organizations,
    url,
    xlsx_sheet,
)
from nok.scores import services
from nok.scores.selectors import assessment_result, campaign_results
from scoring.uncertainty import digits_for, fmt_with_interval

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):  # type: ignore[no-untyped-def]
    campaign, org_c = three_organizations(personas)
    return campaign, org_c


def analysts_rows(data: bytes) -> dict[str, dict[str, object]]:
    rows = xlsx_sheet(data, "Для аналитиков")
    header = rows[0]
    return {str(r[1]): dict(zip(header, r, strict=True)) for r in rows[1:]}


def fixed(value: float) -> str:
    return scoring.fmt(value)


def with_interval(result: scoring.Result, key: str) -> str:
    value = result.total if key == "total" else result.criteria[key]
    return fmt_with_interval(value, result.intervals[key], digits_for(result.scale))


class FieldworkDocumentsTests:
    """In fieldwork the documents print the data as it is now, as the campaign page does."""

    def test_the_rating_workbook_has_every_total_place_and_criterion_as_a_number(
            self, world, personas) -> None:
        campaign, _ = world
        data = body(client_for(personas.ministry).get(
            url("reports:campaign_document", campaign.pk, "rating", "xlsx")))
        rows = analysts_rows(data)
        results = campaign_results(campaign)
        assert len(rows) == len(results.rows) == 3
        for row in results.rows:
            found = rows[row.name]
            assert found["Место"] == row.place
            if row.total is None:
                assert found["Итоговый показатель"] is None
            else:
                assert isinstance(found["Итоговый показатель"], float)
                assert found["Итоговый показатель"] == pytest.approx(row.total, abs=1e-9)
            criteria = assessment_result(assessment_of(campaign, personas.org_a)).result.criteria
            if row.organization_id == personas.org_a.pk:
                for key, value in criteria.items():
                    assert found[key.replace("K", "К")] == pytest.approx(value)
        # org_b has 3 respondents of 200 recipients: listed without a place, with the reason
        b = rows[personas.org_b.short_name]
        assert b["Место"] is None
        assert "выборка меньше минимальной" in str(b["Без места: причина"])

    def test_a_fieldwork_document_says_it_is_preliminary(self, world, personas) -> None:
        campaign, _ = world
        client = client_for(personas.operator)
        rating = xlsx_sheet(body(client.get(url("reports:campaign_document", campaign.pk, "rating",
                                                 "xlsx"))), "Рейтинг")
        assert "предварительные результаты по данным на" in rating[1][0]
        a = assessment_of(campaign, personas.org_a)
        protocol = body(client.get(url("reports:protocol", a.pk, "docx")))
        assert "предварительные результаты по данным на" in docx_text(protocol)
        assert docx_page_header(protocol) == "ПРЕДВАРИТЕЛЬНЫЕ РЕЗУЛЬТАТЫ — НЕ ОПУБЛИКОВАНЫ"
        pdf = pdf_text(body(client.get(url("reports:protocol", a.pk, "pdf"))))
        assert pdf.count("ПРЕДВАРИТЕЛЬНЫЕ РЕЗУЛЬТАТЫ — НЕ ОПУБЛИКОВАНЫ") == pdf.count("стр. ")

    def test_a_published_document_carries_no_preliminary_banner(self, world, personas) -> None:
        campaign, _ = world
        publish(campaign, personas)
        a = assessment_of(campaign, personas.org_a)
        client = client_for(personas.org_admin)
        protocol = body(client.get(url("reports:protocol", a.pk, "docx")))
        assert docx_page_header(protocol) == ""
        assert "опубликованные результаты, редакция 1" in docx_text(protocol)
        assert "ПРЕДВАРИТЕЛЬНЫЕ" not in pdf_text(body(client.get(url("reports:protocol", a.pk, "pdf"))))

    def test_the_rating_docx_gives_places_totals_and_the_insufficient_group(
            self, world, personas) -> None:
        campaign, org_c = world
        data = body(client_for(personas.council).get(
            url("reports:campaign_document", campaign.pk, "rating", "docx")))
        tables = docx_tables(data)
        by_id = {r.organization_id: r for r in campaign_results(campaign).rows}
        a_row = row_with(tables, personas.org_a.short_name)
        assert a_row[0] == "1" and fixed(by_id[personas.org_a.pk].total) in a_row
        c_row = row_with(tables, org_c.short_name)
        assert c_row[0] == "1" and fixed(by_id[org_c.pk].total) in c_row
        text = docx_text(data)
        assert "Недостаточно данных" in text and "выборка меньше минимальной" in text

    def test_the_protocol_prints_the_organizations_criteria_and_total(self, world, personas) -> None:
        campaign, _ = world
        a = assessment_of(campaign, personas.org_a)
        result = assessment_result(a).result
        client = client_for(personas.operator)
        docx = body(client.get(url("reports:protocol", a.pk, "docx")))
        tables = docx_tables(docx)
        # printed with its 95 % interval, in the one format of the pages and documents
        assert row_with(tables, "Итоговый показатель")[3] == with_interval(result, "total")
        assert row_with(tables, "Итого по критерию К3")[3] == with_interval(result, "K3")
        assert personas.org_a.name in docx_text(docx)
        pdf = pdf_text(body(client.get(url("reports:protocol", a.pk, "pdf"))))
        assert personas.org_a.name in pdf
        assert f"Итоговый показатель {with_interval(result, 'total')}" in pdf

    def test_the_plan_has_a_row_per_shortcoming_with_the_catalogues_measure(
            self, world, personas) -> None:
        campaign, org_c = world
        c = assessment_of(campaign, org_c)
        shortcomings = assessment_result(c).shortcomings()
        assert len(shortcomings) >= 6  # half of the stand and of the site items are missing
        client = client_for(personas.operator)
        rows = xlsx_sheet(body(client.get(url("reports:plan", c.pk, "xlsx"))), "План")
        texts = [str(cell) for row in rows for cell in row if cell]
        for s in shortcomings:
            assert s.text in texts and s.measure in texts
        docx = docx_text(body(client.get(url("reports:plan", c.pk, "docx"))))
        assert all(s.text in docx for s in shortcomings)
        seed = docx_tables(body(client.get(url("reports:plan", c.pk, "docx") + "?layout=seed002")))
        assert row_with(seed, shortcomings[0].text)

    def test_the_regional_report_averages_the_criteria_of_every_organization(
            self, world, personas) -> None:
        campaign, org_c = world
        results = [assessment_result(a).result for a in campaign.assessments.all()]
        client = client_for(personas.ministry)
        docx = body(client.get(url("reports:campaign_document", campaign.pk, "region", "docx")))
        region = row_with(docx_tables(docx), "По региону")
        for i, key in enumerate(("K1", "K2", "K3", "K4", "K5")):
            values = [r.criteria[key] for r in results if r.criteria.get(key) is not None]
            assert region[2 + i] == fixed(statistics.fmean(values)), key
        totals = [r.total for r in results if r.total is not None]
        assert region[-1] == fixed(statistics.fmean(totals))
        assert "ПРОЕКТ ПРИКАЗА" in docx_text(docx)
        pdf = pdf_text(body(client.get(url("reports:campaign_document", campaign.pk, "region", "pdf"))))
        assert fixed(statistics.fmean(totals)) in pdf
        assert org_c.short_name in pdf


class FrozenDocumentsTests:
    """After fieldwork the documents print the snapshot, naming its edition."""

    def test_a_published_rating_prints_the_snapshots_places_and_totals(self, world, personas) -> None:
        campaign, _ = world
        snapshot = publish(campaign, personas)
        data = body(client_for(personas.ministry).get(
            url("reports:campaign_document", campaign.pk, "rating", "xlsx")))
        rows = analysts_rows(data)
        for row in snapshot.rows.all():
            found = rows[row.organization_name]
            assert found["Место"] == row.place
            assert found["Итоговый показатель"] == pytest.approx(row.total)
            for key, value in row.results["criteria"].items():
                assert found[key.replace("K", "К")] == pytest.approx(value)
        title = xlsx_sheet(data, "Рейтинг")[1][0]
        assert f"опубликованные результаты, редакция 1 от {snapshot.created_at:%d.%m.%Y}" in title

    def test_a_protocol_under_review_says_it_is_not_published(self, world, personas) -> None:
        campaign, _ = world
        review = services.campaign_close_fieldwork(campaign=campaign, user=personas.operator)
        a = assessment_of(campaign, personas.org_a)
        data = body(client_for(personas.operator).get(url("reports:protocol", a.pk, "pdf")))
        text = pdf_text(data)
        assert "результаты на проверке (не опубликованы), редакция 1" in text
        assert fixed(review.rows.get(assessment=a).total) in text

    def test_a_correction_shows_as_a_draft_to_staff_and_the_published_edition_to_the_organization(
            self, world, personas) -> None:
        campaign, _ = world
        first = publish(campaign, personas)
        services.campaign_reopen(campaign=campaign, user=personas.ministry, reason="исправление анкет")
        a = assessment_of(campaign, personas.org_a)
        for _ in range(5):
            respond(a, overall="no", recommend="no")
        published_total = first.rows.get(assessment=a).total
        now_total = assessment_result(a).result.total
        assert now_total != pytest.approx(published_total)
        staff = analysts_rows(body(client_for(personas.ministry).get(
            url("reports:campaign_document", campaign.pk, "rating", "xlsx"))))
        assert staff[personas.org_a.short_name]["Итоговый показатель"] == pytest.approx(now_total)
        own = body(client_for(personas.org_admin).get(
            url("reports:campaign_document", campaign.pk, "rating", "xlsx")))
        assert analysts_rows(own)[personas.org_a.short_name]["Итоговый показатель"] == \
            pytest.approx(published_total)
        assert "опубликованные результаты, редакция 1" in xlsx_sheet(own, "Рейтинг")[1][0]


class YearOverYearTests:
    def test_the_regional_report_compares_with_the_earlier_published_campaign(
            self, personas) -> None:
        earlier, _ = three_organizations(personas, title="НОК 2024: социальное обслуживание")
        Campaign.objects.filter(pk=earlier.pk).update(year=2024)
        earlier.refresh_from_db()
        before = publish(earlier, personas)
        campaign, _ = three_organizations(personas, title="НОК 2025: социальное обслуживание")
        page = client_for(personas.ministry).get(url("reports:campaign", campaign.pk)).content.decode()
        assert "сравнение с кампанией «НОК 2024: социальное обслуживание»" in page
        data = body(client_for(personas.ministry).get(
            url("reports:campaign_document", campaign.pk, "region", "docx")))
        text = docx_text(data)
        previous = next(line for line in text.splitlines() if line.startswith("Предыдущая оценка"))
        assert "НОК 2024: социальное обслуживание" in previous
        assert "(опубликованные результаты, редакция 1 от" in previous
        a_before = before.rows.get(organization=personas.org_a).total
        a_row = row_with(docx_tables(data), personas.org_a.short_name)
        assert fixed(a_before) in a_row


class IntegralMethodologyTests:
    def test_a_social_2014_campaign_prints_integral_values(self, personas) -> None:
        campaign = make_campaign([personas.org_a, personas.org_b], slug="social-2014")
        a = assessment_of(campaign, personas.org_a)
        fieldwork.complaints_set(assessment=a, user=None, form="home", registered=9, resolved=5)
        client = client_for(personas.ministry)
        rows = analysts_rows(body(client.get(
            url("reports:campaign_document", campaign.pk, "rating", "xlsx"))))
        for row in campaign_results(campaign).rows:
            value = rows[row.name]["Интегральное значение"]
            assert value == (None if row.total is None else pytest.approx(row.total))
        result = assessment_result(a).result
        # the register: 9 complaints per 140 home recipients = 6,4 per 100 (> 5) scores 0
        assert result.indicators["02450000016"] == 0
        tables = docx_tables(body(client.get(url("reports:protocol", a.pk, "docx"))))
        assert row_with(tables, "02450000016")[3] == "0,00"
        text = pdf_text(body(client.get(url("reports:protocol", a.pk, "pdf"))))
        assert "Интегральное значение" in text
