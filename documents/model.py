"""What the documents print, as plain dataclasses built from scoring objects.

The builders here do every computation a document needs (scores, shortcomings, places, averages,
the draft plan); the renderers (:mod:`documents.docx`, :mod:`documents.pdf`,
:mod:`documents.xlsx`) only lay the numbers out. Every figure comes from :mod:`scoring`:
nothing is recomputed here except means over organizations (the regional and type averages).

Conventions:
- values are kept in full precision; the ``*_text`` fields are the display forms (decimal comma,
  «—» for no value, 95 % intervals as «83,4 (78,1–88,0)»);
- an organization is identified in a rating by ``Assessed.key`` (the file it came from, or the
  web application's id) and printed by its registry name, never by the key;
- «planned improvements» are the organization's plan when one is given, else the catalogue's
  measures for its shortcomings (what a draft plan would propose).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import scoring
from documents.text import count, percent, points, roman, value_text
from scoring import AssessmentInput, Methodology, Result, Shortcoming
from scoring.control import ControlProtocol, protocol_from_control
from scoring.labels import FORM_COLUMNS, FORM_LABELS, POLICY_LABELS, forms_label, source_label
from scoring.uncertainty import digits_for, fmt_interval, fmt_with_interval, wilson

# -- inputs ------------------------------------------------------------------------------------


PRELIMINARY_BANNER = "ПРЕДВАРИТЕЛЬНЫЕ РЕЗУЛЬТАТЫ — НЕ ОПУБЛИКОВАНЫ"


def _names(text: str, place: str) -> bool:
    """Whether ``text`` already names ``place`` in any case form: «…Кемеровской области»
    names «Кемеровская область» (each word's stem, its ending cut, is in the text)."""
    words = place.casefold().split()
    found = text.casefold()
    return bool(words) and all((w[:-3] if len(w) > 5 else w) in found for w in words)


@dataclass(frozen=True)
class Campaign:
    """The campaign a document belongs to (everything optional: the CLI knows only the files)."""

    name: str = ""
    region: str = ""
    period: str = ""  # «2026 год», «01.03.2026 — 30.09.2026»
    year: int | None = None
    operator: str = ""
    ministry: str = ""  # the authorized body that approves the results
    methodology_slug: str = ""
    methodology_title: str = ""
    methodology_version: str = ""
    status: str = ""  # «предварительные результаты по данным на …», «опубликованные результаты, …»
    preliminary: bool = False  # not published: every page says so

    @classmethod
    def of(cls, methodology: Methodology, **fields: Any) -> Campaign:
        """A campaign scored with ``methodology`` (its slug, title and version filled in)."""
        base = cls(methodology_slug=methodology.slug, methodology_title=methodology.title,
                   methodology_version=methodology.version)
        return replace(base, **fields)

    @property
    def title(self) -> str:
        """«НОК 2026, Кемеровская область (опубликованные результаты, …)» — the best description
        there is; the region only when the name does not already say it."""
        region = "" if _names(self.name, self.region) else self.region
        parts = [p for p in (self.name, region) if p]
        if not self.name and self.year:
            parts.insert(0, f"независимая оценка качества {self.year} года")
        title = ", ".join(parts) or "независимая оценка качества"
        return f"{title} ({self.status})" if self.status else title

    @property
    def banner(self) -> str:
        """What heads every page of a document of unpublished results."""
        return PRELIMINARY_BANNER if self.preliminary else ""


@dataclass(frozen=True)
class Registry:
    """The organization as the register knows it."""

    name: str
    type: str
    short_name: str = ""
    forms: tuple[str, ...] = ()
    recipients: int | None = None
    inn: str = ""
    municipality: str = ""

    @classmethod
    def of(cls, inp: AssessmentInput, **fields: Any) -> Registry:
        org = inp.organization
        base = cls(name=org.name, type=org.type, forms=org.forms, recipients=org.recipients)
        return replace(base, **{k: v for k, v in fields.items() if v not in (None, "")})

    @property
    def forms_text(self) -> str:
        return forms_label(list(self.forms))


@dataclass(frozen=True)
class Assessed:
    """One organization scored: input, result, its shortcomings, why it may not take a place,
    and its planned improvements."""

    key: str
    inp: AssessmentInput
    result: Result
    registry: Registry
    shortcomings: tuple[Shortcoming, ...] = ()
    insufficient: tuple[str, ...] = ()
    planned: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.registry.name

    @property
    def type(self) -> str:
        return self.registry.type

    @property
    def total(self) -> float | None:
        return self.result.total


def assess(methodology: Methodology, inp: AssessmentInput, *, key: str = "",
           registry: Registry | None = None, planned: Sequence[str] | None = None,
           empty_policy: str | None = None) -> Assessed:
    """Score ``inp`` and derive what the documents need. ``planned``: the organization's plan
    measures; None takes the catalogue's measures of its shortcomings (in order, each once)."""
    result = scoring.score(methodology, inp, empty_policy=empty_policy)
    found = tuple(scoring.shortcomings(methodology, inp, result))
    if planned is None:
        planned = list(dict.fromkeys(s.measure for s in found if s.measure))
    return Assessed(
        key=key or inp.organization.name,
        inp=inp,
        result=result,
        registry=registry or Registry.of(inp),
        shortcomings=found,
        insufficient=scoring.rating_reasons(methodology, inp, result),
        planned=tuple(planned),
    )


# -- averages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Averages:
    """Means over a group of organizations: each criterion over those with its value, the total
    over those with a total (``count``)."""

    label: str
    count: int
    criteria: Mapping[str, float | None]
    total: float | None


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def averages(methodology: Methodology, assessed: Sequence[Assessed], label: str = "По региону") -> Averages:
    return Averages(
        label=label,
        count=sum(1 for a in assessed if a.total is not None),
        criteria={c.key: _mean(a.result.criteria.get(c.key) for a in assessed)
                  for c in methodology.criteria},
        total=_mean(a.total for a in assessed),
    )


def type_averages(methodology: Methodology, assessed: Sequence[Assessed]) -> dict[str, Averages]:
    """Averages per organization type, in order of first appearance."""
    groups: dict[str, list[Assessed]] = {}
    for a in assessed:
        groups.setdefault(a.type, []).append(a)
    return {t: averages(methodology, members, t) for t, members in groups.items()}


# -- rating ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingLine:
    """One organization in a rating: its place (None: «недостаточно данных», with the reasons),
    the places it could take given the 95 % intervals, and everything printed about it."""

    place: int | None
    places: tuple[int, int] | None
    assessed: Assessed
    reasons: tuple[str, ...] = ()

    @property
    def places_text(self) -> str:
        if self.places is None:
            return "—"
        best, worst = self.places
        return str(best) if best == worst else f"{best}–{worst}"


@dataclass(frozen=True)
class TypeSection:
    type: str
    rated: tuple[RatingLine, ...]
    insufficient: tuple[RatingLine, ...]

    @property
    def lines(self) -> tuple[RatingLine, ...]:
        return self.rated + self.insufficient


def rating_rows(methodology: Methodology, assessed: Sequence[Assessed]) -> list[TypeSection]:
    """The rating per organization type under the methodology's policy (:func:`scoring.rate`),
    with possible places (:func:`scoring.position_ranges`); types in order of first appearance.
    Keys must be unique."""
    by_key = {a.key: a for a in assessed}
    if len(by_key) != len(assessed):
        raise ValueError("keys of the assessed organizations must be unique")
    rows = scoring.rate(
        (scoring.RatingEntry(key=a.key, name=a.name, type=a.type, value=a.total,
                             insufficient=a.insufficient) for a in assessed),
        methodology.rating,
    )
    ranges = scoring.position_ranges(rows, {a.key: a.result.intervals.get("total") for a in assessed})
    sections: dict[str, tuple[list[RatingLine], list[RatingLine]]] = {}
    for row in rows:
        rated, rest = sections.setdefault(row.type, ([], []))
        line = RatingLine(row.position, ranges.get(row.key), by_key[row.key], row.insufficient)
        (rated if row.rated else rest).append(line)
    return [TypeSection(t, tuple(r), tuple(i)) for t, (r, i) in sections.items()]


# -- protocol ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    number: str  # «1.1» or the social-2014 code
    title: str
    source: str
    value: float | None
    value_text: str  # with the 95 % interval where the figure comes from the survey
    weight: float | None  # the weight used in the criterion (renormalized), None when excluded
    weight_text: str
    points: float | None  # weight × value
    points_text: str
    note: str = ""  # why there is no value, or what was measured


@dataclass(frozen=True)
class CriterionBlock:
    key: str
    number: str  # «I»
    title: str
    lines: tuple[IndicatorLine, ...]
    value: float | None
    value_text: str


@dataclass(frozen=True)
class SurveyLine:
    question: str
    asked: int
    yes: int
    share: float | None  # percent
    share_text: str
    interval_text: str  # «88,6–100,0» (Wilson, METHODOLOGY.md §7); «—» without answers


@dataclass(frozen=True)
class Survey:
    respondents: int | None
    recipients: int | None
    minimum: int | None  # respondents needed, when the recipients are known
    cap: int
    min_share_text: str  # «40 %»
    sample_text: str  # one sentence: respondents against the minimum and the cap
    lines: tuple[SurveyLine, ...]


@dataclass(frozen=True)
class ControlRow:
    label: str
    cells: tuple[str, ...]  # one per service form


@dataclass(frozen=True)
class Control:
    """The seed-000 protocol: a column per service form, its rows and conclusions."""

    columns: tuple[str, ...]
    rows: tuple[ControlRow, ...]
    conclusions: tuple[str, ...]


@dataclass(frozen=True)
class ShortcomingGroup:
    number: str
    title: str
    items: tuple[Shortcoming, ...]


@dataclass(frozen=True)
class Policy:
    title: str
    text: str


@dataclass(frozen=True)
class ChartData:
    """A grouped bar chart: ``labels`` on the axis, one series per ``(name, values)``."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    top: float | None = 100.0  # the scale's top (None: from the data)


@dataclass(frozen=True)
class Protocol:
    campaign: Campaign
    registry: Registry
    scale: str
    value_label: str  # «Итоговый показатель» / «Интегральное значение»
    total: float | None
    total_text: str  # with the 95 % interval
    conclusion: str
    criteria: tuple[CriterionBlock, ...]
    survey: Survey
    control: Control | None
    shortcomings: tuple[ShortcomingGroup, ...]
    recommendations: tuple[str, ...]
    policies: tuple[Policy, ...]
    chart: ChartData
    notes: tuple[str, ...] = ()  # warnings of the scoring, the reasons for no place


def _weights(result: Result, criterion: str) -> Mapping[str, float]:
    """The weights the criterion's figure used (renormalized over indicators with a value)."""
    fig = result.explain.get(criterion)
    out: dict[str, float] = {}
    for key, entry in (fig.inputs.items() if fig is not None else ()):
        if isinstance(entry, Mapping) and isinstance(entry.get("weight"), int | float):
            out[key] = float(entry["weight"])
    return out


def _indicator_lines(methodology: Methodology, result: Result, criterion: scoring.Criterion
                     ) -> tuple[IndicatorLine, ...]:
    integral = methodology.scale == "integral"
    digits = digits_for(methodology.scale)
    weights = _weights(result, criterion.key)
    lines = []
    for key in criterion.indicators:
        ind = methodology.indicator(key)
        fig = result.explain.get(key)
        value = result.indicators.get(key)
        weight = None if integral else weights.get(key)
        pts = value * weight if value is not None and weight is not None else None
        note = ""
        if value is None:
            note = (fig.note if fig is not None and fig.note else "нет данных")
        elif integral and key in result.measured and fig is not None:
            note = fig.formula
        text = fmt_with_interval(value, result.intervals.get(key), digits)
        lines.append(IndicatorLine(
            number=key, title=ind.title, source=source_label(ind.source), value=value,
            value_text=text if value is not None else "—",
            weight=weight, weight_text="—" if weight is None else scoring.fmt(weight, 4),
            points=pts, points_text=value_text(pts, methodology.scale) if pts is not None else "—",
            note=note,
        ))
    return tuple(lines)


def _survey(methodology: Methodology, inp: AssessmentInput) -> Survey:
    """The survey block: respondents against the sample rule, and a line per counted question
    (social-2018: the questionnaire's; social-2014: each share measured by the survey)."""
    rule = methodology.sample
    recipients = inp.organization.recipients
    minimum = rule.minimum(recipients) if recipients is not None else None
    counts: list[tuple[str, scoring.Count]] = []
    for q in methodology.questions:
        if q.answer_key is not None and q.answer_key in inp.survey:
            counts.append((q.text, inp.survey[q.answer_key]))
    for ind in methodology.indicators:
        raw = inp.values.get(ind.key)
        if isinstance(raw, scoring.Count) and ind.source == "survey":
            counts.append((ind.title, raw))
    lines = []
    for text, c in counts:
        share = c.yes / c.asked * 100 if c.asked else None
        bounds = wilson(c.yes, c.asked)
        lines.append(SurveyLine(
            question=text, asked=c.asked, yes=c.yes, share=share, share_text=percent(share),
            interval_text="—" if bounds is None else fmt_interval((bounds[0] * 100, bounds[1] * 100)),
        ))
    share_text = f"{scoring.fmt(rule.min_share * 100)} %"
    respondents = inp.respondents
    if respondents is None:
        sample = "Число опрошенных не указано."
    elif minimum is None:
        sample = (f"Опрошено {count(respondents, 'получатель', 'получателя', 'получателей')} услуг; "
                  f"число получателей не указано, поэтому минимальная выборка ({share_text} "
                  f"получателей, не более {rule.cap}) не определена.")
    else:
        verdict = ("выборка достаточна" if respondents >= minimum
                   else "выборка меньше минимальной")
        sample = (f"Опрошено {count(respondents, 'получатель', 'получателя', 'получателей')} услуг "
                  f"из {recipients}; минимальная выборка — {minimum} ({share_text} получателей, "
                  f"не более {rule.cap}): {verdict}.")
    return Survey(respondents=respondents, recipients=recipients, minimum=minimum, cap=rule.cap,
                  min_share_text=share_text, sample_text=sample, lines=tuple(lines))


def control_of(inp: AssessmentInput) -> Control | None:
    """The seed-000 protocol of an organization, None when the file records no control data."""
    if not inp.control:
        return None
    forms = inp.organization.forms or tuple(f for f in FORM_LABELS if f in inp.control)
    protocol: ControlProtocol = protocol_from_control(forms, inp.control)
    rows = (
        ControlRow("Жалобы: всего / на 100 получателей (доля решённых)",
                   tuple(f.complaints.text for f in protocol.forms)),
        ControlRow("Контрольные звонки: поступило / результативных (доля результативных)",
                   tuple(f.calls.text for f in protocol.forms)),
        ControlRow("Обращения по электронной почте и через сайт: поступило / результативных "
                   "(доля результативных)", tuple(f.emails.text for f in protocol.forms)),
    )
    return Control(columns=tuple(FORM_COLUMNS.get(f.form, f.form) for f in protocol.forms),
                   rows=rows, conclusions=protocol.conclusions)


def shortcoming_groups(methodology: Methodology, found: Sequence[Shortcoming]) -> tuple[ShortcomingGroup, ...]:
    """Shortcomings grouped by criterion, numbered I–V as in the official forms."""
    groups = []
    for index, criterion in enumerate(methodology.criteria, start=1):
        items = tuple(s for s in found if s.criterion == criterion.key)
        if items:
            groups.append(ShortcomingGroup(roman(index), criterion.title, items))
    return tuple(groups)


def policies(methodology: Methodology, empty_policy: str) -> tuple[Policy, ...]:
    """The rules a document's numbers follow, stated in it."""
    out = [
        Policy("Показатели без данных", POLICY_LABELS.get(empty_policy, empty_policy) + "."),
        Policy("Рейтинг", methodology.rating.describe()),
        Policy("Недостатки", _capital(scoring.describe_bar(methodology).removeprefix("Недостатки: "))),
        Policy("Доверительные интервалы", scoring.INTERVAL_SENTENCE),
    ]
    if methodology.uncertainty:
        out.append(Policy("Как рассчитаны интервалы", methodology.uncertainty))
    return tuple(out)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _conclusion(methodology: Methodology, a: Assessed) -> str:
    total = a.total
    if total is None:
        return "Итоговое значение не рассчитано: нет данных."
    if methodology.scale == "integral":
        return (f"Интегральное значение показателей организации составило "
                f"{value_text(total, methodology.scale)}.")
    return f"Итоговый балл организации составил {points(total)}."


def build_protocol(methodology: Methodology, a: Assessed, campaign: Campaign | None = None, *,
                   region: Averages | None = None, same_type: Averages | None = None) -> Protocol:
    """The organization's protocol (issue 9 item 1). ``region`` and ``same_type`` are the
    averages the chart compares K1–K5 with (left out when not given)."""
    campaign = campaign or Campaign.of(methodology)
    result = a.result
    integral = methodology.scale == "integral"
    blocks = tuple(
        CriterionBlock(
            key=c.key, number=roman(i), title=c.title,
            lines=_indicator_lines(methodology, result, c),
            value=result.criteria.get(c.key),
            value_text=fmt_with_interval(result.criteria.get(c.key), result.intervals.get(c.key),
                                         digits_for(methodology.scale)),
        )
        for i, c in enumerate(methodology.criteria, start=1)
    )
    labels = tuple(c.key.replace("K", "К") for c in methodology.criteria)
    series: list[tuple[str, tuple[float | None, ...]]] = [
        ("Организация", tuple(result.criteria.get(c.key) for c in methodology.criteria))]
    for avg, name in ((same_type, "Среднее по типу"), (region, "Среднее по региону")):
        if avg is not None:
            series.append((name, tuple(avg.criteria.get(c.key) for c in methodology.criteria)))
    notes = list(result.warnings)
    notes.extend(f"Без места в рейтинге: {r}." for r in a.insufficient)
    recommendations = tuple(dict.fromkeys(s.measure for s in a.shortcomings if s.measure))
    return Protocol(
        campaign=campaign,
        registry=a.registry,
        scale=methodology.scale,
        value_label="Интегральное значение" if integral else "Итоговый показатель",
        total=result.total,
        total_text=fmt_with_interval(result.total, result.intervals.get("total"),
                                     digits_for(methodology.scale)),
        conclusion=_conclusion(methodology, a),
        criteria=blocks,
        survey=_survey(methodology, a.inp),
        control=control_of(a.inp),
        shortcomings=shortcoming_groups(methodology, a.shortcomings),
        recommendations=recommendations,
        policies=policies(methodology, result.empty_policy),
        chart=ChartData("Критерии организации в сравнении со средними значениями", labels,
                        tuple(series), None if integral else 100.0),
        notes=tuple(notes),
    )


# -- rating document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    campaign: Campaign
    methodology: Methodology
    sections: tuple[TypeSection, ...]
    value_label: str
    rule: str
    assessed: tuple[Assessed, ...]

    @property
    def count_text(self) -> str:
        n = len(self.assessed)
        return f"{count(n, 'организация', 'организации', 'организаций')}, " \
               f"{count(len(self.sections), 'тип', 'типа', 'типов')} организаций"


def build_rating(methodology: Methodology, assessed: Sequence[Assessed],
                 campaign: Campaign | None = None) -> Rating:
    """The rating by organization type (issue 9 item 2, seed 004)."""
    integral = methodology.scale == "integral"
    return Rating(
        campaign=campaign or Campaign.of(methodology),
        methodology=methodology,
        sections=tuple(rating_rows(methodology, assessed)),
        value_label="Интегральное значение критериев" if integral else "Итоговый балл",
        rule=methodology.rating.describe(),
        assessed=tuple(assessed),
    )


# -- regional report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    label: str
    count: int
    share_text: str


@dataclass(frozen=True)
class Frequent:
    text: str
    measure: str
    count: int
    share_text: str


@dataclass(frozen=True)
class Change:
    """Year over year for one organization found in both campaigns (matched by name and type)."""

    name: str
    type: str
    before: float | None
    after: float | None
    resolved: int  # earlier shortcomings (by key) gone
    persisting: int

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class YearOverYear:
    previous: Campaign
    region_before: Averages
    region_after: Averages
    types_before: Mapping[str, Averages]
    changes: tuple[Change, ...]
    resolved: int
    persisting: int
    matched: int


@dataclass(frozen=True)
class Region:
    campaign: Campaign
    methodology: Methodology
    assessed: tuple[Assessed, ...]
    region: Averages
    types: Mapping[str, Averages]
    sections: tuple[TypeSection, ...]
    bands: tuple[Band, ...]
    best: tuple[RatingLine, ...]
    weakest: tuple[RatingLine, ...]
    frequent: tuple[Frequent, ...]
    year_over_year: YearOverYear | None
    charts: tuple[ChartData, ...] = field(default_factory=tuple)

    @property
    def scale(self) -> str:
        return self.methodology.scale


def _bands(methodology: Methodology, totals: Sequence[float]) -> tuple[Band, ...]:
    """The distribution of totals: 100-point scale in fixed bands (below 60, then by 10 points,
    90–100 last); integral scale in five equal bands between the lowest and highest value."""
    if methodology.scale == "integral":
        if not totals:
            return ()
        lo, hi = min(totals), max(totals)
        step = (hi - lo) / 5 or 1.0
        edges = [lo + step * i for i in range(6)]
        labels = [f"{value_text(edges[i], 'integral')}–{value_text(edges[i + 1], 'integral')}"
                  for i in range(5)]
    else:
        edges = [0.0, 60.0, 70.0, 80.0, 90.0, 100.0]
        labels = ["менее 60", "60–70", "70–80", "80–90", "90–100"]
    counts = [0] * (len(edges) - 1)
    for value in totals:
        for i in range(len(counts)):
            last = i == len(counts) - 1
            if edges[i] <= value < edges[i + 1] or (last and value >= edges[i]):
                counts[i] += 1
                break
        else:
            counts[0] += 1
    n = len(totals) or 1
    return tuple(Band(label, c, percent(c / n * 100)) for label, c in zip(labels, counts, strict=True))


def _frequent(assessed: Sequence[Assessed], limit: int) -> tuple[Frequent, ...]:
    counter: Counter[str] = Counter()
    first: dict[str, Shortcoming] = {}
    for a in assessed:
        for s in {s.key: s for s in a.shortcomings}.values():
            counter[s.key] += 1
            first.setdefault(s.key, s)
    n = len(assessed) or 1
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], first[kv[0]].text))
    return tuple(Frequent(first[k].text, first[k].measure, c, percent(c / n * 100))
                 for k, c in ordered[:limit])


