"""One font face: cmap, advances and ink boxes, read once, lazily.

cmap and hmtx are parsed from the raw tables (fontTools' decompilers take ~0.1 s each on a CJK
face); fontTools is used for names, OS/2, outlines (ink boxes) and the `fwid` substitutions.

Full-width forms (R4): a Pan-CJK face's cmap maps a few marks shared with Latin to proportional
Latin glyphs; Noto CJK SC maps U+2014 to a 0.89 em dash sitting low (ink y 0.24-0.29 em), while its
`fwid` feature gives the 1 em CJK dash centred on the em box (ink y 0.36-0.40 em). Chinese text sets
these marks full width, so Face.gid returns the `fwid` form for the characters in FULLWIDTH_IN_CJK,
and only where the face's own cmap glyph is proportional and the face has such a form."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import struct
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from layout.fonts.cff import CffSource, _read_charset, draw_glyph
from layout.fonts.sfnt import FontFileError, SfntTables, read_sfnt, verify_checksums
from layout.fonts.ttf import TrueTypeSource

# Marks Chinese text sets full width (R4, R21) whose cmap glyph may be a proportional Latin one:
# — U+2014 em dash (—— is one 2-em rule), ― U+2015, ‥ U+2025, … U+2026, ⋯ U+22EF, ⸺ U+2E3A (2 em).
# Deliberately short: never Latin letters or digits (fwid would turn A or 0 into Ａ or ０), nor
# U+00B7 · (set at ½ em as an interpunct, R19, with its ink centred whatever the glyph; the cmap
# dot already sits at the em-box middle, and · is common in Latin text: N·m, Catalan l·l).
FULLWIDTH_IN_CJK = "\u2014\u2015\u2025\u2026\u22ef\u2e3a"


@dataclass(frozen=True)
class FaceSpec:
    path: Path
    index: int = 0  # face number in a collection (.ttc/.otc)


class _MappedReader(io.RawIOBase):
    """A seekable, read-only file over a memory-mapped font file."""

    def __init__(self, data) -> None:
        self._data = data
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, pos: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._data)}[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def readinto(self, buffer) -> int:
        chunk = self._data[self._pos:self._pos + len(buffer)]
        buffer[:len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)


class Face:
    """A loaded face. Metrics are in em (fractions of the font size)."""

    def __init__(self, spec: FaceSpec, key: str | None = None):
        self.spec = spec
        _verify_once(self.tables, spec)  # FontFileError on a damaged file, before any use
        # fontTools reads lazily through a file object. Not an open file: its offset lives in the
        # kernel and a forked worker (edition.pdf is rendered in one) would share it with this process,
        # each seeking under the other's feet. A reader over the mapped file keeps its position in
        # this process's memory.
        self.font = TTFont(_MappedReader(self.tables.data), fontNumber=spec.index, lazy=True)
        self.upem = self.font["head"].unitsPerEm
        self.key = key or self._default_key()
        self._ink: dict[int, tuple[float, float, float, float] | None] = {}
        self._check_tables()

    def _check_tables(self) -> None:
        """Read now what the build reads later (cmap, metrics, the outline index), so that a font
        whose tables are cut short or inconsistent fails here, as a font error, and not as a crash
        in the middle of composing or writing (the catalogue turns this into FONT-FILE)."""
        try:
            _ = self.cmap, self._advances, self.outlines, self.upem
            ok = self.upem > 0 and len(self._advances) == self.num_glyphs
        except (struct.error, IndexError, KeyError, AttributeError, TypeError) as exc:
            raise FontFileError(f"{self.spec.path}: damaged: its tables cannot be read ({exc})") from None
        except ValueError as exc:  # CffError and the like: says what is wrong
            msg = str(exc) if str(exc).startswith(str(self.spec.path)) else f"{self.spec.path}: {exc}"
            raise FontFileError(msg) from None
        if not ok:
            raise FontFileError(f"{self.spec.path}: damaged: unitsPerEm or the glyph count is wrong")
        if not self.cmap:
            raise FontFileError(f"{self.spec.path}: has no Unicode character map (cmap): it cannot set any "
                                "character of the text")

    def _default_key(self) -> str:
        name = self.font["name"].getDebugName(6) or self.spec.path.stem
        return name if self.spec.index == 0 else f"{name}"

    @cached_property
    def tables(self) -> SfntTables:
        return read_sfnt(self.spec.path, self.spec.index)

    @cached_property
    def digest(self) -> str:
        """Content hash of the face's tables (cache key for derived data, subset tags)."""
        tables = self.tables
        h = hashlib.sha256()
        for tag in sorted(tables.tables):
            h.update(tag.encode("latin-1"))
            h.update(tables.table(tag))
        return h.hexdigest()[:16]

    @cached_property
    def cmap(self) -> dict[int, int]:
        """Code point -> glyph id."""
        parsed = _parse_cmap(self.tables)
        if parsed is not None:
            return parsed
        best = self.font.getBestCmap() if self.tables.has("cmap") else None
        return {cp: self.font.getGlyphID(name) for cp, name in (best or {}).items()}

    @cached_property
    def fullwidth(self) -> dict[int, int]:
        """Code point -> the `fwid` glyph Face.gid returns instead of the cmap glyph (see
        FULLWIDTH_IN_CJK): only where the cmap glyph's advance is not a whole number of em and the
        substitute's is. Empty for most faces; GSUB is read only when a candidate needs it."""
        cmap, adv, upem = self.cmap, self._advances, self.upem
        wanted = {cp: cmap[cp] for cp in map(ord, FULLWIDTH_IN_CJK)
                  if cp in cmap and adv[cmap[cp]] % upem != 0}
        if not wanted:
            return {}
        kept = self._notes.get("fullwidth")
        if kept is not None:
            return dict(kept)
        order = self.glyph_order  # first: GSUB is read by glyph name (see glyph_order)
        subst = single_substitutions(self.font, ("fwid",))
        out: dict[int, int] = {}
        for cp, gid in wanted.items():
            name = subst.get(order[gid])
            if name is None:
                continue
            alt = self.font.getGlyphID(name)
            if adv[alt] and adv[alt] % upem == 0:
                out[cp] = alt
        self._notes["fullwidth"] = sorted(out.items())
        self._notes_changed = True
        return out

    @cached_property
    def _gids(self) -> dict[int, int]:
        """cmap with the full-width forms applied: what Face.gid looks up (one dict, hot path)."""
        fullwidth = self.fullwidth
        return {**self.cmap, **fullwidth} if fullwidth else self.cmap

    @cached_property
    def glyph_order(self) -> list[str]:
        """Glyph names by glyph id, as fontTools names them (GSUB lookups go by name). A CID-keyed
        CFF face's names come from the charset this module parses (`cid00042`, fontTools' own
        form) and are handed to fontTools, which then never reads its CFF table: its parse of the
        whole table for the names cost 20-30 ms a face in every cold build (issue 18)."""
        order = _cid_glyph_order(self.outlines)
        if order is not None:
            self.font.setGlyphOrder(order)
            return order
        order = self.font.getGlyphOrder()
        _forget_cff(self.font)
        return order

    @cached_property
    def num_glyphs(self) -> int:
        return struct.unpack_from(">H", self.tables.table("maxp"), 4)[0]

    @cached_property
    def _advances(self) -> list[int]:
        n = self.num_glyphs
        (n_metrics,) = struct.unpack_from(">H", self.tables.table("hhea"), 34)
        longs = struct.unpack_from(f">{2 * n_metrics}H", self.tables.table("hmtx"))
        adv = list(longs[0::2])
        return adv + [adv[-1]] * (n - n_metrics)

    @cached_property
    def advances(self) -> list[float]:
        """Advance width of every glyph, in em (index = glyph id)."""
        return [a / self.upem for a in self._advances]

    @cached_property
    def is_cff(self) -> bool:
        return "CFF " in self.font

    @cached_property
    def ascent(self) -> float:
        os2 = self.font["OS/2"]
        return os2.sTypoAscender / self.upem

    @cached_property
    def descent(self) -> float:
        os2 = self.font["OS/2"]
        return -os2.sTypoDescender / self.upem

    @cached_property
    def ps_name(self) -> str:
        """PostScript name (name ID 6), letters/digits/-/_ only: used for the PDF BaseFont."""
        raw = self.font["name"].getDebugName(6) or self.spec.path.stem
        return "".join(c for c in raw if c.isascii() and (c.isalnum() or c in "-_")) or "Font"

    @cached_property
    def bbox(self) -> tuple[float, float, float, float]:
        """Font bounding box from `head`, in em."""
        head = self.font["head"]
        return tuple(v / self.upem for v in (head.xMin, head.yMin, head.xMax, head.yMax))

    @cached_property
    def cap_height(self) -> float:
        os2 = self.font["OS/2"]
        cap = getattr(os2, "sCapHeight", 0) or os2.sTypoAscender
        return cap / self.upem

    @cached_property
    def outlines(self) -> CffSource | TrueTypeSource:
        """The outline table parsed for fast subsetting; parsed once, closures cached on it."""
        tables = self.tables
        if tables.has("CFF "):
            return CffSource.parse(tables.table("CFF "))
        if tables.has("glyf"):
            return TrueTypeSource.parse(tables)
        raise ValueError(f"{self.spec.path}: no CFF or glyf outlines (CFF2 is not supported)")

    def subset_program(self, gids: set[int] | frozenset[int], font_name: str | None = None) -> bytes:
        """The embeddable font program holding `gids` (and .notdef) under their own glyph ids:
        a CID-keyed CFF for CFF faces, a TrueType file for glyf faces. Checked (subset_checked)."""
        return self.subset_checked(gids, font_name)[0]

    def subset_checked(self, gids: set[int] | frozenset[int],
                       font_name: str | None = None) -> tuple[bytes, dict[int, str]]:
        """The subset, checked glyph by glyph against this face before anyone embeds it, and the
        glyphs of `gids` it does not reproduce (gid -> why); see CffSource.subset_checked.

        A subset that checked out whole is kept in the build cache ($LAYOUT_CACHE/subsets, its bytes
        verified on read) under the face file's signature, the glyph ids and the name: a page drawn
        again with the glyphs it had (a corrected character, a moved story) neither parses the
        outlines nor scans and checks a charstring."""
        from layout.cache import BlobCache

        name = font_name or self.ps_name
        store = BlobCache.default("subsets")
        key = None
        if store is not None:
            with contextlib.suppress(OSError):  # a face file gone since it was loaded: not kept
                key = hashlib.sha256(repr([self._notes_key, sorted(gids), name]).encode("utf-8")).hexdigest()
        if key is not None:
            kept = store.load(key)
            if kept is not None:
                return kept, {}
        src = self.outlines
        if isinstance(src, CffSource):
            program, bad = src.subset_checked(gids, name.encode("ascii"))
        else:
            program, bad = src.subset_checked(gids)
        if key is not None and not bad:
            with contextlib.suppress(OSError):
                store.store(key, program)
        return program, bad

    def glyph_problem(self, gid: int) -> str | None:
        """Why glyph `gid`'s outline cannot be drawn as the font means it (None if it can); cached.
        A font whose table checksums are right can still have been written broken by a tool."""
        problems = self._notes.setdefault("problems", {})
        if gid in problems:
            return problems[gid]
        problem = problems[gid] = self.outlines.glyph_problem(gid)
        self._notes_changed = True
        return problem

    # What is slow to find out about a face and the same every build (its glyph checks, its full-width
    # forms, its glyphs' ink boxes) is kept in the build cache under the file's signature, read on first use and written by
    # `keep_notes` at the end of a build: a warm build then scans no charstring and reads no GSUB.

    @cached_property
    def _notes_key(self) -> str:
        st = self.spec.path.stat()
        return repr([str(self.spec.path), self.spec.index, st.st_size, st.st_mtime_ns])

    @cached_property
    def _notes(self) -> dict:
        from layout.cache import JsonCache

        self._notes_changed = False
        store = JsonCache.default("faces")
        kept = None
        if store is not None:
            with contextlib.suppress(OSError):
                kept = store.load(self._notes_key, check=self._checked_notes)
        return kept or {}

    def _checked_notes(self, value) -> dict:
        """Notes read back, checked: glyph ids in range, code points of FULLWIDTH_IN_CJK only,
        problems as text or null, ink boxes of four numbers or null (ValueError/TypeError otherwise:
        the entry is dropped)."""
        n = self.num_glyphs
        out: dict = {}
        if not isinstance(value, dict) or not set(value) <= {"fullwidth", "problems", "ink"}:
            raise ValueError("not a face's notes")
        if "fullwidth" in value:
            pairs = value["fullwidth"]
            if not all(isinstance(p, list) and len(p) == 2 and type(p[0]) is int and chr(p[0]) in FULLWIDTH_IN_CJK
                       and type(p[1]) is int and 0 <= p[1] < n for p in pairs):
                raise ValueError("not full-width forms")
            out["fullwidth"] = [tuple(p) for p in pairs]
        if "problems" in value:
            problems = value["problems"]
            if not isinstance(problems, dict):
                raise TypeError("problems are not a mapping")
            checked = {}
            for gid, problem in problems.items():
                g = int(gid)
                if not 0 <= g < n or not (problem is None or isinstance(problem, str)):
                    raise ValueError("not a glyph check")
                checked[g] = problem
            out["problems"] = checked
        if "ink" in value:  # glyph id -> ink box in em (four numbers as measured) or null (blank)
            boxes = value["ink"]
            if not isinstance(boxes, dict):
                raise TypeError("ink boxes are not a mapping")
            ink = {}
            for gid, box in boxes.items():
                g = int(gid)
                if not 0 <= g < n or not (box is None or (isinstance(box, list) and len(box) == 4
                                                          and all(type(v) in (int, float) for v in box))):
                    raise ValueError("not an ink box")
                ink[g] = None if box is None else tuple(box)
            out["ink"] = ink
        return out

    def keep_notes(self) -> None:
        """Write what this build found out about the face to the build cache (when it found anything)."""
        if "_notes" not in self.__dict__ or not self._notes_changed:
            return
        from layout.cache import JsonCache

        store = JsonCache.default("faces")
        if store is None:
            return
        notes = self._notes
        value = {}
        if "fullwidth" in notes:
            value["fullwidth"] = [list(p) for p in notes["fullwidth"]]
        if "problems" in notes:
            value["problems"] = {str(g): p for g, p in sorted(notes["problems"].items())}
        if "ink" in notes:
            value["ink"] = {str(g): None if b is None else list(b) for g, b in sorted(notes["ink"].items())}
        with contextlib.suppress(OSError):
            store.store(self._notes_key, value)
        self._notes_changed = False

    def gid(self, ch: str) -> int | None:
        """The glyph for `ch`: the cmap glyph, or its full-width form for FULLWIDTH_IN_CJK marks."""
        return self._gids.get(ord(ch))

    def has(self, ch: str) -> bool:
        return ord(ch) in self.cmap

    def advance(self, gid: int) -> float:
        return self.advances[gid]

    def ink(self, gid: int) -> tuple[float, float, float, float] | None:
        """Ink bounding box (xmin, ymin, xmax, ymax) in em, or None for a blank glyph. Kept in the
        face's notes: a glyf face's first box decodes its whole glyf table and names every glyph
        (~0.1 s of a new process that composes a headline again, issue 18)."""
        if gid not in self._ink:
            kept = self._notes.get("ink")
            if kept is not None and gid in kept:
                self._ink[gid] = kept[gid]
                return kept[gid]
            src = self.outlines
            if isinstance(src, CffSource):
                pen = BoundsPen(None)
                draw_glyph(src, gid, pen)
            else:
                glyphs = self.font.getGlyphSet()
                pen = BoundsPen(glyphs)
                glyphs[self.glyph_order[gid]].draw(pen)
            b = pen.bounds
            self._ink[gid] = None if b is None else tuple(v / self.upem for v in b)
            self._notes.setdefault("ink", {})[gid] = self._ink[gid]
            self._notes_changed = True
        return self._ink[gid]

    def __repr__(self) -> str:
        return f"Face({self.key!r})"


