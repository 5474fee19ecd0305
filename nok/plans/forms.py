"""Forms of the plan pages. Every message names its field (the service repeats the checks that
need the campaign: a date before it, a date not yet come)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

from nok.assessments.forms import EvidenceInput
from nok.assessments.models import EVIDENCE_EXTENSIONS, Campaign, validate_evidence
from nok.plans.services import ReportInput, RowInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label: str, what: str) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, error_messages={
        "required": f"{what}: укажите дату",
        "invalid": f"{what}: введите дату в виде ДД.ММ.ГГГГ",
    })


def _text(label: str, required: str, *, max_length: int = 4000, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, max_length=max_length, widget=widget, error_messages={
        "required": required,
        "max_length": f"{label}: не длиннее {max_length} знаков",
    })


class RowForm(forms.Form):
    """The organization's columns of a plan row; a row it adds (or added) itself also has its
    criterion and its shortcoming."""

    criterion = forms.ChoiceField(label="Критерий", widget=forms.RadioSelect, error_messages={
        "required": "Критерий: выберите критерий из списка",
        "invalid_choice": "Критерий: выберите критерий из списка",
    })
    shortcoming = _text("Недостаток, выявленный в ходе независимой оценки качества",
                        "Недостаток: опишите недостаток, который устраняет мероприятие", rows=3)
    measure = _text("Наименование мероприятия по устранению недостатка",
                    "Наименование мероприятия не заполнено: укажите, что будет сделано для "
                    "устранения недостатка", rows=3)
    planned_date = _date_field("Плановый срок реализации мероприятия",
                               "Плановый срок реализации мероприятия")
    responsible_name = _text("Ответственный исполнитель: фамилия, имя, отчество",
                             "Ответственный исполнитель: укажите фамилию, имя и отчество",
                             max_length=300)
    responsible_position = _text("Должность ответственного исполнителя",
                                 "Должность ответственного исполнителя не заполнена",
                                 max_length=300)

    def __init__(self, *args: Any, criteria: list[tuple[str, str]], own_row: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_row = own_row
        if own_row:
            cast(forms.ChoiceField, self.fields["criterion"]).choices = criteria
        else:  # a drafted row keeps the criterion and the shortcoming the results found
            del self.fields["criterion"]
            del self.fields["shortcoming"]

    def row(self) -> RowInput:
        data = self.cleaned_data
        return RowInput(data["measure"], data["planned_date"], data["responsible_name"],
                        data["responsible_position"])


class ReportForm(forms.Form):
    done = _text("Реализованные меры по устранению выявленного недостатка",
                 "Реализованные меры: опишите, что сделано", rows=4)
    actual_date = _date_field("Фактический срок реализации", "Фактический срок реализации")
    evidence = forms.FileField(
        label="Подтверждающий файл (фото или документ)", required=False,
        validators=[validate_evidence],
        help_text=f"{', '.join(EVIDENCE_EXTENSIONS)}, не больше 10 МБ",
        error_messages={"invalid": "Подтверждающий файл: файл не получен, выберите его ещё раз",
                        "empty": "Подтверждающий файл пуст"},
    )
    evidence_link = forms.URLField(
        label="или ссылка на подтверждение (страница сайта, документ)", required=False,
        max_length=500, assume_scheme="https",
        error_messages={"invalid": "Ссылка на подтверждение: введите адрес вида https://…",
                        "max_length": "Ссылка на подтверждение: не длиннее 500 знаков"},
    )

    def __init__(self, *args: Any, download_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget = EvidenceInput(download_url=download_url)

    def clean_evidence_link(self) -> str:
        link = str(self.cleaned_data.get("evidence_link") or "")
        if link and not link.lower().startswith(("http://", "https://")):
            raise ValidationError("Ссылка на подтверждение: допустимы только адреса http:// и https://")
        return link

    def report(self) -> ReportInput:
        data = self.cleaned_data
        evidence = data.get("evidence")
        return ReportInput(data["done"], data["actual_date"],
                           evidence=evidence or None, evidence_link=data.get("evidence_link") or "",
                           clear_evidence=evidence is False)


class CommentForm(forms.Form):
    """The ministry's comment when it returns a plan or a report."""

    comment = forms.CharField(label="Комментарий", max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}), error_messages={
                                  "required": "Комментарий: укажите, что нужно исправить",
                                  "max_length": "Комментарий: не длиннее 4000 знаков",
                              })


class CampaignFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(label="Кампания", queryset=Campaign.objects.none(),
                                      required=False, empty_label=None, error_messages={
                                          "invalid_choice": "Кампания: выберите из списка"})

    def __init__(self, *args: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Campaign]", self.fields["campaign"]).queryset = campaigns
