"""Filter form of the audit journal."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import QueryDict

from nok.assessments.models import Campaign
from nok.core.models import AuditEntry
from nok.dashboard.selectors import audit_people
from nok.organizations.access import AnyUser, organizations_visible_to, own_organization_id
from nok.organizations.models import Organization
from nok.organizations.validators import inn_error

SEARCH_MAX = 200  # characters of a typed name (the longest registry name is 500, nobody types it)


class AuditFilterForm(forms.Form):
    """The journal's filters.

    Organizations and people are found by typing, not picked from a list: a list of every
    organization a viewer may see is the size of the registry (269 KiB of HTML at 5,000
    organizations), and the people who changed something grow with it. A link names one
    organization (or person) by its id, ``?organization=<id>``; the page then shows it by name
    with a way to clear it. An id outside the viewer's scope is refused with the same words as
    an id that does not exist, so the filter reveals nothing.

    An organization user sees the journal of their own organization only: the organization
    filter is not offered to them, and an ``organization`` in the address is ignored."""

    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label="Организация", queryset=None, required=False, widget=forms.HiddenInput,
        error_messages={"invalid_choice": "такой организации нет среди доступных вам"})
    organization_search = forms.CharField(
        label="Организация", required=False, max_length=SEARCH_MAX,
        help_text="часть наименования или ИНН")
    campaign: forms.ModelChoiceField[Campaign] = forms.ModelChoiceField(
        label="Кампания", queryset=None, required=False, empty_label="все",
        error_messages={"invalid_choice": "такой кампании нет среди доступных вам"})
    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="Пользователь", queryset=None, required=False, widget=forms.HiddenInput,
        error_messages={"invalid_choice": "такого пользователя нет среди авторов записей журнала"})
    user_search = forms.CharField(
        label="Пользователь", required=False, max_length=SEARCH_MAX,
        help_text="часть имени, фамилии или логина")
    object_type = forms.ChoiceField(
        label="Тип объекта", required=False,
        error_messages={"invalid_choice": "такого типа объектов в журнале нет"})

    def __init__(self, *args: Any, viewer: AnyUser, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The querysets depend on the viewer, so they are set here (the fields are declared
        # empty). The id fields only look one row up: they are never listed.
        if own_organization_id(viewer) is not None:
            del self.fields["organization"], self.fields["organization_search"]
        else:
            organization = cast("forms.ModelChoiceField[Organization]", self.fields["organization"])
            organization.queryset = organizations_visible_to(viewer)
        visible_ids = organizations_visible_to(viewer).values("pk")
        campaign = cast("forms.ModelChoiceField[Campaign]", self.fields["campaign"])
        campaign.queryset = Campaign.objects.filter(
            assessments__organization__in=visible_ids).distinct()
        user = cast("forms.ModelChoiceField[User]", self.fields["user"])
        user.queryset = audit_people(viewer)
        object_type = cast(forms.ChoiceField, self.fields["object_type"])
        # Shown by the model's Russian name (the stored «app.model» label is the value sent).
        labels = sorted((AuditEntry(object_type=t).object_label, t) for t in object_types)
        object_type.choices = [("", "все")] + [(t, label) for label, t in labels]

    def clean_organization_search(self) -> str:
        """Ten or twelve digits are an ИНН and must be a valid one (a name has letters)."""
        text = cast(str, self.cleaned_data["organization_search"])
        if text.isdigit() and len(text) in (10, 12) and (error := inn_error(text)):
            raise ValidationError(error)
        return text

    def filters(self) -> dict[str, Any]:
        """The valid filters for ``audit_journal``; a refused one is left out (and named on
        the page by ``refused``), the others still apply."""
        self.is_valid()
        data = self.cleaned_data if self.is_bound else {}
        return {
            "organization_id": data["organization"].pk if data.get("organization") else None,
            "organization_search": data.get("organization_search", ""),
            "campaign_id": data["campaign"].pk if data.get("campaign") else None,
            "user_id": data["user"].pk if data.get("user") else None,
            "user_search": data.get("user_search", ""),
            "object_type": data.get("object_type", ""),
        }

    def refused(self) -> list[str]:
        """Each refused filter as «Поле: why», for the page to say it was not applied."""
        return [f"{self.fields[name].label}: {message}"
                for name, messages in self.errors.items() for message in messages]

    @property
    def chosen_organization(self) -> Organization | None:
        """The organization a link named by id (in scope), or None."""
        return cast("Organization | None", self._chosen("organization"))

    @property
    def chosen_user(self) -> User | None:
        """The person a link named by id (an author of a visible entry), or None."""
        return cast("User | None", self._chosen("user"))

    def _chosen(self, name: str) -> Any:
        self.is_valid()  # a refused value is not in cleaned_data
        return self.cleaned_data.get(name) if self.is_bound and name in self.fields else None

    def query_without(self, *names: str) -> str:
        """The address's query without ``names`` and the page number: what a link that
        changes (or clears) these filters keeps of the others."""
        query = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        for name in (*names, "page"):
            query.pop(name, None)
        return query.urlencode()
