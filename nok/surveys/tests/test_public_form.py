"""The public questionnaire through the Django test client: no JavaScript, a POST per screen."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from nok.surveys.models import Draft, Response
from nok.surveys.public_views import DRAFT_COOKIE
from nok.surveys.services import draft_answer
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment, make_campaign

pytestmark = pytest.mark.django_db


def start(client, assessment):
    code = assessment.survey_code
    page = client.get(reverse("surveys:form", args=[code]))
    client_id = page.context["client_id"]
    response = client.post(reverse("surveys:form", args=[code]),
                           {"action": "start", "client_id": str(client_id)})
    return response, client_id


def answer_all(client, assessment, answers):
    """Walks the screens as a browser without JavaScript would; returns the screens seen."""
    code = assessment.survey_code
    response, _ = start(client, assessment)
    seen = []
    while "/s/" in response["Location"]:
        key = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        seen.append(key)
        assert client.get(response["Location"]).status_code == 200
        response = client.post(response["Location"], {"action": "next", "answer": answers.get(key, "")})
        assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == reverse("surveys:review", args=[code])
    return seen


class PublicFormTests:
    def test_it_walks_only_the_questions_whose_filters_are_met(self, client):
        assessment = make_assessment()
        seen = answer_all(client, assessment, ALL_YES_NO_SITE)
        assert "info_stand" in seen
        assert "info_site" not in seen and "accessibility" not in seen
        assert "courtesy_remote" not in seen

    def test_submitting_stores_one_response_with_the_answers(self, client):
        assessment = make_assessment()
        answer_all(client, assessment, ALL_YES_NO_SITE)
        review = client.get(reverse("surveys:review", args=[assessment.survey_code]))
        client_id = review.context["draft"].client_id
        done = client.post(reverse("surveys:submit", args=[assessment.survey_code]),
                           {"client_id": str(client_id)}, follow=True)
        assert "Спасибо! Анкета получена" in done.content.decode()
        response = Response.objects.get()
        assert response.client_id == client_id and response.channel == "online"
        assert {k: v for k, v in response.answers.items() if k != "respondent"} == {
            k: v for k, v in ALL_YES_NO_SITE.items() if k != "respondent"
        }
        assert response.client_hash and "127.0.0.1" not in response.client_hash
        # The draft is kept only as a marker of the submission: no answers stay in it.
        draft = Draft.objects.get()
        assert draft.answers == {} and draft.submitted_at is not None

    def test_a_retry_of_the_same_submission_answers_already_received(self, client):
        assessment = make_assessment()
        answer_all(client, assessment, ALL_YES_NO_SITE)
        review = client.get(reverse("surveys:review", args=[assessment.survey_code]))
        data = {"client_id": str(review.context["draft"].client_id)}
        url = reverse("surveys:submit", args=[assessment.survey_code])
        client.post(url, data)
        retry = client.post(url, data, follow=True)
        assert "Ваша анкета уже получена" in retry.content.decode()
        assert Response.objects.count() == 1

    def test_a_reload_resumes_where_the_respondent_stopped(self, client):
        assessment = make_assessment()
        code = assessment.survey_code
        first, _ = start(client, assessment)
        client.post(first["Location"], {"action": "next", "answer": "relative"})
        # A new visit of the short link offers to continue and keeps the answer.
        page = client.get(reverse("surveys:form", args=[code]))
        assert "Продолжить заполнение" in page.content.decode()
        resumed = client.post(reverse("surveys:form", args=[code]), {"action": "continue"})
        assert resumed["Location"] == reverse("surveys:step", args=[code, "used_stand"])
        back = client.get(reverse("surveys:step", args=[code, "respondent"]))
        assert back.context["selected"] == "relative"

    def test_a_required_question_without_an_answer_is_asked_again(self, client):
        assessment = make_assessment()
        first, _ = start(client, assessment)
        page = client.post(first["Location"], {"action": "next", "answer": ""})
        assert page.status_code == 400
        assert "Пожалуйста, выберите один из вариантов ответа" in page.content.decode()

    def test_autosave_keeps_a_choice_made_without_pressing_next(self, client):
        assessment = make_assessment()
        start(client, assessment)
        saved = client.post(reverse("surveys:autosave", args=[assessment.survey_code]),
                            {"question": "respondent", "answer": "recipient"})
        assert saved.json() == {"saved": True}
        assert Draft.objects.get().answers == {"respondent": "recipient"}

    def test_the_answers_a_browser_kept_are_saved_in_one_request(self, client):
        assessment = make_assessment()
        start(client, assessment)
        url = reverse("surveys:autosave", args=[assessment.survey_code])
        client.post(url, {"question": "used_site", "answer": "yes"})
        kept = {"respondent": "relative", "used_stand": "yes", "used_site": ""}
        saved = client.post(url, {"answers": json.dumps(kept)})
        assert saved.json() == {"saved": True}
        assert Draft.objects.get().answers == {"respondent": "relative", "used_stand": "yes"}

    def test_kept_answers_with_one_not_valid_are_refused_all_and_named(self, client):
        assessment = make_assessment()
        start(client, assessment)
        url = reverse("surveys:autosave", args=[assessment.survey_code])
        saved = client.post(url, {"answers": json.dumps({"respondent": "relative", "pets": "cat"})})
        assert saved.status_code == 400
        assert "Неизвестный вопрос «pets»" in saved.json()["error"]
        broken = client.post(url, {"answers": "{not json"})
        assert broken.status_code == 400 and "страница устарела" in broken.json()["error"]
        assert Draft.objects.get().answers == {}

    def test_the_first_screen_carries_the_questions_for_the_browser(self, client):
        assessment = make_assessment()
        first, _ = start(client, assessment)
        page = client.get(first["Location"])
        screens = json.loads(page.content.decode().split('id="survey-screens" type="application/json">')[1]
                             .split("</script>")[0])
        keys = [q["key"] for q in screens["questions"]]
        assert keys[:3] == ["respondent", "used_stand", "info_stand"]
        info_stand = screens["questions"][2]
        assert info_stand["when"] == {"used_stand": "yes"} and info_stand["options"][0] == ["yes", "Да"]
        assert screens["current"] == "respondent" and screens["answers"] == {}

    def test_answers_of_a_questionnaire_begun_anew_elsewhere_never_land_in_the_new_one(self, client):
        """A tab of questionnaire A left open while «Начать заново» began B in this browser:
        what A's page sends (its screen, or the answers its script kept) is refused."""
        assessment = make_assessment()
        code = assessment.survey_code
        start(client, assessment)
        old = Draft.objects.get()
        client.post(reverse("surveys:form", args=[code]),
                    {"action": "restart", "client_id": str(old.client_id)})
        new = Draft.objects.get()
        kept = client.post(reverse("surveys:autosave", args=[code]), {
            "client_id": str(old.client_id), "answers": json.dumps({"suggestions": "личное"})})
        assert kept.status_code == 409
        screen = client.post(reverse("surveys:step", args=[code, "respondent"]), {
            "client_id": str(old.client_id), "action": "next", "answer": "relative"})
        assert screen.status_code == 400
        assert "анкета начата заново" in screen.content.decode()
        new.refresh_from_db()
        assert new.answers == {} and new.client_id != old.client_id
        mine = client.post(reverse("surveys:autosave", args=[code]), {
            "client_id": str(new.client_id), "answers": json.dumps({"respondent": "relative"})})
        assert mine.json() == {"saved": True}

    def test_the_draft_cookie_is_http_only(self, client):
        assessment = make_assessment()
        start(client, assessment)
        cookie = client.cookies[DRAFT_COOKIE.format(code=assessment.survey_code)]
        assert cookie["httponly"]

    def test_it_refuses_outside_the_campaign_period_with_a_clear_message(self, client):
        today = timezone.localdate()
        campaign = make_campaign(start=today - timedelta(days=30), end=today - timedelta(days=1))
        assessment = make_assessment(campaign=campaign)
        page = client.get(reverse("surveys:form", args=[assessment.survey_code]))
        assert "Опрос завершён" in page.content.decode()
        assert client.post(reverse("surveys:form", args=[assessment.survey_code]),
                           {"action": "start"}).status_code == 200
        assert not Draft.objects.exists()

    def test_it_refuses_when_the_campaign_is_not_in_fieldwork(self, client):
        assessment = make_assessment(status="review")
        page = client.get(reverse("surveys:form", args=[assessment.survey_code]))
        assert "Сбор анкет по этой организации завершён" in page.content.decode()

    def test_an_unknown_code_is_not_found(self, client):
        assert client.get(reverse("surveys:form", args=["nosuchcode"])).status_code == 404

    def test_large_print_and_high_contrast_work_through_the_query_and_a_cookie(self, client):
        assessment = make_assessment()
        url = reverse("surveys:form", args=[assessment.survey_code])
        page = client.get(url + "?large=1&contrast=1")
        assert 'class="survey large contrast"' in page.content.decode()
        assert 'class="survey large contrast"' in client.get(url).content.decode()
        assert 'class="survey contrast"' in client.get(url + "?large=0").content.decode()


