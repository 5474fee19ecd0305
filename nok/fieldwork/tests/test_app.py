"""The offline interview app's server side: the questionnaires bundle, the synchronization
(each interview once, refusals per interview, fieldwork closed), the devices fieldwork closes
with, the manifest and the service worker."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from nok.fieldwork.models import Device
from nok.fieldwork.selectors import unsynced_devices
from nok.fieldwork.services import device_seen
from nok.fieldwork.tests.factories import make_interviewer
from nok.organizations.models import InterviewerAssignment
from nok.surveys.models import Flag, Response
from nok.surveys.tests.factories import ALL_YES_NO_SITE, make_assessment, make_campaign

pytestmark = pytest.mark.django_db

DEVICE = "7d3f4c1e-2b1a-4f6e-9c8d-0a1b2c3d4e5f"


@pytest.fixture
def world(personas):
    campaign = make_campaign()
    own_b = make_assessment(personas.org_b, campaign)
    own_a = make_assessment(personas.org_a, campaign)
    interviewer = make_interviewer("ivanova", personas.org_b)
    return campaign, own_b, own_a, interviewer


def interview(assessment, client_id=None, **changes):
    now = timezone.now()
    return {"client_id": client_id or str(uuid.uuid4()), "assessment": assessment.pk,
            "mode": "interview", "answers": ALL_YES_NO_SITE,
            "started_at": (now - dt.timedelta(minutes=9)).isoformat(),
            "finished_at": now.isoformat(), **changes}


def send(client, interviews, waiting=None):
    answer = client.post(reverse("fieldwork:app_sync"), json.dumps({
        "device": {"id": DEVICE, "label": "Android 13; планшет"}, "waiting": waiting or {},
        "interviews": interviews}), content_type="application/json")
    return answer.status_code, answer.json()


class BundleTests:
    def test_the_bundle_holds_the_questionnaires_of_the_assigned_organizations_only(
        self, client, world
    ):
        _, own_b, _, interviewer = world
        client.force_login(interviewer)
        data = client.get(reverse("fieldwork:app_bundle") + f"?device={DEVICE}&label=Tablet").json()
        assert [a["organization"] for a in data["assessments"]] == ["КЦСОН Сормовского района"]
        questions = data["questionnaires"][data["assessments"][0]["questionnaire"]]
        info_stand = next(q for q in questions if q["key"] == "info_stand")
        assert info_stand["when"] == {"used_stand": "yes"} and info_stand["required"] is True
        assert info_stand["options"] == [{"key": "yes", "label": "Да"}, {"key": "no", "label": "Нет"}]
        device = Device.objects.get()
        assert (str(device.key), device.label, list(device.assessments.all())) == (
            DEVICE, "Tablet", [own_b])

    def test_a_campaign_out_of_fieldwork_is_not_in_the_bundle(self, client, world):
        campaign, _, _, interviewer = world
        campaign.status = "review"
        campaign.save()
        client.force_login(interviewer)
        assert client.get(reverse("fieldwork:app_bundle")).json()["assessments"] == []


class SyncTests:
    def test_each_interview_is_stored_once_however_often_it_is_sent(self, client, world):
        _, own_b, _, interviewer = world
        client.force_login(interviewer)
        batch = [interview(own_b) for _ in range(3)]
        status, data = send(client, batch)
        assert status == 200 and [r["status"] for r in data["results"]] == ["stored"] * 3
        _, again = send(client, batch)
        assert [r["status"] for r in again["results"]] == ["already"] * 3
        assert Response.objects.count() == 3
        response = Response.objects.get(client_id=batch[0]["client_id"])
        assert (response.mode, response.channel, response.interviewer, response.duration_seconds) == (
            "interview", "interviewer", interviewer, 540)

    def test_a_wrong_interview_is_refused_alone_with_its_reason(self, client, world):
        _, own_b, own_a, interviewer = world
        client.force_login(interviewer)
        partial = dict(ALL_YES_NO_SITE)
        del partial["overall"]
        _, data = send(client, [
            interview(own_b), interview(own_b, answers=partial), {"client_id": "x"},
            interview(own_a), interview(own_b, mode="online"),
        ], waiting={str(own_b.pk): 2})
        statuses = [(r["status"], r["message"]) for r in data["results"]]
        assert statuses == [
            ("stored", ""),
            ("invalid", "Нет ответа на обязательный вопрос 16"),
            ("invalid", "Интервью повреждено: не хватает сведений"),
            ("invalid", "Организация интервью не загружена на это устройство"),
            ("invalid", "Форма опроса: интервью или телефонный опрос"),
        ]
        assert Response.objects.count() == 1
        # What waits on the device: the two it said, and the two refused of this organization
        # (the damaged one names none), one of the other.
        assert Device.objects.get().waiting == {str(own_b.pk): 4, str(own_a.pk): 1}

    def test_an_interview_after_fieldwork_closed_is_refused_and_one_already_stored_is_not(
        self, client, world
    ):
        campaign, own_b, _, interviewer = world
        client.force_login(interviewer)
        first = interview(own_b)
        send(client, [first])
        campaign.status = "review"
        campaign.save()
        _, data = send(client, [first, interview(own_b)])
        assert [r["status"] for r in data["results"]] == ["already", "closed"]
        assert data["results"][1]["message"] == (
            f"Сбор данных по кампании «{campaign}» завершён: интервью не принято. Оно сохранено "
            "на этом устройстве — выгрузите файл и передайте его оператору.")
        assert Response.objects.count() == 1

    def test_an_assignment_withdrawn_while_offline_flags_the_interview_it_does_not_lose_it(
        self, client, world
    ):
        _, own_b, _, interviewer = world
        client.force_login(interviewer)
        client.get(reverse("fieldwork:app_bundle") + f"?device={DEVICE}")  # loaded online
        InterviewerAssignment.objects.filter(interviewer=interviewer).delete()
        _, data = send(client, [interview(own_b)])
        assert data["results"][0]["status"] == "stored"
        assert Flag.objects.get().kind == "outside_assignment"

    def test_a_body_that_is_not_the_apps_is_refused_in_russian(self, client, world):
        client.force_login(world[3])
        answer = client.post(reverse("fieldwork:app_sync"), "не json",
                             content_type="application/json")
        assert answer.status_code == 400
        assert answer.json()["error"].startswith("Данные интервью не прочитаны")


class DevicesAtTheCloseTests:
    def test_the_move_to_review_lists_devices_that_may_hold_interviews(self, client, personas,
                                                                       world):
        campaign, own_b, _, interviewer = world
        petrov = make_interviewer("petrov", personas.org_b)
        device_seen(interviewer=interviewer, key=uuid.uuid4(), label="Планшет 1", loaded=[own_b],
                    waiting={str(own_b.pk): 3})
        device_seen(interviewer=petrov, key=uuid.uuid4(), label="Телефон", loaded=[own_b],
                    waiting={})  # everything sent, just now: not listed
        silent = device_seen(interviewer=petrov, key=uuid.uuid4(), label="Планшет 2",
                             loaded=[own_b])
        Device.objects.filter(pk=silent.pk).update(last_seen=timezone.now() - dt.timedelta(days=2))
        listed = [(d.interviewer, d.label, d.waiting, d.silent) for d in unsynced_devices(campaign)]
        assert listed == [("petrov", "Планшет 2", 0, True), ("ivanova", "Планшет 1", 3, False)]
        client.force_login(personas.operator)
        url = reverse("scores:close", args=[campaign.pk])
        page = client.get(url).content.decode()
        assert "Устройства интервьюеров, которые могут хранить неотправленные интервью" in page
        assert "Планшет 1" in page and "давно не на связи" in page
        done = client.post(url, follow=True).content.decode()
        assert "Интервью с этих устройств больше не принимаются" in done
        assert "ivanova (Планшет 1, ждут отправки: 3)" in done


class InstallableAppTests:
    def test_the_manifest_and_the_service_worker_need_no_session(self, client):
        manifest = client.get(reverse("fieldwork:app_manifest"))
        assert manifest["Content-Type"] == "application/manifest+json"
        data = manifest.json()
        assert (data["start_url"], data["scope"], data["display"]) == (
            "/fieldwork/app/", "/fieldwork/app/", "standalone")
        assert [i["sizes"] for i in data["icons"]] == ["192x192", "512x512"]
        worker = client.get(reverse("fieldwork:app_sw"))
        body = worker.content.decode()
        assert worker["Content-Type"].startswith("text/javascript")
        assert '"/fieldwork/app/"' in body and '"/static/fieldwork/app.js"' in body
        # Only the site's own scripts (no CDN), the worker included.
        policy = client.get(reverse("fieldwork:app_manifest"))["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "http" not in policy.split("script-src")[1]

    def test_the_page_loads_only_the_sites_own_files(self, client, world):
        client.force_login(world[3])
        html = client.get(reverse("fieldwork:app")).content.decode()
        assert 'rel="manifest" href="/fieldwork/app/manifest.webmanifest"' in html
        assert "<script>" not in html and "style=" not in html and "https://" not in html
        assert client.cookies.get("csrftoken") is not None  # the app's sync sends it back
