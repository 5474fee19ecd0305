"""«Вопрос N из M» on the public questionnaire: the total is how many questions the respondent
may still be asked, so it never grows as «да» answers open follow-up questions."""

from __future__ import annotations

import pytest

import scoring
from nok.surveys.questionnaire import is_asked, progress

# social-2018: 19 questions, four of them asked only after a «да» (info_stand after used_stand,
# info_site after used_site, accessibility after disabled, courtesy_remote after used_remote).
QUESTIONS = tuple(scoring.load_methodology("social-2018").questions)
FILTERS = {"used_stand", "used_site", "disabled", "used_remote"}


def walk(filter_answer: str) -> list[tuple[int, int]]:
    """The progress line of each screen of a respondent answering every filter ``filter_answer``
    and every other question with its first option."""
    answers: dict[str, str] = {}
    seen = []
    for question in QUESTIONS:
        if not is_asked(question, answers):
            continue
        seen.append(progress(QUESTIONS, answers, question.key))
        if question.type != "text":
            options = [o.key for o in question.options] if question.options else ["yes"]
            answers[question.key] = filter_answer if question.key in FILTERS else options[0]
    return seen


class ProgressTests:
    def test_a_new_respondent_may_be_asked_all_nineteen(self) -> None:
        assert len(QUESTIONS) == 19
        assert progress(QUESTIONS, {}, "respondent") == (1, 19)

    def test_a_no_to_a_filter_takes_its_follow_up_off_the_total(self) -> None:
        answers = {"respondent": QUESTIONS[0].options[0].key, "used_stand": "no"}
        # respondent, used_stand, then used_site is the third; info_stand is ruled out
        assert progress(QUESTIONS, answers, "used_site") == (3, 18)

    def test_saying_yes_everywhere_keeps_nineteen_and_numbers_one_to_nineteen(self) -> None:
        assert walk("yes") == [(n, 19) for n in range(1, 20)]

    def test_saying_no_everywhere_shrinks_the_total_to_fifteen_never_growing(self) -> None:
        seen = walk("no")
        assert [n for n, _ in seen] == list(range(1, 16))
        totals = [t for _, t in seen]
        assert totals == sorted(totals, reverse=True)
        assert totals[0] == 19 and totals[-1] == 15

    @pytest.mark.parametrize("answer", ["yes", "no"])
    def test_on_the_last_screen_the_total_is_what_was_asked(self, answer: str) -> None:
        number, total = walk(answer)[-1]
        assert number == total
