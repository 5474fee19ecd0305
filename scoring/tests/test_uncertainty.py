"""95 % intervals (METHODOLOGY.md §7): hand-worked cases, boundaries, position ranges, sample size.

Constants used in the arithmetic below: z = 1.959963984540054, z² = 3.841458820694124,
z²/2 = 1.920729410347062.
"""

from __future__ import annotations

import math

import pytest

import scoring
from scoring import uncertainty
from scoring.tests.helpers import ANSWERS, doc_2018, example, score_doc
from scoring.uncertainty import Z, fpc, share_sd, wilson

Z2 = Z * Z


def survey(respondents: int, recipients: int | None = None, **counts: tuple[int, int] | None) -> dict:
    """doc_2018 with every answer 20 of 20 unless given; None removes an answer."""
    doc = doc_2018()
    doc["organization"]["recipients"] = recipients
    doc["survey"]["respondents"] = respondents
    for key, pair in counts.items():
        if pair is None:
            del doc["survey"]["answers"][key]
        else:
            doc["survey"]["answers"][key] = {"asked": pair[0], "yes": pair[1]}
    return doc


class WilsonTests:
    def test_it_gives_the_wilson_interval_of_24_of_30(self):
        # p = 0.8, n = 30: 1 + z²/n = 1 + 3.841459/30 = 1.128049
        # c = (0.8 + 3.841459/60) / 1.128049 = 0.864024 / 1.128049 = 0.765946
        # h = 1.959964 / 1.128049 × sqrt(0.16/30 + 3.841459/3600)
        #   = 1.737482 × sqrt(0.0053333 + 0.0010671) = 1.737482 × 0.0800025 = 0.139003
        # [0.765946 − 0.139003, 0.765946 + 0.139003] = [0.626943, 0.904949]
        lo, hi = wilson(24, 30)
        assert lo == pytest.approx(0.626943, abs=1e-6)
        assert hi == pytest.approx(0.904949, abs=1e-6)

    def test_0_of_n_starts_at_0(self):
        # p = 0: c = h = (z²/2n) / (1 + z²/n) = 0.192073 / 1.384146 = 0.138766, so [0, 2c]
        lo, hi = wilson(0, 10)
        assert lo == 0
        assert hi == pytest.approx(0.277533, abs=1e-6)

    def test_n_of_n_ends_at_1_and_mirrors_0_of_n(self):
        # p = 1 is p = 0 seen from the other side: [1 − 0.277533, 1]
        lo, hi = wilson(10, 10)
        assert lo == pytest.approx(1 - 0.277533, abs=1e-6)
        assert hi == 1

    @pytest.mark.parametrize(("yes", "expected"), [
        # n = 1, p = 1: c = (1 + z²/2)/(1 + z²) = 2.920729/4.841459 = 0.603275,
        #   h = z/(1 + z²) × sqrt(z²/4) = z²/(2 × 4.841459) = 3.841459/9.682918 = 0.396725
        #   → [0.206549, 1]
        (1, (0.206549, 1.0)),
        # n = 1, p = 0: mirrored → [0, 0.793451]
        (0, (0.0, 0.793451)),
    ])
    def test_one_respondent_gives_a_wide_interval(self, yes, expected):
        lo, hi = wilson(yes, 1)
        assert (lo, hi) == (pytest.approx(expected[0], abs=1e-6), pytest.approx(expected[1], abs=1e-6))

    def test_nobody_asked_has_no_interval(self):
        assert wilson(0, 0) is None
        assert share_sd(0, 0) is None


