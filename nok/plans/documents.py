"""The plan and its execution report as documents in the official layout (DOCX, XLSX), or in
seed 002's (criterion, shortcoming, measure, result): the plan's rows as the organization
wrote and reported them, under the results it was drafted from."""

from __future__ import annotations

import documents
import scoring
from documents.text import roman
from nok.plans.models import Plan, PlanItem, PlanStatus
from nok.scores.models import SnapshotRow
from nok.scores.selectors import snapshot_methodology

FORMATS = ("docx", "xlsx")
LAYOUTS = ("official", "seed002")


def _date(value: object) -> str:
    return value.strftime("%d.%m.%Y") if value is not None else ""  # type: ignore[attr-defined]


def rows_of(plan: Plan) -> list[documents.PlanRow]:
    """The plan's rows as the documents print them (criterion I–V, the measure, its date and
    responsible person, the execution report)."""
    return [
        documents.PlanRow(
            key=item.shortcoming_key, criterion=item.criterion,
            section=roman(item.criterion_number), criterion_title=item.criterion_title,
            shortcoming=item.shortcoming, measure=item.measure, due=_date(item.planned_date),
            responsible=", ".join(p for p in (item.responsible_name, item.responsible_position) if p),
            done=item.done, done_date=_date(item.actual_date))
        for item in plan.items.all()
    ]


def approved_measures(assessment_ids: list[int]) -> dict[int, list[str]]:
    """The measures of each assessment's approved plan, in the plan's order, each once."""
    out: dict[int, list[str]] = {}
    for aid, measure in (PlanItem.objects.filter(plan__assessment_id__in=assessment_ids,
                                                  plan__status=PlanStatus.APPROVED)
                         .exclude(measure="")
                         .order_by("plan__assessment_id", "criterion_number", "position", "id")
                         .values_list("plan__assessment_id", "measure")):
        measures = out.setdefault(aid, [])
        if measure not in measures:
            measures.append(measure)
    return out


def plan_document(plan: Plan, fmt: str, layout: str = "official") -> bytes:
    """The plan as a file: ``fmt`` docx or xlsx, ``layout`` official or seed002."""
    if fmt not in FORMATS or layout not in LAYOUTS:
        raise ValueError(f"{fmt}/{layout}")
    methodology = snapshot_methodology(plan.snapshot)
    frozen = SnapshotRow.objects.get(snapshot=plan.snapshot, assessment=plan.assessment)
    inp = scoring.parse_assessment(frozen.inputs, methodology=methodology)
    org = plan.organization
    campaign = plan.campaign
    assessed = documents.assess(methodology, inp, key=str(plan.assessment_id),
                                registry=documents.Registry.of(
                                    inp, short_name=org.short_name, inn=org.inn,
                                    municipality=org.municipality))
    rows = rows_of(plan)
    document = documents.build_plan(methodology, assessed, documents.Campaign.of(
        methodology, name=campaign.title, year=campaign.year, operator=campaign.operator_name,
        period=f"{_date(campaign.period_start)} — {_date(campaign.period_end)}"), rows)
    if fmt == "xlsx":
        return documents.render_plan_xlsx(document, layout=layout)
    return documents.render_plan_docx(document, layout=layout)
