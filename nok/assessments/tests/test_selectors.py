"""Scoped reads. (The rating is read from ``nok.scores``.)"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from nok.assessments import selectors
from nok.assessments.tests.factories import assessment_of, make_campaign

pytestmark = pytest.mark.django_db


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
