"""Campaign-wide import of a form service's export: one file for the whole region (the
Gosuslugi feedback platform, a regional Yandex/Google form), one row per questionnaire, a
column naming the organization by its ИНН or by the survey code of its assessment.

The file is streamed, never loaded: a CSV is read record by record from disk, an XLSX row by
row from the sandboxed reader of ``nok.core.tabular`` (calamine runs in a child process; the
child holds the sheet, this process only the rows in flight). Two passes:

1. every row is checked — organization known in the campaign, date and time readable, each
   mapped cell one of the question's options — and nothing is written if any row is wrong
   (the first ``REPORTED_ERRORS`` errors are kept, all are counted);
2. in one transaction, a chunk of ``CHUNK`` rows at a time: client ids derived from the
   assessment and the row's content and repeat number (the rule of ``import_run``, so a
   re-import, or the import of a slice already loaded per organization, adds nothing), the ids
   already stored skipped (one look-up per chunk), responses and answers written with
   multi-row inserts (PostgreSQL ``COPY``, SQLite ``executemany``), the counters through
   ``tally_add`` once for the whole file, the assessments marked stale as ``fieldwork_guard``
   marks them (``_mark_stale``: a few statements for thousands), the quality checks
   (``flags_apply``) per assessment that received rows, one audit entry.

Cost of the quality checks: ``flags_apply`` reads every checked response of an assessment —
two to four queries per organization, about a third of the time of a 5,000-organization
import on the development machine (see ``bench/bench_import.py``). ``flags=False`` skips them;
``manage.py survey_flags`` runs them later.

Memory: the rows of one chunk, the counters' deltas (organizations × questions × options, not
rows) and, for repeat numbering, one 64-bit integer per distinct row of the file (≈ 60 bytes
each in a Python set: ≈ 60 MB for 1,000,000 rows). Two different rows whose digests share
their first 64 bits (odds ≈ 3·10⁻⁸ at a million rows) would only get another repeat number,
still a unique and reproducible client id.
"""

from __future__ import annotations

import codecs
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from nok.assessments.models import Assessment, Campaign
from nok.assessments.services import fieldwork_guard, fieldwork_write
from nok.core import tabular
from nok.core.services import audit_record
from nok.surveys import imports
from nok.surveys.models import Answer, Channel, Mode, Response, ResponseStatus
from nok.surveys.questionnaire import clean_answers, loaded, options_of
from nok.surveys.services import (
    SURVEY_NAMESPACE,
    RowError,
    flags_apply,
    vector_hash_of,
)
from nok.surveys.tallies import Counted, tally_add

CHUNK = 5000  # rows written per round trip (and per look-up of known client ids)
REPORTED_ERRORS = 200  # row errors kept for the report; all of them are counted
DECODE_CACHE = 1000  # distinct cells remembered per column (option questions only)
CLEAN_CACHE = 20_000  # distinct answer vectors remembered (≈ 20 MB at most)
ORG_WORDS = ("инн", "код")  # a header naming the organization's column, when none is given
READ_BLOCK = 1 << 20

# An XLSX of a whole region is larger than one upload of the web form: the child process
# that reads it gets more room (it holds the sheet; this process streams the rows).
XLSX_LIMITS = tabular.Limits(
    file_bytes=256 * 1024 * 1024, rows=2_000_000, cells=60_000_000,
    unpacked_bytes=2 * 1024 * 1024 * 1024, ratio=200, memory_bytes=6 * 1024 * 1024 * 1024,
    cpu_seconds=1800, seconds=1800.0,
)


class BulkImportRefused(ValidationError):
    """The file was refused as a whole: ``row_errors`` are the first errors found (at most
    ``REPORTED_ERRORS``), ``total`` how many there were."""

    def __init__(self, row_errors: list[RowError], total: int) -> None:
        self.row_errors = row_errors
        self.total = total
        super().__init__([str(e) for e in row_errors])


