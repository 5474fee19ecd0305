"""social-2014: seed 003 reproduced, kinds, applicability by service form."""

from __future__ import annotations

import copy

import pytest

from scoring.tests.helpers import example, score_doc

# Every score printed in seed 003 (column «Оценка организации»), page by page as the protocol
# prints them; «-» (not filled for this organization's service form) is None.
SEED_003_PRINTED = {
    "0241000003": 1, "0241000004": 1, "0241000005": 1, "0241000006": 1, "0241000007": 1,
    "0241000008": 1, "0241000009": 1, "02410000010": 1, "02410000011": 1, "02410000012": 1,
    "0241000013": 1, "02410000014": 1, "02410000015": 1, "0241000016": 1, "02410000017": 1,
    "0242000001": 1, "0242000002": 1, "0242000003": 1, "0242000004": 1, "0242000005": 1,
    "0242000006": 1, "0242000007": 0.95, "0242000008": 1,
    "0243000001": 1, "0243000002": 0,
    "0244000001": 1, "0244000002": 1, "0244000003": 0.80,
    "0245000001": 1, "0245000002": 1, "0245000003": 1, "0245000004": 1, "0245000005": 1,
    "0245000006": 1, "0245000007": 1, "0245000008": 1, "0245000009": 1, "02450000010": 1,
    "02450000011": 1, "02450000012": 1, "02450000013": None, "02450000014": 1,
    "02450000015": 1, "02450000016": 1, "02450000017": 1,
}
# The printed scores add up to 42,75 (the protocol prints no integral of its own).
SEED_003_PRINTED_SUM = 42.75


def seed_003(**values):
    doc = copy.deepcopy(example("seed-003-social-2014.json"))
    doc["values"].update(values)
    return doc


class SeedThreeTests:
    def test_the_methodology_has_exactly_the_codes_of_seed_003(self):
        assert set(score_doc(seed_003()).indicators) == set(SEED_003_PRINTED)

    @pytest.mark.parametrize(("code", "printed"), sorted(SEED_003_PRINTED.items()))
    def test_it_reproduces_every_score_printed_in_seed_003(self, code, printed):
        score = score_doc(seed_003()).indicators[code]
        assert score == (None if printed is None else pytest.approx(printed))

    def test_the_integral_is_the_sum_the_seed_prints(self):
        result = score_doc(seed_003())
        # K1: 15 codes × 1 = 15; K2: 7 × 1 + 0.95 = 7.95; K3: 1 + (1 − 30/30) = 1;
        # K4: 1 + 1 + 0.8 = 2.8; K5: 17 codes minus 02450000013 (home only) = 16
        assert result.criteria == pytest.approx({"K1": 15, "K2": 7.95, "K3": 1, "K4": 2.8, "K5": 16})
        assert sum(v for v in SEED_003_PRINTED.values() if v is not None) == pytest.approx(
            SEED_003_PRINTED_SUM)
        assert result.integral == pytest.approx(SEED_003_PRINTED_SUM)
        assert result.total == result.integral

    def test_the_printed_zero_of_0243000002_means_all_thirty_waited_longer(self):
        result = score_doc(seed_003())
        assert result.measured["0243000002"] == 1.0  # 30 of 30 answered «да»
        assert result.indicators["0243000002"] == 0  # counted as 1 − 30/30

    def test_it_reports_the_negative_share_as_measured_and_counts_its_complement(self):
        result = score_doc(seed_003(**{"0243000002": {"asked": 30, "yes": 6}}))
        assert result.measured["0243000002"] == pytest.approx(0.2)
        assert result.indicators["0243000002"] == pytest.approx(0.8)


class ValueKindTests:
    @pytest.mark.parametrize(("code", "value", "score"), [
        ("0241000004", 9.99, 0.0), ("0241000004", 10, 0.3), ("0241000004", 59.5, 0.6),
        ("0241000004", 60, 0.9), ("0241000004", 90, 1.0),
        ("0241000006", False, 0.0), ("0241000006", "yes", 1.0),
        ("02410000014", "partial", 0.5), ("02410000014", "none", 0.0),
        ("0243000001", 14.99, 1.0), ("0243000001", 15, 0.5), ("0243000001", 30, 0.5),
        ("0243000001", 30.01, 0.0),
        ("02450000016", 0, 1.0), ("02450000016", 5, 0.5), ("02450000016", 5.01, 0.0),
        ("02450000016", {"complaints": 6, "recipients": 120}, 0.5),   # 6 / 120 × 100 = 5 -> 0.5
        ("02450000016", {"complaints": 7, "recipients": 120}, 0.0),   # 5.83 per 100 -> 0
        ("0242000007", {"required": 40, "present": 38}, 0.95),
        ("0244000001", {"asked": 30, "yes": 24}, 0.8),
        ("0244000001", 0.5, 0.5),
    ])
    def test_each_kind_scores_its_raw_value(self, code, value, score):
        assert score_doc(seed_003(**{code: value})).indicators[code] == pytest.approx(score)

    def test_a_home_only_code_counts_for_a_home_organization(self):
        doc = seed_003(**{"02450000013": {"asked": 10, "yes": 9}})
        doc["organization"]["forms"] = ["home"]
        result = score_doc(doc)
        assert result.indicators["02450000013"] == pytest.approx(0.9)
        assert result.indicators["0242000001"] is None   # semi-stationary and stationary only

    def test_a_missing_applicable_value_is_none_with_a_warning_or_zero(self):
        doc = seed_003(**{"0244000003": None})
        result = score_doc(doc)
        assert result.indicators["0244000003"] is None
        assert "нет данных: 0244000003 — значение не указано" in result.warnings
        assert result.integral == pytest.approx(SEED_003_PRINTED_SUM - 0.8)
        assert score_doc(doc, policy="zero").indicators["0244000003"] == 0

    def test_a_share_code_falls_back_to_the_survey_count(self):
        doc = seed_003(**{"0244000002": None})
        doc["survey"]["answers"] = {"0244000002": {"asked": 20, "yes": 15}}
        assert score_doc(doc).indicators["0244000002"] == pytest.approx(0.75)

    def test_to_dict_carries_scores_and_integral(self):
        data = score_doc(seed_003()).to_dict()
        assert data["integral"] == pytest.approx(SEED_003_PRINTED_SUM)
        assert data["scores"]["02450000013"] is None
        assert data["measured"]["0243000001"] == 8
