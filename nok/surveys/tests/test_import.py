"""Import of form-service exports: mapping suggestion, row errors, all-or-nothing, no doubles."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nok.core.models import AuditEntry
from nok.surveys.imports import TIMESTAMP, suggest_mapping, suggest_value, unmatched_values
from nok.surveys.models import ImportJob, ImportValueMap, Response
from nok.surveys.questionnaire import options_of, questions_for
from nok.surveys.services import ImportRowsError, import_job_create, import_run
from nok.surveys.tests.factories import make_assessment

pytestmark = pytest.mark.django_db

HEADER = [
    "Отметка времени",
    "Кем Вы являетесь?",
    "Пользовались ли Вы официальным сайтом организации, чтобы получить информацию о её деятельности?",
    "Удовлетворены ли Вы открытостью, полнотой и доступностью информации о деятельности "
    "организации, размещённой на её официальном сайте в сети «Интернет»?",
    "Своевременно ли Вам была предоставлена услуга?",
    "Ваши предложения",
]


def csv_bytes(rows, header=HEADER) -> bytes:
    lines = [header, *rows]
    return "\n".join(";".join(f'"{c}"' for c in line) for line in lines).encode("utf-8-sig")


GOOD_ROWS = [
    ["2026/03/12 10:23:45 GMT+3", "Получатель социальных услуг", "Да", "Нет", "Да", ""],
    ["12.03.2026 11:00:00", "Родственник (законный представитель) получателя социальных услуг",
     "Нет", "", "да", "Больше кружков"],
]


def job_for(assessment, content, filename="ответы.csv", user=None):
    return import_job_create(assessment=assessment, filename=filename, content=content, user=user)


class SuggestMappingTests:
    def test_it_matches_columns_to_questions_by_text(self):
        assessment = make_assessment()
        mapping = suggest_mapping(HEADER, questions_for(assessment))
        assert mapping == {0: TIMESTAMP, 1: "respondent", 2: "used_site", 3: "info_site",
                           4: "timely", 5: "suggestions"}


class ImportRunTests:
    def test_it_imports_every_row_and_counts_filters(self, personas):
        assessment = make_assessment()
        job = job_for(assessment, csv_bytes(GOOD_ROWS))
        job = import_run(job=job, mapping=job.mapping, user=personas.operator)
        assert (job.imported, job.skipped) == (2, 0)
        first, second = Response.objects.order_by("submitted_at")
        assert first.answers == {
            "respondent": "recipient", "used_site": "yes", "info_site": "no", "timely": "yes"}
        assert second.texts["suggestions"] == "Больше кружков"
        assert first.submitted_at == datetime(2026, 3, 12, 7, 23, 45, tzinfo=UTC)
        assert first.channel == "import"
        assert AuditEntry.objects.filter(action="import").count() == 1

    def test_importing_the_same_file_again_adds_nothing(self, personas):
        assessment = make_assessment()
        content = csv_bytes(GOOD_ROWS)
        import_run(job=job_for(assessment, content), mapping=job_for(assessment, content).mapping,
                   user=personas.operator)
        again = job_for(assessment, content)
        again = import_run(job=again, mapping=again.mapping, user=personas.operator)
        assert (again.imported, again.skipped) == (0, 2)
        assert Response.objects.count() == 2

    def test_two_identical_rows_are_two_respondents(self, personas):
        assessment = make_assessment()
        row = ["", "Получатель социальных услуг", "Нет", "", "Да", ""]
        job = job_for(assessment, csv_bytes([row, row]))
        assert import_run(job=job, mapping=job.mapping, user=personas.operator).imported == 2

    def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(self, personas):
        assessment = make_assessment()
        rows = [*GOOD_ROWS, ["вчера", "Получатель социальных услуг", "Может быть", "", "Да", ""]]
        job = job_for(assessment, csv_bytes(rows))
        with pytest.raises(ImportRowsError) as caught:
            import_run(job=job, mapping=job.mapping, user=personas.operator)
        assert [str(e) for e in caught.value.row_errors] == [
            "Строка 4, столбец «Отметка времени»: не удалось разобрать дату и время «вчера»",
            f"Строка 4, столбец «{HEADER[2]}»: ответ «Может быть» не из списка («Да», «Нет»)",
        ]
        assert not Response.objects.exists()

    def test_two_columns_mapped_to_one_question_are_refused(self, personas):
        from django.core.exceptions import ValidationError

        assessment = make_assessment()
        job = job_for(assessment, csv_bytes(GOOD_ROWS))
        with pytest.raises(ValidationError, match="Несколько столбцов"):
            import_run(job=job, mapping={**job.mapping, "4": "used_site"}, user=personas.operator)

    def test_it_reads_an_xlsx_export(self, personas):
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet()
        for r, row in enumerate([HEADER, *GOOD_ROWS]):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
        book.close()
        assessment = make_assessment()
        job = job_for(assessment, buffer.getvalue(), filename="export.xlsx")
        assert import_run(job=job, mapping=job.mapping, user=personas.operator).imported == 2


class ImportViewTests:
    def test_upload_then_confirm_the_mapping(self, client, personas):
        assessment = make_assessment(personas.org_a)
        client.force_login(personas.operator)
        upload = SimpleUploadedFile("ответы.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")
        answer = client.post(reverse("surveys:import_upload", args=[assessment.pk]), {"file": upload})
        job = ImportJob.objects.get()
        assert answer["Location"] == reverse("surveys:import_map", args=[job.pk])
        page = client.get(answer["Location"])
        assert page.context["form"]["col_3"].initial == "info_site"
        data = {f"col_{i}": v for i, v in job.mapping.items()}
        done = client.post(answer["Location"], data)
        assert done["Location"] == reverse("surveys:manage", args=[assessment.pk])
        assert Response.objects.count() == 2

    def test_row_errors_are_listed_and_nothing_is_stored(self, client, personas):
        assessment = make_assessment(personas.org_a)
        job = job_for(assessment, csv_bytes([["", "Кто-то", "Да", "Да", "Да", ""]]))
        client.force_login(personas.operator)
        columns = {f"col_{i}": v for i, v in job.mapping.items()}
        step = client.post(reverse("surveys:import_map", args=[job.pk]), columns)
        assert step.status_code == 200 and not Response.objects.exists()  # values asked first
        field = step.context["values"].groups[0].rows[0][0]
        assert field.label == "Кто-то" and field.initial == ""  # nothing like it among options
        page = client.post(reverse("surveys:import_map", args=[job.pk]),
                           {**columns, "values_step": "1", field.html_name: ""})
        assert page.status_code == 400
        assert "ответ «Кто-то» не из списка" in page.content.decode()
        assert not Response.objects.exists()

    def test_an_unreadable_file_is_refused_on_upload(self, client, personas):
        assessment = make_assessment(personas.org_a)
        client.force_login(personas.operator)
        upload = SimpleUploadedFile("ответы.pdf", b"%PDF-1.4", content_type="application/pdf")
        page = client.post(reverse("surveys:import_upload", args=[assessment.pk]), {"file": upload})
        assert "Поддерживаются файлы CSV и XLSX" in page.content.decode()

    def test_the_ministry_may_not_import(self, client, personas):
        assessment = make_assessment(personas.org_a)
        client.force_login(personas.ministry)
        assert client.get(reverse("surveys:import_upload", args=[assessment.pk])).status_code == 403

    def test_an_outsider_gets_404(self, client, personas):
        assessment = make_assessment(personas.org_a)
        job = job_for(assessment, csv_bytes(GOOD_ROWS))
        client.force_login(personas.outsider)
        assert client.get(reverse("surveys:import_map", args=[job.pk])).status_code == 404


def full_answers(questions, variant: int) -> dict[str, str]:
    """Labels a respondent would have chosen in the form service, filters respected."""
    chosen: dict[str, str] = {}
    for question in questions:
        when = question.when or {}
        if any(chosen.get(k) != v for k, v in when.items()):
            continue
        if question.type == "text":
            chosen[question.key] = "Спасибо сотрудникам" if variant % 2 else ""
            continue
        options = [key for key, _ in options_of(question)]
        chosen[question.key] = options[variant % len(options)]
    return chosen


def label_row(questions, chosen) -> list[str]:
    return [dict(options_of(q)).get(chosen.get(q.key, ""), chosen.get(q.key, "")) for q in questions]


class RealisticExportTests:
    """Exports as the services produce them: every question's full text as the header."""

    def google_csv(self, questions, broken=False) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)  # Google Forms: comma, UTF-8, «Отметка времени» first
        writer.writerow(["Отметка времени", "Адрес электронной почты", *(q.text for q in questions)])
        for n in range(12):
            row = [f"{20 + n // 6}.11.2026 {9 + n}:{n * 4:02d}:15", f"person{n}@example.ru",
                   *label_row(questions, full_answers(questions, n))]
            writer.writerow(row)
        if broken:
            writer.writerow(["21.11.2026 12:00:00", "", "Сосед", *[""] * (len(questions) - 1)])
            writer.writerow(["вчера", "", "Получатель социальных услуг", *[""] * (len(questions) - 1)])
        return buffer.getvalue().encode("utf-8")

    def yandex_xlsx(self, questions, broken=False) -> bytes:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet("Ответы")
        when = book.add_format({"num_format": "dd.mm.yyyy hh:mm:ss"})
        sheet.write_row(0, 0, ["ID", "Время создания", *(q.text for q in questions)])
        for n in range(10):
            sheet.write_number(n + 1, 0, 3_481_000 + n)
            sheet.write_datetime(n + 1, 1, datetime(2026, 11, 20, 10, n * 5), when)
            labels = label_row(questions, full_answers(questions, n))
            # Yandex Forms writes «ДА»/«НЕТ» in some versions: case must not matter.
            sheet.write_row(n + 1, 2, [v.upper() if v in {"Да", "Нет"} and n % 3 == 0 else v
                                       for v in labels])
        if broken:
            sheet.write_row(11, 0, [3_481_999, "", "", "Может быть"])
        book.close()
        return buffer.getvalue()

    @pytest.mark.parametrize("kind", ["google", "yandex"])
    def test_an_export_is_mapped_by_itself_and_imported_whole(self, personas, kind):
        assessment = make_assessment()
        questions = questions_for(assessment)
        content = self.google_csv(questions) if kind == "google" else self.yandex_xlsx(questions)
        job = job_for(assessment, content, filename="ответы.csv" if kind == "google" else "ответы.xlsx")
        mapped = {v for v in job.mapping.values() if v}
        assert mapped == {TIMESTAMP, *(q.key for q in questions)}  # e-mail and ID left out
        job = import_run(job=job, mapping=job.mapping, user=personas.operator)
        assert job.imported == (12 if kind == "google" else 10)
        first = Response.objects.order_by("submitted_at").first()
        assert first.submitted_at.date().isoformat() == "2026-11-20"
        assert first.answers["respondent"] == "recipient"

    @pytest.mark.parametrize("kind", ["google", "yandex"])
    def test_broken_rows_are_named_and_nothing_is_saved(self, personas, kind):
        assessment = make_assessment()
        questions = questions_for(assessment)
        content = (self.google_csv(questions, broken=True) if kind == "google"
                   else self.yandex_xlsx(questions, broken=True))
        job = job_for(assessment, content, filename="ответы.csv" if kind == "google" else "ответы.xlsx")
        with pytest.raises(ImportRowsError) as caught:
            import_run(job=job, mapping=job.mapping, user=personas.operator)
        errors = [str(e) for e in caught.value.row_errors]
        if kind == "google":
            assert errors == [
                "Строка 14, столбец «Кем Вы являетесь?»: ответ «Сосед» не из списка "
                "(«Получатель социальных услуг», «Родственник (законный представитель) "
                "получателя социальных услуг»)",
                "Строка 15, столбец «Отметка времени»: не удалось разобрать дату и время «вчера»",
            ]
        else:
            assert errors == [
                f"Строка 12, столбец «{questions[1].text}»: ответ «Может быть» не из списка "
                "(«Да», «Нет»)",
            ]
        assert not Response.objects.exists()

    def test_the_file_is_not_kept_after_the_import(self, client, personas):
        # It may hold e-mail addresses (a column never loaded): only its checksum stays.
        assessment = make_assessment(personas.org_a)
        job = job_for(assessment, self.google_csv(questions_for(assessment)))
        import_run(job=job, mapping=job.mapping, user=personas.operator)
        job.refresh_from_db()
        assert bytes(job.content) == b"" and job.sha256 and job.imported == 12
        client.force_login(personas.operator)
        again = client.get(reverse("surveys:import_map", args=[job.pk]))
        assert again["Location"] == reverse("surveys:manage", args=[assessment.pk])


