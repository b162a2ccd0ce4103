"""Display lines (headline, kicker, deck, sub-head, teaser, caption, box-ad line) broken like a
compositor breaks them: at word and phrase boundaries, balanced, never a stub last line.

The body breaker (breaking.py) may break between any two Han characters (R12). Display text is
read at a glance, so here every legal break (R5, R9, R10 still hold) gets a cost:

- the editor's space between Han characters (kept as a phrase gap, segment.py) is the preferred
  break; a newline is a forced one;
- after a comma or other stop mark, a clause ends: almost as good;
- a word boundary (words.py) is an ordinary break, dearer next to a function word that leans on
  its neighbour (的 on the word before, 與 on the word after);
- inside a quoted or bracketed phrase (“借港出海”, 《江城雪》) costs more;
- between a number and its unit or counter word (80|萬人次, 第|12屆) costs more still;
- inside a word is the last resort, counted in `DisplayLines.inside_words` so the caller can warn.

For a given line count the lines are balanced: the cost of each line's distance from an equal
share is added, and a last line of fewer than three characters is all but forbidden. The fewest
lines win first, then the least cost. Display text is short (a few dozen units), so the search
over all break sequences is exact dynamic programming.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

from layout.fonts.chain import FontChain
from layout.text import rules_zh as R
from layout.text.breaking import last_badness
from layout.text.compose import _segmenter
from layout.text.justify import set_line
from layout.text.linemetrics import EPS, LineMetrics
from layout.text.lines import ComposedLine
from layout.text.segment import Segmented
from layout.text.style import CompositionStyle
from layout.text.words import word_spans

INF = float("inf")
# Costs of a break, by what it separates (see the module notes).
COST_SPACE = 0.0
COST_WORD = 12.0
COST_AFTER_STOP = 2.0  # after ，、；： a clause ends: nearly as good as the editor's space
COST_PHRASE = 30.0
COST_NUMBER = 60.0
COST_INSIDE_WORD = 1000.0
COST_STUB = 5000.0  # a line of fewer than MIN_LINE characters (issue 15: no stub last line)
COST_FORCED = 1e7  # R5/R9/R10 broken: only when nothing else can be set
BALANCE_WEIGHT = 40.0  # per line: (distance from an equal share / share)², times this
MIN_LINE = 3

_QUOTE_PAIRS = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』", "〈": "〉", "（": "）", "【": "】", "〔": "〕"}
# Han characters a number never leaves behind (第12屆, 12萬, 300萬人): prefixes before, units after.
_NUMBER_PREFIX = frozenset("第約近超逾達")
# Function words that lean on a neighbour: particles on the word before them (never start a line
# with 的了), prepositions and conjunctions on the word after (never end a line with 與把).
_LEAN_LEFT = frozenset("的了着著過們嗎呢吧")
_LEAN_RIGHT = frozenset("與和及或在把被對將向從為")
COST_FUNCTION_WORD = 8.0
# fit_display: how far under the largest fitting size a headline may go to keep the editor's phrases
# whole (the headline's one-line rule allows as much, layout/paginate/deck.py ONE_LINE_FLOOR)
PHRASE_FLOOR = 0.8


@dataclass(frozen=True)
class DisplayLines:
    lines: tuple[ComposedLine, ...]
    fits: bool  # every line within the measure and at most `max_lines` of them
    inside_words: int  # breaks inside a word (taken only when no other set fitted)
    forced: bool  # a break against R5/R9/R10 had to be taken
    cost: float = 0.0
    # breaks that split a phrase: inside a short quoted or bracketed one (《嘉陵 / 都市報》), or, in
    # a text with the editor's spaces, not at one of them (nor a newline, nor after a stop:
    # 長者 / 乘車優惠不變)
    off_phrase: int = 0


def display_style(style: CompositionStyle) -> CompositionStyle:
    """Display lines: unjustified, no indent, no R37 (the stub rule here covers it), R5 kept."""
    level = "basic" if style.level in ("none", "loose") else style.level
    return replace(style, indent=0.0, justify=False, last_line="start", min_last_line_han=0, level=level)


def _content_prefix(text: str) -> list[int]:
    """prefix[c]: characters of any script in text[:c] that are not punctuation or space (for the
    stub rule: text[a:b] holds prefix[b] - prefix[a] of them). Counted once a text, not once a
    candidate line: the line-break search asks for every line it tries."""
    prefix = [0]
    n = 0
    for ch in text:
        if not (ch.isspace() or ch in R.PUNCT_CLASS or ch in "…—⸺⋯"):
            n += 1
        prefix.append(n)
    return prefix


def break_costs(seg: Segmented, words: tuple[str, ...] = (),
                quoted: list[bool] | None = None) -> tuple[list[float], list[bool], list[bool]]:
    """Per gap k (after unit k): the cost of a break there, whether it is forced (a newline) and
    whether it falls inside a word; `quoted`, when given, is filled with whether it falls inside a
    short quoted or bracketed phrase (《嘉陵都市報》, “穩中有進”)."""
    text = seg.text
    units = seg.units
    n = len(units)
    spans = word_spans(text, words)
    inside = [False] * (len(text) + 1)  # inside[c]: a break before character c splits a word
    for a, b in spans:
        for c in range(a + 1, b):
            inside[c] = True
    # Quoted phrases: positions strictly inside a matched pair.
    in_phrase = [0] * (len(text) + 1)
    stack: list[tuple[str, int]] = []
    for c, ch in enumerate(text):
        if ch in _QUOTE_PAIRS:
            stack.append((ch, c))
        elif stack and ch == _QUOTE_PAIRS[stack[-1][0]]:
            _, start = stack.pop()
            if c - start <= 12:  # a phrase, not a long quotation
                for k in range(start + 1, c + 1):
                    in_phrase[k] += 1
    costs, newline, split = [], [], []
    for k in range(n - 1):
        a, b = units[k], units[k + 1]
        between = text[a.end:b.start]
        if "\n" in between:
            costs.append(0.0)
            newline.append(True)
            split.append(False)
            if quoted is not None:
                quoted.append(False)
            continue
        newline.append(False)
        if quoted is not None:
            quoted.append(bool(in_phrase[b.start]))
        if not seg.gap_break[k]:
            costs.append(COST_FORCED)
            split.append(False)
            continue
        if between.strip() == "" and between:
            cost = COST_SPACE
            word = False
        else:
            word = inside[b.start] and a.end == b.start
            cost = COST_INSIDE_WORD if word else COST_AFTER_STOP if a.cls == R.STOP else COST_WORD
            if in_phrase[b.start]:
                cost += COST_PHRASE
            if text[b.start] in _LEAN_LEFT or (a.end - a.start == 1 and text[a.start] in _LEAN_RIGHT):
                cost += COST_FUNCTION_WORD
            if a.kind == R.LATIN and text[a.end - 1].isdigit() and b.kind == R.HAN:
                cost += COST_NUMBER  # 80|萬
            elif b.kind == R.LATIN and text[b.start].isdigit() and text[a.end - 1] in _NUMBER_PREFIX:
                cost += COST_NUMBER  # 第|12
        costs.append(cost)
        split.append(word)
    return costs, newline, split


def _line_width(m: LineMetrics, i: int, j: int) -> float | None:
    """Set width of units [i, j) as an unjustified line, None when it cannot fit the measure."""
    L = m.measure
    if j == m.n:
        if last_badness(m, i) == INF:
            return None
        return min(m.natural_last(i), L)
    w = m.natural(i, j)
    if w - m.shrink(i, j) > L + EPS:
        return None
    return min(w, L)


def compose_display(
    text: str, measure: float, style: CompositionStyle, chain: FontChain, *, words: tuple[str, ...] = (),
    max_lines: int | None = None, balance: bool = True, justify: bool = False,
) -> DisplayLines:
    """`text` broken into display lines of at most `measure` em. With `max_lines`, the best set
    within that many lines when one exists; otherwise the fewest lines that fit (fits=False when
    that is more than max_lines, or when a unit is wider than the measure). `justify` (captions):
    full lines brought to the measure instead of balanced ones, the last line flush start."""
    prep = _prepare(text, style, chain, words, justify)
    if prep.widest > measure + 1e-9:
        seg = _segmenter(prep.ds, chain).segment(text, max_unit=measure, ideographic_spaces=True)  # cut, never lost (issue 17)
        prep = _Prepared(text, prep.ds, seg, words)
    return _compose_at(prep, measure, max_lines, balance and not justify)


@dataclass
class _Prepared:
    """What composing a display text needs that does not depend on the measure (its units, their
    prefix sums, the cost of each break): made once for every size fit_display tries."""

    text: str
    ds: CompositionStyle
    seg: Segmented
    words: tuple[str, ...]
    style: CompositionStyle | None = None  # what it was prepared for (fit_display checks)
    chain: FontChain | None = None

    def __post_init__(self) -> None:
        seg = self.seg
        self.widest = max((u.width for u in seg.units), default=0.0)
        if not seg.units:
            return
        # LineMetrics reads its measure only where a line is tried: one set of prefix sums serves
        # every measure (_compose_at gives each its own copy with the measure set)
        self.metrics = LineMetrics(seg, self.ds, 1.0, 0.0, 0.0)
        self.quoted: list[bool] = []
        self.costs, self.newline, self.split = break_costs(seg, self.words, self.quoted)
        self.content = _content_prefix(self.text)
        self.total = self.metrics.natural_last(0)
        self.shrink_all = self.metrics.shrink(0, self.metrics.n)

    def low(self, measure: float) -> int:
        """compose_display's least line count at `measure` (before the mandatory breaks)."""
        return int((self.total - self.shrink_all) / measure) if measure > 0 else self.metrics.n


