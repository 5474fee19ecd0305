"""`manage.py demo_region`: a computed demo region, built through the domain services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from nok.assessments.models import Assessment, Campaign
from nok.core.models import AuditEntry
from nok.demo.builder import inn_with_checksum, municipality_of
from nok.organizations.models import Organization
from nok.organizations.validators import validate_inn
from nok.scores.models import Score
from nok.surveys.models import Response


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo_region", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class DemoRegionTests:
    def test_it_builds_a_computed_campaign_and_prints_the_logins(self) -> None:
        output = _run("--limit", "7")

        campaign = Campaign.objects.get()
        assert campaign.methodology.slug == "social-2018"
        assert Organization.objects.count() == 7
        # one organization of each of the seven types of seed 004
        assert Organization.objects.values("type").distinct().count() == 7
        assert Assessment.objects.filter(campaign=campaign).count() == 7
        scores = Score.objects.filter(assessment__campaign=campaign)  # computed by the build
        assert scores.count() == 7
        assert all(s.total is not None and 0 <= s.total <= 100 for s in scores)
        assert Response.objects.filter(assessment__campaign=campaign).count() > 7 * 5
        assert AuditEntry.objects.filter(object_type="assessments.checklisttick").exists()
        for username in ("operator", "ministry", "council", "org"):
            assert username in output
        assert "demo-nok-2026" in output

    def test_a_second_run_keeps_the_region_and_says_so(self) -> None:
        _run("--limit", "2")
        output = _run("--limit", "2")

        assert Campaign.objects.count() == 1
        assert "уже построен" in output


class DemoHelpersTests:
    def test_generated_inns_pass_the_real_checksum(self) -> None:
        # 42000000 + 01: weights 2,4,10,3,5,9,4,6,8 give 4*2 + 2*4 + 1*8 = 24; 24 % 11 % 10 = 2
        assert inn_with_checksum("420000001") == "4200000012"
        validate_inn(inn_with_checksum("420000031"))

    def test_it_reads_the_municipality_from_a_seed_name(self) -> None:
        assert municipality_of("МБУ «Центр социальной адаптации населения г. Кемерово»") == "г. Кемерово"
        assert municipality_of("МКУ «Центр социального обслуживания» Гурьевского района") == "Гурьевского района"

    def test_short_names_drop_the_legal_form_and_quotes_but_keep_the_place(self) -> None:
        from nok.demo.builder import short_name_of

        assert short_name_of("МКУ «Центр социального обслуживания», г. Мыски") == (
            "Центр социального обслуживания, г. Мыски"
        )
        assert short_name_of("МБУ Комплексный центр социального обслуживания населения") == (
            "Комплексный центр социального обслуживания населения"
        )
