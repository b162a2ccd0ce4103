"""Reading the build's report.json into plain dataclasses.

The build writes the report; proofs only read it. Keys the proofs do not need are ignored, and
optional keys default, so that a newer build does not break older proof code (and the other way
round)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Module:
    kind: str  # story | ad | teasers | masthead | photo | continued
    ref: str | None
    x: float  # pt from the trim's top-left, y downwards
    y: float
    w: float
    h: float
    notch: tuple[float, ...] | None = None  # (x, y, w, h) cut out of an L-shaped story module

    def outline(self) -> list[tuple[float, float]]:
        """The module's corners clockwise from its top left, pt: four, or six round a notch."""
        x0, y0, x1, y1 = self.x, self.y, self.x + self.w, self.y + self.h
        if self.notch is None:
            return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        nx, ny, nw, _ = self.notch
        if nx <= x0 + 0.5:  # the notch at the bottom left
            return [(x0, y0), (x1, y0), (x1, y1), (nx + nw, y1), (nx + nw, ny), (x0, ny)]
        return [(x0, y0), (x1, y0), (x1, ny), (nx, ny), (nx, y1), (x0, y1)]


@dataclass(frozen=True)
class Grid:
    x: float
    y: float
    columns: tuple[tuple[float, float], ...]
    pitch: float
    lines: int
    # pt from the top of a grid line to its baseline; None when the build does not say
    baseline_offset: float | None = None


@dataclass(frozen=True)
class MissingMark:
    """A character no face has, at the cell it was set in on the page (not printed there)."""

    char: str
    code: str
    x: float  # pt from the trim's top-left, y downwards: the em box's top-left
    y: float
    w: float
    h: float
    story: str | None = None
    kind: str = ""
    source: str = ""  # file:line:column of the character in the source text, when known
    item: str = ""  # what the text is, in words ("box ad clinic", "the caption of photo 1 of story s1")


@dataclass(frozen=True)
class PageInfo:
    id: str
    file: str
    section: str = ""
    width: float = 0.0  # trim size, pt
    height: float = 0.0
    trim_x: float = 0.0  # trim origin inside the media box, PDF units
    trim_y: float = 0.0
    modules: tuple[Module, ...] = ()
    grid: Grid | None = None
    missing: tuple[MissingMark, ...] = ()


@dataclass(frozen=True)
class MissingGlyph:
    char: str
    code: str
    paragraph: int | None = None


@dataclass(frozen=True)
class StoryInfo:
    id: str
    headline: str = ""
    pages: tuple[str, ...] = ()
    chars: int = 0
    chars_set: int = 0
    lines_set: int = 0
    overset_chars: int = 0
    overset_lines: int = 0
    underset_lines: int = 0
    status: str = "fits"  # fits | over | under
    missing_glyphs: tuple[MissingGlyph, ...] = ()

    def over_on(self, page_id: str) -> bool:
        """Whether the text left over is this page's to fix: overset is measured after a jump, so
        a story that continues is marked on the page of its last part, not on its first."""
        return self.status == "over" and (not self.pages or page_id == self.pages[-1])

    @property
    def copyfit(self) -> str:
        """The copyfit status in the words the desk uses."""
        if self.status == "over":
            return f"over by {self.overset_chars} characters ({self.overset_lines} lines)"
        if self.status == "under":
            return f"under by {self.underset_lines} lines"
        return "fits"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    story: str | None = None
    paragraph: int | None = None
    page: str | None = None


