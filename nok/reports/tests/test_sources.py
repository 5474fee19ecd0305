"""Where the documents' numbers come from: the campaign's results exactly as the pages show
them, in the same order, under the same names; the averages of a snapshot computed once."""

from __future__ import annotations

import statistics

import pytest

import documents
from nok.assessments.tests.factories import assessment_of, respond
from nok.reports import sources
from nok.reports.tests.factories import publish, three_organizations
from nok.scores.selectors import campaign_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    return three_organizations(personas)[0]


class SourceTests:
    def test_organizations_come_in_the_order_of_the_web_rating(self, campaign, personas) -> None:
        web = [r.assessment_id for g in campaign_results(campaign).groups() for r in g.rows]
        assert sources.ordered_ids(sources.source_of(campaign)) == web
        publish(campaign, personas)
        frozen = [r.assessment_id for g in campaign_results(campaign).groups() for r in g.rows]
        assert sources.ordered_ids(sources.source_of(campaign)) == frozen

    def test_the_rating_names_organizations_as_the_web_and_the_protocol_in_full(
            self, campaign, personas) -> None:
        source = sources.source_of(campaign)
        rating = {a.registry.short_name: a.name for a in sources.campaign_assessed(source)}
        assert rating[personas.org_a.short_name] == personas.org_a.short_name
        protocol = {a.registry.short_name: a.name
                    for _, a in sources.assessed(source, rating_names=False)}
        assert protocol[personas.org_a.short_name] == personas.org_a.name

    def test_the_places_are_the_webs(self, campaign, personas) -> None:
        source = sources.source_of(campaign)
        rows = documents.rating_rows(source.methodology, sources.campaign_assessed(source))
        places = {int(line.assessed.key): line.place for s in rows for line in s.lines}
        assert places == {r.assessment_id: r.place for r in campaign_results(campaign).rows}

    def test_the_averages_of_a_snapshot_are_computed_once(self, campaign, personas, monkeypatch) -> None:
        snapshot = publish(campaign, personas)
        source = sources.source_of(campaign)
        first = sources.comparison(source)
        totals = [t for t in snapshot.rows.values_list("total", flat=True) if t is not None]
        assert first.region.total == pytest.approx(statistics.fmean(totals))
        assert first.region.count == len(totals)

        def not_again(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise AssertionError("the snapshot's organizations were read again")

        monkeypatch.setattr(sources, "campaign_assessed", not_again)
        assert sources.comparison(sources.source_of(campaign)) == first

    def test_a_campaign_in_fieldwork_is_compared_with_its_data_as_it_is_now(
            self, campaign, personas) -> None:
        before = sources.comparison(sources.source_of(campaign)).region.total
        a = assessment_of(campaign, personas.org_a)
        for _ in range(10):
            respond(a, overall="no", recommend="no", courtesy_service="no")
        after = sources.comparison(sources.source_of(campaign)).region.total
        assert before is not None and after is not None and after < before