@dataclass(frozen=True)
class BulkImportResult:
    rows: int  # rows with answers in the file
    imported: int  # responses written
    skipped: int  # rows already stored (a re-import)
    organizations: int  # assessments that received rows
    flags: int  # quality flags added
    sha256: str


Progress = Callable[[str, int], None]


# --- reading the file ---------------------------------------------------------------------


def _file_facts(path: Path) -> tuple[str, str]:
    """(encoding, sha256) of a CSV: UTF-8 with or without BOM, UTF-16 with BOM, else
    Windows-1251 — the rule of ``nok.core.tabular.decode_text``, checked over the whole file
    a block at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        candidates = tabular.csv_encodings(raw.read(4))
        raw.seek(0)
        decoders = {name: codecs.getincrementaldecoder(name)() for name in candidates}
        offset = 0
        while block := raw.read(READ_BLOCK):
            digest.update(block)
            for name, decoder in list(decoders.items()):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    del decoders[name]
                    failed_at = offset + exc.start
            offset += len(block)
        for name, decoder in list(decoders.items()):
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                del decoders[name]
                failed_at = offset
    for name in candidates:
        if name in decoders:
            return name, digest.hexdigest()
    raise tabular.TableError(
        f"Не удалось прочитать CSV: байт № {failed_at + 1} файла не является текстом ни в "
        "UTF-8, ни в Windows-1251. Сохраните таблицу как «CSV UTF-8».", code="encoding")


def _csv_rows(path: Path, encoding: str) -> Iterator[list[Any]]:
    with path.open(encoding=encoding, newline="") as text:
        delimiter = tabular.csv_delimiter(text.read(65536))
        text.seek(0)
        yield from tabular.csv_records(text, delimiter)


@dataclass
class _Source:
    path: Path
    encoding: str  # "" for an XLSX
    sha256: str

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number as the spreadsheet shows it, cells as text) of the non-empty rows."""
        if self.encoding:
            raw: Iterable[list[Any]] = _csv_rows(self.path, self.encoding)
        else:
            raw = tabular.read_rows(self.path.name, self.path.read_bytes(), limits=XLSX_LIMITS)
        for number, cells in enumerate(raw, start=1):
            texts = ([c.strip() for c in cells] if self.encoding
                     else [imports._cell_text(c) for c in cells])
            if any(texts):
                yield number, texts


def _open(path: Path) -> _Source:
    name = path.name.lower()
    if name.endswith(tabular.CSV_EXTENSIONS):
        encoding, sha256 = _file_facts(path)
        return _Source(path, encoding, sha256)
    if name.endswith(tabular.XLSX_EXTENSIONS):
        digest = hashlib.sha256()
        with path.open("rb") as raw:
            while block := raw.read(READ_BLOCK):
                digest.update(block)
        return _Source(path, "", digest.hexdigest())
    raise tabular.TableError(tabular.FORMATS, code="format")


# --- the plan: which column is what --------------------------------------------------------


class _Moments:
    """``imports.parse_timestamp`` with a shortcut: an export writes every date the same way,
    so the format that read the previous cell is tried first (one ``strptime`` instead of up
    to ten); a cell it does not read, or one with a time zone, goes the full way."""

    def __init__(self) -> None:
        self.format = ""

    def parse(self, cell: str) -> datetime | None:
        if self.format:
            try:
                return self._known(cell)
            except ValueError:
                pass
        moment = imports.parse_timestamp(cell)
        if moment is not None and moment.tzinfo is None:
            for fmt in imports.DATETIME_FORMATS:
                try:
                    if datetime.strptime(cell.strip(), fmt) == moment:
                        self.format = fmt
                        break
                except ValueError:
                    continue
        return moment

    def _known(self, cell: str) -> datetime:
        """The cell in the remembered format; the two commonest without ``strptime`` (a
        C parser of the same fixed-width text: 1 µs instead of 10)."""
        if len(cell) == 19 and cell[13] == ":" and cell[16] == ":":
            if self.format == "%Y-%m-%d %H:%M:%S" and cell[4] == "-" and cell[7] == "-":
                return datetime.fromisoformat(cell)
            if self.format == "%d.%m.%Y %H:%M:%S" and cell[2] == "." and cell[5] == ".":
                return datetime.fromisoformat(f"{cell[6:10]}-{cell[3:5]}-{cell[0:2]}{cell[10:]}")
        return datetime.strptime(cell, self.format)


