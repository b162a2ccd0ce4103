"""Setting one line: line-start/end trims (R16, R17), reduction (R29) or expansion (R30) to the
measure, last-line alignment (R31), and the glyph positions."""

from __future__ import annotations

from layout.text import rules_zh as R
from layout.text.linemetrics import EPS, LineMetrics
from layout.text.lines import ComposedGlyph, ComposedLine
from layout.text.segment import G_GLUE, G_NONE, G_SPACE, Segmented
from layout.text.style import CompositionStyle


def set_line(seg: Segmented, m: LineMetrics, style: CompositionStyle, i: int, j: int,
             forced: bool, dropped: list[int]) -> ComposedLine:
    units = seg.units
    L = m.measure
    last = j == m.n
    count = j - i
    ind = m.indent if i == 0 else m.hang
    lead = [0.0] * count
    trail = [0.0] * count
    lead[0] = m.st[i]
    if not last or m.natural_last(i) > L + EPS:
        trail[-1] = m.et[j - 1]  # R16 (a last line only when it is full)
    gaps = seg.gap_width[i:j - 1]
    width = ind + (m.X[j] - m.X[i] - seg.gap_width[j - 1]) - lead[0] - trail[-1]
    need = L - width
    justified = False
    if need < -EPS:
        _reduce(units, i, j, m, style, seg, lead, trail, gaps, -need)
        justified = True
    elif need > EPS and style.justify and (not last or style.last_line == "distribute"):
        justified = _expand(seg, i, j, style, gaps, need)
    elif not last and style.justify:
        justified = True
    offset = ind
    if last and style.last_line == "centre" and need > EPS:
        offset += need / 2
    glyphs: list[ComposedGlyph] = []
    append = glyphs.append
    gap_space = seg.gap_space
    x = offset
    # One pass over the line's units with their trims, gaps and word spaces side by side (zip, not
    # indexing: this loop makes every glyph of every line the engine sets).
    last_idx = count - 1
    for idx, (u, lt, tt, sp) in enumerate(zip(units[i:j], lead, trail, gap_space[i:j], strict=True)):
        ug = u.glyphs
        if len(ug) == 1:
            k, ch, face, gid, gx, _, _ = ug[0]
            append(ComposedGlyph(k, ch, face, gid, x + gx - lt, u.width - lt - tt, x))
        else:
            last_g = len(ug) - 1
            for gi, (k, ch, face, gid, gx, bx, gw) in enumerate(ug):
                w = gw - (lt if gi == 0 else 0.0) - (tt if gi == last_g else 0.0)
                append(ComposedGlyph(k, ch, face, gid, x + gx - lt, w, x + bx - (lt if gi else 0.0)))
        x += u.width - lt - tt
        if idx < last_idx:
            g = gaps[idx]
            if sp >= 0:
                face, gid = seg.space_glyph
                append(ComposedGlyph(sp, seg.text[sp], face, gid, x, g, x))
            x += g
    if not last and gap_space[j - 1] >= 0:
        dropped.append(gap_space[j - 1])  # a word space at a break is not drawn
    adjust = x - (offset - ind) - width
    return ComposedLine(tuple(glyphs), units[i].start, units[j - 1].end, x, last, ind, adjust, justified, forced)


def _reduce(units, i, j, m: LineMetrics, style: CompositionStyle, seg: Segmented,
            lead: list[float], trail: list[float], gaps: list[float], need: float) -> None:
    """R29: remove blank step by step; within a step every instance gives the same share."""
    entries: list[tuple[int, str, int, float]] = []  # (step, where, index, capacity)
    count = j - i
    for idx in range(count):
        u = units[i + idx]
        lc = u.lead_cap - lead[idx] if u.step >= 0 else 0.0
        tc = u.trail_cap - trail[idx]
        if idx == count - 1 and not m.line_end_trim:
            if tc > EPS:
                entries.append((R.SHRINK_LINE_END, "t", idx, tc))
            tc = 0.0
        elif u.step < 0:
            tc = 0.0
        if lc > EPS:
            entries.append((u.step, "l", idx, lc))
        if tc > EPS:
            entries.append((u.step, "t", idx, tc))
    glue_shrink = 0.0 if style.han_latin_pinned else max(0.0, style.han_latin - R.GLUE_MIN)
    for idx, g in enumerate(gaps):
        kind = seg.gap_kind[i + idx]
        if kind == G_SPACE and g > R.WORD_SPACE_MIN:
            entries.append((R.SHRINK_WORD_SPACE, "g", idx, g - R.WORD_SPACE_MIN))
        elif kind == G_GLUE and glue_shrink > 0:
            entries.append((R.SHRINK_GLUE, "g", idx, glue_shrink))
    for step in range(R.SHRINK_STEPS):
        if need <= EPS:
            break
        group = [e for e in entries if e[0] == step]
        total = sum(e[3] for e in group)
        if total <= EPS:
            continue
        f = min(1.0, need / total)
        for _, where, idx, cap in group:
            if where == "l":
                lead[idx] += f * cap
            elif where == "t":
                trail[idx] += f * cap
            else:
                gaps[idx] -= f * cap
        need -= f * total


def _expand(seg: Segmented, i: int, j: int, style: CompositionStyle, gaps: list[float], need: float) -> bool:
    """R30: word spaces to ½ em, then Han–Latin glue to its maximum, then every remaining gap
    equally. Latin is never letter-spaced (R26, R32). False when the line has no gap at all."""
    kinds = seg.gap_kind[i:j - 1]
    if not gaps:
        return False
    glue_max = style.han_latin if style.han_latin_pinned else style.han_latin_max
    for kind, limit in ((G_SPACE, R.WORD_SPACE_MAX), (G_GLUE, glue_max)):
        caps = [(k, limit - g) for k, g in enumerate(gaps) if kinds[k] == kind and limit - g > EPS]
        total = sum(c for _, c in caps)
        if total > EPS and need > EPS:
            f = min(1.0, need / total)
            for k, c in caps:
                gaps[k] += f * c
            need -= f * total
    if need > EPS:
        open_gaps = [k for k, kind in enumerate(kinds) if kind != G_NONE]
        if not open_gaps:
            if any(i <= k < j - 1 for k in seg.gap_join):
                # a line of a web address (and perhaps the mark after it) is set flush: opened,
                # it would print a space inside the address or before its comma
                return False
            open_gaps = list(range(len(gaps)))  # last resort: no rule-abiding gap on this line
        share = need / len(open_gaps)
        for k in open_gaps:
            gaps[k] += share
    return True
