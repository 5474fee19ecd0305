"""The plan and its execution report as the official form (DOCX, XLSX) and in seed 002's
layout, downloaded and read back: every row as the organization wrote and reported it."""

from __future__ import annotations

import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from nok.plans import services
from nok.plans.tests.factories import approved_plan, item_by_key, seed_001_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(personas):  # type: ignore[no-untyped-def]
    """A's approved plan; the ramps measure reported and accepted."""
    campaign = seed_001_campaign(personas)
    plan = approved_plan(campaign, personas.org_a, personas, personas.org_admin)
    ramps = item_by_key(plan, "disabled_premises:ramps")
    services.plan_item_report(item=ramps, user=personas.org_admin, report=services.ReportInput(
        "Пандус установлен у главного входа", dt.date(2026, 5, 20),
        evidence_link="https://kcson.example.ru/akt.pdf"))
    services.plan_item_report_accept(item=ramps, user=personas.ministry)
    return plan


def download(user, plan, layout: str, fmt: str) -> bytes:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    answer = client.get(reverse("plans:document", args=[plan.pk, layout, fmt]))
    assert answer.status_code == 200
    return bytes(answer.content)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for r in table.rows for cell in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


class PlanDocumentTests:
    def test_the_official_docx_carries_every_row_and_the_execution_report(self, plan,
                                                                        personas) -> None:
        text = docx_text(download(personas.ministry, plan, "official", "docx"))
        for item in plan.items.all():
            assert item.shortcoming in text
            assert item.measure in text
        assert "Пандус установлен у главного входа" in text
        assert "20.05.2026" in text
        assert personas.org_a.name in text

    def test_the_official_xlsx_has_one_row_per_measure(self, plan, personas) -> None:
        book = openpyxl.load_workbook(io.BytesIO(download(personas.org_admin, plan, "official",
                                                          "xlsx")))
        values = [str(c) for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)
                  for c in r if c is not None]
        for item in plan.items.all():
            assert values.count(item.shortcoming) == 1
        assert "Пандус установлен у главного входа" in values

    def test_seed_002s_layout_pairs_each_shortcoming_with_its_measure(self, plan,
                                                                    personas) -> None:
        document = docx.Document(io.BytesIO(download(personas.council, plan, "seed002", "docx")))
        rows = [[c.text for c in r.cells] for table in document.tables for r in table.rows]
        ramps = item_by_key(plan, "disabled_premises:ramps")
        [found] = [r for r in rows if ramps.shortcoming in r]
        assert ramps.measure in found

    def test_another_organization_cannot_download_it(self, plan, personas) -> None:
        client = Client()
        client.force_login(personas.outsider)
        answer = client.get(reverse("plans:document", args=[plan.pk, "official", "docx"]))
        assert answer.status_code == 404
