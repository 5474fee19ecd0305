"""Campaign-wide import of a form service's export: one file for the whole region (the
Gosuslugi feedback platform, a regional Yandex/Google form), one row per questionnaire, a
column naming the organization by its ИНН or by the survey code of its assessment.

The file is streamed, never loaded: a CSV is read record by record from disk; an XLSX (up to
``XLSX_MAX_BYTES``) row by row from the sandboxed reader of ``nok.core.tabular`` (calamine runs
in a child process; the child holds the whole sheet — python-calamine's ``iter_rows`` walks a
sheet already read in full, it has no lazy reader — this process only the rows in flight).
Two passes:

1. the rows are counted, the widest found (a row's client id hashes its cells padded to that
   width) and the organizations they name collected — no answer is read yet;
2. in one transaction: those assessments marked stale and locked (``fieldwork_guard`` of them
   all: a few statements per thousand), then a chunk of ``CHUNK`` rows at a time, each row
   checked — organization known in the campaign, date and time readable, each mapped cell one
   of the question's options — and given its client id, derived from the assessment and the
   row's content and repeat number (the rule of ``import_run``, so a re-import, or the import
   of a slice already loaded per organization, adds nothing); the ids already stored skipped
   (looked up only for organizations that had imported rows before); each response written
   as one plain row with its answers as JSON (PostgreSQL ``COPY`` text, SQLite
   ``executemany``; the ids from the table); the counters summed while reading and applied
   once (``tally_apply``); the quality checks of every assessment that received rows — from
   the rows kept while reading (``_Seen``) where the assessment had no checked response
   before, else from its rows read back (``flags_apply_many``); one audit entry. From the
   first wrong row on nothing more is written and the rows are only checked; the
   transaction is then rolled back and ``BulkImportRefused`` names the first
   ``REPORTED_ERRORS`` errors and counts all of them.

Per row, the work is dictionary look-ups: each cell of a choice column is decoded once per
distinct text, each distinct answer vector is cleaned, hashed and turned into JSON once. A
reader thread parses, hashes, counts and joins the next chunk while the database writes the
previous one (the driver waits without holding the GIL; ``_QuickSwitches`` hands the GIL back
to the writer quickly, which then only sends the chunk's text).

Memory: a few chunks of rows, the counters' deltas (organizations × questions × options, not
rows), the remembered vectors (``CLEAN_CACHE``) and, for repeat numbering, one 64-bit
integer per distinct row of the file (≈ 60 bytes each in a Python set: ≈ 60 MB for 1,000,000
rows). Two different rows whose digests share their first 64 bits (odds ≈ 3·10⁻⁸ at a
million rows) would only get another repeat number, still a unique and reproducible client
id. For the quality checks, about 40 bytes a row in arrays (``_Seen``).
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import json
import operator
import queue
import re
import sys
import threading
import uuid
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    F,
    Func,
    IntegerField,
    Value,
    When,
)
from django.utils import timezone

from nok.assessments.models import Assessment, Campaign
from nok.assessments.services import fieldwork_guard, fieldwork_write
from nok.core import tabular
from nok.core.services import audit_record
from nok.organizations.models import InterviewerAssignment
from nok.surveys import imports, quality
from nok.surveys.models import (
    AnswerCount,
    Channel,
    Flag,
    Mode,
    Response,
    ResponseStatus,
    ResponseTally,
)
from nok.surveys.questionnaire import clean_answers, loaded, options_of
from nok.surveys.services import (
    CHECKED_CHANNELS,
    SURVEY_NAMESPACE,
    RowError,
    vector_hash_of,
)
from nok.surveys.tallies import counted, tally_apply, tally_move

CHUNK = 5000  # rows written per round trip (and per look-up of known client ids)
REPORTED_ERRORS = 200  # row errors kept for the report; all of them are counted
DECODE_CACHE = 1000  # distinct cells remembered per column (option questions only)
CLEAN_CACHE = 20_000  # distinct answer vectors remembered (≈ 40 MB at most)
ORG_SPELLINGS = 100_000  # ways of writing the organizations' ИНН and codes remembered
ORG_WORDS = ("инн", "код")  # a header naming the organization's column, when none is given
READ_BLOCK = 1 << 20
SQLITE_PARAMS = 900  # client ids per look-up on SQLite
# Assessments per query of the quality checks. On PostgreSQL a national import's are read in
# one query: the rows of any thousand organizations lie on nearly every page of the table,
# which five queries of a thousand each read five times over.
FLAGS_ASSESSMENTS = {"postgresql": 10_000, "sqlite": 1000}
FLAGS_FETCH = 10_000  # rows fetched per round trip of that (server-side) cursor
FLAGS_BATCH = 5000  # flagged responses written at a time
AHEAD = 2  # chunks read ahead of the writing
SWITCH_INTERVAL = 0.0005  # seconds a thread holds the GIL while the other waits for it
NUL = "в ячейке нулевой символ (NUL)"

# The child process that reads an XLSX holds the whole sheet (python-calamine reads no other
# way): about 33 times the file — 395 MB for a 12 MB file of 200,000 rows, 1.8 GB for 59 MB and
# 1,000,000 rows (bench/bench_import.py --xlsx). An XLSX is therefore taken up to the size of
# one upload of the web form, its reader under 500 MB; a larger export is read as CSV, which
# streams whatever its size.
XLSX_MAX_BYTES = 10 * 1024 * 1024
XLSX_LIMITS = tabular.Limits(
    file_bytes=XLSX_MAX_BYTES, rows=400_000, cells=12_000_000,
    unpacked_bytes=512 * 1024 * 1024, ratio=200, memory_bytes=2 * 1024 * 1024 * 1024,
    cpu_seconds=600, seconds=600.0,
)
XLSX_TOO_LARGE = ("Файл XLSX больше 10 МБ: такую таблицу пришлось бы держать в памяти целиком. "
                  "Сохраните её в Excel как «CSV UTF-8 (разделитель — запятая)» и загрузите CSV: "
                  "он читается построчно, какого бы размера ни был.")


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
T = TypeVar("T")


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

    def rows(self, stripped: bool = True) -> Generator[tuple[int, list[str]], None, None]:
        """(row number as the spreadsheet shows it, cells as text) of the non-empty rows.
        ``stripped=False`` (the scan, which reads only the rows' widths and one cell): the
        cells of a CSV as they are written, spaces around them kept."""
        if self.encoding:
            raw: Iterable[list[Any]] = _csv_rows(self.path, self.encoding)
        else:
            raw = tabular.read_rows(self.path.name, self.path.read_bytes(), limits=XLSX_LIMITS)
        for number, cells in enumerate(raw, start=1):
            if self.encoding and not stripped:
                if "".join(cells).strip():  # some cell holds more than spaces
                    yield number, cells
                continue
            texts = ([c.strip() for c in cells] if self.encoding
                     else [imports.cell_text(c) for c in cells])
            if any(texts):
                yield number, texts


def _open(path: Path) -> _Source:
    name = path.name.lower()
    if name.endswith(tabular.CSV_EXTENSIONS):
        encoding, sha256 = _file_facts(path)
        return _Source(path, encoding, sha256)
    if name.endswith(tabular.XLSX_EXTENSIONS):
        if path.stat().st_size > XLSX_MAX_BYTES:
            raise tabular.TableError(XLSX_TOO_LARGE, code="file_size")
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


@dataclass(frozen=True)
class _Vector:
    """One cleaned answer vector and everything a write needs of it, built once per distinct
    vector (an export has far fewer distinct vectors than rows: most respondents answer
    alike)."""

    answers: dict[str, str]  # question -> option key or free text (asked and answered only)
    vector_hash: str
    pairs: tuple[tuple[str, str], ...]  # (question, value as counted: "" for free text)
    stored: tuple[str, str]  # the response's ``answers`` and ``texts`` as JSON text
    copy_part: str  # the same as the end of a response's COPY text
    key: int  # the first 64 bits of ``vector_hash`` (``_Seen``)


@dataclass
class _Plan:
    header: list[str]
    org_index: int
    questions: tuple[Any, ...]
    by_key: dict[str, Any]
    orgs: dict[str, int]  # a cell of the organization's column as written -> assessment id
    choices: list[tuple[int, str, dict[str, str]]]  # (column, question, known cell -> option)
    texts: list[tuple[int, str]]  # (column, question) of free-text questions
    stamps: list[int]  # columns read as the moment of the response
    vectors: dict[tuple[str, ...], _Vector] = field(default_factory=dict)
    moments: _Moments = field(default_factory=_Moments)
    zone: Any = field(default_factory=timezone.get_current_timezone)

    def __post_init__(self) -> None:
        # The fast path reads every choice cell and its option in C: the cells with one
        # ``itemgetter``, the options with ``map(dict.get, …)``.
        indexes = [index for index, _, _ in self.choices]
        getter = operator.itemgetter(*indexes) if indexes else (lambda cells: ())
        self.choice_cells: Callable[[list[str]], Any] = (
            getter if len(indexes) != 1 else (lambda cells: (cells[indexes[0]],)))
        self.knowns = [known for _, _, known in self.choices]

    @property
    def width(self) -> int:
        """How many cells a row must have for every mapped column to exist."""
        return max([self.org_index, *self.stamps, *(c[0] for c in self.choices),
                    *(t[0] for t in self.texts)]) + 1

    def assessment_of(self, cell: str) -> int | None:
        """The assessment a cell of the organization's column names, as written or as
        ``_org_key`` reads it; a new spelling of a known one is remembered (up to
        ``ORG_SPELLINGS``)."""
        found = self.orgs.get(cell)
        if found is None:
            found = self.orgs.get(_org_key(cell))
            if found is not None and len(self.orgs) < ORG_SPELLINGS:
                self.orgs[cell] = found
        return found

    def column(self, index: int) -> str:
        return self.header[index] if index < len(self.header) and self.header[index] \
            else f"№ {index + 1}"

    def vector(self, values: tuple[str, ...], texts: tuple[tuple[str, str], ...]) -> _Vector:
        """The vector of these option keys (one per choice column, "" for blank) and free-text
        answers; remembered when there is no free text."""
        if not texts:
            known = self.vectors.get(values)
            if known is not None:
                return known
        raw = {key: value for (_, key, _), value in zip(self.choices, values, strict=True)
               if value}
        raw.update(texts)
        answers = clean_answers(self.questions, raw).answers
        text_keys = {key for _, key in self.texts}
        counted = {key: "" if key in text_keys else value for key, value in answers.items()}
        stored = (json.dumps(counted, ensure_ascii=False),
                  json.dumps({key: value for key, value in answers.items() if key in text_keys},
                             ensure_ascii=False))
        vector_hash = vector_hash_of(answers)
        built = _Vector(
            answers=answers, vector_hash=vector_hash,
            pairs=tuple(counted.items()), stored=stored,
            copy_part=f"\t{_copy_text(stored[0])}\t{_copy_text(stored[1])}\n",
            key=int(vector_hash[:16], 16),
        )
        if not texts and len(self.vectors) < CLEAN_CACHE:
            self.vectors[values] = built
        return built


COPY_SPECIAL = re.compile(r"[\\\t\n\r]")


def _copy_text(value: str) -> str:
    """A value in PostgreSQL's COPY text format."""
    if not COPY_SPECIAL.search(value):
        return value
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


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
    by_key = {q.key: q for q in questions}
    columns = sorted(mapping.items())
    return _Plan(
        header=header, org_index=org_index, questions=questions, by_key=by_key,
        orgs=_assessments_of(campaign),
        choices=[(i, key, {"": ""}) for i, key in columns
                 if key != imports.TIMESTAMP and by_key[key].type != "text"],
        texts=[(i, key) for i, key in columns
               if key != imports.TIMESTAMP and by_key[key].type == "text"],
        stamps=[i for i, key in columns if key == imports.TIMESTAMP],
    )


Parsed = tuple[int, datetime | None, _Vector]  # assessment id, moment, answers


def _parse(plan: _Plan, number: int, cells: list[str]) -> tuple[Parsed | None, list[RowError]]:
    """A row padded to ``plan.width``: the fast way (dictionary look-ups only) when every cell
    is one already seen, else the full way, which names each error and learns the cells."""
    assessment_id = plan.orgs.get(cells[plan.org_index])
    if assessment_id is None:
        return _read_row(plan, number, cells)
    submitted = None
    for index in plan.stamps:
        cell = cells[index]
        if cell:
            moment = plan.moments.parse(cell)
            if moment is None:
                return _read_row(plan, number, cells)
            submitted = moment if moment.tzinfo is not None else moment.replace(tzinfo=plan.zone)
    values = tuple(map(dict.get, plan.knowns, plan.choice_cells(cells)))
    if None in values:
        return _read_row(plan, number, cells)
    texts = tuple((key, cells[index]) for index, key in plan.texts if cells[index])
    if texts and any("\x00" in text for _, text in texts):
        return _read_row(plan, number, cells)
    vector = plan.vector(values, texts)  # type: ignore[arg-type]  # no None, checked above
    if not vector.answers:
        return None, [RowError(number, "—", "в строке нет ни одного ответа")]
    return (assessment_id, submitted, vector), []


def _read_row(plan: _Plan, number: int, cells: list[str]) -> tuple[Parsed | None, list[RowError]]:
    org_errors: list[RowError] = []
    located: list[tuple[int, RowError]] = []  # errors of the other cells, by column
    org = cells[plan.org_index]
    assessment_id = plan.assessment_of(org)
    if assessment_id is None:
        column = plan.column(plan.org_index)
        message = (f"организация «{org}» не участвует в кампании" if org.strip()
                   else "не указана организация")
        org_errors.append(RowError(number, column, message))
    submitted = None
    for index in plan.stamps:
        cell = cells[index]
        if not cell:
            continue
        moment = plan.moments.parse(cell)
        if moment is None:
            located.append((index, RowError(number, plan.column(index),
                                            f"не удалось разобрать дату и время «{cell}»")))
        else:
            submitted = moment if moment.tzinfo is not None else moment.replace(tzinfo=plan.zone)
    values = []
    for index, key, known in plan.choices:
        cell = cells[index]
        question = plan.by_key[key]
        if "\x00" in cell:
            located.append((index, RowError(number, plan.column(index), NUL)))
            values.append("")
            continue
        value = known.get(cell)
        if value is None:
            value = imports.decode_value(question, cell, options_of(question))
            if value is not None and len(known) < DECODE_CACHE:
                known[cell] = value
        if value is None:
            allowed = ", ".join(f"«{label}»" for _, label in options_of(question))
            located.append((index, RowError(number, plan.column(index),
                                            f"ответ «{cell}» не из списка ({allowed})")))
        values.append(value or "")
    texts = []
    for index, key in plan.texts:
        cell = cells[index]
        if "\x00" in cell:
            located.append((index, RowError(number, plan.column(index), NUL)))
        elif cell:
            texts.append((key, cell))
    errors = org_errors + [error for _, error in sorted(located, key=operator.itemgetter(0))]
    if errors or assessment_id is None:
        return None, errors
    vector = plan.vector(tuple(values), tuple(texts))
    if not vector.answers:
        return None, [RowError(number, "—", "в строке нет ни одного ответа")]
    return (assessment_id, submitted, vector), []


def _padded(cells: list[str], width: int) -> list[str]:
    if len(cells) < width:
        cells.extend([""] * (width - len(cells)))
    return cells


# --- pass 1: what the file is made of ------------------------------------------------------


@dataclass
class _Checked:
    rows: int
    width: int  # the widest row (rows are padded to it before hashing, as ``text_rows`` does)
    assessments: set[int]  # the organizations the rows name (a wrong one is reported later)


def _scan(plan: _Plan, body: Iterator[tuple[int, list[str]]],
          progress: Progress | None) -> _Checked:
    """The rows' count, the widest row (a row's client id hashes it padded to that width)
    and the organizations named, which the write locks before its first row. The answers
    are read in pass 2 only, once: each is checked as it is written."""
    rows = 0
    width = len(plan.header)
    index = plan.org_index
    assessments: set[int] = set()
    for _, cells in body:
        width = max(width, len(cells))
        if index < len(cells):
            assessment_id = plan.assessment_of(cells[index].strip())
            if assessment_id is not None:
                assessments.add(assessment_id)
        rows += 1
        if progress and rows % CHUNK == 0:
            progress("scan", rows)
    return _Checked(rows, width, assessments)


# --- pass 2: check and write -------------------------------------------------------------


class _Writer:
    """Multi-row inserts of plain rows: PostgreSQL ``COPY`` of text built by the reader,
    SQLite ``executemany`` of tuples. The ids come from the table (its identity column, its
    rowid): nothing reads them before the rows are stored."""

    RESPONSE_COLUMNS = (
        "created_at", "updated_at", "assessment_id", "client_id", "channel", "mode",
        "submitted_at", "client_hash", "address_hash", "vector_hash", "status",
        "review_reason", "source_ref", "answers", "texts",
    )

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def known(self, client_ids: list[str]) -> set[str]:
        """Which of these client ids (32 hex digits) are stored already."""
        if not client_ids:
            return set()
        table = Response._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                # One text parameter: the driver would adapt a list of strings one by one.
                cursor.execute(f"SELECT client_id FROM {table} "
                               "WHERE client_id = ANY(string_to_array(%s, ',')::uuid[])",
                               [",".join(client_ids)])
                return {row[0].hex for row in cursor.fetchall()}
            found: set[str] = set()
            for start in range(0, len(client_ids), SQLITE_PARAMS):
                part = client_ids[start : start + SQLITE_PARAMS]
                cursor.execute(f"SELECT client_id FROM {table} WHERE client_id IN "
                               f"({', '.join(['%s'] * len(part))})", part)
                found.update(row[0] for row in cursor.fetchall())
            return found

    def copy(self, table: str, columns: Sequence[str], text: str) -> None:
        names = ", ".join(columns)
        with connection.cursor() as cursor, \
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            copy.write(text)

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        names = ", ".join(columns)
        marks = ", ".join(["?"] * len(columns))
        with connection.cursor() as cursor:
            cursor.cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


NAMESPACE_SHA1 = hashlib.sha1(SURVEY_NAMESPACE.bytes)  # noqa: S324 (uuid5 is SHA-1 by definition)
# The hex digit of a UUID's variant (RFC 4122: bits 10xx) for each digit of the hash there.
VARIANT_DIGIT = {f"{n:x}": f"{n & 0x3 | 0x8:x}" for n in range(16)}


def import_client_id(assessment_id: int, digest: str, repeat: int) -> str:
    """``uuid.uuid5(SURVEY_NAMESPACE, f"import:{assessment_id}:{digest}:{repeat}").hex`` — the
    client id ``import_run`` gives a row — without building a UUID object (a third of the
    cost, a million times)."""
    sha = NAMESPACE_SHA1.copy()
    sha.update(f"import:{assessment_id}:{digest}:{repeat}".encode())
    h = sha.hexdigest()  # the version digit (13th) becomes 5, the 17th the variant's
    return f"{h[:12]}5{h[13:16]}{VARIANT_DIGIT[h[16]]}{h[17:32]}"


# A prepared row: (row number, assessment id, the response's COPY text or row, client id,
# the counted (question, value) pairs).
Prepared = tuple[int, int, Any, str, tuple[tuple[str, str], ...]]


@dataclass
class _Chunk:
    rows: list[Prepared]
    text: str = ""  # on PostgreSQL: the rows' COPY text, joined by the reader


@dataclass
class _Counts:
    """What rows add to the counters: responses per assessment, answers per assessment,
    question and value."""

    by_assessment: Counter[int] = field(default_factory=Counter)
    by_answer: defaultdict[int, Counter[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(Counter))

    def add(self, rows: list[Prepared]) -> None:
        by_answer = self.by_answer
        for _, aid, _, _, pairs in rows:
            by_answer[aid].update(pairs)  # one count per answer, in C
        self.by_assessment.update(map(operator.itemgetter(1), rows))

    def __isub__(self, other: _Counts) -> _Counts:
        """Less ``other``'s rows (which these counted): the organizations left with no row
        dropped."""
        self.by_assessment -= other.by_assessment
        for aid, counts in other.by_answer.items():
            self.by_answer[aid] -= counts
            if not self.by_answer[aid]:
                del self.by_answer[aid]
        return self


@dataclass
class _Written:
    imported: int = 0
    skipped: int = 0
    counts: _Counts = field(default_factory=_Counts)  # of the rows written


MICROSECOND = timedelta(microseconds=1)


@dataclass
class _Seen:
    """The prepared rows as the quality checks read them, kept by the reader in arrays (about
    40 bytes a row): for the organizations that had no checked response before the import,
    the checks then read no row back from the database (``_check_seen``). A row is known by
    its place here until a flag needs its id (looked up by its client id). The answer vector
    is known by the first 64 bits of its hash: two different vectors of one organization
    would have to share them (odds ≈ 3·10⁻⁸ among a million) to be taken for the same."""

    moments: array[int] = field(default_factory=lambda: array("q"))  # µs since EPOCH
    vectors: array[int] = field(default_factory=lambda: array("Q"))  # ``_Vector.key``
    client_ids: bytearray = field(default_factory=bytearray)  # 16 bytes a row
    places: defaultdict[int, array[int]] = field(
        default_factory=lambda: defaultdict(lambda: array("q")))  # assessment -> rows

    def add(self, aid: int, moment: datetime, vector: _Vector, client_id: str) -> None:
        self.places[aid].append(len(self.moments))
        self.moments.append((moment - EPOCH) // MICROSECOND)
        self.vectors.append(vector.key)
        self.client_ids += bytes.fromhex(client_id)

    def client_id(self, place: int) -> uuid.UUID:
        return uuid.UUID(bytes=bytes(self.client_ids[place * 16 : place * 16 + 16]))


def _prepare(source: _Source, plan: _Plan, checked: _Checked, mode: str, postgres: bool,
             now: datetime, adapt: Callable[[datetime], Any],
             counts: _Counts, seen_rows: _Seen | None) -> Iterator[_Chunk]:
    """Pass 2's reading, in chunks of ``CHUNK`` rows: each row checked, its client id — the
    one ``import_run`` gives it: the digest of its cells padded to the file's width, and how
    many identical rows came before it — and its row as the database takes it; the rows
    counted into ``counts`` (here, in the reader: the writer then only sends, and the
    database works without a pause between chunks) and kept in ``seen_rows`` for the
    quality checks. From the first wrong row on, nothing more is prepared, the rows are
    only checked, and ``BulkImportRefused`` is raised at the end (the writer's transaction
    then rolls back what it wrote)."""
    errors: list[RowError] = []
    total = 0
    seen: set[int] = set()
    repeats: dict[str, int] = {}
    width = checked.width
    name = source.path.name
    ref_head = f"{name}, строка "
    stamp: Any
    if postgres:
        stamp = now.isoformat()
        head = f"{stamp}\t{stamp}\t"
        middle = f"\t{Channel.IMPORT.value}\t{_copy_text(mode)}\t"
    else:
        stamp = adapt(now)
    chunk: list[Prepared] = []
    body = source.rows()
    next(body)  # the header
    for number, cells in body:
        cells = _padded(cells, width)
        row, row_errors = _parse(plan, number, cells)
        if row_errors:
            total += len(row_errors)
            errors.extend(row_errors[: REPORTED_ERRORS - len(errors)])
            continue
        if total or row is None:
            continue
        aid, submitted, vector = row
        raw = hashlib.sha256("\x1f".join(cells).encode()).digest()
        digest = raw.hex()
        short = int.from_bytes(raw[:8])
        if short in seen:
            repeat = repeats.get(digest, 0) + 1
            repeats[digest] = repeat
        else:
            seen.add(short)
            repeat = 0
        client_id = import_client_id(aid, digest, repeat)
        if seen_rows is not None:
            seen_rows.add(aid, submitted or now, vector, client_id)
        ref = f"{ref_head}{number}"
        if len(ref) > 200:
            ref = ref[:200]
        if postgres:
            response: Any = (f"{head}{aid}\t{client_id}{middle}{(submitted or now).isoformat()}"
                             f"\t\t\t{vector.vector_hash}\tok\t\t{_copy_text(ref)}"
                             f"{vector.copy_part}")
        else:
            response = (stamp, stamp, aid, client_id, Channel.IMPORT.value, mode,
                        adapt(submitted or now), "", "", vector.vector_hash,
                        ResponseStatus.OK.value, "", ref, *vector.stored)
        chunk.append((number, aid, response, client_id, vector.pairs))
        if len(chunk) == CHUNK:
            yield _chunk(chunk, postgres, counts)
            chunk = []
    if total:
        raise BulkImportRefused(errors, total)
    if chunk:
        yield _chunk(chunk, postgres, counts)


def _chunk(rows: list[Prepared], postgres: bool, counts: _Counts) -> _Chunk:
    counts.add(rows)
    return _Chunk(rows, "".join(map(operator.itemgetter(2), rows)) if postgres else "")


class _QuickSwitches:
    """While entered (by any number of imports at once), a thread waiting for the GIL gets
    it after ``SWITCH_INTERVAL`` instead of Python's 5 ms. The writer needs the GIL only for
    moments between its waits on the database, but with the default it waited up to 5 ms for
    the busy reader at every turn of the protocol while the database stood idle: a third of
    the writing's time (33.7 s instead of 22.0 s for 300,000 rows on PostgreSQL)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0
        self.saved = 0.0

    def __enter__(self) -> None:
        with self.lock:
            if not self.users:
                self.saved = sys.getswitchinterval()
                sys.setswitchinterval(SWITCH_INTERVAL)
            self.users += 1

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.users -= 1
            if not self.users:
                sys.setswitchinterval(self.saved)


switches = _QuickSwitches()


def _in_background(chunks: Iterator[T]) -> Iterator[T]:
    """The chunks of ``chunks``, produced by a thread while this one writes the previous
    ones: the database works (and the driver waits without holding the GIL) while the next
    rows are parsed and hashed. At most ``AHEAD`` chunks wait; the producer's exception is
    raised here; leaving early stops the producer."""
    handoff: queue.Queue[Any] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    done = object()

    def offer(item: Any) -> bool:
        """Hand ``item`` over unless the writer has stopped (then never block)."""
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for chunk in chunks:
                if not offer(chunk):
                    return
            offer(done)
        except BaseException as exc:  # handed over to the writing thread
            offer(exc)

    producer = threading.Thread(target=produce, name="survey-import-reader", daemon=True)
    switches.__enter__()
    producer.start()
    try:
        while (item := handoff.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        producer.join()
        switches.__exit__(None, None, None)


def _store(source: _Source, plan: _Plan, checked: _Checked, mode: str, written: _Written,
           imported: set[int], seen_rows: _Seen | None, progress: Progress | None) -> None:
    """Write the rows a chunk at a time; the reader counts them for the counters as it goes
    (the counts grow with the campaign's organizations, questions and options, not the file),
    and the rows skipped are taken out of the counts at the end.
    The rows already stored (a re-import) are skipped by their client ids, looked up only
    for the organizations that had imported responses before this import (``imported``): an
    import row's
    client id starts with its assessment, so it can match no other response (the unique
    client id would refuse the import if the counters ever said otherwise)."""
    writer = _Writer()
    now = timezone.now()
    done = 0
    # Taken here: the generator runs in the reader thread, which must not touch Django's
    # per-thread connection.
    adapt = connection.ops.adapt_datetimefield_value
    chunks = _prepare(source, plan, checked, mode, writer.postgres, now, adapt, written.counts,
                      seen_rows)
    skipped = _Counts()
    for chunk in _in_background(chunks):
        rows, text = chunk.rows, chunk.text
        known = writer.known([item[3] for item in rows if item[1] in imported])
        if known:
            kept = [item for item in rows if item[3] not in known]
            skipped.add([item for item in rows if item[3] in known])
            written.skipped += len(rows) - len(kept)
            rows = kept
            if writer.postgres:
                text = "".join(map(operator.itemgetter(2), kept))
        if rows and writer.postgres:
            writer.copy(Response._meta.db_table, _Writer.RESPONSE_COLUMNS, text)
        elif rows:
            writer.insert(Response._meta.db_table, _Writer.RESPONSE_COLUMNS,
                          list(map(operator.itemgetter(2), rows)))
        written.imported += len(rows)
        done += len(chunk.rows)
        if progress:
            progress("write", done)
    written.counts -= skipped


def _tally(written: _Written, mode: str) -> None:
    """The counters of the written rows, in one upsert per table."""
    ok, channel = ResponseStatus.OK.value, Channel.IMPORT.value
    counts = written.counts
    tally_apply({(aid, ok, channel, mode): n for aid, n in counts.by_assessment.items()},
                {(aid, ok, question, value): n for aid, answers in counts.by_answer.items()
                 for (question, value), n in answers.items()})


# --- the quality checks of every assessment that received rows ----------------------------


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A moment as whole microseconds since EPOCH, in integer arithmetic whatever the server's
# version (EXTRACT gives a float before PostgreSQL 14: exact for whole seconds and for the
# microseconds of a minute, not for both at once).
MICROSECONDS = ("(EXTRACT(EPOCH FROM date_trunc('second', %(expressions)s)))::bigint * 1000000 "
                "+ mod((EXTRACT(MICROSECONDS FROM %(expressions)s))::bigint, 1000000)")


def _checked_rows(assessment_ids: list[int]) -> Iterator[tuple[Any, ...]]:
    """(assessment id, status, then the ``quality.Row`` fields but ``assigned``) of the
    checked responses of these assessments, streamed in assessment order. The answers are
    counted only where a duration is known (the only rows whose count the checks read):
    imported rows need no count. No join: the planner's statistics predate the rows just
    written, and with a join it chose a nested loop over all of them per assessment.

    On PostgreSQL the moment comes as microseconds since ``EPOCH`` (``_moment`` makes it a
    datetime again), and the query's SQL is run on a server-side cursor of the driver: every
    value then comes as the driver reads it, and Django's converters (a call per value of a
    million rows, and the driver's reading of a timestamp with the session's zone) are left
    out."""
    postgres = connection.vendor == "postgresql"
    moment: Any = "submitted_at"
    if postgres:
        moment = Func(F("submitted_at"), template=MICROSECONDS, output_field=BigIntegerField())
    rows = (
        Response.objects.filter(assessment_id__in=assessment_ids,
                                channel__in=CHECKED_CHANNELS)
        .annotate(asked=Case(When(duration_seconds__isnull=True, then=Value(0)),
                             default=AnswerCount("answers"), output_field=IntegerField()))
        .order_by("assessment_id", "submitted_at", "pk")
        .values_list("assessment_id", "status", "id", moment, "client_hash",
                     "vector_hash", "duration_seconds", "asked", "address_hash", "mode",
                     "interviewer_id")
    )
    if not postgres:
        return iter(rows.iterator(chunk_size=FLAGS_FETCH))
    return _streamed(*rows.query.sql_with_params())


def _streamed(sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of a query, from a server-side cursor of the driver inside the transaction
    (``FLAGS_FETCH`` rows per round trip)."""
    connection.ensure_connection()
    with connection.connection.cursor(name="nok_quality_rows") as cursor:
        cursor.itersize = FLAGS_FETCH
        cursor.execute(sql, params)
        yield from cursor


def _moment(value: datetime | int) -> datetime:
    """A moment as ``_checked_rows`` or ``_Seen`` gives it: a datetime, or microseconds
    since ``EPOCH``."""
    return EPOCH + timedelta(0, 0, value) if isinstance(value, int) else value


def _assignments(assessment_ids: list[int]) -> tuple[dict[int, int], set[tuple[int, int]]]:
    """The organization of each assessment, and the (interviewer, organization) pairs
    assigned among them."""
    organizations = dict(Assessment.objects.filter(pk__in=assessment_ids)
                         .values_list("pk", "organization_id"))
    assigned = set(InterviewerAssignment.objects.filter(
        organization_id__in=set(organizations.values()))
        .values_list("interviewer_id", "organization_id"))
    return organizations, assigned


class _Flagger:
    """Flags and status changes of the responses found, written a batch at a time (what
    ``flags_apply`` does for one assessment: new flags added, unreviewed responses moved to
    «flagged» with their counters)."""

    def __init__(self) -> None:
        self.found: dict[int, dict[str, str]] = {}
        self.unreviewed: list[int] = []
        self.added = 0

    def add(self, found: dict[int, dict[str, str]], statuses: dict[int, str]) -> None:
        self.found.update(found)
        self.unreviewed.extend(rid for rid in found if statuses[rid] == ResponseStatus.OK)
        if len(self.found) >= FLAGS_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.found:
            return
        existing = set(Flag.objects.filter(response_id__in=list(self.found))
                       .values_list("response_id", "kind"))
        new = [Flag(response_id=rid, kind=kind, detail=detail)
               for rid, kinds in self.found.items() for kind, detail in kinds.items()
               if (rid, kind) not in existing]
        Flag.objects.bulk_create(new, batch_size=FLAGS_BATCH)
        self.added += len(new)
        if self.unreviewed:
            before = counted(self.unreviewed)
            Response.objects.filter(pk__in=self.unreviewed).update(
                status=ResponseStatus.FLAGGED)
            tally_move(before, ResponseStatus.FLAGGED)
        self.found = {}
        self.unreviewed = []


def flags_apply_many(*, campaign: Campaign, assessment_ids: Iterable[int],
                     flagger: _Flagger | None = None) -> int:
    """``flags_apply`` for many assessments of a campaign at once, inside the caller's
    transaction and after its guard (``fieldwork_guard`` of them all): one streamed query of
    the checked responses per ``FLAGS_ASSESSMENTS`` assessments, ``quality.detect`` per
    assessment, flags and status changes (with their counters) written a few thousand at a
    time. Returns the number of flags added (with those ``flagger`` holds already)."""
    period = (campaign.period_start, campaign.period_end)
    flagger = flagger or _Flagger()
    ids = sorted(set(assessment_ids))
    step = FLAGS_ASSESSMENTS.get(connection.vendor, 1000)
    for start in range(0, len(ids), step):
        part = ids[start : start + step]
        organizations, assignments = _assignments(part)
        for assessment_id, group in itertools.groupby(_checked_rows(part),
                                                      key=operator.itemgetter(0)):
            organization = organizations[assessment_id]
            statuses: dict[int, str] = {}
            checked = []
            for row in group:
                statuses[row[2]] = row[1]
                interviewer = row[10]
                checked.append(quality.Row._make((
                    row[2], _moment(row[3]), *row[4:],
                    interviewer is None or (interviewer, organization) in assignments)))
            found = quality.detect(checked, period=period)
            if found:
                flagger.add(found, statuses)
    flagger.flush()
    return flagger.added


def _check_seen(campaign: Campaign, seen_rows: _Seen, assessment_ids: set[int], mode: str,
                flagger: _Flagger) -> None:
    """``quality.detect`` of each of these assessments over the rows the reader kept: all
    their checked responses, as none was there before this import. An imported row is
    checked as ``_checked_rows`` would read it back: no device, network address, duration
    or interviewer; the mode of the import. The flagged rows' ids are then looked up by
    their client ids, about ``FLAGS_BATCH`` at a time (a file of flagged rows is never held
    whole)."""
    period = (campaign.period_start, campaign.period_end)
    moments, vectors = seen_rows.moments, seen_rows.vectors
    found: dict[int, dict[str, str]] = {}  # row's place -> flags

    def hand_over() -> None:
        part = {seen_rows.client_id(place): kinds for place, kinds in found.items()}
        ids = dict(Response.objects.filter(client_id__in=list(part))
                   .values_list("client_id", "id"))
        flagger.add({ids[client_id]: kinds for client_id, kinds in part.items()},
                    dict.fromkeys(ids.values(), ResponseStatus.OK.value))
        found.clear()

    for aid in sorted(assessment_ids):
        rows = [quality.Row(place, _moment(moments[place]), "",
                            format(vectors[place], "x"), None, 0, "", mode)
                for place in seen_rows.places[aid]]
        found.update(quality.detect(rows, period=period))
        if len(found) >= FLAGS_BATCH:
            hand_over()
    if found:
        hand_over()


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
        if source.encoding:  # a CSV is read again, its cells as written (an XLSX read once)
            body.close()
            body = source.rows(stripped=False)
            next(body)  # the header
        checked = _scan(plan, body, progress)
        if not checked.rows:
            raise ValidationError({"file": "В файле нет строк с ответами"})
        return _write(campaign, source, plan, checked, mode, user, flags, progress)
    except tabular.TableError as exc:
        raise ValidationError({"file": str(exc)}) from exc


@transaction.atomic
def _write(campaign: Campaign, source: _Source, plan: _Plan, checked: _Checked, mode: str,
           user: Any, flags: bool, progress: Progress | None) -> BulkImportResult:
    if progress:
        progress("guard", len(checked.assessments))
    fieldwork_guard(checked.assessments)
    if connection.vendor == "postgresql":
        # The foreign keys are checked at the end of each COPY rather than all at the commit
        # (Django declares them deferred): the checks of a million rows then run while the
        # reader thread parses the next chunk, instead of after everything else.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # The channels each organization had responses in before this import (from the
    # counters): those with imported ones have their client ids looked up; those with checked
    # ones have their quality checks read them back with the new rows, the others' are
    # checked from the rows the reader kept.
    channels = list(ResponseTally.objects.filter(
        assessment_id__in=checked.assessments, channel__in=CHECKED_CHANNELS, n__gt=0,
    ).values_list("assessment_id", "channel"))
    imported = {aid for aid, channel in channels if channel == Channel.IMPORT}
    checked_before = {aid for aid, _ in channels}
    seen_rows = _Seen() if flags and checked.assessments - checked_before else None
    if progress:
        progress("write", 0)
    written = _Written()
    _store(source, plan, checked, mode, written, imported, seen_rows, progress)
    if progress:
        progress("counters", len(written.counts.by_assessment))
    _tally(written, mode)
    assessments = set(written.counts.by_assessment)
    added = 0
    if flags:
        if progress:
            progress("flags", len(assessments))
        flagger = _Flagger()
        if seen_rows is not None:
            _check_seen(campaign, seen_rows, assessments - checked_before, mode, flagger)
        added = flags_apply_many(campaign=campaign, assessment_ids=assessments & checked_before,
                                 flagger=flagger)
    result = BulkImportResult(
        rows=checked.rows, imported=written.imported, skipped=written.skipped,
        organizations=len(assessments), flags=added, sha256=source.sha256,
    )
    audit_record(
        user=user, action="import", obj=campaign,
        after={"file": source.path.name, "sha256": source.sha256, "rows": result.rows,
               "imported": result.imported, "skipped": result.skipped,
               "organizations": result.organizations, "mode": mode},
        campaign_id=campaign.pk,
    )
    return result
