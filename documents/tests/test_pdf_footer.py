"""The PDF footer: the running title never runs into the page number, however long the
organization's or the campaign's name."""

from __future__ import annotations

import io
from dataclasses import replace

from pypdf import PdfReader

import documents
from documents.pdf import Document
from documents.samples import sample_campaign, sample_region

LONG_NAME = ("Государственное бюджетное учреждение Кемеровской области «Областной центр "
             "социального обслуживания граждан пожилого возраста и инвалидов», г. Новокузнецк")


def footer_runs(data: bytes) -> list[tuple[str, float]]:
    """(text, x in mm) of each text run in the bottom 15 mm of the first page."""
    page = PdfReader(io.BytesIO(data)).pages[0]
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        if text.strip() and tm[5] < 15 / 25.4 * 72:
            runs.append((text.strip(), tm[4] / 72 * 25.4))

    page.extract_text(visitor_text=visit)
    return runs


class FooterTests:
    def test_a_long_title_is_cut_short_of_the_page_number(self) -> None:
        m, region = sample_region()
        a = replace(region[0], registry=replace(region[0].registry, name=LONG_NAME))
        data = documents.render_protocol_pdf(documents.build_protocol(m, a, sample_campaign(m)))
        runs = footer_runs(data)
        title = next(text for text, _ in runs if text.startswith("Протокол"))
        number_x = next(x for text, x in runs if text.startswith("стр."))
        assert title.endswith("…")
        measure = Document("")
        measure.set_font("DejaVu", "", 7)
        assert 15 + measure.get_string_width(title) < number_x

    def test_a_short_title_is_printed_whole(self) -> None:
        m, region = sample_region()
        data = documents.render_protocol_pdf(documents.build_protocol(m, region[0], sample_campaign(m)))
        title = next(text for text, _ in footer_runs(data) if text.startswith("Протокол"))
        assert title == f"Протокол независимой оценки качества — {region[0].name}"
