"""The public questionnaire in real Chromium: keyboard only, resume, retry, accessibility."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from nok.assessments.models import Campaign
from nok.surveys.models import Draft, Response
from nok.surveys.tests.factories import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


def open_form(page, assessment, query=""):
    page.goto(f"{page.base_url}/q/{assessment.survey_code}/{query}")


def press(page, locator) -> None:
    """Clicks a button of a screen and waits for what follows to have the focus: the next
    question (shown by the page's script without a request), the same one with its error, or
    a page from the server (the review, the start page)."""
    locator.click()
    expect(page.locator("#page-title")).to_be_focused()


def press_without_script(page, locator) -> None:
    """Clicks a button that sends its screen to the server and waits for the next page."""
    with page.expect_navigation():
        locator.click()


def tab_to(page, name: str, limit: int = 80) -> None:
    """Presses Tab until the focused element's text is ``name`` (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"«{name}» is not reachable with Tab")


def answer_by_keyboard(page, choice: int | str | None) -> None:
    """On a question screen: Tab into the options, choose the n-th with arrows (or type the
    text), go on with «Далее»."""
    expect(page.locator("h1.question")).to_be_focused()
    if isinstance(choice, str):
        page.keyboard.press("Tab")
        page.keyboard.type(choice)
    elif choice is not None:
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        for _ in range(choice - 1):
            page.keyboard.press("ArrowDown")
    tab_to(page, "Далее" if page.get_by_role("button", name="Далее").count() else "К проверке ответов")
    page.keyboard.press("Enter")
    expect(page.locator("#page-title")).to_be_focused()


# Question screens for a recipient who used the stand but not the site, is not disabled and did
# not use remote channels: 1 = first option (Да / получатель), 2 = second (Нет), None = skip.
SCREENS = [1, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 1, "Больше занятий по рисованию", None, None]


def complete_by_keyboard(page) -> None:
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Начать")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for screen in SCREENS:
        answer_by_keyboard(page, screen)
    expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте ответы и отправьте анкету")


def begin(page):
    """A new organization's form opened and begun («Начать»); returns the assessment."""
    assessment = make_assessment()
    open_form(page, assessment)
    press(page, page.get_by_role("button", name="Начать"))
    return assessment


def reach_the_review(page):
    """A new organization's form answered by keyboard up to the review; returns it."""
    assessment = make_assessment()
    open_form(page, assessment)
    complete_by_keyboard(page)
    return assessment


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v.get("impact") in SERIOUS]


class KeyboardTests:
    def test_a_respondent_completes_the_form_with_the_keyboard_alone(self, browser_page):
        page = browser_page
        reach_the_review(page)
        tab_to(page, "Отправить анкету")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Спасибо! Анкета получена")
        response = Response.objects.get()
        stored = response.answers
        assert stored["used_site"] == "no" and "info_site" not in stored
        assert stored["respondent"] == "recipient" and stored["disabled"] == "no"
        assert response.texts["suggestions"] == "Больше занятий по рисованию"


