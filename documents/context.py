"""The fields a DOCX template may use, per kind: the model objects turned into plain values
(strings, numbers, lists of dicts) for docxtpl. :data:`FIELDS` documents each top-level name;
``documents.templates.build`` writes the shipped templates from the same names, and
:func:`documents.validate.validate_template` refuses a template that uses any other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from documents.model import Plan, Protocol, Rating, Region, TypeSection
from documents.order import draft_order
from documents.text import count, value_text
from scoring.uncertainty import RANGE_SENTENCE

KINDS: tuple[str, ...] = ("protocol", "rating", "region", "plan", "plan_seed002")
"""Template kinds: the organization's protocol, the rating by type, the regional summary report,
the improvement plan in the official layout and in seed 002's."""

KIND_TITLES: dict[str, str] = {
    "protocol": "протокол организации",
    "rating": "рейтинг по типам организаций",
    "region": "сводный отчёт по региону",
    "plan": "план по устранению недостатков (официальная форма)",
    "plan_seed002": "план мероприятий (критерий, замечание, мероприятие, результат)",
}

_CAMPAIGN = "кампания: name, region, period, year, operator, ministry, title, methodology_title, methodology_version"
_ORG = "организация: name, short_name, type, forms (текст), recipients, inn, municipality"

FIELDS: dict[str, dict[str, str]] = {
    "protocol": {
        "campaign": _CAMPAIGN,
        "org": _ORG,
        "value_label": "«Итоговый показатель» или «Интегральное значение»",
        "total": "итог с 95 % интервалом, текст",
        "conclusion": "фраза об итоговом балле",
        "integral": "истина для методики с интегральным значением (нет весов)",
        "criteria": "критерии: number (I–V), key, title, value, lines — показатели: number, title, "
                    "source, value, weight, points, note",
        "survey": "опрос: respondents, recipients, minimum, cap, min_share, sample (фраза), "
                  "lines — вопросы: question, asked, yes, share, interval",
        "control": "протокол звонков и жалоб: columns (формы обслуживания), rows — label, cells; "
                   "conclusions; пусто, если данных нет",
        "shortcomings": "недостатки по критериям: number, title, entries — text, measure",
        "recommendations": "рекомендации (список строк)",
        "policies": "правила расчёта: title, text",
        "notes": "примечания (список строк)",
        "chart": "диаграмма К1–К5 в сравнении со средними (рисунок)",
    },
    "rating": {
        "campaign": _CAMPAIGN,
        "value_label": "«Итоговый балл» или «Интегральное значение критериев»",
        "rule": "правило рейтинга",
        "ranges": "пояснение к возможным местам",
        "count": "«55 организаций, 7 типов организаций»",
        "sections": "типы: type, rows — place, places, name, value, shortcomings (список), "
                    "planned (список); insufficient — name, value, reasons",
    },
    "region": {
        "campaign": _CAMPAIGN,
        "value_label": "«Итоговый показатель» или «Интегральное значение»",
        "count": "число организаций и типов, текст",
        "criteria": "критерии: key, title, value (среднее по региону)",
        "bands": "распределение итогов: label, count, share",
        "types": "по типам: type, count, figures (по критериям), total",
        "criteria_keys": "обозначения критериев (К1…К5)",
        "best": "лучшие: place, name, type, value",
        "weakest": "слабейшие: place, name, type, value",
        "frequent": "частые недостатки: text, measure, count, share",
        "yoy": "сравнение с предыдущей оценкой (пусто, если её нет): previous, before, after, "
               "criteria — key, before, after; changes — name, type, before, after, delta, "
               "resolved, persisting; resolved, persisting, matched",
        "charts": "диаграммы (список рисунков)",
        "order": "проект приказа: title, preamble, points (список), signature",
        "rule": "правило рейтинга",
        "sections": "рейтинг по типам для приложения к приказу (как в рейтинге)",
    },
    "plan": {
        "campaign": _CAMPAIGN,
        "org": _ORG,
        "sections": "разделы по критериям: number (I–V), title, rows — shortcoming, measure, due, "
                    "responsible, done, done_date",
        "rows": "все строки подряд: section, criterion_title, shortcoming, measure, due, "
                "responsible, done, done_date",
        "count": "число недостатков, текст",
    },
}
FIELDS["plan_seed002"] = FIELDS["plan"]

REQUIRED: dict[str, tuple[str, ...]] = {
    "protocol": ("org", "criteria", "total"),
    "rating": ("sections",),
    "region": ("types",),
    "plan": ("org",),
    "plan_seed002": ("org",),
}
"""Fields a template of the kind must print (without them it is not that document)."""


def _campaign(c: Any) -> dict[str, Any]:
    return {**asdict(c), "title": c.title, "banner": c.banner}


def _org(r: Any) -> dict[str, Any]:
    return {**asdict(r), "forms": r.forms_text,
            "recipients": "" if r.recipients is None else str(r.recipients)}


