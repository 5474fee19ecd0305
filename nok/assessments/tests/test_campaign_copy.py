"""«Создать на основе…»: a new campaign prefilled from an earlier one (methodology, operator,
organizations), with a new title and period; nothing of the earlier fieldwork comes along."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from nok.assessments import services
from nok.assessments.models import Assessment, Campaign, ChecklistTick
from nok.assessments.tests.factories import assessment_of, make_campaign, tick
from nok.core.models import AuditEntry
from nok.organizations.models import InterviewerAssignment, Role
from nok.organizations.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def last_year(personas):  # type: ignore[no-untyped-def]
    campaign = make_campaign([personas.org_a, personas.org_b], title="НОК 2025")
    tick(assessment_of(campaign, personas.org_a), "remote_channels", ["phone"])
    return campaign


class CampaignCopyServiceTests:
    def test_the_copy_takes_methodology_operator_and_organizations_but_no_fieldwork(
            self, personas, last_year) -> None:
        copy = services.campaign_copy(
            source=last_year, user=personas.operator, title="НОК 2026", year=2026,
            period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 11, 30))
        assert (copy.title, copy.year, copy.status) == ("НОК 2026", 2026, "fieldwork")
        assert copy.methodology_id == last_year.methodology_id
        assert copy.operator_name == "Центр социологических исследований"
        assert set(copy.assessments.values_list("organization_id", flat=True)) == {
            personas.org_a.pk, personas.org_b.pk}
        assert not ChecklistTick.objects.filter(assessment__campaign=copy).exists()
        assert ChecklistTick.objects.filter(assessment__campaign=last_year).count() == 1
        entry = AuditEntry.objects.get(action="copy")
        assert entry.after == {"copied_from": last_year.pk, "source_title": "НОК 2025"}

    def test_given_organizations_replace_the_sources(self, personas, last_year) -> None:
        copy = services.campaign_copy(
            source=last_year, user=personas.operator, title="НОК 2026 (только А)", year=2026,
            period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 11, 30),
            organizations=[personas.org_a])
        assert list(copy.assessments.values_list("organization_id", flat=True)) == [personas.org_a.pk]

    def test_a_bad_period_is_refused_and_nothing_is_created(self, personas, last_year) -> None:
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            services.campaign_copy(
                source=last_year, user=personas.operator, title="НОК 2026", year=2026,
                period_start=dt.date(2026, 11, 30), period_end=dt.date(2026, 3, 1))
        assert Campaign.objects.count() == 1


class CampaignCopyPageTests:
    def test_the_list_offers_a_copy_of_each_campaign_to_the_operator(self, personas, last_year) -> None:
        html = client_for(personas.operator).get(reverse("assessments:campaign_list")).content.decode()
        assert f'{reverse("assessments:campaign_create")}?from={last_year.pk}' in html
        ministry = client_for(personas.ministry).get(reverse("assessments:campaign_list"))
        assert "Создать на основе" not in ministry.content.decode()

    def test_the_form_is_prefilled_with_next_years_title_and_period(self, personas, last_year) -> None:
        page = client_for(personas.operator).get(reverse("assessments:campaign_create"),
                                                 {"from": last_year.pk})
        form = page.context["form"]
        assert form.initial["title"] == "НОК 2026"
        assert (form.initial["year"], form.initial["period_start"], form.initial["period_end"]) == (
            2026, dt.date(2026, 3, 1), dt.date(2026, 11, 30))
        assert form.initial["methodology"] == last_year.methodology_id
        assert sorted(form.initial["organizations"]) == sorted([personas.org_a.pk, personas.org_b.pk])
        assert "На основе кампании «НОК 2025»" in page.content.decode()

    def test_saving_the_prefilled_form_creates_the_copy_with_interviewers_kept(
            self, personas, last_year) -> None:
        interviewer = make_user("interviewer", Role.INTERVIEWER)
        InterviewerAssignment.objects.create(interviewer=interviewer, organization=personas.org_a)
        added = make_organization("Новый центр")
        target = reverse("assessments:campaign_create") + f"?from={last_year.pk}"
        answer = client_for(personas.operator).post(target, {
            "title": "НОК 2026", "year": 2026, "period_start": "2026-03-01",
            "period_end": "2026-11-30", "methodology": last_year.methodology_id,
            "operator_name": "ЦСИ", "organizations": [personas.org_a.pk, personas.org_b.pk, added.pk],
        })
        copy = Campaign.objects.get(title="НОК 2026")
        assert answer["Location"] == reverse("scores:campaign", args=[copy.pk])
        assert Assessment.objects.filter(campaign=copy).count() == 3
        assert AuditEntry.objects.filter(action="copy", campaign_id=copy.pk).exists()
        # assignments belong to organizations: the interviewer works in the new campaign too
        assert InterviewerAssignment.objects.filter(interviewer=interviewer,
                                                    organization=personas.org_a).exists()

    def test_an_unknown_source_is_404_and_only_the_operator_copies(self, personas, last_year) -> None:
        operator = client_for(personas.operator)
        assert operator.get(reverse("assessments:campaign_create"), {"from": "999999"}).status_code == 404
        assert operator.get(reverse("assessments:campaign_create"), {"from": "abc"}).status_code == 404
        ministry = client_for(personas.ministry)
        assert ministry.get(reverse("assessments:campaign_create"),
                            {"from": last_year.pk}).status_code == 403
