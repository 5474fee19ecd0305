"""Scores are always current: every test starts from a write a user makes (a tick, an answer,
a review decision, an import, a registry edit) and reads what the pages then show, with no
recompute called by the test."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nok.assessments import services as fieldwork
from nok.assessments.models import Campaign
from nok.assessments.tests.factories import (
    ALL_YES,
    assessment_of,
    fill_all_checklists,
    make_campaign,
    respond,
    tick,
)
from nok.organizations.services import organization_update
from nok.organizations.tests.factories import make_organization
from nok.scores import selectors
from nok.scores.bridge import compute
from nok.scores.models import Score
from nok.scores.refresh import scores_refresh, stale_assessment_ids
from nok.surveys import services as surveys
from nok.surveys.models import Draft, Response, ResponseStatus

pytestmark = pytest.mark.django_db


def shown(assessment):  # type: ignore[no-untyped-def]
    """The result the organization's page shows."""
    return selectors.assessment_result(assessment).result


@pytest.fixture
def assessment(personas):  # type: ignore[no-untyped-def]
    campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
    return assessment_of(campaign, personas.org_a)


class ChecklistTests:
    def test_two_of_five_remote_channels_show_60_at_once(self, assessment, personas) -> None:
        # 1.2 = min(100, 30 × 2 channels) = 60; 1.1 and 1.3 have no data, so K1 = 1.2 = 60.
        tick(assessment, "remote_channels", ["phone", "email"],
             absent=["e_services", "faq", "opinion_survey"], user=personas.operator)
        result = shown(assessment)
        assert result.indicators["1.2"] == 60
        assert result.indicators["1.1"] is None
        assert result.criteria["K1"] == 60

    def test_untick_changes_the_shown_figure_without_a_recompute(self, assessment) -> None:
        tick(assessment, "remote_channels", ["phone", "email"])
        assert shown(assessment).indicators["1.2"] == 60
        tick(assessment, "remote_channels", ["phone"], absent=["email"])
        assert shown(assessment).indicators["1.2"] == 30  # min(100, 30 × 1)

    def test_1_1_is_the_mean_of_the_stand_and_site_ratios(self, assessment) -> None:
        # stand: 7 of 14 items, site: all 21 -> 0.5 × (7/14 + 21/21) × 100 = 75.
        method = fieldwork.assessment_methodology(assessment)
        stand = [item.key for item in method.checklist("stand").items]
        site = [item.key for item in method.checklist("site").items]
        assert (len(stand), len(site)) == (14, 21)
        tick(assessment, "stand", stand[:7], absent=stand[7:])
        tick(assessment, "site", site)
        assert shown(assessment).indicators["1.1"] == pytest.approx(75)

    def test_checklists_and_survey_combine_into_the_total_on_every_page(self, assessment) -> None:
        # Seed 001's observation: 3.1 = 20 (1 of 5), 3.2 = 80 (4 of 6), the rest 100; two
        # respondents answering «да» (nobody disabled: 3.3 excluded, weights renormalized).
        # K3 = (0.3 × 20 + 0.4 × 80) / 0.7 = 38 / 0.7 = 54.2857…; total = (400 + K3) / 5.
        fill_all_checklists(assessment)
        respond(assessment, used_remote="yes", courtesy_remote="yes")
        respond(assessment, used_remote="yes", courtesy_remote="yes")
        result = shown(assessment)
        assert result.indicators["3.1"] == 20 and result.indicators["3.2"] == 80
        assert result.indicators["3.3"] is None
        assert result.criteria["K3"] == pytest.approx(38 / 0.7)
        assert result.total == pytest.approx((400 + 38 / 0.7) / 5)
        row = selectors.campaign_results(assessment.campaign).by_assessment()[assessment.pk]
        assert row.total == pytest.approx((400 + 38 / 0.7) / 5)


