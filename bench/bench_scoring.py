"""Benchmark of the scoring core: score N synthetic organizations per methodology and rate them.

    .venv/bin/python bench/bench_scoring.py [--n 10000] [--seed 1] [--repeat 5]

Prints organizations per second and total seconds for each methodology (parse + score, then
rate), then scoring alone (already parsed inputs, results not kept) and the headlines alone
(the total, its interval and the reasons for no place: what a campaign's rating is computed
from) in milliseconds per organization, the best of ``--repeat`` passes: the figure least disturbed by a busy machine,
which is what to compare between versions of the scoring core (the 95 % intervals are part of
scoring). No assertions: figures only.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

import scoring

TYPES = ["КЦСОН", "Дом-интернат", "Реабилитационный центр", "Социальный приют", "Дом ветеранов"]
FORMS = ["stationary", "semi_stationary", "home"]


def _count(rng: random.Random, most: int) -> dict[str, int]:
    asked = rng.randint(0, most)
    return {"asked": asked, "yes": rng.randint(0, asked)}


def doc_2018(m: scoring.Methodology, rng: random.Random, i: int) -> dict[str, Any]:
    respondents = rng.randint(10, 200)
    observation: dict[str, Any] = {}
    for checklist in m.checklists:
        keys = [it.key for it in checklist.items]
        if checklist.kind == "items":
            observation[checklist.key] = {"required": len(keys), "present": rng.randint(0, len(keys))}
        else:
            observation[checklist.key] = rng.sample(keys, rng.randint(0, len(keys)))
    return {
        "format": 1, "methodology": m.slug,
        "organization": {"name": f"Организация {i}", "type": rng.choice(TYPES),
                         "forms": rng.sample(FORMS, rng.randint(1, 3)), "recipients": rng.randint(20, 900)},
        "observation": observation,
        "survey": {"respondents": respondents,
                   "answers": {k: _count(rng, respondents) for k in m.answer_keys()}},
    }


def doc_2014(m: scoring.Methodology, rng: random.Random, i: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for ind in m.indicators:
        kind = ind.kind
        if kind in ("share", "negative_share"):
            values[ind.key] = _count(rng, 60)
        elif kind == "score_0_1":
            values[ind.key] = round(rng.random(), 2)
        elif kind == "yes_no":
            values[ind.key] = rng.random() < 0.8
        elif kind == "level3":
            values[ind.key] = rng.choice(["full", "partial", "none"])
        elif kind == "band":
            values[ind.key] = rng.uniform(0, 100)
        elif kind == "waiting_minutes":
            values[ind.key] = rng.uniform(0, 45)
        elif kind == "complaints_per_100":
            values[ind.key] = {"complaints": rng.randint(0, 10), "recipients": rng.randint(50, 500)}
    return {
        "format": 1, "methodology": m.slug,
        "organization": {"name": f"Организация {i}", "type": rng.choice(TYPES),
                         "forms": rng.sample(FORMS, rng.randint(1, 3)), "recipients": None},
        "values": values,
    }


def run(name: str, n: int, seed: int, repeat: int) -> None:
    m = scoring.load_methodology(name)
    rng = random.Random(seed)
    build = doc_2014 if m.scale == "integral" else doc_2018
    docs = [build(m, rng, i) for i in range(n)]
    started = time.perf_counter()
    results = [scoring.score(m, scoring.parse_assessment(d)) for d in docs]
    scored = time.perf_counter()
    rows = scoring.rate(
        scoring.RatingEntry(str(i), r.organization.name if r.organization else "", d["organization"]["type"], r.total)
        for i, (r, d) in enumerate(zip(results, docs, strict=True))
    )
    rated = time.perf_counter()
    total = rated - started
    print(f"{name}: {n} organizations parsed+scored in {scored - started:.2f} s, rated in "
          f"{rated - scored:.3f} s ({len(rows)} rows); total {total:.2f} s = {n / total:,.0f} organizations/s")
    inputs = [scoring.parse_assessment(d) for d in docs]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for inp in inputs:
            scoring.score(m, inp)
        best = min(best, time.perf_counter() - started)
    print(f"{name}: scoring alone {best / n * 1000:.3f} ms/organization (best of {repeat})")
    fast = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        scoring.headlines(m, inputs)
        fast = min(fast, time.perf_counter() - started)
    print(f"{name}: headlines alone (total, interval, reasons) {fast / n * 1000:.3f} "
          f"ms/organization (best of {repeat}), {best / fast:.1f}× faster than scoring")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for name in ("social-2018", "social-2014"):
        run(name, args.n, args.seed, args.repeat)


if __name__ == "__main__":
    main()
