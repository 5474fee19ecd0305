"""The rating by organization type (issue 9 item 2, seed 004): XLSX and DOCX read back."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import documents
import scoring
from documents.samples import sample_region
from documents.tests.helpers import assert_no_internal_words, docx_tables, docx_text, row_with
from documents.tests.seed004 import (
    ADAPTATION,
    PSYCH,
    SEED_004,
    VETERANS,
    M,
    integral_document,
    seed_004,
)
from documents.xlsx import render_rating_xlsx


@pytest.fixture(scope="module")
def rating() -> documents.Rating:
    campaign = documents.Campaign.of(M, name="НОК 2016", region="Кемеровская область", year=2016)
    return documents.build_rating(M, seed_004(), campaign)


@pytest.fixture(scope="module")
def book(rating: documents.Rating) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_rating_xlsx(rating)))


class RatingXlsxTests:
    def test_the_analysts_sheet_has_seed_004s_places_and_integrals_as_numbers(self, book: openpyxl.Workbook) -> None:
        sheet = book["Для аналитиков"]
        header = [c.value for c in sheet[1]]
        rows = {r[1]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
        for org_type, name, integral, place, _ in SEED_004:
            row = rows[name]
            assert row["Тип организации"] == org_type
            assert row["Место"] == place
            assert isinstance(row["Интегральное значение"], float)
            assert row["Интегральное значение"] == pytest.approx(integral)

    def test_every_indicator_and_criterion_is_a_number_column(self, book: openpyxl.Workbook) -> None:
        sheet = book["Для аналитиков"]
        header = [c.value for c in sheet[1]]
        for key in ("К1", "К5", "0241000006", "02450000017"):
            assert key in header
        values = [r[header.index("0241000006")] for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert values[0] == 0 and values[2] == 1  # the veterans' home no. 1 lacks the site version
        assert all(isinstance(v, int | float) for v in values)

    def test_the_header_is_frozen_filtered_and_sized(self, book: openpyxl.Workbook) -> None:
        sheet = book["Для аналитиков"]
        assert sheet.freeze_panes == "C2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.column_dimensions["B"].width > 40

    def test_the_rating_sheet_has_a_section_per_type(self, book: openpyxl.Workbook) -> None:
        sheet = book["Рейтинг"]
        column_b = [r[1] for r in sheet.iter_rows(values_only=True)]
        column_a = [r[0] for r in sheet.iter_rows(values_only=True)]
        for org_type in (VETERANS, ADAPTATION, PSYCH):
            assert org_type in column_a
        first = column_b.index(SEED_004[0][1])
        assert column_a[first] == 1
        row = [c for c in next(sheet.iter_rows(min_row=first + 1, max_row=first + 1, values_only=True))]
        assert row[4] == pytest.approx(29.70)
        # seed 004's wording, shortcoming and plan
        assert ("– не разработана альтернативная версия официального сайта в сети «Интернет» для "
                "слабовидящих и инвалидов по зрению") in row[2]
        assert ("– разработать альтернативную версию официального сайта в сети «Интернет» для "
                "слабовидящих и инвалидов по зрению") in row[3]


class RatingDocxTests:
    def test_places_and_integrals_are_printed_as_in_seed_004(self, rating: documents.Rating) -> None:
        data = documents.render_rating_docx(rating)
        tables = docx_tables(data)
        for _org_type, name, integral, place, _ in SEED_004:
            row = row_with(tables, name)
            assert row[0] == str(place)
            assert row[4] == f"{integral:.2f}".replace(".", ",")
        text = docx_text(data)
        assert M.rating.describe() in text
        assert "8 организаций, 3 типа организаций" in text
        assert_no_internal_words(text)

    def test_the_insufficient_group_gives_its_reasons(self) -> None:
        m, region = sample_region()  # organization 3 has 12 respondents of 100 recipients
        data = documents.render_rating_docx(documents.build_rating(m, region))
        text = docx_text(data)
        assert "Недостаточно данных (без места)" in text
        assert "выборка меньше минимальной: опрошено 12, нужно не менее 40" in text
        row = row_with(docx_tables(data), "ГБУ «Центр социального обслуживания № 3»")
        assert row[0] == "—"


class RatingRowsPropertyTests:
    @settings(max_examples=30, deadline=None)
    @given(totals=st.lists(st.tuples(st.sampled_from(["А", "Б"]), st.integers(min_value=0, max_value=30)),
                           min_size=1, max_size=8))
    def test_every_organization_appears_once_with_places_1_to_n_per_type(
            self, totals: list[tuple[str, int]]) -> None:
        assessed = []
        for i, (org_type, yes) in enumerate(totals):
            doc = integral_document(f"Организация {i}", org_type, 20 + yes / 2)
            assessed.append(documents.assess(M, scoring.parse_assessment(doc), key=str(i)))
        sections = documents.rating_rows(M, assessed)
        assert all(not s.insufficient for s in sections)
        keys = [line.assessed.key for s in sections for line in s.lines]
        assert sorted(keys) == sorted(a.key for a in assessed)
        for section in sections:
            places = [line.place for line in section.rated]
            assert places == list(range(1, len(places) + 1))  # social-2014: distinct places
            values = [line.assessed.total for line in section.rated]
            assert values == sorted(values, reverse=True)
            for line in section.rated:
                assert line.places is not None and line.places[0] <= line.place <= line.places[1]