def _verify_once(tables: SfntTables, spec: FaceSpec) -> None:
    """verify_checksums, remembered in the cache for this very file (path, size, mtime, inode): a
    CJK collection's 23 MB CFF table costs ~0.2 s to sum, and every build and test loads the faces."""
    from layout.cache import JsonCache

    try:
        st = os.stat(spec.path)
    except OSError:
        st = None
    cache = JsonCache.default("font-checksums") if st is not None else None
    key = f"{Path(spec.path).resolve()}|{spec.index}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}" if st else ""
    if cache is not None and cache.load(key) == "ok":
        return
    verify_checksums(tables, spec.path)
    if cache is not None:
        cache.store(key, "ok")


def single_substitutions(font: TTFont, tags: tuple[str, ...]) -> dict[str, str]:
    """Glyph name -> glyph name of the single substitutions (GSUB type 1, or 7 wrapping 1) that the
    face's features `tags` use (fwid; vert and vrt2 for vertical text), over all its scripts and
    language systems; the first lookup that maps a glyph wins. Only those lookups are decoded
    (the font is opened lazily)."""
    if "GSUB" not in font:
        return {}
    table = font["GSUB"].table
    if table.FeatureList is None or table.LookupList is None:
        return {}
    indices: list[int] = []
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag in tags:
            indices += [i for i in record.Feature.LookupListIndex if i not in indices]
    out: dict[str, str] = {}
    for i in sorted(indices):
        lookup = table.LookupList.Lookup[i]
        for sub in lookup.SubTable:
            if lookup.LookupType == 7:
                sub = sub.ExtSubTable
            if getattr(sub, "LookupType", lookup.LookupType) != 1:
                continue
            for src, dst in sub.mapping.items():
                out.setdefault(src, dst)
    _forget_cff(font)
    return out