class StandardDeviationTests:
    def test_it_gives_the_agresti_coull_sd_of_24_of_30(self):
        # ñ = 30 + 3.841459 = 33.841459; p̃ = (24 + 1.920729)/33.841459 = 0.765946
        # sd = sqrt(0.765946 × 0.234054 / 33.841459) = sqrt(0.005297) = 0.072783
        assert share_sd(24, 30) == pytest.approx(0.072783, abs=1e-6)

    def test_all_yes_still_has_a_spread(self):
        # ñ = 23.841459; p̃ = 21.920729/23.841459 = 0.919438; sd = sqrt(0.919438 × 0.080562 / 23.841459)
        #   = sqrt(0.003107) = 0.055739
        assert share_sd(20, 20) == pytest.approx(0.055739, abs=1e-6)

    @pytest.mark.parametrize(("asked", "population", "factor"), [
        (30, 50, math.sqrt(20 / 49)),  # sqrt((50 − 30)/(50 − 1)) = 0.638877
        (20, 50, math.sqrt(30 / 49)),  # 0.782461
        (50, 50, 0.0),  # everybody answered: exact
        (60, 50, 0.0),  # more answers than recipients (stale register): exact, never negative
        (1, 2, 1.0),  # sqrt((2 − 1)/(2 − 1))
        (30, None, 1.0),  # recipients unknown: no correction
    ])
    def test_the_finite_population_factor(self, asked, population, factor):
        assert fpc(asked, population) == pytest.approx(factor)


class SingleShareScoreTests:
    def test_a_share_indicator_takes_the_wilson_interval_in_points(self):
        # 2.2 = 24/30 × 100 = 80; Wilson × 100 = [62.6943, 90.4949]
        result = score_doc(survey(30, timely=(30, 24)))
        lo, hi = result.intervals["2.2"]
        assert result.indicators["2.2"] == pytest.approx(80)
        assert (lo, hi) == (pytest.approx(62.6943, abs=1e-4), pytest.approx(90.4949, abs=1e-4))

    def test_the_interval_is_in_the_explanation_in_russian(self):
        result = score_doc(survey(30, timely=(30, 24)))
        assert "95 % доверительный интервал: 62,7–90,5" in result.explain["2.2"].note

    def test_observation_indicators_are_exact(self):
        result = score_doc(example("seed-001.json"))
        for key in ("1.1", "1.2", "2.1", "3.1", "3.2"):
            value = result.indicators[key]
            assert result.intervals[key] == (value, value)
            assert result.sd[key] == 0
            assert "интервал" not in result.explain[key].note

    def test_an_empty_denominator_has_no_interval(self):
        result = score_doc(survey(30, accessibility=(0, 0)))
        assert result.indicators["3.3"] is None
        assert result.intervals["3.3"] is None
        assert result.sd["3.3"] is None

    def test_under_the_zero_policy_an_empty_share_is_an_exact_0(self):
        result = score_doc(survey(30, accessibility=(0, 0)), policy="zero")
        assert result.indicators["3.3"] == 0
        assert result.intervals["3.3"] == (0, 0)


