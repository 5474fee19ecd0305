"""Stored fieldwork -> ``scoring`` inputs -> results: the one place where that happens.

For a batch of assessments it reads, in a fixed number of queries whatever the batch's size,
the assessments with their organizations and methodology, their typed values, control contacts
and complaints, all their checklist ticks, and the survey counters; maps each onto a
``scoring.AssessmentInput``; scores it; and says why it may not take a place in the rating.
A whole campaign is read without the explanations: :func:`headlines` for the kept scores,
:func:`frozen` for a snapshot.

Mapping rules:
- the checklists are read as recorded (``Assessment.observed``, kept with every checklist
  write), not tick by tick;
- "items" checklists (stand, site) become ratios: present ticks / number of items, naming the
  items not found (so shortcomings can list them);
- "conditions" checklists become the set of ticked item keys;
- a checklist with no tick at all is not filled yet: it is left out, so its indicator shows
  «нет данных» instead of a zero nobody measured;
- the survey comes from the counters (``nok.surveys.selectors.survey_counts``): counted
  responses, or with ``include_flagged`` also those awaiting review;
- social-2014 values: the typed ones, and those the control protocol measures
  (``nok.assessments.protocol.protocol_values``: the shares of effective calls and e-mails,
  complaints per 100 recipients), which win where the log has data;
- the control protocol itself (per service form: calls, e-mails, the complaints register) is
  carried along for the documents (``AssessmentInput.control``).
"""

from __future__ import annotations

import functools
import gc
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection

import scoring
from nok.assessments.models import Assessment, Campaign, ComplaintRecord, ControlContact
from nok.assessments.protocol import ChannelFigure, ControlProtocol, protocol_values
from nok.assessments.selectors import assessments_for_scoring, protocol_of
from nok.assessments.services import parse_values
from nok.core.db import ids_where, raw_rows
from nok.methodology.services import methodology_load
from nok.organizations.models import Organization, service_forms
from nok.surveys.selectors import SurveyTally, answer_keys, survey_counts


@dataclass(frozen=True)
class Computed:
    """One assessment scored: its input (and as an assessment file), the result, and the
    reasons it may not take a place (empty when it may)."""

    assessment: Assessment
    methodology: scoring.Methodology
    inp: scoring.AssessmentInput
    result: scoring.Result
    insufficient: tuple[str, ...]

    @property
    def file(self) -> dict[str, Any]:
        return scoring.to_assessment_file(self.inp, self.methodology)

    @property
    def results(self) -> dict[str, Any]:
        """Indicators, criteria, total and their intervals in full precision (no place: that is
        the rating's)."""
        return results_without_place(self.result)

    @property
    def interval(self) -> tuple[float, float] | tuple[None, None]:
        """The 95 % interval of the total, or (None, None)."""
        bounds = self.result.intervals.get("total")
        return (bounds[0], bounds[1]) if bounds is not None else (None, None)


def results_without_place(figures: scoring.Result | scoring.Figures) -> dict[str, Any]:
    """The ``results`` object of a snapshot row: indicators, criteria, total and their
    intervals in full precision (``scoring.results_of`` without the place and its reasons,
    which are the rating's)."""
    out = scoring.results_of(figures, None)
    del out["place"], out["insufficient"]
    return out


def organization_info(org: Organization) -> scoring.OrganizationInfo:
    """The registry card as scoring reads it."""
    return scoring.OrganizationInfo(name=org.name, type=org.type.name, forms=org.forms,
                                    recipients=org.recipients or None)


