"""The operator checks a site and confirms a suggestion in a real browser."""

from __future__ import annotations

import pytest

from nok.assessments.models import ChecklistTick
from nok.assessments.tests.factories import assessment_of, make_campaign
from nok.organizations.models import Organization
from siteaudit.tests.fixtures import site_srcn
from siteaudit.tests.fixtures.kit import serve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class SiteAuditBrowserTests:
    def test_the_operator_checks_the_site_and_confirms_a_finding(
        self, personas, login, settings, tmp_path, run_tasks
    ) -> None:
        settings.NOK_SITE_AUDIT_ALLOW_PRIVATE = True
        settings.NOK_SITE_AUDIT_DELAY = 0
        settings.MEDIA_ROOT = str(tmp_path)
        with serve(site_srcn.build().files) as (base, _):
            Organization.objects.filter(pk=personas.org_a.pk).update(website=base + "/")
            assessment = assessment_of(make_campaign([personas.org_a]), personas.org_a)
            page = login(personas.operator)
            page.goto(f"{page.base_url}/campaigns/assessment/{assessment.pk}/")
            page.get_by_role("link", name="Проверка сайта").click()
            page.get_by_role("button", name="Проверить сайт").click()
            page.wait_for_selector("text=поставлена в очередь")
            assert run_tasks() == 1  # the worker audits the site meanwhile
            page.wait_for_selector("text=Сайт проверен", timeout=15_000)  # the page refreshes
        row = page.locator("tr", has_text="Фамилии, имена, отчества руководителя")
        assert "Иванова Светлана Юрьевна" in row.inner_text()
        stub = page.locator("tr", has_text="Сведения о попечительском совете")
        assert "не заполнен" in stub.inner_text()
        page.screenshot(path=str(tmp_path / "site-audit.png"), full_page=True)
        row.get_by_role("button", name="Подтвердить: имеется").click()
        page.wait_for_selector("text=решение сохранено")
        assert "подтверждено" in page.locator(
            "tr", has_text="Фамилии, имена, отчества руководителя").inner_text()
        assert ChecklistTick.objects.get(assessment=assessment, item_key="management").present
