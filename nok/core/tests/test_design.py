"""The design system's files: the vendored CSS base is recorded and linked before our own
layer, and the favicon is linked and answers at /favicon.ico."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

STATIC = Path(settings.BASE_DIR) / "static"


class VendoredBaseTests:
    def test_every_vendored_file_is_recorded_with_its_version_and_licence(self) -> None:
        readme = (STATIC / "vendor" / "README.md").read_text(encoding="utf-8")
        css = (STATIC / "vendor" / "modern-normalize" / "modern-normalize.css").read_text(encoding="utf-8")
        version = re.search(r"modern-normalize v(\d+\.\d+\.\d+)", css)
        assert version and f"| modern-normalize | {version.group(1)} |" in readme
        assert (STATIC / "vendor" / "modern-normalize" / "LICENSE").read_text().startswith("MIT License")


class FaviconTests:
    def test_favicon_ico_answers_with_a_redirect_to_the_static_icon(self, db: None) -> None:
        answer = Client().get("/favicon.ico")
        assert answer.status_code == 301
        assert answer["Location"] == f"/{settings.STATIC_URL.strip('/')}/favicon.ico"
        assert (STATIC / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file

    def test_staff_and_public_pages_link_the_svg_icon_and_the_vendored_base(
            self, personas: Any) -> None:
        client = Client()
        client.force_login(personas.operator)
        for html in (client.get("/campaigns/").content.decode(),
                     Client().get("/login/").content.decode()):
            assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in html
            normalize = html.index("vendor/modern-normalize/modern-normalize.css")
            assert normalize < html.index("nok/nok.css")  # our layer comes after the base