@dataclass(frozen=True)
class Finding:
    """A preflight finding; bbox in PDF units of the page file (origin bottom-left)."""

    file: str
    page: str | None
    code: str
    severity: str
    message: str
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Report:
    paper: str = ""
    date: str = ""
    issue: int = 0
    build_time: str = ""
    pages: tuple[PageInfo, ...] = ()
    stories: tuple[StoryInfo, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    preflight: tuple[Finding, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)

    def page(self, page_id: str) -> PageInfo | None:
        return next((p for p in self.pages if p.id == page_id), None)

    def story(self, story_id: str) -> StoryInfo | None:
        return next((s for s in self.stories if s.id == story_id), None)

    def overset_refs(self) -> frozenset[str]:
        return frozenset(s.id for s in self.stories if s.status == "over")


def _num(d: dict[str, Any], key: str, default: float = 0.0) -> float:
    v = d.get(key, default)
    return float(v) if isinstance(v, int | float) else default


def _int(d: dict[str, Any], key: str, default: int = 0) -> int:
    v = d.get(key, default)
    return int(v) if isinstance(v, int | float) else default


def _opt_str(v: Any) -> str | None:
    return None if v is None else str(v)


def _module(d: dict[str, Any]) -> Module:
    notch = d.get("notch")
    cut = (tuple(float(v) for v in notch) if isinstance(notch, list) and len(notch) == 4
           and all(isinstance(v, int | float) for v in notch) else None)
    return Module(kind=str(d.get("kind", "")), ref=_opt_str(d.get("ref")),
                  x=_num(d, "x"), y=_num(d, "y"), w=_num(d, "w"), h=_num(d, "h"), notch=cut)


def _grid(d: Any) -> Grid | None:
    if not isinstance(d, dict):
        return None
    cols = tuple((float(c[0]), float(c[1])) for c in d.get("columns", ()) if len(c) == 2)
    offset = d.get("baseline_offset")
    return Grid(x=_num(d, "x"), y=_num(d, "y"), columns=cols, pitch=_num(d, "pitch"), lines=_int(d, "lines"),
                baseline_offset=float(offset) if isinstance(offset, int | float) else None)


def _page(d: dict[str, Any]) -> PageInfo:
    pid = str(d["id"])
    return PageInfo(
        id=pid, file=str(d.get("file", f"{pid}.pdf")), section=str(d.get("section", "")),
        width=_num(d, "width"), height=_num(d, "height"),
        trim_x=_num(d, "trim_x"), trim_y=_num(d, "trim_y"),
        modules=tuple(_module(m) for m in d.get("modules", ()) if isinstance(m, dict)),
        grid=_grid(d.get("grid")),
        missing=tuple(m for m in (_missing_mark(g) for g in d.get("missing_glyphs", ()) if isinstance(g, dict))
                      if m is not None),
    )


def _missing_mark(d: dict[str, Any]) -> MissingMark | None:
    if not all(isinstance(d.get(k), int | float) for k in ("x", "y", "w", "h")):
        return None  # an entry without its place cannot be marked (it is still listed by story)
    where = ":".join(str(d[k]) for k in ("file", "line", "column") if d.get(k) is not None)
    return MissingMark(char=str(d.get("char", "")), code=str(d.get("code", "")), x=_num(d, "x"), y=_num(d, "y"),
                       w=_num(d, "w"), h=_num(d, "h"), story=_opt_str(d.get("story")), kind=str(d.get("kind", "")),
                       source=where, item=str(d.get("item") or ""))


def _story(d: dict[str, Any]) -> StoryInfo:
    glyphs = tuple(
        MissingGlyph(char=str(g.get("char", "")), code=str(g.get("code", "")),
                     paragraph=g.get("paragraph") if isinstance(g.get("paragraph"), int) else None)
        for g in d.get("missing_glyphs", ()) if isinstance(g, dict)
    )
    status = str(d.get("status", "fits"))
    return StoryInfo(
        id=str(d["id"]), headline=str(d.get("headline", "")), pages=tuple(str(p) for p in d.get("pages", ())),
        chars=_int(d, "chars"), chars_set=_int(d, "chars_set"), lines_set=_int(d, "lines_set"),
        overset_chars=_int(d, "overset_chars"), overset_lines=_int(d, "overset_lines"),
        underset_lines=_int(d, "underset_lines"), status=status if status in ("fits", "over", "under") else "fits",
        missing_glyphs=glyphs,
    )


def _diagnostic(d: dict[str, Any]) -> Diagnostic:
    loc = d.get("location") if isinstance(d.get("location"), dict) else {}
    return Diagnostic(
        code=str(d.get("code", "")), severity=str(d.get("severity", "")), message=str(d.get("message", "")),
        file=_opt_str(loc.get("file")), line=loc.get("line"), column=loc.get("column"),
        hint=_opt_str(d.get("hint")), story=_opt_str(d.get("story")),
        paragraph=d.get("paragraph") if isinstance(d.get("paragraph"), int) else None,
        page=_opt_str(d.get("page")),
    )


def _finding(d: dict[str, Any]) -> Finding:
    bbox = d.get("bbox")
    box = tuple(float(v) for v in bbox) if isinstance(bbox, list | tuple) and len(bbox) == 4 else None
    return Finding(file=str(d.get("file", "")), page=_opt_str(d.get("page")), code=str(d.get("code", "")),
                   severity=str(d.get("severity", "")), message=str(d.get("message", "")), bbox=box)


def parse_report(data: dict[str, Any]) -> Report:
    return Report(
        paper=str(data.get("paper", "")), date=str(data.get("date", "")), issue=_int(data, "issue"),
        build_time=str(data.get("build_time") or ""),
        pages=tuple(_page(p) for p in data.get("pages", ()) if isinstance(p, dict) and "id" in p),
        stories=tuple(_story(s) for s in data.get("stories", ()) if isinstance(s, dict) and "id" in s),
        diagnostics=tuple(_diagnostic(d) for d in data.get("diagnostics", ()) if isinstance(d, dict)),
        preflight=tuple(_finding(f) for f in data.get("preflight", ()) if isinstance(f, dict)),
        timings={str(k): float(v) for k, v in (data.get("timings") or {}).items() if isinstance(v, int | float)},
    )


def load_report(outdir: Path) -> Report:
    """Read outdir/report.json. Raises FileNotFoundError when there is no build in outdir, ValueError
    when the file is not a build's report (not JSON, cut short, not an object)."""
    path = outdir / "report.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)  # a JSONDecodeError (and UnicodeDecodeError) is a ValueError
    if not isinstance(data, dict):
        raise ValueError(f"a JSON {type(data).__name__}, not an object")
    return parse_report(data)
