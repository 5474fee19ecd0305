"""Built-in methodology data and validation of any methodology document."""

from __future__ import annotations

import copy

import pytest

import scoring
from scoring import MethodologyError, load_methodology
from scoring.tests.helpers import doc_2018, score_doc

CONDITION_KEYS = {
    "remote_channels": {"phone", "email", "e_services", "faq", "opinion_survey"},
    "comfort_conditions": {"rest_zone", "navigation", "drinking_water", "sanitary_rooms",
                           "sanitary_state", "transport", "booking"},
    "disabled_premises": {"ramps", "parking", "lifts_handrails_doors", "wheelchairs", "sanitary_rooms"},
    "disabled_services": {"sound_visual_duplication", "braille", "sign_language",
                          "site_for_visually_impaired", "trained_staff", "remote_or_home"},
}


def broken(mutate) -> str:
    doc = scoring.builtin_definition("social-2018")
    mutate(doc)
    with pytest.raises(MethodologyError) as err:
        load_methodology(doc)
    return str(err.value)


class BuiltinTests:
    def test_it_ships_both_methodologies(self):
        assert scoring.builtin_names() == ["social-2014", "social-2018"]

    def test_builtin_definition_is_a_fresh_copy(self):
        doc = scoring.builtin_definition("social-2018")
        doc["title"] = "changed"
        assert scoring.builtin_definition("social-2018")["title"] != "changed"

    def test_social_2018_has_five_criteria_and_fifteen_weighted_indicators(self):
        m = load_methodology("social-2018")
        assert m.scale == "criteria-100" and m.empty_policy == "renormalize"
        assert [c.key for c in m.criteria] == ["K1", "K2", "K3", "K4", "K5"]
        weights = {i.key: i.weight for i in m.indicators}
        assert weights == {"1.1": 0.3, "1.2": 0.3, "1.3": 0.4, "2.1": 0.3, "2.2": 0.4, "2.3": 0.3,
                           "3.1": 0.3, "3.2": 0.4, "3.3": 0.3, "4.1": 0.4, "4.2": 0.4, "4.3": 0.2,
                           "5.1": 0.3, "5.2": 0.2, "5.3": 0.5}
        assert m.sample == scoring.SampleRule(min_share=0.4, cap=600)

    def test_social_2018_condition_checklists_use_the_keys_of_the_assessment_file(self):
        m = load_methodology("social-2018")
        for key, items in CONDITION_KEYS.items():
            checklist = m.checklist(key)
            assert checklist.kind == "conditions"
            assert {it.key for it in checklist.items} == items
        for key in ("stand", "site"):
            assert m.checklist(key).kind == "items" and len(m.checklist(key).items) >= 10
        for checklist in m.checklists:
            for item in checklist.items:
                assert item.shortcoming and item.recommendation and item.label

    def test_social_2018_questionnaire_feeds_every_answer_key_and_filters_by_use(self):
        m = load_methodology("social-2018")
        assert set(m.answer_keys()) == {
            "info_stand", "info_site", "timely", "comfort", "accessibility", "courtesy_first_contact",
            "courtesy_service", "courtesy_remote", "recommend", "schedule", "overall"}
        assert m.question("accessibility").when == {"disabled": "yes"}
        assert m.question("info_site").when == {"used_site": "yes"}
        assert m.question("courtesy_remote").when == {"used_remote": "yes"}
        assert m.question("suggestions").type == "text" and not m.question("suggestions").required

    def test_a_question_is_found_by_the_survey_count_it_feeds_and_a_filter_question_is_not(self):
        m = load_methodology("social-2018")
        assert m.question_for_answer("info_site").text == m.question("info_site").text
        # «used_site» only filters «info_site»: it feeds no count of its own
        assert m.question("used_site").answer_key is None
        with pytest.raises(KeyError):
            m.question_for_answer("used_site")

    def test_social_2014_has_the_codes_of_seed_003_with_their_forms(self):
        m = load_methodology("social-2014")
        assert m.scale == "integral"
        assert len(m.indicators) == 45
        assert m.indicator("0241000004").kind == "band"
        assert m.indicator("0243000001").forms == frozenset({"semi_stationary", "home"})
        assert m.indicator("02450000013").forms == frozenset({"home"})
        assert m.indicator("0242000001").forms == frozenset({"stationary", "semi_stationary"})
        assert m.indicator("0243000002").kind == "negative_share"
        assert m.indicator("02450000016").kind == "complaints_per_100"
        assert m.question("0244000001").answer_key == "0244000001"


