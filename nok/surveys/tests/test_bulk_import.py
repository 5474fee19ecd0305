"""The campaign-wide import of a form service's export: one file for every organization,
streamed, all or nothing, idempotent, counters exact."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from nok.assessments.models import Assessment, Campaign
from nok.assessments.services import FieldworkClosed
from nok.assessments.tests.factories import assessment_of, make_campaign
from nok.core.models import AuditEntry
from nok.organizations.tests.factories import make_organization
from nok.surveys import bulk_import
from nok.surveys.bulk_import import BulkImportRefused, survey_import_campaign
from nok.surveys.bulk_tasks import survey_import_file
from nok.surveys.imports import parse_timestamp
from nok.surveys.models import Response
from nok.surveys.services import import_job_create, import_run
from nok.surveys.tallies import tally_rebuild

pytestmark = pytest.mark.django_db

HEADER = [
    "ИНН организации",
    "Отметка времени",
    "Кем Вы являетесь?",
    "Пользовались ли Вы официальным сайтом организации, чтобы получить информацию о её "
    "деятельности?",
    "Удовлетворены ли Вы открытостью, полнотой и доступностью информации о деятельности "
    "организации, размещённой на её официальном сайте в сети «Интернет»?",
    "Своевременно ли Вам была предоставлена услуга?",
    "Ваши предложения",
]


@pytest.fixture
def region():
    """Three organizations in a campaign (one with an ИНН starting with 0), one outside it."""
    orgs = [make_organization(inn="5257000010"), make_organization(inn="5257000020"),
            make_organization(inn="0274000030")]
    make_organization(inn="5257000099")  # not in the campaign
    campaign = make_campaign(orgs)
    return campaign, [assessment_of(campaign, org) for org in orgs]


def rows_for(a1: Assessment, a2: Assessment, a3: Assessment) -> list[list[str]]:
    return [
        ["5257000010", "2025/04/12 10:23:45 GMT+3", "Получатель социальных услуг", "Да", "Нет",
         "Да", ""],
        ["5257000020", "12.04.2025 11:00:00",
         "Родственник (законный представитель) получателя социальных услуг", "Нет", "", "да",
         "Больше кружков"],
        [a3.survey_code, "2025-04-13 09:00:00", "Получатель социальных услуг", "Нет", "",
         "Нет", ""],
        ["5257000010", "2025-04-13 09:30:00", "Получатель социальных услуг", "Да", "Да", "Да",
         ""],
    ]


def write_csv(path: Path, rows, *, header=HEADER, delimiter=",", encoding="utf-8-sig") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def answers_of(assessment: Assessment) -> list[dict[str, str]]:
    return [r.given for r in
            Response.objects.filter(assessment=assessment).order_by("submitted_at")]


class ImportTests:
    def test_each_row_lands_in_its_organization_with_its_answers(self, region, tmp_path, personas):
        campaign, (a1, a2, a3) = region
        path = write_csv(tmp_path / "регион.csv", rows_for(a1, a2, a3))
        result = survey_import_campaign(campaign=campaign, path=path, user=personas.operator)
        assert (result.rows, result.imported, result.skipped, result.organizations) == (4, 4, 0, 3)
        assert answers_of(a1) == [
            {"respondent": "recipient", "used_site": "yes", "info_site": "no", "timely": "yes"},
            {"respondent": "recipient", "used_site": "yes", "info_site": "yes", "timely": "yes"},
        ]
        assert answers_of(a2) == [{"respondent": "relative", "used_site": "no", "timely": "yes",
                                   "suggestions": "Больше кружков"}]
        assert answers_of(a3) == [{"respondent": "recipient", "used_site": "no", "timely": "no"}]
        first = Response.objects.get(assessment=a1, source_ref="регион.csv, строка 2")
        assert first.submitted_at == datetime(2025, 4, 12, 7, 23, 45, tzinfo=UTC)
        assert (first.channel, first.mode, first.status) == ("import", "online", "ok")
        stored = Response.objects.get(assessment=a2)
        assert stored.answers["suggestions"] == ""  # counted as answered, without its text
        assert stored.texts == {"suggestions": "Больше кружков"}

    def test_the_counters_equal_a_recount_and_the_scores_become_stale(self, region, tmp_path):
        campaign, assessments = region
        versions = {a.pk: a.data_version for a in assessments}
        survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv",
                                                                 rows_for(*assessments)))
        assert tally_rebuild([a.pk for a in assessments]) == 0
        for a in Assessment.objects.filter(pk__in=versions):
            assert a.data_version > versions[a.pk]

    def test_a_reimport_adds_nothing(self, region, tmp_path):
        campaign, assessments = region
        path = write_csv(tmp_path / "r.csv", rows_for(*assessments))
        survey_import_campaign(campaign=campaign, path=path)
        again = survey_import_campaign(campaign=campaign, path=path)
        assert (again.imported, again.skipped) == (0, 4)
        assert Response.objects.count() == 4
        assert tally_rebuild([a.pk for a in assessments]) == 0

    def test_spaces_around_an_inn_are_read_and_a_row_of_spaces_neither_counts_nor_widens(
            self, region, tmp_path):
        """The scan reads a CSV's cells as written: the row of spaces, wider than the header,
        must not widen the rows' hashes (the same rows without it are then a re-import)."""
        campaign, assessments = region
        rows = rows_for(*assessments)
        spaced = [[f"  {rows[0][0]} ", *rows[0][1:]], *rows[1:], [" "] * (len(HEADER) + 2)]
        first = survey_import_campaign(campaign=campaign,
                                       path=write_csv(tmp_path / "spaced.csv", spaced))
        assert (first.rows, first.imported) == (4, 4)
        again = survey_import_campaign(campaign=campaign,
                                       path=write_csv(tmp_path / "plain.csv", rows))
        assert (again.imported, again.skipped) == (0, 4)

    def test_identical_rows_are_distinct_responses_and_still_not_doubled(self, region, tmp_path):
        campaign, assessments = region
        row = rows_for(*assessments)[0]
        path = write_csv(tmp_path / "r.csv", [row, row, row])
        assert survey_import_campaign(campaign=campaign, path=path).imported == 3
        assert survey_import_campaign(campaign=campaign, path=path).imported == 0
        assert Response.objects.count() == 3

    def test_a_slice_imported_per_organization_is_not_imported_twice(self, region, tmp_path):
        """Same client ids as ``import_run``: the organization's rows of the regional file,
        loaded first through the per-organization import, are skipped by the regional one,
        and left out of its counters."""
        campaign, (a1, a2, a3) = region
        rows = rows_for(a1, a2, a3)
        own = [r for r in rows if r[0] == "5257000010"]
        content = write_csv(tmp_path / "own.csv", own).read_bytes()
        job = import_job_create(assessment=a1, filename="own.csv", content=content, user=None)
        import_run(job=job, mapping={**{int(k): v for k, v in job.mapping.items()}, 0: ""},
                   user=None)
        result = survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv", rows))
        assert (result.imported, result.skipped) == (2, 2)
        assert Response.objects.filter(assessment=a1).count() == 2
        assert tally_rebuild([a1.pk, a2.pk, a3.pk]) == 0

    def test_a_first_import_looks_up_no_client_id(self, region, tmp_path, monkeypatch):
        """Only the organizations that had imported questionnaires can hold one of the file's
        client ids: for the others the look-up is left out."""
        campaign, assessments = region
        asked: list[list[str]] = []
        known = bulk_import._Writer.known
        monkeypatch.setattr(bulk_import._Writer, "known",
                            lambda self, ids: asked.append(ids) or known(self, ids))
        path = write_csv(tmp_path / "r.csv", rows_for(*assessments))
        assert survey_import_campaign(campaign=campaign, path=path).imported == 4
        assert asked == [[]]
        again = survey_import_campaign(campaign=campaign, path=path)
        assert (again.imported, again.skipped, [len(ids) for ids in asked]) == (0, 4, [0, 4])

    def test_the_import_is_written_in_the_journal(self, region, tmp_path, personas):
        campaign, assessments = region
        survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv",
                                                                 rows_for(*assessments)),
                               user=personas.operator)
        entry = AuditEntry.objects.get(action="import", campaign_id=campaign.pk)
        assert entry.after["imported"] == 4 and entry.after["file"] == "r.csv"
        assert entry.user == personas.operator

    def test_chunks_smaller_than_the_file_give_the_same_result(self, region, tmp_path,
                                                                monkeypatch):
        monkeypatch.setattr(bulk_import, "CHUNK", 3)
        campaign, assessments = region
        rows = rows_for(*assessments) * 2  # the doubles get repeat numbers across chunks
        result = survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv", rows))
        assert (result.imported, result.skipped) == (8, 0)
        assert tally_rebuild([a.pk for a in assessments]) == 0


