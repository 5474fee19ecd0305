"""Plans for tests, from real published results: a campaign filled through the fieldwork
services, closed by the operator and published by the ministry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from nok.assessments import services as fieldwork
from nok.assessments.models import Assessment, Campaign
from nok.assessments.tests.factories import (
    assessment_of,
    fill_all_checklists,
    methodology,
    respond,
)
from nok.plans import services
from nok.plans.models import Plan, PlanItem
from nok.scores import services as scores

# Seed 001's observation (fill_all_checklists): every list complete; 3.1 has only
# «wheelchairs» of its five conditions, 3.2 the first four of six. Ten respondents, all «да».
SEED_001_SHORTCOMINGS = [
    "disabled_premises:ramps", "disabled_premises:parking",
    "disabled_premises:lifts_handrails_doors", "disabled_premises:sanitary_rooms",
    "disabled_services:trained_staff", "disabled_services:remote_or_home",
]


def seed_001_fieldwork(assessment: Assessment, *, premises: tuple[str, ...] = ("wheelchairs",),
                       services_n: int = 4, respondents: int = 10, **answers: str) -> None:
    fill_all_checklists(assessment, premises=premises, services_n=services_n)
    for _ in range(respondents):
        respond(assessment, **answers)


def published_campaign(organizations: list[Any], personas: Any, *, year: int,
                       fill: Callable[[Campaign], None] = lambda _: None,
                       title: str | None = None) -> Campaign:
    """A campaign of ``year`` (1 March – 30 November) filled by ``fill``, closed and published;
    every unmet precondition of publication gets a reason."""
    campaign = fieldwork.campaign_create(
        user=personas.operator, title=title or f"НОК {year}", year=year,
        period_start=dt.date(year, 3, 1), period_end=dt.date(year, 11, 30),
        methodology=methodology("social-2018"), operator_name="Центр социологических исследований",
        organizations=organizations,
    )
    fill(campaign)
    snapshot = scores.campaign_close_fieldwork(campaign=campaign, user=personas.operator)
    reasons = {row.assessment_id: "выборка мала, публикуется по решению министерства"
               for row in snapshot.rows.all() if row.unmet}
    scores.campaign_publish(campaign=campaign, user=personas.ministry, exceptions=reasons)
    campaign.refresh_from_db()
    return campaign


def seed_001_campaign(personas: Any, *, year: int = 2025, **fieldwork_options: Any) -> Campaign:
    """Organization A with seed 001's fieldwork, organization B with none; published."""
    return published_campaign(
        [personas.org_a, personas.org_b], personas, year=year,
        fill=lambda c: seed_001_fieldwork(assessment_of(c, personas.org_a), **fieldwork_options))


def row(measure: str = "Установить пандус у главного входа",
        planned: dt.date = dt.date(2026, 6, 1), name: str = "Иванова Анна Петровна",
        position: str = "заместитель директора") -> services.RowInput:
    return services.RowInput(measure, planned, name, position)


def complete(plan: Plan, user: Any, *, planned: dt.date = dt.date(2026, 6, 1)) -> None:
    """Every row of the plan given a date and a responsible person (its measure kept)."""
    for item in plan.items.all():
        services.plan_item_update(item=item, user=user,
                                  row=row(item.measure or "Мероприятие", planned))


def approved_plan(campaign: Campaign, organization: Any, personas: Any, user: Any,
                  *, planned: dt.date = dt.date(2026, 6, 1)) -> Plan:
    """The organization's plan drafted, completed, submitted and approved."""
    plan = services.plan_draft(assessment=assessment_of(campaign, organization), user=user)
    if not plan.items.exists():
        services.plan_item_add(plan=plan, user=user, criterion="K1",
                               shortcoming="Нет раздела о попечительском совете", row=row())
    complete(plan, user, planned=planned)
    services.plan_submit(plan=plan, user=user)
    services.plan_approve(plan=plan, user=personas.ministry)
    plan.refresh_from_db()
    return plan


def item_by_key(plan: Plan, key: str) -> PlanItem:
    return plan.items.get(shortcoming_key=key)
