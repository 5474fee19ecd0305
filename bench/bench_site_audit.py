"""Quality of the website audit: precision and recall per checklist item over the fixture sites.

    .venv/bin/python bench/bench_site_audit.py [--methodology social-2018]

Serves every fixture site of siteaudit/tests/fixtures/ on 127.0.0.1, audits it and compares
with the site's ground truth. Prints, per item, TP/FP/FN/TN with precision and recall, the
errors by site, the totals, and the time per site (pages read, seconds). Figures only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scoring  # noqa: E402
from siteaudit.tests.fixtures import all_sites  # noqa: E402
from siteaudit.tests.fixtures.evaluate import Tally, audit_sites, tally  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methodology", default="social-2018")
    args = parser.parse_args()
    methodology = scoring.load_methodology(args.methodology)
    sites = all_sites()
    started = time.perf_counter()
    results = []
    for site in sites:
        t0 = time.perf_counter()
        results.extend(audit_sites([site], methodology))
        report = results[-1][1]
        print(f"{site.name:24} {len(report.pages):3} адресов  {time.perf_counter() - t0:5.2f} с  "
              f"— {site.description}")
    elapsed = time.perf_counter() - started
    tallies = tally(results)
    print()
    print(f"{'пункт':36} {'TP':>3} {'FP':>3} {'FN':>3} {'TN':>3}  {'точность':>8}  {'полнота':>7}")
    total = Tally()
    for key, t in tallies.items():
        print(f"{key:36} {t.tp:3} {t.fp:3} {t.fn:3} {t.tn:3}  {t.precision:8.3f}  {t.recall:7.3f}"
              + (f"   {'; '.join(t.misses)}" if t.misses else ""))
        total.tp += t.tp
        total.fp += t.fp
        total.fn += t.fn
        total.tn += t.tn
    print(f"{'всего':36} {total.tp:3} {total.fp:3} {total.fn:3} {total.tn:3}  "
          f"{total.precision:8.3f}  {total.recall:7.3f}")
    worst_p = min(t.precision for t in tallies.values())
    worst_r = min(t.recall for t in tallies.values())
    print(f"\nминимум по пунктам: точность {worst_p:.3f}, полнота {worst_r:.3f}; "
          f"{len(sites)} сайтов, {len(tallies)} пунктов, {elapsed:.1f} с")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