class CompositeTests:
    def test_1_3_with_both_parts_takes_the_mean_of_the_sds(self):
        # 1.3 = 0.5 × (24/30 + 20/20) × 100 = 90
        # sd = (7.2783 + 5.5739) / 2 = 6.4261 points; z·sd = 1.959964 × 6.4261 = 12.5949
        # [90 − 12.5949, 90 + 12.5949] = [77.4051, 102.59] → clipped [77.4051, 100]
        result = score_doc(survey(30, info_stand=(30, 24), info_site=(20, 20)))
        assert result.indicators["1.3"] == pytest.approx(90)
        assert result.sd["1.3"] == pytest.approx(6.4261, abs=1e-4)
        lo, hi = result.intervals["1.3"]
        assert lo == pytest.approx(77.4051, abs=1e-4)
        assert hi == 100

    def test_1_3_with_one_part_left_is_still_composite_not_wilson(self):
        # nobody used the site: 1.3 = 24/30 × 100 = 80, k = 1, sd = 7.2783
        # 80 ± 1.959964 × 7.2783 = 80 ± 14.2652 → [65.7348, 94.2652]  (Wilson would be 62.69–90.50)
        result = score_doc(survey(30, info_stand=(30, 24), info_site=(0, 0)))
        lo, hi = result.intervals["1.3"]
        assert (lo, hi) == (pytest.approx(65.7348, abs=1e-4), pytest.approx(94.2652, abs=1e-4))

    def test_1_3_under_the_zero_policy_divides_by_both_parts(self):
        # 1.3 = 0.5 × (24/30 + 0) × 100 = 40; sd = (7.2783 + 0) / 2 = 3.63917
        # 40 ± 1.959964 × 3.63917 = 40 ± 7.1327 → [32.8673, 47.1327]
        result = score_doc(survey(30, info_stand=(30, 24), info_site=(0, 0)), policy="zero")
        assert result.indicators["1.3"] == pytest.approx(40)
        lo, hi = result.intervals["1.3"]
        assert (lo, hi) == (pytest.approx(32.8673, abs=1e-4), pytest.approx(47.1327, abs=1e-4))

    def test_a_criterion_adds_the_weighted_sds(self):
        # K2 = 0.3 × 100 + 0.4 × 80 + 0.3 × 100 = 92 (2.1 observed: sd 0; 2.2 = 24/30; 2.3 = 20/20)
        # sd = 0.3 × 0 + 0.4 × 7.2783 + 0.3 × 5.5739 = 2.9113 + 1.6722 = 4.5835
        # 92 ± 1.959964 × 4.5835 = 92 ± 8.9835 → [83.0165, 100.98] → clipped [83.0165, 100]
        result = score_doc(survey(30, timely=(30, 24)))
        assert result.criteria["K2"] == pytest.approx(92)
        assert result.sd["K2"] == pytest.approx(4.5835, abs=1e-4)
        lo, hi = result.intervals["K2"]
        assert lo == pytest.approx(83.0165, abs=1e-4)
        assert hi == 100

    def test_an_excluded_indicator_drops_out_and_the_weights_are_renormalized(self):
        # 2.3 nobody asked: K2 = (0.3 × 100 + 0.4 × 80) / 0.7 = 88.5714
        # w' = 0.4/0.7 = 0.571429 for 2.2; sd = 0.571429 × 7.278344 = 4.159054
        # 88.571429 ± 1.959964 × 4.159054 = 88.571429 ± 8.151596 → [80.419833, 96.723025]
        result = score_doc(survey(30, timely=(30, 24), comfort=(0, 0)))
        assert result.criteria["K2"] == pytest.approx(88.5714, abs=1e-4)
        lo, hi = result.intervals["K2"]
        assert (lo, hi) == (pytest.approx(80.4198, abs=1e-4), pytest.approx(96.7230, abs=1e-4))

    def test_a_criterion_of_observation_only_is_exact(self):
        # disabled respondents none: 3.3 excluded, K3 = (0.3 × 100 + 0.4 × 100) / 0.7 = 100
        result = score_doc(survey(30, accessibility=(0, 0)))
        assert result.intervals["K3"] == (result.criteria["K3"], result.criteria["K3"])

    def test_the_total_is_the_mean_of_the_criteria_sds(self):
        # all answers 20/20 (sd 5.5739) except 2.2 = 24/30 (sd 7.2783); every weight as in §2:
        # K1: 1.3 = mean of two 20/20 → sd 5.5739; K1 sd = 0.4 × 5.5739 = 2.2296
        # K2: 0.4 × 7.2783 + 0.3 × 5.5739 = 4.5835
        # K3: 0.3 × 5.5739 = 1.6722
        # K4: (0.4 + 0.4 + 0.2) × 5.5739 = 5.5739; K5: (0.3 + 0.2 + 0.5) × 5.5739 = 5.5739
        # total sd = (2.2296 + 4.5835 + 1.6722 + 5.5739 + 5.5739) / 5 = 19.6331 / 5 = 3.92662
        # total = (100 + 92 + 100 + 100 + 100) / 5 = 98.4; 98.4 − 1.959964 × 3.92662 = 90.7040
        result = score_doc(survey(30, timely=(30, 24)))
        assert result.total == pytest.approx(98.4)
        assert result.sd["total"] == pytest.approx(3.92662, abs=1e-4)
        assert result.intervals["total"] == (pytest.approx(90.7040, abs=1e-3), 100)

    def test_a_whole_criterion_excluded_has_no_interval_and_leaves_the_mean(self):
        # K4 has no answers: K4 None; total = mean of 4 criteria, sd = (2.2296 + 4.5835 + 1.6722
        #   + 5.5739) / 4 = 14.0592 / 4 = 3.5148; total = (100 + 92 + 100 + 100) / 4 = 98
        # 98 − 1.959964 × 3.5148 = 98 − 6.8889 = 91.1111
        doc = survey(30, timely=(30, 24), courtesy_first_contact=None, courtesy_service=None,
                     courtesy_remote=None)
        result = score_doc(doc)
        assert result.criteria["K4"] is None
        assert result.intervals["K4"] is None
        assert result.total == pytest.approx(98)
        assert result.intervals["total"][0] == pytest.approx(91.1111, abs=1e-3)

    def test_every_figure_has_an_interval_key(self):
        result = score_doc(example("seed-001.json"))
        assert set(result.intervals) == set(result.explain)


