"""Operator pages: management, campaign overview, review, printed matter. Access per persona."""

from __future__ import annotations

import io

import matplotlib.image
import pytest
from django.urls import reverse
from pypdf import PdfReader

from nok.surveys.models import ResponseStatus
from nok.surveys.tests.factories import make_assessment, make_campaign, make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(personas):
    campaign = make_campaign()
    own = make_assessment(personas.org_a, campaign)
    other = make_assessment(personas.org_b, campaign)
    flagged = make_response(own, status=ResponseStatus.FLAGGED)
    return own, other, flagged


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


class ManagePageTests:
    def test_the_operator_sees_link_counts_sample_and_review_forms(self, client, personas, setup):
        own, _, flagged = setup
        client.force_login(personas.operator)
        page = client.get(reverse("surveys:manage", args=[own.pk]))
        html = page.content.decode()
        assert page.status_code == 200
        assert f"/q/{own.survey_code}/" in html
        assert reverse("surveys:campaign_review", args=[own.campaign_id]) in html
        # 200 recipients × 0.4 = 80 needed, none counted yet (the flagged one waits for review)
        assert page.context["sample"].minimum == 80
        assert page.context["sample"].responses == 0
        assert "ниже минимума" in html

    def test_the_ministry_reads_without_review_forms(self, client, personas, setup):
        own, _, flagged = setup
        client.force_login(personas.ministry)
        page = client.get(reverse("surveys:manage", args=[own.pk]))
        assert page.status_code == 200
        assert "Принять выбранные" not in page.content.decode()

    def test_an_organization_user_sees_its_own_page(self, client, personas, setup):
        own, _, _ = setup
        client.force_login(personas.org_admin)
        assert client.get(reverse("surveys:manage", args=[own.pk])).status_code == 200

    def test_an_outsider_gets_404_for_another_organization(self, client, personas, setup):
        own, _, _ = setup
        client.force_login(personas.outsider)
        assert client.get(reverse("surveys:manage", args=[own.pk])).status_code == 404
        assert client.get(reverse("surveys:poster", args=[own.pk])).status_code == 404

    def test_a_user_without_a_role_gets_403(self, client, personas, setup):
        own, _, _ = setup
        client.force_login(personas.nobody)
        assert client.get(reverse("surveys:manage", args=[own.pk])).status_code == 403

    def test_an_anonymous_visitor_is_sent_to_login(self, client, setup):
        own, _, _ = setup
        assert client.get(reverse("surveys:manage", args=[own.pk])).status_code == 302


class ReviewTests:
    def test_the_operator_accepts_a_flagged_response_with_a_reason(self, client, personas, setup):
        own, _, flagged = setup
        client.force_login(personas.operator)
        client.post(reverse("surveys:review_response", args=[flagged.pk]),
                    {"decision": "accepted", "reason": "Анкеты заполнены на стенде в день опроса"})
        flagged.refresh_from_db()
        assert flagged.status == ResponseStatus.ACCEPTED
        assert flagged.reviewed_by == personas.operator

    def test_a_decision_without_a_reason_is_refused(self, client, personas, setup):
        _, _, flagged = setup
        client.force_login(personas.operator)
        client.post(reverse("surveys:review_response", args=[flagged.pk]), {"decision": "rejected"})
        flagged.refresh_from_db()
        assert flagged.status == ResponseStatus.FLAGGED

    def test_an_organization_user_may_not_review_its_own_responses(self, client, personas, setup):
        _, _, flagged = setup
        client.force_login(personas.org_admin)
        answer = client.post(reverse("surveys:review_response", args=[flagged.pk]),
                             {"decision": "accepted", "reason": "свои"})
        assert answer.status_code == 403
        flagged.refresh_from_db()
        assert flagged.status == ResponseStatus.FLAGGED

    def test_an_outsider_gets_404_when_reviewing(self, client, personas, setup):
        _, _, flagged = setup
        client.force_login(personas.outsider)
        answer = client.post(reverse("surveys:review_response", args=[flagged.pk]),
                             {"decision": "rejected", "reason": "чужие"})
        assert answer.status_code == 404


