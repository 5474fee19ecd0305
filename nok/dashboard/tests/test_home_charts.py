"""The start page's bar charts: geometry and labels, without a database."""

from __future__ import annotations

import pytest

from nok.dashboard.charts import LINE_CHARS, bar_chart, wrap


class BarChartTests:
    def test_a_bar_is_as_long_as_its_share_of_the_scale(self) -> None:
        chart = bar_chart("Итоги", [("Полный", 100.0), ("Половина", 50.0), ("Ноль", 0.0)])
        full, half, zero = chart.bars
        assert full.width == chart.track and half.width == pytest.approx(chart.track / 2)
        assert zero.width == 0

    def test_a_missing_value_draws_no_bar_and_prints_a_dash(self) -> None:
        [bar] = bar_chart("Итоги", [("Нет данных", None)]).bars
        assert bar.width == 0 and bar.text == "—"

    def test_values_are_printed_russian_style_with_the_decimals_asked(self) -> None:
        bars = bar_chart("Итоги", [("a", 54.2857), ("b", 100.0), ("c", 69.99)]).bars
        assert [b.text for b in bars] == ["54,3", "100", "70"]
        bars = bar_chart("Итоги", [("a", 54.2857), ("c", 69.99)], digits=2).bars
        assert [b.text for b in bars] == ["54,29", "69,99"]

    def test_values_beyond_the_scale_are_drawn_to_its_end(self) -> None:
        [bar] = bar_chart("Итоги", [("Интеграл", 12.0)], scale_max=10.0).bars
        assert bar.width == bar_chart("x", [("y", 10.0)], scale_max=10.0).bars[0].width

    def test_the_bars_follow_each_other_without_overlapping(self) -> None:
        chart = bar_chart("Итоги", [("Короткий", 1.0), ("Очень длинное название типа организации "
                                                        "социального обслуживания населения", 2.0)])
        first, second = chart.bars
        assert second.lines[0].y > first.y + chart.bar_height
        assert len(second.lines) == 2 and chart.height > second.y + chart.bar_height

    def test_the_description_lists_every_value_for_screen_readers(self) -> None:
        chart = bar_chart("Средний балл", [("КЦСОН", 80.64), ("Дом ветеранов", None)])
        assert chart.description == "Средний балл: КЦСОН: 80,6; Дом ветеранов: —"


class WrapTests:
    def test_a_short_label_stays_on_one_line(self) -> None:
        assert wrap("Дом ветеранов") == ["Дом ветеранов"]

    def test_a_long_label_breaks_between_words_into_two_lines_at_most(self) -> None:
        label = ("Специализированные учреждения для несовершеннолетних, нуждающиеся в "
                 "социальной реабилитации (стационарная + дневная сеть)")
        lines = wrap(label)
        assert len(lines) == 2 and all(len(line) <= LINE_CHARS for line in lines)
        assert lines[0] == "Специализированные учреждения для"
        assert lines[1].endswith("…")

    def test_a_word_longer_than_a_line_is_cut(self) -> None:
        [line] = wrap("А" * 60)
        assert len(line) == LINE_CHARS and line.endswith("…")
