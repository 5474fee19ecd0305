"""The assessment file, format version 1 (METHODOLOGY.md §6): parse and validate.

Top-level keys: ``format`` (must be 1), ``methodology`` (slug), ``organization``
{name, type, forms, recipients}, ``observation`` (checklist key -> {required, present} for
"items" checklists, optionally with ``missing``: the keys of the items not found, or a list of
present condition keys), ``survey`` {respondents, answers: {answer_key: {asked, yes}}},
``values`` (indicator key -> raw value, for value kinds, see :mod:`scoring.kinds`; ``null`` =
not measured), an optional ``control`` (service form -> {recipients, calls: {received,
effective}, emails: {received, effective}, complaints: {registered, resolved}}: the control
protocol as recorded, seed 000; documents print it, the score reads ``values``) and an optional
free-text ``comment``.

Every problem raises :class:`InputError` whose ``field`` is the dotted path of the value
(``survey.answers.timely.yes``, ``observation.remote_channels[2]``). Checked: unknown keys at
any level, types, negative numbers, ``yes > asked``, ``asked > respondents``,
``present > required``, unknown or repeated condition names, unknown methodology, format
version. No file I/O here: the CLI reads JSON/YAML and passes the parsed document.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from scoring.errors import InputError, MethodologyError
from scoring.kinds import VALUE_KINDS
from scoring.methodology import load_methodology
from scoring.model import (
    SERVICE_FORMS,
    AssessmentInput,
    Count,
    FormControl,
    Methodology,
    OrganizationInfo,
    Ratio,
)

_TOP = {"format", "methodology", "organization", "observation", "survey", "values", "control",
        "comment"}
_CONTROL = {"recipients", "calls", "emails", "complaints"}
_ORG = {"name", "type", "forms", "recipients"}
YES = {True: True, False: False, "yes": True, "no": False, "да": True, "нет": False}


def parse_assessment(doc: Mapping[str, Any], *, methodology: Methodology | None = None) -> AssessmentInput:
    """Validate an assessment document and build the :class:`AssessmentInput`.

    Without ``methodology`` the built-in named by ``doc["methodology"]`` is used (an unknown
    name is an error); with it (a region's own file, ``nok score --methodology``) the document
    is validated against that methodology whatever slug it names.
    """
    _keys(doc, "", _TOP)
    for key in ("format", "methodology", "organization"):
        if key not in doc:
            raise InputError(key, "обязательное поле отсутствует")
    if doc["format"] != 1 or isinstance(doc["format"], bool):
        raise InputError("format", f"неподдерживаемая версия формата «{doc['format']}» (ожидается 1)")
    slug = doc["methodology"]
    if not isinstance(slug, str) or not slug:
        raise InputError("methodology", "ожидается код методики, например «social-2018»")
    if methodology is None:
        try:
            methodology = load_methodology(slug)
        except MethodologyError as exc:
            raise InputError("methodology", exc.message) from exc
    if "comment" in doc and not isinstance(doc["comment"], str):
        raise InputError("comment", "ожидается строка")
    org = _organization(doc["organization"])
    ratios, conditions = _observation(doc.get("observation", {}), methodology)
    respondents, survey = _survey(doc.get("survey", {}), methodology)
    values = _values(doc.get("values", {}), methodology)
    control = _control(doc.get("control", {}))
    return AssessmentInput(methodology.slug, org, ratios, conditions, survey, respondents, values,
                           control)


def _keys(value: Any, path: str, allowed: set[str] | frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(path, "ожидается объект")
    for key in value:
        if key not in allowed:
            where = f"{path}.{key}" if path else str(key)
            hint = ", ".join(sorted(allowed))
            raise InputError(where, f"неизвестный ключ (допустимо: {hint})")
    return value


def _int(value: Any, path: str, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(path, "ожидается целое число")
    if value < 0:
        raise InputError(path, f"отрицательное число {value}")
    return value


def _count(value: Any, path: str) -> int:
    result = _int(value, path)
    assert result is not None
    return result


def _number(value: Any, path: str, lo: float = 0.0, hi: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(path, "ожидается число")
    if value < 0:
        raise InputError(path, f"отрицательное число {value}")
    if not lo <= value <= hi:
        raise InputError(path, f"значение {value} вне диапазона {lo:g}…{hi:g}")
    return float(value)


def _organization(raw: Any) -> OrganizationInfo:
    raw = _keys(raw, "organization", _ORG)
    for key in ("name", "type"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise InputError(f"organization.{key}", "ожидается непустая строка")
    forms = raw.get("forms", [])
    if not isinstance(forms, list):
        raise InputError("organization.forms", "ожидается список форм обслуживания")
    for i, form in enumerate(forms):
        if form not in SERVICE_FORMS:
            raise InputError(f"organization.forms[{i}]",
                             f"неизвестная форма «{form}» (допустимо: {', '.join(SERVICE_FORMS)})")
    return OrganizationInfo(raw["name"].strip(), raw["type"].strip(), tuple(dict.fromkeys(forms)),
                            _int(raw.get("recipients"), "organization.recipients", allow_none=True))


def _observation(raw: Any, m: Methodology) -> tuple[dict[str, Ratio], dict[str, frozenset[str]]]:
    raw = _keys(raw, "observation", {c.key for c in m.checklists})
    ratios: dict[str, Ratio] = {}
    conditions: dict[str, frozenset[str]] = {}
    for key, value in raw.items():
        path = f"observation.{key}"
        checklist = m.checklist(key)
        if checklist.kind == "items":
            ratios[key] = _listed_ratio(value, path, [it.key for it in checklist.items])
            continue
        if not isinstance(value, list):
            raise InputError(path, "ожидается список наличествующих условий")
        known = {it.key for it in checklist.items}
        for i, name in enumerate(value):
            if name not in known:
                raise InputError(f"{path}[{i}]", f"неизвестное условие «{name}» (допустимо: {', '.join(sorted(known))})")
            if name in value[:i]:
                raise InputError(f"{path}[{i}]", f"условие «{name}» указано дважды")
        conditions[key] = frozenset(value)
    return ratios, conditions


def _survey(raw: Any, m: Methodology) -> tuple[int | None, dict[str, Count]]:
    raw = _keys(raw, "survey", {"respondents", "answers"})
    respondents = _int(raw.get("respondents"), "survey.respondents", allow_none=True)
    answer_keys = set(m.answer_keys())
    answers = _keys(raw.get("answers", {}), "survey.answers", answer_keys)
    counts: dict[str, Count] = {}
    for key, value in answers.items():
        path = f"survey.answers.{key}"
        counts[key] = _count_pair(value, path)
        if respondents is not None and counts[key].asked > respondents:
            raise InputError(f"{path}.asked", f"ответивших ({counts[key].asked}) больше, чем респондентов ({respondents})")
    return respondents, counts


def _pair(value: Any, path: str, whole: str, part: str, too_many: str) -> tuple[int, int]:
    """``{whole: n, part: k}`` with 0 ≤ k ≤ n; ``too_many`` is formatted with k and n."""
    value = _keys(value, path, {whole, part})
    for key in (whole, part):
        if key not in value:
            raise InputError(f"{path}.{key}", "обязательное поле отсутствует")
    total = _count(value[whole], f"{path}.{whole}")
    sub = _count(value[part], f"{path}.{part}")
    if sub > total:
        raise InputError(f"{path}.{part}", too_many.format(sub, total))
    return total, sub


def _count_pair(value: Any, path: str) -> Count:
    asked, yes = _pair(value, path, "asked", "yes", "ответов «да» ({}) больше, чем ответивших ({})")
    return Count(asked=asked, yes=yes)


def _listed_ratio(value: Any, path: str, items: list[str]) -> Ratio:
    """A normative list's ratio, with the keys of the items not found when given."""
    if not isinstance(value, Mapping) or "missing" not in value:
        return _ratio(value, path)
    ratio = _ratio({k: v for k, v in value.items() if k != "missing"}, path)
    missing = value["missing"]
    if not isinstance(missing, list):
        raise InputError(f"{path}.missing", "ожидается список ключей ненайденных пунктов")
    for i, key in enumerate(missing):
        if key not in items:
            raise InputError(f"{path}.missing[{i}]",
                             f"неизвестный пункт «{key}» (допустимо: {', '.join(items)})")
        if key in missing[:i]:
            raise InputError(f"{path}.missing[{i}]", f"пункт «{key}» указан дважды")
    if len(missing) != ratio.required - ratio.present:
        raise InputError(f"{path}.missing", f"указано {len(missing)} ненайденных пунктов, а "
                                            f"required − present = {ratio.required - ratio.present}")
    ordered = tuple(key for key in items if key in missing)
    return Ratio(required=ratio.required, present=ratio.present, missing=ordered)


def _control(raw: Any) -> dict[str, FormControl]:
    raw = _keys(raw, "control", set(SERVICE_FORMS))
    out: dict[str, FormControl] = {}
    for form, value in raw.items():
        path = f"control.{form}"
        value = _keys(value, path, _CONTROL)
        channels: dict[str, Count | None] = {}
        for channel in ("calls", "emails"):
            if value.get(channel) is None:
                channels[channel] = None
                continue
            received, effective = _pair(value[channel], f"{path}.{channel}", "received",
                                        "effective", "результативных ({}) больше, чем поступило ({})")
            channels[channel] = Count(asked=received, yes=effective)
        complaints = None
        if value.get("complaints") is not None:
            complaints = _pair(value["complaints"], f"{path}.complaints", "registered", "resolved",
                               "решённых ({}) больше, чем зарегистрировано ({})")
        out[form] = FormControl(
            recipients=_int(value.get("recipients"), f"{path}.recipients", allow_none=True),
            calls=channels["calls"], emails=channels["emails"], complaints=complaints,
        )
    return out


def _ratio(value: Any, path: str) -> Ratio:
    required, present = _pair(value, path, "required", "present",
                              "размещено ({}) больше, чем требуется ({})")
    return Ratio(required=required, present=present)


def _values(raw: Any, m: Methodology) -> dict[str, Any]:
    kinds = {i.key: i.kind for i in m.indicators
             if i.kind in VALUE_KINDS or (i.kind == "share" and not i.params.get("answer"))}
    raw = _keys(raw, "values", set(kinds))
    out: dict[str, Any] = {}
    for code, value in raw.items():
        if value is not None:
            out[code] = _value(kinds[code], value, f"values.{code}")
    return out


def _value(kind: str, value: Any, path: str) -> Any:
    if kind in ("share", "negative_share"):
        if isinstance(value, Mapping):
            return _count_pair(value, path)
        return _number(value, path, 0, 1)
    if kind == "score_0_1":
        if isinstance(value, Mapping):
            ratio = _ratio(value, path)
            if ratio.required == 0:
                raise InputError(f"{path}.required", "должно быть больше 0")
            return ratio
        return _number(value, path, 0, 1)
    if kind == "yes_no":
        if not isinstance(value, bool | str) or value not in YES:
            raise InputError(path, "ожидается true/false или «yes»/«no»")
        return YES[value]
    if kind == "level3":
        if value not in ("full", "partial", "none"):
            raise InputError(path, "ожидается «full» (в полном объёме), «partial» (частично) или «none» (отсутствует)")
        return value
    if kind == "band":
        return _number(value, path, 0, 100)
    if kind == "waiting_minutes":
        return _number(value, path)
    if kind == "complaints_per_100":
        if isinstance(value, Mapping):
            value = _keys(value, path, {"complaints", "recipients"})
            complaints = _count(value.get("complaints"), f"{path}.complaints")
            recipients = _count(value.get("recipients"), f"{path}.recipients")
            if recipients == 0:
                raise InputError(f"{path}.recipients", "число получателей должно быть больше 0")
            return (complaints, recipients)
        return _number(value, path)
    raise InputError(path, f"вид показателя «{kind}» не принимает значений")


def to_assessment_file(inp: AssessmentInput, methodology: Methodology, *,
                       comment: str = "") -> dict[str, Any]:
    """The assessment file (format 1) of an input: what :func:`parse_assessment` reads back to
    the same input. Condition lists follow the checklist's order; empty sections are left out."""
    org = inp.organization
    doc: dict[str, Any] = {
        "format": 1,
        "methodology": inp.methodology,
        "organization": {"name": org.name, "type": org.type, "forms": list(org.forms),
                         "recipients": org.recipients},
    }
    observation: dict[str, Any] = {}
    for checklist in methodology.checklists:
        if checklist.key in inp.ratios:
            ratio = inp.ratios[checklist.key]
            observation[checklist.key] = {"required": ratio.required, "present": ratio.present}
            if ratio.missing:
                observation[checklist.key]["missing"] = list(ratio.missing)
        elif checklist.key in inp.conditions:
            present = inp.conditions[checklist.key]
            observation[checklist.key] = [it.key for it in checklist.items if it.key in present]
    if observation:
        doc["observation"] = observation
    if inp.survey or inp.respondents is not None:
        survey: dict[str, Any] = {"respondents": inp.respondents}
        survey["answers"] = {
            key: {"asked": inp.survey[key].asked, "yes": inp.survey[key].yes}
            for key in methodology.answer_keys() if key in inp.survey
        }
        doc["survey"] = survey
    if inp.values:
        doc["values"] = {
            ind.key: _raw(inp.values[ind.key]) for ind in methodology.indicators
            if ind.key in inp.values
        }
    if inp.control:
        doc["control"] = {form: _control_doc(c) for form, c in inp.control.items()}
    if comment:
        doc["comment"] = comment
    return doc


def _control_doc(control: FormControl) -> dict[str, Any]:
    out: dict[str, Any] = {"recipients": control.recipients}
    for channel, count in (("calls", control.calls), ("emails", control.emails)):
        if count is not None:
            out[channel] = {"received": count.asked, "effective": count.yes}
    if control.complaints is not None:
        out["complaints"] = {"registered": control.complaints[0], "resolved": control.complaints[1]}
    return out


def _raw(value: Any) -> Any:
    """A parsed value as the file writes it (the inverse of :func:`_value`)."""
    if isinstance(value, Count):
        return {"asked": value.asked, "yes": value.yes}
    if isinstance(value, Ratio):
        return {"required": value.required, "present": value.present}
    if isinstance(value, tuple):
        complaints, recipients = value
        return {"complaints": complaints, "recipients": recipients}
    return value