class SurveyTests:
    def test_an_online_response_moves_the_share_the_rating_shows(self, assessment) -> None:
        today = dt.date.today()  # the survey is open today (an answer outside it is flagged)
        Campaign.objects.filter(pk=assessment.campaign_id).update(
            period_start=today - dt.timedelta(days=5), period_end=today + dt.timedelta(days=5))
        fill_all_checklists(assessment)
        respond(assessment)
        assert shown(assessment).indicators["5.3"] == 100
        draft = surveys.draft_start(assessment=assessment, client_id=uuid.uuid4())
        for question, value in (ALL_YES | {"overall": "no"}).items():
            surveys.draft_answer(draft=draft, question=question, value=value)
        # a respondent who took ten minutes (a faster one would be flagged as too fast)
        Draft.objects.filter(pk=draft.pk).update(started_at=timezone.now() - dt.timedelta(minutes=10))
        draft.refresh_from_db()
        surveys.draft_submit(draft=draft, client_hash="x")
        # 5.3: 1 of 2 satisfied -> 50
        assert shown(assessment).indicators["5.3"] == 50
        row = selectors.campaign_results(assessment.campaign).by_assessment()[assessment.pk]
        assert row.total == pytest.approx(shown(assessment).total)

    def test_a_rejection_takes_the_response_out_of_the_score(self, assessment, personas) -> None:
        respond(assessment)
        unhappy = respond(assessment, overall="no")
        assert shown(assessment).indicators["5.3"] == 50  # 1 of 2
        surveys.response_review(response=unhappy, decision=ResponseStatus.REJECTED,
                                reason="заполнена сотрудником", user=personas.operator)
        assert shown(assessment).indicators["5.3"] == 100  # 1 of 1

    def test_flagged_responses_count_only_in_the_preview(self, assessment) -> None:
        respond(assessment)
        flagged = respond(assessment, overall="no")
        surveys._set_status(Response.objects.filter(pk=flagged.pk), ResponseStatus.FLAGGED)
        assert shown(assessment).indicators["5.3"] == 100
        preview = selectors.assessment_result(assessment, include_flagged=True)
        assert preview.result.indicators["5.3"] == 50
        assert shown(assessment).indicators["5.3"] == 100  # the preview stored nothing

    def test_an_import_moves_the_score(self, assessment, personas) -> None:
        respond(assessment)
        content = ("Отметка времени;Удовлетворены ли Вы в целом условиями оказания услуг?\n"
                   "2025-05-01 10:00;Нет\n2025-05-01 11:00;Нет\n").encode()
        job = surveys.import_job_create(assessment=assessment, filename="export.csv",
                                        content=content, user=personas.operator)
        surveys.import_run(job=job, mapping={0: "__timestamp__", 1: "overall"},
                           user=personas.operator)
        assert shown(assessment).indicators["5.3"] == pytest.approx(100 / 3)  # 1 of 3


class RegistryTests:
    def test_more_recipients_put_a_small_sample_below_the_minimum(self, assessment) -> None:
        fill_all_checklists(assessment)
        for _ in range(20):
            respond(assessment)
        # org_a has 200 recipients: minimum ceil(0.4 × 200) = 80 > 20 respondents
        before = selectors.assessment_result(assessment)
        assert "выборка меньше минимальной: опрошено 20, нужно не менее 80" in before.insufficient
        organization_update(organization=assessment.organization, user=None,
                            data={"recipients_semi_stationary": 0, "recipients_home": 40,
                                  "has_semi_stationary": False})
        # now 40 recipients: minimum ceil(0.4 × 40) = 16 <= 20
        assert selectors.assessment_result(assessment).insufficient == ()


