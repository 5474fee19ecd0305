"""The demo region's open-data export, recomputed by an independent implementation of
METHODOLOGY.md §2 written here from the text alone (no code of ``scoring``): every indicator,
criterion and total of every organization must agree."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import pytest
from django.core.management import call_command

from nok.assessments.models import Campaign

# METHODOLOGY.md §2, as printed: indicator -> (criterion, weight).
WEIGHTS = {
    "1.1": ("K1", 0.3), "1.2": ("K1", 0.3), "1.3": ("K1", 0.4),
    "2.1": ("K2", 0.3), "2.2": ("K2", 0.4), "2.3": ("K2", 0.3),
    "3.1": ("K3", 0.3), "3.2": ("K3", 0.4), "3.3": ("K3", 0.3),
    "4.1": ("K4", 0.4), "4.2": ("K4", 0.4), "4.3": ("K4", 0.2),
    "5.1": ("K5", 0.3), "5.2": ("K5", 0.2), "5.3": ("K5", 0.5),
}
SHARES = {"2.2": "timely", "2.3": "comfort", "3.3": "accessibility",
          "4.1": "courtesy_first_contact", "4.2": "courtesy_service", "4.3": "courtesy_remote",
          "5.1": "recommend", "5.2": "schedule", "5.3": "overall"}
CONDITIONS = {"1.2": ("remote_channels", 30), "2.1": ("comfort_conditions", 20),
              "3.1": ("disabled_premises", 20), "3.2": ("disabled_services", 20)}


def share(count: dict[str, int] | None) -> float | None:
    if not count or not count["asked"]:
        return None
    return count["yes"] / count["asked"]


def independent_scores(doc: dict[str, Any]) -> tuple[dict[str, float | None], dict[str, float | None], float | None]:
    """Indicators, criteria and total of one assessment file, by METHODOLOGY.md §2 with its
    default policy: an empty part of 1.3 is dropped, an indicator with no data is excluded
    and its criterion's remaining weights are renormalized to sum to 1."""
    obs = doc.get("observation", {})
    answers = doc.get("survey", {}).get("answers", {})
    ind: dict[str, float | None] = {}
    parts = [obs[k]["present"] / obs[k]["required"] for k in ("stand", "site")
             if k in obs and obs[k]["required"]]
    ind["1.1"] = 0.5 * sum(parts) * 100 if len(parts) == 2 else (parts[0] * 100 if parts else None)
    for key, (checklist, points) in CONDITIONS.items():
        ind[key] = min(100, points * len(obs[checklist])) if checklist in obs else None
    info = [s for s in (share(answers.get("info_stand")), share(answers.get("info_site"))) if s is not None]
    ind["1.3"] = sum(info) / len(info) * 100 if info else None
    for key, answer in SHARES.items():
        s = share(answers.get(answer))
        ind[key] = None if s is None else s * 100
    crit: dict[str, float | None] = {}
    for k in ("K1", "K2", "K3", "K4", "K5"):
        kept = [(w, ind[i]) for i, (c, w) in WEIGHTS.items() if c == k and ind[i] is not None]
        weight = sum(w for w, _ in kept)
        crit[k] = sum(w * v for w, v in kept) / weight if kept else None  # type: ignore[operator]
    present = [v for v in crit.values() if v is not None]
    return ind, crit, (sum(present) / len(present) if present else None)


@pytest.mark.django_db
def test_an_independent_implementation_reproduces_the_demo_export(tmp_path) -> None:
    call_command("demo_region", "--limit", "7", stdout=io.StringIO())

    path = tmp_path / "demo.json"
    call_command("campaign_export", Campaign.objects.get(status="fieldwork").pk, "-o", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["organizations"]) == 7
    for entry in data["organizations"]:
        indicators, criteria, total = independent_scores(entry)
        results = entry["results"]
        for key, value in indicators.items():
            expected = results["indicators"][key]
            assert (value is None) == (expected is None), (entry["organization"]["name"], key)
            if value is not None:
                assert math.isclose(value, expected, rel_tol=1e-12, abs_tol=1e-9), key
        for key, value in criteria.items():
            assert math.isclose(value, results["criteria"][key], rel_tol=1e-12), key  # type: ignore[arg-type]
        assert math.isclose(total, results["total"], rel_tol=1e-12)  # type: ignore[arg-type]
