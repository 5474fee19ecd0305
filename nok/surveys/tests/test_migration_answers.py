"""Migration 0010: the answers of the responses already stored move from their rows in the
answer table into the response's own ``answers`` and ``texts``, and back when it is undone."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from nok.surveys.tests.factories import historical_assessment

BEFORE = [("surveys", "0009_drop_unread_indexes")]
AFTER = [("surveys", "0010_answers_in_the_response")]


def migrated(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
class AnswersMigrationTests:
    def test_answer_rows_become_the_responses_answers_and_texts_and_come_back(self):
        apps = migrated(BEFORE)
        assessment = historical_assessment(apps)
        response_model, answer_model = (apps.get_model("surveys", "Response"),
                                        apps.get_model("surveys", "Answer"))
        first, second, empty = (
            response_model.objects.create(assessment=assessment, client_id=uuid.uuid4(),
                                          channel="online", mode="online",
                                          submitted_at=timezone.now())
            for _ in range(3))
        answer_model.objects.bulk_create([
            answer_model(response=first, question="respondent", value="recipient"),
            answer_model(response=first, question="overall", value="yes"),
            answer_model(response=first, question="suggestions", value="", text="Пандус"),
            answer_model(response=second, question="respondent", value="relative"),
        ])

        apps = migrated(AFTER)
        stored = {r.pk: (r.answers, r.texts)
                  for r in apps.get_model("surveys", "Response").objects.all()}
        assert stored == {
            first.pk: ({"respondent": "recipient", "overall": "yes", "suggestions": ""},
                       {"suggestions": "Пандус"}),
            second.pk: ({"respondent": "relative"}, {}),
            empty.pk: ({}, {}),
        }

        apps = migrated(BEFORE)
        rows = set(apps.get_model("surveys", "Answer").objects.values_list(
            "response_id", "question", "value", "text"))
        assert rows == {(first.pk, "respondent", "recipient", ""),
                        (first.pk, "overall", "yes", ""),
                        (first.pk, "suggestions", "", "Пандус"),
                        (second.pk, "respondent", "relative", "")}
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
