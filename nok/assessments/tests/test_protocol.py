"""The seed-000 protocol figures, worked by hand."""

from __future__ import annotations

import pytest

from nok.assessments.protocol import (
    CHANNEL_UNUSED,
    NO_CALLS,
    NO_REGISTER,
    ContactRow,
    control_protocol,
    format_number,
)

FORMS = ["stationary", "semi_stationary", "home"]


def call(form: str, answered: bool = True, effective: bool = True) -> ContactRow:
    return ContactRow("call", form, answered, effective)


def email(form: str, answered: bool = True, effective: bool = True) -> ContactRow:
    return ContactRow("email", form, answered, effective)


class ControlProtocolTests:
    def test_it_reproduces_seed_000(self) -> None:
        # Seed 000: calls 1/1, 1/1, 0/0; e-mails 1/1, 0/0, 0/0; no complaints anywhere.
        protocol = control_protocol(
            forms=FORMS,
            contacts=[call("stationary"), call("semi_stationary"), email("stationary")],
            complaints={form: (0, 0) for form in FORMS},
            recipients={"stationary": 50, "semi_stationary": 60, "home": 140},
        )
        stationary, semi, home = protocol.forms
        assert stationary.calls.text == "1/1 (100 % результативных)"
        assert semi.calls.text == "1/1 (100 % результативных)"
        assert home.calls.text == NO_CALLS
        assert stationary.emails.text == "1/1 (100 % результативных)"
        assert semi.emails.text == CHANNEL_UNUSED and home.emails.text == CHANNEL_UNUSED
        assert stationary.complaints.text == "0/0 (жалоб нет)"
        # Conclusions: 2 effective calls, 1 e-mail in total.
        assert (protocol.calls.received, protocol.calls.effective) == (2, 2)
        assert (protocol.emails.received, protocol.emails.effective) == (1, 1)
        assert protocol.conclusions[0] == "Поступивших и зарегистрированных жалоб на качество услуг нет."

    def test_it_counts_unanswered_calls_as_received_but_not_effective(self) -> None:
        # 3 calls to home care: effective, answered but incomplete, not answered -> 3/1 = 33.3 %.
        protocol = control_protocol(
            forms=["home"],
            contacts=[call("home"), call("home", effective=False),
                      call("home", answered=False, effective=False)],
            complaints={}, recipients={"home": 140},
        )
        calls = protocol.forms[0].calls
        assert (calls.received, calls.answered, calls.effective) == (3, 2, 1)
        assert calls.percent == pytest.approx(100 / 3)
        assert calls.text == "3/1 (33,3 % результативных)"

    def test_it_rates_complaints_per_100_recipients(self) -> None:
        # 3 complaints among 120 recipients -> 3 / 120 * 100 = 2.5 per 100; 2 of 3 resolved = 66.7 %.
        protocol = control_protocol(
            forms=["stationary"], contacts=[], complaints={"stationary": (3, 2)},
            recipients={"stationary": 120},
        )
        complaints = protocol.forms[0].complaints
        assert complaints.per_100 == 2.5
        assert complaints.resolved_percent == pytest.approx(200 / 3)
        assert complaints.text == "3/2,5 (66,7 % решено)"

    def test_it_marks_a_form_without_a_register(self) -> None:
        protocol = control_protocol(forms=["home"], contacts=[], complaints={},
                                    recipients={"home": 10})
        assert protocol.forms[0].complaints.text == NO_REGISTER
        assert protocol.forms[0].complaints.per_100 is None
        assert protocol.conclusions[0].startswith("Регистрация жалоб")

    def test_it_keeps_percent_empty_where_nothing_was_received(self) -> None:
        protocol = control_protocol(forms=["home"], contacts=[], complaints={}, recipients={})
        assert protocol.calls.percent is None
        assert protocol.emails.percent is None
        assert "Контрольные звонки не поступили." in protocol.conclusions

    def test_it_sums_totals_over_forms(self) -> None:
        # stationary 2 calls (1 effective), home 2 calls (2 effective) -> 4/3 = 75 %.
        protocol = control_protocol(
            forms=["stationary", "home"],
            contacts=[call("stationary"), call("stationary", effective=False), call("home"),
                      call("home")],
            complaints={"stationary": (1, 1), "home": (0, 0)},
            recipients={"stationary": 40, "home": 60},
        )
        assert protocol.calls.text == "4/3 (75 % результативных)"
        # 1 complaint over 100 recipients of the forms with a register -> 1 per 100.
        assert protocol.complaints.per_100 == 1.0


class FormatNumberTests:
    def test_it_drops_a_zero_decimal_and_uses_a_comma(self) -> None:
        assert format_number(100.0) == "100"
        assert format_number(66.666) == "66,7"
        assert format_number(None) == "—"
