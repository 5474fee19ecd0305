"""The open-data export: `campaign_export` and the download buttons; read back by `nok score`;
exactly the published snapshot after publication; the same figures as the pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cli.__main__ import main as nok
from nok.assessments import services as fieldwork
from nok.assessments.selectors import assessment_protocol
from nok.assessments.tests.factories import (
    assessment_of,
    fill_all_checklists,
    make_campaign,
    respond,
    tick,
)
from nok.organizations.services import organization_update
from nok.scores import selectors, services

pytestmark = pytest.mark.django_db


def export(campaign, tmp_path, fmt="json"):  # type: ignore[no-untyped-def]
    path = tmp_path / f"export.{fmt}"
    call_command("campaign_export", campaign.pk, "--format", fmt, "-o", str(path))
    return path


@pytest.fixture
def campaign(personas):  # type: ignore[no-untyped-def]
    campaign = make_campaign([personas.org_a, personas.org_b], user=personas.operator)
    a, b = assessment_of(campaign, personas.org_a), assessment_of(campaign, personas.org_b)
    fill_all_checklists(a)
    fill_all_checklists(b, premises=("ramps", "parking"), services_n=6)
    for _ in range(4):
        respond(a)
        respond(b, overall="no")
    return campaign


class JsonExportTests:
    def test_nok_score_reproduces_every_exported_figure(self, campaign, tmp_path, capsys) -> None:
        path = export(campaign, tmp_path)
        assert nok(["score", str(path), "--verify"]) == 0
        assert "2 организаций, расчёт совпадает" in capsys.readouterr().out

    def test_it_carries_the_campaign_the_methodology_and_each_assessment_file(
            self, campaign, tmp_path) -> None:
        data = json.loads(export(campaign, tmp_path).read_text(encoding="utf-8"))
        assert data["format"] == "nok-campaign" and data["version"] == 1
        head = data["campaign"]
        assert (head["id"], head["title"], head["source"]) == (campaign.pk, "НОК 2025", "current")
        assert head["methodology"]["slug"] == "social-2018"
        assert head["methodology"]["definition"] == campaign.methodology.definition
        rows = {r.assessment_id: r for r in selectors.campaign_results(campaign).rows}
        for entry in data["organizations"]:
            assert entry["format"] == 1 and entry["methodology"] == "social-2018"
            row = rows[entry["registry"]["assessment_id"]]
            assert entry["results"]["total"] == pytest.approx(row.total)
            assert entry["results"]["place"] == row.place
        # 4 respondents each, with 200 recipients: below the minimum of 80, so no place
        assert all(e["results"]["place"] is None for e in data["organizations"])

    def test_after_publication_it_is_exactly_the_published_snapshot(self, campaign, personas,
                                                                    tmp_path) -> None:
        services.campaign_close_fieldwork(campaign=campaign, user=personas.operator)
        published = services.campaign_publish(
            campaign=campaign, user=personas.ministry,
            exceptions={a.pk: "малая выборка согласована" for a in campaign.assessments.all()})
        campaign.refresh_from_db()
        organization_update(organization=personas.org_a, user=None, data={"recipients_home": 1})
        data = json.loads(export(campaign, tmp_path).read_text(encoding="utf-8"))
        assert data["campaign"]["source"] == "published"
        assert data["campaign"]["methodology"]["sha256"] == published.methodology_sha256
        frozen = {r.assessment_id: r for r in published.rows.all()}
        for entry in data["organizations"]:
            row = frozen[entry["registry"]["assessment_id"]]
            assessment_file = {k: v for k, v in entry.items() if k not in ("registry", "results")}
            assert assessment_file == row.inputs
            assert {k: entry["results"][k] for k in row.results} == row.results
            assert entry["results"]["exception"] == "малая выборка согласована"

    def test_the_download_streams_to_staff_only(self, campaign, personas) -> None:
        url = reverse("scores:export", args=[campaign.pk, "json"])
        client = Client()
        client.force_login(personas.ministry)
        answer = client.get(url)
        assert answer.status_code == 200 and answer.streaming
        assert json.loads(b"".join(answer.streaming_content))["campaign"]["id"] == campaign.pk
        client.force_login(personas.org_admin)
        assert client.get(url).status_code == 403


class CsvExportTests:
    def test_it_has_a_row_per_organization_with_numbers_in_full_precision(self, campaign,
                                                                         tmp_path) -> None:
        text = export(campaign, tmp_path, "csv").read_text(encoding="utf-8")
        assert text.startswith("\ufeff")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        header, body = rows[0], rows[1:]
        assert header[:6] == ["Тип организации", "Место", "Организация", "ИНН",
                              "Муниципальное образование", "Итоговый балл"]
        assert header[6:11] == ["K1", "K2", "K3", "K4", "K5"]
        totals = {r.name: r.total for r in selectors.campaign_results(campaign).rows}
        assert len(body) == 2
        for line in body:
            assert float(line[5]) == totals[line[2]]  # repr() keeps every digit
            assert line[1] == ""  # below the sample minimum: no place
            assert "выборка меньше минимальной" in line[-1]


class XlsxExportTests:
    def test_it_holds_the_rows_of_the_csv_with_numbers_as_numbers(self, campaign, personas,
                                                                tmp_path) -> None:
        import openpyxl

        organization_update(organization=personas.org_a, user=None,
                            data={"recipients_semi_stationary": 4, "recipients_home": 0})
        rows = list(openpyxl.load_workbook(export(campaign, tmp_path, "xlsx"),
                                           read_only=True).active.values)
        text = export(campaign, tmp_path, "csv").read_text(encoding="utf-8").lstrip("\ufeff")
        lines = list(csv.reader(io.StringIO(text)))
        assert list(rows[0]) == lines[0]
        assert len(rows) == len(lines) == 3
        for cells, line in zip(rows[1:], lines[1:], strict=True):
            assert ["" if c is None else c for c in cells] == [
                float(v) if 5 <= i < len(line) - 1 and v else
                int(v) if i == 1 and v else v for i, v in enumerate(line)]
        results = {r.name: r for r in selectors.campaign_results(campaign).rows}
        ranked = {r[2]: r for r in rows[1:]}
        assert ranked["КЦСОН Канавинского района"][1] == 1  # enough responses: a place
        for name, cells in ranked.items():
            assert cells[5] == results[name].total and isinstance(cells[5], float)

    def test_the_download_is_a_workbook_for_staff_only(self, campaign, personas) -> None:
        import openpyxl

        url = reverse("scores:export", args=[campaign.pk, "xlsx"])
        client = Client()
        client.force_login(personas.ministry)
        answer = client.get(url)
        assert answer.status_code == 200 and answer.streaming
        assert answer["Content-Disposition"].startswith("attachment")
        book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
        assert book.sheetnames == ["Открытые данные"]
        assert book.active.max_row == 3
        client.force_login(personas.org_admin)
        assert client.get(url).status_code == 403


class OneDefinitionTests:
    def test_the_protocol_page_the_score_and_the_export_agree(self, personas, tmp_path) -> None:
        # social-2014; org_a: 60 semi-stationary and 140 home recipients. Complaints: a register
        # for the home form only, 9 registered -> 9 / 140 × 100 = 6.43 per 100 (> 5 -> 0).
        # Calls: 3 logged, 2 effective -> 2/3.
        campaign = make_campaign([personas.org_a], slug="social-2014")
        a = assessment_of(campaign, personas.org_a)
        fieldwork.complaints_set(assessment=a, user=None, form="home", registered=9, resolved=5)
        for effective in (True, True, False):
            fieldwork.contact_create(assessment=a, user=None, kind="call", form="home",
                                     date=dt.date(2025, 5, 1), answered=True, effective=effective)
        protocol = assessment_protocol(a)
        page = Client()
        page.force_login(personas.operator)
        html = page.get(reverse("assessments:assessment_protocol", args=[a.pk])).content.decode()
        assert "9/6,4 (55,6 % решено)" in html  # the register: 9 per 6.4 per 100, 5 of 9 solved
        result = selectors.assessment_result(a).result
        data = json.loads(export(campaign, tmp_path).read_text(encoding="utf-8"))
        [entry] = data["organizations"]
        assert protocol.complaints.per_100 == pytest.approx(9 / 140 * 100)
        assert result.measured["02450000016"] == pytest.approx(protocol.complaints.per_100)
        assert entry["values"]["02450000016"] == {"complaints": 9, "recipients": 140}
        assert entry["results"]["indicators"]["02450000016"] == 0
        assert protocol.calls.percent == pytest.approx(200 / 3)
        assert result.measured["0241000009"] == pytest.approx(protocol.calls.percent / 100)
        assert entry["values"]["0241000009"] == {"asked": 3, "yes": 2}

    def test_a_tick_with_every_control_call_unanswered_is_shown_as_a_contradiction(
            self, personas) -> None:
        campaign = make_campaign([personas.org_a])
        a = assessment_of(campaign, personas.org_a)
        tick(a, "remote_channels", ["phone", "email"])
        for _ in range(2):
            fieldwork.contact_create(assessment=a, user=None, kind="call", form="home",
                                     date=dt.date(2025, 5, 1), answered=False, effective=False)
        fieldwork.contact_create(assessment=a, user=None, kind="email", form="home",
                                 date=dt.date(2025, 5, 1), answered=True, effective=False)
        page = Client()
        page.force_login(personas.operator)
        html = page.get(reverse("assessments:assessment_checklists", args=[a.pk])).content.decode()
        assert "ни на один из контрольных звонков не ответили (всего: 2)" in html
        assert "ни на один из контрольных обращений" not in html  # the e-mail was answered
