"""The interview questionnaire on one screen (validation only; the service does the write)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone

from nok.fieldwork.models import ATTEMPT_LIMIT_MAX
from nok.surveys.models import INTERVIEWER_MODES, Mode
from nok.surveys.questionnaire import TEXT_MAX, options_of

CALL_LIST_MAX_BYTES = 10 * 1024 * 1024
TICKET_SALT = "nok.fieldwork.interview"
TICKET_MAX_AGE = 60 * 60 * 24  # an interview begun yesterday is not sent with today's form


def ticket_for(assessment_id: int, mode: str) -> str:
    """The signed ticket a new interview screen carries: its client id (a retry of the same
    screen is stored once) and the moment the screen was served (the interview's start)."""
    return signing.dumps({"a": assessment_id, "m": mode, "c": str(uuid.uuid4()),
                          "s": timezone.now().isoformat()}, salt=TICKET_SALT)


def read_ticket(value: str, assessment_id: int) -> tuple[str, str, datetime] | None:
    """(client id, mode, started at) of a ticket issued for this assessment, else None."""
    try:
        data = signing.loads(value, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("a") != assessment_id or data.get("m") not in INTERVIEWER_MODES:
        return None
    return str(data["c"]), str(data["m"]), datetime.fromisoformat(data["s"])


def mode_of(raw: str | None) -> str:
    return Mode.TELEPHONE.value if raw == Mode.TELEPHONE else Mode.INTERVIEW.value


class InterviewForm(forms.Form):
    """One field per question, named ``q_<key>``: radio buttons, or text for free answers."""

    def __init__(self, *args: Any, questions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = tuple(questions)
        for number, question in enumerate(self.questions, start=1):
            label = f"{number}. {question.text}"
            if question.type == "text":
                self.fields[f"q_{question.key}"] = forms.CharField(
                    label=label, required=False, max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 3}))
            else:
                self.fields[f"q_{question.key}"] = forms.ChoiceField(
                    label=label, required=False, choices=options_of(question),
                    widget=forms.RadioSelect)

    def answers(self) -> dict[str, str]:
        """Question key -> chosen option key or text (blank ones left out)."""
        return {q.key: self.cleaned_data[f"q_{q.key}"] for q in self.questions
                if self.cleaned_data.get(f"q_{q.key}")}


def when_hint(question: Any, questions: Sequence[Any]) -> str:
    """When a filtered question is asked, in the interviewer's words: «Задаётся, если на
    вопрос 2 ответили «Да»»; '' for a question always asked."""
    if not question.when:
        return ""
    parts = []
    for number, other in enumerate(questions, start=1):
        if other.key in question.when:
            label = dict(options_of(other)).get(question.when[other.key], question.when[other.key])
            parts.append(f"на вопрос {number} ответили «{label}»")
    return "Задаётся, если " + " и ".join(parts)


def when_data(question: Any) -> str:
    """The filter for the page's script (hides a question not asked); '' when none."""
    return json.dumps(question.when, ensure_ascii=False) if question.when else ""


class CallListUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл с номерами телефонов (XLSX или CSV)",
        help_text="Только номера, в первом столбце, по одному в строке; первая строка может "
                  "быть заголовком «Телефон». Имена и другие сведения не указывайте.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > CALL_LIST_MAX_BYTES:
            raise forms.ValidationError("Файл больше 10 МБ: разделите список на части")
        return upload


class AttemptLimitForm(forms.Form):
    attempt_limit = forms.IntegerField(label="Попыток дозвониться до номера", min_value=1,
                                       max_value=ATTEMPT_LIMIT_MAX)
