"""Raw access to the tables of an OpenType/TrueType file or one face of a collection.

fontTools decompiles whole tables into Python objects, which is slow for 30 000-glyph CJK faces;
the subsetters only need the raw bytes of a few tables, so they read the table directory themselves.
"""

from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SfntTables:
    data: bytes | mmap.mmap  # the whole file, mapped (tables of a collection face may lie anywhere in it)
    tables: dict[str, tuple[int, int]]  # tag -> (offset, length) into data
    checksums: dict[str, int] = field(default_factory=dict)  # tag -> checksum from the table directory

    def has(self, tag: str) -> bool:
        return tag in self.tables

    def table(self, tag: str) -> memoryview:
        off, length = self.tables[tag]
        return memoryview(self.data)[off : off + length]


class FontFileError(ValueError):
    """A font file that is not a usable font: truncated, damaged, or not a font at all."""


def face_count(path: Path) -> int:
    """Number of faces in a font file (1 unless it is a collection); ValueError if not a font."""
    with open(path, "rb") as f:
        head = f.read(12)
    if head[:4] == b"ttcf" and len(head) == 12:
        return struct.unpack_from(">I", head, 8)[0]
    if head[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        return 1
    if head[:4] in (b"wOFF", b"wOF2"):
        raise FontFileError(f"{path}: a compressed web font ({head[:4].decode()}), not an OpenType/TrueType "
                            "font: convert it to .otf or .ttf first")
    if head[:2] == b"\x80\x01" or head[:2] == b"%!":
        raise FontFileError(f"{path}: a PostScript Type 1 font, not an OpenType/TrueType font: use the "
                            "face's OpenType (.otf) version")
    raise FontFileError(f"{path}: not an OpenType/TrueType font or collection")


def read_sfnt(path: Path, index: int = 0) -> SfntTables:
    """The table directory of face `index`; FontFileError if the file is not a font, or is cut short
    (a table directory or a table running past the end of the file)."""
    # mapped, not read: a CJK collection is 20-30 MB and only a few of its tables are used
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size < 12:
            raise FontFileError(f"{path}: {size} bytes, too short for a font file")
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    return parse_sfnt(data, index, str(path))


def parse_sfnt(data: bytes | mmap.mmap, index: int = 0, name: str = "font") -> SfntTables:
    """The table directory of face `index` of a font file's bytes (see read_sfnt)."""
    size = len(data)
    try:
        start = 0
        if data[:4] == b"ttcf":
            (count,) = struct.unpack_from(">I", data, 8)
            if not 0 <= index < count:
                raise FontFileError(f"{name}: collection has {count} faces, no face index {index}")
            (start,) = struct.unpack_from(">I", data, 12 + 4 * index)
        elif index != 0:
            raise FontFileError(f"{name}: not a collection, face index must be 0 (got {index})")
        version = data[start : start + 4]
        if version not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
            raise FontFileError(f"{name}: not an OpenType/TrueType font")
        (num,) = struct.unpack_from(">H", data, start + 4)
        tables: dict[str, tuple[int, int]] = {}
        checksums: dict[str, int] = {}
        for i in range(num):
            tag, checksum, off, length = struct.unpack_from(">4sIII", data, start + 12 + 16 * i)
            tag_name = tag.decode("latin-1")
            if off + length > size:
                raise FontFileError(f"{name}: truncated: table {tag_name!r} ends at byte {off + length}, "
                                    f"past the end of the file ({size} bytes)")
            tables[tag_name] = (off, length)
            checksums[tag_name] = checksum
    except struct.error:  # the header or table directory itself is cut off
        raise FontFileError(f"{name}: truncated: the table directory runs past the end of the file "
                            f"({size} bytes)") from None
    return SfntTables(data, tables, checksums)


# The tables the engine reads itself (metrics, cmap, outlines): a damaged one would print wrong or
# blank glyphs without an error anywhere, so their checksums are verified when a face is loaded.
CHECKED_TABLES = ("CFF ", "glyf", "loca", "hmtx", "hhea", "maxp", "cmap")


def verify_checksums(tables: SfntTables, path: Path) -> None:
    """FontFileError naming the first table of CHECKED_TABLES whose checksum does not match the
    table directory's (bytes damaged after the font was made). ~10 ms for a 16 MB CJK CFF table."""
    for tag in CHECKED_TABLES:
        if tag in tables.tables and tag in tables.checksums:
            off, length = tables.tables[tag]
            if _checksum_fast(tables.data, off, length) != tables.checksums[tag]:
                raise FontFileError(f"{path}: damaged: the {tag.strip()!r} table's checksum does not match "
                                    "the font's table directory (the file was changed or corrupted after it "
                                    "was made)")


def _checksum_fast(data, off: int, length: int) -> int:
    """The sfnt checksum (sum of big-endian uint32s, zero-padded) straight over the mapped file."""
    import numpy as np

    whole = length // 4
    total = int(np.frombuffer(data, ">u4", count=whole, offset=off).sum(dtype=np.uint64)) if whole else 0
    tail = bytes(data[off + 4 * whole : off + length])
    if tail:
        total += int.from_bytes(tail + b"\0" * (4 - len(tail)), "big")
    return total & 0xFFFFFFFF


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
        directory += struct.pack(">4sIII", tag.encode("latin-1"), _checksum_fast(block, 0, len(block)),
                                 offset + len(body), len(block))
        body += block + b"\0" * (-len(block) % 4)
    out = bytearray(header + directory + body)
    if head_at is not None:
        adjust = (0xB1B0AFBA - _checksum_fast(out, 0, len(out))) & 0xFFFFFFFF
        struct.pack_into(">I", out, head_at + 8, adjust)
    return bytes(out)
