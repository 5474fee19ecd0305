"""The ministry builds the ZIP of every protocol in real Chromium: the page follows the worker's
progress by itself and offers the archive, which is downloaded and opened."""

from __future__ import annotations

import zipfile

import pytest

from nok.reports.tests.factories import three_organizations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class ZipBrowserTests:
    def test_the_ministry_starts_the_archive_and_downloads_it_when_the_worker_is_done(
        self, personas, login, settings, tmp_path, run_tasks
    ) -> None:
        settings.MEDIA_ROOT = str(tmp_path)
        campaign, org_c = three_organizations(personas)
        page = login(personas.ministry)
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{page.base_url}/campaigns/{campaign.pk}/")
        page.get_by_role("link", name="Документы", exact=True).click()
        page.get_by_role("button", name="Собрать архив: протоколы организаций (DOCX)").click()
        page.wait_for_selector("text=Архив поставлен в очередь")
        assert page.locator("progress").count() == 1
        assert run_tasks() == 1  # the worker builds the archive meanwhile
        link = page.get_by_role("link", name="Скачать архив")
        link.wait_for(timeout=15_000)  # the page refreshes itself while the job runs
        page.screenshot(path=str(tmp_path / "zip-done.png"), full_page=True)
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename.endswith(".zip")
        path = tmp_path / "protocols.zip"
        download.save_as(path)
        with zipfile.ZipFile(path) as archive:
            names = sorted(archive.namelist())
            assert names == sorted(f"Протокол — {o.short_name}.docx"
                                   for o in (personas.org_a, personas.org_b, org_c))
            assert archive.read(names[0])[:2] == b"PK"
        assert refused == []
