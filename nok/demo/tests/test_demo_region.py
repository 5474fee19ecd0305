"""`manage.py demo_region`: a computed demo region, built through the domain services."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from nok.assessments.models import Assessment, Campaign
from nok.core.models import AuditEntry
from nok.demo.builder import inn_with_checksum, municipality_of
from nok.organizations.models import Organization
from nok.organizations.validators import validate_inn
from nok.plans.models import Plan, PlanStatus
from nok.scores.models import Score
from nok.scores.selectors import published_assessment_result, published_results
from nok.surveys.models import Response
from nok.surveys.tallies import tally_rebuild


def _run(*args: str) -> str:
    out = StringIO()
    call_command("demo_region", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class DemoRegionTests:
    def test_it_builds_a_computed_campaign_and_prints_the_logins(self, settings) -> None:
        settings.SITE_URL = "http://127.0.0.1:8123"  # make demo PORT=8123
        output = _run("--limit", "7")

        campaign = Campaign.objects.get(status="fieldwork")
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
        for username in ("operator", "ministry", "council", "admin", "org"):
            assert username in output
        assert "demo-nok-2026" in output
        assert "Вход: http://127.0.0.1:8123/login/" in output
        assert "8000" not in output

    def test_the_demo_administrator_opens_the_admin_and_the_organization_user_has_a_name(
            self, client) -> None:
        _run("--limit", "7")

        answer = client.post("/login/", {"username": "admin", "password": "demo-nok-2026"})
        assert answer.status_code == 302
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/organizations/organization/").status_code == 200
        org_user = User.objects.get(username="org")
        assert org_user.get_full_name() == "Наталья Директорова"

    def test_the_two_earlier_campaigns_are_published_with_plans_in_several_states(self) -> None:
        output = _run("--limit", "7")

        earlier = list(Campaign.objects.filter(status="published").order_by("year"))
        current = Campaign.objects.get(status="fieldwork")
        assert [c.year for c in earlier] == [current.year - 2, current.year - 1]
        for campaign in earlier:  # computed through the real close and publication
            assert published_results(campaign) is not None
            assert Assessment.objects.filter(campaign=campaign).count() == 7
        assert tally_rebuild(Assessment.objects.values_list("pk", flat=True)) == 0
        older, latest = earlier
        assert set(Plan.objects.filter(campaign=older).values_list("status", flat=True)) == {
            PlanStatus.APPROVED}
        assert {PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED} <= set(
            Plan.objects.filter(campaign=latest).values_list("status", flat=True))
        # the demo's organization login has its latest plan approved, in execution
        org_plan = Plan.objects.get(campaign=latest, organization__members__user__username="org")
        assert org_plan.status == PlanStatus.APPROVED
        # each plan's rows are the shortcomings of its published results
        for plan in Plan.objects.filter(campaign=latest):
            result = published_assessment_result(plan.assessment)
            assert sorted(plan.items.values_list("shortcoming_key", flat=True)) == sorted(
                s.key for s in result.shortcomings())
        assert AuditEntry.objects.filter(object_type="plans.plan", action="status").exists()
        assert "Прошлые кампании" in output

    def test_a_second_run_keeps_the_region_and_says_so(self) -> None:
        _run("--limit", "2")
        output = _run("--limit", "2")

        assert Campaign.objects.count() == 3
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
