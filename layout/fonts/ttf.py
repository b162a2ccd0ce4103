"""A lean glyf/loca subsetter for PDF embedding (FontFile2, CIDFontType2 with CIDToGIDMap /Identity).

Glyph ids are kept (the PDF content stream uses source glyph ids as CIDs): unused glyphs become
empty, the font is cut after the highest used glyph, and composite glyphs pull in their components.
Only the tables a PDF renderer needs are written (head, hhea, maxp, hmtx, loca, glyf, and the
hinting programs cvt/fpgm/prep when present, which glyph instructions may call).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from layout.fonts.sfnt import SfntTables, write_sfnt

# composite glyph flags
ARG_WORDS, HAVE_SCALE, MORE, HAVE_XY_SCALE, HAVE_2X2 = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080


@dataclass
class TrueTypeSource:
    tables: SfntTables
    num_glyphs: int
    loca: list[int]
    advances: list[tuple[int, int]]  # (advance, lsb) per glyph
    _closures: dict[int, frozenset[int]] = field(default_factory=dict, repr=False)

    @classmethod
    def parse(cls, tables: SfntTables) -> TrueTypeSource:
        for tag in ("head", "maxp", "loca", "glyf", "hhea", "hmtx"):
            if not tables.has(tag):
                raise ValueError(f"TrueType font without a {tag!r} table")
        head = tables.table("head")
        (loc_format,) = struct.unpack_from(">h", head, 50)
        (n,) = struct.unpack_from(">H", tables.table("maxp"), 4)
        raw = bytes(tables.table("loca"))
        if loc_format == 0:
            loca = [2 * v for v in struct.unpack_from(f">{n + 1}H", raw)]
        else:
            loca = list(struct.unpack_from(f">{n + 1}I", raw))
        (n_metrics,) = struct.unpack_from(">H", tables.table("hhea"), 34)
        hmtx = bytes(tables.table("hmtx"))
        longs = struct.unpack_from(f">{2 * n_metrics}H", hmtx)
        advances = [(longs[2 * k], longs[2 * k + 1]) for k in range(n_metrics)]
        last = advances[-1][0]
        lsbs = struct.unpack_from(f">{n - n_metrics}h", hmtx, 4 * n_metrics) if n > n_metrics else ()
        advances += [(last, v & 0xFFFF) for v in lsbs]
        return cls(tables, n, loca, advances)

    def _glyph(self, gid: int) -> bytes:
        off, length = self.tables.tables["glyf"]
        return self.tables.data[off + self.loca[gid] : off + self.loca[gid + 1]]

    def components(self, gid: int) -> list[int]:
        data = self._glyph(gid)
        if len(data) < 10 or struct.unpack_from(">h", data, 0)[0] >= 0:
            return []
        out = []
        pos = 10
        while True:
            flags, comp = struct.unpack_from(">HH", data, pos)
            out.append(comp)
            pos += 4 + (4 if flags & ARG_WORDS else 2)
            if flags & HAVE_SCALE:
                pos += 2
            elif flags & HAVE_XY_SCALE:
                pos += 4
            elif flags & HAVE_2X2:
                pos += 8
            if not flags & MORE:
                return out

    def closure(self, gid: int) -> frozenset[int]:
        """`gid` and every glyph its composite outline refers to, recursively."""
        hit = self._closures.get(gid)
        if hit is None:
            seen = {gid}
            todo = [gid]
            while todo:
                for comp in self.components(todo.pop()):
                    if comp not in seen and comp < self.num_glyphs:
                        seen.add(comp)
                        todo.append(comp)
            hit = self._closures[gid] = frozenset(seen)
        return hit

    def subset(self, gids: set[int] | frozenset[int]) -> bytes:
        keep: set[int] = {0}
        for g in gids:
            if not 0 <= g < self.num_glyphs:
                raise ValueError(f"glyph id {g} out of range ({self.num_glyphs} glyphs)")
            keep |= self.closure(g)
        n = max(keep) + 1
        glyf = bytearray()
        loca = [0]
        for g in range(n):
            if g in keep:
                data = self._glyph(g)
                glyf += data
                glyf += b"\0" * (-len(data) % 4)
            loca.append(len(glyf))
        tables = {
            "glyf": bytes(glyf),
            "loca": struct.pack(f">{n + 1}I", *loca),
            "hmtx": b"".join(struct.pack(">HH", *self.advances[g]) for g in range(n)),
        }
        head = bytearray(self.tables.table("head"))
        struct.pack_into(">h", head, 50, 1)  # long loca offsets
        tables["head"] = bytes(head)
        hhea = bytearray(self.tables.table("hhea"))
        struct.pack_into(">H", hhea, 34, n)
        tables["hhea"] = bytes(hhea)
        maxp = bytearray(self.tables.table("maxp"))
        struct.pack_into(">H", maxp, 4, n)
        tables["maxp"] = bytes(maxp)
        for tag in ("cvt ", "fpgm", "prep"):
            if self.tables.has(tag):
                tables[tag] = bytes(self.tables.table(tag))
        return write_sfnt(tables)
