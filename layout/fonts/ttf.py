"""A lean glyf/loca subsetter for PDF embedding (FontFile2, CIDFontType2 with CIDToGIDMap /Identity).

Glyph ids are kept (the PDF content stream uses source glyph ids as CIDs): unused glyphs become
empty, the font is cut after the highest used glyph, and composite glyphs pull in their components.
Only the tables a PDF renderer needs are written (head, hhea, maxp, hmtx, loca, glyf, and the
hinting programs cvt/fpgm/prep when present, which glyph instructions may call).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from layout.fonts.sfnt import SfntTables, parse_sfnt, write_sfnt

# composite glyph flags
ARG_WORDS, HAVE_SCALE, MORE, HAVE_XY_SCALE, HAVE_2X2 = 0x0001, 0x0008, 0x0020, 0x0040, 0x0080


@dataclass
class TrueTypeSource:
    tables: SfntTables
    num_glyphs: int
    loca: Sequence[int]
    hmtx: bytes  # the raw table, long metrics first (n_metrics of them), then left side bearings
    n_metrics: int
    _closures: dict[int, frozenset[int]] = field(default_factory=dict, repr=False)
    _problems: dict[int, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def parse(cls, tables: SfntTables) -> TrueTypeSource:
        for tag in ("head", "maxp", "loca", "glyf", "hhea", "hmtx"):
            if not tables.has(tag):
                raise ValueError(f"TrueType font without a {tag!r} table")
        try:
            return cls._parse(tables)
        except (struct.error, IndexError) as exc:
            raise ValueError(f"TrueType tables cut short or damaged ({exc})") from None

    @classmethod
    def _parse(cls, tables: SfntTables) -> TrueTypeSource:
        head = tables.table("head")
        (loc_format,) = struct.unpack_from(">h", head, 50)
        (n,) = struct.unpack_from(">H", tables.table("maxp"), 4)
        raw = bytes(tables.table("loca"))
        if loc_format == 0:
            loca: Sequence[int] = [2 * v for v in struct.unpack_from(f">{n + 1}H", raw)]
        else:
            loca = struct.unpack_from(f">{n + 1}I", raw)
        (n_metrics,) = struct.unpack_from(">H", tables.table("hhea"), 34)
        hmtx = bytes(tables.table("hmtx"))
        # the metrics are unpacked when asked for (`advances`, `advance`): a subset read back to
        # be checked needs the advances of its few glyphs, not a tuple for each of ~10 000. Their
        # size is checked here, so a short table still fails as one cut short.
        if n_metrics == 0:
            raise IndexError("hhea has no long metrics")
        if len(hmtx) < 4 * n_metrics + 2 * max(0, n - n_metrics):
            raise struct.error("hmtx is shorter than hhea and maxp say")
        return cls(tables, n, loca, hmtx, n_metrics)

    @cached_property
    def advances(self) -> list[tuple[int, int]]:
        """(advance, lsb) per glyph."""
        n, n_metrics, hmtx = self.num_glyphs, self.n_metrics, self.hmtx
        longs = struct.unpack_from(f">{2 * n_metrics}H", hmtx)
        advances = list(zip(longs[0::2], longs[1::2], strict=True))
        last = advances[-1][0]
        lsbs = struct.unpack_from(f">{n - n_metrics}h", hmtx, 4 * n_metrics) if n > n_metrics else ()
        advances += [(last, v & 0xFFFF) for v in lsbs]
        return advances

    def advance(self, gid: int) -> int:
        """The advance of glyph `gid` (in range), read from the table alone."""
        k = gid if gid < self.n_metrics else self.n_metrics - 1
        return struct.unpack_from(">H", self.hmtx, 4 * k)[0]

    def glyph_problem(self, gid: int, depth: int = 0) -> str | None:
        """Why glyph `gid` cannot be drawn as its glyf data says (None if it can); cached: its loca
        range outside the glyf table, a contour or coordinate array running past its data, or a
        component that is missing or damaged itself."""
        if gid in self._problems:
            return self._problems[gid]
        problem = None
        _off, glyf_len = self.tables.tables["glyf"]
        if not 0 <= gid < self.num_glyphs:
            problem = f"glyph id {gid} out of range ({self.num_glyphs} glyphs)"
        elif not 0 <= self.loca[gid] <= self.loca[gid + 1] <= glyf_len:
            problem = "its loca entry points outside the glyf table"
        elif depth > 16:
            problem = "its components nest too deep"
        else:
            try:
                problem = self._glyph_data_problem(self._glyph(gid), depth)
            except struct.error:
                problem = "its glyf data is cut off"
        self._problems[gid] = problem
        return problem

    def _glyph_data_problem(self, data: bytes, depth: int) -> str | None:
        if not data:
            return None  # an empty glyph (a space) is legal
        (n_contours,) = struct.unpack_from(">h", data, 0)
        if n_contours < 0:
            for comp in self.components_of(data):
                if not 0 <= comp < self.num_glyphs:
                    return f"it refers to glyph {comp}, which the font does not have"
                why = self.glyph_problem(comp, depth + 1)
                if why is not None:
                    return f"its component glyph {comp} is damaged ({why})"
            return None
        ends = struct.unpack_from(f">{n_contours}H", data, 10)
        if any(b <= a for a, b in zip(ends, ends[1:], strict=False)):
            return "its contour end points are not increasing"
        n_points = ends[-1] + 1 if ends else 0
        pos = 10 + 2 * n_contours
        (n_instr,) = struct.unpack_from(">H", data, pos)
        pos += 2 + n_instr
        # flags (with repeats), then x and y coordinates whose sizes the flags give
        x_size = y_size = 0
        k = 0
        while k < n_points:
            flag = data[pos]
            pos += 1
            repeat = 1
            if flag & 0x08:
                repeat += data[pos]
                pos += 1
            x_size += repeat * (1 if flag & 0x02 else 0 if flag & 0x10 else 2)
            y_size += repeat * (1 if flag & 0x04 else 0 if flag & 0x20 else 2)
            k += repeat
        if k != n_points:
            return "its flag repeats run past its last point"
        if pos + x_size + y_size > len(data):
            return "its coordinates run past the end of its glyf data"
        return None

    def check_subset(self, program: bytes, gids: set[int] | frozenset[int]) -> dict[int, str]:
        """Glyphs of `gids` (with their components) that the subset `program` does not carry exactly
        as this font does: read back with this module's parser, each glyph's glyf bytes and advance
        must be the source's, under the same glyph id."""
        try:
            sub = TrueTypeSource.parse(parse_sfnt(program, 0, "subset"))
        except (ValueError, struct.error, IndexError) as exc:
            return {g: f"the subset cannot be read back ({exc})" for g in gids}
        bad: dict[int, str] = {}
        for gid in sorted(gids):
            problem = self.glyph_problem(gid)
            if problem is not None:
                bad[gid] = f"damaged in the font: {problem}"
                continue
            for g in sorted(self.closure(gid)):
                if g >= sub.num_glyphs or not _same_glyph(sub._glyph(g), self._glyph(g)):
                    bad[gid] = f"glyph {g} differs from the font's" if g != gid else "its outline differs"
                    break
                if sub.advance(g) != self.advance(g):
                    bad[gid] = f"the advance of glyph {g} differs from the font's"
                    break
        return bad

    def subset_checked(self, gids: set[int] | frozenset[int]) -> tuple[bytes, dict[int, str]]:
        """The subset and the glyphs it does not reproduce (there is no faster path to fall back
        from: what fails is damaged in the font, or a bug)."""
        program = self.subset(gids)
        return program, self.check_subset(program, set(gids) | {0})

    @cached_property
    def _long_hmtx(self) -> bytes:
        """hmtx with a full (advance, lsb) entry for every glyph, packed once: a subset's is the
        first entries of it, up to its last glyph."""
        return struct.pack(f">{2 * self.num_glyphs}H", *(v for pair in self.advances for v in pair))

    def _glyph(self, gid: int) -> bytes:
        off, length = self.tables.tables["glyf"]
        return self.tables.data[off + self.loca[gid] : off + self.loca[gid + 1]]

    def components(self, gid: int) -> list[int]:
        return self.components_of(self._glyph(gid))

    @staticmethod
    def components_of(data: bytes) -> list[int]:
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
                try:
                    comps = self.components(todo.pop())
                except struct.error:  # a damaged composite (glyph_problem says so): nothing to pull in
                    comps = []
                for comp in comps:
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
        loca = [0]  # loca[g + 1]: where glyph g ends; glyphs left out end where they start
        for g in sorted(keep):
            loca += [len(glyf)] * (g + 1 - len(loca))  # the left-out glyphs before g: empty
            data = self._glyph(g)
            glyf += data
            glyf += b"\0" * (-len(data) % 4)
            loca.append(len(glyf))
        tables = {
            "glyf": bytes(glyf),
            "loca": struct.pack(f">{n + 1}I", *loca),
            "hmtx": self._long_hmtx[:4 * n],
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


def _same_glyph(written: bytes, source: bytes) -> bool:
    """The subset's glyph data is the source's, followed by at most 3 zero bytes of alignment."""
    n = len(source)
    return written[:n] == source and len(written) - n < 4 and not any(written[n:])
