"""A questionnaire screen stays cheap at any campaign size: two small reads (the survey and
the respondent's draft), and never the methodology document once this process has parsed it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nok.surveys.tests.factories import make_assessment
from nok.surveys.tests.test_public_form import start

pytestmark = pytest.mark.django_db


class QuestionScreenCostTests:
    def test_a_question_screen_reads_the_survey_and_the_draft_and_nothing_else(self, client):
        assessment = make_assessment()
        response, _ = start(client, assessment)
        screen = response["Location"]
        assert client.get(screen).status_code == 200  # the methodology parsed by now
        with CaptureQueriesContext(connection) as queries:
            assert client.get(screen).status_code == 200
        sql = [q["sql"] for q in queries.captured_queries]
        assert len(sql) == 2, sql
        assert not any('"definition"' in s or '"observed"' in s for s in sql)
