"""Plans as open data: CSV and JSON of one plan, and of all approved plans of a campaign.

CSV has the columns of the official form (the shortcoming, the measure, the planned date, the
responsible person with the position; then what was done and the actual date) preceded by the
criterion, so seed 002's layout (criterion, shortcoming, measure, result) is a selection of its
columns. UTF-8 with a byte-order mark, comma-separated, dates as YYYY-MM-DD — as the campaign's
open-data export. The texts are typed by organizations: a cell starting with «=», «+» or «@»
gets a leading apostrophe, so a spreadsheet program shows it instead of running it as a formula. JSON keeps the same fields under English keys, with Russian labels of the
states beside their codes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from nok.plans.models import Plan, PlanItem

FORMAT = "nok-plan"
VERSION = 1

ORGANIZATION_COLUMNS = ["Организация", "ИНН", "Тип организации"]
COLUMNS = [
    "№ п/п",
    "Критерий",
    "Недостатки, выявленные в ходе независимой оценки качества условий оказания услуг",
    "Наименование мероприятия по устранению недостатков",
    "Плановый срок реализации мероприятия",
    "Ответственный исполнитель (с указанием фамилии, имени, отчества и должности)",
    "Реализованные меры по устранению выявленных недостатков",
    "Фактический срок реализации",
    "Состояние отчёта",
    "Ключ недостатка",
]


def _iso(day: Any) -> str | None:
    return day.isoformat() if day else None


def _items(plan: Plan) -> list[PlanItem]:
    return sorted(plan.items.all(), key=lambda i: (i.criterion_number, i.position, i.pk))


def item_json(number: int, item: PlanItem) -> dict[str, Any]:
    return {
        "number": number,
        "criterion": {"key": item.criterion, "number": item.criterion_roman,
                      "title": item.criterion_title},
        "shortcoming": {"key": item.shortcoming_key or None, "indicator": item.indicator or None,
                        "text": item.shortcoming, "value": item.value},
        "measure": item.measure,
        "planned_date": _iso(item.planned_date),
        "responsible": {"name": item.responsible_name, "position": item.responsible_position},
        "done": item.done,
        "actual_date": _iso(item.actual_date),
        "evidence": {"file": bool(item.evidence), "link": item.evidence_link or None},
        "report": {"status": item.report_status, "label": item.get_report_status_display()},
    }


def plan_json(plan: Plan) -> dict[str, Any]:
    org = plan.organization
    return {
        "organization": {"id": org.pk, "name": org.name, "short_name": org.short_name,
                         "inn": org.inn, "type": org.type.name},
        "campaign": {"id": plan.campaign.pk, "title": plan.campaign.title,
                     "year": plan.campaign.year},
        "status": {"code": plan.status, "label": plan.get_status_display()},
        "submitted_at": plan.submitted_at.isoformat() if plan.submitted_at else None,
        "decided_at": plan.decided_at.isoformat() if plan.decided_at else None,
        "items": [item_json(n, item) for n, item in enumerate(_items(plan), start=1)],
    }


def plan_json_text(plan: Plan) -> str:
    return json.dumps({"format": FORMAT, "version": VERSION} | plan_json(plan),
                      ensure_ascii=False, indent=1) + "\n"


def plans_json_text(campaign: Any, plans: Iterable[Plan]) -> str:
    """The campaign's approved plans (``selectors.published_plans``)."""
    document = {"format": f"{FORMAT}s", "version": VERSION,
                "campaign": {"id": campaign.pk, "title": campaign.title, "year": campaign.year},
                "plans": [plan_json(p) for p in plans]}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _row(number: int, item: PlanItem) -> list[str]:
    return [
        str(number), f"{item.criterion_roman}. {item.criterion_title}", item.shortcoming,
        item.measure, _iso(item.planned_date) or "", item.responsible, item.done,
        _iso(item.actual_date) or "", item.get_report_status_display(), item.shortcoming_key,
    ]


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "@") else text


def _csv(header: list[str], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def plan_csv_text(plan: Plan) -> str:
    return _csv(COLUMNS, (_row(n, item) for n, item in enumerate(_items(plan), start=1)))


def plans_csv_text(plans: Iterable[Plan]) -> str:
    """One line per row of every plan, each preceded by its organization."""
    def rows() -> Iterable[list[str]]:
        for plan in plans:
            org = plan.organization
            for n, item in enumerate(_items(plan), start=1):
                yield [org.name, org.inn, org.type.name, *_row(n, item)]
    return _csv(ORGANIZATION_COLUMNS + COLUMNS, rows())