class FinitePopulationTests:
    def test_a_single_share_is_shrunk_towards_the_estimate(self):
        # N = 50 recipients, 24 of 30: f = sqrt(20/49) = 0.638877
        # Wilson [62.6943, 90.4949] around 80: 80 − 0.638877 × 17.3057 = 68.9438,
        #   80 + 0.638877 × 10.4949 = 86.7049
        result = score_doc(survey(30, recipients=50, timely=(30, 24)))
        lo, hi = result.intervals_fpc["2.2"]
        assert (lo, hi) == (pytest.approx(68.9438, abs=1e-3), pytest.approx(86.7049, abs=1e-3))
        assert "с поправкой на число получателей услуг, 50: 68,9–86,7" in result.explain["2.2"].note

    def test_a_criterion_corrects_each_share_then_adds(self):
        # K2 with N = 50: 2.2 sd 7.2783 × 0.638877 = 4.64995; 2.3 (20 of 20) sd 5.5739 × sqrt(30/49)
        #   = 5.5739 × 0.782461 = 4.36137; sd = 0.4 × 4.64995 + 0.3 × 4.36137 = 3.16839
        # 92 ± 1.959964 × 3.16839 = 92 ± 6.20993 → [85.7901, 98.2099]
        result = score_doc(survey(30, recipients=50, timely=(30, 24)))
        lo, hi = result.intervals_fpc["K2"]
        assert (lo, hi) == (pytest.approx(85.7901, abs=1e-3), pytest.approx(98.2099, abs=1e-3))

    def test_a_survey_of_every_recipient_is_exact(self):
        result = score_doc(survey(30, recipients=30, timely=(30, 24)))
        assert result.intervals_fpc["2.2"] == (pytest.approx(80), pytest.approx(80))

    def test_unknown_recipients_give_no_corrected_intervals(self):
        result = score_doc(survey(30, recipients=None))
        assert result.intervals_fpc is None
        assert result.to_dict()["intervals_fpc"] is None


