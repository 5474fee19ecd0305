"""Registry pages: list, detail, create/edit, types, import, users. Thin: access -> form -> service."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from nok.core.tabular import TableError, read_rows
from nok.organizations import selectors, services
from nok.organizations.access import (
    get_organization_for_user,
    is_operator,
    require_operator,
    require_role,
)
from nok.organizations.forms import (
    ImportUploadForm,
    InterviewerAssignmentForm,
    OrganizationForm,
    OrganizationTypeForm,
    RegistryFilterForm,
    UserCreateForm,
)
from nok.organizations.import_template import import_template_xlsx
from nok.organizations.importing import SHEET, OrganizationRecord, parse_rows
from nok.organizations.models import OrganizationType, Role

IMPORT_SESSION_KEY = "organizations_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


REGISTRY_PAGE = 100  # organizations a page of the registry


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    form = RegistryFilterForm(request.GET or None,
                              municipalities=selectors.municipalities_visible_to(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    org_type = filters.get("type")
    page = selectors.registry_page(
        request.user, query=filters.get("q", ""), type_id=org_type.pk if org_type else None,
        municipality=filters.get("municipality", ""),
    )
    listed = Paginator(page.organizations.select_related("type"), REGISTRY_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "organizations/list.html", {
        "form": form, "page": page, "listed": listed, "query": query.urlencode(),
        "can_edit": is_operator(request.user),
    })


def _organization_form(request: HttpRequest, pk: int | None) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk, write=True) if pk else None
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            if organization is None:
                organization = services.organization_create(user=request.user, data=form.data_for_service)
            else:
                services.organization_update(organization=organization, user=request.user,
                                             data=form.data_for_service)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Сведения об организации сохранены")
            return redirect("dashboard:organization", pk=organization.pk)
    return render(request, "organizations/form.html", {"form": form, "organization": organization})


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    require_operator(request.user)
    return _organization_form(request, None)


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_role(request.user)
    return _organization_form(request, pk)


@login_required
def type_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user)
    form = OrganizationTypeForm(request.POST or None)
    if request.method == "POST":
        require_operator(request.user)
        if form.is_valid():
            try:
                services.organization_type_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Тип организации добавлен")
                return redirect("organizations:types")
    return render(request, "organizations/types.html", {
        "types": selectors.organization_types_with_counts(), "form": form,
        "can_edit": is_operator(request.user),
    })


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    require_operator(request.user)
    names = list(OrganizationType.objects.values_list("name", flat=True))
    response = HttpResponse(import_template_xlsx(names), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="organizations-template.xlsx"'
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload -> preview with row errors; valid files wait in the session for confirmation."""
    require_operator(request.user)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        type_names, inns, names = selectors.import_keys()
        try:
            result = parse_rows(read_rows(upload.name, upload.read(), sheet=SHEET),
                                type_names=type_names, existing_inns=inns, existing_names=names)
        except TableError as exc:
            form.add_error("file", str(exc))
            request.session.pop(IMPORT_SESSION_KEY, None)  # an earlier file is not confirmed
        else:
            request.session[IMPORT_SESSION_KEY] = (
                [asdict(r) for r in result.records] if not result.errors else None
            )
    return render(request, "organizations/import.html", {"form": form, "result": result})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    require_operator(request.user)
    stored = request.session.pop(IMPORT_SESSION_KEY, None)
    if not stored:
        messages.error(request, "Нет проверенного файла для загрузки: загрузите файл ещё раз")
        return redirect("organizations:import")
    try:
        summary = services.organizations_import(
            records=[OrganizationRecord(**r) for r in stored], user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("organizations:import")
    messages.success(request, f"Импорт выполнен: создано {summary.created}, обновлено {summary.updated}")
    return redirect("organizations:list")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require_operator(request.user)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Пользователь {form.cleaned_data['username']} создан")
            return redirect("organizations:users")
    return render(request, "organizations/users.html", {
        "users": selectors.users_with_roles(), "form": form,
    })


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    require_operator(request.user)
    target = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(by=request.user, user=target, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{target.get_full_name() or target.username}: "
                                  f"{'включён' if active else 'отключён'}")
    return redirect("organizations:users")


@login_required
def interviewer_organizations(request: HttpRequest, pk: int) -> HttpResponse:
    """The operator assigns organizations to an interviewer (who then sees only those)."""
    require_operator(request.user)
    interviewer = get_object_or_404(User, pk=pk, membership__role=Role.INTERVIEWER)
    form = InterviewerAssignmentForm(
        request.POST or None,
        initial={"organizations": selectors.assigned_organization_ids(interviewer)},
    )
    if request.method == "POST" and form.is_valid():
        added, removed = services.interviewer_assignments_set(
            by=request.user, interviewer=interviewer,
            organizations=list(form.cleaned_data["organizations"]),
        )
        messages.success(request, f"Организации интервьюера {interviewer.get_full_name() or interviewer.username} сохранены: "
                                  f"назначено {len(added)}, снято {len(removed)}")
        return redirect("organizations:users")
    return render(request, "organizations/interviewer.html", {
        "interviewer": interviewer, "form": form,
        "groups": selectors.organizations_by_type(),
    })
