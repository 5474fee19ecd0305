"""Shortcomings and the measures the catalogue suggests for them (METHODOLOGY.md §5).

One derivation serves the protocol, the rating documents, the improvement plans and the next
round's check, so each shortcoming carries a ``key`` that stays the same across campaigns
(matched by checklist item or indicator, never by its wording):

- every item of a normative list («items» checklist: stand, site) that was not found, when the
  input names it (``Ratio.missing``) — key ``"<checklist>:<item>"``, the item's own wording;
  where a list only has counts, one shortcoming for the list — key ``"<checklist>:*"``;
- every condition of a «conditions» checklist that is absent, even where its indicator already
  reaches 100 (seed 001 recommends navigation and drinking water with 2.1 = 100) — key
  ``"<checklist>:<item>"``;
- every survey share below ``Methodology.share_below`` percent (a 0..1 score × 100), and every
  other social-2014 indicator scoring below 1 (yes/no «нет», a level «частично», a band, the
  waiting time, complaints) — key ``"indicator:<indicator key>"``, the indicator's wording.

An indicator that does not apply, or has no value (no data), gives no shortcoming: a missing
measurement is a gap of the fieldwork, not of the organization.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.formulas import fmt
from scoring.model import AssessmentInput, Checklist, Indicator, Methodology, Result

SHARE_KINDS = frozenset({"share", "share_mean", "negative_share"})


@dataclass(frozen=True)
class Shortcoming:
    """One shortcoming: where it belongs (criterion, indicator), the stable ``key`` matching it
    in the next campaign, the catalogue's wording of it and of the measure."""

    key: str
    criterion: str
    indicator: str
    text: str
    measure: str
    value: float | None = None  # the indicator's value, for shares and scores below the bar

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "criterion": self.criterion, "indicator": self.indicator,
                "text": self.text, "measure": self.measure, "value": self.value}


def _checklists_of(methodology: Methodology, indicator: Indicator) -> list[Checklist]:
    params = indicator.params
    if indicator.kind == "info_ratio":
        return [methodology.checklist(key) for key in params["ratios"]]
    if indicator.kind == "conditions":
        return [methodology.checklist(params["checklist"])]
    return []


def _from_checklists(methodology: Methodology, indicator: Indicator, inp: AssessmentInput,
                     criterion: str) -> list[Shortcoming]:
    out: list[Shortcoming] = []
    for checklist in _checklists_of(methodology, indicator):
        if checklist.kind == "conditions":
            present = inp.conditions.get(checklist.key)
            if present is None:  # not observed: no data, no shortcoming
                continue
            missing = [item for item in checklist.items if item.key not in present]
        else:
            ratio = inp.ratios.get(checklist.key)
            if ratio is None or ratio.present >= ratio.required:
                continue
            if not ratio.missing:
                out.append(Shortcoming(
                    f"{checklist.key}:*", criterion, indicator.key,
                    f"{checklist.title}: размещено {ratio.present} из {ratio.required} "
                    "обязательных пунктов информации",
                    f"разместить недостающую информацию («{checklist.title}») в полном объёме",
                ))
                continue
            missing = [checklist.item(key) for key in ratio.missing]
        out.extend(Shortcoming(f"{checklist.key}:{item.key}", criterion, indicator.key,
                               item.shortcoming, item.recommendation) for item in missing)
    return out


def _below_the_bar(methodology: Methodology, indicator: Indicator, value: float) -> bool:
    """Is an indicator's value a shortcoming? Shares under ``share_below`` percent; on the
    integral scale other kinds under a full score of 1."""
    scale = 1.0 if methodology.scale == "integral" else 100.0
    if indicator.kind in SHARE_KINDS:
        return value / scale * 100 < methodology.share_below - 1e-9
    return methodology.scale == "integral" and value < 1 - 1e-9


def shortcomings(methodology: Methodology, inp: AssessmentInput, result: Result) -> list[Shortcoming]:
    """The organization's shortcomings in the methodology's order (criteria, indicators,
    checklist items); see the module docstring for the rules."""
    out: list[Shortcoming] = []
    for criterion in methodology.criteria:
        for key in criterion.indicators:
            indicator = methodology.indicator(key)
            if _checklists_of(methodology, indicator):
                if result.indicators.get(key) is not None:
                    out.extend(_from_checklists(methodology, indicator, inp, criterion.key))
                continue
            value = result.indicators.get(key)
            if value is None or not indicator.shortcoming:
                continue
            if _below_the_bar(methodology, indicator, value):
                out.append(Shortcoming(f"indicator:{key}", criterion.key, key,
                                       indicator.shortcoming, indicator.recommendation, value))
    return out


def describe_bar(methodology: Methodology) -> str:
    """The rule in plain Russian, printed with every list of shortcomings."""
    rule = (f"доля удовлетворённых ниже {fmt(methodology.share_below)} %")
    if methodology.scale == "integral":
        rule += "; для остальных показателей — балл ниже 1"
    return ("Недостатки: каждый отсутствующий пункт перечней и условие (даже если показатель "
            f"уже достиг максимума), и каждый показатель опроса, где {rule}.")
