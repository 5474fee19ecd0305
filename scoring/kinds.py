"""Formula kinds and the validation of their parameters.

criteria-100 kinds (values 0..100):

- ``info_ratio`` {ratios: [checklist keys of kind "items"]}: mean over the lists of
  ``present / required`` × 100 (seed 001, indicator 1.1);
- ``conditions`` {checklist, points, cap=100}: ``min(cap, points × present conditions)``;
- ``share`` {answer, empty_note}: ``yes / asked × 100`` of one survey count;
- ``share_mean`` {answers: [...], empty_note}: mean of the shares of several counts (1.3).

``empty_note`` is the Russian reason shown when nobody answered (an empty denominator).

Value kinds (social-2014; in a criteria-100 methodology the 0..1 score is multiplied by 100),
the raw value comes from ``AssessmentInput.values[indicator key]``:

- ``share``: ``{"asked", "yes"}`` or a number 0..1 -> the share itself;
- ``score_0_1``: a number 0..1 (or ``{"required", "present"}``) -> itself;
- ``yes_no``: true/false ("yes"/"no") -> 1/0;
- ``level3``: "full"/"partial"/"none" -> 1/0.5/0;
- ``band`` {bands: [[lower bound %, score], ...] ascending, below}: a percent 0..100;
- ``waiting_minutes`` {fast_below=15, slow_above=30}: minutes;
- ``complaints_per_100`` {max_some=5}: complaints per 100 recipients or
  ``{"complaints", "recipients"}``;
- ``negative_share``: like ``share``, scored as ``1 − share``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from scoring.errors import MethodologyError
from scoring.model import Checklist


class Ctx(Protocol):
    scale: str
    checklists: dict[str, Checklist]
    answers: set[str]


@dataclass(frozen=True)
class Param:
    check: Callable[[Any, str, Ctx], Any]
    required: bool = False
    default: Any = None


def _checklist(kind: str) -> Callable[[Any, str, Ctx], str]:
    def check(value: Any, path: str, ctx: Ctx) -> str:
        found = ctx.checklists.get(value) if isinstance(value, str) else None
        if found is None or found.kind != kind:
            names = sorted(k for k, c in ctx.checklists.items() if c.kind == kind)
            raise MethodologyError(path, f"нет чек-листа вида «{kind}» «{value}»; есть: {', '.join(names) or '—'}")
        return str(value)

    return check


def _checklists(kind: str) -> Callable[[Any, str, Ctx], list[str]]:
    one = _checklist(kind)

    def check(value: Any, path: str, ctx: Ctx) -> list[str]:
        if not isinstance(value, list) or not value:
            raise MethodologyError(path, "ожидается непустой список")
        return [one(v, f"{path}[{i}]", ctx) for i, v in enumerate(value)]

    return check


def _answer(value: Any, path: str, ctx: Ctx) -> str | None:
    if value is None:
        if ctx.scale == "criteria-100":
            raise MethodologyError(path, "обязательное поле отсутствует")
        return None
    if not isinstance(value, str) or not value:
        raise MethodologyError(path, "ожидается ключ ответа анкеты")
    if ctx.answers and value not in ctx.answers:
        raise MethodologyError(path, f"в анкете нет вопроса с answer_key «{value}»")
    return value


def _answers(value: Any, path: str, ctx: Ctx) -> list[str]:
    if not isinstance(value, list) or not value:
        raise MethodologyError(path, "ожидается непустой список")
    out = []
    for i, v in enumerate(value):
        checked = _answer(v, f"{path}[{i}]", ctx)
        if checked is None:
            raise MethodologyError(f"{path}[{i}]", "ожидается ключ ответа анкеты")
        out.append(checked)
    return out


def _number(lo: float, hi: float) -> Callable[[Any, str, Ctx], float]:
    def check(value: Any, path: str, ctx: Ctx) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise MethodologyError(path, "ожидается число")
        if not lo <= value <= hi:
            raise MethodologyError(path, f"значение {value} вне диапазона {lo:g}…{hi:g}")
        return float(value)

    return check


def _bands(value: Any, path: str, ctx: Ctx) -> list[tuple[float, float]]:
    if not isinstance(value, list) or not value:
        raise MethodologyError(path, "ожидается непустой список пар [нижняя граница %, балл]")
    out: list[tuple[float, float]] = []
    for i, pair in enumerate(value):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise MethodologyError(f"{path}[{i}]", "ожидается пара [нижняя граница %, балл]")
        lower = _number(0, 100)(pair[0], f"{path}[{i}][0]", ctx)
        score = _number(0, 1)(pair[1], f"{path}[{i}][1]", ctx)
        if out and lower <= out[-1][0]:
            raise MethodologyError(f"{path}[{i}][0]", "границы должны возрастать")
        out.append((lower, score))
    return out


def _text(value: Any, path: str, ctx: Ctx) -> str:
    if not isinstance(value, str):
        raise MethodologyError(path, "ожидается строка")
    return value


KIND_PARAMS: dict[str, dict[str, Param]] = {
    "info_ratio": {"ratios": Param(_checklists("items"), required=True)},
    "conditions": {
        "checklist": Param(_checklist("conditions"), required=True),
        "points": Param(_number(0.01, 100), required=True),
        "cap": Param(_number(0.01, 100), default=100),
    },
    "share": {"answer": Param(_answer), "empty_note": Param(_text, default="")},
    "share_mean": {
        "answers": Param(_answers, required=True),
        "empty_note": Param(_text, default=""),
    },
    "score_0_1": {},
    "yes_no": {},
    "level3": {},
    "band": {
        "bands": Param(_bands, required=True),
        "below": Param(_number(0, 1), default=0),
    },
    "waiting_minutes": {
        "fast_below": Param(_number(0, 24 * 60), default=15),
        "slow_above": Param(_number(0, 24 * 60), default=30),
    },
    "complaints_per_100": {"max_some": Param(_number(0, 100), default=5)},
    "negative_share": {},
}
"""Parameters of each formula kind; a kind absent here is unknown."""

VALUE_KINDS = frozenset(
    {"score_0_1", "yes_no", "level3", "band", "waiting_minutes", "complaints_per_100",
     "negative_share"}
)
"""Kinds whose raw value comes from ``AssessmentInput.values`` (``share`` does on "integral")."""
