"""Every named URL of the site, walked for every persona.

The resolver is enumerated, so a new URL without an entry in ``SPECS`` fails
``test_every_url_has_an_access_rule``: whoever adds a view must say who may use it.

The objects in the URLs all belong to Organization B (campaign of B only), so:
- the outsider (organization user of B) reads them and may not write (403);
- org_admin (organization user of A) must not learn they exist (404), reads and writes alike;
- ministry and council read (200) and may not write (403);
- a user without a role gets 403; an anonymous visitor goes to the login page;
- the interviewer assigned Organization B reads like B's own user and alone records interviews
  of B; an interviewer assigned only Organization A must not learn B's objects exist (404).

Improvement plans turn the roles around: the plan of Organization B (approved, so the public
council reads it too) is changed only by B's own user (the outsider here) and decided on only
by the ministry; org_admin of A gets 404, everyone else 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from nok.assessments.models import Assessment, Campaign, ChecklistTick, ControlContact

# Kinds of URL:
READ = "read"  # a page everyone with a role reads in scope (GET); POST is not a write here
READ_WRITE = "read_write"  # a page read in scope, whose POST writes (operator only)
OPERATOR = "operator"  # an operator-only page (GET and POST)
ACTION = "action"  # a POST-only write (GET: 405)
OPERATOR_ACTION = "operator_action"  # a POST-only operator write not tied to one organization
REDIRECT = "redirect"  # sends every signed-in user on to another page
START = "start"  # the start page: each role its own (200); interviewers are sent on (302)
OVERVIEW = "overview"  # read by operator, ministry and council only (organization users: 403)
PUBLIC = "public"  # the public questionnaire: no login
LIST = "list"  # a page everyone with a role reads, not tied to one organization
LIST_WRITE = "list_write"  # such a page whose POST writes (operator only)
OPERATOR_LIST = "operator_list"  # operator-only page not tied to one organization
MINISTRY = "ministry"  # a ministry-only page of one campaign (GET and POST): publish, reopen
STAFF_ACTION = "staff_action"  # a POST-only move the operator or the ministry makes
ORG_FORM = "org_form"  # a page (GET and POST) of the organization's own plan: its user only
ORG_ACTION = "org_action"  # a POST-only change the organization makes to its own plan
MINISTRY_ACTION = "ministry_action"  # a POST-only decision of the ministry on a plan or report
PUBLISHED = "published"  # a campaign document: staff; organization users in scope once published
OVERVIEW_ACTION = "overview_action"  # a POST-only job operator, ministry and council start
TEMPLATES = "templates"  # the region's document templates: operator and ministry (GET and POST)
INTERVIEWER_LIST = "interviewer_list"  # an interviewer's own page not tied to one organization
INTERVIEWER = "interviewer"  # an interviewer's page of one organization assigned to it
ORG_WRITE = "org_write"  # read in scope; POST writes by the operator or the organization itself


@dataclass(frozen=True)
class Spec:
    kind: str
    kwargs: tuple[str, ...] = ()  # names of the objects filling the URL, in order of the kwargs


SPECS: dict[str, Spec] = {
    "dashboard:home": Spec(START),
    "dashboard:organization": Spec(READ, ("org",)),
    "dashboard:audit": Spec(LIST),
    "login": Spec(PUBLIC),
    "logout": Spec(PUBLIC),
    "healthz": Spec(PUBLIC),
    "organizations:list": Spec(LIST),
    "organizations:create": Spec(OPERATOR_LIST),
    "organizations:edit": Spec(OPERATOR, ("org",)),
    "organizations:types": Spec(LIST_WRITE),
    "organizations:import": Spec(OPERATOR_LIST),
    "organizations:import_confirm": Spec(OPERATOR_ACTION),
    "organizations:import_template": Spec(OPERATOR_LIST),
    "organizations:users": Spec(OPERATOR_LIST),
    "organizations:user_set_active": Spec(OPERATOR_ACTION, ("user",)),
    "organizations:interviewer_organizations": Spec(OPERATOR_LIST, ("interviewer",)),
    "methodology:list": Spec(OVERVIEW),
    "methodology:upload": Spec(OPERATOR_LIST),
    "methodology:detail": Spec(OVERVIEW, ("methodology",)),
    "methodology:download": Spec(OVERVIEW, ("methodology",)),
    "assessments:campaign_list": Spec(LIST),
    "assessments:campaign_create": Spec(OPERATOR_LIST),
    "assessments:campaign_edit": Spec(OPERATOR, ("campaign",)),
    "scores:campaign": Spec(READ, ("campaign",)),
    "scores:assessment": Spec(READ, ("assessment",)),
    "scores:summary": Spec(READ, ("assessment",)),
    "scores:close": Spec(OPERATOR, ("campaign",)),
    "scores:return": Spec(STAFF_ACTION, ("campaign",)),
    "scores:publish": Spec(MINISTRY, ("campaign",)),
    "scores:reopen": Spec(MINISTRY, ("campaign",)),
    "scores:export": Spec(OVERVIEW, ("campaign", "export_format")),
    "assessments:assessment_checklists": Spec(READ_WRITE, ("assessment",)),
    "assessments:assessment_values": Spec(READ_WRITE, ("assessment_2014",)),
    "assessments:assessment_protocol": Spec(READ_WRITE, ("assessment",)),
    "assessments:evidence": Spec(READ, ("assessment", "tick")),
    "assessments:contact_delete": Spec(ACTION, ("assessment", "contact")),
    "reports:list": Spec(LIST),
    "reports:campaign": Spec(READ, ("campaign",)),
    # the world's campaign is in fieldwork: its organization's user may not have it yet
    "reports:campaign_document": Spec(PUBLISHED, ("campaign", "document", "document_format")),
    "reports:job_start": Spec(OVERVIEW_ACTION, ("campaign",)),
    "reports:job": Spec(OVERVIEW, ("document_job",)),
    "reports:job_download": Spec(OVERVIEW, ("document_job",)),
    "reports:protocol": Spec(READ, ("assessment", "protocol_format")),
    "reports:plan": Spec(READ, ("assessment", "report_plan_format")),
    "reports:templates": Spec(TEMPLATES),
    "reports:template": Spec(TEMPLATES, ("template_kind",)),
    "reports:template_file": Spec(TEMPLATES, ("template_kind", "template_which")),
    "plans:list": Spec(LIST),
    "plans:draft": Spec(ORG_ACTION, ("assessment",)),
    "plans:detail": Spec(READ, ("plan",)),
    "plans:item_add": Spec(ORG_FORM, ("plan",)),
    "plans:item_edit": Spec(ORG_FORM, ("plan", "plan_item")),
    "plans:item_delete": Spec(ORG_ACTION, ("plan", "plan_item")),
    "plans:submit": Spec(ORG_ACTION, ("plan",)),
    "plans:approve": Spec(MINISTRY_ACTION, ("plan",)),
    "plans:return": Spec(MINISTRY_ACTION, ("plan",)),
    "plans:report": Spec(ORG_FORM, ("plan", "plan_item")),
    "plans:report_accept": Spec(MINISTRY_ACTION, ("plan", "plan_item")),
    "plans:report_return": Spec(MINISTRY_ACTION, ("plan", "plan_item")),
    "plans:evidence": Spec(READ, ("plan", "plan_item")),
    "plans:export": Spec(READ, ("plan", "plan_format")),
    "plans:document": Spec(READ, ("plan", "plan_layout", "plan_document_format")),
    "plans:campaign_export": Spec(READ, ("plan_campaign", "plan_format")),
    "surveys:form": Spec(PUBLIC, ("code",)),
    "surveys:step": Spec(PUBLIC, ("code", "question")),
    "surveys:review": Spec(PUBLIC, ("code",)),
    "surveys:submit": Spec(PUBLIC, ("code",)),
    "surveys:thanks": Spec(PUBLIC, ("code",)),
    "surveys:autosave": Spec(PUBLIC, ("code",)),
    "surveys:manage": Spec(READ, ("assessment",)),
    "surveys:qr": Spec(READ, ("assessment", "qr_kind")),
    "surveys:poster": Spec(READ, ("assessment",)),
    "surveys:paper_pdf": Spec(READ, ("assessment",)),
    "surveys:recompute_flags": Spec(ACTION, ("assessment",)),
    "surveys:paper_entry": Spec(OPERATOR, ("assessment",)),
    "surveys:import_upload": Spec(OPERATOR, ("assessment",)),
    "surveys:import_map": Spec(OPERATOR, ("import_job",)),
    "surveys:sheet_resolve": Spec(OPERATOR, ("sheet",)),
    "surveys:review_response": Spec(ACTION, ("response",)),
    "surveys:campaign_overview": Spec(READ, ("campaign",)),
    "surveys:campaign_review": Spec(OVERVIEW, ("campaign",)),
    "surveys:review_bulk": Spec(OPERATOR_ACTION, ("campaign",)),
    "siteaudit:assessment": Spec(READ, ("assessment",)),
    "siteaudit:start": Spec(ACTION, ("assessment",)),
    "siteaudit:decide": Spec(ACTION, ("assessment", "site_finding")),
    "siteaudit:page": Spec(READ, ("assessment", "site_page")),
    "siteaudit:campaign": Spec(READ_WRITE, ("campaign",)),
    # the published results (404 before publication: tested in nok/reports)
    "results:campaigns": Spec(PUBLIC),
    "results:campaign": Spec(PUBLIC, ("campaign",)),
    "results:organization": Spec(PUBLIC, ("assessment",)),
    "fieldwork:home": Spec(INTERVIEWER_LIST),
    "fieldwork:interview": Spec(INTERVIEWER, ("assessment",)),
    "fieldwork:progress": Spec(OVERVIEW, ("campaign",)),
    "fieldwork:call_list": Spec(ORG_WRITE, ("assessment",)),
    "fieldwork:calls": Spec(INTERVIEWER, ("assessment",)),
    "fieldwork:app": Spec(INTERVIEWER_LIST),
    "fieldwork:app_sw": Spec(PUBLIC),
    "fieldwork:app_manifest": Spec(PUBLIC),
    "fieldwork:app_bundle": Spec(INTERVIEWER_LIST),
    "fieldwork:app_sync": Spec(INTERVIEWER_LIST),
}

# Django's admin checks staff status itself (tested below), its URLs are not listed here.
SKIPPED_NAMESPACES = {"admin"}


def named_patterns() -> dict[str, list[str]]:
    """Every named URL pattern of the project: "namespace:name" -> its keyword arguments."""
    found: dict[str, list[str]] = {}

    def walk(patterns: list[Any], namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                found[f"{namespace}{entry.name}"] = list(entry.pattern.converters)

    walk(get_resolver().url_patterns, "")
    return found


class EveryUrlTests:
    def test_every_url_has_an_access_rule(self) -> None:
        assert set(named_patterns()) == set(SPECS), (
            "a URL was added or removed: give it an access rule in SPECS"
        )

    def test_every_rule_fills_the_urls_arguments(self) -> None:
        patterns = named_patterns()
        for name, spec in SPECS.items():
            assert len(patterns[name]) == len(spec.kwargs), name


# --- The world: everything belongs to Organization B ----------------------------------------------


@pytest.fixture
def world(personas: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    from nok.assessments.tests.factories import make_campaign
    from nok.organizations.models import InterviewerAssignment, Role
    from nok.organizations.tests.factories import make_user
    from nok.surveys import services as survey_services
    from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_response

    settings.MEDIA_ROOT = str(tmp_path)
    today = timezone.localdate()
    interviewer = make_user("interviewer", Role.INTERVIEWER)
    InterviewerAssignment.objects.create(interviewer=interviewer, organization=personas.org_b)
    interviewer_a = make_user("interviewer_a", Role.INTERVIEWER)
    InterviewerAssignment.objects.create(interviewer=interviewer_a, organization=personas.org_a)
    campaign = make_campaign([personas.org_b])
    Campaign.objects.filter(pk=campaign.pk).update(
        status="fieldwork", period_start=today - dt.timedelta(days=5),
        period_end=today + dt.timedelta(days=5),
    )
    campaign.refresh_from_db()
    assessment = Assessment.objects.get(campaign=campaign, organization=personas.org_b)
    old = make_campaign([personas.org_b], slug="social-2014", title="НОК 2014")
    assessment_2014 = Assessment.objects.get(campaign=old, organization=personas.org_b)
    tick = ChecklistTick.objects.create(
        assessment=assessment, checklist_key="stand", item_key="1", present=True,
        evidence=SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 jpeg"),
    )
    contact = ControlContact.objects.create(
        assessment=assessment, kind="call", date=dt.date(2025, 5, 1), form="home",
    )
    sheet = survey_services.paper_sheet_enter(
        assessment=assessment, number="7", answers=ALL_YES_NO_SITE, user=personas.operator,
    )
    site_page, site_finding = _site_audit_objects(assessment)
    plan, plan_item = _plan_objects(personas)
    job = survey_services.import_job_create(
        assessment=assessment, filename="answers.csv",
        content="Отметка времени,Оцените\n2025-05-01 10:00,да\n".encode(), user=personas.operator,
    )
    return {
        "org": personas.org_b.pk,
        "user": personas.nobody.pk,
        "methodology": "social-2018",
        "campaign": campaign.pk,
        "assessment": assessment.pk,
        "assessment_2014": assessment_2014.pk,
        "tick": tick.pk,
        "contact": contact.pk,
        "code": assessment.survey_code,
        "question": "respondent",
        "qr_kind": "png",
        "export_format": "json",
        "plan_layout": "official",
        "plan_document_format": "xlsx",
        "response": make_response(assessment).pk,
        "sheet": sheet.pk,
        "import_job": job.pk,
        "site_page": site_page,
        "site_finding": site_finding,
        "plan": plan.pk,
        "plan_item": plan_item,
        "plan_campaign": plan.campaign_id,
        "plan_format": "csv",
        "document": "rating",
        "document_format": "xlsx",
        "protocol_format": "docx",
        "report_plan_format": "xlsx",
        "document_job": _document_job(campaign),
        "template_kind": "protocol",
        "template_which": "shipped",
        "interviewer": interviewer.pk,
        "persona_interviewer": interviewer,
        "persona_interviewer_a": interviewer_a,
    }


def _plan_objects(personas: Any) -> tuple[Any, int]:
    """B's approved plan of a published campaign with one row, reported with an evidence file."""
    from nok.plans import services as plans
    from nok.plans.tests.factories import approved_plan, published_campaign

    campaign = published_campaign([personas.org_b], personas, year=2024)
    plan = approved_plan(campaign, personas.org_b, personas, personas.outsider)
    item = plan.items.get()
    plans.plan_item_report(item=item, user=personas.outsider, report=plans.ReportInput(
        "Раздел размещён", dt.date(2024, 6, 1),
        evidence=SimpleUploadedFile("akt.pdf", b"%PDF-1.4 act")))
    return plan, item.pk


