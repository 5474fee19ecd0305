"""The background-task framework: django-tasks with its database backend, run by
``manage.py worker`` (the queue is a table: the same on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from nok.core.management.commands.worker import Heartbeat
from nok.core.models import WorkerHeartbeat
from nok.surveys.models import Draft
from nok.surveys.services import draft_start
from nok.surveys.tasks import survey_drafts_purge
from nok.surveys.tests.factories import make_assessment

pytestmark = pytest.mark.django_db(transaction=True)


def _old_draft(assessment: Any, days: int) -> Draft:
    draft = draft_start(assessment=assessment, client_id=uuid.uuid4())
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - dt.timedelta(days=days))
    return draft


class BackgroundTaskTests:
    def test_an_enqueued_task_waits_in_the_database_until_the_worker_runs_it(self, run_tasks: Any) -> None:
        assessment = make_assessment()
        stale, fresh = _old_draft(assessment, 61), _old_draft(assessment, 5)

        result = survey_drafts_purge.enqueue(days=60)

        row = DBTaskResult.objects.get(id=result.id)
        assert row.status == TaskResultStatus.READY
        assert Draft.objects.filter(pk=stale.pk).exists()  # nothing done at enqueue time

        assert run_tasks() == 1

        result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == {"drafts": 1, "uploads": 0}
        assert not Draft.objects.filter(pk=stale.pk).exists()
        assert Draft.objects.filter(pk=fresh.pk).exists()

    def test_a_failing_task_is_recorded_as_failed_with_its_error(self, run_tasks: Any) -> None:
        result = survey_drafts_purge.enqueue(days="soon")  # type: ignore[arg-type]

        run_tasks()

        result.refresh()
        assert result.status == TaskResultStatus.FAILED
        assert result.errors[0].exception_class_path == "builtins.TypeError"


class WorkerHeartbeatTests:
    def test_the_worker_heartbeat_is_written_and_removed_when_the_worker_stops(self) -> None:
        heartbeat = Heartbeat("worker-test", interval=30)

        heartbeat.beat()
        seen = WorkerHeartbeat.objects.get(worker_id="worker-test")
        assert timezone.now() - seen.seen_at < dt.timedelta(seconds=30)

        heartbeat.stop()
        assert not WorkerHeartbeat.objects.filter(worker_id="worker-test").exists()
