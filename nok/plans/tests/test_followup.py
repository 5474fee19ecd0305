"""The next round's check, on assessment files (no database): an earlier shortcoming is
resolved or persisting by its key, and «не проверен» when the later results cannot tell."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import scoring
from nok.plans.followup import Outcome, check_all

SEED_001 = json.loads((Path(__file__).resolve().parents[3] / "examples" / "seed-001.json")
                      .read_text(encoding="utf-8"))
SOCIAL_2018 = scoring.load_methodology(scoring.builtin_definition("social-2018"))


def later(**changes: Any) -> tuple[scoring.Result, list[scoring.Shortcoming]]:
    """Seed 001 with ``changes`` to its observation ({key: value}; None removes the key)."""
    doc = copy.deepcopy(SEED_001)
    for key, value in changes.items():
        if value is None:
            doc["observation"].pop(key)
        else:
            doc["observation"][key] = value
    inp = scoring.parse_assessment(doc, methodology=SOCIAL_2018)
    result = scoring.score(SOCIAL_2018, inp)
    return result, scoring.shortcomings(SOCIAL_2018, inp, result)


def outcome(key: str, indicator: str, **changes: Any) -> tuple[Outcome, str]:
    result, found = later(**changes)
    check = check_all([(key, indicator)], SOCIAL_2018, result, found)[key]
    return check.outcome, check.note


class FollowUpTests:
    def test_seed_001s_own_shortcomings_persist_when_nothing_changed(self) -> None:
        result, found = later()
        checks = check_all([(s.key, s.indicator) for s in found], SOCIAL_2018, result, found)
        assert {c.outcome for c in checks.values()} == {Outcome.PERSISTING}
        assert "disabled_premises:ramps" in checks

    @pytest.mark.parametrize(("key", "indicator", "changes", "expected"), [
        # ramps were missing; now present -> resolved; parking is still missing -> persisting
        ("disabled_premises:ramps", "3.1", {"disabled_premises": ["wheelchairs", "ramps"]},
         Outcome.RESOLVED),
        ("disabled_premises:parking", "3.1", {"disabled_premises": ["wheelchairs", "ramps"]},
         Outcome.PERSISTING),
        # a list known by its counts: persisting while any item is missing
        ("stand:*", "1.1", {"stand": {"required": 14, "present": 12}}, Outcome.PERSISTING),
        ("stand:*", "1.1", {"stand": {"required": 14, "present": 12, "missing":
                                      ["founding", "tariffs"]}}, Outcome.PERSISTING),
        ("stand:*", "1.1", {"stand": {"required": 14, "present": 14}}, Outcome.RESOLVED),
        # a named item: resolved when the later list names other items only
        ("stand:tariffs", "1.1", {"stand": {"required": 14, "present": 13, "missing":
                                            ["founding"]}}, Outcome.RESOLVED),
        ("stand:tariffs", "1.1", {"stand": {"required": 14, "present": 13, "missing":
                                            ["tariffs"]}}, Outcome.PERSISTING),
    ])
    def test_a_shortcoming_is_matched_by_its_key(self, key, indicator, changes, expected) -> None:
        assert outcome(key, indicator, **changes)[0] == expected

    def test_a_named_item_cannot_be_checked_against_a_list_known_only_by_its_counts(self) -> None:
        assert outcome("stand:tariffs", "1.1", stand={"required": 14, "present": 13}) == (
            Outcome.UNCHECKED,
            "в следующей кампании по перечню известно только число размещённых пунктов")

    def test_a_condition_not_observed_the_next_time_is_not_checked(self) -> None:
        assert outcome("disabled_premises:ramps", "3.1", disabled_premises=None) == (
            Outcome.UNCHECKED, "в следующей кампании нет значения показателя 3.1")

    def test_a_low_share_is_resolved_when_the_later_share_is_above_the_bar(self) -> None:
        # seed 001: every share 100 %, above the 90 % bar: an earlier «indicator:5.3» is gone
        assert outcome("indicator:5.3", "5.3")[0] == Outcome.RESOLVED

    def test_keys_of_another_methodology_are_not_checked(self) -> None:
        assert outcome("indicator:0241000003", "0241000003") == (
            Outcome.UNCHECKED, "в методике следующей кампании нет показателя 0241000003")
        assert outcome("stand:no_such_item", "1.1")[0] == Outcome.UNCHECKED

    def test_rows_without_a_key_are_left_out(self) -> None:
        result, found = later()
        assert check_all([("", "1.1")], SOCIAL_2018, result, found) == {}
