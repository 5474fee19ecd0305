"""The error pages speak Russian in production (DEBUG off) to staff and citizens alike: a
mistyped survey link, a page of another organization, a page of another role, a form refused
by the CSRF check (Django's own page is English), and the server error page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from nok.core.tests.russian_text import problems, visible_texts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False


def assert_russian_page(answer, status: int, heading: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == status
    html = answer.content.decode()
    assert '<html lang="ru">' in html
    assert f"<h1>{heading}</h1>" in html
    texts = visible_texts(html)
    assert not problems(texts), problems(texts)


def test_a_citizen_who_mistypes_the_survey_link_reads_a_russian_404() -> None:
    assert_russian_page(Client().get("/q/nonexistent/"), 404, "Страница не найдена")


def test_an_address_that_does_not_exist_answers_a_russian_404() -> None:
    assert_russian_page(Client().get("/no-such-page/"), 404, "Страница не найдена")


def test_staff_asking_for_an_object_that_does_not_exist_read_a_russian_404(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(personas.operator)
    answer = client.get(reverse("scores:campaign", args=[999_999]))
    assert_russian_page(answer, 404, "Страница не найдена")


def test_a_user_without_the_role_reads_a_russian_403(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(personas.org_admin)
    answer = client.get(reverse("methodology:list"))
    assert_russian_page(answer, 403, "Нет доступа")


def test_a_form_refused_by_the_csrf_check_answers_a_russian_403() -> None:
    client = Client(enforce_csrf_checks=True)
    assert_russian_page(client.post("/q/nonexistent/", {"action": "start"}), 403,
                        "Форма не принята")
    assert_russian_page(client.post(reverse("login"), {"username": "x"}), 403,
                        "Форма не принята")


def test_a_server_error_answers_the_russian_500_page(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from nok.core import views

    def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(views.selectors, "worker_last_seen", broken)
    answer = Client(raise_request_exception=False).get(reverse("healthz"))
    assert_russian_page(answer, 500, "Ошибка сервера")