def _cid_glyph_order(src: CffSource | TrueTypeSource) -> list[str] | None:
    """fontTools' glyph names of a CID-keyed CFF (".notdef", then "cid" and the CID in at least five
    digits), from the charset alone; None for other outlines, and where fontTools would have to
    make names unique (a CID listed twice) or the charset cannot be read: fontTools decides."""
    if not isinstance(src, CffSource) or not src.is_cid:
        return None
    try:
        cids = _read_charset(src.data, src.top, src.num_glyphs)
    except (ValueError, struct.error, IndexError):
        return None
    order = [".notdef", *("cid" + str(cid).zfill(5) for cid in cids[1:])]
    return order if len(set(order)) == len(order) else None


def _forget_cff(font: TTFont) -> None:
    """Let go of fontTools' parse of the CFF table once the glyph names are known (issue 18):
    fontTools reads the whole table (a CJK face's is 4-5 MB, a copy of the mapped file's bytes)
    and parses its charset only to name the glyphs, which GSUB lookups go by; the outlines are
    read through Face.outlines, never through it. The names stay (TTFont keeps its glyph order);
    the table would be read again only if something asked for it."""
    if "CFF " in font.tables:
        font.getGlyphOrder()
        del font.tables["CFF "]  # the parsed table only: the file still has it ("CFF " in font)


