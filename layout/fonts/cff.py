"""A lean CFF subsetter for PDF embedding (FontFile3 /CIDFontType0C).

fontTools' subsetter interprets every charstring and takes seconds per CJK face; here the CFF is
parsed once per face (offsets only), and a subset is assembled from verbatim byte ranges:

* the output is always CID-keyed (ROS Adobe-Identity-0); its charset maps new glyph index -> CID,
  and the CID is the glyph id in the source face, so PDF content streams use source glyph ids;
* used charstrings are copied verbatim; subroutine numbering is kept (charstrings are not
  rewritten): unused subroutines become a 1-byte `return`, and trailing unused ones are cut as
  far as the subroutine bias allows;
* which subroutines a glyph needs comes from a small Type 2 charstring scanner (operand counting
  for hint masks, callsubr/callgsubr with bias), memoised per subroutine and cached per glyph;
* only the Font DICTs (and their Private DICTs) of used glyphs are written.

A name-keyed CFF is turned into a CID-keyed one with a single Font DICT, so both kinds embed the
same way. CFF2 (variable fonts) is not supported.
"""

from __future__ import annotations

import re
import struct
import sys
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

RETURN = b"\x0b"
# an array typecode of 4 bytes (offsets of INDEXes with 3- or 4-byte offsets)
_WORD = "I" if array("I").itemsize == 4 else "L"

# DICT operators used here (two-byte operators are 1200 + second byte).
OP_CHARSET, OP_CHARSTRINGS, OP_PRIVATE, OP_SUBRS = 15, 17, 18, 19
OP_FONTBBOX, OP_CHARSTRINGTYPE, OP_FONTMATRIX = 5, 1206, 1207
OP_ROS, OP_CIDCOUNT, OP_FDARRAY, OP_FDSELECT, OP_FONTNAME = 1230, 1234, 1236, 1237, 1238
N_STD_STRINGS = 391


class CffError(ValueError):
    pass


# ---------------------------------------------------------------- reading


@dataclass
class Index:
    """A CFF INDEX over a shared buffer; items are sliced on demand (all at once for `items`)."""

    data: bytes
    count: int
    off_size: int
    offsets_at: int  # position of the offset array
    data_at: int  # position of the byte before the first object (offsets are 1-based)
    end: int
    _items: list[bytes] | None = field(default=None, repr=False)
    # every offset, unpacked at the first item asked for: a face's charstrings and subroutines are
    # read item by item thousands of times a build (glyph checks, subsets), and unpacking all of a
    # CJK face's 16 722 charstring offsets costs what ~200 single reads do (0.07 ms)
    _offs: Sequence[int] | None = field(default=None, repr=False)
    _lens: np.ndarray | None = field(default=None, repr=False)

    def _offset(self, i: int) -> int:
        p = self.offsets_at + i * self.off_size
        return int.from_bytes(self.data[p : p + self.off_size], "big")

    def __getitem__(self, i: int) -> bytes:
        if self._items is not None:
            return self._items[i]
        if not 0 <= i < self.count:
            raise IndexError(i)
        offs = self._offs
        if offs is None:
            offs = self._offs = _offsets(self)
        return self.data[self.data_at + offs[i] : self.data_at + offs[i + 1]]

    def __len__(self) -> int:
        return self.count

    def take(self, idxs: Sequence[int]) -> list[bytes]:
        """The objects at `idxs` (each in range), sliced in one pass."""
        if self._items is not None:
            items = self._items
            return [items[i] for i in idxs]
        offs = self._offs
        if offs is None:
            offs = self._offs = _offsets(self)
        data, base = self.data, self.data_at
        return [data[base + offs[i]:base + offs[i + 1]] for i in idxs]

    @property
    def lengths(self) -> np.ndarray:
        """Every object's length in bytes (unpacked once)."""
        if self._lens is None:
            import numpy as np  # here: only a subset's writing needs it (imports stay lean)

            offs = self._offs
            if offs is None:
                offs = self._offs = _offsets(self)
            if isinstance(offs, array):
                arr = np.frombuffer(offs, np.uint16 if offs.typecode == "H" else np.uint32)
            else:  # 1-byte offsets come back as bytes
                arr = np.frombuffer(offs, np.uint8)
            self._lens = np.diff(arr.astype(np.int64)).astype(np.int32)
        return self._lens

    @property
    def items(self) -> list[bytes]:
        """Every object, sliced once (subroutine INDEXes are rebuilt for every subset)."""
        if self._items is None:
            self._items = _objects(self)
        return self._items


def _offsets(index: Index) -> Sequence[int]:
    """The count + 1 offsets of an INDEX (1-based, from data_at), unpacked at once."""
    raw = index.data[index.offsets_at : index.offsets_at + (index.count + 1) * index.off_size]
    size = index.off_size
    if size == 1:
        return raw
    # 3 bytes: widened to 4 with a zero high byte by three strided copies (in C: a CJK face's
    # 17 000 charstrings or subroutines have 3-byte offsets). Kept as an array of machine words,
    # not a tuple of ints (4 bytes an entry instead of 36: Index keeps them for a face's life).
    if size == 3:
        wide = bytearray(4 * (index.count + 1))
        wide[1::4], wide[2::4], wide[3::4] = raw[0::3], raw[1::3], raw[2::3]
        raw = bytes(wide)
    out = array(_WORD if size != 2 else "H")
    out.frombytes(raw)
    if sys.byteorder == "little":
        out.byteswap()
    return out


def _objects(index: Index) -> list[bytes]:
    """Every object of an INDEX, sliced at once, without keeping them on the Index."""
    if index._items is not None:
        return index._items
    offs, base, data = _offsets(index), index.data_at, index.data
    return [data[base + a : base + b] for a, b in zip(offs, offs[1:], strict=False)]


