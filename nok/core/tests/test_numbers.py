"""Large numbers on pages are grouped by three digits, as Russian typesetting writes them."""

from __future__ import annotations

from django.template import Context, Template

from nok.core.templatetags.nok_numbers import num


class NumTests:
    def test_five_digits_and_more_are_grouped_by_three_with_a_no_break_space(self) -> None:
        assert num(13544) == "13\u00a0544"
        assert num(1000000) == "1\u00a0000\u00a0000"
        assert num(-12345) == "-12\u00a0345"

    def test_four_digits_and_fewer_are_written_whole(self) -> None:
        assert num(9573) == "9573"
        assert num(0) == "0"

    def test_anything_but_an_integer_is_left_as_it_is(self) -> None:
        assert num("13544") == "13544"
        assert num(None) is None
        assert num(True) is True
        assert num(2.5) == 2.5

    def test_the_filter_works_in_a_template(self) -> None:
        rendered = Template("{% load nok_numbers %}{{ n|num }}").render(Context({"n": 12998}))
        assert rendered == "12\u00a0998"
