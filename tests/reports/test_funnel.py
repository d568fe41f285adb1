"""Funnel-plot limits (Spiegelhalter 2005) against an exact reference, the normal approximation and
their expected shape."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vern.reports.funnel import Flag, FunnelPoint, flag, limits, limits_for, pooled_target

Z_95 = 1.959963984540054
Z_998 = 3.090232306167813

targets = st.floats(min_value=0.0005, max_value=0.9995, allow_nan=False)
probabilities = st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 0.998, 0.9999])


def reference_limits(target: float, n: int, probability: float) -> tuple[float, float]:
    """Independent reference: exact binomial CDF with math.comb and fractions, then Spiegelhalter's
    interpolation ``(r_p − α)/n`` with ``α = (F(r_p) − p)/(F(r_p) − F(r_p − 1))``, clamped to [0, 1]."""
    theta = Fraction(target)
    cdf: list[Fraction] = []
    total = Fraction(0)
    for k in range(n + 1):
        total += math.comb(n, k) * theta**k * (1 - theta) ** (n - k)
        cdf.append(total)

    def limit(p: Fraction) -> float:
        r = next(k for k, f in enumerate(cdf) if f >= p)
        below = cdf[r - 1] if r > 0 else Fraction(0)
        alpha = (cdf[r] - p) / (cdf[r] - below)
        return min(1.0, max(0.0, float((r - alpha) / n)))

    tail = (1 - Fraction(probability)) / 2
    # As in the module: a funnel always contains its target, even where the interpolation at tiny n·θ
    # would put the upper limit below it.
    return min(limit(tail), target), max(limit(1 - tail), target)


def normal_limits(target: float, n: int, z: float) -> tuple[float, float]:
    half = z * math.sqrt(target * (1 - target) / n)
    return target - half, target + half


class TestLimits:
    def test_half_at_one_hundred_is_about_forty_to_sixty(self) -> None:
        lower, upper = limits(0.5, 100, 0.95)
        assert lower == pytest.approx(0.40, abs=0.01)
        assert upper == pytest.approx(0.60, abs=0.01)
        # The interpolated quantiles for Binomial(100, 0.5): r = 40 and r = 60, α ≈ 0.32 and 0.68.
        assert lower == pytest.approx(0.3968, abs=1e-4)
        assert upper == pytest.approx(0.5932, abs=1e-4)

    @pytest.mark.parametrize(
        ("target", "n", "probability"),
        [
            (0.5, 100, 0.95),
            (0.5, 100, 0.998),
            (0.3, 10, 0.95),
            (0.05, 40, 0.998),
            (0.9, 250, 0.95),
            (0.61, 1, 0.95),
        ],
    )
    def test_agrees_with_exact_reference(self, target: float, n: int, probability: float) -> None:
        assert limits(target, n, probability) == pytest.approx(
            reference_limits(target, n, probability), abs=1e-9
        )

    @pytest.mark.parametrize(("probability", "z"), [(0.95, Z_95), (0.998, Z_998)])
    @pytest.mark.parametrize("target", [0.1, 0.5, 0.72])
    def test_close_to_normal_approximation_for_large_n(
        self, probability: float, z: float, target: float
    ) -> None:
        lower, upper = limits(target, 10_000, probability)
        normal_lower, normal_upper = normal_limits(target, 10_000, z)
        assert lower == pytest.approx(normal_lower, abs=0.01)
        assert upper == pytest.approx(normal_upper, abs=0.01)
        # Closer than the tolerance the brief asks for: the binomial is nearly normal here.
        assert lower == pytest.approx(normal_lower, abs=0.002)
        assert upper == pytest.approx(normal_upper, abs=0.002)

    def test_ten_million_works(self) -> None:
        lower, upper = limits(0.5, 10_000_000, 0.998)
        normal_lower, normal_upper = normal_limits(0.5, 10_000_000, Z_998)
        assert lower == pytest.approx(normal_lower, abs=1e-5)
        assert upper == pytest.approx(normal_upper, abs=1e-5)

    def test_limits_widen_as_n_shrinks(self) -> None:
        widths = [limits(0.3, n, 0.95)[1] - limits(0.3, n, 0.95)[0] for n in (10_000, 1_000, 100, 20)]
        assert widths == sorted(widths)
        assert len(set(widths)) == len(widths)

    @pytest.mark.parametrize("n", [30, 300, 3_000, 30_000])
    def test_998_is_wider_than_95(self, n: int) -> None:
        low_95, high_95 = limits(0.4, n, 0.95)
        low_998, high_998 = limits(0.4, n, 0.998)
        assert low_998 < low_95
        assert high_998 > high_95

    def test_limits_for_several_probabilities_equal_one_at_a_time(self) -> None:
        assert limits_for(0.37, 250, [0.95, 0.998]) == (limits(0.37, 250, 0.95), limits(0.37, 250, 0.998))

    def test_no_denominator_allows_anything(self) -> None:
        assert limits(0.4, 0, 0.95) == (0.0, 1.0)

    @pytest.mark.parametrize("target", [0.0, 1.0])
    def test_target_at_the_edge_gives_zero_width(self, target: float) -> None:
        assert limits(target, 50, 0.95) == (target, target)

    def test_small_n_lower_limit_is_clamped_to_zero(self) -> None:
        lower, upper = limits(0.3, 10, 0.998)
        assert lower == 0.0
        assert upper <= 1.0

    def test_funnel_contains_the_target_even_when_n_times_target_is_tiny(self) -> None:
        # F(0) = 0.984 ≥ 0.975, so the interpolated upper limit (0 − α)/1 would lie below the target.
        assert limits(0.015625, 1, 0.95) == (0.0, 0.015625)

    @pytest.mark.parametrize("probability", [0.0, 1.0, -0.5, 95.0])
    def test_probability_must_be_strictly_between_zero_and_one(self, probability: float) -> None:
        with pytest.raises(ValueError, match="probability"):
            limits(0.5, 100, probability)

    def test_target_must_be_a_proportion(self) -> None:
        with pytest.raises(ValueError, match="target"):
            limits(1.5, 100, 0.95)

    @given(target=targets, n=st.integers(min_value=0, max_value=200_000), probability=probabilities)
    def test_limits_surround_the_target_within_zero_and_one(
        self, target: float, n: int, probability: float
    ) -> None:
        lower, upper = limits(target, n, probability)
        assert 0.0 <= lower <= target <= upper <= 1.0

    @given(target=targets, n=st.integers(min_value=1, max_value=5_000))
    def test_998_contains_95(self, target: float, n: int) -> None:
        low_95, high_95 = limits(target, n, 0.95)
        low_998, high_998 = limits(target, n, 0.998)
        assert low_998 <= low_95
        assert high_95 <= high_998

    @given(target=st.floats(min_value=0.01, max_value=0.99), n=st.integers(min_value=1, max_value=120))
    def test_matches_exact_reference(self, target: float, n: int) -> None:
        for probability in (0.95, 0.998):
            assert limits(target, n, probability) == pytest.approx(
                reference_limits(target, n, probability), abs=1e-9
            )


class TestFlag:
    def test_clearly_high_unit_is_outside_998(self) -> None:
        assert flag(90, 100, 0.5) is Flag.HIGH_998

    def test_clearly_low_unit_is_outside_998(self) -> None:
        assert flag(10, 100, 0.5) is Flag.LOW_998

    def test_unit_at_the_target_is_within(self) -> None:
        assert flag(50, 100, 0.5) is Flag.WITHIN

    def test_between_the_limits_is_outside_95_only(self) -> None:
        # For n = 100 around 0.5: 95 % limits ≈ 0.397–0.593, 99.8 % ≈ 0.341–0.649.
        assert flag(62, 100, 0.5) is Flag.HIGH_95
        assert flag(38, 100, 0.5) is Flag.LOW_95

    def test_no_denominator_is_within(self) -> None:
        assert flag(0, 0, 0.5) is Flag.WITHIN

    def test_any_case_against_a_target_of_zero_is_high(self) -> None:
        assert flag(1, 10, 0.0) is Flag.HIGH_998
        assert flag(0, 10, 0.0) is Flag.WITHIN

    def test_values(self) -> None:
        assert [f.value for f in Flag] == ["within", "high_95", "low_95", "high_998", "low_998"]

    @given(target=targets, n=st.integers(min_value=1, max_value=2_000), data=st.data())
    def test_agrees_with_limits(self, target: float, n: int, data: st.DataObject) -> None:
        numerator = data.draw(st.integers(min_value=0, max_value=n))
        value = numerator / n
        low_95, high_95 = limits(target, n, 0.95)
        low_998, high_998 = limits(target, n, 0.998)
        result = flag(numerator, n, target)
        expected = (
            Flag.HIGH_998
            if value > high_998
            else Flag.LOW_998
            if value < low_998
            else Flag.HIGH_95
            if value > high_95
            else Flag.LOW_95
            if value < low_95
            else Flag.WITHIN
        )
        assert result is expected


class TestPooledTargetAndPoint:
    def test_pooled_target_weighs_by_denominator(self) -> None:
        assert pooled_target([(1, 10), (90, 90)]) == pytest.approx(0.91)

    def test_pooled_target_of_nothing_is_zero(self) -> None:
        assert pooled_target([]) == 0.0
        assert pooled_target([(0, 0)]) == 0.0

    def test_pooled_target_accepts_a_generator(self) -> None:
        points = [FunnelPoint("A", 3, 4), FunnelPoint("B", 1, 4)]
        assert pooled_target((p.numerator, p.denominator) for p in points) == 0.5

    def test_point_value(self) -> None:
        assert FunnelPoint("A", 3, 4).value == 0.75
        assert FunnelPoint("B", 0, 0).value is None
