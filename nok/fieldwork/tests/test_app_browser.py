"""The offline interview app in real Chromium: loaded once online, interviews recorded with the
network cut (the page itself served by the service worker, a closed tab losing nothing), every
interview stored exactly once when the network returns, a late sync after fieldwork refused
with the interviews kept on the device and exported as a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from nok.assessments.models import Campaign
from nok.fieldwork.models import Device
from nok.fieldwork.tests.factories import make_interviewer
from nok.surveys.models import Response
from nok.surveys.tests.factories import make_assessment, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APP = "/fieldwork/app/"
ORGANIZATION = "КЦСОН Сормовского района"
# Chromium reports a blocked script, style, worker or manifest on the console.
LISTEN = """document.addEventListener('securitypolicyviolation', e => {
  (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});"""
# The interviews kept on the device (IndexedDB), as the app stores them.
STORED = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('nok-interviews', 1);
  open.onsuccess = () => {
    const request = open.result.transaction('interviews').objectStore('interviews').getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  };
})"""
# A device that never heard the server's answer: everything it sent is to be sent again.
FORGET_ANSWERS = """() => new Promise((resolve) => {
  const open = indexedDB.open('nok-interviews', 1);
  open.onsuccess = () => {
    const tx = open.result.transaction('interviews', 'readwrite');
    const store = tx.objectStore('interviews');
    store.getAll().onsuccess = (e) => e.target.result.forEach(r => { r.status = 'pending'; store.put(r); });
    tx.oncomplete = () => resolve(true);
  };
})"""


def watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    page.add_init_script(LISTEN)
    return problems


def open_app(page: Any) -> None:
    page.goto(page.base_url + APP)
    expect(page.locator("body[data-ready='1']")).to_have_count(1)


def waiting(page: Any, n: int) -> None:
    expect(page.locator("#waiting-count")).to_have_text(f"Ждут отправки: {n}", timeout=20_000)


def answer_all(page: Any, stop_after: int | None = None) -> None:
    """Answers the open interview to the end (the first option of every question; free text
    left blank) and saves it; with ``stop_after``, leaves it after that many answers."""
    given = 0
    while True:
        if page.locator("#review").is_visible():
            page.get_by_role("button", name="Сохранить интервью").click()
            expect(page.locator("#home")).to_be_visible()
            return
        if stop_after is not None and given == stop_after:
            return
        progress = page.locator("#q-progress").inner_text()
        options = page.locator("#q-options button.option")
        if page.locator("#q-options").is_visible() and options.count():
            options.first.click()
        else:
            page.get_by_role("button", name="Далее").click()
        # The next screen is shown once the answer is written to the device.
        page.wait_for_function(
            "p => document.getElementById('q-progress').textContent !== p"
            " || !document.getElementById('review').hidden", arg=progress)
        given += 1


def begin(page: Any, label: str = "Начать интервью") -> None:
    page.get_by_role("button", name=f"{label}: {ORGANIZATION}").click()
    expect(page.locator("#question-text")).to_be_visible()


@pytest.fixture
def fieldwork(personas):
    campaign = make_campaign()
    assessment = make_assessment(personas.org_b, campaign)
    interviewer = make_interviewer("ivanova", personas.org_b)
    return campaign, assessment, interviewer


class OfflineAppTests:
    def test_twenty_interviews_recorded_offline_are_stored_once_each(
        self, browser_page, login, fieldwork
    ):
        campaign, assessment, interviewer = fieldwork
        page = login(interviewer)
        problems = watch(page)
        open_app(page)
        expect(page.locator("#organizations")).to_contain_text(ORGANIZATION)
        # The service worker keeps the app: from now on it opens without the network.
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
        context = page.context
        context.set_offline(True)
        page.reload()
        expect(page.locator("body[data-ready='1']")).to_have_count(1)
        expect(page.locator("#net")).to_have_text("нет сети")

        for number in range(1, 21):
            begin(page)
            if number == 7:
                # The tab is closed in the middle of an interview, then the app is opened again.
                answer_all(page, stop_after=5)
                base = page.base_url
                page.close()
                page = context.new_page()
                page.base_url = base
                open_app(page)
                expect(page.locator("#resume")).to_be_visible()
                page.get_by_role("button", name="Продолжить интервью").click()
                expect(page.locator("#q-progress")).to_contain_text("Вопрос 6 из")
            answer_all(page)
        waiting(page, 20)
        assert not Response.objects.exists()

        context.set_offline(False)  # the app sends everything as the network returns
        waiting(page, 0)
        expect(page.locator("#sent-count")).to_have_text("· отправлено: 20")
        kept = page.evaluate(STORED)
        assert len(kept) == 20 and {r["status"] for r in kept} == {"synced"}
        stored = Response.objects.filter(assessment=assessment)
        assert stored.count() == 20
        assert {str(c) for c in stored.values_list("client_id", flat=True)} == {
            r["client_id"] for r in kept}
        assert set(stored.values_list("mode", "channel", "interviewer")) == {
            ("interview", "interviewer", interviewer.pk)}
        interrupted = stored.get(client_id=kept_client(kept, 7))
        assert len(interrupted.answers) >= 14  # the five answers before the tab closed, and the rest

        # A second sync of the same device adds nothing: a plain one, then one re-sending
        # every interview as if the server's answers had been lost.
        page.get_by_role("button", name="Отправить сейчас").click()
        page.evaluate(FORGET_ANSWERS)
        page.reload()
        waiting(page, 0)
        expect(page.locator("#sent-count")).to_have_text("· отправлено: 20")
        assert Response.objects.count() == 20
        device = Device.objects.get(interviewer=interviewer)
        assert device.waiting == {} and device.last_sync is not None
        assert list(device.assessments.all()) == [assessment]
        assert problems == [] and page.evaluate("window.__csp || []") == []

    def test_after_fieldwork_closes_a_late_sync_is_refused_and_the_interview_exported(
        self, browser_page, login, fieldwork, tmp_path
    ):
        campaign, assessment, interviewer = fieldwork
        page = login(interviewer)
        open_app(page)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
        page.context.set_offline(True)
        begin(page, "Телефонный опрос")
        answer_all(page)
        waiting(page, 1)
        Campaign.objects.filter(pk=campaign.pk).update(status="review")  # fieldwork closed
        page.context.set_offline(False)
        expect(page.locator("#message")).to_contain_text(
            "Сбор данных по кампании завершён, не принято интервью: 1. Интервью сохранены на этом "
            "устройстве: выгрузите их в файл",
            timeout=20_000)
        expect(page.locator("#sent-count")).to_contain_text("не приняты после завершения сбора: 1")
        assert not Response.objects.exists()
        with page.expect_download() as download:
            page.get_by_role("button", name="Выгрузить неотправленные интервью в файл").click()
        path = Path(tmp_path) / "interviews.json"
        download.value.save_as(path)
        exported = json.loads(path.read_text(encoding="utf-8"))
        assert exported["format"] == "nok-interviews" and len(exported["interviews"]) == 1
        interview = exported["interviews"][0]
        assert (interview["organization"], interview["mode"], interview["status"]) == (
            ORGANIZATION, "telephone", "refused")
        assert interview["answers"]["respondent"] == "recipient"
        assert "Сбор данных по кампании «НОК" in interview["message"]

    def test_the_app_is_usable_at_360_pixels_with_large_targets(self, browser_page, login,
                                                                fieldwork):
        _, _, interviewer = fieldwork
        page = login(interviewer)
        page.set_viewport_size({"width": 360, "height": 740})
        open_app(page)
        begin(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        for box in [b.bounding_box() for b in page.locator("#q-options button.option").all()]:
            assert box["height"] >= 48 and box["width"] >= 300
        manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href)"
                                 ".then(r => r.json())")
        assert manifest["display"] == "standalone" and manifest["start_url"] == APP


def kept_client(kept: list[dict[str, Any]], number: int) -> str:
    """The client id of the ``number``-th interview begun (by its start time)."""
    return sorted(kept, key=lambda r: r["started_at"])[number - 1]["client_id"]