class Social2014Tests:
    def test_the_negative_share_takes_1_minus_the_interval_of_its_share(self):
        # 0243000002: 6 of 30 waited too long, share 0.2, score 0.8
        # Wilson(6, 30) mirrors Wilson(24, 30): [0.095051, 0.373057]; score [1 − 0.373057, 1 − 0.095051]
        doc = example("seed-003-social-2014.json")
        doc["values"]["0243000002"] = {"asked": 30, "yes": 6}
        result = score_doc(doc)
        assert result.indicators["0243000002"] == pytest.approx(0.8)
        lo, hi = result.intervals["0243000002"]
        assert (lo, hi) == (pytest.approx(0.626943, abs=1e-6), pytest.approx(0.904949, abs=1e-6))

    def test_the_integral_adds_the_sds_of_its_shares(self):
        # seed 003: 21 codes given as counts, each 30 of 30 (the negative share too: all 30
        # waited longer, so its score is 1 − 30/30 = 0), each with sd: ñ = 33.841459,
        #   p̃ = 31.920729/33.841459 = 0.943243, sd = sqrt(0.943243 × 0.056757 / 33.841459)
        #   = 0.0397737 (the same for 30 of 30 and 0 of 30)
        # integral sd = 21 × 0.0397737 = 0.835247; z·sd = 1.637057
        # 42.75 − 1.637057 = 41.1129; 42.75 + 1.637057 = 44.387 → clipped to 44 scores counted
        result = score_doc(example("seed-003-social-2014.json"))
        assert result.sd["integral"] == pytest.approx(0.835247, abs=1e-5)
        assert result.intervals["integral"] == (pytest.approx(41.1129, abs=1e-3), 44)
        assert result.intervals["total"] == result.intervals["integral"]

    def test_a_criterion_sum_adds_the_sds_of_its_shares(self):
        # K2 of seed 003: 3 level3 + 2 yes/no (exact) + 0242000007 = 0.95 (typed, exact)
        #   + 0242000006, 0242000008 (30 of 30): sum 7.95, sd = 2 × 0.0397737 = 0.0795474
        # 7.95 − 1.959964 × 0.0795474 = 7.95 − 0.155910 = 7.79409; top = 8 scores
        result = score_doc(example("seed-003-social-2014.json"))
        assert result.criteria["K2"] == pytest.approx(7.95)
        assert result.intervals["K2"] == (pytest.approx(7.79409, abs=1e-4), 8)

    def test_a_share_typed_as_a_number_is_exact(self):
        result = score_doc(example("seed-003-social-2014.json"))
        assert result.intervals["0241000009"] == (1, 1)

    def test_a_code_not_filled_for_the_forms_has_no_interval(self):
        result = score_doc(example("seed-003-social-2014.json"))
        assert result.intervals["02450000013"] is None

    def test_the_interval_is_in_the_explanation_with_two_decimals(self):
        result = score_doc(example("seed-003-social-2014.json"))
        assert "95 % доверительный интервал: 41,11–44,00" in result.explain["integral"].note

    def test_the_methodology_files_state_the_rule(self):
        for name in ("social-2014", "social-2018"):
            text = scoring.load_methodology(name).uncertainty
            assert "Уилсона" in text and "Агрести" in text and "худший случай" in text


class ResultDictTests:
    def test_it_prints_intervals_as_lists_and_null_for_excluded_figures(self):
        data = score_doc(survey(30, timely=(30, 24), accessibility=(0, 0))).to_dict()
        assert data["intervals"]["3.3"] is None
        assert data["intervals"]["3.1"] == [100, 100]
        lo, hi = data["intervals"]["2.2"]
        assert lo == pytest.approx(62.6943, abs=1e-4) and hi == pytest.approx(90.4949, abs=1e-4)
        assert set(data["intervals"]) == {*data["indicators"], *data["criteria"], "total"}


class Row:
    def __init__(self, org_type: str, key: str, position: int | None) -> None:
        self.type, self.key, self.position = org_type, key, position


