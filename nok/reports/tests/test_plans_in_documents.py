"""Documents print the plans organizations keep: the rating's «planned improvements» are the
approved plan's measures, and the plan document carries the rows as written and reported."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from nok.assessments.tests.factories import assessment_of
from nok.plans import services
from nok.plans.tests.factories import approved_plan, seed_001_campaign

pytestmark = pytest.mark.django_db

OWN_MEASURE = "Заказать и установить пандус у входа в отделение дневного пребывания"


def get(user, url: str) -> bytes:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    answer = client.get(url)
    assert answer.status_code == 200, url
    return b"".join(answer.streaming_content) if answer.streaming else bytes(answer.content)


def cells(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [str(c) for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)
            for c in r if c is not None]


@pytest.fixture
def plan(personas):  # type: ignore[no-untyped-def]
    campaign = seed_001_campaign(personas)
    plan = approved_plan(campaign, personas.org_a, personas, personas.org_admin)
    item = plan.items.order_by("criterion_number", "position").first()
    assert item is not None
    services.plan_item_report(item=item, user=personas.org_admin, report=services.ReportInput(
        "Сделано в срок", item.planned_date))
    type(item).objects.filter(pk=item.pk).update(measure=OWN_MEASURE)
    return plan


class PlansInDocumentsTests:
    def test_the_rating_lists_the_approved_plans_own_measures(self, plan, personas) -> None:
        url = reverse("reports:campaign_document", args=[plan.campaign_id, "rating", "xlsx"])
        assert OWN_MEASURE in " ".join(cells(get(personas.ministry, url)))

    def test_the_plan_document_is_the_plan_as_kept_with_its_report(self, plan,
                                                                   personas) -> None:
        a = assessment_of(plan.campaign, personas.org_a)
        values = cells(get(personas.org_admin, reverse("reports:plan", args=[a.pk, "xlsx"])))
        assert OWN_MEASURE in values
        assert "Сделано в срок" in values
        assert len([v for v in values if v == OWN_MEASURE]) == 1
