"""``manage.py worker``: runs background tasks (django-tasks, database backend) and writes a
heartbeat for /healthz.

It is django-tasks-db's ``db_worker`` (same options: ``--batch``, ``--max-tasks``,
``--interval``, ``--reload`` …) plus a thread that records every
``NOK_WORKER_HEARTBEAT_SECONDS`` that this process is alive, and removes the record when the
worker stops cleanly.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from nok.core import services

logger = logging.getLogger("nok.worker")


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, interval: float) -> None:
        super().__init__(name="nok-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def beat(self) -> None:
        try:
            services.worker_heartbeat_record(
                worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid(),
                started_at=self.started_at,
            )
        except DatabaseError as exc:  # the database restarting: try again next time
            logger.warning("worker heartbeat not written: %s", exc)
        finally:
            connection.close()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.beat()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
        try:
            services.worker_heartbeat_clear(worker_id=self.worker_id)
        except DatabaseError:
            pass


class Command(DbWorkerCommand):
    help = "Выполняет фоновые задачи из очереди в базе данных и отмечается для /healthz."

    def handle(self, *args: Any, **options: Any) -> None:
        reloader_parent = options.get("reload") and not options.get("batch") and (
            os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        if reloader_parent:  # only watches files and restarts the real worker (its child)
            super().handle(*args, **options)
            return
        heartbeat = Heartbeat(options["worker_id"], settings.NOK_WORKER_HEARTBEAT_SECONDS)
        if options.get("batch"):
            # One pass over the queue: one beat, written before it in this thread (a second
            # thread writing meanwhile would compete with the task's own transactions).
            heartbeat.beat()
        else:
            heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
