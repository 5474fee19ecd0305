"""Reads of the survey part: counts for scoring, sample progress, review queues.

Counting rules (the same everywhere):
- rejected responses never count;
- flagged responses not yet reviewed count only with ``include_flagged=True``;
- a question counts as asked for a respondent only if an answer is stored, and an answer is
  stored only when the question was asked (its ``when`` filter was met) and answered.

Counts are read from the counters kept as responses arrive (``nok.surveys.tallies``): a few
rows per assessment, whatever the number of answers.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BigIntegerField, Count, Q, QuerySet, Sum, prefetch_related_objects
from django.db.models.functions import Cast
from django.http import Http404

from nok.assessments.models import Assessment, Campaign
from nok.assessments.selectors import assessments_visible_to, get_assessment_for_user
from nok.core.db import ids_where, raw_rows
from nok.methodology.models import Methodology
from nok.organizations.access import require_role, sees_everything
from nok.surveys.imports import NO_ANSWER
from nok.surveys.models import (
    AnswerTally,
    Channel,
    Draft,
    Flag,
    ImportJob,
    ImportValueMap,
    Mode,
    PaperSheet,
    Response,
    ResponseStatus,
    ResponseTally,
    SheetStatus,
)
from nok.surveys.questionnaire import YES, loaded, options_of

COUNTED = (ResponseStatus.OK, ResponseStatus.ACCEPTED)


@dataclass
class SurveyTally:
    """Respondents and, per survey answer key, (asked, yes)."""

    respondents: int = 0
    answers: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class SampleStatus:
    """Counted responses against the methodology's minimum (share of recipients) and cap."""

    responses: int
    minimum: int
    cap: int
    below_minimum: bool
    flagged: int = 0  # awaiting review, not in ``responses``
    # Counted responses per survey mode (every mode present, in the order of ``Mode``).
    by_mode: dict[str, int] = field(default_factory=dict)

    @property
    def modes(self) -> list[tuple[str, str, int]]:
        """(mode, its Russian label, counted responses) in the order of ``Mode``."""
        return [(m.value, m.label, self.by_mode.get(m.value, 0)) for m in Mode]

    @property
    def percent_of_minimum(self) -> int:
        if self.minimum <= 0:
            return 100
        return min(100, int(self.responses * 100 / self.minimum))


def _statuses(include_flagged: bool) -> list[str]:
    return [*COUNTED, ResponseStatus.FLAGGED] if include_flagged else list(COUNTED)


def _methodologies(ids: list[int]) -> dict[int, tuple[Any, int]]:
    """Assessment id -> (its loaded scoring methodology, its organization's recipients).

    Two queries of plain rows whatever the number of assessments (a campaign's dense ids are
    read as a range, the others dropped); each distinct methodology document is read and
    parsed once, not per row."""
    wanted = set(ids)
    cards = [r for r in raw_rows(Assessment.objects.filter(ids_where("pk", ids)).values_list(
        "pk", "campaign__methodology_id", "organization__recipients_stationary",
        "organization__recipients_semi_stationary", "organization__recipients_home"))
        if r[0] in wanted]
    methods = {m.pk: loaded(m) for m in Methodology.objects.filter(pk__in={r[1] for r in cards})}
    return {pk: (methods[methodology_id], stationary + semi + home)
            for pk, methodology_id, stationary, semi, home in cards}


