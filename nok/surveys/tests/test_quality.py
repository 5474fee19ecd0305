"""Fraud and quality flags: the pure detection at its thresholds, then the services."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nok.organizations.models import InterviewerAssignment, Role
from nok.organizations.tests.factories import make_user
from nok.surveys import quality
from nok.surveys.models import Flag, Response, ResponseStatus
from nok.surveys.selectors import survey_counts
from nok.surveys.services import flags_recompute, response_record
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment

T0 = datetime(2026, 3, 10, 10, 0, tzinfo=timezone.get_fixed_timezone(180))
PERIOD = (date(2026, 3, 1), date(2026, 3, 31))


def rows(times, *, client="", vector="", duration=None, asked=14):
    return [
        quality.Row(i, T0 + t, client or f"c{i}", vector or f"v{i}", duration, asked)
        for i, t in enumerate(times, start=1)
    ]


def minutes(*values):
    return [timedelta(minutes=v) for v in values]


class DetectTests:
    def test_fifteen_responses_in_ten_minutes_are_not_a_burst(self):
        found = quality.detect(rows(minutes(*range(15))), period=PERIOD)
        assert not any("burst_org" in kinds for kinds in found.values())

    def test_sixteen_responses_in_ten_minutes_are_a_burst_and_all_are_flagged(self):
        found = quality.detect(rows(minutes(*[i * 0.5 for i in range(16)])), period=PERIOD)
        assert sorted(rid for rid, kinds in found.items() if "burst_org" in kinds) == list(range(1, 17))

    def test_a_burst_per_client_needs_more_than_three_from_one_device_within_an_hour(self):
        three = quality.detect(rows(minutes(0, 20, 40), client="same"), period=PERIOD)
        four = quality.detect(rows(minutes(0, 20, 40, 59), client="same"), period=PERIOD)
        spread = quality.detect(rows(minutes(0, 61, 122, 183), client="same"), period=PERIOD)
        assert not three and not spread
        assert sorted(four) == [1, 2, 3, 4] and all("burst_client" in k for k in four.values())

    def test_identical_vectors_are_suspicious_only_when_clustered_in_time(self):
        clustered = quality.detect(rows(minutes(0, 5, 10, 15), vector="all-yes"), period=PERIOD)
        spread = quality.detect(rows(minutes(0, 40, 80, 120), vector="all-yes"), period=PERIOD)
        assert all("identical_vector" in kinds for kinds in clustered.values())
        assert not spread

    def test_two_seconds_per_question_is_the_speed_limit(self):
        # 14 questions asked: 28 s is plausible, 27 s is not.
        assert not quality.detect(rows(minutes(0), duration=28), period=PERIOD)
        found = quality.detect(rows(minutes(0), duration=27), period=PERIOD)
        assert found[1]["too_fast"] == "заполнена за 27 с при 14 вопросах (порог 28 с)"

    def test_the_period_bounds_are_inclusive_in_the_local_time_zone(self):
        last_day = datetime(2026, 3, 31, 23, 30, tzinfo=timezone.get_fixed_timezone(180))
        after = last_day + timedelta(hours=1)
        inside = quality.detect([quality.Row(1, last_day, "c", "v", None, 14)], period=PERIOD)
        outside = quality.detect([quality.Row(2, after, "c", "v", None, 14)], period=PERIOD)
        assert not inside
        assert "outside_period" in outside[2]


@pytest.mark.django_db
class FlagServiceTests:
    def submit(self, assessment, at, **kwargs):
        response, _ = response_record(
            assessment=assessment, answers=ALL_YES_NO_SITE, channel="online",
            client_id=uuid.uuid4(), submitted_at=at, **kwargs,
        )
        return response

    def test_a_fast_submission_is_flagged_and_left_out_of_counts_until_accepted(self):
        assessment = make_assessment()
        now = timezone.now()
        response = self.submit(assessment, now, started_at=now - timedelta(seconds=5))
        assert response.status == ResponseStatus.FLAGGED
        assert Flag.objects.get(response=response).kind == "too_fast"
        assert survey_counts([assessment.pk])[assessment.pk].respondents == 0
        assert survey_counts([assessment.pk], include_flagged=True)[assessment.pk].respondents == 1

    def test_a_fourth_response_from_one_device_flags_the_whole_run(self):
        assessment = make_assessment()
        now = timezone.now()
        made = [self.submit(assessment, now + timedelta(minutes=i * 10), client_hash="h1",
                            started_at=now + timedelta(minutes=i * 10 - 5)) for i in range(4)]
        statuses = set(Response.objects.filter(pk__in=[r.pk for r in made])
                       .values_list("status", flat=True))
        assert statuses == {ResponseStatus.FLAGGED}

    def test_a_reviewed_response_keeps_the_decision_when_checks_run_again(self, personas):
        assessment = make_assessment()
        now = timezone.now()
        response = self.submit(assessment, now, started_at=now - timedelta(seconds=5))
        Response.objects.filter(pk=response.pk).update(status=ResponseStatus.ACCEPTED)
        flags_recompute(assessment=assessment, user=personas.operator)
        response.refresh_from_db()
        assert response.status == ResponseStatus.ACCEPTED

    def test_recompute_clears_flags_that_no_longer_apply(self, personas):
        assessment = make_assessment()
        now = timezone.now()
        response = self.submit(assessment, now, started_at=now - timedelta(minutes=5))
        Flag.objects.create(response=response, kind="burst_org", detail="старый порог")
        Response.objects.filter(pk=response.pk).update(status=ResponseStatus.FLAGGED)
        summary = flags_recompute(assessment=assessment, user=personas.operator)
        response.refresh_from_db()
        assert response.status == ResponseStatus.OK
        assert summary == {"added": 0, "removed": 1, "flagged": 0}


def interviews(times, *, interviewer=7, vector="", duration=600, asked=14, mode="interview",
               assigned=True):
    return [
        quality.Row(i, T0 + t, "", vector or f"v{i}", duration, asked, "", mode, interviewer,
                    assigned)
        for i, t in enumerate(times, start=1)
    ]


class InterviewChecksTests:
    """Interviews fit their mode: one device (one interviewer) carrying many is normal; the
    checks run per interviewer."""

    def test_twenty_interviews_from_one_device_within_the_hour_raise_no_burst(self):
        rows = [quality.Row(i, T0 + timedelta(minutes=3 * i), "one-tablet", f"v{i}", 170, 14,
                            "one-address", "interview", 7) for i in range(1, 21)]
        assert quality.detect(rows, period=PERIOD) == {}

    def test_the_same_rows_as_online_questionnaires_are_bursts(self):
        rows = [quality.Row(i, T0 + timedelta(minutes=3 * i), "one-tablet", f"v{i}", 170, 14,
                            "one-address") for i in range(1, 21)]
        found = quality.detect(rows, period=PERIOD)
        assert sorted(found) == list(range(1, 21))
        # The first window over the limit: four responses («4 анкеты», the plural from the catalogue).
        assert found[1]["burst_client"] == "4 анкеты с одного устройства за 60 мин (порог 3)"
        assert "burst_address" not in found[1]  # 20 from one address is the limit, not above it

    def test_more_than_three_identical_interviews_by_one_interviewer_within_an_hour(self):
        three = quality.detect(interviews(minutes(0, 20, 40), vector="all-yes"), period=PERIOD)
        four = quality.detect(interviews(minutes(0, 20, 40, 59), vector="all-yes"), period=PERIOD)
        spread = quality.detect(interviews(minutes(0, 61, 122, 183), vector="all-yes"),
                                period=PERIOD)
        assert not three and not spread
        assert sorted(four) == [1, 2, 3, 4]
        assert four[1] == {"interviewer_identical":
                           "4 одинаковых набора ответов у одного интервьюера за 60 мин (порог 3)"}

    def test_identical_interviews_of_two_interviewers_are_not_pooled(self):
        rows = interviews(minutes(0, 10), vector="all-yes", interviewer=1) + [
            quality.Row(10 + i, T0 + t, "", "all-yes", 600, 14, "", "interview", 2)
            for i, t in enumerate(minutes(5, 15))
        ]
        assert quality.detect(rows, period=PERIOD) == {}

    def test_five_seconds_per_asked_question_is_the_shortest_interview(self):
        # 14 questions asked: 70 s is possible read aloud, 69 s is not.
        assert not quality.detect(interviews(minutes(0), duration=70), period=PERIOD)
        found = quality.detect(interviews(minutes(0), duration=69), period=PERIOD)
        assert found == {1: {"interview_too_short":
                             "интервью длилось 69 с при 14 вопросах (порог 70 с)"}}

    def test_a_speed_that_is_fine_online_is_too_short_for_an_interview(self):
        online = quality.detect(rows(minutes(0), duration=40), period=PERIOD)
        interview = quality.detect(interviews(minutes(0), duration=40), period=PERIOD)
        assert not online and "interview_too_short" in interview[1]

    def test_an_interview_outside_the_period_or_the_assignment_is_flagged(self):
        late = [quality.Row(1, datetime(2026, 4, 1, 10, tzinfo=T0.tzinfo), "", "v", 600, 14, "",
                            "telephone", 7)]
        assert "outside_period" in quality.detect(late, period=PERIOD)[1]
        foreign = quality.detect(interviews(minutes(0), assigned=False), period=PERIOD)
        assert foreign == {1: {"outside_assignment": "интервьюеру не назначена эта организация"}}


@pytest.mark.django_db
class InterviewFlagServiceTests:
    def interview(self, assessment, interviewer, at, seconds, answers=ALL_YES_NO_SITE):
        response, _ = response_record(
            assessment=assessment, answers=answers, channel="interviewer", mode="interview",
            interviewer=interviewer, client_id=uuid.uuid4(), submitted_at=at,
            started_at=at - timedelta(seconds=seconds),
        )
        return response

    def test_a_short_interview_is_flagged_and_named_with_its_interviewer(self, client, personas):
        assessment = make_assessment(personas.org_a)
        interviewer = make_user("ivanova", Role.INTERVIEWER)
        InterviewerAssignment.objects.create(interviewer=interviewer, organization=personas.org_a)
        now = timezone.now()
        short = self.interview(assessment, interviewer, now, 30)
        fine = self.interview(assessment, interviewer, now + timedelta(minutes=1), 400)
        assert short.status == ResponseStatus.FLAGGED and fine.status == ResponseStatus.OK
        assert Flag.objects.get().kind == "interview_too_short"
        client.force_login(personas.ministry)
        html = client.get(reverse("surveys:campaign_review",
                                  args=[assessment.campaign_id])).content.decode()
        assert "слишком короткое интервью</span> интервью длилось 30 с" in html
        assert "интервьюер ivanova" in html
