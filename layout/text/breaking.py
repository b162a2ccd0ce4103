"""Line breaking: optimal total-fit (Knuth–Plass style) and the first-fit reference breaker.

Both see the paragraph as units with gaps (segment.py) and ask LineMetrics what a candidate line
costs. Punctuation widths are settled before any break is chosen (R6). A break is legal only where
the gap allows it (R5, R9, R10); when none is, a forced break is taken and flagged.
"""

from __future__ import annotations

from bisect import bisect_left

from layout.text.linemetrics import EPS, LineMetrics

INF = float("inf")
LINE_PENALTY = 10.0
BAD_MAX = 10000.0  # badness cap, so the rule penalties below always dominate looseness
FORCED = 1e12  # demerits of a break that violates R5/R9/R10 (only when nothing else is possible)
ORPHAN = 1e9  # demerits of a last line with a lone Han character (R37)
# Demerits of a break R10 avoids (」|「, LineMetrics.gap_soft): taken only to spare a line looser
# than about 0.22 em a gap, e.g. in plain (Taiwan) style, where no mark can be compressed instead.
SOFT = 2500.0


def is_orphan(han: int, min_han: int) -> bool:
    """R37 for a last line of `han` content characters (-1: a one-line paragraph, exempt). A last
    line of marks only (a lone 。 where the kinsoku level lets a stop start a line) has 0 and is
    as much an orphan as a lone 甲。."""
    return 0 <= han < min_han


def line_badness(m: LineMetrics, i: int, j: int, rmax: float) -> float:
    """Badness of units [i, j) as a justified line, INF when it cannot be set within the limits."""
    L = m.measure
    w = m.natural(i, j)
    if w > L + EPS:
        cap = m.shrink(i, j)
        need = w - L
        if need > cap + EPS:
            return INF
        # Reducing punctuation is the normal way Chinese lines close up (R7 pull-back): cheap.
        return 20.0 * (need / cap) ** 2
    need = L - w
    if need <= EPS:
        return 0.0
    e12, cnt = m.stretch(i, j)
    rest = need - e12
    if rest <= EPS:
        return need / e12
    if cnt == 0:
        gaps = j - 1 - i
        if gaps <= 0:
            return BAD_MAX + 1.0 if rmax == INF else INF  # cannot be spread at all: the worst
        r = rest / gaps
        extra = 1000.0
    else:
        r = rest / cnt
        extra = 0.0
    if r > rmax:
        return INF
    return min(BAD_MAX, extra + 100.0 * (r / 0.3) ** 3)


def last_badness(m: LineMetrics, i: int) -> float:
    L = m.measure
    w = m.natural_last(i)
    if w <= L + EPS:
        return 0.0
    n = m.n
    w = m.natural(i, n)  # full: the end mark is trimmed (R16), then reduction (R29)
    if w <= L + EPS:
        return 0.0
    need = w - L
    cap = m.shrink(i, n)
    return INF if need > cap + EPS else 20.0 * (need / cap) ** 2


def _orphan_cost(m: LineMetrics, i: int, min_han: int) -> float:
    return ORPHAN if is_orphan(m.orphan(i), min_han) else 0.0


def total_fit(m: LineMetrics, max_stretch: float, min_han: int) -> tuple[list[int], bool]:
    """Breaks (unit indices where lines start, plus n) minimising total demerits; and whether a
    forced break had to be used."""
    # A tight first pass keeps the search small (few starts are reachable through lines that
    # loose); wider passes run only when it finds nothing.
    passes = ((max_stretch / 2, False), (max_stretch, False), (INF, False), (INF, True))
    for rmax, allow_forced in passes:
        breaks = _total_fit_pass(m, rmax, allow_forced, min_han)
        if breaks is None:
            continue
        if rmax != INF and len(breaks) > 2 and is_orphan(m.orphan(breaks[-2]), min_han):
            # R37 is a MUST: accept a looser line rather than a lone last character.
            loose = _total_fit_pass(m, INF, False, min_han)
            if loose is not None and not is_orphan(m.orphan(loose[-2]), min_han):
                return loose, False
        return breaks, allow_forced
    raise AssertionError("the forced pass always finds a path")


