"""Stored fieldwork -> ``scoring`` inputs -> results: the one place where that happens.

For a batch of assessments it reads, in a fixed number of queries whatever the batch's size,
the assessments with their organizations and methodology, their typed values, control contacts
and complaints, all their checklist ticks, and the survey counters; maps each onto a
``scoring.AssessmentInput``; scores it; and says why it may not take a place in the rating.

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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import scoring
from nok.assessments.models import Assessment
from nok.assessments.protocol import ChannelFigure, ControlProtocol, protocol_values
from nok.assessments.selectors import assessments_for_scoring, protocol_of
from nok.assessments.services import parse_values
from nok.methodology.services import methodology_load
from nok.surveys.selectors import SurveyTally, survey_counts


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
        out = scoring.results_of(self.result, None)
        del out["place"], out["insufficient"]
        return out

    @property
    def interval(self) -> tuple[float, float] | tuple[None, None]:
        """The 95 % interval of the total, or (None, None)."""
        bounds = self.result.intervals.get("total")
        return (bounds[0], bounds[1]) if bounds is not None else (None, None)


def assessment_input(
    *,
    assessment: Assessment,
    method: scoring.Methodology,
    tally: SurveyTally | None,
    values: Mapping[str, Any],
    protocol: ControlProtocol | None = None,
) -> scoring.AssessmentInput:
    """Map one assessment's stored fieldwork onto scoring's input (rules in the module doc)."""
    observed = assessment.observed
    ratios: dict[str, scoring.Ratio] = {}
    conditions: dict[str, frozenset[str]] = {}
    for checklist in method.checklists:
        entry = observed.get(checklist.key)
        if entry is None:
            continue
        keys = {item.key for item in checklist.items}
        ticked = set(entry["present"]) & keys
        if checklist.kind == "items":
            missing = tuple(item.key for item in checklist.items if item.key not in ticked)
            ratios[checklist.key] = scoring.Ratio(required=len(keys), present=len(ticked),
                                                  missing=missing)
        else:
            conditions[checklist.key] = frozenset(ticked)
    survey: dict[str, scoring.Count] = {}
    respondents = None
    if tally is not None:
        survey = {key: scoring.Count(asked=asked, yes=yes) for key, (asked, yes) in tally.answers.items()}
        respondents = tally.respondents
    org = assessment.organization
    return scoring.AssessmentInput(
        methodology=method.slug,
        organization=scoring.OrganizationInfo(
            name=org.name, type=org.type.name, forms=org.forms, recipients=org.recipients or None
        ),
        ratios=ratios,
        conditions=conditions,
        survey=survey,
        respondents=respondents,
        values=parse_values(method, {c: v for c, v in values.items() if v is not None}),
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
    tallies = survey_counts(ids, include_flagged=include_flagged)
    out = []
    for assessment in assessments:
        method = methodology_load(assessment.campaign.methodology)
        protocol = protocol_of(assessment.organization, assessment.contacts.all(),
                               assessment.complaints.all())
        inp = assessment_input(
            assessment=assessment, method=method,
            tally=tallies.get(assessment.pk), values=fieldwork_values(method, assessment, protocol),
            protocol=protocol,
        )
        result = scoring.score(method, inp)
        out.append(Computed(assessment, method, inp, result,
                            scoring.rating_reasons(method, inp, result)))
    return out
