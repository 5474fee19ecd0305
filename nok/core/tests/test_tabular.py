"""The one reader of uploaded tables: CSV in every encoding we accept, XLSX through a child
process, hostile files refused with a Russian message while this process goes on."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

import pytest
import xlsxwriter

from nok.core import tabular
from nok.core.tabular import Limits, TableError, read_rows
from nok.core.tests import hostile

TOO_LARGE = "файл слишком большой или повреждён"


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def workbook(sheets: dict[str, list[tuple[int, int, object]]]) -> bytes:
    """An XLSX written by xlsxwriter: sheet name -> (row, column, value) cells."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    dated = book.add_format({"num_format": "dd.mm.yyyy"})
    for name, cells in sheets.items():
        sheet = book.add_worksheet(name)
        for row, col, value in cells:
            if isinstance(value, date):
                sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), dated)
            else:
                sheet.write(row, col, value)
    book.close()
    return buffer.getvalue()


class CsvTests:
    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
    @pytest.mark.parametrize("delimiter", [";", ",", "\t"])
    def test_it_reads_every_encoding_and_delimiter(self, encoding: str, delimiter: str) -> None:
        rows = [["Наименование", "ИНН"], ["ГБУ «Центр; помощь, семья»", "7707083893"]]
        assert list(read_rows("orgs.csv", csv_bytes(rows, encoding, delimiter))) == rows

    def test_utf_16_is_recognised_by_its_bom(self) -> None:
        content = csv_bytes([["Вопрос"], ["да"]], "utf-16")
        assert content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        assert list(read_rows("answers.txt", content)) == [["Вопрос"], ["да"]]

    def test_it_refuses_a_byte_that_is_text_in_neither_encoding_naming_the_line(self) -> None:
        # 0x98 is unassigned in Windows-1251 and cannot start a UTF-8 sequence.
        content = "Наименование;ИНН\nГБУ;1\n".encode("cp1251") + b"\x98\n"
        with pytest.raises(TableError) as caught:
            read_rows("orgs.csv", content)
        assert "в строке 3 файла есть байт 0x98" in str(caught.value)
        assert "UTF-8" in str(caught.value)

    def test_it_reads_a_field_longer_than_the_csv_modules_default_limit(self) -> None:
        long = "я" * 200_000  # csv refuses fields over 131,072 characters by default
        rows = list(read_rows("answers.csv", csv_bytes([["Предложения"], [long]])))
        assert len(rows[1][0]) == 200_000

    def test_a_field_over_the_stated_limit_names_row_and_column_after_the_rows_before_it(
        self,
    ) -> None:
        content = csv_bytes([["A", "B"], ["1", "2"], ["3", "x" * 101]])
        rows = read_rows("t.csv", content, limits=Limits(cell_chars=100))
        assert next(rows) == ["A", "B"]
        assert next(rows) == ["1", "2"]  # a stream: the rows before the bad one come first
        with pytest.raises(TableError, match="Строка 3, столбец B: в ячейке 101 знак, "
                                             "допускается не более 100"):
            next(rows)

    @pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
    def test_it_refuses_a_nul_character_naming_the_line(self, encoding: str) -> None:
        content = "Наименование\nГБУ\n".encode(encoding) + b"\x00\n"
        with pytest.raises(TableError, match="Строка 3 файла: нулевой символ"):
            read_rows("orgs.csv", content)

    def test_the_delimiter_is_the_one_that_splits_the_quoted_header_most(self) -> None:
        text = '"Вопрос 1, часть 2";"Вопрос 2; ещё"\nда;нет\n'
        assert tabular.csv_delimiter(text) == ";"
        assert list(read_rows("a.csv", text.encode())) == [
            ["Вопрос 1, часть 2", "Вопрос 2; ещё"], ["да", "нет"]]

    def test_an_unquoted_header_full_of_commas_does_not_fool_a_semicolon_file(self) -> None:
        # Russian Excel exports with «;» and leaves the question texts unquoted: by «,» the
        # header splits into 4 fields but the answer rows into 1, by «;» every record into 3.
        text = ("Оцените, пожалуйста, стенды;Удобно ли, по-вашему, здание;Возраст\n"
                "Да;Нет;30-39\nНет;Да;60 и старше\n")
        assert tabular.csv_delimiter(text) == ";"
        assert list(read_rows("a.csv", text.encode()))[2] == ["Нет", "Да", "60 и старше"]

    def test_a_comma_file_with_semicolons_in_its_answers_stays_a_comma_file(self) -> None:
        text = "Вопрос,Комментарий\nДа,все хорошо; спасибо\nНет,нет\n"
        assert tabular.csv_delimiter(text) == ","

    def test_empty_rows_are_kept_so_rows_keep_their_numbers(self) -> None:
        rows = list(read_rows("a.csv", b"A;B\n\n1;2\n"))
        assert rows == [["A", "B"], [], ["1", "2"]]

    def test_too_many_rows_and_columns_are_refused(self) -> None:
        with pytest.raises(TableError, match="В таблице больше 2 строк"):
            list(read_rows("a.csv", b"1\n2\n3\n", limits=Limits(rows=2)))
        with pytest.raises(TableError, match="Строка 1: больше 3 столбцов"):
            list(read_rows("a.csv", b"1;2;3;4\n", limits=Limits(columns=3)))
        # Trailing empty cells (a row of ";;;;" from Excel) do not count.
        assert list(read_rows("a.csv", b"1;2;;;;\n", limits=Limits(columns=3))) == [["1", "2"]]

    @pytest.mark.parametrize(("name", "content", "message"), [
        ("orgs.pdf", b"%PDF", "Поддерживаются файлы CSV и XLSX"),
        ("orgs.xls", b"\xd0\xcf\x11\xe0", "Поддерживаются файлы CSV и XLSX"),
        ("orgs.csv", b"", "Файл пуст"),
    ])
    def test_it_refuses_other_formats_and_empty_files(self, name, content, message) -> None:
        with pytest.raises(TableError, match=message):
            read_rows(name, content)


