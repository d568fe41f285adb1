"""Numbers are written one Norwegian way everywhere: "341 150,00 kr", "1 234", "6,5", "12,3 %", "–"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from vern.core.numbers import DASH, NBSP, format_number, money, share, unformatted


def _plain(text: str) -> str:
    """The text with the no-break spaces as ordinary ones, for readable expectations."""
    return text.replace(NBSP, " ")


class TestFormatNumber:
    @pytest.mark.parametrize(
        ("value", "percent", "decimals", "expected"),
        [
            (1234567, False, None, "1 234 567"),
            (12, False, None, "12"),
            (3.14159, False, None, "3,1"),
            (3.14159, False, 2, "3,14"),
            (1234.5, False, None, "1 234,5"),
            (Decimal("8.0"), False, None, "8"),
            (Decimal("7.50"), False, None, "7,5"),
            (Decimal("18000.00"), False, None, "18 000"),
            (0.614, True, None, "61,4 %"),
            (1.0, True, None, "100,0 %"),
            (0.25, True, 0, "25 %"),
            (12345.0, True, None, "1 234 500,0 %"),
            (-0.04, False, None, "0,0"),
            (-1500, False, None, "-1 500"),
            (None, False, None, "–"),
            (None, True, None, "–"),
        ],
    )
    def test_norwegian_style(
        self, value: float | Decimal | None, percent: bool, decimals: int | None, expected: str
    ) -> None:
        assert _plain(format_number(value, percent=percent, decimals=decimals)) == expected

    @given(st.integers(min_value=-(10**12), max_value=10**12))
    def test_ints_round_trip_through_the_thousands_separator(self, value: int) -> None:
        text = format_number(value)
        assert int(text.replace(NBSP, "")) == value
        assert "," not in text
        assert " " not in text  # only no-break spaces: a number never breaks over two lines


class TestMoney:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            (Decimal("341150.00"), "341 150,00 kr"),
            (Decimal("18000"), "18 000,00 kr"),
            (6240.0, "6 240,00 kr"),
            (0, "0,00 kr"),
            (Decimal("-2500.5"), "-2 500,50 kr"),
            (Decimal("-0.001"), "0,00 kr"),
            (None, "–"),
        ],
    )
    def test_kroner_with_two_decimals(self, value: Decimal | float | None, expected: str) -> None:
        assert _plain(money(value)) == expected

    @given(st.integers(min_value=-(10**9), max_value=10**9))
    def test_round_amounts_have_two_zero_decimals_and_read_back(self, kroner: int) -> None:
        text = money(Decimal(kroner))
        assert text.endswith(f",00{NBSP}kr")
        assert int(text.removesuffix(f",00{NBSP}kr").replace(NBSP, "")) == kroner

    @given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
    def test_any_amount_reads_back_to_the_same_value(self, value: Decimal) -> None:
        text = money(value).removesuffix(f"{NBSP}kr").replace(NBSP, "").replace(",", ".")
        assert Decimal(text) == value


class TestShare:
    @given(st.floats(min_value=-1, max_value=1, allow_nan=False))
    def test_one_decimal_and_a_no_break_space_before_the_sign(self, value: float) -> None:
        text = share(value)
        assert text.endswith(f"{NBSP}%")
        number = text.removesuffix(f"{NBSP}%").replace(NBSP, "").replace(",", ".")
        assert len(number.split(".")[1]) == 1
        assert float(number) == pytest.approx(value * 100, abs=0.05)

    def test_none_is_a_dash(self) -> None:
        assert share(None) == DASH


def test_unformatted_has_a_decimal_comma_and_no_grouping() -> None:
    assert unformatted(Decimal("6240.00")) == "6240,00"
    assert unformatted(Decimal("8")) == "8"
    assert unformatted(1234567) == "1234567"
    assert unformatted(-2.5) == "-2,5"


class TestFilters:
    """The filters every template uses (built in, no {% load %})."""

    def render(self, source: str, **values: object) -> str:
        return _plain(Template(source).render(Context(values)))

    def test_number_money_and_share(self) -> None:
        out = self.render(
            "{{ n|number }}|{{ d|number }}|{{ f|number:2 }}|{{ m|money }}|{{ s|share }}|{{ none|money }}",
            n=4508,
            d=Decimal("8.0"),
            f=6.5,
            m=Decimal("341150.00"),
            s=0.123,
            none=None,
        )
        assert out == "4 508|8|6,50|341 150,00 kr|12,3 %|–"

    def test_anything_else_is_shown_as_it_is(self) -> None:
        # A filter never fails a page: text and booleans pass through unchanged.
        assert self.render("{{ t|number }}|{{ b|money }}", t="ukjent", b=True) == "ukjent|True"