class PositionRangeTests:
    # Type «КЦСОН», four rated organizations and one without a place:
    #   a 85 [80, 90], b 83 [78, 88], c 65 [60, 70], d 50 [40, 62], e no value
    ROWS = [("КЦСОН", "a", 1), ("КЦСОН", "b", 2), ("КЦСОН", "c", 3), ("КЦСОН", "d", 4),
            ("КЦСОН", "e", None)]
    INTERVALS = {"a": (80.0, 90.0), "b": (78.0, 88.0), "c": (60.0, 70.0), "d": (40.0, 62.0),
                 "e": None}

    def test_it_gives_best_and_worst_positions(self):
        # n = 4 rated.
        # a: best 1 + #{l > 90} = 1; worst 4 − #{u < 80} (c 70, d 62) = 2
        # b: best 1 + #{l > 88} = 1; worst 4 − #{u < 78} (c, d) = 2
        # c: best 1 + #{l > 70} (a 80, b 78) = 3; worst 4 − #{u < 60} = 4 (d reaches 62)
        # d: best 1 + #{l > 62} (a, b) = 3 (c starts at 60); worst 4
        ranges = scoring.position_ranges(self.ROWS, self.INTERVALS)
        assert ranges == {"a": (1, 2), "b": (1, 2), "c": (3, 4), "d": (3, 4)}

    def test_two_organizations_that_cannot_be_told_apart_share_a_group(self):
        ranges = scoring.position_ranges(self.ROWS, self.INTERVALS)
        groups = scoring.indistinguishable_groups(self.ROWS, ranges)
        assert groups == {"a": 1, "b": 1, "c": 2, "d": 2}

    def test_separated_intervals_give_single_places(self):
        rows = [Row("Дом-интернат", "x", 1), Row("Дом-интернат", "y", 2)]
        ranges = scoring.position_ranges(rows, {"x": (90.0, 95.0), "y": (70.0, 80.0)})
        assert ranges == {"x": (1, 1), "y": (2, 2)}
        assert scoring.indistinguishable_groups(rows, ranges) == {"x": 1, "y": 2}

    def test_types_are_ranged_separately(self):
        rows = [Row("A", "x", 1), Row("B", "y", 1)]
        ranges = scoring.position_ranges(rows, {"x": (10.0, 90.0), "y": (10.0, 90.0)})
        assert ranges == {"x": (1, 1), "y": (1, 1)}

    def test_equal_exact_values_share_both_places(self):
        # two observation-only totals of 70: neither lies strictly above the other
        rows = [Row("A", "x", 1), Row("A", "y", 2)]
        ranges = scoring.position_ranges(rows, {"x": (70.0, 70.0), "y": (70.0, 70.0)})
        assert ranges == {"x": (1, 2), "y": (1, 2)}

    def test_float_noise_does_not_separate_equal_totals(self):
        # 68 and 68.00000000000001 (0.3 × 20 + 0.4 × 80 + 0.3 × 100 in floats) are one value
        rows = [Row("A", "x", 1), Row("A", "y", 2)]
        ranges = scoring.position_ranges(rows, {"x": (68.0, 68.0), "y": (68.00000000000001,) * 2})
        assert ranges == {"x": (1, 2), "y": (1, 2)}

    def test_a_chain_of_overlaps_is_one_group(self):
        # p [80, 90], q [75, 82], r [70, 77]: p overlaps q, q overlaps r, p does not overlap r
        # p (1, 2), q (1, 3), r (2, 3): one group
        rows = [Row("A", "p", 1), Row("A", "q", 2), Row("A", "r", 3)]
        ranges = scoring.position_ranges(rows, {"p": (80.0, 90.0), "q": (75.0, 82.0), "r": (70.0, 77.0)})
        assert ranges == {"p": (1, 2), "q": (1, 3), "r": (2, 3)}
        assert set(scoring.indistinguishable_groups(rows, ranges).values()) == {1}

    def test_a_rated_row_without_interval_gets_no_range_and_widens_the_others(self):
        rows = [Row("A", "x", 1), Row("A", "y", 2), Row("A", "z", 3)]
        ranges = scoring.position_ranges(rows, {"x": (90.0, 95.0), "y": (70.0, 80.0)})
        # z unknown: it may be anywhere, so x is (1, 3 − #{u < 90} = 3 − 1 = 2)
        assert ranges == {"x": (1, 2), "y": (2, 3)}

    def test_it_works_on_the_rows_of_scoring_rate(self):
        entries = [scoring.RatingEntry("a", "А", "T", 85.0), scoring.RatingEntry("c", "В", "T", 65.0),
                   scoring.RatingEntry("b", "Б", "T", 83.0)]
        rows = scoring.rate(entries)
        ranges = scoring.position_ranges(rows, self.INTERVALS)
        assert ranges == {"a": (1, 2), "b": (1, 2), "c": (3, 3)}


