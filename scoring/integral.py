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

Intervals (METHODOLOGY.md §7 applied to this scale, stated in the methodology file's
``uncertainty``; see :mod:`scoring.uncertainty`): a ``share`` given as a survey count (asked,
yes) gets the Wilson interval of the share, in score units 0..1; a ``negative_share`` scored
``1 − share`` gets ``1 −`` its share's interval (bounds swapped). Every other code — and a share
typed as a bare number, whose sample size is unknown — is exact. A criterion sum and the
integral take ``sum ± z · Σ sd_i`` (the Agresti–Coull sds of their shares added up: perfectly
correlated answers, the worst case), clipped to ``[0, number of scores summed]``. The intervals
are keyed by code, criterion, ``"integral"`` and ``"total"`` (the same interval).
"""

from __future__ import annotations

from typing import Any

from scoring.formulas import fmt, is_empty, measure
from scoring.model import AssessmentInput, Figure, Indicator, Methodology, Result
from scoring.scope import applies, sample_warning
from scoring.uncertainty import FigureSet, exact, value_source


def raw_value(ind: Indicator, inp: AssessmentInput) -> Any:
    """The raw value of one code: ``values[code]``, else a survey count for share kinds."""
    raw = inp.values.get(ind.key)
    if is_empty(raw) and ind.kind in ("share", "negative_share"):
        raw = inp.survey.get(ind.params.get("answer") or ind.key)
    return None if is_empty(raw) else raw


def score_integral(m: Methodology, inp: AssessmentInput, policy: str) -> Result:
    scores: dict[str, float | None] = {}
    measured: dict[str, Any] = {}
    figs = FigureSet(m.scale, inp.organization.recipients)
    warnings: list[str] = []
    for ind in m.indicators:
        if not applies(ind, inp.organization.forms):
            scores[ind.key] = None
            figs.add(Figure(ind.key, ind.title, None, "не применяется",
                            {"forms": sorted(ind.forms or ())},
                            "показатель не заполняется по формам обслуживания организации"),
                     exact(1.0))
            continue
        raw = raw_value(ind, inp)
        if raw is None:
            value = 0.0 if policy == "zero" else None
            scores[ind.key] = value
            figs.add(Figure(ind.key, ind.title, value, "нет данных", {}, "значение не указано"),
                     exact(1.0))
            warnings.append(f"нет данных: {ind.key} — значение не указано")
            continue
        value_measured, sc, formula = measure(ind.kind, raw, dict(ind.params))
        scores[ind.key] = sc
        measured[ind.key] = value_measured
        note = "в интегральное значение входит 1 − доля" if ind.kind == "negative_share" else ""
        figs.add(Figure(ind.key, ind.title, sc, formula, {"measured": value_measured}, note),
                 value_source(ind.kind, raw, 1.0))
    criteria: dict[str, float | None] = {}
    for crit in m.criteria:
        vals = [k for k in crit.indicators if scores[k] is not None]
        total = sum(scores[k] or 0.0 for k in vals) if vals else None
        criteria[crit.key] = total
        # a sum of scores: sd_K = Σ sd_i (worst case), clipped to [0, number of scores]
        figs.add_sum(Figure(
            crit.key, crit.title, total,
            f"сумма {len(vals)} применимых показателей = {fmt(total)}" if vals else "нет значений",
            {k: scores[k] for k in crit.indicators},
        ), [(1.0, k) for k in vals], float(len(vals)))
    counted = [k for k, v in scores.items() if v is not None]
    integral = sum(scores[k] or 0.0 for k in counted) if counted else None
    # the integral is the sum of the criterion sums: sd = Σ sd_K = Σ sd_i
    names = " + ".join(k for k, v in criteria.items() if v is not None)
    parts = " + ".join(fmt(v) for v in criteria.values() if v is not None)
    figs.add_sum(Figure(
        "integral", "Интегральное значение", integral,
        f"{names} = {parts} = {fmt(integral)}" if counted else "нет значений",
        dict(criteria),
        f"учтено показателей: {len(counted)} из {len(scores)}",
    ), [(1.0, k) for k, v in criteria.items() if v is not None], float(len(counted)))
    # "total" is the integral under another name (ratings rank on it)
    figs.alias("total", "integral")
    warning = sample_warning(m, inp)
    if warning:
        warnings.append(warning)
    return Result(m.slug, m.scale, scores, criteria, integral, integral, figs.explain, tuple(warnings),
                  policy, inp.organization, measured, intervals=figs.intervals,
                  intervals_fpc=figs.fpc(), sd=figs.sd, total_source=figs.sources["total"],
                  respondents=inp.respondents)
