"""The paths a national campaign's recompute takes: dense ids read as a range (rows of other
assessments dropped), the fieldwork mapped onto scoring's input once per methodology, and the
scores written in one statement — each giving exactly what the one-by-one path gives."""

from __future__ import annotations

import gc

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

import scoring
from nok.assessments.tests.factories import make_campaign, respond, tick
from nok.core import db
from nok.core.db import ids_where, upsert
from nok.organizations.tests.factories import make_organization
from nok.scores.bridge import InputMapper, collector_paused, compute
from nok.scores.models import Score
from nok.scores.refresh import scores_refresh
from nok.surveys.models import AnswerTally
from nok.surveys.selectors import SurveyTally, survey_counts
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment, make_response

M18 = scoring.load_methodology("social-2018")
ORG = scoring.OrganizationInfo("Орг", "КЦСОН", ("semi_stationary",), 40)


class IdsWhereTests:
    def test_a_run_of_ids_is_read_as_their_range(self) -> None:
        assert ids_where("pk", list(range(10, 110))) == Q(pk__gte=10, pk__lte=109)

    def test_ids_filling_half_of_their_range_are_still_a_range(self) -> None:
        ids = list(range(1, 129, 2))  # 64 ids over 1..127: 64 × 2 = 128 ≥ 127
        assert ids_where("pk", ids) == Q(pk__gte=1, pk__lte=127)

    def test_scattered_ids_are_listed(self) -> None:
        ids = list(range(1, 1000, 10))  # 100 ids over a range of 991
        assert ids_where("pk", ids) == Q(pk__in=ids)

    def test_a_few_ids_are_listed_even_side_by_side(self) -> None:
        assert ids_where("assessment_id", [5, 6, 7]) == Q(assessment_id__in=[5, 6, 7])

    def test_no_ids_select_nothing(self) -> None:
        assert ids_where("pk", []) == Q(pk__in=[])


@pytest.mark.django_db
class RangeReadTests:
    def test_survey_counts_over_a_range_leave_out_the_assessment_in_between(self, monkeypatch) -> None:
        monkeypatch.setattr(db, "DENSE_AT_LEAST", 2)
        first, between, last = make_assessment(), make_assessment(), make_assessment()
        assert first.pk < between.pk < last.pk
        make_response(first, {**ALL_YES_NO_SITE, "used_site": "yes", "info_site": "yes"})
        for _ in range(3):
            make_response(between, {**ALL_YES_NO_SITE, "used_site": "yes", "info_site": "yes"})
        make_response(last, {**ALL_YES_NO_SITE, "used_site": "yes", "info_site": "no"})
        with CaptureQueriesContext(connection) as queries:
            tallies = survey_counts([first.pk, last.pk])
        assert any('"assessment_id" >=' in q["sql"] for q in queries.captured_queries)
        assert set(tallies) == {first.pk, last.pk}
        assert (tallies[first.pk].respondents, tallies[first.pk].answers["info_site"]) == (1, (1, 1))
        assert (tallies[last.pk].respondents, tallies[last.pk].answers["info_site"]) == (1, (1, 0))

    def test_a_recompute_over_a_range_keeps_the_current_score_in_between(self, monkeypatch) -> None:
        monkeypatch.setattr(db, "DENSE_AT_LEAST", 2)
        campaign = make_campaign([make_organization() for _ in range(4)])
        a, b, c, d = campaign.assessments.order_by("pk")
        for i, assessment in enumerate((a, b, c, d)):
            for _ in range(i + 1):
                respond(assessment, overall="no")
        assert scores_refresh(campaign=campaign) == 4
        kept = Score.objects.get(assessment=c)
        for assessment in (a, b, d):
            tick(assessment, "remote_channels", ["phone", "email"])
        assert scores_refresh(campaign=campaign) == 3  # a..d read as a range, c dropped
        assert Score.objects.get(assessment=c).computed_at == kept.computed_at
        stored = {s.assessment_id: (s.total, s.low, s.high, tuple(s.insufficient))
                  for s in Score.objects.filter(assessment__campaign=campaign)}
        full = {x.assessment.pk: (x.result.total, *x.interval, x.insufficient)
                for x in compute([a.pk, b.pk, c.pk, d.pk])}
        assert stored == full


