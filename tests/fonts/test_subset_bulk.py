"""The subsetters' bulk paths (issue 18) give what the item-by-item ones gave: INDEX offsets
unpacked at once, a sparse subroutine INDEX written from the source's lengths, the subset's
subroutines checked a kind at a time, a TrueType subset's advances read one by one."""

from __future__ import annotations

import random
import struct

import pytest

from layout.fonts.cff import CffSource, Index, _index_bytes, _offsets, build_index, read_index
from layout.fonts.face import Face, FaceSpec
from layout.fonts.sfnt import _checksum_fast

from .helpers import shipped_catalog

TEXT = "新華社記者報道，市政府今日公佈港口計劃。ABC 2026年12月「一」國務院總理研究部署"


@pytest.fixture(scope="module")
def catalog():
    return shipped_catalog()


def _reference_index(items: list[bytes]) -> bytes:
    """A CFF INDEX the plain way (count, offSize, 1-based offsets, data)."""
    ends = [1]
    for it in items:
        ends.append(ends[-1] + len(it))
    size = 1 if ends[-1] < 0x100 else 2 if ends[-1] < 0x10000 else 3 if ends[-1] < 0x1000000 else 4
    return struct.pack(">HB", len(items), size) + b"".join(e.to_bytes(size, "big") for e in ends) + b"".join(items)


@pytest.mark.parametrize("n, longest", [(3, 20), (200, 300), (3000, 40), (40, 500_000)])
def test_index_bytes_and_offsets_agree_with_the_plain_way(n, longest):
    import numpy as np

    rng = random.Random(n)
    items = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4))) * rng.randrange(1, longest // 3 + 2)
             for _ in range(n)]
    want = _reference_index(items)
    assert build_index(items) == want
    assert _index_bytes(np.array([len(i) for i in items], np.int64), items) == want
    index = read_index(want, 0)
    assert list(_offsets(index)) == [index._offset(i) for i in range(n + 1)]
    picks = [rng.randrange(n) for _ in range(50)]
    assert index.take(picks) == [items[i] for i in picks]
    assert [index[i] for i in picks] == [items[i] for i in picks]
    assert index.lengths.tolist() == [len(i) for i in items]


def test_an_index_refuses_items_out_of_range():
    index = read_index(_reference_index([b"a", b"bc"]), 0)
    for bad in (-1, 2):
        with pytest.raises(IndexError):
            index[bad]


def test_sparse_subroutine_index_is_the_full_list_written_out(catalog):
    src = catalog.chain("body").primary.outlines
    for subrs in [src.gsubrs] + [fd.subrs for fd in src.fds if fd.subrs is not None]:
        rng = random.Random(subrs.count)
        used = {rng.randrange(subrs.count) for _ in range(min(400, subrs.count))}
        count = max(max(used) + 1, 0 if subrs.count < 1240 else 1240 if subrs.count < 33900 else 33900)
        full = [subrs[i] if i in used else b"\x0b" for i in range(count)]
        assert src._subr_index(subrs, used, False) == build_index(full)


def _subset(face: Face, text: str) -> tuple[CffSource, list[int], bytes]:
    src = CffSource.parse(bytes(face.tables.table("CFF ")))
    glyphs = sorted({0, *(g for g in map(face.gid, text) if g is not None)})
    for g in glyphs:
        assert src.glyph_problem(g) is None
    return src, glyphs, src._write(glyphs, b"T", False)


def _reference_check(src: CffSource, sub: CffSource, glyphs: list[int]) -> dict[int, str]:
    """check_subset's verdicts on the subroutines alone, glyph by glyph as it used to go."""
    bad = {}
    for k, gid in enumerate(glyphs):
        sfd = sub.fd_select(k)
        for call in src._exact[gid]:
            why = src._subr_verdict(sub, call, sfd)
            if why is not None:
                bad[gid] = why
                break
    return bad


def test_damaged_subroutines_are_blamed_on_the_glyphs_that_call_them(catalog):
    face = catalog.chain("body").primary
    src, glyphs, program = _subset(face, TEXT)
    assert src.check_subset(program, glyphs) == {}
    sub = CffSource.parse(program)
    # damage two used subroutines of the subset (one global, one local), keeping their lengths
    calls = set().union(*(src._exact[g] for g in glyphs))
    damaged = bytearray(program)
    hit = []
    for kind in (-1, max(k for k, _ in calls)):
        idx = min(i for k, i in calls if k == kind and len(src.gsubrs[i] if k < 0 else src.fds[k].subrs[i]) > 2)
        sfd = next(sub.fd_select(n) for n, g in enumerate(glyphs) if src.fd_select(g) == kind) if kind >= 0 else 0
        index: Index = sub.gsubrs if kind < 0 else sub.fds[sfd].subrs
        at = index.data_at + index._offset(idx)
        damaged[at] ^= 0x01  # an operand changed: same length, other bytes
        hit.append((kind, idx))
    damaged_sub = CffSource.parse(bytes(damaged))
    got = src.check_subset(bytes(damaged), glyphs)
    want = _reference_check(src, damaged_sub, glyphs)
    assert got == want
    assert list(got) == [g for g in glyphs if g in got]  # in the order of the glyphs
    callers = {g for g in glyphs if any(c in src._exact[g] for c in hit)}
    assert set(got) == callers and callers
    assert all("missing from the subset" in why for why in got.values())


def test_truetype_advance_reads_what_the_metrics_list_holds(tmp_path):
    from .make_test_font import build_test_font

    face = Face(FaceSpec(build_test_font(tmp_path / "TF.ttf")))
    src = face.outlines
    assert [src.advance(g) for g in range(src.num_glyphs)] == [a for a, _ in src.advances]
    program, left = face.subset_checked({face.gid(ch) for ch in "新華社A。"})
    assert left == {}


@pytest.mark.parametrize("length", [0, 1, 3, 4, 7, 1000, 4099])
def test_checksum_is_the_sum_of_padded_words(length):
    rng = random.Random(length)
    block = bytes(rng.randrange(256) for _ in range(length))
    padded = block + b"\0" * (-len(block) % 4)
    want = sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF
    assert _checksum_fast(block, 0, len(block)) == want
    assert _checksum_fast(bytearray(block), 0, len(block)) == want
