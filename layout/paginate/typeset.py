"""Setting text for pagination: composed lines (cached per text, measure and role) turned into
glyph runs at page positions."""

from __future__ import annotations

from layout.color import BLACK, CMYK
from layout.fonts.chain import FontChain
from layout.frames import GlyphRun, Glyphs, MissingGlyph, Source
from layout.text.compose import ComposedLine, ComposedParagraph, Composer
from layout.text.style import CompositionStyle


class TextSetter:
    """One per build: font chains by role and one composer per (role, style), so the same text at
    the same measure is composed once."""

    def __init__(self, chains: dict[str, FontChain], style: CompositionStyle):
        self.chains = chains
        self.style = style
        self._composers: dict[tuple[str, CompositionStyle], Composer] = {}
        self._memo: dict = {}
        self._plain: dict[CompositionStyle, CompositionStyle] = {}  # _unjustified of each style, made once
        # Open records of the characters each role's chain is asked to set (innermost last): a page
        # group's composition is recorded (layout/paginate/edition.py), through this setter's memos.
        self._records: list[dict[str, set[str]]] = []

    def record(self) -> dict[str, set[str]]:
        """Start recording the characters composed from here on, by role (stop with `stop`)."""
        self._records.append({})
        return self._records[-1]

    def stop(self, record: dict[str, set[str]]) -> None:
        # by identity: two records may hold the same characters (list.remove compares by value)
        self._records = [r for r in self._records if r is not record]
        self._note(record)

    def _note(self, chars: dict[str, set[str]]) -> None:
        for open_record in self._records:
            for role, found in chars.items():
                open_record.setdefault(role, set()).update(found)

    def composer(self, role: str, style: CompositionStyle | None = None) -> Composer:
        style = style or self.style
        key = (role, style)
        if key not in self._composers:
            self._composers[key] = Composer(style, self.chains[role])
        return self._composers[key]

    def paragraph(
        self, text: str, role: str, measure: float, *, indent: float | None = None,
        style: CompositionStyle | None = None, runs: tuple = (), fixed: tuple = (),
    ) -> ComposedParagraph:
        """`runs`: (start, end, face role) of inline face runs (bold, Kai); `fixed`: (index, em)
        of ideographic spaces of a fixed width."""
        chains = tuple((a, b, self.chains[r]) for a, b, r in runs)
        if self._records:
            used: dict[str, set[str]] = {}
            plain = [True] * len(text)
            for a, b, r in runs:
                used.setdefault(r, set()).update(text[a:b])
                plain[a:b] = [False] * (b - a)
            used.setdefault(role, set()).update(ch for ch, p in zip(text, plain, strict=True) if p)
            self._note(used)
        return self.composer(role, style).paragraph(text, measure, indent, 0.0, chains, fixed)

    def block(self, text: str, role: str, size: float, width: float, *, justify: bool = True) -> ComposedParagraph:
        """Display text (no paragraph indent) composed for a box `width` pt wide at `size` pt."""
        if justify:
            style = self.style
        else:  # (dataclasses.replace per call was a tenth of a trial head block's cost)
            style = self._plain.get(self.style)
            if style is None:
                style = self._plain[self.style] = _unjustified(self.style)
        return self.paragraph(text, role, width / size, indent=0.0, style=style)


    def remember(self, key, make):
        """`make()` once per key for as long as this setter lives (across rebuilds in `layout watch`):
        for work derived from composed text only, such as a headline's fitted size."""
        hit = self._memo.get(key)
        if hit is None:
            # what make() composes is kept with its result, and noted again on each later use
            record = self.record()
            try:
                value = make()
            finally:
                self.stop(record)
            hit = self._memo[key] = ("remembered", value, record)
        self._note(hit[2])
        return hit[1]

    def body_runs(self, line: ComposedLine, x: float, baseline: float, size: float, source: Source) -> tuple:
        """line_runs of a body line, kept: a rebuild places most lines where they were. The line is
        part of the key by identity (the composer keeps it alive, and so does this entry)."""
        key = ("runs", id(line), x, baseline, size, source)
        hit = self._memo.get(key)
        if hit is None or hit[0] is not line:
            hit = (line, tuple(line_runs(line, x, baseline, size, source=source)))
            self._memo[key] = hit
        return hit[1]


def _unjustified(style: CompositionStyle) -> CompositionStyle:
    from dataclasses import replace

    return replace(style, justify=False, indent=0.0)


def line_runs(
    line: ComposedLine, x: float, baseline: float, size: float, *, colour: CMYK = BLACK,
    source: Source, tracking: float = 0.0,
) -> list[GlyphRun | MissingGlyph]:
    """Glyph runs (one per face) for a composed line whose start is at x and baseline y, in pt; then
    a MissingGlyph for each character no face has (never printed, marked on the proofs)."""
    runs: list[GlyphRun | MissingGlyph] = []
    # the current run's glyphs by column (frames.Glyphs): gids, xs, texts, advances, box_xs
    current: tuple[list, list, list, list, list] = ([], [], [], [], [])
    missing: list[MissingGlyph] = []
    face = None
    for g in line.glyphs:
        if g.gid == 0:  # a character no face has: reported as FONT-MISSING-GLYPH, never printed as a box
            w = (g.width or 1.0) * size
            missing.append(MissingGlyph(x + (g.x + tracking) * size, baseline - 0.88 * size, w, size, g.text,
                                        Source(source.story, source.paragraph, g.index, g.index + 1, source.kind)))
            continue
        if g.face != face and current[0]:
            runs.append(_run(face, size, current, baseline, colour, source, line))
            current = ([], [], [], [], [])
        face = g.face
        box = getattr(g, "box_x", g.x)
        gids, xs, texts, advances, boxes = current
        gids.append(g.gid)
        xs.append(x + (g.x + tracking) * size)
        texts.append(g.text)
        advances.append(g.width * size)
        boxes.append(None if box == g.x else x + (box + tracking) * size)
    if current[0]:
        runs.append(_run(face, size, current, baseline, colour, source, line))
    return runs + missing


