"""Campaign graphs for tests: a campaign with assessments, ticks and survey responses."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from nok.assessments import services
from nok.assessments.models import Assessment, Campaign
from nok.methodology.models import Methodology
from nok.methodology.services import methodology_sync_builtin
from nok.organizations.models import Organization

ALL_YES = {
    "respondent": "recipient", "used_stand": "yes", "info_stand": "yes", "used_site": "yes",
    "info_site": "yes", "timely": "yes", "comfort": "yes", "disabled": "no",
    "courtesy_first_contact": "yes", "courtesy_service": "yes", "used_remote": "no",
    "recommend": "yes", "schedule": "yes", "overall": "yes",
}


def methodology(slug: str = "social-2018") -> Methodology:
    if not Methodology.objects.filter(slug=slug).exists():
        methodology_sync_builtin()
    return Methodology.objects.get(slug=slug)


def make_campaign(
    organizations: list[Organization], *, slug: str = "social-2018", user: Any = None,
    title: str = "НОК 2025",
) -> Campaign:
    return services.campaign_create(
        user=user, title=title, year=2025, period_start=dt.date(2025, 3, 1),
        period_end=dt.date(2025, 11, 30), methodology=methodology(slug),
        operator_name="Центр социологических исследований", organizations=organizations,
    )


def assessment_of(campaign: Campaign, organization: Organization) -> Assessment:
    return Assessment.objects.select_related("campaign", "organization__type").get(
        campaign=campaign, organization=organization
    )


def tick(assessment: Assessment, checklist: str, present: list[str], *, absent: list[str] = (),
         user: Any = None) -> Any:  # type: ignore[assignment]
    items = {key: services.TickInput(present=True) for key in present}
    items |= {key: services.TickInput(present=False) for key in absent}
    return services.checklist_update(
        assessment=assessment, user=user, checklist_key=checklist, items=items
    )


def fill_all_checklists(assessment, *, premises=("wheelchairs",), services_n=4):  # type: ignore[no-untyped-def]
    """Seed 001's observation: every list complete, 3.1 one condition of 5, 3.2 four of 6."""
    method = services.assessment_methodology(assessment)
    for checklist in method.checklists:
        keys = [item.key for item in checklist.items]
        if checklist.key == "disabled_premises":
            tick(assessment, checklist.key, list(premises), absent=[k for k in keys if k not in premises])
        elif checklist.key == "disabled_services":
            tick(assessment, checklist.key, keys[:services_n], absent=keys[services_n:])
        else:
            tick(assessment, checklist.key, keys)


def respond(assessment: Assessment, **answers: str) -> Any:
    from nok.surveys.services import response_create

    return response_create(
        assessment=assessment, answers=ALL_YES | answers, channel="paper",
        client_id=uuid.uuid4(),
    )


def ready_and_short_campaign(personas: Any, *, also: tuple[Organization, ...] = (),
                             **campaign: Any) -> Campaign:
    """org_a ready: every checklist complete, 10 respondents of 20 recipients (minimum
    ceil(0.4 × 20) = 8); org_b short: one channel of remote contact, 3 respondents of 200
    recipients (minimum 80); ``also``: more organizations in the campaign, without data."""
    from nok.organizations.services import organization_update

    organization_update(organization=personas.org_a, user=None,
                        data={"recipients_semi_stationary": 10, "recipients_home": 10})
    made = make_campaign([personas.org_a, personas.org_b, *also], user=personas.operator,
                         **campaign)
    a, b = assessment_of(made, personas.org_a), assessment_of(made, personas.org_b)
    fill_all_checklists(a)
    for _ in range(10):
        respond(a)
    tick(b, "remote_channels", ["phone"])
    for _ in range(3):
        respond(b)
    return made
