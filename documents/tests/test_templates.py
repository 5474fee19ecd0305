"""Shipped templates render; a region's template is checked before it is accepted."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

import documents
from documents.samples import sample_campaign, sample_region
from documents.templates.build import BUILDERS
from documents.tests.helpers import docx_text


def patched(data: bytes, old: str, new: str) -> bytes:
    """The DOCX with ``old`` replaced by ``new`` in its main text (as a person editing it would)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                assert old.encode() in content
                content = content.replace(old.encode(), new.encode())
            target.writestr(info, content)
    return out.getvalue()


class ShippedTemplateTests:
    @pytest.mark.parametrize("kind", documents.KINDS)
    def test_every_shipped_template_renders_against_sample_data(self, kind: str) -> None:
        assert documents.validate_template(kind, documents.shipped_template(kind)) == []

    def test_every_kind_has_a_template_builder_and_documented_fields(self) -> None:
        assert set(BUILDERS) == set(documents.KINDS) == set(documents.FIELDS)

    def test_the_build_script_writes_the_shipped_text(self) -> None:
        for kind, build in BUILDERS.items():
            out = io.BytesIO()
            build().save(out)
            assert docx_text(out.getvalue()) == docx_text(documents.shipped_template(kind)), kind

    def test_a_restyled_template_is_used_as_given(self) -> None:
        # a region renames the title and keeps the tags
        own = patched(documents.shipped_template("plan"), "ПЛАН", "ПЛАН МЕРОПРИЯТИЙ ОБЛАСТИ")
        assert documents.validate_template("plan", own) == []
        m, region = sample_region()
        plan = documents.build_plan(m, region[0], sample_campaign(m))
        text = docx_text(documents.render_plan_docx(plan, own))
        assert "ПЛАН МЕРОПРИЯТИЙ ОБЛАСТИ" in text
        assert region[0].name in text


class TemplateRefusalTests:
    def test_a_file_that_is_not_a_docx_is_refused(self) -> None:
        assert [str(p) for p in documents.validate_template("protocol", b"%PDF-1.4")] == [
            "файл не является документом DOCX: откройте его в Word и сохраните как "
            "«Документ Word (*.docx)»"]

    def test_a_broken_tag_is_refused_with_the_reason(self) -> None:
        bad = patched(documents.shipped_template("protocol"), "{{ conclusion }}", "{{ conclusion }")
        problems = documents.validate_template("protocol", bad)
        assert [str(p) for p in problems] == [
            "ошибка в тегах шаблона: тег не закрыт или закрыт лишний раз: проверьте парность "
            "{{ }} и {% %}"]

    def test_an_unknown_field_is_named(self) -> None:
        bad = patched(documents.shipped_template("protocol"), "{{ conclusion }}", "{{ итог }}")
        message = str(documents.validate_template("protocol", bad)[0])
        assert message.startswith("поле «итог» не существует для шаблона «протокол организации»")

    def test_a_misspelt_attribute_is_named(self) -> None:
        bad = patched(documents.shipped_template("protocol"), "{{ org.name }}", "{{ org.nme }}")
        assert [str(p) for p in documents.validate_template("protocol", bad)] == [
            "шаблон обращается к несуществующему полю: нет поля «nme»"]

    def test_a_template_of_another_kind_is_refused(self) -> None:
        problems = [str(p) for p in documents.validate_template("rating", documents.shipped_template("plan"))]
        assert problems == [
            "поле «org» не существует для шаблона «рейтинг по типам организаций» (допустимо: "
            "campaign, count, ranges, rule, sections, value_label)",
            "поле «rows» не существует для шаблона «рейтинг по типам организаций» (допустимо: "
            "campaign, count, ranges, rule, sections, value_label)"]

    def test_the_rendered_document_opens(self) -> None:
        doc = Document(io.BytesIO(documents.render_rating_docx(documents.build_rating(*sample_region()))))
        assert doc.tables


class OptionalPartsTests:
    def test_a_template_reading_the_control_protocol_outside_its_if_is_refused(self) -> None:
        bad = patched(documents.shipped_template("protocol"), "{%p if control %}", "{%p if true %}")
        problems = [str(p) for p in documents.validate_template("protocol", bad)]
        assert problems == ["шаблон обращается к несуществующему полю: нет поля «columns»"]

    def test_names_with_markup_characters_are_printed_as_written(self) -> None:
        m, region = sample_region()
        a = region[0]
        named = documents.Assessed(a.key, a.inp, a.result,
                                   documents.Registry(name="ООО «Рога & Копыта» <филиал>", type=a.type),
                                   a.shortcomings, a.insufficient, a.planned)
        for data in (documents.render_protocol_docx(documents.build_protocol(m, named)),
                     documents.render_plan_docx(documents.build_plan(m, named))):
            assert "ООО «Рога & Копыта» <филиал>" in docx_text(data)
