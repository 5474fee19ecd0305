"""Campaign list and form, and the fieldwork pages of one organization (checklists, social-2014
values, the control protocol). Thin: access helper -> form -> one service/selector -> render.
The campaign's results and the organization's scores are pages of ``nok.scores``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from nok.assessments import selectors, services
from nok.assessments.forms import (
    CampaignForm,
    ChecklistForm,
    ComplaintForm,
    ContactForm,
    ValuesForm,
)
from nok.assessments.models import Campaign
from nok.assessments.presentation import fieldwork_context
from nok.assessments.protocol import protocol_values
from nok.core.files import stored_file
from nok.methodology.services import methodologies_ensure_builtin
from nok.organizations.access import is_operator, require_operator, require_role


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    campaigns = selectors.campaigns_with_counts(request.user)
    return render(request, "assessments/campaign_list.html",
                  {"campaigns": campaigns, "can_create": is_operator(request.user)})


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    """A new campaign; ``?from=<pk>``: on the basis of an earlier one (its settings prefilled,
    the same query string on the POST)."""
    require_role(request.user)
    require_operator(request.user)
    methodologies_ensure_builtin()
    source = _copy_source(request)
    data = request.POST or None
    form = CampaignForm.copied_from(source, data) if source else CampaignForm(data)
    if request.method == "POST" and form.is_valid():
        try:
            if source is not None:
                campaign = services.campaign_copy(source=source, user=request.user,
                                                  **form.service_kwargs())
            else:
                campaign = services.campaign_create(user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Кампания создана" + (
                f" на основе «{source}»" if source is not None else ""))
            return redirect("scores:campaign", pk=campaign.pk)
    return render(request, "assessments/campaign_form.html",
                  {"form": form, "campaign": None, "source": source})


def _copy_source(request: HttpRequest) -> Campaign | None:
    """The campaign named by ``?from=`` (404 when there is none such)."""
    raw = request.GET.get("from", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("Кампания-образец не найдена")
    return selectors.get_campaign_for_user(request.user, int(raw))


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.get_campaign_for_user(request.user, pk, write=True)
    methodologies_ensure_builtin()
    form = CampaignForm.for_campaign(campaign, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Кампания сохранена")
            return redirect("scores:campaign", pk=campaign.pk)
    return render(request, "assessments/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def assessment_checklists(request: HttpRequest, pk: int) -> HttpResponse:
    write = request.method == "POST"
    assessment = selectors.get_assessment_for_user(request.user, pk, write=write)
    context = fieldwork_context(assessment, request.user)
    ticks = selectors.assessment_ticks(assessment)
    contradictions = selectors.channel_contradictions(assessment)
    posted = request.POST.get("checklist") if write else None
    checklist_forms = []
    for checklist in context["method"].checklists:
        mine = {item: tick for (key, item), tick in ticks.items() if key == checklist.key}
        bound = posted == checklist.key
        form = ChecklistForm(request.POST if bound else None, request.FILES if bound else None,
                             checklist=checklist, ticks=mine, read_only=not context["can_write"],
                             contradictions=contradictions if checklist.key == "remote_channels" else None)
        checklist_forms.append(form)
        if bound and form.is_valid():
            items = {key: services.TickInput(**change) for key, change in form.changes().items()}
            try:
                services.checklist_update(assessment=assessment, user=request.user,
                                          checklist_key=checklist.key, items=items)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Перечень «{checklist.title}» сохранён")
                return redirect(f"{request.path}#{checklist.key}")
    if write and not any(f.is_bound for f in checklist_forms):
        messages.error(request, f"Неизвестный перечень «{posted}»")
    previous, following = selectors.neighbour_assessments(assessment, request.user)
    return render(request, "assessments/checklists.html",
                  context | {"checklist_forms": checklist_forms, "tab": "checklists",
                             "previous_assessment": previous, "next_assessment": following})


@login_required
def assessment_values(request: HttpRequest, pk: int) -> HttpResponse:
    write = request.method == "POST"
    assessment = selectors.get_assessment_for_user(request.user, pk, write=write)
    context = fieldwork_context(assessment, request.user)
    method = context["method"]
    if method.scale != "integral":
        raise Http404("Значения показателей вводятся только для методики social-2014")
    derived = protocol_values(selectors.assessment_protocol(assessment),
                              ((i.key, i.kind) for i in method.indicators))
    form = ValuesForm(request.POST or None, method=method,
                      values=selectors.assessment_values(assessment), derived=derived)
    if write and form.is_valid():
        try:
            services.values_update(assessment=assessment, user=request.user, values=form.values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Значения сохранены")
            return redirect("assessments:assessment_values", pk=assessment.pk)
    return render(request, "assessments/values.html", context | {"form": form, "tab": "values"})


@login_required
def assessment_protocol(request: HttpRequest, pk: int) -> HttpResponse:
    write = request.method == "POST"
    assessment = selectors.get_assessment_for_user(request.user, pk, write=write)
    action = request.POST.get("action")
    contact_form = ContactForm(request.POST if action == "contact" else None,
                               initial={"date": timezone.localdate(), "kind": "call"})
    complaint_form = ComplaintForm(request.POST if action == "complaints" else None)
    for each in (contact_form, complaint_form):
        each.limit_forms(assessment.organization.forms)
    form = {"contact": contact_form, "complaints": complaint_form}.get(action or "")
    if write and form is not None and form.is_valid():
        try:
            if form is contact_form:
                services.contact_create(assessment=assessment, user=request.user, **form.cleaned_data)
            else:
                services.complaints_set(assessment=assessment, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Запись добавлена" if form is contact_form else "Сохранено")
            return redirect("assessments:assessment_protocol", pk=assessment.pk)
    context = fieldwork_context(assessment, request.user) | {
        "protocol": selectors.assessment_protocol(assessment),
        "contacts": selectors.assessment_contacts(assessment),
        "contact_form": contact_form,
        "complaint_form": complaint_form,
        "tab": "protocol",
    }
    return render(request, "assessments/protocol.html", context)


@login_required
@require_POST
def contact_delete(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    assessment = selectors.get_assessment_for_user(request.user, pk, write=True)
    contact = selectors.assessment_contacts(assessment).filter(pk=contact_pk).first()
    if contact is None:
        raise Http404("Запись не найдена")
    try:
        services.contact_delete(contact=contact, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Запись удалена")
    return redirect("assessments:assessment_protocol", pk=assessment.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int, tick_pk: int) -> FileResponse:
    """A checklist evidence file, to whoever may see the assessment (outside the scope: 404)."""
    assessment = selectors.get_assessment_for_user(request.user, pk)
    tick = selectors.assessment_evidence(assessment, tick_pk)
    return stored_file(tick.evidence)
