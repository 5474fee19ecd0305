"""Quality gate: precision and recall of every audited item over the fixture sites.

Each fixture site (siteaudit/tests/fixtures/) declares, per item, whether the information is
really on the site; the audit must agree. This is a quality threshold, not a timing claim;
``bench/bench_site_audit.py`` prints the same table.
"""

from __future__ import annotations

import pytest

import scoring
from siteaudit.audit import audited_items
from siteaudit.tests.fixtures import all_sites
from siteaudit.tests.fixtures.evaluate import audit_sites, tally

THRESHOLD = 0.95


@pytest.fixture(scope="module")
def results():
    return audit_sites(all_sites(), scoring.load_methodology("social-2018"))


class QualityTests:
    def test_every_item_reaches_the_precision_and_recall_threshold(self, results):
        tallies = tally(results)
        low = {
            key: (round(t.precision, 3), round(t.recall, 3), t.misses)
            for key, t in tallies.items()
            if t.precision < THRESHOLD or t.recall < THRESHOLD
        }
        assert low == {}

    def test_the_tally_covers_every_audited_item_with_positives_and_negatives(self, results):
        tallies = tally(results)
        methodology = scoring.load_methodology("social-2018")
        expected = {
            f"{c}.{i.key}" if c != "disabled_services" else i.key
            for c, i in audited_items(methodology)
        }
        assert set(tallies) == expected
        assert len(expected) == 21 + 5 + 1
        # every item is present on some fixture site; all but contacts and the phone/e-mail
        # channels (which every real site has) are absent from another
        always = {"site.contacts", "remote_channels.phone", "remote_channels.email"}
        for key, t in tallies.items():
            assert t.tp + t.fn > 0, key
            if key not in always:
                assert t.tn + t.fp > 0, key

    def test_no_request_ever_leaves_the_audited_site(self, results):
        for site, _report, trap_log in results:
            assert trap_log == [], site.name

    def test_every_finding_shows_where_and_what_was_found(self, results):
        for _site, report, _ in results:
            for _checklist, finding in report.findings():
                for ev in finding.evidence:
                    assert ev.url.startswith("http://127.0.0.1:")
                    assert ev.text.strip()
                    if ev.how in ("section", "document", "text"):
                        page = report.page(ev.url)
                        assert page is not None and page.body, ev.url
