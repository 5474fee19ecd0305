"""Fraud and quality signals on survey responses: pure detection over plain rows.

Organizations have an incentive to fill their own survey, so online and imported responses
are checked for the patterns below. A hit never deletes anything: the response becomes
"flagged" and waits for the operator's decision (accept or reject, with a reason).

The checks fit the survey mode:
- online questionnaires (filled in by the respondent: the public form, form-service exports)
  are checked for bursts per organization, device and network address, for identical answer
  vectors clustered in time, and for a too-fast completion;
- interviews and telephone interviews are entered by an interviewer on one device, so many
  responses from one device are normal there: they are checked per interviewer instead —
  identical answer vectors clustered in that interviewer's work, interviews too short to have
  been read aloud, and interviews of an organization not assigned to the interviewer;
- every checked response is checked against the campaign period.
Paper entries are typed by the operator from signed-off sheets and are not checked (an
operator legitimately types dozens per hour, and the entry time is not the interview's).

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
- INTERVIEWER_IDENTICAL_MAX / INTERVIEWER_IDENTICAL_WINDOW: more than 3 identical answer
  vectors recorded by one interviewer within 60 minutes. A real interview takes minutes, so
  four identical ones within an hour mean answers copied rather than asked.
- INTERVIEW_SECONDS_PER_QUESTION: an interview shorter than 5 seconds per asked question (the
  interviewer reads each question aloud as written and waits for the answer).
- outside_assignment: the interviewer was not assigned the organization when the interview
  reached the server (an assignment withdrawn while the device was offline, or a mistake).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import ngettext

BURST_ORG_MAX = 15
BURST_ORG_WINDOW = timedelta(minutes=10)
BURST_CLIENT_MAX = 3
BURST_CLIENT_WINDOW = timedelta(minutes=60)
BURST_ADDRESS_MAX = 20
BURST_ADDRESS_WINDOW = timedelta(minutes=60)
IDENTICAL_VECTOR_MAX = 3
IDENTICAL_VECTOR_WINDOW = timedelta(minutes=30)
TOO_FAST_SECONDS_PER_QUESTION = 2
INTERVIEWER_IDENTICAL_MAX = 3
INTERVIEWER_IDENTICAL_WINDOW = timedelta(minutes=60)
INTERVIEW_SECONDS_PER_QUESTION = 5

# The widest window: how far around a new response the incremental check must look.
WIDEST_WINDOW = max(BURST_ORG_WINDOW, BURST_CLIENT_WINDOW, BURST_ADDRESS_WINDOW,
                    IDENTICAL_VECTOR_WINDOW, INTERVIEWER_IDENTICAL_WINDOW)

SELF_COMPLETED = "online"  # the mode checked for bursts, devices and speed


class Row(NamedTuple):
    """One checked response. ``questions_asked`` only matters when ``duration_seconds`` is
    known (the speed checks); ``assigned`` only when there is an interviewer. (A named tuple:
    a campaign-wide import checks a million of them.)"""

    id: int
    submitted_at: datetime
    client_hash: str
    vector_hash: str
    duration_seconds: int | None
    questions_asked: int
    address_hash: str = ""
    mode: str = SELF_COMPLETED
    interviewer_id: int | None = None
    assigned: bool = True  # the interviewer (if any) is assigned the organization


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


def _responses(size: int) -> str:
    """«4 анкеты», «21 анкета», «16 анкет» (plural forms from the catalogue)."""
    return ngettext("%(n)d анкета", "%(n)d анкет", size) % {"n": size}


def _questions(size: int) -> str:
    """After «при»: «1 вопросе», «21 вопросе», «3 вопросах», «12 вопросах»."""
    return ngettext("%(n)d вопросе", "%(n)d вопросах", size) % {"n": size}


def _identical(size: int) -> str:
    """«4 одинаковых набора ответов», «21 одинаковый набор ответов»."""
    return ngettext("%(n)d одинаковый набор ответов", "%(n)d одинаковых наборов ответов",
                    size) % {"n": size}


def detect(rows: Iterable[Row], *, period: tuple[date, date]) -> dict[int, dict[str, str]]:
    """Response id -> {flag kind: Russian detail} for every signal found among ``rows``."""
    everything = sorted(rows, key=lambda r: (r.submitted_at, r.id))
    found: dict[int, dict[str, str]] = defaultdict(dict)
    _self_completed([r for r in everything if r.mode == SELF_COMPLETED], found)
    _interviews([r for r in everything if r.interviewer_id is not None], found)
    start, end = period
    surely_inside = _surely_inside(start, end)
    for row in everything:
        if surely_inside[0] <= row.submitted_at < surely_inside[1]:
            continue
        day = timezone.localdate(row.submitted_at)
        if not start <= day <= end:
            found[row.id]["outside_period"] = (
                f"отправлена {day:%d.%m.%Y}, период {start:%d.%m.%Y}–{end:%d.%m.%Y}"
            )
    return dict(found)


def _surely_inside(start: date, end: date) -> tuple[datetime, datetime]:
    """UTC moments between which every local date is inside the period: a day's margin on
    either side (whatever the zone's offset), so only the moments near a bound need their
    local date (the comparison of two UTC moments costs a fraction of ``localdate``)."""
    low = datetime.combine(start + timedelta(days=2), time.min, tzinfo=UTC)
    high = datetime.combine(end - timedelta(days=1), time.min, tzinfo=UTC)
    return low, max(low, high)


def _self_completed(ordered: Sequence[Row], found: dict[int, dict[str, str]]) -> None:
    """The checks of questionnaires the respondents filled in themselves."""
    for rid, size in _bursts(ordered, BURST_ORG_MAX, BURST_ORG_WINDOW).items():
        found[rid]["burst_org"] = (
            f"{_responses(size)} за {_minutes(BURST_ORG_WINDOW)} мин (порог {BURST_ORG_MAX})"
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
                f"{_responses(size)} с одного устройства за {_minutes(BURST_CLIENT_WINDOW)} мин "
                f"(порог {BURST_CLIENT_MAX})"
            )
    for group in by_address.values():
        for rid, size in _bursts(group, BURST_ADDRESS_MAX, BURST_ADDRESS_WINDOW).items():
            found[rid]["burst_address"] = (
                f"{_responses(size)} с одного адреса сети за {_minutes(BURST_ADDRESS_WINDOW)} мин "
                f"(порог {BURST_ADDRESS_MAX})"
            )
    for group in by_vector.values():
        for rid, size in _bursts(group, IDENTICAL_VECTOR_MAX, IDENTICAL_VECTOR_WINDOW).items():
            found[rid]["identical_vector"] = (
                f"{_identical(size)} за {_minutes(IDENTICAL_VECTOR_WINDOW)} мин "
                f"(порог {IDENTICAL_VECTOR_MAX})"
            )

    for row in ordered:
        minimum = TOO_FAST_SECONDS_PER_QUESTION * row.questions_asked
        if row.duration_seconds is not None and row.duration_seconds < minimum:
            found[row.id]["too_fast"] = (
                f"заполнена за {row.duration_seconds} с при {_questions(row.questions_asked)} "
                f"(порог {minimum} с)"
            )


def _interviews(ordered: Sequence[Row], found: dict[int, dict[str, str]]) -> None:
    """The checks of interviews, per interviewer (one device carrying many is normal)."""
    by_interviewer: dict[tuple[int | None, str], list[Row]] = defaultdict(list)
    for row in ordered:
        if row.vector_hash:
            by_interviewer[(row.interviewer_id, row.vector_hash)].append(row)
        minimum = INTERVIEW_SECONDS_PER_QUESTION * row.questions_asked
        if row.duration_seconds is not None and row.duration_seconds < minimum:
            found[row.id]["interview_too_short"] = (
                f"интервью длилось {row.duration_seconds} с при {_questions(row.questions_asked)} "
                f"(порог {minimum} с)"
            )
        if not row.assigned:
            found[row.id]["outside_assignment"] = (
                "интервьюеру не назначена эта организация"
            )
    for group in by_interviewer.values():
        for rid, size in _bursts(group, INTERVIEWER_IDENTICAL_MAX,
                                 INTERVIEWER_IDENTICAL_WINDOW).items():
            found[rid]["interviewer_identical"] = (
                f"{_identical(size)} у одного интервьюера за "
                f"{_minutes(INTERVIEWER_IDENTICAL_WINDOW)} мин (порог {INTERVIEWER_IDENTICAL_MAX})"
            )
