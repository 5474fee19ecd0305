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
            # json's own wording (English) is not shown: the place is what helps to fix it.
            raise forms.ValidationError(
                f"Файл не является корректным JSON: ошибка в строке {exc.lineno}, "
                f"столбце {exc.colno}"
            ) from exc
        except RecursionError as exc:
            raise forms.ValidationError("Файл не является описанием методики: слишком глубокая "
                                        "вложенность скобок") from exc
        if not isinstance(document, dict):
            raise forms.ValidationError("Ожидается JSON-объект с описанием методики")
        _refuse_unstorable_text(document)
        try:
            scoring.load_methodology(document)
        except scoring.MethodologyError as exc:
            where = f"в «{exc.path}»" if exc.path else "в документе"
            raise forms.ValidationError(f"Ошибка {where}: {exc.message}") from exc
        except scoring.ScoringError as exc:
            raise forms.ValidationError(f"Ошибка в методике: {exc}") from exc
        return document


def _refuse_unstorable_text(document: Any) -> None:
    """A NUL character (\\u0000) or half of a surrogate pair (\\ud800) is valid JSON, but no
    database stores it in text: refused here rather than failing the save."""
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if "\x00" in item:
                raise forms.ValidationError("В файле есть нулевой символ (\\u0000): такой символ "
                                            "нельзя сохранить, уберите его")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise forms.ValidationError(
                    "В файле есть непарный суррогатный символ (\\ud800–\\udfff): такой символ "
                    "нельзя сохранить, уберите его") from exc