@dataclass
class _Plan:
    header: list[str]
    org_index: int
    mapping: dict[int, str]  # column -> question key or imports.TIMESTAMP
    questions: tuple[Any, ...]
    by_key: dict[str, Any]
    assessments: dict[str, int]  # ИНН or survey code -> assessment id
    text_keys: frozenset[str]
    cache: dict[int, dict[str, str | None]] = field(default_factory=dict)
    moments: _Moments = field(default_factory=_Moments)
    cleaned: dict[tuple[tuple[str, str], ...], dict[str, str]] = field(default_factory=dict)
    zone: Any = field(default_factory=timezone.get_current_timezone)

    def clean(self, answers: dict[str, str]) -> dict[str, str]:
        """``clean_answers``, remembered per answer vector without free text (an export has
        far fewer distinct vectors than rows: most respondents answer alike)."""
        if self.text_keys.intersection(answers):
            return clean_answers(self.questions, answers).answers
        key = tuple(answers.items())
        cleaned = self.cleaned.get(key)
        if cleaned is None:
            cleaned = clean_answers(self.questions, answers).answers
            if len(self.cleaned) < CLEAN_CACHE:
                self.cleaned[key] = cleaned
        return dict(cleaned)

    def column(self, index: int) -> str:
        return self.header[index] if index < len(self.header) and self.header[index] \
            else f"№ {index + 1}"


def _org_index(header: list[str], org_column: str | None) -> int:
    names = [h.strip().lower() for h in header]
    if org_column:
        wanted = org_column.strip().lower()
        if wanted in names:
            return names.index(wanted)
        raise ValidationError({"org_column": f"В файле нет столбца «{org_column}»"})
    for index, name in enumerate(names):
        if any(word in name.split() or name.startswith(word) for word in ORG_WORDS):
            return index
    raise ValidationError({"org_column": "В файле нет столбца с ИНН или кодом анкеты "
                                         "организации: укажите название этого столбца"})


def _assessments_of(campaign: Campaign) -> dict[str, int]:
    found: dict[str, int] = {}
    for pk, code, inn in campaign.assessments.values_list("pk", "survey_code",
                                                          "organization__inn"):
        found[code.lower()] = pk
        if inn:
            found[inn] = pk
    return found


def _org_key(cell: str) -> str:
    key = cell.strip().replace(" ", "").lower()
    # A spreadsheet that took the ИНН for a number dropped its leading zero (regions 01–09).
    if key.isdigit() and len(key) in (9, 11):
        key = "0" + key
    return key


def plan_of(campaign: Campaign, header: list[str], org_column: str | None = None) -> _Plan:
    """The columns of the file: the organization's, the date's and each question's (by the
    text of its heading, ``imports.suggest_mapping``). Raises ``ValidationError``."""
    questions = tuple(loaded(campaign.methodology).questions)
    org_index = _org_index(header, org_column)
    mapping = {i: key for i, key in imports.suggest_mapping(header, questions).items()
               if key and i != org_index}
    if not any(key != imports.TIMESTAMP for key in mapping.values()):
        raise ValidationError({"file": "Ни один столбец файла не похож на вопрос анкеты: "
                                       "заголовки должны повторять тексты вопросов"})
    return _Plan(
        header=header, org_index=org_index, mapping=dict(sorted(mapping.items())),
        questions=questions, by_key={q.key: q for q in questions},
        assessments=_assessments_of(campaign),
        text_keys=frozenset(q.key for q in questions if q.type == "text"),
    )


