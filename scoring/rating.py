"""Ratings: places within an organization type, under the methodology's rating policy.

- Groups are the organization types in order of first appearance in ``entries``.
- Inside a type: value descending, places from 1. Ties (values equal after rounding to 9
  decimals, so that float noise such as 68.00000000000001 vs 68 never decides a place) follow
  ``RatingPolicy.ties``: ``"shared"`` gives 1, 2, 2, 4; ``"distinct"`` gives 1, 2, 3, 4 in name
  order (seed 004). Tied organizations are listed by name (case-insensitive), then key, so the
  order is reproducible either way.
- An entry without a value, or with reasons in ``insufficient``, takes no place: it is listed
  after the ranked ones of its type («недостаточно данных»), by name, with ``position = None``.
  :func:`rating_reasons` gives those reasons under the policy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from scoring.model import AssessmentInput, Methodology, RatingEntry, RatingPolicy, RatingRow, Result
from scoring.scope import applies, sample_shortfall

NO_VALUE = "нет итогового значения"


def rate(entries: Iterable[RatingEntry], policy: RatingPolicy | None = None) -> list[RatingRow]:
    policy = policy or RatingPolicy()
    groups: dict[str, list[RatingEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.type, []).append(entry)
    rows: list[RatingRow] = []
    for org_type, members in groups.items():
        ranked = sorted(
            (e for e in members if e.value is not None and not e.insufficient),
            key=lambda e: (-round(e.value or 0.0, 9), e.name.casefold(), e.key),
        )
        rest = sorted(
            (e for e in members if e.value is None or e.insufficient),
            key=lambda e: (e.name.casefold(), e.key),
        )
        position = 0
        previous: float | None = None
        for index, e in enumerate(ranked, start=1):
            value = round(e.value or 0.0, 9)
            if policy.ties == "distinct" or value != previous:
                position = index
            previous = value
            rows.append(RatingRow(org_type, position, e.key, e.name, e.value))
        rows.extend(
            RatingRow(org_type, None, e.key, e.name, e.value, e.insufficient or (NO_VALUE,))
            for e in rest
        )
    return rows


def missing_criteria(methodology: Methodology, inp: AssessmentInput,
                     indicators: Mapping[str, float | None]) -> list[str]:
    """Criteria with indicators that apply to the organization, none of which has a value
    (``indicators``: the indicator values of its result).

    A criterion none of whose indicators applies (social-2014: waiting time for a stationary
    organization) is not missing: there was nothing to measure.
    """
    missing = []
    for criterion in methodology.criteria:
        applicable = [
            key for key in criterion.indicators
            if applies(methodology.indicator(key), inp.organization.forms)
        ]
        if applicable and all(indicators.get(key) is None for key in applicable):
            missing.append(criterion.key)
    return missing


def rating_reasons(methodology: Methodology, inp: AssessmentInput, result: Result) -> tuple[str, ...]:
    """Why the organization may not take a place under the methodology's rating policy
    (Russian, one line each); empty when it may."""
    missing = []
    if result.total is not None and methodology.rating.missing_criterion:
        missing = missing_criteria(methodology, inp, result.indicators)
    return reasons_for(methodology, inp, result.total, missing)


def reasons_for(methodology: Methodology, inp: AssessmentInput, total: float | None,
                missing: Sequence[str]) -> tuple[str, ...]:
    """:func:`rating_reasons` from the total and the criteria without a value
    (:func:`missing_criteria`; only read when there is a total and the policy asks)."""
    policy = methodology.rating
    reasons = []
    if total is None:
        reasons.append(NO_VALUE)
    elif policy.missing_criterion and missing:
        label = "нет значения критерия" if len(missing) == 1 else "нет значения критериев"
        reasons.append(f"{label} {', '.join(missing)}")
    if policy.below_sample:
        shortfall = sample_shortfall(methodology, inp)
        if shortfall is not None:
            respondents, need = shortfall
            reasons.append(f"выборка меньше минимальной: опрошено {respondents}, нужно не менее {need}")
    return tuple(reasons)
