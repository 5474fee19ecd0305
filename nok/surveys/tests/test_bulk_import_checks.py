"""The campaign-wide import at scale: the quality checks of every organization run together
and flag exactly what the per-organization checks flag, the counters stay equal to a recount
of the raw answers, and the pieces that make it fast give the same results as the plain
ones (client ids, counter upserts, the reading thread)."""

from __future__ import annotations

import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from nok.assessments.models import Assessment, Campaign
from nok.assessments.services import FieldworkClosed, fieldwork_guard
from nok.assessments.tests.factories import assessment_of, make_campaign
from nok.organizations.tests.factories import make_organization
from nok.surveys import bulk_import, tallies
from nok.surveys.bulk_import import import_client_id, survey_import_campaign
from nok.surveys.models import Flag, Response, ResponseStatus
from nok.surveys.services import SURVEY_NAMESPACE, flags_apply
from nok.surveys.tallies import tally_rebuild
from nok.surveys.tests.test_bulk_import import write_csv

pytestmark = pytest.mark.django_db

INNS = ("5257000010", "5257000020", "5257000030")
ANSWERS = ["Получатель социальных услуг", "Да", "Да", "Да", ""]


def burst_rows() -> list[list[str]]:
    """Sixteen questionnaires of the first organization within 7.5 minutes (more than 15 in
    10 minutes: a burst, every one of them flagged), one of the second organization sent
    after the campaign period (1 March – 30 November 2025), one ordinary of the third."""
    start = datetime(2025, 4, 12, 10, 0, 0)
    rows = [[INNS[0], (start + timedelta(seconds=30 * i)).strftime("%d.%m.%Y %H:%M:%S"),
             *ANSWERS] for i in range(16)]
    rows.append([INNS[1], "15.12.2025 12:00:00", *ANSWERS])
    rows.append([INNS[2], "20.05.2025 12:00:00", *ANSWERS])
    return rows


@pytest.fixture
def campaign():
    return make_campaign([make_organization(inn=inn) for inn in INNS])


def statuses(campaign: Campaign) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {inn: [] for inn in INNS}
    for inn, status in Response.objects.filter(assessment__campaign=campaign).order_by(
            "source_ref").values_list("assessment__organization__inn", "status"):
        found[inn].append(status)
    return found


def flags_of(campaign: Campaign) -> set[tuple[str, str, str, str]]:
    """(ИНН, row of the file, kind, detail) of every flag of the campaign."""
    return set(Flag.objects.filter(response__assessment__campaign=campaign).values_list(
        "response__assessment__organization__inn", "response__source_ref", "kind", "detail"))


class QualityChecksTests:
    def test_a_burst_and_a_late_questionnaire_are_flagged_and_the_counters_equal_a_recount(
            self, campaign, tmp_path):
        result = survey_import_campaign(campaign=campaign,
                                        path=write_csv(tmp_path / "r.csv", burst_rows()))
        assert statuses(campaign) == {INNS[0]: ["flagged"] * 16, INNS[1]: ["flagged"],
                                      INNS[2]: ["ok"]}
        kinds = {(inn, kind) for inn, _, kind, _ in flags_of(campaign)}
        assert (INNS[0], "burst_org") in kinds and (INNS[1], "outside_period") in kinds
        assert not any(inn == INNS[2] for inn, _ in kinds)
        assert result.flags == len(flags_of(campaign))
        ids = list(campaign.assessments.values_list("pk", flat=True))
        assert tally_rebuild(ids) == 0  # the counters equal the recount from raw answers

    @pytest.mark.parametrize("batch", [bulk_import.FLAGS_BATCH, 2])
    def test_the_flags_are_those_the_checks_of_each_organization_give(self, tmp_path, batch,
                                                                      monkeypatch):
        """The same file into two campaigns of the same organizations: checked together by
        the import in one, by ``flags_apply`` per organization in the other (the flags
        written a batch at a time, batches of two too)."""
        monkeypatch.setattr(bulk_import, "FLAGS_BATCH", batch)
        organizations = [make_organization(inn=inn) for inn in INNS]
        together = make_campaign(organizations, title="Все вместе")
        one_by_one = make_campaign(organizations, title="По одной")
        path = write_csv(tmp_path / "r.csv", burst_rows())
        survey_import_campaign(campaign=together, path=path)
        survey_import_campaign(campaign=one_by_one, path=path, flags=False)
        assert not flags_of(one_by_one)
        for organization in organizations:
            flags_apply(assessment=assessment_of(one_by_one, organization))
        assert flags_of(together) == flags_of(one_by_one) != set()
        assert statuses(together) == statuses(one_by_one)
        ids = list(Assessment.objects.values_list("pk", flat=True))
        assert tally_rebuild(ids) == 0

    def test_organizations_with_and_without_earlier_questionnaires_are_flagged_alike(
            self, tmp_path):
        """The first organization had a questionnaire before the file (its checks read its
        rows back), the others none (checked from the rows kept while reading): both give
        what ``flags_apply`` per organization gives."""
        organizations = [make_organization(inn=inn) for inn in INNS]
        together = make_campaign(organizations, title="Все вместе")
        one_by_one = make_campaign(organizations, title="По одной")
        earlier = write_csv(tmp_path / "earlier.csv",
                            [[INNS[0], "12.04.2025 10:01:15", *ANSWERS]])
        path = write_csv(tmp_path / "r.csv", burst_rows()[1:])  # fifteen, a burst with it
        for campaign, flags in ((together, True), (one_by_one, False)):
            survey_import_campaign(campaign=campaign, path=earlier, flags=flags)
            survey_import_campaign(campaign=campaign, path=path, flags=flags)
        for organization in organizations:
            flags_apply(assessment=assessment_of(one_by_one, organization))
        assert statuses(together) == statuses(one_by_one) == {
            INNS[0]: ["flagged"] * 16, INNS[1]: ["flagged"], INNS[2]: ["ok"]}
        assert flags_of(together) == flags_of(one_by_one)
        ids = list(Assessment.objects.values_list("pk", flat=True))
        assert tally_rebuild(ids) == 0

    def test_a_reviewed_questionnaire_gets_its_flag_but_keeps_the_decision(self, campaign,
                                                                          tmp_path):
        rows = burst_rows()
        path = write_csv(tmp_path / "r.csv", rows[:15])  # fifteen: no burst yet
        survey_import_campaign(campaign=campaign, path=path)
        first = Response.objects.get(source_ref="r.csv, строка 2")
        Response.objects.filter(pk=first.pk).update(status=ResponseStatus.ACCEPTED)
        tally_rebuild([first.assessment_id])
        survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv", rows))
        first.refresh_from_db()
        assert first.status == ResponseStatus.ACCEPTED
        assert first.flags.filter(kind="burst_org").exists()
        assert Response.objects.filter(assessment_id=first.assessment_id,
                                       status=ResponseStatus.FLAGGED).count() == 15
        assert tally_rebuild(list(campaign.assessments.values_list("pk", flat=True))) == 0


