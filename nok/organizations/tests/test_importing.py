"""Parsing import rows (pure) and reading real XLSX/CSV files."""

from __future__ import annotations

import csv
import io

import pytest
import xlsxwriter

from nok.core.tabular import read_rows
from nok.organizations.importing import COLUMNS, SHEET, fold, parse_rows

HEADER = [c.title for c in COLUMNS]
TYPES = {fold("Центры социального обслуживания населения"): "Центры социального обслуживания населения",
         fold("ЦСОН"): "Центры социального обслуживания населения"}


def row(**values: object) -> list[object]:
    base: dict[str, object] = {"name": "ГБУ «КЦСОН № 1»", "type": "ЦСОН"}
    base.update(values)
    return [base.get(c.key, "") for c in COLUMNS]


def parse(rows: list[list[object]], *, inns: set[str] = frozenset(), names: set[str] = frozenset()):
    return parse_rows([HEADER, *rows], type_names=TYPES, existing_inns=inns, existing_names=names)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Организации")
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


class ParseRowsTests:
    def test_it_turns_a_good_row_into_a_record_for_creation(self) -> None:
        result = parse([row(inn="7707083893", forms="полустационарная; надомная",
                            recipients_semi_stationary=60, recipients_home="140",
                            website="Kcson1.ru/")])
        assert result.errors == []
        (record,) = result.records
        assert record.row == 2 and record.action == "create"
        assert record.data["type"] == "Центры социального обслуживания населения"
        assert record.data["has_semi_stationary"] and record.data["has_home"]
        assert not record.data["has_stationary"]
        assert record.data["recipients_home"] == 140
        assert record.data["website"] == "https://kcson1.ru"

    def test_it_marks_a_row_with_a_known_inn_as_an_update(self) -> None:
        result = parse([row(inn="7707083893")], inns={"7707083893"})
        assert [r.action for r in result.records] == ["update"]
        assert (result.created, result.updated) == (0, 1)

    def test_it_names_row_and_column_of_each_error(self) -> None:
        result = parse([
            row(),
            row(name="", type="Дом престарелых"),
            row(inn="7707083894", recipients_home=-3, forms="на дому; амбулаторная"),
        ])
        assert [(e.row, e.column) for e in result.errors] == [
            (3, "Полное наименование"),
            (3, "Тип организации"),
            (4, "ИНН"),
            (4, "Получателей: надомная"),
            (4, "Формы обслуживания"),
        ]
        messages = [e.message for e in result.errors]
        assert "неизвестный тип «Дом престарелых»; типы перечислены в шаблоне" in messages
        assert "число получателей не может быть отрицательным" in messages
        assert any("«амбулаторная»" in m for m in messages)
        assert str(result.errors[2]) == (
            "Строка 4, столбец «ИНН»: неверное контрольное число ИНН: «7707083894»")

    def test_it_reports_an_inn_repeated_in_the_file(self) -> None:
        result = parse([row(inn="7707083893"), row(name="Другая", inn="7707083893")])
        assert [(e.row, e.column, e.message) for e in result.errors] == [
            (3, "ИНН", "ИНН 7707083893 уже указан в строке 2")]

    def test_it_reports_a_row_without_inn_duplicating_a_registry_name(self) -> None:
        result = parse([row(name="ГБУ  «КЦСОН № 1» ")], names={fold("гбу «кцсон № 1»")})
        assert result.errors[0].column == "Полное наименование"
        assert "уже есть в реестре" in result.errors[0].message

    def test_it_reports_a_missing_required_column_on_the_header_row(self) -> None:
        result = parse_rows([["Полное наименование", "ИНН"], ["A", ""]], type_names=TYPES,
                            existing_inns=set(), existing_names=set())
        assert [(e.row, e.column) for e in result.errors] == [(1, "Тип организации")]
        assert result.records == []

    def test_it_skips_empty_and_example_rows(self) -> None:
        result = parse([[""] * len(HEADER), row(name="Пример: ГБУ «Образец»")])
        assert result.records == []
        assert [e.message for e in result.errors] == ["в файле нет ни одной организации"]

    def test_it_infers_forms_from_recipients_when_forms_are_empty(self) -> None:
        result = parse([row(recipients_stationary=25.0)])
        assert result.records[0].data["has_stationary"] is True
        assert result.records[0].data["has_home"] is False

    def test_it_rejects_recipients_for_a_form_not_listed(self) -> None:
        result = parse([row(forms="надомная", recipients_stationary=5)])
        assert [(e.column) for e in result.errors] == ["Получателей: стационарная"]

    def test_it_rejects_fractional_recipients_and_bad_websites(self) -> None:
        result = parse([row(recipients_home=2.5, forms="надомная", website="http://")])
        assert {e.column for e in result.errors} == {"Получателей: надомная", "Сайт"}

    def test_it_restores_the_leading_zero_of_a_numeric_inn(self) -> None:
        # 0500100733: 0·2 + 5·4 + 0·10 + 0·3 + 1·5 + 0·9 + 0·4 + 7·6 + 3·8 = 91; 91 mod 11 = 3.
        # Typed as a number, the spreadsheet cell holds 500100733 (nine digits).
        result = parse([row(inn=500100733.0)])
        assert result.errors == []
        assert result.records[0].data["inn"] == "0500100733"


class ReadAndParseTests:
    """The registry's files through the one reader of tables (``nok.core.tabular``)."""

    def test_it_reads_the_organizations_sheet_with_numbers_as_numbers(self) -> None:
        rows = list(read_rows("orgs.XLSX", xlsx_bytes([HEADER, row(inn=7707083893,
                                                                     recipients_home=5)]),
                              sheet=SHEET))
        assert rows[0] == HEADER
        assert rows[1][2] == 7707083893

    def test_a_generator_of_rows_is_parsed_like_a_list(self) -> None:
        content = xlsx_bytes([HEADER, row(inn="7707083893"), row(name="ГБУ «КЦСОН № 2»")])
        result = parse_rows(read_rows("orgs.xlsx", content, sheet=SHEET), type_names=TYPES,
                            existing_inns=set(), existing_names=set())
        assert result.errors == []
        assert [r.row for r in result.records] == [2, 3]

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
    @pytest.mark.parametrize("delimiter", [";", ","])
    def test_it_reads_csv_in_both_encodings_and_separators(self, encoding: str, delimiter: str) -> None:
        lines = [HEADER, row(name="ГБУ «Центр, помощь»", inn="7707083893")]
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows(lines)
        rows = list(read_rows("orgs.csv", buffer.getvalue().encode(encoding)))
        assert rows[1][0] == "ГБУ «Центр, помощь»"
        assert rows[1][2] == "7707083893"
