"""social-2018: seed 001 reproduced, a hand-worked case per indicator, empty denominators."""

from __future__ import annotations

import math

import pytest

from scoring.tests.helpers import doc_2018, example, score_doc


def answers(**counts: tuple[int, int]) -> dict:
    doc = doc_2018()
    for key, (asked, yes) in counts.items():
        if asked is None:
            del doc["survey"]["answers"][key]
        else:
            doc["survey"]["answers"][key] = {"asked": asked, "yes": yes}
    return doc


class SeedOneTests:
    def test_it_reproduces_the_protocol_of_seed_001(self):
        result = score_doc(example("seed-001.json"))
        assert result.indicators["3.1"] == 20
        assert result.indicators["3.2"] == 80
        assert result.indicators["3.3"] == 100
        assert result.criteria == {"K1": 100, "K2": 100, "K3": pytest.approx(68), "K4": 100, "K5": 100}
        # (100 + 100 + 68 + 100 + 100) / 5 = 93.6
        assert result.total == pytest.approx(93.6)
        assert result.warnings == ()

    def test_it_explains_the_criterion_of_seed_001_with_the_numbers_put_in(self):
        result = score_doc(example("seed-001.json"))
        assert result.explain["K3"].formula == "0,3 × 20 + 0,4 × 80 + 0,3 × 100 = 68"
        assert "93,6" in result.explain["total"].formula

    def test_it_explains_every_indicator_criterion_and_the_total(self):
        result = score_doc(example("seed-001.json"))
        keys = set(result.indicators) | set(result.criteria) | {"total"}
        assert keys == set(result.explain)
        for fig in result.explain.values():
            assert fig.formula and fig.title


class IndicatorHandWorkedTests:
    def test_1_1_is_the_mean_of_the_stand_and_site_ratios(self):
        doc = doc_2018()
        doc["observation"]["stand"] = {"required": 20, "present": 19}
        doc["observation"]["site"] = {"required": 20, "present": 16}
        # 0.5 × (19/20 + 16/20) × 100 = 0.5 × (0.95 + 0.8) × 100 = 87.5
        result = score_doc(doc)
        assert result.indicators["1.1"] == pytest.approx(87.5)
        # K1 = 0.3 × 87.5 + 0.3 × 100 + 0.4 × 100 = 96.25
        assert result.criteria["K1"] == pytest.approx(96.25)

    @pytest.mark.parametrize(("channels", "points"), [(0, 0), (1, 30), (3, 90), (4, 100), (5, 100)])
    def test_1_2_gives_30_points_per_channel_capped_at_100(self, channels, points):
        doc = doc_2018()
        doc["observation"]["remote_channels"] = ["phone", "email", "e_services", "faq", "opinion_survey"][:channels]
        assert score_doc(doc).indicators["1.2"] == points

    def test_1_3_is_the_mean_of_the_stand_and_site_shares(self):
        # 0.5 × (18/20 + 6/8) × 100 = 0.5 × (0.9 + 0.75) × 100 = 82.5
        result = score_doc(answers(info_stand=(20, 18), info_site=(8, 6)))
        assert result.indicators["1.3"] == pytest.approx(82.5)

    @pytest.mark.parametrize(("key", "conditions", "points"), [
        ("2.1", ["rest_zone", "navigation", "booking"], 60),
        ("2.1", ["rest_zone", "navigation", "drinking_water", "sanitary_rooms", "sanitary_state", "transport"], 100),
        ("3.1", ["ramps", "wheelchairs"], 40),
        ("3.2", ["braille", "sign_language", "trained_staff", "remote_or_home"], 80),
    ])
    def test_condition_indicators_give_20_points_per_condition_capped_at_100(self, key, conditions, points):
        checklist = {"2.1": "comfort_conditions", "3.1": "disabled_premises", "3.2": "disabled_services"}[key]
        doc = doc_2018()
        doc["observation"][checklist] = conditions
        assert score_doc(doc).indicators[key] == points

    @pytest.mark.parametrize(("key", "answer", "asked", "yes", "points"), [
        ("2.2", "timely", 40, 36, 90.0),            # 36/40 × 100
        ("2.3", "comfort", 40, 30, 75.0),           # 30/40 × 100
        ("3.3", "accessibility", 3, 2, 200 / 3),    # 2/3 × 100 = 66.67
        ("4.1", "courtesy_first_contact", 25, 24, 96.0),
        ("4.2", "courtesy_service", 25, 20, 80.0),
        ("4.3", "courtesy_remote", 10, 7, 70.0),
        ("5.1", "recommend", 50, 45, 90.0),
        ("5.2", "schedule", 50, 49, 98.0),
        ("5.3", "overall", 8, 7, 87.5),
    ])
    def test_share_indicators_are_yes_over_asked_times_100(self, key, answer, asked, yes, points):
        result = score_doc(answers(**{answer: (asked, yes)}))
        assert result.indicators[key] == pytest.approx(points)

    def test_the_criterion_is_the_weighted_sum_and_the_total_the_mean(self):
        # 2.2 = 36/40 × 100 = 90; K2 = 0.3 × 100 + 0.4 × 90 + 0.3 × 100 = 96
        # 4.3 = 7/10 × 100 = 70;  K4 = 0.4 × 100 + 0.4 × 100 + 0.2 × 70 = 94
        result = score_doc(answers(timely=(40, 36), courtesy_remote=(10, 7)))
        assert result.criteria["K2"] == pytest.approx(96)
        assert result.criteria["K4"] == pytest.approx(94)
        # (100 + 96 + 100 + 94 + 100) / 5 = 98
        assert result.total == pytest.approx(98)

    def test_it_keeps_full_precision(self):
        result = score_doc(answers(accessibility=(3, 2)))
        # K3 = 0.3 × 100 + 0.4 × 100 + 0.3 × 66.666… = 90; total = 490 / 5 = 98
        assert result.indicators["3.3"] == 2 / 3 * 100
        assert math.isclose(result.total, 98.0)