class ValidationTests:
    def test_it_names_the_weight_when_a_criterion_does_not_sum_to_1(self):
        def mutate(doc):
            doc["criteria"][2]["indicators"][1]["weight"] = 0.5
        message = broken(mutate)
        assert message.startswith("criteria[2].indicators[2].weight:")
        assert "K3" in message

    def test_it_names_an_unknown_key(self):
        message = broken(lambda d: d["criteria"][0]["indicators"][1].update(colour="red"))
        assert message.startswith("criteria[0].indicators[1].colour: неизвестный ключ")

    def test_it_names_an_unknown_kind(self):
        message = broken(lambda d: d["criteria"][1]["indicators"][0].update(kind="magic"))
        assert message.startswith("criteria[1].indicators[0].kind:")

    def test_it_names_a_reference_to_a_missing_checklist(self):
        message = broken(lambda d: d["criteria"][1]["indicators"][0]["params"].update(checklist="nope"))
        assert message.startswith("criteria[1].indicators[0].params.checklist:")

    def test_it_names_a_share_of_an_answer_the_questionnaire_lacks(self):
        message = broken(lambda d: d["criteria"][3]["indicators"][0]["params"].update(answer="nope"))
        assert message.startswith("criteria[3].indicators[0].params.answer:")

    def test_it_names_a_repeated_indicator_key(self):
        message = broken(lambda d: d["criteria"][4]["indicators"][2].update(key="1.1"))
        assert message.startswith("criteria[4].indicators[2].key: ключ «1.1» повторяется")

    def test_it_names_an_unknown_service_form(self):
        message = broken(lambda d: d["criteria"][0]["indicators"][0].update(forms=["mobile"]))
        assert message.startswith("criteria[0].indicators[0].forms[0]:")

    def test_it_names_a_filter_on_a_later_or_unknown_question(self):
        message = broken(lambda d: d["questions"][2].update(when={"nope": "yes"}))
        assert message.startswith("questions[2].when.nope:")

    def test_it_rejects_another_format_version(self):
        assert broken(lambda d: d.update(format=2)).startswith("format:")

    def test_it_rejects_an_unknown_builtin_name(self):
        with pytest.raises(MethodologyError, match="social-2099"):
            load_methodology("social-2099")

    def test_it_names_an_uncertainty_statement_that_is_not_text(self):
        assert broken(lambda d: d.update(uncertainty=95)).startswith("uncertainty:")

    def test_a_methodology_without_an_uncertainty_statement_still_loads(self):
        doc = scoring.builtin_definition("social-2018")
        del doc["uncertainty"]
        assert load_methodology(doc).uncertainty == ""


class RatingAndValidityTests:
    def test_the_builtins_state_their_years_and_edition(self):
        m2018, m2014 = load_methodology("social-2018"), load_methodology("social-2014")
        assert (m2018.valid_from, m2018.valid_to) == (2018, None)
        assert (m2014.valid_from, m2014.valid_to) == (2015, 2017)
        assert m2018.version and m2014.version
        assert m2018.valid_for(2026) and not m2018.valid_for(2017)
        assert m2014.valid_for(2016) and not m2014.valid_for(2018)

    def test_a_document_without_years_or_rating_is_valid_for_any_year_with_defaults(self):
        doc = scoring.builtin_definition("social-2018")
        for key in ("valid", "rating", "version"):
            del doc[key]
        m = load_methodology(doc)
        assert m.valid_for(1999) and m.valid_for(2100)
        assert m.rating == scoring.RatingPolicy()

    @pytest.mark.parametrize(("mutate", "field"), [
        (lambda d: d.update(rating={"ties": "random"}), "rating.ties"),
        (lambda d: d.update(rating={"below_sample": "yes"}), "rating.below_sample"),
        (lambda d: d.update(rating={"ties": "shared", "order": "name"}), "rating.order"),
        (lambda d: d.update(valid={"from": "2018"}), "valid.from"),
        (lambda d: d.update(valid={"from": 2020, "to": 2019}), "valid.to"),
        (lambda d: d.update(version=3), "version"),
    ])
    def test_it_names_a_bad_rating_policy_or_validity(self, mutate, field):
        assert broken(mutate).startswith(field + ":")


class RegionalMethodologyTests:
    def regional(self) -> dict:
        doc = copy.deepcopy(scoring.builtin_definition("social-2018"))
        doc["slug"] = "region-2018"
        k5 = doc["criteria"][4]["indicators"]
        k5[0]["weight"], k5[1]["weight"], k5[2]["weight"] = 0.2, 0.2, 0.4
        k5.append({"key": "5.4", "title": "Наличие попечительского совета", "weight": 0.2,
                   "kind": "yes_no", "source": "documents", "forms": None})
        return doc

    def test_a_reweighted_methodology_with_an_extra_indicator_loads_and_scores(self):
        m = load_methodology(self.regional())
        doc = doc_2018(values={"5.4": False})
        doc["survey"]["answers"]["recommend"] = {"asked": 10, "yes": 5}
        inp = scoring.parse_assessment(doc, methodology=m)
        result = scoring.score(m, inp)
        # 5.1 = 50; 5.4 = 0; K5 = 0.2 × 50 + 0.2 × 100 + 0.4 × 100 + 0.2 × 0 = 70
        assert result.indicators["5.4"] == 0
        assert result.criteria["K5"] == pytest.approx(70)
        assert result.methodology == "region-2018"

    def test_the_builtin_methodology_rejects_values_it_does_not_define(self):
        with pytest.raises(scoring.InputError, match="values.5.4"):
            score_doc(doc_2018(values={"5.4": True}))
