"""Reading pages and documents: encodings, blocks, links, forms, PDF and DOCX text."""

from __future__ import annotations

import pytest

from siteaudit.parse import (
    PSEUDO_HEADING,
    DocumentError,
    decode_html,
    parse_docx,
    parse_html,
    parse_pdf,
)
from siteaudit.tests.fixtures.kit import docx_file, pdf, scan_pdf

PAGE = "<html><head>{meta}<title>Контакты</title></head><body><h1>Контакты</h1><p>Телефон приёмной</p></body></html>"


class EncodingTests:
    def test_windows_1251_named_in_the_header(self):
        body = PAGE.format(meta="").encode("cp1251")
        text, encoding = decode_html(body, "text/html; charset=windows-1251")
        assert encoding == "cp1251" and "Телефон приёмной" in text

    def test_windows_1251_named_only_in_a_meta_element(self):
        meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        body = PAGE.format(meta=meta).encode("cp1251")
        assert "Телефон приёмной" in decode_html(body, "text/html")[0]

    def test_html5_meta_charset(self):
        body = PAGE.format(meta='<meta charset="windows-1251">').encode("cp1251")
        assert decode_html(body, "")[1] == "cp1251"

    def test_undeclared_utf8_and_undeclared_windows_1251(self):
        assert decode_html(PAGE.format(meta="").encode("utf-8"), "")[1] == "utf-8"
        assert "приёмной" in decode_html(PAGE.format(meta="").encode("cp1251"), "")[0]

    def test_the_header_wins_over_the_meta_element(self):
        body = PAGE.format(meta='<meta charset="windows-1251">').encode("utf-8")
        assert "приёмной" in decode_html(body, "text/html; charset=utf-8")[0]

    def test_a_windows_1251_page_wrongly_served_as_utf8_is_still_read(self):
        meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        body = PAGE.format(meta=meta).encode("cp1251")
        text, encoding = decode_html(body, "text/html; charset=utf-8")
        assert encoding == "cp1251" and "Телефон приёмной" in text

    def test_a_byte_order_mark_wins(self):
        body = b"\xef\xbb\xbf" + PAGE.format(meta="").encode("utf-8")
        assert decode_html(body, "text/html; charset=windows-1251")[1] == "utf-8"

    def test_an_unknown_charset_falls_back_to_detection(self):
        body = PAGE.format(meta="").encode("utf-8")
        assert decode_html(body, "text/html; charset=x-unknown")[1] == "utf-8"


class HtmlTests:
    def test_menus_and_footers_are_chrome_and_news_items_are_news(self):
        page = parse_html("""<html><body><nav><a href="/a">Документы</a></nav>
<div class="content"><p>Текст</p><div class="news-item"><p>Новость</p></div></div>
<footer><p>Телефон</p></footer></body></html>""".encode(), "http://x.ru/")
        flags = {b.text: (b.chrome, b.news) for b in page.blocks}
        assert flags == {"Документы": (True, False), "Текст": (False, False),
                         "Новость": (False, True), "Телефон": (True, False)}

    def test_a_short_bold_line_is_a_heading_on_a_site_without_headings(self):
        page = parse_html("<html><body><b>Режим работы</b><br>с 9.00 до 17.00</body></html>".encode(),
                          "http://x.ru/")
        assert [(b.text, b.level) for b in page.blocks] == [("Режим работы", PSEUDO_HEADING),
                                                            ("с 9.00 до 17.00", 0)]

    def test_a_link_knows_its_table_row(self):
        page = parse_html("""<html><body><table><tr><td>Устав (скан)</td>
<td><a href="/files/u.pdf">скачать</a></td></tr></table></body></html>""".encode(), "http://x.ru/d/")
        link = page.links[0]
        assert (link.url, link.text, link.context) == ("http://x.ru/files/u.pdf", "скачать",
                                                       "Устав (скан) скачать")

    def test_a_form_to_type_in_is_told_from_a_search_box(self):
        page = parse_html(b"""<html><body><form><input name="q" type="text"></form>
<form><input type="text" name="n"><textarea name="t"></textarea></form></body></html>""",
                          "http://x.ru/")
        assert [(f.fields, f.text_input) for f in page.forms] == [(1, True), (2, True)]

    def test_widget_marks_are_collected_from_attributes_and_scripts(self):
        page = parse_html("""<html><head><script src="https://pos.gosuslugi.ru/bin/script.min.js"></script>
</head><body><a href="#" class="bvi-open">Версия для слабовидящих</a></body></html>""".encode(),
                          "http://x.ru/")
        values = {m.value for m in page.markers}
        assert {"https://pos.gosuslugi.ru/bin/script.min.js", "bvi-open"} <= values

    def test_a_meta_refresh_and_frames_are_links(self):
        page = parse_html(b"""<html><head><meta http-equiv="Refresh" content="0; URL=/main/index.html">
</head><frameset><frame src="menu.html"><frame src="/content.html"></frameset></html>""",
                          "http://x.ru/old/")
        assert [link.url for link in page.links] == [
            "http://x.ru/main/index.html", "http://x.ru/old/menu.html", "http://x.ru/content.html"]

    def test_broken_markup_does_not_raise(self):
        page = parse_html(b"<html><body><p>\xff\xfe<<<a href='http://[::1'>x</p", "http://x.ru/")
        assert page.blocks


class DocumentTests:
    def test_pdf_text_is_extracted(self):
        page = parse_pdf(pdf("Устав государственного учреждения", title="Устав"))
        assert "Устав государственного учреждения" in page.text and page.title == "Устав"

    def test_a_scan_has_no_text_but_is_a_document(self):
        assert parse_pdf(scan_pdf()).blocks == []

    def test_docx_text_is_extracted(self):
        page = parse_docx(docx_file("Правила внутреннего распорядка", "1. Общие положения"))
        assert page.text == "Правила внутреннего распорядка\n1. Общие положения"

    @pytest.mark.parametrize("reader", [parse_pdf, parse_docx])
    def test_a_damaged_document_is_a_clear_error(self, reader):
        with pytest.raises(DocumentError, match="не удалось прочитать"):
            reader(b"%PDF-1.4 garbage" if reader is parse_pdf else b"PK\x03\x04garbage")
