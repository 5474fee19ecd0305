"""Methodology documents: the built-in ones (package data) and validation of any document.

A methodology document is JSON (format 1)::

    {"format": 1, "slug": "...", "title": "...", "description": "...", "uncertainty": "...",
     "version": "...", "valid": {"from": 2018, "to": null},
     "scale": "criteria-100" | "integral", "empty_policy": "renormalize" | "zero",
     "sample": {"min_share": 0.4, "cap": 600},
     "rating": {"ties": "shared" | "distinct", "missing_criterion": true, "below_sample": true},
     "shortcomings": {"share_below": 90},
     "criteria": [{"key": "K1", "title": "...", "indicators": [
         {"key": "1.1", "title": "...", "weight": 0.3, "kind": "info_ratio",
          "params": {...}, "source": "observation+site", "forms": [...] | null,
          "shortcoming": "...", "recommendation": "..."}]}],
     "checklists": [{"key": "stand", "title": "...", "kind": "items" | "conditions",
                     "items": [{"key", "label", "shortcoming", "recommendation"}]}],
     "questions": [{"key", "text", "type", "options", "when", "answer_key", "required"}]}

``uncertainty`` (optional, a string) states in Russian how the 95 % intervals of the figures
are computed, for protocols and rating documents to print; the computation itself is the same
for every methodology (METHODOLOGY.md §7, :mod:`scoring.uncertainty`), so a region's file only
restates it. The built-in files state it for their scale.

Every error is a :class:`MethodologyError` whose ``path`` names the value, e.g.
``criteria[2].indicators[1].weight``. On the "criteria-100" scale the weights of a
criterion must sum to 1 (within 1e-6).

``valid`` gives the campaign years the methodology applies to (a new campaign defaults to the
newest one valid for its year); ``rating`` is the rating policy (:class:`scoring.RatingPolicy`:
the tie rule and who is listed under «недостаточно данных»); ``version`` is a free label of the
document's edition, kept with every published result; ``shortcomings.share_below`` is the
percentage under which a survey share is listed as a shortcoming (:mod:`scoring.shortcomings`).
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

from scoring.errors import MethodologyError
from scoring.kinds import KIND_PARAMS
from scoring.model import (
    EMPTY_POLICIES,
    SCALES,
    SERVICE_FORMS,
    TIE_RULES,
    Checklist,
    Criterion,
    Detect,
    Indicator,
    Item,
    Methodology,
    Option,
    Question,
    RatingPolicy,
    SampleRule,
)

BUILTIN: tuple[str, ...] = ("social-2014", "social-2018")
SOURCES = frozenset({"observation", "site", "survey", "calls", "documents", "external"})
QUESTION_TYPES = ("yes_no", "choice", "text")

_TOP = {"format", "slug", "title", "description", "uncertainty", "version", "valid", "scale",
        "empty_policy", "sample", "rating", "shortcomings", "criteria", "checklists", "questions"}
_CRITERION = {"key", "title", "indicators"}
_INDICATOR = {"key", "title", "weight", "kind", "params", "source", "forms",
              "shortcoming", "recommendation"}
_CHECKLIST = {"key", "title", "kind", "items"}
_ITEM = {"key", "label", "shortcoming", "recommendation", "detect"}
_ITEM_REQUIRED = {"key", "label", "shortcoming", "recommendation"}
_DETECT = {"headings", "content", "patterns", "documents", "links", "markers", "exclude", "near",
           "form"}
#: Named content patterns of the website rules (the regular expressions live in ``siteaudit``).
DETECT_PATTERNS: tuple[str, ...] = ("phone", "email", "person_name", "date", "time", "weekday",
                                    "money", "number", "question", "year")
_QUESTION = {"key", "text", "type", "options", "when", "answer_key", "required"}


def builtin_names() -> list[str]:
    """Slugs of the methodologies shipped with the package."""
    return list(BUILTIN)


@cache
def _builtin_text(name: str) -> str:
    return resources.files("scoring.methodologies").joinpath(f"{name}.json").read_text("utf-8")


def builtin_definition(name: str) -> dict[str, Any]:
    """The raw JSON document of a built-in methodology (a fresh copy each call)."""
    if name not in BUILTIN:
        raise MethodologyError("", f"неизвестная методика «{name}»; встроенные: {', '.join(BUILTIN)}")
    doc: dict[str, Any] = json.loads(_builtin_text(name))
    return doc


@cache
def _builtin(name: str) -> Methodology:
    return parse_methodology(builtin_definition(name))


def load_methodology(source: str | Mapping[str, Any]) -> Methodology:
    """A validated :class:`Methodology` from a built-in name or a parsed JSON document."""
    if isinstance(source, str):
        if source not in BUILTIN:
            raise MethodologyError(
                "", f"неизвестная методика «{source}»; встроенные: {', '.join(BUILTIN)}"
            )
        return _builtin(source)
    return parse_methodology(copy.deepcopy(dict(source)))


# -- small typed readers ---------------------------------------------------------------------


def _obj(value: Any, path: str, allowed: set[str], required: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise MethodologyError(path, "ожидается объект")
    for key in value:
        if key not in allowed:
            raise MethodologyError(_join(path, str(key)), "неизвестный ключ")
    for key in sorted(required):
        if key not in value:
            raise MethodologyError(_join(path, key), "обязательное поле отсутствует")
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _str(value: Any, path: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise MethodologyError(path, "ожидается непустая строка")
    return value


def _num(value: Any, path: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MethodologyError(path, "ожидается число")
    if not lo <= value <= hi:
        raise MethodologyError(path, f"значение {value} вне диапазона {lo}…{hi}")
    return float(value)


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise MethodologyError(path, "ожидается список")
    return value


def _choice(value: Any, path: str, allowed: tuple[str, ...] | frozenset[str]) -> str:
    if value not in allowed:
        raise MethodologyError(path, f"«{value}» — допустимо: {', '.join(sorted(allowed))}")
    return str(value)


def _unique(keys: list[str], path: Callable[[int], str]) -> None:
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key in seen:
            raise MethodologyError(path(i), f"ключ «{key}» повторяется")
        seen.add(key)


# -- the document ----------------------------------------------------------------------------


def parse_methodology(doc: Mapping[str, Any]) -> Methodology:
    """Validate a methodology document and build the frozen :class:`Methodology`."""
    doc = _obj(doc, "", _TOP, {"format", "slug", "title", "scale", "criteria"})
    if doc["format"] != 1 or isinstance(doc["format"], bool):
        raise MethodologyError("format", f"неподдерживаемая версия формата «{doc['format']}» (ожидается 1)")
    slug = _str(doc["slug"], "slug")
    scale = _choice(doc["scale"], "scale", SCALES)
    policy = _choice(doc.get("empty_policy", "renormalize"), "empty_policy", EMPTY_POLICIES)
    sample = _sample(doc.get("sample", {}))
    checklists = tuple(
        _checklist(c, f"checklists[{i}]") for i, c in enumerate(_list(doc.get("checklists", []), "checklists"))
    )
    _unique([c.key for c in checklists], lambda i: f"checklists[{i}].key")
    questions = _questions(_list(doc.get("questions", []), "questions"))
    answer_keys = {q.answer_key for q in questions if q.answer_key is not None}
    ctx = _Context(scale, {c.key: c for c in checklists}, answer_keys)
    criteria: list[Criterion] = []
    indicators: list[Indicator] = []
    raw_criteria = _list(doc["criteria"], "criteria")
    if not raw_criteria:
        raise MethodologyError("criteria", "нужен хотя бы один критерий")
    for ci, raw in enumerate(raw_criteria):
        crit, inds = _criterion(raw, f"criteria[{ci}]", ctx)
        criteria.append(crit)
        indicators.extend(inds)
    _unique([c.key for c in criteria], lambda i: f"criteria[{i}].key")
    flat = [(ci, ii, key) for ci, c in enumerate(criteria) for ii, key in enumerate(c.indicators)]
    _unique([k for _, _, k in flat], lambda n: f"criteria[{flat[n][0]}].indicators[{flat[n][1]}].key")
    return Methodology(
        slug=slug,
        title=_str(doc["title"], "title"),
        scale=scale,
        criteria=tuple(criteria),
        indicators=tuple(indicators),
        checklists=checklists,
        questions=questions,
        sample=sample,
        empty_policy=policy,
        description=_str(doc.get("description", ""), "description", empty=True),
        rating=_rating(doc.get("rating", {})),
        share_below=_num(_obj(doc.get("shortcomings", {}), "shortcomings", {"share_below"}, set())
                         .get("share_below", 90), "shortcomings.share_below", 0.0, 100.0),
        version=_str(doc.get("version", ""), "version", empty=True),
        **_valid(doc.get("valid", {})),
        uncertainty=_str(doc.get("uncertainty", ""), "uncertainty", empty=True),
    )


class _Context:
    def __init__(self, scale: str, checklists: dict[str, Checklist], answers: set[str]) -> None:
        self.scale = scale
        self.checklists = checklists
        self.answers = answers


def _sample(raw: Any) -> SampleRule:
    raw = _obj(raw, "sample", {"min_share", "cap"}, set())
    share = _num(raw.get("min_share", 0.4), "sample.min_share", 0.0, 1.0)
    cap = raw.get("cap", 600)
    if isinstance(cap, bool) or not isinstance(cap, int) or cap < 1:
        raise MethodologyError("sample.cap", "ожидается целое число не меньше 1")
    return SampleRule(min_share=share, cap=cap)


def _rating(raw: Any) -> RatingPolicy:
    raw = _obj(raw, "rating", {"ties", "missing_criterion", "below_sample"}, set())
    flags = {}
    for key in ("missing_criterion", "below_sample"):
        value = raw.get(key, True)
        if not isinstance(value, bool):
            raise MethodologyError(f"rating.{key}", "ожидается true или false")
        flags[key] = value
    return RatingPolicy(ties=_choice(raw.get("ties", "distinct"), "rating.ties", TIE_RULES), **flags)


def _valid(raw: Any) -> dict[str, int | None]:
    raw = _obj(raw, "valid", {"from", "to"}, set())
    years: dict[str, int | None] = {}
    for key in ("from", "to"):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 1990 <= value <= 2200):
            raise MethodologyError(f"valid.{key}", "ожидается год (целое число) или null")
        years[f"valid_{key}"] = value
    if years["valid_from"] is not None and years["valid_to"] is not None and (
        years["valid_to"] < years["valid_from"]
    ):
        raise MethodologyError("valid.to", "год окончания раньше года начала")
    return years


def _criterion(raw: Any, path: str, ctx: _Context) -> tuple[Criterion, list[Indicator]]:
    raw = _obj(raw, path, _CRITERION, _CRITERION)
    key = _str(raw["key"], f"{path}.key")
    inds = [
        _indicator(r, f"{path}.indicators[{i}]", key, ctx)
        for i, r in enumerate(_list(raw["indicators"], f"{path}.indicators"))
    ]
    if not inds:
        raise MethodologyError(f"{path}.indicators", "нужен хотя бы один показатель")
    if ctx.scale == "criteria-100":
        total = sum(i.weight for i in inds)
        if abs(total - 1.0) > 1e-6:
            raise MethodologyError(
                f"{path}.indicators[{len(inds) - 1}].weight",
                f"сумма весов показателей критерия {key} равна {total:g}, а должна быть 1",
            )
    crit = Criterion(key=key, title=_str(raw["title"], f"{path}.title"),
                     indicators=tuple(i.key for i in inds))
    return crit, inds


def _indicator(raw: Any, path: str, criterion: str, ctx: _Context) -> Indicator:
    raw = _obj(raw, path, _INDICATOR, {"key", "title", "kind"})
    kind = _choice(raw["kind"], f"{path}.kind", tuple(KIND_PARAMS))
    weight = _num(raw.get("weight", 1.0), f"{path}.weight", 0.0, 1.0)
    if weight == 0:
        raise MethodologyError(f"{path}.weight", "вес показателя должен быть больше 0")
    forms_raw = raw.get("forms")
    forms: frozenset[str] | None = None
    if forms_raw is not None:
        forms_list = _list(forms_raw, f"{path}.forms")
        if not forms_list:
            raise MethodologyError(f"{path}.forms", "пустой список форм (укажите null — все формы)")
        forms = frozenset(_choice(f, f"{path}.forms[{i}]", SERVICE_FORMS) for i, f in enumerate(forms_list))
    source = _str(raw.get("source", "survey"), f"{path}.source")
    for part in source.split("+"):
        _choice(part, f"{path}.source", SOURCES)
    params = _params(kind, raw.get("params", {}), f"{path}.params", ctx)
    return Indicator(
        key=_str(raw["key"], f"{path}.key"),
        title=_str(raw["title"], f"{path}.title"),
        criterion=criterion,
        weight=weight,
        kind=kind,
        params=params,
        forms=forms,
        source=source,
        shortcoming=_str(raw.get("shortcoming", ""), f"{path}.shortcoming", empty=True),
        recommendation=_str(raw.get("recommendation", ""), f"{path}.recommendation", empty=True),
    )


def _params(kind: str, raw: Any, path: str, ctx: _Context) -> dict[str, Any]:
    """Validate the parameters of one formula kind (the table is :data:`KIND_PARAMS`)."""
    spec = KIND_PARAMS[kind]
    raw = _obj(raw, path, set(spec), {k for k, v in spec.items() if v.required})
    if kind in ("info_ratio", "conditions", "share_mean") and ctx.scale != "criteria-100":
        raise MethodologyError(path, f"вид «{kind}» применим только к шкале criteria-100")
    out: dict[str, Any] = {}
    for name, p in spec.items():
        value = raw.get(name, p.default)
        out[name] = p.check(value, _join(path, name), ctx)
    return out


def _checklist(raw: Any, path: str) -> Checklist:
    raw = _obj(raw, path, _CHECKLIST, _CHECKLIST)
    items = []
    for i, it in enumerate(_list(raw["items"], f"{path}.items")):
        ip = f"{path}.items[{i}]"
        it = _obj(it, ip, _ITEM, _ITEM_REQUIRED)
        items.append(Item(
            key=_str(it["key"], f"{ip}.key"),
            label=_str(it["label"], f"{ip}.label"),
            shortcoming=_str(it["shortcoming"], f"{ip}.shortcoming"),
            recommendation=_str(it["recommendation"], f"{ip}.recommendation"),
            detect=_detect(it["detect"], f"{ip}.detect") if "detect" in it else None,
        ))
    _unique([it.key for it in items], lambda i: f"{path}.items[{i}].key")
    return Checklist(
        key=_str(raw["key"], f"{path}.key"),
        title=_str(raw["title"], f"{path}.title"),
        kind=_choice(raw["kind"], f"{path}.kind", ("items", "conditions")),
        items=tuple(items),
    )


def _terms(raw: Any, path: str) -> tuple[str, ...]:
    """A list of website-rule terms; a ``re:`` term must be a valid regular expression."""
    out: list[str] = []
    for i, term in enumerate(_list(raw, path)):
        term = _str(term, f"{path}[{i}]")
        if term.startswith("re:"):
            try:
                re.compile(term[3:])
            except re.error as exc:
                raise MethodologyError(f"{path}[{i}]", f"ошибка в регулярном выражении: {exc}") from None
        out.append(term)
    return tuple(out)


def _groups(raw: Any, path: str) -> tuple[tuple[str, ...], ...]:
    groups = tuple(_terms(group, f"{path}[{i}]") for i, group in enumerate(_list(raw, path)))
    for i, group in enumerate(groups):
        if not group:
            raise MethodologyError(f"{path}[{i}]", "пустая группа слов")
    return groups


def _patterns(raw: Any, path: str) -> tuple[str, ...]:
    return tuple(_choice(p, f"{path}[{i}]", DETECT_PATTERNS) for i, p in enumerate(_list(raw, path)))


def _detect(raw: Any, path: str) -> Detect:
    """The website rules of one checklist item, an optional ``"detect"`` object of the item::

        {"headings": [...], "content": [[...], ...], "patterns": ["phone", ...],
         "documents": [...], "links": [...], "markers": [...], "exclude": [...], "form": true,
         "near": {"within": 300, "content": [[...], ...], "patterns": [...]}}

    Their meaning is documented in the ``siteaudit`` package; here only the shape is checked
    (terms are non-empty strings, ``re:`` terms compile, patterns are known names).
    """
    raw = _obj(raw, path, _DETECT, set())
    form = raw.get("form", False)
    if not isinstance(form, bool):
        raise MethodologyError(f"{path}.form", "ожидается true или false")
    near: int | None = None
    near_content: tuple[tuple[str, ...], ...] = ()
    near_patterns: tuple[str, ...] = ()
    if "near" in raw:
        npath = f"{path}.near"
        raw_near = _obj(raw["near"], npath, {"within", "content", "patterns"}, {"within"})
        near = raw_near["within"]
        if isinstance(near, bool) or not isinstance(near, int) or not 1 <= near <= 5000:
            raise MethodologyError(f"{npath}.within", "ожидается целое число символов от 1 до 5000")
        near_content = _groups(raw_near.get("content", []), f"{npath}.content")
        near_patterns = _patterns(raw_near.get("patterns", []), f"{npath}.patterns")
        if not (near_content or near_patterns):
            raise MethodologyError(npath, "нужны content или patterns")
    detect = Detect(
        headings=_terms(raw.get("headings", []), f"{path}.headings"),
        content=_groups(raw.get("content", []), f"{path}.content"),
        patterns=_patterns(raw.get("patterns", []), f"{path}.patterns"),
        documents=_terms(raw.get("documents", []), f"{path}.documents"),
        links=_terms(raw.get("links", []), f"{path}.links"),
        markers=_terms(raw.get("markers", []), f"{path}.markers"),
        exclude=_terms(raw.get("exclude", []), f"{path}.exclude"),
        form=form,
        near=near,
        near_content=near_content,
        near_patterns=near_patterns,
    )
    if not (detect.headings or detect.documents or detect.links or detect.markers or near):
        raise MethodologyError(
            path, "нужен хотя бы один способ поиска: headings, documents, links, markers или near"
        )
    return detect


def _questions(raw: list[Any]) -> tuple[Question, ...]:
    out: list[Question] = []
    for i, q in enumerate(raw):
        path = f"questions[{i}]"
        q = _obj(q, path, _QUESTION, {"key", "text", "type"})
        qtype = _choice(q["type"], f"{path}.type", QUESTION_TYPES)
        options = tuple(
            Option(
                key=_str(_obj(o, f"{path}.options[{j}]", {"key", "label"}, {"key", "label"})["key"],
                         f"{path}.options[{j}].key"),
                label=_str(o["label"], f"{path}.options[{j}].label"),
            )
            for j, o in enumerate(_list(q.get("options", []), f"{path}.options"))
        )
        if qtype == "yes_no" and not options:
            options = (Option("yes", "Да"), Option("no", "Нет"))
        if qtype == "yes_no" and {o.key for o in options} != {"yes", "no"}:
            raise MethodologyError(f"{path}.options", "вопрос «да/нет» имеет варианты yes и no")
        if qtype == "choice" and len(options) < 2:
            raise MethodologyError(f"{path}.options", "нужно не меньше двух вариантов ответа")
        answer_key = q.get("answer_key")
        if answer_key is not None:
            answer_key = _str(answer_key, f"{path}.answer_key")
            if qtype != "yes_no":
                raise MethodologyError(f"{path}.answer_key", "счёт ведётся только по вопросам «да/нет»")
        when = q.get("when")
        if when is not None:
            when = dict(_obj(when, f"{path}.when", {x.key for x in out}, set()))
            for other, value in when.items():
                allowed = tuple(o.key for o in next(x for x in out if x.key == other).options)
                _choice(value, f"{path}.when.{other}", allowed)
        required = q.get("required", True)
        if not isinstance(required, bool):
            raise MethodologyError(f"{path}.required", "ожидается true или false")
        out.append(Question(key=_str(q["key"], f"{path}.key"), text=_str(q["text"], f"{path}.text"),
                            type=qtype, options=options, when=when, answer_key=answer_key,
                            required=required))
    _unique([q.key for q in out], lambda i: f"questions[{i}].key")
    keyed = [(i, q.answer_key) for i, q in enumerate(out) if q.answer_key is not None]
    _unique([k for _, k in keyed], lambda n: f"questions[{keyed[n][0]}].answer_key")
    return tuple(out)
