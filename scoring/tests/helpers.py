"""Builders for scoring tests: a complete social-2018 assessment document, overridable."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import scoring

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

ALL_CONDITIONS = {
    "remote_channels": ["phone", "email", "e_services", "faq", "opinion_survey"],
    "comfort_conditions": ["rest_zone", "navigation", "drinking_water", "sanitary_rooms",
                           "sanitary_state", "transport", "booking"],
    "disabled_premises": ["ramps", "parking", "lifts_handrails_doors", "wheelchairs", "sanitary_rooms"],
    "disabled_services": ["sound_visual_duplication", "braille", "sign_language",
                          "site_for_visually_impaired", "trained_staff", "remote_or_home"],
}
ANSWERS = ["info_stand", "info_site", "timely", "comfort", "accessibility", "courtesy_first_contact",
           "courtesy_service", "courtesy_remote", "recommend", "schedule", "overall"]


def doc_2018(**sections: Any) -> dict[str, Any]:
    """A perfect organization (everything 100); keyword args replace whole sections."""
    doc: dict[str, Any] = {
        "format": 1,
        "methodology": "social-2018",
        "organization": {"name": "ГБУ КЦСОН «Тест»", "type": "КЦСОН",
                         "forms": ["semi_stationary", "home"], "recipients": 50},
        "observation": {
            "stand": {"required": 14, "present": 14},
            "site": {"required": 21, "present": 21},
            **copy.deepcopy(ALL_CONDITIONS),
        },
        "survey": {"respondents": 60,
                   "answers": {k: {"asked": 20, "yes": 20} for k in ANSWERS}},
    }
    doc.update(sections)
    return doc


def score_doc(doc: dict[str, Any], policy: str | None = None) -> scoring.Result:
    inp = scoring.parse_assessment(doc)
    return scoring.score(scoring.load_methodology(inp.methodology), inp, empty_policy=policy)


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data
