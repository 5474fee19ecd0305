"""parse_assessment: every problem names its field; to_assessment_file: its inverse."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import scoring
from scoring import InputError, parse_assessment
from scoring.tests.helpers import ANSWERS, doc_2018, example


def error_of(doc) -> InputError:
    with pytest.raises(InputError) as err:
        parse_assessment(doc)
    return err.value


class ParseAssessmentTests:
    def test_it_parses_the_seed_001_file(self):
        inp = parse_assessment(example("seed-001.json"))
        assert inp.methodology == "social-2018"
        assert inp.organization.forms == ("semi_stationary",)
        assert inp.ratios["stand"] == scoring.Ratio(required=14, present=14)
        assert inp.conditions["disabled_premises"] == frozenset({"wheelchairs"})
        assert inp.survey["accessibility"] == scoring.Count(asked=7, yes=7)
        assert inp.respondents == 30

    @pytest.mark.parametrize(("mutate", "field"), [
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d["organization"].update(inn="1"), "organization.inn"),
        (lambda d: d["observation"].update(lift=[]), "observation.lift"),
        (lambda d: d["observation"]["stand"].update(lost=1), "observation.stand.lost"),
        (lambda d: d["survey"].update(total=1), "survey.total"),
        (lambda d: d["survey"]["answers"].update(happiness={"asked": 1, "yes": 1}), "survey.answers.happiness"),
        (lambda d: d["survey"]["answers"]["timely"].update(no=1), "survey.answers.timely.no"),
    ])
    def test_it_names_an_unknown_key_at_any_level(self, mutate, field):
        doc = doc_2018()
        mutate(doc)
        err = error_of(doc)
        assert err.field == field
        assert "неизвестный ключ" in str(err)

    def test_it_rejects_more_yes_than_asked(self):
        doc = doc_2018()
        doc["survey"]["answers"]["timely"] = {"asked": 10, "yes": 11}
        err = error_of(doc)
        assert err.field == "survey.answers.timely.yes"
        assert str(err) == "survey.answers.timely.yes: ответов «да» (11) больше, чем ответивших (10)"

    def test_it_rejects_more_asked_than_respondents(self):
        doc = doc_2018()
        doc["survey"]["answers"]["overall"] = {"asked": 61, "yes": 1}
        assert error_of(doc).field == "survey.answers.overall.asked"

    def test_it_rejects_more_present_than_required(self):
        doc = doc_2018()
        doc["observation"]["site"] = {"required": 20, "present": 21}
        assert error_of(doc).field == "observation.site.present"

    @pytest.mark.parametrize(("mutate", "field"), [
        (lambda d: d["observation"]["stand"].update(present=-1), "observation.stand.present"),
        (lambda d: d["survey"]["answers"]["comfort"].update(asked=-3, yes=-4), "survey.answers.comfort.asked"),
        (lambda d: d["survey"].update(respondents=-1), "survey.respondents"),
        (lambda d: d["organization"].update(recipients=-5), "organization.recipients"),
    ])
    def test_it_rejects_negative_numbers(self, mutate, field):
        doc = doc_2018()
        mutate(doc)
        err = error_of(doc)
        assert err.field == field and "отрицательное" in str(err)

    def test_it_names_an_unknown_condition_by_position(self):
        doc = doc_2018()
        doc["observation"]["remote_channels"] = ["phone", "telegram"]
        err = error_of(doc)
        assert err.field == "observation.remote_channels[1]"
        assert "telegram" in str(err)

    def test_it_rejects_a_condition_listed_twice(self):
        doc = doc_2018()
        doc["observation"]["disabled_premises"] = ["ramps", "ramps"]
        assert error_of(doc).field == "observation.disabled_premises[1]"

    def test_it_rejects_an_unknown_methodology(self):
        err = error_of(doc_2018(methodology="social-2099"))
        assert err.field == "methodology" and "social-2099" in str(err)

    def test_it_rejects_another_format_version(self):
        assert error_of(doc_2018(format=2)).field == "format"

    def test_it_rejects_an_unknown_service_form(self):
        doc = doc_2018()
        doc["organization"]["forms"] = ["home", "mobile"]
        assert error_of(doc).field == "organization.forms[1]"

    def test_it_requires_the_organization(self):
        doc = doc_2018()
        del doc["organization"]
        assert error_of(doc).field == "organization"

    def test_it_rejects_booleans_where_counts_are_expected(self):
        doc = doc_2018()
        doc["survey"]["answers"]["timely"] = {"asked": True, "yes": 1}
        assert error_of(doc).field == "survey.answers.timely.asked"


class Social2014ValuesTests:
    @pytest.mark.parametrize(("code", "value", "field"), [
        ("0241000004", 120, "values.0241000004"),
        ("0241000004", "много", "values.0241000004"),
        ("0241000006", "может быть", "values.0241000006"),
        ("02410000014", "half", "values.02410000014"),
        ("0243000001", -1, "values.0243000001"),
        ("0244000003", 1.5, "values.0244000003"),
        ("0244000001", {"asked": 3, "yes": 4}, "values.0244000001.yes"),
        ("02450000016", {"complaints": 1, "recipients": 0}, "values.02450000016.recipients"),
        ("9999999999", 1, "values.9999999999"),
    ])
    def test_it_validates_each_value_by_kind(self, code, value, field):
        doc = example("seed-003-social-2014.json")
        doc["values"][code] = value
        assert error_of(doc).field == field


class MissingItemsAndControlTests:
    def test_the_items_not_found_are_named_and_checked(self):
        doc = doc_2018()
        doc["observation"]["stand"] = {"required": 14, "present": 12,
                                       "missing": ["schedule", "founding"]}
        ratio = parse_assessment(doc).ratios["stand"]
        assert ratio.missing == ("founding", "schedule")  # in the checklist's order

    @pytest.mark.parametrize(("missing", "field", "message"), [
        (["founding"], "observation.stand.missing", "указано 1 ненайденных пунктов"),
        (["founding", "cats"], "observation.stand.missing[1]", "неизвестный пункт «cats»"),
        (["founding", "founding"], "observation.stand.missing[1]", "указан дважды"),
        ("founding", "observation.stand.missing", "ожидается список"),
    ])
    def test_a_wrong_list_of_missing_items_is_named(self, missing, field, message):
        doc = doc_2018()
        doc["observation"]["stand"] = {"required": 14, "present": 12, "missing": missing}
        err = error_of(doc)
        assert err.field == field and message in str(err)

    def test_the_control_protocol_is_read_per_form(self):
        doc = doc_2018(control={"home": {"recipients": 140,
                                         "calls": {"received": 3, "effective": 2},
                                         "complaints": {"registered": 9, "resolved": 5}}})
        control = parse_assessment(doc).control["home"]
        assert (control.recipients, control.calls, control.emails, control.complaints) == (
            140, scoring.Count(asked=3, yes=2), None, (9, 5))

    @pytest.mark.parametrize(("control", "field"), [
        ({"garden": {}}, "control.garden"),
        ({"home": {"calls": {"received": 1, "effective": 2}}}, "control.home.calls.effective"),
        ({"home": {"complaints": {"registered": 1, "resolved": 3}}},
         "control.home.complaints.resolved"),
        ({"home": {"fax": 1}}, "control.home.fax"),
    ])
    def test_a_wrong_control_protocol_is_named(self, control, field):
        assert error_of(doc_2018(control=control)).field == field


class ToAssessmentFileTests:
    """The file written from an input reads back to the same input (the open-data export)."""

    @pytest.mark.parametrize("name", ["seed-001.json", "seed-003-social-2014.json"])
    def test_the_examples_read_back_to_the_same_input(self, name):
        inp = scoring.parse_assessment(example(name))
        m = scoring.load_methodology(inp.methodology)
        assert scoring.parse_assessment(scoring.to_assessment_file(inp, m)) == inp

    def test_conditions_follow_the_checklist_order_and_empty_sections_are_left_out(self):
        doc = doc_2018(survey={})
        doc["observation"]["comfort_conditions"] = ["booking", "rest_zone"]
        inp = scoring.parse_assessment(doc)
        written = scoring.to_assessment_file(inp, scoring.load_methodology("social-2018"))
        assert written["observation"]["comfort_conditions"] == ["rest_zone", "booking"]
        assert "survey" not in written and "values" not in written

    @given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=11, max_size=11),
           st.sets(st.sampled_from(["phone", "email", "e_services", "faq", "opinion_survey"])),
           st.sets(st.sampled_from(["founding", "schedule", "contacts"])),
           st.integers(0, 5), st.integers(0, 5))
    def test_any_valid_input_reads_back_unchanged(self, pairs, channels, missing, calls, effective):
        answers = {key: {"asked": max(a, y), "yes": min(a, y)}
                   for key, (a, y) in zip(ANSWERS, pairs, strict=True)}
        stand = {"required": 14, "present": 14 - len(missing), "missing": sorted(missing)}
        observation = doc_2018()["observation"] | {"remote_channels": sorted(channels),
                                                   "stand": stand}
        control = {"semi_stationary": {"recipients": 60, "calls": {
            "received": max(calls, effective), "effective": min(calls, effective)}}}
        doc = doc_2018(observation=observation, control=control,
                       survey={"respondents": 40, "answers": answers})
        inp = scoring.parse_assessment(doc)
        written = scoring.to_assessment_file(inp, scoring.load_methodology("social-2018"))
        assert scoring.parse_assessment(written) == inp
