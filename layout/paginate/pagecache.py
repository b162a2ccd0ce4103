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
same from any cache state.

An entry is kept in two parts, read separately (`GroupStore`). The summary holds everything but
the placed glyphs and composed lines: pages with their frames' size, modules and digest and the
facts the output stage reads (layout.frames.PageFacts), the stories with their parts' places and
slots and the flow's runs and counts, the diagnostics. That is what a build needs of a page whose
PDF, preflight findings and proof come from their caches (report.json, the build summary, the
colour report, the plan's check of column feet, the cache keys), and it loads in a few
milliseconds where the whole group took tenths of a second (most of a warm build's pagination).
The heavy part — each frame's items, each part's items, each composed block's lines — is read the
first time anything asks for one of them (a PDF or preflight to make again because its own cache
entry is gone, `layout suggest` rendering alternatives), all of the group's at once; the objects standing for them until then are of the engine's
own types (`_Deferred` subclasses), so no reader sees the difference."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
from dataclasses import dataclass, fields

from layout.cache import _EngineUnpickler
from layout.diagnostics import Diagnostic
from layout.frames import PageFrame
from layout.model.edition import Page
from layout.paginate.flow import Block
from layout.paginate.story import Part


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
        page.page_facts()  # nor read its items for the output stage's keys and reports
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
    """The installed libraries whose results pagination keeps: jieba's dictionary (word breaks in
    display lines), OpenCC's table (the Simplified copy it segments), fontTools (glyph checks),
    pikepdf and Pillow (ads' sizes), each by layout.cache.library_signature."""
    from layout.cache import library_signature

    return tuple((name, library_signature(name)) for name in ("jieba", "opencc", "fontTools", "pikepdf", "PIL"))


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
    from layout.frames import PageFacts, PageFrame
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
            if not isinstance(p.facts, PageFacts):
                raise ValueError("a page without its facts")
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


# --- the entry in two parts: the summary read at once, the glyphs and lines when first asked for ----


class _Deferred:
    """A value of an engine type whose heavy attribute (`_HEAVY`: a frame's or part's items, a
    block's composed lines; with `_EXTRA`, what a vertical block keeps of its columns) is still in
    the group's frames entry: the first read of it reads the entry (`_Frames.fill`) and sets it on
    every deferred object of the group. Otherwise it is the type it stands for (a subclass adding
    nothing): equal to and hashing as one with the same fields, and pickled (to a worker process,
    by a copy) with the attribute read first."""

    _HEAVY = ""
    _EXTRA: tuple[str, ...] = ()  # private attributes kept with the heavy one when the object has them
    _LIGHT: tuple[str, ...] = ()  # private attributes a summary may hold (small, e.g. a block's counts)
    _BASE: type = object

    def __getattr__(self, name: str):
        # only called for an attribute the instance does not have: the deferred one, until filled
        frames = self.__dict__.get("_frames")
        if frames is None or (name != self._HEAVY and name not in self._EXTRA):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        frames.fill()
        try:
            return self.__dict__[name]
        except KeyError:  # an extra attribute this object never had (a horizontal block's columns)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}") from None

    def __reduce_ex__(self, protocol):
        import copyreg

        getattr(self, self._HEAVY)
        return copyreg.__newobj__, (type(self),), {k: v for k, v in self.__dict__.items() if k != "_frames"}

    def __eq__(self, other):
        if not isinstance(other, self._BASE):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(self._BASE))


class DeferredPageFrame(_Deferred, PageFrame):
    _HEAVY, _BASE = "items", PageFrame
    __hash__ = PageFrame.__hash__


class DeferredPart(_Deferred, Part):
    _HEAVY, _BASE = "items", Part
    __hash__ = Part.__hash__


class DeferredBlock(_Deferred, Block):
    _HEAVY, _BASE = "lines", Block
    _EXTRA = ("_vlines",)  # layout/paginate/vertical.py: the block's lines as columns
    _LIGHT = ("_counts",)  # layout/paginate/flow.py: characters per line
    __hash__ = Block.__hash__


_DEFERRED: dict[type, type] = {PageFrame: DeferredPageFrame, Part: DeferredPart, Block: DeferredBlock}


class _SplitPickler(pickle.Pickler):
    """Pickles a group result leaving out the heavy attributes: each frame, part and block is
    written as a persistent id (number, its type's name, its other fields) the first time it is
    met and by its number after that; the attributes left out are collected in `heavy`, in that
    order, for the frames entry."""

    def __init__(self, file) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.types = _DEFERRED
        self.heavy: list = []
        self.numbers: dict[int, int] = {}
        self.alive: list = []  # what was numbered, kept alive so that no id() is reused meanwhile

    def persistent_id(self, obj):
        deferred = self.types.get(type(obj))
        if deferred is None:
            return None
        n = self.numbers.get(id(obj))
        if n is not None:
            return (n,)
        n = self.numbers[id(obj)] = len(self.alive)
        self.alive.append(obj)
        state = dict(obj.__dict__)
        self.heavy.append({name: state.pop(name) for name in (deferred._HEAVY, *deferred._EXTRA) if name in state})
        return (n, type(obj).__name__, state)


class _SummaryReader(_EngineUnpickler):
    """The restricted unpickler of layout/cache.py reading a summary: each persistent id becomes
    the deferred stand-in of its type with the fields given (checked: exactly the type's fields
    but the heavy one, and a block's count of characters per line), tied to `frames`."""

    def __init__(self, data: bytes, frames: _Frames) -> None:
        super().__init__(io.BytesIO(data))
        self.frames = frames
        self.types = {base.__name__: deferred for base, deferred in _DEFERRED.items()}

    def persistent_load(self, pid):
        objects = self.frames.objects
        if isinstance(pid, tuple) and len(pid) == 1 and isinstance(pid[0], int) and 0 <= pid[0] < len(objects):
            return objects[pid[0]]
        if not isinstance(pid, tuple) or len(pid) != 3 or pid[0] != len(objects) or pid[1] not in self.types \
                or not isinstance(pid[2], dict):
            raise pickle.UnpicklingError("not a page-cache reference")
        deferred, state = self.types[pid[1]], pid[2]
        if set(state) - set(deferred._LIGHT) != {f.name for f in fields(deferred._BASE)} - {deferred._HEAVY}:
            raise pickle.UnpicklingError(f"not the fields of a {pid[1]}")
        obj = object.__new__(deferred)
        obj.__dict__.update(state)
        obj.__dict__["_frames"] = self.frames
        objects.append(obj)
        return obj


class _Frames:
    """The heavy part of one cached group, read on first demand: the values of the deferred
    objects' heavy attributes, checked (as many as there are objects, each of its attribute's
    type, the bytes those the summary was written with). When the entry cannot be read (pruned,
    damaged since the summary was read), the group is laid out again (`again`) and its values are
    taken from that: the key says the layout is the same."""

    def __init__(self, store: GroupStore, key: str, digest: str, again) -> None:
        self.store, self.key, self.digest, self.again = store, key, digest, again
        self.objects: list[_Deferred] = []

    def _check(self, values) -> list:
        from layout.frames import Box, GlyphRun, ImageItem, Mark, MissingGlyph, PdfItem, Rule
        from layout.text.lines import ComposedLine
        from layout.text.vertical import VerticalLine

        items = (GlyphRun, Rule, Box, ImageItem, PdfItem, Mark, MissingGlyph)
        if not isinstance(values, list) or len(values) != len(self.objects):
            raise ValueError("not the group's frames")
        for obj, value in zip(self.objects, values, strict=True):
            if not isinstance(value, dict) or obj._HEAVY not in value \
                    or not set(value) <= {obj._HEAVY, *obj._EXTRA}:
                raise ValueError("a frame, part or block that is not the group's")
            for name, members in value.items():
                # a block's lines and columns and a frame's items are tuples, a part's items a list
                kind = VerticalLine if name == "_vlines" else ComposedLine if obj._HEAVY == "lines" else items
                want = list if obj._BASE is Part and name == "items" else tuple
                if not isinstance(members, want) or not all(isinstance(m, kind) for m in members):
                    raise ValueError("a frame, part or block that is not the group's")
        return values

    def fill(self) -> None:
        values = self.store.load_frames(self.key, self.digest, self._check)
        if values is None:
            again = kept(self.again())
            _, values, _ = GroupStore.split(again)
            try:
                values = self._check(values)
            except ValueError:
                raise RuntimeError("a page group laid out again is not the one its cache entry describes") from None
            self.store.store(self.key, again)  # a summary and frames entry that go together again
        for obj, value in zip(self.objects, values, strict=True):
            obj.__dict__.update(value)
            del obj.__dict__["_frames"]
        self.objects = []


class GroupStore:
    """Page groups in the build cache: the summary under the group's key in `cache` (a BlobCache,
    $LAYOUT_CACHE/paginated), the heavy part beside it ($LAYOUT_CACHE/paginated-frames), tied by
    the SHA-256 of the heavy part's bytes, which the summary names."""

    def __init__(self, cache) -> None:
        from layout.cache import BlobCache

        self.summaries = BlobCache(cache.folder, cache.kind)
        self.frames = BlobCache(cache.folder.parent / f"{cache.kind}-frames", f"{cache.kind}-frames")

    @staticmethod
    def split(result: GroupResult) -> tuple[bytes, list, bytes]:
        """(summary bytes, heavy values, heavy bytes) of a kept group result."""
        buf = io.BytesIO()
        pickler = _SplitPickler(buf)
        pickler.dump(result)
        heavy = pickle.dumps(pickler.heavy, protocol=pickle.HIGHEST_PROTOCOL)
        return buf.getvalue(), pickler.heavy, heavy

    def store(self, key: str, result: GroupResult) -> None:
        """Keep the group (now, or in the build's deferred writes: layout.cache.write_later; the
        result is not changed after pagination, so the bytes are those written now)."""
        from layout.cache import write_later

        write_later(lambda: self._store(key, result))

    def _store(self, key: str, result: GroupResult) -> None:
        try:
            summary, _, heavy = self.split(result)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # a value that does not pickle: the group is simply not kept
        # the heavy part first: a summary is never found without the part it names
        self.frames.store(key, heavy)
        digest = hashlib.sha256(heavy).hexdigest()
        self.summaries.store(key, pickle.dumps((digest, summary), protocol=pickle.HIGHEST_PROTOCOL))

    def load(self, key: str, check, again) -> GroupResult | None:
        """The group's result with its heavy attributes deferred, or None (the entry is missing,
        damaged, fails `check`, or its heavy part is not there: dropped, laid out again)."""
        data = self.summaries.load(key)
        if data is None:
            return None
        try:
            digest, summary = _EngineUnpickler(io.BytesIO(data)).load()
            if not isinstance(digest, str) or not isinstance(summary, bytes) \
                    or not self.frames._path(key).is_file():
                raise ValueError("no frames entry for this summary")
            result = check(_SummaryReader(summary, _Frames(self, key, digest, again)).load())
        except Exception:  # noqa: BLE001 - any way an entry fails to read back means it is missing
            result = None
        if result is None:
            self.summaries._drop(self.summaries._path(key))
            return None
        # Both parts used now: pruning by age (layout.cache.prune) keeps or takes them together, so
        # the glyphs a warm build never reads do not go first and turn their summary into a miss.
        for path in (self.summaries._path(key), self.frames._path(key)):
            with contextlib.suppress(OSError):
                os.utime(path)
        return result

    def load_frames(self, key: str, digest: str, check) -> list | None:
        data = self.frames.load(key)
        if data is None:
            return None
        try:
            if hashlib.sha256(data).hexdigest() != digest:
                raise ValueError("frames written with another summary")
            return check(_EngineUnpickler(io.BytesIO(data)).load())
        except Exception:  # noqa: BLE001 - as load(): missing, and made again by the caller
            self.frames._drop(self.frames._path(key))
            return None