def read_index(data: bytes, pos: int) -> Index:
    """The INDEX at `pos`; CffError if it does not fit in `data` (a truncated or damaged table:
    slicing past the end would quietly give short objects)."""
    if not 0 <= pos <= len(data) - 2:
        raise CffError(f"an INDEX at {pos} lies outside the {len(data)}-byte CFF table")
    (count,) = struct.unpack_from(">H", data, pos)
    if count == 0:
        return Index(data, 0, 1, pos + 2, pos + 2, pos + 2)
    off_size = data[pos + 2] if pos + 2 < len(data) else 0
    if not 1 <= off_size <= 4:
        raise CffError(f"an INDEX at {pos} has offset size {off_size}")
    offsets_at = pos + 3
    data_at = offsets_at + (count + 1) * off_size - 1
    p = offsets_at + count * off_size
    last = int.from_bytes(data[p : p + off_size], "big")
    first = int.from_bytes(data[offsets_at : offsets_at + off_size], "big")
    if p + off_size > len(data) or first != 1 or data_at + last > len(data):
        raise CffError(f"an INDEX at {pos} ({count} objects) does not fit in the {len(data)}-byte CFF table")
    return Index(data, count, off_size, offsets_at, data_at, data_at + last)


@dataclass(frozen=True)
class DictEntry:
    op: int
    values: tuple[float, ...]
    raw: bytes  # the operand bytes as found, copied verbatim when the entry is kept


def parse_dict(data: bytes) -> list[DictEntry]:
    out: list[DictEntry] = []
    vals: list[float] = []
    start = i = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b <= 21:
            if b == 12:
                op = 1200 + data[i + 1]
                end = i + 2
            else:
                op = b
                end = i + 1
            out.append(DictEntry(op, tuple(vals), bytes(data[start:i])))
            vals = []
            i = start = end
        elif b == 28:
            vals.append(struct.unpack_from(">h", data, i + 1)[0])
            i += 3
        elif b == 29:
            vals.append(struct.unpack_from(">i", data, i + 1)[0])
            i += 5
        elif b == 30:  # real: nibbles up to 0xf; value not needed (raw bytes are copied)
            i += 1
            while True:
                byte = data[i]
                i += 1
                if (byte & 0x0F) == 0x0F or (byte >> 4) == 0x0F:
                    break
            vals.append(0.0)
        elif 32 <= b <= 246:
            vals.append(b - 139)
            i += 1
        elif 247 <= b <= 250:
            vals.append((b - 247) * 256 + data[i + 1] + 108)
            i += 2
        elif 251 <= b <= 254:
            vals.append(-(b - 251) * 256 - data[i + 1] - 108)
            i += 2
        else:
            raise CffError(f"bad DICT byte {b}")
    return out


def dict_get(entries: list[DictEntry], op: int) -> DictEntry | None:
    for e in entries:
        if e.op == op:
            return e
    return None


def subr_bias(count: int) -> int:
    return 107 if count < 1240 else 1131 if count < 33900 else 32768


def _bias_floor(count: int) -> int:
    """The smallest subroutine count with the same bias as `count`."""
    return 0 if count < 1240 else 1240 if count < 33900 else 33900


@dataclass
class FontDict:
    """One Font DICT of a CID-keyed font (or the whole name-keyed font): Private and local subrs."""

    font_entries: list[DictEntry]  # entries other than Private (FontMatrix, FontName, ...)
    private: list[DictEntry]
    subrs: Index | None
    bias: int = field(init=False)

    def __post_init__(self) -> None:
        self.bias = subr_bias(self.subrs.count if self.subrs else 0)


_Call = tuple[int, int]  # (-1, gsubr index) or (fd, local subr index)


@dataclass
class _SubrResult:
    nstems: int
    cleared: bool
    tail: tuple  # the final stack if `replace`, else the values pushed on top of the caller's operands
    ended: bool
    calls: frozenset[_Call]
    dep: bool = False  # a subroutine number came from the caller's operands

    @property
    def replace(self) -> bool:
        return self.cleared or self.dep


# The fast closure path: find each subroutine call and the operand just before it with the regex
# engine, token-aligned from the start of the charstring (tokens are self-delimiting). Anything
# else that matters - hints (hint masks carry data bytes), arithmetic, a call whose number is not
# a literal just before it - is matched as "special" and sends the glyph to the exact scanner.
#
# Only features as old as the `re` module are used: greedy loops over whole tokens and plain
# alternation. No possessive quantifier, atomic group or lookahead: CPython 3.11.0-3.11.2 mis-match a
# possessive repeat holding a negative lookahead (gh-100061; the first version of this pattern,
# `(?:op|operand(?![call]))*+`, found no call at all there, so subsets lost subroutines), and 3.11
# before 3.11.5 mis-matches possessive repeats with backtracking inside (gh-106052). Tokens are
# prefix-free and their first bytes tell them apart, so the greedy loops can only give back whole
# tokens: a match stays token-aligned. Each match also has to start where the last one ended (see
# _fast_closure), so an engine that lost alignment anyway could not go unnoticed.
#
# One match: the tokens up to the last operator before the call (if any), then the run of operands
# just before it (group 1: the subroutine number is its last token), then the call (group 2), the
# end of the charstring, or something the fast path does not follow (group 3).
_OPERAND = rb"(?:[\x20-\xf6]|[\xf7-\xfe].|\x1c..|\xff....)"
_PLAIN_OP = rb"(?:\x0c[\x00-\x02\x22-\xff]|[\x00\x02\x04-\x09\x0b\x0d-\x11\x15\x16\x18-\x1b\x1e\x1f])"
_SPECIAL_OP = rb"(?:\x0c[\x03-\x21]|[\x01\x03\x12\x13\x14\x17])"
# every byte starts an operand or an operator, so the only non-token is a token cut off by the end
_CUT_OFF = rb"(?:\x0c|[\xf7-\xfe]|\x1c.?|\xff.{0,3})\Z"
_CALLS = re.compile(
    rb"(?:(?:" + _PLAIN_OP + rb"|" + _OPERAND + rb")*" + _PLAIN_OP + rb")?"
    rb"(" + _OPERAND + rb"*)(?:([\x0a\x1d])|\Z|(" + _SPECIAL_OP + rb"|" + _CUT_OFF + rb"))",
    re.S,
)


def _last_operand(run: bytes) -> int | None:
    """The value of the last token of a run of operands (None if the run is empty or not an integer)."""
    i = last = 0
    n = len(run)
    while i < n:
        last = i
        b = run[i]
        i += 3 if b == 28 else 1 if b <= 246 else 2 if b <= 254 else 5
    return _operand_value(run[last:]) if run else None


