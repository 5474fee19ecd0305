from __future__ import annotations

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from nok.surveys.models import Response
from nok.surveys.services import response_record
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment

pytestmark = pytest.mark.django_db


class SurveyFlagsCommandTests:
    def test_it_flags_a_campaign_loaded_without_checks(self):
        assessment = make_assessment()
        now = timezone.now()
        response_record(assessment=assessment, answers=ALL_YES_NO_SITE, channel="online",
                        client_id=uuid.uuid4(), started_at=now - timedelta(seconds=3),
                        submitted_at=now, check=False)
        out = StringIO()
        call_command("survey_flags", campaign=assessment.campaign_id, stdout=out)
        assert Response.objects.get().status == "flagged"
        assert "новых признаков: 1" in out.getvalue()

    def test_it_needs_a_campaign_or_an_assessment(self):
        with pytest.raises(CommandError):
            call_command("survey_flags")


class DraftsPurgeCommandTests:
    def test_it_deletes_only_drafts_untouched_for_longer_than_the_limit(self):
        from nok.surveys.models import Draft
        from nok.surveys.services import draft_start

        assessment = make_assessment()
        old = draft_start(assessment=assessment, client_id=uuid.uuid4())
        fresh = draft_start(assessment=assessment, client_id=uuid.uuid4())
        Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=61))
        out = StringIO()
        call_command("survey_drafts_purge", days=60, stdout=out)
        assert list(Draft.objects.values_list("pk", flat=True)) == [fresh.pk]
        assert "Удалено черновиков: 1" in out.getvalue()

    def test_it_deletes_uploads_never_imported_but_keeps_finished_imports(self, personas):
        from nok.surveys.models import ImportJob
        from nok.surveys.services import import_job_create, import_run
        from nok.surveys.tests.test_import import GOOD_ROWS, csv_bytes

        assessment = make_assessment()
        done = import_job_create(assessment=assessment, filename="a.csv",
                                 content=csv_bytes(GOOD_ROWS), user=personas.operator)
        import_run(job=done, mapping=done.mapping, user=personas.operator)
        left = import_job_create(assessment=assessment, filename="b.csv",
                                 content=csv_bytes(GOOD_ROWS), user=personas.operator)
        recent = import_job_create(assessment=assessment, filename="c.csv",
                                   content=csv_bytes(GOOD_ROWS), user=personas.operator)
        ImportJob.objects.exclude(pk=recent.pk).update(created_at=timezone.now() - timedelta(days=8))
        out = StringIO()
        call_command("survey_drafts_purge", stdout=out)
        assert set(ImportJob.objects.values_list("pk", flat=True)) == {done.pk, recent.pk}
        assert left.pk not in ImportJob.objects.values_list("pk", flat=True)
        assert "Удалено незагруженных файлов импорта: 1" in out.getvalue()
