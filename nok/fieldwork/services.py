"""Every write of the interviewers' fieldwork: interviews (face to face or by telephone).

An interview is a survey response in an interviewer mode, stored by
``nok.surveys.services.response_record`` like every other one: once per client-generated id
(a retry or a second sync returns the stored response), under the fieldwork guard, with the
counters and the quality checks (per interviewer) in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import ngettext

from nok.assessments.models import Assessment
from nok.assessments.services import fieldwork_write
from nok.organizations.access import is_interviewer
from nok.surveys.models import INTERVIEWER_MODES, Channel, Response
from nok.surveys.questionnaire import clean_answers, missing_required, questions_for
from nok.surveys.services import response_record


def _missing_text(numbers: list[int]) -> str:
    listed = ", ".join(str(n) for n in numbers)
    return ngettext("Нет ответа на обязательный вопрос %(list)s",
                    "Нет ответа на обязательные вопросы %(list)s", len(numbers)) % {"list": listed}


@fieldwork_write
@transaction.atomic
def interview_record(
    *,
    assessment: Assessment,
    interviewer: Any,
    answers: Mapping[str, Any],
    mode: str,
    client_id: uuid.UUID | str,
    started_at: datetime | None,
    submitted_at: datetime | None = None,
) -> tuple[Response, bool]:
    """Store one interview unless its ``client_id`` is known; returns (response, created).

    The interviewer must hold the interviewer role; every asked required question must be
    answered (an interview is read from the screen as written, nothing is skipped by accident).
    Whether the organization is assigned to the interviewer is a quality check, not a refusal:
    an assignment may be withdrawn while the interviewer's device is offline.
    """
    if not is_interviewer(interviewer):
        raise ValidationError("Интервью записывает только пользователь с ролью «Интервьюер»")
    if mode not in INTERVIEWER_MODES:
        raise ValidationError({"mode": "Форма опроса: интервью или телефонный опрос"})
    existing = Response.objects.filter(client_id=client_id).first() if _is_uuid(client_id) else None
    if existing is None:
        questions = questions_for(assessment)
        cleaned = clean_answers(questions, answers)
        missing = missing_required(questions, cleaned.answers)
        if missing and not cleaned.errors:
            numbers = [i for i, q in enumerate(questions, start=1) if q in missing]
            raise ValidationError({"answers": _missing_text(numbers)})
    return response_record(
        assessment=assessment, answers=answers, channel=Channel.INTERVIEWER, mode=mode,
        interviewer=interviewer, client_id=client_id, started_at=started_at,
        submitted_at=submitted_at, user=interviewer,
    )


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
