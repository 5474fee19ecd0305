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


def poster_pdf(*, organization: str, campaign: str, url: str, period: str) -> bytes:
    """A4 poster for the information stand: headline, large QR code, short link, assurances."""
    pdf = _pdf()
    pdf.set_title(f"Опрос получателей услуг — {organization}")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("DejaVu", "B", 30)
    pdf.multi_cell(width, 13, "Оцените качество услуг", align="C")
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 15)
    pdf.multi_cell(width, 8, organization, align="C")
    pdf.ln(4)
    side = 110
    pdf.image(io.BytesIO(qr_png(url, scale=20)), x=(pdf.w - side) / 2, w=side, h=side)
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 14)
    pdf.multi_cell(width, 8, "Наведите камеру телефона на код или откройте адрес:", align="C")
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(width, 10, url, align="C")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 13)
    for line in (
        "Анкета анонимная: мы не спрашиваем имя, телефон или адрес.",
        "Это займёт 3–5 минут. Есть крупный шрифт и высокая контрастность.",
        f"Опрос проводится в период {period} в рамках независимой оценки качества.",
        "Анкету можно заполнить и на бумаге — спросите у сотрудника.",
    ):
        pdf.multi_cell(width, 7, line, align="C")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(width, 5, campaign, align="C")
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


def paper_pdf(
    *, organization: str, campaign: str, questions: Sequence[Any], copies: int = 1
) -> bytes:
    """The paper questionnaire; options carry the digit the operator types when entering it."""
    pdf = _pdf()
    pdf.set_title(f"Анкета — {organization}")
    numbers = _number_of(questions)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for _ in range(max(1, copies)):
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 15)
        pdf.multi_cell(width, 7, "Анкета получателя социальных услуг", align="C")
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(width, 6, organization, align="C")
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(width, 5, campaign, align="C")
        pdf.ln(2)
        pdf.multi_cell(
            width, 5,
            "Анкета анонимная. Отметьте один вариант ответа в каждом вопросе знаком «✓» или «×». "
            "Если вопрос Вас не касается, пропустите его.",
        )
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(width, 8, "№ анкеты (заполняет оператор): ____________", new_x="LMARGIN", new_y="NEXT")
        for question in questions:
            _paper_question(pdf, question, numbers, questions, width)
        pdf.ln(3)
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(width, 6, "Спасибо за участие в опросе!", align="C")
    return _output(pdf)


def _paper_question(
    pdf: FPDF, question: Any, numbers: dict[str, int], questions: Sequence[Any], width: float
) -> None:
    options = options_of(question)
    needed = 12 + (6 if question.when else 0) + (20 if question.type == "text" else 0)
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(width, 5, f"{numbers[question.key]}. {question.text}")
    note = when_text(question, numbers, questions)
    if note:
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(width, 5, f"({note})")
    pdf.set_font("DejaVu", "", 10)
    if question.type == "text":
        for _ in range(3):
            pdf.cell(width, 7, "_" * 80, new_x="LMARGIN", new_y="NEXT")
        return
    x = pdf.l_margin + 4
    y = pdf.get_y() + 1
    for digit, (_, label) in enumerate(options, start=1):
        text = f"{digit} — {label}"
        text_width = pdf.get_string_width(text) + 14
        if x + text_width > pdf.l_margin + width:
            x = pdf.l_margin + 4
            y += 7
        pdf.rect(x, y + 0.5, 4.5, 4.5)
        pdf.set_xy(x + 6, y)
        pdf.cell(text_width - 6, 5.5, text)
        x += text_width
    pdf.set_xy(pdf.l_margin, y + 7)


def qr_svg_inline(url: str) -> str:
    """An inline <svg> for the management page (decorative: the link is printed beside it)."""
    return str(segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True))
