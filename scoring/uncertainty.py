"""Uncertainty of survey-based figures: 95 % intervals, position ranges, sample size (METHODOLOGY.md §7).

Units. Shares and their standard deviations are fractions 0..1 in the small functions
(:func:`wilson`, :func:`share_sd`); a :class:`Source` carries the figure's own scale in ``top``:
100 for social-2018 points, 1 for a social-2014 score, the number of summed scores for a
social-2014 criterion sum or the integral. Every interval is ``(lo, hi)`` in the figure's units.
``None`` means "no value": an excluded figure has no interval (never ``(0, 0)``).

The rule (the same for every methodology, stated in each methodology file's ``uncertainty``):

- **One share** (``n = asked > 0``, ``y = yes``, ``p = y/n``): the Wilson score interval,
  ``c = (p + z²/(2n)) / (1 + z²/n)``, ``h = z/(1 + z²/n) · sqrt(p(1−p)/n + z²/(4n²))``,
  ``[c − h, c + h]`` × ``top``. A negative share (social-2014 0243000002, scored ``1 − share``)
  takes ``top − `` the share's interval, bounds swapped.
- **Standard deviation of a share** for combining (Agresti–Coull): ``ñ = n + z²``,
  ``p̃ = (y + z²/2)/ñ``, ``sd = top · sqrt(p̃(1−p̃)/ñ)``. Exact figures have ``sd = 0``:
  observation and site checklists, documents, yes/no, levels, minutes, complaints, and a
  share typed as a bare number (its sample size is unknown, so it is taken as measured).
- **Composite figures** assume the worst case, perfectly correlated answers (the same people
  answer every question), so the sd of a weighted sum is the weighted sum of the sds:
  social-2018 1.3 (a mean of ``k`` parts) ``sd = Σ sd_part / k`` — composite even when
  ``k = 1``; a criterion ``sd = Σ w'_i sd_i`` with the weights ``w'`` renormalized over its
  indicators with a value; the total ``sd = Σ sd_K / m`` over the ``m`` criteria with a value.
  social-2014: a criterion sum and the integral ``sd = Σ sd_i`` (weights 1).
  Interval: ``value ± z·sd`` clipped to ``[0, top]``.

  Every sd is therefore a non-negative linear combination of the sds of survey counts:
  :attr:`Source.terms` keeps it as ``(coefficient, yes, asked)``, so the same figure can be
  re-evaluated with other per-count sds (the finite-population correction, a larger sample).
- **Finite population** (the organization's recipients ``N`` known): each share's sd is
  multiplied by ``f = sqrt((N − n)/(N − 1))`` (``n ≥ N`` → ``f = 0``, exact) and propagated the
  same way; a single share's Wilson interval is shrunk towards the estimate by the same ``f``
  (both distances ``p − lo`` and ``hi − p`` multiplied by ``f``). Filtered questions (e.g.
  disabled respondents only) use the whole ``N``, which overstates their population and so
  errs on the wide side.

Bounds never cross the estimate: float noise such as a Wilson bound of 0.9999999999999999 at
``p = 1`` or a weighted sum of 100.00000000000001 is absorbed, so the interval always contains
the value.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from scoring.model import Count, Figure, Interval, Result, Source

Z = 1.959963984540054
"""The two-sided 95 % quantile of the normal distribution."""


INTERVAL_SENTENCE = (
    "В скобках — 95 % доверительный интервал: показатели опроса получены по ответам части "
    "получателей услуг, и при опросе всех получателей значение с вероятностью 95 % оказалось "
    "бы в этих пределах; показатели наблюдения точны."
)
"""One plain-Russian sentence explaining the intervals, for tables and documents."""

RANGE_SENTENCE = (
    "Возможные места — места, которые организация может занимать с учётом доверительных "
    "интервалов итоговых значений; организации с пересекающимися диапазонами мест по "
    "результатам опроса неразличимы."
)
"""One plain-Russian sentence explaining position ranges in a rating."""


# -- single shares ---------------------------------------------------------------------------


def wilson(yes: float, asked: float) -> Interval | None:
    """Wilson score interval of the share ``yes / asked`` as fractions 0..1; None when
    ``asked == 0`` (empty denominator). Counts may be non-integer (scaled samples)."""
    if asked <= 0:
        return None
    p = yes / asked
    z2 = Z * Z
    denom = 1 + z2 / asked
    centre = (p + z2 / (2 * asked)) / denom
    half = Z / denom * math.sqrt(p * (1 - p) / asked + z2 / (4 * asked * asked))
    return max(0.0, min(centre - half, p)), min(1.0, max(centre + half, p))


def share_sd(yes: float, asked: float) -> float | None:
    """Agresti–Coull standard deviation of the share ``yes / asked``, a fraction; None when
    ``asked == 0``."""
    if asked <= 0:
        return None
    n_adj = asked + Z * Z
    p_adj = (yes + Z * Z / 2) / n_adj
    return math.sqrt(p_adj * (1 - p_adj) / n_adj)


def fpc(asked: float, population: int | None) -> float:
    """Finite-population correction ``sqrt((N − n)/(N − 1))``: 1 when ``N`` is unknown (None),
    0 when the whole population answered (``n ≥ N``)."""
    if population is None:
        return 1.0
    if asked >= population:
        return 0.0
    return math.sqrt((population - asked) / (population - 1))


def term_sd(yes: float, asked: float) -> float:
    """Agresti–Coull sd of one survey count (fraction); 0 for an empty count (it adds nothing)."""
    return share_sd(yes, asked) or 0.0


# -- sources: how a figure depends on survey counts --------------------------------------------


_EXACT = {100.0: Source(top=100.0), 1.0: Source(top=1.0)}


def exact(top: float = 100.0) -> Source:
    """An observation figure (or one with no value): sd 0, interval = the value."""
    found = _EXACT.get(top)
    return found if found is not None else Source(top=top)


def single_share(count: Count, top: float, *, negative: bool = False) -> Source:
    """One share scored ``top × share`` (or ``top × (1 − share)`` when ``negative``)."""
    if count.asked == 0:
        return exact(top)
    return Source(((top, count.yes, count.asked),), count, negative, top)


def mean_of_shares(counts: Sequence[Count | None], parts: int, top: float) -> Source:
    """A mean of ``parts`` shares × ``top`` (social-2018 1.3): always composite, even with one
    part. Missing or empty counts contribute nothing; ``parts`` still counts a part scored 0 by
    the "zero" policy and leaves out a part dropped by renormalization."""
    if parts == 0:
        return exact(top)
    return Source(tuple((top / parts, c.yes, c.asked) for c in counts if c is not None and c.asked > 0),
                  top=top)


def value_source(kind: str, raw: Any, top: float) -> Source:
    """The source of a value-kind figure (:mod:`scoring.kinds`): a ``share`` or
    ``negative_share`` given as a survey count is a single share; everything else (a share typed
    as a number, a ratio, yes/no, levels, minutes, complaints) is exact."""
    if kind in ("share", "negative_share") and isinstance(raw, Count):
        return single_share(raw, top, negative=kind == "negative_share")
    return exact(top)


def source_sd(source: Source, sd_of: Callable[[float, float], float] = term_sd) -> float:
    """The figure's standard deviation in its units, ``Σ coefficient × sd_of(yes, asked)`` over
    its terms (``sd_of`` gives a count's sd as a fraction: Agresti–Coull by default)."""
    return sum(coef * sd_of(yes, asked) for coef, yes, asked in source.terms)


def around(value: float, sd: float, top: float) -> Interval:
    """``value ± z·sd`` clipped to ``[0, top]`` (never past the value itself)."""
    lo = min(value, max(0.0, value - Z * sd))
    hi = max(value, min(top, value + Z * sd))
    return lo, hi


def _single(value: float, source: Source, single: Count) -> Interval:
    """A single share's Wilson interval in the figure's units (mirrored for a negative share)."""
    bounds = wilson(single.yes, single.asked)
    assert bounds is not None  # single_share() never keeps an empty count
    lo, hi = bounds[0] * source.top, bounds[1] * source.top
    if source.negative:
        lo, hi = source.top - hi, source.top - lo
    return min(lo, value), max(hi, value)


def _shrink(value: float, bounds: Interval, f: float) -> Interval:
    """Both distances from the estimate to the bounds multiplied by ``f`` (0 ≤ f ≤ 1)."""
    return value - f * (value - bounds[0]), value + f * (bounds[1] - value)


def interval(value: float | None, source: Source, population: int | None = None) -> Interval | None:
    """The 95 % interval of a figure; ``population`` (recipients, or None) applies the
    finite-population correction. None when the figure has no value."""
    if value is None:
        return None
    if source.exact:
        return value, value
    if source.single is not None:
        bounds = _single(value, source, source.single)
        return bounds if population is None else _shrink(value, bounds, fpc(source.single.asked, population))
    sd_of = term_sd if population is None else (lambda y, n: term_sd(y, n) * fpc(n, population))
    return around(value, source_sd(source, sd_of), source.top)


class FigureSet:
    """The figures of one result with their uncertainty: the one place that turns a figure and
    its :class:`Source` into its sd, intervals and the Russian interval note.

    ``population`` is the organization's recipients (None: unknown, no finite-population
    intervals); ``scale`` sets the decimals of the note. Each figure's sd is computed once:
    an indicator's from its counts, a sum's from the sds of its parts already recorded (the
    same number as :func:`source_sd` over its terms, by linearity).
    """

    def __init__(self, scale: str, population: int | None) -> None:
        self.population = population
        self.digits = digits_for(scale)
        self.explain: dict[str, Figure] = {}
        self.sources: dict[str, Source] = {}
        self.intervals: dict[str, Interval | None] = {}
        self.intervals_fpc: dict[str, Interval | None] = {}  # filled only with a population
        self.sd: dict[str, float | None] = {}
        self._sd_fpc: dict[str, float] = {}

    def add(self, fig: Figure, source: Source) -> None:
        """Record an indicator; its sd comes from its own survey counts."""
        sd = sd_fpc = 0.0
        population = self.population
        for coef, yes, asked in source.terms:
            part = coef * (share_sd(yes, asked) or 0.0)
            sd += part
            if population is not None:
                sd_fpc += part * fpc(asked, population)
        self._record(fig, source, sd, sd_fpc)

    def add_sum(self, fig: Figure, parts: Sequence[tuple[float, str]], top: float) -> None:
        """Record ``Σ weight × figure`` over figures already recorded (keys with their weights;
        only figures with a value): worst case, so the sds add up with the same weights, and
        the sum's terms are its figures' terms times the weights."""
        sources, sds, sds_fpc = self.sources, self.sd, self._sd_fpc
        terms: list[tuple[float, float, float]] = []
        sd = sd_fpc = 0.0
        for weight, key in parts:
            src_terms = sources[key].terms
            if src_terms:
                if weight == 1.0:  # social-2014 sums: the terms as they are
                    terms.extend(src_terms)
                else:
                    terms.extend([(weight * coef, yes, asked) for coef, yes, asked in src_terms])
                sd += weight * (sds[key] or 0.0)
                sd_fpc += weight * sds_fpc[key]
        self._record(fig, Source(tuple(terms), top=top) if terms else exact(top), sd, sd_fpc)

    def alias(self, key: str, same_as: str) -> None:
        """Record the uncertainty of ``same_as`` under another key (the integral as "total")."""
        self.sources[key] = self.sources[same_as]
        self.intervals[key] = self.intervals[same_as]
        self.sd[key] = self.sd[same_as]
        self._sd_fpc[key] = self._sd_fpc[same_as]
        if self.population is not None:
            self.intervals_fpc[key] = self.intervals_fpc[same_as]

    def fpc(self) -> dict[str, Interval | None] | None:
        """The finite-population intervals, or None when the recipients are unknown."""
        return None if self.population is None else self.intervals_fpc

    def _record(self, fig: Figure, source: Source, sd: float, sd_fpc: float) -> None:
        key, value, population = fig.key, fig.value, self.population
        self.sources[key] = source
        self._sd_fpc[key] = sd_fpc
        if value is None or not source.terms:  # no value, or exact: the note stays as it is
            self.explain[key] = fig
            bounds = None if value is None else (value, value)
            self.intervals[key] = bounds
            self.sd[key] = None if value is None else 0.0
            if population is not None:
                self.intervals_fpc[key] = bounds
            return
        self.sd[key] = sd
        fpc_bounds: Interval | None = None
        if source.single is not None:
            bounds = _single(value, source, source.single)
            if population is not None:
                fpc_bounds = _shrink(value, bounds, fpc(source.single.asked, population))
        else:
            bounds = around(value, sd, source.top)
            if population is not None:
                fpc_bounds = around(value, sd_fpc, source.top)
        self.intervals[key] = bounds
        if population is not None:
            self.intervals_fpc[key] = fpc_bounds
        note = interval_note(fig.note, bounds, fpc_bounds, self.digits, population)
        self.explain[key] = Figure(key, fig.title, value, fig.formula, fig.inputs, note)


# -- display -----------------------------------------------------------------------------------


def digits_for(scale: str) -> int:
    """Decimals shown with intervals: 1 on the 100-point scale, 2 on the 0..1 integral scale."""
    return 2 if scale == "integral" else 1


def fmt_fixed(value: float, digits: int = 1) -> str:
    """Fixed decimals with a decimal comma: 88.0 → «88,0» (−0 shown as 0)."""
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", ",")


def fmt_interval(bounds: Interval, digits: int = 1) -> str:
    """«78,1–88,0»."""
    text = f"{bounds[0]:.{digits}f}–{bounds[1]:.{digits}f}"
    if "-" in text:  # a negative zero (or a negative bound): the careful way
        return f"{fmt_fixed(bounds[0], digits)}–{fmt_fixed(bounds[1], digits)}"
    return text.replace(".", ",")


def fmt_with_interval(value: float | None, bounds: Interval | None, digits: int = 1) -> str:
    """«83,4 (78,1–88,0)»; a value without interval (or an exact one) alone; None → «—»."""
    if value is None:
        return "—"
    if bounds is None or bounds[0] == bounds[1]:
        return fmt_fixed(value, digits)
    return f"{fmt_fixed(value, digits)} ({fmt_interval(bounds, digits)})"


def interval_note(note: str, bounds: Interval, fpc_bounds: Interval | None, digits: int,
                  population: int | None) -> str:
    """A survey-based figure's note with its interval in plain Russian appended, and the
    finite-population one when the recipients are known."""
    text = f"95 % доверительный интервал: {fmt_interval(bounds, digits)}"
    if fpc_bounds is not None and population is not None:
        text += (f" (с поправкой на число получателей услуг, {population}: "
                 f"{fmt_interval(fpc_bounds, digits)})")
    return f"{note}; {text}" if note else text


# -- ratings -----------------------------------------------------------------------------------


class Ranked(Protocol):
    """A rating row: ``scoring.RatingRow`` or anything with these three attributes."""

    @property
    def type(self) -> str: ...

    @property
    def key(self) -> str: ...

    @property
    def position(self) -> int | None: ...


RankedLike = Ranked | tuple[str, str, int | None]
"""A rating row, or a plain ``(type, key, position)`` tuple."""


def _triple(row: RankedLike) -> tuple[str, str, int | None]:
    if isinstance(row, tuple):
        return row
    return row.type, row.key, row.position


def position_ranges(rows: Iterable[RankedLike], intervals: Mapping[str, Interval | None]
                    ) -> dict[str, tuple[int, int]]:
    """Best and worst position of every rated row within its organization type.

    Among the ``n`` rated rows of a type (``position`` not None; rows without a place take no
    range and are not counted): best ``= 1 + #{B : l_B > u_A}``, worst
    ``= n − #{B : u_B < l_A}``, from the intervals of the totals by row key. A row without an
    interval gets no range, and as another row's competitor it is neither surely above nor
    surely below (so it widens their ranges). Bounds are compared after rounding to 9 decimals,
    as the rating compares values, so float noise never separates two organizations the rating
    holds equal (a position always lies within its range).
    """
    by_type: dict[str, list[tuple[str, Interval | None]]] = {}
    for row in rows:
        org_type, key, position = _triple(row)
        if position is not None:
            by_type.setdefault(org_type, []).append((key, intervals.get(key)))
    out: dict[str, tuple[int, int]] = {}
    for members in by_type.values():
        n = len(members)
        lows = sorted(round(b[0], 9) for _, b in members if b is not None)
        highs = sorted(round(b[1], 9) for _, b in members if b is not None)
        for key, bounds in members:
            if bounds is None:
                continue
            above = len(lows) - bisect.bisect_right(lows, round(bounds[1], 9))  # #{B : l_B > u_A}
            below = bisect.bisect_left(highs, round(bounds[0], 9))  # #{B : u_B < l_A}
            out[key] = (1 + above, n - below)
    return out


def indistinguishable_groups(rows: Iterable[RankedLike], ranges: Mapping[str, tuple[int, int]]
                             ) -> dict[str, int]:
    """Groups of rows the survey cannot tell apart, numbered 1, 2, … within each type.

    Two rows whose position ranges overlap are indistinguishable; a group is a chain of such
    rows (the connected components of "overlaps", which are runs of consecutive places). A group
    of one row is told apart from every other. Rows without a range are left out.
    """
    by_type: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        org_type, key, position = _triple(row)
        if position is not None and key in ranges:
            by_type.setdefault(org_type, []).append((position, key))
    out: dict[str, int] = {}
    for members in by_type.values():
        group, reach = 0, 0
        for _, key in sorted(members, key=lambda m: m[0]):
            best, worst = ranges[key]
            if group == 0 or best > reach:
                group, reach = group + 1, worst
            else:
                reach = max(reach, worst)
            out[key] = group
    return out


# -- sample size -------------------------------------------------------------------------------


def responses_needed(result: Result, *, half_width: float = 2.0,
                     limit: int = 10_000_000) -> int | None:
    """How many more respondents would narrow the total's interval to ``± half_width``
    (default ±2 points; on the integral scale the units are integral units).

    Assumption: every survey share stays as it is and every count grows in proportion to the
    respondents: with ``e`` more respondents each count's ``asked`` and ``yes`` are multiplied
    by ``(R + e) / R`` (``R`` = ``result.respondents``, or the largest ``asked`` when unknown),
    so filtered questions keep their share of the respondents and empty ones stay empty. The
    half-width is ``z · sd`` of the total before clipping to the scale, without the
    finite-population correction; the smallest such ``e`` is found by bisection over the exact
    formula (each share's sd falls as its counts grow).

    Returns 0 when the interval is already that narrow; None when the total has no value, no
    survey count feeds it (more answers change nothing), ``R`` is 0, or even ``limit`` more
    respondents would not do.
    """
    total = result.total
    source = result.total_source
    respondents = result.respondents
    if total is None or source.exact:
        return None
    if Z * source_sd(source) <= half_width:
        return 0
    base = respondents if respondents is not None else max(asked for _, _, asked in source.terms)
    if base <= 0:
        return None

    def width(extra: int) -> float:
        k = (base + extra) / base
        return Z * source_sd(source, lambda yes, asked: term_sd(yes * k, asked * k))

    if width(limit) > half_width:
        return None
    lo, hi = 0, limit  # width(lo) > half_width >= width(hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if width(mid) <= half_width:
            hi = mid
        else:
            lo = mid
    return hi