def _operand_value(tok: bytes) -> int | None:
    b = tok[0]
    if 32 <= b <= 246:
        return b - 139
    if b <= 250 and b >= 247:
        return (b - 247) * 256 + tok[1] + 108
    if 251 <= b <= 254:
        return -(b - 251) * 256 - tok[1] - 108
    if b == 28:
        return struct.unpack(">h", tok[1:])[0]
    return None


def _literal_calls(code: bytes) -> list[tuple[int, bytes]]:
    """(subroutine number, call operator) of each call in `code`, in order; _Complex if a call's
    number is not a literal integer just before it, or the charstring holds anything else the fast
    path does not follow (hints, arithmetic, a token cut off by the end)."""
    out = []
    at = 0
    for m in _CALLS.finditer(code):
        if m.start() != at:  # lost token alignment: never trust such a match
            raise _Complex
        at = m.end()
        operands, call, special = m.groups()
        if special:
            raise _Complex
        if call:
            num = _last_operand(operands)
            if num is None:
                raise _Complex
            out.append((num, call))
    if at != len(code):
        raise _Complex
    return out


_NO_CALLS: frozenset = frozenset()


class _Complex(Exception):
    """The fast path cannot follow this glyph."""


class Unsure(Exception):
    """The scanner met something it cannot follow (arithmetic on subr numbers): keep all subrs."""


class Malformed(Exception):
    """A charstring that breaks the Type 2 rules: operands an operator cannot take, a stack deeper
    than 48 (renderers such as FreeType give up on such a glyph)."""


INDEX_LIMIT = 1 << 31  # above any INDEX position (an INDEX holds at most 65 535 objects)
MAX_STACK = 48  # Type 2 charstring argument stack limit (Adobe TN 5177, appendix B)


# operator -> (fewest operands, step, allowed remainders of the count modulo step): what the path
# and hint operators can take (Adobe TN 5177). One more is accepted too: the advance width may
# precede the first stack-clearing operator (which operator that is, is not tracked).
_EXACT = 1 << 16
_ARITY: dict[int, tuple[int, int, frozenset[int]]] = {
    21: (2, _EXACT, frozenset({2})),  # rmoveto
    22: (1, _EXACT, frozenset({1})), 4: (1, _EXACT, frozenset({1})),  # hmoveto, vmoveto
    5: (2, 2, frozenset({0})),  # rlineto
    6: (1, 1, frozenset({0})), 7: (1, 1, frozenset({0})),  # hlineto, vlineto
    8: (6, 6, frozenset({0})),  # rrcurveto
    26: (4, 4, frozenset({0, 1})), 27: (4, 4, frozenset({0, 1})),  # vvcurveto, hhcurveto
    30: (4, 4, frozenset({0, 1})), 31: (4, 4, frozenset({0, 1})),  # vhcurveto, hvcurveto
    24: (8, 6, frozenset({2})),  # rcurveline
    25: (8, 2, frozenset({0})),  # rlinecurve
    14: (0, _EXACT, frozenset({0, 4})),  # endchar (4 more: the accented-character form)
    1: (0, 2, frozenset({0})), 3: (0, 2, frozenset({0})), 18: (0, 2, frozenset({0})),  # stems
    23: (0, 2, frozenset({0})), 19: (0, 2, frozenset({0})), 20: (0, 2, frozenset({0})),  # and masks
}