class UntrustedExportTests:
    """Issue 8 item 2: fields over the csv module's 131,072 characters, NUL characters."""

    def test_an_answer_of_200_thousand_characters_is_read_not_a_500(self, client, personas):
        assessment = make_assessment(personas.org_a)
        client.force_login(personas.operator)
        row = [*GOOD_ROWS[0][:5], "я" * 200_000]
        upload = SimpleUploadedFile("ответы.csv", csv_bytes([row]), content_type="text/csv")
        answer = client.post(reverse("surveys:import_upload", args=[assessment.pk]), {"file": upload})
        assert answer.status_code == 302
        assert ImportJob.objects.get().filename == "ответы.csv"

    def test_a_nul_character_is_refused_on_upload_naming_the_line(self, client, personas):
        assessment = make_assessment(personas.org_a)
        client.force_login(personas.operator)
        content = csv_bytes([GOOD_ROWS[0], [*GOOD_ROWS[1][:5], "Больше\x00кружков"]])
        upload = SimpleUploadedFile("ответы.csv", content, content_type="text/csv")
        page = client.post(reverse("surveys:import_upload", args=[assessment.pk]), {"file": upload})
        assert "Строка 3 файла: нулевой символ (NUL)" in page.content.decode()
        assert not ImportJob.objects.exists()

    def test_a_stored_file_that_can_no_longer_be_read_sends_back_to_the_upload(
        self, client, personas
    ):
        assessment = make_assessment(personas.org_a)
        job = job_for(assessment, csv_bytes(GOOD_ROWS))
        ImportJob.objects.filter(pk=job.pk).update(content=b"\x00")  # damaged in storage
        client.force_login(personas.operator)
        page = client.get(reverse("surveys:import_map", args=[job.pk]), follow=True)
        assert "нулевой символ (NUL)" in page.content.decode()
        assert page.redirect_chain[-1][0] == reverse("surveys:import_upload", args=[assessment.pk])

    def test_a_mapping_to_no_such_question_is_shown_at_its_column(self, client, personas):
        # Found by the fuzzer: the form's field errors were not on the page (a bare 400).
        assessment = make_assessment(personas.org_a)
        job = job_for(assessment, csv_bytes(GOOD_ROWS))
        client.force_login(personas.operator)
        data = {f"col_{i}": v for i, v in job.mapping.items()} | {"col_1": "no_such_question"}
        page = client.post(reverse("surveys:import_map", args=[job.pk]), data)
        assert page.status_code == 400
        assert "Выберите корректный вариант" in page.content.decode()
        assert not Response.objects.exists()


