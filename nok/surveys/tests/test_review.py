"""Review of flagged responses across a campaign: waiting ones first with their answers and
reasons, decided ones on their own tab, filters, pages, and one decision for many responses
that moves each exactly as a single decision does."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nok.assessments.models import Assessment
from nok.core.models import AuditEntry
from nok.surveys import services
from nok.surveys.models import Flag, Response, ResponseStatus
from nok.surveys.selectors import survey_counts
from nok.surveys.tallies import recount, stored
from nok.surveys.tests.factories import (
    ALL_YES_NO_SITE,
    make_assessment,
    make_campaign,
    make_response,
)

pytestmark = pytest.mark.django_db


def flagged(assessment, kind="too_fast", answers=None):  # type: ignore[no-untyped-def]
    response = make_response(assessment, answers, status=ResponseStatus.FLAGGED)
    Flag.objects.create(response=response, kind=kind, detail="заполнена за 9 с (порог 26 с)")
    return response


@pytest.fixture
def world(personas):  # type: ignore[no-untyped-def]
    campaign = make_campaign()
    own = make_assessment(personas.org_a, campaign)
    other = make_assessment(personas.org_b, campaign)
    return campaign, own, other


def page_of(client, campaign, **query):  # type: ignore[no-untyped-def]
    return client.get(reverse("surveys:campaign_review", args=[campaign.pk]), query)


def decide(client, campaign, ids, decision="accepted", reason="проверено по телефону", **extra):  # type: ignore[no-untyped-def]
    return client.post(reverse("surveys:review_bulk", args=[campaign.pk]),
                       {"response": ids, "decision": decision, "reason": reason, **extra})


class ReviewPageTests:
    def test_waiting_responses_come_first_and_decided_ones_have_their_own_tab(
            self, client, personas, world) -> None:
        campaign, own, _ = world
        waiting = flagged(own)
        done = flagged(own, kind="burst_org")
        services.response_review(response=done, decision="rejected", reason="вброс со стенда",
                                 user=personas.operator)
        client.force_login(personas.operator)
        first = page_of(client, campaign)
        assert [i.response.pk for i in first.context["items"]] == [waiting.pk]
        assert "Ждут решения (1)" in first.content.decode()
        second = page_of(client, campaign, tab="decided")
        html = second.content.decode()
        assert [i.response.pk for i in second.context["items"]] == [done.pk]
        assert "вброс со стенда" in html and "отклонена" in html
        assert personas.operator.username in html  # who decided
        assert reverse("surveys:review_response", args=[done.pk]) in html  # a way to change it

    def test_each_response_shows_its_answers_and_the_reasons_it_was_flagged(
            self, client, personas, world) -> None:
        campaign, own, _ = world
        flagged(own, answers=ALL_YES_NO_SITE | {"suggestions": "больше кресел"})
        client.force_login(personas.operator)
        html = page_of(client, campaign).content.decode()
        assert "слишком быстрое заполнение" in html and "заполнена за 9 с (порог 26 с)" in html
        assert "Удовлетворены ли Вы в целом" in html  # a question as written
        assert "больше кресел" in html  # free text as written
        assert "<dd>Да</dd>" in html  # an option key read as its label

    def test_filters_by_organization_and_by_reason(self, client, personas, world) -> None:
        campaign, own, other = world
        fast = flagged(own)
        burst = flagged(other, kind="burst_org")
        client.force_login(personas.operator)
        by_org = page_of(client, campaign, organization=own.organization_id)
        assert [i.response.pk for i in by_org.context["items"]] == [fast.pk]
        by_kind = page_of(client, campaign, kind="burst_org")
        assert [i.response.pk for i in by_kind.context["items"]] == [burst.pk]

    def test_a_bad_filter_is_named_and_filters_nothing(self, client, personas, world) -> None:
        campaign, own, _ = world
        flagged(own)
        client.force_login(personas.operator)
        answer = page_of(client, campaign, organization="999999", kind="nonsense")
        html = answer.content.decode()
        assert answer.status_code == 200
        assert "Организация: в этой кампании нет такой организации" in html
        assert "Признак: неизвестный признак" in html
        assert len(answer.context["items"]) == 1

    def test_a_long_queue_is_paged_with_a_constant_number_of_queries(
            self, client, personas, world) -> None:
        campaign, own, _ = world
        for _ in range(27):
            flagged(own)
        client.force_login(personas.operator)
        with CaptureQueriesContext(connection) as full:
            first = page_of(client, campaign)
        assert len(first.context["items"]) == 25
        with CaptureQueriesContext(connection) as short:
            second = page_of(client, campaign, page=2)
        assert len(second.context["items"]) == 2
        assert len(full) == len(short)

    def test_the_ministry_reads_without_decision_forms(self, client, personas, world) -> None:
        campaign, own, _ = world
        flagged(own)
        client.force_login(personas.ministry)
        html = page_of(client, campaign).content.decode()
        assert "Принять выбранные" not in html
        assert "слишком быстрое заполнение" in html

    def test_organization_users_may_not_open_the_review(self, client, personas, world) -> None:
        campaign, _, _ = world
        client.force_login(personas.org_admin)
        assert page_of(client, campaign).status_code == 403

    def test_the_manage_page_links_to_the_review_of_its_organization(
            self, client, personas, world) -> None:
        campaign, own, _ = world
        flagged(own)
        client.force_login(personas.operator)
        html = client.get(reverse("surveys:manage", args=[own.pk])).content.decode()
        target = reverse("surveys:campaign_review", args=[campaign.pk])
        assert f"{target}?organization={own.organization_id}" in html


class BulkDecisionTests:
    def test_the_operator_accepts_the_ticked_responses_in_one_go(self, client, personas, world) -> None:
        campaign, own, other = world
        one, two, left = flagged(own), flagged(other), flagged(own)
        client.force_login(personas.operator)
        answer = decide(client, campaign, [one.pk, two.pk],
                        next=reverse("surveys:campaign_review", args=[campaign.pk]) + "?kind=too_fast")
        assert answer["Location"].endswith("?kind=too_fast")
        statuses = dict(Response.objects.values_list("pk", "status"))
        assert statuses == {one.pk: "accepted", two.pk: "accepted", left.pk: "flagged"}
        assert Response.objects.get(pk=one.pk).reviewed_by == personas.operator
        entries = AuditEntry.objects.filter(object_type="surveys.response", action="update")
        assert sorted(int(e.object_id) for e in entries) == sorted([one.pk, two.pk])
        assert {e.organization_id for e in entries} == {own.organization_id, other.organization_id}

    def test_a_bulk_decision_moves_scores_exactly_like_single_decisions(self, personas) -> None:
        campaign = make_campaign()
        single = make_assessment(personas.org_a, campaign)
        bulk = make_assessment(personas.org_b, campaign)
        answers = [ALL_YES_NO_SITE, ALL_YES_NO_SITE | {"overall": "no"}, ALL_YES_NO_SITE]
        singles = [flagged(single, answers=a) for a in answers]
        bulks = [flagged(bulk, answers=a) for a in answers]
        versions = dict(Assessment.objects.values_list("pk", "data_version"))
        for response, decision in zip(singles[:2], ["accepted", "rejected"], strict=True):
            services.response_review(response=response, decision=decision, reason="решение",
                                     user=personas.operator)
        services.responses_review(campaign=campaign, response_ids=[bulks[0].pk],
                                  decision="accepted", reason="решение", user=personas.operator)
        services.responses_review(campaign=campaign, response_ids=[bulks[1].pk],
                                  decision="rejected", reason="решение", user=personas.operator)
        for include_flagged in (False, True):
            counts = survey_counts([single.pk, bulk.pk], include_flagged=include_flagged)
            assert counts[single.pk] == counts[bulk.pk]
        assert counts[bulk.pk].respondents == 2  # one accepted + one still flagged
        assert stored([single.pk, bulk.pk]) == recount([single.pk, bulk.pk])
        # the scores of the organization become stale, as after any write they depend on
        assert Assessment.objects.get(pk=bulk.pk).data_version > versions[bulk.pk]

    def test_responses_decided_meanwhile_keep_their_decision(self, client, personas, world) -> None:
        campaign, own, _ = world
        one, two = flagged(own), flagged(own)
        services.response_review(response=two, decision="rejected", reason="вброс",
                                 user=personas.operator)
        client.force_login(personas.operator)
        decide(client, campaign, [one.pk, two.pk])
        assert Response.objects.get(pk=two.pk).status == "rejected"
        assert Response.objects.get(pk=one.pk).status == "accepted"
        messages = [str(m) for m in client.get(reverse("surveys:campaign_review",
                                                       args=[campaign.pk])).context["messages"]]
        assert any("Уже были решены раньше и оставлены как есть: 1" in m for m in messages)

    def test_a_decision_without_a_reason_or_ticks_is_refused_with_the_field_named(
            self, client, personas, world) -> None:
        campaign, own, _ = world
        one = flagged(own)
        client.force_login(personas.operator)
        answer = decide(client, campaign, [one.pk], reason="  ")
        follow = client.get(answer["Location"])
        assert any("Основание" in str(m) for m in follow.context["messages"])
        answer = decide(client, campaign, [])
        follow = client.get(answer["Location"])
        assert any("Отметьте хотя бы одну анкету" in str(m) for m in follow.context["messages"])
        assert Response.objects.get(pk=one.pk).status == "flagged"

    def test_a_response_of_another_campaign_refuses_the_whole_decision(
            self, client, personas, world) -> None:
        campaign, own, _ = world
        one = flagged(own)
        stranger = flagged(make_assessment(personas.org_a, make_campaign()))
        client.force_login(personas.operator)
        decide(client, campaign, [one.pk, stranger.pk], decision="rejected")
        assert set(Response.objects.values_list("status", flat=True)) == {"flagged"}

    def test_only_the_operator_decides(self, client, personas, world) -> None:
        campaign, own, _ = world
        one = flagged(own)
        for persona in (personas.ministry, personas.org_admin, personas.outsider):
            client.force_login(persona)
            assert decide(client, campaign, [one.pk]).status_code == 403
        assert Response.objects.get(pk=one.pk).status == "flagged"

    def test_a_changed_decision_returns_to_the_review_page(self, client, personas, world) -> None:
        campaign, own, _ = world
        one = flagged(own)
        services.response_review(response=one, decision="rejected", reason="вброс",
                                 user=personas.operator)
        client.force_login(personas.operator)
        back = reverse("surveys:campaign_review", args=[campaign.pk]) + "?tab=decided"
        answer = client.post(reverse("surveys:review_response", args=[one.pk]),
                             {"decision": "accepted", "reason": "дозвонились", "next": back})
        assert answer["Location"] == back
        assert Response.objects.get(pk=one.pk).status == "accepted"
        elsewhere = client.post(reverse("surveys:review_response", args=[one.pk]),
                                {"decision": "accepted", "reason": "x", "next": "https://evil.example/"})
        assert elsewhere["Location"].startswith(reverse("surveys:manage", args=[own.pk]))
