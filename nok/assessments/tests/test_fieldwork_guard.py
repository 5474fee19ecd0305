"""One guard for every fieldwork write: once a campaign leaves fieldwork, no write service of
``assessments``, ``surveys`` or ``fieldwork`` accepts anything — checklists, values, calls,
complaints, the public form, paper entry, imports, quality flags, review decisions,
interviews. The test walks every public function of the service modules: each is either a fieldwork write (marked, and shown
here to refuse with nothing written) or known not to write fieldwork data."""

from __future__ import annotations

import datetime as dt
import inspect
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps

from nok.assessments import services as fieldwork
from nok.assessments.models import Campaign
from nok.assessments.services import FieldworkClosed
from nok.assessments.tests.factories import ALL_YES, assessment_of, make_campaign
from nok.fieldwork import services as interviews
from nok.organizations.models import InterviewerAssignment, Role
from nok.organizations.tests.factories import make_user
from nok.surveys import services as surveys
from nok.surveys.models import Draft, ImportJob, PaperSheet, Response

pytestmark = pytest.mark.django_db

# Public functions of the two modules that do not write fieldwork data (campaign set-up, the
# guard itself, pure helpers and housekeeping).
NOT_FIELDWORK = {
    "nok.assessments.services": {
        "campaign_create", "campaign_copy", "campaign_update", "campaign_status_change", "fieldwork_guard",
        "fieldwork_write", "assessment_methodology", "parse_values",
        "observed_rebuild",  # a recount of derived data, called by checklist_update under its guard
    },
    "nok.surveys.services": {
        "client_hash_of", "address_hash_of", "vector_hash_of",
        "paper_client_id", "without_free_text",
        "drafts_purge", "import_uploads_purge",
    },
    "nok.fieldwork.services": {
        "call_lists_delete",  # at publication, after fieldwork
        "device_seen",  # a device of the offline app made contact: no fieldwork data
        "interviews_sync",  # each interview passes interview_record's guard (refusals reported)
    },
}
MODULES = (fieldwork, surveys, interviews)


def public_functions() -> dict[str, Callable[..., Any]]:
    found = {}
    for module in MODULES:
        for name, obj in vars(module).items():
            if name.startswith("_") or not callable(obj) or inspect.isclass(obj):
                continue
            if getattr(obj, "__module__", None) == module.__name__:
                found[f"{module.__name__}.{name}"] = obj
    return found


def marked() -> set[str]:
    return {name for name, fn in public_functions().items() if getattr(fn, "fieldwork_write", False)}


@pytest.fixture
def world(personas):  # type: ignore[no-untyped-def]
    """An assessment with one of everything, made while fieldwork was open."""
    campaign = make_campaign([personas.org_a])
    today = dt.date.today()
    Campaign.objects.filter(pk=campaign.pk).update(period_start=today - dt.timedelta(days=3),
                                                   period_end=today + dt.timedelta(days=3))
    a = assessment_of(campaign, personas.org_a)
    response = surveys.response_create(assessment=a, answers=ALL_YES, channel="paper",
                                       client_id=uuid.uuid4())
    contact = fieldwork.contact_create(assessment=a, user=None, kind="call", form="home",
                                       date=dt.date(2025, 5, 1), answered=True, effective=True)
    sheet = surveys.paper_sheet_enter(assessment=a, number="9", answers=ALL_YES,
                                      user=personas.operator)
    surveys.paper_sheet_enter(assessment=a, number="9", answers=ALL_YES | {"overall": "no"},
                              user=personas.ministry)  # a second pass that differs: a mismatch
    job = surveys.import_job_create(
        assessment=a, filename="export.csv", user=personas.operator,
        content="Отметка времени;Удовлетворены ли Вы в целом?\n2025-05-01 10:00;Да\n".encode())
    draft = surveys.draft_start(assessment=a, client_id=uuid.uuid4())
    surveys.draft_answer(draft=draft, question="respondent", value="recipient")
    interviewer = make_user("interviewer", Role.INTERVIEWER)
    InterviewerAssignment.objects.create(interviewer=interviewer, organization=personas.org_a)
    interviews.call_list_upload(assessment=a, filename="calls.csv", user=personas.operator,
                                content=b"+7 916 123-45-67\n+7 916 123-45-68\n")
    entry = interviews.call_claim(assessment=a, interviewer=interviewer)
    return {"assessment": a, "response": response, "contact": contact,
            "sheet": PaperSheet.objects.get(pk=sheet.pk), "job": job,
            "draft": Draft.objects.get(pk=draft.pk), "operator": personas.operator,
            "interviewer": interviewer, "entry": entry}


