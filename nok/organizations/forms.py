"""Forms of the registry: validation only; the services do the writes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.validators import URLValidator

from nok.core.tabular import EXTENSIONS, FORMATS
from nok.organizations.models import Organization, OrganizationType, Role
from nok.organizations.services import ORGANIZATION_FIELDS
from nok.organizations.validators import normalize_website, validate_inn

IMPORT_MAX_BYTES = 10 * 1024 * 1024


# ModelForm is generic only in django-stubs (not subscriptable at runtime).
class RegistryFilterForm(forms.Form):
    q = forms.CharField(label="Поиск", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "наименование, ИНН, адрес"}))
    type = forms.ModelChoiceField(label="Тип", queryset=OrganizationType.objects.all(),
                                  required=False, empty_label="все типы")
    municipality = forms.ChoiceField(label="Муниципальное образование", required=False)

    def __init__(self, *args: Any, municipalities: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality = cast(forms.ChoiceField, self.fields["municipality"])
        municipality.choices = [("", "все")] + [(m, m) for m in municipalities]


class OrganizationForm(forms.ModelForm[Organization]):
    """Field set and widgets of the model; ``save()`` is never called (see services)."""

    website = forms.CharField(label="Сайт", required=False, max_length=200)

    class Meta:
        model = Organization
        fields = list(ORGANIZATION_FIELDS)

    def clean_inn(self) -> str:
        inn: str = self.cleaned_data["inn"].strip()
        if inn:
            validate_inn(inn)
        return inn

    def clean_website(self) -> str:
        website = normalize_website(self.cleaned_data["website"])
        if website:
            URLValidator(message="Введите корректный адрес сайта")(website)
        return website

    def _post_clean(self) -> None:
        # The service runs full_clean() on the real object; skip ModelForm's instance update so
        # the organization read before validation stays untouched for the audit "before".
        pass

    @property
    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ORGANIZATION_FIELDS}


class OrganizationTypeForm(forms.Form):
    name = forms.CharField(label="Название типа", max_length=200)
    short_name = forms.CharField(label="Краткое название", max_length=60, required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="Файл XLSX или CSV")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(FORMATS)
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("Файл больше 10 МБ: разделите его на части")
        return upload


class UserCreateForm(forms.Form):
    username = forms.CharField(label="Имя пользователя (логин)", max_length=150)
    last_name = forms.CharField(label="Фамилия", max_length=150, required=False)
    first_name = forms.CharField(label="Имя и отчество", max_length=150, required=False)
    email = forms.EmailField(label="Электронная почта", required=False)
    password = forms.CharField(label="Пароль", widget=forms.PasswordInput, min_length=8)
    role = forms.ChoiceField(label="Роль", choices=Role.choices)
    organization = forms.ModelChoiceField(
        label="Организация (для роли «Организация»)", queryset=Organization.objects.all(),
        required=False,
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Такой логин уже занят")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("role") == Role.ORGANIZATION and not cleaned.get("organization"):
            self.add_error("organization", "Для роли «Организация» укажите организацию")
        return cleaned


class InterviewerAssignmentForm(forms.Form):
    """The organizations an interviewer works in (ticked boxes, grouped by type on the page)."""

    organizations = forms.ModelMultipleChoiceField(
        label="Организации", queryset=Organization.objects.select_related("type"),
        required=False, widget=forms.CheckboxSelectMultiple,
    )
