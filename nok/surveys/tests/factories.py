"""Campaigns, assessments and responses for the survey tests."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from nok.assessments.models import Assessment, Campaign
from nok.methodology.models import Methodology
from nok.organizations.models import Organization
from nok.organizations.tests.factories import make_organization
from nok.surveys.models import Channel, Response
from nok.surveys.services import response_record
from nok.surveys.tallies import counted, tally_move

# A respondent who used the stand, not the site, is not disabled and did not use remote channels.
ALL_YES_NO_SITE = {
    "respondent": "recipient",
    "used_stand": "yes",
    "info_stand": "yes",
    "used_site": "no",
    "timely": "yes",
    "comfort": "yes",
    "disabled": "no",
    "courtesy_first_contact": "yes",
    "courtesy_service": "yes",
    "used_remote": "no",
    "recommend": "yes",
    "schedule": "yes",
    "overall": "yes",
}


def make_methodology(slug: str = "social-2018") -> Methodology:
    from nok.methodology.services import methodology_sync_builtin

    if not Methodology.objects.filter(slug=slug).exists():
        methodology_sync_builtin()
    return Methodology.objects.get(slug=slug)


def make_campaign(
    *, slug: str = "social-2018", start: date | None = None, end: date | None = None,
    status: str = "fieldwork",
) -> Campaign:
    today = timezone.localdate()
    return Campaign.objects.create(
        title=f"НОК {today.year}", year=today.year,
        period_start=start or today - timedelta(days=10),
        period_end=end or today + timedelta(days=20),
        methodology=make_methodology(slug), status=status,
    )


def make_assessment(
    organization: Organization | None = None, campaign: Campaign | None = None, **kwargs: Any
) -> Assessment:
    return Assessment.objects.create(
        organization=organization or make_organization(),
        campaign=campaign or make_campaign(**kwargs),
    )


def make_response(
    assessment: Assessment, answers: dict[str, str] | None = None, *,
    channel: str = Channel.PAPER, status: str | None = None,
    submitted_at: datetime | None = None, **kwargs: Any,
) -> Response:
    response, _ = response_record(
        assessment=assessment, answers=ALL_YES_NO_SITE if answers is None else answers,
        channel=channel, client_id=uuid.uuid4(), submitted_at=submitted_at, **kwargs,
    )
    if status is not None:  # the counters follow, as in every service that changes a status
        before = counted([response.pk])
        Response.objects.filter(pk=response.pk).update(status=status)
        tally_move(before, status)
        response.status = status
    return response


def historical_assessment(apps: Any) -> Any:
    """An assessment made with the models of a past migration state (``apps``), for the tests
    of data migrations: a campaign, an organization of a type, the assessment."""
    campaign = apps.get_model("assessments", "Campaign").objects.create(
        title="НОК", year=2026, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
        methodology=apps.get_model("methodology", "Methodology").objects.create(
            slug="m", title="m", definition={}),
    )
    org_type = apps.get_model("organizations", "OrganizationType").objects.create(name="КЦСОН")
    organization = apps.get_model("organizations", "Organization").objects.create(
        name="ГБУ «КЦСОН»", type=org_type)
    return apps.get_model("assessments", "Assessment").objects.create(
        campaign=campaign, organization=organization, survey_code="abcdefgh")