def _year_over_year(methodology: Methodology, assessed: Sequence[Assessed],
                    previous: Sequence[Assessed], campaign: Campaign) -> YearOverYear:
    before = {(a.name.casefold(), a.type.casefold()): a for a in previous}
    changes = []
    resolved = persisting = 0
    for a in assessed:
        old = before.get((a.name.casefold(), a.type.casefold()))
        if old is None:
            continue
        now = {s.key for s in a.shortcomings}
        gone = sum(1 for s in old.shortcomings if s.key not in now)
        kept = sum(1 for s in old.shortcomings if s.key in now)
        resolved += gone
        persisting += kept
        changes.append(Change(a.name, a.type, old.total, a.total, gone, kept))
    return YearOverYear(
        previous=campaign,
        region_before=averages(methodology, previous, "Предыдущая оценка"),
        region_after=averages(methodology, assessed, "Текущая оценка"),
        types_before=type_averages(methodology, previous),
        changes=tuple(sorted(changes, key=lambda c: (c.type, c.name.casefold()))),
        resolved=resolved, persisting=persisting, matched=len(changes),
    )


def build_region(methodology: Methodology, assessed: Sequence[Assessed],
                 campaign: Campaign | None = None, *, previous: Sequence[Assessed] = (),
                 previous_campaign: Campaign | None = None, top: int = 5,
                 frequent: int = 15) -> Region:
    """The regional summary report (issue 9 item 3). ``previous``: an earlier campaign's
    organizations (same methodology), compared by name and type."""
    campaign = campaign or Campaign.of(methodology)
    sections = tuple(rating_rows(methodology, assessed))
    rated = sorted((line for s in sections for line in s.rated),
                   key=lambda line: (-(line.assessed.total or 0.0), line.assessed.name.casefold()))
    totals = [a.total for a in assessed if a.total is not None]
    region = averages(methodology, assessed)
    types = type_averages(methodology, assessed)
    labels = tuple(c.key.replace("K", "К") for c in methodology.criteria)
    top_value = None if methodology.scale == "integral" else 100.0
    charts = [
        ChartData("Средние значения критериев по региону", labels,
                  (("По региону", tuple(region.criteria.get(c.key) for c in methodology.criteria)),),
                  top_value),
        ChartData("Средний итоговый показатель по типам организаций",
                  tuple(types), (("Среднее", tuple(t.total for t in types.values())),), top_value),
    ]
    yoy = None
    if previous:
        yoy = _year_over_year(methodology, assessed, previous,
                              previous_campaign or Campaign.of(methodology))
        charts.append(ChartData(
            "Средние значения критериев: предыдущая и текущая оценка", labels,
            (("Предыдущая", tuple(yoy.region_before.criteria.get(c.key) for c in methodology.criteria)),
             ("Текущая", tuple(region.criteria.get(c.key) for c in methodology.criteria))),
            top_value))
    return Region(
        campaign=campaign, methodology=methodology, assessed=tuple(assessed), region=region,
        types=types, sections=sections, bands=_bands(methodology, totals),
        best=tuple(rated[:top]), weakest=tuple(reversed(rated[-top:])) if rated else (),
        frequent=_frequent(assessed, frequent), year_over_year=yoy, charts=tuple(charts),
    )


