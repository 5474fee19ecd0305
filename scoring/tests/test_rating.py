"""rate(): per type, descending, ties keep distinct places (by name), None last."""

from __future__ import annotations

from scoring import RatingEntry, rate


def entry(key, value, name=None, org_type="КЦСОН"):
    return RatingEntry(key=key, name=name or key, type=org_type, value=value)


class RateTests:
    def test_it_ranks_descending_with_positions_from_1(self):
        rows = rate([entry("a", 28.7), entry("b", 31.3), entry("c", 29.9)])
        assert [(r.position, r.key) for r in rows] == [(1, "b"), (2, "c"), (3, "a")]

    def test_ties_keep_distinct_places_ordered_by_name(self):
        # seed 004: two organizations with 29,90 take places 5 and 6
        rows = rate([entry("k1", 29.9, "Центр Б"), entry("k2", 29.9, "центр А"), entry("k3", 30.5)])
        assert [(r.position, r.name) for r in rows] == [(1, "k3"), (2, "центр А"), (3, "Центр Б")]

    def test_float_noise_does_not_break_a_tie(self):
        rows = rate([entry("b", 68.00000000000001, "Б"), entry("a", 68.0, "А")])
        assert [r.name for r in rows] == ["А", "Б"]

    def test_it_ranks_each_type_separately_in_order_of_appearance(self):
        rows = rate([entry("a", 27.9, org_type="Дома ветеранов"), entry("b", 31.3),
                     entry("c", 29.7, org_type="Дома ветеранов")])
        assert [(r.type, r.position, r.key) for r in rows] == [
            ("Дома ветеранов", 1, "c"), ("Дома ветеранов", 2, "a"), ("КЦСОН", 1, "b")]

    def test_organizations_without_a_value_come_last_without_a_position(self):
        rows = rate([entry("a", None, "А"), entry("b", 10.0), entry("c", None, "В")])
        assert [(r.position, r.key) for r in rows] == [(1, "b"), (None, "a"), (None, "c")]

    def test_an_empty_input_gives_an_empty_rating(self):
        assert rate([]) == []
