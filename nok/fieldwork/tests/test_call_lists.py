"""The telephone survey: the organization's call list (numbers only, all or nothing), worked
through by its interviewers in random order with outcomes and an attempt limit; anonymity by
design — nothing links a response to a number, only the assigned interviewers see numbers, and
the list is deleted (journaled) when the campaign is published."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from nok.core.models import AuditEntry
from nok.fieldwork import services
from nok.fieldwork.models import CallEntry, CallList
from nok.fieldwork.selectors import call_summary
from nok.fieldwork.tests.factories import make_interviewer
from nok.fieldwork.views import _upload_text
from nok.scores import services as scores
from nok.surveys.models import Response
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment, make_campaign

pytestmark = pytest.mark.django_db

PHONES = ["+7 916 000-00-01", "8 (831) 412-00-02", "89160000003", "+7 916 000-00-04"]
# Any of the numbers above (or 89160000005), however it is written.
A_NUMBER = re.compile(r"(000|412)[ -]?00[ -]?0\d|(0000|4120)00\d")


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def world(personas):
    campaign = make_campaign()
    assessment = make_assessment(personas.org_b, campaign)
    interviewer = make_interviewer("ivanova", personas.org_b)
    return campaign, assessment, interviewer


def upload(assessment, content, user, filename="numbers.csv"):
    return services.call_list_upload(assessment=assessment, filename=filename, content=content,
                                     user=user)


class UploadTests:
    def test_the_organization_uploads_an_xlsx_of_numbers_and_sees_them_counted(
        self, client, personas, world
    ):
        _, assessment, _ = world
        content = xlsx([["Телефон"], *[[p] for p in PHONES], [89160000005]])
        client.force_login(personas.outsider)  # Organization B's own user
        url = reverse("fieldwork:call_list", args=[assessment.pk])
        answer = client.post(url, {"file": SimpleUploadedFile("numbers.xlsx", content)},
                             follow=True)
        html = answer.content.decode()
        assert "Список загружен: добавлено 5 номеров. В списке 5 номеров." in html
        assert sorted(CallEntry.objects.values_list("phone", flat=True)) == [
            "+78314120002", "+79160000001", "+79160000003", "+79160000004", "+79160000005"]
        # Counts only: not one number on the page of the organization itself.
        assert not A_NUMBER.search(html)
        entry = AuditEntry.objects.get(action="import")
        assert entry.organization_id == personas.org_b.pk
        assert not A_NUMBER.search(str(entry.after))

    def test_one_wrong_row_refuses_the_whole_file_and_names_every_wrong_row(
        self, client, personas, world
    ):
        _, assessment, _ = world
        content = csv("+7 916 000-00-01", "123", "+7 916 000-00-02,Иванова Мария", "89160000003")
        client.force_login(personas.operator)
        answer = client.post(reverse("fieldwork:call_list", args=[assessment.pk]),
                             {"file": SimpleUploadedFile("numbers.csv", content)})
        html = answer.content.decode()
        assert answer.status_code == 400
        assert "Строка 2: «123» — не номер телефона" in html
        assert "Строка 3: заполнен столбец B" in html
        assert not CallEntry.objects.exists() and not CallList.objects.exists()

    def test_a_second_upload_adds_only_new_numbers_and_keeps_the_calls_made(self, world):
        _, assessment, interviewer = world
        upload(assessment, csv(*PHONES[:2]), None)
        entry = services.call_claim(assessment=assessment, interviewer=interviewer)
        services.call_outcome_record(entry=entry, interviewer=interviewer, outcome="no_answer")
        summary = upload(assessment, csv(*PHONES, PHONES[3]), None)
        assert (summary.added, summary.known, summary.repeated, summary.total) == (2, 2, 1, 4)
        assert CallEntry.objects.get(pk=entry.pk).attempts == 1
        assert _upload_text(summary) == (  # the plural forms come from the catalogue
            "Список загружен: добавлено 2 номера; 2 номера уже были в списке; 1 повтор в файле "
            "не учтён. В списке 4 номера.")

    def test_a_broken_file_is_refused_with_the_readers_message(self, world):
        _, assessment, _ = world
        with pytest.raises(ValidationError, match="Поддерживаются файлы CSV и XLSX"):
            upload(assessment, b"PK\x03\x04", None, filename="numbers.xls")

    def test_an_interviewer_or_another_organization_may_not_upload(self, client, personas, world):
        _, assessment, interviewer = world
        url = reverse("fieldwork:call_list", args=[assessment.pk])
        for user, status in ((interviewer, 403), (personas.org_admin, 404), (personas.ministry, 403)):
            client.force_login(user)
            answer = client.post(url, {"file": SimpleUploadedFile("n.csv", csv(PHONES[0]))})
            assert answer.status_code == status
        assert not CallEntry.objects.exists()

    def test_only_the_operator_sets_the_attempt_limit(self, client, personas, world):
        _, assessment, _ = world
        url = reverse("fieldwork:call_list", args=[assessment.pk])
        client.force_login(personas.outsider)
        assert client.post(url, {"action": "limit", "attempt_limit": "5"}).status_code == 403
        client.force_login(personas.operator)
        assert client.post(url, {"action": "limit", "attempt_limit": "11"}).status_code == 400
        client.post(url, {"action": "limit", "attempt_limit": "5"})
        assert CallList.objects.get().attempt_limit == 5


class CallingTests:
    def test_numbers_come_in_random_order_least_called_first_until_the_attempt_limit(self, world):
        _, assessment, interviewer = world
        upload(assessment, csv(*PHONES), None)
        services.call_list_limit_set(assessment=assessment, attempt_limit=2, user=None)
        ranks = dict(CallEntry.objects.values_list("phone", "rank"))
        called = []
        for _ in range(8):  # nobody answers anywhere: two rounds of four, then nothing left
            entry = services.call_claim(assessment=assessment, interviewer=interviewer)
            called.append(entry.phone)
            services.call_outcome_record(entry=entry, interviewer=interviewer, outcome="no_answer")
        by_rank = sorted(ranks, key=ranks.get)
        assert called == by_rank + by_rank
        assert services.call_claim(assessment=assessment, interviewer=interviewer) is None
        summary = call_summary(assessment)
        assert (summary.total, summary.given_up, summary.open) == (4, 4, 0)

    def test_refusal_and_completion_are_final_and_a_call_back_comes_round_again(self, world):
        _, assessment, interviewer = world
        upload(assessment, csv(*PHONES[:3]), None)
        outcomes = {}
        for outcome in ("refused", "completed", "callback"):
            entry = services.call_claim(assessment=assessment, interviewer=interviewer)
            services.call_outcome_record(entry=entry, interviewer=interviewer, outcome=outcome)
            outcomes[entry.pk] = outcome
        again = services.call_claim(assessment=assessment, interviewer=interviewer)
        assert outcomes[again.pk] == "callback"
        summary = call_summary(assessment)
        assert (summary.refused, summary.completed, summary.callback, summary.in_progress) == (
            1, 1, 1, 1)

    def test_two_interviewers_never_hold_the_same_number(self, personas, world):
        _, assessment, first = world
        second = make_interviewer("petrov", personas.org_b)
        upload(assessment, csv(*PHONES[:2]), None)
        a = services.call_claim(assessment=assessment, interviewer=first)
        b = services.call_claim(assessment=assessment, interviewer=second)
        assert a.pk != b.pk
        assert services.call_claim(assessment=assessment, interviewer=first).pk == a.pk  # kept
        with pytest.raises(ValidationError, match="не закреплён за вами"):
            services.call_outcome_record(entry=a, interviewer=second, outcome="refused")

    def test_an_interviewer_not_assigned_the_organization_gets_no_number(self, personas, world):
        _, assessment, _ = world
        upload(assessment, csv(*PHONES), None)
        with pytest.raises(PermissionDenied):
            services.call_claim(assessment=assessment,
                                interviewer=make_interviewer("other", personas.org_a))

    def test_a_completed_call_opens_the_telephone_interview_which_knows_no_number(
        self, client, world
    ):
        _, assessment, interviewer = world
        upload(assessment, csv(PHONES[0]), None)
        client.force_login(interviewer)
        url = reverse("fieldwork:calls", args=[assessment.pk])
        client.post(url, {"action": "next"})
        page = client.get(url).content.decode()
        assert 'href="tel:+79160000001">+7 916 000-00-01</a>' in page
        entry = CallEntry.objects.get()
        answer = client.post(url, {"entry": entry.pk, "outcome": "completed"})
        interview_url = reverse("fieldwork:interview", args=[assessment.pk]) + "?mode=telephone"
        assert answer["Location"] == interview_url
        interview = client.get(interview_url)
        assert "916" not in interview.content.decode()
        saved = client.post(interview_url, {"ticket": interview.context["ticket"],
                                            **{f"q_{k}": v for k, v in ALL_YES_NO_SITE.items()}})
        assert saved["Location"] == url  # back to the list for the next number
        response = Response.objects.get()
        assert response.mode == "telephone" and response.interviewer == interviewer
        entry.refresh_from_db()
        # The number keeps no trace of when or by whom it was interviewed.
        assert (entry.outcome, entry.claimed_by, entry.claimed_at) == ("completed", None, None)

    def test_the_operator_sees_the_list_in_counts_never_the_numbers(self, client, personas, world):
        _, assessment, interviewer = world
        upload(assessment, csv(*PHONES), None)
        services.call_claim(assessment=assessment, interviewer=interviewer)
        for user in (personas.operator, personas.ministry, personas.outsider):
            client.force_login(user)
            html = client.get(reverse("fieldwork:call_list", args=[assessment.pk])).content.decode()
            assert "Звонят сейчас" in html and not A_NUMBER.search(html)


def owned(model: type[models.Model]) -> set[type[models.Model]]:
    """The models whose rows belong to one row of ``model``: the rows pointing at it (its
    answers, flags, entries...) and, recursively, theirs. Rows it points to (an assessment, a
    user) are shared by many and identify no single row."""
    found = {model}
    todo = [model]
    while todo:
        for field in todo.pop()._meta.get_fields():
            if field.auto_created and not field.concrete and field.related_model not in found:
                found.add(field.related_model)
                todo.append(field.related_model)
    return found


def relations(model: type[models.Model]) -> set[type[models.Model]]:
    """Every model related to ``model``, in either direction."""
    return {f.related_model for f in model._meta.get_fields() if f.is_relation}


def points_to(model: type[models.Model]) -> set[type[models.Model]]:
    """The models ``model``'s own columns refer to (its foreign keys, one-to-one, many-to-many)."""
    return {f.related_model for f in model._meta.get_fields()
            if f.is_relation and (f.concrete or f.many_to_many) and not f.auto_created}


