"""The INN control digits, worked out by hand, and website normalization."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nok.organizations.validators import (
    INN10_WEIGHTS,
    inn_control_digit,
    inn_error,
    normalize_website,
    validate_inn,
)


class InnChecksumTests:
    def test_it_accepts_a_ten_digit_inn_with_the_right_control_digit(self) -> None:
        # 7707083893: 7·2 + 7·4 + 0·10 + 7·3 + 0·5 + 8·9 + 3·4 + 8·6 + 9·8
        #           = 14 + 28 + 0 + 21 + 0 + 72 + 12 + 48 + 72 = 267; 267 mod 11 = 3; 3 mod 10 = 3
        assert inn_control_digit("770708389", INN10_WEIGHTS) == 3
        assert inn_error("7707083893") is None

    def test_it_rejects_a_ten_digit_inn_with_a_wrong_control_digit(self) -> None:
        assert inn_error("7707083894") == "неверное контрольное число ИНН"

    def test_it_turns_a_remainder_of_ten_into_zero(self) -> None:
        # 000000004: only the last weight counts, 4·8 = 32; 32 mod 11 = 10; 10 mod 10 = 0
        assert inn_control_digit("000000004", INN10_WEIGHTS) == 0
        assert inn_error("0000000040") is None

    def test_it_accepts_a_twelve_digit_inn_with_both_control_digits(self) -> None:
        # 500100732259: first control over 5001007322 with 7,2,4,10,3,5,9,4,6,8:
        #   35 + 0 + 0 + 10 + 0 + 0 + 63 + 12 + 12 + 16 = 148; 148 mod 11 = 5 -> digit 11 is 5
        # second over 50010073225 with 3,7,2,4,10,3,5,9,4,6,8:
        #   15 + 0 + 0 + 4 + 0 + 0 + 35 + 27 + 8 + 12 + 40 = 141; 141 mod 11 = 9 -> digit 12 is 9
        assert inn_error("500100732259") is None

    @pytest.mark.parametrize("inn", ["500100732249", "500100732258"])
    def test_it_rejects_a_twelve_digit_inn_with_either_control_digit_wrong(self, inn: str) -> None:
        assert inn_error(inn) == "неверное контрольное число ИНН"

    @pytest.mark.parametrize("inn", ["", "123", "77070838930", "77070838A3", "7707 083893"])
    def test_it_rejects_anything_but_ten_or_twelve_digits(self, inn: str) -> None:
        assert inn_error(inn) == "ИНН должен состоять из 10 или 12 цифр"

    def test_the_validator_raises_a_russian_validation_error(self) -> None:
        with pytest.raises(ValidationError, match="контрольное число"):
            validate_inn("7707083894")


class NormalizeWebsiteTests:
    @pytest.mark.parametrize(("raw", "expected"), [
        ("", ""),
        ("  ", ""),
        ("kcson.ru", "https://kcson.ru"),
        ("KCSON.RU/", "https://kcson.ru"),
        ("http://Kcson.ru/about", "http://kcson.ru/about"),
        ("https://kcson.ru/a?b=1", "https://kcson.ru/a?b=1"),
        ("//kcson.ru", "https://kcson.ru"),
    ])
    def test_it_adds_the_scheme_and_lowercases_the_host(self, raw: str, expected: str) -> None:
        assert normalize_website(raw) == expected