class EmptyDenominatorTests:
    def test_it_drops_the_empty_site_part_of_1_3_by_default(self):
        # nobody used the site: 1.3 = 18/20 × 100 = 90
        result = score_doc(answers(info_stand=(20, 18), info_site=(0, 0)))
        assert result.indicators["1.3"] == pytest.approx(90)
        assert "исключена" in result.explain["1.3"].note

    def test_it_counts_the_empty_site_part_of_1_3_as_zero_under_the_zero_policy(self):
        # 0.5 × (18/20 + 0) × 100 = 45
        result = score_doc(answers(info_stand=(20, 18), info_site=(0, 0)), policy="zero")
        assert result.indicators["1.3"] == pytest.approx(45)

    def test_it_excludes_3_3_without_disabled_respondents_and_renormalizes_k3(self):
        doc = answers(accessibility=(0, 0))
        doc["observation"]["disabled_premises"] = ["ramps"]          # 3.1 = 20
        doc["observation"]["disabled_services"] = ["braille", "sign_language", "trained_staff"]  # 3.2 = 60
        result = score_doc(doc)
        assert result.indicators["3.3"] is None
        # K3 = (0.3 × 20 + 0.4 × 60) / 0.7 = 30 / 0.7 = 42.857…
        assert result.criteria["K3"] == pytest.approx(30 / 0.7)
        assert "нет данных: 3.3 — нет респондентов с инвалидностью" in result.warnings
        assert "перенормированы" in result.explain["K3"].note

    def test_it_counts_3_3_as_zero_under_the_zero_policy(self):
        doc = answers(accessibility=(0, 0))
        doc["observation"]["disabled_premises"] = ["ramps"]
        doc["observation"]["disabled_services"] = ["braille", "sign_language", "trained_staff"]
        result = score_doc(doc, policy="zero")
        assert result.indicators["3.3"] == 0
        # K3 = 0.3 × 20 + 0.4 × 60 + 0.3 × 0 = 30
        assert result.criteria["K3"] == pytest.approx(30)
        assert result.empty_policy == "zero"

    def test_an_answer_missing_from_the_file_is_no_data(self):
        result = score_doc(answers(courtesy_remote=(None, None)))
        assert result.indicators["4.3"] is None
        # K4 = (0.4 × 100 + 0.4 × 100) / 0.8 = 100
        assert result.criteria["K4"] == pytest.approx(100)

    def test_a_checklist_not_observed_is_no_data_but_an_empty_one_is_zero(self):
        doc = doc_2018()
        del doc["observation"]["comfort_conditions"]
        doc["observation"]["disabled_premises"] = []
        result = score_doc(doc)
        assert result.indicators["2.1"] is None
        assert result.indicators["3.1"] == 0

    def test_a_criterion_without_any_value_leaves_the_total_over_the_rest(self):
        doc = doc_2018(survey={"respondents": 0, "answers": {}})
        result = score_doc(doc)
        assert result.criteria["K4"] is None and result.criteria["K5"] is None
        # K1 = (0.3 × 100 + 0.3 × 100) / 0.6 = 100, K2 = 100, K3 = 100 -> total = 300 / 3
        assert result.total == pytest.approx(100)
        assert "без значения: K4, K5" in result.explain["total"].note


class SampleTests:
    def test_it_warns_when_the_sample_is_below_40_percent_of_recipients(self):
        doc = doc_2018()
        doc["organization"]["recipients"] = 200   # minimum = ceil(0.4 × 200) = 80 > 60 asked
        result = score_doc(doc)
        assert any("опрошено 60, нужно не менее 80" in w for w in result.warnings)

    def test_it_accepts_a_sample_exactly_at_the_minimum(self):
        doc = doc_2018()
        doc["organization"]["recipients"] = 150   # minimum = 0.4 × 150 = 60 = respondents
        assert score_doc(doc).warnings == ()


class ResultShapeTests:
    def test_to_dict_has_indicators_criteria_total_and_explain(self):
        data = score_doc(example("seed-001.json")).to_dict()
        assert list(data["indicators"]) == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2",
                                            "3.3", "4.1", "4.2", "4.3", "5.1", "5.2", "5.3"]
        assert list(data["criteria"]) == ["K1", "K2", "K3", "K4", "K5"]
        assert data["explain"]["3.2"]["inputs"]["missing"] == ["braille", "sign_language"]
        assert data["total"] == pytest.approx(93.6)
