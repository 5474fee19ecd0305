"""Band functions at every boundary: just below, on, just above."""

from __future__ import annotations

import pytest

from scoring.formulas import (
    band_score,
    complaints_score,
    conditions_points,
    fmt,
    level3_score,
    waiting_score,
)

BANDS_2014 = [(10, 0.3), (30, 0.6), (60, 0.9), (90, 1.0)]


class BandScoreTests:
    @pytest.mark.parametrize(("percent", "score"), [
        (0, 0.0), (9.99, 0.0), (10, 0.3), (10.01, 0.3),
        (29.99, 0.3), (30, 0.6), (30.01, 0.6),
        (59.99, 0.6), (60, 0.9), (60.01, 0.9),
        (89.99, 0.9), (90, 1.0), (90.01, 1.0), (100, 1.0),
    ])
    def test_each_band_includes_its_lower_bound(self, percent, score):
        assert band_score(percent, BANDS_2014) == score


class WaitingScoreTests:
    @pytest.mark.parametrize(("minutes", "score"), [
        (0, 1.0), (14.99, 1.0), (15, 0.5), (15.01, 0.5),
        (29.99, 0.5), (30, 0.5), (30.01, 0.0), (120, 0.0),
    ])
    def test_15_and_30_minutes_both_fall_in_the_middle_band(self, minutes, score):
        assert waiting_score(minutes) == score


class ComplaintsScoreTests:
    @pytest.mark.parametrize(("per_100", "score"), [
        (0, 1.0), (0.01, 0.5), (4.99, 0.5), (5, 0.5), (5.01, 0.0), (12, 0.0),
    ])
    def test_none_scores_1_up_to_5_scores_half_more_scores_0(self, per_100, score):
        assert complaints_score(per_100) == score


class SmallFormulaTests:
    @pytest.mark.parametrize(("level", "score"), [("full", 1.0), ("partial", 0.5), ("none", 0.0)])
    def test_three_levels_score_1_half_0(self, level, score):
        assert level3_score(level) == score

    def test_four_channels_give_100_not_120(self):
        assert conditions_points(4, 30) == 100
        assert conditions_points(3, 30) == 90

    @pytest.mark.parametrize(("value", "text"), [
        (93.6, "93,6"), (100.0, "100"), (200 / 3, "66,67"), (0.0, "0"), (None, "—"), (-0.001, "0"),
    ])
    def test_fmt_rounds_to_two_decimals_with_a_comma(self, value, text):
        assert fmt(value) == text
