"""``headlines``: the total, its interval and the reasons for no place of many organizations,
identical — not merely close — to what ``score`` and ``rating_reasons`` give one at a time."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring.headline import Headline, headlines
from scoring.tests.helpers import example

M18 = scoring.load_methodology("social-2018")
M14 = scoring.load_methodology("social-2014")
FORMS = ("stationary", "semi_stationary", "home")
POLICIES = st.sampled_from(["renormalize", "zero"])


@st.composite
def counts(draw, most=60):
    asked = draw(st.integers(min_value=0, max_value=most))
    return scoring.Count(asked=asked, yes=draw(st.integers(min_value=0, max_value=asked)))


@st.composite
def organizations(draw):
    forms = tuple(draw(st.lists(st.sampled_from(FORMS), unique=True, max_size=3)))
    return scoring.OrganizationInfo("Орг", "КЦСОН", forms, draw(st.none() | st.integers(1, 400)))


@st.composite
def inputs_2018(draw):
    ratios = {}
    conditions = {}
    for checklist in M18.checklists:
        if draw(st.integers(0, 4)) == 0:
            continue  # not filled
        keys = [item.key for item in checklist.items]
        if checklist.kind == "items":
            required = draw(st.sampled_from([0, len(keys)]))
            ratios[checklist.key] = scoring.Ratio(required, draw(st.integers(0, required)))
        else:
            conditions[checklist.key] = frozenset(draw(st.lists(st.sampled_from(keys), unique=True)))
    answers = sorted({q.answer_key for q in M18.questions if q.answer_key})
    survey = {key: draw(counts()) for key in answers if draw(st.integers(0, 5)) > 0}
    return scoring.AssessmentInput(
        "social-2018", draw(organizations()), ratios, conditions, survey,
        draw(st.none() | st.integers(0, 200)))


def _value_of(draw, ind):
    kind = ind.kind
    if kind in ("share", "negative_share"):
        return draw(counts() | st.floats(0, 1))
    if kind == "score_0_1":
        return draw(st.floats(0, 1))
    if kind == "yes_no":
        return draw(st.booleans())
    if kind == "level3":
        return draw(st.sampled_from(["full", "partial", "none"]))
    if kind == "band":
        return draw(st.floats(0, 100))
    if kind == "waiting_minutes":
        return draw(st.floats(0, 120))
    assert kind == "complaints_per_100"
    return draw(st.floats(0, 20) | st.tuples(st.integers(0, 12), st.integers(1, 300)))


@st.composite
def inputs_2014(draw):
    values = {ind.key: _value_of(draw, ind) for ind in M14.indicators if draw(st.integers(0, 4)) > 0}
    return scoring.AssessmentInput(
        "social-2014", draw(organizations()), values=values,
        respondents=draw(st.none() | st.integers(0, 200)))


def expected(m, inp, policy) -> Headline:
    result = scoring.score(m, inp, empty_policy=policy)
    return Headline(result.total, result.intervals["total"], scoring.rating_reasons(m, inp, result))


class HeadlineTests:
    @settings(max_examples=300, deadline=None)
    @given(st.lists(inputs_2018(), min_size=1, max_size=4), POLICIES)
    def test_social_2018_headlines_equal_the_explained_scores(self, inputs, policy) -> None:
        assert headlines(M18, inputs, empty_policy=policy) == [
            expected(M18, inp, policy) for inp in inputs]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(inputs_2014(), min_size=1, max_size=4), POLICIES)
    def test_social_2014_headlines_equal_the_explained_scores(self, inputs, policy) -> None:
        assert headlines(M14, inputs, empty_policy=policy) == [
            expected(M14, inp, policy) for inp in inputs]

    def test_seed_001_gives_its_printed_total(self) -> None:
        # seed 001: K1..K5 = 100, 100, 68, 100, 100 -> (100 + 100 + 68 + 100 + 100) / 5 = 93.6
        [found] = headlines(M18, [scoring.parse_assessment(example("seed-001.json"))])
        assert found.total == pytest.approx(93.6)
        assert found.insufficient == ()

    def test_seed_003_gives_the_sum_of_its_printed_scores(self) -> None:
        # the scores printed by seed 003 add up to 42.75
        [found] = headlines(M14, [scoring.parse_assessment(example("seed-003-social-2014.json"))])
        assert found.total == pytest.approx(42.75)

    def test_an_unknown_policy_is_refused(self) -> None:
        with pytest.raises(scoring.InputError, match="empty_policy"):
            headlines(M18, [], empty_policy="ignore")