class FileFormatTests:
    def test_a_windows_1251_csv_with_semicolons_is_read(self, region, tmp_path):
        campaign, assessments = region
        path = write_csv(tmp_path / "r.csv", rows_for(*assessments), delimiter=";",
                         encoding="cp1251")
        assert survey_import_campaign(campaign=campaign, path=path).imported == 4
        assert answers_of(assessments[1])[0]["suggestions"] == "Больше кружков"

    def test_an_xlsx_is_read_with_an_inn_that_lost_its_leading_zero(self, region, tmp_path):
        campaign, (a1, a2, a3) = region
        rows = rows_for(a1, a2, a3)
        rows[2][0] = "0274000030"
        path = tmp_path / "регион.xlsx"
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet()
        for r, row in enumerate([HEADER, *rows]):
            for c, value in enumerate(row):
                if c == 0 and r:
                    sheet.write_number(r, c, int(value))  # Excel took the ИНН for a number
                else:
                    sheet.write_string(r, c, value)
        book.close()
        result = survey_import_campaign(campaign=campaign, path=path)
        assert (result.imported, result.organizations) == (4, 3)
        assert answers_of(a3) == [{"respondent": "recipient", "used_site": "no", "timely": "no"}]

    def test_an_xlsx_larger_than_an_upload_is_refused_with_the_advice_to_save_it_as_csv(
            self, region, tmp_path, monkeypatch):
        campaign, assessments = region
        path = tmp_path / "регион.xlsx"
        book = xlsxwriter.Workbook(str(path))
        sheet = book.add_worksheet()
        for r, row in enumerate([HEADER, *rows_for(*assessments)]):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
        book.close()
        monkeypatch.setattr(bulk_import, "XLSX_MAX_BYTES", path.stat().st_size - 1)
        with pytest.raises(ValidationError) as refused:
            survey_import_campaign(campaign=campaign, path=path)
        assert "CSV UTF-8" in refused.value.message_dict["file"][0]
        assert not Response.objects.filter(assessment__campaign=campaign).exists()
        monkeypatch.setattr(bulk_import, "XLSX_MAX_BYTES", path.stat().st_size)
        assert survey_import_campaign(campaign=campaign, path=path).imported == 4

    def test_the_organization_column_may_be_named(self, region, tmp_path):
        campaign, assessments = region
        header = ["Учреждение", *HEADER[1:]]
        path = write_csv(tmp_path / "r.csv", rows_for(*assessments), header=header)
        with pytest.raises(Exception, match="столбц"):
            survey_import_campaign(campaign=campaign, path=path)
        result = survey_import_campaign(campaign=campaign, path=path, org_column="учреждение")
        assert result.imported == 4


