"""Survey counts kept as responses arrive, never recounted on read (responses per status,
channel and survey mode; answers per status, question and value).

Every write that adds responses or moves one to another status calls :func:`tally_add` or
:func:`tally_move` inside its own transaction (after :func:`nok.assessments.services.
fieldwork_guard`, which serializes the writes of one assessment), so ``ResponseTally`` and
``AnswerTally`` always equal a recount of the stored responses and their answers — a test checks
exactly that after online, paper, imported responses, quality flags and review decisions, and
``manage.py survey_tallies --rebuild`` repairs them from the raw rows if ever needed.

The counts change by one multi-row ``INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n``
per table (``nok.core.db.upsert``: SQLite ≥ 3.24 and PostgreSQL alike), rows in key order so
that two transactions touching the same counters never deadlock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Field, Model

from nok.core.db import upsert
from nok.surveys.models import AnswerTally, Response, ResponseTally

RESPONSE_KEYS = ("assessment_id", "status", "channel", "mode")
ANSWER_KEYS = ("assessment_id", "status", "question", "value")


@dataclass(frozen=True)
class Counted:
    """One response as the counters see it: its answers are question -> stored value
    (the option key; ``""`` for a free-text answer)."""

    assessment_id: int
    status: str
    channel: str
    mode: str
    answers: Mapping[str, str]


def _deltas(responses: Iterable[Counted], sign: int) -> tuple[Counter[Any], Counter[Any]]:
    by_response: Counter[Any] = Counter()
    by_answer: Counter[Any] = Counter()
    for r in responses:
        by_response[(r.assessment_id, r.status, r.channel, r.mode)] += sign
        for question, value in r.answers.items():
            by_answer[(r.assessment_id, r.status, question, value)] += sign
    return by_response, by_answer


def _upsert(model: type[Model], keys: Sequence[str], deltas: Mapping[Any, int]) -> None:
    rows = [(*key, delta) for key, delta in deltas.items() if delta]
    if connection.vendor == "postgresql" and len(rows) > UNNEST_FROM:
        _upsert_unnest(model, keys, rows)
    else:
        upsert(model, keys, ("n",), rows, add=True)


UNNEST_FROM = 1000  # rows from which PostgreSQL gets arrays rather than a VALUES list
UNNEST_ROWS = 100_000  # rows per statement


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _upsert_unnest(model: type[Model], keys: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """``nok.core.db.upsert(add=True)`` for many rows on PostgreSQL: one array per column
    (``unnest``), so a statement has a handful of parameters instead of one per value (the
    driver's rewriting of a query with 100,000 placeholders costs seconds). Rows in key
    order, kept by ``WITH ORDINALITY``, as ``upsert`` orders them (no deadlock)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [*keys, "n"]
    names = ", ".join(quote(c) for c in columns)
    types = [f"{_field(model, c).db_type(connection)}[]" for c in columns]
    aliases = [f"c{i}" for i in range(len(columns))]
    conflict = ", ".join(quote(k) for k in keys)
    rows.sort(key=lambda row: row[:len(keys)])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UNNEST_ROWS):
            arrays = [array_literal(column) for column in zip(*rows[start : start + UNNEST_ROWS],
                                                              strict=True)]
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {', '.join(aliases)} FROM unnest("
                + ", ".join(f"%s::{t}" for t in types)
                + f") WITH ORDINALITY AS d({', '.join(aliases)}, position) ORDER BY position "
                f"ON CONFLICT ({conflict}) DO UPDATE SET n = {table}.n + excluded.n",
                arrays,
            )


def array_literal(values: Sequence[int] | Sequence[str]) -> str:
    """PostgreSQL's text form of an array of these integers or strings (no NULL), built by
    ``join``: the driver's own adaptation of 100,000 values, one at a time in Python, took
    most of a national import's counters."""
    if values and isinstance(values[0], int):
        return "{" + ",".join(map(str, values)) + "}"
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value: Any) -> str:
    """One string of an array literal, always quoted (so "NULL" stays a string)."""
    if "\\" in value or '"' in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{value}"'


def tally_add(responses: Iterable[Counted], sign: int = 1) -> None:
    """Count responses in (``sign=-1``: out of) the counters of their status."""
    tally_apply(*_deltas(responses, sign))