def submit_all(client, assessment):
    """Fills and sends a questionnaire; returns the POST data of the review's submit form."""
    answer_all(client, assessment, ALL_YES_NO_SITE)
    review = client.get(reverse("surveys:review", args=[assessment.survey_code]))
    data = {"client_id": str(review.context["draft"].client_id)}
    client.post(reverse("surveys:submit", args=[assessment.survey_code]), data)
    return data


class NeverLoseNeverDoubleTests:
    def test_start_again_discards_the_answers_and_takes_a_new_client_id(self, client):
        assessment = make_assessment()
        code = assessment.survey_code
        first, _ = start(client, assessment)
        client.post(first["Location"], {"action": "next", "answer": "relative"})
        old = Draft.objects.get()
        page = client.get(reverse("surveys:form", args=[code]))
        restarted = client.post(reverse("surveys:form", args=[code]),
                                {"action": "restart", "client_id": page.context["draft"].client_id})
        assert restarted["Location"] == reverse("surveys:step", args=[code, "respondent"])
        new = Draft.objects.get()
        assert new.answers == {} and new.client_id != old.client_id

    def test_back_after_sending_says_already_received_instead_of_a_new_form(self, client):
        assessment = make_assessment()
        submit_all(client, assessment)
        code = assessment.survey_code
        for url in (reverse("surveys:review", args=[code]),
                    reverse("surveys:step", args=[code, "respondent"])):
            page = client.get(url, follow=True)
            assert "Ваша анкета уже получена" in page.content.decode()
        assert Response.objects.count() == 1

    def test_a_resend_after_a_lost_answer_from_the_server_is_not_stored_twice(self, client):
        # The first POST was stored but its answer never reached the browser; the browser
        # still has the cookie and sends the same form again.
        assessment = make_assessment()
        data = submit_all(client, assessment)
        again = client.post(reverse("surveys:submit", args=[assessment.survey_code]), data,
                            follow=True)
        assert "Ваша анкета уже получена" in again.content.decode()
        assert Response.objects.count() == 1

    def test_a_resend_without_the_client_id_still_finds_the_submitted_draft(self, client):
        assessment = make_assessment()
        submit_all(client, assessment)
        again = client.post(reverse("surveys:submit", args=[assessment.survey_code]), {},
                            follow=True)
        assert "Ваша анкета уже получена" in again.content.decode()
        assert Response.objects.count() == 1

    def test_autosave_after_sending_is_refused(self, client):
        assessment = make_assessment()
        submit_all(client, assessment)
        saved = client.post(reverse("surveys:autosave", args=[assessment.survey_code]),
                            {"question": "respondent", "answer": "relative"})
        assert saved.status_code == 409
        assert Draft.objects.get().answers == {}

    def test_the_start_page_after_sending_offers_a_fresh_questionnaire(self, client):
        # A tablet at the organization: the next visitor starts a new questionnaire.
        assessment = make_assessment()
        submit_all(client, assessment)
        code = assessment.survey_code
        page = client.get(reverse("surveys:form", args=[code]))
        assert page.context["draft"] is None
        client.post(reverse("surveys:form", args=[code]),
                    {"action": "start", "client_id": str(page.context["client_id"])})
        fresh = Draft.objects.get(submitted_at__isnull=True)
        assert fresh.client_id == page.context["client_id"] and fresh.answers == {}

    def test_two_tabs_keep_each_others_answers(self, client):
        assessment = make_assessment()
        start(client, assessment)
        tab_one = Draft.objects.get()
        tab_two = Draft.objects.get()  # loaded before tab one saved
        draft_answer(draft=tab_one, question="respondent", value="recipient")
        draft_answer(draft=tab_two, question="used_stand", value="yes")
        assert Draft.objects.get().answers == {"respondent": "recipient", "used_stand": "yes"}

    def test_answers_sent_after_the_campaign_closed_are_refused_with_a_clear_message(self, client):
        assessment = make_assessment()
        answer_all(client, assessment, ALL_YES_NO_SITE)
        draft = Draft.objects.get()
        campaign = assessment.campaign
        campaign.period_end = timezone.localdate() - timedelta(days=1)
        campaign.save(update_fields=["period_end"])
        code = assessment.survey_code
        for url, data in ((reverse("surveys:submit", args=[code]), {"client_id": draft.client_id}),
                          (reverse("surveys:step", args=[code, "respondent"]),
                           {"action": "next", "answer": "recipient"})):
            page = client.post(url, data)
            assert page.status_code == 200
            assert "Ответы не приняты" in page.content.decode()
        assert not Response.objects.exists()


