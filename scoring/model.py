"""Frozen dataclasses of the scoring core: the methodology, the inputs and the results.

Units: social-2018 indicator, criterion and total values are points on a 0..100 scale;
social-2014 per-code scores are 0..1 and the integral is their sum. Values are kept in full
float precision; rounding is for display only (see :func:`scoring.formulas.fmt`).

``None`` always means "no value": the indicator does not apply to the organization's service
forms or has no data (an empty denominator); it is never the same as zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

SERVICE_FORMS: tuple[str, ...] = ("stationary", "semi_stationary", "home")
EMPTY_POLICIES: tuple[str, ...] = ("renormalize", "zero")
SCALES: tuple[str, ...] = ("criteria-100", "integral")
TIE_RULES: tuple[str, ...] = ("shared", "distinct")


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class Question:
    """A questionnaire question.

    ``when`` is a filter: the question is asked only if ``answers[k] == v`` for every pair.
    ``answer_key`` names the survey count the question feeds (``Count.asked`` = respondents who
    answered it, ``Count.yes`` = those who answered "yes"); ``None`` for filter, demographic and
    free-text questions.
    """

    key: str
    text: str
    type: str  # "yes_no" | "choice" | "text"
    options: tuple[Option, ...] = ()
    when: Mapping[str, str] | None = None
    answer_key: str | None = None
    required: bool = True


@dataclass(frozen=True)
class Detect:
    """Rules that find a checklist item on an organization's website (see :mod:`siteaudit`).

    Terms are matched case-insensitively with ``ё`` = ``е``; a plain term matches its words in
    order with any Russian ending (``попечительский совет`` matches «попечительского совета»),
    a term written ``re:...`` is a regular expression. The format and its meaning are documented
    in the ``siteaudit`` package (its module docstring) and the README.
    """

    headings: tuple[str, ...] = ()
    content: tuple[tuple[str, ...], ...] = ()
    patterns: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    form: bool = False
    near: int | None = None
    near_content: tuple[tuple[str, ...], ...] = ()
    near_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One checklist item with the wording used when it is missing (shortcoming -> measure).

    ``detect`` holds the website rules of the item (``None``: not looked for on a website).
    """

    key: str
    label: str
    shortcoming: str
    recommendation: str
    detect: Detect | None = None


@dataclass(frozen=True)
class Checklist:
    """``kind == "items"``: a normative list counted as present/required (stand, site);
    ``kind == "conditions"``: a list of conditions, each present or not."""

    key: str
    title: str
    kind: str
    items: tuple[Item, ...]

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)


@dataclass(frozen=True)
class Indicator:
    """An indicator; ``key`` is "1.1" (social-2018) or a code such as "0241000004" (social-2014).

    ``weight`` is the indicator's weight inside its criterion (social-2014: 1.0).
    ``forms`` is the set of service forms the indicator applies to; ``None`` means all forms.
    ``params`` are the parameters of ``kind`` (see :mod:`scoring.formulas`).
    """

    key: str
    title: str
    criterion: str
    weight: float
    kind: str
    params: Mapping[str, Any]
    forms: frozenset[str] | None
    source: str
    shortcoming: str = ""
    recommendation: str = ""


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class SampleRule:
    """Survey sample per organization: at least ``min_share`` of recipients, at most ``cap``."""

    min_share: float = 0.4
    cap: int = 600

    def minimum(self, recipients: int) -> int:
        """Respondents needed: ``min(cap, ceil(min_share * recipients))``."""
        # round() first so that 0.4 * 120 = 48.00000000000001 does not become 49
        return min(self.cap, math.ceil(round(self.min_share * recipients, 9)))


@dataclass(frozen=True)
class RatingPolicy:
    """Who gets a place in a rating, and how ties are placed.

    ``ties``: ``"shared"`` — equal values share a place and the next place is skipped
    (1, 2, 2, 4); ``"distinct"`` — equal values take consecutive places in name order
    (1, 2, 3, 4; seed 004 gives two organizations with 29,90 places 5 and 6).
    ``missing_criterion``: an organization missing a whole criterion (it has indicators that
    apply, none of them has a value) is listed under «недостаточно данных» without a place.
    ``below_sample``: so is an organization whose survey sample is below the minimum.
    """

    ties: str = "distinct"
    missing_criterion: bool = True
    below_sample: bool = True

    def describe(self) -> str:
        """The rule in plain Russian, printed with every rating."""
        ties = (
            "организации с равным значением делят место, следующее место пропускается (1, 2, 2, 4)"
            if self.ties == "shared"
            else "организации с равным значением занимают разные места по алфавиту (1, 2, 3, 4)"
        )
        excluded = []
        if self.missing_criterion:
            excluded.append("нет значения хотя бы одного критерия")
        if self.below_sample:
            excluded.append("опрошено меньше минимальной выборки")
        if not excluded:
            return f"Места — по убыванию значения внутри типа организаций; {ties}."
        return (
            f"Места — по убыванию значения внутри типа организаций; {ties}. "
            f"Без места, в группе «недостаточно данных»: {'; '.join(excluded)}."
        )


