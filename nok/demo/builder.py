"""Builds a realistic demo region: the 55 organizations and 7 types of seed 004 with
synthetic fieldwork for method social-2018 — checklists, control calls, complaints and
survey responses (a few organizations below the sample minimum, one stuffing its own survey) —
and the two earlier campaigns, published, with improvement plans in every state
(``nok.demo.history``).

Everything goes through the domain services (so audit entries and scores are real).
Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from nok.assessments import services as fieldwork
from nok.assessments.models import Assessment, Campaign
from nok.demo.history import History
from nok.methodology.models import Methodology
from nok.methodology.services import methodology_load, methodology_sync_builtin
from nok.organizations.models import Membership, Organization, OrganizationType, Role
from nok.organizations.services import (
    organization_create,
    organization_types_ensure_builtin,
    user_create,
)
from nok.plans.models import Plan
from nok.scores.refresh import scores_refresh
from nok.surveys import services as surveys

DATA = Path(__file__).with_name("region.json")
DEMO_PASSWORD = "demo-nok-2026"
ADMIN_LABEL = "Администратор (оператор и /admin/)"
CAMPAIGN_TITLE = "НОК {year}: организации социального обслуживания Кемеровской области"
# Per-form share of recipients (forms listed in region.json per type).
FORM_FIELDS = {
    "stationary": ("has_stationary", "recipients_stationary"),
    "semi_stationary": ("has_semi_stationary", "recipients_semi_stationary"),
    "home": ("has_home", "recipients_home"),
}


@dataclass
class DemoSummary:
    campaign: Campaign | None = None
    earlier: list[Campaign] = field(default_factory=list)  # published, with plans
    plans: int = 0
    organizations: int = 0
    responses: int = 0
    flagged: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, role)


def inn_with_checksum(first_nine: str) -> str:
    """A 10-digit legal-entity INN: the tenth digit is the control sum of the first nine."""
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    control = sum(int(d) * w for d, w in zip(first_nine, weights, strict=True)) % 11 % 10
    return first_nine + str(control)


def municipality_of(name: str) -> str:
    """Best-effort municipality from an organization name of seed 004 («…, г. Кемерово»)."""
    for marker in ("г. ", "г.", "города "):
        if marker in name:
            tail = name.rsplit(marker, 1)[1].strip(" .»\"")
            return "г. " + tail.split(",")[0].strip()
    for word in ("муниципального района", "городского округа", "района"):
        if word in name:
            head = name.split(word)[0].rstrip(" »\"").split()[-1]
            return f"{head} {word}"
    return "Кемеровская область"


LEGAL_FORMS = ("ГБУ Кемеровской области", "ГКУ КО", "ГБУ", "ГКУ", "МБУ", "МКУ")


def short_name_of(name: str) -> str:
    """The name without its legal form and quotes: «МКУ "ЦСО" г. Мыски» -> «ЦСО г. Мыски»."""
    for prefix in LEGAL_FORMS:
        if name.startswith(prefix):
            name = name[len(prefix):]
            break
    for quote in "«»\"":
        name = name.replace(quote, "")
    return " ".join(name.replace(" ,", ",").split()).strip(" ,.")[:200]


def demo_exists() -> bool:
    return Campaign.objects.filter(title__startswith="НОК ", organizations__region="Кемеровская область").exists()


class DemoBuilder:
    def __init__(self, *, seed: int = 2026, today: dt.date | None = None, limit: int | None = None,
                 progress: Callable[[str], None] = lambda _: None) -> None:
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.progress = progress
        self.data = json.loads(DATA.read_text(encoding="utf-8"))
        if limit is not None:  # a smaller region (tests): the first organizations of each type
            rows = self.data["organizations"]
            per_type = max(1, limit // len(self.data["types"]))
            picked = [r for t in self.data["types"] for r in [x for x in rows if x["type"] == t["name"]][:per_type]]
            self.data["organizations"] = picked[:limit]
        self.summary = DemoSummary()

    @transaction.atomic
    def build(self) -> DemoSummary:
        methodology_sync_builtin()
        organization_types_ensure_builtin()
        operator = self._users_and_operator()
        organizations = self._organizations(operator)
        quality = {org.pk: self._quality_of(org) for org in organizations}
        campaign = self._campaign(operator, organizations)
        method = methodology_load(campaign.methodology)
        assessments = list(campaign.assessments.select_related("organization", "campaign__methodology"))
        for index, assessment in enumerate(assessments, start=1):
            quality_now = quality[assessment.organization_id]
            self._checklists(assessment, method, operator, quality_now)
            self._contacts(assessment, operator, quality_now)
            self._responses(assessment, method, quality_now, stuffing=(index in (7, 31)))
            if index % 10 == 0:
                self.progress(f"  {index} из {len(assessments)} организаций")
        scores_refresh(campaign=campaign)
        self.summary.campaign = campaign
        self.summary.earlier = History(
            rng=self.rng, today=self.today, operator=operator,
            ministry=User.objects.get(username="ministry"), quality=quality,
            answers=self._answers, progress=self.progress,
            approved_for=frozenset(Membership.objects.filter(user__username="org")
                                   .values_list("organization_id", flat=True)),
        ).build(organizations, CAMPAIGN_TITLE)
        self.summary.plans = Plan.objects.count()
        return self.summary

    # --- people and registry -----------------------------------------------------------

    def _users_and_operator(self) -> User:
        made = {}
        for username, role, first, last in (
            ("operator", Role.OPERATOR, "Ольга", "Операторова"),
            ("ministry", Role.MINISTRY, "Михаил", "Министерский"),
            ("council", Role.COUNCIL, "Светлана", "Советова"),
        ):
            made[username] = user_create(
                by=None, username=username, password=DEMO_PASSWORD, role=role,
                first_name=first, last_name=last,
            )
            self.summary.logins.append((username, DEMO_PASSWORD, Role(role).label))
        # The administrator of reference data: Django's admin (/admin/), an operator's rights.
        admin = user_create(by=None, username="admin", password=DEMO_PASSWORD,
                            role=Role.OPERATOR, first_name="Алексей", last_name="Админов")
        User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
        self.summary.logins.append(("admin", DEMO_PASSWORD, ADMIN_LABEL))
        return made["operator"]

    def _organizations(self, operator: User) -> list[Organization]:
        types = {t.name: t for t in OrganizationType.objects.all()}
        result = []
        for row in self.data["organizations"]:
            org_type = types[row["type"]]
            profile = next(v for k, v in self.data["forms"].items() if row["type"].startswith(k))
            low, high = profile["recipients"]
            total = self.rng.randint(low, high)
            values: dict[str, Any] = {}
            forms = profile["forms"]
            for i, form in enumerate(forms):
                flag, count = FORM_FIELDS[form]
                values[flag] = True
                share = total // len(forms) if i < len(forms) - 1 else total - (total // len(forms)) * i
                values[count] = share
            name = row["name"]
            short = short_name_of(name)
            organization = organization_create(user=operator, data={
                "name": name,
                "short_name": short[:200],
                "inn": inn_with_checksum(f"42{row['n']:07d}"),
                "type": org_type,
                "region": self.data["region"],
                "municipality": municipality_of(name),
                "address": f"{municipality_of(name)}, ул. Центральная, д. {row['n']}",
                "website": f"https://csoн{row['n']}.example.ru".replace("н", "n"),
                **values,
            })
            result.append(organization)
        self.summary.organizations = len(result)
        first = result[min(2, len(result) - 1)]  # in the full region a ЦСОН (semi-stationary, home)
        user_create(by=operator, username="org", password=DEMO_PASSWORD, role=Role.ORGANIZATION,
                    organization=first, first_name="Наталья", last_name="Директорова")
        self.summary.logins.append(("org", DEMO_PASSWORD, f"Организация: {first}"))
        return result

    def _campaign(self, operator: User, organizations: list[Organization]) -> Campaign:
        return fieldwork.campaign_create(
            user=operator,
            title=CAMPAIGN_TITLE.format(year=self.today.year),
            year=self.today.year,
            period_start=self.today - dt.timedelta(days=60),
            period_end=self.today + dt.timedelta(days=30),
            methodology=Methodology.objects.get(slug="social-2018"),
            operator_name="Центр социологических исследований КемГУ",
            organizations=organizations,
        )

    def _quality_of(self, organization: Organization) -> float:
        """How good an organization is (0.45..0.98): drives ticks and satisfied answers."""
        return 0.45 + 0.53 * self.rng.betavariate(3, 1.4)

    # --- fieldwork -----------------------------------------------------------------------

    def _checklists(self, assessment: Assessment, method: Any, operator: User, quality: float) -> None:
        for checklist in method.checklists:
            boost = 0.15 if checklist.kind == "items" else -0.1  # stands are usually fuller
            items = {
                item.key: fieldwork.TickInput(present=self.rng.random() < min(0.99, quality + boost))
                for item in checklist.items
            }
            fieldwork.checklist_update(assessment=assessment, user=operator,
                                       checklist_key=checklist.key, items=items)

    def _contacts(self, assessment: Assessment, operator: User, quality: float) -> None:
        organization = assessment.organization
        start = assessment.campaign.period_start
        for form in organization.forms:
            for _ in range(self.rng.randint(0, 3)):
                answered = self.rng.random() < 0.9
                fieldwork.contact_create(
                    assessment=assessment, user=operator, kind="call",
                    date=start + dt.timedelta(days=self.rng.randint(0, 40)),
                    time=dt.time(self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45))),
                    form=form, answered=answered,
                    effective=answered and self.rng.random() < quality,
                )
            fieldwork.complaints_set(assessment=assessment, user=operator, form=form,
                                     registered=(n := self.rng.choice((0, 0, 0, 1, 2))),
                                     resolved=n)

    def _answers(self, method: Any, quality: float) -> dict[str, str]:
        answers: dict[str, str] = {}
        chance = {"used_stand": 0.8, "used_site": 0.45, "disabled": 0.3, "used_remote": 0.35}
        for question in method.questions:
            if any(answers.get(k) != v for k, v in (question.when or {}).items()):
                continue
            if question.type == "text":
                if self.rng.random() < 0.05:
                    answers[question.key] = self.rng.choice((
                        "Увеличить число специалистов по надомному обслуживанию",
                        "Сделать пандус у второго входа", "Спасибо сотрудникам!"))
                continue
            options = [o.key for o in question.options]
            if question.answer_key is None and options == ["yes", "no"]:
                answers[question.key] = "yes" if self.rng.random() < chance.get(question.key, 0.5) else "no"
            elif question.answer_key is None:
                if question.required or self.rng.random() < 0.7:
                    answers[question.key] = self.rng.choice(options)
            else:
                answers[question.key] = "yes" if self.rng.random() < quality + 0.05 else "no"
        return answers

    def _responses(self, assessment: Assessment, method: Any, quality: float, *, stuffing: bool) -> None:
        recipients = assessment.organization.recipients
        minimum = min(method.sample.cap, -(-int(recipients * method.sample.min_share * 100) // 100))
        # Most organizations reach the minimum; about one in eight falls short.
        factor = self.rng.uniform(0.55, 0.9) if self.rng.random() < 0.12 else self.rng.uniform(1.0, 1.25)
        count = max(5, min(method.sample.cap, int(minimum * factor)))
        window_start = timezone.make_aware(dt.datetime.combine(assessment.campaign.period_start, dt.time(9)))
        span = max(1, (self.today - assessment.campaign.period_start).days - 1) * 86400
        sheets = 0
        for _ in range(count):
            submitted = window_start + dt.timedelta(seconds=self.rng.randint(0, span))
            channel = "paper" if self.rng.random() < 0.3 else "online"
            sheets += channel == "paper"
            surveys.response_record(
                source_ref=f"№ {sheets}" if channel == "paper" else "",
                assessment=assessment, answers=self._answers(method, quality), channel=channel,
                client_id=uuid.UUID(int=self.rng.getrandbits(128)),
                started_at=submitted - dt.timedelta(seconds=self.rng.randint(150, 900)),
                submitted_at=submitted,
                client_hash=hashlib.sha256(str(self.rng.random()).encode()).hexdigest()
                if channel == "online" else "",
                check=False,
            )
        self.summary.responses += count
        if stuffing:  # someone at the organization fills its own survey: 20 identical «да» in minutes
            burst = window_start + dt.timedelta(days=20, hours=3)
            stuffed = {q.key: "yes" for q in method.questions if q.type == "yes_no"}
            for i in range(20):
                surveys.response_record(
                    assessment=assessment, answers=stuffed, channel="online",
                    client_id=uuid.UUID(int=self.rng.getrandbits(128)),
                    started_at=burst + dt.timedelta(seconds=40 * i - 25),
                    submitted_at=burst + dt.timedelta(seconds=40 * i),
                    client_hash="stuffing-" + hashlib.sha256(b"one-office-pc").hexdigest()[:40],
                    check=False,
                )
            self.summary.responses += 20
        self.summary.flagged += surveys.flags_apply(assessment=assessment)
