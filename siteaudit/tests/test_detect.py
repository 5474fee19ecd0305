"""Detection rules on small local sites: what counts as found, and what does not."""

from __future__ import annotations

import pytest

import scoring
import siteaudit
from siteaudit.match import PATTERNS, compile_terms
from siteaudit.tests.fixtures.kit import html, modern, pdf, pdf_resp, serve

MENU = [("Попечительский совет", "/ps/"), ("Документы", "/docs/"), ("Новости", "/news/")]


def page(title: str, main: str) -> str:
    return modern("ГБУ КЦСОН", title, main, menu=MENU, footer="<p>© ГБУ КЦСОН</p>")


def audit(files, methodology=None) -> siteaudit.AuditReport:
    methodology = methodology or scoring.load_methodology("social-2018")
    settings = siteaudit.CrawlSettings(fetch=siteaudit.FetchSettings(delay=0, allow_private=True))
    with serve(files) as (base, _):
        return siteaudit.audit(base + "/", methodology, settings)


class SectionTests:
    def test_a_menu_entry_leading_to_a_section_in_development_is_not_found(self):
        report = audit({"/": html(page("Главная", "<p>Добро пожаловать</p>")),
                        "/ps/": html(page("Попечительский совет", "<p>Раздел в разработке</p>"))})
        finding = report.items["trustee_board"]
        assert not finding.found
        assert finding.notes and "не заполнен" in finding.notes[0]

    def test_an_empty_section_page_is_not_found(self):
        report = audit({"/": html(page("Главная", "<p>Добро пожаловать</p>")),
                        "/ps/": html(page("Попечительский совет", ""))})
        assert not report.items["trustee_board"].found

    def test_a_filled_section_is_found_with_its_address_and_fragment(self):
        report = audit({"/": html(page("Главная", "<p>Добро пожаловать</p>")),
                        "/ps/": html(page("Попечительский совет",
                                          "<p>Председатель совета — Иванов Иван Иванович</p>"))})
        finding = report.items["trustee_board"]
        assert finding.found
        assert finding.evidence[0].url.endswith("/ps/")
        assert "Председатель совета" in finding.evidence[0].text

    def test_news_that_mention_the_section_are_not_the_section(self):
        news = ("<p>15 мая состоялось заседание попечительского совета. Председатель совета "
                "Иванов И.И. подвёл итоги.</p>")
        report = audit({
            "/": html(page("Главная", '<div class="news-item"><h3>Заседание попечительского '
                                      f'совета</h3>{news}</div>')),
            "/news/": html(page("Новости", '<a href="/news/1/">Заседание попечительского совета</a>')),
            "/news/1/": html(page("Заседание попечительского совета", news)),
        })
        assert not report.items["trustee_board"].found


class DocumentTests:
    def test_a_dead_document_link_is_not_found_and_is_noted(self):
        report = audit({"/": html(page("Главная", '<p><a href="/files/ustav.pdf">Устав</a></p>'))})
        finding = report.items["documents"]
        assert not finding.found
        assert "не открывается" in finding.notes[0]

    def test_the_staffs_labour_rules_are_not_the_recipients_rules(self):
        report = audit({
            "/": html(page("Главная", '<p><a href="/pvtr.pdf">Правила внутреннего трудового '
                                      'распорядка</a></p>')),
            "/pvtr.pdf": pdf_resp(pdf("Правила внутреннего трудового распорядка")),
        })
        assert not report.items["internal_rules"].found

    def test_a_document_named_only_by_its_row_is_found(self):
        report = audit({
            "/": html(page("Главная", '<table><tr><td>Правила внутреннего распорядка для получателей '
                                      'социальных услуг</td><td><a href="/f/1.pdf">скачать</a></td></tr></table>')),
            "/f/1.pdf": pdf_resp(pdf("Правила")),
        })
        finding = report.items["internal_rules"]
        assert finding.found and finding.evidence[0].how == "document"


class RegionalRulesTests:
    def test_a_regions_extra_heading_finds_its_own_wording(self):
        files = {"/": html(page("Главная", '<p><a href="/ns/">Наблюдательный совет</a></p>')),
                 "/ns/": html(page("Наблюдательный совет", "<p>Состав совета: председатель — "
                                                           "Петров Пётр Петрович.</p>"))}
        assert not audit(files).items["trustee_board"].found
        doc = scoring.builtin_definition("social-2018")
        checklist = next(c for c in doc["checklists"] if c["key"] == "site")
        item = next(i for i in checklist["items"] if i["key"] == "trustee_board")
        item["detect"]["headings"].append("наблюдательный совет")
        report = audit(files, scoring.load_methodology(doc))
        assert report.items["trustee_board"].found

    def test_an_item_without_rules_is_reported_as_not_found_with_a_note(self):
        doc = scoring.builtin_definition("social-2018")
        checklist = next(c for c in doc["checklists"] if c["key"] == "site")
        del next(i for i in checklist["items"] if i["key"] == "staff")["detect"]
        report = audit({"/": html(page("Главная", "<p>x</p>"))}, scoring.load_methodology(doc))
        assert report.items["staff"].to_dict()["rules"] is False


class TermTests:
    @pytest.mark.parametrize(("term", "text"), [
        ("попечительский совет", "Состав попечительского совета"),
        ("правила внутреннего распорядка", "ПРАВИЛА ВНУТРЕННЕГО РАСПОРЯДКА для получателей"),
        ("вопрос-ответ", "Вопрос – ответ"),
        ("о нас", "О нас"),
        ("электронная приемная", "Электронная приёмная"),
        ("финансово-хозяйственная деятельность", "план финансово-хозяйственной деятельности"),
    ])
    def test_a_term_matches_other_endings_case_and_yo(self, term, text):
        assert compile_terms((term,)).search(text)

    @pytest.mark.parametrize(("term", "text"), [
        ("устав", "представитель"),
        ("о нас", "об организации нас"),
        ("правила внутреннего распорядка", "правила внутреннего трудового распорядка"),
    ])
    def test_a_term_does_not_match_inside_other_words_or_with_words_between(self, term, text):
        assert compile_terms((term,)).search(text) is None

    @pytest.mark.parametrize(("name", "text"), [
        ("phone", "8 (8142) 12-34-56"), ("phone", "+7 (81378) 4-12-12"), ("phone", "8-800-200-12-34"),
        ("phone", "тел. (81433) 2-15-40"), ("email", "kcson@soc.example.ru"),
        ("person_name", "Соколова Ирина Викторовна"), ("person_name", "Лебедева Н.В."),
        ("money", "85,00 руб."), ("money", "350 ₽"), ("time", "9.00"), ("date", "14.03.1996"),
    ])
    def test_named_patterns_match_russian_formats(self, name, text):
        assert PATTERNS[name].search(text)

    @pytest.mark.parametrize(("name", "text"), [
        ("phone", "ОГРН 1021000000000"), ("person_name", "Министерство Социальной Защиты"),
        ("time", "14.03.1996"),
    ])
    def test_named_patterns_do_not_match_lookalikes(self, name, text):
        assert PATTERNS[name].search(text) is None

    def test_every_pattern_name_the_methodology_accepts_has_a_pattern(self):
        from scoring.methodology import DETECT_PATTERNS

        assert set(PATTERNS) == set(DETECT_PATTERNS)