@dataclass
class CffSource:
    """A parsed CFF table, reusable for any number of subsets."""

    data: bytes
    top: list[DictEntry]
    gsubrs: Index
    charstrings: Index
    fds: list[FontDict]
    fd_select: object  # callable gid -> fd index
    is_cid: bool
    _closures: dict[int, frozenset[_Call]] = field(default_factory=dict, repr=False)
    _memo: dict[tuple, _SubrResult] = field(default_factory=dict, repr=False)
    _fast_memo: dict[tuple, frozenset[_Call]] = field(default_factory=dict, repr=False)
    _gsubr_shared: dict[int, frozenset[_Call]] = field(default_factory=dict, repr=False)
    keep_all_subrs: bool = False
    _fast_misses: int = 0
    _draw_privates: dict[int, object] = field(default_factory=dict, repr=False)
    _draw_gsubrs: object = field(default=None, repr=False)
    _exact: dict[int, frozenset[_Call] | None] = field(default_factory=dict, repr=False)
    _problems: dict[int, str | None] = field(default_factory=dict, repr=False)

    @cached_property
    def _gbias(self) -> int:
        return subr_bias(self.gsubrs.count)

    @property
    def num_glyphs(self) -> int:
        return self.charstrings.count

    @classmethod
    def parse(cls, data: bytes) -> CffSource:
        data = bytes(data)
        if data[0] != 1:
            raise CffError(f"CFF major version {data[0]} not supported (CFF2?)")
        hdr_size = data[2]
        names = read_index(data, hdr_size)
        tops = read_index(data, names.end)
        strings = read_index(data, tops.end)
        gsubrs = read_index(data, strings.end)
        if tops.count != 1:
            raise CffError("a CFF with several fonts is not supported")
        top = parse_dict(tops[0])
        cst = dict_get(top, OP_CHARSTRINGTYPE)
        if cst is not None and cst.values[0] != 2:
            raise CffError("only Type 2 charstrings are supported")
        cs_entry = dict_get(top, OP_CHARSTRINGS)
        if cs_entry is None:
            raise CffError("CFF without CharStrings")
        charstrings = read_index(data, int(cs_entry.values[0]))
        is_cid = dict_get(top, OP_ROS) is not None
        if is_cid:
            fdarray = read_index(data, int(dict_get(top, OP_FDARRAY).values[0]))
            fds = [cls._font_dict(data, parse_dict(fdarray[i])) for i in range(fdarray.count)]
            fd_select = _read_fdselect(data, int(dict_get(top, OP_FDSELECT).values[0]), charstrings.count)
        else:
            fds = [cls._font_dict(data, top)]
            fd_select = _zero
        return cls(data, top, gsubrs, charstrings, fds, fd_select, is_cid)

    @staticmethod
    def _font_dict(data: bytes, entries: list[DictEntry]) -> FontDict:
        priv = dict_get(entries, OP_PRIVATE)
        private: list[DictEntry] = []
        subrs = None
        if priv is not None:
            size, off = int(priv.values[0]), int(priv.values[1])
            private = parse_dict(data[off : off + size])
            s = dict_get(private, OP_SUBRS)
            if s is not None:
                subrs = read_index(data, off + int(s.values[0]))
        keep = [e for e in entries if e.op in (OP_FONTMATRIX, OP_FONTNAME)]
        return FontDict(keep, private, subrs)

    # ------------------------------------------------------------ closure

    def closure(self, gid: int) -> frozenset[_Call]:
        """Subroutines (global: (-1, i); local: (fd, i)) that glyph `gid` calls, directly or not."""
        hit = self._closures.get(gid)
        if hit is None:
            hit = self._exact.get(gid)  # the exact scanner's, where the glyph check ran already
        if hit is None:
            fd = self.fd_select(gid)
            code = self.charstrings[gid]
            try:
                try:
                    if self._fast_misses > 64:  # a hinted face: the fast path would fail anyway
                        raise _Complex
                    hit = self._fast_closure(code, fd, 0)
                except _Complex:
                    self._fast_misses += 1
                    hit = self._scan(code, fd, 0, (), 0).calls
            except (Unsure, Malformed, IndexError, RecursionError):
                self.keep_all_subrs = True
                hit = frozenset()
            self._closures[gid] = hit
        return hit

    def _fast_closure(self, code: bytes, fd: int, level: int) -> frozenset[_Call]:
        if level > 10:
            raise _Complex
        if b"\x0a" not in code and b"\x1d" not in code:
            return _NO_CALLS  # no call operator can hide in it (most subroutines are leaves)
        out: set[_Call] = set()
        memo = self._fast_memo
        shared = self._gsubr_shared
        for num, call in _literal_calls(code):
            if call == b"\x0a":
                key = memo_key = (fd, num + self.fds[fd].bias)
                sub = memo.get(key)
            else:
                idx = num + self._gbias
                key = (-1, idx)
                # a global subr's local calls use the glyph's Font DICT: memoised per Font DICT,
                # unless it makes no local calls at all
                sub = shared.get(idx)
                memo_key = (-1, idx, fd)
                if sub is None:
                    sub = memo.get(memo_key)
            out.add(key)
            if sub is None:
                subrs = self.gsubrs if key[0] < 0 else self.fds[fd].subrs
                if subrs is None or not 0 <= key[1] < subrs.count:
                    raise _Complex  # a call to nothing: the exact scanner says what to do
                sub_code = subrs.items[key[1]]
                if b"\x0a" not in sub_code and b"\x1d" not in sub_code:
                    sub = _NO_CALLS  # a leaf (most are): no need to scan it
                else:
                    sub = self._fast_closure(sub_code, fd, level + 1)
                if key[0] < 0 and all(k < 0 for k, _ in sub):
                    shared[key[1]] = sub
                memo[memo_key] = sub
            if sub:
                out |= sub
        return frozenset(out)

    def _call(self, kind: int, idx: int, fd: int, nstems: int, stack: list, level: int) -> _SubrResult:
        # Most subroutines do not care about the caller's operand values, only their number; those that
        # take a subroutine number from the caller's stack are memoised on the values too.
        key = (kind, idx, fd if kind >= 0 else -1, nstems, len(stack))
        res = self._memo.get(key)
        if res is not None and res.dep:
            res = self._memo.get((*key, tuple(stack)))
        if res is None:
            if kind < 0:
                code = self.gsubrs[idx]
            else:
                subrs = self.fds[fd].subrs
                if subrs is None:
                    raise Unsure
                code = subrs[idx]
            res = self._scan(code, fd, nstems, tuple(stack), level + 1)
            self._memo.setdefault(key, res)
            if res.dep:
                self._memo[(*key, tuple(stack))] = res
        return res

    def _scan(self, code: bytes, fd: int, nstems: int, stack_in: tuple, level: int) -> _SubrResult:
        if level > 10:
            raise Unsure
        stack = list(stack_in)
        cleared = False  # the caller's operands are gone (a clearing operator ran)
        dep = False
        calls: set[_Call] = set()
        gbias = self._gbias
        i, n = 0, len(code)
        ended = False
        while i < n:
            b = code[i]
            if b >= 32:
                if b <= 246:
                    stack.append(b - 139)
                    i += 1
                elif b <= 250:
                    stack.append((b - 247) * 256 + code[i + 1] + 108)
                    i += 2
                elif b <= 254:
                    stack.append(-(b - 251) * 256 - code[i + 1] - 108)
                    i += 2
                else:
                    stack.append(None)  # 16.16 fixed: never a subr number
                    i += 5
                continue
            if b == 28:
                stack.append(struct.unpack_from(">h", code, i + 1)[0])
                i += 3
                continue
            i += 1
            if len(stack) > MAX_STACK:
                raise Malformed(f"its operand stack grows past {MAX_STACK}")
            arity = _ARITY.get(b)
            if arity is not None:
                k = len(stack)
                lo, step, rems = arity
                if not ((k >= lo and k % step in rems) or (k > lo and (k - 1) % step in rems)):
                    raise Malformed(f"operator {b} with {k} operands")
            if b == 10 or b == 29:  # callsubr / callgsubr
                if not stack or stack[-1] is None:
                    raise Unsure
                if not cleared and len(stack) <= len(stack_in):
                    dep = True  # the subroutine number is one of the caller's operands
                num = stack.pop()
                if b == 10:
                    kind, idx = fd, num + self.fds[fd].bias
                    calls.add((fd, idx))
                else:
                    kind, idx = -1, num + gbias
                    calls.add((-1, idx))
                sub = self._call(kind, idx, fd, nstems, stack, level)
                if sub.dep and not cleared and stack_in:
                    dep = True
                calls |= sub.calls
                nstems = sub.nstems
                if sub.replace:
                    stack = list(sub.tail)
                else:
                    stack.extend(sub.tail)
                cleared = cleared or sub.cleared
                if sub.ended:
                    ended = True
                    break
            elif b == 11:  # return
                break
            elif b == 14:  # endchar
                stack.clear()
                cleared = ended = True
                break
            elif b in (1, 3, 18, 23):  # stem hints
                nstems += len(stack) // 2
                stack.clear()
                cleared = True
            elif b == 19 or b == 20:  # hintmask / cntrmask: pending operands are vstems
                nstems += len(stack) // 2
                stack.clear()
                cleared = True
                i += (nstems + 7) // 8
            elif b == 12:
                esc = code[i]
                i += 1
                if esc < 34 and esc not in (0, 1, 2):  # arithmetic/storage: values not tracked
                    raise Unsure
                stack.clear()
                cleared = True
            else:  # path construction operators consume everything
                stack.clear()
                cleared = True
        replace = cleared or dep
        tail = tuple(stack) if replace else tuple(stack[len(stack_in):])
        return _SubrResult(nstems, cleared, tail, ended, frozenset(calls), dep)

    # ------------------------------------------------------------ writing

    def subset(self, gids: set[int] | frozenset[int], font_name: bytes = b"Subset") -> bytes:
        """A CID-keyed CFF holding .notdef and `gids`; CID of each glyph = its gid here. Checked
        before it is returned (see `subset_checked`)."""
        return self.subset_checked(gids, font_name)[0]

    def subset_checked(self, gids: set[int] | frozenset[int],
                       font_name: bytes = b"Subset") -> tuple[bytes, dict[int, str]]:
        """The subset, and the glyphs of `gids` it does not reproduce (gid -> why).

        The fast path's subset is checked glyph by glyph against the source with the exact scanner
        (`check_subset`). A glyph that fails gets its closure from the exact scanner and the subset is
        written again; if one still fails, every subroutine is kept verbatim (larger, but exact for
        every glyph whose own charstring is sound). What fails even then is returned: a glyph damaged
        in the source itself (see `glyph_problem`), which the font chains normally never hand out."""
        glyphs = sorted({0, *gids})
        if glyphs[-1] >= self.num_glyphs or glyphs[0] < 0:
            wrong = glyphs[0] if glyphs[0] < 0 else glyphs[-1]
            raise CffError(f"glyph id {wrong} out of range ({self.num_glyphs} glyphs)")
        for gid in glyphs:  # the check scans each glyph exactly anyway: the writer takes its calls
            self.glyph_problem(gid)
        program = self._write(glyphs, font_name, self.keep_all_subrs)
        bad = self.check_subset(program, glyphs)
        if self._writer_failed(bad):
            for gid in bad:
                exact = self.exact_closure(gid)
                if exact is not None:
                    self._closures[gid] = exact
            program = self._write(glyphs, font_name, self.keep_all_subrs)
            bad = self.check_subset(program, glyphs)
        if self._writer_failed(bad) and not self.keep_all_subrs:
            program = self._write(glyphs, font_name, True)
            bad = self.check_subset(program, glyphs)
        return program, bad

    def _writer_failed(self, bad: dict[int, str]) -> bool:
        """Whether a glyph of `bad` is sound in the font (so the subset, not the font, is at fault)."""
        return any(self.glyph_problem(g) is None for g in bad)

    # ------------------------------------------------------------ checking

    def exact_closure(self, gid: int) -> frozenset[_Call] | None:
        """The subroutines glyph `gid` reaches, by the exact scanner (not the regex fast path); None
        when the scanner cannot follow the glyph (computed subroutine numbers) or the glyph is broken."""
        if gid not in self._exact:
            self.glyph_problem(gid)
        return self._exact.get(gid)

    def glyph_problem(self, gid: int) -> str | None:
        """Why glyph `gid` of this font cannot be drawn as its charstring says, or None if it can:
        a subroutine call out of range, a token cut off, no endchar, nesting too deep. A damaged CFF
        table shows up here glyph by glyph. Cached."""
        if gid in self._problems:
            return self._problems[gid]
        problem = None
        calls = None
        try:
            code = self.charstrings[gid]
            res = self._scan(code, self.fd_select(gid), 0, (), 0)
            calls = res.calls
            if not res.ended:
                problem = "its charstring has no endchar"
        except Unsure:  # arithmetic the scanner does not follow: fontTools' interpreter decides
            try:
                from fontTools.pens.basePen import NullPen

                draw_glyph(self, gid, NullPen())
            except Exception as exc:  # fontTools raises many kinds on bad charstrings
                problem = f"fontTools cannot draw it ({type(exc).__name__}: {exc})"
        except IndexError:
            problem = "a subroutine call out of range or a token cut off by the end of its charstring"
        except Malformed as exc:
            problem = f"its charstring breaks the Type 2 rules ({exc})"
        except (RecursionError, struct.error, KeyError, TypeError, ValueError) as exc:
            problem = f"its charstring cannot be read ({type(exc).__name__})"
        if problem is None and calls is not None:
            self._exact[gid] = calls
        self._problems[gid] = problem
        return problem

    def check_subset(self, program: bytes, glyphs: list[int]) -> dict[int, str]:
        """Glyphs of `glyphs` (sorted, .notdef first) that the subset `program` does not draw exactly
        as this font does, with the reason. A glyph passes when its charstring is the source's, byte
        for byte, in a Font DICT whose Private DICT is the source's, and every subroutine the exact
        scanner finds it calling is there under the same number (same bias), byte for byte. The
        subset is read back with this module's parser, not the writer's own bookkeeping."""
        try:
            sub = CffSource.parse(program)
            cids = _read_charset(sub.data, sub.top, sub.num_glyphs)
        except (CffError, struct.error, IndexError, ValueError, TypeError, AttributeError) as exc:
            return {g: f"the subset cannot be read back ({type(exc).__name__}: {exc})" for g in glyphs}
        if cids != glyphs:
            return {g: "the subset's charset does not list the glyphs asked for" for g in glyphs}
        bad: dict[int, str] = {}
        # verdicts shared by many glyphs, worked out once per subset: Font DICT pairs, subroutines
        private_ok: dict[tuple[int, int], bool] = {}
        verdicts: dict[tuple[int, int, int], str | None] = {}  # (-2, fd, subset fd): unfollowed glyphs
        sub_charstrings = _objects(sub.charstrings)  # every one is compared: sliced at once
        charstrings = self.charstrings
        # the source's charstrings sliced in one pass where every glyph is in range (a glyph out
        # of range is damaged, and glyph_problem says so before its charstring is looked at)
        in_range = bool(glyphs) and min(glyphs) >= 0 and max(glyphs) < charstrings.count
        src_charstrings = charstrings.take(glyphs) if in_range else None
        problems, exact = self._problems, self._exact
        fd_select, sub_fd_select = self.fd_select, sub.fd_select
        # the glyphs whose calls the scanner followed, by subset Font DICT: their calls are looked
        # up together below, each once a subset (most glyphs share most of their subroutines)
        followed: dict[int, list[tuple[int, frozenset[_Call]]]] = {}
        for k, gid in enumerate(glyphs):
            problem = problems[gid] if gid in problems else self.glyph_problem(gid)
            if problem is not None:
                bad[gid] = f"damaged in the font: {problem}"
                continue
            if sub_charstrings[k] != (src_charstrings[k] if src_charstrings is not None else charstrings[gid]):
                bad[gid] = "its charstring differs from the font's"
                continue
            fd, sfd = fd_select(gid), sub_fd_select(k)
            ok = private_ok.get((fd, sfd))
            if ok is None:
                ok = private_ok[(fd, sfd)] = (0 <= sfd < len(sub.fds)
                                              and _private_body(sub.fds[sfd]) == _private_body(self.fds[fd]))
            if not ok:
                bad[gid] = "its Private DICT differs from the font's"
                continue
            calls = exact.get(gid)
            if calls is None:  # not followed by the scanner: only complete subroutine sets will do
                key = (-2, fd, sfd)
                if key not in verdicts:
                    pairs = [(self.gsubrs, sub.gsubrs), (self.fds[fd].subrs, sub.fds[sfd].subrs)]
                    verdicts[key] = (None if all(_same_index(a, b) for a, b in pairs) else
                                     "the scanner cannot follow it and the subset's subroutines are not all kept")
                why = verdicts[key]
                if why is not None:
                    bad[gid] = why
                continue
            if calls:
                members = followed.get(sfd)
                if members is None:
                    members = followed[sfd] = []
                members.append((gid, calls))
        subr_views: dict[tuple[int, int], tuple] = {}
        sound: dict[tuple[int, int], set[int]] = {}  # (kind, subset Font DICT or -1) -> subrs found sound
        failed: dict[tuple[int, int, int], str] = {}  # (kind, subset Font DICT or -1, index) -> why
        for sfd, members in followed.items():
            # the calls sorted, so each kind's are one slice (the globals, then the Font DICT's own)
            ordered = sorted(frozenset().union(*[calls for _, calls in members]))
            start = 0
            while start < len(ordered):
                kind = ordered[start][0]
                end = bisect_right(ordered, (kind, INDEX_LIMIT), start)
                at = sfd if kind >= 0 else -1
                done = sound.get((kind, at))
                if done is None:
                    done = sound[(kind, at)] = set()
                idxs = [c[1] for c in ordered[start:end] if c[1] not in done]
                start = end
                if not idxs:
                    continue
                view = subr_views.get((kind, at))
                if view is None:
                    view = self._subr_view(sub, kind, sfd, subr_views)
                src_items, sub_index, offs = view
                # the sound case at once: every subroutine sliced from the subset and the lists
                # compared (in C); _subr_verdict says what is wrong, one call at a time
                if offs is not None and idxs[0] >= 0 and idxs[-1] < sub_index.count:
                    data, base = sub_index.data, sub_index.data_at
                    if [data[base + offs[i]:base + offs[i + 1]] for i in idxs] == [src_items[i] for i in idxs]:
                        done.update(idxs)
                        continue
                for i in idxs:
                    why = self._subr_verdict(sub, (kind, i), sfd)
                    if why is None:
                        done.add(i)
                    else:
                        failed[(kind, at, i)] = why
            if not failed:
                continue
            for gid, calls in members:
                for kind, idx in calls:  # the first failing call in the order of the glyph's calls
                    why = failed.get((kind, sfd if kind >= 0 else -1, idx))
                    if why is not None:
                        bad[gid] = why
                        break
        # in the order of `glyphs`, as the callers list them
        return {g: bad[g] for g in glyphs if g in bad} if bad else bad

    def _subr_view(self, sub: CffSource, kind: int, sfd: int, views: dict) -> tuple:
        """For comparing subroutines of kind `kind` (-1 global, else the source Font DICT) with the
        subset's (its Font DICT `sfd`): the source's objects, the subset's INDEX and its offsets
        (unpacked at once: slicing the few objects compared beats slicing all), or None for the
        offsets when the numbering differs (every call then fails). Kept in `views` per subset."""
        src_index = self.gsubrs if kind < 0 else self.fds[kind].subrs
        sub_index = sub.gsubrs if kind < 0 else sub.fds[sfd].subrs
        same = sub_index is not None and subr_bias(sub_index.count) == subr_bias(src_index.count)
        view = views[(kind, sfd if kind >= 0 else -1)] = (src_index.items, sub_index, _offsets(sub_index) if same else None)
        return view

    def _subr_verdict(self, sub: CffSource, call: _Call, sfd: int) -> str | None:
        """Why the subset `sub` (glyph in its Font DICT `sfd`) does not hold subroutine `call` of
        this font exactly, under the same number; None if it does."""
        kind, idx = call
        src_index = self.gsubrs if kind < 0 else self.fds[kind].subrs
        sub_index = sub.gsubrs if kind < 0 else sub.fds[sfd].subrs
        if (sub_index is not None and subr_bias(sub_index.count) == subr_bias(src_index.count)
                and 0 <= idx < sub_index.count and sub_index[idx] == src_index.items[idx]):
            return None
        what = f"{'global' if kind < 0 else 'local'} subroutine {idx}"
        if sub_index is None or subr_bias(sub_index.count) != subr_bias(src_index.count):
            return f"{what}: the subset's subroutine numbering differs"
        if not 0 <= idx < sub_index.count:
            return f"{what} is out of range in the subset ({sub_index.count} subroutines)"
        return f"{what} is missing from the subset"

    # ------------------------------------------------------------ writing

    def _write(self, glyphs: list[int], font_name: bytes, keep_all: bool) -> bytes:
        """The subset of sorted `glyphs` (.notdef first), unchecked; `keep_all` keeps every subroutine."""
        fd_of = [self.fd_select(g) for g in glyphs]
        gsub_used, lsub_used = self._used_subrs(glyphs, fd_of)
        used_fds = sorted(set(fd_of))
        new_fd = {fd: k for k, fd in enumerate(used_fds)}

        strings = [b"Adobe", b"Identity"]
        gsubr_index = self._subr_index(self.gsubrs, gsub_used, keep_all)
        charset = _charset(glyphs)
        fdselect = _fdselect([new_fd[f] for f in fd_of])
        charstrings = build_index(self.charstrings.take(glyphs))

        # Private DICTs, each followed by its local subrs, placed after everything else.
        privates: list[tuple[bytes, bytes]] = []
        for fd in used_fds:
            src = self.fds[fd]
            body = b"".join(e.raw + _op(e.op) for e in src.private if e.op != OP_SUBRS)
            local = b""
            if src.subrs is not None and (lsub_used.get(fd) or keep_all):
                # the Subrs offset is relative to the Private DICT start; the INDEX follows the DICT
                body += _int5(len(body) + 6) + _op(OP_SUBRS)
                local = self._subr_index(src.subrs, lsub_used.get(fd, set()), keep_all)
            privates.append((body, local))

        top_fixed = [e for e in self.top if e.op == OP_FONTBBOX or (self.is_cid and e.op == OP_FONTMATRIX)]

        def top_dict(charset_at: int, fdselect_at: int, cs_at: int, fdarray_at: int) -> bytes:
            out = _int5(N_STD_STRINGS) + _int5(N_STD_STRINGS + 1) + _int5(0) + _op(OP_ROS)
            out += b"".join(e.raw + _op(e.op) for e in top_fixed)
            out += _int5(self.num_glyphs) + _op(OP_CIDCOUNT)
            out += _int5(charset_at) + _op(OP_CHARSET)
            out += _int5(fdselect_at) + _op(OP_FDSELECT)
            out += _int5(cs_at) + _op(OP_CHARSTRINGS)
            out += _int5(fdarray_at) + _op(OP_FDARRAY)
            return out

        def font_dicts(private_at: list[int]) -> list[bytes]:
            out = []
            for k, fd in enumerate(used_fds):
                # FontName is a SID into the source's String INDEX: not carried over
                body = b"".join(e.raw + _op(e.op) for e in self.fds[fd].font_entries if e.op != OP_FONTNAME)
                out.append(body + _int5(len(privates[k][0])) + _int5(private_at[k]) + _op(OP_PRIVATE))
            return out

        header = b"\x01\x00\x04\x04"
        name_index = build_index([font_name])
        string_index = build_index(strings)
        # offsets are written in fixed 5-byte form, so lengths are known before positions
        pos = len(header) + len(name_index) + len(build_index([top_dict(0, 0, 0, 0)]))
        pos += len(string_index) + len(gsubr_index)
        charset_at = pos
        fdselect_at = charset_at + len(charset)
        cs_at = fdselect_at + len(fdselect)
        fdarray_at = cs_at + len(charstrings)
        pos = fdarray_at + len(build_index(font_dicts([0] * len(used_fds))))
        private_at = []
        for body, local in privates:
            private_at.append(pos)
            pos += len(body) + len(local)
        top_index = build_index([top_dict(charset_at, fdselect_at, cs_at, fdarray_at)])
        parts = [header, name_index, top_index, string_index, gsubr_index, charset, fdselect, charstrings,
                 build_index(font_dicts(private_at))]
        for body, local in privates:
            parts += [body, local]
        return b"".join(parts)

    def _used_subrs(self, glyphs: list[int], fd_of: list[int]) -> tuple[set[int], dict[int, set[int]]]:
        """The global subroutines and the local ones (by Font DICT) that `glyphs` call, their
        closures split by kind with one set comprehension per kind, not a step per call (a page's
        glyphs reach thousands of subroutines)."""
        closure = self.closure
        by_fd: dict[int, list[int]] = {}
        for g, fd in zip(glyphs, fd_of, strict=True):
            members = by_fd.get(fd)
            if members is None:
                members = by_fd[fd] = []
            members.append(g)
        gsub_used: set[int] = set()
        lsub_used: dict[int, set[int]] = {}
        for fd, members in by_fd.items():
            calls = set().union(*[closure(g) for g in members])
            glob = {idx for kind, idx in calls if kind < 0}
            local = {idx for kind, idx in calls if kind == fd}
            gsub_used |= glob
            if len(glob) + len(local) != len(calls):  # a local call of another Font DICT: each by its own
                for kind, idx in calls:
                    if kind >= 0:
                        lsub_used.setdefault(kind, set()).add(idx)
            elif local:
                lsub_used.setdefault(fd, set()).update(local)
        return gsub_used, lsub_used

    def _subr_index(self, subrs: Index, used: set[int], keep_all: bool) -> bytes:
        if subrs.count == 0:
            return b"\x00\x00"
        if keep_all:
            return bytes(subrs.data[subrs.offsets_at - 3 : subrs.end])
        count = max(max(used, default=-1) + 1, _bias_floor(subrs.count))
        every = subrs.items
        items = [RETURN] * count
        for i in used:
            items[i] = every[i]
        # build_index's offsets without measuring every item: all are the 1-byte `return` but the
        # used ones, whose lengths the source's offsets give (a CJK Font DICT has ~19 000 subrs)
        import numpy as np

        lens = np.ones(count, np.int64)
        if used:
            at = np.fromiter(used, np.int64, len(used))
            lens[at] = subrs.lengths[at]
        return _index_bytes(lens, items)


