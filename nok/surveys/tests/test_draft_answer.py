"""draft_answer: one UPDATE merges the answer into the stored ones; when it matches no row,
the respondent is told why."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from nok.surveys.models import Draft
from nok.surveys.selectors import draft_by_token
from nok.surveys.services import (
    draft_answer,
    draft_answers,
    draft_restart,
    draft_start,
    draft_submit,
)
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment

pytestmark = pytest.mark.django_db


class DraftAnswersTests:
    def test_many_answers_are_merged_in_one_statement_and_blank_ones_removed(
        self, django_assert_num_queries
    ):
        assessment = make_assessment()
        draft = draft_start(assessment=assessment, client_id=uuid.uuid4())
        draft = draft_answer(draft=draft, question="used_site", value="yes")
        stale = draft_by_token(assessment.survey_code, draft.token)  # as the screen reads it
        draft_answer(draft=draft, question="overall", value="no")  # from another tab meanwhile
        with django_assert_num_queries(1):
            stale = draft_answers(draft=stale, answers={
                "respondent": "relative", "used_stand": " yes ", "used_site": ""})
        assert Draft.objects.get().answers == {
            "respondent": "relative", "used_stand": "yes", "overall": "no"}
        assert stale.answers == {"respondent": "relative", "used_stand": "yes"}

    def test_a_nul_character_pasted_into_a_text_answer_is_dropped(self):
        draft = draft_start(assessment=make_assessment(), client_id=uuid.uuid4())
        draft_answers(draft=draft, answers={"suggestions": "пан\x00дус"})
        assert Draft.objects.get().answers == {"suggestions": "пандус"}

    def test_one_answer_not_valid_refuses_them_all(self):
        draft = draft_start(assessment=make_assessment(), client_id=uuid.uuid4())
        with pytest.raises(ValidationError, match="Выберите один из вариантов"):
            draft_answers(draft=draft, answers={"respondent": "recipient", "used_stand": "maybe"})
        assert Draft.objects.get().answers == {}


class DraftAnswerTests:
    def test_an_answer_is_added_to_the_stored_ones_and_a_blank_one_removes_it(self):
        draft = draft_start(assessment=make_assessment(), client_id=uuid.uuid4())
        draft_answer(draft=draft, question="respondent", value="recipient")
        stale = Draft.objects.get()  # as a second tab read it
        draft_answer(draft=draft, question="used_stand", value="yes")
        draft_answer(draft=stale, question="respondent", value="")
        assert Draft.objects.get().answers == {"used_stand": "yes"}

    def test_the_returned_draft_holds_the_answers_it_was_read_with_and_this_one(self):
        draft = draft_start(assessment=make_assessment(), client_id=uuid.uuid4())
        draft = draft_answer(draft=draft, question="respondent", value=" recipient ")
        assert draft_answer(draft=draft, question="used_stand", value="no").answers == {
            "respondent": "recipient", "used_stand": "no"}

    def test_a_free_text_answer_with_quotes_is_stored_as_typed(self):
        draft = draft_start(assessment=make_assessment(), client_id=uuid.uuid4())
        text = 'Спасибо «всем»! "Очень" довольны; 100% \\ {"a": 1}'
        draft_answer(draft=draft, question="suggestions", value=text)
        assert Draft.objects.get().answers == {"suggestions": text}

    def test_a_sent_draft_refuses_a_late_answer(self):
        draft = draft_start(assessment=make_assessment(), client_id=uuid.uuid4())
        for key, value in ALL_YES_NO_SITE.items():
            draft = draft_answer(draft=draft, question=key, value=value)
        draft_submit(draft=draft, client_hash="h")
        with pytest.raises(ValidationError, match="уже отправлена"):
            draft_answer(draft=draft, question="overall", value="no")

    def test_a_draft_started_anew_in_another_tab_refuses_the_old_tabs_answer(self):
        draft = draft_start(assessment=make_assessment(), client_id=uuid.uuid4())
        draft_restart(draft=draft)
        with pytest.raises(ValidationError, match="начата заново"):
            draft_answer(draft=draft, question="respondent", value="recipient")
