"""The regional summary report (issue 9 item 3), DOCX and PDF, with the draft order."""

from __future__ import annotations

from dataclasses import replace

import pytest

import documents
from documents.samples import sample_campaign, sample_region
from documents.tests.helpers import (
    assert_no_internal_words,
    docx_pictures,
    docx_tables,
    docx_text,
    first_page_png,
    ink,
    pdf_text,
    row_with,
)
from documents.text import count, plural, points


@pytest.fixture(scope="module")
def region() -> documents.Region:
    m, now = sample_region(6)
    _, before = sample_region(6, year_shift=1)
    return documents.build_region(m, now, sample_campaign(m), previous=before,
                                  previous_campaign=sample_campaign(m, 2025))


class RegionModelTests:
    def test_averages_are_means_over_the_organizations_with_a_value(self, region: documents.Region) -> None:
        totals = [a.total for a in region.assessed if a.total is not None]
        assert region.region.total == pytest.approx(sum(totals) / len(totals))
        for org_type, avg in region.types.items():
            members = [a.result.criteria["K1"] for a in region.assessed if a.type == org_type]
            assert avg.criteria["K1"] == pytest.approx(sum(members) / len(members))

    def test_the_distribution_counts_every_organization_once(self, region: documents.Region) -> None:
        assert sum(b.count for b in region.bands) == len(region.assessed)

    def test_frequent_shortcomings_are_counted_per_organization(self, region: documents.Region) -> None:
        top = region.frequent[0]
        assert top.count == sum(1 for a in region.assessed
                                if any(s.text == top.text for s in a.shortcomings))
        assert [f.count for f in region.frequent] == sorted((f.count for f in region.frequent), reverse=True)

    def test_year_over_year_matches_organizations_and_their_shortcomings(self, region: documents.Region) -> None:
        yoy = region.year_over_year
        assert yoy is not None and yoy.matched == 6
        change = yoy.changes[0]
        before = [a for a in yoy_previous() if a.name == change.name][0]
        now = [a for a in region.assessed if a.name == change.name][0]
        keys = {s.key for s in now.shortcomings}
        assert change.resolved == sum(1 for s in before.shortcomings if s.key not in keys)
        assert change.persisting == sum(1 for s in before.shortcomings if s.key in keys)


def yoy_previous() -> list[documents.Assessed]:
    return sample_region(6, year_shift=1)[1]


class RegionDocumentTests:
    def test_the_docx_prints_averages_best_frequent_and_the_order(self, region: documents.Region) -> None:
        data = documents.render_region_docx(region)
        text = docx_text(data)
        tables = docx_tables(data)
        k1 = row_with(tables, f"К1. {region.methodology.criterion('K1').title}")
        assert k1[1] == documents.text.value_text(region.region.criteria["K1"], "criteria-100")
        assert region.frequent[0].text in text
        assert "Оценено: 6 организаций, 2 типа организаций." in text
        assert "Об утверждении результатов независимой оценки качества условий оказания услуг " \
               "организациями социального обслуживания (Образцовая область) в 2026 году" in text
        assert "Сравнение с предыдущей оценкой" in text
        assert docx_pictures(data) == 3
        assert_no_internal_words(text)

    def test_the_draft_order_is_headed_by_the_ministry_named_in_the_campaign(
            self, region: documents.Region) -> None:
        lines = docx_text(documents.render_region_docx(region)).splitlines()
        at = lines.index("МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ НАСЕЛЕНИЯ ОБРАЗЦОВОЙ ОБЛАСТИ")
        assert lines[at + 1] == "ПРОЕКТ ПРИКАЗА"
        pdf = pdf_text(documents.render_region_pdf(region))
        assert "МИНИСТЕРСТВО СОЦИАЛЬНОЙ ЗАЩИТЫ НАСЕЛЕНИЯ ОБРАЗЦОВОЙ ОБЛАСТИ" in pdf

    def test_without_the_ministry_s_name_the_order_says_whose_it_is(self) -> None:
        m, now = sample_region(4)
        campaign = replace(sample_campaign(m), ministry="")
        text = docx_text(documents.render_region_docx(documents.build_region(m, now, campaign)))
        assert "ПРОЕКТ ПРИКАЗА уполномоченного органа в сфере социального обслуживания" in text

    def test_without_an_earlier_campaign_there_is_no_comparison(self) -> None:
        m, now = sample_region(4)
        data = documents.render_region_docx(documents.build_region(m, now, sample_campaign(m)))
        assert "Сравнение с предыдущей оценкой" not in docx_text(data)
        assert docx_pictures(data) == 2

    def test_the_pdf_prints_the_same_and_renders(self, region: documents.Region) -> None:
        data = documents.render_region_pdf(region)
        text = pdf_text(data)
        assert "Оценено: 6 организаций, 2 типа организаций." in text
        assert region.frequent[0].text in text
        assert "Контроль за исполнением настоящего приказа оставляю за собой." in text
        assert_no_internal_words(text)
        page = first_page_png(data, "region")
        assert 0.02 < ink(page) < 0.5


class RussianWordingTests:
    @pytest.mark.parametrize(("n", "word"), [(1, "организация"), (2, "организации"), (5, "организаций"),
                                             (11, "организаций"), (12, "организаций"), (21, "организация"),
                                             (22, "организации"), (111, "организаций"), (104, "организации")])
    def test_plurals(self, n: int, word: str) -> None:
        assert plural(n, "организация", "организации", "организаций") == word
        assert count(n, "организация", "организации", "организаций") == f"{n} {word}"

    @pytest.mark.parametrize(("value", "text"), [(93.6, "93,6 балла"), (94, "94 балла"), (95, "95 баллов"),
                                                 (91, "91 балл"), (100, "100 баллов"), (42.75, "42,75 балла")])
    def test_points(self, value: float, text: str) -> None:
        assert points(value) == text