def _zero(_gid: int) -> int:
    return 0


def _private_body(fd: FontDict) -> list[tuple[int, bytes]]:
    """A Private DICT's entries as (operator, operand bytes), without the Subrs offset (which moves)."""
    return [(e.op, e.raw) for e in fd.private if e.op != OP_SUBRS]


def _same_index(a: Index | None, b: Index | None) -> bool:
    if a is None or b is None:
        return (a is None or a.count == 0) and (b is None or b.count == 0)
    return a.count == b.count and a.items == b.items


def _read_charset(data: bytes, top: list[DictEntry], n_glyphs: int) -> list[int]:
    """Glyph index -> SID/CID, from the charset the Top DICT points at (formats 0, 1 and 2)."""
    entry = dict_get(top, OP_CHARSET)
    if entry is None or n_glyphs == 0:
        raise CffError("no charset")
    pos = int(entry.values[0])
    if pos < 3:
        raise CffError("a predefined charset in a CID-keyed font")
    fmt = data[pos]
    pos += 1
    out = [0]
    if fmt == 0:
        out += struct.unpack_from(f">{n_glyphs - 1}H", data, pos)
        return out
    if fmt not in (1, 2):
        raise CffError(f"charset format {fmt}")
    while len(out) < n_glyphs:
        first, left = struct.unpack_from(">HB" if fmt == 1 else ">HH", data, pos)
        pos += 3 if fmt == 1 else 4
        out += range(first, first + left + 1)
    if len(out) != n_glyphs:
        raise CffError("the charset lists more glyphs than the font has")
    return out