def survey_counts(
    assessment_ids: Iterable[int], *, include_flagged: bool = False,
    questions: Mapping[str, str] | None = None,
) -> dict[int, SurveyTally]:
    """Per assessment: respondents and (asked, yes) per answer key, aggregated in the database.

    Every answer key of the methodology is present (``(0, 0)`` when nobody was asked).
    ``questions`` (question key -> answer key) when the assessments share one methodology (a
    campaign); otherwise each assessment's own methodology is read.
    """
    ids = list(dict.fromkeys(int(i) for i in assessment_ids))
    statuses = _statuses(include_flagged)
    tallies = {pk: SurveyTally() for pk in ids}
    if not ids:
        return tallies
    keys_of: dict[int, Mapping[str, str]] = {}
    if questions is not None:
        keys_of = dict.fromkeys(ids, questions)
    else:
        for pk, (methodology, _) in _methodologies(ids).items():
            keys_of[pk] = answer_keys(methodology)
    for pk, keys in keys_of.items():
        tallies[pk].answers = dict.fromkeys(keys.values(), (0, 0))
    # A campaign's ids are dense: read as a range (rows of other assessments dropped below).
    of_ids = ids_where("assessment_id", ids)
    respondents = (
        ResponseTally.objects.filter(of_ids, status__in=statuses)
        .values_list("assessment_id")
        .annotate(n=Cast(Sum("n"), BigIntegerField()))
        .order_by()
    )
    for pk, n in raw_rows(respondents):
        tally = tallies.get(pk)
        if tally is not None:
            tally.respondents = n or 0
    # One row per assessment, two sums per question (asked, yes): a tenth of the rows of a
    # GROUP BY question, and integers from the database (PostgreSQL sums into a numeric).
    wanted = sorted({question for keys in keys_of.values() for question in keys})
    if not wanted:
        return tallies
    sums = {}
    for i, question in enumerate(wanted):
        sums[f"asked_{i}"] = Cast(Sum("n", filter=Q(question=question)), BigIntegerField())
        sums[f"yes_{i}"] = Cast(Sum("n", filter=Q(question=question, value=YES)), BigIntegerField())
    rows = (
        AnswerTally.objects.filter(of_ids, status__in=statuses, question__in=wanted)
        .values_list("assessment_id")
        .annotate(**sums)
        .order_by()
    )
    no_keys: Mapping[str, str] = {}
    for pk, *figures in raw_rows(rows):  # thousands of rows: no converters
        tally = tallies.get(pk)
        if tally is None:
            continue
        keys = questions if questions is not None else keys_of.get(pk, no_keys)
        answers = tally.answers
        for question, asked, yes in zip(wanted, figures[::2], figures[1::2], strict=True):
            if asked is None:  # nobody answered it
                continue
            answer_key = keys.get(question)
            if answer_key is None:
                continue
            before = answers[answer_key]
            answers[answer_key] = (before[0] + asked, before[1] + (yes or 0))
    return tallies


def answer_keys(methodology: Any) -> dict[str, str]:
    """Question key -> the survey answer key scoring reads it under."""
    return {q.key: q.answer_key for q in methodology.questions if q.answer_key}


def sample_statuses(assessment_ids: Iterable[int]) -> dict[int, SampleStatus]:
    """Per assessment: its counted responses (per survey mode), those awaiting review, and the
    minimum and cap of its methodology for its recipients — from the kept counters and plain
    rows (each distinct methodology parsed once), whatever the number of assessments."""
    ids = list(dict.fromkeys(int(i) for i in assessment_ids))
    if not ids:
        return {}
    wanted = set(ids)
    # A campaign's ids are dense: read as a range, the rows of other assessments dropped.
    of_ids = ids_where("assessment_id", ids)
    cards = _methodologies(ids)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    modes = Mode.values  # worked out on each read of the property: once here, not per assessment
    by_mode: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(modes, 0))
    rows = (
        ResponseTally.objects.filter(of_ids)
        .values_list("assessment_id", "status", "mode")
        .annotate(n=Cast(Sum("n"), BigIntegerField()))
        .order_by()
    )
    for pk, status, mode, n in raw_rows(rows):
        if pk not in wanted:
            continue
        counts[pk][status] = counts[pk].get(status, 0) + (n or 0)
        if status in COUNTED:
            by_mode[pk][mode] = by_mode[pk].get(mode, 0) + (n or 0)
    result = {}
    for pk, (methodology, recipients) in cards.items():
        rule = methodology.sample
        minimum = rule.minimum(recipients)
        responses = sum(counts[pk].get(s, 0) for s in COUNTED)
        result[pk] = SampleStatus(
            responses=responses, minimum=minimum, cap=int(rule.cap),
            below_minimum=responses < minimum, flagged=counts[pk].get(ResponseStatus.FLAGGED, 0),
            by_mode=dict(by_mode[pk]),
        )
    return result