class RefreshTests:
    def test_only_stale_scores_are_recomputed(self, assessment, personas) -> None:
        campaign = assessment.campaign
        assert scores_refresh(campaign=campaign) == 2  # nothing computed yet
        assert scores_refresh(campaign=campaign) == 0
        tick(assessment, "remote_channels", ["phone"])
        assert stale_assessment_ids(campaign) == [assessment.pk]
        assert scores_refresh(campaign=campaign) == 1
        assert Score.objects.get(assessment=assessment).data_version == \
            type(assessment).objects.get(pk=assessment.pk).data_version

    @pytest.mark.parametrize("slug", ["social-2018", "social-2014"])
    def test_the_stored_headlines_equal_the_full_computation(self, slug) -> None:
        # Organizations unlike each other: no recipients, one service form, partly filled
        # checklists, few and many responses (one answered «no»), a typed value.
        orgs = [
            make_organization(recipients_semi_stationary=0, recipients_home=0),
            make_organization(has_home=False, recipients_home=0, recipients_semi_stationary=3),
            make_organization(),
            make_organization(has_semi_stationary=False, has_stationary=True,
                              recipients_semi_stationary=0, recipients_stationary=25),
        ]
        campaign = make_campaign(orgs, slug=slug)
        assessments = list(campaign.assessments.order_by("pk"))
        if slug == "social-2018":
            fill_all_checklists(assessments[2])
            tick(assessments[1], "remote_channels", ["phone"], absent=["email"])
            tick(assessments[3], "disabled_premises", [], absent=["ramps"])
            for a, n in zip(assessments, (0, 2, 5, 30), strict=True):
                for i in range(n):
                    respond(a, **({"overall": "no"} if i == 0 else {}))
        else:
            fieldwork.values_update(assessment=assessments[2], user=None,
                                    values={"0241000005": True, "0243000001": 20})
        scores_refresh(campaign=campaign)
        stored = {s.assessment_id: (s.total, s.low, s.high, tuple(s.insufficient))
                  for s in Score.objects.filter(assessment__campaign=campaign)}
        full = {c.assessment.pk: (c.result.total, *c.interval, c.insufficient)
                for c in compute([a.pk for a in assessments])}
        assert stored == full
        assert any(v[0] is not None for v in stored.values())
        assert stale_assessment_ids(campaign) == []  # what was stored is current

    def test_a_batch_takes_the_same_queries_whatever_its_size(self) -> None:
        small = make_campaign([make_organization() for _ in range(2)], title="малая")
        large = make_campaign([make_organization() for _ in range(12)], title="большая")
        for campaign in (small, large):
            for a in campaign.assessments.all():
                tick(a, "remote_channels", ["phone", "email"])
        with CaptureQueriesContext(connection) as few:
            assert scores_refresh(campaign=small) == 2
        with CaptureQueriesContext(connection) as many:
            assert scores_refresh(campaign=large) == 12
        assert len(many.captured_queries) == len(few.captured_queries)

    def test_the_campaign_page_results_read_in_a_fixed_number_of_queries(self) -> None:
        campaign = make_campaign([make_organization() for _ in range(8)])
        selectors.campaign_results(campaign)  # computes everything once
        with CaptureQueriesContext(connection) as first:
            selectors.campaign_results(campaign)
        for a in campaign.assessments.all()[:3]:
            tick(a, "remote_channels", ["phone"])
        with CaptureQueriesContext(connection) as after:
            rows = selectors.campaign_results(campaign).rows
        assert len(rows) == 8
        # reading again costs the same few queries, plus one fixed batch for the three stale
        assert len(first.captured_queries) <= 4
        assert len(after.captured_queries) <= len(first.captured_queries) + 12


class Social2014Tests:
    def test_calls_and_complaints_come_from_the_protocol(self, personas) -> None:
        # org_a: 200 recipients (60 semi-stationary + 140 home). Calls: 2 logged, 1 effective
        # -> 0241000009 = 1/2 = 0.5. Complaints: the home form keeps a register with 4 of its
        # 140 recipients -> 4 / 140 × 100 = 2.857 per 100 (<= 5) -> 02450000016 = 0.5.
        campaign = make_campaign([personas.org_a], slug="social-2014")
        assessment = assessment_of(campaign, personas.org_a)
        for effective in (True, False):
            fieldwork.contact_create(assessment=assessment, user=None, kind="call",
                                     date=dt.date(2025, 5, 1), form="home", answered=True,
                                     effective=effective)
        fieldwork.complaints_set(assessment=assessment, user=None, form="home", registered=4,
                                 resolved=4)
        found = selectors.assessment_result(assessment)
        assert found.result.indicators["0241000009"] == 0.5
        assert found.result.indicators["02410000010"] is None  # no e-mails: drops out
        assert found.result.measured["02450000016"] == pytest.approx(4 / 140 * 100)
        assert found.result.indicators["02450000016"] == 0.5

    def test_the_control_log_wins_over_a_typed_share(self, personas) -> None:
        campaign = make_campaign([personas.org_a], slug="social-2014")
        assessment = assessment_of(campaign, personas.org_a)
        fieldwork.values_update(assessment=assessment, user=None, values={"0241000009": 0.9})
        assert shown(assessment).indicators["0241000009"] == pytest.approx(0.9)
        fieldwork.contact_create(assessment=assessment, user=None, kind="call",
                                 date=dt.date(2025, 5, 1), form="home", answered=False,
                                 effective=False)
        assert shown(assessment).indicators["0241000009"] == 0  # 0 of 1 logged call