class RefusalTests:
    def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(self, region, tmp_path):
        campaign, assessments = region
        rows = rows_for(*assessments)
        rows[1][5] = "Возможно"
        rows[2][0] = "5257000099"  # an organization outside the campaign
        rows[3][1] = "вчера"
        with pytest.raises(BulkImportRefused) as refused:
            survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv", rows))
        messages = [str(e) for e in refused.value.row_errors]
        assert messages == [
            "Строка 3, столбец «Своевременно ли Вам была предоставлена услуга?»: ответ "
            "«Возможно» не из списка («Да», «Нет»)",
            "Строка 4, столбец «ИНН организации»: организация «5257000099» не участвует в "
            "кампании",
            "Строка 5, столбец «Отметка времени»: не удалось разобрать дату и время «вчера»",
        ]
        assert refused.value.total == 3
        assert Response.objects.count() == 0
        assert not AuditEntry.objects.filter(action="import").exists()

    def test_a_bad_row_after_rows_already_written_undoes_them_all(self, region, tmp_path,
                                                                  monkeypatch):
        """Each row is checked as it is written: the chunks before the wrong row reached the
        database, and its transaction takes them back with their counters and stale marks."""
        monkeypatch.setattr(bulk_import, "CHUNK", 2)
        campaign, assessments = region
        versions = {a.pk: a.data_version for a in assessments}
        rows = [list(row) for row in rows_for(*assessments) * 3]
        rows[9][3] = "Может быть"  # row 11 of the file, after four chunks of two rows
        rows[10][1] = "вчера"
        with pytest.raises(BulkImportRefused) as refused:
            survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv", rows))
        assert [str(e) for e in refused.value.row_errors] == [
            "Строка 11, столбец «Пользовались ли Вы официальным сайтом организации, чтобы "
            "получить информацию о её деятельности?»: ответ «Может быть» не из списка («Да», "
            "«Нет»)",
            "Строка 12, столбец «Отметка времени»: не удалось разобрать дату и время «вчера»",
        ]
        assert not Response.objects.exists()
        assert tally_rebuild([a.pk for a in assessments]) == 0  # no counter was left behind
        assert {a.pk: a.data_version for a in Assessment.objects.filter(pk__in=versions)} \
            == versions

    def test_only_the_first_errors_are_kept_but_all_are_counted(self, region, tmp_path,
                                                                monkeypatch):
        monkeypatch.setattr(bulk_import, "REPORTED_ERRORS", 2)
        campaign, assessments = region
        rows = [["1111111111", *r[1:]] for r in rows_for(*assessments)]
        with pytest.raises(BulkImportRefused) as refused:
            survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv", rows))
        assert (len(refused.value.row_errors), refused.value.total) == (2, 4)

    def test_a_closed_campaign_refuses_the_file(self, region, tmp_path):
        campaign, assessments = region
        Campaign.objects.filter(pk=campaign.pk).update(status="review")
        with pytest.raises(FieldworkClosed):
            survey_import_campaign(campaign=campaign, path=write_csv(tmp_path / "r.csv",
                                                                     rows_for(*assessments)))
        assert Response.objects.count() == 0


