"""The ZIP of every protocol of a campaign, built in the background by the worker (the real
database queue, ``run_tasks``): progress on the page, one protocol per organization named by
it, the download access-checked, a repeated request showing the job under way, a failure
explained in Russian."""

from __future__ import annotations

import datetime as dt
import html
import os
from typing import Any

import pytest

import documents
from documents.tests.helpers import docx_tables, docx_text, pdf_text, row_with
from nok.reports import services
from nok.reports.models import DocumentJob, JobStatus
from nok.reports.tests.factories import (
    body,
    client_for,
    job_start,
    publish,
    three_organizations,
    url,
    zip_member,
    zip_names,
)
from nok.scores.selectors import campaign_results
from scoring.uncertainty import digits_for, fmt_with_interval

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def campaign(personas, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    return three_organizations(personas)


def page(client: Any, job: DocumentJob) -> str:
    return html.unescape(client.get(url("reports:job", job.pk)).content.decode())


class ZipTests:
    def test_the_worker_builds_one_protocol_per_organization_named_by_it(
            self, campaign, personas, run_tasks) -> None:
        campaign, org_c = campaign
        client = client_for(personas.ministry)
        job = job_start(client, campaign)
        waiting = page(client, job)
        assert "в очереди" in waiting and 'http-equiv="refresh"' in waiting
        assert "<progress" in waiting
        assert run_tasks() == 1
        done = page(client, job)
        assert "готово" in done and 'http-equiv="refresh"' not in done
        assert url("reports:job_download", job.pk) in done
        data = body(client.get(url("reports:job_download", job.pk)))
        names = zip_names(data)
        assert sorted(names) == sorted(f"Протокол — {o.short_name}.docx"
                                       for o in (personas.org_a, personas.org_b, org_c))
        rows = {r.organization_id: r for r in campaign_results(campaign).rows}
        for organization in (personas.org_a, org_c):
            protocol = zip_member(data, f"Протокол — {organization.short_name}.docx")
            assert organization.name in docx_text(protocol)
            row = rows[organization.pk]
            assert row_with(docx_tables(protocol), "Итоговый показатель")[3] == fmt_with_interval(
                row.total, (row.low, row.high), digits_for("criteria-100"))

    def test_the_progress_is_written_after_every_protocol(
            self, campaign, personas, run_tasks, monkeypatch) -> None:
        campaign, _ = campaign
        seen: list[tuple[str, int, int]] = []
        progress = services._progress

        def spy(job: DocumentJob, **fields: Any) -> None:
            progress(job, **fields)
            stored = DocumentJob.objects.get(pk=job.pk)
            seen.append((stored.status, stored.done, stored.total))

        monkeypatch.setattr(services, "_progress", spy)
        job_start(client_for(personas.operator), campaign)
        run_tasks()
        counts = [done for status, done, _ in seen if status == JobStatus.RUNNING]
        assert counts[-3:] == [0, 1, 2]  # before each of the three protocols
        assert seen[-1] == (JobStatus.DONE, 3, 3)

    def test_a_running_job_shows_its_progress_bar_and_refreshes(self, campaign, personas) -> None:
        campaign, _ = campaign
        job = DocumentJob.objects.create(campaign=campaign, kind="protocols_pdf",
                                         status=JobStatus.RUNNING, total=3, done=1,
                                         current="КЦСОН Сормовского района")
        text = page(client_for(personas.council), job)
        assert '<progress max="3" value="1">33 %</progress>' in text
        assert "Готово протоколов: <strong>1</strong> из 3 (33 %)" in text
        assert "Сейчас формируется: КЦСОН Сормовского района" in text
        assert 'http-equiv="refresh"' in text

    def test_asking_again_while_it_runs_shows_the_job_under_way(self, campaign, personas, run_tasks) -> None:
        campaign, _ = campaign
        first = job_start(client_for(personas.ministry), campaign)
        again = job_start(client_for(personas.operator), campaign)
        assert again.pk == first.pk
        assert DocumentJob.objects.count() == 1
        other = job_start(client_for(personas.operator), campaign, "protocols_pdf")
        assert other.pk != first.pk  # the PDF archive is another job
        assert run_tasks() == 2

    def test_a_stalled_job_no_longer_blocks_a_new_one(self, campaign, personas) -> None:
        campaign, _ = campaign
        client = client_for(personas.ministry)
        first = job_start(client, campaign)
        DocumentJob.objects.filter(pk=first.pk).update(
            status=JobStatus.RUNNING, updated_at=first.updated_at - dt.timedelta(minutes=11))
        assert "прервана" in page(client, first)
        assert job_start(client, campaign).pk != first.pk

    def test_the_pdf_archive_prints_each_organizations_total(self, campaign, personas, run_tasks) -> None:
        campaign, org_c = campaign
        client = client_for(personas.council)
        job = job_start(client, campaign, "protocols_pdf")
        run_tasks()
        data = body(client.get(url("reports:job_download", job.pk)))
        text = pdf_text(zip_member(data, f"Протокол — {org_c.short_name}.pdf"))
        assert org_c.name in text
        assert "предварительные результаты по данным на" in text

    def test_an_archive_of_a_published_campaign_prints_the_published_edition(
            self, campaign, personas, run_tasks) -> None:
        campaign, _ = campaign
        snapshot = publish(campaign, personas)
        client = client_for(personas.ministry)
        job = job_start(client, campaign)
        assert job.snapshot_id == snapshot.pk
        run_tasks()
        assert "результаты редакции 1" in page(client, job)
        data = body(client.get(url("reports:job_download", job.pk)))
        protocol = zip_member(data, f"Протокол — {personas.org_a.short_name}.docx")
        text = docx_text(protocol)
        assert f"опубликованные результаты, редакция 1 от {snapshot.created_at:%d.%m.%Y}" in text
        frozen = snapshot.rows.get(organization=personas.org_a)
        assert row_with(docx_tables(protocol), "Итоговый показатель")[3] == fmt_with_interval(
            frozen.total, (frozen.low, frozen.high), digits_for("criteria-100"))

    def test_a_failure_is_explained_in_russian(self, campaign, personas, run_tasks, monkeypatch) -> None:
        campaign, _ = campaign

        def broken(protocol: Any, template: Any = None) -> bytes:
            if protocol.registry.name == personas.org_b.name:
                raise RuntimeError("disk full")
            return b"docx"

        monkeypatch.setattr(documents, "render_protocol_docx", broken)
        client = client_for(personas.ministry)
        job = job_start(client, campaign)
        run_tasks()
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and not job.file
        text = page(client, job)
        assert ("Архив не собран: протокол организации «КЦСОН Сормовского района» не удалось "
                "сформировать (внутренняя ошибка, подробности — в журнале сервера)") in text
        assert "disk full" not in text
        assert "Собрать архив заново" in text

    def test_a_newer_archive_replaces_the_older_file(self, campaign, personas, run_tasks) -> None:
        campaign, _ = campaign
        client = client_for(personas.ministry)
        first = job_start(client, campaign)
        run_tasks()
        first.refresh_from_db()
        path = first.file.path
        second = job_start(client, campaign)
        assert second.pk != first.pk
        run_tasks()
        first.refresh_from_db()
        assert not first.file
        assert not os.path.exists(path)
        assert client.get(url("reports:job_download", first.pk)).status_code == 404
        assert "заменён более новой сборкой" in page(client, first)

    def test_organization_users_cannot_open_the_job_or_its_archive(self, campaign, personas, run_tasks) -> None:
        campaign, _ = campaign
        job = job_start(client_for(personas.ministry), campaign)
        run_tasks()
        client = client_for(personas.org_admin)
        assert client.get(url("reports:job", job.pk)).status_code == 403
        assert client.get(url("reports:job_download", job.pk)).status_code == 403
