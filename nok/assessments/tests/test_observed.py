"""``Assessment.observed``: the checklists as recorded, kept with every checklist write, always
equal to a recount of the tick rows (scoring a whole campaign reads it instead of the ticks)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nok.assessments import services
from nok.assessments.models import Assessment
from nok.assessments.selectors import observed_recount
from nok.assessments.tests.factories import assessment_of, make_campaign, tick

pytestmark = pytest.mark.django_db

REMOTE = ["phone", "email", "e_services", "faq", "opinion_survey"]


@pytest.fixture
def assessment(personas):  # type: ignore[no-untyped-def]
    return assessment_of(make_campaign([personas.org_a], user=personas.operator), personas.org_a)


def stored(assessment: Assessment) -> dict:  # type: ignore[type-arg]
    assessment.refresh_from_db()
    return assessment.observed


class ObservedTests:
    def test_a_new_assessment_has_no_checklist_recorded(self, assessment) -> None:
        assert stored(assessment) == {}

    def test_it_lists_the_ticked_items_sorted_and_counts_every_recorded_one(self, assessment) -> None:
        tick(assessment, "remote_channels", ["phone", "email"], absent=["faq"])
        assert stored(assessment) == {
            "remote_channels": {"present": ["email", "phone"], "recorded": 3}}

    def test_an_item_unticked_later_leaves_the_present_list(self, assessment) -> None:
        tick(assessment, "remote_channels", ["phone", "email"])
        tick(assessment, "remote_channels", [], absent=["phone"])
        assert stored(assessment) == {"remote_channels": {"present": ["email"], "recorded": 2}}

    def test_checklists_are_kept_apart(self, assessment) -> None:
        tick(assessment, "remote_channels", ["phone"])
        tick(assessment, "disabled_premises", [], absent=["ramps"])
        assert stored(assessment) == {
            "remote_channels": {"present": ["phone"], "recorded": 1},
            "disabled_premises": {"present": [], "recorded": 1},
        }

    def test_the_rebuild_repairs_a_damaged_summary_and_says_how_many_differed(self, assessment) -> None:
        tick(assessment, "remote_channels", ["phone"])
        Assessment.objects.filter(pk=assessment.pk).update(observed={"remote_channels": {
            "present": ["phone", "faq"], "recorded": 9}})
        assert services.observed_rebuild([assessment.pk]) == 1
        assert stored(assessment) == {"remote_channels": {"present": ["phone"], "recorded": 1}}
        assert services.observed_rebuild([assessment.pk]) == 0

    @settings(max_examples=10, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.sets(st.sampled_from(REMOTE)), st.sets(st.sampled_from(REMOTE))),
                    min_size=1, max_size=6))
    def test_any_sequence_of_writes_keeps_it_equal_to_a_recount(self, personas, steps) -> None:
        campaign = make_campaign([personas.org_a], user=personas.operator)
        assessment = assessment_of(campaign, personas.org_a)
        for present, absent in steps:
            tick(assessment, "remote_channels", sorted(present), absent=sorted(absent - present))
            assert stored(assessment) == observed_recount([assessment.pk])[assessment.pk]
