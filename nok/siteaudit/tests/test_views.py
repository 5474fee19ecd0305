"""Website audit pages: the operator runs, reads and decides; others read in scope only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from nok.assessments.models import ChecklistTick
from nok.assessments.tests.factories import assessment_of, make_campaign
from nok.organizations.models import Organization
from nok.siteaudit import services
from nok.siteaudit.models import Decision, SiteFinding
from siteaudit.tests.fixtures import site_kcson
from siteaudit.tests.fixtures.kit import serve

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def local_sites(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.NOK_SITE_AUDIT_ALLOW_PRIVATE = True
    settings.NOK_SITE_AUDIT_DELAY = 0
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def site():  # type: ignore[no-untyped-def]
    with serve(site_kcson.build().files) as (base, _):
        yield base + "/"


@pytest.fixture
def campaign(personas, site):  # type: ignore[no-untyped-def]
    Organization.objects.filter(pk=personas.org_b.pk).update(website=site)
    return make_campaign([personas.org_a, personas.org_b], user=personas.operator)


@pytest.fixture
def other(campaign, personas):  # type: ignore[no-untyped-def]
    """Organization B's assessment: the outsider's own, foreign to org_admin."""
    return assessment_of(campaign, personas.org_b)


@pytest.fixture
def run(other, personas):  # type: ignore[no-untyped-def]
    created = services.site_audit_create(assessment=other, user=personas.operator)
    return services.site_audit_execute(run_id=created.pk)


def page_url(assessment) -> str:  # type: ignore[no-untyped-def]
    return reverse("siteaudit:assessment", args=[assessment.pk])


class AuditPageTests:
    @pytest.mark.django_db(transaction=True)
    def test_the_operator_checks_the_site_with_one_button_and_sees_suggestions(
            self, other, personas, run_tasks):
        client = client_for(personas.operator)
        page = client.get(page_url(other)).content.decode()
        assert "Проверить сайт" in page and "Сайт ещё не проверялся" in page
        answer = client.post(reverse("siteaudit:start", args=[other.pk]), {"url": ""})
        assert answer.status_code == 302
        waiting = client.get(answer["Location"]).content.decode()
        assert "поставлена в очередь" in waiting and 'http-equiv="refresh"' in waiting
        assert run_tasks() == 1  # the worker audits the site
        page = client.get(answer["Location"]).content.decode()
        assert "Сайт проверен" in page
        assert "Найдено пунктов информации на сайте: 21 из 21" in page
        assert "сохранённая копия" in page and "Подтвердить: имеется" in page
        assert ChecklistTick.objects.filter(assessment=other).count() == 0

    def test_confirming_from_the_page_ticks_the_item(self, other, run, personas):
        trustee = run.findings.get(item_key="trustee_board")
        answer = client_for(personas.operator).post(
            reverse("siteaudit:decide", args=[other.pk, trustee.pk]), {"decision": "confirmed"})
        assert answer.status_code == 302 and answer["Location"].endswith(f"#f{trustee.pk}")
        assert ChecklistTick.objects.get(assessment=other, item_key="trustee_board").present
        assert SiteFinding.objects.get(pk=trustee.pk).decision == Decision.CONFIRMED

    def test_a_decision_without_a_choice_is_refused_with_a_russian_message(self, other, run, personas):
        client = client_for(personas.operator)
        trustee = run.findings.get(item_key="trustee_board")
        answer = client.post(reverse("siteaudit:decide", args=[other.pk, trustee.pk]),
                             {"decision": "maybe"}, follow=True)
        assert "Выберите «подтвердить» или «отклонить»" in answer.content.decode()
        assert SiteFinding.objects.get(pk=trustee.pk).decision == Decision.PENDING

    def test_a_run_in_progress_refreshes_its_page(self, other, personas):
        services.site_audit_create(assessment=other, user=personas.operator)
        page = client_for(personas.operator).get(page_url(other)).content.decode()
        assert '<meta http-equiv="refresh" content="5">' in page
        assert "Сайт проверяется; страница обновится сама." in page

    def test_the_organization_reads_its_audit_without_buttons(self, other, run, personas):
        page = client_for(personas.outsider).get(page_url(other)).content.decode()
        assert "Найдено пунктов информации на сайте" in page
        assert "Проверить сайт</button>" not in page and "Подтвердить" not in page
        assert "ждёт решения оператора" in page

    def test_another_organization_gets_404_and_read_only_roles_cannot_decide(self, other, run, personas):
        assert client_for(personas.org_admin).get(page_url(other)).status_code == 404
        finding = run.findings.first()
        answer = client_for(personas.ministry).post(
            reverse("siteaudit:decide", args=[other.pk, finding.pk]), {"decision": "confirmed"})
        assert answer.status_code == 403
        assert client_for(personas.ministry).post(
            reverse("siteaudit:start", args=[other.pk])).status_code == 403

    def test_a_finding_of_another_assessment_is_404(self, other, run, personas, campaign):
        own = assessment_of(campaign, personas.org_a)
        finding = run.findings.first()
        answer = client_for(personas.operator).post(
            reverse("siteaudit:decide", args=[own.pk, finding.pk]), {"decision": "confirmed"})
        assert answer.status_code == 404


class StoredCopyTests:
    def test_the_stored_copy_is_served_sandboxed_in_its_own_encoding(self, other, run, personas):
        founding = run.findings.get(item_key="founding")
        page_id = founding.evidence[0]["page"]
        answer = client_for(personas.outsider).get(
            reverse("siteaudit:page", args=[other.pk, page_id]))
        assert answer.status_code == 200
        assert answer["Content-Security-Policy"].startswith("sandbox")
        assert answer["Content-Type"].startswith("text/html")
        body = b"".join(answer.streaming_content).decode("utf-8")
        assert "Дата государственной регистрации" in body

    def test_a_stored_copy_is_hidden_from_another_organization(self, other, run, personas, campaign):
        page_id = run.findings.get(item_key="founding").evidence[0]["page"]
        assert client_for(personas.org_admin).get(
            reverse("siteaudit:page", args=[other.pk, page_id])).status_code == 404
        own = assessment_of(campaign, personas.org_a)
        assert client_for(personas.operator).get(
            reverse("siteaudit:page", args=[own.pk, page_id])).status_code == 404


class CampaignPageTests:
    @pytest.mark.django_db(transaction=True)
    def test_the_operator_audits_every_site_of_the_campaign(self, campaign, other, personas,
                                                           run_tasks):
        client = client_for(personas.operator)
        url = reverse("siteaudit:campaign", args=[campaign.pk])
        page = client.get(url).content.decode()
        assert "Проверить сайты всех организаций" in page and "не проверялся" in page
        page = client.post(url, follow=True).content.decode()
        assert "поставлена в очередь" in page
        assert run_tasks() == 1
        page = client.get(url).content.decode()
        assert "проверено 1 из 1" in page and "без адреса сайта: 1" in page
        assert "21 из 21" in page

    def test_the_organizations_are_paged_by_name(self, campaign, other, personas, monkeypatch):
        from nok.siteaudit import selectors

        monkeypatch.setattr(selectors, "CAMPAIGN_PAGE", 1)
        client = client_for(personas.operator)
        url = reverse("siteaudit:campaign", args=[campaign.pk])
        names = sorted([personas.org_a.name, personas.org_b.name])
        first = client.get(url).content.decode()
        second = client.get(url + "?page=2").content.decode()
        assert names[0] in first and names[1] not in first
        assert names[1] in second and names[0] not in second
        assert "страница 1 из 2" in first

    def test_an_organization_sees_only_its_own_row(self, campaign, other, personas):
        page = client_for(personas.outsider).get(
            reverse("siteaudit:campaign", args=[campaign.pk])).content.decode()
        assert personas.org_b.name in page
        assert personas.org_a.name not in page
        assert "Проверить сайты всех организаций" not in page
