"""Every page of the site reads in Russian (issue 11, item 3): no English word, no internal
key (snake_case names, «app.model» labels, «key: value» debug texts), and every counted noun
in the form its number needs (1 анкета, 3 анкеты, 5 анкет, 21 анкета).

The addresses come from the URL resolver and the access matrix (``SPECS``); each HTML page is
opened by the people who may open it — the operator, the ministry, the organization's own user
and the interviewer assigned to it; the public survey and the published results by a citizen —
and the error pages by both. The access matrix's world is enriched first so the texts that
only show with data render: checklists ticked and survey answers given through the services
(so the audit journal has entries), scores computed, people with their full names (a login on
a page is an English word here).

The text read is what a person reads or hears (``russian_text.visible_texts``).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from nok.core.tests.russian_text import plural_mistakes, problems, visible_texts
from nok.core.tests.test_access_matrix import (
    OK,
    PUBLIC,
    SPECS,
    expected,
    named_patterns,
    persona_user,
    url_of,
)

pytestmark = pytest.mark.django_db

# Who reads each page: staff who write and who read, the organization itself, the interviewer.
READERS = ["operator", "ministry", "outsider", "interviewer"]
FULL_NAMES = {
    "operator": ("Ольга", "Операторова"), "ministry": ("Марина", "Министерская"),
    "council": ("Сергей", "Советов"), "org_admin": ("Анна", "Канавина"),
    "outsider": ("Игорь", "Сормовский"), "nobody": ("Пётр", "Безролев"),
}


def enrich(personas: Any, world: dict[str, Any]) -> None:
    """Data for the texts that need it: names, ticks (with audit entries), answers, scores."""
    from nok.assessments.models import Assessment
    from nok.assessments.tests.factories import respond, tick

    for persona, (first, last) in FULL_NAMES.items():
        user = getattr(personas, persona)
        user.first_name, user.last_name = first, last
        user.save()
    for persona in ("persona_interviewer", "persona_interviewer_a"):
        world[persona].first_name, world[persona].last_name = "Ирина", "Опросова"
        world[persona].save()
    assessment = Assessment.objects.get(pk=world["assessment"])
    tick(assessment, "disabled_services", ["remote_or_home", "trained_staff"],
         absent=["sign_language"], user=personas.operator)
    tick(assessment, "comfort_conditions", ["rest_zone", "navigation"], user=personas.operator)
    for index in range(20):  # 21 answers with the world's one: «21 анкета»
        respond(assessment, timely="no" if index % 3 else "yes")


def html_pages(client: Client, url: str) -> str | None:
    answer = client.get(url)
    if answer.status_code != 200 or answer.streaming:
        return None
    if "html" not in answer.get("Content-Type", ""):
        return None
    return str(answer.content.decode())


def page_problems(client: Client, url: str, who: str) -> list[str]:
    html = html_pages(client, url)
    if html is None:
        return []
    return [f"{who} {url}: {p}" for p in problems(visible_texts(html))]


def allowed(name: str, persona: str) -> bool:
    get, _ = expected(SPECS[name].kind, persona)
    return get in {200, OK}


def public_pages(world: dict[str, Any]) -> list[str]:
    """The survey as a respondent goes through it, and the published results."""
    from nok.assessments.models import Assessment

    published = Assessment.objects.filter(campaign_id=world["plan_campaign"]).first()
    assert published is not None
    return [
        reverse("results:campaigns"),
        reverse("results:campaign", args=[world["plan_campaign"]]),
        reverse("results:organization", args=[published.pk]),
        url_of("surveys:form", world), url_of("surveys:step", world),
        url_of("surveys:review", world), url_of("surveys:thanks", world),
        "/q/nonexistent/", "/no-such-page/",
    ]


def published_pages(world: dict[str, Any]) -> list[str]:
    from nok.assessments.models import Assessment

    campaign = world["plan_campaign"]
    assessment = Assessment.objects.filter(campaign_id=campaign).values_list("pk", flat=True)[0]
    return [reverse("scores:campaign", args=[campaign]), reverse("reports:campaign", args=[campaign]),
            reverse("scores:assessment", args=[assessment]),
            reverse("surveys:campaign_overview", args=[campaign]),
            reverse("plans:list") + f"?campaign={campaign}"]


class RussianPagesTests:
    def test_every_page_reads_in_russian_for_everyone_who_may_open_it(
        self, personas, world, settings
    ) -> None:
        settings.DEBUG = False  # the error pages as in production
        enrich(personas, world)
        found: list[str] = []
        opened = 0
        html_names: set[str] = set()
        for name in sorted(named_patterns()):
            if SPECS[name].kind == PUBLIC:
                continue
            url = url_of(name, world)
            for persona in READERS:
                if not allowed(name, persona):
                    continue
                client = Client()
                client.force_login(persona_user(personas, world, persona))
                html = html_pages(client, url)
                if html is None:
                    break  # a download, a redirect or a POST-only address: no page to read
                opened += 1
                html_names.add(name)
                found += [f"{persona} {url}: {p}" for p in problems(visible_texts(html))]
        citizen = Client()
        citizen.post(url_of("surveys:form", world), {"action": "start"})
        for url in public_pages(world):
            answer = citizen.get(url)
            assert answer.status_code in {200, 404}, url
            found += [f"citizen {url}: {p}" for p in problems(visible_texts(answer.content.decode()))]
            opened += 1
        # The world's campaign is in fieldwork; its plan's campaign is published (results
        # frozen, snapshots listed, the published results of the organization).
        published = published_pages(world)
        for persona in ("operator", "outsider"):
            staff = Client()
            staff.force_login(persona_user(personas, world, persona))
            integral = reverse("scores:assessment", args=[world["assessment_2014"]])
            for url in [*published, integral, "/campaigns/999999/", "/no-such-page/"]:
                found += page_problems(staff, url, persona)
                opened += 1
        assert opened > 100 and len(html_names) > 40, (opened, sorted(html_names))
        assert not found, "\n".join(sorted(set(found)))


class TextChecksTests:
    """The checks themselves find what they are for (else the scan above proves nothing)."""

    @pytest.mark.parametrize("text", [
        "1 анкета", "21 анкета", "2 анкеты", "24 анкеты", "5 анкет", "11 анкет", "12 анкет",
        "111 анкет", "83 анкеты", "0 анкет", "из 1 анкет", "до ±2 баллов", "не шире ±2 баллов", "3 организации",
        "1 вопрос", "22 вопроса", "14 вопросов",
    ])
    def test_a_number_with_the_right_form_passes(self, text: str) -> None:
        assert plural_mistakes(text) == []

    @pytest.mark.parametrize("text", [
        "1 анкет", "3 анкет", "83 анкет", "5 анкеты", "21 анкет", "11 анкета", "нужно ещё 89 анк.",
        "2 организаций", "1 вопросов", "12 вопроса",
    ])
    def test_a_number_with_the_wrong_form_is_found(self, text: str) -> None:
        assert plural_mistakes(text)

    @pytest.mark.parametrize(("text", "found"), [
        ("value: 98,79; weight: 0,4", True), ("required: 14; present: 14", True),
        ("timely asked: 83", True), ("нет ответов на вопрос анкеты (timely)", True),
        ("отметка перечня: disabled_services/remote_or_home", True),
        ("assessments.checklisttick", True), ("Отключить operator", True),
        ("Скачать DOCX, XLSX или CSV", False), ("Ссылка: https://nok.example.ru/q/abc/", False),
        ("Почта: info@csom.example.ru", False), ("Раздел II, файл akt.pdf", False),
        ("значение: 98,79; вес: 0,4", False),
    ])
    def test_english_words_and_internal_keys_are_found(self, text: str, found: bool) -> None:
        assert bool(problems([text])) is found

    def test_the_visible_text_includes_attributes_and_skips_code_and_scripts(self) -> None:
        html = ('<html><head><title>Заголовок</title><script>var x = "hidden";</script></head>'
                '<body><p title="подсказка">Текст <code>snake_key</code> хвост</p>'
                '<button aria-label="Удалить строку">×</button><input placeholder="Поиск">'
                '<form data-confirm="Точно?"></form><td translate="no">name, title</td>'
                '<select><option>вариант</option></select></body></html>')
        texts = visible_texts(html)
        for expected_text in ("Заголовок", "подсказка", "Текст", "хвост", "Удалить строку",
                              "Поиск", "Точно?", "вариант"):
            assert expected_text in texts
        assert not [t for t in texts if "hidden" in t or "snake_key" in t or "title" in t]
