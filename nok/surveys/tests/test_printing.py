"""Printed matter reopened: nothing runs off the page, filters are explained, QR codes have
their quiet zone."""

from __future__ import annotations

import io

import matplotlib.image
import pytest
import segno
from pypdf import PdfReader

from nok.surveys import printing
from nok.surveys.questionnaire import questions_for
from nok.surveys.tests.factories import make_assessment

pytestmark = pytest.mark.django_db

MM = 72 / 25.4  # points per millimetre
MARGIN = 18 * MM  # the PDFs' left and right margins


def text_runs(content: bytes) -> list[tuple[int, float, str]]:
    """(page index, x of the run's start in points, text) of every text run."""
    runs: list[tuple[int, float, str]] = []
    for index, page in enumerate(PdfReader(io.BytesIO(content)).pages):
        def visit(text, cm, tm, font, size, index=index):
            if text.strip():
                runs.append((index, tm[4] * cm[0] + cm[4], text.strip()))
        page.extract_text(visitor_text=visit)
    return runs


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def assert_inside_the_margins(content: bytes) -> None:
    width = float(PdfReader(io.BytesIO(content)).pages[0].mediabox.width)
    outside = [(page, round(x), text) for page, x, text in text_runs(content)
               if not MARGIN - 1 <= x < width - MARGIN]
    assert outside == []


class PosterTests:
    def test_every_line_starts_inside_the_page_and_the_link_is_printed(self):
        url = "https://nok.example.ru/q/abcd2345/"
        content = printing.poster_pdf(organization="Центр социального обслуживания «Забота»",
                                      campaign="НОК 2026", url=url,
                                      period="с 01.10.2026 по 20.12.2026")
        assert_inside_the_margins(content)
        texts = [text for _, _, text in text_runs(content)]
        assert url in texts
        assert "Опрос проводится с 01.10.2026 по 20.12.2026 в рамках" in " ".join(texts)
        assert len(PdfReader(io.BytesIO(content)).pages) == 1


class PaperQuestionnaireTests:
    def pdf(self, copies=1):
        assessment = make_assessment()
        return printing.paper_pdf(
            organization="ГБУ Кемеровской области «Областной Центр социального обслуживания "
                         "граждан пожилого возраста и инвалидов», г. Новокузнецк",
            campaign="НОК 2026", questions=questions_for(assessment), copies=copies,
        )

    def test_every_line_starts_inside_the_page(self):
        # The organization's name, the sheet number, the filter notes all used to run off
        # the right edge (fpdf2 leaves the cursor at the right after a multi_cell).
        assert_inside_the_margins(self.pdf())

    def test_filter_questions_say_where_to_go_after_no(self):
        text = " ".join(page_texts(self.pdf()))
        # 2 = used_stand; 3 = info_stand (asked only after «Да»): «Нет» goes on to question 4.
        assert "2 — Нет → перейдите к вопросу 4" in " ".join(text.split())
        assert "Отвечайте, если на вопрос 2 Вы ответили «Да»" in " ".join(text.split())

    def test_each_copy_starts_on_a_new_sheet_when_printed_two_sided(self):
        texts = page_texts(self.pdf(copies=3))
        firsts = [i for i, text in enumerate(texts) if "Анкета получателя" in text]
        assert len(firsts) == 3 and all(i % 2 == 0 for i in firsts)

    def test_a_question_and_its_answer_boxes_stay_on_one_page(self):
        for text in page_texts(self.pdf()):
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            # A page never begins with the answer options of a question from the page before.
            assert not lines[0].startswith(("1 —", "2 —"))


class SkipToTests:
    def test_no_after_a_filter_skips_its_dependent_question(self):
        questions = questions_for(make_assessment())
        used_stand = next(q for q in questions if q.key == "used_stand")
        number = {q.key: i for i, q in enumerate(questions, start=1)}
        assert printing.skip_to(used_stand, "no", questions) == number["used_stand"] + 2
        assert printing.skip_to(used_stand, "yes", questions) is None


class QrCodeTests:
    def test_the_png_has_a_quiet_zone_of_four_white_modules(self):
        url = "https://nok.example.ru/q/abcd2345/"
        modules = segno.make(url, error="m", micro=False).symbol_size(scale=1, border=0)[0]
        image = matplotlib.image.imread(io.BytesIO(printing.qr_png(url, scale=10)), format="png")
        assert image.shape[0] == image.shape[1] == (modules + 8) * 10
        border = 4 * 10
        assert image[:border].min() == image[-border:].min() == 1.0  # white rows
        assert image[:, :border].min() == image[:, -border:].min() == 1.0
        assert image[border:-border, border:-border].min() == 0.0  # the code itself

    def test_the_svg_declares_a_quiet_zone_too(self):
        url = "https://nok.example.ru/q/abcd2345/"
        svg = printing.qr_svg(url).decode()
        modules = segno.make(url, error="m", micro=False).symbol_size(scale=1, border=0)[0]
        assert f'width="{(modules + 8) * 10}"' in svg
