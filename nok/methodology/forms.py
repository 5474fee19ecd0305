"""The methodology upload: a JSON file checked exactly as ``nok score`` checks it."""

from __future__ import annotations

import json
from typing import Any

from django import forms

import scoring

MAX_BYTES = 2 * 1024 * 1024


class MethodologyUploadForm(forms.Form):
    file = forms.FileField(label="Файл методики (JSON)")

    def clean_file(self) -> dict[str, Any]:
        """The parsed definition; errors name the line (bad JSON) or the JSON path (bad data)."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("Файл больше 2 МБ")
        raw = upload.read()
        try:
            document = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("Файл должен быть в кодировке UTF-8") from exc
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"Файл не является корректным JSON: строка {exc.lineno}, столбец {exc.colno}: {exc.msg}"
            ) from exc
        if not isinstance(document, dict):
            raise forms.ValidationError("Ожидается JSON-объект с описанием методики")
        try:
            scoring.load_methodology(document)
        except scoring.MethodologyError as exc:
            where = f"в «{exc.path}»" if exc.path else "в документе"
            raise forms.ValidationError(f"Ошибка {where}: {exc.message}") from exc
        except scoring.ScoringError as exc:
            raise forms.ValidationError(f"Ошибка в методике: {exc}") from exc
        return document
