"""Benchmark of the documents: protocols (DOCX, PDF), the rating workbook and the regional report
for N synthetic social-2018 organizations (the generator of bench_scoring).

    .venv/bin/python bench/bench_documents.py [--n 500] [--protocols 20] [--seed 1]

Prints milliseconds per protocol DOCX and PDF (the mean over --protocols organizations, each a
complete document with its chart), the milliseconds to build and write the rating XLSX and DOCX
and the regional DOCX of all N, and the peak memory of the process (ru_maxrss) after each step.
No assertions: figures only.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections.abc import Callable
from typing import Any

from bench_scoring import doc_2018  # the script's folder is on sys.path

import documents
import scoring


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--protocols", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    m = scoring.load_methodology("social-2018")
    rng = random.Random(args.seed)
    ms, assessed = timed(lambda: [
        documents.assess(m, scoring.parse_assessment(doc_2018(m, rng, i)), key=str(i))
        for i in range(args.n)])
    print(f"{args.n} organizations parsed, scored, shortcomings derived: {ms:.0f} ms "
          f"({ms / args.n:.2f} ms each); peak {peak_mb():.0f} MB")
    campaign = documents.Campaign.of(m, name="НОК (бенчмарк)", region="Образцовая область", year=2026)
    region = documents.averages(m, assessed)
    types = documents.type_averages(m, assessed)
    sample = assessed[: args.protocols]
    protocols = [documents.build_protocol(m, a, campaign, region=region, same_type=types[a.type])
                 for a in sample]
    for label, render in (("DOCX", documents.render_protocol_docx),
                          ("PDF", documents.render_protocol_pdf)):
        ms, outputs = timed(lambda render=render: [render(p) for p in protocols])
        size = sum(len(o) for o in outputs) / len(outputs) / 1024
        print(f"protocol {label}: {ms / len(protocols):.0f} ms per organization "
              f"(mean of {len(protocols)}, {size:.0f} KB each); peak {peak_mb():.0f} MB")
    ms, rating = timed(lambda: documents.build_rating(m, assessed, campaign))
    print(f"rating of {args.n} built: {ms:.0f} ms")
    ms, data = timed(lambda: documents.render_rating_xlsx(rating))
    print(f"rating XLSX of {args.n}: {ms:.0f} ms ({len(data) / 1024:.0f} KB); peak {peak_mb():.0f} MB")
    ms, data = timed(lambda: documents.render_rating_docx(rating))
    print(f"rating DOCX of {args.n}: {ms:.0f} ms ({len(data) / 1024:.0f} KB); peak {peak_mb():.0f} MB")
    ms, data = timed(lambda: documents.render_region_docx(documents.build_region(m, assessed, campaign)))
    print(f"regional report DOCX of {args.n}: {ms:.0f} ms ({len(data) / 1024:.0f} KB); "
          f"peak {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
