"""The survey mode on every response: online, paper, interview, telephone.

Stored on the response and in its counters, set for the rows that existed before, counted
per mode for the sample progress and the protocol, and carried by the paper sheet (filled in
by the respondent, or by an interviewer from the respondent's words)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from nok.organizations.models import InterviewerAssignment, Role
from nok.organizations.tests.factories import make_operator, make_user
from nok.surveys import services
from nok.surveys.models import Mode, PaperSheet, Response, ResponseStatus
from nok.surveys.selectors import mode_counts, sample_status, status_counts
from nok.surveys.tests.factories import (
    ALL_YES_NO_SITE,
    historical_assessment,
    make_assessment,
    make_campaign,
    make_response,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def interviewer(db):
    return make_user("ivanova", Role.INTERVIEWER)


def digits(answers: dict[str, str]) -> dict[str, str]:
    first = {"yes": "1", "no": "2", "recipient": "1", "relative": "2"}
    return {f"q_{k}": first[v] for k, v in answers.items()}


def interview(assessment, interviewer, *, mode="interview", minutes=10, **kwargs):
    """An interview as an interviewer's device sends it (no quality concern by default: the
    organization is assigned to the interviewer, the interview lasts ten minutes)."""
    InterviewerAssignment.objects.get_or_create(interviewer=interviewer,
                                                organization=assessment.organization)
    now = timezone.now()
    response, _ = services.response_record(
        assessment=assessment, answers=kwargs.pop("answers", ALL_YES_NO_SITE),
        channel="interviewer", mode=mode, interviewer=interviewer, client_id=uuid.uuid4(),
        started_at=now - dt.timedelta(minutes=minutes), submitted_at=now, **kwargs,
    )
    return response


class ResponseModeTests:
    def test_each_channel_implies_its_mode_when_none_is_given(self):
        assessment = make_assessment()
        assert make_response(assessment, channel="online").mode == Mode.ONLINE
        assert make_response(assessment, channel="paper").mode == Mode.PAPER
        assert make_response(assessment, channel="double_entry").mode == Mode.PAPER
        assert make_response(assessment, channel="import").mode == Mode.ONLINE

    def test_an_interviewer_is_named_only_on_interviews(self, interviewer):
        assessment = make_assessment()
        with pytest.raises(ValidationError, match="только для интервью"):
            make_response(assessment, channel="paper", mode="paper", interviewer=interviewer)
        assert interview(assessment, interviewer).interviewer == interviewer

    def test_what_an_interviewer_enters_needs_the_interviewer_and_an_interview_mode(self, interviewer):
        assessment = make_assessment()
        with pytest.raises(ValidationError, match="Интервью записывает интервьюер"):
            make_response(assessment, channel="interviewer", mode="interview")
        with pytest.raises(ValidationError):
            make_response(assessment, channel="interviewer", mode="online",
                          interviewer=interviewer)
        assert not Response.objects.exists()

    def test_an_unknown_mode_is_refused(self):
        with pytest.raises(ValidationError, match="Неизвестная форма опроса «email»"):
            make_response(make_assessment(), channel="paper", mode="email")


class ModeCountsTests:
    def test_counted_responses_per_mode_leave_out_rejected_and_flagged_ones(self, interviewer):
        assessment = make_assessment()
        make_response(assessment, channel="online")
        make_response(assessment, channel="paper")
        make_response(assessment, channel="paper")
        interview(assessment, interviewer)
        interview(assessment, interviewer, mode="telephone")
        interview(assessment, interviewer, mode="telephone")
        make_response(assessment, channel="paper", status=ResponseStatus.REJECTED)
        make_response(assessment, channel="online", status=ResponseStatus.FLAGGED)
        counts = mode_counts([assessment.pk])[assessment.pk]
        assert counts == {"online": 1, "paper": 2, "interview": 1, "telephone": 2}
        with_flagged = mode_counts([assessment.pk], include_flagged=True)[assessment.pk]
        assert with_flagged["online"] == 2 and sum(with_flagged.values()) == 7
        status = sample_status(assessment)
        assert status.by_mode == counts and status.responses == 6
        assert status_counts(assessment)["mode_paper"] == 3  # every status, rejected included

    def test_an_assessment_without_responses_has_every_mode_at_zero(self):
        assessment = make_assessment()
        assert mode_counts([assessment.pk]) == {
            assessment.pk: {"online": 0, "paper": 0, "interview": 0, "telephone": 0}}


class OperatorPagesShowModesTests:
    def test_the_management_page_lists_counted_responses_per_mode(self, client, personas, interviewer):
        assessment = make_assessment(personas.org_a)
        make_response(assessment, channel="paper")
        interview(assessment, interviewer, mode="telephone")
        client.force_login(personas.operator)
        html = client.get(reverse("surveys:manage", args=[assessment.pk])).content.decode()
        assert "Учтённые анкеты по формам опроса" in html
        assert '<th scope="row">Телефонный опрос</th><td class="num">1</td>' in html
        assert '<th scope="row">Анкетирование на бумаге</th><td class="num">1</td>' in html
        assert '<th scope="row">Интервью</th><td class="num">0</td>' in html

    def test_the_campaign_overview_has_a_column_per_mode(self, client, personas, interviewer):
        campaign = make_campaign()
        assessment = make_assessment(personas.org_a, campaign)
        interview(assessment, interviewer)
        interview(assessment, interviewer)
        client.force_login(personas.ministry)
        html = client.get(reverse("surveys:campaign_overview", args=[campaign.pk])).content.decode()
        assert "из них по формам опроса" in html
        for label in ("онлайн", "на бумаге", "интервью", "по телефону"):
            assert f'<th scope="col" class="num">{label}</th>' in html
        row = html[html.index("КЦСОН Канавинского района</a>"):]
        # recipients, counted, then online, paper, interview, telephone
        cells = [c.split("<")[0] for c in row.split('<td class="num">')[1:7]]
        assert cells == ["200", "2", "0", "0", "2", "0"]


class PaperSheetModeTests:
    def test_a_sheet_filled_in_by_an_interviewer_is_an_interview(self, client, personas):
        assessment = make_assessment()
        client.force_login(personas.operator)
        url = reverse("surveys:paper_entry", args=[assessment.pk])
        answer = client.post(url, {"mode": "single", "number": "31", "filled_by": "2",
                                   **digits(ALL_YES_NO_SITE)})
        assert answer.status_code == 302 and "filled=2" in answer["Location"]
        response = Response.objects.get()
        assert (response.channel, response.mode, response.interviewer) == ("paper", "interview", None)
        # The next sheet of the pile starts with the same choice.
        again = client.get(answer["Location"]).content.decode()
        assert 'name="filled_by" value="2"' in again

    def test_a_sheet_without_the_cell_is_self_completed_and_a_wrong_digit_is_named(
        self, client, personas
    ):
        assessment = make_assessment()
        client.force_login(personas.operator)
        url = reverse("surveys:paper_entry", args=[assessment.pk])
        client.post(url, {"mode": "single", "number": "1", **digits(ALL_YES_NO_SITE)})
        assert Response.objects.get().mode == "paper"
        wrong = client.post(url, {"mode": "single", "number": "2", "filled_by": "7",
                                  **digits(ALL_YES_NO_SITE)})
        assert wrong.status_code == 400
        assert "Кто заполнил анкету: введите 1 (сам респондент) или 2" in wrong.content.decode()
        assert Response.objects.count() == 1

    def test_two_entries_disagreeing_on_who_filled_it_in_wait_for_resolution(
        self, client, personas
    ):
        assessment = make_assessment()
        second = make_operator("operator2")
        services.paper_sheet_enter(assessment=assessment, number="9", answers=ALL_YES_NO_SITE,
                                   user=personas.operator, mode="paper")
        sheet = services.paper_sheet_enter(assessment=assessment, number="9",
                                           answers=ALL_YES_NO_SITE, user=second, mode="interview")
        assert sheet.status == "mismatch" and sheet.mismatches == ["mode"]
        client.force_login(personas.operator)
        listing = client.get(reverse("surveys:paper_entry", args=[assessment.pk])).content.decode()
        assert "Анкета № 9</a> — расходятся: кто заполнил" in listing
        url = reverse("surveys:sheet_resolve", args=[sheet.pk])
        # The differing cell must be read from the sheet, not left to a default.
        blank = client.post(url, {"filled_by": "", **digits(ALL_YES_NO_SITE)})
        assert blank.status_code == 400
        client.post(url, {"filled_by": "2", **digits(ALL_YES_NO_SITE)})
        assert Response.objects.get().mode == "interview"
        assert PaperSheet.objects.get().mode == "interview"

    def test_matching_entries_keep_the_mode_they_agree_on(self, personas):
        assessment = make_assessment()
        second = make_operator("operator2")
        for user in (personas.operator, second):
            sheet = services.paper_sheet_enter(assessment=assessment, number="4",
                                               answers=ALL_YES_NO_SITE, user=user,
                                               mode="interview")
        assert sheet.status == "done" and sheet.response.mode == "interview"

    def test_the_same_number_typed_again_as_another_mode_is_not_taken_for_a_repeat(self, personas):
        assessment = make_assessment()
        services.paper_response_create(assessment=assessment, number="5",
                                       answers=ALL_YES_NO_SITE, user=personas.operator)
        with pytest.raises(ValidationError, match="уже введена"):
            services.paper_response_create(assessment=assessment, number="5",
                                           answers=ALL_YES_NO_SITE, user=personas.operator,
                                           mode="interview")


class ImportModeTests:
    def test_an_import_is_online_unless_the_upload_says_how_the_answers_were_collected(
        self, personas
    ):
        assessment = make_assessment()
        def export(answer: str) -> bytes:
            return ("Отметка времени;Удовлетворены ли Вы в целом условиями оказания услуг?\n"
                    f"{timezone.localdate():%Y-%m-%d} 10:00;{answer}\n").encode()

        online = services.import_job_create(assessment=assessment, filename="a.csv",
                                            content=export("Да"), user=personas.operator)
        paper = services.import_job_create(assessment=assessment, filename="b.csv",
                                           content=export("Нет"), user=personas.operator,
                                           mode="paper")
        for job in (online, paper):
            services.import_run(job=job, mapping={0: "__timestamp__", 1: "overall"},
                                user=personas.operator)
        modes = {r.answers["overall"]: r.mode for r in Response.objects.all()}
        assert modes == {"yes": "online", "no": "paper"}


@pytest.mark.django_db(transaction=True)
class MigrationTests:
    def test_existing_responses_and_counters_get_the_mode_of_their_channel(self):
        """Before: responses told apart by channel only. After the migration: web responses and
        form-service imports are online questionnaires, paper sheets paper ones."""
        executor = MigrationExecutor(connection)
        before, after = [("surveys", "0006_response_address_hash")], [("surveys", "0007_response_mode")]
        executor.migrate(before)
        executor.loader.build_graph()  # every other app stays as it is: its state as applied
        apps = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
        assessment = historical_assessment(apps)
        old_response = apps.get_model("surveys", "Response")
        old_tally = apps.get_model("surveys", "ResponseTally")
        for channel in ("online", "paper", "import", "double_entry"):
            old_response.objects.create(assessment=assessment, client_id=uuid.uuid4(),
                                        channel=channel, submitted_at=timezone.now())
            old_tally.objects.create(assessment=assessment, status="ok", channel=channel, n=1)

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        apps = executor.loader.project_state(after).apps
        modes = dict(apps.get_model("surveys", "Response").objects.values_list("channel", "mode"))
        tallies = dict(apps.get_model("surveys", "ResponseTally").objects.values_list("channel", "mode"))
        expected = {"online": "online", "import": "online", "paper": "paper",
                    "double_entry": "paper"}
        assert modes == expected and tallies == expected
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
