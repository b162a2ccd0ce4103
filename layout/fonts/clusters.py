"""Characters typed as a base and marks: composed where the faces have the composed character, and
variation selectors kept with their base.

Copy from a Mac, a PDF or a web page often comes decomposed: "é" as e + U+0301 COMBINING ACUTE
ACCENT. The CJK faces have é (U+00E9) but no combining accent, so the accent was reported missing
and left out, and the reader got "Cafe". Such a base + marks is set as its NFC form when every
character of that form has a face of the text's role and the characters as typed do not; nothing
else of NFC is applied (a CJK compatibility ideograph typed on purpose stays as it is).

A variation selector (U+FE00–FE0F, U+E0100–E01EF; e.g. 葛 + U+E0100, an ideographic variation
sequence, or ☎ + U+FE0E for its text form) asks for a form of the character before it. The engine
sets the base's default glyph (faces' variation tables are not read), which is what a reader of
the sequence without that form sees: the selector goes with its base and is no character of its
own to print or report (set on its own, it was reported missing and left a blank an em wide
after its base). Only a base that no face has is missing, and it is reported as such
(layout.fonts.report)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable

Has = Callable[[str], bool]


_SELECTOR = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u180b-\u180d\u180f]")


def is_selector(ch: str) -> bool:
    """A variation selector: it picks a form of the character before it and has no glyph of its own."""
    return _SELECTOR.fullmatch(ch) is not None  # the ranges written once


def _mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") and not is_selector(ch)


def compose(text: str, has: Has) -> tuple[str, list[int]] | None:
    """`text` with each base + combining marks set as its NFC form where `has` holds for every
    character of that form and not for every character as typed, and its variation selectors
    left to their bases (see the module's docstring); None when nothing changes. Also the map from
    each index of `text` (and its end) to the index it moved to."""
    if unicodedata.is_normalized("NFC", text) and not _SELECTOR.search(text):  # (in C: the usual text is free)
        return None
    out: list[str] = []
    where = [0] * (len(text) + 1)
    i, n, at, changed = 0, len(text), 0, False
    while i < n:
        j = i + 1
        while j < n and _mark(text[j]):
            j += 1
        cluster = text[i:j]
        piece = cluster
        if is_selector(text[i]):
            # the base before it is set in its default form (no face's variation table is read):
            # kept, the selector would be a blank an em wide after it
            where[i] = at
            i, changed = j, True
            continue
        if j > i + 1 and not _mark(text[i]):
            nfc = unicodedata.normalize("NFC", cluster)
            if nfc != cluster and all(has(c) for c in nfc) and not all(has(c) for c in cluster):
                piece, changed = nfc, True
        for k in range(i, j):
            where[k] = at if piece is not cluster else at + (k - i)
        out.append(piece)
        at += len(piece)
        i = j
    if not changed:
        return None
    where[n] = at
    return "".join(out), where


def composed(text: str, has: Has) -> str:
    """`text` as compose() sets it."""
    hit = compose(text, has)
    return text if hit is None else hit[0]


def compose_edition(edition, template, has_for: Callable[[str], Has]):
    """The edition with its stories', photos', ads', tables', pages' texts and the paper's name composed for the faces of the
    role each is set in (`has_for(role)`: whether that role's chain has a character); the same
    edition object when nothing changes (the common night: no marks at all)."""
    def role(style: str) -> str:
        return template.style(style).font

    cache: dict[str, Has] = {}

    def has(style_role: str) -> Has:
        if style_role not in cache:
            cache[style_role] = has_for(style_role)
        return cache[style_role]

    def fix(text: str, style_role: str) -> str:
        if not text or text.isascii():
            return text
        return composed(text, has(style_role))

    def paragraph(p):
        r = role("subhead" if p.kind == "subhead" else "body")
        if p.text.isascii():
            return p
        hit = compose(p.text, has(r))
        if hit is None:
            return p
        text, where = hit
        spans = tuple(dataclasses.replace(s, start=where[s.start], end=where[s.end]) for s in p.spans)
        return dataclasses.replace(p, text=text, spans=spans)

    def photo(ph):
        return dataclasses.replace(ph, caption=fix(ph.caption, role("caption")), credit=fix(ph.credit, role("credit")))

    stories = {}
    for sid, s in edition.stories.items():
        new = dataclasses.replace(
            s, headline=fix(s.headline, template.headline.font), kicker=fix(s.kicker, role("kicker")),
            decks=tuple(fix(d, role("deck")) for d in s.decks), byline=fix(s.byline, role("byline")),
            dateline=fix(s.dateline, role("body")), teaser=fix(s.teaser, role("teaser")),
            paragraphs=tuple(paragraph(p) for p in s.paragraphs), photos=tuple(photo(ph) for ph in s.photos))
        stories[sid] = s if new == s and new.paragraphs == s.paragraphs else new
    ads = {aid: dataclasses.replace(ad, title=fix(ad.title, role("ad_title")), slogan=fix(ad.slogan, role("ad_line")),
                                    lines=tuple(fix(x, role("ad_line")) for x in ad.lines))
           for aid, ad in edition.ads.items()}
    pages = []
    for page in edition.pages:
        items = tuple(dataclasses.replace(it, photo=photo(it.photo)) if it.photo is not None else it
                      for it in page.items)
        pages.append(dataclasses.replace(page, section=fix(page.section, role("folio")),
                                         flag=fix(page.flag, role("folio")),
                                         credits=tuple((k, fix(v, role("folio"))) for k, v in page.credits),
                                         items=items))
    # The paper's name is set in the folios (and the masthead, when a page has one): composed only
    # where every role it is set in has the composed form.
    paper_roles = [role("folio"), *([role("masthead")] if any(p.masthead for p in edition.pages) else [])]
    paper = edition.paper if not edition.paper or edition.paper.isascii() else \
        composed(edition.paper, lambda c: all(has(r)(c) for r in paper_roles))
    tables = {tid: _table(t, template, fix) for tid, t in (getattr(edition, "tables", None) or {}).items()}
    changed = any(stories[k] is not s for k, s in edition.stories.items()) or \
        any(ads[k] != a for k, a in edition.ads.items()) or tuple(pages) != edition.pages or \
        paper != edition.paper or any(tables[k] is not t for k, t in (edition.tables or {}).items())
    if not changed:
        return edition
    return dataclasses.replace(edition, stories=stories, ads=ads, pages=tuple(pages), paper=paper,
                               tables=tables if edition.tables else edition.tables)


def _table(table, template, fix: Callable[[str, str], str]):
    """A table's title, notes, source, header and cells composed for the faces its style sets
    them in (they were set as typed: e + U+0301 printed "e" and a missing accent); the same table
    when nothing changes."""
    from layout.table.style import table_style

    style = table_style(template.tables, table.style) or table_style(template.tables, "default")
    if style is None:
        return table
    columns = tuple(dataclasses.replace(c, name=fix(c.name, style.head_font)) for c in table.columns)
    rows = tuple(dataclasses.replace(r, cells=tuple(dataclasses.replace(c, text=fix(c.text, style.body_font))
                                                    for c in r.cells)) for r in table.rows)
    new = dataclasses.replace(table, title=fix(table.title, style.title_font), source=fix(table.source, style.note_font),
                              notes=tuple(fix(n, style.note_font) for n in table.notes), columns=columns, rows=rows)
    return table if new == table else new
