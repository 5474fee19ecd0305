"""The survey counters are exact: after any mix of online, paper, double-entry and imported
responses, quality flags and review decisions, they equal a recount of the raw answers."""

from __future__ import annotations

import datetime as dt
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nok.surveys import services
from nok.surveys.models import AnswerTally, Draft, Response, ResponseStatus
from nok.surveys.tallies import array_literal, recount, stored
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment

pytestmark = pytest.mark.django_db

ANSWER_SETS = [
    ALL_YES_NO_SITE,
    ALL_YES_NO_SITE | {"overall": "no", "suggestions": "больше кресел"},
    ALL_YES_NO_SITE | {"used_site": "yes", "info_site": "no", "disabled": "yes",
                       "accessibility": "yes"},
]


def exact(assessment) -> bool:  # type: ignore[no-untyped-def]
    return stored([assessment.pk]) == recount([assessment.pk])


def online(assessment, answers, *, fast=False):  # type: ignore[no-untyped-def]
    draft = services.draft_start(assessment=assessment, client_id=uuid.uuid4())
    for question, value in answers.items():
        services.draft_answer(draft=draft, question=question, value=value)
    if not fast:
        Draft.objects.filter(pk=draft.pk).update(
            started_at=timezone.now() - dt.timedelta(minutes=8))
        draft.refresh_from_db()
    return services.draft_submit(draft=draft, client_hash="k")[0]


class ExactCountersTests:
    def test_every_channel_and_decision_keeps_the_counters_exact(self, personas) -> None:
        assessment = make_assessment()
        assessment.campaign.period_start = dt.date.today() - dt.timedelta(days=3)
        assessment.campaign.period_end = dt.date.today() + dt.timedelta(days=3)
        assessment.campaign.save()
        online(assessment, ANSWER_SETS[0])
        too_fast = online(assessment, ANSWER_SETS[1], fast=True)  # flagged: too fast
        assert Response.objects.get(pk=too_fast.pk).status == ResponseStatus.FLAGGED
        services.paper_response_create(assessment=assessment, number="1", answers=ANSWER_SETS[2],
                                       user=personas.operator)
        services.paper_sheet_enter(assessment=assessment, number="2", answers=ANSWER_SETS[0],
                                   user=personas.operator, mode="interview")
        services.paper_sheet_enter(assessment=assessment, number="2", answers=ANSWER_SETS[0],
                                   user=personas.ministry, mode="interview")
        services.response_record(
            assessment=assessment, answers=ANSWER_SETS[1], channel="interviewer",
            mode="telephone", interviewer=personas.operator, client_id=uuid.uuid4(),
            started_at=timezone.now() - dt.timedelta(minutes=12))
        job = services.import_job_create(
            assessment=assessment, filename="e.csv", user=personas.operator,
            content=("Отметка времени;Удовлетворены ли Вы в целом условиями оказания услуг?\n"
                     + "".join(f"2026-01-0{i} 10:00;{'Да' if i % 2 else 'Нет'}\n" for i in range(1, 6))
                     ).encode())
        services.import_run(job=job, mapping={0: "__timestamp__", 1: "overall"},
                            user=personas.operator)
        assert exact(assessment)
        services.response_review(response=too_fast, decision=ResponseStatus.ACCEPTED,
                                 reason="проверено по телефону", user=personas.operator)
        assert exact(assessment)
        late = online(assessment, ANSWER_SETS[2], fast=True)  # flagged: too fast
        services.responses_review(campaign=assessment.campaign, response_ids=[late.pk],
                                  decision=ResponseStatus.REJECTED, reason="вброс",
                                  user=personas.operator)
        assert Response.objects.get(pk=late.pk).status == ResponseStatus.REJECTED
        assert exact(assessment)
        services.flags_recompute(assessment=assessment, user=personas.operator)
        assert exact(assessment)
        # 1 + 1 + 1 online, 1 paper, 1 double entry (an interview), 1 telephone, 5 imported
        kept = stored([assessment.pk])[0]
        assert sum(kept.values()) == 11
        by_mode = {mode: sum(n for (_, _, _, m), n in kept.items() if m == mode)
                   for mode in ("online", "paper", "interview", "telephone")}
        assert by_mode == {"online": 8, "paper": 1, "interview": 1, "telephone": 1}

    @settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.sampled_from(["paper", "online", "review_ok", "review_no",
                                                "bulk_ok", "bulk_no"]),
                              st.integers(0, 2)), min_size=1, max_size=10))
    def test_any_sequence_of_writes_keeps_them_exact(self, personas, steps) -> None:
        assessment = make_assessment()
        numbers = iter(range(1, 100))
        for kind, which in steps:
            if kind == "paper":
                services.paper_response_create(assessment=assessment, number=str(next(numbers)),
                                               answers=ANSWER_SETS[which], user=personas.operator)
            elif kind == "online":  # outside the campaign period: flagged on arrival
                online(assessment, ANSWER_SETS[which])
            elif kind.startswith("bulk"):  # the ticked responses of the review page
                ids = list(Response.objects.filter(assessment=assessment)
                           .values_list("pk", flat=True)[: which + 1])
                if ids:
                    services.responses_review(
                        campaign=assessment.campaign, response_ids=ids, user=personas.operator,
                        decision=ResponseStatus.ACCEPTED if kind == "bulk_ok" else ResponseStatus.REJECTED,
                        reason="решение по отмеченным")
            else:
                response = Response.objects.filter(assessment=assessment).order_by("?").first()
                if response is not None:
                    decision = ResponseStatus.ACCEPTED if kind == "review_ok" else ResponseStatus.REJECTED
                    services.response_review(response=response, decision=decision, reason="решение",
                                             user=personas.operator)
            assert exact(assessment)

    def test_the_command_checks_and_rebuilds(self, personas) -> None:
        assessment = make_assessment()
        services.paper_response_create(assessment=assessment, number="1",
                                       answers=ANSWER_SETS[0], user=personas.operator)
        out = StringIO()
        call_command("survey_tallies", stdout=out)
        assert "совпадают" in out.getvalue()
        AnswerTally.objects.filter(assessment=assessment).update(n=7)  # damaged
        with pytest.raises(SystemExit):
            call_command("survey_tallies", stdout=StringIO())
        call_command("survey_tallies", "--rebuild", stdout=out)
        assert exact(assessment)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's array literals")
class ArrayLiteralTests:
    @given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\x00")), min_size=1))
    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    def test_strings_come_back_from_the_database_as_they_were_sent(self, values):
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::text[]", [array_literal(values)])
            assert cursor.fetchone()[0] == values

    def test_quotes_backslashes_braces_and_the_word_null_stay_strings(self):
        values = ['a"b', "c\\d", "{e,f}", "NULL", "", " g ", "ответ"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::varchar(64)[], %s::bigint[]",
                           [array_literal(values), array_literal([1, -2, 30])])
            assert cursor.fetchone() == (values, [1, -2, 30])