# -- improvement plan --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """A row of the improvement plan (the official form; seed 002): the shortcoming, the
    measure, its planned date and responsible person, then the execution report. ``key`` is the
    shortcoming's stable key (the next campaign matches on it)."""

    key: str
    criterion: str  # «K1»
    section: str  # «I»
    criterion_title: str
    shortcoming: str
    measure: str
    due: str = ""
    responsible: str = ""
    done: str = ""
    done_date: str = ""


@dataclass(frozen=True)
class Plan:
    campaign: Campaign
    registry: Registry
    rows: tuple[PlanRow, ...]

    def sections(self) -> list[tuple[str, str, list[PlanRow]]]:
        """Rows grouped by criterion, in order: (section number, criterion title, rows)."""
        out: list[tuple[str, str, list[PlanRow]]] = []
        for row in self.rows:
            if not out or out[-1][0] != row.section:
                out.append((row.section, row.criterion_title, []))
            out[-1][2].append(row)
        return out


def draft_plan(methodology: Methodology, a: Assessed) -> list[PlanRow]:
    """One row per shortcoming (:func:`scoring.shortcomings`, the protocol's derivation) in the
    methodology's order, grouped by criterion I–V, with the catalogue's measure; dates,
    responsible persons and the execution report are left for the organization."""
    numbers = {c.key: (roman(i), c.title) for i, c in enumerate(methodology.criteria, start=1)}
    return [PlanRow(key=s.key, criterion=s.criterion, section=numbers[s.criterion][0],
                    criterion_title=numbers[s.criterion][1], shortcoming=s.text, measure=s.measure)
            for s in a.shortcomings]


def build_plan(methodology: Methodology, a: Assessed, campaign: Campaign | None = None,
               rows: Sequence[PlanRow] | None = None) -> Plan:
    """The plan document of an organization: ``rows`` as edited, or the draft."""
    return Plan(campaign=campaign or Campaign.of(methodology), registry=a.registry,
                rows=tuple(draft_plan(methodology, a) if rows is None else rows))


__all__ = [
    "Assessed", "Averages", "Band", "Campaign", "Change", "ChartData", "Control", "ControlRow",
    "CriterionBlock", "Frequent", "IndicatorLine", "Plan", "PlanRow", "Policy", "Protocol",
    "Rating", "RatingLine", "Region", "Registry", "ShortcomingGroup", "Survey", "SurveyLine",
    "TypeSection", "YearOverYear", "assess", "averages", "build_plan", "build_protocol",
    "build_rating", "build_region", "control_of", "draft_plan", "policies", "rating_rows",
    "shortcoming_groups", "type_averages",
]
