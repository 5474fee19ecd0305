from __future__ import annotations

from django.http import HttpRequest

from nok.organizations.access import role_of
from nok.organizations.models import Role


def role(request: HttpRequest) -> dict[str, object]:
    current = role_of(request.user)
    return {"nok_role": current, "nok_role_label": Role(current).label if current else ""}
