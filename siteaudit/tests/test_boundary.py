"""The site audit stays framework-free: importing and running it never loads Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class ImportBoundaryTests:
    def test_importing_and_detecting_never_loads_django_or_the_web_application(self):
        code = (
            "import sys, scoring, siteaudit\n"
            "from siteaudit.crawl import Page\n"
            "from datetime import datetime, UTC\n"
            "from siteaudit.parse import parse_html\n"
            "html = b'<html><body><h1>\\xd0\\x9a\\xd0\\xbe\\xd0\\xbd\\xd1\\x82\\xd0\\xb0\\xd0\\xba\\xd1\\x82\\xd1\\x8b</h1></body></html>'\n"
            "page = Page('http://x.ru/', 'http://x.ru/', 0, 'html', 200, 'text/html', html,\n"
            "            datetime.now(UTC), parse_html(html, 'http://x.ru/'))\n"
            "siteaudit.detect(scoring.load_methodology('social-2018'), [page])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'nok', 'config', 'cli')))\n"
        )
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                             check=True, env={"PATH": "/usr/bin:/bin"})
        assert out.stdout.strip() == "[]"
