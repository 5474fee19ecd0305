"""Forms of the website audit pages."""

from __future__ import annotations

from django import forms

from nok.siteaudit.models import Decision


class StartForm(forms.Form):
    url = forms.CharField(
        label="Адрес сайта", max_length=500, required=False,
        help_text="Пусто — адрес из карточки организации",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Решение",
        choices=[(Decision.CONFIRMED, "подтвердить"), (Decision.REJECTED, "отклонить")],
        error_messages={"required": "Выберите «подтвердить» или «отклонить»",
                        "invalid_choice": "Выберите «подтвердить» или «отклонить»"},
    )
    note = forms.CharField(label="Комментарий", max_length=500, required=False)
