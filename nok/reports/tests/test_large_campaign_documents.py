"""A campaign larger than ``NOK_DOCUMENTS_DIRECT_LIMIT`` gets its rating and regional report
from a background job (the real database queue, ``run_tasks``) instead of the request: the
download link offers to make it, the job makes the same document a small campaign downloads
at once, the made file of frozen results is served to everyone allowed, and an organization
user may ask for the published ones only."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import unquote

import pytest
from django.contrib.messages import get_messages

from documents.tests.helpers import docx_tables, pdf_text
from nok.reports.models import DocumentJob, JobStatus
from nok.reports.tests.factories import (
    body,
    client_for,
    job_start,
    publish,
    three_organizations,
    url,
    xlsx_sheet,
)
from nok.scores.selectors import campaign_results

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def campaign(personas, settings, tmp_path):  # type: ignore[no-untyped-def]
    """Three organizations, with the limit set at two: «large»."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.NOK_DOCUMENTS_DIRECT_LIMIT = 2
    campaign, _ = three_organizations(personas)
    return campaign


def page(client: Any, address: str) -> str:
    answer = client.get(address)
    assert answer.status_code == 200, answer.status_code
    return html.unescape(answer.content.decode())


class LargeCampaignTests:
    def test_the_download_link_offers_the_background_job_instead_of_rendering(
            self, campaign, personas) -> None:
        client = client_for(personas.ministry)
        answer = client.get(url("reports:campaign_document", campaign.pk, "rating", "xlsx"))
        assert answer.status_code == 302
        assert answer["Location"] == url("reports:campaign", campaign.pk)
        assert any("формируется в фоне" in str(m) for m in get_messages(answer.wsgi_request))
        text = page(client, url("reports:campaign", campaign.pk))
        assert "Сформировать XLSX" in text and "Сформировать PDF" in text
        assert "В кампании 3 организации" in text
        assert not DocumentJob.objects.exists()

    def test_the_job_makes_the_rating_the_campaign_pages_show(
            self, campaign, personas, run_tasks) -> None:
        client = client_for(personas.ministry)
        job = job_start(client, campaign, "rating_xlsx")
        assert job.status == JobStatus.QUEUED and job.total == 3 and job.snapshot is None
        waiting = page(client, url("reports:job", job.pk))
        assert "Рейтинг организаций (XLSX)" in waiting and "в очереди" in waiting
        assert run_tasks() == 1
        job.refresh_from_db()
        assert job.status == JobStatus.DONE and job.done == 3, job.error
        done = page(client, url("reports:job", job.pk))
        assert "Скачать (XLSX" in done and "Организаций в документе: 3" in done
        data = body(client.get(url("reports:job_download", job.pk)))
        rows = xlsx_sheet(data, "Для аналитиков")
        by_name = {str(r[1]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
        results = campaign_results(campaign)
        assert len(by_name) == len(results.rows) == 3
        for row in results.rows:
            assert by_name[row.name]["Место"] == row.place
        # fieldwork data changes: the page says when the file was made and offers a new one
        text = page(client, url("reports:campaign", campaign.pk))
        assert "по данным на" in text and "Обновить XLSX" in text

    def test_a_frozen_document_made_once_is_served_by_its_download_link(
            self, campaign, personas, run_tasks) -> None:
        snapshot = publish(campaign, personas)
        client = client_for(personas.operator)
        job = job_start(client, campaign, "region_pdf")
        assert job.snapshot_id == snapshot.pk
        assert run_tasks() == 1
        answer = client.get(url("reports:campaign_document", campaign.pk, "region", "pdf"))
        # named as its direct download is, not after the job
        name = unquote(answer["Content-Disposition"].split("''", 1)[1])
        assert name == f"НОК {campaign.year} — сводный отчёт.pdf"
        made = body(answer)
        assert made.startswith(b"%PDF")
        assert "Сводный отчёт" in pdf_text(made)
        assert made == body(client.get(url("reports:job_download", job.pk)))
        text = page(client, url("reports:campaign", campaign.pk))
        assert "Сформировать PDF" not in text  # ready: nothing to make
        assert "Сформировать DOCX" in text

    def test_a_draft_made_during_a_correction_keeps_the_published_file(
            self, campaign, personas, run_tasks) -> None:
        from nok.scores import services as publication

        publish(campaign, personas)
        ministry = client_for(personas.ministry)
        published = job_start(ministry, campaign, "rating_docx")
        assert run_tasks() == 1
        publication.campaign_reopen(campaign=campaign, user=personas.ministry, reason="опечатка")
        draft = job_start(ministry, campaign, "rating_docx")
        assert draft.snapshot is None and draft.pk != published.pk
        assert run_tasks() == 1
        published.refresh_from_db()
        assert published.file  # the organization still downloads the published rating
        served = body(client_for(personas.org_admin).get(
            url("reports:campaign_document", campaign.pk, "rating", "docx")))
        assert served == body(ministry.get(url("reports:job_download", published.pk)))

    def test_asking_twice_shows_the_job_under_way(self, campaign, personas) -> None:
        client = client_for(personas.operator)
        first = job_start(client, campaign, "rating_docx")
        again = job_start(client_for(personas.ministry), campaign, "rating_docx")
        assert again.pk == first.pk
        assert DocumentJob.objects.count() == 1

    def test_a_small_campaign_renders_at_once_and_needs_no_job(
            self, campaign, personas, settings) -> None:
        settings.NOK_DOCUMENTS_DIRECT_LIMIT = 300
        client = client_for(personas.operator)
        answer = client.post(url("reports:job_start", campaign.pk), {"kind": "rating_docx"})
        assert answer.status_code == 302
        assert any("формируются сразу" in str(m) for m in get_messages(answer.wsgi_request))
        assert not DocumentJob.objects.exists()
        tables = docx_tables(body(client.get(
            url("reports:campaign_document", campaign.pk, "rating", "docx"))))
        assert tables


class OrganizationUserTests:
    def test_before_publication_it_may_not_ask_for_the_rating(self, campaign, personas) -> None:
        client = client_for(personas.org_admin)
        answer = client.post(url("reports:job_start", campaign.pk), {"kind": "rating_xlsx"})
        assert answer.status_code == 403
        assert not DocumentJob.objects.exists()

    def test_it_asks_for_the_published_rating_and_downloads_it_without_seeing_who_else_asked(
            self, campaign, personas, run_tasks) -> None:
        snapshot = publish(campaign, personas)
        staff_job = job_start(client_for(personas.ministry), campaign, "rating_xlsx")
        assert run_tasks() == 1
        client = client_for(personas.org_admin)
        # the ministry's file of the published results is the organization's download too
        served = body(client.get(url("reports:campaign_document", campaign.pk, "rating", "xlsx")))
        assert served == body(client.get(url("reports:job_download", staff_job.pk)))
        own = job_start(client, campaign, "region_docx")
        assert own.snapshot_id == snapshot.pk
        text = page(client, url("reports:job", staff_job.pk))
        name = personas.ministry.get_full_name() or personas.ministry.username
        assert name not in text

    def test_it_sees_no_archive_of_protocols(self, campaign, personas) -> None:
        publish(campaign, personas)
        archive = job_start(client_for(personas.operator), campaign, "protocols_docx")
        client = client_for(personas.org_admin)
        assert client.get(url("reports:job", archive.pk)).status_code == 403
        assert client.get(url("reports:job_download", archive.pk)).status_code == 403
        answer = client.post(url("reports:job_start", campaign.pk), {"kind": "protocols_pdf"})
        assert answer.status_code == 403

    def test_it_sees_no_job_of_results_not_published(self, campaign, personas) -> None:
        draft = job_start(client_for(personas.operator), campaign, "rating_xlsx")
        publish(campaign, personas)
        client = client_for(personas.org_admin)
        assert client.get(url("reports:job", draft.pk)).status_code == 403
