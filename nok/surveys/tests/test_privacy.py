"""Privacy of respondents: no free text in the audit journal or the logs; organizations do not
learn the quality checks' thresholds; one address cannot hide behind changing browsers."""

from __future__ import annotations

import io
import logging
import logging.config
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nok.core.models import AuditEntry
from nok.surveys import services
from nok.surveys.models import Flag, Response, ResponseStatus
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment

pytestmark = pytest.mark.django_db

SECRET = "Медсестра Петрова грубит, фамилия соседки — Иванова"


class AuditJournalTests:
    def test_a_paper_answer_in_free_text_is_not_written_to_the_journal(self, personas) -> None:
        assessment = make_assessment(personas.org_a)
        services.paper_response_create(assessment=assessment, number="1", user=personas.operator,
                                       answers=ALL_YES_NO_SITE | {"suggestions": SECRET})
        entry = AuditEntry.objects.get(object_type="surveys.response")
        assert SECRET not in str(entry.after)
        assert entry.after["suggestions"] == services.FREE_TEXT_MARK
        assert entry.after["overall"] == "yes"  # the option answers are kept
        stored = Response.objects.get().texts["suggestions"]
        assert stored == SECRET  # the answer itself is stored, only the journal omits it

    def test_a_resolved_double_entry_keeps_no_free_text_either(self, personas) -> None:
        assessment = make_assessment(personas.org_a)
        first = ALL_YES_NO_SITE | {"suggestions": SECRET}
        services.paper_sheet_enter(assessment=assessment, number="4", answers=first,
                                   user=personas.operator)
        sheet = services.paper_sheet_enter(assessment=assessment, number="4",
                                           answers=first | {"overall": "no"}, user=personas.ministry)
        services.paper_sheet_resolve(sheet=sheet, answers=first, user=personas.operator)
        for entry in AuditEntry.objects.all():
            assert SECRET not in f"{entry.before} {entry.after}"


class LogTests:
    def test_a_logged_exception_keeps_its_type_and_place_but_not_its_message(self) -> None:
        stream = io.StringIO()
        config = {**settings.LOGGING, "handlers": {"console": {
            **settings.LOGGING["handlers"]["console"], "stream": stream}}}
        logging.config.dictConfig(config)
        try:
            try:
                raise ValueError(f"значение не сохранено: {SECRET}")
            except ValueError:
                logging.getLogger("django.request").error("Internal Server Error: /q/abc/", exc_info=True)
        finally:
            logging.config.dictConfig(settings.LOGGING)
        text = stream.getvalue()
        assert "Internal Server Error: /q/abc/" in text
        assert "builtins.ValueError (текст сообщения не записывается)" in text
        assert "test_privacy.py" in text  # where it happened is kept
        assert SECRET not in text and "Петрова" not in text


class FlagDetailTests:
    def test_the_organization_sees_how_many_responses_are_checked_not_why(self, personas) -> None:
        assessment = make_assessment(personas.org_a)
        response = services.paper_response_create(
            assessment=assessment, number="1", answers=ALL_YES_NO_SITE, user=personas.operator)[0]
        Flag.objects.create(response=response, kind="burst_client",
                            detail="4 анкеты с одного устройства за 60 мин (порог 3)")
        services._set_status(Response.objects.filter(pk=response.pk), ResponseStatus.FLAGGED)
        url = reverse("surveys:manage", args=[assessment.pk])
        client = Client()
        client.force_login(personas.org_admin)
        page = client.get(url).content.decode()
        assert "Анкет, которые проверяет оператор: 1" in page
        assert "порог" not in page and "одного устройства" not in page
        review = reverse("surveys:campaign_review", args=[assessment.campaign_id])
        assert client.get(review).status_code == 403
        client.force_login(personas.operator)
        assert "одного устройства: 1" in client.get(url).content.decode()  # counts per reason
        assert "(порог 3)" in client.get(review).content.decode()  # details on the review page


class AddressBurstTests:
    def test_one_address_with_a_new_browser_for_every_response_is_flagged(self) -> None:
        assessment = make_assessment()
        now = timezone.now()
        address = services.address_hash_of("203.0.113.7")
        for i in range(25):  # 25 responses in 25 minutes, each «from another browser»
            services.response_record(
                assessment=assessment, answers=ALL_YES_NO_SITE | {"overall": "yes" if i % 2 else "no"},
                channel="online", client_id=f"00000000-0000-4000-8000-{i:012d}",
                started_at=now - timedelta(minutes=30 - i, seconds=90),
                submitted_at=now - timedelta(minutes=30 - i),
                client_hash=services.client_hash_of("203.0.113.7", f"Browser/{i}"),
                address_hash=address,
            )
        kinds = set(Flag.objects.values_list("kind", flat=True))
        assert "burst_address" in kinds and "burst_client" not in kinds
        detail = Flag.objects.filter(kind="burst_address").first().detail
        assert "с одного адреса сети" in detail and "(порог 20)" in detail
