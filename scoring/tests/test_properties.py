"""Properties over generated social-2018 inputs (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring.tests.helpers import ALL_CONDITIONS, ANSWERS

M = scoring.load_methodology("social-2018")


@st.composite
def counts(draw):
    asked = draw(st.integers(min_value=0, max_value=40))
    return scoring.Count(asked=asked, yes=draw(st.integers(min_value=0, max_value=asked)))


@st.composite
def ratios(draw):
    required = draw(st.integers(min_value=0, max_value=25))
    return scoring.Ratio(required=required, present=draw(st.integers(min_value=0, max_value=required)))


@st.composite
def inputs(draw):
    conditions = {
        key: frozenset(draw(st.lists(st.sampled_from(items), unique=True)))
        for key, items in ALL_CONDITIONS.items()
        if draw(st.booleans()) or key != "comfort_conditions"
    }
    survey = {key: draw(counts()) for key in ANSWERS if draw(st.integers(0, 9)) > 0}
    return scoring.AssessmentInput(
        methodology="social-2018",
        organization=scoring.OrganizationInfo("Орг", "КЦСОН", ("home",), None),
        ratios={"stand": draw(ratios()), "site": draw(ratios())},
        conditions=conditions,
        survey=survey,
        respondents=None,
    )


def figures(result):
    return [*result.indicators.values(), *result.criteria.values(), result.total]


class ScorePropertyTests:
    @settings(max_examples=200, deadline=None)
    @given(inputs(), st.sampled_from(["renormalize", "zero"]))
    def test_every_figure_is_within_0_and_100(self, inp, policy):
        result = scoring.score(M, inp, empty_policy=policy)
        for value in figures(result):
            assert value is None or 0 <= value <= 100 + 1e-9

    @settings(max_examples=200, deadline=None)
    @given(inputs(), st.sampled_from(sorted(ALL_CONDITIONS)), st.data())
    def test_adding_a_condition_never_lowers_a_score(self, inp, checklist, data):
        before = scoring.score(M, inp)
        present = inp.conditions.get(checklist, frozenset())
        extra = data.draw(st.sampled_from(ALL_CONDITIONS[checklist]))
        after = scoring.score(M, scoring.AssessmentInput(
            inp.methodology, inp.organization, inp.ratios,
            {**inp.conditions, checklist: present | {extra}}, inp.survey, inp.respondents))
        if checklist in inp.conditions:
            for key, value in before.indicators.items():
                if value is not None:
                    assert after.indicators[key] >= value - 1e-9

    @settings(max_examples=200, deadline=None)
    @given(inputs(), st.sampled_from(ANSWERS))
    def test_a_satisfied_respondent_never_lowers_a_score(self, inp, answer):
        before = scoring.score(M, inp)
        old = inp.survey.get(answer, scoring.Count(0, 0))
        new = scoring.Count(asked=old.asked + 1, yes=old.yes + 1)
        after = scoring.score(M, scoring.AssessmentInput(
            inp.methodology, inp.organization, inp.ratios, inp.conditions,
            {**inp.survey, answer: new}, inp.respondents))
        for key, value in before.indicators.items():
            if value is not None:
                assert after.indicators[key] >= value - 1e-9
        for key, value in before.criteria.items():
            if value is not None:
                assert after.criteria[key] >= value - 1e-9

    @settings(max_examples=200, deadline=None)
    @given(inputs())
    def test_a_criterion_is_the_renormalized_weighted_sum_of_its_indicators(self, inp):
        result = scoring.score(M, inp)
        for crit in M.criteria:
            kept = [(M.indicator(k).weight, result.indicators[k]) for k in crit.indicators
                    if result.indicators[k] is not None]
            if not kept:
                assert result.criteria[crit.key] is None
                continue
            expected = sum(w * v for w, v in kept) / sum(w for w, _ in kept)
            assert result.criteria[crit.key] == pytest.approx(expected)
        values = [v for v in result.criteria.values() if v is not None]
        if values:
            assert result.total == pytest.approx(sum(values) / len(values))