def responses_counted(assessments: QuerySet[Assessment]) -> int:
    """The responses that count (accepted or not flagged) of these assessments, summed from
    the kept tallies."""
    total = (ResponseTally.objects.filter(assessment__in=assessments.order_by().values("pk"),
                                          status__in=COUNTED).aggregate(n=Sum("n"))["n"])
    return int(total or 0)


def mode_counts(
    assessment_ids: Iterable[int], *, include_flagged: bool = False
) -> dict[int, dict[str, int]]:
    """Per assessment: counted responses per survey mode (every mode present, zero when none),
    read from the counters — what the protocol reports as the survey's forms. Counting rules
    as in :func:`survey_counts` (rejected never; flagged only with ``include_flagged``)."""
    ids = list(dict.fromkeys(int(i) for i in assessment_ids))
    modes = Mode.values
    result = {pk: dict.fromkeys(modes, 0) for pk in ids}
    rows = (
        ResponseTally.objects.filter(assessment_id__in=ids,
                                     status__in=_statuses(include_flagged))
        .values_list("assessment_id", "mode")
        .annotate(n=Sum("n"))
        .order_by()
    )
    for pk, mode, n in rows:
        result[pk][mode] = int(n or 0)
    return result


def sample_status(assessment: Assessment) -> SampleStatus:
    return sample_statuses([assessment.pk])[assessment.pk]


@dataclass(frozen=True)
class ShareRow:
    """One survey count of an assessment, without and with flagged responses."""

    key: str
    question: str
    asked: int
    yes: int
    asked_flagged: int
    yes_flagged: int

    @staticmethod
    def percent(yes: int, asked: int) -> float | None:
        return yes * 100 / asked if asked else None

    @property
    def share(self) -> float | None:
        return self.percent(self.yes, self.asked)

    @property
    def share_flagged(self) -> float | None:
        return self.percent(self.yes_flagged, self.asked_flagged)


def share_rows(assessment: Assessment) -> list[ShareRow]:
    """Per answer key (questionnaire order): asked/yes counted, and with flagged responses."""
    plain = survey_counts([assessment.pk])[assessment.pk].answers
    flagged = survey_counts([assessment.pk], include_flagged=True)[assessment.pk].answers
    questions = loaded(assessment.campaign.methodology).questions
    return [
        ShareRow(q.answer_key, q.text, *plain[q.answer_key], *flagged[q.answer_key])
        for q in questions if q.answer_key
    ]


def status_counts(assessment: Assessment) -> dict[str, int]:
    """Responses (whatever their status) per status, per channel and per mode, for the
    management page."""
    qs = ResponseTally.objects.filter(assessment=assessment)
    by_status = {k: int(n) for k, n in qs.values_list("status").annotate(n=Sum("n")).order_by()}
    by_channel = {k: int(n) for k, n in qs.values_list("channel").annotate(n=Sum("n")).order_by()}
    by_mode = {k: int(n) for k, n in qs.values_list("mode").annotate(n=Sum("n")).order_by()}
    return {**{f"status_{k}": v for k, v in by_status.items()},
            **{f"channel_{k}": v for k, v in by_channel.items()},
            **{f"mode_{k}": v for k, v in by_mode.items()},
            "total": sum(by_status.values())}


def flag_counts(assessment: Assessment) -> dict[str, int]:
    return dict(
        Flag.objects.filter(response__assessment=assessment)
        .values_list("kind").annotate(n=Count("id")).order_by()
    )


def mismatch_queue(assessment: Assessment) -> QuerySet[PaperSheet]:
    return PaperSheet.objects.filter(assessment=assessment, status=SheetStatus.MISMATCH)


