from __future__ import annotations

import datetime as dt
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
        "compute": "расчёт", "publish": "публикация", "status": "смена статуса",
        "freeze": "фиксация результатов", "reopen": "открытие для исправления",
        "resolve": "сверка", "flags": "проверка качества анкет", "lockout": "блокировка входа",
        "site_audit": "проверка сайта", "site_audit_confirm": "подтверждение по проверке сайта",
        "site_audit_reject": "отклонение по проверке сайта",
    }

    # Keys of the snapshots that are no field of the model (what a service recorded beside its
    # fields), and keys not shown (a checksum means nothing to a reader of the journal).
    KEY_LABELS = {
        "items": "строк плана", "snapshot": "номер фиксации результатов",
        "exceptions": "исключения по решению министерства", "edition": "редакция",
        "organizations": "организации", "status": "статус",
    }
    HIDDEN_KEYS = frozenset({"methodology_sha256"})
    LIST_SHOWN = 10  # items of a recorded list shown on the page

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)

    def _field(self, key: str) -> models.Field[Any, Any] | None:
        try:
            field = apps.get_model(self.object_type)._meta.get_field(key)
        except (LookupError, ValueError, FieldDoesNotExist):
            return None
        return field if isinstance(field, models.Field) else None

    def _field_label(self, key: str) -> str:
        field = self._field(key)
        if field is not None:
            return str(field.verbose_name)
        return self.KEY_LABELS.get(key, key)

    @staticmethod
    def _related(field: models.Field[Any, Any], value: Any) -> str | None:
        """The name of the object a stored id or slug points to (its title, else its text)."""
        model = field.related_model
        if not isinstance(model, type) or not issubclass(model, models.Model):
            return None
        names = {f.name for f in model._meta.get_fields()}
        if isinstance(value, int):
            found = model._default_manager.filter(pk=value).first()
        elif "slug" in names:
            found = model._default_manager.filter(slug=str(value)).first()
        else:
            return None
        if found is None:
            return None
        return str(getattr(found, "title", None) or found)

    def _display(self, key: str, value: Any) -> str:
        """A stored snapshot value as a reader would write it: choices by their labels,
        «да»/«нет», dates as 19.10.2026, times as 12:30, decimal commas."""
        field = self._field(key)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return "да" if value else "нет"
        if isinstance(value, list | tuple):
            # A campaign of 5,000 organizations records them all: the page shows the first.
            shown = "; ".join(self._display(key, v) for v in value[:self.LIST_SHOWN]) or "—"
            return shown if len(value) <= self.LIST_SHOWN else f"{shown}… (всего {len(value)})"
        if isinstance(value, dict):
            return "; ".join(f"{k}: {self._display(k, v)}" for k, v in value.items()) or "—"
        if isinstance(value, float):
            return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.ForeignKey):
            name = self._related(field, value)
            if name is not None:
                return name
        text = str(value)
        if isinstance(field, models.FileField):
            return text.rsplit("/", 1)[-1]  # the file's name, not its place in the storage
        try:
            if isinstance(field, models.DateTimeField):
                return f"{dt.datetime.fromisoformat(text):%d.%m.%Y %H:%M}"
            if isinstance(field, models.DateField):
                return f"{dt.date.fromisoformat(text):%d.%m.%Y}"
            if isinstance(field, models.TimeField):
                return f"{dt.time.fromisoformat(text):%H:%M}"
        except ValueError:
            pass
        return text

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
        keys = sorted((set(before) | set(after)) - self.HIDDEN_KEYS)
        return [(self._field_label(key), before.get(key), after.get(key)) for key in keys]

    def changes_display(self) -> list[tuple[str, str | None, str]]:
        """``changes()`` for reading: (label, before or None when there was nothing, after)."""
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        return [
            (self._field_label(key),
             self._display(key, before[key]) if key in before else None,
             self._display(key, after.get(key)))
            for key in sorted((set(before) | set(after)) - self.HIDDEN_KEYS)
        ]


class WorkerHeartbeat(models.Model):
    """The background-task worker's sign of life: each running ``manage.py worker`` process
    updates its row every ``NOK_WORKER_HEARTBEAT_SECONDS``; /healthz reads the newest."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "обработчик фоновых задач"
        verbose_name_plural = "обработчики фоновых задач"

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.seen_at:%Y-%m-%d %H:%M:%S})"
