"""The questionnaire of a methodology, seen from the survey side: which questions are asked
given the answers so far, which option keys are valid, how an answer vector is cleaned.

Pure functions over ``scoring.Question`` objects (no database access except ``questions_for``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nok.methodology.services import methodology_load

YES = "yes"
NO = "no"
YES_NO_OPTIONS: tuple[tuple[str, str], ...] = ((YES, "Да"), (NO, "Нет"))
# The longest free-text answer kept (a screen refuses more, imports cut to it).
TEXT_MAX = 2000


def loaded(methodology: Any) -> Any:
    """The validated ``scoring.Methodology`` of a stored one (parsed once per version)."""
    return methodology_load(methodology)


def questions_for(assessment: Any) -> tuple[Any, ...]:
    """The questions of the assessment's campaign methodology."""
    return tuple(loaded(assessment.campaign.methodology).questions)


def options_of(question: Any) -> tuple[tuple[str, str], ...]:
    """(key, label) pairs a respondent may choose; empty for free-text questions."""
    if question.type == "text":
        return ()
    options = tuple((o.key, o.label) for o in (question.options or ()))
    if question.type == "yes_no" and not options:
        return YES_NO_OPTIONS
    return options


def is_asked(question: Any, answers: Mapping[str, str]) -> bool:
    """A question with a ``when`` filter is asked only if every filter answer matches."""
    when = question.when or {}
    return all(answers.get(key) == value for key, value in when.items())


def progress(questions: Sequence[Any], answers: Mapping[str, str], current: str) -> tuple[int, int]:
    """«Вопрос N из M»: the current question's number among those asked so far, and how many
    the respondent may be asked in all — a question after this one counts unless an answer
    already rules it out. The total starts at its largest and only shrinks as filters are
    answered «нет» (it grew from 15 to 19 while a respondent answered «да» before)."""
    number = total = 0
    final: set[str] = set()  # questions before the current one: their answers are given
    for question in questions:
        if number == 0:
            if is_asked(question, answers):
                total += 1
            if question.key == current:
                number = total
            else:
                final.add(question.key)
            continue
        when = question.when or {}
        if all(answers.get(key) == value if key in final or key in answers else True
               for key, value in when.items()):
            total += 1
    return number, total


@dataclass(frozen=True)
class Cleaned:
    answers: dict[str, str]  # question key -> option key or text, only asked and answered ones
    errors: dict[str, str]  # question key -> Russian message


def clean_answers(questions: Sequence[Any], raw: Mapping[str, Any]) -> Cleaned:
    """Keep answers to asked questions only; check option keys; unknown keys are errors.

    Blank answers mean «не отвечал» and are dropped (the question then does not count as
    asked). Questions are evaluated in order, so a filter always precedes what it filters.
    """
    known = {q.key for q in questions}
    errors = {
        str(key): f"Неизвестный вопрос «{key}»" for key in raw if str(key) not in known
    }
    answers: dict[str, str] = {}
    for question in questions:
        value = raw.get(question.key)
        value = "" if value is None else str(value).strip()
        if not value or not is_asked(question, answers):
            continue
        valid = {key for key, _ in options_of(question)}
        if question.type == "text":
            answers[question.key] = value[:TEXT_MAX]
        elif value in valid:
            answers[question.key] = value
        else:
            errors[question.key] = (
                f"Недопустимый ответ «{value}» на вопрос «{question.key}» "
                f"(допустимо: {', '.join(sorted(valid))})"
            )
    return Cleaned(answers=answers, errors=errors)


def next_question(questions: Sequence[Any], answers: Mapping[str, str], after: str | None) -> Any:
    """The next asked question after ``after`` (the first when None); None at the end."""
    seen = after is None
    for question in questions:
        if seen and is_asked(question, answers):
            return question
        if question.key == after:
            seen = True
    return None


def previous_question(questions: Sequence[Any], answers: Mapping[str, str], before: str) -> Any:
    """The asked question just before ``before``; None at the start."""
    previous = None
    for question in questions:
        if question.key == before:
            return previous
        if is_asked(question, answers):
            previous = question
    return previous


def asked_questions(questions: Sequence[Any], answers: Mapping[str, str]) -> list[Any]:
    return [q for q in questions if is_asked(q, answers)]


def missing_required(questions: Sequence[Any], answers: Mapping[str, str]) -> list[Any]:
    """Asked, required questions without an answer."""
    return [q for q in asked_questions(questions, answers) if q.required and not answers.get(q.key)]