def _parse_cmap(tables: SfntTables) -> dict[int, int] | None:
    """The best Unicode subtable (format 12, else format 4) as a dict; None if there is neither."""
    if not tables.has("cmap"):
        return None
    cmap = bytes(tables.table("cmap"))
    (n,) = struct.unpack_from(">H", cmap, 2)
    subtables: dict[tuple[int, int, int], int] = {}
    for k in range(n):
        pid, eid, off = struct.unpack_from(">HHI", cmap, 4 + 8 * k)
        (fmt,) = struct.unpack_from(">H", cmap, off)
        subtables[(pid, eid, fmt)] = off
    for key in ((3, 10, 12), (0, 6, 12), (0, 4, 12), (3, 1, 4), (0, 3, 4), (0, 4, 4), (0, 3, 12)):
        off = subtables.get(key)
        if off is not None:
            return _cmap12(cmap, off) if key[2] == 12 else _cmap4(cmap, off)
    return None


def _cmap12(data: bytes, off: int) -> dict[int, int]:
    (n_groups,) = struct.unpack_from(">I", data, off + 12)
    groups = struct.unpack_from(f">{3 * n_groups}I", data, off + 16)
    out: dict[int, int] = {}
    for k in range(0, 3 * n_groups, 3):
        start, end, gid = groups[k], groups[k + 1], groups[k + 2]
        if start == end:
            out[start] = gid
        else:
            out.update(zip(range(start, end + 1), range(gid, gid + end - start + 1), strict=True))
    return out


def _cmap4(data: bytes, off: int) -> dict[int, int]:
    (seg_x2,) = struct.unpack_from(">H", data, off + 6)
    segs = seg_x2 // 2
    ends = struct.unpack_from(f">{segs}H", data, off + 14)
    starts = struct.unpack_from(f">{segs}H", data, off + 16 + seg_x2)
    deltas = struct.unpack_from(f">{segs}h", data, off + 16 + 2 * seg_x2)
    ro_at = off + 16 + 3 * seg_x2
    range_offsets = struct.unpack_from(f">{segs}H", data, ro_at)
    out: dict[int, int] = {}
    for k in range(segs):
        start, end, delta, ro = starts[k], ends[k], deltas[k], range_offsets[k]
        if start == 0xFFFF:
            continue
        for cp in range(start, end + 1):
            if ro == 0:
                gid = (cp + delta) & 0xFFFF
            else:
                at = ro_at + 2 * k + ro + 2 * (cp - start)
                (gid,) = struct.unpack_from(">H", data, at)
                if gid:
                    gid = (gid + delta) & 0xFFFF
            if gid:
                out[cp] = gid
    return out
