"""The improvement plan (issue 10 item 5): the draft from the shortcomings, in the official
layout and seed 002's, as XLSX and DOCX."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import documents
import scoring
from documents.tests.helpers import assert_no_internal_words, docx_tables, example
from documents.xlsx import PLAN_HEADERS, SEED002_HEADERS, render_plan_xlsx

M = scoring.load_methodology("social-2018")


@pytest.fixture(scope="module")
def seed_001_plan() -> documents.Plan:
    a = documents.assess(M, example("seed-001.json"))
    return documents.build_plan(M, a, documents.Campaign.of(M, name="НОК 2019"))


class DraftPlanTests:
    def test_one_row_per_shortcoming_with_the_catalogue_measure(self, seed_001_plan: documents.Plan) -> None:
        inp = example("seed-001.json")
        found = scoring.shortcomings(M, inp, scoring.score(M, inp))
        assert [(r.key, r.shortcoming, r.measure) for r in seed_001_plan.rows] == \
               [(s.key, s.text, s.measure) for s in found]
        assert all(r.due == r.responsible == r.done == r.done_date == "" for r in seed_001_plan.rows)

    def test_rows_are_grouped_by_criterion_in_roman_numbers(self, seed_001_plan: documents.Plan) -> None:
        # seed 001: drinking water and transport (K2), then six accessibility conditions (K3)
        sections = seed_001_plan.sections()
        assert [(n, len(rows)) for n, _, rows in sections] == [("II", 2), ("III", 6)]
        assert sections[1][1] == M.criterion("K3").title

    @settings(max_examples=25, deadline=None)
    @given(absent=st.sets(st.sampled_from(["rest_zone", "navigation", "drinking_water",
                                           "sanitary_rooms", "transport"])),
           yes=st.integers(min_value=0, max_value=30))
    def test_every_missing_condition_and_low_share_gives_exactly_one_row(self, absent: set[str], yes: int) -> None:
        doc = {"format": 1, "methodology": "social-2018",
               "organization": {"name": "Организация", "type": "КЦСОН"},
               "observation": {"comfort_conditions": sorted({"rest_zone", "navigation", "drinking_water",
                                                             "sanitary_rooms", "transport"} - absent)},
               "survey": {"respondents": 30, "answers": {"overall": {"asked": 30, "yes": yes}}}}
        a = documents.assess(M, scoring.parse_assessment(doc))
        keys = [r.key for r in documents.draft_plan(M, a)]
        low = yes / 30 * 100 < M.share_below
        expected = {f"comfort_conditions:{k}" for k in absent} | {"comfort_conditions:sanitary_state",
                                                                  "comfort_conditions:booking"}
        assert set(keys) == expected | ({"indicator:5.3"} if low else set())
        assert len(keys) == len(set(keys))


class PlanDocumentTests:
    def test_the_official_xlsx_has_the_forms_columns_and_numbers_nothing(self, seed_001_plan: documents.Plan) -> None:
        sheet = openpyxl.load_workbook(io.BytesIO(render_plan_xlsx(seed_001_plan)))["План"]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[3][:5]) == [*PLAN_HEADERS[:4], "Сведения о ходе реализации мероприятия"]
        assert list(rows[4][4:6]) == list(PLAN_HEADERS[4:6])
        assert rows[5][0] == f"II. {M.criterion('K2').title}"
        assert rows[6][0] == seed_001_plan.rows[0].shortcoming
        assert rows[6][1] == "обратить внимание на доступность питьевой воды"
        assert sheet.freeze_panes == "A6"

    def test_the_seed_002_xlsx_has_criterion_shortcoming_measure_result(self, seed_001_plan: documents.Plan) -> None:
        sheet = openpyxl.load_workbook(io.BytesIO(render_plan_xlsx(seed_001_plan, layout="seed002")))["План"]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[2] == SEED002_HEADERS
        assert rows[3][0] == M.criterion("K2").title
        assert rows[3][1:3] == (seed_001_plan.rows[0].shortcoming, seed_001_plan.rows[0].measure)
        assert ("A4:A5" in {str(r) for r in sheet.merged_cells.ranges})  # the criterion spans its rows

    def test_the_official_docx_groups_rows_under_their_criterion(self, seed_001_plan: documents.Plan) -> None:
        data = documents.render_plan_docx(seed_001_plan)
        table = docx_tables(data)[0]
        assert table[0][0] == PLAN_HEADERS[0]
        assert table[0][4] == "Сведения о ходе реализации мероприятия"
        assert table[1][4:] == list(PLAN_HEADERS[4:])
        assert table[2][0] == f"II. {M.criterion('K2').title}"
        assert table[3][:2] == [seed_001_plan.rows[0].shortcoming, seed_001_plan.rows[0].measure]
        assert len(table) == 2 + 2 + len(seed_001_plan.rows)

    def test_the_seed_002_docx_merges_the_criterion_cell(self, seed_001_plan: documents.Plan) -> None:
        data = documents.render_plan_docx(seed_001_plan, layout="seed002")
        table = docx_tables(data)[0]
        assert table[0] == ["Критерии", "Выявленные замечания", "Мероприятия по устранению замечаний",
                            "Результаты"]
        assert [row[0] for row in table[1:4]] == [M.criterion("K2").title] * 2 + [M.criterion("K3").title]
        assert_no_internal_words("\n".join("\n".join(r) for r in table))