RELATIVE = "Родственник (законный представитель) получателя социальных услуг"


def short_rows() -> list[list[str]]:
    """An export whose service wrote the options shorter than the questionnaire does."""
    return [
        ["2026/03/12 10:23:45", "Родственник", "Да", "Нет", "Да", ""],
        ["2026/03/12 11:00:00", "получатель", "Нет", "", "Да", ""],
        ["2026/03/12 12:00:00", "Мама получателя", "Нет", "", "Да", ""],
        ["2026/03/12 13:00:00", "Родственник", "Нет", "", "н/д", ""],
    ]


class ValueSuggestionTests:
    def test_a_shortened_label_or_other_case_means_its_option(self):
        options = [("recipient", "Получатель социальных услуг"), ("relative", RELATIVE)]
        assert suggest_value("Родственник", options) == "relative"
        assert suggest_value("ПОЛУЧАТЕЛЬ", options) == "recipient"
        assert suggest_value("Родственник (законный представитель) получателя социальных услуг.",
                             options) == "relative"
        assert suggest_value("Мама", options) == ""
        assert suggest_value("", options) == ""

    def test_the_unmatched_values_of_each_mapped_question_are_listed_most_frequent_first(self):
        assessment = make_assessment()
        rows = [HEADER, *short_rows()]
        found = unmatched_values(rows, suggest_mapping(HEADER, questions_for(assessment)),
                                 questions_for(assessment))
        assert [(q.key, values) for q, values in found] == [
            ("respondent", [("Родственник", 2), ("Мама получателя", 1), ("получатель", 1)]),
            ("timely", [("н/д", 1)]),
        ]


