"""How a methodology reads on its page: criteria with indicators, weights and formulas in words.

Pure functions over ``scoring.Methodology``; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import scoring
from scoring import fmt, labels


@dataclass(frozen=True)
class IndicatorRow:
    key: str
    title: str
    weight: float
    formula: str
    weight_text: str
    forms: str
    source: str


@dataclass(frozen=True)
class CriterionBlock:
    key: str
    title: str
    indicators: list[IndicatorRow]
    weight_sum: float

    @property
    def weight_sum_text(self) -> str:
        return fmt(self.weight_sum, 4)


def _checklist_title(methodology: scoring.Methodology, key: str) -> str:
    try:
        return f"«{methodology.checklist(key).title}»"
    except KeyError:
        return f"«{key}»"


def _question_text(methodology: scoring.Methodology, answer_key: str) -> str:
    try:
        return f"«{methodology.question_for_answer(answer_key).text}»"
    except KeyError:
        return f"«{answer_key}»"


def formula_text(indicator: scoring.Indicator, methodology: scoring.Methodology) -> str:
    """The indicator's formula in Russian, with its parameters put in."""
    p: Mapping[str, Any] = indicator.params
    scale = " × 100" if methodology.scale == "criteria-100" else ""
    kind = indicator.kind
    if kind == "info_ratio":
        lists = ", ".join(_checklist_title(methodology, k) for k in p["ratios"])
        return f"среднее по спискам {lists} долей «размещено / требуется» × 100"
    if kind == "conditions":
        return (f"{fmt(p['points'])} × число имеющихся условий из перечня "
                f"{_checklist_title(methodology, p['checklist'])}, но не более {fmt(p['cap'])}")
    if kind == "share" and p.get("answer"):
        return f"«да» / ответившие × 100 на вопрос {_question_text(methodology, p['answer'])}"
    if kind == "share_mean":
        parts = "; ".join(_question_text(methodology, a) for a in p["answers"])
        return f"среднее долей «да» / ответившие × 100 по вопросам: {parts}"
    if kind in ("share", "score_0_1"):
        return f"доля (0…1){scale}"
    if kind == "negative_share":
        return f"1 − доля (в интегральное значение идёт дополнение до 1){scale}"
    if kind == "yes_no":
        return f"да → 1, нет → 0{scale}"
    if kind == "level3":
        return f"в полном объёме → 1, частично → 0,5, отсутствует → 0{scale}"
    if kind == "band":
        bands = p["bands"]
        steps = [f"менее {fmt(bands[0][0])} % → {fmt(p['below'])}"] if bands else []
        for (lower, score), upper in zip(bands, [b[0] for b in bands[1:]] + [None], strict=True):
            where = f"{fmt(lower)}–{fmt(upper)} %" if upper is not None else f"от {fmt(lower)} %"
            steps.append(f"{where} → {fmt(score)}")
        return "; ".join(steps) + scale
    if kind == "waiting_minutes":
        return (f"более {fmt(p['slow_above'])} мин → 0; {fmt(p['fast_below'])}–"
                f"{fmt(p['slow_above'])} мин → 0,5; менее {fmt(p['fast_below'])} мин → 1{scale}")
    if kind == "complaints_per_100":
        return (f"жалоб на 100 получателей в год: нет → 1; не более {fmt(p['max_some'])} → 0,5; "
                f"больше → 0{scale}")
    return "по правилу методики"  # a kind this page does not describe yet (never a raw key)


def _forms(indicator: scoring.Indicator) -> str:
    if indicator.forms is None or len(indicator.forms) == len(labels.FORM_LABELS):
        return "все формы"
    return ", ".join(label for key, label in labels.FORM_LABELS.items() if key in indicator.forms)


def criterion_blocks(methodology: scoring.Methodology) -> list[CriterionBlock]:
    """Criteria in order, each with its indicators, weights and formulas."""
    blocks = []
    for criterion in methodology.criteria:
        rows = []
        for key in criterion.indicators:
            indicator = methodology.indicator(key)
            rows.append(IndicatorRow(
                key=indicator.key, title=indicator.title, weight=indicator.weight,
                weight_text=fmt(indicator.weight, 4),
                formula=formula_text(indicator, methodology), forms=_forms(indicator),
                source=labels.source_label(indicator.source),
            ))
        blocks.append(CriterionBlock(criterion.key, criterion.title, rows,
                                     sum(r.weight for r in rows)))
    return blocks


def total_formula(methodology: scoring.Methodology) -> str:
    if methodology.scale == "criteria-100":
        keys = " + ".join(c.key for c in methodology.criteria)
        return (f"критерий = взвешенная сумма его показателей; итог = ({keys}) / "
                f"{len(methodology.criteria)}")
    return ("интегральное значение = сумма оценок (0…1) показателей, применимых к формам "
            "обслуживания организации")


ANSWER_WORDS = {"yes": "«да»", "no": "«нет»"}


def _answer_text(methodology: scoring.Methodology, question_key: str, answer: str) -> str:
    try:
        options = methodology.question(question_key).options
    except KeyError:
        options = ()
    for option in options:
        if option.key == answer:
            return f"«{option.label}»"
    return ANSWER_WORDS.get(answer, f"«{answer}»")


def _question_by_key(methodology: scoring.Methodology, key: str) -> str:
    try:
        return f"«{methodology.question(key).text}»"
    except KeyError:
        return f"«{key}»"


def question_condition(question: scoring.Question, methodology: scoring.Methodology) -> str:
    """«если на вопрос «Пользовались ли вы…» ответили «да»» (the filter of a question)."""
    if not question.when:
        return ""
    return "; ".join(
        f"задаётся, если на вопрос {_question_by_key(methodology, k)} ответили "
        f"{_answer_text(methodology, k, v)}" for k, v in question.when.items())


def _indicators_of_answer(methodology: scoring.Methodology, answer_key: str) -> list[str]:
    found = []
    for indicator in methodology.indicators:
        p = indicator.params
        if p.get("answer") == answer_key or answer_key in (p.get("answers") or ()):
            found.append(indicator.key)
    return found


def question_notes(methodology: scoring.Methodology) -> list[tuple[scoring.Question, str]]:
    """Each question with what the page says about it: its type, the indicators its answers
    count in, when it is asked, whether it may be skipped."""
    rows = []
    for question in methodology.questions:
        parts = [labels.QUESTION_TYPES.get(question.type, "вопрос")]
        used = _indicators_of_answer(methodology, question.answer_key or "")
        if used:
            parts.append(("учитывается в показателе " if len(used) == 1
                          else "учитывается в показателях ") + ", ".join(used))
        condition = question_condition(question, methodology)
        if condition:
            parts.append(condition)
        if not question.required:
            parts.append("необязательный")
        rows.append((question, "; ".join(parts)))
    return rows