class ResponsesNeededTests:
    def test_it_computes_how_many_more_respondents_narrow_the_total_to_2_points(self):
        # Only «timely» is answered (50 of R = 50 respondents, 25 yes, p = 0.5); every other
        # survey indicator is excluded. K2 = (0.3 × 100 + 0.4 × 50)/0.7; w'(2.2) = 0.4/0.7.
        # K4, K5 have no value; total = (K1 + K2 + K3)/3 → sd_T = (0.4/0.7)/3 × 100 × sd
        #   = 19.047619 × sd, and p̃ = 0.5 for any scale, so sd = 0.5 / sqrt(n + z²).
        # z × 19.047619 × 0.5 / sqrt(n + z²) ≤ 2 ⇔ sqrt(n + z²) ≥ 1.959964 × 9.523810 / 2 = 9.333162
        #   ⇔ n ≥ 87.107913 − 3.841459 = 83.266454; n = 50 × (50 + e)/50 = 50 + e → e = 34
        answers = {key: None for key in ANSWERS if key != "timely"}
        result = score_doc(survey(50, timely=(50, 25), **answers))
        assert scoring.responses_needed(result) == 34

    def test_the_answer_is_the_smallest_that_reaches_the_target(self):
        result = score_doc(survey(30, timely=(30, 24)))
        needed = scoring.responses_needed(result)
        assert needed is not None and needed > 0

        def half_width(extra: int) -> float:
            k = (30 + extra) / 30
            return Z * uncertainty.source_sd(
                result.total_source, lambda yes, asked: share_sd(yes * k, asked * k) or 0.0)

        assert half_width(needed) <= 2 < half_width(needed - 1)

    def test_a_large_survey_needs_none_more(self):
        doc = survey(5000)
        doc["survey"]["answers"] = {k: {"asked": 5000, "yes": 4000} for k in ANSWERS}
        assert scoring.responses_needed(score_doc(doc)) == 0

    def test_without_survey_answers_more_responses_change_nothing(self):
        doc = survey(0)
        doc["survey"]["answers"] = {}
        assert scoring.responses_needed(score_doc(doc)) is None

    def test_it_uses_the_largest_count_when_respondents_are_not_given(self):
        doc = survey(50, timely=(50, 25), **{key: None for key in ANSWERS if key != "timely"})
        del doc["survey"]["respondents"]
        assert scoring.responses_needed(score_doc(doc)) == 34

    def test_it_gives_up_beyond_the_limit(self):
        result = score_doc(survey(30, timely=(30, 24)))
        assert scoring.responses_needed(result, half_width=0.001, limit=1000) is None


class FormatTests:
    @pytest.mark.parametrize(("value", "bounds", "text"), [
        (83.4, (78.1, 88.0), "83,4 (78,1–88,0)"),
        (100.0, (86.6, 100.0), "100,0 (86,6–100,0)"),
        (20.0, (20.0, 20.0), "20,0"),  # exact: no interval shown
        (None, None, "—"),
        (-0.0001, (0.0, 0.0), "0,0"),
    ])
    def test_value_with_interval(self, value, bounds, text):
        assert scoring.fmt_with_interval(value, bounds) == text

    def test_integral_figures_take_two_decimals(self):
        assert scoring.fmt_with_interval(43.75, (42.1129, 44.0), 2) == "43,75 (42,11–44,00)"

