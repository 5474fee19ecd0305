"""Page context of one plan (reads only): its rows by criterion, what the viewer may do with it,
the next round's check and the downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from nok.organizations.access import AnyUser, own_organization_id, role_of
from nok.organizations.models import Organization, Role
from nok.plans import selectors
from nok.plans.charts import history_chart
from nok.plans.forms import CommentForm
from nok.plans.models import Plan, PlanStatus, ReportStatus


def downloads(plan: Plan) -> list[tuple[str, str]]:
    """(label, address) of the plan's files: the official form and seed 002's layout, then
    the open data."""
    return [
        ("Официальная форма (DOCX)",
         reverse("plans:document", args=[plan.pk, "official", "docx"])),
        ("Официальная форма (XLSX)",
         reverse("plans:document", args=[plan.pk, "official", "xlsx"])),
        ("Недостатки и мероприятия (DOCX)",
         reverse("plans:document", args=[plan.pk, "seed002", "docx"])),
        ("Таблица CSV", reverse("plans:export", args=[plan.pk, "csv"])),
        ("Данные JSON", reverse("plans:export", args=[plan.pk, "json"])),
    ]


def plan_page(plan: Plan, user: AnyUser) -> dict[str, Any]:
    today = timezone.localdate()
    own = own_organization_id(user) == plan.organization_id
    ministry = role_of(user) == Role.MINISTRY
    follow = selectors.follow_up(plan)
    sections = selectors.plan_sections(plan, today, follow.checks if follow else None)
    rows = [row for section in sections for row in section.rows]
    return {
        "plan": plan,
        "sections": sections,
        "rows_total": len(rows),
        "incomplete": sum(1 for row in rows if not row.item.complete),
        "overdue": sum(1 for row in rows if row.overdue),
        "accepted": sum(1 for row in rows if row.item.report_status == ReportStatus.ACCEPTED),
        "follow_up": follow,
        "history": list(selectors.plan_history(plan)[:100]),
        "can_edit": own and plan.editable,
        "can_decide": ministry and plan.status == PlanStatus.SUBMITTED,
        "can_report": own and plan.approved,
        "can_review": ministry and plan.approved,
        "comment_form": CommentForm(),
        "downloads": downloads(plan),
        "today": today,
    }


@dataclass(frozen=True)
class HistoryRow:
    result: selectors.YearResult
    values: list[float | None]


@dataclass(frozen=True)
class History:
    """The organization's published results by year, columns as in the latest campaign."""

    columns: list[tuple[str, str]]
    rows: list[HistoryRow]

    @property
    def criteria_note(self) -> str:
        return "; ".join(f"{key} — {title}" for key, title in self.columns) + "."


def organization_results(organization: Organization, user: AnyUser) -> dict[str, Any]:
    """For the organization's card: its criteria and total year over year (a table and a
    chart) and its plans with the next round's check."""
    results = selectors.results_by_year(organization)
    columns = [(key, title) for key, title, _ in results[-1].criteria] if results else []
    rows = [HistoryRow(r, [dict((k, v) for k, _, v in r.criteria).get(key) for key, _ in columns])
            for r in results]
    plans = (selectors.plans_visible_to(user).filter(organization=organization)
             .order_by("-campaign__year", "-campaign__period_start"))
    return {
        "history": History(columns, rows),
        "chart": history_chart(results),
        "plans": [(plan, selectors.follow_up(plan)) for plan in plans],
    }
