"""The settings module: zero-config development, strict production, DATABASE_URL parsing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import database_from_url, env_bool

ROOT = Path(__file__).resolve().parent.parent


def _boot(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NOK_") and k != "DATABASE_URL"}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True, text=True, timeout=60,
    )


class ProductionSettingsTests:
    def test_it_refuses_to_boot_in_production_with_the_default_secret_key(self) -> None:
        proc = _boot(NOK_ENV="production")
        assert proc.returncode != 0
        assert "NOK_SECRET_KEY" in proc.stderr

    def test_it_boots_in_production_with_a_private_secret_and_debug_off(self) -> None:
        proc = _boot(NOK_ENV="production", NOK_SECRET_KEY="a-private-value", NOK_ALLOWED_HOSTS="nok.example")
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == "False"

    def test_development_needs_no_configuration_and_has_debug_on(self) -> None:
        proc = _boot()
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == "True"

    def test_it_rejects_an_unknown_environment_name(self) -> None:
        proc = _boot(NOK_ENV="staging")
        assert proc.returncode != 0
        assert "NOK_ENV" in proc.stderr


class DatabaseUrlTests:
    def test_it_reads_every_part_of_a_postgres_url(self) -> None:
        db = database_from_url("postgres://nok:p%40ss@db.local:5433/nok_prod")
        assert db["ENGINE"] == "django.db.backends.postgresql"
        assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
            "nok_prod", "nok", "p@ss", "db.local", "5433",
        )

    def test_it_rejects_an_unsupported_scheme(self) -> None:
        with pytest.raises(ImproperlyConfigured, match="mysql"):
            database_from_url("mysql://root@localhost/nok")


class EnvBoolTests:
    @pytest.mark.parametrize(("raw", "expected"), [("1", True), ("yes", True), ("0", False), ("off", False)])
    def test_it_reads_the_usual_spellings(self, raw: str, expected: bool, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("NOK_X", raw)
        assert env_bool("NOK_X", not expected) is expected

    def test_it_rejects_a_word_it_does_not_know(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("NOK_X", "maybe")
        with pytest.raises(ImproperlyConfigured, match="NOK_X"):
            env_bool("NOK_X", False)


@pytest.mark.django_db
class InterfaceLanguageTests:
    def test_a_browser_asking_for_english_still_gets_russian_messages(self, client: object) -> None:
        response = client.post(  # type: ignore[attr-defined]
            "/login/", {"username": "nobody", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en-US,en"
        )
        text = response.content.decode()
        assert "правильные имя пользователя и пароль" in text
        assert "Please enter a correct" not in text
