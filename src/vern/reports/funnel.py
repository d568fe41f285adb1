"""Funnel-plot control limits for proportions, used for the variation between units.

Source: D. J. Spiegelhalter, "Funnel plots for comparing institutional performance", Statistics in
Medicine 24 (2005) 1185–1202, appendix A.1.1 (exact binomial limits). For a unit with denominator
``n`` and a target proportion ``θ``, the limit at probability ``p`` is found from ``r_p``, the smallest
``r`` with ``F(r) ≥ p`` where ``F`` is the Binomial(n, θ) distribution function, interpolated as

    α = (F(r_p) − p) / (F(r_p) − F(r_p − 1)),   limit = (r_p − α) / n,

so the limits are smooth in ``n`` rather than stepping between whole counts. A two-sided probability
of 0.95 uses ``p = 0.025`` and ``p = 0.975``; 0.998 uses ``p = 0.001`` and ``p = 0.999``.

Choices: pure Python, no SciPy. The probabilities are computed by walking the pmf outwards from the
mode with the ratio ``P(k+1)/P(k)`` until the terms fall below 1e-18 of the mode, then normalising by
their sum; that is about 18 standard deviations of terms (≈ 3,000 for n = 100,000, θ = 0.5) and avoids
both ``lgamma`` round-off for large ``n`` and underflow far in the tails. The upper tail is summed from
the right so that ``1 − F`` near 0.999 keeps its precision. Limits are clamped to [0, 1] and widened
to contain the target where the interpolation would put a limit on the wrong side of it (tiny n·θ).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

# Terms smaller than this fraction of the mode's probability are left out: what they add up to is far
# below the smallest tail probability a two-sided limit can ask for in double precision.
_NEGLIGIBLE = 1e-18

PROBABILITY_95 = 0.95
PROBABILITY_998 = 0.998


class Flag(StrEnum):
    """Where a unit lies against the funnel; outside 99.8 % implies outside 95 %, the strongest wins."""

    WITHIN = "within"
    HIGH_95 = "high_95"
    LOW_95 = "low_95"
    HIGH_998 = "high_998"
    LOW_998 = "low_998"


@dataclass(frozen=True)
class FunnelPoint:
    """One unit in a funnel plot: e.g. investigations completed in time (numerator) of all (denominator)."""

    label: str
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """The unit's proportion, or ``None`` when it has no denominator."""
        if self.denominator == 0:
            return None
        return self.numerator / self.denominator


@dataclass(frozen=True)
class _Distribution:
    """Binomial(n, θ) probabilities over the window ``first .. first + len(pmf) - 1`` (the rest is
    negligible), with the cumulative sums from the left (``cdf``) and from the right (``sf``)."""

    first: int
    pmf: list[float]
    cdf: list[float]  # cdf[i] = P(X ≤ first + i)
    sf: list[float]  # sf[i] = P(X > first + i), decreasing


def _distribution(n: int, target: float) -> _Distribution:
    mode = min(n, max(0, int((n + 1) * target)))
    odds = target / (1.0 - target)
    below: list[float] = []  # P(mode - 1), P(mode - 2), ... relative to P(mode)
    weight, k = 1.0, mode
    while k > 0:
        weight *= k / ((n - k + 1) * odds)
        if weight < _NEGLIGIBLE:
            break
        below.append(weight)
        k -= 1
    above: list[float] = []  # P(mode + 1), P(mode + 2), ...
    weight, k = 1.0, mode
    while k < n:
        weight *= (n - k) * odds / (k + 1)
        if weight < _NEGLIGIBLE:
            break
        above.append(weight)
        k += 1
    below.reverse()
    weights = [*below, 1.0, *above]
    total = sum(weights)
    pmf = [w / total for w in weights]
    cdf = list(itertools.accumulate(pmf))
    # P(X > first + i) is the sum of the terms right of i, added up from the far right for precision.
    right = list(itertools.accumulate(reversed(pmf)))
    right.reverse()
    sf = [*right[1:], 0.0]
    return _Distribution(first=mode - len(below), pmf=pmf, cdf=cdf, sf=sf)


def _lower(dist: _Distribution, n: int, p: float) -> float:
    """Spiegelhalter's interpolated p-quantile for a small p, from the left-hand cumulative sums."""
    i = min(bisect.bisect_left(dist.cdf, p), len(dist.cdf) - 1)
    alpha = (dist.cdf[i] - p) / dist.pmf[i]
    return (dist.first + i - alpha) / n


