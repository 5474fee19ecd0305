"""The journal's filters by organization and by person: typed (part of a name, an ИНН), or an
id from a link, within what the viewer may see; the page stays small however many
organizations and people there are."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from nok.core.models import AuditEntry
from nok.core.services import audit_record
from nok.dashboard.selectors import organizations_found, people_found
from nok.organizations.models import Organization
from nok.organizations.services import organization_update

pytestmark = pytest.mark.django_db

VALID_INN = "7707083893"  # 7·2+7·4+0·10+7·3+0·5+8·9+3·4+8·6+9·8 = 267; 267 mod 11 = 3
WRONG_INN = "7707083894"  # the same nine digits, another control digit


def journal(viewer: Any, **params: Any) -> tuple[Any, str]:
    client = Client()
    client.force_login(viewer)
    response = client.get(reverse("dashboard:audit"), params)
    assert response.status_code == 200
    return response, response.content.decode()


def organizations_of(response: Any) -> list[int]:
    return sorted(entry.organization_id for entry in response.context["page"])


@pytest.fixture
def entries(personas: Any) -> None:
    """Organization A: the operator's change and a computation; Organization B: the ministry's
    change. The operator is Ольга Операторова."""
    personas.operator.first_name, personas.operator.last_name = "Ольга", "Операторова"
    personas.operator.save()
    organization_update(organization=personas.org_a, user=personas.operator,
                        data={"address": "ул. Канавинская, 1"})
    organization_update(organization=personas.org_b, user=personas.ministry,
                        data={"address": "ул. Сормовская, 2"})
    Organization.objects.filter(pk=personas.org_a.pk).update(inn=VALID_INN)
    audit_record(user=None, action="compute", obj=personas.org_a, campaign_id=7,
                 organization_id=personas.org_a.pk, after={"total": 93.6})


class OrganizationSearchTests:
    def test_part_of_the_name_keeps_the_entries_of_the_organizations_it_finds(self, personas, entries) -> None:
        response, body = journal(personas.ministry, organization_search="Сормовск")
        assert organizations_of(response) == [personas.org_b.pk]
        assert "Найдено организаций: 1." in body
        assert f'organization={personas.org_b.pk}">КЦСОН Сормовского района</a></li>' in body

    def test_part_of_the_short_name_finds_every_organization_that_has_it(self, personas, entries) -> None:
        response, body = journal(personas.operator, organization_search="КЦСОН")
        assert organizations_of(response) == sorted([personas.org_a.pk] * 2 + [personas.org_b.pk])
        assert "Найдено организаций: 2 — выберите одну, чтобы показать только её изменения." in body

    @pytest.mark.skipif(connection.vendor != "postgresql",
                        reason="SQLite's LIKE ignores the case of Latin letters only")
    def test_the_letter_case_of_a_name_does_not_matter(self, personas, entries) -> None:
        response, _ = journal(personas.ministry, organization_search="сормовского РАЙОНА")
        assert organizations_of(response) == [personas.org_b.pk]
        response, _ = journal(personas.ministry, user_search="ольга операторова")
        assert [e.user_id for e in response.context["page"]] == [personas.operator.pk]

    def test_an_inn_finds_its_organization_exactly(self, personas, entries) -> None:
        response, _ = journal(personas.operator, organization_search=VALID_INN)
        assert organizations_of(response) == [personas.org_a.pk, personas.org_a.pk]

    def test_part_of_an_inn_finds_nothing_and_says_so(self, personas, entries) -> None:
        response, body = journal(personas.operator, organization_search=VALID_INN[:6])
        assert organizations_of(response) == []
        assert f"Организаций, подходящих под «{VALID_INN[:6]}», нет." in body

    def test_an_inn_with_a_wrong_control_digit_is_refused_naming_the_field(self, personas, entries) -> None:
        response, body = journal(personas.operator, organization_search=WRONG_INN)
        assert "Организация: неверное контрольное число ИНН — фильтр не применён" in body
        assert len(organizations_of(response)) == 3  # the journal is shown unfiltered

    def test_a_name_longer_than_200_characters_is_refused_naming_the_field(self, personas, entries) -> None:
        _, body = journal(personas.operator, organization_search="ж" * 201)
        assert re.search(r"Организация: [^<]*200[^<]*\(сейчас 201\)[^<]* — фильтр не применён", body)

    def test_the_other_filters_still_apply_when_one_is_refused(self, personas, entries) -> None:
        response, body = journal(personas.operator, organization_search=WRONG_INN, campaign=999999)
        assert "Организация: неверное" in body and "Кампания: такой кампании нет" in body
        response, _ = journal(personas.operator, organization_search="Сормовск", user=999999)
        assert organizations_of(response) == [personas.org_b.pk]


class OrganizationFromALinkTests:
    def test_an_id_filters_the_journal_and_names_the_organization_with_a_way_to_clear_it(
            self, personas, entries) -> None:
        response, body = journal(personas.ministry, organization=personas.org_b.pk, campaign="")
        assert organizations_of(response) == [personas.org_b.pk]
        assert re.search(r"Организация: <a [^>]+><strong>КЦСОН Сормовского района</strong></a>", body)
        assert f'<input type="hidden" name="organization" value="{personas.org_b.pk}">' in body
        assert '<a href="?campaign=">снять фильтр по организации</a>' in body
        assert 'name="organization_search"' not in body  # one organization is chosen already

    def test_the_link_of_the_organization_card_filters_the_journal_by_it(self, personas, entries) -> None:
        client = Client()
        client.force_login(personas.council)
        card = client.get(reverse("dashboard:organization", args=[personas.org_a.pk])).content.decode()
        link = re.search(r'href="(/[^"]*\?organization=\d+)">Весь журнал изменений', card)
        assert link is not None
        response = client.get(link.group(1).replace("&amp;", "&"))
        assert organizations_of(response) == [personas.org_a.pk, personas.org_a.pk]
        assert "<strong>КЦСОН Канавинского района</strong>" in response.content.decode()

    def test_the_plans_link_with_organization_and_campaign_keeps_both(self, personas, entries) -> None:
        from nok.assessments.tests.factories import make_campaign

        campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
        for org in (personas.org_a, personas.org_b):
            audit_record(user=personas.operator, action="compute", obj=org, campaign_id=campaign.pk,
                         organization_id=org.pk, after={"total": 90.0})
        response, body = journal(personas.operator, organization=personas.org_a.pk, campaign=campaign.pk)
        assert [(e.organization_id, e.campaign_id) for e in response.context["page"]] == [
            (personas.org_a.pk, campaign.pk)]
        assert f'<a href="?campaign={campaign.pk}">снять фильтр по организации</a>' in body

    @pytest.mark.parametrize("value", ["999999", "abc", "-1"])
    def test_an_id_that_is_not_a_visible_organization_is_refused_naming_the_field(
            self, personas, entries, value) -> None:
        response, body = journal(personas.ministry, organization=value)
        assert "Организация: такой организации нет среди доступных вам — фильтр не применён" in body
        assert len(organizations_of(response)) == 3
        assert 'name="organization" value' not in body  # the refused id is not carried on


class OrganizationUserTests:
    def test_an_organization_user_gets_no_organization_filter(self, personas, entries) -> None:
        response, body = journal(personas.org_admin)
        assert 'name="organization' not in body
        assert organizations_of(response) == [personas.org_a.pk, personas.org_a.pk]

    @pytest.mark.parametrize("params", [
        lambda p: {"organization": p.org_b.pk},
        lambda p: {"organization_search": "Сормовск"},
        lambda p: {"organization_search": "КЦСОН"},
        lambda p: {"organization_search": "Сормовск", "user_search": "ministry"},
    ], ids=["B's id", "part of B's name", "part of both names", "B's name and B's author"])
    def test_an_organization_user_learns_nothing_of_another_organization_from_the_address(
            self, personas, entries, params) -> None:
        params = params(personas)
        response, body = journal(personas.org_admin, **params)
        if "user_search" not in params:
            assert organizations_of(response) == [personas.org_a.pk, personas.org_a.pk]
        assert "Сормовск" not in body and "такой организации нет" not in body
        assert "Найдено организаций" not in body

    def test_an_organization_user_finds_only_people_who_changed_its_organization(
            self, personas, entries) -> None:
        response, body = journal(personas.org_admin, user_search="ministry")
        assert organizations_of(response) == []
        assert "Пользователей, подходящих под «ministry», среди авторов записей нет." in body
        _, body = journal(personas.org_admin, user=personas.ministry.pk)
        assert "Пользователь: такого пользователя нет среди авторов записей журнала" in body
        response, body = journal(personas.org_admin, user_search="Ольга")
        assert organizations_of(response) == [personas.org_a.pk]
        assert f'user={personas.operator.pk}">Ольга Операторова</a>' in body

    def test_an_organization_user_cannot_spell_out_a_login_by_searching_for_it(
            self, personas, entries) -> None:
        login = personas.operator.username  # the operator changed this organization's data
        assert list(people_found(personas.org_admin, login)) == []
        assert list(people_found(personas.org_admin, "Ольга")) == [personas.operator]
        assert list(people_found(personas.ministry, login)) == [personas.operator]

    def test_the_selectors_keep_to_the_viewers_scope(self, personas, entries) -> None:
        assert list(organizations_found(personas.outsider, "КЦСОН")) == [personas.org_b]
        assert list(organizations_found(personas.operator, "КЦСОН")) == [personas.org_a, personas.org_b]
        assert list(people_found(personas.outsider, "")) == [personas.ministry]
        assert list(people_found(personas.nobody, "Ольга")) == []


class PersonFilterTests:
    def test_a_person_is_found_by_every_word_of_the_name_in_any_order(self, personas, entries) -> None:
        response, body = journal(personas.ministry, user_search="Операторова Ольга")
        assert [e.user_id for e in response.context["page"]] == [personas.operator.pk]
        assert "Найдено пользователей: 1." in body

    def test_a_person_is_found_by_the_login(self, personas, entries) -> None:
        response, _ = journal(personas.ministry, user_search="minis")
        assert [e.user_id for e in response.context["page"]] == [personas.ministry.pk]

    def test_an_id_names_the_person_with_a_way_to_clear_it(self, personas, entries) -> None:
        response, body = journal(personas.council, user=personas.operator.pk)
        assert [e.user_id for e in response.context["page"]] == [personas.operator.pk]
        assert "Пользователь: <strong>Ольга Операторова</strong>" in body
        assert '<a href="?">снять фильтр по пользователю</a>' in body
        assert 'name="user_search"' not in body

    def test_a_person_without_entries_is_not_offered(self, personas, entries) -> None:
        _, body = journal(personas.operator, user_search="council")
        assert "Пользователей, подходящих под «council», среди авторов записей нет." in body


class ManyOrganizationsTests:
    """At 3,000 organizations and 3,000 people with an entry each, the lists of every one the
    page used to carry would outweigh everything else on it."""

    N = 3000
    LIMIT = 40_000  # bytes of HTML; worked out below

    def test_the_page_stays_small_with_thousands_of_organizations_and_people(self, personas) -> None:
        kind = personas.org_a.type
        # «Учреждение социального обслуживания № 0042»: 33 Cyrillic letters (2 bytes each),
        # 4 spaces, «№» (3 bytes), 4 digits = 77 bytes of UTF-8.
        orgs = Organization.objects.bulk_create(
            Organization(name=f"Учреждение социального обслуживания № {i:04d}", type=kind)
            for i in range(self.N))
        assert len(orgs[42].name.encode()) == 77
        # «Екатерина Исполнителева-0042»: 9 + 13 letters (44 bytes), a space, «-», 4 digits = 50.
        people = User.objects.bulk_create(
            User(username=f"u{i:04d}", first_name="Екатерина", last_name=f"Исполнителева-{i:04d}")
            for i in range(self.N))
        assert len(people[42].get_full_name().encode()) == 50
        AuditEntry.objects.bulk_create(
            AuditEntry(user=person, action="update", object_type="organizations.organization",
                       object_id=str(org.pk), object_repr=org.name, organization_id=org.pk,
                       after={"address": "ул. Новая, 1"})
            for org, person in zip(orgs, people, strict=True))
        # The old page listed every organization's name (3,000 × 77 = 231,000 bytes) and every
        # author's (3,000 × 50 = 150,000 bytes), each in an <option> — names alone 381,000
        # bytes, over nine times the limit. What remains is the frame, the filters and one
        # page of 50 entries (24,900 bytes as measured: the limit leaves room to grow).
        assert self.N * (77 + 50) > 9 * self.LIMIT
        for viewer in (personas.operator, personas.ministry):
            response, body = journal(viewer)
            assert response.context["page"].paginator.count == self.N
            assert len(response.content) < self.LIMIT, len(response.content)
            # the newest entry is shown; the first organization and author, in no list
            assert "Исполнителева-2999" in body
            assert "№ 0000" not in body and "Исполнителева-0000" not in body
        response, body = journal(personas.operator, organization_search="№ 012")
        assert response.context["page"].paginator.count == 10  # № 0120 … № 0129
        assert "Найдено организаций: 10 — выберите одну" in body
        assert len(re.findall(r'organization=\d+">Учреждение социального обслуживания № 012\d</a></li>', body)) == 5
        assert "и ещё 5 — уточните запрос, чтобы увидеть их названия." in body
        assert len(response.content) < self.LIMIT
