"""Real Chromium: log in through the login form, then import an XLSX into the registry."""

from __future__ import annotations

import io

import pytest
import xlsxwriter

from nok.organizations.importing import COLUMNS
from nok.organizations.models import Organization


def registry_xlsx(path) -> str:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Организации")
    rows = [
        [c.title for c in COLUMNS],
        {"name": "ГБУ «Областной дом ветеранов», г. Кемерово", "inn": "7707083893",
         "type": "Областные дома ветеранов", "forms": "стационарная", "recipients_stationary": 210,
         "municipality": "г. Кемерово"},
        {"name": "ГБУ «Центр социальной помощи семье и детям г. Юрги»", "inn": "500100732259",
         "type": "Центры помощи семье и детям", "forms": "полустационарная",
         "recipients_semi_stationary": 45, "municipality": "г. Юрга"},
    ]
    for r, values in enumerate(rows):
        cells = values if isinstance(values, list) else [values.get(c.key, "") for c in COLUMNS]
        for c, value in enumerate(cells):
            sheet.write(r, c, value)
    book.close()
    target = path / "реестр.xlsx"
    target.write_bytes(buffer.getvalue())
    return str(target)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
class RegistryBrowserTests:
    def test_the_operator_logs_in_and_imports_an_xlsx(self, personas, browser_page, tmp_path) -> None:
        page = browser_page
        page.goto(page.base_url + "/organizations/")
        assert "/login/" in page.url
        page.fill("#id_username", "operator")
        page.fill("#id_password", "test-pass-123")
        page.click("button[type=submit]")
        page.wait_for_url("**/organizations/")
        page.get_by_role("link", name="Импорт из XLSX/CSV").click()
        page.set_input_files("input[type=file]", registry_xlsx(tmp_path))
        page.get_by_role("button", name="Проверить файл").click()
        page.get_by_text("Ошибок нет: будет создано 2, обновлено 0").wait_for()
        page.get_by_role("button", name="Загрузить в реестр").click()
        page.get_by_text("Импорт выполнен: создано 2, обновлено 0").wait_for()
        assert page.get_by_role("link", name="ГБУ «Областной дом ветеранов», г. Кемерово").count() == 1
        assert Organization.objects.get(inn="500100732259").type.name == (
            "Центры социальной помощи семье и детям")

    def test_a_wrong_password_keeps_the_user_on_the_login_form(self, personas, browser_page) -> None:
        page = browser_page
        page.goto(page.base_url + "/login/")
        page.fill("#id_username", "operator")
        page.fill("#id_password", "wrong")
        page.click("button[type=submit]")
        page.get_by_role("alert").wait_for()
        assert "/login/" in page.url
