"""Plan pages: the organization drafts, completes and submits its plan, then reports each
measure; the ministry approves or returns the plan and accepts or returns each report; the
ministry's dashboard. Thin: access helper -> form -> one service or selector -> redirect/render.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from nok.assessments.selectors import get_assessment_for_user, get_campaign_for_user
from nok.core.files import stored_file
from nok.organizations.access import own_organization_id, require_role
from nok.organizations.models import Role
from nok.plans import documents as plan_documents
from nok.plans import exports, selectors, services
from nok.plans.forms import CampaignFilterForm, CommentForm, ReportForm, RowForm
from nok.plans.models import Plan, PlanItem, ReportStatus
from nok.plans.presentation import plan_page
from nok.scores.services import require_ministry


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _act(request: HttpRequest, action: Callable[[], object], done: str) -> None:
    """Runs one workflow step: its refusal as error messages, else ``done`` as a success."""
    try:
        action()
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)


def _comment(request: HttpRequest) -> str:
    """The required comment of a return (the form's message when it is missing)."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        raise ValidationError(list(form.errors["comment"]))
    return str(form.cleaned_data["comment"])


def _form_errors(form: Form, exc: ValidationError) -> None:
    """A service's refusal on the form: each message at its field where the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _to_plan(plan: Plan, anchor: str = "") -> HttpResponse:
    return redirect(reverse("plans:detail", args=[plan.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The organization: its campaigns and plans. Everyone else: the plans of a campaign by
    status, organization type and organization, and the overdue measures."""
    role = require_role(request.user)
    today = timezone.localdate()
    organization_id = own_organization_id(request.user)
    if role == Role.ORGANIZATION and organization_id is not None:
        return render(request, "plans/own.html", {
            "rows": selectors.organization_plans(organization_id, today), "today": today,
        })
    campaigns = selectors.campaigns_with_published_results()
    form = CampaignFilterForm(request.GET or None, campaigns=campaigns)
    chosen = form.cleaned_data.get("campaign") if form.is_valid() else None
    campaign = chosen or selectors.default_campaign(request.user, campaigns)
    form.initial["campaign"] = campaign.pk if campaign else None  # shown when none was chosen
    return render(request, "plans/dashboard.html", {
        "form": form, "campaign": campaign, "today": today,
        "board": selectors.dashboard(request.user, campaign, today) if campaign else None,
        "everyone": role != Role.COUNCIL,
    })


@login_required
@require_POST
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    try:
        plan = services.plan_draft(assessment=assessment, user=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("plans:list")
    messages.success(request, "План составлен по опубликованным результатам: заполните сроки и "
                              "ответственных, затем отправьте план на утверждение")
    return _to_plan(plan)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    return render(request, "plans/detail.html", plan_page(plan, request.user))


def _row_form(request: HttpRequest, plan: Plan, item: PlanItem | None) -> HttpResponse:
    if not plan.editable:
        messages.error(request, f"План {plan.get_status_display()}: строки можно изменять, пока "
                                "план — черновик или возвращён министерством")
        return _to_plan(plan)
    own_row = item is None or not item.shortcoming_key
    name, position = selectors.last_responsible(plan)
    initial = ({"responsible_name": name, "responsible_position": position} if item is None
               else {"criterion": item.criterion, "shortcoming": item.shortcoming,
                     "measure": item.measure, "planned_date": item.planned_date,
                     "responsible_name": item.responsible_name or name,
                     "responsible_position": item.responsible_position or position})
    form = RowForm(request.POST or None, initial=initial, own_row=own_row,
                   criteria=selectors.criterion_choices(plan))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if item is None:
                item = services.plan_item_add(plan=plan, user=request.user,
                                              criterion=data["criterion"],
                                              shortcoming=data["shortcoming"], row=form.row())
            else:
                item = services.plan_item_update(item=item, user=request.user, row=form.row(),
                                                 criterion=data.get("criterion"),
                                                 shortcoming=data.get("shortcoming"))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Строка плана сохранена")
            return _to_plan(plan, f"item-{item.pk}")
    return render(request, "plans/row_form.html", {"plan": plan, "item": item, "form": form},
                  status=400 if form.errors else 200)


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    return _row_form(request, plan, None)


@login_required
def item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    return _row_form(request, plan, selectors.plan_item_of(plan, item_pk))


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    item = selectors.plan_item_of(plan, item_pk)
    _act(request, lambda: services.plan_item_delete(item=item, user=request.user),
         "Строка удалена из плана")
    return _to_plan(plan)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    _act(request, lambda: services.plan_submit(plan=plan, user=request.user),
         "План отправлен на утверждение в министерство")
    return _to_plan(plan)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    _act(request, lambda: services.plan_approve(plan=plan, user=request.user), "План утверждён")
    return _to_plan(plan)


@login_required
@require_POST
def return_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    require_ministry(request.user, "Вернуть план может только министерство")
    _act(request, lambda: services.plan_return(plan=plan, user=request.user,
                                               comment=_comment(request)),
         "План возвращён организации с комментарием")
    return _to_plan(plan)


@login_required
def report(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk, write=True)
    item = selectors.plan_item_of(plan, item_pk)
    if not plan.approved or item.report_status == ReportStatus.ACCEPTED:
        messages.error(request, "Отчёт по этому мероприятию уже принят министерством"
                       if plan.approved else
                       "Отчёт о выполнении мероприятий отправляется после утверждения плана")
        return _to_plan(plan, f"item-{item.pk}")
    download = reverse("plans:evidence", args=[plan.pk, item.pk]) if item.evidence else ""
    form = ReportForm(request.POST or None, request.FILES or None, download_url=download,
                      initial={"done": item.done, "actual_date": item.actual_date,
                               "evidence": item.evidence, "evidence_link": item.evidence_link})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_report(item=item, user=request.user, report=form.report())
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Отчёт о выполнении мероприятия отправлен в министерство")
            return _to_plan(plan, f"item-{item.pk}")
    return render(request, "plans/report_form.html", {"plan": plan, "item": item, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    item = selectors.plan_item_of(plan, item_pk)
    _act(request, lambda: services.plan_item_report_accept(item=item, user=request.user),
         "Отчёт о выполнении мероприятия принят")
    return _to_plan(plan, f"item-{item.pk}")


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    item = selectors.plan_item_of(plan, item_pk)
    require_ministry(request.user, "Вернуть отчёт может только министерство")
    _act(request, lambda: services.plan_item_report_return(item=item, user=request.user,
                                                           comment=_comment(request)),
         "Отчёт возвращён организации с комментарием")
    return _to_plan(plan, f"item-{item.pk}")


@login_required
def evidence(request: HttpRequest, pk: int, item_pk: int) -> FileResponse:
    """A row's evidence file, to whoever may see the plan (outside the scope: 404)."""
    plan = selectors.get_plan_for_user(request.user, pk)
    item = selectors.plan_evidence(plan, item_pk)
    return stored_file(item.evidence)


EXPORT_TYPES = {"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8"}


def _download(text: str, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """One plan with its execution report, as CSV or JSON."""
    plan = selectors.get_plan_for_user(request.user, pk)
    if fmt not in EXPORT_TYPES:
        raise Http404("Формат выгрузки: json или csv")
    plan = selectors.plans_visible_to(request.user).prefetch_related("items").get(pk=plan.pk)
    text = exports.plan_json_text(plan) if fmt == "json" else exports.plan_csv_text(plan)
    return _download(text, fmt, f"plan-{plan.campaign.year}-{plan.organization_id}")


@login_required
def document(request: HttpRequest, pk: int, layout: str, fmt: str) -> HttpResponse:
    """The plan with its execution report in the official layout or seed 002's (DOCX, XLSX)."""
    plan = selectors.get_plan_for_user(request.user, pk)
    if fmt not in plan_documents.FORMATS or layout not in plan_documents.LAYOUTS:
        raise Http404("Документ плана: official или seed002, docx или xlsx")
    content = plan_documents.plan_document(plan, fmt, layout)
    types = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(content, content_type=types[fmt])
    name = f"plan-{plan.campaign.year}-{plan.organization_id}-{layout}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def campaign_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Every approved plan of the campaign (public), as CSV or JSON."""
    campaign = get_campaign_for_user(request.user, pk)
    if fmt not in EXPORT_TYPES:
        raise Http404("Формат выгрузки: json или csv")
    plans = selectors.published_plans(campaign)
    text = (exports.plans_json_text(campaign, plans) if fmt == "json"
            else exports.plans_csv_text(plans))
    return _download(text, fmt, f"plans-{campaign.year}-{campaign.pk}")

