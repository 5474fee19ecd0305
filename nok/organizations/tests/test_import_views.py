"""The import pages: the template, upload -> preview -> confirm, all-or-nothing, by INN."""

from __future__ import annotations

import csv
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from nok.core.models import AuditEntry
from nok.organizations.importing import COLUMNS
from nok.organizations.models import Organization, OrganizationType

pytestmark = pytest.mark.django_db

HEADER = [c.title for c in COLUMNS]
FAMILY = "Центры социальной помощи семье и детям"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def line(name: str, inn: object = "", type_name: str = FAMILY, **values: object) -> list[object]:
    data: dict[str, object] = {"name": name, "inn": inn, "type": type_name,
                               "forms": "полустационарная", "recipients_semi_stationary": 30}
    data.update(values)
    return [data.get(c.key, "") for c in COLUMNS]


def xlsx_upload(rows: list[list[object]], name: str = "реестр.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Организации")
    for r, values in enumerate([HEADER, *rows]):
        for c, value in enumerate(values):
            sheet.write(r, c, value)
    book.close()
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_upload(rows: list[list[object]], *, encoding: str, delimiter: str) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([HEADER, *rows])
    return SimpleUploadedFile("реестр.csv", buffer.getvalue().encode(encoding))


class ImportTemplateTests:
    def test_the_template_reopens_with_headers_example_hints_and_types(self, personas) -> None:
        response = client_for(personas.operator).get(reverse("organizations:import_template"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        assert book.sheet_names == ["Организации", "Подсказки", "Типы"]
        data = book.get_sheet_by_name("Организации").to_python()
        assert data[0][:4] == ["Полное наименование*", "Краткое наименование", "ИНН", "Тип организации*"]
        assert data[1][0].startswith("Пример: ГБУ")
        assert data[1][2] == "7707083893"
        hints = book.get_sheet_by_name("Подсказки").to_python()
        assert hints[3][0] == "ИНН" and "контрольным числом" in hints[3][1]
        types = [r[0] for r in book.get_sheet_by_name("Типы").to_python()[1:]]
        assert "Областные дома ветеранов" in types and FAMILY in types

    def test_the_untouched_template_imports_nothing(self, personas) -> None:
        template = client_for(personas.operator).get(reverse("organizations:import_template")).content
        response = client_for(personas.operator).post(
            reverse("organizations:import"), {"file": SimpleUploadedFile("t.xlsx", template)})
        assert [e.message for e in response.context["result"].errors] == [
            "в файле нет ни одной организации"]

    @pytest.mark.parametrize("name", ["ministry", "council", "org_admin", "outsider", "nobody"])
    def test_only_the_operator_downloads_it(self, personas, name) -> None:
        response = client_for(getattr(personas, name)).get(reverse("organizations:import_template"))
        assert response.status_code == 403


class ImportUploadTests:
    def test_a_valid_xlsx_is_previewed_then_imported_on_confirmation(self, personas) -> None:
        Organization.objects.filter(pk=personas.org_a.pk).update(inn="7707083893")
        client = client_for(personas.operator)
        response = client.post(reverse("organizations:import"), {"file": xlsx_upload([
            line("ГБУ «Центр помощи семье г. Юрги»", 500100732259, website="urga-family.ru"),
            line("ГБУ «КЦСОН Канавинского района» (новое имя)", "7707083893", type_name="ЦСОН"),
        ])})
        result = response.context["result"]
        assert result.errors == [] and (result.created, result.updated) == (1, 1)
        assert "будет создано 1, обновлено 1" in response.content.decode()
        assert not Organization.objects.filter(inn="500100732259").exists()  # preview only

        response = client.post(reverse("organizations:import_confirm"), follow=True)
        assert "Импорт выполнен: создано 1, обновлено 1" in response.content.decode()
        created = Organization.objects.get(inn="500100732259")
        assert created.website == "https://urga-family.ru" and created.recipients_semi_stationary == 30
        personas.org_a.refresh_from_db()
        assert personas.org_a.name == "ГБУ «КЦСОН Канавинского района» (новое имя)"
        assert personas.org_a.type.name == "Центры социального обслуживания населения"
        assert AuditEntry.objects.filter(object_type="organizations.organization").count() == 2

    def test_a_file_with_one_bad_row_saves_nothing_and_names_row_and_column(self, personas) -> None:
        client = client_for(personas.operator)
        response = client.post(reverse("organizations:import"), {"file": xlsx_upload([
            line("Хорошая", "7707083893"),
            line("Плохая", "7707083894", recipients_semi_stationary=-1),
            line("", type_name="Неведомый тип"),
            line("Повтор", "7707083893", forms="стационарная, ночлежная"),
        ])})
        body = response.content.decode()
        errors = [(e.row, e.column) for e in response.context["result"].errors]
        assert errors == [
            (3, "ИНН"), (3, "Получателей: полустационарная"),
            (4, "Полное наименование"), (4, "Тип организации"),
            (5, "Формы обслуживания"), (5, "Получателей: полустационарная"), (5, "ИНН"),
        ]
        assert "Ничего не загружено" in body and "Загрузить в реестр" not in body
        confirm = client.post(reverse("organizations:import_confirm"), follow=True)
        assert "Нет проверенного файла" in confirm.content.decode()
        assert not Organization.objects.filter(name="Хорошая").exists()

    @pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
    @pytest.mark.parametrize("delimiter", [";", ","])
    def test_a_csv_in_either_encoding_and_separator_imports(self, personas, encoding, delimiter) -> None:
        client = client_for(personas.operator)
        upload = csv_upload([line("ГБУ «Центр «Семья», г. Белово»", "7707083893", type_name="центры социальной помощи семье и детям")],
                            encoding=encoding, delimiter=delimiter)
        response = client.post(reverse("organizations:import"), {"file": upload})
        assert response.context["result"].errors == []
        client.post(reverse("organizations:import_confirm"))
        assert Organization.objects.get(inn="7707083893").name == "ГБУ «Центр «Семья», г. Белово»"

    def test_a_row_that_became_invalid_since_the_preview_rolls_back_everything(self, personas) -> None:
        OrganizationType.objects.create(name="Дома-интернаты")
        client = client_for(personas.operator)
        client.post(reverse("organizations:import"), {"file": xlsx_upload([
            line("Первая", "7707083893"), line("Вторая", "500100732259", type_name="Дома-интернаты")])})
        OrganizationType.objects.filter(name="Дома-интернаты").delete()
        response = client.post(reverse("organizations:import_confirm"), follow=True)
        assert "Строка 3: неизвестный тип «Дома-интернаты». Ничего не сохранено." in response.content.decode()
        assert not Organization.objects.filter(name="Первая").exists()

    def test_an_unreadable_file_is_a_form_error(self, personas) -> None:
        response = client_for(personas.operator).post(
            reverse("organizations:import"), {"file": SimpleUploadedFile("x.xlsx", b"garbage")})
        assert "Не удалось прочитать таблицу" in response.content.decode()

    def test_a_wrong_extension_is_refused(self, personas) -> None:
        response = client_for(personas.operator).post(
            reverse("organizations:import"), {"file": SimpleUploadedFile("x.docx", b"x")})
        assert "Поддерживаются файлы" in response.content.decode()

    @pytest.mark.parametrize("name", ["ministry", "council", "org_admin", "outsider", "nobody"])
    def test_only_the_operator_imports(self, personas, name) -> None:
        client = client_for(getattr(personas, name))
        response = client.post(reverse("organizations:import"),
                               {"file": xlsx_upload([line("Чужая", "7707083893")])})
        assert response.status_code == 403
        assert client.post(reverse("organizations:import_confirm")).status_code == 403
        assert not Organization.objects.filter(name="Чужая").exists()


class UntrustedFileTests:
    """Issue 7 item 7 and issue 8: what a careless or hostile file does to the import page."""

    def test_a_cp1251_csv_with_a_byte_that_is_no_letter_is_a_form_error_not_a_500(
        self, personas
    ) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows([HEADER, line("ГБУ «КЦСОН»", "7707083893")])
        content = buffer.getvalue().encode("cp1251").replace("ГБУ".encode("cp1251"),
                                                             "ГБУ".encode("cp1251") + b"\x98")
        response = client_for(personas.operator).post(
            reverse("organizations:import"), {"file": SimpleUploadedFile("реестр.csv", content)})
        assert response.status_code == 200
        assert "в строке 2 файла есть байт 0x98" in response.content.decode()
        assert not Organization.objects.filter(inn="7707083893").exists()

    def test_a_nul_in_a_name_is_refused_at_the_preview_and_nothing_waits_for_confirmation(
        self, personas
    ) -> None:
        client = client_for(personas.operator)
        client.post(reverse("organizations:import"), {"file": xlsx_upload([line("Прежний файл")])})
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows([HEADER, line("ГБУ\x00 «КЦСОН»")])
        response = client.post(reverse("organizations:import"), {
            "file": SimpleUploadedFile("реестр.csv", buffer.getvalue().encode())})
        assert "нулевой символ (NUL)" in response.content.decode()
        confirmed = client.post(reverse("organizations:import_confirm"), follow=True)
        assert "Нет проверенного файла для загрузки" in confirmed.content.decode()
        # Neither the NUL file nor the file previewed before it was saved.
        assert set(Organization.objects.values_list("name", flat=True)) == {
            personas.org_a.name, personas.org_b.name}

    def test_a_website_that_is_no_url_is_a_row_error_not_a_500(self, personas) -> None:
        response = client_for(personas.operator).post(reverse("organizations:import"), {
            "file": xlsx_upload([line("ГБУ «КЦСОН»", "7707083893", website="http://[::1")])})
        assert response.status_code == 200
        assert "некорректный адрес сайта «http://[::1»" in response.content.decode()

    def test_a_hostile_workbook_is_refused_and_the_site_goes_on_serving(self, personas) -> None:
        from nok.core.tests.hostile import far_cell_at_data_path

        client = client_for(personas.operator)
        response = client.post(reverse("organizations:import"), {
            "file": SimpleUploadedFile("реестр.xlsx", far_cell_at_data_path())})
        assert "Таблица слишком велика: её ячейки доходят до XFD1048576" in response.content.decode()
        assert client.get(reverse("organizations:list")).status_code == 200
