"""Page contexts of the campaign and its organizations' results (reads only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator

import scoring
from nok.assessments.models import Assessment, Campaign, CampaignStatus
from nok.assessments.presentation import fieldwork_context
from nok.assessments.selectors import campaign_assessments, checklists_complete
from nok.assessments.templatetags.assessments_tags import plain
from nok.organizations.access import AnyUser, is_operator, role_of, sees_everything
from nok.organizations.models import Role
from nok.scores import selectors
from nok.scores.selectors import AssessmentResult, RatingGroup, ResultRow
from nok.surveys.selectors import (
    SampleStatus,
    responses_counted,
    sample_status,
    sample_statuses,
)
from scoring import labels

T = TypeVar("T")


def _input_name(method: scoring.Methodology, name: str) -> str:
    """An explanation input by what it is, in the methodology's own words: a question by its
    text, a checklist by its title, an indicator or a criterion by its number; anything else
    by its Russian label (scoring.labels)."""
    if (question := _found(method.question_for_answer, name)) is not None:
        return f"вопрос «{question.text}»"
    if (checklist := _found(method.checklist, name)) is not None:
        return f"перечень «{checklist.title}»"
    if _found(method.indicator, name) is not None:
        return f"показатель {name}"
    if _found(method.criterion, name) is not None:
        return f"критерий {name}"
    return labels.INPUT_LABELS.get(name, name)


def _found(find: Callable[[str], T], key: str) -> T | None:
    """``find(key)`` of the methodology's look-ups, or None where it has no such key."""
    try:
        return find(key)
    except KeyError:
        return None


def _input_value(name: str, value: Any, item_labels: dict[str, str] | None) -> Any:
    """Checklist item keys by their labels, service forms by theirs; a group of counts as
    «требуется: 14; имеется: 12»."""
    if name == "forms" and isinstance(value, list):
        return labels.forms_label(value)
    if item_labels and isinstance(value, list):
        return [item_labels.get(v, v) if isinstance(v, str) else v for v in value]
    if isinstance(value, dict):
        return "; ".join(f"{labels.INPUT_LABELS.get(k, k)}: {plain(v)}" for k, v in value.items())
    return value


def _figure(
    method: scoring.Methodology, explain: dict[str, dict[str, Any]], key: str,
    item_labels: dict[str, str] | None = None,
) -> dict[str, Any] | None:
    """The explanation of one number, its inputs named in Russian (no internal keys)."""
    figure = explain.get(key)
    if not figure:
        return None
    inputs = figure.get("inputs") or {}
    rows = [(_input_name(method, name), _input_value(name, value, item_labels))
            for name, value in inputs.items()]
    return figure | {"input_rows": rows}


def _item_labels(method: scoring.Methodology, indicator: Any) -> dict[str, str] | None:
    key = (getattr(indicator, "params", None) or {}).get("checklist")
    for checklist in method.checklists:
        if checklist.key == key:
            return {item.key: item.label for item in checklist.items}
    return None


def _missing_reason(figure: dict[str, Any] | None, default: str) -> str:
    if figure and figure.get("note"):
        return str(figure["note"])
    return default


def score_rows(method: scoring.Methodology, result: dict[str, Any]) -> list[dict[str, Any]]:
    """Criteria with their indicators, values, explanations and «нет данных» reasons."""
    explain = result.get("explain") or {}
    indicators = result.get("indicators") or {}
    criteria = result.get("criteria") or {}
    rows = []
    for criterion in method.criteria:
        items = []
        for key in criterion.indicators:
            indicator = method.indicator(key)
            figure = _figure(method, explain, key, _item_labels(method, indicator))
            value = indicators.get(key)
            items.append({
                "key": key, "title": indicator.title, "weight": indicator.weight,
                "source": indicator.source, "value": value, "figure": figure,
                "missing": None if value is not None else _missing_reason(
                    figure, "не применяется к формам обслуживания организации или нет исходных данных"
                ),
            })
        figure = _figure(method, explain, criterion.key)
        value = criteria.get(criterion.key)
        rows.append({
            "key": criterion.key, "title": criterion.title, "value": value, "figure": figure,
            "missing": None if value is not None else _missing_reason(figure, "нет ни одного показателя"),
            "indicators": items,
        })
    return rows


def result_context(found: AssessmentResult) -> dict[str, Any]:
    """What the score summary and the score table show for one organization."""
    method = found.methodology
    data = found.result.to_dict()
    explain = data.get("explain") or {}
    total_key = "integral" if method.scale == "integral" else "total"
    return {
        "found": found,
        "method": method,
        "result": data,
        "rows": score_rows(method, data),
        "total": found.result.total,
        "total_figure": _figure(method, explain, total_key) or _figure(method, explain, "total"),
        "warnings": list(found.result.warnings),
        "is_integral": method.scale == "integral",
        "include_flagged": found.include_flagged,
    }


