"""The start pages in real Chromium at 1280 and 390 px: the ministry's region and the
organization's own page fit the screen (no horizontal scrolling of the page), break no rule of
the Content-Security-Policy, their charts are drawn, and a screenshot of each is kept in the
test's temporary folder."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from nok.core.tests.test_csp_browser import LISTEN
from nok.dashboard.tests.test_home import build_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1280, 900), (390, 844)]


def look(page: Any, path: Any, name: str) -> None:
    """At each width: the page is no wider than the screen and raised no CSP violation; a
    full-page screenshot."""
    page.add_init_script(LISTEN)
    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{page.base_url}/")
        expect(page.locator("h1")).to_be_visible()
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} at {width} px is {scroll} px wide"
        assert page.evaluate("window.__csp || []") == []
        shot = path / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000


class StartPageBrowserTests:
    def test_the_ministrys_region_fits_a_phone_and_a_desktop(self, personas, login,
                                                             tmp_path) -> None:
        build_region(personas)
        page = login(personas.ministry)
        look(page, tmp_path, "ministry")
        expect(page.locator("svg.bar-chart")).to_have_count(2)
        expect(page.locator("#criteria-chart-title")).to_have_text(
            "Средние значения критериев и итогового балла по региону")
        expect(page.get_by_role("link", name="НОК 2026").first).to_be_visible()

    def test_the_organizations_page_fits_a_phone_and_a_desktop(self, personas, login,
                                                               tmp_path) -> None:
        build_region(personas)
        page = login(personas.org_admin)
        look(page, tmp_path, "organization")
        expect(page.locator("svg.bar-chart")).to_have_count(1)
        expect(page.locator(".todo-list")).to_contain_text("6 мероприятий плана просрочено")