def _document_job(campaign: Campaign) -> int:
    """A finished ZIP of the campaign's protocols, its file in the storage."""
    from django.core.files.base import ContentFile

    from nok.reports.models import DocumentJob, JobKind, JobStatus

    job = DocumentJob.objects.create(campaign=campaign, kind=JobKind.PROTOCOLS_DOCX,
                                     status=JobStatus.DONE, total=1, done=1)
    job.file.save("protocols.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=True)
    return job.pk


def _site_audit_objects(assessment: Assessment) -> tuple[int, int]:
    """A finished site audit of the assessment with one stored page and one finding."""
    from django.core.files.base import ContentFile

    from nok.siteaudit.models import RunStatus, SiteAuditRun, SiteFinding, SitePage

    run = SiteAuditRun.objects.create(assessment=assessment, url="https://b.example.ru/",
                                      methodology="social-2018", status=RunStatus.DONE)
    page = SitePage(run=run, url="https://b.example.ru/", kind="html", status=200,
                    content_type="text/html; charset=utf-8", fetched_at=timezone.now())
    page.copy.save("000.html", ContentFile(b"<html><body>copy</body></html>"), save=True)
    finding = SiteFinding.objects.create(
        run=run, checklist_key="site", item_key="contacts", label="Контакты", found=True,
        evidence=[{"url": "https://b.example.ru/", "text": "тел.", "how": "text", "page": page.pk}],
    )
    return page.pk, finding.pk


def url_of(name: str, world: dict[str, Any]) -> str:
    names = named_patterns()[name]
    spec = SPECS[name]
    return reverse(name, kwargs={arg: world[obj] for arg, obj in zip(names, spec.kwargs, strict=True)})


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


WRITES = {READ_WRITE, OPERATOR, ACTION, OPERATOR_ACTION, LIST_WRITE, OPERATOR_LIST, MINISTRY,
          STAFF_ACTION, ORG_FORM, ORG_ACTION, MINISTRY_ACTION, OVERVIEW_ACTION, TEMPLATES,
          INTERVIEWER, INTERVIEWER_LIST, ORG_WRITE}
POST_ONLY = {ACTION, OPERATOR_ACTION, STAFF_ACTION, ORG_ACTION, MINISTRY_ACTION, OVERVIEW_ACTION}
# For the pages of the other roles, an interviewer reads like an organization user of the
# organizations assigned to it: the one assigned B like B's user, the one assigned A like A's.
READS_LIKE = {"interviewer": "outsider", "interviewer_a": "org_admin"}

# Expected (GET, POST) per persona and kind; None: not checked (the method means nothing there).
# "ok" is any answer the user may get when allowed: 200, a redirect, 400 for an empty form, or
# 405 for a POST-only URL opened by GET.
OK = "ok"


def expected(kind: str, persona: str) -> tuple[Any, Any]:
    if kind == REDIRECT:
        return 302, None
    if kind == START:
        if persona == "nobody":
            return 403, None
        return (302 if persona.startswith("interviewer") else 200), None
    get, post = _expected(kind, persona)
    # A POST-only URL answers GET with 405 before looking at anything (reveals nothing).
    return (405 if kind in POST_ONLY else get), post


def _expected(kind: str, persona: str) -> tuple[Any, Any]:
    if persona == "nobody":
        return 403, 403 if kind in WRITES else None
    if kind == INTERVIEWER_LIST:
        return (OK, OK) if persona.startswith("interviewer") else (403, 403)
    if kind == INTERVIEWER:
        if persona == "interviewer":
            return OK, OK
        return (404, 404) if persona in {"org_admin", "interviewer_a"} else (403, 403)
    if kind == ORG_WRITE and persona == "outsider":  # B's own user writes B's data here
        return 200, OK
    if kind in {ORG_FORM, ORG_ACTION} and persona == "interviewer":
        return 403, 403  # reads like B's user, but is not the organization: never writes its plan
    persona = READS_LIKE.get(persona, persona)
    if kind == MINISTRY:
        if persona == "ministry":
            return OK, OK
        return (404, 404) if persona == "org_admin" else (403, 403)
    if kind == STAFF_ACTION and persona == "ministry":
        return 405, OK
    if kind in {ORG_FORM, ORG_ACTION, MINISTRY_ACTION}:
        allowed = "outsider" if kind != MINISTRY_ACTION else "ministry"
        if persona == allowed:
            return OK, OK
        return (404, 404) if persona == "org_admin" else (403, 403)
    if kind == OVERVIEW_ACTION:  # starts a document job: changes no data
        return 405, 403 if persona in {"org_admin", "outsider"} else OK
    if kind == TEMPLATES:
        return (OK, OK) if persona in {"operator", "ministry"} else (403, 403)
    if persona == "operator":
        return OK, OK
    foreign = persona == "org_admin"  # the objects are Organization B's
    scoped_kinds = {READ, READ_WRITE, OPERATOR, ACTION, STAFF_ACTION, PUBLISHED, ORG_WRITE}
    if foreign and kind in scoped_kinds:
        return 404, 404
    organization_user = persona in {"org_admin", "outsider"}
    get = {
        READ: 200, READ_WRITE: 200, ORG_WRITE: 200, OPERATOR: 403, ACTION: 405, OPERATOR_ACTION: 405, LIST: 200,
        LIST_WRITE: 200, OPERATOR_LIST: 403, OVERVIEW: 403 if organization_user else 200,
        STAFF_ACTION: 405, PUBLISHED: 403 if organization_user else 200,
    }[kind]
    post = 403 if kind in WRITES else None
    return get, post


PERSONAS = ["operator", "ministry", "council", "org_admin", "outsider", "nobody", "interviewer",
            "interviewer_a"]


def persona_user(personas: Any, world: dict[str, Any], persona: str) -> Any:
    """The personas of the shared fixture, and the interviewers of this world."""
    return world[f"persona_{persona}"] if persona.startswith("interviewer") else getattr(
        personas, persona)
GUARDED = sorted(name for name, spec in SPECS.items() if spec.kind != PUBLIC)


def check(answer: int, wanted: Any, what: str) -> None:
    if wanted == OK:
        assert answer in {200, 302, 400, 405}, f"{what}: {answer}"
    else:
        assert answer == wanted, f"{what}: got {answer}, expected {wanted}"


@pytest.mark.django_db
class AccessMatrixTests:
    @pytest.mark.parametrize("name", GUARDED)
    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, name, world) -> None:
        url = url_of(name, world)
        for method in ("get", "post"):
            answer = getattr(Client(), method)(url)
            assert answer.status_code == 302, f"{method.upper()} {url}"
            assert answer["Location"].startswith(reverse("login")), url

    @pytest.mark.parametrize("persona", PERSONAS)
    @pytest.mark.parametrize("name", GUARDED)
    def test_each_persona_gets_what_its_role_allows(self, name, persona, personas, world) -> None:
        url = url_of(name, world)
        client = client_for(persona_user(personas, world, persona))
        get, post = expected(SPECS[name].kind, persona)
        check(client.get(url).status_code, get, f"{persona} GET {url}")
        if post is not None:
            check(client.post(url, {"status": "review", "active": "1"}).status_code, post,
                  f"{persona} POST {url}")

    @pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "operator"])
    def test_read_only_roles_post_changes_nothing(self, persona, personas, world) -> None:
        """After every refused write the B objects are as they were (the operator may write;
        the ministry's own moves need a campaign under review or published, this one is not)."""
        client = client_for(persona_user(personas, world, persona))
        before = Campaign.objects.get(pk=world["campaign"]).status
        for name in GUARDED:
            client.post(url_of(name, world), {"status": "review", "active": "0", "confirm": "on",
                                              "reason": "проверка доступа"})
        assert Campaign.objects.get(pk=world["campaign"]).status == before
        assert ControlContact.objects.filter(pk=world["contact"]).exists()
        from django.contrib.auth.models import User

        assert User.objects.get(pk=world["user"]).is_active

    def test_the_public_questionnaire_needs_no_login(self, world) -> None:
        client = Client()
        assert client.get(url_of("surveys:form", world)).status_code == 200
        assert client.get(url_of("surveys:thanks", world)).status_code == 200
        assert client.get(url_of("surveys:step", world)).status_code == 302  # no draft: start
        assert client.get(url_of("surveys:review", world)).status_code == 302
        assert client.get(url_of("surveys:submit", world)).status_code == 405
        assert client.post(url_of("surveys:autosave", world)).status_code == 409
        assert client.get(reverse("surveys:form", args=["no-such-code"])).status_code == 404

    @pytest.mark.parametrize("persona", PERSONAS)
    def test_the_admin_site_is_closed_to_non_staff(self, persona, personas, world) -> None:
        answer = client_for(persona_user(personas, world, persona)).get(reverse("admin:index"))
        assert answer.status_code == 302
        assert "/admin/login/" in answer["Location"]

