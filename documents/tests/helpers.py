"""Reading generated documents back: DOCX text and table cells (python-docx), XLSX cells
(openpyxl), PDF text (pypdf), and the first page of a PDF as PNG (pdftoppm)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader

import scoring

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
ARTIFACTS = ROOT / "test-artifacts" / "documents"
INTERNAL = ("semi_stationary", "stationary", "info_stand", "renormalize", "None", "K1", "K5",
            "indicator:", "social-2018", "social-2014", "{{", "{%")


def example(name: str) -> scoring.AssessmentInput:
    return scoring.parse_assessment(json.loads((EXAMPLES / name).read_text(encoding="utf-8")))


def docx_tables(data: bytes) -> list[list[list[str]]]:
    doc = Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def docx_page_header(data: bytes) -> str:
    """What heads every page (the first section's header)."""
    return "\n".join(p.text for p in Document(io.BytesIO(data)).sections[0].header.paragraphs)


def docx_pictures(data: bytes) -> int:
    return len(Document(io.BytesIO(data)).inline_shapes)


def pdf_text(data: bytes) -> str:
    """The PDF's text with every run of white space (line breaks inside table cells) as one space."""
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def row_with(tables: list[list[list[str]]], first: str) -> list[str]:
    """The first table row any cell of which equals ``first``."""
    for table in tables:
        for row in table:
            if first in row:
                return row
    raise AssertionError(f"no row with «{first}»")


def assert_no_internal_words(text: str) -> None:
    for word in INTERNAL:
        assert word not in text, f"internal word «{word}» in the document"


def first_page_png(pdf: bytes, name: str) -> Image.Image:
    """Render page 1 with pdftoppm into test-artifacts/documents/NAME.png (kept for a person to
    look at) and return it. pdftoppm missing: a failure in CI, a skip elsewhere."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        message = "pdftoppm is not installed (poppler-utils; .ci/ensure-poppler installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run([exe, "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(ARTIFACTS / name)], check=True, timeout=60)
    image = Image.open(ARTIFACTS / f"{name}.png")
    image.load()
    return image


def ink(image: Image.Image) -> float:
    """Share of the page's pixels that are not white (0: an empty page)."""
    gray = image.convert("L")
    histogram = gray.histogram()
    return 1 - sum(histogram[245:]) / (gray.width * gray.height)


