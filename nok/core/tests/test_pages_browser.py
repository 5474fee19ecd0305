"""Every staff page in real Chromium, at a desktop's 1280 px and a phone's 390 px: the page
never scrolls sideways, every link, button and field of the header and the content can be
reached (it lies inside the window, or inside a box that scrolls by itself, such as a wide
table on a phone), axe finds no serious or critical accessibility violation, and no template
comment leaks into the text.

The pages are the access matrix's: every named URL whose GET answers an HTML page (not a
download) to the person who uses it — the operator for the staff pages, the ministry for its
own, the organization's user for its plan forms and its lists, the interviewer for the
interviews — with the matrix's world of objects behind them. A new page is walked as soon as
the matrix gives it a rule. The users' names are long (the demo's organization user is
called by its organization's full name): the header must still fit and «Выйти» stay reachable.

One browser, one context per person, each page opened once and checked at both widths.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nok.core.tests.test_access_matrix import (
    INTERVIEWER,
    INTERVIEWER_LIST,
    LIST,
    LIST_WRITE,
    MINISTRY,
    OPERATOR,
    OPERATOR_LIST,
    ORG_FORM,
    ORG_WRITE,
    OVERVIEW,
    PUBLISHED,
    READ,
    READ_WRITE,
    SPECS,
    TEMPLATES,
    url_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 390)
SERIOUS = {"serious", "critical"}
PAGE_KINDS = {READ, READ_WRITE, OPERATOR, LIST, LIST_WRITE, OPERATOR_LIST, OVERVIEW, MINISTRY,
              ORG_FORM, PUBLISHED, TEMPLATES, ORG_WRITE, INTERVIEWER, INTERVIEWER_LIST}
# The offline interview app draws its own screens from a bundle (tested in nok/fieldwork).
NOT_A_STAFF_PAGE = {"fieldwork:app"}


def who_uses(kind: str) -> str:
    """The persona (or the world's interviewer) who opens a page of this kind."""
    return {MINISTRY: "ministry", ORG_FORM: "outsider", ORG_WRITE: "outsider",
            INTERVIEWER: "interviewer", INTERVIEWER_LIST: "interviewer"}.get(kind, "operator")


# What a person can reach: a visible control of the header or the content whose box lies
# inside the window horizontally, or inside a box that scrolls sideways by itself and lies
# inside the window. Hidden controls (closed <details>, display:none, 1 px screen-reader
# text) are not looked at.
UNREACHABLE = """() => {
  const width = window.innerWidth;
  const inside = r => r.left >= -0.5 && r.right <= width + 0.5;
  const scroller = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && p.scrollWidth > p.clientWidth) return p;
    }
    return null;
  };
  const found = [];
  for (const el of document.querySelectorAll(
      'header a, header button, header input, header select, header textarea, header summary,'
      + 'main a, main button, main input, main select, main textarea, main summary')) {
    if (el.type === 'hidden' || !el.checkVisibility({visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width * r.height <= 1) continue;
    const box = scroller(el);
    if (inside(r) || (box && inside(box.getBoundingClientRect()))) continue;
    const name = (el.innerText || el.value || el.name || el.getAttribute('aria-label') || '').trim();
    found.push(`${el.tagName.toLowerCase()} «${name.slice(0, 40)}» at ${Math.round(r.left)}…${Math.round(r.right)}px`);
  }
  return found;
}"""


def html_pages(personas: Any, world: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """persona -> [(URL name, address)] of every HTML page the matrix lets a staff member open,
    found by asking the site itself (a download answers with another content type)."""
    pages: dict[str, list[tuple[str, str]]] = {}
    clients: dict[str, Client] = {}
    for name, spec in sorted(SPECS.items()):
        if spec.kind not in PAGE_KINDS or name in NOT_A_STAFF_PAGE:
            continue
        persona = who_uses(spec.kind)
        users = [persona] + (["outsider"] if spec.kind == LIST else [])
        for user in users:
            if user not in clients:
                clients[user] = Client()
                clients[user].force_login(user_of(user, personas, world))
            url = url_of(name, world)
            answer = clients[user].get(url)
            # 405: an interface for a script, sent to by POST only; 302: a form the world's
            # object does not take now (a row added to a plan already approved goes back to
            # the plan, walked itself).
            if answer.status_code in {302, 405}:
                continue
            assert answer.status_code == 200, f"{name} as {user}: {answer.status_code}"
            # A fragment a page's script fetches (a live summary) is no page of its own.
            if ("text/html" in answer.get("Content-Type", "") and not answer.streaming
                    and b"<html" in answer.content):
                pages.setdefault(user, []).append((name, url))
    return pages


def draft_plan_pages(personas: Any) -> list[tuple[str, str]]:
    """The forms of a plan still being drafted (the world's plan is approved: its forms send
    the organization back to it), as Organization B's user opens them."""
    from django.urls import reverse

    from nok.assessments.tests.factories import assessment_of
    from nok.plans import services as plans
    from nok.plans.tests.factories import published_campaign, row

    campaign = published_campaign([personas.org_b], personas, year=2025, title="НОК 2025")
    plan = plans.plan_draft(assessment=assessment_of(campaign, personas.org_b), user=personas.outsider)
    if not plan.items.exists():
        plans.plan_item_add(plan=plan, user=personas.outsider, criterion="K1",
                            shortcoming="Нет раздела о попечительском совете", row=row())
    item = plan.items.first()
    return [("plans:detail (draft)", reverse("plans:detail", args=[plan.pk])),
            ("plans:item_add (draft)", reverse("plans:item_add", args=[plan.pk])),
            ("plans:item_edit (draft)", reverse("plans:item_edit", args=[plan.pk, item.pk]))]


def user_of(persona: str, personas: Any, world: dict[str, Any]) -> Any:
    return world["persona_interviewer"] if persona == "interviewer" else getattr(personas, persona)


def signed_in_context(chromium: Any, live_server: Any, user: Any, **options: Any) -> Any:
    """A browser context (Russian, 1280 px unless told) with ``user`` signed in."""
    from django.conf import settings

    options = {"locale": "ru-RU", "viewport": {"width": WIDTHS[0], "height": 900}} | options
    context = chromium.new_context(**options)
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    return context


def give_long_names(personas: Any) -> None:
    """Names as long as real ones get: the organization's user is named after it."""
    for user, first, last in (
        (personas.operator, "Ольга Александровна", "Операторова-Константинопольская"),
        (personas.ministry, "Михаил Вячеславович", "Министерский"),
        (personas.outsider, "Директор", "Государственное бюджетное учреждение «Комплексный "
                                        "центр социального обслуживания населения Сормовского района»"),
    ):
        user.first_name, user.last_name = first, last
        user.save()


def width_problems(page: Any) -> list[str]:
    """At each of ``WIDTHS``: the page wider than the screen, or a control out of reach."""
    found: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            found.append(f"{width}px: the page is {scroll}px wide")
        found += [f"{width}px: {what} out of reach" for what in page.evaluate(UNREACHABLE)]
    return found


def serious_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"axe {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:3])
            for v in results.response["violations"] if v.get("impact") in SERIOUS]


def test_every_staff_page_fits_both_widths_keeps_every_action_reachable_and_passes_axe(
        personas: Any, world: dict[str, Any], chromium: Any, live_server: Any) -> None:
    give_long_names(personas)
    pages = html_pages(personas, world)
    pages["outsider"] += draft_plan_pages(personas)
    assert sum(len(p) for p in pages.values()) >= 40, pages  # the matrix's pages, not a few
    problems: dict[str, list[str]] = {}
    for persona, addresses in pages.items():
        context = signed_in_context(chromium, live_server, user_of(persona, personas, world))
        page = context.new_page()
        page.set_default_timeout(15_000)
        for name, url in addresses:
            found: list[str] = []
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            page.goto(live_server.url + url)
            found += serious_violations(page)
            if "{#" in page.locator("body").inner_text():
                found.append("template syntax shown as text (a {# #} comment is one line only)")
            found += width_problems(page)
            if found:
                problems[f"{name} as {persona} ({url})"] = found
        context.close()
    assert not problems, "\n".join(f"{where}:\n  " + "\n  ".join(found)
                                    for where, found in problems.items())
