"""Printed matter of the survey: QR codes (PNG, SVG), the A4 stand poster and the paper
questionnaire (PDF). Pure functions returning bytes; views only stream them.

Fonts: DejaVu Sans shipped with matplotlib (Cyrillic coverage, no system font needed).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib
import segno
from django.conf import settings
from django.urls import reverse
from fpdf import FPDF

from nok.surveys.questionnaire import options_of

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def survey_url(code: str) -> str:
    """The absolute public address of a survey (printed on posters and encoded in QR codes)."""
    return settings.SITE_URL.rstrip("/") + reverse("surveys:form", args=[code])


def results_url() -> str:
    """The absolute address of the public results (printed on posters)."""
    return settings.SITE_URL.rstrip("/") + reverse("results:campaigns")


def qr_png(url: str, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=scale, border=4, title="QR-код анкеты", xmldecl=True
    )
    return buffer.getvalue()


def _pdf() -> FPDF:
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 15, 18)
    return pdf


def _output(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def _para(pdf: FPDF, size: float, text: str, *, bold: bool = False, align: str = "L",
          line: float | None = None) -> None:
    """A paragraph across the text width that leaves the cursor at the left margin below it
    (fpdf2's multi_cell otherwise stays at the right edge and the next one runs off the page).
    Left-aligned, not justified: even word spacing is easier to read."""
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.multi_cell(pdf.epw, line or size * 0.5, text, align=align,
                   new_x="LMARGIN", new_y="NEXT")


def _height(pdf: FPDF, size: float, text: str, *, bold: bool = False, line: float) -> float:
    """How tall ``_para`` would print ``text``."""
    pdf.set_font("DejaVu", "B" if bold else "", size)
    lines = pdf.multi_cell(pdf.epw, line, text, dry_run=True, output="LINES")
    assert isinstance(lines, list)
    return len(lines) * line


def poster_pdf(*, organization: str, campaign: str, url: str, period: str,
               results: str = "") -> bytes:
    """A4 poster for the information stand: headline, large QR code, short link, assurances."""
    pdf = _pdf()
    pdf.set_title(f"Опрос получателей услуг — {organization}")
    pdf.add_page()
    _para(pdf, 30, "Оцените качество услуг", bold=True, align="C", line=13)
    pdf.ln(3)
    _para(pdf, 15, organization, align="C", line=8)
    pdf.ln(4)
    side = 100  # the PNG carries its own quiet zone of four modules
    pdf.image(io.BytesIO(qr_png(url, scale=20)), x=(pdf.w - side) / 2, w=side, h=side)
    pdf.ln(4)
    _para(pdf, 15, "Наведите камеру телефона на код или наберите адрес:", align="C", line=8)
    _para(pdf, 20 if len(url) <= 45 else 14, url, bold=True, align="C", line=10)
    pdf.ln(5)
    for text in (
        "Анкета анонимная: мы не спрашиваем имя, телефон или адрес.",
        "Это займёт 3–5 минут. Есть крупный шрифт и высокая контрастность.",
        f"Опрос проводится {period} в рамках независимой оценки качества.",
        "Анкету можно заполнить и на бумаге — спросите у сотрудника.",
    ):
        _para(pdf, 14, text, align="C", line=7.5)
        pdf.ln(1.5)
    if results:
        _para(pdf, 12, f"Результаты оценки будут опубликованы на сайте {results}", align="C",
              line=6.5)
    pdf.ln(2)
    _para(pdf, 10, campaign, align="C", line=5)
    return _output(pdf)


def _number_of(questions: Sequence[Any]) -> dict[str, int]:
    return {q.key: i for i, q in enumerate(questions, start=1)}


def when_text(question: Any, numbers: dict[str, int], questions: Sequence[Any]) -> str:
    """«Отвечайте, если на вопрос 4 Вы ответили «Да»» for a filtered question; '' otherwise."""
    parts = []
    for key, value in (question.when or {}).items():
        source = next((q for q in questions if q.key == key), None)
        label = dict(options_of(source)).get(value, value) if source is not None else value
        parts.append(f"на вопрос {numbers.get(key, key)} Вы ответили «{label}»")
    return ("Отвечайте, если " + " и ".join(parts)) if parts else ""


def skip_to(question: Any, option: str, questions: Sequence[Any]) -> int | None:
    """The number of the question to go to after choosing ``option`` of a filter question,
    when that skips the questions right after it (paper: «→ перейдите к вопросу 5»)."""
    index = next(i for i, q in enumerate(questions) if q.key == question.key)
    for later in range(index + 1, len(questions)):
        when = questions[later].when or {}
        if question.key in when and when[question.key] != option:
            continue
        return later + 1 if later > index + 1 else None
    return None


def paper_pdf(
    *, organization: str, campaign: str, questions: Sequence[Any], copies: int = 1
) -> bytes:
    """The paper questionnaire; options carry the digit the operator types when entering it."""
    pdf = _pdf()
    pdf.set_title(f"Анкета — {organization}")
    numbers = _number_of(questions)
    for _ in range(max(1, copies)):
        if copies > 1 and pdf.page % 2:
            pdf.add_page()  # blank back: printed two-sided, every copy starts on a new sheet
        pdf.add_page()
        _para(pdf, 16, "Анкета получателя социальных услуг", bold=True, align="C", line=8)
        _para(pdf, 12, organization, align="C", line=6)
        _para(pdf, 9, campaign, align="C", line=5)
        pdf.ln(2)
        _para(pdf, 12, "Анкета анонимная. В каждом вопросе отметьте один ответ знаком «✓» "
              "или «×». Если вопрос Вас не касается, пропустите его. Стрелка «→» после "
              "ответа показывает, к какому вопросу перейти.", line=6)
        pdf.ln(1)
        _para(pdf, 10, "№ анкеты (заполняет оператор): ____________", line=7)
        for question in questions:
            _paper_question(pdf, question, numbers, questions)
        pdf.ln(4)
        _para(pdf, 13, "Спасибо за участие в опросе!", bold=True, align="C", line=7)
    return _output(pdf)


BOX = 5.0  # side of a tick box, mm
OPTION_SIZE = 12  # pt: large enough for elderly respondents


def _paper_question(
    pdf: FPDF, question: Any, numbers: dict[str, int], questions: Sequence[Any]
) -> None:
    options = options_of(question)
    title = f"{numbers[question.key]}. {question.text}"
    note = when_text(question, numbers, questions)
    # Keep a question with its answer boxes on one page (measured, not guessed).
    needed = 2.5 + _height(pdf, 12, title, bold=True, line=6) + 8 * (len(options) > 2) + 9
    needed += _height(pdf, 11, f"({note})", line=5.5) if note else 0
    needed += 23 if question.type == "text" else 0
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(2.5)
    _para(pdf, 12, title, bold=True, line=6)
    if note:
        _para(pdf, 11, f"({note})", line=5.5)
    if question.type == "text":
        for _ in range(3):
            pdf.ln(7)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(1)
        return
    pdf.set_font("DejaVu", "", OPTION_SIZE)
    x = pdf.l_margin + 3
    y = pdf.get_y() + 1.5
    for digit, (key, label) in enumerate(options, start=1):
        target = skip_to(question, key, questions)
        text = f"{digit} — {label}" + (f"  → перейдите к вопросу {target}" if target else "")
        text_width = pdf.get_string_width(text) + BOX + 10
        if x > pdf.l_margin + 3 and x + text_width > pdf.l_margin + pdf.epw:
            x = pdf.l_margin + 3
            y += 8
        pdf.rect(x, y + 0.5, BOX, BOX)
        pdf.set_xy(x + BOX + 2, y)
        if text_width > pdf.epw - 3:  # a long option wraps under itself, on its own lines
            pdf.multi_cell(pdf.epw - 3 - BOX - 2, 6, text, align="L",
                           new_x="LMARGIN", new_y="NEXT")
            x, y = pdf.l_margin + 3 + pdf.epw, pdf.get_y() - 6  # the next option: a new line
            continue
        pdf.cell(text_width - BOX - 2, 6, text)
        x += text_width
    pdf.set_xy(pdf.l_margin, y + 8)


def qr_svg_inline(url: str) -> str:
    """An inline <svg> for the management page (decorative: the link is printed beside it)."""
    return str(segno.make(url, error="m").svg_inline(scale=4, border=4, omitsize=True))
