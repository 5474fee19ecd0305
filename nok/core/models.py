from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change to data that feeds scores: who, when, what, before and after.

    Written only by services (``nok.core.services.audit_record``), never by signals.
    ``before``/``after`` are JSON snapshots of the changed fields (``None`` for create/delete).
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    action = models.CharField(max_length=32)  # create / update / delete / import / compute ...
    object_type = models.CharField(max_length=64, db_index=True)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(max_length=255, blank=True)
    # The organization and campaign the change belongs to, for scoped audit views.
    organization_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    campaign_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "запись журнала изменений"
        verbose_name_plural = "журнал изменений"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    ACTION_LABELS = {
        "create": "создание", "update": "изменение", "delete": "удаление", "import": "импорт",
        "compute": "расчёт", "publish": "публикация",
    }

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)

    def _field_label(self, key: str) -> str:
        try:
            return str(apps.get_model(self.object_type)._meta.get_field(key).verbose_name)
        except (LookupError, ValueError, FieldDoesNotExist):
            return key

    @property
    def object_label(self) -> str:
        """The changed object's kind in Russian (its model's verbose name) or its raw label."""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field label, before, after) for every field either snapshot mentions, in key order;
        the label is the model field's verbose name where there is one."""
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        keys = sorted(set(before) | set(after))
        return [(self._field_label(key), before.get(key), after.get(key)) for key in keys]
