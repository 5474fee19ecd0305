"""Every screen of the public questionnaire stays cheap at any campaign size: the queries each
kind of screen makes are counted here, so a saving cannot silently go away.

The budget of each screen, query by query:
- a question screen, the review, the start page with a draft: 1 — the draft read with its
  survey, campaign, methodology version and organization (never the methodology document,
  which this process parsed once);
- an answer (a screen's POST or the autosave): 2 — that read, and one UPDATE that merges the
  answer into the stored ones (no transaction around a single statement, no lock);
- the start page without a draft: 1 — the survey alone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from nok.surveys.models import Draft, Response
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment
from nok.surveys.tests.test_public_form import answer_all, start

pytestmark = pytest.mark.django_db


def queries_of(send) -> tuple[object, list[str]]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        result = send()
    return result, [q["sql"] for q in captured.captured_queries]


def no_methodology_document(sql: list[str]) -> bool:
    return not any('"definition"' in s or '"observed"' in s for s in sql)


@pytest.fixture
def screen(client):  # type: ignore[no-untyped-def]
    """The first question screen of a started questionnaire, the methodology parsed."""
    assessment = make_assessment()
    response, _ = start(client, assessment)
    url = response["Location"]
    assert client.get(url).status_code == 200
    return assessment, url


class QuestionScreenCostTests:
    def test_a_question_screen_reads_the_draft_with_its_survey_in_one_query(self, client, screen):
        _, url = screen
        page, sql = queries_of(lambda: client.get(url))
        assert page.status_code == 200 and "Вопрос 1 из" in page.content.decode()
        assert len(sql) == 1, sql
        assert no_methodology_document(sql)

    def test_an_answer_is_the_read_and_one_update_of_the_draft(self, client, screen):
        _, url = screen
        moved, sql = queries_of(lambda: client.post(url, {"action": "next", "answer": "recipient"}))
        assert moved.status_code == 302
        assert len(sql) == 2, sql
        assert sql[1].startswith('UPDATE "surveys_draft"')
        assert no_methodology_document(sql)
        assert Draft.objects.get().answers == {"respondent": "recipient"}

    def test_an_autosave_is_the_read_and_one_update_of_the_draft(self, client, screen):
        assessment, _ = screen
        url = reverse("surveys:autosave", args=[assessment.survey_code])
        saved, sql = queries_of(lambda: client.post(url, {"question": "respondent",
                                                          "answer": "recipient"}))
        assert saved.json() == {"saved": True}
        assert len(sql) == 2, sql
        assert no_methodology_document(sql)

    def test_the_review_reads_the_draft_with_its_survey_in_one_query(self, client):
        assessment = make_assessment()
        answer_all(client, assessment, ALL_YES_NO_SITE)
        url = reverse("surveys:review", args=[assessment.survey_code])
        page, sql = queries_of(lambda: client.get(url))
        assert page.status_code == 200
        assert len(sql) == 1, sql

    def test_the_start_page_without_a_draft_reads_the_survey_alone(self, client):
        assessment = make_assessment()
        url = reverse("surveys:form", args=[assessment.survey_code])
        client.get(url)
        page, sql = queries_of(lambda: client.get(url))
        assert page.status_code == 200
        assert len(sql) == 1, sql


class SubmissionCostTests:
    def test_a_submission_stores_the_response_without_rereading_the_survey(self, client):
        """The submission: the screen's read; then, in one transaction, the draft locked,
        the response stored (``response_record``: its id looked up, the assessment's data
        version raised and the campaign's status read, response, answers and both
        counters written, the quality check) and the draft marked sent. Counted on a
        response the quality check does not flag (it took the respondent ten minutes)."""
        assessment = make_assessment()
        answer_all(client, assessment, ALL_YES_NO_SITE)
        Draft.objects.update(started_at=timezone.now() - timedelta(minutes=10))
        draft = Draft.objects.get()
        url = reverse("surveys:submit", args=[assessment.survey_code])
        done, sql = queries_of(lambda: client.post(url, {"client_id": str(draft.client_id)}))
        assert done["Location"] == reverse("surveys:thanks", args=[assessment.survey_code])
        assert Response.objects.get().status == "ok"
        assert no_methodology_document(sql)
        # Not the survey read again, nor the response looked up by the page's client id
        # before the draft (which holds that id unsent) was found.
        assert sum(s.startswith('SELECT "assessments_assessment"') for s in sql) == 0
        assert len(sql) == SUBMISSION_QUERIES, "\n".join(sql)


# The read (1); the transaction (2: begin and end — a savepoint inside the test's own
# transaction); the lock (1); response_record (11: its savepoint 2, the client id looked up 1,
# the guard 2, the response with its answers and its savepoint 3, the counters 2, the quality
# check 1 — the responses around this one, under the guard already passed); the draft marked
# sent (1). It was 33 when the survey, the response by client id and the draft were read apart
# and the methodology document re-read in the lock; 22 while the quality check ran in a
# savepoint with a guard of its own and the status was read back; 17 while the answers were
# rows of their own.
SUBMISSION_QUERIES = 1 + 2 + 1 + 11 + 1
