"""Registry pages: who sees what, forms, types, users; every view has its outsider test."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from nok.core.models import AuditEntry
from nok.organizations.models import Organization, OrganizationType, Role

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_payload(org_type: OrganizationType, **values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "ГБУ «Центр социальной помощи семье и детям г. Юрги»", "short_name": "ЦСПСД Юрги",
        "inn": "7707083893", "type": org_type.pk, "has_semi_stationary": "on",
        "recipients_stationary": 0, "recipients_semi_stationary": 45, "recipients_home": 0,
        "address": "г. Юрга", "website": "CSPSD-urga.ru", "region": "Кемеровская область",
        "municipality": "г. Юрга",
    }
    data.update(values)
    return data


class OrganizationListTests:
    @pytest.mark.parametrize("name", ["operator", "ministry", "council"])
    def test_readers_of_everything_see_both_organizations(self, personas, name) -> None:
        response = client_for(getattr(personas, name)).get(reverse("organizations:list"))
        assert response.status_code == 200
        assert personas.org_a.short_name in response.content.decode()
        assert personas.org_b.short_name in response.content.decode()

    def test_an_organization_user_sees_only_its_own(self, personas) -> None:
        body = client_for(personas.org_admin).get(reverse("organizations:list")).content.decode()
        assert personas.org_a.short_name in body and personas.org_b.short_name not in body
        assert "Добавить организацию" not in body

    def test_the_outsider_sees_only_organization_b(self, personas) -> None:
        body = client_for(personas.outsider).get(reverse("organizations:list")).content.decode()
        assert personas.org_a.short_name not in body

    def test_a_user_without_role_gets_403(self, personas) -> None:
        assert client_for(personas.nobody).get(reverse("organizations:list")).status_code == 403

    def test_an_anonymous_visitor_is_sent_to_login(self, client) -> None:
        response = client.get(reverse("organizations:list"))
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_it_filters_by_search_type_and_municipality_and_counts(self, personas) -> None:
        family = OrganizationType.objects.get(name="Центры социальной помощи семье и детям")
        Organization.objects.filter(pk=personas.org_b.pk).update(type=family, municipality="г. Юрга")
        client = client_for(personas.ministry)
        page = client.get(reverse("organizations:list"), {"type": family.pk}).context["page"]
        assert list(page.organizations) == [personas.org_b]
        assert (page.found, page.total, page.recipients) == (1, 2, 200)
        assert {row["type__name"]: row["n"] for row in page.by_type} == {
            "КЦСОН": 1, "Центры социальной помощи семье и детям": 1}
        page = client.get(reverse("organizations:list"), {"municipality": "г. Юрга"}).context["page"]
        assert list(page.organizations) == [personas.org_b]
        page = client.get(reverse("organizations:list"), {"q": "Канавин"}).context["page"]
        assert list(page.organizations) == [personas.org_a]


    def test_the_registry_is_paged_and_the_pages_keep_the_filters(self, personas, monkeypatch) -> None:
        from nok.organizations import views

        monkeypatch.setattr(views, "REGISTRY_PAGE", 1)
        Organization.objects.filter(pk__in=[personas.org_a.pk, personas.org_b.pk]).update(
            municipality="г. Юрга")
        client = client_for(personas.ministry)
        answer = client.get(reverse("organizations:list"), {"municipality": "г. Юрга"})
        first = list(answer.context["listed"])
        html = answer.content.decode()
        assert len(first) == 1 and answer.context["page"].found == 2
        assert "municipality=%D0%B3.+%D0%AE%D1%80%D0%B3%D0%B0&amp;page=2" in html
        second = client.get(reverse("organizations:list"),
                            {"municipality": "г. Юрга", "page": 2}).context["listed"]
        assert {first[0], *second} == {personas.org_a, personas.org_b}

class OrganizationFormTests:
    def test_the_operator_creates_an_organization(self, personas) -> None:
        family = OrganizationType.objects.get(name="Центры социальной помощи семье и детям")
        response = client_for(personas.operator).post(reverse("organizations:create"), form_payload(family))
        org = Organization.objects.get(inn="7707083893")
        assert response.status_code == 302 and response["Location"] == reverse("dashboard:organization", args=[org.pk])
        assert org.website == "https://cspsd-urga.ru" and org.has_semi_stationary
        assert AuditEntry.objects.filter(action="create", organization_id=org.pk).exists()

    def test_a_wrong_inn_shows_a_field_error(self, personas) -> None:
        family = OrganizationType.objects.first()
        response = client_for(personas.operator).post(
            reverse("organizations:create"), form_payload(family, inn="7707083894"))
        assert response.status_code == 200
        assert "неверное контрольное число ИНН" in response.content.decode()
        assert not Organization.objects.filter(name__contains="Юрги").exists()

    @pytest.mark.parametrize("website", ["[", "http://[::1", "https://[not-an-ip]/"])
    def test_a_website_that_is_no_url_is_a_field_error_not_a_500(self, personas, website) -> None:
        # urlsplit raises ValueError («Invalid IPv6 URL») on a lone "[": found by the fuzzer.
        family = OrganizationType.objects.first()
        response = client_for(personas.operator).post(
            reverse("organizations:create"), form_payload(family, website=website))
        assert response.status_code == 200
        assert "Введите корректный адрес сайта" in response.content.decode()
        assert not Organization.objects.filter(name__contains="Юрги").exists()

    def test_a_duplicate_inn_is_reported_on_the_form(self, personas) -> None:
        Organization.objects.filter(pk=personas.org_b.pk).update(inn="7707083893")
        response = client_for(personas.operator).post(
            reverse("organizations:create"), form_payload(OrganizationType.objects.first()))
        assert response.status_code == 200
        assert "ИНН" in str(response.context["form"].errors)

    def test_the_operator_edits_and_the_change_is_audited(self, personas) -> None:
        url = reverse("organizations:edit", args=[personas.org_a.pk])
        client = client_for(personas.operator)
        assert client.get(url).status_code == 200
        payload = form_payload(personas.org_a.type, name=personas.org_a.name, inn="",
                               has_home="on", recipients_home=10)
        assert client.post(url, payload).status_code == 302
        entry = AuditEntry.objects.get(action="update")
        assert entry.before["recipients_home"] == 140 and entry.after["recipients_home"] == 10

    @pytest.mark.parametrize("name", ["ministry", "council", "org_admin"])
    def test_readers_may_not_edit(self, personas, name) -> None:
        url = reverse("organizations:edit", args=[personas.org_a.pk])
        assert client_for(getattr(personas, name)).get(url).status_code == 403

    def test_the_outsider_gets_404_when_editing_another_organization(self, personas) -> None:
        url = reverse("organizations:edit", args=[personas.org_a.pk])
        assert client_for(personas.outsider).post(url, {}).status_code == 404

    @pytest.mark.parametrize("name", ["ministry", "org_admin", "outsider", "nobody"])
    def test_only_the_operator_creates(self, personas, name) -> None:
        url = reverse("organizations:create")
        assert client_for(getattr(personas, name)).get(url).status_code == 403


class TypeListTests:
    def test_everyone_with_a_role_sees_the_types_and_counts(self, personas) -> None:
        response = client_for(personas.org_admin).get(reverse("organizations:types"))
        assert response.status_code == 200
        assert "Областные дома ветеранов" in response.content.decode()
        assert "Добавить тип" not in response.content.decode()

    def test_the_operator_adds_a_type(self, personas) -> None:
        response = client_for(personas.operator).post(
            reverse("organizations:types"), {"name": "Дома-интернаты", "short_name": "ДИ"})
        assert response.status_code == 302
        assert OrganizationType.objects.filter(name="Дома-интернаты", builtin=False).exists()

    def test_a_duplicate_type_is_reported(self, personas) -> None:
        response = client_for(personas.operator).post(
            reverse("organizations:types"), {"name": "Областные дома ветеранов"})
        assert response.status_code == 200 and response.context["form"].errors

    @pytest.mark.parametrize("name", ["ministry", "outsider"])
    def test_others_may_not_add_types(self, personas, name) -> None:
        response = client_for(getattr(personas, name)).post(reverse("organizations:types"), {"name": "X"})
        assert response.status_code == 403
        assert not OrganizationType.objects.filter(name="X").exists()

    def test_a_user_without_role_gets_403(self, personas) -> None:
        assert client_for(personas.nobody).get(reverse("organizations:types")).status_code == 403


class UserManagementTests:
    def test_the_operator_sees_users_with_roles_and_organizations(self, personas) -> None:
        body = client_for(personas.operator).get(reverse("organizations:users")).content.decode()
        assert "org_admin" in body and personas.org_a.short_name in body and "Министерство" in body

    def test_the_operator_creates_an_organization_user(self, personas) -> None:
        response = client_for(personas.operator).post(reverse("organizations:users"), {
            "username": "kcson-b", "password": "длинный-пароль", "role": Role.ORGANIZATION,
            "organization": personas.org_b.pk, "last_name": "Петрова",
        })
        assert response.status_code == 302
        user = User.objects.get(username="kcson-b")
        assert user.membership.organization == personas.org_b

    def test_an_organization_role_without_organization_is_refused(self, personas) -> None:
        response = client_for(personas.operator).post(reverse("organizations:users"), {
            "username": "x", "password": "длинный-пароль", "role": Role.ORGANIZATION,
        })
        assert response.status_code == 200 and "organization" in response.context["form"].errors

    def test_the_operator_deactivates_and_reactivates_a_user(self, personas) -> None:
        client = client_for(personas.operator)
        url = reverse("organizations:user_set_active", args=[personas.council.pk])
        client.post(url, {"active": "0"})
        personas.council.refresh_from_db()
        assert personas.council.is_active is False
        client.post(url, {"active": "1"})
        personas.council.refresh_from_db()
        assert personas.council.is_active is True

    @pytest.mark.parametrize("name", ["ministry", "council", "org_admin", "outsider", "nobody"])
    def test_nobody_else_manages_users(self, personas, name) -> None:
        client = client_for(getattr(personas, name))
        assert client.get(reverse("organizations:users")).status_code == 403
        url = reverse("organizations:user_set_active", args=[personas.operator.pk])
        assert client.post(url, {"active": "0"}).status_code == 403
        personas.operator.refresh_from_db()
        assert personas.operator.is_active