def sheets_awaiting_second(assessment: Assessment) -> QuerySet[PaperSheet]:
    return PaperSheet.objects.filter(assessment=assessment, status=SheetStatus.AWAITING_SECOND)


# --- access --------------------------------------------------------------------------------


def campaign_for_user(user: Any, pk: int) -> tuple[Campaign, QuerySet[Assessment]]:
    """The campaign and those of its assessments the user may see (404 when none)."""
    require_role(user)
    try:
        campaign = Campaign.objects.select_related("methodology").get(pk=pk)
    except Campaign.DoesNotExist as exc:
        raise Http404("Кампания не найдена") from exc
    assessments = (
        assessments_visible_to(user)
        .filter(campaign=campaign)
        .order_by("organization__type__position", "organization__name")
    )
    if not sees_everything(user) and not assessments.exists():
        raise Http404("Кампания не найдена")
    return campaign, assessments


def _of_assessment_for_user(model: Any, user: Any, pk: int, *, write: bool) -> Any:
    """A row belonging to an assessment, under the assessment's access rules (404 / 403)."""
    try:
        obj = model.objects.select_related("assessment").get(pk=pk)
    except model.DoesNotExist as exc:
        raise Http404("Не найдено") from exc
    get_assessment_for_user(user, obj.assessment_id, write=write)
    return obj


def response_for_user(user: Any, pk: int, *, write: bool = False) -> Response:
    return _of_assessment_for_user(Response, user, pk, write=write)  # type: ignore[no-any-return]


def sheet_for_user(user: Any, pk: int, *, write: bool = False) -> PaperSheet:
    return _of_assessment_for_user(PaperSheet, user, pk, write=write)  # type: ignore[no-any-return]


def assessment_by_code(code: str) -> Assessment:
    try:
        # The methodology's document is parsed once per process (methodology_load), so it is
        # read only when that has not happened yet; the checklists are no respondent's business.
        return Assessment.objects.select_related(
            "campaign__methodology", "organization"
        ).defer("campaign__methodology__definition", "observed").get(survey_code=code)
    except Assessment.DoesNotExist as exc:
        raise Http404("Анкета не найдена") from exc


# What a public screen (and the answer or submission it sends) reads of the draft and its survey.
SCREEN_FIELDS = (
    "token", "client_id", "answers", "started_at", "submitted_at",
    "assessment__survey_code", "assessment__campaign__status",
    "assessment__campaign__period_start", "assessment__campaign__period_end",
    "assessment__campaign__methodology__updated_at",
    "assessment__organization__name", "assessment__organization__short_name",
)


def draft_by_token(code: str, token: str | None) -> Draft | None:
    """The respondent's draft of the survey ``code`` (None: no token, or not a draft of this
    survey), in one query with its survey, campaign, methodology (its version only: the
    questions are parsed once per process, ``methodology_load``) and organization."""
    if not token:
        return None
    found = (
        Draft.objects.select_related("assessment__campaign__methodology", "assessment__organization")
        .only(*SCREEN_FIELDS)
        .filter(token=token, assessment__survey_code=code)
        .order_by()[:1]  # the token is unique: no ORDER BY to compile or to run
    )
    return next(iter(found), None)


def response_by_client_id(client_id: str | None) -> Response | None:
    try:
        return Response.objects.filter(client_id=uuid.UUID(str(client_id))).first()
    except ValueError:
        return None


def recent_entries(assessment: Assessment, limit: int = 10) -> QuerySet[Response]:
    return Response.objects.filter(
        assessment=assessment, channel__in=[Channel.PAPER, Channel.DOUBLE_ENTRY]
    ).order_by("-created_at", "-id")[:limit]


def import_values_for(job: ImportJob) -> dict[tuple[str, str], str]:
    """(question key, normalized value) -> option key (``imports.NO_ANSWER`` for «нет
    ответа»), as remembered from earlier imports of the job's source under its methodology."""
    rows = ImportValueMap.objects.filter(
        methodology_id=job.assessment.campaign.methodology_id, source=job.source,
    ).values_list("question", "value", "option")
    return {(question, value): option or NO_ANSWER for question, value, option in rows}


