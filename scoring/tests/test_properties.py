"""Properties over generated social-2018 inputs (hypothesis), their intervals and ratings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scoring
from scoring.tests.helpers import ALL_CONDITIONS, ANSWERS, example
from scoring.uncertainty import Z, interval, share_sd, source_sd, wilson

M = scoring.load_methodology("social-2018")
M14 = scoring.load_methodology("social-2014")


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


# -- uncertainty (METHODOLOGY.md §7) ------------------------------------------------------------


def scaled(inp, k):
    """The same input with every survey count × k: the same shares from k times the answers."""
    survey = {key: scoring.Count(c.asked * k, c.yes * k) for key, c in inp.survey.items()}
    return scoring.AssessmentInput(inp.methodology, inp.organization, inp.ratios, inp.conditions,
                                   survey, inp.respondents)


def with_recipients(inp, recipients):
    org = scoring.OrganizationInfo("Орг", "КЦСОН", ("home",), recipients)
    return scoring.AssessmentInput(inp.methodology, org, inp.ratios, inp.conditions, inp.survey,
                                   inp.respondents)


def width(bounds):
    return bounds[1] - bounds[0]


class IntervalPropertyTests:
    @settings(max_examples=200, deadline=None)
    @given(st.integers(min_value=1, max_value=10_000), st.data())
    def test_the_wilson_interval_contains_the_share(self, asked, data):
        yes = data.draw(st.integers(min_value=0, max_value=asked))
        lo, hi = wilson(yes, asked)
        assert 0 <= lo <= yes / asked <= hi <= 1

    @settings(max_examples=200, deadline=None)
    @given(st.integers(min_value=1, max_value=500), st.integers(min_value=2, max_value=20), st.data())
    def test_the_wilson_interval_narrows_as_n_grows_with_the_same_share(self, asked, k, data):
        yes = data.draw(st.integers(min_value=0, max_value=asked))
        assert width(wilson(yes * k, asked * k)) < width(wilson(yes, asked))

    @settings(max_examples=100, deadline=None)
    @given(inputs(), st.sampled_from(["renormalize", "zero"]), st.none() | st.integers(1, 80))
    def test_every_interval_contains_its_figure_and_stays_on_the_scale(self, inp, policy, recipients):
        result = scoring.score(M, with_recipients(inp, recipients), empty_policy=policy)
        values = {**result.indicators, **result.criteria, "total": result.total}
        assert set(values) == set(result.intervals)
        for key, value in values.items():
            bounds = result.intervals[key]
            if value is None:
                assert bounds is None
                continue
            assert 0 <= bounds[0] <= value <= bounds[1] <= 100
            if result.intervals_fpc is not None:
                lo, hi = result.intervals_fpc[key]
                # the corrected interval lies inside the plain one
                assert bounds[0] - 1e-9 <= lo <= value <= hi <= bounds[1] + 1e-9

    @settings(max_examples=100, deadline=None)
    @given(inputs(), st.none() | st.integers(1, 80))
    def test_the_total_interval_equals_the_formula_over_its_survey_counts(self, inp, recipients):
        # the result sums sds level by level; the reference sums coefficient × sd over every count
        result = scoring.score(M, with_recipients(inp, recipients))
        if result.total is None:
            return
        expected = interval(result.total, result.total_source)
        assert result.intervals["total"] == pytest.approx(expected)
        if recipients is not None:
            expected = interval(result.total, result.total_source, recipients)
            assert result.intervals_fpc["total"] == pytest.approx(expected)

    @settings(max_examples=100, deadline=None)
    @given(inputs(), st.integers(min_value=2, max_value=10))
    def test_every_interval_narrows_as_n_grows_with_the_same_shares(self, inp, k):
        before = scoring.score(M, inp)
        after = scoring.score(M, scaled(inp, k))
        for key, bounds in before.intervals.items():
            if bounds is not None:
                assert after.intervals[key] is not None
                assert width(after.intervals[key]) <= width(bounds) + 1e-9

    @settings(max_examples=100, deadline=None)
    @given(inputs())
    def test_the_responses_needed_are_the_fewest_that_reach_2_points(self, inp):
        result = scoring.score(M, inp)
        needed = scoring.responses_needed(result)
        if needed is None or needed == 0:
            return
        base = inp.respondents or max(c.asked for c in inp.survey.values())

        def half_width(extra):
            k = (base + extra) / base
            return Z * source_sd(result.total_source,
                                 lambda yes, asked: share_sd(yes * k, asked * k) or 0.0)

        assert half_width(needed) <= 2 < half_width(needed - 1)

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.tuples(st.sampled_from("AB"), st.floats(0, 100), st.floats(0, 30),
                              st.floats(0, 30)), min_size=1, max_size=12))
    def test_a_position_range_contains_the_place_given_by_the_rating(self, orgs):
        entries, intervals = [], {}
        for i, (org_type, value, below, above) in enumerate(orgs):
            key = f"o{i}"
            entries.append(scoring.RatingEntry(key, key, org_type, value))
            intervals[key] = (max(0.0, value - below), min(100.0, value + above))
        rows = scoring.rate(entries)
        ranges = scoring.position_ranges(rows, intervals)
        assert set(ranges) == {r.key for r in rows}
        for row in rows:
            best, worst = ranges[row.key]
            assert 1 <= best <= row.position <= worst <= sum(1 for r in rows if r.type == row.type)

    @settings(max_examples=50, deadline=None)
    @given(st.data())
    def test_social_2014_intervals_contain_their_scores(self, data):
        doc = example("seed-003-social-2014.json")
        for code, raw in doc["values"].items():
            if isinstance(raw, dict) and "asked" in raw:
                asked = data.draw(st.integers(min_value=0, max_value=60))
                doc["values"][code] = {"asked": asked, "yes": data.draw(st.integers(0, asked))}
        inp = scoring.parse_assessment(doc)
        result = scoring.score(M14, inp)
        tops = {"integral": len([v for v in result.indicators.values() if v is not None])}
        for crit in M14.criteria:
            tops[crit.key] = len([k for k in crit.indicators if result.indicators[k] is not None])
        values = {**result.indicators, **result.criteria, "integral": result.integral}
        for key, value in values.items():
            bounds = result.intervals[key]
            if value is None:
                assert bounds is None
            else:
                assert 0 <= bounds[0] <= value <= bounds[1] <= tops.get(key, 1)
