"""The Content-Security-Policy (the same in every environment) in real Chromium: the staff
pages and the public survey load without a single violation, and what used to be inline
(confirmations, bar widths) still works."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from nok.assessments import services
from nok.assessments.tests.factories import assessment_of, make_campaign
from nok.surveys.tests.factories import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium reports each blocked inline script, style or handler on the console, and fires a
# securitypolicyviolation event; both are collected.
LISTEN = """document.addEventListener('securitypolicyviolation', e => {
  (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});"""


def _watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    page.add_init_script(LISTEN)
    return problems


def _visit(page: Any, path: str, problems: list[str]) -> None:
    response = page.goto(page.base_url + path)
    assert response.status == 200, f"{path}: {response.status}"
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}, path
    page.wait_for_load_state("load")
    problems.extend(f"{path}: {v}" for v in page.evaluate("window.__csp || []"))


class ContentSecurityPolicyTests:
    def test_the_staff_pages_load_without_a_violation(self, personas: Any, login: Any) -> None:
        campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
        assessment = assessment_of(campaign, personas.org_a)
        services.contact_create(assessment=assessment, user=personas.operator, kind="call",
                                date=dt.date(2025, 5, 1), form="home", answered=True,
                                effective=True, note="")
        survey = make_assessment(personas.org_b)
        personas.operator.is_staff = personas.operator.is_superuser = True
        personas.operator.save()
        page = login(personas.operator)
        problems = _watch(page)
        for path in (
            "/campaigns/", f"/campaigns/{campaign.pk}/", f"/campaigns/{campaign.pk}/edit/",
            f"/campaigns/assessment/{assessment.pk}/",
            f"/campaigns/assessment/{assessment.pk}/checklists/",
            f"/campaigns/assessment/{assessment.pk}/protocol/",
            "/organizations/", f"/organizations/{personas.org_a.pk}/", "/organizations/users/",
            "/organizations/import/", "/journal/", "/methodology/",
            f"/campaigns/{campaign.pk}/close/",
            "/methodology/social-2018/", f"/surveys/assessment/{survey.pk}/",
            f"/surveys/assessment/{survey.pk}/paper/", "/admin/", "/admin/auth/user/",
            f"/admin/auth/user/{personas.ministry.pk}/change/",
        ):
            _visit(page, path, problems)
        assert problems == []

    def test_the_login_page_loads_without_a_violation(self, browser_page: Any) -> None:
        problems = _watch(browser_page)
        _visit(browser_page, "/login/", problems)
        assert problems == []

    def test_the_public_survey_loads_without_a_violation_and_its_bar_has_a_width(
        self, browser_page: Any
    ) -> None:
        assessment = make_assessment()
        page = browser_page
        problems = _watch(page)
        _visit(page, f"/q/{assessment.survey_code}/?large=1&contrast=1", problems)
        with page.expect_navigation():
            page.get_by_role("button", name="Начать").click()
        page.wait_for_load_state("load")
        problems.extend(page.evaluate("window.__csp || []"))
        width = page.evaluate("document.querySelector('.progress-bar span').getBoundingClientRect().width")
        assert width > 0
        page.get_by_role("radio").first.check()  # autosave runs through fetch (connect-src)
        with page.expect_navigation():
            page.get_by_role("button", name="Далее").click()
        page.wait_for_load_state("load")
        problems.extend(page.evaluate("window.__csp || []"))
        assert problems == []

    def test_disabling_a_user_still_asks_for_confirmation(self, personas: Any, login: Any) -> None:
        page = login(personas.operator)
        problems = _watch(page)
        _visit(page, "/organizations/users/", problems)
        asked: list[str] = []

        def dismiss(dialog: Any) -> None:
            asked.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        page.get_by_role("button", name=f"Отключить {personas.ministry.username}").click()
        page.wait_for_timeout(300)
        assert asked == [f"Отключить пользователя {personas.ministry.username}? Он не сможет войти."]
        personas.ministry.refresh_from_db()
        assert personas.ministry.is_active
        assert problems == []
