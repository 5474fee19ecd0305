"""Brute force on the staff login and /admin/: django-axes locks a user name out from one
address after AXES_FAILURE_LIMIT (10) wrong passwords, with a Russian page and an audit entry."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from nok.core.models import AuditEntry
from nok.organizations.models import Role
from nok.organizations.tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "test-pass-123"  # make_user's


def _attempt(client: Client, username: str, password: str, *, path: str = "/login/",
             address: str = "203.0.113.7") -> Any:
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


class LoginLockoutTests:
    def test_the_limit_is_ten_failures(self) -> None:
        assert settings.AXES_FAILURE_LIMIT == 10

    def test_after_ten_wrong_passwords_even_the_right_one_is_refused_with_a_russian_page(self) -> None:
        make_user("operator", Role.OPERATOR)
        client = Client()
        for _ in range(9):
            assert _attempt(client, "operator", "guess").status_code == 200  # the form again
        tenth = _attempt(client, "operator", "guess")
        assert tenth.status_code == 429

        refused = _attempt(client, "operator", PASSWORD)

        assert refused.status_code == 429
        text = refused.content.decode()
        assert "Вход временно заблокирован" in text
        assert "на 15 мин." in text
        assert "_auth_user_id" not in client.session

    def test_a_user_name_of_thousands_of_characters_is_counted_not_a_server_error(self) -> None:
        from axes.models import AccessAttempt

        client = Client()
        name = "я" * 5000
        for _ in range(9):
            assert _attempt(client, name, "guess").status_code == 200
        assert _attempt(client, name, "guess").status_code == 429
        [attempt] = AccessAttempt.objects.all()
        assert attempt.username == "я" * 255 and attempt.failures_since_start == 10

    def test_nine_failures_then_the_right_password_still_signs_in(self) -> None:
        make_user("operator", Role.OPERATOR)
        client = Client()
        for _ in range(9):
            _attempt(client, "operator", "guess")

        assert _attempt(client, "operator", PASSWORD).status_code == 302
        assert "_auth_user_id" in client.session

    def test_the_lockout_holds_for_that_user_name_from_that_address_only(self) -> None:
        make_user("operator", Role.OPERATOR)
        make_user("ministry", Role.MINISTRY)
        for _ in range(10):
            _attempt(Client(), "operator", "guess")

        assert _attempt(Client(), "operator", PASSWORD, address="198.51.100.20").status_code == 302
        assert _attempt(Client(), "ministry", PASSWORD).status_code == 302
        assert _attempt(Client(), "operator", PASSWORD).status_code == 429

    def test_the_admin_login_is_locked_out_the_same_way(self) -> None:
        user = make_user("admin", None)
        user.is_staff = user.is_superuser = True
        user.save()
        client = Client()
        for _ in range(10):
            _attempt(client, "admin", "guess", path="/admin/login/")

        refused = _attempt(client, "admin", PASSWORD, path="/admin/login/")

        assert refused.status_code == 429
        assert "Вход временно заблокирован" in refused.content.decode()

    def test_a_lockout_leaves_one_audit_entry_without_the_password(self) -> None:
        user = make_user("operator", Role.OPERATOR)
        client = Client()
        for _ in range(14):  # ten to lock out, four more refused during the lockout
            _attempt(client, "operator", "Secret-Guess-42")

        entries = AuditEntry.objects.filter(action="lockout")
        assert entries.count() == 1
        entry = entries.get()
        assert (entry.object_type, entry.object_id, entry.object_repr) == ("auth.user", str(user.pk), "operator")
        assert entry.after == {"username": "operator", "address": "203.0.113.7", "failures": 10, "minutes": 15}
        assert entry.action_label == "блокировка входа"
        assert "Secret-Guess-42" not in str(entry.before) + str(entry.after) + entry.object_repr

    def test_a_user_name_that_does_not_exist_is_locked_out_and_journaled_too(self) -> None:
        client = Client()
        for _ in range(10):
            _attempt(client, "root", "guess")

        assert _attempt(client, "root", "guess").status_code == 429
        entry = AuditEntry.objects.get(action="lockout")
        assert (entry.object_id, entry.object_repr) == ("", "root")
