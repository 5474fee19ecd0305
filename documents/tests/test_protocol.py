"""The organization's protocol (issue 9 item 1), DOCX and PDF, opened and read back."""

from __future__ import annotations

import pytest

import documents
import scoring
from documents.samples import sample_campaign, sample_region
from documents.tests.helpers import (
    assert_no_internal_words,
    docx_pictures,
    docx_tables,
    docx_text,
    example,
    first_page_png,
    ink,
    pdf_text,
    row_with,
)

M2018 = scoring.load_methodology("social-2018")
M2014 = scoring.load_methodology("social-2014")


@pytest.fixture(scope="module")
def seed_001() -> documents.Protocol:
    a = documents.assess(M2018, example("seed-001.json"), key="seed-001")
    campaign = documents.Campaign.of(M2018, name="НОК 2019", region="Астраханская область",
                                     operator="Центр социологических исследований АГУ")
    return documents.build_protocol(M2018, a, campaign, region=documents.averages(M2018, [a]))


@pytest.fixture(scope="module")
def seed_001_docx(seed_001: documents.Protocol) -> bytes:
    return documents.render_protocol_docx(seed_001)


@pytest.fixture(scope="module")
def seed_001_pdf(seed_001: documents.Protocol) -> bytes:
    return documents.render_protocol_pdf(seed_001)


class ProtocolDocxTests:
    def test_it_prints_seed_001s_total_and_k3(self, seed_001_docx: bytes) -> None:
        # Seed 001: 3.1 = 20, 3.2 = 80, 3.3 = 100 → K3 = 68, total (100·4 + 68)/5 = 93,6.
        tables = docx_tables(seed_001_docx)
        assert row_with(tables, "Итого по критерию К3")[3] == "68,0 (61,2–74,8)"
        assert row_with(tables, "Итоговый показатель")[3].startswith("93,6 (")
        assert "Итоговый балл организации составил 93,6 балла." in docx_text(seed_001_docx)

    def test_each_indicator_row_has_source_value_weight_and_points(self, seed_001_docx: bytes) -> None:
        tables = docx_tables(seed_001_docx)
        # 3.1: one condition of five, 20 points, weight 0,3 → 6 points in K3.
        assert row_with(tables, "3.1")[2:] == ["наблюдение", "20,0", "0,3", "6"]
        # 3.2: four conditions → 80 points × 0,4 = 32.
        assert row_with(tables, "3.2")[3:] == ["80,0", "0,4", "32"]
        assert row_with(tables, "1.3")[2] == "опрос"

    def test_the_survey_block_gives_counts_shares_and_intervals(self, seed_001_docx: bytes) -> None:
        tables = docx_tables(seed_001_docx)
        question = M2018.question("info_site").text
        # 12 of 12 answered «да»: Wilson's interval for 12/12 is 75,8–100 %.
        assert row_with(tables, question)[1:] == ["12", "12", "100 %", "75,8–100,0"]
        text = docx_text(seed_001_docx)
        assert "Опрошено 30 получателей услуг" in text
        assert "не более 600" in text

    def test_every_recommendation_of_the_catalogue_is_printed(self, seed_001: documents.Protocol,
                                                              seed_001_docx: bytes) -> None:
        inp = example("seed-001.json")
        found = scoring.shortcomings(M2018, inp, scoring.score(M2018, inp))
        text = docx_text(seed_001_docx)
        assert len(found) == 8
        for s in found:
            assert s.text in text and s.measure in text
        # word for word as seed 001 recommends it
        assert "предусмотреть стоянки для автотранспортных средств инвалидов" in text

    def test_it_states_the_policies_and_draws_the_chart(self, seed_001_docx: bytes) -> None:
        text = docx_text(seed_001_docx)
        assert "веса остальных показателей критерия пересчитываются до суммы 1" in text
        assert M2018.rating.describe() in text
        assert docx_pictures(seed_001_docx) == 1

    def test_the_header_names_the_campaign_and_methodology(self, seed_001_docx: bytes) -> None:
        text = docx_text(seed_001_docx)
        assert "Организация: КЦСОН Лиманского района" in text
        assert "Формы социального обслуживания: полустационарная" in text
        assert f"Методика: {M2018.title}, редакция {M2018.version}" in text
        assert "Оператор: Центр социологических исследований АГУ" in text

    def test_no_internal_key_is_printed(self, seed_001_docx: bytes) -> None:
        assert_no_internal_words(docx_text(seed_001_docx))

    def test_a_social_2014_protocol_prints_seed_003s_integral(self) -> None:
        a = documents.assess(M2014, example("seed-003-social-2014.json"))
        data = documents.render_protocol_docx(documents.build_protocol(M2014, a))
        tables = docx_tables(data)
        assert row_with(tables, "Интегральное значение")[3].startswith("42,75 (")
        assert row_with(tables, "0242000007")[3] == "0,95"
        assert "Интегральное значение показателей организации составило 42,75." in docx_text(data)
        assert_no_internal_words(docx_text(data))


class ControlProtocolTests:
    def test_the_control_protocol_is_printed_per_service_form(self) -> None:
        m, region = sample_region()
        p = documents.build_protocol(m, region[0], sample_campaign(m))
        tables = docx_tables(documents.render_protocol_docx(p))
        # sample organization 1: semi-stationary 2 calls, 1 effective; none at home
        assert row_with(tables, "Полустационар") == ["Показатель", "Полустационар", "На дому"]
        calls = row_with(tables, "Контрольные звонки: поступило / результативных (доля результативных)")
        assert calls[1:] == ["2/1 (50 % результативных)", "звонки не поступили"]
        emails = [r for t in tables for r in t if r[0].startswith("Обращения по электронной")][0]
        assert emails[1:] == ["1/1 (100 % результативных)", "канал связи не используется"]

    def test_without_control_data_the_section_is_left_out(self, seed_001_docx: bytes) -> None:
        assert "Контрольные звонки, обращения и жалобы" not in docx_text(seed_001_docx)


class ProtocolPdfTests:
    def test_the_pdf_has_the_same_figures(self, seed_001_pdf: bytes) -> None:
        text = pdf_text(seed_001_pdf)
        assert "Итоговый балл организации составил 93,6 балла." in text
        assert "68,0 (61,2–74,8)" in text
        assert "предусмотреть стоянки для автотранспортных средств инвалидов" in text
        assert_no_internal_words(text)

    def test_the_first_page_renders(self, seed_001_pdf: bytes) -> None:
        page = first_page_png(seed_001_pdf, "protocol-seed-001")
        assert page.width < page.height  # portrait A4
        assert 0.02 < ink(page) < 0.5

    def test_a_social_2014_pdf_prints_the_integral(self) -> None:
        a = documents.assess(M2014, example("seed-003-social-2014.json"))
        text = pdf_text(documents.render_protocol_pdf(documents.build_protocol(M2014, a)))
        assert "Интегральное значение показателей организации составило 42,75." in text
