"""Figures of the control calls / e-mails and complaints protocol (seed 000), METHODOLOGY.md §4.

One definition for the protocol page, the scores, the export and the documents: the web
application builds it from its contact log (:func:`control_protocol`), the documents from an
assessment file's ``control`` section (:func:`protocol_from_control`).

Per service form the protocol prints, for calls and for e-mails/site appeals,
``всего/результативных`` and the share of effective ones in percent; where nothing was
received it prints «звонки не поступили» (calls) or «канал связи не используется»
(e-mails), and that channel drops out of the maximum. Complaints are the register's
``registered`` count and its rate per 100 recipients of the form, with the share resolved;
a form without a register prints «регистрация отсутствует».

Conventions (stated, since the seed leaves them implicit):
- every logged call/e-mail counts as received (``всего``), answered or not: a call nobody
  picked up during the control window is a failed contact, not a missing one;
- ``effective`` implies ``answered`` (the model enforces it);
- percentages are kept in full precision; texts round to one decimal with a comma.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scoring.model import Count, FormControl

CALL = "call"
EMAIL = "email"
NO_CALLS = "звонки не поступили"
CHANNEL_UNUSED = "канал связи не используется"
NO_REGISTER = "регистрация отсутствует"


@dataclass(frozen=True)
class ContactRow:
    kind: str  # "call" | "email"
    form: str  # service form key
    answered: bool
    effective: bool


@dataclass(frozen=True)
class ChannelFigure:
    """Calls or e-mails of one form (or of all forms): received, answered, effective."""

    kind: str
    received: int
    answered: int | None  # None: not recorded (an assessment file keeps received/effective only)
    effective: int

    @property
    def active(self) -> bool:
        return self.received > 0

    @property
    def percent(self) -> float | None:
        """Effective as a share of received, 0..100; None where nothing was received."""
        if not self.received:
            return None
        return self.effective / self.received * 100

    @property
    def ratio_text(self) -> str:
        return f"{self.received}/{self.effective}"

    @property
    def text(self) -> str:
        if not self.active:
            return NO_CALLS if self.kind == CALL else CHANNEL_UNUSED
        return f"{self.ratio_text} ({format_number(self.percent)} % результативных)"


@dataclass(frozen=True)
class ComplaintFigure:
    """The complaints register of one form: counts, rate per 100 recipients, share resolved."""

    kept: bool  # False: the organization keeps no register for this form
    registered: int
    resolved: int
    recipients: int

    @property
    def per_100(self) -> float | None:
        """Complaints per 100 recipients; None without a register or without recipients."""
        if not self.kept or not self.recipients:
            return None
        return self.registered / self.recipients * 100

    @property
    def resolved_percent(self) -> float | None:
        if not self.kept or not self.registered:
            return None
        return self.resolved / self.registered * 100

    @property
    def text(self) -> str:
        if not self.kept:
            return NO_REGISTER
        rate = "—" if self.per_100 is None else format_number(self.per_100)
        head = f"{self.registered}/{rate}"
        if not self.registered:
            return f"{head} (жалоб нет)"
        return f"{head} ({format_number(self.resolved_percent)} % решено)"


@dataclass(frozen=True)
class FormProtocol:
    form: str
    calls: ChannelFigure
    emails: ChannelFigure
    complaints: ComplaintFigure


@dataclass(frozen=True)
class ControlProtocol:
    forms: tuple[FormProtocol, ...]
    calls: ChannelFigure  # all forms together
    emails: ChannelFigure
    complaints: ComplaintFigure

    @property
    def conclusions(self) -> tuple[str, ...]:
        """The «Выводы» lines of seed 000, from the totals."""
        lines = []
        if not self.complaints.kept:
            lines.append("Регистрация жалоб и обращений получателей социальных услуг отсутствует.")
        elif not self.complaints.registered:
            lines.append("Поступивших и зарегистрированных жалоб на качество услуг нет.")
        else:
            lines.append(
                f"Зарегистрировано жалоб на качество услуг: {self.complaints.registered}, "
                f"из них решено: {self.complaints.resolved}."
            )
        if self.calls.active:
            lines.append(
                f"Количество поступивших по телефону звонков — {self.calls.received}, "
                f"из них результативных — {self.calls.effective}."
            )
        else:
            lines.append("Контрольные звонки не поступили.")
        if self.emails.active:
            lines.append(
                "Количество обращений по электронной почте или с помощью электронных сервисов "
                f"на официальном сайте — {self.emails.received}, "
                f"из них результативных — {self.emails.effective}."
            )
        else:
            lines.append("Электронная почта и электронные сервисы сайта не используются.")
        return tuple(lines)


def format_number(value: float | None) -> str:
    """One decimal with a comma, trailing ",0" dropped: 100.0 -> "100", 66.666 -> "66,7"."""
    if value is None:
        return "—"
    text = f"{value:.1f}".replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def _channel(kind: str, rows: Iterable[ContactRow]) -> ChannelFigure:
    received = answered = effective = 0
    for row in rows:
        if row.kind != kind:
            continue
        received += 1
        answered += bool(row.answered)
        effective += bool(row.effective)
    return ChannelFigure(kind=kind, received=received, answered=answered, effective=effective)


def control_protocol(
    *,
    forms: Sequence[str],
    contacts: Iterable[ContactRow],
    complaints: Mapping[str, tuple[int, int]],
    recipients: Mapping[str, int],
) -> ControlProtocol:
    """The protocol figures for the organization's service ``forms``.

    ``complaints`` maps a form to ``(registered, resolved)`` of its register (a form missing
    from it keeps no register); ``recipients`` maps a form to its number of recipients.
    Contacts logged for a form the organization does not offer still count in the totals.
    """
    rows = list(contacts)
    per_form = []
    for form in forms:
        form_rows = [row for row in rows if row.form == form]
        register = complaints.get(form)
        per_form.append(
            FormProtocol(
                form=form,
                calls=_channel(CALL, form_rows),
                emails=_channel(EMAIL, form_rows),
                complaints=ComplaintFigure(
                    kept=register is not None,
                    registered=register[0] if register else 0,
                    resolved=register[1] if register else 0,
                    recipients=recipients.get(form, 0),
                ),
            )
        )
    kept_forms = [form for form in forms if form in complaints]
    total_complaints = ComplaintFigure(
        kept=bool(kept_forms),
        registered=sum(complaints[form][0] for form in kept_forms),
        resolved=sum(complaints[form][1] for form in kept_forms),
        recipients=sum(recipients.get(form, 0) for form in kept_forms),
    )
    return ControlProtocol(
        forms=tuple(per_form),
        calls=_channel(CALL, rows),
        emails=_channel(EMAIL, rows),
        complaints=total_complaints,
    )


def protocol_from_control(forms: Sequence[str], control: Mapping[str, FormControl]) -> ControlProtocol:
    """The protocol of an assessment file's ``control`` section (``AssessmentInput.control``)
    for the organization's service ``forms`` — the same figures :func:`control_protocol` gives
    from the log it was written from. A form missing from ``control`` had no contact and keeps
    no register; a channel recorded as None received nothing. Answered counts are not kept in
    the file (``answered`` is None)."""
    per_form = []
    for form in forms:
        entry = control.get(form, FormControl())
        calls = _counted(CALL, entry.calls)
        emails = _counted(EMAIL, entry.emails)
        register = entry.complaints
        per_form.append(FormProtocol(
            form=form, calls=calls, emails=emails,
            complaints=ComplaintFigure(kept=register is not None,
                                       registered=register[0] if register else 0,
                                       resolved=register[1] if register else 0,
                                       recipients=entry.recipients or 0),
        ))
    everything = list(control.values())  # contacts of any form count in the totals
    kept = [control[f] for f in forms if f in control and control[f].complaints is not None]
    return ControlProtocol(
        forms=tuple(per_form),
        calls=_sum(CALL, [c.calls for c in everything]),
        emails=_sum(EMAIL, [c.emails for c in everything]),
        complaints=ComplaintFigure(
            kept=bool(kept),
            registered=sum(c.complaints[0] for c in kept if c.complaints is not None),
            resolved=sum(c.complaints[1] for c in kept if c.complaints is not None),
            recipients=sum(c.recipients or 0 for c in kept),
        ),
    )


def _counted(kind: str, count: Count | None) -> ChannelFigure:
    if count is None:
        return ChannelFigure(kind=kind, received=0, answered=None, effective=0)
    return ChannelFigure(kind=kind, received=count.asked, answered=None, effective=count.yes)


def _sum(kind: str, counts: Sequence[Count | None]) -> ChannelFigure:
    present = [c for c in counts if c is not None]
    return ChannelFigure(kind=kind, received=sum(c.asked for c in present), answered=None,
                         effective=sum(c.yes for c in present))


# social-2014 codes measured by this protocol (seed 003): the shares of effective control
# calls and e-mails.
PROTOCOL_SHARES = {"0241000009": CALL, "02410000010": EMAIL}


def protocol_values(protocol: ControlProtocol, indicators: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The raw social-2014 values this protocol measures — the one definition of these figures,
    used by the scores, the protocol page and the export alike. ``indicators`` are the
    methodology's (code, kind) pairs.

    - 0241000009 / 02410000010: ``{"asked": received, "yes": effective}`` of all calls / all
      e-mails (none logged: no value, the channel drops out);
    - a ``complaints_per_100`` code: ``{"complaints": registered, "recipients": recipients}``
      over the forms that keep a register — the same figures as the protocol's
      ``complaints.per_100`` (no register or no recipients: no value).
    """
    out: dict[str, Any] = {}
    for code, kind in indicators:
        channel = {CALL: protocol.calls, EMAIL: protocol.emails}.get(PROTOCOL_SHARES.get(code, ""))
        if channel is not None:
            if channel.active:
                out[code] = {"asked": channel.received, "yes": channel.effective}
        elif kind == "complaints_per_100" and protocol.complaints.per_100 is not None:
            out[code] = {"complaints": protocol.complaints.registered,
                         "recipients": protocol.complaints.recipients}
    return out
