"""A tiny XLSX naming a far-away cell must be refused before python-calamine opens it."""

from __future__ import annotations

import io

import pytest
import xlsxwriter

from nok.core.spreadsheets import SpreadsheetTooLarge, check_xlsx_bounds


def workbook(*cells: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Организации")
    sheet.write_row(0, 0, ["Наименование", "Ответ"])
    sheet.write_row(1, 0, ["ГБУ «КЦСОН»", "да"])
    for row, col in cells:
        sheet.write_string(row, col, "z")
    book.close()
    return buffer.getvalue()


class SpreadsheetBoundsTests:
    def test_it_lets_an_ordinary_workbook_through(self) -> None:
        check_xlsx_bounds(workbook((500, 20)))

    def test_it_refuses_a_cell_at_the_last_row_and_column(self) -> None:
        content = workbook((1_048_575, 16_383))
        assert len(content) < 10_000
        with pytest.raises(SpreadsheetTooLarge, match="XFD1048576"):
            check_xlsx_bounds(content)

    def test_it_ignores_files_that_are_not_zip_archives(self) -> None:
        check_xlsx_bounds(b"a,b\n1,2\n")

    def test_both_importers_refuse_the_bomb_with_a_message(self) -> None:
        from nok.organizations.importing import ImportFileError as OrgError
        from nok.organizations.importing import read_table as org_table
        from nok.surveys.imports import ImportFileError as SurveyError
        from nok.surveys.imports import read_table as survey_table

        content = workbook((1_048_575, 16_383))
        with pytest.raises(OrgError, match="слишком велика"):
            org_table("orgs.xlsx", content)
        with pytest.raises(SurveyError, match="слишком велика"):
            survey_table("answers.xlsx", content)

    @pytest.mark.parametrize("name", ["orgs.xls", "orgs.ods"])
    def test_both_importers_refuse_formats_that_cannot_be_checked_first(self, name: str) -> None:
        from nok.organizations.importing import ImportFileError as OrgError
        from nok.organizations.importing import read_table as org_table
        from nok.surveys.imports import ImportFileError as SurveyError
        from nok.surveys.imports import read_table as survey_table

        with pytest.raises(OrgError, match="сохраните как XLSX"):
            org_table(name, b"not read at all")
        with pytest.raises(SurveyError, match="сохраните как XLSX"):
            survey_table(name, b"not read at all")
