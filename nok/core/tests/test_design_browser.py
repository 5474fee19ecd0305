"""The shared page enhancements of nok/nok.js and nok/nok.css in real Chromium: sortable and
searchable tables, the many-organizations picker, Russian file inputs, print styles — and what
the pages are without the script."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from nok.organizations.models import InterviewerAssignment, Role
from nok.organizations.tests.factories import make_organization, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A table as the templates write it, the script loaded from the live server.
SORT_FIXTURE = """<!doctype html><html lang="ru"><body><main>
<table data-sortable><thead><tr><th>Организация</th><th class="num">Балл</th><th>Когда</th></tr></thead>
<tbody>
<tr><td>Ёлочка</td><td class="num">85,3</td><td>01.02.2025 10:00</td></tr>
<tr><td>Берёзка</td><td class="num">9,75</td><td>31.12.2024</td></tr>
<tr><td>Дом № 10</td><td class="num">—</td><td>15.01.2025</td></tr>
<tr><td>Дом № 2</td><td class="num">1 234,5</td><td>01.02.2025 09:30</td></tr>
<tr><td>Аист</td><td class="num">100</td><td>—</td></tr>
<tr><td colspan="3">Итого</td></tr>
</tbody></table></main>
<script src="{base}/static/nok/nok.js"></script></body></html>"""


def column(page: Any, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "tbody tr", f"rows => rows.map(r => r.cells[{index}] ? r.cells[{index}].textContent : '')")


class SortableTableTests:
    def test_heads_sort_russian_numbers_dates_and_words_and_keep_blanks_last(self, browser_page) -> None:
        page = browser_page
        page.set_content(SORT_FIXTURE.replace("{base}", page.base_url))
        score = page.get_by_role("button", name="Балл")
        score.click()
        assert column(page, 1) == ["9,75", "85,3", "100", "1 234,5", "—", ""]
        expect(page.locator("th", has=score)).to_have_attribute("aria-sort", "ascending")
        score.click()
        assert column(page, 1) == ["1 234,5", "100", "85,3", "9,75", "—", ""]
        expect(page.locator("th", has=score)).to_have_attribute("aria-sort", "descending")
        page.get_by_role("button", name="Когда").click()
        assert column(page, 2) == ["31.12.2024", "15.01.2025", "01.02.2025 09:30",
                                   "01.02.2025 10:00", "—", ""]
        page.get_by_role("button", name="Организация").click()
        assert column(page, 0) == ["Аист", "Берёзка", "Дом № 2", "Дом № 10", "Ёлочка", "Итого"]
        assert page.locator("th[aria-sort]").count() == 1

    def test_the_organization_list_sorts_by_recipients_and_finds_by_words(
            self, personas: Any, login: Any) -> None:
        towns = ("Юрга", "Белово", "Мыски", "Тайга", "Осинники", "Берёзовский", "Топки", "Яя")
        for town, recipients in zip(towns, (5, 120, 30, 7, 1000, 64, 2, 300), strict=True):
            make_organization(f"ГБУ «Центр социального обслуживания, г. {town}»",
                              short_name=f"ЦСО {town}", recipients_home=recipients,
                              recipients_semi_stationary=0)
        page = login(personas.operator)
        page.goto(page.base_url + "/organizations/")
        page.get_by_role("button", name="Получателей").click()
        recipients = [int(n) for n in page.locator("table[aria-label=Организации] td.num").all_inner_texts()]
        assert recipients == sorted(recipients)
        search = page.get_by_label("Найти в таблице")
        search.fill("центр мыски")  # every word, in any order
        expect(page.locator("table[aria-label=Организации] tbody tr:visible")).to_have_count(1)
        expect(page.locator(".filter-count")).to_have_text("Найдено: 1 из 10")
        search.fill("БЕРЕЗОВСКИЙ")  # neither the case nor «ё» matters
        expect(page.locator("table[aria-label=Организации] tbody tr:visible")).to_contain_text(
            "ЦСО Берёзовский")
        search.fill("района")
        expect(page.locator(".filter-count")).to_have_text("Найдено: 2 из 10")
        search.fill("")
        expect(page.locator(".filter-count")).to_have_text("Всего: 10")


PAGED_FIXTURE = """<!doctype html><html lang="ru"><body><main>
<table data-filter data-filter-total="55"><thead><tr><th>Организация</th></tr></thead><tbody>
{rows}</tbody></table></main>
<script src="{base}/static/nok/nok.js"></script></body></html>"""


class PagedTableSearchTests:
    def test_a_page_of_a_longer_list_says_it_searches_this_page_and_counts_the_whole_list(
            self, browser_page) -> None:
        page = browser_page
        rows = "".join(f"<tr><td>Центр № {n}</td></tr>" for n in range(1, 11))
        page.set_content(PAGED_FIXTURE.replace("{rows}", rows).replace("{base}", page.base_url))
        expect(page.locator(".filter-count")).to_have_text("На странице: 10 из 55")
        page.get_by_label("Найти на этой странице").fill("№ 7")
        expect(page.locator(".filter-count")).to_have_text("Найдено на странице: 1 из 10")
        expect(page.locator("tbody tr:visible")).to_have_text(["Центр № 7"])


class OrganizationPickerTests:
    def test_the_interviewers_organizations_are_found_chosen_and_counted_by_group(
            self, personas: Any, login: Any) -> None:
        interviewer = make_user("interviewer", Role.INTERVIEWER)
        make_organization("ГБУ «Дом ветеранов г. Юрги»", type_name="Дома ветеранов")
        make_organization("ГБУ «Дом ветеранов г. Белово»", type_name="Дома ветеранов")
        InterviewerAssignment.objects.create(interviewer=interviewer, organization=personas.org_a)
        page = login(personas.operator)
        page.goto(f"{page.base_url}/organizations/users/{interviewer.pk}/organizations/")
        count = page.locator(".pick-count")
        expect(count).to_have_text("Выбрано: 1 из 4")
        page.get_by_label("Найти организацию").fill("дом ветеранов")
        expect(page.locator(".pick-list label.check:visible")).to_have_count(2)
        expect(page.locator(".pick-list fieldset:visible legend")).to_have_text(["Дома ветеранов"])
        page.get_by_role("button", name="Выбрать все найденные").click()
        expect(count).to_have_text("Выбрано: 3 из 4")
        page.get_by_label("Найти организацию").press("Enter")  # does not send the form
        expect(count).to_have_text("Выбрано: 3 из 4")
        page.get_by_role("button", name="Снять все").click()
        expect(count).to_have_text("Выбрано: 0 из 4")
        page.get_by_label("Найти организацию").fill("")
        page.get_by_label("ГБУ «Дом ветеранов г. Белово»").check()
        expect(count).to_have_text("Выбрано: 1 из 4")
        with page.expect_navigation():
            page.get_by_role("button", name="Сохранить").click()
        assert list(InterviewerAssignment.objects.filter(interviewer=interviewer)
                    .values_list("organization__name", flat=True)) == ["ГБУ «Дом ветеранов г. Белово»"]

    def test_without_the_script_the_campaign_form_lists_one_organization_a_line_on_a_phone(
            self, chromium: Any, live_server: Any, personas: Any) -> None:
        from nok.core.tests.test_pages_browser import signed_in_context

        for n in range(30):
            make_organization(f"ГБУ «Комплексный центр социального обслуживания населения № {n}»")
        context = signed_in_context(chromium, live_server, personas.operator,
                                    java_script_enabled=False, viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(live_server.url + "/campaigns/new/")
        page.get_by_text("Организации по одной").click()
        boxes = page.locator(".pick-list label")
        assert boxes.count() == 32
        tops = boxes.evaluate_all("ls => ls.map(l => l.getBoundingClientRect().top)")
        assert tops == sorted(tops) and len(set(tops)) == len(tops)  # one per line
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        context.close()


class FileInputTests:
    def test_a_file_input_speaks_russian_and_names_the_chosen_file(
            self, personas: Any, login: Any, tmp_path: Any) -> None:
        page = login(personas.operator)
        page.goto(page.base_url + "/organizations/import/")
        field = page.locator(".file-pick")
        expect(field.locator(".file-button")).to_have_text("Выберите файл")
        expect(field.locator(".file-name")).to_have_text("Файл не выбран")
        file = tmp_path / "реестр.csv"
        file.write_text("Наименование\n", encoding="utf-8")
        page.locator("input[type=file]").set_input_files(str(file))
        expect(field.locator(".file-name")).to_have_text("реестр.csv")
        # The real input keeps the keyboard focus (Tab reaches it) and its label.
        page.get_by_role("link", name="шаблон XLSX").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "file"
        outline = field.locator(".file-button").evaluate("b => getComputedStyle(b).outlineStyle")
        assert outline == "solid"


class PrintTests:
    def test_a_printed_page_has_no_menu_and_its_table_is_as_wide_as_the_paper(
            self, personas: Any, login: Any) -> None:
        page = login(personas.operator)
        page.goto(page.base_url + "/organizations/")
        page.emulate_media(media="print")
        expect(page.locator(".site-header")).to_be_hidden()
        table = page.locator("table[aria-label=Организации]")
        main = page.locator("main")
        assert abs(table.bounding_box()["width"] - main.bounding_box()["width"]) < 2
        color = page.evaluate("getComputedStyle(document.body).color")
        assert color == "rgb(0, 0, 0)"


class ExplanationTests:
    def test_opening_a_second_explanation_closes_the_first(self, personas: Any, login: Any) -> None:
        from nok.assessments.tests.factories import assessment_of, make_campaign

        campaign = make_campaign([personas.org_a], user=personas.operator)
        assessment = assessment_of(campaign, personas.org_a)
        page = login(personas.operator)
        page.goto(f"{page.base_url}/campaigns/assessment/{assessment.pk}/")
        figures = page.locator("details.figure > summary")
        assert figures.count() >= 2
        figures.nth(0).click()
        figures.nth(1).click()
        expect(page.locator("details.figure[open]")).to_have_count(1)
        expect(page.locator("details.figure").nth(1)).to_have_attribute("open", "")
