"""Interviewers: a role under the operator, assigned organizations, seeing only those; their
interviews recorded once each; the operator's view of their progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nok.core.models import AuditEntry
from nok.fieldwork.forms import ticket_for
from nok.fieldwork.services import interview_record
from nok.fieldwork.tests.factories import make_interview, make_interviewer
from nok.organizations.access import organizations_visible_to
from nok.organizations.models import InterviewerAssignment
from nok.organizations.services import interviewer_assignments_set
from nok.surveys.models import Flag, Response, ResponseStatus
from nok.surveys.tests.factories import (
    ALL_YES_NO_SITE,
    make_assessment,
    make_campaign,
    make_response,
)

pytestmark = pytest.mark.django_db


def radios(answers: dict[str, str]) -> dict[str, str]:
    return {f"q_{k}": v for k, v in answers.items()}


@pytest.fixture
def campaign_ab(personas):
    campaign = make_campaign()
    return (campaign, make_assessment(personas.org_a, campaign),
            make_assessment(personas.org_b, campaign))


class AssignmentTests:
    def test_an_interviewer_sees_only_the_organizations_assigned_to_it(self, client, personas):
        interviewer = make_interviewer("ivanova", personas.org_b)
        assert list(organizations_visible_to(interviewer)) == [personas.org_b]
        client.force_login(interviewer)
        registry = client.get(reverse("organizations:list")).content.decode()
        assert "КЦСОН Сормовского района" in registry and "Канавинского" not in registry
        assert client.get(reverse("dashboard:organization", args=[personas.org_a.pk])).status_code == 404
        assert client.get(reverse("dashboard:organization", args=[personas.org_b.pk])).status_code == 200

    def test_an_interviewer_without_assignments_sees_nothing(self, personas):
        assert not organizations_visible_to(make_interviewer("new")).exists()

    def test_the_operator_assigns_organizations_on_the_interviewers_page(self, client, personas):
        interviewer = make_interviewer("ivanova", personas.org_a)
        client.force_login(personas.operator)
        users = client.get(reverse("organizations:users")).content.decode()
        url = reverse("organizations:interviewer_organizations", args=[interviewer.pk])
        assert f'href="{url}">назначено: 1</a>' in users
        page = client.get(url).content.decode()
        assert f'value="{personas.org_a.pk}" checked' in page
        answer = client.post(url, {"organizations": [personas.org_b.pk]})
        assert answer.status_code == 302
        assert list(InterviewerAssignment.objects.values_list("organization", flat=True)) == [
            personas.org_b.pk]
        entry = AuditEntry.objects.get(object_type="organizations.membership")
        assert entry.user == personas.operator
        assert entry.changes_display() == [
            ("организация", "ГБУ «КЦСОН Канавинского района»", "ГБУ «КЦСОН Сормовского района»")]

    def test_only_an_interviewer_is_assigned_organizations(self, personas):
        with pytest.raises(ValidationError, match="не интервьюер"):
            interviewer_assignments_set(by=personas.operator, interviewer=personas.outsider,
                                        organizations=[personas.org_a])
        assert not InterviewerAssignment.objects.exists()

    def test_the_interviewers_page_of_another_user_is_not_found(self, client, personas):
        client.force_login(personas.operator)
        url = reverse("organizations:interviewer_organizations", args=[personas.outsider.pk])
        assert client.get(url).status_code == 404

    def test_an_interviewer_starts_from_its_organizations_and_sees_campaign_counts_of_them(
        self, client, personas, campaign_ab
    ):
        interviewer = make_interviewer("ivanova", personas.org_b)
        client.force_login(interviewer)
        assert client.get(reverse("dashboard:home"))["Location"] == reverse("fieldwork:home")
        home = client.get(reverse("fieldwork:home")).content.decode()
        assert "КЦСОН Сормовского района" in home and "Канавинского" not in home
        listing = client.get(reverse("assessments:campaign_list"))
        assert [c.n_assessments for c in listing.context["campaigns"]] == [1]


class InterviewPageTests:
    def test_an_interviewer_records_an_interview_read_from_the_screen(
        self, client, personas, campaign_ab
    ):
        _, _, assessment = campaign_ab
        interviewer = make_interviewer("ivanova", personas.org_b)
        client.force_login(interviewer)
        url = reverse("fieldwork:interview", args=[assessment.pk])
        page = client.get(url)
        html = page.content.decode()
        assert "Задаётся, если на вопрос 2 ответили «Да»" in html  # info_stand after used_stand
        ticket = page.context["ticket"]
        answer = client.post(url, {"ticket": ticket, **radios(ALL_YES_NO_SITE)})
        assert answer.status_code == 302 and answer["Location"] == url
        response = Response.objects.get()
        assert (response.mode, response.channel, response.interviewer) == (
            "interview", "interviewer", interviewer)
        assert response.duration_seconds is not None and response.duration_seconds < 60
        # The same screen sent again (a double tap, a retry) is not a second interview.
        again = client.post(url, {"ticket": ticket, **radios(ALL_YES_NO_SITE)}, follow=True)
        assert Response.objects.count() == 1
        assert "уже было сохранено" in again.content.decode()

    def test_the_telephone_survey_is_the_same_screen_in_its_own_mode(
        self, client, personas, campaign_ab
    ):
        _, _, assessment = campaign_ab
        client.force_login(make_interviewer("ivanova", personas.org_b))
        url = reverse("fieldwork:interview", args=[assessment.pk])
        page = client.get(url + "?mode=telephone")
        assert "<h1>Телефонный опрос:" in page.content.decode()
        # The mode travels in the signed ticket, not in the address.
        client.post(url, {"ticket": page.context["ticket"], **radios(ALL_YES_NO_SITE)})
        assert Response.objects.get().mode == "telephone"

    def test_an_unanswered_required_question_is_named_and_nothing_is_stored(
        self, client, personas, campaign_ab
    ):
        _, _, assessment = campaign_ab
        client.force_login(make_interviewer("ivanova", personas.org_b))
        url = reverse("fieldwork:interview", args=[assessment.pk])
        ticket = client.get(url).context["ticket"]
        partial = {k: v for k, v in ALL_YES_NO_SITE.items() if k not in {"timely", "overall"}}
        answer = client.post(url, {"ticket": ticket, **radios(partial)})
        assert answer.status_code == 400
        assert "Нет ответа на обязательные вопросы 6, 16" in answer.content.decode()
        assert not Response.objects.exists()

    def test_a_forged_or_foreign_ticket_is_refused(self, client, personas, campaign_ab):
        _, own_a, assessment = campaign_ab
        client.force_login(make_interviewer("ivanova", personas.org_b))
        url = reverse("fieldwork:interview", args=[assessment.pk])
        for ticket in ("forged", ticket_for(own_a.pk, "interview")):
            answer = client.post(url, {"ticket": ticket, **radios(ALL_YES_NO_SITE)})
            assert answer.status_code == 400
            assert "Страница интервью устарела" in answer.content.decode()
        assert not Response.objects.exists()

    def test_only_an_interviewer_records_interviews(self, personas, campaign_ab):
        with pytest.raises(ValidationError, match="с ролью «Интервьюер»"):
            interview_record(assessment=campaign_ab[1], interviewer=personas.operator,
                             answers=ALL_YES_NO_SITE, mode="interview",
                             client_id="00000000-0000-4000-8000-000000000001", started_at=None)


class InterviewChecksTests:
    def test_an_interview_of_an_organization_not_assigned_is_flagged_not_lost(
        self, personas, campaign_ab
    ):
        _, own_a, _ = campaign_ab
        interviewer = make_interviewer("ivanova", personas.org_b)  # A is not assigned
        response = make_interview(own_a, interviewer)
        assert response.status == ResponseStatus.FLAGGED
        assert Flag.objects.get(response=response).kind == "outside_assignment"

    def test_sixteen_interviews_in_ten_minutes_are_no_burst_of_the_organization(
        self, personas, campaign_ab
    ):
        """Online, more than 15 questionnaires in 10 minutes flag the organization; four
        interviewers working a care home's floors at once do that honestly."""
        _, _, assessment = campaign_ab
        team = [make_interviewer(f"team{n}", personas.org_b) for n in range(4)]
        start = timezone.now() - dt.timedelta(hours=1)
        made = [make_interview(assessment, team[i % 4], at=start + dt.timedelta(seconds=35 * i),
                               answers={**ALL_YES_NO_SITE, "sex": ["male", "female"][i % 2],
                                        "age": ["under_30", "30_59", "60_74", "75_plus"][i // 4],
                                        "comfort": ["yes", "no"][(i // 2) % 2]})
                for i in range(16)]
        assert {r.status for r in made} == {ResponseStatus.OK}
        assert not Flag.objects.exists()

    def test_four_identical_interviews_within_an_hour_are_flagged_per_interviewer(
        self, personas, campaign_ab
    ):
        _, _, assessment = campaign_ab
        first = make_interviewer("ivanova", personas.org_b)
        second = make_interviewer("petrov", personas.org_b)
        start = timezone.now() - dt.timedelta(hours=2)
        for i in range(3):  # three each: neither is over the limit
            make_interview(assessment, first, at=start + dt.timedelta(minutes=10 * i))
            make_interview(assessment, second, at=start + dt.timedelta(minutes=10 * i + 5))
        assert not Flag.objects.exists()
        fourth = make_interview(assessment, first, at=start + dt.timedelta(minutes=35))
        flagged = set(Flag.objects.values_list("response__interviewer__username", "kind"))
        assert flagged == {("ivanova", "interviewer_identical")}
        assert Response.objects.get(pk=fourth.pk).status == ResponseStatus.FLAGGED


class ProgressPageTests:
    def test_the_operator_sees_interviews_per_interviewer_and_organization(
        self, client, personas, campaign_ab
    ):
        campaign, own_a, own_b = campaign_ab
        ivanova = make_interviewer("ivanova", personas.org_b)
        make_interviewer("petrov", personas.org_a, personas.org_b)
        make_interview(own_b, ivanova)
        make_interview(own_b, ivanova, mode="telephone")
        make_interview(own_b, ivanova, minutes=0)  # too short: waits for review
        make_interview(own_a, ivanova)  # not assigned
        make_response(own_b)  # a paper questionnaire: nobody's interview
        client.force_login(personas.operator)
        page = client.get(reverse("fieldwork:progress", args=[campaign.pk]))
        progress = {p.name: {r.organization: (r.interview, r.telephone, r.flagged, r.assigned)
                             for r in p.rows} for p in page.context["interviewers"]}
        assert progress == {
            "ivanova": {"КЦСОН Сормовского района": (1, 1, 1, True),
                        "КЦСОН Канавинского района": (0, 0, 1, False)},
            "petrov": {"КЦСОН Канавинского района": (0, 0, 0, True),
                       "КЦСОН Сормовского района": (0, 0, 0, True)},
        }
        html = page.content.decode()
        assert "не назначена" in html
        overview = client.get(reverse("surveys:campaign_overview", args=[campaign.pk]))
        assert reverse("fieldwork:progress", args=[campaign.pk]) in overview.content.decode()
