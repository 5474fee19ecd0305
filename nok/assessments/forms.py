from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

import scoring
from nok.assessments.models import (
    EVIDENCE_EXTENSIONS,
    Campaign,
    ChecklistTick,
    ContactKind,
    validate_evidence,
)
from nok.methodology.models import Methodology
from nok.methodology.services import methodology_load
from nok.organizations.models import Organization, OrganizationType, ServiceForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def methodology_years(methodology: Methodology) -> str:
    """«с 2018 г.», «2015–2017 гг.» or «" for a methodology without stated years."""
    loaded = methodology_load(methodology)
    if loaded.valid_from is None and loaded.valid_to is None:
        return ""
    if loaded.valid_to is None:
        return f"с {loaded.valid_from} г."
    if loaded.valid_from is None:
        return f"по {loaded.valid_to} г."
    return f"{loaded.valid_from}–{loaded.valid_to} гг."


class MethodologyChoiceField(forms.ModelChoiceField[Methodology]):
    """Radio buttons with the methodology's full title and the years it applies to."""

    widget = forms.RadioSelect

    def label_from_instance(self, obj: Methodology) -> str:
        years = methodology_years(obj)
        return f"{obj.title}" + (f" — {years}" if years else "")


def default_methodology(year: int) -> Methodology | None:
    """The newest methodology valid for the year (the latest first year of validity; one
    without stated years counts as the oldest)."""
    valid = [m for m in Methodology.objects.all() if methodology_load(m).valid_for(year)]
    return max(valid, key=lambda m: (methodology_load(m).valid_from or 0, m.pk), default=None)


