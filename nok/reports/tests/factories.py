"""Campaigns whose documents the tests download, and readers for what they download."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from nok.assessments.models import Campaign
from nok.assessments.tests.factories import (
    assessment_of,
    fill_all_checklists,
    ready_and_short_campaign,
    respond,
    tick,
)
from nok.methodology.services import methodology_load
from nok.organizations.tests.factories import make_organization
from nok.reports.models import DocumentJob
from nok.scores import services
from nok.scores.models import Snapshot


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response: Any) -> bytes:
    """The bytes of a download (a streamed FileResponse)."""
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def three_organizations(personas: Any, *, title: str = "НОК 2025: социальное обслуживание"
                        ) -> tuple[Campaign, Any]:
    """org_a: every checklist complete, 10 respondents of 20 recipients; org_b: one remote
    channel, 3 respondents of 200 (below the sample minimum: no place); org_c, a home of
    another type: every checklist but half of the stand and site items, 30 respondents of 60, a third of them
    dissatisfied."""
    org_c = make_organization("ГБУ «Дом-интернат для престарелых и инвалидов № 3»",
                              short_name="Дом-интернат № 3", type_name="Дом-интернат",
                              has_semi_stationary=False, has_home=False, has_stationary=True,
                              recipients_semi_stationary=0, recipients_home=0,
                              recipients_stationary=60)
    campaign = ready_and_short_campaign(personas, also=(org_c,), title=title)
    c = assessment_of(campaign, org_c)
    fill_all_checklists(c)
    method = methodology_load(campaign.methodology)
    for checklist in method.checklists:
        keys = [item.key for item in checklist.items]
        if checklist.key in ("stand", "site"):
            tick(c, checklist.key, keys[:3], absent=keys[3:])
    for n in range(30):
        respond(c, **({"overall": "no", "recommend": "no"} if n % 3 == 0 else {}))
    return campaign, org_c


def publish(campaign: Campaign, personas: Any) -> Snapshot:
    """Close fieldwork and publish, with a reason for every organization short of a
    precondition."""
    review = services.campaign_close_fieldwork(campaign=campaign, user=personas.operator)
    exceptions = {aid: "опрос продолжается по решению общественного совета"
                  for aid, unmet in review.rows.values_list("assessment_id", "unmet") if unmet}
    return services.campaign_publish(campaign=campaign, user=personas.ministry,
                                     exceptions=exceptions)


def xlsx_sheet(data: bytes, name: str) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


def zip_member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def job_start(client: Client, campaign: Campaign, kind: str = "protocols_docx") -> DocumentJob:
    """The job a POST to the campaign's «Собрать архив» / «Сформировать» started (or showed)."""
    answer = client.post(url("reports:job_start", campaign.pk), {"kind": kind})
    assert answer.status_code == 302, answer.status_code
    return DocumentJob.objects.get(pk=int(answer["Location"].rstrip("/").rsplit("/", 1)[-1]))
