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
