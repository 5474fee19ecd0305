"""The crawler against local sites: limits, robots.txt, redirects, traps, politeness."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

import siteaudit
from siteaudit.crawl import normalize, start_address
from siteaudit.fetch import Fetcher, FetchSettings
from siteaudit.tests.fixtures import site_docs, site_tiny
from siteaudit.tests.fixtures.kit import Resp, html, serve


def settings(**crawl) -> siteaudit.CrawlSettings:
    fetch = crawl.pop("fetch", FetchSettings(delay=0, allow_private=True))
    return siteaudit.CrawlSettings(fetch=fetch, **crawl)


def paths(log: list[str]) -> set[str]:
    return {urlsplit(p).path for p in log}


class CrawlLimitsTests:
    def test_it_reads_no_more_pages_than_allowed(self):
        site = site_tiny.build()
        with serve(site.files) as (base, log):
            result = siteaudit.crawl(base + "/", settings(max_pages=5))
        pages = [p for p in result.pages if not p.url.endswith(".pdf")]
        assert len(pages) == 5
        assert any(reason == "превышено число страниц" for _, reason in result.skipped)

    def test_it_never_goes_deeper_than_the_depth_limit(self):
        # /news/1.html is one click from the start page, each news page links to the next one
        site = site_tiny.build()
        with serve(site.files) as (base, log):
            siteaudit.crawl(base + "/", settings(max_depth=3, max_pages=500))
        requested = paths(log)
        assert {"/news/1.html", "/news/2.html", "/news/3.html"} <= requested
        assert "/news/4.html" not in requested

    def test_an_endless_calendar_is_read_a_bounded_number_of_times(self):
        site = site_tiny.build()
        with serve(site.files) as (base, log):
            siteaudit.crawl(base + "/", settings(max_depth=50, max_pages=500))
        calendar = [p for p in log if p.startswith("/calendar/")]
        assert 1 <= len(calendar) <= 5

    def test_pages_linking_to_each_other_are_read_once(self):
        site = site_tiny.build()
        with serve(site.files) as (base, log):
            siteaudit.crawl(base + "/", settings(max_pages=500))
        assert log.count("/a.html") == 1 and log.count("/b.html") == 1

    def test_a_page_over_the_size_cap_is_not_loaded(self):
        files = {"/": html('<html><body><a href="/big.html">big</a></body></html>'),
                 "/big.html": html("<html><body>" + "x" * 300_000 + "</body></html>")}
        with serve(files) as (base, _):
            fetch = FetchSettings(delay=0, allow_private=True, max_bytes=100_000)
            result = siteaudit.crawl(base + "/", settings(fetch=fetch))
        big = next(p for p in result.pages if p.url.endswith("/big.html"))
        assert big.kind == "error" and "не загружено" in big.error


class CrawlRulesTests:
    def test_it_obeys_robots_txt(self):
        site = site_docs.build()
        with serve(site.files) as (base, log):
            result = siteaudit.crawl(base + "/", settings())
        assert "/robots.txt" in log
        assert not any(p.startswith("/private/") for p in log)
        assert any(url.endswith("/private/nok/") and reason == "запрещено robots.txt"
                   for url, reason in result.skipped)

    def test_it_follows_redirects_inside_the_site(self):
        site = site_docs.build()
        with serve(site.files) as (base, log):
            result = siteaudit.crawl(base + "/", settings())
        about = next(p for p in result.pages if p.url.endswith("/about"))
        assert about.kind == "html" and about.final_url.endswith("/o-nas/")
        assert result.pages[0].final_url.endswith("/main/")

    def test_it_never_follows_a_redirect_or_a_link_to_another_site(self):
        site = site_docs.build()
        with serve({}) as (trap, trap_log), serve(site.files, trap) as (base, _):
            result = siteaudit.crawl(base + "/", settings())
        reception = next(p for p in result.pages if p.url.endswith("/priemnaya/"))
        assert reception.kind == "error" and "за пределы сайта" in reception.error
        assert trap_log == []

    def test_an_old_site_is_read_through_its_meta_refresh_and_frames(self):
        files = {
            "/": html('<html><head><meta http-equiv="refresh" content="0;url=/frames.html"></head></html>'),
            "/frames.html": html('<html><frameset><frame src="/menu.html"><frame src="/body.html">'
                                 "</frameset></html>"),
            "/menu.html": html('<html><body><a href="/contacts.html">Контакты</a></body></html>'),
            "/body.html": html("<html><body><p>Добро пожаловать</p></body></html>"),
            "/contacts.html": html("<html><body><p>Телефон 8 (8142) 12-34-56</p></body></html>"),
        }
        with serve(files) as (base, log):
            siteaudit.crawl(base + "/", settings())
        assert {"/frames.html", "/menu.html", "/body.html", "/contacts.html"} <= set(log)

    def test_a_missing_robots_txt_allows_everything(self):
        files = {"/": html('<html><body><a href="/a/">a</a></body></html>'),
                 "/a/": html("<html><body>a</body></html>")}
        with serve(files) as (base, log):
            result = siteaudit.crawl(base + "/", settings())
        assert [p.kind for p in result.pages] == ["html", "html"]

    def test_a_robots_txt_with_a_server_error_forbids_everything(self):
        files = {"/": html("<html><body>x</body></html>"),
                 "/robots.txt": Resp(b"oops", 500, {"Content-Type": "text/plain"})}
        with serve(files) as (base, log):
            result = siteaudit.crawl(base + "/", settings())
        assert result.pages == []
        assert any("robots.txt" in reason for _, reason in result.skipped)

    def test_it_waits_between_two_requests_to_the_same_host(self):
        stamps: list[float] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                stamps.append(time.monotonic())
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<html><body>ok</body></html>")

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/"
            with Fetcher(FetchSettings(delay=0.3, allow_private=True)) as fetcher:
                fetcher.get(url)
                fetcher.get(url + "x")
        finally:
            server.shutdown()
            server.server_close()
        assert stamps[1] - stamps[0] >= 0.29

    def test_an_unreachable_site_is_a_clear_error(self):
        with pytest.raises(siteaudit.SiteUnreachable, match="недоступен"):
            siteaudit.crawl("http://127.0.0.1:9/", settings())

    def test_a_start_page_answering_404_is_a_clear_error(self):
        with serve({}) as (base, _), pytest.raises(siteaudit.SiteUnreachable, match="404"):
            siteaudit.crawl(base + "/", settings())


class AddressTests:
    @pytest.mark.parametrize(("raw", "expected"), [
        ("kcson.ru", "http://kcson.ru/"),
        ("HTTPS://Www.Kcson.RU:443/about#team", "https://www.kcson.ru/about"),
        ("http://kcson.ru:8080", "http://kcson.ru:8080/"),
        ("  http://kcson.ru/a?b=1  ", "http://kcson.ru/a?b=1"),
    ])
    def test_the_start_address_is_normalized(self, raw, expected):
        assert start_address(raw) == expected

    @pytest.mark.parametrize("raw", ["", "ftp://kcson.ru/", "http://", "http://kcson.ru:99999/"])
    def test_it_rejects_what_is_not_a_web_address(self, raw):
        with pytest.raises(siteaudit.BadAddress):
            start_address(raw)

    def test_normalize_drops_the_fragment_and_the_default_port(self):
        assert normalize("HTTP://Example.RU:80/A#x") == "http://example.ru/A"


@pytest.fixture
def https_site(tmp_path):  # type: ignore[no-untyped-def]
    """The fixture site of the tiny day-care department over HTTPS with a self-signed
    certificate for 127.0.0.1; yields its address and the certificate's path."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with serve(site_tiny.build().files, tls=context) as (base, _):
        yield base, str(cert)


class TlsTests:
    def test_a_certificate_from_an_unknown_root_is_a_clear_error(self, https_site):
        base, _ = https_site
        assert base.startswith("https://")
        with pytest.raises(siteaudit.SiteUnreachable, match="сертификат сайта не удалось проверить"):
            siteaudit.crawl(base + "/", settings())

    def test_an_extra_root_certificate_lets_the_audit_through(self, https_site):
        base, cert = https_site
        fetch = FetchSettings(delay=0, allow_private=True, ca_file=cert)
        result = siteaudit.crawl(base + "/", settings(fetch=fetch))
        assert result.pages[0].kind == "html" and result.pages[0].status == 200

    def test_an_unreadable_root_certificate_file_is_named(self, tmp_path):
        fetch = FetchSettings(delay=0, allow_private=True, ca_file=str(tmp_path / "missing.pem"))
        with pytest.raises(siteaudit.SiteAuditError, match="missing.pem"):
            siteaudit.crawl("http://127.0.0.1:9/", settings(fetch=fetch))
