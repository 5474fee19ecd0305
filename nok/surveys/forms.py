from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django import forms

from nok.surveys.imports import NO_ANSWER, SKIP, TIMESTAMP, suggest_value, value_key
from nok.surveys.models import FlagKind, Mode, ResponseStatus
from nok.surveys.questionnaire import options_of

UPLOAD_MAX_BYTES = 10 * 1024 * 1024


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Решение",
        choices=[(ResponseStatus.ACCEPTED.value, "Принять"), (ResponseStatus.REJECTED.value, "Отклонить")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Основание", max_length=1000, widget=forms.TextInput)


class ReviewFilterForm(forms.Form):
    """The filters of the review page: which tab, which organization, which reason."""

    tab = forms.ChoiceField(label="Раздел", required=False,
                            choices=[("", "Ждут решения"), ("decided", "Решённые")])
    organization = forms.TypedChoiceField(label="Организация", required=False, coerce=int,
                                          empty_value=None)
    kind = forms.ChoiceField(label="Признак", required=False,
                             choices=[("", "все признаки"), *FlagKind.choices])

    def __init__(self, *args: Any, organizations: list[tuple[int, str, int]], **kwargs: Any
                 ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "все организации")] + [  # type: ignore[attr-defined]
            (pk, f"{name} (ждут: {n})" if n else name) for pk, name, n in organizations
        ]
        self.fields["organization"].error_messages["invalid_choice"] = (
            "Организация: в этой кампании нет такой организации с анкетами на проверке")
        self.fields["kind"].error_messages["invalid_choice"] = "Признак: неизвестный признак"
        self.fields["tab"].error_messages["invalid_choice"] = "Раздел: неизвестный раздел"

    def value(self, name: str) -> Any:
        """The valid value of a filter; an invalid one (its error shown) filters nothing."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None


class BulkReviewForm(forms.Form):
    """The responses ticked on the review page and the one decision for all of them."""

    response = forms.TypedMultipleChoiceField(
        label="Анкеты", coerce=int, required=True,
        error_messages={"required": "Отметьте хотя бы одну анкету",
                        "invalid_choice": "Анкеты: неверный номер анкеты «%(value)s»"},
    )
    decision = forms.ChoiceField(
        label="Решение",
        choices=[(ResponseStatus.ACCEPTED.value, "Принять"), (ResponseStatus.REJECTED.value, "Отклонить")],
        error_messages={"required": "Решение: нажмите «Принять выбранные» или «Отклонить выбранные»"},
    )
    reason = forms.CharField(label="Основание", max_length=1000,
                             error_messages={"required": "Основание: укажите, почему принято "
                                                         "такое решение"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any id is offered: the service checks that each belongs to the campaign.
        ticked = self.data.getlist("response") if hasattr(self.data, "getlist") else []
        self.fields["response"].choices = [(v, v) for v in ticked]  # type: ignore[attr-defined]

    def clean_response(self) -> list[int]:
        return list(self.cleaned_data["response"])


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Файл выгрузки (CSV или XLSX)",
        help_text="Выгрузка Google Forms, Яндекс Форм и т. п.: первая строка — тексты вопросов.",
    )
    source = forms.CharField(
        label="Источник (сервис форм)", required=False, max_length=100,
        help_text="Например, «Яндекс Формы — опрос 2026». Сопоставления значений ответов "
                  "запоминаются для источника и подставляются в его следующий файл.",
        widget=forms.TextInput(attrs={"list": "import-sources", "autocomplete": "off"}),
        error_messages={"max_length": "Источник: не длиннее 100 знаков"},
    )
    mode = forms.ChoiceField(
        label="Как собраны ответы", choices=Mode.choices, initial=Mode.ONLINE, required=False,
        help_text="Онлайн — респонденты сами заполнили форму; иначе — в форму внесены бумажные "
                  "анкеты или ответы интервью.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError("Файл больше 10 МБ: разделите выгрузку на части")
        return upload

    def clean_mode(self) -> str:
        return str(self.cleaned_data.get("mode") or Mode.ONLINE)


class MappingForm(forms.Form):
    """One select per column of the file: a question, «дата и время» or «не загружать»."""

    def __init__(self, *args: Any, header: list[str], questions: Any, initial_map: dict[str, str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(SKIP, "— не загружать —"), (TIMESTAMP, "Дата и время заполнения")]
        choices += [(q.key, f"{i}. {q.text[:90]}") for i, q in enumerate(questions, start=1)]
        for index, title in enumerate(header):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=title or f"Столбец {index + 1}", choices=choices, required=False,
                initial=initial_map.get(str(index), SKIP),
            )

    def mapping(self) -> dict[int, str]:
        return {int(name[4:]): value for name, value in self.cleaned_data.items()}


@dataclass(frozen=True)
class ValueGroup:
    """The unmatched values of one question on the mapping page."""

    number: int
    question: Any
    rows: list[tuple[Any, int, bool]]  # (bound field, rows holding the value, remembered?)


def value_field_name(question_key: str, cell: str) -> str:
    """A stable field name for a (question, value) pair: the same after a column changes."""
    digest = hashlib.sha256(f"{question_key}\x1f{value_key(cell)}".encode()).hexdigest()[:16]
    return f"v_{digest}"


class ValueMappingForm(forms.Form):
    """For each value of the file that matches no answer option of its question: a select of
    the question's options, pre-filled from the source's earlier imports or by the closest
    label (``imports.suggest_value``)."""

    def __init__(self, *args: Any, unmatched: list[tuple[Any, list[tuple[str, int]]]],
                 numbers: dict[str, int], remembered: dict[tuple[str, str], str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pairs: dict[str, tuple[str, str]] = {}
        self.groups: list[ValueGroup] = []
        for question, values in unmatched:
            options = list(options_of(question))
            choices = [("", "— не сопоставлено (строка будет ошибкой) —"),
                       (NO_ANSWER, "считать, что ответа нет"), *options]
            names = []
            for cell, n in values:
                name = value_field_name(question.key, cell)
                known = remembered.get((question.key, value_key(cell)), "")
                self.fields[name] = forms.ChoiceField(
                    label=cell, choices=choices, required=False,
                    initial=known or suggest_value(cell, options),
                    error_messages={"invalid_choice": f"Значение «{cell}»: выберите вариант "
                                                      "ответа из списка"},
                )
                self.pairs[name] = (question.key, cell)
                names.append((name, n, bool(known)))
            self.groups.append(ValueGroup(numbers.get(question.key, 0), question,
                                          [(self[name], n, known) for name, n, known in names]))

    def complete_in(self, data: Any) -> bool:
        """Whether ``data`` answers every value shown (the columns may have changed since)."""
        return all(name in data for name in self.pairs)

    def value_map(self) -> dict[str, dict[str, str]]:
        mapped: dict[str, dict[str, str]] = {}
        for name, (key, cell) in self.pairs.items():
            option = self.cleaned_data.get(name) or ""
            if option:
                mapped.setdefault(key, {})[cell] = option
        return mapped


def paper_digit_options(question: Any) -> list[tuple[str, str]]:
    """(digit, label) for the entry screen: 1, 2, … in option order; 0/blank = не отвечал."""
    return [(str(i), label) for i, (_, label) in enumerate(options_of(question), start=1)]


def digit_of(question: Any, value: str) -> str:
    """The digit typed for a stored option key ('' for no answer; text stays text)."""
    if question.type == "text" or not value:
        return value
    for i, (key, _) in enumerate(options_of(question), start=1):
        if key == value:
            return str(i)
    return ""


def decode_paper(questions: Any, data: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Digits typed on the entry screen -> option keys; errors name the question number."""
    answers: dict[str, str] = {}
    errors: dict[str, str] = {}
    for number, question in enumerate(questions, start=1):
        raw = (data.get(f"q_{question.key}") or "").strip()
        if question.type == "text":
            if raw:
                answers[question.key] = raw
            continue
        if raw in {"", "0"}:
            continue
        options = options_of(question)
        if raw.isdigit() and 1 <= int(raw) <= len(options):
            answers[question.key] = options[int(raw) - 1][0]
        else:
            errors[question.key] = f"Вопрос {number}: введите цифру от 0 до {len(options)}"
    return answers, errors
