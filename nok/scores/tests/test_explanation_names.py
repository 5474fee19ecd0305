"""The explanation of a figure names its inputs as the methodology does: questions by their
texts, checklists by their titles, indicators by their numbers, service forms in Russian, and
groups of counts in words — never the internal keys of the scoring result."""

from __future__ import annotations

from nok.scores.presentation import _figure
from scoring import builtin_definition, load_methodology


def test_inputs_are_named_by_the_methodology_and_counted_in_words() -> None:
    method = load_methodology(builtin_definition("social-2018"))
    explain = {
        "2.2": {"formula": "80/83 × 100", "inputs": {"timely": {"asked": 83, "yes": 80}}},
        "1.1": {"formula": "…", "inputs": {"stand": {"required": 14, "present": 12}}},
        "K1": {"formula": "…", "inputs": {"1.1": {"value": 98.79, "weight": 0.4}}},
        "3.3": {"formula": "не применяется", "inputs": {"forms": ["home", "semi_stationary"]}},
    }
    rows = {key: _figure(method, explain, key)["input_rows"] for key in explain}  # type: ignore[index]
    assert rows["2.2"][0][0].startswith("вопрос «Своевременно ли Вам была предоставлена услуга")
    assert rows["2.2"][0][1] == "ответили на вопрос: 83; ответили «да»: 80"
    assert rows["1.1"] == [("перечень «Информация на информационных стендах в помещении организации»",
                            "требуется: 14; имеется: 12")]
    assert rows["K1"] == [("показатель 1.1", "значение: 98,79; вес: 0,4")]
    assert rows["3.3"] == [("формы обслуживания", "надомная, полустационарная")]