def summary_context(assessment: Assessment, *, include_flagged: bool = False) -> dict[str, Any]:
    """The score summary: the total with its explanation, the place, the survey sample."""
    found = selectors.assessment_result(
        assessment, include_flagged=include_flagged and assessment.campaign.collecting)
    sample = sample_status(assessment)
    result = found.result
    total_key = "integral" if found.methodology.scale == "integral" else "total"
    fpc = (result.intervals_fpc or {}).get(total_key)
    return result_context(found) | {
        "sample": sample, "sample_missing": max(0, sample.minimum - sample.responses),
        "total_interval": result.intervals.get(total_key),
        "total_interval_fpc": fpc,
        "recipients": result.organization.recipients if result.organization else None,
        # computed from the formula with the shares kept (scoring.responses_needed), for the
        # current results only: frozen ones take no more responses
        "responses_needed": (scoring.responses_needed(result, half_width=2.0)
                             if found.snapshot is None and not found.include_flagged else None),
        "interval_sentence": scoring.INTERVAL_SENTENCE,
    }


def assessment_page(assessment: Assessment, user: AnyUser, *, include_flagged: bool) -> dict[str, Any]:
    """The organization's results page: the fieldwork header, the sample, every figure."""
    return fieldwork_context(assessment, user) | summary_context(
        assessment, include_flagged=include_flagged) | {"tab": "scores"}


@dataclass(frozen=True)
class ProgressRow:
    """One organization's fieldwork progress and headline figure on the campaign page."""

    assessment: Assessment
    checklists_filled: int
    checklists_total: int
    sample: SampleStatus | None
    total: float | None


PROGRESS_PAGE = 50  # organizations per page of the fieldwork progress


RATING_PAGE = 100  # rows of one type's rating per page


def rating_rows(groups: list[RatingGroup], page: str | None
                ) -> tuple[list[RatingGroup], Page[ResultRow] | None]:
    """The rating's groups as shown: whole while they hold up to ``RATING_PAGE`` rows, else
    the one group shown a page of rows at a time (places first, then «недостаточно данных»);
    the page (None when not cut)."""
    if len(groups) != 1 or len(groups[0].rows) <= RATING_PAGE:
        return groups, None
    [group] = groups
    shown = Paginator(group.rows, RATING_PAGE).get_page(page)
    return [RatingGroup(group.type, list(shown.object_list))], shown


def campaign_page(campaign: Campaign, user: AnyUser, *, page: str | None = None,
                  type_number: str | None = None, rank_page: str | None = None
                  ) -> dict[str, Any]:
    """Campaign header, what may be done next, fieldwork progress (a page of organizations)
    and the rating per type (one type a page in a large campaign: only that type is ranked)."""
    # Organization users see the rating once it is published (then it is public anyway).
    show_rating = sees_everything(user) or campaign.status == CampaignStatus.PUBLISHED
    chosen = int(type_number) if type_number and type_number.isdigit() else None
    shown = selectors.campaign_rating_page(campaign, chosen) if show_rating else None
    results = shown.results if shown else selectors.campaign_results_head(campaign)
    scoped = campaign_assessments(campaign, user)
    progress_page = Paginator(scoped, PROGRESS_PAGE).get_page(page)
    assessments = list(progress_page.object_list)
    ids = [a.pk for a in assessments]
    samples = sample_statuses(ids)
    totals = selectors.campaign_totals(campaign, ids, refreshed=shown is not None)
    checklists = [c.key for c in results.methodology.checklists]
    progress = [
        ProgressRow(a, len(a.observed), len(checklists), samples.get(a.pk), totals.get(a.pk))
        for a in assessments
    ]
    types, type_shown = (shown.types, shown.shown) if shown else ([], 0)
    rating, rating_page = rating_rows(shown.groups() if shown else [], rank_page)
    query = "&".join(part for part in (
        f"type={type_shown}" if type_shown else "",
        f"rank={rating_page.number}" if rating_page and rating_page.number > 1 else "") if part)
    role = role_of(user)
    return {
        "campaign": campaign,
        "results": results,
        "method": results.methodology,
        "progress": progress,
        "progress_page": progress_page,
        "rating": rating,
        "types": types,
        "type_shown": type_shown,
        "rating_page": rating_page,
        "page_query": query,
        "range_sentence": scoring.RANGE_SENTENCE,
        "interval_sentence": scoring.INTERVAL_SENTENCE,
        "show_rating": show_rating,
        "is_integral": results.methodology.scale == "integral",
        "can_edit": is_operator(user) and campaign.collecting,
        "can_close": role == Role.OPERATOR and campaign.collecting,
        "can_return": role in {Role.OPERATOR, Role.MINISTRY}
        and campaign.status == CampaignStatus.REVIEW,
        "can_publish": role == Role.MINISTRY and campaign.status == CampaignStatus.REVIEW,
        "can_reopen": role == Role.MINISTRY and campaign.is_published,
        "can_export": sees_everything(user),
        "snapshots": selectors.campaign_snapshots(campaign) if sees_everything(user) else [],
        "organizations_total": progress_page.paginator.count,
        "filled_total": checklists_complete(scoped, checklists),
        "responses_total": responses_counted(scoped),
    }
