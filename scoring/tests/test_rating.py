"""rate(): per type, descending, the policy's tie rule, «недостаточно данных» without a place;
rating_reasons(): who may not take a place under the methodology's policy."""

from __future__ import annotations

import pytest

import scoring
from scoring import RatingEntry, RatingPolicy, rate, rating_reasons
from scoring.tests.helpers import doc_2018

SHARED = RatingPolicy(ties="shared")
DISTINCT = RatingPolicy(ties="distinct")


def entry(key, value, name=None, org_type="КЦСОН", insufficient=()):
    return RatingEntry(key=key, name=name or key, type=org_type, value=value,
                       insufficient=insufficient)


class RateTests:
    def test_it_ranks_descending_with_positions_from_1(self):
        rows = rate([entry("a", 28.7), entry("b", 31.3), entry("c", 29.9)])
        assert [(r.position, r.key) for r in rows] == [(1, "b"), (2, "c"), (3, "a")]

    def test_distinct_ties_take_consecutive_places_in_name_order(self):
        # seed 004: two organizations with 29,90 take places 5 and 6
        rows = rate([entry("k1", 29.9, "Центр Б"), entry("k2", 29.9, "центр А"), entry("k3", 30.5)],
                    DISTINCT)
        assert [(r.position, r.name) for r in rows] == [(1, "k3"), (2, "центр А"), (3, "Центр Б")]

    def test_shared_ties_share_a_place_and_skip_the_next(self):
        rows = rate([entry("a", 90.0), entry("b", 85.5, "Б"), entry("c", 85.5, "А"), entry("d", 80.0)],
                    SHARED)
        assert [(r.position, r.name) for r in rows] == [(1, "a"), (2, "А"), (2, "Б"), (4, "d")]

    def test_float_noise_does_not_break_a_tie(self):
        rows = rate([entry("b", 68.00000000000001, "Б"), entry("a", 68.0, "А")], SHARED)
        assert [(r.position, r.name) for r in rows] == [(1, "А"), (1, "Б")]

    def test_it_ranks_each_type_separately_in_order_of_appearance(self):
        rows = rate([entry("a", 27.9, org_type="Дома ветеранов"), entry("b", 31.3),
                     entry("c", 29.7, org_type="Дома ветеранов")])
        assert [(r.type, r.position, r.key) for r in rows] == [
            ("Дома ветеранов", 1, "c"), ("Дома ветеранов", 2, "a"), ("КЦСОН", 1, "b")]

    def test_organizations_without_a_value_come_last_without_a_position(self):
        rows = rate([entry("a", None, "А"), entry("b", 10.0), entry("c", None, "В")])
        assert [(r.position, r.key) for r in rows] == [(1, "b"), (None, "a"), (None, "c")]
        assert rows[1].insufficient == ("нет итогового значения",)

    def test_an_organization_with_reasons_takes_no_place_even_with_the_highest_value(self):
        rows = rate([entry("top", 88.93, insufficient=("нет значения критериев K4, K5",)),
                     entry("b", 70.0), entry("c", 60.0)], SHARED)
        assert [(r.position, r.key) for r in rows] == [(1, "b"), (2, "c"), (None, "top")]
        assert not rows[2].rated and rows[2].insufficient == ("нет значения критериев K4, K5",)
        assert rows[2].to_dict()["group"] == "insufficient"
        assert rows[0].to_dict()["group"] == "rated"

    def test_an_empty_input_gives_an_empty_rating(self):
        assert rate([]) == []


def result_of(doc, methodology="social-2018"):
    m = scoring.load_methodology(methodology)
    inp = scoring.parse_assessment(doc)
    return m, inp, scoring.score(m, inp)


class RatingReasonsTests:
    def test_a_complete_organization_above_the_sample_minimum_may_take_a_place(self):
        # recipients 50 -> minimum ceil(0.4 × 50) = 20; 60 respondents
        assert rating_reasons(*result_of(doc_2018())) == ()

    def test_an_organization_without_any_survey_misses_the_survey_only_criteria(self):
        # no survey: K1 keeps 1.1 and 1.2, K2 keeps 2.1, K3 keeps 3.1 and 3.2; K4 and K5 are
        # survey-only and have no value at all
        doc = doc_2018(survey={"respondents": 0, "answers": {}})
        m, inp, result = result_of(doc)
        assert result.criteria["K4"] is None and result.criteria["K5"] is None
        assert result.total is not None  # the mean of K1-K3 exists, but must not rank
        assert rating_reasons(m, inp, result) == (
            "нет значения критериев K4, K5",
            "выборка меньше минимальной: опрошено 0, нужно не менее 20",
        )

    def test_below_the_sample_minimum_is_a_reason(self):
        # recipients 200 -> minimum ceil(0.4 × 200) = 80 > 60 respondents
        doc = doc_2018()
        doc["organization"]["recipients"] = 200
        assert rating_reasons(*result_of(doc)) == ("выборка меньше минимальной: опрошено 60, нужно не менее 80",)

    def test_unknown_recipients_leave_the_sample_unchecked(self):
        doc = doc_2018()
        doc["organization"]["recipients"] = None
        assert rating_reasons(*result_of(doc)) == ()

    @pytest.mark.parametrize(("policy", "expected"), [
        ({"missing_criterion": False, "below_sample": True},
         ("выборка меньше минимальной: опрошено 0, нужно не менее 20",)),
        ({"missing_criterion": True, "below_sample": False}, ("нет значения критериев K4, K5",)),
        ({"missing_criterion": False, "below_sample": False}, ()),
    ])
    def test_each_rule_can_be_switched_off_in_the_methodology(self, policy, expected):
        definition = scoring.builtin_definition("social-2018")
        definition["rating"] = {"ties": "shared", **policy}
        m = scoring.load_methodology(definition)
        doc = doc_2018(survey={"respondents": 0, "answers": {}})
        inp = scoring.parse_assessment(doc, methodology=m)
        assert rating_reasons(m, inp, scoring.score(m, inp)) == expected

    def test_a_criterion_that_does_not_apply_to_the_forms_is_not_missing(self):
        # social-2014: K3 (waiting time) is filled for semi-stationary and home service only;
        # a stationary organization has nothing to measure there
        m = scoring.load_methodology("social-2014")
        doc = {"format": 1, "methodology": "social-2014",
               "organization": {"name": "Дом-интернат", "type": "ДИ", "forms": ["stationary"]},
               "values": {ind.key: True for ind in m.indicators if ind.kind == "yes_no"}}
        inp = scoring.parse_assessment(doc)
        result = scoring.score(m, inp)
        assert result.criteria["K3"] is None
        assert "K3" not in scoring.missing_criteria(m, inp, result.indicators)

    def test_the_builtin_methodologies_state_their_tie_rules(self):
        assert scoring.load_methodology("social-2018").rating.ties == "shared"
        assert scoring.load_methodology("social-2014").rating.ties == "distinct"
        text = scoring.load_methodology("social-2014").rating.describe()
        assert "занимают разные места" in text and "недостаточно данных" in text
