"""The journal speaks of things and people in Russian: object types by their models' Russian
names, people by their full names, checklist ticks
by the list's title and the item's label — also the entries recorded before ticks were named."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from nok.assessments.models import Assessment
from nok.assessments.tests.factories import make_campaign, tick
from nok.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def journal(personas) -> str:  # type: ignore[no-untyped-def]
    personas.operator.first_name, personas.operator.last_name = "Ольга", "Операторова"
    personas.operator.save()
    campaign = make_campaign([personas.org_a])
    assessment = Assessment.objects.get(campaign=campaign)
    tick(assessment, "disabled_services", ["remote_or_home"], user=personas.operator)
    tick(assessment, "comfort_conditions", ["rest_zone"], user=personas.ministry)
    # as ticks were recorded before they had names
    AuditEntry.objects.create(action="update", object_type="assessments.checklisttick",
                              object_id="1", object_repr="comfort_conditions/booking: да",
                              campaign_id=campaign.pk, organization_id=personas.org_a.pk)
    client = Client()
    client.force_login(personas.operator)
    return client.get(reverse("dashboard:audit")).content.decode()


def test_object_types_are_offered_by_their_russian_names(journal: str) -> None:
    assert '<option value="assessments.checklisttick">отметка перечня</option>' in journal
    assert ">assessments.checklisttick<" not in journal


def test_people_are_named_by_their_full_names(journal: str) -> None:
    assert "<td>Ольга Операторова</td>" in journal
    assert ">operator<" not in journal


def test_ticks_are_named_by_the_list_and_the_item(journal: str) -> None:
    assert "remote_or_home" not in journal and "comfort_conditions" not in journal
    assert "отметка перечня: «Условия доступности, позволяющие инвалидам получать услуги" in journal
    assert "отметка перечня: «Комфортные условия предоставления услуг»: " in journal
