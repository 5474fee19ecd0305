from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nok.organizations.access import require_role


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    return render(request, "core/placeholder.html", {"title": "Раздел в разработке"})
