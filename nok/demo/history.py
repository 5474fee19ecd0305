"""The demo region's two earlier campaigns, published, with their improvement plans.

Fieldwork of the earlier years is written with bulk inserts (checklist ticks, then the survey's
responses and answers with their counters rebuilt by a recount), the organizations a little
weaker the further back; each campaign is then closed and published through the real services,
so its results are computed exactly as any other. The plans are drafted from those published
results (``nok.plans.services.draft_items``: the same rows a real draft gets) and put in every
state — not drafted, draft, on approval, returned, approved with reports accepted, sent,
returned or overdue — with their journal entries, all in bulk, so the build stays fast.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

import scoring
from nok.assessments import services as fieldwork
from nok.assessments.models import Assessment, Campaign, ChecklistTick
from nok.assessments.selectors import observed_recount
from nok.core.models import AuditEntry
from nok.methodology.models import Methodology
from nok.methodology.services import methodology_load
from nok.organizations.models import Membership, Organization, Role
from nok.plans.models import Plan, PlanItem, PlanStatus, ReportStatus
from nok.plans.services import draft_items
from nok.scores import services as scores
from nok.scores.models import Snapshot
from nok.scores.selectors import published_assessment_result
from nok.surveys.models import Response
from nok.surveys.services import vector_hash_of
from nok.surveys.tallies import tally_rebuild

CHUNK = 2000
MINISTRY = "Министерство социальной защиты населения Кузбасса"
FIRST_NAMES = ("Анна", "Елена", "Ольга", "Наталья", "Ирина", "Татьяна", "Светлана", "Марина",
               "Юлия", "Екатерина", "Галина", "Людмила")  # one gender: the surnames are feminine
LAST_NAMES = ("Иванова", "Петрова", "Смирнова", "Кузнецова", "Попова", "Соколова", "Лебедева",
              "Козлова", "Новикова", "Морозова", "Волкова", "Соловьёва")
PATRONYMICS = ("Петровна", "Сергеевна", "Ивановна", "Николаевна", "Александровна",
               "Викторовна")
POSITIONS = ("заместитель директора", "заведующий отделением", "специалист по социальной работе",
             "заместитель директора по АХЧ", "главный бухгалтер", "юрисконсульт")
DONE = ("Работы выполнены, акт приёмки подписан", "Информация размещена на стенде и на сайте",
        "Проведено обучение работников, протокол от {day}", "Оборудование закуплено и установлено",
        "Заключён договор, работы выполнены подрядчиком")
RETURN_COMMENTS = ("Уточните сроки: мероприятия по доступной среде перенесите на следующий год",
                   "Укажите ответственных по каждому мероприятию с должностями",
                   "Мероприятие по пункту 2 не устраняет недостаток: переформулируйте")
REPORT_COMMENTS = ("Приложите акт приёмки работ", "Нет подтверждения: добавьте фото или ссылку")

# What becomes of the plans of the latest published campaign, by the organization's place in
# the registry (a cycle of 20): no plan, draft, on approval, returned, approved.
LATEST_STATES = (["none"] * 2 + [PlanStatus.DRAFT] * 3 + [PlanStatus.SUBMITTED] * 4
                 + [PlanStatus.RETURNED] * 2 + [PlanStatus.APPROVED] * 9)


@dataclass
class Stamp:
    """An audit entry to write, with the moment it happened."""

    entry: AuditEntry
    at: dt.datetime


class History:
    def __init__(self, *, rng: random.Random, today: dt.date, operator: User, ministry: User,
                 quality: dict[int, float], answers: Callable[[Any, float], dict[str, str]],
                 progress: Callable[[str], None], approved_for: frozenset[int] = frozenset()
                 ) -> None:
        """``approved_for``: organizations whose latest plan is approved whatever their place
        (the demo's «org» login sees a plan in execution)."""
        self.rng, self.today, self.operator, self.ministry = rng, today, operator, ministry
        self.approved_for = approved_for
        self.quality, self.answers, self.progress = quality, answers, progress
        self.stamps: list[Stamp] = []
        self.people: dict[int, User] = {}

    def build(self, organizations: Sequence[Organization], title: str) -> list[Campaign]:
        """Campaigns two years and one year back, published, each with its plans."""
        self._people(organizations)
        campaigns = []
        for years_ago in (2, 1):
            campaign = self._campaign(organizations, title, years_ago)
            self._plans(campaign, latest=years_ago == 1)
            campaigns.append(campaign)
            self.progress(f"  кампания {campaign.year} года опубликована, планы составлены")
        self._stamp_all()
        return campaigns

    # --- people ---------------------------------------------------------------------------------

    def _people(self, organizations: Sequence[Organization]) -> None:
        """An organization user per organization (without a password: they only sign the
        plans in the journal; the demo's «org» login is one of them)."""
        existing = {m.organization_id: m.user for m in Membership.objects.filter(
            role=Role.ORGANIZATION).select_related("user") if m.organization_id is not None}
        fresh = []
        for n, org in enumerate(organizations, start=1):
            if org.pk in existing:
                continue
            user = User(username=f"org{n:02d}", first_name=self.rng.choice(FIRST_NAMES),
                        last_name=self.rng.choice(LAST_NAMES), email=f"org{n:02d}@example.ru")
            user.set_unusable_password()
            fresh.append((org, user))
        User.objects.bulk_create([user for _, user in fresh])
        Membership.objects.bulk_create([Membership(user=user, role=Role.ORGANIZATION,
                                                   organization=org) for org, user in fresh])
        self.people = existing | {org.pk: user for org, user in fresh}

    # --- a published campaign ---------------------------------------------------------------------

    def _campaign(self, organizations: Sequence[Organization], title: str,
                  years_ago: int) -> Campaign:
        start = self.today - dt.timedelta(days=365 * years_ago + 60)
        campaign = fieldwork.campaign_create(
            user=self.operator, title=title.format(year=self.today.year - years_ago),
            year=self.today.year - years_ago, period_start=start,
            period_end=start + dt.timedelta(days=90),
            methodology=Methodology.objects.get(slug="social-2018"),
            operator_name="Центр социологических исследований КемГУ", ministry_name=MINISTRY,
            organizations=organizations,
        )
        method = methodology_load(campaign.methodology)
        assessments = list(campaign.assessments.select_related("organization"))
        weaker = 0.06 * years_ago
        self._ticks(assessments, method, weaker)
        self._responses(assessments, method, weaker, start)
        snapshot = scores.campaign_close_fieldwork(campaign=campaign, user=self.operator)
        reasons = {row.assessment_id: "выборка ниже минимальной: результаты публикуются по "
                                      "решению министерства с пометкой"
                   for row in snapshot.rows.all() if row.unmet}
        published = scores.campaign_publish(campaign=campaign, user=self.ministry,
                                            exceptions=reasons)
        moment = self._moment(campaign.period_end + dt.timedelta(days=20))
        Snapshot.objects.filter(campaign=campaign).update(created_at=moment)
        for entry in AuditEntry.objects.filter(campaign_id=campaign.pk, action__in=(
                "create", "status", "freeze", "publish")):
            self.stamps.append(Stamp(entry, moment))
        campaign.refresh_from_db()
        assert published.stage == "published"
        return campaign

    def _moment(self, day: dt.date, hour: int = 11) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, self.rng.randint(0, 59))))

    def _ticks(self, assessments: list[Assessment], method: scoring.Methodology,
               weaker: float) -> None:
        ticks = []
        for assessment in assessments:
            quality = self.quality[assessment.organization_id] - weaker
            for checklist in method.checklists:
                boost = 0.15 if checklist.kind == "items" else -0.1
                ticks += [ChecklistTick(assessment=assessment, checklist_key=checklist.key,
                                        item_key=item.key, updated_by=self.operator,
                                        present=self.rng.random() < min(0.99, quality + boost))
                          for item in checklist.items]
        ChecklistTick.objects.bulk_create(ticks, batch_size=CHUNK)
        observed = observed_recount(a.pk for a in assessments)
        for assessment in assessments:
            assessment.observed = observed[assessment.pk]
        Assessment.objects.bulk_update(assessments, ["observed"], batch_size=500)

    def _responses(self, assessments: list[Assessment], method: scoring.Methodology,
                   weaker: float, start: dt.date) -> None:
        responses: list[Response] = []
        for assessment in assessments:
            quality = self.quality[assessment.organization_id] - weaker
            minimum = method.sample.minimum(assessment.organization.recipients)
            factor = self.rng.uniform(0.6, 0.9) if self.rng.random() < 0.08 else \
                self.rng.uniform(1.0, 1.2)
            for _ in range(max(5, min(method.sample.cap, int(minimum * factor)))):
                submitted = self._moment(start + dt.timedelta(days=self.rng.randint(1, 85)),
                                         self.rng.randint(9, 18))
                duration = self.rng.randint(150, 900)
                answers = {k: v for k, v in self.answers(method, quality).items()
                           if method.question(k).type != "text"}
                paper = self.rng.random() < 0.3
                responses.append(Response(
                    assessment=assessment, answers=answers, client_id=uuid.UUID(int=self.rng.getrandbits(128)),
                    channel="paper" if paper else "online", mode="paper" if paper else "online",
                    submitted_at=submitted,
                    started_at=submitted - dt.timedelta(seconds=duration),
                    duration_seconds=duration, vector_hash=vector_hash_of(answers),
                    client_hash="" if paper else hashlib.sha256(
                        str(self.rng.random()).encode()).hexdigest(),
                ))
        Response.objects.bulk_create(responses, batch_size=CHUNK)
        tally_rebuild([a.pk for a in assessments])

    # --- plans ------------------------------------------------------------------------------------

    def _plans(self, campaign: Campaign, *, latest: bool) -> None:
        published = campaign.period_end + dt.timedelta(days=20)
        assessments = list(campaign.assessments.select_related("organization")
                           .order_by("organization__type__position", "organization__name"))
        drafts: list[tuple[Plan, list[PlanItem], str]] = []
        for n, assessment in enumerate(assessments):
            state = LATEST_STATES[n % len(LATEST_STATES)] if latest else PlanStatus.APPROVED
            if assessment.organization_id in self.approved_for:
                state = PlanStatus.APPROVED
            if state == "none":
                continue
            result = published_assessment_result(assessment)
            assert result is not None and result.snapshot is not None
            user = self.people[assessment.organization_id]
            plan = Plan(assessment=assessment, organization=assessment.organization,
                        campaign=campaign, snapshot=result.snapshot, status=state,
                        created_by=user)
            drafts.append((plan, draft_items(result), state))
        Plan.objects.bulk_create([plan for plan, _, _ in drafts])
        items: list[PlanItem] = []
        for plan, rows, state in drafts:
            items += self._rows(plan, rows, state, published, latest)
        PlanItem.objects.bulk_create(items, batch_size=CHUNK)
        for plan, _, _ in drafts:
            self._journal(plan, published)
        for item in items:
            self._report_journal(item)
        # auto_now_add dated the plans today: they were drafted two weeks after publication
        drafted = self._moment(published + dt.timedelta(days=14), 10)
        for plan, _, _ in drafts:
            plan.created_at, plan.updated_at = drafted, plan.decided_at or drafted
        Plan.objects.bulk_update([plan for plan, _, _ in drafts],
                                 ["submitted_at", "submitted_by", "decided_at", "decided_by",
                                  "comment", "created_at", "updated_at"])

    def _rows(self, plan: Plan, rows: list[PlanItem], state: str, published: dt.date,
              latest: bool) -> list[PlanItem]:
        person = f"{self.rng.choice(LAST_NAMES)} {self.rng.choice(FIRST_NAMES)} " \
                 f"{self.rng.choice(PATRONYMICS)}"
        position = self.rng.choice(POSITIONS)
        filled = len(rows) if state != PlanStatus.DRAFT else len(rows) // 2
        for i, item in enumerate(rows):
            item.plan = plan
            if i >= filled:
                continue
            item.planned_date = published + dt.timedelta(days=self.rng.choice(
                (90, 150, 210, 270, 330, 400, 480)))
            item.responsible_name, item.responsible_position = person, position
            if state == PlanStatus.APPROVED:
                self._report(item, latest)
        return rows

    def _report(self, item: PlanItem, latest: bool) -> None:
        """The execution report of a row of an approved plan: the older campaign's are nearly
        all accepted; the latest's are mixed, the rows whose date passed without an accepted
        report being overdue."""
        assert item.planned_date is not None
        roll = self.rng.random()
        due_passed = item.planned_date < self.today
        if latest and not due_passed and roll < 0.6:
            return  # not yet due, not started
        if latest and due_passed and roll < 0.25:
            return  # overdue, not started
        if not latest and roll > 0.97:
            return  # a year on, still not done: long overdue
        actual = min(self.today - dt.timedelta(days=3),
                     item.planned_date + dt.timedelta(days=self.rng.randint(-40, 20)))
        item.done = self.rng.choice(DONE).format(day=f"{actual:%d.%m.%Y}")
        item.actual_date = actual
        site = item.plan.organization.website
        if site and self.rng.random() < 0.5:
            item.evidence_link = f"{site.rstrip('/')}/docs/otchet-{item.position}.pdf"
        item.reported_by = self.people[item.plan.organization_id]
        item.reported_at = self._moment(min(actual + dt.timedelta(days=2),
                                            self.today - dt.timedelta(days=2)))
        status = ReportStatus.ACCEPTED
        if latest and roll > 0.85:
            status = ReportStatus.SENT
        elif latest and roll > 0.75:
            status, item.report_comment = ReportStatus.RETURNED, self.rng.choice(REPORT_COMMENTS)
        item.report_status = status
        if status != ReportStatus.SENT:
            item.reviewed_by, item.reviewed_at = self.ministry, self._moment(
                min(actual + dt.timedelta(days=9), self.today - dt.timedelta(days=1)), 16)

    def _journal(self, plan: Plan, published: dt.date) -> None:
        """The plan's moves as the services would have written them, dated along the way."""
        user = self.people[plan.organization_id]
        drafted = published + dt.timedelta(days=14)
        moves: list[tuple[User, str, dict[str, Any], dict[str, Any] | None, dt.date]] = [
            (user, "create", {"status": PlanStatus.DRAFT}, None, drafted)]
        if plan.status != PlanStatus.DRAFT:
            sent = drafted + dt.timedelta(days=12)
            plan.submitted_at, plan.submitted_by = self._moment(sent), user
            moves.append((user, "status", {"status": PlanStatus.SUBMITTED},
                          {"status": PlanStatus.DRAFT}, sent))
        if plan.status in (PlanStatus.APPROVED, PlanStatus.RETURNED):
            decided = drafted + dt.timedelta(days=21)
            plan.decided_at, plan.decided_by = self._moment(decided, 15), self.ministry
            after: dict[str, Any] = {"status": plan.status}
            if plan.status == PlanStatus.RETURNED:
                plan.comment = after["comment"] = self.rng.choice(RETURN_COMMENTS)
            moves.append((self.ministry, "status", after, {"status": PlanStatus.SUBMITTED},
                          decided))
        for who, action, after, before, day in moves:
            self.stamps.append(Stamp(AuditEntry(
                user=who, action=action, object_type="plans.plan", object_id=str(plan.pk),
                object_repr=str(plan)[:255], organization_id=plan.organization_id,
                campaign_id=plan.campaign_id, before=before, after=after), self._moment(day)))

    def _report_journal(self, item: PlanItem) -> None:
        """A report sent, and the ministry's decision on it, as the services journal them."""
        if item.reported_at is None:
            return
        scope = {"object_type": "plans.planitem", "object_id": str(item.pk),
                 "object_repr": str(item)[:255], "organization_id": item.plan.organization_id,
                 "campaign_id": item.plan.campaign_id}
        self.stamps.append(Stamp(AuditEntry(
            user=item.reported_by, action="update", **scope,
            before={"report_status": ReportStatus.NOT_STARTED},
            after={"done": item.done, "actual_date": item.actual_date.isoformat()
                   if item.actual_date else None, "evidence_link": item.evidence_link,
                   "report_status": ReportStatus.SENT}), item.reported_at))
        if item.reviewed_at is not None:
            self.stamps.append(Stamp(AuditEntry(
                user=item.reviewed_by, action="status", **scope,
                before={"report_status": ReportStatus.SENT},
                after={"report_status": item.report_status,
                       "report_comment": item.report_comment}), item.reviewed_at))

    def _stamp_all(self) -> None:
        """Write the journal entries of the plans and date every entry as it happened."""
        fresh = [s for s in self.stamps if s.entry.pk is None]
        AuditEntry.objects.bulk_create([s.entry for s in fresh], batch_size=CHUNK)
        for stamp in self.stamps:
            stamp.entry.at = stamp.at
        AuditEntry.objects.bulk_update([s.entry for s in self.stamps], ["at"], batch_size=CHUNK)
