"""Exports of common form services (Google Forms, Yandex Forms and the like).

Such an export is a table: a header row with the question texts, usually a timestamp column,
then one row per respondent with «Да»/«Нет» or the option labels. The file is read by
``nok.core.tabular``; here are pure functions: the rows as text, a suggested column ->
question mapping by text similarity, and decoding one cell.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from nok.core.tabular import TableError, read_rows
from nok.surveys.questionnaire import options_of

TIMESTAMP = "__timestamp__"
SKIP = ""
TIMESTAMP_WORDS = ("отметка времени", "timestamp", "время", "дата", "date", "time", "создан")
SIMILARITY_THRESHOLD = 0.55

YES_WORDS = {"да", "yes", "д", "y", "1", "+", "true", "истина"}
NO_WORDS = {"нет", "no", "н", "n", "2", "-", "false", "ложь"}

DATETIME_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%d",
)


def cell_text(value: Any) -> str:
    """A cell of ``nok.core.tabular.read_rows`` as the text an import compares and hashes:
    stripped; a date as ``YYYY-MM-DD [HH:MM:SS]``; a whole float without «.0»."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def text_rows(filename: str, content: bytes) -> list[list[str]]:
    """The non-empty rows of the file (the first sheet of an XLSX) as text, padded to the same
    width; row 0 is the header. Raises ``nok.core.tabular.TableError``."""
    rows = [row for row in ([cell_text(c) for c in cells] for cells in read_rows(filename, content))
            if any(row)]
    if len(rows) < 2:
        raise TableError("В файле нет строк с ответами (нужна строка заголовков и ответы)",
                         code="no_rows")
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows]


def _normalize(text: str) -> str:
    text = text.lower().replace("ё", "е")
    text = re.sub(r"^\s*\d+[.)]\s*", "", text)
    return re.sub(r"[^\w]+", " ", text).strip()


def _stems(text: str) -> set[str]:
    return {word[:5] for word in text.split() if len(word) > 1}


def similarity(header: str, question_text: str) -> float:
    """0..1: character similarity, or the share of the header's word stems found in the
    question (exports often shorten a long question), whichever is higher."""
    a, b = _normalize(header), _normalize(question_text)
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    stems = _stems(a)
    overlap = len(stems & _stems(b)) / len(stems) * 0.8 if len(stems) >= 2 else 0.0
    return max(ratio, overlap)


def suggest_mapping(header: Sequence[str], questions: Sequence[Any]) -> dict[int, str]:
    """Column index -> question key (or TIMESTAMP, or SKIP), best text match first served."""
    scores: list[tuple[float, int, str]] = []
    mapping: dict[int, str] = {}
    for index, title in enumerate(header):
        normalized = _normalize(title)
        mapping[index] = SKIP
        if any(word in normalized for word in TIMESTAMP_WORDS) and len(normalized) < 40:
            mapping[index] = TIMESTAMP
            continue
        for question in questions:
            if normalized == _normalize(question.key):
                scores.append((2.0, index, question.key))
                continue
            ratio = similarity(title, question.text)
            if ratio >= SIMILARITY_THRESHOLD:
                scores.append((ratio, index, question.key))
    used: set[str] = set()
    for _, index, key in sorted(scores, reverse=True):
        if mapping[index] == SKIP and key not in used:
            mapping[index] = key
            used.add(key)
    return mapping


def decode_value(question: Any, cell: str, options: Sequence[tuple[str, str]]) -> str | None:
    """The option key for a cell ('' for blank); None when the cell matches no option."""
    raw = cell.strip()
    if not raw:
        return ""
    if question.type == "text":
        return raw
    lowered = raw.lower().replace("ё", "е")
    for key, label in options:
        if lowered in {key.lower(), label.lower().replace("ё", "е")}:
            return key
    keys = {key for key, _ in options}
    if question.type == "yes_no" or keys == {"yes", "no"}:
        if lowered in YES_WORDS:
            return "yes"
        if lowered in NO_WORDS:
            return "no"
    return None


def parse_timestamp(cell: str) -> datetime | None:
    """A datetime from the usual export formats; «… GMT+3» gives an aware one, else naive."""
    raw = cell.strip()
    offset = None
    zone = re.search(r"\s*(?:GMT|UTC)([+-]\d{1,2})?(?::?(\d{2}))?\s*$", raw)
    if zone:
        raw = raw[: zone.start()]
        hours = int(zone.group(1) or 0)
        minutes = int(zone.group(2) or 0) * (1 if hours >= 0 else -1)
        offset = timezone(timedelta(hours=hours, minutes=minutes))
    for fmt in DATETIME_FORMATS:
        try:
            moment = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return moment.replace(tzinfo=offset) if offset is not None else moment
    return None


# --- answer values ------------------------------------------------------------------------

NO_ANSWER = "__blank__"  # a value mapped to «нет ответа» (the cell counts as blank)
VALUES_SHOWN_MAX = 40  # distinct unmatched values per question offered for mapping


def value_key(cell: str) -> str:
    """How a cell's value is compared and remembered: lower case, «ё» as «е», punctuation and
    repeated spaces as one space, a leading «1.» / «2)» dropped."""
    return _normalize(cell)[:200]


def suggest_value(cell: str, options: Sequence[tuple[str, str]]) -> str:
    """The option a value most likely means, or ``""``: the same words; else the only option
    whose label begins with the value («Родственник» → «Родственник (законный
    представитель)…») or that the value begins with; else the only option sharing most of
    its word stems."""
    wanted = value_key(cell)
    if not wanted:
        return ""
    labels = [(key, value_key(label)) for key, label in options]
    for key, label in labels:
        if wanted in {label, value_key(key)}:
            return key
    prefixed = [key for key, label in labels if len(wanted) >= 3 and label
                and (label.startswith(wanted) or wanted.startswith(label))]
    if len(prefixed) == 1:
        return prefixed[0]
    scored = sorted(((similarity(cell, label), key) for key, label in options), reverse=True)
    if scored and scored[0][0] >= SIMILARITY_THRESHOLD and (
            len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return ""


def unmatched_values(
    rows: Sequence[Sequence[str]], mapping: dict[int, str], questions: Sequence[Any],
) -> list[tuple[Any, list[tuple[str, int]]]]:
    """Per mapped choice question (questionnaire order): the distinct values of its column
    that match none of its options, as first written in the file, with how many rows hold
    each (most frequent first, at most ``VALUES_SHOWN_MAX``). Row 0 is the header."""
    by_key = {q.key: q for q in questions}
    columns = {key: index for index, key in mapping.items() if key in by_key}
    found = []
    for question in questions:
        index = columns.get(question.key)
        if index is None or question.type == "text":
            continue
        options = options_of(question)
        seen: dict[str, list[Any]] = {}
        for row in rows[1:]:
            cell = row[index].strip() if index < len(row) else ""
            if not cell or decode_value(question, cell, options) is not None:
                continue
            entry = seen.setdefault(value_key(cell), [cell, 0])
            entry[1] += 1
        if seen:
            ordered = sorted(seen.values(), key=lambda e: (-e[1], e[0]))
            found.append((question, [(cell, n) for cell, n in ordered[:VALUES_SHOWN_MAX]]))
    return found
