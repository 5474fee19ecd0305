"""Closing fieldwork freezes, for every organization, exactly what ``compute`` and the rating
give one organization at a time — the assessment file, the results with their intervals, the
total and its interval, the place and its reasons, the unmet preconditions — whichever way the
snapshot reads the fieldwork (plain rows and ``scoring.figures`` for social-2018, ``compute``
for social-2014), and however many chunks it takes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import scoring
from nok.assessments import services as fieldwork
from nok.assessments.models import Campaign
from nok.assessments.tests.factories import (
    assessment_of,
    fill_all_checklists,
    make_campaign,
    ready_and_short_campaign,
    respond,
    tick,
)
from nok.methodology.services import methodology_load
from nok.organizations.tests.factories import make_organization
from nok.scores import bridge, selectors, services
from nok.scores.bridge import compute

pytestmark = pytest.mark.django_db


def computed_rows(campaign: Campaign) -> dict[int, dict[str, Any]]:
    """The snapshot rows as the explained path gives them: ``compute`` of every assessment,
    the rating of their totals and ``unmet_preconditions``."""
    method = methodology_load(campaign.methodology)
    computed = compute(sorted(campaign.assessments.values_list("pk", flat=True)))
    rating = {int(r.key): r for r in scoring.rate(
        [scoring.RatingEntry(str(c.assessment.pk), str(c.assessment.organization),
                             c.assessment.organization.type.name, c.result.total, c.insufficient)
         for c in computed], method.rating)}
    unmet = selectors.unmet_preconditions(computed)
    return {
        c.assessment.pk: {
            "organization_id": c.assessment.organization_id,
            "organization_name": str(c.assessment.organization),
            "organization_type": c.assessment.organization.type.name,
            "type_position": c.assessment.organization.type.position,
            "inputs": c.file, "results": c.results, "total": c.result.total,
            "low": c.interval[0], "high": c.interval[1], "place": rating[c.assessment.pk].position,
            "insufficient": list(rating[c.assessment.pk].insufficient),
            "unmet": list(unmet.get(c.assessment.pk, ())), "exception": "",
        }
        for c in computed
    }


def frozen_rows(campaign: Campaign, personas: Any) -> dict[int, dict[str, Any]]:
    snapshot = services.campaign_close_fieldwork(campaign=campaign, user=personas.operator)
    columns = ("organization_id", "organization_name", "organization_type", "type_position",
               "inputs", "results", "total", "low", "high", "place", "insufficient", "unmet",
               "exception")
    return {row["assessment_id"]: {c: row[c] for c in columns}
            for row in snapshot.rows.values("assessment_id", *columns)}


class FreezeTests:
    def test_a_social_2018_snapshot_holds_what_compute_and_the_rating_give(
            self, personas, monkeypatch) -> None:
        """org_a ready, org_b short of the sample (ready_and_short_campaign); org_d part-filled
        with a logged control call and a complaints register; org_c a shelter of its own type
        with nothing recorded and no recipients — frozen two at a time."""
        monkeypatch.setattr(bridge, "FREEZE_CHUNK", 2)
        org_c = make_organization("ГБУ «Социальный приют»", short_name="Приют",
                                  type_name="Социальный приют", recipients_semi_stationary=0,
                                  recipients_home=0)
        org_d = make_organization("ГБУ «КЦСОН Ленинского района»", short_name="")
        campaign = ready_and_short_campaign(personas, also=(org_c, org_d))
        d = assessment_of(campaign, org_d)
        tick(d, "remote_channels", ["phone", "email"])
        tick(d, "disabled_premises", [], absent=["ramps"])
        for i in range(4):
            respond(d, **({"overall": "no", "disabled": "yes", "accessibility": "no"}
                          if i == 0 else {}))
        fieldwork.contact_create(assessment=d, user=None, kind="call", date=dt.date(2025, 4, 1),
                                 form="semi_stationary", answered=True, effective=True)
        fieldwork.complaints_set(assessment=d, user=None, form="home", registered=2, resolved=1)
        expected = computed_rows(campaign)

        frozen = frozen_rows(campaign, personas)

        assert frozen == expected
        by_name = {row["organization_name"]: row for row in frozen.values()}
        # the full name where there is no short one, as the rating names it
        lenin = by_name["ГБУ «КЦСОН Ленинского района»"]
        # the control log as the assessment file records it: the call on its form, the
        # register on its own, each with the form's recipients (60 and 140)
        assert lenin["inputs"]["control"] == {
            "semi_stationary": {"recipients": 60, "calls": {"received": 1, "effective": 1}},
            "home": {"recipients": 140, "complaints": {"registered": 2, "resolved": 1}},
        }
        # org_a is the only КЦСОН with a full sample: 10 respondents, minimum ceil(0.4 × 20) = 8
        assert by_name["КЦСОН Канавинского района"]["place"] == 1
        assert by_name["КЦСОН Сормовского района"]["place"] is None
        # org_b: no checklist of accessibility (3.1, 3.2) and no disabled respondent (3.3)
        assert by_name["КЦСОН Сормовского района"]["insufficient"] == [
            "нет значения критерия K3",
            "выборка меньше минимальной: опрошено 3, нужно не менее 80"]
        assert by_name["Приют"]["unmet"][-1] == (
            "в реестре не указано число получателей услуг: минимальная выборка не определена")
        assert by_name["Приют"]["total"] is None and by_name["Приют"]["insufficient"] == [
            "нет итогового значения"]

    def test_a_social_2014_snapshot_holds_what_compute_gives(self, personas) -> None:
        organizations = [make_organization(), make_organization(has_home=False, recipients_home=0)]
        campaign = make_campaign(organizations, slug="social-2014", user=personas.operator)
        first, second = (assessment_of(campaign, o) for o in organizations)
        fieldwork.values_update(assessment=first, user=None,
                                values={"0241000005": True, "0243000001": 20})
        fieldwork.values_update(assessment=second, user=None, values={"0241000005": False})
        fieldwork.contact_create(assessment=second, user=None, kind="call",
                                 date=dt.date(2025, 4, 1), form="semi_stationary",
                                 answered=True, effective=False)
        expected = computed_rows(campaign)

        frozen = frozen_rows(campaign, personas)

        assert frozen == expected
        # the call measured 0241000009: received 1, effective 0
        assert frozen[second.pk]["inputs"]["values"]["0241000009"] == {"asked": 1, "yes": 0}

    def test_the_frozen_figures_are_the_explained_ones_of_each_organization(self, personas) -> None:
        """``bridge.frozen`` of a social-2018 campaign against ``compute``, field by field."""
        campaign = ready_and_short_campaign(personas)
        a = assessment_of(campaign, personas.org_a)
        fill_all_checklists(a, premises=("ramps", "wheelchairs"))
        ids = sorted(campaign.assessments.values_list("pk", flat=True))
        explained = {c.assessment.pk: c for c in compute(ids)}
        [chunk] = list(bridge.frozen(campaign, ids))
        assert [f.assessment_id for f in chunk] == ids
        for f in chunk:
            c = explained[f.assessment_id]
            assert f.computed is None  # read from plain rows, not scored one by one
            assert f.inputs == c.file
            assert f.results == c.results
            assert f.figures.insufficient == c.insufficient
            assert f.observed == c.assessment.observed
