from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

import scoring
from nok.methodology.models import Methodology


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


@transaction.atomic
def methodology_upload(*, definition: dict[str, Any], user: AbstractBaseUser | None) -> Methodology:
    """Store a region's own methodology after validating it exactly as ``nok score`` would."""
    try:
        loaded = scoring.load_methodology(definition)
    except scoring.ScoringError as exc:
        raise ValidationError(str(exc)) from exc
    existing = Methodology.objects.filter(slug=loaded.slug).first()
    if existing is not None and existing.builtin:
        raise ValidationError(f"Код «{loaded.slug}» занят встроенной методикой; задайте другой slug")
    obj, _ = Methodology.objects.update_or_create(
        slug=loaded.slug,
        defaults={"title": loaded.title, "definition": definition, "builtin": False, "uploaded_by": user},
    )
    return obj


def methodology_load(methodology: Methodology) -> scoring.Methodology:
    """The validated scoring object for a stored methodology."""
    return scoring.load_methodology(methodology.definition)