class ReviewEditTests:
    def test_a_change_from_the_review_returns_to_it_through_the_questions_it_opens(self, client):
        assessment = make_assessment()
        code = assessment.survey_code
        answer_all(client, assessment, ALL_YES_NO_SITE)
        review = client.get(reverse("surveys:review", args=[code])).content.decode()
        change = reverse("surveys:step", args=[code, "used_site"]) + "?return=review"
        assert change in review
        page = client.get(change)
        assert "Сохранить и вернуться к проверке" in page.content.decode()
        # «Нет» → «Да» on the site filter opens the site question, then back to the review.
        opened = client.post(change, {"action": "next", "answer": "yes"})
        assert opened["Location"] == (
            reverse("surveys:step", args=[code, "info_site"]) + "?return=review")
        done = client.post(opened["Location"], {"action": "next", "answer": "no"})
        assert done["Location"] == reverse("surveys:review", args=[code])
        assert Draft.objects.get().answers["info_site"] == "no"

    def test_a_screen_reader_hears_the_progress_with_the_question(self, client):
        assessment = make_assessment()
        first, _ = start(client, assessment)
        html = client.get(first["Location"]).content.decode()
        heading = html[html.index('<h1 id="page-title"'):].split("</h1>", 1)[0]
        assert '<span class="visually-hidden">Вопрос 1 из ' in heading
        assert "<title>Вопрос 1 из " in html
