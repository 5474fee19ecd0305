"""Production settings: `check --deploy` clean, DEBUG never on, HTTPS behind a proxy (CSRF),
Secure cookies, the request body cap, and the Content-Security-Policy header."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client

from config.settings import site_origin
from nok.organizations.models import Role
from nok.organizations.tests.factories import make_user
from nok.surveys.tests.factories import make_assessment

ROOT = Path(__file__).resolve().parent.parent
SECRET = "x7Qp-production-secret-for-the-deploy-check-9vL2mK4nR8sT1wY5zB3cD6fG0hJ"
PRODUCTION = {
    "NOK_ENV": "production", "NOK_SECRET_KEY": SECRET, "NOK_ALLOWED_HOSTS": "nok.example.ru",
    "NOK_SITE_URL": "https://nok.example.ru",
}


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    # A clean environment: none of ours, and not the test run's own async switch (conftest).
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("NOK_") and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    clean.update(env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=120)


def _setting(name: str, **env: str) -> str:
    proc = _run(["-c", "import django; django.setup(); from django.conf import settings; "
                       f"print(repr(getattr(settings, {name!r}, None)))"],
                DJANGO_SETTINGS_MODULE="config.settings", **env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


class DeployCheckTests:
    def test_check_deploy_reports_nothing_in_production(self) -> None:
        proc = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "no issues" in proc.stdout

    def test_check_deploy_does_complain_about_a_development_configuration(self) -> None:
        proc = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
        assert proc.returncode != 0
        assert "security.W004" in proc.stderr  # no HSTS outside production

    def test_nok_debug_cannot_turn_debug_on_in_production(self) -> None:
        assert _setting("DEBUG", **PRODUCTION, NOK_DEBUG="1") == "False"

    def test_production_sends_hsts_and_redirects_to_https(self) -> None:
        assert _setting("SECURE_SSL_REDIRECT", **PRODUCTION) == "True"
        assert int(_setting("SECURE_HSTS_SECONDS", **PRODUCTION)) >= 31_536_000


class BehindAnHttpsProxyTests:
    def test_the_site_address_is_a_trusted_csrf_origin(self) -> None:
        assert _setting("CSRF_TRUSTED_ORIGINS", **PRODUCTION) == "['https://nok.example.ru']"
        assert site_origin("https://nok.example.ru:8443/q/") == "https://nok.example.ru:8443"

    def test_the_proxy_scheme_header_is_read_only_when_proxies_are_configured(self) -> None:
        assert _setting("SECURE_PROXY_SSL_HEADER", **PRODUCTION) == "None"
        assert _setting("SECURE_PROXY_SSL_HEADER", **PRODUCTION, NOK_TRUSTED_PROXIES="127.0.0.1") == (
            "('HTTP_X_FORWARDED_PROTO', 'https')"
        )

    @pytest.mark.django_db
    @pytest.mark.parametrize("derived", [True, False])
    def test_a_login_posted_through_the_https_proxy_passes_csrf(self, settings: Any, derived: bool) -> None:
        """The browser sends Origin: https://…; the proxy talks plain HTTP to gunicorn and says
        X-Forwarded-Proto: https. With neither setting derived from NOK_SITE_URL and
        NOK_TRUSTED_PROXIES, Django sees an http request from an https origin and refuses every
        POST (403) — what happened before."""
        settings.ALLOWED_HOSTS = ["nok.example.ru"]
        settings.CSRF_TRUSTED_ORIGINS = [site_origin("https://nok.example.ru/")] if derived else []
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if derived else None
        make_user("operator", Role.OPERATOR)
        client = Client(enforce_csrf_checks=True)
        proxied = {"HTTP_HOST": "nok.example.ru", "HTTP_X_FORWARDED_PROTO": "https"}
        client.get("/login/", **proxied)
        token = client.cookies["csrftoken"].value

        response = client.post(
            "/login/", {"username": "operator", "password": "test-pass-123", "csrfmiddlewaretoken": token},
            HTTP_ORIGIN="https://nok.example.ru", HTTP_REFERER="https://nok.example.ru/login/", **proxied,
        )

        assert response.status_code == (302 if derived else 403)


@pytest.mark.django_db
class SecureCookieTests:
    def test_every_cookie_of_the_survey_is_secure_in_production(self, settings: Any) -> None:
        settings.NOK_SECURE_COOKIES = True
        assessment = make_assessment()
        client = Client()
        url = f"/q/{assessment.survey_code}/"

        prefs = client.get(url + "?large=1&contrast=1", secure=True)
        started = client.post(url, {"client_id": "8a6f3c1e-5b2d-4e7f-9a0b-1c2d3e4f5a6b"}, secure=True)

        cookies = {**prefs.cookies, **started.cookies}
        assert {"nok_large", "nok_contrast", f"nok_survey_{assessment.survey_code}"} <= set(cookies)
        assert all(cookies[name]["secure"] for name in cookies), {n: c["secure"] for n, c in cookies.items()}

    def test_outside_production_the_survey_cookies_also_work_over_plain_http(self, settings: Any) -> None:
        settings.NOK_SECURE_COOKIES = False
        assessment = make_assessment()
        response = Client().get(f"/q/{assessment.survey_code}/?large=1")
        assert response.cookies["nok_large"]["secure"] == ""


class ContentSecurityPolicyTests:
    @pytest.mark.django_db
    def test_every_page_carries_a_policy_without_unsafe_inline(self) -> None:
        policy = Client().get("/login/")["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy


class RequestSizeTests:
    @pytest.mark.django_db
    def test_a_body_over_the_limit_is_refused_with_413_in_russian(self, settings: Any) -> None:
        settings.NOK_MAX_REQUEST_BYTES = 1024 * 1024
        response = Client().post("/login/", {"username": "x" * (1024 * 1024 + 10)})
        assert response.status_code == 413
        text = response.content.decode()
        assert "Слишком большой файл" in text
        assert "не больше 1 МБ" in text

    def test_the_default_limit_leaves_room_for_a_ten_megabyte_import(self) -> None:
        from django.conf import settings

        assert settings.NOK_MAX_REQUEST_BYTES >= 11 * 1024 * 1024

    def test_the_server_answers_413_before_receiving_the_body(self, live_server: Any) -> None:
        """Only the headers of a 100 MB upload are sent: the answer comes without waiting for
        the body (a server reading it first would wait until the socket timeout)."""
        url = urlparse(live_server.url)
        with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
            sock.sendall(
                b"POST /organizations/import/ HTTP/1.1\r\nHost: localhost\r\n"
                b"Content-Type: multipart/form-data; boundary=x\r\n"
                b"Content-Length: 104857600\r\n\r\n--x\r\n"
            )
            received = b""
            while b"</html>" not in received:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        answer = received.decode("utf-8", "replace")
        assert answer.startswith("HTTP/1.1 413")
        assert "Слишком большой файл" in answer