def prepare_display(text: str, style: CompositionStyle, chain: FontChain, *, words: tuple[str, ...] = (),
                    justify: bool = False) -> _Prepared:
    """What fit_display needs of `text` whatever the width and size (its units, the cost of each
    break): a caller that fits one text at many widths (a headline over every candidate module)
    keeps it and passes it as fit_display's `prepared`."""
    return _prepare(text, style, chain, tuple(words), justify)


def _prepare(text: str, style: CompositionStyle, chain: FontChain, words: tuple[str, ...],
             justify: bool) -> _Prepared:
    ds = display_style(style)
    if justify:
        ds = replace(ds, justify=True)
    return _Prepared(text, ds, _segmenter(ds, chain).segment(text, ideographic_spaces=True), words, style, chain)


def _compose_at(prep: _Prepared, measure: float, max_lines: int | None, balance: bool) -> DisplayLines:
    """compose_display of the prepared text at `measure` (no unit wider than it)."""
    seg, ds = prep.seg, prep.ds
    if not seg.units:
        return DisplayLines((), True, 0, False)
    m = copy.copy(prep.metrics)
    m.measure = measure
    n = m.n
    costs, newline, split = prep.costs, prep.newline, prep.split
    total = prep.total
    best = None
    mandatory = sum(newline) + 1
    # The fewest lines that could hold the text, from its width: no count below it can fit.
    low = max(mandatory, prep.low(measure))
    limit = max_lines if max_lines is not None else n
    first = None
    content = prep.content
    for count in range(max(1, low), max(limit, mandatory) + 1):
        found = _best_for_count(m, seg, content, costs, newline, count, total, balance)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
        if best is not None and best[0] < COST_INSIDE_WORD:
            break  # fewer lines with no word broken: nothing more to look for
        if found is not None:
            first = count if first is None else first
            if max_lines is None and count >= first + 2:
                break  # two more lines did not avoid the broken word: it cannot be avoided
    oversize = False
    if best is None:
        # Not even max_lines lines fit: the fewest lines that do, flagged as not fitting.
        for count in range(max(limit + 1, mandatory, low), n + 1):
            best = _best_for_count(m, seg, content, costs, newline, count, total, balance)
            if best is not None:
                break
    if best is None:
        # Some unit is wider than the measure (a very long Latin word): one unit a line where needed.
        oversize = True
        best = (COST_FORCED, _greedy(m, newline))
    cost, breaks = best
    dropped: list[int] = []
    lines = []
    forced = False
    for a, b in zip(breaks, breaks[1:], strict=False):
        is_forced = b < n and not seg.gap_break[b - 1] and not newline[b - 1]
        forced = forced or is_forced
        lines.append(set_line(seg, m, ds, a, b, is_forced, dropped))
    lines = [_mark_last(ln) if k == len(lines) - 1 else ln for k, ln in enumerate(lines)]
    inside = sum(1 for b in breaks[1:-1] if split[b - 1])
    quoted = prep.quoted
    phrased = any(c == COST_SPACE and not nl for c, nl in zip(costs, newline, strict=False))
    off_phrase = sum(1 for b in breaks[1:-1] if quoted[b - 1] or (
        phrased and not newline[b - 1] and costs[b - 1] > COST_AFTER_STOP))
    oversize = oversize or seg.chopped > 0
    fits = (not oversize and (max_lines is None or len(lines) <= max_lines)
            and all(ln.width <= measure + 1e-6 for ln in lines))
    return DisplayLines(tuple(lines), fits, inside, forced or oversize, cost, off_phrase)


