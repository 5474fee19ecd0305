"""Display of scores: round only here (two decimals, comma), never in storage."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django import template

from nok.assessments.models import Campaign
from nok.methodology.services import methodology_load
from scoring import labels
from scoring.labels import INPUT_LABELS

register = template.Library()


@register.filter
def score(value: Any, digits: int = 2) -> str:
    """93.6 -> "93,6"; 100.0 -> "100"; 66.6666 -> "66,67"; None -> "—"."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{number:.{int(digits)}f}".rstrip("0").rstrip(".")
    return (text if text not in {"-0", ""} else "0").replace(".", ",")


@register.filter
def score_fixed(value: Any) -> str:
    """For columns of scores: always two decimals so the commas line up (98.8 -> "98,80")."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):.2f}".replace(".", ",")
    except (TypeError, ValueError):
        return str(value)


@register.filter
def plain(value: Any) -> str:
    """An explanation input: numbers like ``score``, lists joined, booleans in Russian."""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float):
        return score(value, 4)
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{INPUT_LABELS.get(k, k)}: {plain(v)}" for k, v in value.items()) or "—"
    if value is None:
        return "—"
    return str(value)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def source_label(value: str) -> str:
    """Indicator source in Russian: "observation+site" -> "наблюдение, мониторинг сайта"."""
    return labels.source_label(str(value or ""))


_TICK_REPR = re.compile(r"^([a-z0-9_]+)/([\w-]+): (да|нет)$")


@lru_cache(maxsize=64)
def _checklist_names(campaign_id: int) -> dict[tuple[str, str], str]:
    """(checklist key, item key) -> «Title»: item label, for one campaign's methodology (a
    campaign's methodology is fixed once its checklists are filled)."""
    campaign = Campaign.objects.select_related("methodology").filter(pk=campaign_id).first()
    if campaign is None:
        return {}
    method = methodology_load(campaign.methodology)
    return {(c.key, item.key): f"«{c.title}»: {item.label}" for c in method.checklists
            for item in c.items}


@register.filter
def audit_object(entry: Any) -> str:
    """What a journal entry changed, in words: its kind and its name. Checklist ticks recorded
    before their entries were named (``comfort_conditions/booking: да``) get the list's title
    and the item's label from the campaign's methodology."""
    text = str(entry.object_repr)
    match = _TICK_REPR.match(text)
    if entry.object_type == "assessments.checklisttick" and match and entry.campaign_id:
        name = _checklist_names(int(entry.campaign_id)).get((match[1], match[2]))
        if name is not None:
            text = f"{name} — {match[3]}"
    return f"{entry.object_label}: {text}"