def tally_apply(by_response: Mapping[Any, int], by_answer: Mapping[Any, int]) -> None:
    """Add deltas already summed by the caller (a bulk write that counts as it goes):
    ``by_response`` maps (assessment id, status, channel, mode), ``by_answer`` (assessment id,
    status, question, value) to the change of ``n``. Zero deltas are left out."""
    _upsert(ResponseTally, RESPONSE_KEYS, by_response)
    _upsert(AnswerTally, ANSWER_KEYS, by_answer)


def counted(response_ids: Iterable[int]) -> list[Counted]:
    """Stored responses as the counters see them (two queries)."""
    return [
        Counted(assessment_id, status, channel, mode, answers)
        for assessment_id, status, channel, mode, answers in Response.objects.filter(
            pk__in=list(response_ids)).values_list("assessment_id", "status", "channel", "mode",
                                                   "answers")
    ]


def tally_move(responses: Sequence[Counted], status: str) -> None:
    """Move responses (as they were counted) to ``status`` in the counters."""
    moved = [r for r in responses if r.status != status]
    by_response, by_answer = _deltas(moved, -1)
    plus_response, plus_answer = _deltas(
        (Counted(r.assessment_id, status, r.channel, r.mode, r.answers) for r in moved), 1
    )
    by_response.update(plus_response)
    by_answer.update(plus_answer)
    tally_apply(by_response, by_answer)


# --- recounting from the raw rows (the exactness test, and a repair) ----------------------


def recount(assessment_ids: Iterable[int]) -> tuple[Counter[Any], Counter[Any]]:
    """The counters as a GROUP BY over the stored responses and the answers in them gives them
    (rows with zero left out)."""
    ids = list(assessment_ids)
    responses: Counter[Any] = Counter({
        (a, s, c, m): n for a, s, c, m, n in Response.objects.filter(assessment_id__in=ids)
        .values_list("assessment_id", "status", "channel", "mode").annotate(n=Count("id"))
        .order_by()
    })
    answers: Counter[Any] = Counter()
    each = "jsonb_each_text" if connection.vendor == "postgresql" else "json_each"
    table = connection.ops.quote_name(Response._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), RECOUNT_IDS):
            part = ids[start : start + RECOUNT_IDS]
            cursor.execute(
                f"SELECT r.assessment_id, r.status, a.key, a.value, COUNT(*) FROM {table} AS r, "
                f"{each}(r.answers) AS a WHERE r.assessment_id IN ({', '.join(['%s'] * len(part))}) "
                "GROUP BY r.assessment_id, r.status, a.key, a.value", part)
            answers.update({(a, s, q, v): n for a, s, q, v, n in cursor.fetchall()})
    return responses, answers


RECOUNT_IDS = 500  # assessments per query of the answers' recount


def stored(assessment_ids: Iterable[int]) -> tuple[Counter[Any], Counter[Any]]:
    """The counters as kept (rows with zero left out)."""
    ids = list(assessment_ids)
    responses: Counter[Any] = Counter({
        (a, s, c, m): n for a, s, c, m, n in ResponseTally.objects.filter(
            assessment_id__in=ids, n__gt=0).values_list("assessment_id", "status", "channel",
                                                        "mode", "n")
    })
    answers: Counter[Any] = Counter({
        (a, s, q, v): n for a, s, q, v, n in AnswerTally.objects.filter(
            assessment_id__in=ids, n__gt=0)
        .values_list("assessment_id", "status", "question", "value", "n")
    })
    return responses, answers


def tally_rebuild(assessment_ids: Iterable[int]) -> int:
    """Replace the counters of these assessments by a recount; returns how many rows differed."""
    ids = list(assessment_ids)
    kept, fresh = stored(ids), recount(ids)
    differing = len(set(kept[0].items()) ^ set(fresh[0].items())) + len(
        set(kept[1].items()) ^ set(fresh[1].items()))
    ResponseTally.objects.filter(assessment_id__in=ids).delete()
    AnswerTally.objects.filter(assessment_id__in=ids).delete()
    ResponseTally.objects.bulk_create(
        [ResponseTally(assessment_id=a, status=s, channel=c, mode=m, n=n)
         for (a, s, c, m), n in fresh[0].items()],
        batch_size=2000)
    AnswerTally.objects.bulk_create(
        [AnswerTally(assessment_id=a, status=s, question=q, value=v, n=n)
         for (a, s, q, v), n in fresh[1].items()], batch_size=2000)
    return differing
