"""Issue 8, item 2: requests that answered 500, each sent as a visitor or an attacker sends it.

A NUL character is refused once, before any view (``RefuseNulMiddleware``): PostgreSQL cannot
store it in text or JSON, so every free-text field failed halfway. The error pages render
without ``request.user`` (a wrong Host header is refused before authentication). The public
start page refuses a client id that is no UUID.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from nok.core.models import AuditEntry
from nok.core.views import bad_request
from nok.surveys.models import Draft, PaperSheet, Response
from nok.surveys.public_views import DRAFT_COOKIE
from nok.surveys.tests.factories import make_assessment

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "В отправленных данных есть нулевой символ (NUL)"


def respondent(assessment) -> Client:
    """An anonymous visitor who pressed «Начать» (holds a draft cookie)."""
    client = Client()
    client.post(reverse("surveys:form", args=[assessment.survey_code]), {"action": "start"})
    return client


def operator(personas) -> Client:
    client = Client()
    client.force_login(personas.operator)
    return client


class NulCharacterTests:
    def test_an_autosave_with_a_nul_is_refused_and_the_draft_keeps_its_answers(self) -> None:
        assessment = make_assessment()
        client = respondent(assessment)
        url = reverse("surveys:autosave", args=[assessment.survey_code])
        assert client.post(url, {"question": "suggestions", "answer": "Больше кружков"}).json() == {
            "saved": True}
        answer = client.post(url, {"question": "suggestions", "answer": "Больше\x00кружков"})
        assert answer.status_code == 400
        assert NUL_MESSAGE in answer.content.decode()
        assert Draft.objects.get().answers == {"suggestions": "Больше кружков"}

    def test_a_suggestion_typed_on_its_screen_with_a_nul_is_refused(self) -> None:
        assessment = make_assessment()
        client = respondent(assessment)
        url = reverse("surveys:step", args=[assessment.survey_code, "suggestions"])
        answer = client.post(url, {"action": "next", "answer": "\x00"})
        assert answer.status_code == 400
        assert NUL_MESSAGE in answer.content.decode()
        assert Draft.objects.get().answers == {}

    def test_paper_entry_with_a_nul_in_the_suggestion_saves_nothing(self, personas) -> None:
        assessment = make_assessment()
        answer = operator(personas).post(
            reverse("surveys:paper_entry", args=[assessment.pk]),
            {"number": "12", "q_respondent": "1", "q_suggestions": "пандус\x00"})
        assert answer.status_code == 400
        assert NUL_MESSAGE in answer.content.decode()
        assert not Response.objects.exists() and not PaperSheet.objects.exists()

    def test_a_registry_form_with_a_nul_changes_nothing(self, personas) -> None:
        organization = personas.org_a
        audit_before = AuditEntry.objects.count()
        answer = operator(personas).post(
            reverse("organizations:edit", args=[organization.pk]),
            {"name": "ГБУ\x00", "type": organization.type_id})
        assert answer.status_code == 400
        assert NUL_MESSAGE in answer.content.decode()
        organization.refresh_from_db()
        assert organization.name == "ГБУ «КЦСОН Канавинского района»"
        assert AuditEntry.objects.count() == audit_before

    def test_a_nul_in_a_query_string_is_refused(self, personas) -> None:
        answer = operator(personas).get(reverse("organizations:list"), {"q": "КЦСОН\x00"})
        assert answer.status_code == 400
        assert NUL_MESSAGE in answer.content.decode()

    def test_a_nul_in_the_address_is_a_russian_404(self) -> None:
        answer = Client().get("/q/%00/")
        assert answer.status_code == 404
        assert "Страница не найдена" in answer.content.decode()

    def test_a_cookie_holding_a_nul_is_ignored_not_looked_up(self) -> None:
        assessment = make_assessment()
        client = Client()
        client.cookies[DRAFT_COOKIE.format(code=assessment.survey_code)] = "token\x00"
        answer = client.get(reverse("surveys:form", args=[assessment.survey_code]))
        assert answer.status_code == 200
        assert "Начать" in answer.content.decode()

    def test_the_same_text_without_the_nul_is_saved(self) -> None:
        assessment = make_assessment()
        client = respondent(assessment)
        url = reverse("surveys:step", args=[assessment.survey_code, "suggestions"])
        assert client.post(url, {"action": "next", "answer": "Больше кружков"}).status_code == 302
        assert Draft.objects.get().answers == {"suggestions": "Больше кружков"}


class PublicStartTests:
    def test_a_client_id_that_is_no_uuid_is_refused_with_a_message(self) -> None:
        assessment = make_assessment()
        url = reverse("surveys:form", args=[assessment.survey_code])
        answer = Client().post(url, {"action": "start", "client_id": "not-a-uuid"})
        assert answer.status_code == 400
        assert "Не удалось начать анкету: страница устарела или повреждена" in answer.content.decode()
        assert not Draft.objects.exists()

    def test_the_page_it_shows_starts_the_survey(self) -> None:
        assessment = make_assessment()
        url = reverse("surveys:form", args=[assessment.survey_code])
        client = Client()
        page = client.post(url, {"action": "start", "client_id": "not-a-uuid"})
        answer = client.post(url, {"action": "start", "client_id": str(page.context["client_id"])})
        assert answer.status_code == 302
        assert Draft.objects.count() == 1


class ErrorPageTests:
    def test_a_wrong_host_header_gets_the_russian_400_page(self) -> None:
        answer = Client(HTTP_HOST="attacker.example").get(reverse("organizations:list"))
        assert answer.status_code == 400
        assert "Запрос не принят" in answer.content.decode()

    def test_a_wrong_host_with_a_posted_form_gets_it_too(self) -> None:
        answer = Client(HTTP_HOST="attacker.example").post(reverse("login"), {"username": "x"})
        assert answer.status_code == 400
        assert "Запрос не принят" in answer.content.decode()

    def test_a_missing_page_is_a_russian_404(self) -> None:
        answer = Client().get("/no-such-page/")
        assert answer.status_code == 404
        assert "Страница не найдена" in answer.content.decode()

    def test_a_forbidden_page_is_a_russian_403(self, personas) -> None:
        client = Client()
        client.force_login(personas.nobody)
        answer = client.get(reverse("organizations:list"))
        assert answer.status_code == 403
        assert "Нет доступа" in answer.content.decode()

    @pytest.mark.parametrize(("handler", "status", "words"), [
        (lambda r: bad_request(r, Exception()), 400, "Запрос не принят"),
        (lambda r: defaults.permission_denied(r, PermissionDenied()), 403, "Нет доступа"),
        (lambda r: defaults.page_not_found(r, Http404()), 404, "Страница не найдена"),
        (lambda r: defaults.server_error(r), 500, "Ошибка сервера"),
    ])
    def test_every_error_page_renders_for_a_request_without_a_user(self, handler, status,
                                                                   words) -> None:
        request = RequestFactory().get("/organizations/")
        assert not hasattr(request, "user")
        answer = handler(request)
        assert answer.status_code == status
        page = answer.content.decode()
        assert words in page and 'lang="ru"' in page

