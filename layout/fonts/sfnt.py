"""Raw access to the tables of an OpenType/TrueType file or one face of a collection.

fontTools decompiles whole tables into Python objects, which is slow for 30 000-glyph CJK faces;
the subsetters only need the raw bytes of a few tables, so they read the table directory themselves.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SfntTables:
    data: bytes | mmap.mmap  # the whole file, mapped (tables of a collection face may lie anywhere in it)
    tables: dict[str, tuple[int, int]]  # tag -> (offset, length) into data

    def has(self, tag: str) -> bool:
        return tag in self.tables

    def table(self, tag: str) -> memoryview:
        off, length = self.tables[tag]
        return memoryview(self.data)[off : off + length]


def face_count(path: Path) -> int:
    """Number of faces in a font file (1 unless it is a collection); ValueError if not a font."""
    with open(path, "rb") as f:
        head = f.read(12)
    if head[:4] == b"ttcf" and len(head) == 12:
        return struct.unpack_from(">I", head, 8)[0]
    if head[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return 1
    raise ValueError(f"{path}: not an OpenType/TrueType font or collection")


def read_sfnt(path: Path, index: int = 0) -> SfntTables:
    # mapped, not read: a CJK collection is 20-30 MB and only a few of its tables are used
    with open(path, "rb") as f:
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    start = 0
    if data[:4] == b"ttcf":
        (count,) = struct.unpack_from(">I", data, 8)
        if not 0 <= index < count:
            raise ValueError(f"{path}: collection has {count} faces, no face index {index}")
        (start,) = struct.unpack_from(">I", data, 12 + 4 * index)
    elif index != 0:
        raise ValueError(f"{path}: not a collection, face index must be 0 (got {index})")
    version = data[start : start + 4]
    if version not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise ValueError(f"{path}: not an OpenType/TrueType font")
    (num,) = struct.unpack_from(">H", data, start + 4)
    tables: dict[str, tuple[int, int]] = {}
    for i in range(num):
        tag, _checksum, off, length = struct.unpack_from(">4sIII", data, start + 12 + 16 * i)
        tables[tag.decode("latin-1")] = (off, length)
    return SfntTables(data, tables)


def _checksum(block: bytes) -> int:
    padded = block + b"\0" * (-len(block) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def write_sfnt(tables: dict[str, bytes], version: bytes = b"\x00\x01\x00\x00") -> bytes:
    """A complete sfnt file from raw tables (sorted tags, 4-byte aligned, checksums fixed)."""
    tags = sorted(tables)
    num = len(tags)
    entry_selector = max(num.bit_length() - 1, 0)
    search_range = (1 << entry_selector) * 16
    header = struct.pack(">4sHHHH", version, num, search_range, entry_selector, num * 16 - search_range)
    offset = 12 + 16 * num
    directory = b""
    body = b""
    head_at = None
    for tag in tags:
        block = tables[tag]
        if tag == "head":  # checkSumAdjustment must be zero while summing
            block = block[:8] + b"\0\0\0\0" + block[12:]
            head_at = offset + len(body)
        directory += struct.pack(">4sIII", tag.encode("latin-1"), _checksum(block), offset + len(body), len(block))
        body += block + b"\0" * (-len(block) % 4)
    out = bytearray(header + directory + body)
    if head_at is not None:
        adjust = (0xB1B0AFBA - _checksum(bytes(out))) & 0xFFFFFFFF
        struct.pack_into(">I", out, head_at + 8, adjust)
    return bytes(out)
