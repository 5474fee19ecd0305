"""The partial indexes of responses (a review decision, an interviewer: migration 0011) serve
the queries that read them: PostgreSQL must prove that each query's condition implies the
index's, or a national campaign's review queue would read a million rows. Sequential scans
are switched off so that the plan shows whether the index can be used at all."""

import pytest
from django.db import connection

from nok.fieldwork.selectors import own_interview_counts
from nok.organizations.models import Role
from nok.organizations.tests.factories import make_user
from nok.surveys.models import Response
from nok.surveys.selectors import review_organizations, review_queue
from nok.surveys.tests.factories import make_assessment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]


def plan_of(queryset) -> str:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def plan_of_call(call) -> str:  # type: ignore[no-untyped-def]
    """The plans of the statements ``call`` runs (EXPLAIN of each, seq scans off)."""
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    def explain(run, sql, params, many, context):  # type: ignore[no-untyped-def]
        if sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return run(sql, params, many, context)

    with connection.execute_wrapper(explain):
        call()
    return "\n".join(plans)


class PartialIndexTests:
    def test_the_review_queue_reads_the_index_of_responses_under_review(self):
        campaign = make_assessment().campaign
        assert "survey_resp_assess_review" in plan_of(review_queue(campaign))
        assert "survey_resp_assess_review" in plan_of(review_queue(campaign, decided=True))
        # …and only where it may: the responses «ok» are not in it.
        accepted = Response.objects.filter(assessment__campaign=campaign, status="ok")
        assert "survey_resp_assess_review" not in plan_of(accepted)

    def test_the_organizations_under_review_are_found_by_that_index(self):
        campaign = make_assessment().campaign
        assert "survey_resp_assess_review" in plan_of_call(lambda: review_organizations(campaign))

    def test_an_interviewers_own_interviews_are_read_by_the_interviewer_indexes(self):
        assessment = make_assessment()
        user = make_user("ivanova", Role.INTERVIEWER)
        plans = plan_of_call(lambda: own_interview_counts(user, [assessment.pk]))
        assert "survey_resp_assess_interv2" in plans or "survey_resp_interviewer" in plans

    def test_the_responses_a_user_reviewed_are_found_by_the_reviewer_index(self):
        user = make_user("petrov", Role.OPERATOR)
        assert "survey_resp_reviewer" in plan_of(Response.objects.filter(reviewed_by=user))
