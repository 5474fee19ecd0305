"""Who downloads what: staff every document; an organization its own protocol and plan, and
the campaign's rating and regional report only once published; nobody else anything.
(Every URL for every persona is also walked by nok/core/tests/test_access_matrix.py.)"""

from __future__ import annotations

import pytest

from nok.assessments.tests.factories import assessment_of
from nok.reports import access
from nok.reports.tests.factories import body, client_for, publish, three_organizations, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    return three_organizations(personas)[0]


class OrganizationUserTests:
    def test_an_organization_downloads_its_own_protocol_and_plan(self, campaign, personas) -> None:
        own = assessment_of(campaign, personas.org_a)
        client = client_for(personas.org_admin)
        assert body(client.get(url("reports:protocol", own.pk, "docx")))[:2] == b"PK"
        assert body(client.get(url("reports:plan", own.pk, "xlsx")))[:2] == b"PK"

    def test_an_organization_never_sees_another_organizations_protocol_or_plan(
            self, campaign, personas) -> None:
        other = assessment_of(campaign, personas.org_b)
        client = client_for(personas.org_admin)
        assert client.get(url("reports:protocol", other.pk, "pdf")).status_code == 404
        assert client.get(url("reports:plan", other.pk, "docx")).status_code == 404

    def test_the_rating_and_the_regional_report_wait_for_publication(self, campaign, personas) -> None:
        client = client_for(personas.org_admin)
        rating = url("reports:campaign_document", campaign.pk, "rating", "xlsx")
        region = url("reports:campaign_document", campaign.pk, "region", "pdf")
        assert client.get(rating).status_code == 403
        assert client.get(region).status_code == 403
        page = client.get(url("reports:campaign", campaign.pk)).content.decode()
        assert "будут доступны после публикации результатов" in page
        assert url("reports:campaign_document", campaign.pk, "rating", "xlsx") not in page
        publish(campaign, personas)
        assert body(client.get(rating))[:2] == b"PK"
        assert body(client.get(region))[:5] == b"%PDF-"

    def test_the_documents_page_lists_only_the_users_own_organization(self, campaign, personas) -> None:
        page = client_for(personas.org_admin).get(url("reports:campaign", campaign.pk)).content.decode()
        own = assessment_of(campaign, personas.org_a)
        other = assessment_of(campaign, personas.org_b)
        assert url("reports:protocol", own.pk, "docx") in page
        assert url("reports:protocol", other.pk, "docx") not in page
        assert "Протоколы всех организаций одним архивом" not in page

    def test_before_publication_the_protocols_chart_leaves_out_the_regions_averages(
            self, campaign, personas) -> None:
        own = assessment_of(campaign, personas.org_a)
        assert not access.get_assessment_source_for_user(personas.org_admin, own.pk).compare
        assert access.get_assessment_source_for_user(personas.ministry, own.pk).compare
        publish(campaign, personas)
        assert access.get_assessment_source_for_user(personas.org_admin, own.pk).compare

    def test_an_organization_cannot_start_or_open_the_archive_of_all_protocols(
            self, campaign, personas) -> None:
        client = client_for(personas.org_admin)
        answer = client.post(url("reports:job_start", campaign.pk), {"kind": "protocols_docx"})
        assert answer.status_code == 403


class StaffTests:
    @pytest.mark.parametrize("persona", ["operator", "ministry", "council"])
    def test_staff_download_the_rating_of_a_campaign_in_fieldwork(
            self, campaign, personas, persona) -> None:
        client = client_for(getattr(personas, persona))
        answer = client.get(url("reports:campaign_document", campaign.pk, "rating", "docx"))
        assert body(answer)[:2] == b"PK"
        assert "attachment" in answer["Content-Disposition"]

    def test_a_user_without_a_role_gets_nothing(self, campaign, personas) -> None:
        client = client_for(personas.nobody)
        a = assessment_of(campaign, personas.org_a)
        assert client.get(url("reports:protocol", a.pk, "docx")).status_code == 403
        assert client.get(url("reports:campaign_document", campaign.pk, "rating", "xlsx")).status_code == 403
        assert client.get(url("reports:list")).status_code == 403

    def test_an_unknown_document_or_format_is_not_found(self, campaign, personas) -> None:
        client = client_for(personas.ministry)
        a = assessment_of(campaign, personas.org_a)
        assert client.get(url("reports:campaign_document", campaign.pk, "rating", "pdf")).status_code == 404
        assert client.get(url("reports:campaign_document", campaign.pk, "secret", "docx")).status_code == 404
        assert client.get(url("reports:protocol", a.pk, "xlsx")).status_code == 404
        assert client.get(url("reports:plan", a.pk, "docx") + "?layout=other").status_code == 404

    def test_the_reports_menu_lists_every_campaign_with_its_documents(self, campaign, personas) -> None:
        page = client_for(personas.council).get(url("reports:list")).content.decode()
        assert url("reports:campaign", campaign.pk) in page
        assert url("reports:campaign_document", campaign.pk, "rating", "xlsx") in page
        assert 'href="/reports/"' in page  # «Отчёты» in the main menu
