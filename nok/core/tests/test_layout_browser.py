"""The page frame in real Chromium: a one-row header on a desktop, nothing wider than a phone."""

from __future__ import annotations

import datetime as dt

import pytest

from nok.assessments import services
from nok.assessments.tests.factories import assessment_of, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROW_TOPS = """() => ['.brand', '.site-header nav', '.who']
    .map(s => Math.round(document.querySelector(s).getBoundingClientRect().top))"""


class HeaderLayoutTests:
    def test_the_header_is_one_row_at_1280px_with_every_menu_entry(self, personas, login) -> None:
        personas.operator.first_name, personas.operator.last_name = "Ольга", "Операторова"
        personas.operator.save()
        page = login(personas.operator)
        page.goto(f"{page.base_url}/campaigns/")
        nav = page.locator(".site-header nav").inner_text()
        assert "Журнал изменений" in nav and "Методики" in nav
        tops = page.evaluate(ROW_TOPS)
        assert max(tops) - min(tops) < 12, tops  # brand, menu and user on one line
        assert page.locator(".site-header nav a[aria-current=page]").inner_text() == "Кампании"

    def test_pages_do_not_scroll_sideways_on_a_390px_phone(self, personas, login) -> None:
        campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
        assessment = assessment_of(campaign, personas.org_a)
        # A long unbroken note must wrap in the checklist, the protocol and the journal.
        services.checklist_update(
            assessment=assessment, user=personas.operator, checklist_key="remote_channels",
            items={"phone": services.TickInput(present=True, note="ж" * 2000)},
        )
        services.contact_create(assessment=assessment, user=personas.operator, kind="call",
                                date=dt.date(2025, 5, 1), form="home", answered=False,
                                effective=False, note="https://example.org/" + "x" * 1500)
        page = login(personas.ministry)
        page.set_viewport_size({"width": 390, "height": 844})
        for path in (
            "/campaigns/", f"/campaigns/{campaign.pk}/",
            f"/campaigns/assessment/{assessment.pk}/",
            f"/campaigns/assessment/{assessment.pk}/checklists/",
            f"/campaigns/assessment/{assessment.pk}/protocol/",
            "/organizations/", "/journal/",
        ):
            opened = page.goto(page.base_url + path)
            assert opened is not None and opened.status == 200, path  # a «not found» page proves nothing
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path}: {width}px wide"

    def test_link_styled_buttons_look_like_links_on_every_page(self, personas, login) -> None:
        page = login(personas.operator)
        page.goto(f"{page.base_url}/organizations/users/")
        button = page.get_by_role("button", name=f"Отключить {personas.ministry.username}")
        background = button.evaluate("b => getComputedStyle(b).backgroundColor")
        assert background in {"rgba(0, 0, 0, 0)", "transparent"}