class ValueMappingViewTests:
    def post_columns(self, client, job, extra=None):  # type: ignore[no-untyped-def]
        columns = {f"col_{i}": v for i, v in job.mapping.items()}
        return client.post(reverse("surveys:import_map", args=[job.pk]), {**columns, **(extra or {})})

    def values_of(self, page) -> dict[str, tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
        return {field.label: (field.html_name, field.initial, known)
                for group in page.context["values"].groups for field, _, known in group.rows}

    def test_values_not_in_the_questionnaire_are_mapped_then_imported_and_remembered(
            self, client, personas):
        assessment = make_assessment(personas.org_a)
        client.force_login(personas.operator)
        upload = SimpleUploadedFile("ответы.csv", csv_bytes(short_rows()), content_type="text/csv")
        client.post(reverse("surveys:import_upload", args=[assessment.pk]),
                    {"file": upload, "source": "Яндекс Формы  — соцзащита"})
        job = ImportJob.objects.get()
        assert job.source == "Яндекс Формы — соцзащита"
        step = self.post_columns(client, job)
        assert step.status_code == 200 and not Response.objects.exists()
        values = self.values_of(step)
        assert values["Родственник"][1] == "relative"  # pre-filled by the beginning of the label
        assert values["получатель"][1] == "recipient"
        assert values["Мама получателя"][1] == ""
        done = self.post_columns(client, job, {
            "values_step": "1", values["Родственник"][0]: "relative",
            values["получатель"][0]: "recipient", values["Мама получателя"][0]: "relative",
            values["н/д"][0]: "__blank__",
        })
        assert done.status_code == 302
        stored = [r.answers for r in Response.objects.all()]
        respondents = sorted(answers["respondent"] for answers in stored)
        assert respondents == ["recipient", "relative", "relative", "relative"]
        assert sum("timely" in answers for answers in stored) == 3  # «н/д»: none
        remembered = dict(ImportValueMap.objects.filter(source=job.source)
                          .values_list("value", "option"))
        assert remembered == {"родственник": "relative", "получатель": "recipient",
                              "мама получателя": "relative", "н д": ""}

    def test_the_next_file_of_the_same_source_is_pre_filled_and_another_source_is_not(
            self, client, personas):
        assessment = make_assessment(personas.org_a)
        client.force_login(personas.operator)
        first = import_job_create(assessment=assessment, filename="1.csv", user=None,
                                  content=csv_bytes(short_rows()), source="Google Формы")
        import_run(job=first, mapping=first.mapping, user=personas.operator,
                   values={"respondent": {"Мама получателя": "relative", "Родственник": "relative",
                                          "получатель": "recipient"},
                           "timely": {"н/д": "__blank__"}})
        rows = [["2026/04/01 10:00:00", "мама получателя!", "Да", "Да", "н/д", ""]]
        same = import_job_create(assessment=assessment, filename="2.csv", user=None,
                                 content=csv_bytes(rows), source="Google Формы")
        values = self.values_of(self.post_columns(client, same))
        assert values["мама получателя!"][1:] == ("relative", True)
        assert values["н/д"][1:] == ("__blank__", True)
        other = import_job_create(assessment=assessment, filename="3.csv", user=None,
                                  content=csv_bytes(rows), source="Анкетёр")
        assert self.values_of(self.post_columns(client, other))["мама получателя!"][1:] == ("", False)

    def test_an_option_the_question_does_not_have_is_refused_naming_the_value(self, personas):
        from django.core.exceptions import ValidationError

        assessment = make_assessment()
        job = job_for(assessment, csv_bytes(short_rows()))
        with pytest.raises(ValidationError, match="Значение «Родственник»: у вопроса «Кем Вы являетесь"):
            import_run(job=job, mapping=job.mapping, user=personas.operator,
                       values={"respondent": {"Родственник": "yes"}})
        assert not Response.objects.exists() and not ImportValueMap.objects.exists()