# How to call each fieldwork write on the world's objects.
CALLS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "nok.assessments.services.checklist_update": lambda w: fieldwork.checklist_update(
        assessment=w["assessment"], user=w["operator"], checklist_key="remote_channels",
        items={"phone": fieldwork.TickInput(present=True)}),
    "nok.assessments.services.values_update": lambda w: fieldwork.values_update(
        assessment=w["assessment"], user=w["operator"], values={}),
    "nok.assessments.services.contact_create": lambda w: fieldwork.contact_create(
        assessment=w["assessment"], user=w["operator"], kind="email", form="home",
        date=dt.date(2025, 5, 2), answered=True, effective=False),
    "nok.assessments.services.contact_delete": lambda w: fieldwork.contact_delete(
        contact=w["contact"], user=w["operator"]),
    "nok.assessments.services.complaints_set": lambda w: fieldwork.complaints_set(
        assessment=w["assessment"], user=w["operator"], form="home", registered=1, resolved=0),
    "nok.surveys.services.response_record": lambda w: surveys.response_record(
        assessment=w["assessment"], answers=ALL_YES, channel="online", client_id=uuid.uuid4()),
    "nok.surveys.services.response_create": lambda w: surveys.response_create(
        assessment=w["assessment"], answers=ALL_YES, channel="paper", client_id=uuid.uuid4()),
    "nok.surveys.services.flags_apply": lambda w: surveys.flags_apply(assessment=w["assessment"]),
    "nok.surveys.services.flags_recompute": lambda w: surveys.flags_recompute(
        assessment=w["assessment"], user=w["operator"]),
    "nok.surveys.services.response_review": lambda w: surveys.response_review(
        response=w["response"], decision="rejected", reason="дубль", user=w["operator"]),
    "nok.surveys.services.responses_review": lambda w: surveys.responses_review(
        campaign=w["assessment"].campaign, response_ids=[w["response"].pk], decision="rejected",
        reason="дубль", user=w["operator"]),
    "nok.surveys.services.draft_start": lambda w: surveys.draft_start(
        assessment=w["assessment"], client_id=uuid.uuid4()),
    "nok.surveys.services.draft_restart": lambda w: surveys.draft_restart(draft=w["draft"]),
    "nok.surveys.services.draft_answer": lambda w: surveys.draft_answer(
        draft=w["draft"], question="used_stand", value="yes"),
    "nok.surveys.services.draft_answers": lambda w: surveys.draft_answers(
        draft=w["draft"], answers={"used_stand": "yes", "info_stand": "yes"}),
    "nok.surveys.services.draft_submit": lambda w: surveys.draft_submit(
        draft=w["draft"], client_hash="x"),
    "nok.surveys.services.paper_response_create": lambda w: surveys.paper_response_create(
        assessment=w["assessment"], number="10", answers=ALL_YES, user=w["operator"]),
    "nok.surveys.services.paper_sheet_enter": lambda w: surveys.paper_sheet_enter(
        assessment=w["assessment"], number="11", answers=ALL_YES, user=w["operator"]),
    "nok.surveys.services.paper_sheet_resolve": lambda w: surveys.paper_sheet_resolve(
        sheet=w["sheet"], answers=ALL_YES, user=w["operator"]),
    "nok.surveys.services.import_job_create": lambda w: surveys.import_job_create(
        assessment=w["assessment"], filename="again.csv", user=w["operator"],
        content="Удовлетворены ли Вы в целом?\nДа\n".encode()),
    "nok.surveys.services.import_run": lambda w: surveys.import_run(
        job=w["job"], mapping={0: "__timestamp__", 1: "overall"}, user=w["operator"]),
    "nok.fieldwork.services.interview_record": lambda w: interviews.interview_record(
        assessment=w["assessment"], interviewer=w["interviewer"], answers=ALL_YES,
        mode="interview", client_id=uuid.uuid4(), started_at=None),
    "nok.fieldwork.services.call_list_upload": lambda w: interviews.call_list_upload(
        assessment=w["assessment"], filename="more.csv", user=w["operator"],
        content=b"8 831 222-33-44\n"),
    "nok.fieldwork.services.call_list_limit_set": lambda w: interviews.call_list_limit_set(
        assessment=w["assessment"], attempt_limit=5, user=w["operator"]),
    "nok.fieldwork.services.call_claim": lambda w: interviews.call_claim(
        assessment=w["assessment"], interviewer=w["interviewer"]),
    "nok.fieldwork.services.call_outcome_record": lambda w: interviews.call_outcome_record(
        entry=w["entry"], interviewer=w["interviewer"], outcome="no_answer"),
}


def everything() -> dict[str, tuple[Any, ...]]:
    """Every row of every table of the fieldwork apps (and the audit journal)."""
    rows = {}
    for label in ("assessments", "surveys", "fieldwork", "core"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = tuple(sorted(
                tuple(sorted((k, str(v)) for k, v in row.items()))
                for row in model.objects.values()))
    return rows


class GuardCoverageTests:
    def test_every_public_service_is_either_a_guarded_write_or_known_not_to_write(self) -> None:
        known = {f"{module}.{name}" for module, names in NOT_FIELDWORK.items() for name in names}
        assert set(public_functions()) == known | marked(), (
            "a service was added: mark it @fieldwork_write (and add a call here) or list it "
            "in NOT_FIELDWORK")
        assert not known & marked()

    def test_every_guarded_write_has_a_call_in_this_test(self) -> None:
        assert set(CALLS) == marked()


@pytest.mark.parametrize("status", ["review", "published"])
@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_closed_campaign_refuses_every_fieldwork_write(name, status, world) -> None:
    assessment = world["assessment"]
    Campaign.objects.filter(pk=assessment.campaign_id).update(status=status)
    before = everything()
    with pytest.raises(FieldworkClosed) as refused:
        CALLS[name](world)
    assert ("кампания на проверке" if status == "review" else "опубликована") in str(refused.value)
    assert everything() == before, f"{name} wrote something although it was refused"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_each_write_works_while_fieldwork_is_open(name, world) -> None:
    """The same calls succeed in fieldwork, so the refusals above are the guard's doing."""
    CALLS[name](world)


def test_the_import_and_the_paper_sheet_of_the_world_are_real(world) -> None:
    assert ImportJob.objects.filter(pk=world["job"].pk, done_at__isnull=True).exists()
    assert world["sheet"].status == "mismatch"
    assert Response.objects.filter(assessment=world["assessment"]).count() == 1
