"""The headline of many organizations at once: the total, its 95 % interval and the reasons it
may not take a place — what a campaign's rating needs, without the explanations.

:func:`scoring.score` explains every figure of one organization (formulas with the numbers put
in, notes, every interval); a rating of thousands of organizations needs three numbers each.
:func:`headlines` computes them with the same rules (:mod:`scoring.aggregate`,
:mod:`scoring.integral`), the same primitives (:mod:`scoring.formulas`,
:mod:`scoring.uncertainty`) and the same arithmetic in the same order, so the numbers are
identical, not merely close: a property test holds them equal to ``score`` and
``rating_reasons`` over random organizations of both methodologies under both empty-part
policies.

:func:`figures` goes one step further for a frozen snapshot of a campaign: every indicator and
criterion with its interval as well (``score``'s numbers, property-tested the same way), still
without the formulas and notes.

Speed comes from reading the methodology once per call: each indicator becomes a small
function of the input, what applies to an organization is worked out once per combination of
service forms, and a figure is a pair ``(value, sd)`` — ``sd`` None for an exact figure (an
observation, or one without a value), the Agresti–Coull standard deviation in the figure's
units when it rests on survey counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from scoring.errors import InputError
from scoring.formulas import conditions_points, is_empty, mean, measured_score, ratio
from scoring.integral import raw_value
from scoring.model import (
    EMPTY_POLICIES,
    AssessmentInput,
    Count,
    Indicator,
    Interval,
    Methodology,
)
from scoring.rating import rating_reasons, reasons_for
from scoring.scope import applies
from scoring.scorer import score
from scoring.uncertainty import around, interval, share_sd, single_share

_Fig = tuple[float | None, float | None]
_Op = Callable[[AssessmentInput], _Fig]
_Scope = tuple[list[_Op], list[tuple[str, list[int]]]]
_NONE: _Fig = (None, None)
_ZERO: _Fig = (0.0, None)


@dataclass(frozen=True, slots=True)
class Headline:
    """One organization's total (None: no value), its 95 % interval (None without a value) and
    why it may not take a place (empty when it may)."""

    total: float | None
    interval: Interval | None
    insufficient: tuple[str, ...]


def headlines(m: Methodology, inputs: Iterable[AssessmentInput], *,
              empty_policy: str | None = None) -> list[Headline]:
    """The headline of each organization, in the order given."""
    policy = empty_policy or m.empty_policy
    if policy not in EMPTY_POLICIES:
        raise InputError("empty_policy", f"«{policy}» — допустимо: {', '.join(EMPTY_POLICIES)}")
    zero = policy == "zero"
    integral = m.scale == "integral"
    ops = [(_integral_op if integral else _criteria_op)(m, ind, zero) for ind in m.indicators]
    position = {ind.key: i for i, ind in enumerate(m.indicators)}
    criteria = [[(m.indicator(k).weight, position[k]) for k in c.indicators] for c in m.criteria]
    total_of = _integral_total if integral else _criteria_total
    # Per combination of service forms: the indicators' functions (a constant "no value" for
    # those that do not apply) and, per criterion, the positions of those that do.
    in_scope: dict[tuple[str, ...], _Scope] = {}
    ask_missing = m.rating.missing_criterion
    # The reasons depend on little (no total, the criteria missing, the sample against the
    # minimum): thousands of organizations share a few, worked out once each.
    reasons: dict[tuple[Any, ...], tuple[str, ...]] = {}
    out = []
    for inp in inputs:
        scope_ops, applicable = _scope(m, ops, position, in_scope, inp.organization.forms)
        figs = [op(inp) for op in scope_ops]
        total, sd, top = total_of(figs, criteria)
        missing: list[str] = []
        if total is not None and ask_missing:
            missing = [key for key, idx in applicable if idx and all(figs[i][0] is None for i in idx)]
        bounds: Interval | None = None
        if total is not None:
            bounds = (total, total) if sd is None else around(total, sd, top)
        key = (total is None, *missing, None, inp.respondents, inp.organization.recipients)
        why = reasons.get(key)
        if why is None:
            why = reasons[key] = reasons_for(m, inp, total, missing)
        out.append(Headline(total, bounds, why))
    return out


@dataclass(frozen=True, slots=True)
class Figures:
    """One organization's figures without their explanations: ``indicators``, ``criteria``,
    ``total`` and ``intervals`` as :func:`scoring.score` gives them (the same numbers, keyed and
    ordered the same way), and why it may not take a place (:func:`scoring.rating_reasons`)."""

    indicators: dict[str, float | None]
    criteria: dict[str, float | None]
    total: float | None
    intervals: dict[str, Interval | None]
    insufficient: tuple[str, ...]


def figures(m: Methodology, inputs: Iterable[AssessmentInput], *,
            empty_policy: str | None = None) -> list[Figures]:
    """Every figure of each organization and its interval, in the order given — what a frozen
    snapshot keeps of a result — without the formulas and notes :func:`scoring.score` writes
    for people to read (most of its time). The criteria-100 scale is computed like
    :func:`headlines`, the indicators' functions read once per call; the integral scale goes
    through :func:`scoring.score` one organization at a time."""
    policy = empty_policy or m.empty_policy
    if policy not in EMPTY_POLICIES:
        raise InputError("empty_policy", f"«{policy}» — допустимо: {', '.join(EMPTY_POLICIES)}")
    if m.scale == "integral":
        out = []
        for inp in inputs:
            result = score(m, inp, empty_policy=policy)
            out.append(Figures(dict(result.indicators), dict(result.criteria), result.total,
                               dict(result.intervals), rating_reasons(m, inp, result)))
        return out
    zero = policy == "zero"
    ops = [_criteria_op(m, ind, zero) for ind in m.indicators]
    singles = [_single_op(ind) for ind in m.indicators]
    keys = [ind.key for ind in m.indicators]
    position = {ind.key: i for i, ind in enumerate(m.indicators)}
    criteria = [(c.key, [(m.indicator(k).weight, position[k]) for k in c.indicators])
                for c in m.criteria]
    in_scope: dict[tuple[str, ...], _Scope] = {}
    ask_missing = m.rating.missing_criterion
    reasons: dict[tuple[Any, ...], tuple[str, ...]] = {}
    out = []
    for inp in inputs:
        scope_ops, applicable = _scope(m, ops, position, in_scope, inp.organization.forms)
        figs = [op(inp) for op in scope_ops]
        # aggregate.score_criteria through uncertainty.FigureSet: an exact figure's interval
        # is its value, a single share's Wilson's, a composite one's value ± z·sd
        indicators: dict[str, float | None] = {}
        intervals: dict[str, Interval | None] = {}
        for key, (value, sd), single in zip(keys, figs, singles, strict=True):
            indicators[key] = value
            if value is None:
                intervals[key] = None
            elif sd is None:
                intervals[key] = (value, value)
            else:
                bounds = single(inp, value) if single is not None else None
                intervals[key] = around(value, sd, 100.0) if bounds is None else bounds
        values: dict[str, float | None] = {}
        present: list[float] = []
        sds: list[float | None] = []
        for ckey, parts in criteria:  # the arithmetic of _criteria_total, kept per criterion
            kept = [(w, figs[i]) for w, i in parts if figs[i][0] is not None]
            if not kept:
                values[ckey] = intervals[ckey] = None
                continue
            weight = sum([w for w, _ in kept])
            value = sum([w * (f[0] or 0.0) for w, f in kept]) / weight
            csd: float | None = None
            for w, f in kept:
                part = f[1]
                if part is not None:
                    csd = (csd or 0.0) + w / weight * part
            values[ckey] = value
            intervals[ckey] = (value, value) if csd is None else around(value, csd, 100.0)
            present.append(value)
            sds.append(csd)
        total: float | None = None
        if present:
            share_of = 1 / len(present)
            total_sd: float | None = None
            for part in sds:
                if part is not None:
                    total_sd = (total_sd or 0.0) + share_of * part
            total = sum(present) / len(present)
            intervals["total"] = (total, total) if total_sd is None else around(total, total_sd, 100.0)
        else:
            intervals["total"] = None
        missing: list[str] = []
        if total is not None and ask_missing:
            missing = [key for key, idx in applicable if idx and all(figs[i][0] is None for i in idx)]
        why_key = (total is None, *missing, None, inp.respondents, inp.organization.recipients)
        why = reasons.get(why_key)
        if why is None:
            why = reasons[why_key] = reasons_for(m, inp, total, missing)
        out.append(Figures(indicators, values, total, intervals, why))
    return out


def _single_op(ind: Indicator) -> Callable[[AssessmentInput, float], Interval | None] | None:
    """The interval of an indicator that is a single share when it has a value resting on
    survey counts (Wilson's, ``uncertainty.interval``), else None; None for an indicator that
    never is. The value follows from the count, so each count's interval is worked out once
    per call: thousands of organizations share a few hundred counts."""
    p, kind = ind.params, ind.kind
    known: dict[tuple[int | float, int | float], Interval | None] = {}
    if kind == "share" and p.get("answer"):
        answer = p["answer"]

        def survey_share(inp: AssessmentInput, value: float) -> Interval | None:
            count = inp.survey.get(answer)
            if count is None:
                return None
            pair = (count.asked, count.yes)
            bounds = known.get(pair, _UNKNOWN)
            if bounds is _UNKNOWN:
                bounds = known[pair] = interval(value, single_share(count, 100.0))
            return bounds

        return survey_share
    if kind in ("share", "negative_share"):
        key, negative = ind.key, kind == "negative_share"

        def value_share(inp: AssessmentInput, value: float) -> Interval | None:
            raw = inp.values.get(key)
            if not isinstance(raw, Count):
                return None
            pair = (raw.asked, raw.yes)
            bounds = known.get(pair, _UNKNOWN)
            if bounds is _UNKNOWN:
                bounds = known[pair] = interval(value, single_share(raw, 100.0, negative=negative))
            return bounds

        return value_share
    return None


_UNKNOWN: Interval = (-1.0, -1.0)  # no interval is ever this: a miss in a cache of intervals


def _scope(m: Methodology, ops: list[_Op], position: dict[str, int],
           known: dict[tuple[str, ...], _Scope], forms: tuple[str, ...]) -> _Scope:
    """For one combination of service forms (worked out once, then kept in ``known``): the
    indicators' functions, a constant "no value" for those that do not apply, and per
    criterion the positions of the indicators that do."""
    scope = known.get(forms)
    if scope is None:
        flags = [applies(ind, forms) for ind in m.indicators]
        scope = known[forms] = (
            [op if flag else _no_value for op, flag in zip(ops, flags, strict=True)],
            [(c.key, [position[k] for k in c.indicators if flags[position[k]]])
             for c in m.criteria])
    return scope


def _no_value(inp: AssessmentInput) -> _Fig:
    """An indicator that does not apply to the organization."""
    return _NONE


def _sd(count: Count, coef: float) -> float:
    """One survey count's term of a figure's sd (``uncertainty.FigureSet.add``)."""
    return 0.0 + coef * (share_sd(count.yes, count.asked) or 0.0)


def _sum_sd(parts: Iterable[tuple[float, float | None]]) -> float | None:
    """``uncertainty.FigureSet.add_sum``: Σ weight × sd over the parts resting on counts; None
    when none does (the sum is exact)."""
    sd: float | None = None
    for weight, part in parts:
        if part is not None:
            sd = (sd or 0.0) + weight * part
    return sd


# -- criteria-100 (scoring.aggregate) ----------------------------------------------------------


def _criteria_op(m: Methodology, ind: Indicator, zero: bool) -> _Op:
    p, kind = ind.params, ind.kind
    empty = _ZERO if zero else _NONE
    if kind == "info_ratio":
        keys = list(p["ratios"])

        def info_ratio(inp: AssessmentInput) -> _Fig:
            fractions = [ratio(r) if r else None for r in (inp.ratios.get(k) for k in keys)]
            return _mean_of(fractions, zero), None

        return info_ratio
    if kind == "conditions":
        checklist = p["checklist"]
        items = frozenset(it.key for it in m.checklist(checklist).items)
        points, cap = p["points"], p["cap"]

        def conditions(inp: AssessmentInput) -> _Fig:
            present = inp.conditions.get(checklist)
            if present is None:
                return empty
            return conditions_points(len(items & present), points, cap), None

        return conditions
    if kind == "share" and p.get("answer"):
        answer = p["answer"]

        def one_share(inp: AssessmentInput) -> _Fig:
            c = inp.survey.get(answer)
            if c is None:
                return empty
            asked = c.asked
            if asked == 0:
                return empty
            # aggregate._mean_of over one part: mean([yes / asked]) × 100, which is exactly
            # yes / asked × 100; its sd 0.0 + 100 × sd (one term, never negative) exactly
            # 100 × sd
            yes = c.yes
            return yes / asked * 100, 100.0 * (share_sd(yes, asked) or 0.0)

        return one_share
    if kind == "share_mean":
        answers = list(p["answers"])

        def share_mean(inp: AssessmentInput) -> _Fig:
            counts = [inp.survey.get(k) for k in answers]
            shares = [c.yes / c.asked if c is not None and c.asked else None for c in counts]
            value = _mean_of(shares, zero)
            if all(f is None for f in shares):
                return value, None
            parts = len(shares) if zero else sum(1 for f in shares if f is not None)
            sd = None
            for c in counts:  # uncertainty.mean_of_shares: one term per count with answers
                if c is not None and c.asked > 0:
                    sd = (sd or 0.0) + 100.0 / parts * (share_sd(c.yes, c.asked) or 0.0)
            return value, sd

        return share_mean
    key = ind.key

    def value_kind(inp: AssessmentInput) -> _Fig:
        raw = inp.values.get(key)
        if is_empty(raw):
            return empty
        _, sc = measured_score(kind, raw, p)
        return sc * 100, _value_sd(kind, raw, 100.0)

    return value_kind


def _mean_of(fractions: Sequence[float | None], zero: bool) -> float | None:
    """``aggregate._mean_of``'s value: None (or 0 under "zero") without any part."""
    if all(f is None for f in fractions):
        return 0.0 if zero else None
    if zero:
        return mean([f if f is not None else 0.0 for f in fractions]) * 100
    return mean([f for f in fractions if f is not None]) * 100


def _criteria_total(figs: list[_Fig], criteria: list[list[tuple[float, int]]]
                    ) -> tuple[float | None, float | None, float]:
    """The total of ``aggregate.score_criteria`` (the mean of the criteria with a value, each
    the renormalized weighted mean of its indicators with a value) and its sd, in the same
    order of operations (``uncertainty.FigureSet.add_sum``)."""
    values: list[float] = []
    sds: list[float | None] = []
    for parts in criteria:
        kept = [(w, figs[i]) for w, i in parts if figs[i][0] is not None]
        if not kept:
            continue
        weight = sum([w for w, _ in kept])
        values.append(sum([w * (f[0] or 0.0) for w, f in kept]) / weight)
        sd: float | None = None
        for w, f in kept:
            part = f[1]
            if part is not None:
                sd = (sd or 0.0) + w / weight * part
        sds.append(sd)
    if not values:
        return None, None, 100.0
    share_of = 1 / len(values)
    total_sd: float | None = None
    for part in sds:
        if part is not None:
            total_sd = (total_sd or 0.0) + share_of * part
    return sum(values) / len(values), total_sd, 100.0


# -- integral (scoring.integral) ----------------------------------------------------------------


def _integral_op(m: Methodology, ind: Indicator, zero: bool) -> _Op:
    empty = _ZERO if zero else _NONE
    kind, params = ind.kind, ind.params

    def scored(inp: AssessmentInput) -> _Fig:
        raw = raw_value(ind, inp)
        if raw is None:
            return empty
        _, sc = measured_score(kind, raw, params)
        return sc, _value_sd(kind, raw, 1.0)

    return scored


def _integral_total(figs: list[_Fig], criteria: list[list[tuple[float, int]]]
                    ) -> tuple[float | None, float | None, float]:
    counted = [f[0] for f in figs if f[0] is not None]
    if not counted:
        return None, None, 0.0
    sums = []
    for parts in criteria:
        kept = [figs[i] for _, i in parts if figs[i][0] is not None]
        if kept:
            sums.append(_sum_sd((1.0, f[1]) for f in kept))
    return sum(counted), _sum_sd((1.0, sd) for sd in sums), float(len(counted))


def _value_sd(kind: str, raw: Any, top: float) -> float | None:
    """``uncertainty.value_source``: a share given as a survey count rests on it."""
    if kind in ("share", "negative_share") and isinstance(raw, Count):
        return _sd(raw, top)
    return None