class InputMapper:
    """Maps an assessment's stored fieldwork onto scoring's input (rules in the module doc;
    ``observed`` is ``Assessment.observed``), for many assessments of one methodology: what
    the methodology says about its checklists is read once, and the survey counts, which
    repeat across thousands of organizations, are shared (``scoring.Count`` is immutable)."""

    def __init__(self, method: scoring.Methodology) -> None:
        self.method = method
        self.checklists = [
            (c.key, c.kind == "items", keys, len(keys), tuple(item.key for item in c.items))
            for c in method.checklists
            for keys in [frozenset(item.key for item in c.items)]
        ]
        self.counts: dict[tuple[int, int], scoring.Count] = {}

    def __call__(
        self,
        *,
        organization: scoring.OrganizationInfo,
        observed: Mapping[str, Any],
        tally: SurveyTally | None,
        values: Mapping[str, Any],
        protocol: ControlProtocol | None = None,
    ) -> scoring.AssessmentInput:
        ratios: dict[str, scoring.Ratio] = {}
        conditions: dict[str, frozenset[str]] = {}
        for key, items_kind, keys, required, order in self.checklists:
            entry = observed.get(key)
            if entry is None:
                continue
            ticked = keys.intersection(entry["present"])
            if items_kind:
                present = len(ticked)
                missing = () if present == required else tuple(
                    [k for k in order if k not in ticked])
                ratios[key] = scoring.Ratio(required, present, missing)
            else:
                conditions[key] = ticked
        survey: dict[str, scoring.Count] = {}
        respondents = None
        if tally is not None:
            counts = self.counts
            for answer, pair in tally.answers.items():
                count = counts.get(pair)
                if count is None:
                    count = counts[pair] = scoring.Count(asked=pair[0], yes=pair[1])
                survey[answer] = count
            respondents = tally.respondents
        method = self.method
        return scoring.AssessmentInput(
            methodology=method.slug,
            organization=organization,
            ratios=ratios,
            conditions=conditions,
            survey=survey,
            respondents=respondents,
            values=parse_values(method, {c: v for c, v in values.items() if v is not None})
            if values else {},
            control=control_of(protocol) if protocol is not None else {},
        )


def control_of(protocol: ControlProtocol) -> dict[str, scoring.FormControl]:
    """The control protocol per service form, as the assessment file records it."""
    def count(channel: ChannelFigure) -> scoring.Count | None:
        return scoring.Count(asked=channel.received, yes=channel.effective) if channel.active else None

    return {
        f.form: scoring.FormControl(
            recipients=f.complaints.recipients or None, calls=count(f.calls), emails=count(f.emails),
            complaints=(f.complaints.registered, f.complaints.resolved) if f.complaints.kept else None,
        )
        for f in protocol.forms
        if f.calls.active or f.emails.active or f.complaints.kept
    }


def fieldwork_values(method: scoring.Methodology, assessment: Assessment,
                     protocol: ControlProtocol) -> dict[str, Any]:
    """The raw social-2014 values of an assessment: typed ones, overridden by those its control
    protocol measures."""
    if method.scale != "integral":
        return {}
    typed = {v.code: v.value for v in assessment.values.all() if v.value is not None}
    return typed | protocol_values(protocol, ((i.key, i.kind) for i in method.indicators))


def compute(assessment_ids: Iterable[int], *, include_flagged: bool = False) -> list[Computed]:
    """Score these assessments from their stored fieldwork (nothing is written)."""
    ids = list(dict.fromkeys(int(i) for i in assessment_ids))
    if not ids:
        return []
    assessments = list(assessments_for_scoring(ids, protocol=True))
    # Assessments of one methodology (a campaign's): its questions given, so the counters are
    # read without loading every assessment again to find each one's methodology.
    methods = {a.campaign.methodology_id: a.campaign.methodology for a in assessments}
    questions = (answer_keys(methodology_load(next(iter(methods.values()))))
                 if len(methods) == 1 else None)
    tallies = survey_counts(ids, include_flagged=include_flagged, questions=questions)
    mappers: dict[int, InputMapper] = {}
    out = []
    for assessment in assessments:
        method = methodology_load(assessment.campaign.methodology)
        mapper = mappers.get(id(method))
        if mapper is None or mapper.method is not method:
            mapper = mappers[id(method)] = InputMapper(method)
        protocol = protocol_of(assessment.organization, assessment.contacts.all(),
                               assessment.complaints.all())
        inp = mapper(
            organization=organization_info(assessment.organization),
            observed=assessment.observed, tally=tallies.get(assessment.pk),
            values=fieldwork_values(method, assessment, protocol), protocol=protocol,
        )
        result = scoring.score(method, inp)
        out.append(Computed(assessment, method, inp, result,
                            scoring.rating_reasons(method, inp, result)))
    return out


# --- a whole campaign: the headlines ------------------------------------------------------------

HEADLINE_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Headed:
    """One assessment's headline (``scoring.Headline``) and what it was computed from: the
    data version of the assessment and the update stamps of its registry card and methodology
    (in the database's form: copied back unchanged into the score)."""

    assessment_id: int
    data_version: int
    organization_stamp: Any
    methodology_stamp: Any
    headline: scoring.Headline


