"""The website rules (``"detect"``) of checklist items: built-in data and validation."""

from __future__ import annotations

import pytest

import scoring
from scoring import Detect, MethodologyError, load_methodology


def site_item(doc, key: str):
    checklist = next(c for c in doc["checklists"] if c["key"] == "site")
    return next(i for i in checklist["items"] if i["key"] == key)


def broken(mutate) -> str:
    doc = scoring.builtin_definition("social-2018")
    mutate(doc)
    with pytest.raises(MethodologyError) as err:
        load_methodology(doc)
    return str(err.value)


class BuiltinRulesTests:
    def test_every_site_item_remote_channel_and_the_version_for_the_visually_impaired_has_rules(self):
        m = load_methodology("social-2018")
        audited = [*m.checklist("site").items, *m.checklist("remote_channels").items,
                   m.checklist("disabled_services").item("site_for_visually_impaired")]
        assert len(audited) == 27
        assert [i.key for i in audited if i.detect is None] == []

    def test_items_observed_on_the_premises_have_no_website_rules(self):
        m = load_methodology("social-2018")
        assert all(i.detect is None for i in m.checklist("stand").items)
        assert m.checklist("disabled_services").item("braille").detect is None

    def test_rules_are_read_into_the_item(self):
        item = load_methodology("social-2018").checklist("site").item("trustee_board")
        assert isinstance(item.detect, Detect)
        assert "попечительский совет" in item.detect.headings
        assert item.detect.near is None

    def test_a_near_rule_keeps_its_own_words(self):
        item = load_methodology("social-2018").checklist("site").item("contacts")
        assert item.detect is not None
        assert (item.detect.near, item.detect.near_patterns) == (400, ("phone", "email"))


class RuleValidationTests:
    def test_it_names_an_unknown_key_of_the_rules(self):
        msg = broken(lambda d: site_item(d, "founding")["detect"].update(synonyms=["x"]))
        assert msg.startswith("checklists[1].items[0].detect.synonyms: неизвестный ключ")

    def test_it_names_a_bad_regular_expression(self):
        msg = broken(lambda d: site_item(d, "structure")["detect"].update(headings=["re:(unclosed"]))
        assert msg.startswith("checklists[1].items[1].detect.headings[0]: ошибка в регулярном выражении")

    def test_it_names_an_unknown_pattern(self):
        msg = broken(lambda d: site_item(d, "contacts")["detect"].update(patterns=["phone", "fax"]))
        assert msg.startswith("checklists[1].items[3].detect.patterns[1]:")

    def test_it_names_an_empty_group_of_words(self):
        msg = broken(lambda d: site_item(d, "management")["detect"].update(content=[["директор"], []]))
        assert msg == "checklists[1].items[4].detect.content[1]: пустая группа слов"

    def test_it_names_a_near_distance_out_of_range(self):
        msg = broken(lambda d: site_item(d, "contacts")["detect"]["near"].update(within=0))
        assert msg.startswith("checklists[1].items[3].detect.near.within:")

    def test_it_rejects_a_near_rule_without_words(self):
        msg = broken(lambda d: site_item(d, "contacts")["detect"].update(near={"within": 100}))
        assert msg == "checklists[1].items[3].detect.near: нужны content или patterns"

    def test_it_rejects_rules_that_cannot_find_anything(self):
        msg = broken(lambda d: site_item(d, "staff").update(detect={"content": [["стаж"]]}))
        assert msg.startswith("checklists[1].items[12].detect: нужен хотя бы один способ поиска")

    def test_it_rejects_a_form_flag_that_is_not_a_boolean(self):
        msg = broken(lambda d: site_item(d, "staff")["detect"].update(form="да"))
        assert msg == "checklists[1].items[12].detect.form: ожидается true или false"

    def test_a_region_can_extend_the_rules(self):
        doc = scoring.builtin_definition("social-2018")
        site_item(doc, "trustee_board")["detect"]["headings"].append("наблюдательный совет")
        item = load_methodology(doc).checklist("site").item("trustee_board")
        assert item.detect is not None and "наблюдательный совет" in item.detect.headings
