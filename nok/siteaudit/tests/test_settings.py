"""The website audit's settings come from the environment; private addresses are off by default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _settings(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NOK_") and k != "DATABASE_URL"}
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.NOK_SITE_AUDIT_ALLOW_PRIVATE, s.NOK_SITE_AUDIT_DELAY, s.NOK_SITE_AUDIT_MAX_PAGES)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                          timeout=60, check=True)
    return proc.stdout.strip()


class SiteAuditSettingsTests:
    def test_private_addresses_are_refused_by_default(self) -> None:
        assert _settings() == "False 1.0 60"

    def test_the_environment_can_allow_them_for_tests_and_tune_the_crawler(self) -> None:
        assert _settings(NOK_SITE_AUDIT_ALLOW_PRIVATE="1", NOK_SITE_AUDIT_DELAY_MS="250",
                         NOK_SITE_AUDIT_MAX_PAGES="120") == "True 0.25 120"