@dataclass
class _Row:
    number: int
    assessment_id: int
    answers: dict[str, str]  # cleaned
    submitted: datetime | None


def _decode(plan: _Plan, index: int, question: Any, cell: str) -> str | None:
    if question.type == "text":
        return cell
    cache = plan.cache.setdefault(index, {})
    if cell in cache:
        return cache[cell]
    value = imports.decode_value(question, cell, options_of(question))
    if len(cache) < DECODE_CACHE:
        cache[cell] = value
    return value


def _read_row(plan: _Plan, number: int, row: list[str]) -> tuple[_Row | None, list[RowError]]:
    errors: list[RowError] = []
    org = row[plan.org_index] if plan.org_index < len(row) else ""
    assessment_id = plan.assessments.get(_org_key(org))
    if assessment_id is None:
        column = plan.column(plan.org_index)
        message = (f"организация «{org}» не участвует в кампании" if org.strip()
                   else "не указана организация")
        errors.append(RowError(number, column, message))
    answers: dict[str, str] = {}
    submitted = None
    for index, key in plan.mapping.items():
        cell = row[index] if index < len(row) else ""
        if key == imports.TIMESTAMP:
            if not cell:
                continue
            moment = plan.moments.parse(cell)
            if moment is None:
                errors.append(RowError(number, plan.column(index),
                                       f"не удалось разобрать дату и время «{cell}»"))
            else:
                submitted = (timezone.make_aware(moment, plan.zone) if moment.tzinfo is None
                             else moment)
            continue
        question = plan.by_key[key]
        if "\x00" in cell:
            errors.append(RowError(number, plan.column(index), "в ячейке нулевой символ (NUL)"))
            continue
        value = _decode(plan, index, question, cell)
        if value is None:
            allowed = ", ".join(f"«{label}»" for _, label in options_of(question))
            errors.append(RowError(number, plan.column(index),
                                   f"ответ «{cell}» не из списка ({allowed})"))
        elif value:
            answers[key] = value
    if errors or assessment_id is None:
        return None, errors
    cleaned = plan.clean(answers)
    if not cleaned:
        return None, [RowError(number, "—", "в строке нет ни одного ответа")]
    return _Row(number, assessment_id, cleaned, submitted), []


# --- pass 1: check every row --------------------------------------------------------------


@dataclass
class _Checked:
    rows: int
    width: int  # the widest row (rows are padded to it before hashing, as ``text_rows`` does)
    assessments: set[int]


def _check(source: _Source, plan: _Plan, body: Iterator[tuple[int, list[str]]],
           progress: Progress | None) -> _Checked:
    errors: list[RowError] = []
    total = 0
    rows = 0
    width = len(plan.header)
    assessments: set[int] = set()
    for number, cells in body:
        width = max(width, len(cells))
        row, row_errors = _read_row(plan, number, cells)
        if row_errors:
            total += len(row_errors)
            errors.extend(row_errors[: REPORTED_ERRORS - len(errors)])
        elif row is not None:
            assessments.add(row.assessment_id)
        rows += 1
        if progress and rows % CHUNK == 0:
            progress("check", rows)
    if total:
        raise BulkImportRefused(errors, total)
    return _Checked(rows, width, assessments)


# --- pass 2: write ------------------------------------------------------------------------


class _Writer:
    """Multi-row inserts of plain rows: PostgreSQL ``COPY``, SQLite ``executemany``."""

    RESPONSE_COLUMNS = (
        "id", "created_at", "updated_at", "assessment_id", "client_id", "channel", "mode",
        "submitted_at", "client_hash", "address_hash", "vector_hash", "status",
        "review_reason", "source_ref",
    )
    ANSWER_COLUMNS = ("response_id", "question", "value", "text")

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.next_id = 0

    def ids(self, n: int) -> list[int]:
        """``n`` new response ids: from the table's sequence on PostgreSQL; above the largest
        on SQLite (the transaction holds the database's write lock since the stale marks)."""
        table = Response._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                               "FROM generate_series(1, %s)", [n])
                return [row[0] for row in cursor.fetchall()]
            if not self.next_id:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                self.next_id = cursor.fetchone()[0] + 1
        first, self.next_id = self.next_id, self.next_id + n
        return list(range(first, first + n))

    def moment(self, value: datetime) -> Any:
        return value if self.postgres else connection.ops.adapt_datetimefield_value(value)

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["?"] * len(columns))
                cursor.cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                                          rows)