def protocol_context(p: Protocol) -> dict[str, Any]:
    return {
        "campaign": _campaign(p.campaign),
        "org": _org(p.registry),
        "value_label": p.value_label,
        "total": p.total_text,
        "conclusion": p.conclusion,
        "integral": p.scale == "integral",
        "criteria": [
            {"number": b.number, "key": b.key.replace("K", "К"), "title": b.title,
             "value": b.value_text,
             "lines": [{"number": i.number, "title": i.title, "source": i.source,
                        "value": i.value_text, "weight": i.weight_text, "points": i.points_text,
                        "note": i.note} for i in b.lines]}
            for b in p.criteria
        ],
        "survey": {
            "respondents": "—" if p.survey.respondents is None else str(p.survey.respondents),
            "recipients": "—" if p.survey.recipients is None else str(p.survey.recipients),
            "minimum": "—" if p.survey.minimum is None else str(p.survey.minimum),
            "cap": str(p.survey.cap), "min_share": p.survey.min_share_text,
            "sample": p.survey.sample_text,
            "lines": [{"question": s.question, "asked": str(s.asked), "yes": str(s.yes),
                       "share": s.share_text, "interval": s.interval_text} for s in p.survey.lines],
        },
        "control": None if p.control is None else {
            "columns": list(p.control.columns),
            "rows": [{"label": r.label, "cells": list(r.cells)} for r in p.control.rows],
            "conclusions": list(p.control.conclusions),
        },
        "shortcomings": [{"number": g.number, "title": g.title,
                          "entries": [{"text": s.text, "measure": s.measure} for s in g.items]}
                         for g in p.shortcomings],
        "recommendations": list(p.recommendations),
        "policies": [{"title": x.title, "text": x.text} for x in p.policies],
        "notes": list(p.notes),
    }


def rating_context(r: Rating) -> dict[str, Any]:
    return {
        "campaign": _campaign(r.campaign),
        "value_label": r.value_label,
        "rule": r.rule,
        "ranges": RANGE_SENTENCE,
        "count": r.count_text,
        "sections": rating_context_sections(r.sections, r.methodology.scale),
    }


def rating_context_sections(sections: Sequence[TypeSection], scale: str) -> list[dict[str, Any]]:
    return [
            {"type": s.type,
             "rows": [{"place": str(line.place), "places": line.places_text,
                       "name": line.assessed.name, "value": value_text(line.assessed.total, scale),
                       "shortcomings": [x.text for x in line.assessed.shortcomings],
                       "planned": list(line.assessed.planned)} for line in s.rated],
             "insufficient": [{"name": line.assessed.name,
                               "value": value_text(line.assessed.total, scale),
                               "reasons": "; ".join(line.reasons)} for line in s.insufficient]}
            for s in sections
        ]


def region_context(g: Region) -> dict[str, Any]:
    scale = g.methodology.scale
    keys = [c.key for c in g.methodology.criteria]

    def v(x: float | None) -> str:
        return value_text(x, scale)

    def line(item: Any) -> dict[str, str]:
        return {"place": str(item.place), "name": item.assessed.name, "type": item.assessed.type,
                "value": v(item.assessed.total)}

    yoy = g.year_over_year
    return {
        "campaign": _campaign(g.campaign),
        "value_label": "Интегральное значение" if scale == "integral" else "Итоговый показатель",
        "count": (f"{count(len(g.assessed), 'организация', 'организации', 'организаций')}, "
                  f"{count(len(g.types), 'тип', 'типа', 'типов')} организаций"),
        "criteria_keys": [k.replace("K", "К") for k in keys],
        "criteria": [{"key": c.key.replace("K", "К"), "title": c.title, "value": v(g.region.criteria.get(c.key))}
                     for c in g.methodology.criteria],
        "bands": [{"label": b.label, "count": str(b.count), "share": b.share_text} for b in g.bands],
        "types": [{"type": t, "count": str(a.count), "figures": [v(a.criteria.get(k)) for k in keys],
                   "total": v(a.total)} for t, a in [*g.types.items(), ("По региону", g.region)]],
        "best": [line(x) for x in g.best],
        "weakest": [line(x) for x in g.weakest],
        "frequent": [{"text": f.text, "measure": f.measure, "count": str(f.count), "share": f.share_text}
                     for f in g.frequent],
        "yoy": None if yoy is None else {
            "previous": _campaign(yoy.previous)["title"],
            "before": v(yoy.region_before.total), "after": v(yoy.region_after.total),
            "criteria": [{"key": k.replace("K", "К"), "before": v(yoy.region_before.criteria.get(k)),
                          "after": v(yoy.region_after.criteria.get(k))} for k in keys],
            "changes": [{"name": c.name, "type": c.type, "before": v(c.before), "after": v(c.after),
                         "delta": "—" if c.delta is None else
                         ("+" if c.delta > 0 else "") + v(c.delta),
                         "resolved": str(c.resolved), "persisting": str(c.persisting)}
                        for c in yoy.changes],
            "resolved": str(yoy.resolved), "persisting": str(yoy.persisting),
            "matched": str(yoy.matched),
        },
        "order": asdict(draft_order(g)),
        "sections": rating_context_sections(g.sections, scale),
        "rule": g.methodology.rating.describe(),
    }


def plan_context(plan: Plan) -> dict[str, Any]:
    return {
        "campaign": _campaign(plan.campaign),
        "org": _org(plan.registry),
        "sections": [{"number": n, "title": t, "rows": [asdict(r) for r in rows]}
                     for n, t, rows in plan.sections()],
        "rows": [asdict(r) for r in plan.rows],
        "count": count(len(plan.rows), "недостаток", "недостатка", "недостатков"),
    }