class CountersTests:
    def test_the_counters_are_exact_when_written_as_arrays(self, campaign, tmp_path,
                                                           monkeypatch):
        """On PostgreSQL a large counter upsert sends one array per column (forced here for
        every size); elsewhere the same test covers the plain upsert."""
        monkeypatch.setattr(tallies, "UNNEST_FROM", 0)
        survey_import_campaign(campaign=campaign,
                               path=write_csv(tmp_path / "r.csv", burst_rows()))
        again = write_csv(tmp_path / "more.csv", [[INNS[2], "21.05.2025 12:00:00",
                                                    "Получатель социальных услуг", "Нет",
                                                    "", "Да", ""]])
        survey_import_campaign(campaign=campaign, path=again)  # adds to existing counters
        assert tally_rebuild(list(campaign.assessments.values_list("pk", flat=True))) == 0


    def test_the_counters_hold_each_answer_of_the_written_rows(self, campaign, tmp_path):
        """Worked out by hand: three identical questionnaires of the first organization; two
        of the second, one without «info_site», one with a free-text suggestion (counted
        under the value "")."""
        rows = [[INNS[0], "12.04.2025 10:00:00", *ANSWERS],
                [INNS[0], "12.04.2025 11:00:00", *ANSWERS],
                [INNS[1], "12.04.2025 12:00:00", "Получатель социальных услуг", "Нет", "", "Да",
                 ""],
                [INNS[1], "12.04.2025 13:00:00", *ANSWERS[:-1], "Всё хорошо"],
                [INNS[0], "12.04.2025 14:00:00", *ANSWERS]]
        survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv", rows),
                               flags=False)
        first, second = (Assessment.objects.get(campaign=campaign, organization__inn=inn)
                         for inn in INNS[:2])
        kept = tallies.stored([first.pk, second.pk])[1]
        assert {k[2:]: n for k, n in kept.items() if k[0] == first.pk} == {
            ("respondent", "recipient"): 3, ("used_site", "yes"): 3, ("info_site", "yes"): 3,
            ("timely", "yes"): 3}
        assert {k[2:]: n for k, n in kept.items() if k[0] == second.pk} == {
            ("respondent", "recipient"): 2, ("used_site", "no"): 1, ("used_site", "yes"): 1,
            ("info_site", "yes"): 1, ("timely", "yes"): 2, ("suggestions", ""): 1}
        assert tally_rebuild([first.pk, second.pk]) == 0


