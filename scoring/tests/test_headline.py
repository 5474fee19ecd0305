"""``headlines``: the total, its interval and the reasons for no place of many organizations,
identical — not merely close — to what ``score`` and ``rating_reasons`` give one at a time;
``figures``: every figure and interval of them, identical in the same way."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring.headline import Figures, Headline, figures, headlines
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



def expected_figures(m, inp, policy) -> Figures:
    result = scoring.score(m, inp, empty_policy=policy)
    return Figures(dict(result.indicators), dict(result.criteria), result.total,
                   dict(result.intervals), scoring.rating_reasons(m, inp, result))


def _survey_shares_2018():
    """social-2018 with 1.1 a negative share given as a value (a survey count or a number), a
    value kind a criteria-100 methodology file may use (``share`` there reads the survey)."""
    definition = scoring.builtin_definition("social-2018")
    for indicator in (i for c in definition["criteria"] for i in c["indicators"]):
        if indicator["key"] == "1.1":
            indicator["kind"], indicator["params"] = "negative_share", {}
    return scoring.load_methodology(definition)


class FiguresTests:
    @settings(max_examples=300, deadline=None)
    @given(st.lists(inputs_2018(), min_size=1, max_size=4), POLICIES)
    def test_social_2018_figures_equal_the_explained_scores(self, inputs, policy) -> None:
        found = figures(M18, inputs, empty_policy=policy)
        assert found == [expected_figures(M18, inp, policy) for inp in inputs]
        # keyed in the same order too (a snapshot stores them as JSON)
        for got, inp in zip(found, inputs, strict=True):
            result = scoring.score(M18, inp, empty_policy=policy)
            assert list(got.intervals) == list(result.intervals)

    @settings(max_examples=100, deadline=None)
    @given(st.lists(inputs_2014(), min_size=1, max_size=4), POLICIES)
    def test_social_2014_figures_equal_the_explained_scores(self, inputs, policy) -> None:
        assert figures(M14, inputs, empty_policy=policy) == [
            expected_figures(M14, inp, policy) for inp in inputs]

    def test_seed_001_gives_its_printed_criteria_and_the_wilson_interval_of_a_share(self) -> None:
        inp = scoring.parse_assessment(example("seed-001.json"))
        [found] = figures(M18, [inp])
        # seed 001: K1..K5 = 100, 100, 68, 100, 100
        assert found.criteria == pytest.approx({"K1": 100, "K2": 100, "K3": 68, "K4": 100, "K5": 100})
        assert found.total == pytest.approx(93.6)
        # a single share rests on one survey count: Wilson's interval, not value ± z·sd
        result = scoring.score(M18, inp)
        single = [k for k, s in result.explain.items() if k in found.indicators
                  and found.intervals[k] is not None and found.intervals[k][0] != found.intervals[k][1]]
        assert single and all(found.intervals[k] == result.intervals[k] for k in single)

    @settings(max_examples=150, deadline=None)
    @given(st.data(), POLICIES)
    def test_shares_given_as_values_take_the_wilson_interval_mirrored_when_negative(
            self, data, policy) -> None:
        m = _survey_shares_2018()
        inputs = data.draw(st.lists(inputs_2018(), min_size=1, max_size=3))
        inputs = [scoring.AssessmentInput(
            inp.methodology, inp.organization, inp.ratios, inp.conditions, inp.survey,
            inp.respondents, values={"1.1": data.draw(st.none() | counts() | st.floats(0, 1))})
            for inp in inputs]
        assert figures(m, inputs, empty_policy=policy) == [
            expected_figures(m, inp, policy) for inp in inputs]

    def test_an_unknown_policy_is_refused(self) -> None:
        with pytest.raises(scoring.InputError, match="empty_policy"):
            figures(M18, [], empty_policy="ignore")
