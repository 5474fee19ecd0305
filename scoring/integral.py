"""Scoring of the "integral" scale (social-2014): coded indicators 0..1, integral = their sum.

Each indicator is scored 0..1 from its raw value in ``AssessmentInput.values[code]`` by its
kind (see :mod:`scoring.kinds` and :mod:`scoring.formulas`). For ``share`` and
``negative_share`` the value may also come from the survey counts: ``survey[code]`` (or
``survey[params.answer]``) as (asked, yes).

- Applicability: an indicator whose ``forms`` do not intersect the organization's forms is
  "не применяется": ``None``, not counted (seed 003 prints «-»).
- No value for an applicable indicator: ``None`` and a warning under "renormalize" (it simply
  adds nothing to the sum), 0 under "zero" — the integral is the same number either way, the
  difference is only whether the code shows «—» or 0.
- A negative share (0243000002) is reported as measured in ``Result.measured`` and counts as
  ``1 − share`` in ``Result.indicators`` and the integral.

``Result.criteria`` holds per-criterion sums; ``Result.integral`` (= ``Result.total``) is the
sum of all applicable scores, full precision.
"""

from __future__ import annotations

from typing import Any

from scoring.formulas import fmt, is_empty, measure
from scoring.model import AssessmentInput, Figure, Indicator, Methodology, Result
from scoring.scope import applies, sample_warning


def raw_value(ind: Indicator, inp: AssessmentInput) -> Any:
    """The raw value of one code: ``values[code]``, else a survey count for share kinds."""
    raw = inp.values.get(ind.key)
    if is_empty(raw) and ind.kind in ("share", "negative_share"):
        raw = inp.survey.get(ind.params.get("answer") or ind.key)
    return None if is_empty(raw) else raw


def score_integral(m: Methodology, inp: AssessmentInput, policy: str) -> Result:
    scores: dict[str, float | None] = {}
    measured: dict[str, Any] = {}
    explain: dict[str, Figure] = {}
    warnings: list[str] = []
    for ind in m.indicators:
        if not applies(ind, inp.organization.forms):
            scores[ind.key] = None
            explain[ind.key] = Figure(ind.key, ind.title, None, "не применяется",
                                      {"forms": sorted(ind.forms or ())},
                                      "показатель не заполняется по формам обслуживания организации")
            continue
        raw = raw_value(ind, inp)
        if raw is None:
            value = 0.0 if policy == "zero" else None
            scores[ind.key] = value
            explain[ind.key] = Figure(ind.key, ind.title, value, "нет данных", {},
                                      "значение не указано")
            warnings.append(f"нет данных: {ind.key} — значение не указано")
            continue
        value_measured, sc, formula = measure(ind.kind, raw, dict(ind.params))
        scores[ind.key] = sc
        measured[ind.key] = value_measured
        note = "в интегральное значение входит 1 − доля" if ind.kind == "negative_share" else ""
        explain[ind.key] = Figure(ind.key, ind.title, sc, formula, {"measured": value_measured}, note)
    criteria: dict[str, float | None] = {}
    for crit in m.criteria:
        vals = [scores[k] for k in crit.indicators if scores[k] is not None]
        total = sum(v for v in vals if v is not None) if vals else None
        criteria[crit.key] = total
        explain[crit.key] = Figure(
            crit.key, crit.title, total,
            f"сумма {len(vals)} применимых показателей = {fmt(total)}" if vals else "нет значений",
            {k: scores[k] for k in crit.indicators},
        )
    counted = [v for v in scores.values() if v is not None]
    integral = sum(counted) if counted else None
    names = " + ".join(k for k, v in criteria.items() if v is not None)
    parts = " + ".join(fmt(v) for v in criteria.values() if v is not None)
    explain["integral"] = Figure(
        "integral", "Интегральное значение", integral,
        f"{names} = {parts} = {fmt(integral)}" if counted else "нет значений",
        dict(criteria),
        f"учтено показателей: {len(counted)} из {len(scores)}",
    )
    warning = sample_warning(m, inp)
    if warning:
        warnings.append(warning)
    return Result(m.slug, m.scale, scores, criteria, integral, integral, explain, tuple(warnings),
                  policy, inp.organization, measured)