def _read_fdselect(data: bytes, pos: int, n_glyphs: int):
    fmt = data[pos]
    if fmt == 0:
        table = data[pos + 1 : pos + 1 + n_glyphs]
        return table.__getitem__
    if fmt == 3:
        (n_ranges,) = struct.unpack_from(">H", data, pos + 1)
        firsts, fds = [], []
        for r in range(n_ranges):
            first, fd = struct.unpack_from(">HB", data, pos + 3 + 3 * r)
            firsts.append(first)
            fds.append(fd)

        def lookup(gid: int) -> int:
            return fds[bisect_right(firsts, gid) - 1]

        return lookup
    raise CffError(f"FDSelect format {fmt} not supported")


def _op(op: int) -> bytes:
    return bytes((12, op - 1200)) if op >= 1200 else bytes((op,))


def _int5(v: int) -> bytes:
    """A DICT integer in the fixed 5-byte form, so offsets can be patched without re-layout."""
    return b"\x1d" + struct.pack(">i", v)


def _index_bytes(lens: np.ndarray, items: list[bytes]) -> bytes:
    """build_index of `items` whose lengths are `lens` (the same bytes)."""
    import numpy as np

    n = len(items)
    ends = np.empty(n + 1, np.int64)
    ends[0] = 1
    np.cumsum(lens, out=ends[1:])
    ends[1:] += 1
    last = int(ends[-1])
    off_size = 1 if last < 0x100 else 2 if last < 0x10000 else 3 if last < 0x1000000 else 4
    if off_size == 1:
        offsets = ends.astype(np.uint8).tobytes()
    elif off_size == 2:
        offsets = ends.astype(">u2").tobytes()
    elif off_size == 4:
        offsets = ends.astype(">u4").tobytes()
    else:  # 3 bytes: the low three of each big-endian 4
        offsets = ends.astype(">u4").view(np.uint8).reshape(-1, 4)[:, 1:].tobytes()
    return struct.pack(">HB", n, off_size) + offsets + b"".join(items)