class XlsxTests:
    def test_it_reads_values_with_their_types_and_pads_from_a1(self) -> None:
        content = workbook({"Лист1": [(2, 1, "Наименование"), (2, 2, 12), (3, 3, date(2025, 5, 1)),
                                      (3, 1, True)]})
        rows = list(read_rows("t.xlsx", content))
        assert rows[0] == [] or all(cell == "" for cell in rows[0])
        assert rows[2][1:3] == ["Наименование", 12]
        assert rows[3][1] is True
        assert rows[3][3] == date(2025, 5, 1)  # a date-only format reads as a date
        assert len(rows) == 4  # rows 1-4 of the sheet: the cells start at B3

    def test_it_reads_the_named_sheet_or_else_the_first(self) -> None:
        content = workbook({"Инструкция": [(0, 0, "читать")], "Организации": [(0, 0, "данные")]})
        assert list(read_rows("t.xlsx", content, sheet="Организации")) == [["данные"]]
        assert list(read_rows("t.xlsx", content, sheet="Нет такого")) == [["читать"]]
        assert list(read_rows("t.xlsx", content)) == [["читать"]]

    def test_a_nul_character_in_a_cell_is_refused_naming_the_cell(self) -> None:
        # XLSX escapes control characters as _x0000_; calamine turns it back into U+0000.
        content = hostile.small_workbook(
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>ok</t></is></c>'
            b'<c r="B1" t="inlineStr"><is><t>a_x0000_b</t></is></c></row>')
        with pytest.raises(TableError, match="Строка 1, столбец B: в ячейке нулевой символ"):
            list(read_rows("t.xlsx", content))

    def test_a_sheet_with_a_namespace_prefix_is_read(self) -> None:
        content = hostile.small_workbook(b"")  # the parts are replaced below
        prefixed = (b'<?xml version="1.0"?><x:worksheet xmlns:x="' + hostile.MAIN + b'">'
                    b'<x:sheetData><x:row r="1"><x:c r="A1"><x:v>7</x:v></x:c></x:row>'
                    b"</x:sheetData></x:worksheet>")
        content = hostile.archive([*hostile.workbook_parts(),
                                   hostile.deflated("xl/worksheets/sheet1.xml", prefixed)])
        assert list(read_rows("t.xlsx", content)) == [[7.0]]

    @pytest.mark.parametrize(("content", "message"), [
        (b"not a zip at all", "файл повреждён"),
        (b"PK\x03\x04broken", "файл повреждён"),
        (tabular.OLE_MAGIC + b"\x00" * 504, "старого формата XLS или файл Excel, защищённый"),
    ])
    def test_what_is_not_an_xlsx_is_refused_before_any_parsing(self, content, message) -> None:
        with pytest.raises(TableError, match=message):
            tabular.check_archive(content)

    def test_more_parts_than_allowed_are_refused_from_the_end_record(self) -> None:
        content = hostile.small_workbook(b"")  # five parts
        tabular.check_archive(content, Limits(parts=5))
        with pytest.raises(TableError, match=TOO_LARGE):
            tabular.check_archive(content, Limits(parts=4))

    def test_an_encrypted_part_or_an_unknown_compression_is_refused(self) -> None:
        encrypted = bytearray(hostile.small_workbook(b""))
        central = encrypted.rfind(b"PK\x01\x02")
        encrypted[central + 8] |= 1  # the central directory's "encrypted" flag of the last part
        with pytest.raises(TableError, match="защищён паролем"):
            tabular.check_archive(bytes(encrypted))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
        with pytest.raises(TableError, match="файл повреждён"):
            tabular.check_archive(buffer.getvalue())