def headlines(campaign: Campaign, assessment_ids: Sequence[int]) -> Iterator[Headed]:
    """The headline of these assessments of one campaign, ``HEADLINE_CHUNK`` at a time, in
    three queries per chunk: the assessments with their registry cards and the checklists as
    recorded, the respondents, the survey counters — the kept summaries, never the raw rows,
    read without Django's per-value conversions.

    social-2014 campaigns take their values from the typed measurements and the control
    protocol, so they go through :func:`compute`; the numbers are the same either way."""
    methodology = campaign.methodology
    method = methodology_load(methodology)
    questions = answer_keys(method)
    mapper = InputMapper(method)
    forms_of = functools.cache(service_forms)  # eight combinations, thousands of organizations
    for start in range(0, len(assessment_ids), HEADLINE_CHUNK):
        chunk = list(assessment_ids[start:start + HEADLINE_CHUNK])
        if method.scale == "integral":
            stamp = connection.ops.adapt_datetimefield_value  # the database's form, as below
            for c in compute(chunk):
                a = c.assessment
                yield Headed(a.pk, a.data_version, stamp(a.organization.updated_at),
                             stamp(methodology.updated_at),
                             scoring.Headline(c.result.total, c.result.intervals.get("total"),
                                              c.insufficient))
            continue
        with collector_paused():
            headed = _criteria_headlines(method, mapper, questions, forms_of, chunk)
        yield from headed


def _assessment_rows(chunk: list[int], *columns: str) -> list[tuple[Any, ...]]:
    """The raw ``values_list(*columns)`` rows (the first column the id) of the assessments in
    ``chunk``, unordered: read by ``ids_where`` (a range when the ids are dense), the rows of
    other assessments dropped."""
    wanted = set(chunk)
    return [row for row in raw_rows(Assessment.objects.filter(ids_where("pk", chunk))
                                    .values_list(*columns).order_by()) if row[0] in wanted]


def _criteria_headlines(method: scoring.Methodology, mapper: InputMapper,
                        questions: Mapping[str, str], forms_of: Any,
                        chunk: list[int]) -> list[Headed]:
    """One chunk of :func:`headlines` of a criteria-100 campaign."""
    rows = _assessment_rows(  # unordered: sorting thousands of checklists by name costs
        chunk, "pk", "data_version", "observed", "organization__updated_at", "organization__name",
        "organization__type__name", "organization__has_stationary",
        "organization__has_semi_stationary", "organization__has_home",
        "organization__recipients_stationary", "organization__recipients_semi_stationary",
        "organization__recipients_home", "campaign__methodology__updated_at")
    tallies = survey_counts(chunk, questions=questions)
    loads = json.loads
    inputs = [
        mapper(
            observed=loads(observed), tally=tallies.get(pk), values={},
            organization=scoring.OrganizationInfo(
                name=name, type=type_name, forms=forms_of(stationary, semi, home),
                recipients=(r_stationary + r_semi + r_home) or None),
        )
        for (pk, _, observed, _, name, type_name, stationary, semi, home, r_stationary, r_semi,
             r_home, _) in rows
    ]
    return [Headed(row[0], row[1], row[3], row[12], headline)
            for row, headline in zip(rows, scoring.headlines(method, inputs), strict=True)]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while a batch builds hundreds of thousands of
    short-lived containers (rows, decoded checklists, inputs) that form no cycles: each
    allocation threshold crossed would otherwise start a collection walking every tracked
    object of the process, which measured as much as the computation itself. Reference
    counting frees them as usual; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- a whole campaign: what a snapshot freezes -----------------------------------------------

FREEZE_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class Frozen:
    """One organization as a snapshot freezes it, but for its place (the rating of them all
    gives it) and the unmet preconditions of publication (``nok.scores.selectors``, from
    ``observed`` and ``recipients``, or from ``computed`` where it was scored one by one): the
    registry card as the rating names it, the assessment file it was scored from and its
    figures."""

    assessment_id: int
    organization_id: int
    name: str  # the short name, else the full one (``str(Organization)``)
    type: str
    type_position: int
    inputs: dict[str, Any]  # the assessment file (format 1)
    figures: scoring.Figures
    observed: dict[str, Any]  # the checklists as recorded (``Assessment.observed``)
    recipients: int
    computed: Computed | None = None

    @property
    def results(self) -> dict[str, Any]:
        return results_without_place(self.figures)