def build_index(items: list[bytes]) -> bytes:
    if not items:
        return b"\x00\x00"
    ends = list(accumulate(map(len, items), initial=1))
    last = ends[-1]
    off_size = 1 if last < 0x100 else 2 if last < 0x10000 else 3 if last < 0x1000000 else 4
    if off_size == 4:
        offsets = struct.pack(f">{len(ends)}I", *ends)
    elif off_size == 2:
        offsets = struct.pack(f">{len(ends)}H", *ends)
    elif off_size == 1:
        offsets = bytes(ends)
    else:  # 3 bytes: pack as 4 and drop each high byte (an extended-slice delete runs in C)
        wide = bytearray(struct.pack(f">{len(ends)}I", *ends))
        del wide[::4]
        offsets = bytes(wide)
    return struct.pack(">HB", len(items), off_size) + offsets + b"".join(items)


def _charset(glyphs: list[int]) -> bytes:
    """Format 2 charset (ranges) for glyph index 1.. -> CID = source gid."""
    out = [b"\x02"]
    rest = glyphs[1:]
    k = 0
    while k < len(rest):
        first = rest[k]
        j = k
        while j + 1 < len(rest) and rest[j + 1] == rest[j] + 1 and j - k < 65535:
            j += 1
        out.append(struct.pack(">HH", first, j - k))
        k = j + 1
    return b"".join(out)