class AnonymityTests:
    def test_no_path_in_the_schema_leads_from_a_response_to_the_call_list(self):
        response_side = owned(Response)
        call_side = owned(CallList)
        assert {m._meta.label for m in response_side} >= {"surveys.Response",
                                                         "surveys.Flag", "surveys.PaperSheet"}
        assert {m._meta.label for m in call_side} == {"fieldwork.CallList", "fieldwork.CallEntry"}
        for model in response_side:
            assert not relations(model) & call_side, model._meta.label
        for model in call_side:
            assert not relations(model) & response_side, model._meta.label
        # Nor does a link table join the two sides.
        for model in apps.get_models():
            assert not (points_to(model) & response_side and points_to(model) & call_side), (
                model._meta.label)

    def test_a_number_keeps_no_moment_but_the_claim_cleared_with_the_outcome(self):
        moments = [f.name for f in CallEntry._meta.get_fields()
                   if isinstance(f, models.DateField | models.TimeField)]
        assert moments == ["claimed_at"]


class PublicationTests:
    def test_publishing_the_campaign_deletes_its_call_lists_in_the_journal(self, personas, world):
        campaign, assessment, interviewer = world
        upload(assessment, csv(*PHONES), personas.outsider)
        scores.campaign_close_fieldwork(campaign=campaign, user=personas.operator)
        assert CallEntry.objects.count() == 4  # kept for the review: the data may still change
        scores.campaign_publish(campaign=campaign, user=personas.ministry,
                                exceptions={assessment.pk: "проверка удаления списка"})
        assert not CallList.objects.exists() and not CallEntry.objects.exists()
        entry = AuditEntry.objects.get(action="delete", object_type="fieldwork.calllist")
        assert entry.user == personas.ministry and entry.organization_id == personas.org_b.pk
        assert entry.changes_display() == [("номеров в списке", "4", "0")]
