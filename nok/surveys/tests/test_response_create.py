from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from nok.core.models import AuditEntry
from nok.surveys.models import Response, ResponseStatus
from nok.surveys.services import client_hash_of, response_create, response_review
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment, make_response

pytestmark = pytest.mark.django_db


class ResponseCreateTests:
    def test_the_same_client_id_twice_returns_the_stored_response(self):
        assessment = make_assessment()
        client_id = uuid.uuid4()
        first = response_create(assessment=assessment, answers=ALL_YES_NO_SITE, channel="online",
                                client_id=client_id)
        again = response_create(assessment=assessment, answers={"respondent": "relative"},
                                channel="online", client_id=str(client_id))
        assert again.pk == first.pk
        assert Response.objects.count() == 1
        assert Response.objects.get().answers["respondent"] == "recipient"

    def test_a_client_id_of_another_organization_is_refused(self):
        client_id = uuid.uuid4()
        response_create(assessment=make_assessment(), answers=ALL_YES_NO_SITE, channel="online",
                        client_id=client_id)
        with pytest.raises(ValidationError, match="другой организации"):
            response_create(assessment=make_assessment(), answers=ALL_YES_NO_SITE,
                            channel="online", client_id=client_id)

    def test_it_rejects_an_option_outside_the_question(self):
        with pytest.raises(ValidationError, match="Недопустимый ответ «maybe»"):
            response_create(assessment=make_assessment(), answers={"timely": "maybe"},
                            channel="paper", client_id=uuid.uuid4())
        assert not Response.objects.exists()

    def test_it_rejects_an_unknown_question(self):
        with pytest.raises(ValidationError, match="Неизвестный вопрос «pet_name»"):
            response_create(assessment=make_assessment(), answers={"pet_name": "Барсик"},
                            channel="paper", client_id=uuid.uuid4())

    def test_it_rejects_an_empty_questionnaire(self):
        with pytest.raises(ValidationError, match="Анкета пуста"):
            response_create(assessment=make_assessment(), answers={"timely": ""},
                            channel="paper", client_id=uuid.uuid4())

    def test_it_records_the_duration_from_start_to_submission(self):
        from datetime import timedelta

        from django.utils import timezone

        now = timezone.now()
        response = response_create(
            assessment=make_assessment(), answers=ALL_YES_NO_SITE, channel="paper",
            client_id=uuid.uuid4(), started_at=now - timedelta(minutes=4), submitted_at=now,
        )
        assert response.duration_seconds == 240

    def test_the_client_hash_is_salted_and_never_the_address(self, settings):
        settings.SURVEY_SALT = "salt-1"
        first = client_hash_of("10.0.0.7", "Firefox")
        settings.SURVEY_SALT = "salt-2"
        assert client_hash_of("10.0.0.7", "Firefox") != first
        assert len(first) == 64 and "10.0.0.7" not in first


class ResponseReviewTests:
    def test_a_rejected_response_is_kept_with_its_reason_and_audited(self, personas):
        response = make_response(make_assessment(), status=ResponseStatus.FLAGGED)
        response_review(response=response, decision="rejected", reason="Вброс: 40 анкет за 5 минут",
                        user=personas.operator)
        response.refresh_from_db()
        assert response.status == "rejected"
        assert response.review_reason == "Вброс: 40 анкет за 5 минут"
        entry = AuditEntry.objects.filter(object_type="surveys.response", action="update").get()
        assert entry.before["status"] == "flagged" and entry.after["status"] == "rejected"

    def test_a_review_without_a_reason_is_refused(self, personas):
        response = make_response(make_assessment(), status=ResponseStatus.FLAGGED)
        with pytest.raises(ValidationError, match="основание"):
            response_review(response=response, decision="accepted", reason="  ",
                            user=personas.operator)
