"""Page contexts: stored results and methodology arranged for the templates (reads only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nok.assessments import selectors, services
from nok.assessments.models import Assessment, Campaign, CampaignStatus
from nok.methodology.services import methodology_load
from nok.organizations.access import AnyUser, is_operator, sees_everything

if TYPE_CHECKING:
    from nok.surveys.selectors import SampleStatus

NO_DATA = "нет данных"


INPUT_LABELS = {
    "present": "имеется", "missing": "отсутствует", "required": "требуется",
    "asked": "ответили на вопрос", "yes": "ответили «да»", "stand": "стенды", "site": "сайт",
    "points": "баллов за условие", "cap": "максимум", "weights": "веса", "value": "значение",
    "respondents": "респондентов", "policy": "пустые знаменатели",
}


def _figure(
    explain: dict[str, dict[str, Any]], key: str, labels: dict[str, str] | None = None
) -> dict[str, Any] | None:
    """The explanation of one number; item keys of a checklist shown by their labels."""
    figure = explain.get(key)
    if not figure:
        return None
    inputs = figure.get("inputs") or {}
    rows = []
    for name, value in inputs.items():
        if labels and isinstance(value, list):
            value = [labels.get(v, v) if isinstance(v, str) else v for v in value]
        rows.append((INPUT_LABELS.get(name, name), value))
    return figure | {"input_rows": rows}


def _item_labels(method: Any, indicator: Any) -> dict[str, str] | None:
    key = (getattr(indicator, "params", None) or {}).get("checklist")
    for checklist in method.checklists:
        if checklist.key == key:
            return {item.key: item.label for item in checklist.items}
    return None


def _missing_reason(figure: dict[str, Any] | None, default: str) -> str:
    if figure and figure.get("note"):
        return str(figure["note"])
    return default


def score_rows(method: Any, result: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Criteria with their indicators, values, explanations and «нет данных» reasons."""
    result = result or {}
    explain = result.get("explain") or {}
    indicators = result.get("indicators") or {}
    criteria = result.get("criteria") or {}
    titles = {ind.key: ind for ind in method.indicators}
    rows = []
    for criterion in method.criteria:
        items = []
        for key in criterion.indicators:
            indicator = titles.get(key)
            figure = _figure(explain, key, _item_labels(method, indicator))
            value = indicators.get(key)
            items.append({
                "key": key,
                "title": indicator.title if indicator else key,
                "weight": indicator.weight if indicator else None,
                "source": indicator.source if indicator else "",
                "value": value,
                "figure": figure,
                "missing": None if value is not None else _missing_reason(
                    figure, "не применяется к формам обслуживания организации или нет исходных данных"
                ),
            })
        figure = _figure(explain, criterion.key)
        value = criteria.get(criterion.key)
        rows.append({
            "key": criterion.key, "title": criterion.title, "value": value, "figure": figure,
            "missing": None if value is not None else _missing_reason(figure, "нет ни одного показателя"),
            "indicators": items,
        })
    return rows


def assessment_page(
    assessment: Assessment, user: AnyUser, *, include_flagged: bool = False,
    with_scores: bool = True,
) -> dict[str, Any]:
    """Everything the assessment pages share: header, permissions, scores, sample status."""
    from nok.surveys.selectors import sample_status

    campaign = assessment.campaign
    sample = sample_status(assessment)
    method = services.assessment_methodology(assessment)
    context: dict[str, Any] = {
        "assessment": assessment,
        "campaign": campaign,
        "organization": assessment.organization,
        "method": method,
        "can_write": is_operator(user) and campaign.status != CampaignStatus.PUBLISHED,
        "is_integral": method.scale == "integral",
        "include_flagged": include_flagged,
        "sample": sample,
        "sample_missing": max(0, sample.minimum - sample.responses) if sample else 0,
    }
    if not with_scores:
        return context
    if include_flagged:
        result = services.assessment_score_preview(assessment=assessment, include_flagged=True)
        result_dict = result.to_dict()
    else:
        result_dict = assessment.result or {}
    explain = result_dict.get("explain") or {}
    total_key = "integral" if method.scale == "integral" else "total"
    context |= {
        "result": result_dict,
        "rows": score_rows(method, result_dict),
        "total": result_dict.get(total_key, result_dict.get("total")),
        "total_figure": _figure(explain, total_key) or _figure(explain, "total"),
        "warnings": result_dict.get("warnings") or [],
        "stored_total": assessment.total,
    }
    return context


@dataclass(frozen=True)
class ProgressRow:
    """One organization's fieldwork progress on the campaign page."""

    assessment: Assessment
    checklists_filled: int
    checklists_total: int
    sample: SampleStatus | None


def campaign_page(campaign: Campaign, user: AnyUser) -> dict[str, Any]:
    """Campaign header, fieldwork progress per organization and the rating per type."""
    from nok.surveys.selectors import sample_statuses

    method = methodology_load(campaign.methodology)
    assessments = list(selectors.campaign_assessments(campaign, user))
    samples = sample_statuses([a.pk for a in assessments])
    # Organization users see the rating once it is published (then it is public anyway).
    show_rating = sees_everything(user) or campaign.status == CampaignStatus.PUBLISHED
    rating = selectors.campaign_rating_groups(campaign, samples) if show_rating else []
    n_checklists = len(method.checklists)
    progress = [
        ProgressRow(
            assessment=a,
            checklists_filled=a.checklists_filled,
            checklists_total=n_checklists,
            sample=samples.get(a.pk),
        )
        for a in assessments
    ]
    return {
        "campaign": campaign,
        "method": method,
        "progress": progress,
        "rating": rating,
        "show_rating": show_rating,
        "is_integral": method.scale == "integral",
        "can_edit": is_operator(user) and campaign.status != CampaignStatus.PUBLISHED,
        "transitions": services.campaign_transitions_for(campaign, user),
        "filled_total": sum(1 for p in progress if p.checklists_filled == n_checklists),
        "responses_total": sum((p.sample.responses if p.sample else 0) for p in progress),
    }
