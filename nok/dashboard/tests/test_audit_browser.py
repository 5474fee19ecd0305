"""The journal's filters in real Chromium, at 1280 px and 390 px, in the states the matrix's walk
of every page does not reach: an organization chosen by a link, the organizations and people
a typed text found, a refused value. Long names must wrap, every control stay reachable, and
axe find no serious violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from nok.core.services import audit_record
from nok.core.tests.test_pages_browser import (
    WIDTHS,
    serious_violations,
    signed_in_context,
    width_problems,
)
from nok.organizations.tests.factories import make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = ("Государственное бюджетное учреждение «Комплексный центр социального обслуживания "
        "населения Сормовского района города Нижнего Новгорода» № {}")


def test_the_filters_fit_both_widths_in_every_state(personas: Any, chromium: Any, live_server: Any) -> None:
    personas.operator.first_name = "Ольга Александровна"
    personas.operator.last_name = "Операторова-Константинопольская"
    personas.operator.save()
    orgs = [make_organization(LONG.format(i), short_name="") for i in range(7)]
    for org in orgs:
        audit_record(user=personas.operator, action="update", obj=org, organization_id=org.pk,
                     before={"address": ""}, after={"address": "ул. Сормовская, 2"})
    states = {
        "chosen by a link": f"?organization={orgs[0].pk}&user={personas.operator.pk}",
        "found by typing": "?organization_search=Сормовского&user_search=Ольга",
        "nothing found": "?organization_search=Автозаводского&user_search=Иван",
        "refused": "?organization_search=7707083894&organization=abc&user=0&campaign=x",
    }
    context = signed_in_context(chromium, live_server, personas.ministry)
    page = context.new_page()
    problems: dict[str, list[str]] = {}
    for state, query in states.items():
        found: list[str] = []
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        page.goto(live_server.url + reverse("dashboard:audit") + query)
        assert page.get_by_role("heading", name="Журнал изменений").is_visible()
        found += serious_violations(page)
        found += width_problems(page)
        if found:
            problems[state] = found
    context.close()
    assert not problems, problems
