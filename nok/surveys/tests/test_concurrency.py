"""Simultaneous requests on a real server database: two tabs sending the same questionnaire at
the same moment store it once; two tabs answering at once keep both answers.

PostgreSQL only: SQLite serializes writers (and its shared in-memory test database refuses
concurrent transactions outright), so the race cannot be produced there.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from nok.surveys import services
from nok.surveys.models import Draft, Response
from nok.surveys.services import draft_answer, draft_start, draft_submit
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def at_once(*calls):
    """Runs the calls in threads released together; returns their results (or exceptions)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        from django.db import connections

        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # reported to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class SimultaneousSubmitTests:
    def test_two_tabs_sending_the_same_draft_at_once_store_one_response(self):
        assessment = make_assessment()
        draft = draft_start(assessment=assessment, client_id="6b1e0d5c-1111-4c3a-9d7e-2a1b3c4d5e6f")
        for key, value in ALL_YES_NO_SITE.items():
            draft = draft_answer(draft=draft, question=key, value=value)
        results = at_once(*[lambda: draft_submit(draft=draft, client_hash="h")] * 4)
        assert [r for r in results if isinstance(r, Exception)] == []
        assert sorted(created for _, created in results) == [False, False, False, True]
        assert Response.objects.count() == 1
        assert len({response.pk for response, _ in results}) == 1

    def test_two_tabs_answering_at_once_keep_both_answers(self, monkeypatch):
        # Widen the read-modify-write window so that the requests really overlap.
        slow = services.clean_answers

        def clean_slowly(*args, **kwargs):
            time.sleep(0.2)
            return slow(*args, **kwargs)

        monkeypatch.setattr(services, "clean_answers", clean_slowly)
        assessment = make_assessment()
        draft = draft_start(assessment=assessment, client_id="6b1e0d5c-2222-4c3a-9d7e-2a1b3c4d5e6f")
        keys = ["respondent", "used_stand", "used_site", "disabled", "used_remote"]
        values = {"respondent": "recipient", "used_stand": "yes", "used_site": "no",
                  "disabled": "no", "used_remote": "no"}
        results = at_once(*[
            (lambda key=key: draft_answer(draft=draft, question=key, value=values[key]))
            for key in keys
        ])
        assert [r for r in results if isinstance(r, Exception)] == []
        assert Draft.objects.get().answers == values
