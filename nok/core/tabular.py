"""Untrusted tables (CSV and XLSX uploads) read as rows of cells: the one reader of every import.

``read_rows(filename, content)`` returns an iterator of rows (lists of cells, the first row is
the header as the user sees it, row 1). Every refusal is a ``TableError`` whose text is a
Russian message for the user, naming the row and column where there is one.

CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel's «Текст Юникод»), otherwise
Windows-1251; the delimiter (``;``, ``,`` or tab) is the one that splits the header into the most
fields; a field may be up to ``Limits.cell_chars`` characters; a NUL character is refused (no
text a person typed contains one, and PostgreSQL cannot store it).

XLSX (and XLSM): python-calamine builds the whole rectangle of a sheet in memory, and a
malformed workbook makes it abort the process (a Rust abort, no Python exception): a 2 KB file
asks for 512 GB. So a workbook is never parsed in the server process:

1. ``check_archive`` (here, cheap): the ZIP's central directory — number of parts, compression
   methods, encryption, declared unpacked sizes and compression ratios.
2. A child process (``python -I`` running this very file) under RLIMIT_AS, RLIMIT_CPU and a
   wall-clock budget first decompresses every part of the archive itself (``scan_archive``:
   the real unpacked sizes and ratios, which the central directory may understate, and the
   farthest row and cell of every part, counting rows and cells without an ``r=`` attribute
   the way calamine does), then lets calamine read the sheet and streams its rows back as JSON
   lines, a chunk at a time.
3. A child that dies, runs out of memory or time, or says anything unexpected gives «файл
   слишком большой или повреждён»; the server process goes on serving.

Rows come as an iterator so that a large file can be consumed in chunks (the child streams
them; the CSV reader parses lazily); the file's bytes are held once in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import logging
import os
import re
import resource
import selectors
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

logger = logging.getLogger(__name__)

Cell = str | int | float | bool | datetime | date | clock | timedelta
Row = list[Cell]

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
EXTENSIONS = CSV_EXTENSIONS + XLSX_EXTENSIONS
FORMATS = "Поддерживаются файлы CSV и XLSX (XLS и ODS сохраните как XLSX)"


@dataclass(frozen=True)
class Limits:
    """What an uploaded table may be. Sizes in bytes, times in seconds."""

    file_bytes: int = 10 * 1024 * 1024  # the upload itself
    rows: int = 100_000
    columns: int = 500
    cells: int = 5_000_000  # rows x columns of the rectangle calamine allocates
    cell_chars: int = 1_000_000  # one field or cell, in characters
    parts: int = 2_000  # entries of the XLSX archive
    unpacked_bytes: int = 200 * 1024 * 1024  # all parts of the archive, decompressed
    ratio: int = 100  # unpacked / packed size of one part (checked above 1 MB unpacked)
    memory_bytes: int = 1024 * 1024 * 1024  # address space of the child (RLIMIT_AS)
    cpu_seconds: int = 20  # CPU time of the child (RLIMIT_CPU)
    seconds: float = 30.0  # time spent waiting for the child's output


LIMITS = Limits()
RATIO_FLOOR = 1024 * 1024  # smaller parts are not checked for their ratio
CHUNK_ROWS = 1000  # rows per line the child writes

# Python's csv module refuses fields over 131,072 characters by default (a process-wide
# setting). Raised once, for every reader of the process, to the largest file we accept; the
# per-cell limit of ``Limits.cell_chars`` is then checked by this module with a Russian message.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


def _number(value: int) -> str:
    """100000 -> «100 000» (Russian thousands separator, a no-break space)."""
    return f"{value:,}".replace(",", "\u00a0")


def _count(value: int, one: str, few: str, many: str) -> str:
    """«1 знак», «2 знака», «5 знаков»."""
    if value % 10 == 1 and value % 100 != 11:
        word = one
    elif 2 <= value % 10 <= 4 and not 12 <= value % 100 <= 14:
        word = few
    else:
        word = many
    return f"{_number(value)} {word}"


def _more_than(value: int, singular: str, plural: str) -> str:
    """After «больше», «не более» (genitive): «1 строки», «21 строки», «5 строк»."""
    word = singular if value % 10 == 1 and value % 100 != 11 else plural
    return f"{_number(value)} {word}"


def column_letter(index: int) -> str:
    """0 -> «A», 25 -> «Z», 26 -> «AA» (the column as a spreadsheet names it)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + (ord(letter) - 64)
    return number