def _total_fit_pass(m: LineMetrics, rmax: float, allow_forced: bool, min_han: int) -> list[int] | None:
    n = m.n
    L = m.measure
    # Local names for the prefix arrays: this loop runs for every reachable break (hot path).
    X, gw, st, et, US, GS = m.X, m.gw, m.st, m.et, m.US, m.GS
    st_used, et_used, free_end, E12, CNT = m.st_used, m.et_used, m.free_end, m.E12, m.CNT
    gap_break = m.gap_break
    soft_gaps = m.gap_soft
    best = [INF] * (n + 1)
    prev = [-1] * (n + 1)
    best[0] = 0.0
    limit = L + EPS
    for i in range(n):
        base = best[i]
        if base == INF:
            continue
        ind = m.indent if i == 0 else m.hang
        left = X[i] + st[i] - ind
        shrink_left = US[i] + GS[i] + st_used[i]
        e12_left, cnt_left = E12[i], CNT[i]
        if X[n] - left <= limit + US[n] + GS[n] - shrink_left + et[n - 1] and last_badness(m, i) < INF:
            d = base + LINE_PENALTY * LINE_PENALTY + _orphan_cost(m, i, min_han)
            if d < best[n]:
                best[n], prev[n] = d, i
        elif allow_forced and i == n - 1 and base + FORCED < best[n]:
            best[n], prev[n] = base + FORCED, i  # a last unit wider than the measure
        # the longest line that reduction can still bring to the measure
        j = min(n, max(i + 1, bisect_left(X, left + L)))
        while j < n:
            k = j  # try one more unit
            w = X[k + 1] - gw[k] - et[k] - left
            if w - (US[k + 1] + GS[k] - shrink_left - et_used[k] + free_end[k]) > limit:
                break
            j += 1
        while j > i:
            if j == n:
                j -= 1
                continue
            k = j - 1
            w = X[j] - gw[k] - et[k] - left
            legal = gap_break[k]
            soft = 0.0
            if not legal and soft_gaps and k in soft_gaps:
                legal, soft = True, SOFT
            if w > limit:
                if legal or allow_forced:
                    cap = US[j] + GS[k] - shrink_left - et_used[k] + free_end[k]
                    need = w - L
                    if need <= cap + EPS:
                        d = base + (LINE_PENALTY + 20.0 * (need / cap) ** 2) ** 2 + (soft if legal else FORCED)
                        if d < best[j]:
                            best[j], prev[j] = d, i
                    elif j == i + 1 and allow_forced and best[j] == INF:
                        best[j], prev[j] = base + FORCED, i  # a unit wider than the measure
                j -= 1
                continue
            need = L - w
            bad = 0.0
            if need > EPS:
                rest = need - (E12[k] - e12_left)
                if rest > EPS:
                    cnt = CNT[k] - cnt_left
                    if cnt > 0:
                        r = rest / cnt
                        if r > rmax:
                            break  # looser still with fewer units
                        bad = 100.0 * (r / 0.3) ** 3
                        if bad > BAD_MAX:
                            bad = BAD_MAX
                    else:
                        bad = line_badness(m, i, j, rmax)
                        if bad == INF:
                            j -= 1
                            continue
                else:
                    bad = need / (E12[k] - e12_left)
            if legal or allow_forced:
                d = base + (LINE_PENALTY + bad) ** 2 + (soft if legal else FORCED)
                if d < best[j]:
                    best[j], prev[j] = d, i
            j -= 1
    if best[n] == INF:
        return None
    out = [n]
    k = n
    while k > 0:
        k = prev[k]
        out.append(k)
    return out[::-1]


def _fits(m: LineMetrics, i: int, j: int) -> bool:
    if j == m.n:
        return last_badness(m, i) < INF
    return m.natural(i, j) - m.shrink(i, j) <= m.measure + EPS


def first_fit(m: LineMetrics, min_han: int) -> tuple[list[int], bool]:
    """The reference breaker of cjk-rules §d: the natural break, else pull back (R7.1), else push
    down (R7.2); then the orphan rule (R37)."""
    n = m.n
    L = m.measure
    gap_break = m.gap_break
    breaks = [0]
    forced = False
    i = 0
    while i < n:
        if m.natural_last(i) <= L + EPS:
            breaks.append(n)
            break
        j0 = i + 1  # the natural break: the longest line that fits without reduction
        while j0 < n and m.natural(i, j0 + 1) <= L + EPS:
            j0 += 1
        j = None
        if j0 < n and gap_break[j0 - 1] or j0 == n:
            j = j0
        else:
            k = j0 + 1
            while k <= n and _fits(m, i, k):  # pull back by reduction
                if k == n or gap_break[k - 1]:
                    j = k
                    break
                k += 1
            if j is None:  # push down
                for k in range(j0 - 1, i, -1):
                    if gap_break[k - 1]:
                        j = k
                        break
            if j is None:
                j, forced = j0, True
        breaks.append(j)
        i = j
    if len(breaks) > 2 and min_han > 0:
        _fix_orphan(m, breaks, min_han)
    return breaks, forced


def _fix_orphan(m: LineMetrics, breaks: list[int], min_han: int) -> None:
    """R37: pull the last line back into the previous one by reduction, else move the previous
    line's last character down."""
    start = breaks[-2]
    if not is_orphan(m.orphan(start), min_han):
        return
    p = breaks[-3]
    if last_badness(m, p) < INF:
        del breaks[-2]
        return
    for k in range(start - 1, p, -1):
        if (m.gap_break[k - 1] and line_badness(m, p, k, INF) < INF and last_badness(m, k) < INF
                and not is_orphan(m.orphan(k), min_han)):
            breaks[-2] = k
            return