HOSTILE = ["far_cell_at_data_path", "sheet_without_r", "shared_strings_bomb", "huge_sheet",
           "understated_sheet"]
# A budget the old reader could not keep (it spent 37 s of CPU on a 1 GB sheet, and calamine
# asked for 512 GB): a refusal within it comes from the cheap checks, not from the child dying.
TIGHT = Limits(cpu_seconds=3, seconds=20)


class HostileWorkbookTests:
    """Issue 8, item 1: each of these made the server process die or work for half a minute."""

    @pytest.mark.parametrize("name", HOSTILE)
    def test_it_is_small_and_refused_by_the_checks_with_the_russian_message(self, name) -> None:
        content = hostile.hostile_workbooks()[name]
        assert len(content) < 4 * 1024 * 1024
        with pytest.raises(TableError) as caught:
            list(read_rows("hostile.xlsx", content, limits=TIGHT))
        assert caught.value.code in {"too_large", "far_cell"}, caught.value.code  # not a death
        assert TOO_LARGE in str(caught.value) or "Таблица слишком велика" in str(caught.value)

    def test_a_far_cell_outside_the_worksheets_folder_is_named(self) -> None:
        with pytest.raises(TableError, match="доходят до XFD1048576"):
            list(read_rows("t.xlsx", hostile.far_cell_at_data_path()))

    def test_cells_without_r_are_counted_where_calamine_puts_them(self) -> None:
        # 16,384 cells in the first row: column XFD; 100,002 rows.
        with pytest.raises(TableError, match="доходят до XFD100002"):
            tabular.scan_archive(hostile.sheet_without_r())

    @pytest.mark.parametrize("name", ["shared_strings_bomb", "huge_sheet"])
    def test_a_declared_gigabyte_is_refused_from_the_central_directory(self, name) -> None:
        with pytest.raises(TableError, match=TOO_LARGE):
            tabular.check_archive(hostile.hostile_workbooks()[name])

    def test_an_understated_size_passes_the_directory_but_not_the_scan(self) -> None:
        content = hostile.understated_sheet()
        tabular.check_archive(content)  # declares 2 KB
        with pytest.raises(TableError, match=TOO_LARGE):
            tabular.scan_archive(content)

    def test_rows_and_cells_without_r_within_the_limits_are_read(self) -> None:
        content = hostile.small_workbook(b"<row><c><v>1</v></c><c><v>2</v></c></row>"
                                         b"<row/><row><c/><c><v>3</v></c></row>")
        assert list(read_rows("t.xlsx", content)) == [[1.0, 2.0], ["", ""], ["", 3.0]]


