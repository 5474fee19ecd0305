"""Forms of the way to publication: a reason per unmet precondition, the reason of a reopening."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import ngettext

from nok.scores.selectors import ResultRow

REASON_MAX = 2000


#: above this many organizations with unmet preconditions the page asks for one common reason
#: only (a field per organization would make a page, and a request, of thousands of fields)
OWN_REASONS_MAX = 200


class PublishForm(forms.Form):
    """A reason per organization that does not meet a precondition of publication: its own,
    or the common one given for every organization without its own."""

    confirm = forms.BooleanField(
        label="Я проверил(а) результаты и подтверждаю их публикацию", required=True,
        error_messages={"required": "Подтвердите публикацию"},
    )
    common = forms.CharField(
        label="Общее основание публикации", max_length=REASON_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Применяется ко всем организациям с невыполненными условиями, для которых "
                  "не указано своё основание.",
    )

    def __init__(self, *args: Any, unmet: Sequence[ResultRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unmet = list(unmet)
        self.own = len(self.unmet) <= OWN_REASONS_MAX
        for row in self.unmet if self.own else ():
            self.fields[f"reason_{row.assessment_id}"] = forms.CharField(
                label=f"Основание публикации: {row.name}", max_length=REASON_MAX,
                required=False, widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("common") or "").strip():
            return data
        if not self.own:
            n = len(self.unmet)
            self.add_error("common", "Укажите общее основание публикации: условия не выполнены у "
                           + ngettext("%(n)s организации", "%(n)s организаций", n) % {"n": n})
            return data
        for row in self.unmet:
            name = f"reason_{row.assessment_id}"
            if not (data.get(name) or "").strip() and name not in self.errors:
                self.add_error(name, "Укажите основание: условие публикации не выполнено "
                                     "(или общее основание выше)")
        return data

    def rows(self) -> list[tuple[ResultRow, forms.BoundField | None]]:
        """The organizations with unmet preconditions, each with its own reason's field (None
        when only the common reason is asked for)."""
        return [(row, self[f"reason_{row.assessment_id}"] if self.own else None)
                for row in self.unmet]

    def exceptions(self) -> dict[int, str]:
        common = (self.cleaned_data.get("common") or "").strip()
        return {row.assessment_id: (self.cleaned_data.get(f"reason_{row.assessment_id}") or "")
                .strip() or common for row in self.unmet}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Что и почему нужно исправить", max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Укажите, что и почему нужно исправить"},
    )
