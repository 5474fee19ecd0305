from __future__ import annotations

import pytest

from nok.organizations.tests.factories import make_organization
from nok.surveys.models import ResponseStatus
from nok.surveys.selectors import sample_status, sample_statuses
from nok.surveys.tests.factories import make_assessment, make_campaign, make_response

pytestmark = pytest.mark.django_db


def org(recipients: int):
    return make_organization(recipients_semi_stationary=recipients, recipients_home=0)


class SampleStatusTests:
    def test_the_minimum_is_forty_percent_of_recipients_rounded_up(self):
        # 0.4 × 35 = 14 exactly (not 15 from floating-point noise); 0.4 × 36 = 14.4 -> 15
        assert sample_status(make_assessment(org(35))).minimum == 14
        assert sample_status(make_assessment(org(36))).minimum == 15

    def test_the_minimum_is_capped_at_six_hundred(self):
        status = sample_status(make_assessment(org(2000)))
        assert (status.minimum, status.cap) == (600, 600)

    def test_only_counted_responses_reach_the_minimum(self):
        assessment = make_assessment(org(5))  # minimum 2
        make_response(assessment)
        make_response(assessment, status=ResponseStatus.FLAGGED)
        make_response(assessment, status=ResponseStatus.REJECTED)
        status = sample_status(assessment)
        assert (status.responses, status.flagged, status.below_minimum) == (1, 1, True)
        make_response(assessment, status=ResponseStatus.ACCEPTED)
        assert sample_status(assessment).below_minimum is False

    def test_it_answers_for_many_assessments_at_once(self):
        campaign = make_campaign()
        first, second = make_assessment(org(10), campaign), make_assessment(org(100), campaign)
        statuses = sample_statuses([first.pk, second.pk])
        assert (statuses[first.pk].minimum, statuses[second.pk].minimum) == (4, 40)
