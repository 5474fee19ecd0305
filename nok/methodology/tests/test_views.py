"""Methodology pages: list (syncs built-ins), detail, upload with path errors, download."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

import scoring
from nok.core.models import AuditEntry
from nok.methodology.models import Methodology
from nok.methodology.services import methodology_sync_builtin

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def regional(**changes: object) -> dict:
    document = scoring.builtin_definition("social-2018")
    document["slug"] = "kuzbass-2024"
    document["title"] = "Методика Кузбасса 2024"
    document.update(changes)
    return document


def upload(document: object, name: str = "m.json") -> SimpleUploadedFile:
    raw = document if isinstance(document, bytes) else json.dumps(document, ensure_ascii=False).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


class MethodologyListTests:
    def test_the_first_visit_syncs_the_builtin_methodologies(self, personas) -> None:
        response = client_for(personas.ministry).get(reverse("methodology:list"))
        assert response.status_code == 200
        assert set(Methodology.objects.values_list("slug", flat=True)) == {"social-2018", "social-2014"}
        assert "social-2018" in response.content.decode()

    def test_the_management_command_syncs_them_too(self) -> None:
        out = io.StringIO()
        call_command("sync_methodologies", stdout=out)
        assert "social-2014:" in out.getvalue()
        assert Methodology.objects.filter(builtin=True).count() == 2

    @pytest.mark.parametrize("name", ["org_admin", "outsider", "nobody"])
    def test_organizations_and_roleless_users_get_403(self, personas, name) -> None:
        assert client_for(getattr(personas, name)).get(reverse("methodology:list")).status_code == 403


class MethodologyDetailTests:
    def test_it_shows_criteria_weights_formulas_checklists_and_questionnaire(self, personas) -> None:
        methodology_sync_builtin()
        response = client_for(personas.council).get(reverse("methodology:detail", args=["social-2018"]))
        body = response.content.decode()
        assert response.status_code == 200
        blocks = response.context["blocks"]
        assert [b.key for b in blocks] == ["K1", "K2", "K3", "K4", "K5"]
        assert all(abs(b.weight_sum - 1) < 1e-9 for b in blocks)
        k1 = blocks[0].indicators
        assert [(r.key, r.weight_text) for r in k1] == [("1.1", "0,3"), ("1.2", "0,3"), ("1.3", "0,4")]
        assert "30 × число имеющихся условий" in k1[1].formula and "не более 100" in k1[1].formula
        assert "итог = (K1 + K2 + K3 + K4 + K5) / 5" in body
        assert "не менее 40 % получателей услуг, не более 600 респондентов" in body
        assert "Кем Вы являетесь?" in body
        assert ("задаётся, если на вопрос «При посещении организации обращались ли Вы к информации"
                in body)
        assert "ответили «Да»" in body and "used_stand" not in body

    def test_social_2014_shows_its_banded_and_waiting_formulas(self, personas) -> None:
        methodology_sync_builtin()
        response = client_for(personas.operator).get(reverse("methodology:detail", args=["social-2014"]))
        formulas = {r.key: r.formula for b in response.context["blocks"] for r in b.indicators}
        assert formulas["0241000004"] == (
            "менее 10 % → 0; 10–30 % → 0,3; 30–60 % → 0,6; 60–90 % → 0,9; от 90 % → 1")
        assert formulas["0243000001"].startswith("более 30 мин → 0; 15–30 мин → 0,5")
        assert "интегральное значение = сумма оценок" in response.content.decode()

    def test_an_unknown_slug_is_404_and_organizations_get_403(self, personas) -> None:
        methodology_sync_builtin()
        assert client_for(personas.operator).get(
            reverse("methodology:detail", args=["nope"])).status_code == 404
        assert client_for(personas.outsider).get(
            reverse("methodology:detail", args=["social-2018"])).status_code == 403


class MethodologyUploadTests:
    def test_the_operator_uploads_a_reweighted_methodology(self, personas) -> None:
        document = regional()
        document["criteria"][0]["indicators"][0]["weight"] = 0.2
        document["criteria"][0]["indicators"][2]["weight"] = 0.5
        response = client_for(personas.operator).post(reverse("methodology:upload"), {"file": upload(document)})
        assert response.status_code == 302
        stored = Methodology.objects.get(slug="kuzbass-2024")
        assert stored.builtin is False and stored.uploaded_by == personas.operator
        entry = AuditEntry.objects.get(object_type="methodology.methodology")
        assert entry.after["вес 1.1"] == 0.2 and entry.action == "create"

    def test_a_second_upload_updates_and_audits_the_weight_change(self, personas) -> None:
        client = client_for(personas.operator)
        client.post(reverse("methodology:upload"), {"file": upload(regional())})
        document = regional()
        document["criteria"][0]["indicators"][0]["weight"] = 0.2
        document["criteria"][0]["indicators"][2]["weight"] = 0.5
        client.post(reverse("methodology:upload"), {"file": upload(document)})
        entry = AuditEntry.objects.get(action="update")
        assert entry.before["вес 1.1"] == 0.3 and entry.after["вес 1.1"] == 0.2

    def test_a_methodology_of_a_campaign_under_review_cannot_be_replaced(self, personas) -> None:
        from nok.assessments.tests.factories import make_campaign

        client = client_for(personas.operator)
        client.post(reverse("methodology:upload"), {"file": upload(regional())})
        campaign = make_campaign([personas.org_a], slug="kuzbass-2024", user=personas.operator)
        document = regional()
        document["criteria"][0]["indicators"][0]["weight"] = 0.2
        document["criteria"][0]["indicators"][2]["weight"] = 0.5
        # While the campaign collects data the weights may still change ...
        response = client.post(reverse("methodology:upload"), {"file": upload(document)})
        assert response.status_code == 302
        campaign.status = "review"
        campaign.save()
        document["criteria"][0]["indicators"][0]["weight"] = 0.3
        document["criteria"][0]["indicators"][2]["weight"] = 0.4
        response = client.post(reverse("methodology:upload"), {"file": upload(document)})
        # ... once it is under review (or published) they are frozen.
        assert response.status_code == 200
        assert "уже применена в кампании «НОК 2025»" in response.content.decode()
        stored = Methodology.objects.get(slug="kuzbass-2024").definition
        assert stored["criteria"][0]["indicators"][0]["weight"] == 0.2

    def test_an_invalid_definition_names_the_json_path_and_stores_nothing(self, personas) -> None:
        document = regional()
        document["criteria"][1]["indicators"][0]["weight"] = "тяжёлый"
        response = client_for(personas.operator).post(reverse("methodology:upload"), {"file": upload(document)})
        errors = response.context["form"].errors["file"]
        assert response.status_code == 200
        assert errors[0].startswith("Ошибка в «criteria[1].indicators[0].weight»")
        assert not Methodology.objects.filter(slug="kuzbass-2024").exists()

    def test_broken_json_names_line_and_column(self, personas) -> None:
        response = client_for(personas.operator).post(
            reverse("methodology:upload"), {"file": upload(b'{\n  "slug": "x",\n  oops\n}')})
        message = response.context["form"].errors["file"][0]
        assert message == "Файл не является корректным JSON: ошибка в строке 3, столбце 3"

    @pytest.mark.parametrize(("title", "words"), [
        ("Методика\x00", "нулевой символ"), ("Методика \ud800", "непарный суррогатный символ")])
    def test_text_no_database_can_store_is_refused_not_a_500(self, personas, title, words) -> None:
        # Valid JSON ("\u0000", "\ud800"): PostgreSQL refused the save with a 500.
        raw = json.dumps(regional(title=title)).encode()
        response = client_for(personas.operator).post(reverse("methodology:upload"),
                                                      {"file": upload(raw)})
        assert response.status_code == 200
        assert words in response.context["form"].errors["file"][0]
        assert not Methodology.objects.filter(slug="kuzbass-2024").exists()

    def test_a_deeply_nested_file_is_refused_not_a_500(self, personas) -> None:
        response = client_for(personas.operator).post(
            reverse("methodology:upload"), {"file": upload(b"[" * 100_000 + b"]" * 100_000)})
        assert "слишком глубокая вложенность" in response.context["form"].errors["file"][0]

    def test_a_json_array_is_refused(self, personas) -> None:
        response = client_for(personas.operator).post(reverse("methodology:upload"), {"file": upload([1])})
        assert "Ожидается JSON-объект" in response.context["form"].errors["file"][0]

    def test_a_builtin_slug_cannot_be_overwritten(self, personas) -> None:
        methodology_sync_builtin()
        response = client_for(personas.operator).post(
            reverse("methodology:upload"), {"file": upload(regional(slug="social-2018"))})
        assert "занят встроенной методикой" in response.context["form"].errors["file"][0]
        assert Methodology.objects.get(slug="social-2018").title != "Методика Кузбасса 2024"

    @pytest.mark.parametrize("name", ["ministry", "council", "org_admin", "outsider", "nobody"])
    def test_only_the_operator_uploads(self, personas, name) -> None:
        response = client_for(getattr(personas, name)).post(
            reverse("methodology:upload"), {"file": upload(regional())})
        assert response.status_code == 403
        assert not Methodology.objects.filter(slug="kuzbass-2024").exists()


class MethodologyDownloadTests:
    def test_a_download_is_the_stored_json_and_loads_again(self, personas) -> None:
        methodology_sync_builtin()
        response = client_for(personas.ministry).get(reverse("methodology:download", args=["social-2018"]))
        assert response["Content-Disposition"] == 'attachment; filename="social-2018.json"'
        document = json.loads(response.content.decode("utf-8"))
        assert document == scoring.builtin_definition("social-2018")
        assert scoring.load_methodology(document).slug == "social-2018"

    def test_the_outsider_gets_403(self, personas) -> None:
        methodology_sync_builtin()
        response = client_for(personas.outsider).get(reverse("methodology:download", args=["social-2018"]))
        assert response.status_code == 403
