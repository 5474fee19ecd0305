"""/healthz: 200 only when the database answers, migrations are applied and a background-task
worker wrote its heartbeat within NOK_WORKER_STALE_SECONDS (60)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from nok.core import services
from nok.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def _beat(seconds_ago: int) -> None:
    services.worker_heartbeat_record(worker_id="w1", hostname="host", pid=1, started_at=timezone.now())
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - dt.timedelta(seconds=seconds_ago))


class HealthzTests:
    def test_it_is_healthy_with_a_worker_seen_ten_seconds_ago(self) -> None:
        _beat(10)
        response = Client().get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "worker": "ok"}}
        assert "no-store" in response["Cache-Control"]

    def test_a_worker_silent_for_two_minutes_makes_it_unhealthy(self) -> None:
        _beat(120)
        response = Client().get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["worker"].startswith("молчит 12")

    def test_without_any_worker_it_says_none_was_started(self) -> None:
        response = Client().get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["worker"] == "не запускался"
