"""How the login protection (django-axes) names an attempt."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

# django-axes keeps the user name of every failed attempt in a column of this length.
USERNAME_KEPT = 255


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The user name an attempt was made for, as typed, cut to what the attempts table holds:
    a name of thousands of characters is still counted (and locked out), never a server
    error."""
    source: Any = credentials if credentials else request.POST
    return str(source.get("username") or "")[:USERNAME_KEPT]
