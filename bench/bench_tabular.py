"""Benchmark: what reading an uploaded table costs (``nok.core.tabular.read_rows``).

An XLSX is parsed in a child process (scan of the archive, then python-calamine, rows streamed
back as JSON lines); this prints what that costs against calamine called in this process:
- a small workbook (a header and 3 rows), read ``--repeat`` times: median wall time per read,
  CPU time of the child per read;
- a form-service export of ``--rows`` rows (default 50,000) x 16 columns (a date and time, 14
  answers, a free-text answer): wall time, rows/s, the child's CPU time and peak memory, and
  the same sheet read by calamine in this process;
- the same rows as a UTF-8 CSV and a Windows-1251 CSV (parsed in this process).

No database is needed. Usage:
    .venv/bin/python bench/bench_tabular.py [--rows 50000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nok.core.tabular import read_rows, scan_archive  # noqa: E402

HEADER = ["Отметка времени", "Вы являетесь получателем услуг или его представителем?",
          *[f"{n}. Удовлетворены ли вы качеством обслуживания (вопрос {n})?" for n in range(1, 14)],
          "Ваши предложения по улучшению работы организации"]


def rows_of(count: int) -> list[list[object]]:
    rng = random.Random(7)
    start = datetime(2025, 5, 1, 9, 0)
    body = []
    for n in range(count):
        answers = ["Да" if rng.random() < 0.85 else "Нет" for _ in range(13)]
        text = rng.choice(["", "", "Всё хорошо, спасибо сотрудникам", "Нужен пандус у входа"])
        body.append([start + timedelta(minutes=3 * n), "Получатель услуг", *answers, text])
    return [HEADER, *body]


def xlsx_of(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Ответы")
    when = book.add_format({"num_format": "dd.mm.yyyy hh:mm:ss"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, when)
            else:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def csv_of(rows: list[list[object]], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(
        [[v.strftime("%d.%m.%Y %H:%M:%S") if isinstance(v, datetime) else v for v in row]
         for row in rows])
    return buffer.getvalue().encode(encoding)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def read(name: str, content: bytes) -> tuple[float, float, float, int]:
    """(wall seconds, child CPU seconds, this process's CPU seconds, rows) of one full read."""
    cpu, own = children_cpu(), time.process_time()
    start = time.perf_counter()
    count = sum(1 for _ in read_rows(name, content))
    return (time.perf_counter() - start, children_cpu() - cpu, time.process_time() - own,
            count)


def in_process(content: bytes) -> tuple[float, int]:
    start = time.perf_counter()
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    count = sum(1 for _ in sheet.iter_rows())
    return time.perf_counter() - start, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    small = xlsx_of(rows_of(3))
    runs = [read("small.xlsx", small) for _ in range(args.repeat)]
    walls, cpus, owns = [r[0] for r in runs], [r[1] for r in runs], [r[2] for r in runs]
    calamine_small = statistics.median(in_process(small)[0] for _ in range(args.repeat))
    print(f"small XLSX ({len(small):,} bytes, 4 rows), {args.repeat} reads: "
          f"median {statistics.median(walls) * 1000:.0f} ms wall (best {min(walls) * 1000:.0f} ms), "
          f"child CPU {statistics.median(cpus) * 1000:.0f} ms, "
          f"this process {statistics.median(owns) * 1000:.0f} ms; "
          f"calamine in this process {calamine_small * 1000:.1f} ms")

    rows = rows_of(args.rows)
    big = xlsx_of(rows)
    start = time.perf_counter()
    scan_archive(big)
    scan = time.perf_counter() - start
    wall, cpu, own, count = read("big.xlsx", big)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    direct, direct_count = in_process(big)
    assert count == direct_count == args.rows + 1, (count, direct_count)
    print(f"XLSX of {args.rows:,} rows x {len(HEADER)} columns ({len(big) / 1e6:.1f} MB): "
          f"{wall:.2f} s wall, {count / wall:,.0f} rows/s; child CPU {cpu:.2f} s "
          f"(the archive scan alone: {scan:.2f} s), child peak memory {peak:.0f} MB, "
          f"this process {own:.2f} s CPU; "
          f"calamine in this process {direct:.2f} s ({count / direct:,.0f} rows/s)")

    for encoding in ("utf-8", "cp1251"):
        content = csv_of(rows, encoding)
        wall, _, _, count = read("big.csv", content)
        print(f"CSV {encoding} of {args.rows:,} rows ({len(content) / 1e6:.1f} MB): "
              f"{wall:.2f} s, {count / wall:,.0f} rows/s")


if __name__ == "__main__":
    main()