def _year_later(day: dt.date) -> dt.date:
    """The same day a year later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


class CampaignForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300)
    year = forms.IntegerField(label="Год", min_value=2000, max_value=2100)
    period_start = forms.DateField(label="Начало периода", widget=DATE)
    period_end = forms.DateField(label="Окончание периода", widget=DATE)
    methodology = MethodologyChoiceField(
        label="Методика", queryset=Methodology.objects.all(), empty_label=None
    )
    operator_name = forms.CharField(label="Организация-оператор", max_length=300, required=False)
    ministry_name = forms.CharField(
        label="Уполномоченный орган", max_length=300, required=False,
        help_text="Утверждает результаты; печатается в проекте приказа",
        widget=forms.TextInput(attrs={"placeholder": "Министерство социальной защиты населения"}))
    include_all = forms.BooleanField(label="Включить все организации реестра", required=False)
    include_types = forms.ModelMultipleChoiceField(
        label="Включить все организации типов", queryset=OrganizationType.objects.all(),
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    organizations = forms.ModelMultipleChoiceField(
        label="Организации по одной", required=False,
        queryset=Organization.objects.select_related("type"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and "methodology" not in self.initial:
            year = int(self.initial.get("year") or timezone.localdate().year)
            self.initial.setdefault("year", year)
            chosen = default_methodology(year)
            if chosen is not None:
                self.initial["methodology"] = chosen.pk

    @classmethod
    def for_campaign(cls, campaign: Campaign, data: Any = None) -> CampaignForm:
        initial = {
            "title": campaign.title, "year": campaign.year,
            "period_start": campaign.period_start, "period_end": campaign.period_end,
            "methodology": campaign.methodology_id, "operator_name": campaign.operator_name,
            "ministry_name": campaign.ministry_name,
            "organizations": list(campaign.assessments.values_list("organization_id", flat=True)),
        }
        return cls(data, initial=initial)

    @classmethod
    def copied_from(cls, source: Campaign, data: Any = None) -> CampaignForm:
        """A new campaign on the basis of ``source``: next year's title (the year in it
        replaced) and period (shifted by a year), the same methodology when it is still valid
        (else the newest valid one), operator and organizations."""
        year = source.year + 1
        title = source.title.replace(str(source.year), str(year))
        methodology = source.methodology
        if not methodology_load(methodology).valid_for(year):
            methodology = default_methodology(year) or methodology
        initial = {
            "title": title if title != source.title else f"{source.title} ({year})",
            "year": year, "period_start": _year_later(source.period_start),
            "period_end": _year_later(source.period_end), "methodology": methodology.pk,
            "operator_name": source.operator_name, "ministry_name": source.ministry_name,
            "organizations": list(source.assessments.values_list("organization_id", flat=True)),
        }
        return cls(data, initial=initial)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "Окончание периода раньше начала")
        method, year = data.get("methodology"), data.get("year")
        if method is not None and year and not methodology_load(method).valid_for(year):
            self.add_error("methodology", f"Методика «{method.title}» применяется к кампаниям "
                                          f"{methodology_years(method)}, а год кампании — {year}")
        chosen = set(data.get("organizations") or [])
        if data.get("include_all"):
            chosen |= set(Organization.objects.all())
        types = data.get("include_types")
        if types:
            chosen |= set(Organization.objects.filter(type__in=types))
        data["selected"] = sorted(chosen, key=lambda org: org.pk)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = ("title", "year", "period_start", "period_end", "methodology", "operator_name",
                  "ministry_name")
        return {name: data[name] for name in fields} | {"organizations": data["selected"]}


class EvidenceField(forms.FileField):
    default_validators = [validate_evidence]


class _EvidenceLink:
    """What the widget shows for a stored file: its name, linked to the access-checked view."""

    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url

    def __str__(self) -> str:
        return self.name.rsplit("/", 1)[-1]


class EvidenceInput(forms.ClearableFileInput):
    """A file input whose "current file" link goes through ``assessments:evidence``
    (the storage URL under /media/ is not served)."""

    initial_text = "Сейчас"
    input_text = "Заменить"
    clear_checkbox_label = "Удалить файл"

    def __init__(self, attrs: dict[str, Any] | None = None, download_url: str = "") -> None:
        super().__init__(attrs)
        self.download_url = download_url

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = _EvidenceLink(str(value), self.download_url)
        return context


class ChecklistForm(forms.Form):
    """One checklist: per item a "present" checkbox, a note and an optional evidence file."""

    def __init__(self, *args: Any, checklist: scoring.Checklist, ticks: dict[str, ChecklistTick],
                 read_only: bool = False, contradictions: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault("prefix", checklist.key)
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        self.read_only = read_only
        self.contradictions = contradictions or {}
        self.evidence_links: dict[str, _EvidenceLink | None] = {}
        accept = ",".join(f".{ext}" for ext in EVIDENCE_EXTENSIONS)
        for item in checklist.items:
            tick = ticks.get(item.key)
            self.fields[f"{item.key}__present"] = forms.BooleanField(
                label=item.label, required=False, initial=bool(tick and tick.present)
            )
            self.fields[f"{item.key}__note"] = forms.CharField(
                label="Примечание", required=False, initial=tick.note if tick else "",
                max_length=2000,
                widget=forms.TextInput(attrs={"placeholder": "примечание"}),
            )
            stored = tick.evidence if tick is not None and tick.evidence else None
            link = _EvidenceLink(
                stored.name, reverse("assessments:evidence", args=[tick.assessment_id, tick.pk])
            ) if tick is not None and stored else None
            self.evidence_links[item.key] = link
            self.fields[f"{item.key}__evidence"] = EvidenceField(
                label="Фото или документ", required=False, initial=stored,
                widget=EvidenceInput(attrs={"accept": accept},
                                     download_url=link.url if link else ""),
            )

        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def present_count(self) -> int:
        return sum(1 for item in self.checklist.items if self.initial_present(item.key))

    def initial_present(self, key: str) -> bool:
        return bool(self.fields[f"{key}__present"].initial)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "item": item,
                "present": self[f"{item.key}__present"],
                "note": self[f"{item.key}__note"],
                "evidence": self[f"{item.key}__evidence"],
                "evidence_link": self.evidence_links.get(item.key),
                "contradiction": self.contradictions.get(item.key),
            }
            for item in self.checklist.items
        ]

    def changes(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        out = {}
        for item in self.checklist.items:
            evidence = data.get(f"{item.key}__evidence")
            out[item.key] = {
                "present": bool(data.get(f"{item.key}__present")),
                "note": data.get(f"{item.key}__note") or "",
                "evidence": evidence or None,
                "clear_evidence": evidence is False,  # ClearableFileInput "clear" box
            }
        return out


class _OrganizationFormsMixin:
    """Limits the "service form" choice to the forms the organization offers."""

    fields: dict[str, forms.Field]  # provided by forms.Form

    def limit_forms(self, offered: tuple[str, ...]) -> None:
        if offered:
            field = cast(forms.ChoiceField, self.fields["form"])
            field.choices = [(k, v) for k, v in ServiceForm.choices if k in offered]


class ContactForm(_OrganizationFormsMixin, forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=ContactKind.choices)
    date = forms.DateField(label="Дата", widget=DATE)
    time = forms.TimeField(label="Время", required=False,
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    form = forms.ChoiceField(label="Форма обслуживания", choices=ServiceForm.choices)
    answered = forms.BooleanField(label="Получен ответ", required=False)
    effective = forms.BooleanField(label="Результативный", required=False)
    note = forms.CharField(label="Примечание", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(f"Дата {date:%d.%m.%Y} ещё не наступила")
        return date

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("effective") and not data.get("answered"):
            raise ValidationError("Результативным может быть только звонок/обращение с ответом")
        return data


class ComplaintForm(_OrganizationFormsMixin, forms.Form):
    form = forms.ChoiceField(label="Форма обслуживания", choices=ServiceForm.choices)
    registered = forms.IntegerField(label="Зарегистрировано жалоб", min_value=0)
    resolved = forms.IntegerField(label="Из них решено", min_value=0)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if (data.get("resolved") or 0) > (data.get("registered") or 0):
            self.add_error("resolved", "Решённых больше, чем зарегистрированных")
        return data


YES_NO = [("", "— не измерено —"), ("yes", "да"), ("no", "нет")]
LEVEL3 = [("", "— не измерено —"), ("full", "в полном объёме / оборудовано"),
          ("partial", "частично"), ("none", "отсутствует / не оборудовано")]
PERCENT_KINDS = {"share", "negative_share", "band"}


class ValuesForm(forms.Form):
    """social-2014 raw values, one field per indicator by its kind.

    Stored as scoring reads them: shares as 0..1, yes/no as booleans, levels as
    "full"/"partial"/"none", band percents 0..100, minutes. Not typed here: survey-fed shares
    (with an ``answer`` parameter) come from the survey; complaints per 100 recipients come
    from the complaints register; the shares of effective control calls and e-mails come from
    the control log whenever it has entries (``derived``: their fields are then read-only).
    """

    def __init__(self, *args: Any, method: scoring.Methodology, values: dict[str, Any],
                 derived: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = [
            ind for ind in method.indicators
            if not (ind.kind == "share" and (ind.params or {}).get("answer"))
            and ind.kind in PERCENT_KINDS | {"score_0_1", "yes_no", "level3", "waiting_minutes"}
        ]
        self.hints: dict[str, str] = {}
        for ind in self.indicators:
            self.fields[ind.key] = self._field(ind, values.get(ind.key))
        for code, value in (derived or {}).items():
            if code in self.fields:
                self.fields[code].disabled = True
                self.hints[code] = "из журнала контрольных звонков и обращений: " + _derived_text(value)

    def _field(self, ind: Any, value: Any) -> forms.Field:
        label = f"{ind.key} {ind.title}"
        if ind.kind in PERCENT_KINDS:
            self.hints[ind.key] = "процент 0–100"
            initial = value
            if ind.kind != "band" and isinstance(value, int | float):
                initial = round(value * 100, 4)
            elif isinstance(value, dict) and value.get("asked"):
                initial = round(value["yes"] / value["asked"] * 100, 4)
            return forms.FloatField(label=label, required=False, min_value=0, max_value=100,
                                    initial=initial)
        if ind.kind == "score_0_1":
            self.hints[ind.key] = "значение от 0 до 1"
            return forms.FloatField(label=label, required=False, min_value=0, max_value=1,
                                    initial=value if isinstance(value, int | float) else None)
        if ind.kind == "yes_no":
            initial = "" if value is None else ("yes" if value in (True, "yes") else "no")
            return forms.ChoiceField(label=label, choices=YES_NO, required=False, initial=initial)
        if ind.kind == "level3":
            return forms.ChoiceField(label=label, choices=LEVEL3, required=False,
                                     initial=value or "")
        self.hints[ind.key] = "минут ожидания"
        return forms.FloatField(label=label, required=False, min_value=0, initial=value)

    def rows(self) -> list[dict[str, Any]]:
        return [{"indicator": ind, "field": self[ind.key], "hint": self.hints.get(ind.key, "")}
                for ind in self.indicators]

    def values(self) -> dict[str, Any]:
        """Raw values by code; None for an empty field (clears the stored value). Read-only
        fields (measured by the control log) are left as they are."""
        out: dict[str, Any] = {}
        for ind in self.indicators:
            if self.fields[ind.key].disabled:
                continue
            raw = self.cleaned_data.get(ind.key)
            if raw in (None, ""):
                out[ind.key] = None
            elif ind.kind in {"share", "negative_share"}:
                out[ind.key] = raw / 100
            elif ind.kind == "yes_no":
                out[ind.key] = raw == "yes"
            else:
                out[ind.key] = raw
        return out


def _derived_text(value: Any) -> str:
    if isinstance(value, dict) and "asked" in value:
        return f"{value['asked']}/{value['yes']} (всего/результативных)"
    return str(value)
