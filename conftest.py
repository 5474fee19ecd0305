"""Shared fixtures: the personas every view test uses, and a real Chromium for browser tests."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# Hypothesis: a bounded profile in CI (examples per property capped, no per-example deadline
# on a shared 2-core machine); locally the default number of examples, still no deadline.
hypothesis_settings.register_profile("ci", max_examples=40, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Browser tests run once, on PostgreSQL (``make test-postgres``; CI fails when it is
    missing): on SQLite the live server shares the test's in-memory connection between two
    threads, and the suite would take twice as long."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    once = pytest.mark.skip(reason="browser tests run on PostgreSQL (make test-postgres)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(once)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Tests create many users; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def run_tasks(transactional_db: None) -> Any:
    """Runs the background-task queue as production does (the database backend, through
    ``manage.py worker --batch``: every task ready now, then return); returns how many ran.

    Tests keep the database backend of the settings: a task is enqueued as a row and run by
    the worker, so what a view enqueues is only done when a test calls ``run_tasks()``. The
    test's writes are committed (transactional_db), as the worker would see them in
    production; the worker closes connections left inside a transaction."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    def _run() -> int:
        before = DBTaskResult.objects.finished().count()
        call_command("worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
        return DBTaskResult.objects.finished().count() - before

    return _run


@dataclass
class Personas:
    """Organization A's admin, an outsider from Organization B, and the campaign's people."""

    org_a: Any
    org_b: Any
    operator: Any
    ministry: Any
    council: Any
    org_admin: Any
    outsider: Any
    nobody: Any  # logged in, no role


@pytest.fixture
def personas(db: None) -> Personas:
    from nok.organizations.models import Role
    from nok.organizations.tests.factories import make_organization, make_user

    org_a = make_organization("ГБУ «КЦСОН Канавинского района»", short_name="КЦСОН Канавинского района")
    org_b = make_organization("ГБУ «КЦСОН Сормовского района»", short_name="КЦСОН Сормовского района")
    return Personas(
        org_a=org_a,
        org_b=org_b,
        operator=make_user("operator", Role.OPERATOR),
        ministry=make_user("ministry", Role.MINISTRY),
        council=make_user("council", Role.COUNCIL),
        org_admin=make_user("org_admin", Role.ORGANIZATION, org_a),
        outsider=make_user("outsider", Role.ORGANIZATION, org_b),
        nobody=make_user("nobody", None),
    )


def _chromium_path() -> str | None:
    for candidate in CHROMIUM_PATHS:
        if os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright. Missing in CI is a failure, never a skip."""
    path = _chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: browser tests must run in CI (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class _Requests:
    """The live server's WSGI application, counting the requests in progress: a page left at
    the end of a test still sends what it keeps (the survey's beacon), and a request that
    reads the database while the test's tables are emptied deadlocks with the TRUNCATE."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.busy = 0
        self.last = 0.0

    def __call__(self, environ: Any, start_response: Any) -> Any:
        with self.lock:
            self.busy += 1
            self.last = time.monotonic()
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        return _Closing(result, self._done)

    def _done(self) -> None:
        with self.lock:
            self.busy -= 1
            self.last = time.monotonic()

    def settle(self, quiet: float = 0.3, limit: float = 10.0) -> None:
        """Wait until no request is in progress and none began for ``quiet`` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.lock:
                if not self.busy and time.monotonic() - self.last >= quiet:
                    return
            time.sleep(0.02)


class _Closing:
    """A response's body that tells when the server has closed it (its request is over)."""

    def __init__(self, result: Any, done: Any) -> None:
        self.result, self.done = result, done

    def __iter__(self) -> Iterator[Any]:
        return iter(self.result)

    def close(self) -> None:
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.done()


def _watched(live_server: Any) -> _Requests:
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, _Requests):
        app = _Requests(app)
        httpd.set_app(app)
    return app


@pytest.fixture
def browser_page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh browser context and page; ``browser_page.base_url`` is the live server. At the
    end the page is left and closed, and what it sent as it went is answered, before the
    test's database is emptied."""
    requests = _watched(live_server)
    context = chromium.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base_url = live_server.url
    yield page
    try:
        page.goto("about:blank")
    except Exception:  # noqa: BLE001 (a page the test closed or crashed: nothing to leave)
        pass
    context.close()
    requests.settle()


def login_browser(page: Any, user: Any) -> None:
    """Logs ``user`` into the browser context by handing it a real session cookie."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": page.base_url}]
    )


@pytest.fixture
def login(browser_page: Any) -> Any:
    def _login(user: Any) -> Any:
        login_browser(browser_page, user)
        return browser_page

    return _login
