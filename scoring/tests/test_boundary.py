"""The scoring core stays framework-free."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class ImportBoundaryTests:
    def test_importing_and_scoring_never_loads_django(self):
        code = (
            "import json, sys, scoring\n"
            "doc = json.load(open('examples/seed-001.json', encoding='utf-8'))\n"
            "inp = scoring.parse_assessment(doc)\n"
            "scoring.score(scoring.load_methodology(inp.methodology), inp)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'nok', 'config', 'cli')))\n"
        )
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                             check=True, env={"PATH": "/usr/bin:/bin"})
        assert out.stdout.strip() == "[]"
