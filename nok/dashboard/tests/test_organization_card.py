"""The organization's card: its registry data for everyone who may see it, its campaigns with
the results its readers may see, recent changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from nok.assessments.tests.factories import assessment_of, make_campaign, tick
from nok.organizations.services import organization_update
from nok.scores import services as scores

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


class OrganizationCardTests:
    def test_it_shows_every_field_and_the_recipients_per_form(self, personas) -> None:
        body = client_for(personas.council).get(
            reverse("dashboard:organization", args=[personas.org_a.pk])).content.decode()
        assert personas.org_a.name in body
        assert "полустационарная" in body and "200" in body
        assert "Изменить" not in body

    def test_the_own_organization_is_visible_to_its_user(self, personas) -> None:
        url = reverse("dashboard:organization", args=[personas.org_a.pk])
        assert client_for(personas.org_admin).get(url).status_code == 200

    def test_the_outsider_gets_404_for_another_organization(self, personas) -> None:
        url = reverse("dashboard:organization", args=[personas.org_a.pk])
        assert client_for(personas.outsider).get(url).status_code == 404

    def test_a_user_without_role_gets_403(self, personas) -> None:
        url = reverse("dashboard:organization", args=[personas.org_a.pk])
        assert client_for(personas.nobody).get(url).status_code == 403

    def test_it_lists_campaigns_with_the_current_total_and_recent_changes(self, personas) -> None:
        campaign = make_campaign([personas.org_a], title="НОК-2024")
        tick(assessment_of(campaign, personas.org_a), "remote_channels", ["phone", "email"])
        organization_update(organization=personas.org_a, user=personas.operator,
                            data={"municipality": "г. Кемерово"})
        body = client_for(personas.operator).get(
            reverse("dashboard:organization", args=[personas.org_a.pk])).content.decode()
        # only 1.2 has a value: K1 = 1.2 = 60 (30 × 2), the total is the mean of K1 alone
        assert "НОК-2024" in body and "60,00" in body
        assert "г. Кемерово" in body and "муниципальное образование</span>" in body

    def test_the_organization_sees_its_total_only_once_published(self, personas) -> None:
        campaign = make_campaign([personas.org_a], title="НОК-2024", user=personas.operator)
        a = assessment_of(campaign, personas.org_a)
        tick(a, "remote_channels", ["phone", "email", "faq"])  # 1.2 = min(100, 30 × 3) = 90
        url = reverse("dashboard:organization", args=[personas.org_a.pk])
        assert "90,00" in client_for(personas.operator).get(url).content.decode()
        assert "90,00" not in client_for(personas.org_admin).get(url).content.decode()
        scores.campaign_close_fieldwork(campaign=campaign, user=personas.operator)
        assert "90,00" not in client_for(personas.org_admin).get(url).content.decode()
        scores.campaign_publish(campaign=campaign, user=personas.ministry,
                                exceptions={a.pk: "пилот"})
        assert "90,00" in client_for(personas.org_admin).get(url).content.decode()
