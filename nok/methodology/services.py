from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

import scoring
from nok.core.services import acting_user, audit_record
from nok.methodology.models import Methodology
from nok.organizations.access import AnyUser


@transaction.atomic
def methodology_sync_builtin() -> list[Methodology]:
    """Create or refresh the built-in methodologies from the scoring package's data files."""
    synced = []
    for name in scoring.builtin_names():
        definition = scoring.builtin_definition(name)
        loaded = scoring.load_methodology(definition)
        obj, _ = Methodology.objects.update_or_create(
            slug=name,
            defaults={"title": loaded.title, "definition": definition, "builtin": True},
        )
        synced.append(obj)
    return synced


def _snapshot(loaded: scoring.Methodology) -> dict[str, Any]:
    """What the audit keeps of a methodology: its title and every indicator's weight."""
    return {"title": loaded.title, **{f"вес {i.key}": i.weight for i in loaded.indicators}}


def _stored_snapshot(stored: Methodology) -> dict[str, Any]:
    try:
        return _snapshot(scoring.load_methodology(stored.definition))
    except scoring.ScoringError:
        return {"title": stored.title}


def methodologies_ensure_builtin() -> None:
    """Sync the built-in methodologies once, when none is stored yet (first visit, fresh DB)."""
    if not Methodology.objects.filter(builtin=True).exists():
        methodology_sync_builtin()


@transaction.atomic
def methodology_upload(*, definition: dict[str, Any], user: AnyUser | None) -> Methodology:
    """Store a region's own methodology after validating it exactly as ``nok score`` would."""
    try:
        loaded = scoring.load_methodology(definition)
    except scoring.ScoringError as exc:
        raise ValidationError(str(exc)) from exc
    existing = Methodology.objects.filter(slug=loaded.slug).first()
    if existing is not None and existing.builtin:
        raise ValidationError(f"Код «{loaded.slug}» занят встроенной методикой; задайте другой slug")
    if existing is not None:
        _ensure_replaceable(existing)
    obj, created = Methodology.objects.update_or_create(
        slug=loaded.slug,
        defaults={"title": loaded.title, "definition": definition, "builtin": False,
                  "uploaded_by": acting_user(user)},
    )
    before = _stored_snapshot(existing) if existing else None
    audit_record(user=user, action="create" if created else "update", obj=obj,
                 before=before, after=_snapshot(loaded))
    return obj


def _ensure_replaceable(existing: Methodology) -> None:
    """A methodology whose campaign is under review or published is frozen: its stored scores
    must stay reproducible. (Campaign is referenced by its reverse relation: no import of the
    assessments app here.)"""
    frozen = existing.campaign_set.exclude(status="fieldwork").order_by("-year").first()
    if frozen is not None:
        raise ValidationError(
            f"Методика «{existing.slug}» уже применена в кампании «{frozen.title}» "
            f"({frozen.get_status_display().lower()}): её нельзя заменить. "
            "Загрузите изменённую методику под другим кодом (slug)."
        )


_loaded: dict[tuple[int, str], scoring.Methodology] = {}


def methodology_load(methodology: Methodology) -> scoring.Methodology:
    """The validated scoring object for a stored methodology.

    Parsed once per stored version (pk and ``updated_at``): pages and recomputations of a
    campaign load it for every assessment. Unsaved objects are parsed every time.
    """
    if methodology.pk is None:
        return scoring.load_methodology(methodology.definition)
    key = (methodology.pk, methodology.updated_at.isoformat() if methodology.updated_at else "")
    if key not in _loaded:
        _loaded[key] = scoring.load_methodology(methodology.definition)
    return _loaded[key]
