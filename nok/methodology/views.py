"""Methodology pages: list, detail (criteria, weights, formulas, checklists, questionnaire),
upload of a region's own JSON file, download of any methodology as JSON."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

import scoring
from nok.methodology import presentation, services
from nok.methodology.forms import MethodologyUploadForm
from nok.methodology.models import Methodology
from nok.organizations.access import is_operator, require_operator, require_sees_everything
from scoring import labels


@login_required
def methodology_list(request: HttpRequest) -> HttpResponse:
    require_sees_everything(request.user)
    services.methodologies_ensure_builtin()
    return render(request, "methodology/list.html", {
        "methodologies": Methodology.objects.select_related("uploaded_by"),
        "can_upload": is_operator(request.user),
    })


@login_required
def methodology_detail(request: HttpRequest, slug: str) -> HttpResponse:
    require_sees_everything(request.user)
    stored = get_object_or_404(Methodology, slug=slug)
    try:
        loaded = services.methodology_load(stored)
    except scoring.ScoringError as exc:
        return render(request, "methodology/detail.html", {"stored": stored, "error": str(exc)})
    return render(request, "methodology/detail.html", {
        "stored": stored, "m": loaded, "blocks": presentation.criterion_blocks(loaded),
        "total_formula": presentation.total_formula(loaded),
        "scale": labels.SCALE_LABELS.get(loaded.scale, loaded.scale),
        "policy": labels.POLICY_LABELS.get(loaded.empty_policy, loaded.empty_policy),
        "questions": presentation.question_notes(loaded),
    })


@login_required
def methodology_upload(request: HttpRequest) -> HttpResponse:
    require_operator(request.user)
    form = MethodologyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stored = services.methodology_upload(definition=form.cleaned_data["file"], user=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, f"Методика «{stored.title}» загружена")
            return redirect("methodology:detail", slug=stored.slug)
    return render(request, "methodology/upload.html", {"form": form})


@login_required
def methodology_download(request: HttpRequest, slug: str) -> HttpResponse:
    require_sees_everything(request.user)
    stored = get_object_or_404(Methodology, slug=slug)
    body = json.dumps(stored.definition, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stored.slug}.json"'
    return response