class CheckedRowsTests:
    def test_the_moments_read_for_the_checks_are_the_stored_ones_to_the_microsecond(
            self, campaign, tmp_path):
        """(On PostgreSQL they travel as microseconds since 1970, a moment before it too.)"""
        survey_import_campaign(campaign=campaign, flags=False,
                               path=write_csv(tmp_path / "r.csv", burst_rows()[:3]))
        first, second, third = Response.objects.order_by("pk")
        moments = [datetime(2025, 4, 12, 7, 0, 0, 123456, tzinfo=UTC),
                   datetime(1969, 12, 31, 23, 59, 58, 999999, tzinfo=UTC),
                   datetime(2025, 4, 12, 7, 0, 59, 1, tzinfo=UTC)]
        for response, moment in zip((first, second, third), moments, strict=True):
            Response.objects.filter(pk=response.pk).update(submitted_at=moment)
        ids = list(campaign.assessments.values_list("pk", flat=True))
        read = {row[2]: bulk_import._moment(row[3]) for row in bulk_import._checked_rows(ids)}
        assert read == {first.pk: moments[0], second.pk: moments[1], third.pk: moments[2]}


class FreeTextTests:
    def test_a_free_text_answer_keeps_its_tabs_line_breaks_and_backslashes(self, campaign,
                                                                         tmp_path):
        text = "Первая строка\nвторая\tпосле табуляции, C:\\папка\\ и \\N"
        rows = [[INNS[0], "12.04.2025 10:00:00", *ANSWERS[:-1], text]]
        survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv", rows))
        response = Response.objects.get()
        assert response.given["suggestions"] == text
        assert response.given["respondent"] == "recipient"


class ClientIdTests:
    @pytest.mark.parametrize(("assessment_id", "digest", "repeat"), [
        (1, "0" * 64, 0), (4821, "ab" * 32, 3), (10**9, "f" * 64, 12)])
    def test_it_is_the_uuid5_of_the_per_organization_import(self, assessment_id, digest,
                                                             repeat):
        expected = uuid.uuid5(SURVEY_NAMESPACE, f"import:{assessment_id}:{digest}:{repeat}")
        assert import_client_id(assessment_id, digest, repeat) == expected.hex


class GuardOfManyTests:
    def test_it_marks_every_assessment_stale_in_a_few_queries(self, campaign,
                                                              django_assert_num_queries):
        assessments = list(campaign.assessments.order_by("pk"))
        with transaction.atomic(), django_assert_num_queries(3):  # lock, mark, status
            fieldwork_guard([a.pk for a in assessments])
        for before in assessments:
            after = Assessment.objects.get(pk=before.pk)
            assert after.data_version == before.data_version + 1

    def test_one_assessment_still_costs_two_queries(self, campaign, django_assert_num_queries):
        pk = campaign.assessments.first().pk
        with transaction.atomic(), django_assert_num_queries(2):  # mark, status
            fieldwork_guard(pk)

    def test_a_closed_campaign_refuses_and_marks_nothing(self, campaign):
        Campaign.objects.filter(pk=campaign.pk).update(status="review")
        versions = dict(campaign.assessments.values_list("pk", "data_version"))
        with pytest.raises(FieldworkClosed):
            with transaction.atomic():
                fieldwork_guard(list(versions))
        assert dict(campaign.assessments.values_list("pk", "data_version")) == versions


class ReadingThreadTests:
    def test_the_chunks_arrive_in_order(self):
        assert list(bulk_import._in_background(iter([[1], [2], [3]]))) == [[1], [2], [3]]

    def test_an_error_of_the_reader_is_raised_to_the_writer_after_the_chunks_before_it(self):
        def chunks():
            yield [1]
            raise bulk_import.BulkImportRefused([], 1)

        received = []
        with pytest.raises(bulk_import.BulkImportRefused):
            for chunk in bulk_import._in_background(chunks()):
                received.append(chunk)
        assert received == [[1]]

    def test_a_writer_that_stops_early_stops_the_reader(self):
        produced = []

        def chunks():
            for n in range(1000):
                produced.append(n)
                yield [n]

        background = bulk_import._in_background(chunks())
        assert next(background) == [0]
        background.close()
        assert len(produced) <= 2 + bulk_import.AHEAD

    def test_a_writer_that_stops_while_the_reader_fails_with_a_full_queue_is_not_blocked(self):
        def chunks():
            yield [1]
            yield [2]
            yield [3]
            raise ValueError("the reader failed")

        background = bulk_import._in_background(chunks())
        assert next(background) == [1]
        time.sleep(0.3)  # [2] and [3] fill the queue; the reader's error waits to be handed
        closing = threading.Thread(target=background.close)
        closing.start()
        closing.join(timeout=10)
        assert not closing.is_alive()


    def test_the_threads_switch_quickly_while_it_runs_and_as_before_after(self):
        before = sys.getswitchinterval()
        seen = []
        outer = bulk_import._in_background(iter([[1], [2]]))
        seen.append(next(outer))
        inner = bulk_import._in_background(iter([[3]]))  # a second import at the same time
        assert list(inner) == [[3]]
        assert sys.getswitchinterval() == bulk_import.SWITCH_INTERVAL  # the first still runs
        seen.extend(outer)
        assert seen == [[1], [2]] and sys.getswitchinterval() == before
