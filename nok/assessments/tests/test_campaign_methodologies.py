"""The campaign form offers the built-in methodologies even when a region uploaded its own first."""

from __future__ import annotations

import copy

import pytest
from django.test import Client

import scoring
from nok.methodology.models import Methodology
from nok.methodology.services import methodology_upload


@pytest.mark.django_db
class CampaignFormMethodologiesTests:
    def test_built_in_methodologies_are_offered_next_to_an_uploaded_one(self, personas) -> None:
        regional = copy.deepcopy(scoring.builtin_definition("social-2018"))
        regional["slug"] = "kemerovo-2026"
        regional["title"] = "Методика Кемеровской области"
        Methodology.objects.all().delete()
        methodology_upload(definition=regional, user=personas.operator)

        client = Client()
        client.force_login(personas.operator)
        page = client.get("/campaigns/new/").content.decode()

        assert "kemerovo-2026" in page or "Методика Кемеровской области" in page
        assert set(Methodology.objects.filter(builtin=True).values_list("slug", flat=True)) == {
            "social-2014", "social-2018",
        }


@pytest.mark.django_db
class DefaultMethodologyTests:
    def page(self, personas, **params):  # type: ignore[no-untyped-def]
        client = Client()
        client.force_login(personas.operator)
        return client.get("/campaigns/new/", params).context["form"]

    def test_a_new_campaign_defaults_to_the_newest_methodology_of_its_year(self, personas) -> None:
        form = self.page(personas)
        assert Methodology.objects.get(pk=form.initial["methodology"]).slug == "social-2018"

    def test_the_choices_show_full_titles_and_their_years(self, personas) -> None:
        form = self.page(personas)
        labels = [label for _, label in form.fields["methodology"].choices]
        m2018 = Methodology.objects.get(slug="social-2018")
        assert f"{m2018.title} — с 2018 г." in labels
        assert any(label.endswith("— 2015–2017 гг.") for label in labels)

    def test_a_methodology_outside_its_years_is_refused_by_name(self, personas) -> None:
        client = Client()
        client.force_login(personas.operator)
        client.get("/campaigns/new/")  # syncs the built-in methodologies
        old = Methodology.objects.get(slug="social-2014")
        response = client.post("/campaigns/new/", {
            "title": "НОК 2026", "year": 2026, "period_start": "2026-03-01",
            "period_end": "2026-11-30", "methodology": old.pk})
        assert response.status_code == 200
        assert "применяется к кампаниям 2015–2017 гг., а год кампании — 2026" in \
            response.content.decode()

    def test_a_regional_file_declaring_its_years_becomes_the_default(self, personas) -> None:
        regional = copy.deepcopy(scoring.builtin_definition("social-2018"))
        regional.update(slug="kemerovo-2025", title="Методика Кемеровской области",
                        valid={"from": 2025, "to": None})
        self.page(personas)
        methodology_upload(definition=regional, user=personas.operator)
        form = self.page(personas)
        assert Methodology.objects.get(pk=form.initial["methodology"]).slug == "kemerovo-2025"
