from __future__ import annotations

from django.http import HttpRequest

from nok.organizations.access import role_of
from nok.organizations.models import Role

# Which menu entry a page belongs to: (app namespace, url name or "*") -> section.
_SECTIONS = {
    ("dashboard", "audit"): "audit",
    ("dashboard", "organization"): "organizations",
    ("organizations", "*"): "organizations",
    ("scores", "*"): "campaigns",
    ("assessments", "*"): "campaigns",
    ("surveys", "*"): "campaigns",
    ("methodology", "*"): "methodology",
    ("plans", "*"): "plans",
    ("reports", "*"): "reports",
    ("fieldwork", "home"): "fieldwork",
    ("fieldwork", "interview"): "fieldwork",
    ("fieldwork", "*"): "campaigns",
}


def nav_section(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    app = match.app_name or ""
    return _SECTIONS.get((app, match.url_name or ""), _SECTIONS.get((app, "*"), ""))


def role(request: HttpRequest) -> dict[str, object]:
    # A request refused before AuthenticationMiddleware ran (a wrong Host header) has no user.
    current = role_of(getattr(request, "user", None))
    return {
        "nok_role": current,
        "nok_role_label": Role(current).label if current else "",
        "nok_section": nav_section(request),
    }
