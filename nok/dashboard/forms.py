"""Filter form of the audit journal."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User

from nok.assessments.models import Campaign
from nok.core.models import AuditEntry
from nok.organizations.access import AnyUser, organizations_visible_to
from nok.organizations.models import Organization


def person_name(user: User) -> str:
    """A person as pages name them: the full name, the login only when there is no name."""
    return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return person_name(obj)


class AuditFilterForm(forms.Form):
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label="Организация", queryset=None, required=False, empty_label="все")
    campaign: forms.ModelChoiceField[Campaign] = forms.ModelChoiceField(
        label="Кампания", queryset=None, required=False, empty_label="все")
    user: forms.ModelChoiceField[User] = PersonChoiceField(
        label="Пользователь", queryset=None, required=False, empty_label="все")
    object_type = forms.ChoiceField(label="Тип объекта", required=False)

    def __init__(self, *args: Any, viewer: AnyUser, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The querysets depend on the viewer, so they are set here (the fields are declared empty).
        organization = cast("forms.ModelChoiceField[Organization]", self.fields["organization"])
        organization.queryset = organizations_visible_to(viewer)
        visible_ids = organizations_visible_to(viewer).values("pk")
        campaign = cast("forms.ModelChoiceField[Campaign]", self.fields["campaign"])
        campaign.queryset = Campaign.objects.filter(
            assessments__organization__in=visible_ids).distinct()
        user = cast("forms.ModelChoiceField[User]", self.fields["user"])
        user.queryset = User.objects.filter(auditentry__isnull=False).distinct().order_by(
            "last_name", "first_name", "username")
        object_type = cast(forms.ChoiceField, self.fields["object_type"])
        # Shown by the model's Russian name (the stored «app.model» label is the value sent).
        labels = sorted((AuditEntry(object_type=t).object_label, t) for t in object_types)
        object_type.choices = [("", "все")] + [(t, label) for label, t in labels]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "organization_id": data["organization"].pk if data.get("organization") else None,
            "campaign_id": data["campaign"].pk if data.get("campaign") else None,
            "user_id": data["user"].pk if data.get("user") else None,
            "object_type": data.get("object_type", ""),
        }
