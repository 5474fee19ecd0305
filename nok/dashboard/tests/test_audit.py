"""The audit trail: the scoped selector, the journal page with its filters and diffs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from nok.core.models import AuditEntry
from nok.core.services import audit_record
from nok.dashboard.selectors import audit_entries_visible_to, audit_journal
from nok.organizations.services import organization_update

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def entries(personas):
    organization_update(organization=personas.org_a, user=personas.operator,
                        data={"address": "ул. Канавинская, 1"})
    organization_update(organization=personas.org_b, user=personas.ministry,
                        data={"address": "ул. Сормовская, 2"})
    audit_record(user=None, action="compute", obj=personas.org_a, campaign_id=7,
                 organization_id=personas.org_a.pk, after={"total": 93.6})
    return AuditEntry.objects.all()


class AuditSelectorTests:
    @pytest.mark.parametrize(("name", "count"), [
        ("operator", 3), ("ministry", 3), ("council", 3), ("org_admin", 2), ("outsider", 1),
        ("nobody", 0),
    ])
    def test_each_persona_sees_its_share_of_the_journal(self, personas, entries, name, count) -> None:
        assert audit_entries_visible_to(getattr(personas, name)).count() == count

    def test_filters_combine(self, personas, entries) -> None:
        assert audit_journal(personas.operator, campaign_id=7).get().action == "compute"
        assert audit_journal(personas.operator, user_id=personas.ministry.pk).get().organization_id == personas.org_b.pk
        assert audit_journal(personas.operator, object_type="organizations.organization",
                             organization_id=personas.org_a.pk).count() == 2
        assert audit_journal(personas.outsider, organization_id=personas.org_a.pk).count() == 0

    def test_an_entry_lists_its_changes_field_by_field(self, personas, entries) -> None:
        entry = audit_journal(personas.operator, user_id=personas.operator.pk).get()
        assert entry.changes() == [("адрес", "", "ул. Канавинская, 1")]
        assert entry.action_label == "изменение"
        assert entry.object_label == "организация"


class AuditJournalViewTests:
    def test_the_operator_sees_every_entry_with_before_and_after(self, personas, entries) -> None:
        response = client_for(personas.operator).get(reverse("dashboard:audit"))
        body = response.content.decode()
        assert response.status_code == 200 and response.context["page"].paginator.count == 3
        assert "ул. Канавинская, 1" in body and "ул. Сормовская, 2" in body and "<del>" in body

    def test_the_ministry_filters_by_organization(self, personas, entries) -> None:
        response = client_for(personas.ministry).get(
            reverse("dashboard:audit"), {"organization": personas.org_b.pk})
        assert [e.organization_id for e in response.context["page"]] == [personas.org_b.pk]

    def test_an_organization_user_sees_only_its_organization(self, personas, entries) -> None:
        body = client_for(personas.org_admin).get(reverse("dashboard:audit")).content.decode()
        assert "ул. Канавинская, 1" in body and "ул. Сормовская, 2" not in body

    def test_the_outsider_cannot_pick_another_organization(self, personas, entries) -> None:
        response = client_for(personas.outsider).get(
            reverse("dashboard:audit"), {"organization": personas.org_a.pk})
        body = response.content.decode()
        assert "ул. Канавинская, 1" not in body
        assert response.context["page"].paginator.count == 1  # the invalid filter is ignored

    def test_a_user_without_role_gets_403(self, personas, entries) -> None:
        assert client_for(personas.nobody).get(reverse("dashboard:audit")).status_code == 403


class AdminTests:
    def test_the_reference_data_is_registered_and_the_journal_is_read_only(self, personas, entries) -> None:
        from django.contrib.auth.models import User

        admin = User.objects.create_superuser("root", password="x")
        client = client_for(admin)
        for name in ("organizations_organizationtype", "organizations_organization",
                     "organizations_membership", "methodology_methodology", "core_auditentry"):
            assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
        assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
        entry = entries.first()
        assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]),
                           {"post": "yes"}).status_code == 403


class AuditDisplayTests:
    def test_values_read_as_a_person_would_write_them(self, personas) -> None:
        import datetime as dt

        from nok.assessments.services import contact_create
        from nok.assessments.tests.factories import assessment_of, make_campaign

        campaign = make_campaign([personas.org_a], user=personas.operator)
        contact_create(assessment=assessment_of(campaign, personas.org_a), user=personas.operator,
                       kind="call", date=dt.date(2025, 10, 19), time=dt.time(12, 30),
                       form="semi_stationary", answered=True, effective=False)
        entry = AuditEntry.objects.get(object_type="assessments.controlcontact")
        shown = {label: (before, after) for label, before, after in entry.changes_display()}
        assert shown["дата"] == (None, "19.10.2025")  # created: nothing before
        assert shown["время"][1] == "12:30"
        assert shown["форма обслуживания"][1] == "полустационарная"
        assert shown["получен ответ"][1] == "да" and shown["результативный"][1] == "нет"
        body = client_for(personas.ministry).get(reverse("dashboard:audit")).content.decode()
        assert "полустационарная" in body and "semi_stationary" not in body
        assert "False" not in body and "True" not in body

    def test_a_long_recorded_list_shows_its_first_ten_items_and_how_many_in_all(self) -> None:
        entry = AuditEntry(action="create", object_type="assessments.campaign",
                           after={"organizations": list(range(1, 5001))})
        assert entry.changes_display() == [
            ("организации", None, "1; 2; 3; 4; 5; 6; 7; 8; 9; 10… (всего 5000)")]
        short = AuditEntry(action="create", object_type="assessments.campaign",
                           after={"organizations": [7, 8]})
        assert short.changes_display() == [("организации", None, "7; 8")]

    def test_a_status_change_is_named_in_russian(self, personas) -> None:
        entry = AuditEntry(action="status", object_type="assessments.campaign",
                           before={"status": "fieldwork"}, after={"status": "review"})
        assert entry.action_label == "смена статуса"
        assert entry.changes_display() == [("статус", "Сбор данных", "Проверка")]
