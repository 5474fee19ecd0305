"""Forms of the documents pages."""

from __future__ import annotations

from django import forms

from nok.reports.models import JobKind


class ZipForm(forms.Form):
    kind = forms.ChoiceField(
        label="Формат протоколов", choices=JobKind.choices,
        error_messages={"required": "Выберите формат протоколов: DOCX или PDF",
                        "invalid_choice": "Выберите формат протоколов: DOCX или PDF"},
    )


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label="Шаблон (DOCX)",
        error_messages={"required": "Выберите файл шаблона (.docx)",
                        "empty": "Файл шаблона пуст"},
    )
