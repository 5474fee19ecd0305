"""Russian telephone numbers as organizations type them, and the call list file's rules."""

from __future__ import annotations

import pytest

from nok.fieldwork.phones import format_phone, normalize_phone, parse_call_list


class NormalizeTests:
    @pytest.mark.parametrize("raw", [
        "+7 916 123-45-67", "+7 (916) 123-45-67", "8 916 123 45 67", "89161234567",
        "79161234567", "9161234567", "8-916-123-45-67", "+7\u00a0916\u00a01234567", " 8(916)123.45.67 ",
    ])
    def test_a_mobile_number_in_any_usual_form_is_kept_as_plus_seven_and_ten_digits(self, raw):
        assert normalize_phone(raw) == "+79161234567"

    @pytest.mark.parametrize("raw, expected", [
        ("8 (831) 412-00-01", "+78314120001"),  # Нижний Новгород, a fixed line
        ("+7 495 000-00-00", "+74950000000"),
        ("8 800 555-35-35", "+78005553535"),
        ("+7 343 000 00 00", "+73430000000"),
    ])
    def test_fixed_line_codes_start_with_three_four_or_eight(self, raw, expected):
        assert normalize_phone(raw) == expected

    @pytest.mark.parametrize("raw", [
        "", "123-45-67", "+7 916 123-45-6", "+7 916 123-45-678", "+7 716 123-45-67",  # Kazakhstan
        "+375 29 123-45-67", "8 116 123-45-67", "8 516 123-45-67", "7916123456a",
        "+7 ９16 123-45-67", "+8 916 123-45-67", "89161234567 доб. 2", "Иванов",
    ])
    def test_anything_else_is_not_a_russian_number(self, raw):
        assert normalize_phone(raw) is None

    def test_a_number_is_shown_as_it_is_dialled(self):
        assert format_phone("+79161234567") == "+7 916 123-45-67"


class ParseTests:
    def test_a_header_empty_rows_and_repeats_are_skipped_and_counted(self):
        parsed = parse_call_list([["Телефон"], ["+7 916 123-45-67"], [""], ["89161234567"],
                                  [89161234568.0], ["8 (831) 412-00-01", ""]])
        assert parsed.numbers == ["+79161234567", "+79161234568", "+78314120001"]
        assert parsed.repeated == 1 and parsed.errors == []

    def test_every_wrong_row_is_named(self):
        parsed = parse_call_list([["+7 916 123-45-67"], ["12345"], ["+7 916 000-00-01", "Иванов"],
                                  ["+375 29 123-45-67"]])
        assert [str(e) for e in parsed.errors] == [
            "Строка 2: «12345» — не номер телефона (ожидается номер вида +7 916 123-45-67 "
            "или 8 (831) 123-45-67)",
            "Строка 3: заполнен столбец B: в файле должны быть только номера телефонов в "
            "столбце A — без имён и других сведений",
            "Строка 4: «+375 29 123-45-67» — не номер телефона (ожидается номер вида "
            "+7 916 123-45-67 или 8 (831) 123-45-67)",
        ]

    def test_a_file_without_numbers_says_so(self):
        assert [str(e) for e in parse_call_list([["Телефон"], [""]]).errors] == [
            "Строка 1: в файле нет ни одного номера телефона"]

    def test_a_header_with_a_second_column_is_refused_like_any_row(self):
        parsed = parse_call_list([["Телефон", "ФИО"], ["+7 916 123-45-67"]])
        assert [e.row for e in parsed.errors] == [1]
