"""Sample organizations for checking a template (and for the bench): a small social-2018 region
with shortcomings, a control protocol, an organization below the sample minimum, and an earlier
campaign to compare with. Synthetic, deterministic."""

from __future__ import annotations

from typing import Any

import scoring
from documents.model import Assessed, Campaign, assess

TYPES = ("Комплексный центр социального обслуживания населения", "Дом-интернат для престарелых и инвалидов")


def sample_document(index: int, *, year_shift: int = 0) -> dict[str, Any]:
    """An assessment file (format 1) of sample organization ``index``; ``year_shift`` > 0 gives
    the same organization a year earlier (fewer conditions present)."""
    m = scoring.load_methodology("social-2018")
    observation: dict[str, Any] = {}
    for checklist in m.checklists:
        keys = [item.key for item in checklist.items]
        drop = (index + year_shift) % 3 + year_shift
        if checklist.kind == "items":
            missing = keys[: min(drop, len(keys))]
            observation[checklist.key] = {"required": len(keys), "present": len(keys) - len(missing),
                                          "missing": missing}
        else:
            observation[checklist.key] = keys[min(drop, len(keys)):]
    respondents = 12 if index == 2 else 40 + index * 7
    answers = {}
    for j, key in enumerate(m.answer_keys()):
        asked = respondents - (j % 4) * 3
        answers[key] = {"asked": asked, "yes": max(0, asked - (index + j + year_shift) % 5)}
    return {
        "format": 1, "methodology": m.slug,
        "organization": {"name": f"ГБУ «Центр социального обслуживания № {index + 1}»",
                         "type": TYPES[index % 2], "forms": ["semi_stationary", "home"],
                         "recipients": 60 + index * 20},
        "observation": observation,
        "survey": {"respondents": respondents, "answers": answers},
        "control": {"semi_stationary": {"recipients": 30, "calls": {"received": 2, "effective": 1 + index % 2},
                                        "emails": {"received": 1, "effective": 1},
                                        "complaints": {"registered": index % 2, "resolved": index % 2}},
                    "home": {"recipients": 30 + index * 20, "calls": None, "emails": None,
                             "complaints": {"registered": 0, "resolved": 0}}},
    }


def sample_region(n: int = 4, *, year_shift: int = 0) -> tuple[scoring.Methodology, list[Assessed]]:
    m = scoring.load_methodology("social-2018")
    out = []
    for i in range(n):
        inp = scoring.parse_assessment(sample_document(i, year_shift=year_shift))
        out.append(assess(m, inp, key=f"sample-{i}"))
    return m, out


def sample_campaign(m: scoring.Methodology, year: int = 2026) -> Campaign:
    return Campaign.of(m, name=f"НОК {year}", region="Образцовая область", year=year,
                       period=f"{year} год", operator="Центр социологических исследований",
                       ministry="Министерство социальной защиты населения Образцовой области")
