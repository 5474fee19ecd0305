"""Fraud and quality signals on survey responses: pure detection over plain rows.

Organizations have an incentive to fill their own survey, so online and imported responses
are checked for the patterns below. A hit never deletes anything: the response becomes
"flagged" and waits for the operator's decision (accept or reject, with a reason).

Paper entries are typed by the operator from signed-off sheets and are not checked for
bursts (an operator legitimately types dozens per hour).

Thresholds (documented values; change here and in METHODOLOGY notes together):
- BURST_ORG_MAX / BURST_ORG_WINDOW: more than 15 responses for one organization within
  10 minutes (one every 40 s, beyond what a stand or a link in a newsletter produces).
- BURST_CLIENT_MAX / BURST_CLIENT_WINDOW: more than 3 responses from one hashed client
  (IP + browser) within 60 minutes; a stand kiosk may hit it, the operator then accepts.
- BURST_ADDRESS_MAX / BURST_ADDRESS_WINDOW: more than 20 responses from one hashed network
  address (whatever the browser says it is) within 60 minutes. The limit is high because a care
  home's residents may share its Wi-Fi; changing the User-Agent with every response does not
  escape it.
- IDENTICAL_VECTOR_MAX / IDENTICAL_VECTOR_WINDOW: more than 3 identical answer vectors within
  30 minutes. Uniform answers are common in this field (seed 001: 30 of 30 «да»), so only
  repeats clustered in time are suspicious.
- TOO_FAST_SECONDS_PER_QUESTION: completed faster than 2 seconds per asked question
  (reading a question aloud takes longer).
- outside_period: submitted on a date (in the site time zone) outside the campaign period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

BURST_ORG_MAX = 15
BURST_ORG_WINDOW = timedelta(minutes=10)
BURST_CLIENT_MAX = 3
BURST_CLIENT_WINDOW = timedelta(minutes=60)
BURST_ADDRESS_MAX = 20
BURST_ADDRESS_WINDOW = timedelta(minutes=60)
IDENTICAL_VECTOR_MAX = 3
IDENTICAL_VECTOR_WINDOW = timedelta(minutes=30)
TOO_FAST_SECONDS_PER_QUESTION = 2

# The widest window: how far around a new response the incremental check must look.
WIDEST_WINDOW = max(BURST_ORG_WINDOW, BURST_CLIENT_WINDOW, BURST_ADDRESS_WINDOW,
                    IDENTICAL_VECTOR_WINDOW)


@dataclass(frozen=True)
class Row:
    id: int
    submitted_at: datetime
    client_hash: str
    vector_hash: str
    duration_seconds: int | None
    questions_asked: int
    address_hash: str = ""


def _bursts(rows: Sequence[Row], limit: int, window: timedelta) -> dict[int, int]:
    """Ids of rows inside any window holding more than ``limit`` rows -> size of that window.

    ``rows`` must be sorted by time. Two pointers: O(n).
    """
    hits: dict[int, int] = {}
    start = 0
    marked_until = -1
    for end, row in enumerate(rows):
        while row.submitted_at - rows[start].submitted_at > window:
            start += 1
        size = end - start + 1
        if size > limit:
            for i in range(max(start, marked_until + 1), end + 1):
                hits[rows[i].id] = size
            marked_until = end
    return hits


def _minutes(window: timedelta) -> int:
    return int(window.total_seconds() // 60)


def detect(rows: Iterable[Row], *, period: tuple[date, date]) -> dict[int, dict[str, str]]:
    """Response id -> {flag kind: Russian detail} for every signal found among ``rows``."""
    ordered = sorted(rows, key=lambda r: (r.submitted_at, r.id))
    found: dict[int, dict[str, str]] = defaultdict(dict)

    for rid, size in _bursts(ordered, BURST_ORG_MAX, BURST_ORG_WINDOW).items():
        found[rid]["burst_org"] = (
            f"{size} анкет за {_minutes(BURST_ORG_WINDOW)} мин (порог {BURST_ORG_MAX})"
        )

    by_client: dict[str, list[Row]] = defaultdict(list)
    by_address: dict[str, list[Row]] = defaultdict(list)
    by_vector: dict[str, list[Row]] = defaultdict(list)
    for row in ordered:
        if row.client_hash:
            by_client[row.client_hash].append(row)
        if row.address_hash:
            by_address[row.address_hash].append(row)
        if row.vector_hash:
            by_vector[row.vector_hash].append(row)
    for group in by_client.values():
        for rid, size in _bursts(group, BURST_CLIENT_MAX, BURST_CLIENT_WINDOW).items():
            found[rid]["burst_client"] = (
                f"{size} анкет с одного устройства за {_minutes(BURST_CLIENT_WINDOW)} мин "
                f"(порог {BURST_CLIENT_MAX})"
            )
    for group in by_address.values():
        for rid, size in _bursts(group, BURST_ADDRESS_MAX, BURST_ADDRESS_WINDOW).items():
            found[rid]["burst_address"] = (
                f"{size} анкет с одного адреса сети за {_minutes(BURST_ADDRESS_WINDOW)} мин "
                f"(порог {BURST_ADDRESS_MAX})"
            )
    for group in by_vector.values():
        for rid, size in _bursts(group, IDENTICAL_VECTOR_MAX, IDENTICAL_VECTOR_WINDOW).items():
            found[rid]["identical_vector"] = (
                f"{size} одинаковых наборов ответов за {_minutes(IDENTICAL_VECTOR_WINDOW)} мин "
                f"(порог {IDENTICAL_VECTOR_MAX})"
            )

    start, end = period
    for row in ordered:
        minimum = TOO_FAST_SECONDS_PER_QUESTION * row.questions_asked
        if row.duration_seconds is not None and row.duration_seconds < minimum:
            found[row.id]["too_fast"] = (
                f"заполнена за {row.duration_seconds} с при {row.questions_asked} вопросах "
                f"(порог {minimum} с)"
            )
        day = timezone.localdate(row.submitted_at)
        if not start <= day <= end:
            found[row.id]["outside_period"] = (
                f"отправлена {day:%d.%m.%Y}, период {start:%d.%m.%Y}–{end:%d.%m.%Y}"
            )
    return dict(found)
