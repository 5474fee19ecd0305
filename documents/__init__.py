"""Documents of a campaign, framework-free: the organization's protocol (DOCX, PDF), the rating
by organization type (XLSX, DOCX), the regional summary report (DOCX, PDF) and the improvement
plan (XLSX, DOCX in the official layout or seed 002's).

Imports :mod:`scoring` and the report libraries only (never Django): the web application and the
``nok report`` CLI build the same documents from the same scoring objects.

    m = scoring.load_methodology("social-2018")
    a = documents.assess(m, scoring.parse_assessment(doc), key="file.json")
    data = documents.render_protocol_pdf(documents.build_protocol(m, a, campaign))

Builders (:mod:`documents.model`) compute; renderers lay out and return bytes. DOCX renderers
take an optional ``template`` (a region's own copy, checked with :func:`validate_template`).
"""

from documents.context import FIELDS, KIND_TITLES, KINDS, REQUIRED
from documents.docx import (
    render_plan_docx,
    render_protocol_docx,
    render_rating_docx,
    render_region_docx,
    shipped_template,
)
from documents.model import (
    Assessed,
    Averages,
    Campaign,
    Plan,
    PlanRow,
    Protocol,
    Rating,
    RatingLine,
    Region,
    Registry,
    TypeSection,
    assess,
    averages,
    build_plan,
    build_protocol,
    build_rating,
    build_region,
    draft_plan,
    rating_rows,
    type_averages,
)
from documents.pdf import render_protocol_pdf, render_region_pdf
from documents.validate import TemplateProblem, validate_template
from documents.xlsx import render_plan_xlsx, render_rating_xlsx

__all__ = [
    "FIELDS", "KINDS", "KIND_TITLES", "REQUIRED", "Assessed", "Averages", "Campaign", "Plan",
    "PlanRow", "Protocol", "Rating", "RatingLine", "Region", "Registry", "TypeSection", "assess",
    "averages", "build_plan", "build_protocol", "build_rating", "build_region", "draft_plan",
    "rating_rows", "render_plan_docx", "render_protocol_docx", "render_protocol_pdf",
    "render_plan_xlsx", "render_rating_docx", "render_rating_xlsx", "render_region_docx",
    "render_region_pdf", "shipped_template", "type_averages", "TemplateProblem",
    "validate_template",
]
