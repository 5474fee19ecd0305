"""Scoring of the "criteria-100" scale (social-2018).

Empty-denominator policy (``Methodology.empty_policy``, overridable per call):

- ``"renormalize"`` (default): an empty part inside a mean (e.g. nobody used the site, so the
  site half of 1.3 has no denominator) is dropped and the mean is taken over the remaining
  parts; an indicator with no data at all gets ``None`` and the remaining weights of its
  criterion are renormalized to sum to 1; a criterion without any value is ``None`` and the
  total is the mean of the remaining criteria.
- ``"zero"``: every empty part and every indicator without data counts as 0 points.

An indicator whose ``forms`` do not intersect the organization's service forms does not apply:
it is ``None`` and excluded with renormalization under either policy. An organization without
listed forms is treated as having all forms.

A checklist absent from ``AssessmentInput.conditions`` means "not observed" (no data); an
empty set means "observed, nothing present" (0 points).

Values are full-precision floats; only the formula texts are rounded (2 decimals).

Every figure also gets its 95 % interval (METHODOLOGY.md §7, :mod:`scoring.uncertainty`):
survey shares by Wilson, 1.3, criteria and the total by worst-case propagation of the shares'
standard deviations; observation figures are exact. A survey-based figure's note states its
interval in Russian (and the finite-population one when the recipients are known).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring import formulas, uncertainty
from scoring.formulas import fmt
from scoring.model import (
    AssessmentInput,
    Criterion,
    Figure,
    Indicator,
    Methodology,
    Result,
    Source,
)
from scoring.scope import applies, sample_warning


@dataclass(frozen=True)
class _Eval:
    value: float | None
    formula: str
    inputs: dict[str, Any]
    note: str = ""
    missing: bool = False  # no data (as opposed to "does not apply")
    source: Source = uncertainty.exact()


def score_criteria(m: Methodology, inp: AssessmentInput, policy: str) -> Result:
    """Score one organization on the criteria-100 scale under the empty-denominator ``policy``."""
    indicators: dict[str, float | None] = {}
    criteria: dict[str, float | None] = {}
    figs = uncertainty.FigureSet(m.scale, inp.organization.recipients)
    warnings: list[str] = []
    for ind in m.indicators:
        ev = _evaluate(m, ind, inp, policy)
        indicators[ind.key] = ev.value
        figs.add(Figure(ind.key, ind.title, ev.value, ev.formula, ev.inputs, ev.note), ev.source)
        if ev.missing:
            warnings.append(f"нет данных: {ind.key} — {ev.note}")
    for crit in m.criteria:
        fig, weighted = _criterion(m, crit, indicators)
        criteria[crit.key] = fig.value
        figs.add_sum(fig, weighted, 100.0)
    present = [(k, v) for k, v in criteria.items() if v is not None]
    total = sum(v for _, v in present) / len(present) if present else None
    parts = " + ".join(fmt(v) for _, v in present)
    names = " + ".join(k for k, _ in present)
    note = ""
    if len(present) < len(criteria):
        note = "без значения: " + ", ".join(k for k, v in criteria.items() if v is None)
    # sd_T = Σ sd_K / m over the m criteria with a value (worst case)
    figs.add_sum(Figure(
        "total", "Итоговый показатель организации", total,
        f"({names}) / {len(present)} = ({parts}) / {len(present)} = {fmt(total)}" if present else "нет данных",
        {k: v for k, v in criteria.items()}, note,
    ), [(1 / len(present), k) for k, _ in present], 100.0)
    warning = sample_warning(m, inp)
    if warning:
        warnings.append(warning)
    return Result(m.slug, m.scale, indicators, criteria, total, None, figs.explain, tuple(warnings),
                  policy, inp.organization, intervals=figs.intervals, intervals_fpc=figs.fpc(),
                  sd=figs.sd, total_source=figs.sources["total"], respondents=inp.respondents)


def _criterion(m: Methodology, crit: Criterion, values: dict[str, float | None]
               ) -> tuple[Figure, list[tuple[float, str]]]:
    """The criterion's figure and its parts for the sd: ``(w'_i, indicator key)``."""
    used = [(m.indicator(k), values[k]) for k in crit.indicators]
    kept = [(ind, v) for ind, v in used if v is not None]
    inputs = {ind.key: {"value": v, "weight": ind.weight} for ind, v in used}
    if not kept:
        return Figure(crit.key, crit.title, None, "нет показателей со значением", inputs,
                      "все показатели критерия исключены"), []
    weight = sum(ind.weight for ind, _ in kept)
    value = sum(ind.weight * v for ind, v in kept) / weight
    # sd_K = Σ w'_i · sd_i with the renormalized weights w'_i = w_i / Σ w (worst case)
    parts = [(ind.weight / weight, ind.key) for ind, _ in kept]
    terms = " + ".join(f"{fmt(ind.weight)} × {fmt(v)}" for ind, v in kept)
    if len(kept) == len(used):
        return Figure(crit.key, crit.title, value, f"{terms} = {fmt(value)}", inputs), parts
    dropped = ", ".join(ind.key for ind, v in used if v is None)
    return Figure(
        crit.key, crit.title, value, f"({terms}) / {fmt(weight)} = {fmt(value)}", inputs,
        f"исключены: {dropped}; веса остальных показателей перенормированы (сумма {fmt(weight)} → 1)",
    ), parts


def _evaluate(m: Methodology, ind: Indicator, inp: AssessmentInput, policy: str) -> _Eval:
    if not applies(ind, inp.organization.forms):
        return _Eval(None, "не применяется", {"forms": sorted(ind.forms or ())},
                     "показатель не применяется к формам обслуживания организации")
    p = ind.params
    if ind.kind == "info_ratio":
        parts = [(key, inp.ratios.get(key)) for key in p["ratios"]]
        fractions = [(key, r, formulas.ratio(r) if r else None) for key, r in parts]
        terms = [f"{r.present}/{r.required}" if r else "нет данных" for _, r, _ in fractions]
        inputs = {key: ({"required": r.required, "present": r.present} if r else None) for key, r in parts}
        names = {key: f"«{_checklist_title(m, key)}»" for key in p["ratios"]}
        return _mean_of(policy, [f for _, _, f in fractions], terms, inputs,
                        "нет сведений о перечнях информации: " + ", ".join(names.values()),
                        uncertainty.exact(), names)
    if ind.kind == "conditions":
        present = inp.conditions.get(p["checklist"])
        checklist = m.checklist(p["checklist"])
        if present is None:
            note = f"чек-лист «{checklist.title}» не заполнен"
            return _Eval(0.0 if policy == "zero" else None, "нет данных", {}, note, True)
        found = [it.key for it in checklist.items if it.key in present]
        missing = [it.key for it in checklist.items if it.key not in present]
        value = formulas.conditions_points(len(found), p["points"], p["cap"])
        product = f"{fmt(p['points'])} × {len(found)}"
        formula = (f"{product} = {fmt(value)}" if value == p["points"] * len(found)
                   else f"{product} = {fmt(p['points'] * len(found))}, но не более {fmt(p['cap'])}")
        return _Eval(value, formula, {"present": found, "missing": missing})
    if ind.kind == "share_mean" or (ind.kind == "share" and p.get("answer")):
        keys = p["answers"] if ind.kind == "share_mean" else [p["answer"]]
        counts = [(k, inp.survey.get(k)) for k in keys]
        shares = [formulas.share(c) if c else None for _, c in counts]
        terms = [f"{c.yes}/{c.asked}" if c else "0/0" for _, c in counts]
        inputs = {k: ({"asked": c.asked, "yes": c.yes} if c else None) for k, c in counts}
        names = {k: f"«{_question_text(m, k)}»" for k in keys}
        note = p.get("empty_note") or (
            ("нет ответов на вопрос анкеты " if len(keys) == 1 else "нет ответов на вопросы анкеты ")
            + "; ".join(names.values()))
        if ind.kind == "share":
            count = counts[0][1]
            source = uncertainty.single_share(count, 100.0) if count else uncertainty.exact()
        else:  # 1.3 is always composite: a mean over the parts used ("zero" keeps empty ones)
            n_parts = len(shares) if policy == "zero" else sum(1 for f in shares if f is not None)
            source = uncertainty.mean_of_shares([c for _, c in counts], n_parts, 100.0)
        return _mean_of(policy, shares, terms, inputs, note, source, names)
    raw = inp.values.get(ind.key)
    if formulas.is_empty(raw):
        return _Eval(0.0 if policy == "zero" else None, "нет данных", {}, "значение не указано", True)
    measured, sc, formula = formulas.measure(ind.kind, raw, dict(p))
    return _Eval(sc * 100, f"({formula}) × 100 = {fmt(sc * 100)}", {"measured": measured},
                 source=uncertainty.value_source(ind.kind, raw, 100.0))


def _checklist_title(m: Methodology, key: str) -> str:
    try:
        return m.checklist(key).title
    except KeyError:
        return key


def _question_text(m: Methodology, answer_key: str) -> str:
    """The question whose answers feed ``answer_key`` (its text, for notes people read)."""
    try:
        return m.question_for_answer(answer_key).text
    except KeyError:
        return answer_key


def _mean_of(policy: str, fractions: list[float | None], terms: list[str],
             inputs: dict[str, Any], empty_note: str, source: Source,
             names: dict[str, str]) -> _Eval:
    """Mean of fractions × 100 with the empty-part policy applied; ``source`` is its
    uncertainty when it has data (without any, the figure is exact or has no value);
    ``names`` are the parts as the notes name them (question texts, checklist titles)."""
    if all(f is None for f in fractions):
        if policy == "zero":
            return _Eval(0.0, "нет данных → 0", inputs, empty_note, True)
        return _Eval(None, "нет данных", inputs, empty_note, True)
    empty = [names.get(k, k) for k, f in zip(inputs, fractions, strict=True) if f is None]
    note = ""
    if policy == "zero":
        used = [f if f is not None else 0.0 for f in fractions]
        shown = terms
        if empty:
            note = "пустая часть засчитана как 0: " + ", ".join(empty)
    else:
        used = [f for f in fractions if f is not None]
        shown = [t for t, f in zip(terms, fractions, strict=True) if f is not None]
        if empty:
            note = "пустая часть исключена: " + ", ".join(empty)
    value = formulas.mean(used) * 100
    if len(shown) == 1:
        formula = f"{shown[0]} × 100 = {fmt(value)}"
    elif len(shown) == 2:
        formula = f"0,5 × ({shown[0]} + {shown[1]}) × 100 = {fmt(value)}"
    else:
        formula = f"({' + '.join(shown)}) / {len(shown)} × 100 = {fmt(value)}"
    return _Eval(value, formula, inputs, note, source=source)