def _run(face, size, columns, baseline, colour, source, line) -> GlyphRun:
    gids, xs, texts, advances, boxes = columns
    src = Source(source.story, source.paragraph, line.start, line.end, source.kind)
    glyphs = Glyphs.from_columns(gids, xs, [baseline] * len(gids), texts, advances, boxes)
    return GlyphRun(face=face, size=size, glyphs=glyphs, color=colour, source=src)


# Interlinear marks below horizontal text, in em below the baseline (cjk-rules R47–R49). The CJK em
# box reaches about 0.12 em below the baseline; the marks sit in the line gap under it: the line
# first, the dot below it when both are present (R48), within the ½ em gap R49 asks for.
EM_BOTTOM = 0.12
LINE_Y, LINE_W = EM_BOTTOM + 0.08, 0.05
DOT_Y, DOT_D = EM_BOTTOM + 0.24, 0.16
LINE_INSET = 0.06  # em at each end, so two adjacent names get visibly separate lines (R48)
MIN_MARK_GAP = 0.5  # em of line gap that interlinear marks need (R49)


def line_marks(line: ComposedLine, spans, x: float, baseline: float, size: float, *, colour: CMYK = BLACK,
               source: Source, floor: float | None = None) -> list:
    """Emphasis dots and proper-noun / book-title lines (layout/text/inline.py spans of kinds
    dots, name, book) for the characters of `line`: a dot centred under each Han character, letter
    or digit, none under punctuation (R47); a line from the run's first to its last glyph box on
    this line, never into the Han–Latin glue beyond them (R28), broken only at the line end (R48).
    `floor`: the foot of the module the line stands in. A mark never reaches past it: on a
    module's last line the gap below is only the part of the line's cell under its baseline (less
    than the ½ em between two lines), so the dots there are raised to sit on the module's foot."""
    from layout.frames import Mark
    from layout.text import rules_zh as R

    out: list = []
    src = Source(source.story, source.paragraph, line.start, line.end, source.kind)
    dot_y = baseline + DOT_Y * size
    if floor is not None:
        dot_y = min(dot_y, floor - DOT_D * size / 2)
    for span in spans:
        if span.kind not in ("dots", "name", "book") or span.end <= line.start or span.start >= line.end:
            continue
        glyphs = [g for g in line.glyphs if span.start <= g.index < span.end and not g.text.isspace()]
        if not glyphs:
            continue
        if span.kind == "dots":
            for g in glyphs:
                if g.text in R.PUNCT_CLASS or not (g.text.isalnum() or R.is_han(ord(g.text[0]))):
                    continue
                centre = x + (g.box_x + g.width / 2) * size
                out.append(Mark("dot", centre, dot_y, centre, DOT_D * size, colour, src))
            continue
        left = x + (glyphs[0].box_x + LINE_INSET) * size
        right = x + (glyphs[-1].box_x + glyphs[-1].width - LINE_INSET) * size
        kind = "line" if span.kind == "name" else "wavy"
        line_y = baseline + LINE_Y * size
        if floor is not None:  # a wavy line's curve reaches 1.2 thicknesses beyond its stroke
            line_y = min(line_y, floor - LINE_W * size * (0.5 + (1.2 if kind == "wavy" else 0.0)))
        out.append(Mark(kind, left, line_y, right, LINE_W * size, colour, src))
    return out


def styled_paragraph(setter: TextSetter, para, dateline: str = "", diagnostics=None, story: str | None = None):
    """The text a body paragraph is composed from, with its inline face runs, fixed gaps and
    interlinear-mark spans: (text, runs, fixed, spans). With a `dateline` (本報訊), it is put in
    front in the style's dateline face, followed by a fixed gap of style.dateline_gap em (the
    paper's convention: bold, one em, whatever follows: digits, Latin or Han)."""
    from layout.text.inline import shift

    style = setter.style
    text = para.text
    spans = tuple(getattr(para, "spans", ()))
    runs: list[tuple[int, int, str]] = []
    fixed: tuple = ()
    if dateline:
        lead = len(dateline) + 1
        text = f"{dateline}\u3000{text}"
        spans = shift(spans, lead)
        if style.dateline_role in setter.chains:
            runs.append((0, len(dateline), style.dateline_role))
        fixed = ((len(dateline), style.dateline_gap),)
    for s in spans:
        if s.kind != "face":
            continue
        if s.role in setter.chains:
            runs.append((s.start, s.end, s.role))
        elif diagnostics is not None:
            diagnostics.warning(
                "TEXT-MARKUP-ROLE", f"no face role {s.role!r} for the run {text[s.start:s.end]!r}; set in the body face",
                location=getattr(para, "loc", None), story=story,
                hint=f"use one of {', '.join(sorted(setter.chains))}, or add the role under fonts:")
    return text, tuple(sorted(runs)), fixed, spans


def mark_gap_problem(pitch: float, size: float) -> str | None:
    """R49: interlinear marks need a line gap of at least ½ em. The grid's pitch is the template's,
    so the check can only warn (raising the gap is a template change: a larger `pitch`)."""
    gap = (pitch - size) / size
    if gap + 1e-9 >= MIN_MARK_GAP:
        return None
    return (f"the line gap is {gap:.2f} em ({pitch:g} pt pitch for {size:g} pt type); emphasis dots and "
            f"proper-noun lines need {MIN_MARK_GAP:g} em")
