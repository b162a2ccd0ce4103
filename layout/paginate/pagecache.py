"""Laid-out pages kept between builds, so that a build in a new process composes and paginates only
the pages whose inputs changed.

The unit is a page group: pages joined by a story that jumps (轉版) or a table that continues from
one to the other are laid out together, as one story's flow fills both; every other page is a group
of its own. A group's entry holds what the stages after pagination read — the PageLayouts (frame,
photo requests, tables' copyfit), the StoryLayouts of the stories that start there (report.json's
copyfit, the plan's check of column feet) and the diagnostics pagination said about them — under a
key naming everything pagination reads for those pages (`group_key`). It is written for every
group laid out and read back through the restricted unpickler of layout/cache.py, then checked
(`_entry`); an entry failing either is dropped and the group laid out again, so the pages are the
same from any cache state."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields

from layout.diagnostics import Diagnostic
from layout.model.edition import Page


@dataclass
class GroupResult:
    """What laying out one page group gave: its pages in edition order, the stories starting on
    them (by id, in edition order) and what was said while laying them out."""

    pages: list  # PageLayout
    stories: dict  # id -> StoryLayout
    diagnostics: list[Diagnostic]
    chars: dict[str, str]  # role -> the characters its chain was asked to set (damaged-glyph warnings)


def kept(result: GroupResult) -> GroupResult:
    """What of a group result is kept between builds: its pages (with their description's digest)
    and its stories whole — parts with their items, the flow with the composed lines it placed, as
    a reader of StoryLayout expects them — but for the stories themselves (the loading build puts
    its own in; the key says they are the same) and the flow's list of placed lines, which is
    built again on demand from its runs."""
    from dataclasses import replace

    from layout.paginate.story import StoryLayout

    stories = {}
    for sid, layout in result.stories.items():
        res = layout.result
        if res is not None:
            res = replace(res)  # a new FlowResult: its `placed` is not pickled but built on demand
        stories[sid] = StoryLayout(None, layout.parts, res)
    for page in result.pages:
        page.description_digest()  # kept with the page: a warm build does not dump the frame again
    return GroupResult(result.pages, stories, result.diagnostics, result.chars)


def page_groups(edition, first: dict, cont: dict, tables: dict[str, list[str]]) -> list[list[Page]]:
    """The pages in groups that are laid out together: a story's first and continued page, a
    table's placements, joined transitively; groups in the order of their first page."""
    index = {p.id: n for n, p in enumerate(edition.pages)}
    parent = list(range(len(edition.pages)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    def join(a: str, b: str) -> None:
        if a in index and b in index:
            ra, rb = root(index[a]), root(index[b])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

    for sid, (page, _at, _lead) in first.items():
        if sid in cont:
            join(page.id, cont[sid][0].id)
    for pages in tables.values():
        for other in pages[1:]:
            join(pages[0], other)
    groups: dict[int, list[Page]] = {}
    for n, page in enumerate(edition.pages):
        groups.setdefault(root(n), []).append(page)
    return [groups[r] for r in sorted(groups)]


# Edition fields that are the pages' own content (taken per group) or the ad booking list (its plan
# is in the pages' pinned ad items already); every other field is read by any page (folios, words).
_PER_GROUP = {"pages", "stories", "ads", "tables", "bookings", "ad_plan"}


def _file_sig(path) -> tuple:
    from pathlib import Path

    try:
        st = Path(path).stat()
    except OSError:
        return (str(path), None)
    return (str(path), st.st_size, st.st_mtime_ns)


def _library_versions() -> tuple:
    """Versions of the libraries whose results pagination keeps: jieba's dictionary (word breaks in
    display lines), OpenCC's table (the Simplified copy it segments), fontTools (glyph checks)."""
    from importlib import metadata

    out = []
    for name in ("jieba", "opencc", "fonttools", "pikepdf", "pillow"):
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, None))
    return tuple(out)


def edition_key(ctx) -> str:
    """The part of every group's key that all pages share: the engine's source, the libraries, the
    template, print profile and composition, the faces' files, the edition's own settings and its
    page list (the masthead counts the pages)."""
    from layout.cache import code_version

    e = ctx.edition
    faces = sorted({(role, n, f.key, str(f.spec.path), f.spec.index, *_file_sig(f.spec.path)[1:])
                    for role, chain in ctx.setter.chains.items() for n, f in enumerate(chain.faces)})
    settings = [(f.name, getattr(e, f.name)) for f in fields(e) if f.name not in _PER_GROUP]
    text = repr([code_version(), _library_versions(), ctx.template, ctx.profile, ctx.setter.style, faces, settings,
                 [p.id for p in e.pages]])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def group_key(ctx, shared: str, group: list[Page], start_page: dict[str, str]) -> str | None:
    """Everything the group's pages are made from: the shared part, the pages as planned (items,
    modules, credits, the lines they are written on), every story, ad and table on them in full,
    the ads' files (their size is read), and for teasers the teased story's headline, teaser and
    first page. None when something has no stable spelling (then the group is not kept)."""
    e = ctx.edition
    stories, ads, tables, teased = {}, {}, {}, {}
    for page in group:
        for item in page.items:
            if item.kind in ("story", "continued") and item.ref in e.stories:
                stories[item.ref] = e.stories[item.ref]
            elif item.kind == "ad" and item.ref in e.ads:
                ad = e.ads[item.ref]
                ads[item.ref] = (ad, _file_sig(ad.file) if ad.file else None)
            elif item.kind == "table" and item.ref:
                tables[item.ref] = (e.tables or {}).get(item.ref)
            elif item.kind == "teasers":
                for sid in item.refs:
                    s = e.stories.get(sid)
                    teased[sid] = None if s is None else (s.headline, s.teaser, start_page.get(sid))
    for story in list(stories.values()):
        for tid in story.tables:
            tables[tid] = (e.tables or {}).get(tid)
    text = repr([shared, group, sorted(stories.items()), sorted(ads.items()), sorted(tables.items()),
                 sorted(teased.items())])
    if " object at 0x" in text:  # a value without a stable repr: keying on it would never hit
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def checked_entry(group: list[Page], stories: list[str]):
    """The check of a cached group result against the group it is for: its pages are those pages,
    in order, each frame for its page; its stories are those starting there (`stories`, in order); its diagnostics are
    diagnostics. Raises ValueError (the entry is dropped) otherwise."""
    from layout.frames import PageFrame
    from layout.paginate.edition import PageLayout
    from layout.paginate.story import StoryLayout

    ids = [p.id for p in group]

    def check(value) -> GroupResult:
        if not isinstance(value, GroupResult) or not isinstance(value.pages, list) \
                or not isinstance(value.stories, dict) or not isinstance(value.diagnostics, list):
            raise ValueError("not a page group")
        if [getattr(p, "page", None) for p in value.pages] != list(group):
            raise ValueError("pages are not the group's")
        for p, pid in zip(value.pages, ids, strict=True):
            if not isinstance(p, PageLayout) or not isinstance(p.frame, PageFrame) or p.frame.page_id != pid:
                raise ValueError("a page's frame is not its own")
            if not isinstance(p.described, str) or len(p.described) != 64:
                raise ValueError("a page without its description's digest")
        if list(value.stories) != stories:
            raise ValueError("not the stories that start on the group's pages")
        for layout in value.stories.values():
            if not isinstance(layout, StoryLayout) or not layout.parts or layout.parts[0].page not in ids \
                    or layout.story is not None:
                raise ValueError("a story is not the group's")
        if not all(isinstance(d, Diagnostic) for d in value.diagnostics):
            raise ValueError("not diagnostics")
        if not isinstance(value.chars, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                          for k, v in value.chars.items()):
            raise ValueError("not characters by role")
        return value

    return check