def import_sources() -> list[str]:
    """The named sources of earlier imports, to pick from at the upload."""
    return sorted(set(ImportJob.objects.exclude(source="").values_list("source", flat=True)))[:200]


def import_job_for_user(user: Any, pk: int) -> ImportJob:
    return _of_assessment_for_user(ImportJob, user, pk, write=True)  # type: ignore[no-any-return]


# --- review of flagged responses across a campaign ---------------------------------------

REVIEW_PAGE_SIZE = 25
DECIDED = (ResponseStatus.ACCEPTED, ResponseStatus.REJECTED)


@dataclass(frozen=True)
class ReviewAnswer:
    """One answered question of a response, as the operator reads it."""

    number: int
    question: str
    answer: str


@dataclass(frozen=True)
class ReviewItem:
    """A flagged (or decided) response with its answers in questionnaire order."""

    response: Response
    answers: list[ReviewAnswer]


def review_queue(
    campaign: Campaign, *, decided: bool = False, organization_id: int | None = None,
    kind: str = "",
) -> QuerySet[Response]:
    """The responses of a campaign waiting for the operator's decision (``decided=False``:
    status «на проверке», oldest first, organization by organization) or already decided
    (accepted or rejected after a check, the latest decision first); optionally of one
    organization, or carrying one kind of flag."""
    qs = Response.objects.filter(assessment__campaign=campaign)
    if decided:
        qs = qs.filter(status__in=DECIDED).order_by("-reviewed_at", "-id")
    else:
        qs = qs.filter(status=ResponseStatus.FLAGGED).order_by(
            "assessment__organization__name", "submitted_at", "id")
    if organization_id is not None:
        qs = qs.filter(assessment__organization_id=organization_id)
    if kind:
        qs = qs.filter(flags__kind=kind)  # one flag of a kind per response: no duplicates
    return qs.select_related("assessment__organization", "reviewed_by", "interviewer")


def review_items(responses: Iterable[Response], questions: Iterable[Any]) -> list[ReviewItem]:
    """The page's responses with their flags and answers (one more query for the whole
    page): option keys read as their labels, free text as written, questions numbered as in
    the questionnaire."""
    rows = list(responses)
    prefetch_related_objects(rows, "flags")
    numbered = [(n, q, dict(options_of(q))) for n, q in enumerate(questions, start=1)]
    items = []
    for response in rows:
        given = response.given
        answers = [
            ReviewAnswer(n, q.text, labels.get(given[q.key], given[q.key]))
            for n, q, labels in numbered if q.key in given
        ]
        items.append(ReviewItem(response, answers))
    return items


def review_organizations(campaign: Campaign) -> list[tuple[int, str, int]]:
    """(organization id, name, responses waiting) of the campaign's organizations that have
    any response checked or waiting, by name."""
    rows = (
        Response.objects.filter(assessment__campaign=campaign)
        .filter(Q(status__in=DECIDED) | Q(status=ResponseStatus.FLAGGED))
        .values_list("assessment__organization_id", "assessment__organization__name")
        .annotate(waiting=Count("id", filter=Q(status=ResponseStatus.FLAGGED)))
        .order_by("assessment__organization__name")
    )
    return [(pk, name, int(n)) for pk, name, n in rows]


def review_totals(campaign: Campaign) -> dict[str, int]:
    """Responses of the campaign waiting for a decision and already decided (the tabs)."""
    rows = dict(
        ResponseTally.objects.filter(assessment__campaign=campaign)
        .values_list("status").annotate(n=Sum("n")).order_by()
    )
    return {"waiting": int(rows.get(ResponseStatus.FLAGGED, 0) or 0),
            "decided": sum(int(rows.get(s, 0) or 0) for s in DECIDED)}