class InputMapperTests:
    stand = [item.key for item in M18.checklist("stand").items]

    def test_an_items_list_becomes_present_of_required_naming_the_missing_in_list_order(self) -> None:
        observed = {"stand": {"present": [self.stand[3], self.stand[0], "retired_item"]}}
        inp = InputMapper(M18)(organization=ORG, observed=observed, tally=None, values={})
        missing = tuple(k for k in self.stand if k not in (self.stand[0], self.stand[3]))
        assert inp.ratios == {"stand": scoring.Ratio(required=14, present=2, missing=missing)}

    def test_a_complete_list_misses_nothing(self) -> None:
        inp = InputMapper(M18)(organization=ORG, observed={"stand": {"present": self.stand}},
                               tally=None, values={})
        assert inp.ratios["stand"] == scoring.Ratio(required=14, present=14, missing=())

    def test_conditions_become_the_ticked_keys_and_an_unfilled_list_is_left_out(self) -> None:
        observed = {"remote_channels": {"present": ["phone", "email", "pigeon"]}}
        inp = InputMapper(M18)(organization=ORG, observed=observed, tally=None, values={})
        assert inp.conditions == {"remote_channels": frozenset({"phone", "email"})}
        assert inp.ratios == {}

    def test_equal_counts_of_two_organizations_are_one_shared_count(self) -> None:
        mapper = InputMapper(M18)
        first = mapper(organization=ORG, observed={}, values={},
                       tally=SurveyTally(12, {"info_stand": (10, 9), "overall": (12, 9)}))
        second = mapper(organization=ORG, observed={}, values={},
                        tally=SurveyTally(10, {"info_stand": (10, 9)}))
        assert first.survey["info_stand"] == scoring.Count(asked=10, yes=9)
        assert first.survey["info_stand"] is second.survey["info_stand"]
        assert first.survey["overall"] == scoring.Count(asked=12, yes=9)
        assert (first.respondents, second.respondents) == (12, 10)

    def test_without_a_tally_there_is_no_survey(self) -> None:
        inp = InputMapper(M18)(organization=ORG, observed={}, tally=None, values={})
        assert (inp.survey, inp.respondents) == ({}, None)


@pytest.mark.django_db
class UpsertTests:
    # PostgreSQL sends a few rows as arrays and many by COPY: both ways, with a threshold of 1.
    @pytest.mark.parametrize("copy_at_least", [1, 1000])
    def test_rows_are_inserted_then_their_columns_set_or_added(self, copy_at_least,
                                                               monkeypatch) -> None:
        monkeypatch.setattr(db, "COPY_AT_LEAST", copy_at_least)
        assessment = make_assessment()
        keys = ("assessment_id", "status", "question", "value")
        assert upsert(AnswerTally, keys, ("n",), [
            (assessment.pk, "ok", "overall", "yes", 2), (assessment.pk, "ok", "overall", "no", 1),
        ]) == 2
        upsert(AnswerTally, keys, ("n",), [(assessment.pk, "ok", "overall", "yes", 3)], add=True)
        upsert(AnswerTally, keys, ("n",), [(assessment.pk, "ok", "overall", "no", 7)])
        assert dict(AnswerTally.objects.filter(assessment=assessment)
                    .values_list("value", "n")) == {"yes": 5, "no": 7}  # 2 + 3; set to 7

    def test_two_writes_in_one_transaction_do_not_mix(self, monkeypatch) -> None:
        monkeypatch.setattr(db, "COPY_AT_LEAST", 1)
        first, second = make_assessment(), make_assessment()
        keys = ("assessment_id", "status", "question", "value")
        with transaction.atomic():
            upsert(AnswerTally, keys, ("n",), [(first.pk, "ok", "overall", "yes", 2)])
            upsert(AnswerTally, keys, ("n",), [(second.pk, "ok", "overall", "yes", 3)], add=True)
        assert sorted(AnswerTally.objects.values_list("assessment_id", "n")) == [
            (first.pk, 2), (second.pk, 3)]

    def test_no_rows_write_nothing(self) -> None:
        assert upsert(AnswerTally, ("assessment_id", "status", "question", "value"), ("n",),
                      []) == 0


class CollectorPausedTests:
    def test_the_collector_is_off_inside_and_on_again_after_even_on_an_error(self) -> None:
        assert gc.isenabled()
        with pytest.raises(ZeroDivisionError), collector_paused():
            assert not gc.isenabled()
            1 / 0  # noqa: B018
        assert gc.isenabled()

    def test_a_collector_that_was_off_stays_off(self) -> None:
        gc.disable()
        try:
            with collector_paused():
                pass
            assert not gc.isenabled()
        finally:
            gc.enable()