class CommandTests:
    def test_it_prints_the_result(self, region, tmp_path):
        campaign, assessments = region
        out = io.StringIO()
        call_command("survey_import", campaign.pk,
                     str(write_csv(tmp_path / "r.csv", rows_for(*assessments))),
                     "--mode", "paper", stdout=out)
        assert "Загружено анкет: 4; уже были загружены: 0" in out.getvalue()
        assert set(Response.objects.values_list("mode", flat=True)) == {"paper"}

    def test_it_prints_the_row_errors_and_exits_with_2(self, region, tmp_path):
        campaign, assessments = region
        rows = rows_for(*assessments)
        rows[0][2] = "Сосед"
        err = io.StringIO()
        with pytest.raises(CommandError, match="ошибок в строках — 1") as refused:
            call_command("survey_import", campaign.pk,
                         str(write_csv(tmp_path / "r.csv", rows)), stderr=err)
        assert refused.value.returncode == 2
        assert "Строка 2, столбец «Кем Вы являетесь?»: ответ «Сосед» не из списка" in err.getvalue()


@pytest.mark.django_db(transaction=True)
class BackgroundTaskTests:
    def test_the_worker_imports_the_file_and_returns_the_counts(self, region, tmp_path,
                                                                 run_tasks):
        campaign, assessments = region
        path = write_csv(tmp_path / "r.csv", rows_for(*assessments))
        result = survey_import_file.enqueue(campaign.pk, str(path))
        assert run_tasks() == 1
        result.refresh()
        assert result.return_value == {"rows": 4, "imported": 4, "skipped": 0,
                                       "organizations": 3, "flags": 0}

    def test_a_refusal_is_returned_with_its_row_errors(self, region, tmp_path, run_tasks):
        campaign, assessments = region
        rows = rows_for(*assessments)
        rows[0][3] = "Иногда"
        result = survey_import_file.enqueue(campaign.pk, str(write_csv(tmp_path / "r.csv", rows)))
        run_tasks()
        result.refresh()
        assert result.return_value["refused"] == 1
        assert result.return_value["errors"][0].startswith("Строка 2, столбец «Пользовались")
        assert Response.objects.count() == 0


class DateShortcutTests:
    CELLS = ["12.04.2025 11:00:00", "13.04.2025 09:05:07", "1.5.2025 9:00:00", "2025-04-13 09:00:00",
             "2025-04-14 10:00:00", "2025/04/12 10:23:45 GMT+3", "14.04.2025 23:59:59",
             "14.04.2025", "31.02.2025 10:00:00", "2025-04-14T10:00:00"]

    def test_the_remembered_format_reads_every_cell_as_parse_timestamp_does(self):
        moments = bulk_import._Moments()
        assert [moments.parse(c) for c in self.CELLS] == [parse_timestamp(c) for c in self.CELLS]