def frozen(campaign: Campaign, assessment_ids: Sequence[int]) -> Iterator[list[Frozen]]:
    """What a snapshot freezes of these assessments of one campaign, ``FREEZE_CHUNK`` at a
    time: the same inputs and numbers as :func:`compute` gives, without its explanations.

    A methodology with checklists on the criteria-100 scale (social-2018) is read like
    :func:`headlines` reads it — plain rows, the kept survey counters, the control log of the
    few organizations that have one — and scored by ``scoring.figures``; the others (their
    values come from the typed measurements and the control protocol, and their unmet
    preconditions from the explained figures) go through :func:`compute`."""
    method = methodology_load(campaign.methodology)
    fast = method.scale != "integral" and bool(method.checklists)
    questions = answer_keys(method)
    mapper = InputMapper(method)
    forms_of = functools.cache(service_forms)  # eight combinations, thousands of organizations
    for start in range(0, len(assessment_ids), FREEZE_CHUNK):
        chunk = list(assessment_ids[start:start + FREEZE_CHUNK])
        if fast:
            yield _frozen_criteria(method, mapper, questions, forms_of, chunk)
        else:
            yield [_frozen_computed(c) for c in compute(chunk)]


def _frozen_computed(c: Computed) -> Frozen:
    org, result = c.assessment.organization, c.result
    figures = scoring.Figures(dict(result.indicators), dict(result.criteria), result.total,
                              dict(result.intervals), c.insufficient)
    return Frozen(c.assessment.pk, org.pk, str(org), org.type.name, org.type.position, c.file,
                  figures, c.assessment.observed, org.recipients, c)


def _frozen_criteria(method: scoring.Methodology, mapper: InputMapper,
                     questions: Mapping[str, str], forms_of: Any, chunk: list[int]) -> list[Frozen]:
    """One chunk of :func:`frozen` of a criteria-100 campaign with checklists."""
    rows = _assessment_rows(
        chunk, "pk", "observed", "organization_id", "organization__short_name",
        "organization__name", "organization__type__name", "organization__type__position",
        "organization__has_stationary", "organization__has_semi_stationary",
        "organization__has_home", "organization__recipients_stationary",
        "organization__recipients_semi_stationary", "organization__recipients_home")
    rows.sort()  # the order of compute's queryset does not matter; the ids' order does
    tallies = survey_counts(chunk, questions=questions)
    protocols = _protocols(chunk)
    loads = json.loads
    out = []
    for (pk, observed, org_id, short, name, type_name, position, stationary, semi, home,
         r_stationary, r_semi, r_home) in rows:
        recipients = r_stationary + r_semi + r_home
        observed = loads(observed)
        inp = mapper(
            observed=observed, tally=tallies.get(pk), values={}, protocol=protocols.get(pk),
            organization=scoring.OrganizationInfo(
                name=name, type=type_name, forms=forms_of(stationary, semi, home),
                recipients=recipients or None),
        )
        out.append((pk, org_id, short or name, type_name, position, inp, observed, recipients))
    scored = scoring.figures(method, [entry[5] for entry in out])
    return [Frozen(pk, org_id, shown, type_name, position, scoring.to_assessment_file(inp, method),
                   figures, observed, recipients)
            for (pk, org_id, shown, type_name, position, inp, observed, recipients), figures
            in zip(out, scored, strict=True)]


def _protocols(chunk: list[int]) -> dict[int, ControlProtocol]:
    """The control protocol of the assessments of ``chunk`` that logged a control contact or
    keep a complaints register — a few, if any: the others record none. Read as
    :func:`compute` reads it, for those only."""
    wanted = set(chunk)
    where = ids_where("assessment_id", chunk)
    logged = sorted({pk for model in (ControlContact, ComplaintRecord)
                     for pk in model.objects.filter(where).order_by()
                     .values_list("assessment_id", flat=True).distinct() if pk in wanted})
    if not logged:
        return {}
    found = (Assessment.objects.filter(pk__in=logged)
             .select_related("organization").prefetch_related("contacts", "complaints"))
    return {a.pk: protocol_of(a.organization, a.contacts.all(), a.complaints.all())
            for a in found}