class ResumeAndRetryTests:
    def test_a_reload_and_a_closed_tab_lose_nothing(self, browser_page):
        page = browser_page
        assessment = begin(page)
        # The server is out of reach for this tab's saves (requests fail, beacons are never
        # sent): only the device keeps the answers.
        page.route("**/autosave/", lambda route: route.abort())
        no_beacon = "navigator.sendBeacon = () => false;"
        page.add_init_script(no_beacon)
        page.evaluate(no_beacon)
        relative = "Родственник (законный представитель) получателя социальных услуг"
        page.get_by_label(relative).check()
        page.reload()
        expect(page.get_by_label(relative)).to_be_checked()
        press(page, page.get_by_role("button", name="Далее"))
        page.get_by_label("Да").check()
        base_url = page.base_url
        page.close(run_before_unload=True)
        assert Draft.objects.get().answers == {}  # nothing reached the server
        again = browser_page.context.new_page()
        again.base_url = base_url
        open_form(again, assessment)
        press(again, again.get_by_role("button", name="Продолжить заполнение"))
        # Both answers kept: the next unanswered question is the third (stand satisfaction), of
        # the 19 the respondent may still be asked.
        expect(again.locator("#progress")).to_have_text("Вопрос 3 из 19")
        expect(again.locator("h1.question")).to_contain_text("на информационных стендах")
        assert Draft.objects.get().answers == {"respondent": "relative", "used_stand": "yes"}

    def test_a_lost_connection_before_the_review_is_said_and_loses_nothing(self, browser_page):
        page = browser_page
        begin(page)
        page.route("**/autosave/", lambda route: route.abort())
        answer_all_but_the_last = len(SCREENS) - 1
        for screen in SCREENS[:answer_all_but_the_last]:
            answer_by_keyboard(page, screen)
        page.get_by_role("button", name="К проверке ответов").click()
        expect(page.locator("[data-autosave-status]")).to_contain_text("Нет связи с сервером")
        assert "/s/" in page.url
        page.unroute("**/autosave/")
        press(page, page.get_by_role("button", name="К проверке ответов"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте ответы и отправьте анкету")
        assert len(Draft.objects.get().answers) == 14  # every screen but the three skipped

    def test_answers_refused_for_an_expired_page_stay_kept_and_are_sent_from_a_fresh_one(
        self, browser_page
    ):
        page = browser_page
        begin(page)
        for screen in SCREENS[:-1]:
            answer_by_keyboard(page, screen)
        # The form token of this page no longer matches the browser's (a new one was issued).
        host = page.base_url.split("//")[1].split(":")[0]
        page.context.add_cookies([{"name": "csrftoken", "value": "a" * 32, "domain": host,
                                   "path": "/"}])
        with page.expect_navigation():  # refused (403): the same question from the server
            page.get_by_role("button", name="К проверке ответов").click()
        assert "/s/" in page.url and Draft.objects.get().answers == {}
        press(page, page.get_by_role("button", name="К проверке ответов"))  # the fresh token
        expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте ответы и отправьте анкету")
        assert len(Draft.objects.get().answers) == 14

    def test_large_print_midway_keeps_the_screen_and_sends_the_answers_first(self, browser_page):
        page = browser_page
        begin(page)
        page.get_by_label("Получатель социальных услуг").check()
        press(page, page.get_by_role("button", name="Далее"))
        with page.expect_navigation():
            page.get_by_role("button", name="Крупный шрифт").click()
        expect(page.locator("#progress")).to_have_text("Вопрос 2 из 19")
        assert "large" in page.evaluate("document.body.className")
        assert Draft.objects.get().answers == {"respondent": "recipient"}

    def test_a_reload_of_a_screen_the_server_cannot_reach_yet_stays_on_it(self, browser_page):
        page = browser_page
        begin(page)
        page.route("**/autosave/", lambda route: route.abort())
        no_beacon = "navigator.sendBeacon = () => false;"
        page.add_init_script(no_beacon)
        page.evaluate(no_beacon)
        page.get_by_label("Получатель социальных услуг").check()
        press(page, page.get_by_role("button", name="Далее"))
        page.get_by_label("Да").check()
        press(page, page.get_by_role("button", name="Далее"))
        # The stand's question is asked because of an answer only this device has: the server
        # sends the reload to the first question; the script returns to this one.
        page.reload()
        expect(page.locator("h1.question")).to_contain_text("на информационных стендах")
        expect(page.locator("#progress")).to_have_text("Вопрос 3 из 19")
        assert page.url.endswith("/s/info_stand/")

    def test_answers_sent_after_the_survey_closed_are_said_to_be_refused(self, browser_page):
        page = browser_page
        assessment = begin(page)
        for screen in SCREENS[:-1]:
            answer_by_keyboard(page, screen)
        Campaign.objects.filter(pk=assessment.campaign_id).update(status="review")
        page.get_by_role("button", name="К проверке ответов").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Опрос сейчас не проводится")
        expect(page.locator(".survey-error")).to_contain_text("Ответы не приняты")

    def test_on_a_browser_that_does_not_say_which_button_was_pressed_back_goes_back(
        self, browser_page
    ):
        """Safari before 15.4 gives no SubmitEvent.submitter, before 16 no requestSubmit."""
        page = browser_page
        page.context.add_init_script("""
            Object.defineProperty(SubmitEvent.prototype, "submitter", { get() { return undefined; } });
            HTMLFormElement.prototype.requestSubmit = undefined;""")
        assessment = begin(page)
        page.get_by_label("Получатель социальных услуг").check()
        press(page, page.get_by_role("button", name="Далее"))
        page.get_by_label("Да").check()
        press(page, page.get_by_role("button", name="Назад"))
        expect(page.locator("#progress")).to_have_text("Вопрос 1 из 19")
        base_url = page.base_url
        page.close()  # the answers stay on this device only
        again = browser_page.context.new_page()
        again.base_url = base_url
        open_form(again, assessment)
        press(again, again.get_by_role("button", name="Продолжить заполнение"))
        expect(again.locator("#progress")).to_have_text("Вопрос 3 из 19")
        assert Draft.objects.get().answers == {"respondent": "recipient", "used_stand": "yes"}

    def test_the_browsers_back_button_shows_the_previous_question_with_its_answer(self, browser_page):
        page = browser_page
        begin(page)
        page.get_by_label("Получатель социальных услуг").check()
        press(page, page.get_by_role("button", name="Далее"))
        page.get_by_label("Нет").check()
        press(page, page.get_by_role("button", name="Далее"))
        expect(page.locator("#progress")).to_have_text("Вопрос 3 из 18")  # the stand ruled out
        page.go_back()
        expect(page.locator("#progress")).to_have_text("Вопрос 2 из 18")
        expect(page.get_by_label("Нет")).to_be_checked()
        page.go_back()
        expect(page.get_by_label("Получатель социальных услуг")).to_be_checked()
        expect(page.get_by_role("button", name="Назад")).to_have_count(0)

    def test_forward_to_a_question_a_changed_answer_ruled_out_shows_the_next_one_asked(
        self, browser_page
    ):
        page = browser_page
        begin(page)
        page.get_by_label("Получатель социальных услуг").check()
        press(page, page.get_by_role("button", name="Далее"))
        page.get_by_label("Да").check()  # the stand used: its question follows
        press(page, page.get_by_role("button", name="Далее"))
        expect(page.locator("h1.question")).to_contain_text("на информационных стендах")
        page.go_back()
        page.get_by_label("Нет").check()  # not used after all: that question is not asked
        page.go_forward()
        expect(page.locator("h1.question")).to_contain_text("официальным сайтом")
        assert page.url.endswith("/s/used_site/")

    def test_a_change_from_the_review_asks_the_question_it_opens_and_returns(self, browser_page):
        page = browser_page
        reach_the_review(page)
        # Question 4 («сайт»: «Нет») becomes «Да»: the site's question is asked, then the review.
        page.get_by_role("link", name="Изменить ответ на вопрос 4").click()
        page.get_by_label("Да").check()
        press(page, page.get_by_role("button", name="Сохранить и вернуться к проверке"))
        expect(page.locator("h1.question")).to_contain_text("официальном сайте")
        page.get_by_label("Да").check()
        press(page, page.get_by_role("button", name="Сохранить и вернуться к проверке"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте ответы и отправьте анкету")
        answers = Draft.objects.get().answers
        assert answers["used_site"] == "yes" and answers["info_site"] == "yes"

    def test_the_script_numbers_every_question_as_the_server_does(self, browser_page):
        page = browser_page
        reach_the_review(page)
        links = [a.get_attribute("href") for a in page.locator("a", has_text="Изменить").all()]
        assert len(links) == 16  # every question asked, the two left blank included
        for link in links:
            served = page.request.get(f"{page.base_url}{link}").text()  # the server's own numbers
            number = re.search(r'id="progress" aria-hidden="true">([^<]+)<', served).group(1)
            page.goto(f"{page.base_url}{link}")
            expect(page.locator("#progress")).to_have_text(number)
            expect(page.locator("h1.question")).to_be_focused()
            # Shown by the script (the screen it draws from its own numbering), not left as served.
            assert page.evaluate("history.state.key") == link.split("/s/")[1].split("/")[0]

    def test_the_question_screens_cost_the_server_one_request_until_the_review(self, browser_page):
        page = browser_page
        assessment = make_assessment()
        open_form(page, assessment)
        sent = []
        page.on("request", lambda r: sent.append(f"{r.method} {r.url.split('/q/')[-1]}")
                if r.resource_type in {"document", "fetch", "xhr", "ping"} else None)
        complete_by_keyboard(page)
        code = assessment.survey_code
        assert sent == [f"POST {code}/", f"GET {code}/s/respondent/", f"POST {code}/autosave/",
                        f"GET {code}/review/"]

    def test_a_retry_of_the_same_submission_is_told_it_was_already_received(self, browser_page):
        page = browser_page
        assessment = reach_the_review(page)
        form = page.locator("form[action$='/submit/']")
        data = {
            "client_id": form.locator("input[name=client_id]").input_value(),
            "csrfmiddlewaretoken": form.locator("input[name=csrfmiddlewaretoken]").input_value(),
        }
        page.get_by_role("button", name="Отправить анкету").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Спасибо! Анкета получена")
        retry = page.request.post(f"{page.base_url}/q/{assessment.survey_code}/submit/", form=data)
        assert "Ваша анкета уже получена" in retry.text()
        assert Response.objects.count() == 1


def walk_to_text_question(page, press=press) -> None:
    """From the first question: the first option everywhere until the free-text question."""
    while not page.locator("textarea").count():
        page.locator("input[name=answer]").first.check()
        press(page, page.locator("button[value=next]"))


class AccessibilityTests:
    @pytest.mark.parametrize("query", ["?large=0&contrast=0", "?large=1&contrast=0",
                                       "?large=0&contrast=1", "?large=1&contrast=1"])
    def test_every_public_screen_has_no_serious_violations(self, browser_page, query):
        """Welcome, a choice and a yes/no question, the error message, the free-text question,
        review, thanks (colour contrast included: axe's color-contrast rule is serious)."""
        assessment = make_assessment()
        page = browser_page
        open_form(page, assessment, query)
        screens = {"welcome": serious_violations(page)}
        press(page, page.get_by_role("button", name="Начать"))
        screens["choice"] = serious_violations(page)
        press(page, page.get_by_role("button", name="Далее"))
        screens["error"] = serious_violations(page)
        page.get_by_label("Получатель социальных услуг").check()
        press(page, page.get_by_role("button", name="Далее"))
        expect(page.get_by_label("Да")).to_be_visible()
        screens["yes/no"] = serious_violations(page)
        walk_to_text_question(page)
        screens["text"] = serious_violations(page)
        press(page, page.locator("button[value=next]"))
        while "/s/" in page.url:
            press(page, page.locator("button[value=next]"))
        screens["review"] = serious_violations(page)
        page.get_by_role("button", name="Отправить анкету").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Спасибо! Анкета получена")
        screens["thanks"] = serious_violations(page)
        assert screens == {name: [] for name in screens}

    @pytest.mark.parametrize("query", ["?large=0&contrast=0", "?large=1&contrast=0",
                                       "?large=0&contrast=1"])
    def test_the_closed_survey_message_has_no_serious_violations(self, browser_page, query):
        assessment = make_assessment(status="review")
        open_form(browser_page, assessment, query)
        expect(browser_page.get_by_role("heading", level=1)).to_have_text(
            "Опрос сейчас не проводится")
        assert serious_violations(browser_page) == []


class DoubleSubmitTests:
    def test_a_double_click_on_send_stores_one_response_and_says_thank_you(self, browser_page):
        page = browser_page
        reach_the_review(page)
        posts = []
        page.on("request", lambda r: posts.append(r.url) if r.url.endswith("/submit/") else None)
        # A second press while the first is on its way (a trembling hand): it is not sent.
        page.evaluate("""() => { const b = document.querySelector("form[action$='/submit/'] button");
                                 b.click(); setTimeout(() => b.click(), 30); }""")
        expect(page.get_by_role("heading", level=1)).to_have_text("Спасибо! Анкета получена")
        assert len(posts) == 1
        assert Response.objects.count() == 1

    def test_back_after_sending_says_already_received(self, browser_page):
        page = browser_page
        reach_the_review(page)
        page.get_by_role("button", name="Отправить анкету").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Спасибо! Анкета получена")
        page.go_back()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Спасибо! Ваша анкета уже получена")
        assert Response.objects.count() == 1


class NoJavaScriptTests:
    def test_the_form_is_filled_and_sent_with_javascript_disabled(self, chromium, live_server):
        context = chromium.new_context(locale="ru-RU", java_script_enabled=False,
                                       viewport={"width": 390, "height": 844})
        page = context.new_page()
        try:
            assessment = make_assessment()
            page.goto(f"{live_server.url}/q/{assessment.survey_code}/?large=1")
            press_without_script(page, page.get_by_role("button", name="Начать"))
            walk_to_text_question(page, press_without_script)
            page.locator("textarea").fill("Всё устраивает")
            press_without_script(page, page.locator("button[value=next]"))
            while "/s/" in page.url:
                press_without_script(page, page.locator("button[value=next]"))
            page.get_by_role("button", name="Отправить анкету").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Спасибо! Анкета получена")
            response = Response.objects.get()
            assert response.texts["suggestions"] == "Всё устраивает"
        finally:
            context.close()


def type_and_save(page, *keys: str) -> None:
    """Types into the entry screen («\t» presses Tab), then Enter saves the sheet."""
    for key in keys:
        if key == "\t":
            page.keyboard.press("Tab")
        else:
            page.keyboard.type(key)
    with page.expect_navigation():
        page.keyboard.press("Enter")


class PaperEntryKeyboardTests:
    def test_an_operator_enters_two_sheets_without_the_mouse(self, login, personas):
        assessment = make_assessment(personas.org_a)
        page = login(personas.operator)
        page.goto(f"{page.base_url}/surveys/assessment/{assessment.pk}/paper/")
        expect(page.locator("#sheet-number")).to_be_focused()
        page.keyboard.type("101")
        page.keyboard.press("Tab")
        # 19 questions: digits jump to the next cell by themselves; the text cell takes a Tab.
        page.keyboard.type("1111121211120111")
        page.keyboard.type("Всё хорошо")
        page.keyboard.press("Tab")
        page.keyboard.type("2")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator(".messages")).to_contain_text("Анкета № 101 сохранена")
        # The next sheet: its number is suggested and the cursor waits in the first answer.
        expect(page.locator("#sheet-number")).to_have_value("102")
        expect(page.locator("#q-respondent")).to_be_focused()
        page.keyboard.type("2")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator(".messages")).to_contain_text("Анкета № 102 сохранена")
        first = Response.objects.get(source_ref="№ 101")
        stored = first.answers
        assert stored["used_site"] == "yes" and stored["info_site"] == "yes"
        assert stored["disabled"] == "no" and "accessibility" not in stored
        assert stored["sex"] == "female" and first.texts["suggestions"] == "Всё хорошо"
        second = Response.objects.get(source_ref="№ 102")
        assert second.answers == {"respondent": "relative"}

    def test_after_a_wrong_digit_the_operator_corrects_it_where_the_cursor_waits(
        self, login, personas
    ):
        assessment = make_assessment(personas.org_a)
        page = login(personas.operator)
        page.goto(f"{page.base_url}/surveys/assessment/{assessment.pk}/paper/")
        type_and_save(page, "201", "\t", "17")  # question 2 has two options: 7 is a typo
        expect(page.get_by_role("alert")).to_contain_text("Вопрос 2: введите цифру от 0 до 2")
        expect(page.locator("#q-used_stand")).to_be_focused()
        type_and_save(page, "2")
        expect(page.locator(".messages")).to_contain_text("Анкета № 201 сохранена")
        stored = Response.objects.get(source_ref="№ 201")
        assert stored.answers == {
            "respondent": "recipient", "used_stand": "no"}


class TextAutosaveTests:
    def test_words_typed_just_before_the_tab_is_closed_are_kept(self, browser_page):
        page = browser_page
        begin(page)
        walk_to_text_question(page)
        page.locator("textarea").type("Нужен пандус")
        page.close(run_before_unload=True)  # at once: the 600 ms autosave pause has not passed
        draft = Draft.objects.get()
        for _ in range(50):  # the beacon is sent as the page goes; wait for it to be stored
            draft.refresh_from_db()
            if draft.answers.get("suggestions"):
                break
            time.sleep(0.1)
        assert draft.answers.get("suggestions") == "Нужен пандус"


class PhoneLayoutTests:
    @pytest.mark.parametrize("query", ["?large=0", "?large=1&contrast=1"])
    def test_on_a_phone_the_question_is_in_the_upper_half_of_the_first_screen(
        self, chromium, live_server, query
    ):
        context = chromium.new_context(locale="ru-RU", viewport={"width": 390, "height": 844})
        page = context.new_page()
        try:
            assessment = make_assessment()
            page.goto(f"{live_server.url}/q/{assessment.survey_code}/{query}")
            with page.expect_navigation():
                page.get_by_role("button", name="Начать").click()
            # The header (organization, display buttons) must not push the question down:
            # in large print it used to end two thirds down the screen.
            heading = page.locator("h1.question").bounding_box()
            assert heading["y"] + heading["height"] <= 844 / 2
            first_option = page.locator(".option").first.bounding_box()
            assert first_option["y"] + first_option["height"] <= 844
            # Nothing wider than the phone: no sideways scrolling.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        finally:
            context.close()


class ReviewBrowserTests:
    def test_the_operator_ticks_every_response_of_the_page_and_accepts_them(self, personas, login):
        from nok.surveys.models import Flag, ResponseStatus
        from nok.surveys.tests.factories import make_campaign, make_response

        campaign = make_campaign()
        assessment = make_assessment(personas.org_a, campaign)
        for _ in range(3):
            response = make_response(assessment, status=ResponseStatus.FLAGGED)
            Flag.objects.create(response=response, kind="too_fast", detail="заполнена за 9 с")
        page = login(personas.operator)
        page.goto(f"{page.base_url}/surveys/campaign/{campaign.pk}/review/")
        page.get_by_label("Отметить все на странице").check()
        assert page.locator("input[name=response]:checked").count() == 3
        page.locator("input[name=response]").first.uncheck()  # «все» becomes partly ticked
        assert page.get_by_label("Отметить все на странице").evaluate("b => b.indeterminate")
        page.locator("summary", has_text="Ответы").first.click()
        expect(page.get_by_text("Удовлетворены ли Вы в целом").first).to_be_visible()
        page.get_by_label("Основание решения для отмеченных").fill("анкеты подтверждены звонком")
        page.get_by_role("button", name="Принять выбранные").click()
        expect(page.locator(".messages")).to_contain_text("Принято анкет: 2")
        statuses = sorted(Response.objects.values_list("status", flat=True))
        assert statuses == ["accepted", "accepted", "flagged"]
        expect(page.get_by_role("link", name="Решённые (2)")).to_be_visible()
