"""Prefix sums over a segmented paragraph, so any candidate line's width, shrink and stretch are
known in constant time (the breakers try many lines per paragraph)."""

from __future__ import annotations

from layout.text import rules_zh as R
from layout.text.segment import G_GLUE, G_NONE, G_SPACE, Segmented
from layout.text.style import CompositionStyle

EPS = 1e-9


class LineMetrics:
    def __init__(self, seg: Segmented, style: CompositionStyle, measure: float, indent: float,
                 hang: float = 0.0):
        rule = R.PUNCT_STYLES[style.punct_style]
        units = seg.units
        n = len(units)
        self.n = n
        self.measure = measure
        self.indent = indent
        self.hang = hang  # R36: the indent of every line after the first
        self.line_end_trim = rule.line_end_trim and not style.grid_mode
        start_trim = rule.line_start_trim and style.open_at_line_start == "trim" and not style.grid_mode
        gw = seg.gap_width
        self.gw = gw
        self.gap_break = seg.gap_break
        self.gap_soft = seg.gap_soft
        X = [0.0] * (n + 1)  # solid position of each unit's left edge
        US = [0.0] * (n + 1)  # unit blanks that justification may remove (R29)
        HC = [0] * (n + 1)  # Han characters (R37)
        LC = [0] * (n + 1)  # Latin units
        GS = [0.0] * (n + 1)  # gap shrink (word spaces to ¼ em, glue to ⅛ em)
        E12 = [0.0] * (n + 1)  # gap stretch of R30 steps 1 and 2
        CNT = [0] * (n + 1)  # gaps that take part in R30 step 3
        st = [0.0] * n  # leading blank removed at a line start (R17)
        et = [0.0] * n  # trailing blank removed at a line end (R16)
        st_used = [0.0] * n  # the part of st that was also shrinkable (so not available twice)
        et_used = [0.0] * n
        free_end = [0.0] * n  # trailing blank that only the line-end step (R29 step 1) may remove
        pinned = style.han_latin_pinned
        glue_shrink = 0.0 if pinned else max(0.0, style.han_latin - R.GLUE_MIN)
        glue_stretch = 0.0 if pinned else max(0.0, style.han_latin_max - style.han_latin)
        x = us = gs = e12 = 0.0
        hc = lc = cnt = 0
        for k, u in enumerate(units):
            adjustable = u.step >= 0
            if start_trim and u.cls == R.OPEN:
                st[k] = u.lead_cap
                st_used[k] = u.lead_cap if adjustable else 0.0
            if self.line_end_trim:
                et[k] = u.trail_cap
                et_used[k] = u.trail_cap if adjustable else 0.0
            elif not adjustable:
                free_end[k] = u.trail_cap
            if adjustable:
                us += u.lead_cap + u.trail_cap
            # R37 counts content characters of any script: 5。 and A。 are as lone as 甲。
            hc += u.han if u.kind != R.LATIN else sum(1 for g in u.glyphs if g[1].isalnum())
            lc += u.kind == R.LATIN
            g = gw[k]
            kind = seg.gap_kind[k]
            if kind == G_SPACE:
                gs += max(0.0, g - R.WORD_SPACE_MIN)
                e12 += max(0.0, R.WORD_SPACE_MAX - g)
            elif kind == G_GLUE:
                gs += glue_shrink
                e12 += glue_stretch
            if kind != G_NONE:
                cnt += 1
            x += u.width + g
            X[k + 1], US[k + 1], HC[k + 1], LC[k + 1] = x, us, hc, lc
            GS[k + 1], E12[k + 1], CNT[k + 1] = gs, e12, cnt
        self.X, self.US, self.HC, self.LC, self.GS, self.E12, self.CNT = X, US, HC, LC, GS, E12, CNT
        self.st, self.et, self.st_used, self.et_used, self.free_end = st, et, st_used, et_used, free_end

    def natural(self, i: int, j: int) -> float:
        """Width of units [i, j) set as a non-last line, before justification."""
        w = self.X[j] - self.X[i] - self.gw[j - 1] - self.st[i] - self.et[j - 1]
        return w + (self.indent if i == 0 else self.hang)

    def natural_last(self, i: int) -> float:
        """Width of units [i, n) as the last line: its end mark keeps its blank (R16 exception)."""
        n = self.n
        w = self.X[n] - self.X[i] - self.st[i]
        return w + (self.indent if i == 0 else self.hang)

    def shrink(self, i: int, j: int) -> float:
        """All blank justification may still remove from the line [i, j) (R29 steps 1-7)."""
        return (self.US[j] - self.US[i] + self.GS[j - 1] - self.GS[i]
                - self.st_used[i] - self.et_used[j - 1] + self.free_end[j - 1])

    def stretch(self, i: int, j: int) -> tuple[float, int]:
        """(bounded stretch of R30 steps 1-2, count of step-3 gaps) inside the line [i, j)."""
        return self.E12[j - 1] - self.E12[i], self.CNT[j - 1] - self.CNT[i]

    def orphan(self, i: int) -> int:
        """Content characters (Han, letters, digits) of a last line starting at unit i, or -1 when
        R37 does not apply to it (a one-line paragraph)."""
        if i == 0:
            return -1
        return self.HC[self.n] - self.HC[i]