def rows_of(count: int) -> bytes:
    return workbook({"Лист1": [(r, c, f"ячейка {r}-{c}") for r in range(count) for c in range(3)]})


class ChildProcessTests:
    """The child's limits: whatever kills it, this process answers «слишком большой или
    повреждён» and goes on reading the next file."""

    def test_running_out_of_memory_is_a_refusal_and_the_next_file_is_read(self) -> None:
        # A1 and CV40000: calamine allocates the 40,000 x 100 cells between them, which pass
        # the checks (4 M <= 5 M cells) but do not fit in 64 MB of address space.
        content = hostile.small_workbook(b'<row r="1"><c r="A1"><v>1</v></c></row>'
                                         b'<row r="40000"><c r="CV40000"><v>1</v></c></row>')
        with pytest.raises(TableError, match=TOO_LARGE) as caught:
            list(read_rows("t.xlsx", content, limits=Limits(memory_bytes=64 * 1024 * 1024)))
        assert caught.value.code == "child_failed"
        assert list(read_rows("t.xlsx", rows_of(2))) == [["ячейка 0-0", "ячейка 0-1", "ячейка 0-2"],
                                                          ["ячейка 1-0", "ячейка 1-1", "ячейка 1-2"]]

    def test_running_over_the_wall_clock_is_a_refusal(self) -> None:
        with pytest.raises(TableError, match=TOO_LARGE) as caught:
            list(read_rows("t.xlsx", rows_of(2), limits=Limits(seconds=0.001)))
        assert caught.value.code == "child_failed"

    def test_a_consumer_that_stops_early_stops_the_child(self) -> None:
        rows: Iterator[tabular.Row] = read_rows("t.xlsx", rows_of(3000))
        assert next(rows)[0] == "ячейка 0-0"
        rows.close()  # the child is killed and reaped in the generator's finally

    def test_rows_arrive_in_chunks_as_the_child_writes_them(self) -> None:
        rows = list(read_rows("t.xlsx", rows_of(tabular.CHUNK_ROWS * 2 + 5)))
        assert len(rows) == tabular.CHUNK_ROWS * 2 + 5
        assert rows[-1][2] == f"ячейка {tabular.CHUNK_ROWS * 2 + 4}-2"


class RussianWordsTests:
    @pytest.mark.parametrize(("value", "expected"), [
        (1, "1 знак"), (2, "2 знака"), (4, "4 знака"), (5, "5 знаков"), (11, "11 знаков"),
        (12, "12 знаков"), (14, "14 знаков"), (21, "21 знак"), (22, "22 знака"),
        (25, "25 знаков"), (101, "101 знак"), (111, "111 знаков"), (1000, "1\u00a0000 знаков"),
    ])
    def test_counts_agree_with_their_noun(self, value, expected) -> None:
        assert tabular._count(value, "знак", "знака", "знаков") == expected

    @pytest.mark.parametrize(("value", "expected"), [
        (1, "1 строки"), (2, "2 строк"), (11, "11 строк"), (21, "21 строки"),
        (100_000, "100\u00a0000 строк"), (100_001, "100\u00a0001 строки"),
    ])
    def test_more_than_takes_the_genitive(self, value, expected) -> None:
        assert tabular._more_than(value, "строки", "строк") == expected

    @pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"),
                                                    (701, "ZZ"), (702, "AAA"), (16_383, "XFD")])
    def test_column_letters(self, index, letters) -> None:
        assert tabular.column_letter(index) == letters