def _mark_last(line: ComposedLine) -> ComposedLine:
    return line if line.last else replace(line, last=True)


def _greedy(m: LineMetrics, newline: list[bool]) -> list[int]:
    """Fallback: as many units a line as fit, at least one (only for units wider than the measure)."""
    n = m.n
    breaks = [0]
    i = 0
    while i < n:
        j = i + 1
        while j < n and not newline[j - 1] and _line_width(m, i, j + 1) is not None:
            j += 1
        breaks.append(j)
        i = j
    return breaks


def _best_for_count(m: LineMetrics, seg: Segmented, content: list[int], costs: list[float], newline: list[bool],
                    count: int, total: float, balance: bool) -> tuple[float, list[int]] | None:
    """Exactly `count` lines of minimum cost, or None. `content`: the text's _content_prefix."""
    n = m.n
    units = seg.units
    share = total / count
    # The last line must reach the end: from unit i only j = n, and only with no newline in
    # between (newline_after[i]: whether a newline follows some unit k, i <= k < n - 1).
    newline_after = [False] * (n + 1)
    for k in range(n - 2, -1, -1):
        newline_after[k] = newline[k] or newline_after[k + 1]
    # best[c][j]: cost of c lines covering units [0, j) ending with a break at j
    best = [[INF] * (n + 1) for _ in range(count + 1)]
    prev = [[-1] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    # _line_width inlined (LineMetrics.natural and .shrink, the same sums in the same order): this
    # loop tries every line of every count at every size a headline is fitted at
    X, gw, st, et = m.X, m.gw, m.st, m.et
    US, GS, st_used, et_used, free_end = m.US, m.GS, m.st_used, m.et_used, m.free_end
    L = m.measure
    limit = L + EPS
    ends = [u.end for u in units]
    starts = [u.start for u in units]
    for c in range(1, count + 1):
        row, last_row = best[c], best[c - 1]
        for i in range(n):
            base = last_row[i]
            if base == INF:
                continue
            if c == count and newline_after[i]:
                continue
            ind = m.indent if i == 0 else m.hang
            content_i = content[starts[i]]
            for j in range(n if c == count else i + 1, n + 1):
                if j == n:
                    if c < count:
                        continue  # too few lines
                    w = _line_width(m, i, j)
                    if w is None:
                        break
                else:
                    w = X[j] - X[i] - gw[j - 1] - st[i] - et[j - 1]
                    w = w + ind
                    if w - (US[j] - US[i] + GS[j - 1] - GS[i] - st_used[i] - et_used[j - 1] + free_end[j - 1]) > limit:
                        break  # longer lines only get wider
                    w = min(w, L)
                cost = base
                if j < n:
                    cost += costs[j - 1]
                if balance and count > 1:
                    cost += BALANCE_WEIGHT * ((w - share) / share) ** 2 if share > 0 else 0.0
                elif not balance and j < n:
                    cost += BALANCE_WEIGHT * ((L - w) / L) ** 2  # full lines
                if count > 1 and content[ends[j - 1]] - content_i < MIN_LINE:
                    cost += COST_STUB
                if cost < row[j]:
                    row[j], prev[c][j] = cost, i
                if j < n and newline[j - 1]:
                    break  # a newline ends the line here
    if best[count][n] == INF:
        return None
    out = [n]
    j = n
    for c in range(count, 0, -1):
        j = prev[c][j]
        out.append(j)
    return best[count][n], out[::-1]


@dataclass(frozen=True)
class DisplayFit:
    size: float
    set: DisplayLines


def fit_display(
    text: str, width_pt: float, sizes: tuple[float, ...] | list[float], style: CompositionStyle, chain: FontChain,
    *, words: tuple[str, ...] = (), max_lines: int | None = 2, balance: bool = True, justify: bool = False,
    prepared: _Prepared | None = None,
) -> DisplayFit:
    """The largest of `sizes` (largest first) at which `text` fits in at most `max_lines` lines
    without a word broken; else the largest at which it fits at all (words broken, reported by the
    caller from `inside_words`); else the smallest size, fits=False. `prepared`: prepare_display of
    the same text, style, chain, words and justify, made once by a caller that fits it often.
    When the editor marked phrases with spaces and the largest such size splits one, a size down
    to PHRASE_FLOOR of it whose lines break only between phrases is taken instead: a compositor
    sets 「八達通」車資上調3.5% / 長者乘車優惠不變　學生… a little smaller rather than 長者 / 乘車…."""
    first_fit: DisplayFit | None = None
    last: DisplayFit | None = None
    whole: DisplayFit | None = None  # the largest size with no word broken
    prep = prepared if prepared is not None else _prepare(text, style, chain, tuple(words), justify)
    if (prep.text, prep.words, prep.ds.justify, prep.chain) != (text, tuple(words), justify, chain) or \
            prep.style != style:
        raise ValueError("fit_display: `prepared` is of another text, words or setting")
    for k, size in enumerate(sizes):
        if whole is not None and size < whole.size * PHRASE_FLOOR - 1e-9:
            return whole
        measure = width_pt / size
        if prep.widest > measure + 1e-9:
            got = compose_display(text, measure, style, chain, words=words, max_lines=max_lines, balance=balance,
                                  justify=justify)
        elif (max_lines is not None and k < len(sizes) - 1 and prep.seg.units
              and max(sum(prep.newline) + 1, prep.low(measure)) > max_lines):
            # More lines than max_lines at this size, whatever the breaks (compose_display's own
            # least count): it cannot fit, and only the last size's set is ever kept unfitted.
            continue
        else:
            got = _compose_at(prep, measure, max_lines, balance and not justify)
        last = DisplayFit(size, got)
        if got.fits and not got.forced:
            if got.inside_words == 0:
                if got.off_phrase == 0:
                    return last
                whole = whole or last
            if first_fit is None:
                first_fit = last
    if whole is not None:
        return whole
    if first_fit is not None:
        return first_fit
    assert last is not None, "fit_display needs at least one size"
    return last
