"""Hostile workbooks built in the tests (issue 8, item 1): small files that ask a spreadsheet
reader for gigabytes. Each is a real ZIP archive, written part by part so that a part's
compressed stream and its declared sizes can be chosen freely.

- ``far_cell_at_data_path``: one cell at XFD1048576, the sheet stored at ``xl/data/sheet1.xml``
  (not under ``xl/worksheets/``): calamine allocated 512 GB for it;
- ``sheet_without_r``: a row of 16,384 cells and 100,001 rows, none with an ``r=`` attribute
  (calamine places them one after another): 51 GB;
- ``shared_strings_bomb``: 1.2 million shared strings of 1,000 characters, 1.2 MB packed,
  1.26 GB unpacked;
- ``huge_sheet``: a sheet of 1 GB of rows, 3 MB packed;
- ``understated_sheet``: the same 1 GB sheet whose archive declares 2 KB (a reader trusting
  the declared sizes meets the gigabyte only while parsing).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from functools import cache

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = b"http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Part:
    name: str
    packed: bytes  # raw deflate stream
    crc: int
    size: int  # real unpacked size
    declared: int | None = None  # the size written in the archive, if it lies


def deflated(name: str, data: bytes) -> Part:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Part(name, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))


def _times(matrix: list[int], vector: int) -> int:
    total, index = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """The CRC-32 of A + B from those of A and B (zlib's crc32_combine, in GF(2))."""
    if length2 == 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = [_times(odd, odd[n]) for n in range(32)]
    odd = [_times(even, even[n]) for n in range(32)]
    while True:
        even = [_times(odd, odd[n]) for n in range(32)]
        if length2 & 1:
            crc1 = _times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = [_times(even, even[n]) for n in range(32)]
        if length2 & 1:
            crc1 = _times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def crc32_repeated(block: bytes, times: int, crc: int = 0) -> int:
    """The CRC-32 of ``block * times`` appended to data whose CRC is ``crc``, without
    computing over gigabytes: by doubling."""
    power, power_length = zlib.crc32(block), len(block)  # block * 2**k
    while times:
        if times & 1:
            crc = crc32_combine(crc, power, power_length)
        power = crc32_combine(power, power, power_length)
        power_length *= 2
        times >>= 1
    return crc


def repeated(name: str, head: bytes, block: bytes, times: int, tail: bytes,
             declared: int | None = None) -> Part:
    """``head + block * times + tail`` compressed without ever holding it: after a full flush
    the compressor starts afresh, so the packed block is the same every time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    packed_block = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    assert packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH) == packed_block
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(tail, crc32_repeated(block, times, zlib.crc32(head)))
    return Part(name, start + packed_block * times + end, crc,
                len(head) + len(block) * times + len(tail), declared)


def archive(parts: list[Part]) -> bytes:
    """A ZIP archive of deflated parts (local headers, data, central directory)."""
    out = bytearray()
    central = bytearray()
    for part in parts:
        name = part.name.encode()
        size = part.size if part.declared is None else part.declared
        offset = len(out)
        fields = (20, 0, 8, 0, 0, part.crc, len(part.packed), size, len(name))
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0) + name + part.packed
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0,
                               offset) + name
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central),
                      len(out), 0)
    return bytes(out + central + end)


def workbook_parts(sheet_path: str = "xl/worksheets/sheet1.xml",
                   shared_strings: bool = False) -> list[Part]:
    """Every part of a one-sheet workbook except the sheet (and the shared strings)."""
    types = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
             b'.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
             b'/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentTy'
             b'pe="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="applicati'
             b'on/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override Part'
             b'Name="/' + sheet_path.encode() + b'" ContentType="application/vnd.openxmlformats-o'
             b'fficedocument.spreadsheetml.worksheet+xml"/></Types>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + PKG_REL + b'">'
            b'<Relationship Id="rId1" Type="' + REL + b'/officeDocument" Target="xl/workbook.xml"'
            b'/></Relationships>')
    book = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="' + MAIN + b'" xmlns:r="'
            + REL + b'"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    strings = (b'<Relationship Id="rId2" Type="' + REL + b'/sharedStrings" '
               b'Target="sharedStrings.xml"/>') if shared_strings else b""
    book_rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="' + PKG_REL + b'">'
                 b'<Relationship Id="rId1" Type="' + REL + b'/worksheet" Target="/'
                 + sheet_path.encode() + b'"/>' + strings + b"</Relationships>")
    return [deflated("[Content_Types].xml", types), deflated("_rels/.rels", rels),
            deflated("xl/workbook.xml", book), deflated("xl/_rels/workbook.xml.rels", book_rels)]


SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="' + MAIN + b'"><sheetData>'
SHEET_TAIL = b"</sheetData></worksheet>"


def sheet(rows: bytes) -> bytes:
    return SHEET_HEAD + rows + SHEET_TAIL


def small_workbook(rows: bytes, *, sheet_path: str = "xl/worksheets/sheet1.xml") -> bytes:
    return archive([*workbook_parts(sheet_path), deflated(sheet_path, sheet(rows))])


def far_cell_at_data_path() -> bytes:
    return small_workbook(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Наименование</t></is></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'.encode(),
        sheet_path="xl/data/sheet1.xml",
    )


def sheet_without_r() -> bytes:
    return small_workbook(b"<row>" + b"<c/>" * 16_383 + b"<c><v>1</v></c></row>"
                          + b"<row/>" * 100_000 + b"<row><c><v>2</v></c></row>")


@cache
def shared_strings_bomb() -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + MAIN + b'">'
    block = (b"<si><t>" + b"A" * 1000 + b"</t></si>") * 1000
    strings = repeated("xl/sharedStrings.xml", head, block, 1_200, b"</sst>")
    one_cell = sheet(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    return archive([*workbook_parts(shared_strings=True),
                    deflated("xl/worksheets/sheet1.xml", one_cell), strings])


ROW_BLOCK = b'<row><c t="inlineStr"><is><t>xxxxxxxxxxxx</t></is></c></row>' * 16_000


@cache
def huge_sheet() -> bytes:
    part = repeated("xl/worksheets/sheet1.xml", SHEET_HEAD, ROW_BLOCK, 1_100, SHEET_TAIL)
    return archive([*workbook_parts(), part])


@cache
def understated_sheet() -> bytes:
    part = repeated("xl/worksheets/sheet1.xml", SHEET_HEAD, ROW_BLOCK, 1_100, SHEET_TAIL,
                    declared=2_048)
    return archive([*workbook_parts(), part])


def hostile_workbooks() -> dict[str, bytes]:
    return {
        "far_cell_at_data_path": far_cell_at_data_path(),
        "sheet_without_r": sheet_without_r(),
        "shared_strings_bomb": shared_strings_bomb(),
        "huge_sheet": huge_sheet(),
        "understated_sheet": understated_sheet(),
    }