def _fdselect(fds: list[int]) -> bytes:
    ranges = []
    for gi, fd in enumerate(fds):
        if not ranges or ranges[-1][1] != fd:
            ranges.append((gi, fd))
    body = b"".join(struct.pack(">HB", gi, fd) for gi, fd in ranges)
    return b"\x03" + struct.pack(">H", len(ranges)) + body + struct.pack(">H", len(fds))


# ---------------------------------------------------------------- drawing (ink boxes)


class _CharStringList:
    """Subroutines as fontTools T2CharStrings, made on first use (for fontTools' interpreter)."""

    def __init__(self, index: Index | None):
        self._index = index
        self._made: dict[int, object] = {}

    def __len__(self) -> int:
        return self._index.count if self._index else 0

    def __getitem__(self, i: int):
        cs = self._made.get(i)
        if cs is None:
            from fontTools.misc.psCharStrings import T2CharString

            cs = self._made[i] = T2CharString(bytecode=self._index[i])
        return cs


@dataclass
class _Private:
    Subrs: _CharStringList  # noqa: N815 - fontTools' attribute names
    nominalWidthX: float  # noqa: N815
    defaultWidthX: float  # noqa: N815


def draw_glyph(src: CffSource, gid: int, pen) -> None:
    """Draw glyph `gid` with fontTools' Type 2 interpreter straight from the parsed CFF, without
    fontTools decompiling the whole table (which takes ~0.1 s on a CJK face)."""
    from fontTools.misc.psCharStrings import T2CharString

    fd = src.fd_select(gid)
    privates = src._draw_privates
    if src._draw_gsubrs is None:
        src._draw_gsubrs = _CharStringList(src.gsubrs)
    gsubrs = src._draw_gsubrs
    private = privates.get(fd)
    if private is None:
        font_dict = src.fds[fd]
        nominal = dict_get(font_dict.private, 21)
        default = dict_get(font_dict.private, 20)
        private = privates[fd] = _Private(
            _CharStringList(font_dict.subrs),
            _dict_number(nominal),
            _dict_number(default),
        )
    T2CharString(bytecode=src.charstrings[gid], private=private, globalSubrs=gsubrs).draw(pen)


def _dict_number(entry: DictEntry | None) -> float:
    """The value of a one-operand DICT entry, reals included (widths are often integers anyway)."""
    if entry is None:
        return 0
    raw = entry.raw
    if raw and raw[0] == 30:
        from fontTools.misc.psCharStrings import read_realNumber

        return read_realNumber(None, None, raw, 1)[0]
    return entry.values[0]
