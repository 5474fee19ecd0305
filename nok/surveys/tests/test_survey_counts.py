from __future__ import annotations

import pytest

from nok.surveys.models import ResponseStatus
from nok.surveys.selectors import survey_counts
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment, make_response

pytestmark = pytest.mark.django_db

SITE_NO = {**ALL_YES_NO_SITE, "used_site": "yes", "info_site": "no"}
SITE_YES = {**ALL_YES_NO_SITE, "used_site": "yes", "info_site": "yes"}


class SurveyCountsTests:
    def setup_assessment(self):
        assessment = make_assessment()
        make_response(assessment)  # did not use the site
        make_response(assessment, SITE_NO)
        make_response(assessment, SITE_YES, status=ResponseStatus.FLAGGED)
        make_response(assessment, SITE_YES, status=ResponseStatus.REJECTED)
        return assessment

    def test_a_respondent_who_did_not_use_the_site_is_not_asked_about_it(self):
        assessment = self.setup_assessment()
        tally = survey_counts([assessment.pk])[assessment.pk]
        # Counted: the non-user and SITE_NO. Only SITE_NO was asked about the site, and said no.
        assert tally.respondents == 2
        assert tally.answers["info_site"] == (1, 0)
        assert tally.answers["info_stand"] == (2, 2)

    def test_flagged_responses_count_only_when_asked_to(self):
        assessment = self.setup_assessment()
        tally = survey_counts([assessment.pk], include_flagged=True)[assessment.pk]
        assert tally.respondents == 3
        assert tally.answers["info_site"] == (2, 1)

    def test_rejected_responses_never_count(self):
        assessment = make_assessment()
        make_response(assessment, SITE_YES, status=ResponseStatus.REJECTED)
        tally = survey_counts([assessment.pk], include_flagged=True)[assessment.pk]
        assert tally.respondents == 0
        assert tally.answers["info_site"] == (0, 0)

    def test_accepted_flagged_responses_count_by_default(self):
        assessment = make_assessment()
        make_response(assessment, SITE_YES, status=ResponseStatus.ACCEPTED)
        assert survey_counts([assessment.pk])[assessment.pk].answers["info_site"] == (1, 1)

    def test_every_answer_key_is_present_even_without_responses(self):
        assessment = make_assessment()
        tally = survey_counts([assessment.pk])[assessment.pk]
        assert tally.respondents == 0
        assert set(tally.answers) == {
            "info_stand", "info_site", "timely", "comfort", "accessibility",
            "courtesy_first_contact", "courtesy_service", "courtesy_remote", "recommend",
            "schedule", "overall",
        }
        assert set(tally.answers.values()) == {(0, 0)}

    def test_it_counts_several_assessments_apart(self):
        first, second = make_assessment(), make_assessment()
        make_response(first)
        make_response(second, SITE_YES)
        make_response(second, SITE_NO)
        tallies = survey_counts([first.pk, second.pk])
        assert tallies[first.pk].respondents == 1
        assert tallies[second.pk].answers["info_site"] == (2, 1)

    def test_answers_to_a_question_whose_filter_is_not_met_are_not_stored(self):
        assessment = make_assessment()
        response = make_response(assessment, {**ALL_YES_NO_SITE, "info_site": "no"})
        response.refresh_from_db()
        assert "info_site" not in response.answers
        assert survey_counts([assessment.pk])[assessment.pk].answers["info_site"] == (0, 0)

    def test_disabled_respondents_alone_are_asked_about_accessibility(self):
        assessment = make_assessment()
        make_response(assessment, {**ALL_YES_NO_SITE, "disabled": "yes", "accessibility": "no"})
        make_response(assessment, {**ALL_YES_NO_SITE, "accessibility": "yes"})
        assert survey_counts([assessment.pk])[assessment.pk].answers["accessibility"] == (1, 0)


class Social2014Tests:
    def test_the_2014_questionnaire_counts_by_indicator_code(self):
        assessment = make_assessment(slug="social-2014")
        make_response(assessment, {"respondent": "recipient", "0242000006": "yes"})
        make_response(assessment, {"respondent": "relative", "0242000006": "no",
                                   "0243000002": "no"})
        tally = survey_counts([assessment.pk])[assessment.pk]
        assert tally.respondents == 2
        assert tally.answers["0242000006"] == (2, 1)
        assert tally.answers["0243000002"] == (1, 0)
