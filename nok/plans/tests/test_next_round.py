"""The next campaign's check on real published results: each earlier shortcoming is shown as
устранён or сохраняется on the plan and on the organization's card — once the later campaign is
published, not before."""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from nok.assessments.tests.factories import assessment_of, make_campaign
from nok.plans import selectors, services
from nok.plans.followup import Outcome
from nok.plans.tests.factories import (
    SEED_001_SHORTCOMINGS,
    approved_plan,
    row,
    seed_001_campaign,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(personas):  # type: ignore[no-untyped-def]
    earlier = seed_001_campaign(personas, year=2024)
    return approved_plan(earlier, personas.org_a, personas, personas.org_admin)


class NextRoundTests:
    def test_nothing_is_checked_until_a_later_campaign_is_published(self, plan, personas) -> None:
        make_campaign([personas.org_a], title="НОК 2025 (сбор данных)")
        assert selectors.follow_up(plan) is None

    def test_a_shortcoming_fixed_by_the_next_campaign_is_resolved_the_others_persist(
            self, plan, personas) -> None:
        # 2025: ramps installed (3.1 has two conditions), everything else as in 2024
        later = seed_001_campaign(personas, year=2025, premises=("wheelchairs", "ramps"))
        follow = selectors.follow_up(plan)
        assert follow is not None and follow.campaign == later
        assert follow.assessment == assessment_of(later, personas.org_a)
        outcomes = {s.key: check.outcome for s, check in follow.rows()}
        assert list(outcomes) == SEED_001_SHORTCOMINGS
        assert outcomes.pop("disabled_premises:ramps") == Outcome.RESOLVED
        assert set(outcomes.values()) == {Outcome.PERSISTING}
        assert (follow.resolved, follow.persisting, follow.unchecked) == (1, 5, 0)

    def test_the_plan_page_and_the_card_show_the_outcomes(self, plan, personas) -> None:
        seed_001_campaign(personas, year=2025, premises=("wheelchairs", "ramps"))
        client = Client()
        client.force_login(personas.ministry)
        page = lxml.html.fromstring(client.get(reverse("plans:detail", args=[plan.pk]))
                                    .content.decode())
        ramps = plan.items.get(shortcoming_key="disabled_premises:ramps")
        parking = plan.items.get(shortcoming_key="disabled_premises:parking")
        assert "устранён" in page.get_element_by_id(f"item-{ramps.pk}").text_content()
        assert "сохраняется" in page.get_element_by_id(f"item-{parking.pk}").text_content()
        summary = " ".join(page.get_element_by_id("follow-up").itertext())
        assert "устранено: 1" in summary and "сохраняется: 5" in summary
        card = client.get(reverse("dashboard:organization", args=[personas.org_a.pk]))
        assert "устранено: 1" in card.content.decode()

    def test_a_row_the_organization_added_has_no_outcome(self, personas) -> None:
        earlier = seed_001_campaign(personas, year=2024)
        plan = services.plan_draft(assessment=assessment_of(earlier, personas.org_a),
                                   user=personas.org_admin)
        own = services.plan_item_add(plan=plan, user=personas.org_admin, criterion="K2",
                                     shortcoming="Нет питьевой воды в холле", row=row())
        seed_001_campaign(personas, year=2025)
        follow = selectors.follow_up(plan)
        assert follow is not None and own.shortcoming_key not in follow.checks
        sections = selectors.plan_sections(plan, plan.created_at.date(), follow.checks)
        rows = {r.item.pk: r for s in sections for r in s.rows}
        assert rows[own.pk].check is None
        assert rows[plan.items.get(shortcoming_key="disabled_premises:ramps").pk].check.outcome == (
            Outcome.PERSISTING)