# --- errors ----------------------------------------------------------------------------------

TOO_LARGE = ("Не удалось прочитать таблицу: файл слишком большой или повреждён. Разделите "
             "таблицу на части или сохраните её в Excel заново как XLSX.")
BROKEN_XLSX = ("Не удалось прочитать таблицу XLSX: файл повреждён или сохранён не в формате "
               "Excel. Откройте его в Excel и сохраните как «Книга Excel (*.xlsx)».")
OLD_OR_ENCRYPTED = ("Это файл старого формата XLS или файл Excel, защищённый паролем: сохраните "
                    "его как «Книга Excel (*.xlsx)» без пароля.")
ENCRYPTED = "Файл XLSX защищён паролем: снимите защиту в Excel и загрузите файл снова."
NO_SHEET = "В файле XLSX нет ни одного листа."
BUSY = "Сервер сейчас не может прочитать таблицу XLSX. Попробуйте ещё раз через минуту."


class TableError(ValueError):
    """The file cannot be read as a table; ``str(error)`` is the Russian message for the user.

    ``code`` and ``params`` say the same for the program (the child process sends them, the
    server process rebuilds the message from them)."""

    def __init__(self, message: str, *, code: str = "", params: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.params = params or {}


def _far_cell(ref: str, limits: Limits) -> TableError:
    return TableError(
        f"Таблица слишком велика: её ячейки доходят до {ref}, а допускается не более "
        f"{_more_than(limits.rows, 'строки', 'строк')}, "
        f"{_more_than(limits.columns, 'столбца', 'столбцов')} и "
        f"{_more_than(limits.cells, 'ячейки', 'ячеек')}. Удалите лишние ячейки или разделите "
        "таблицу на части.",
        code="far_cell", params={"ref": ref},
    )


def _error_from(code: str, params: dict[str, Any], limits: Limits) -> TableError:
    """The error a child reported, rebuilt from its code; anything unexpected is TOO_LARGE."""
    ref = params.get("ref")
    if code == "far_cell" and isinstance(ref, str) and re.fullmatch(r"[A-Z]{1,3}[0-9]{1,9}", ref):
        return _far_cell(ref, limits)
    messages = {"broken": BROKEN_XLSX, "no_sheet": NO_SHEET, "encrypted": ENCRYPTED}
    return TableError(messages.get(code, TOO_LARGE), code=code if code in messages else "too_large")


def _too_large(code: str = "too_large") -> TableError:
    """«Too large or damaged»: ``too_large`` when a check measured it, ``child_failed`` when
    the child process died, ran over its time or answered nonsense."""
    return TableError(TOO_LARGE, code=code)


# --- the entry point -------------------------------------------------------------------------


def read_rows(filename: str, content: bytes, *, sheet: str | None = None,
              limits: Limits = LIMITS) -> Iterator[Row]:
    """The rows of a CSV, or of the sheet named ``sheet`` (else the first) of an XLSX.

    The format follows the file's extension. What can be told without parsing (empty file,
    unknown extension, the encoding and NUL characters of a CSV, the archive structure of an
    XLSX) raises ``TableError`` at once; the rest while the rows are iterated, so iterate
    inside the same ``try``. Rows keep their empty cells and empty rows: the n-th row is the
    spreadsheet's row n. CSV cells are strings; XLSX cells are str, float, int, bool, datetime,
    date, time or timedelta (an empty cell is "").
    """
    name = filename.lower()
    if not name.endswith(EXTENSIONS):
        raise TableError(FORMATS, code="format")
    if not content:
        raise TableError("Файл пуст", code="empty")
    if len(content) > limits.file_bytes:
        raise TableError(f"Файл больше {_number(limits.file_bytes // (1024 * 1024))} МБ: "
                         "разделите таблицу на части", code="file_size")
    if name.endswith(CSV_EXTENSIONS):
        text = decode_text(content)
        return _guarded(_csv_rows(text), limits)
    check_archive(content, limits)
    return _guarded(_child_rows(content, sheet, limits), limits)


def _guarded(rows: Iterable[Row], limits: Limits) -> Iterator[Row]:
    """Rows within the limits: how many, how wide, how long a text cell, no NUL character."""
    number = 0
    for row in rows:
        number += 1
        if number > limits.rows:
            raise TableError(f"В таблице больше {_more_than(limits.rows, 'строки', 'строк')}: "
                             "разделите её на части", code="rows")
        if len(row) > limits.columns:
            while row and row[-1] == "":
                row.pop()
            if len(row) > limits.columns:
                raise TableError(f"Строка {number}: больше "
                                 f"{_more_than(limits.columns, 'столбца', 'столбцов')}",
                                 code="columns", params={"row": number})
        texts = [cell for cell in row if type(cell) is str]
        if texts and ("\x00" in "".join(texts) or max(map(len, texts)) > limits.cell_chars):
            _refuse_cell(number, row, limits)
        yield row


def _refuse_cell(number: int, row: Row, limits: Limits) -> None:
    for index, cell in enumerate(row):
        if not isinstance(cell, str):
            continue
        where = f"Строка {number}, столбец {column_letter(index)}"
        if "\x00" in cell:
            raise TableError(f"{where}: в ячейке нулевой символ (NUL) — такой символ нельзя "
                             "сохранить. Похоже, файл повреждён или не является таблицей.",
                             code="nul", params={"row": number, "column": index})
        if len(cell) > limits.cell_chars:
            raise TableError(f"{where}: в ячейке {_count(len(cell), 'знак', 'знака', 'знаков')}, "
                             f"допускается не более {_number(limits.cell_chars)}",
                             code="cell_chars", params={"row": number, "column": index})


# --- CSV -------------------------------------------------------------------------------------


def csv_encodings(head: bytes) -> tuple[str, ...]:
    """The encodings a CSV starting with ``head`` may be in, to try in this order: UTF-16 or
    UTF-8 when it starts with their BOM, else UTF-8 and then Windows-1251."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return ("utf-16",)
    if head.startswith(codecs.BOM_UTF8):
        return ("utf-8-sig",)
    return ("utf-8", "cp1251")


def decode_text(content: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1251.

    Bytes that are text in none of them, and NUL characters, raise ``TableError`` naming the
    line of the file."""
    for encoding in csv_encodings(content[:4]):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError as exc:
            problem = exc
            continue
        break
    else:
        line = content.count(b"\n", 0, problem.start) + 1
        raise TableError(
            f"Не удалось прочитать CSV: в строке {line} файла есть байт "
            f"0x{content[problem.start]:02X}, которого нет ни в UTF-8, ни в Windows-1251. "
            "Сохраните таблицу в Excel как «CSV UTF-8 (разделитель — запятая)».",
            code="encoding", params={"line": line},
        )
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise TableError(
            f"Строка {line} файла: нулевой символ (NUL) — такой символ нельзя сохранить. "
            "Похоже, это не текстовый CSV: сохраните таблицу как CSV или XLSX.",
            code="nul", params={"line": line},
        )
    return text


SNIFF_RECORDS = 20


def csv_delimiter(text: str) -> str:
    """``;``, ``,`` or tab: the one that splits the first records (up to 20, quotes respected)
    into the same number of fields, the most fields of those; ``;`` on a tie, as Russian Excel
    writes it. A header full of commas («Оцените, пожалуйста, …») in a ``;`` file splits into
    many fields by ``,`` but its answer rows do not, so ``;`` wins. When no delimiter gives
    records of one width, the one splitting the first record into the most fields."""
    head = text[:65536]
    truncated = len(text) > len(head)
    consistent: list[tuple[int, str]] = []
    best, most = ",", 1
    for delimiter in (";", ",", "\t"):
        try:
            records = [r for r in itertools.islice(
                csv.reader(io.StringIO(head, newline=""), delimiter=delimiter),
                SNIFF_RECORDS + 1) if r]
        except csv.Error:
            continue
        if not records:
            continue
        if truncated and len(records) > 1:
            records = records[:-1]  # the last one may be cut off by the 64 KB window
        records = records[:SNIFF_RECORDS]
        if len(records[0]) > most:
            best, most = delimiter, len(records[0])
        widths = {len(r) for r in records}
        if len(widths) == 1 and len(records[0]) > 1:
            consistent.append((len(records[0]), delimiter))
    if consistent:
        width = max(w for w, _ in consistent)
        return next(d for w, d in consistent if w == width)
    return best


def csv_records(stream: Iterable[str], delimiter: str) -> Iterator[Row]:
    """The records of CSV text read from ``stream`` (a string's or a file's lines, opened with
    ``newline=""``); a broken record raises ``TableError`` naming its line of the file."""
    reader = csv.reader(stream, delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise TableError(f"Строка {reader.line_num} файла: запись CSV не удаётся разобрать "
                             "(слишком длинное поле или незакрытые кавычки)",
                             code="csv", params={"line": reader.line_num}) from exc
        yield list(row)


def _csv_rows(text: str) -> Iterator[Row]:
    return csv_records(io.StringIO(text, newline=""), csv_delimiter(text))


# --- XLSX: the structural check in the server process ------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # XLS, and any password-protected Office file
STORED, DEFLATED = 0, 8


def check_archive(content: bytes, limits: Limits = LIMITS) -> None:
    """The cheap check of an XLSX before any parsing: the ZIP's central directory only.

    Refuses what is not a ZIP, too many parts, encryption, compression other than deflate,
    and declared sizes over the limits. Declared sizes may lie: the child process measures
    the real ones (``scan_archive``)."""
    if content.startswith(OLE_MAGIC):
        raise TableError(OLD_OR_ENCRYPTED, code="ole")
    if (_declared_parts(content) or 0) > limits.parts:
        raise _too_large()  # before zipfile builds an object per part of the directory
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except Exception as exc:  # zipfile raises BadZipFile, ValueError, OSError, EOFError...
        raise TableError(BROKEN_XLSX, code="broken") from exc
    if len(parts) > limits.parts:
        raise _too_large()
    declared = 0
    for part in parts:
        if part.flag_bits & 0x1:
            raise TableError(ENCRYPTED, code="encrypted")
        if part.compress_type not in (STORED, DEFLATED):
            raise TableError(BROKEN_XLSX, code="broken")
        declared += part.file_size
        if declared > limits.unpacked_bytes or _over_ratio(part.file_size, part.compress_size,
                                                           limits):
            raise _too_large()


def _declared_parts(content: bytes) -> int | None:
    """The number of parts the end-of-directory record declares (None: no record, or ZIP64)."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if end < 0 or end + 12 > len(content):
        return None
    (parts,) = struct.unpack("<H", content[end + 10 : end + 12])
    return None if parts == 0xFFFF else int(parts)


def _over_ratio(unpacked: int, packed: int, limits: Limits) -> bool:
    return unpacked > RATIO_FLOOR and unpacked > limits.ratio * max(packed, 1)


# --- XLSX: the scan and the parse in the child process -------------------------------------------

# A row or a cell tag (any namespace prefix) and its ``r`` attribute, if any: (kind, letters,
# digits); a tag without ``r`` gives empty letters and digits. The attributes stop at the next
# "<" or ">", so a tag never swallows the next one.
_TAG = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])"
    rb"""(?:[^<>]*?\sr\s*=\s*["']\s*([A-Za-z]*)([0-9]*))?"""
)
# The form Excel and the usual libraries write: <row r="12" ...> and <c r="AB12" ...>. A chunk
# whose every row and cell tag has it is measured by these few C-level passes; any other form
# (a namespace prefix, no r=, r= not first) sends the chunk through the general _TAG.
_ODD = re.compile(rb"<[A-Za-z_][\w.-]*:(?:row|c)[\s/>]|<(?:row|c)[/>\t\n\r]")
_PLAIN_ROW = re.compile(rb'<row r="([0-9]{1,7})"')
_PLAIN_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_PLAIN_DIGITS = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_TAIL = 4096  # at most this much of an unfinished tag is carried over to the next chunk


class _Extent:
    """An upper bound of the rectangle calamine allocates for one XML part: from A1 to the
    farthest row and column holding a cell. calamine places a row without ``r=`` after the
    previous row and a cell without ``r=`` after the previous cell of its row, so:

    - rows <= the largest row number written + the number of rows written without one;
    - columns <= for each row, its largest column written + its cells written without one.

    Parts written by Excel and most libraries give every row and cell an ``r=``: a chunk of
    those is measured with a few C-level passes; other chunks are walked tag by tag."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.numbered_rows = 0  # the largest row number written
        self.unnumbered_rows = 0  # rows written without a number
        self.cols = 0  # the bound of columns so far
        self.open_row = (0, 0)  # the row a chunk ended in: (largest column written, cells without)
        self.tail = b""

    def feed(self, data: bytes) -> None:
        text = self.tail + data
        cut = text.rfind(b"<")
        if cut >= 0 and text.find(b">", cut) < 0 and len(text) - cut <= _TAIL:
            text, self.tail = text[:cut], text[cut:]
        else:
            self.tail = b""
        if not self._plain(text):
            self._general(text)
        self._check()

    def _plain(self, text: bytes) -> bool:
        """Measure a chunk written in the plain form; False (nothing done) if it is not."""
        if _ODD.search(text):
            return False
        rows = _PLAIN_ROW.findall(text)
        if len(rows) != text.count(b"<row "):
            return False
        letters = _PLAIN_LETTERS.findall(text)
        digits = _PLAIN_DIGITS.findall(text)
        if not len(letters) == len(digits) == text.count(b"<c "):
            return False
        numbers = set(rows) | set(digits)
        if numbers:
            longest = max(map(len, numbers))
            self.numbered_rows = max(self.numbered_rows,
                                     int(max(n for n in numbers if len(n) == longest)))
        written = max((_column_bounded(x) for x in set(letters)), default=0)
        self.cols = max(self.cols, written)
        self.open_row = (max(self.open_row[0], written), self.open_row[1])
        return True

    def _general(self, text: bytes) -> None:
        """Measure a chunk in any form: tag by tag when some row or cell has no number."""
        tags = _TAG.findall(text)
        if not tags:
            return
        _kinds, letters, digits = zip(*tags, strict=True)
        numbers = {d for d in set(digits) if d}
        if numbers:
            self.numbered_rows = max(self.numbered_rows, max(_bounded(d) for d in numbers))
        if b"" not in digits:
            written = max((_column_bounded(x) for x in set(letters) if x), default=0)
            self.cols = max(self.cols, written)
            self.open_row = (max(self.open_row[0], written), self.open_row[1])
            return
        written, unnumbered = self.open_row
        for kind, column, number in tags:
            if kind == b"row":
                self.unnumbered_rows += not number
                self.cols = max(self.cols, written + unnumbered)
                written, unnumbered = 0, 0
            elif column:
                written = max(written, _column_bounded(column))
            else:
                unnumbered += 1
        self.cols = max(self.cols, written + unnumbered)
        self.open_row = (written, unnumbered)

    def _check(self) -> None:
        rows, cols, limits = self.numbered_rows + self.unnumbered_rows, self.cols, self.limits
        if rows > limits.rows or cols > limits.columns or rows * cols > limits.cells:
            raise _far_cell(column_letter(min(max(cols, 1), 16_384) - 1) + str(max(rows, 1)),
                            limits)


def _bounded(digits: bytes) -> int:
    return int(digits) if len(digits) <= 8 else 10**8


def _column_bounded(letters: bytes) -> int:
    return _column_number(letters.decode()) if len(letters) <= 3 else 10**8


def scan_archive(content: bytes, limits: Limits = LIMITS) -> None:
    """Decompress every part of the archive as a ZIP reader that trusts no size would, and
    refuse the file when the real unpacked total, a part's real ratio or the extent of any
    part (rows, columns, cells) is over the limits. Runs in the child: it costs CPU time."""
    check_archive(content, limits)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = archive.infolist()
    total = 0
    for part in parts:
        packed = _packed_bytes(content, part)
        extent = _Extent(limits)
        unpacked = 0
        for chunk in _inflate(packed, part.compress_type):
            unpacked += len(chunk)
            total += len(chunk)
            if (unpacked > part.file_size or total > limits.unpacked_bytes
                    or _over_ratio(unpacked, len(packed), limits)):
                raise _too_large()  # more than the archive declares, or more than allowed
            extent.feed(chunk)
        if unpacked != part.file_size:
            raise TableError(BROKEN_XLSX, code="broken")


def _packed_bytes(content: bytes, part: zipfile.ZipInfo) -> bytes:
    """The compressed data of a part, located through its local header."""
    start = part.header_offset
    header = content[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise TableError(BROKEN_XLSX, code="broken")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_length + extra_length
    packed = content[begin : begin + part.compress_size]
    if len(packed) != part.compress_size:
        raise TableError(BROKEN_XLSX, code="broken")
    return packed


def _inflate(packed: bytes, method: int) -> Iterator[bytes]:
    """The whole deflate stream, however long, in chunks of at most 1 MB (a reader that stops
    at the declared size would miss what calamine reads)."""
    if method == STORED:
        for start in range(0, len(packed), 1 << 20):
            yield packed[start : start + (1 << 20)]
        return
    inflater = zlib.decompressobj(-15)
    pending = packed
    try:
        while pending and not inflater.eof:
            chunk = inflater.decompress(pending, 1 << 20)
            if not chunk and len(inflater.unconsumed_tail) == len(pending):
                break  # no progress: a damaged stream
            pending = inflater.unconsumed_tail
            if chunk:
                yield chunk
        rest = inflater.flush()
    except zlib.error as exc:
        raise TableError(BROKEN_XLSX, code="broken") from exc
    if rest:
        yield rest


def _encode_cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, clock):
        return {"$t": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$td": value.total_seconds()}
    raise TypeError(f"cell of type {type(value).__name__}")


def _decode_cell(value: dict[str, Any]) -> Any:
    if len(value) == 1:
        (key, raw), = value.items()
        if key == "$dt":
            return datetime.fromisoformat(raw)
        if key == "$d":
            return date.fromisoformat(raw)
        if key == "$t":
            return clock.fromisoformat(raw)
        if key == "$td":
            return timedelta(seconds=raw)
    return value


def _child_main(arguments: list[str]) -> None:
    """The child: ``python -I tabular.py LIMITS_JSON SHEET`` with the file on stdin; writes
    JSON lines: chunks of rows, then ``{"end": rows}`` or ``{"error": code, ...}``."""
    limits = Limits(**json.loads(arguments[0]))
    sheet = arguments[1] if len(arguments) > 1 else ""
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    out = sys.stdout.buffer

    def send(item: Any) -> None:
        out.write(json.dumps(item, ensure_ascii=False, default=_encode_cell).encode() + b"\n")

    content = sys.stdin.buffer.read(limits.file_bytes + 1)
    try:
        scan_archive(content, limits)
        from python_calamine import CalamineWorkbook  # only the child ever loads calamine

        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = book.sheet_names
        if not names:
            raise TableError(NO_SHEET, code="no_sheet")
        chosen = book.get_sheet_by_name(sheet) if sheet in names else book.get_sheet_by_index(0)
        pad = [""] * (chosen.start[1] if chosen.start else 0)
        chunk: list[list[Any]] = []
        count = 0
        for row in chosen.iter_rows():
            chunk.append(pad + row if pad else row)
            count += 1
            if len(chunk) == CHUNK_ROWS:
                send(chunk)
                chunk = []
        if chunk:
            send(chunk)
        send({"end": count})
    except TableError as exc:
        send({"error": exc.code, **exc.params})
    except Exception:  # calamine's own error types for a broken workbook
        send({"error": "broken"})
    out.flush()


# --- XLSX: the server side of the child ----------------------------------------------------------


def _child_rows(content: bytes, sheet: str | None, limits: Limits) -> Iterator[Row]:
    """Rows streamed by a child process; its death, silence or garbage is TOO_LARGE."""
    command = [sys.executable, "-I", os.path.abspath(__file__),
               json.dumps(asdict(limits)), sheet or ""]
    try:
        child = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
    except OSError as exc:
        logger.exception("could not start the XLSX reader process")
        raise TableError(BUSY, code="busy") from exc
    answered = False  # the child said how it ended: the rows' end or an error
    try:
        for line in _exchange(child, content, limits):
            try:
                item = json.loads(line, object_hook=_decode_cell)
            except ValueError as exc:
                raise _too_large("child_failed") from exc
            if isinstance(item, list):
                yield from item
            elif isinstance(item, dict) and "end" in item:
                answered = True
                break
            elif isinstance(item, dict) and isinstance(item.get("error"), str):
                answered = True
                raise _error_from(item["error"], item, limits)
            else:
                raise _too_large("child_failed")
        if not answered:
            raise _too_large("child_failed")
    finally:
        status = child.poll()
        if status is None:  # done with it (or it ran over): it is stopped here
            child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None and not stream.closed:
                stream.close()
        if status and not answered:
            logger.warning("the XLSX reader process died (status %s)", status)


def _exchange(child: subprocess.Popen[bytes], content: bytes, limits: Limits) -> Iterator[bytes]:
    """Feed ``content`` to the child's stdin and yield its stdout line by line, waiting at
    most ``limits.seconds`` in all (the time the caller spends on the rows is not counted)."""
    assert child.stdin is not None and child.stdout is not None
    stdin, stdout = child.stdin, child.stdout
    os.set_blocking(stdin.fileno(), False)
    written = 0
    buffer = bytearray()
    searched = 0
    budget = limits.seconds
    longest = 8 * limits.unpacked_bytes + (1 << 20)  # no JSON line of a valid child is longer
    with selectors.DefaultSelector() as selector:
        selector.register(stdout, selectors.EVENT_READ)
        selector.register(stdin, selectors.EVENT_WRITE)
        while True:
            started = time.monotonic()
            events = selector.select(max(budget, 0.0))
            budget -= time.monotonic() - started
            if not events and budget <= 0:
                logger.warning("the XLSX reader process ran over %s s", limits.seconds)
                raise _too_large("child_failed")
            for key, _ in events:
                if key.fileobj is stdin:
                    try:
                        written += os.write(stdin.fileno(), content[written : written + (1 << 16)])
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:
                        written = len(content)  # the child is gone: its stdout says the rest
                    if written >= len(content):
                        selector.unregister(stdin)
                        stdin.close()
                    continue
                data = os.read(stdout.fileno(), 1 << 20)
                if not data:
                    return
                buffer += data
                while (end := buffer.find(b"\n", searched)) >= 0:
                    yield bytes(buffer[:end])
                    del buffer[: end + 1]
                    searched = 0
                searched = len(buffer)
                if len(buffer) > longest:
                    raise _too_large("child_failed")


if __name__ == "__main__":
    _child_main(sys.argv[1:])