def _client_id(assessment_id: int, cells: list[str], width: int, seen: set[int],
               repeats: dict[str, int]) -> uuid.UUID:
    """The id ``import_run`` gives this row: its digest (cells padded to the file's width)
    and how many identical rows came before it."""
    padded = cells + [""] * (width - len(cells))
    digest = hashlib.sha256("\x1f".join(padded).encode()).hexdigest()
    short = int(digest[:16], 16)
    if short in seen:
        repeat = repeats.get(digest, 0) + 1
        repeats[digest] = repeat
    else:
        seen.add(short)
        repeat = 0
    return uuid.uuid5(SURVEY_NAMESPACE, f"import:{assessment_id}:{digest}:{repeat}")


@dataclass
class _Written:
    imported: int = 0
    skipped: int = 0
    assessments: set[int] = field(default_factory=set)


def _store(source: _Source, plan: _Plan, checked: _Checked, mode: str,
           written: _Written, progress: Progress | None) -> Iterator[Counted]:
    """Write the rows a chunk at a time; yields each stored response as the counters see it
    (``tally_add`` consumes this generator: its deltas grow with the campaign's organizations,
    questions and options, not with the file, and are written once at the end)."""
    writer = _Writer()
    now = timezone.now()
    seen: set[int] = set()
    repeats: dict[str, int] = {}
    chunk: list[tuple[_Row, uuid.UUID]] = []
    name = source.path.name
    body = source.rows()
    next(body)  # the header

    def flush() -> Iterator[Counted]:
        known = set(Response.objects.filter(client_id__in=[cid for _, cid in chunk])
                    .values_list("client_id", flat=True))
        fresh = [(row, cid) for row, cid in chunk if cid not in known]
        written.skipped += len(chunk) - len(fresh)
        ids = writer.ids(len(fresh))
        stamp = writer.moment(now)
        responses, answers = [], []
        for pk, (row, cid) in zip(ids, fresh, strict=True):
            responses.append((
                pk, stamp, stamp, row.assessment_id, cid if writer.postgres else cid.hex,
                Channel.IMPORT.value, mode, writer.moment(row.submitted or now), "", "",
                vector_hash_of(row.answers), ResponseStatus.OK.value, "",
                f"{name}, строка {row.number}"[:200],
            ))
            counted = {}
            for key, value in row.answers.items():
                if key in plan.text_keys:
                    answers.append((pk, key, "", value))
                    counted[key] = ""
                else:
                    answers.append((pk, key, value, ""))
                    counted[key] = value
            written.assessments.add(row.assessment_id)
            yield Counted(row.assessment_id, ResponseStatus.OK.value, Channel.IMPORT.value, mode,
                          counted)
        writer.insert(Response._meta.db_table, _Writer.RESPONSE_COLUMNS, responses)
        writer.insert(Answer._meta.db_table, _Writer.ANSWER_COLUMNS, answers)
        written.imported += len(fresh)
        chunk.clear()

    done = 0
    for number, cells in body:
        row, errors = _read_row(plan, number, cells)
        if errors or row is None:  # the file changed since it was checked
            raise BulkImportRefused(errors, len(errors))
        chunk.append((row, _client_id(row.assessment_id, cells, checked.width, seen, repeats)))
        if len(chunk) == CHUNK:
            yield from flush()
            done += CHUNK
            if progress:
                progress("write", done)
    if chunk:
        yield from flush()