def _upper(dist: _Distribution, n: int, p: float) -> float:
    """The same for a p close to 1, using ``F(r) − p = (1 − p) − P(X > r)`` for precision."""
    tail = 1.0 - p
    # r_p is the first index whose right-hand tail is at most 1 − p (sf decreases; bisect wants increasing).
    i = min(bisect.bisect_left(dist.sf, -tail, key=lambda s: -s), len(dist.sf) - 1)
    alpha = (tail - dist.sf[i]) / dist.pmf[i]
    return (dist.first + i - alpha) / n


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _check(target: float, n: int, probabilities: tuple[float, ...]) -> None:
    for probability in probabilities:
        if not 0.0 < probability < 1.0:
            msg = f"probability must lie strictly between 0 and 1, not {probability}"
            raise ValueError(msg)
    if not 0.0 <= target <= 1.0:
        msg = f"target must be a proportion between 0 and 1, not {target}"
        raise ValueError(msg)
    if n < 0:
        msg = f"n must not be negative, not {n}"
        raise ValueError(msg)


@lru_cache(maxsize=4096)
def _limits(target: float, n: int, probabilities: tuple[float, ...]) -> tuple[tuple[float, float], ...]:
    """Limits for several probabilities from one walk over the pmf (a funnel plot asks for many)."""
    _check(target, n, probabilities)
    if n == 0:
        return tuple((0.0, 1.0) for _ in probabilities)
    if target in (0.0, 1.0):
        return tuple((target, target) for _ in probabilities)
    dist = _distribution(n, target)
    result = []
    for probability in probabilities:
        tail = (1.0 - probability) / 2.0
        lower = _clamp(_lower(dist, n, tail))
        upper = _clamp(_upper(dist, n, 1.0 - tail))
        # When n·θ is tiny the interpolated limit can fall on the wrong side of the target (e.g. θ = 0.01,
        # n = 1: F(0) = 0.99 ≥ 0.975 gives an upper limit below 0); a funnel always contains its target.
        result.append((min(lower, target), max(upper, target)))
    return tuple(result)


def limits(target: float, n: int, probability: float) -> tuple[float, float]:
    """Lower and upper funnel limit (proportions 0–1) for a unit with denominator ``n`` around the
    proportion ``target``, covering the two-sided ``probability`` (0.95, 0.998, or any value in (0, 1)).

    Exact binomial with Spiegelhalter's interpolation (see the module docstring). ``n == 0`` gives
    (0, 1): a unit with no cases can lie anywhere. A target of 0 or 1 gives a funnel of zero width.
    Raises ``ValueError`` for a probability outside (0, 1), a target outside [0, 1] or a negative n.
    """
    return _limits(target, n, (probability,))[0]


def limits_for(target: float, n: int, probabilities: Sequence[float]) -> tuple[tuple[float, float], ...]:
    """``limits`` for several probabilities at once, from one pass over the distribution (the funnel
    plot draws the 95 % and 99.8 % curves at the same denominators)."""
    return _limits(target, n, tuple(probabilities))


def flag(numerator: int, denominator: int, target: float) -> Flag:
    """Whether a unit's proportion lies outside the 95 % or the 99.8 % limits around ``target``.

    A unit with no denominator is ``WITHIN``: there is nothing to compare.
    """
    if denominator <= 0:
        return Flag.WITHIN
    value = numerator / denominator
    (low_998, high_998), (low_95, high_95) = _limits(target, denominator, (PROBABILITY_998, PROBABILITY_95))
    if value > high_998:
        return Flag.HIGH_998
    if value < low_998:
        return Flag.LOW_998
    if value > high_95:
        return Flag.HIGH_95
    if value < low_95:
        return Flag.LOW_95
    return Flag.WITHIN


def pooled_target(points: Iterable[tuple[int, int]]) -> float:
    """The pooled proportion of ``(numerator, denominator)`` pairs: all numerators over all
    denominators, so large units weigh more (Spiegelhalter's usual target). 0.0 when there are none."""
    numerators = denominators = 0
    for numerator, denominator in points:
        numerators += numerator
        denominators += denominator
    if denominators == 0:
        return 0.0
    return numerators / denominators