class CampaignOverviewTests:
    def test_the_operator_sees_every_organization_below_minimum_marked(self, client, personas, setup):
        own, other, _ = setup
        client.force_login(personas.operator)
        page = client.get(reverse("surveys:campaign_overview", args=[own.campaign_id]))
        assert [a.pk for a, _ in page.context["rows"]] == [own.pk, other.pk]
        assert page.context["below"] == 2

    def test_an_organization_user_sees_only_its_own_row(self, client, personas, setup):
        own, _, _ = setup
        client.force_login(personas.org_admin)
        page = client.get(reverse("surveys:campaign_overview", args=[own.campaign_id]))
        assert [a.pk for a, _ in page.context["rows"]] == [own.pk]

    def test_the_sample_is_paged_and_filtered_to_those_below_the_minimum(
            self, client, personas, setup, monkeypatch):
        from nok.surveys import views

        monkeypatch.setattr(views, "OVERVIEW_PAGE", 1)
        own, other, _ = setup
        client.force_login(personas.operator)
        address = reverse("surveys:campaign_overview", args=[own.campaign_id])
        first = client.get(address)
        assert [a.pk for a, _ in first.context["rows"]] == [own.pk]
        assert first.context["total"] == 2 and first.context["below"] == 2
        assert 'data-filter-total="2"' in first.content.decode()
        assert [a.pk for a, _ in client.get(address + "?page=2").context["rows"]] == [other.pk]
        # the organization reaching its minimum leaves the «below» list, not the whole one
        minimum = first.context["rows"][0][1].minimum
        for _ in range(minimum):
            make_response(own)
        below = client.get(address + "?below=1")
        assert below.context["below"] == 1
        assert [a.pk for a, _ in below.context["rows"]] == [other.pk]
        assert below.context["page"].paginator.count == 1
        assert "Показать все организации" in below.content.decode()

    def test_an_outsider_gets_404_for_a_campaign_without_its_organization(self, client, personas):
        campaign = make_campaign()
        make_assessment(personas.org_a, campaign)
        client.force_login(personas.outsider)
        assert client.get(reverse("surveys:campaign_overview", args=[campaign.pk])).status_code == 404


class PrintedMatterTests:
    def test_the_png_qr_code_decodes_as_an_image(self, client, personas, setup):
        own, _, _ = setup
        client.force_login(personas.operator)
        answer = client.get(reverse("surveys:qr", args=[own.pk, "png"]))
        image = matplotlib.image.imread(io.BytesIO(answer.content), format="png")
        assert image.shape[0] == image.shape[1] > 100

    def test_the_svg_qr_code_is_an_svg_document(self, client, personas, setup):
        own, _, _ = setup
        client.force_login(personas.operator)
        answer = client.get(reverse("surveys:qr", args=[own.pk, "svg"]))
        assert answer["Content-Type"] == "image/svg+xml"
        assert b"<svg" in answer.content

    def test_the_poster_names_the_organization_and_the_short_link(self, client, personas, setup):
        own, _, _ = setup
        client.force_login(personas.org_admin)
        text = pdf_text(client.get(reverse("surveys:poster", args=[own.pk])).content)
        assert "Оцените качество услуг" in text
        assert f"/q/{own.survey_code}/" in text
        assert "Анкета анонимная" in text

    def test_the_paper_questionnaire_carries_questions_digits_and_filters(
        self, client, personas, setup
    ):
        own, _, _ = setup
        client.force_login(personas.operator)
        answer = client.get(reverse("surveys:paper_pdf", args=[own.pk]) + "?copies=2")
        reader = PdfReader(io.BytesIO(answer.content))
        text = pdf_text(answer.content)
        assert len(reader.pages) >= 2
        assert "Анкета получателя социальных услуг" in text
        assert "1 — Да" in text and "2 — Нет" in text
        # info_site is question 5, asked only of those who said yes to question 4 (used_site)
        assert "Отвечайте, если на вопрос 4 Вы ответили «Да»" in text.replace("\n", " ")


class SharesTableTests:
    def test_the_manage_page_shows_shares_with_and_without_flagged(self, client, personas, setup):
        own, _, _ = setup  # one flagged response: used the stand, satisfied
        make_response(own, {"used_stand": "yes", "info_stand": "no"})
        client.force_login(personas.operator)
        page = client.get(reverse("surveys:manage", args=[own.pk]))
        row = next(r for r in page.context["shares"] if r.key == "info_stand")
        assert (row.asked, row.yes, row.share) == (1, 0, 0.0)
        assert (row.asked_flagged, row.yes_flagged, row.share_flagged) == (2, 1, 50.0)
        info_site = next(r for r in page.context["shares"] if r.key == "info_site")
        assert info_site.share is None