@fieldwork_write
def survey_import_campaign(
    *, campaign: Campaign, path: Path | str, user: Any = None, org_column: str | None = None,
    mode: str = Mode.ONLINE, flags: bool = True, progress: Progress | None = None,
) -> BulkImportResult:
    """Import a campaign-wide export, every row or none (see the module's docstring).

    ``org_column``: the heading of the column naming the organization (its ИНН or the survey
    code of its assessment); by default the first heading with «ИНН» or «код». ``mode``: how
    the answers were collected. ``flags=False`` skips the quality checks (run
    ``survey_flags`` later). Raises ``BulkImportRefused`` (row errors) or ``ValidationError``
    (the file as a whole: format, encoding, columns, campaign closed)."""
    if mode not in Mode.values:
        raise ValidationError({"mode": f"Неизвестная форма опроса «{mode}»"})
    path = Path(path)
    first_assessment = campaign.assessments.values_list("pk", flat=True).first()
    if first_assessment is None:
        raise ValidationError({"campaign": "В кампании нет организаций"})
    fieldwork_guard(first_assessment, mark=False)  # a closed campaign is refused at once
    try:
        source = _open(path)
        body = source.rows()
        first = next(body, None)
        if first is None:
            raise ValidationError({"file": "Файл пуст"})
        plan = plan_of(campaign, first[1], org_column)
        checked = _check(source, plan, body, progress)
        if not checked.rows:
            raise ValidationError({"file": "В файле нет строк с ответами"})
        return _write(campaign, source, plan, checked, mode, user, flags, progress)
    except tabular.TableError as exc:
        raise ValidationError({"file": str(exc)}) from exc


MARK_CHUNK = 1000


def _mark_stale(ids: list[int]) -> None:
    """``fieldwork_guard(mark=True)`` for thousands of assessments in a few statements (one
    call each costs two queries: 10,000 for a national file). Every assessment's data version
    is raised and its row locked until the transaction ends, in id order (two imports never
    deadlock); then the campaign's status is read afresh, after the locks, by the guard."""
    for start in range(0, len(ids), MARK_CHUNK):
        part = ids[start : start + MARK_CHUNK]
        list(Assessment.objects.filter(pk__in=part).order_by("pk").select_for_update()
             .values_list("pk", flat=True))
        Assessment.objects.filter(pk__in=part).update(data_version=F("data_version") + 1)
    fieldwork_guard(ids[0], mark=False)


@transaction.atomic
def _write(campaign: Campaign, source: _Source, plan: _Plan, checked: _Checked, mode: str,
           user: Any, flags: bool, progress: Progress | None) -> BulkImportResult:
    if progress:
        progress("guard", len(checked.assessments))
    _mark_stale(sorted(checked.assessments))
    if progress:
        progress("write", 0)
    written = _Written()
    tally_add(_store(source, plan, checked, mode, written, progress))
    added = 0
    if flags and connection.vendor == "postgresql":
        # The planner's statistics predate the rows just written (and autovacuum cannot see
        # them before the commit): without this, the per-assessment queries of the quality
        # checks scan the whole answer table, thousands of times.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Response._meta.db_table}, {Answer._meta.db_table}")
    if flags:
        for assessment in Assessment.objects.filter(pk__in=written.assessments) \
                .select_related("campaign").order_by("pk"):
            added += flags_apply(assessment=assessment)
            if progress:
                progress("flags", assessment.pk)
    result = BulkImportResult(
        rows=checked.rows, imported=written.imported, skipped=written.skipped,
        organizations=len(written.assessments), flags=added, sha256=source.sha256,
    )
    audit_record(
        user=user, action="import", obj=campaign,
        after={"file": source.path.name, "sha256": source.sha256, "rows": result.rows,
               "imported": result.imported, "skipped": result.skipped,
               "organizations": result.organizations, "mode": mode},
        campaign_id=campaign.pk,
    )
    return result
