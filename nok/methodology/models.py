from __future__ import annotations

from django.conf import settings
from django.db import models

from nok.core.models import TimeStamped


class Methodology(TimeStamped):
    """A methodology definition stored as data (the JSON document read by ``scoring``).

    Built-in ones (social-2018, social-2014) are synced from the scoring package;
    a region may upload its own file (re-weighted or extended), validated on upload.
    """

    slug = models.SlugField("код", max_length=100, unique=True)
    title = models.CharField("название", max_length=300)
    definition = models.JSONField("определение")
    builtin = models.BooleanField("встроенная", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-builtin", "slug"]
        verbose_name = "методика"
        verbose_name_plural = "методики"

    def __str__(self) -> str:
        return f"{self.title} ({self.slug})"
