"""Scoped reads and the rating."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from nok.assessments import selectors
from nok.assessments.models import Assessment
from nok.assessments.tests.factories import assessment_of, make_campaign
from nok.organizations.tests.factories import make_organization

pytestmark = pytest.mark.django_db


def set_total(campaign, org, total):  # type: ignore[no-untyped-def]
    Assessment.objects.filter(campaign=campaign, organization=org).update(total=total)


class CampaignRatingTests:
    def test_it_ranks_per_type_descending_with_ties_keeping_distinct_places(self) -> None:
        a = make_organization("А-центр", type_name="КЦСОН")
        b = make_organization("Б-центр", type_name="КЦСОН")
        c = make_organization("В-центр", type_name="КЦСОН")
        d = make_organization("Г-центр", type_name="КЦСОН")
        home = make_organization("Дом-интернат", type_name="Дом-интернат")
        campaign = make_campaign([a, b, c, d, home])
        set_total(campaign, a, 80.0)
        set_total(campaign, b, 93.6)
        set_total(campaign, c, 80.0)
        set_total(campaign, d, None)
        set_total(campaign, home, 50.0)
        rows = selectors.campaign_rating(campaign)
        kcson = [(r.position, r.name, r.value) for r in rows if r.type == "КЦСОН"]
        assert kcson[0] == (1, "Б-центр", 93.6)
        # A tie: both 80, places 2 and 3 (distinct, as in seed 004).
        assert sorted(kcson[1:3]) == [(2, "А-центр", 80.0), (3, "В-центр", 80.0)]
        # No total: last, without a place.
        assert kcson[3] == (None, "Г-центр", None)
        assert [(r.position, r.value) for r in rows if r.type == "Дом-интернат"] == [(1, 50.0)]

    def test_groups_carry_assessment_ids(self) -> None:
        a = make_organization("А-центр")
        campaign = make_campaign([a])
        set_total(campaign, a, 70.0)
        groups = selectors.campaign_rating_groups(campaign)
        assert groups[0].rows[0]["assessment_id"] == assessment_of(campaign, a).pk


class AccessSelectorTests:
    def test_organization_users_see_only_campaigns_and_assessments_of_their_own(
        self, personas
    ) -> None:
        with_a = make_campaign([personas.org_a, personas.org_b], title="с А")
        make_campaign([personas.org_b], title="без А")
        assert list(selectors.campaigns_visible_to(personas.org_admin)) == [with_a]
        assert [a.organization for a in selectors.assessments_visible_to(personas.org_admin)] == [
            personas.org_a
        ]
        assert selectors.campaigns_visible_to(personas.council).count() == 2
        assert selectors.campaigns_visible_to(personas.nobody).count() == 0

    def test_other_organizations_assessment_is_404_and_a_ministry_write_is_403(
        self, personas
    ) -> None:
        campaign = make_campaign([personas.org_a, personas.org_b])
        other = assessment_of(campaign, personas.org_b)
        with pytest.raises(Http404):
            selectors.get_assessment_for_user(personas.org_admin, other.pk)
        with pytest.raises(PermissionDenied):
            selectors.get_assessment_for_user(personas.ministry, other.pk, write=True)
        with pytest.raises(PermissionDenied):
            selectors.get_assessment_for_user(personas.nobody, other.pk)
        assert selectors.get_assessment_for_user(personas.operator, other.pk, write=True) == other
