"""The public questionnaire against a hostile visitor: another respondent's draft, closed
surveys, oversized input, forged requests."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from nok.surveys.models import Draft, Response
from nok.surveys.tests.factories import make_assessment


def begin(client: Client, assessment) -> Draft:
    code = assessment.survey_code
    page = client.get(reverse("surveys:form", args=[code]))
    client.post(reverse("surveys:form", args=[code]),
                {"action": "start", "client_id": str(page.context["client_id"])})
    return Draft.objects.get(token=client.cookies[f"nok_survey_{code}"].value)


@pytest.mark.django_db
class DraftIsolationTests:
    def test_another_respondents_client_id_does_not_open_their_draft(self) -> None:
        assessment = make_assessment()
        code = assessment.survey_code
        victim = Client()
        draft = begin(victim, assessment)
        victim.post(reverse("surveys:step", args=[code, "respondent"]), {"answer": "recipient"})
        attacker = Client()
        attacker.post(reverse("surveys:form", args=[code]),
                      {"action": "start", "client_id": str(draft.client_id)})
        token = attacker.cookies[f"nok_survey_{code}"].value
        assert token != draft.token
        review = attacker.get(reverse("surveys:review", args=[code]))
        assert review.context["draft"].answers == {}
        draft.refresh_from_db()
        assert draft.answers == {"respondent": "recipient"}

    def test_a_draft_token_of_one_survey_does_not_open_another(self) -> None:
        first, second = make_assessment(), make_assessment()
        client = Client()
        draft = begin(client, first)
        client.cookies[f"nok_survey_{second.survey_code}"] = draft.token
        answer = client.get(reverse("surveys:review", args=[second.survey_code]))
        assert answer.status_code == 302 and answer["Location"].endswith(
            reverse("surveys:form", args=[second.survey_code]))

    def test_a_submission_reusing_a_stored_client_id_does_not_touch_that_response(self) -> None:
        assessment = make_assessment()
        code = assessment.survey_code
        from nok.surveys.tests.factories import make_response

        stored = make_response(assessment, channel="online")
        before = stored.answers
        client = Client()
        client.post(reverse("surveys:form", args=[code]),
                    {"action": "start", "client_id": str(stored.client_id)})
        draft = Draft.objects.get(token=client.cookies[f"nok_survey_{code}"].value)
        assert draft.client_id != stored.client_id
        stored.refresh_from_db()
        assert stored.answers == before
        assert Response.objects.filter(client_id=stored.client_id).count() == 1


@pytest.mark.django_db
class OversizedInputTests:
    def test_an_overlong_free_text_is_refused_with_a_clear_message(self) -> None:
        assessment = make_assessment()
        client = Client()
        draft = begin(client, assessment)
        url = reverse("surveys:step", args=[assessment.survey_code, "suggestions"])
        Draft.objects.filter(pk=draft.pk).update(answers={"respondent": "recipient"})
        answer = client.post(url, {"answer": "а" * 2001})
        assert answer.status_code == 400
        assert "не более 2000 знаков" in answer.content.decode()
        draft.refresh_from_db()
        assert "suggestions" not in draft.answers

    def test_thousands_of_fields_get_a_russian_explanation(self) -> None:
        assessment = make_assessment()
        client = Client()
        begin(client, assessment)
        url = reverse("surveys:step", args=[assessment.survey_code, "respondent"])
        answer = client.post(url, {f"f{i}": "x" for i in range(6000)})
        assert answer.status_code == 400
        assert "слишком много полей" in answer.content.decode()

    def test_a_forged_post_without_the_csrf_token_is_refused(self) -> None:
        assessment = make_assessment()
        client = Client(enforce_csrf_checks=True)
        answer = client.post(reverse("surveys:form", args=[assessment.survey_code]),
                             {"action": "start"})
        assert answer.status_code == 403
        assert not Draft.objects.exists()