@dataclass(frozen=True)
class Methodology:
    slug: str
    title: str
    scale: str  # "criteria-100" | "integral"
    criteria: tuple[Criterion, ...]
    indicators: tuple[Indicator, ...]
    checklists: tuple[Checklist, ...]
    questions: tuple[Question, ...]
    sample: SampleRule
    empty_policy: str
    description: str = ""
    rating: RatingPolicy = field(default_factory=RatingPolicy)
    version: str = ""
    valid_from: int | None = None  # first campaign year the methodology applies to
    valid_to: int | None = None  # last one (None: still in force)

    def valid_for(self, year: int) -> bool:
        """Does the methodology apply to a campaign of this year? (No years given: any year.)"""
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )
    uncertainty: str = ""  # how the 95 % intervals are computed, in Russian (for documents)
    # A survey share (in percent; a 0..1 score × 100) below this is a shortcoming.
    share_below: float = 90.0

    @cached_property
    def _indicator_index(self) -> dict[str, Indicator]:
        return {indicator.key: indicator for indicator in self.indicators}

    def indicator(self, key: str) -> Indicator:
        """The indicator with this key (KeyError if none)."""
        return self._indicator_index[key]

    def criterion(self, key: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise KeyError(key)

    def checklist(self, key: str) -> Checklist:
        for checklist in self.checklists:
            if checklist.key == key:
                return checklist
        raise KeyError(key)

    def question(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    def question_for_answer(self, answer_key: str) -> Question:
        """The question whose answers feed the survey count ``answer_key`` (KeyError if none)."""
        for question in self.questions:
            if question.answer_key == answer_key:
                return question
        raise KeyError(answer_key)

    def answer_keys(self) -> tuple[str, ...]:
        """Survey count keys fed by the questionnaire, in questionnaire order."""
        return tuple(q.answer_key for q in self.questions if q.answer_key is not None)


@dataclass(frozen=True)
class Count:
    """Survey count: ``asked`` respondents answered the question, ``yes`` of them said yes."""

    asked: int
    yes: int


Interval = tuple[float, float]
"""A 95 % interval ``(lo, hi)`` in the figure's units (see :mod:`scoring.uncertainty`)."""

Term = tuple[float, float, float]
"""``(coefficient, yes, asked)``: a figure's sd includes ``coefficient × sd(yes, asked)``."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where one figure's uncertainty comes from, in the figure's units (METHODOLOGY.md §7).

    ``terms``: the figure's sd is ``Σ coefficient × sd(yes, asked)`` over its survey counts,
    each count's Agresti–Coull sd taken as a fraction (plain numbers, so that a stored result
    holds no references); a weighted sum of figures (a criterion, the total, a social-2014 sum) has
    the terms of its figures times their weights. Empty for an exact figure (observation,
    documents, a share typed as a bare number, a figure without value).
    ``single``: the count of a single share, whose own interval is Wilson's (None for exact and
    composite figures; a composite's interval is ``value ± z·sd``).
    ``negative``: the figure is ``top × (1 − share)`` (its interval mirrors the share's).
    ``top``: the top of the figure's scale and the upper clip of its interval (100 points, a
    0..1 score, or the number of scores in a social-2014 sum).
    """

    terms: tuple[Term, ...] = ()
    single: Count | None = None
    negative: bool = False
    top: float = 100.0

    @property
    def exact(self) -> bool:
        """No survey count behind the figure: its interval is the value itself."""
        return not self.terms


@dataclass(frozen=True)
class Ratio:
    """Normative list: ``present`` of the ``required`` items were found; ``missing`` names the
    items that were not, where they are known (keys of the checklist's items)."""

    required: int
    present: int
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormControl:
    """The control protocol of one service form (seed 000), as recorded: control calls and
    e-mails received and how many were effective, and the complaints register (None: no
    register kept). It documents the organization; the score takes what it needs from
    ``AssessmentInput.values``."""

    recipients: int | None = None
    calls: Count | None = None  # asked = received, yes = effective
    emails: Count | None = None
    complaints: tuple[int, int] | None = None  # (registered, resolved)


@dataclass(frozen=True)
class OrganizationInfo:
    name: str
    type: str
    forms: tuple[str, ...] = ()
    recipients: int | None = None


@dataclass(frozen=True)
class AssessmentInput:
    """Everything the scoring needs about one organization in one campaign."""

    methodology: str
    organization: OrganizationInfo
    ratios: Mapping[str, Ratio] = field(default_factory=dict)
    conditions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    survey: Mapping[str, Count] = field(default_factory=dict)
    respondents: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    control: Mapping[str, FormControl] = field(default_factory=dict)  # by service form


@dataclass(frozen=True)
class Figure:
    """One computed number with its explanation (formula with the numbers put in, inputs)."""

    key: str
    title: str
    value: float | None
    formula: str
    inputs: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "value": self.value,
            "formula": self.formula,
            "inputs": dict(self.inputs),
            "note": self.note,
        }


@dataclass(frozen=True)
class Result:
    """The outcome of :func:`scoring.score`.

    social-2018: ``indicators`` 0..100 (None = excluded), ``criteria`` K1..K5 0..100,
    ``total`` = mean of the criteria; ``integral`` is None.
    social-2014: ``indicators`` are per-code scores 0..1 (None = not applicable or not
    measured), ``criteria`` are per-criterion sums, ``integral`` = sum of applicable scores and
    ``total`` equals ``integral`` (so that callers can rank on ``total`` for either scale).

    Uncertainty (METHODOLOGY.md §7, :mod:`scoring.uncertainty`), keyed like ``explain``
    (indicator keys, criterion keys, ``"total"``; on the integral scale also ``"integral"``):
    ``intervals`` are the 95 % intervals ``(lo, hi)`` in the figure's units (an exact figure's
    is ``(value, value)``; None where the figure has no value); ``intervals_fpc`` the same with
    the finite-population correction for the organization's recipients, None when the
    recipients are unknown; ``sd`` the standard deviations; ``total_source`` how the total
    depends on the survey counts (for :func:`scoring.uncertainty.responses_needed`);
    ``respondents`` the survey's respondents as given.
    """

    methodology: str
    scale: str
    indicators: Mapping[str, float | None]
    criteria: Mapping[str, float | None]
    total: float | None
    integral: float | None
    explain: Mapping[str, Figure]
    warnings: tuple[str, ...] = ()
    empty_policy: str = "renormalize"
    organization: OrganizationInfo | None = None
    measured: Mapping[str, Any] = field(default_factory=dict)
    intervals: Mapping[str, Interval | None] = field(default_factory=dict)
    intervals_fpc: Mapping[str, Interval | None] | None = None
    sd: Mapping[str, float | None] = field(default_factory=dict)
    total_source: Source = Source()
    respondents: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict, the shape printed by ``nok score --format json``."""
        out: dict[str, Any] = {"methodology": self.methodology, "scale": self.scale}
        if self.organization is not None:
            org = self.organization
            out["organization"] = {
                "name": org.name,
                "type": org.type,
                "forms": list(org.forms),
                "recipients": org.recipients,
            }
        out["empty_policy"] = self.empty_policy
        out["indicators"] = dict(self.indicators)
        out["criteria"] = dict(self.criteria)
        out["total"] = self.total
        if self.scale == "integral":
            out["scores"] = dict(self.indicators)
            out["measured"] = dict(self.measured)
            out["integral"] = self.integral
        out["intervals"] = _intervals(self.intervals)
        out["intervals_fpc"] = None if self.intervals_fpc is None else _intervals(self.intervals_fpc)
        out["explain"] = {key: fig.to_dict() for key, fig in self.explain.items()}
        out["warnings"] = list(self.warnings)
        return out


def _intervals(intervals: Mapping[str, Interval | None]) -> dict[str, list[float] | None]:
    return {key: None if b is None else [b[0], b[1]] for key, b in intervals.items()}


@dataclass(frozen=True)
class RatingEntry:
    """One organization to rank; ``insufficient`` lists why it may not take a place
    (:func:`scoring.rating_reasons`), empty when it may."""

    key: str
    name: str
    type: str
    value: float | None
    insufficient: tuple[str, ...] = ()


@dataclass(frozen=True)
class RatingRow:
    """A row of a rating: ``position`` is None for the «недостаточно данных» group, whose
    ``insufficient`` says why."""

    type: str
    position: int | None
    key: str
    name: str
    value: float | None
    insufficient: tuple[str, ...] = ()

    @property
    def rated(self) -> bool:
        return self.position is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "position": self.position,
            "key": self.key,
            "name": self.name,
            "value": self.value,
            "group": "rated" if self.rated else "insufficient",
            "insufficient": list(self.insufficient),
        }
