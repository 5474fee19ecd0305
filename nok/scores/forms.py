"""Forms of the way to publication: a reason per unmet precondition, the reason of a reopening."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from nok.scores.selectors import ResultRow

REASON_MAX = 2000


class PublishForm(forms.Form):
    """One required reason per organization that does not meet a precondition of publication."""

    confirm = forms.BooleanField(
        label="Я проверил(а) результаты и подтверждаю их публикацию", required=True,
        error_messages={"required": "Подтвердите публикацию"},
    )

    def __init__(self, *args: Any, unmet: Sequence[ResultRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unmet = list(unmet)
        for row in self.unmet:
            self.fields[f"reason_{row.assessment_id}"] = forms.CharField(
                label=f"Основание публикации: {row.name}", max_length=REASON_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": "Укажите основание: условие публикации не выполнено"},
            )

    def rows(self) -> list[tuple[ResultRow, forms.BoundField]]:
        return [(row, self[f"reason_{row.assessment_id}"]) for row in self.unmet]

    def exceptions(self) -> dict[int, str]:
        return {row.assessment_id: self.cleaned_data[f"reason_{row.assessment_id}"]
                for row in self.unmet}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Что и почему нужно исправить", max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Укажите, что и почему нужно исправить"},
    )
