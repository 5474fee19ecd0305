"""Forms of the documents pages."""

from __future__ import annotations

from django import forms

from nok.reports.models import JobKind


class JobForm(forms.Form):
    kind = forms.ChoiceField(
        label="Документ", choices=JobKind.choices,
        error_messages={"required": "Выберите, какой документ сформировать",
                        "invalid_choice": "Выберите, какой документ сформировать"},
    )


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label="Шаблон (DOCX)",
        error_messages={"required": "Выберите файл шаблона (.docx)",
                        "empty": "Файл шаблона пуст"},
    )
