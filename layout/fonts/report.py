"""Which faces serve which roles, and which characters no face has (FONT-MISSING-GLYPH)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from layout.diagnostics import Diagnostic, Location, Severity
from layout.fonts.catalog import FontCatalog
from layout.fonts.chain import FontChain
from layout.fonts.clusters import composed, is_selector

# (role, story_id, paragraph_index, text, where the text is written: its key's line, or a story
# text file's paragraph, what the text is in words: "box ad clinic", "the caption of photo 1 of
# story s1", "the credits of page A02"). The place and the words may be left out; a text without
# words is a story's (`story_id`) or nobody's.
Item = tuple  # (str, str | None, int | None, str[, Location | None[, str]])


@dataclass(frozen=True)
class MissingChar:
    char: str
    codepoint: str  # "U+XXXX"
    role: str
    story: str | None
    paragraph: int | None
    item: str = ""  # what the text is, when it is not a story's paragraph ("box ad clinic")


@dataclass
class FontReport:
    # role -> face key -> number of distinct characters that face serves for the role
    roles: dict[str, dict[str, int]] = field(default_factory=dict)
    # face key -> the distinct characters it serves (any role), sorted
    chars: dict[str, str] = field(default_factory=dict)
    missing: list[MissingChar] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def format(self) -> str:
        """A plain-text summary: faces per role, characters per face, then each missing character."""
        lines = []
        for role, faces in self.roles.items():
            used = ", ".join(f"{key} ({n})" for key, n in faces.items() if n) or "no characters"
            lines.append(f"{role}: {used}")
        for key, chars in self.chars.items():
            lines.append(f"{key}: {len(chars)} distinct characters")
        if self.diagnostics:
            lines.append(f"{len(self.diagnostics)} missing character(s):")
            lines += [d.format() for d in self.diagnostics]
        else:
            lines.append("no missing characters")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {
            "roles": self.roles,
            "faces": {key: {"characters": len(chars)} for key, chars in self.chars.items()},
            "missing": [m.__dict__ for m in self.missing],
        }


def _needs_glyph(ch: str) -> bool:
    # spaces become advances and format/control characters are not drawn; a variation selector
    # goes with its base (layout.fonts.clusters): the base is what is printed, or missing
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf") and not is_selector(ch)


def font_report(catalog: FontCatalog, items: Iterable[Item], lines: SourceLines | None = None) -> FontReport:
    """Resolve every character of `items` through its role's chain.

    A character no face of the chain has is reported once per (role, story, paragraph) as an
    error diagnostic FONT-MISSING-GLYPH at its file:line:column (found in the text's source lines
    from the item's location); an unknown role raises ValueError (a bug upstream)."""
    report = FontReport()
    lines = lines if lines is not None else SourceLines()
    served: dict[str, set[str]] = {}
    per_role: dict[str, dict[str, set[str]]] = {}
    seen_missing: set[tuple[str, str, str | None, int | None]] = set()
    for role, story, paragraph, text, *where in items:
        loc = where[0] if where else None  # (a caller's own texts may come without a place)
        what = where[1] if len(where) > 1 else ""
        chain = catalog.chain(role)
        role_faces = per_role.setdefault(role, {f.key: set() for f in chain.faces})
        # as the build sets it: a base and marks composed where the faces have the composed form
        text = composed(text, lambda c, chain=chain: chain.resolve(c) is not None)
        for index, ch in enumerate(text):
            if not _needs_glyph(ch):
                continue
            hit = chain.resolve(ch)
            if hit is not None:
                key = hit[0].key
                role_faces[key].add(ch)
                served.setdefault(key, set()).add(ch)
                continue
            mark = (ch, role, story, paragraph, what)
            if mark in seen_missing:
                continue
            seen_missing.add(mark)
            cp = f"U+{ord(ch):04X}"
            name = unicodedata.name(ch, "")
            damaged = chain.damaged.get(ch, [])
            report.missing.append(MissingChar(ch, cp, role, story, paragraph, what))
            report.diagnostics.append(
                Diagnostic(
                    "FONT-MISSING-GLYPH",
                    Severity.ERROR,
                    f"no {role} face has {ch!r} ({cp}{' ' + name if name else ''})"
                    + (f" in {what}" if what else "")
                    + (f"; the glyph of {', '.join(damaged)} is damaged" if damaged else ""),
                    hint=f"faces tried: {', '.join(f.key for f in chain.faces)}; add a fallback face "
                    "to the role or replace the character",
                    location=lines.locate(loc, ch, text, index) if loc is not None else Location(),
                    story=story,
                    paragraph=paragraph,
                )
            )
    report.diagnostics += damaged_glyph_diagnostics(catalog.chain(role) for role in catalog.roles)
    report.roles = {role: {k: len(v) for k, v in faces.items()} for role, faces in per_role.items()}
    report.chars = {key: "".join(sorted(chars)) for key, chars in served.items()}
    return report


def damaged_glyph_diagnostics(chains: Iterable[FontChain], edition_path=None) -> list[Diagnostic]:
    """FONT-GLYPH-DAMAGED, one warning per face, for the characters the chains resolved so far whose
    glyph in that face is damaged (the next face served them, or FONT-MISSING-GLYPH says none did);
    placed at the edition line naming the font file, when the edition names it."""
    per_face: dict[str, set[str]] = {}
    faces = {}
    for chain in chains:
        faces.update({f.key: f for f in chain.faces})
        for ch, keys in chain.damaged.items():
            for key in keys:
                per_face.setdefault(key, set()).add(ch)
    out = []
    for key, chars in sorted(per_face.items()):
        face = faces[key]
        listed = "".join(sorted(chars))
        sample = "; ".join(f"{ch} U+{ord(ch):04X}: {face.glyph_problem(face.gid(ch))}" for ch in sorted(chars)[:3])
        where = Location()
        if edition_path is not None:
            where = SourceLines().locate(Location(str(edition_path), 1, None), face.spec.path.name)
            if where.column is None:  # the edition does not name it (a template's face)
                where = Location()
        out.append(Diagnostic(
            "FONT-GLYPH-DAMAGED", Severity.WARNING,
            f"{face.spec.path}: the glyphs of {len(chars)} character(s) are damaged and were not used: {listed} "
            f"({sample})",
            location=where,
            hint="the font file was written broken: get a sound copy of it; until then these characters come "
                 "from the next face of their role (or are reported missing)",
        ))
    return out


# ---------------------------------------------------------------- where a missing character is


class SourceLines:
    """The lines of the source files diagnostics point into (the edition, story text files), read
    once each; a file that cannot be read has no lines (the location keeps its line, no column)."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str]] = {}

    def lines(self, file: str | None) -> list[str]:
        if not file:
            return []
        if file not in self._lines:
            try:
                with open(file, encoding="utf-8", errors="replace") as f:
                    self._lines[file] = f.read().split("\n")
            except OSError:
                self._lines[file] = []
        return self._lines[file]

    def locate(self, loc: Location, ch: str, text: str | None = None, index: int | None = None) -> Location:
        """file:line:column of character `ch` of a text that starts on `loc`'s line: character `index`
        of `text` where `text` is found on that line (a story text file's paragraph, a block-scalar
        line of the edition), else the first `ch` on that line or the next 200 (a headline, a caption,
        an ad slogan under the item's key). Columns count characters from 1."""
        lines = self.lines(loc.file)
        if loc.line is None or not 1 <= loc.line <= len(lines):
            return loc
        first = loc.line - 1
        if text and index is not None and 0 <= index < len(text) and text[index] == ch:
            at = lines[first].find(text)
            if at >= 0:
                return Location(loc.file, loc.line, at + index + 1)
        for n in range(first, min(len(lines), first + 200)):
            at = lines[n].find(ch, (loc.column or 1) - 1 if n == first else 0)
            if at >= 0:
                return Location(loc.file, n + 1, at + 1)
        return loc


def _where(edition, mark, lines: SourceLines, page_id: str | None = None) -> Location:
    """The source location of a MissingGlyph (layout.frames): its paragraph's line in the story's
    text (file or edition), else the first place under the story's or ad's key that has it (under
    the page's key for the page's furniture, its credits and section)."""
    src, ch = mark.source, mark.text
    table = (getattr(edition, "tables", None) or {}).get(src.story) if src.kind.startswith("table") else None
    if table is not None:
        return _table_place(table, src, ch, lines)
    story = edition.stories.get(src.story) if src.story else None
    if story is not None and src.kind in ("body", "subhead") and src.paragraph is not None \
            and 0 <= src.paragraph < len(story.paragraphs):
        para = story.paragraphs[src.paragraph]
        return lines.locate(para.loc, ch, para.text, src.start)
    owner = story if story is not None else edition.ads.get(src.story) if src.story else None
    if owner is None and page_id is not None:
        page = next((p for p in edition.pages if p.id == page_id), None)
        if page is not None and page.loc.line is not None:
            found = lines.locate(page.loc, ch)
            if found.column is not None:
                return found
    loc = getattr(owner, "loc", None) or Location(str(edition.path), 1, None)
    if loc.file is None:
        loc = Location(str(edition.path), loc.line or 1, loc.column)
    return lines.locate(loc, ch)


def _table_place(table, src, ch: str, lines: SourceLines) -> Location:
    """Where a table's character is typed: the cell of its row (`src.paragraph`, the row's number
    in the table) or the header column that has it, in the CSV/TSV file or the inline rows; else
    the table's key. (The cell as set may differ from the cell as typed, e.g. a minus sign.)"""
    texts = []
    if src.kind == "table-cell" and src.paragraph is not None and 0 <= src.paragraph < len(table.rows):
        texts = [(c.text, c.loc) for c in table.rows[src.paragraph].cells]
    elif src.kind == "table-head":
        texts = [(c.name, c.loc) for c in table.columns]
    for text, loc in texts:
        if ch in text and loc.line is not None:
            return lines.locate(loc, ch, text, text.index(ch))
    return lines.locate(table.loc, ch) if table.loc.line is not None else table.loc


def page_missing_glyphs(edition, page_id: str, items, lines: SourceLines) -> list[dict]:
    """report.json's entries for the characters no face has on one page: what, where on the page
    (the cell it was set in, pt from the trim's top-left) and where in the source."""
    from layout.frames import MissingGlyph

    out = []
    for m in items:
        if isinstance(m, MissingGlyph) and not is_selector(m.text[:1] or " "):  # (its base's: printed)
            where = _where(edition, m, lines, page_id)
            out.append({"char": m.text, "code": f"U+{ord(m.text[0]):04X}" if m.text else "",
                        "x": round(m.x, 3), "y": round(m.y, 3), "w": round(m.w, 3), "h": round(m.h, 3),
                        "story": m.source.story, "paragraph": m.source.paragraph, "kind": m.source.kind,
                        "item": glyph_owner(m.source, page_id)[0],
                        "page": page_id, "file": where.file, "line": where.line, "column": where.column})
    return out


def missing_glyph_diagnostics(edition, page_id: str, items, lines: SourceLines,
                              skip_kinds: tuple[str, ...] = ("body", "table-title", "table-head", "table-cell",
                                                             "table-note")) -> list[Diagnostic]:
    """FONT-MISSING-GLYPH for the characters of a page's headlines, decks, captions, teasers, ads
    and furniture that no face has, once per character and text, at its file:line:column, named
    by the item they belong to (an ad's were said to be a story's). Body paragraphs are reported
    where they are composed, a table's characters (title, header, cells, notes) by the table's
    setter (layout/table/setting.py): each once (a table's character was said twice, and counted
    as two errors). A variation selector is its base's (layout.fonts.clusters): never one of them."""
    from layout.frames import MissingGlyph

    out = []
    seen = set()
    for m in items:
        if not isinstance(m, MissingGlyph) or m.source.kind in skip_kinds or is_selector(m.text[:1] or " "):
            continue
        key = (m.text, m.source.story, m.source.kind, m.source.paragraph)
        if key in seen:
            continue
        seen.add(key)
        cp = f"U+{ord(m.text[0]):04X}" if m.text else ""
        name = unicodedata.name(m.text[0], "") if len(m.text) == 1 else ""
        what, story, paragraph = glyph_owner(m.source, page_id)
        out.append(Diagnostic(
            "FONT-MISSING-GLYPH", Severity.ERROR,
            f"no face has {m.text!r} ({cp}{' ' + name if name else ''}) in {what}: it is not printed",
            _where(edition, m, lines, page_id),
            hint="replace the character or add a face that has it to the role's fallback chain",
            story=story, paragraph=paragraph, page=page_id,
        ))
    return out


def selector_diagnostics(items: Iterable[Item], lines: SourceLines | None = None) -> list[Diagnostic]:
    """FONT-VARIATION-DROPPED, a warning once per text and sequence, for each variation selector
    (U+FE00–FE0F, U+E0100–E01EF) of `items` (edition_texts()): the engine sets its base in the
    base's default form and leaves the selector out (layout.fonts.clusters), so the form the editor
    asked for (葛 + U+E0100, ☎ + U+FE0E) is not what is printed; nothing lost may go unsaid."""
    lines = lines if lines is not None else SourceLines()
    out = []
    for _role, story, paragraph, text, *where in items:
        if text.isascii():
            continue
        loc = where[0] if where else None
        what = where[1] if len(where) > 1 else (
            f"paragraph {paragraph + 1} of story {story}" if paragraph is not None else f"story {story}")
        seen = set()
        for index, ch in enumerate(text):
            if not is_selector(ch):
                continue
            base = text[index - 1] if index and not is_selector(text[index - 1]) else ""
            if (base, ch) in seen:
                continue
            seen.add((base, ch))
            cp = f"U+{ord(ch):04X}"
            after = f" after {base!r} (U+{ord(base):04X})" if base else " with no character before it"
            out.append(Diagnostic(
                "FONT-VARIATION-DROPPED", Severity.WARNING,
                f"the variation selector {cp}{after} in {what} is not printed: "
                + (f"{base!r} is set in its default form" if base else "it has no glyph of its own"),
                location=lines.locate(loc, ch, text, index) if loc is not None else Location(),
                hint="check the printed form is acceptable, or type the wanted form as its own character",
                story=story, paragraph=paragraph,
            ))
    return out


def glyph_owner(src, page_id: str) -> tuple[str, str | None, int | None]:
    """What a placed text (layout.frames.Source) is, in words, and the story and paragraph its
    diagnostics name: a box ad, the page's furniture and teaser titles are no story's; a caption's
    `paragraph` is its photo's number in the story, not a paragraph of it."""
    kind, sid = src.kind, src.story
    if kind == "ad":
        return f"box ad {sid}", None, None
    if kind == "folio":
        return f"the folio of page {page_id} (paper, date, section, credits)", None, None
    if kind == "masthead":
        return f"the masthead or section flag of page {page_id}", None, None
    if kind == "teasers":
        return f"the title of the teasers on page {page_id}", None, None
    if kind == "teaser":
        return f"the teaser of story {sid} (the teasers on page {page_id})", sid, None
    if kind in ("caption", "credit"):
        if not sid:  # a free-standing photo
            return f"the {kind} of a photo on page {page_id}", None, None
        n = f" {src.paragraph + 1}" if src.paragraph is not None else ""
        return f"the {kind} of photo{n} of story {sid}", sid, None
    if kind.startswith("table"):
        return f"the {kind.removeprefix('table-')} of table {sid}", None, None
    if not sid:
        return f"the {kind} of page {page_id}", None, None
    return f"the {kind} of story {sid}", sid, src.paragraph if kind in ("body", "subhead") else None


def _placed(loc: Location, fallback: Location | None) -> Location | None:
    """`loc` where it names a line, else `fallback` (a value loaded without a place of its own)."""
    return loc if loc.line is not None else fallback


def edition_texts(edition, template) -> list[Item]:
    """Every text of the edition with the face role it is set in, for the font report: stories
    (kicker, headline, decks, byline, dateline, body, sub-heads, teaser, photo captions and
    credits), free-standing photos, box ads, tables, and the page furniture (paper, sections,
    credits). `layout fonts` listed only the body and headlines, so an emoji in a caption or a box
    ad was "no missing characters" there and a FONT-MISSING-GLYPH error in the build."""
    from layout.table.style import table_style

    def role(style: str) -> str:
        return template.style(style).font

    items: list[Item] = []
    top = Location(str(edition.path), 1, None) if getattr(edition, "path", None) else None
    if any(p.masthead for p in edition.pages):
        items.append((role("masthead"), None, None, edition.paper, top, "the masthead"))
    items.append((role("folio"), None, None, edition.paper, top, "the folios (the paper's name)"))
    for page in edition.pages:
        for text, what in ((page.section, "section name"), (page.flag, "section flag"),
                           *((f"{k} {v}", "credits") for k, v in page.credits)):
            items.append((role("folio"), None, None, text, page.loc, f"the {what} of page {page.id}"))
        for item in page.items:
            if item.kind == "photo" and item.photo is not None:
                where = _placed(item.photo.loc, item.loc)
                items.append((role("caption"), None, None, item.photo.caption, where,
                              f"the caption of a photo on page {page.id}"))
                items.append((role("credit"), None, None, item.photo.credit, where,
                              f"the credit of a photo on page {page.id}"))
    for sid, story in edition.stories.items():
        at = story.loc

        def of(what: str, sid=sid) -> str:
            return f"the {what} of story {sid}"

        items += [(role("kicker"), sid, None, story.kicker, at, of("kicker")),
                  (template.headline.font, sid, None, story.headline, at, of("headline")),
                  (role("byline"), sid, None, story.byline, at, of("byline")),
                  (role("body"), sid, None, story.dateline, at, of("dateline")),
                  (role("teaser"), sid, None, story.teaser, at, of("teaser"))]
        items += [(role("deck"), sid, None, deck, at, of("deck")) for deck in story.decks]
        for n, para in enumerate(story.paragraphs):
            items.append((role("subhead" if para.kind == "subhead" else "body"), sid, n, para.text, para.loc))
        for k, photo in enumerate(story.photos, 1):
            items += [(role("caption"), sid, None, photo.caption, _placed(photo.loc, at), of(f"caption of photo {k}")),
                      (role("credit"), sid, None, photo.credit, _placed(photo.loc, at), of(f"credit of photo {k}"))]
    for aid, ad in edition.ads.items():
        what = f"box ad {aid}"
        items += [(role("ad_title"), None, None, ad.title, ad.loc, what),
                  (role("ad_line"), None, None, ad.slogan, ad.loc, what)]
        items += [(role("ad_line"), None, None, line, ad.loc, what) for line in ad.lines]
    for tid, table in (getattr(edition, "tables", None) or {}).items():
        style = table_style(template.tables, table.style) or table_style(template.tables, "default")
        if style is None:
            continue
        what = f"table {tid}"
        items.append((style.title_font, None, None, table.title, table.loc, what))
        items += [(style.note_font, None, None, text, table.loc, what) for text in (table.source, *table.notes)]
        items += [(style.head_font, None, None, col.name, _placed(col.loc, table.loc), what) for col in table.columns]
        items += [(style.body_font, None, None, cell.text, _placed(cell.loc, table.loc), what) for row in table.rows
                  for cell in row.cells]
    return [it for it in items if it[3]]
