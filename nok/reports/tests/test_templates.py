"""The region's own DOCX templates: checked with ``documents.validate_template`` on upload and
refused with every reason in Russian, used for their kind once accepted, undone by going back
to the shipped one; every step in the audit journal."""

from __future__ import annotations

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from documents import shipped_template
from documents.tests.helpers import docx_text
from nok.assessments.tests.factories import assessment_of
from nok.core.models import AuditEntry
from nok.reports.models import DocumentTemplate
from nok.reports.tests.factories import body, client_for, three_organizations, url

pytestmark = pytest.mark.django_db

MARK = "Оформлено по образцу министерства социальной защиты Кузбасса"


def restyled(kind: str) -> bytes:
    """The shipped template with one more paragraph of the region's own at the top."""
    doc = Document(io.BytesIO(shipped_template(kind)))
    doc.paragraphs[0].insert_paragraph_before(MARK)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def fragile(kind: str, short_name: str) -> bytes:
    """A template that fills the sample data but divides by zero for ``short_name``."""
    doc = Document(io.BytesIO(shipped_template(kind)))
    doc.add_paragraph(f"{{{{ 100 / (org.short_name|length - {len(short_name)}) }}}}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def broken() -> bytes:
    """A DOCX that names a misspelt field and lacks the rating's sections."""
    doc = Document()
    doc.add_paragraph("Рейтинг: {{ campaign.title }}, {{ nme }}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(client, kind: str, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client.post(url("reports:template", kind),
                       {"action": "upload", "file": SimpleUploadedFile(name, data)})


class UploadTests:
    def test_a_template_with_mistakes_is_refused_with_every_reason(self, personas) -> None:
        answer = upload(client_for(personas.ministry), "rating", "наш-рейтинг.docx", broken())
        assert answer.status_code == 400
        page = html.unescape(answer.content.decode())
        assert "Шаблон не принят: поле «nme» не существует для шаблона «рейтинг по типам организаций»" in page
        assert "Шаблон не принят: в шаблоне нет поля «sections»" in page
        assert not DocumentTemplate.objects.exists()

    def test_a_file_that_is_not_a_docx_is_refused(self, personas) -> None:
        client = client_for(personas.operator)
        answer = upload(client, "protocol", "протокол.docx", b"\xd0\x9f\xd1\x80\xd0\xbe\xd1\x82")
        assert answer.status_code == 400
        assert "файл не является документом DOCX" in html.unescape(answer.content.decode())
        answer = upload(client, "protocol", "протокол.pdf", b"%PDF-1.4")
        assert "шаблон должен быть документом Word (.docx)" in html.unescape(answer.content.decode())
        assert not DocumentTemplate.objects.exists()

    def test_an_accepted_template_is_used_for_its_kind_and_only_that_kind(self, personas) -> None:
        campaign, _ = three_organizations(personas)
        client = client_for(personas.ministry)
        answer = upload(client, "rating", "рейтинг Кузбасса.docx", restyled("rating"))
        assert answer.status_code == 302
        assert "принят и используется" in html.unescape(client.get(answer["Location"]).content.decode())
        rating = body(client.get(url("reports:campaign_document", campaign.pk, "rating", "docx")))
        assert MARK in docx_text(rating)
        region = body(client.get(url("reports:campaign_document", campaign.pk, "region", "docx")))
        assert MARK not in docx_text(region)
        downloaded = body(client.get(url("reports:template_file", "rating", "region")))
        assert MARK in docx_text(downloaded)

    def test_the_protocol_template_reaches_every_protocol(self, personas) -> None:
        campaign, _ = three_organizations(personas)
        upload(client_for(personas.operator), "protocol", "протокол.docx", restyled("protocol"))
        a = assessment_of(campaign, personas.org_b)
        protocol = body(client_for(personas.outsider).get(
            url("reports:protocol", a.pk, "docx")))
        assert MARK in docx_text(protocol)

    def test_going_back_to_the_shipped_template_is_audited(self, personas) -> None:
        campaign, _ = three_organizations(personas)
        client = client_for(personas.ministry)
        upload(client, "rating", "рейтинг.docx", restyled("rating"))
        answer = client.post(url("reports:template", "rating"), {"action": "reset"})
        assert answer.status_code == 302
        rating = body(client.get(url("reports:campaign_document", campaign.pk, "rating", "docx")))
        assert MARK not in docx_text(rating)
        kept = DocumentTemplate.objects.get()
        assert not kept.active and kept.retired_by == personas.ministry
        entries = AuditEntry.objects.filter(object_type="reports.documenttemplate").order_by("at", "id")
        assert [(e.action, e.user) for e in entries] == [("create", personas.ministry),
                                                        ("update", personas.ministry)]
        assert entries[0].after["filename"] == "рейтинг.docx"
        page = html.unescape(client.get(url("reports:template", "rating")).content.decode())
        assert "Стандартный шаблон" in page and "не используется с" in page

    def test_a_template_that_fails_on_the_regions_data_is_explained_on_the_page(
            self, personas) -> None:
        campaign, _ = three_organizations(personas)
        client = client_for(personas.ministry)
        assert upload(client, "protocol", "хрупкий.docx",
                      fragile("protocol", personas.org_a.short_name)).status_code == 302
        a = assessment_of(campaign, personas.org_a)
        answer = client.get(url("reports:protocol", a.pk, "docx"), follow=True)
        assert answer.status_code == 200
        assert answer.redirect_chain[-1][0] == url("reports:campaign", campaign.pk)
        page = html.unescape(answer.content.decode())
        assert ("Шаблон региона «протокол организации» не удалось заполнить данными организации "
                f"«{personas.org_a.short_name}». Верните стандартный шаблон") in page
        other = assessment_of(campaign, personas.org_b)  # another name: the template works
        assert MARK not in docx_text(body(client.get(url("reports:protocol", other.pk, "docx"))))

    def test_a_new_upload_replaces_the_one_in_use(self, personas) -> None:
        client = client_for(personas.operator)
        upload(client, "plan", "план-1.docx", restyled("plan"))
        upload(client, "plan", "план-2.docx", restyled("plan"))
        assert list(DocumentTemplate.objects.filter(active=True).values_list("filename", flat=True)) \
            == ["план-2.docx"]
        assert DocumentTemplate.objects.count() == 2


class TemplatePagesTests:
    def test_the_page_offers_the_shipped_template_and_lists_the_fields(self, personas) -> None:
        client = client_for(personas.ministry)
        page = html.unescape(client.get(url("reports:template", "protocol")).content.decode())
        assert "Шаблон: протокол организации" in page
        assert url("reports:template_file", "protocol", "shipped") in page
        assert "обязательное" in page and "criteria" in page
        shipped = client.get(url("reports:template_file", "protocol", "shipped"))
        assert body(shipped) == shipped_template("protocol")

    def test_the_council_and_organizations_do_not_manage_templates(self, personas) -> None:
        for user in (personas.council, personas.org_admin):
            client = client_for(user)
            assert client.get(url("reports:templates")).status_code == 403
            assert upload(client, "rating", "r.docx", restyled("rating")).status_code == 403
        assert not DocumentTemplate.objects.exists()

    def test_an_unknown_kind_is_not_found(self, personas) -> None:
        assert client_for(personas.operator).get(url("reports:template", "order")).status_code == 404
