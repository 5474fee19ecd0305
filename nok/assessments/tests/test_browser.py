"""Main paths in real Chromium: tick a checklist item and see the score change; the rating."""

from __future__ import annotations

from pathlib import Path

import pytest

from nok.assessments.models import Assessment
from nok.assessments.tests.factories import (
    assessment_of,
    fill_all_checklists,
    make_campaign,
    respond,
    tick,
)
from nok.organizations.services import organization_update

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class FieldworkBrowserTests:
    def test_ticking_a_checklist_item_changes_the_score_on_the_page(self, personas, login) -> None:
        campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
        assessment = assessment_of(campaign, personas.org_a)
        tick(assessment, "remote_channels", ["phone"])  # 1.2 = 30
        for _ in range(3):
            respond(assessment)
        page = login(personas.operator)
        page.goto(f"{page.base_url}/campaigns/assessment/{assessment.pk}/")
        row = page.locator("tr[data-indicator='1.2']")
        assert "30" in row.inner_text()

        page.get_by_role("link", name="Перечни (наблюдение, сайт)").click()
        page.locator("[data-testid=total]").wait_for()  # the live summary has loaded
        before = page.locator("[data-testid=total]").inner_text()
        checklist = page.locator("section#remote_channels")
        checklist.get_by_label("Электронная почта", exact=False).first.check()
        # Saved at once (no button): the summary on this page shows the new total.
        page.wait_for_function(
            "b => document.querySelector('[data-testid=total]').innerText !== b", arg=before
        )
        assert "сохранён" in page.locator(".messages").inner_text()
        page.reload()
        assert checklist.get_by_label("Электронная почта", exact=False).first.is_checked()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "checklists_page.png"))

        page.get_by_role("link", name="Баллы").click()
        row = page.locator("tr[data-indicator='1.2']")
        assert "60" in row.inner_text()  # 2 channels x 30
        row.locator("summary").click()
        assert row.locator(".figure-body").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "assessment_page.png"), full_page=True)

    def test_the_campaign_page_shows_the_rating(self, personas, login) -> None:
        for org in (personas.org_a, personas.org_b):  # 20 recipients: at least 8 respondents
            organization_update(organization=org, user=None,
                                data={"recipients_semi_stationary": 10, "recipients_home": 10})
        campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
        a, b = assessment_of(campaign, personas.org_a), assessment_of(campaign, personas.org_b)
        fill_all_checklists(a, premises=("ramps", "parking", "wheelchairs"))
        fill_all_checklists(b)
        for _ in range(8):
            respond(a)
            respond(b)
        page = login(personas.ministry)
        page.goto(f"{page.base_url}/campaigns/{campaign.pk}/")
        rating = page.locator("section.rating").first
        rows = rating.locator("tbody tr")
        assert rows.count() == Assessment.objects.count() == 2
        first = rows.nth(0).inner_text()
        # 3.1 = 60 (three conditions) beats 3.1 = 20: Канавинский first, shared places rule
        assert first.startswith("1") and "Канавинского" in first
        assert rows.nth(1).inner_text().startswith("2") and "Сормовского" in rows.nth(1).inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "campaign_page.png"), full_page=True)

    def test_the_operator_logs_a_control_call_and_sees_the_protocol(self, personas, login) -> None:
        campaign = make_campaign([personas.org_a], user=personas.operator)
        assessment = assessment_of(campaign, personas.org_a)
        page = login(personas.operator)
        page.goto(f"{page.base_url}/campaigns/assessment/{assessment.pk}/protocol/")
        assert "звонки не поступили" in page.locator("table.protocol").inner_text()
        form = page.locator("form", has=page.locator("input[value=contact]"))
        form.get_by_label("Дата").fill("2025-05-12")
        form.get_by_label("Время").fill("10:30")
        form.get_by_label("Форма обслуживания").select_option("semi_stationary")
        form.get_by_label("Получен ответ").check()
        form.get_by_label("Результативный").check()
        form.get_by_role("button", name="Добавить").click()
        assert "1/1 (100 % результативных)" in page.locator("table.protocol").inner_text()
        page.screenshot(path=str(ARTIFACTS / "protocol_page.png"), full_page=True)


class ChecklistKeyboardBrowserTests:
    def test_items_are_ticked_noted_and_saved_from_the_keyboard(self, personas, login) -> None:
        from nok.assessments.models import ChecklistTick

        campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
        a, b = assessment_of(campaign, personas.org_a), assessment_of(campaign, personas.org_b)
        page = login(personas.operator)
        page.goto(f"{page.base_url}/campaigns/assessment/{a.pk}/checklists/")
        help_box = page.locator("details#kbd-help")
        assert "Горячие клавиши" in help_box.inner_text()
        page.keyboard.press("?")
        assert help_box.evaluate("d => d.open")
        page.keyboard.press("?")
        page.keyboard.press("j")  # the first item of the first checklist (stand: founding)
        assert page.evaluate("document.activeElement.name").endswith("founding__present")
        page.keyboard.press("1")  # founding present
        page.keyboard.press("0")  # schedule absent
        # contacts present by the Russian «д» (Playwright's keyboard has no Cyrillic keys: the
        # key event a Russian layout sends)
        page.evaluate("document.activeElement.dispatchEvent("
                      "new KeyboardEvent('keydown', {key: 'д', bubbles: true}))")
        page.keyboard.press("k")  # back to contacts
        page.keyboard.press("ArrowDown")  # management
        page.keyboard.press("y")
        page.keyboard.press("ArrowUp")  # management again
        page.keyboard.press("Enter")  # its note
        page.keyboard.type("приказ на стенде, фото 12")
        page.keyboard.press("Escape")
        assert page.evaluate("document.activeElement.name").endswith("management__present")
        with page.expect_navigation():  # the checklist is posted, the page comes back
            page.keyboard.press("Control+Enter")
        assert "сохранён" in page.locator(".messages").inner_text()
        ticks = {t.item_key: (t.present, t.note) for t in
                 ChecklistTick.objects.filter(assessment=a, checklist_key="stand")}
        assert ticks["founding"][0] is True and ticks["schedule"][0] is False
        assert ticks["contacts"][0] is True
        assert ticks["management"] == (True, "приказ на стенде, фото 12")
        # after the reload the cursor is back on the item it was on
        assert page.evaluate("document.activeElement.name").endswith("management__present")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "checklists_keyboard.png"))
        page.keyboard.press("]")  # the next organization of the campaign
        page.wait_for_url(f"**/campaigns/assessment/{b.pk}/checklists/")
