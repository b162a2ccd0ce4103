"""A story's options (estimate.story_options: every module worth trying, with what it costs) kept
in the build cache, so that re-planning a page after one of its stories was edited measures that
story alone: its neighbours' options are those an earlier plan measured. Measuring is most of a
page's plan (trial headlines, flows and photos at every width), and what a sub-editor's correction
to one story costs a new process (issue 18).

The options are a function of the story and of the context they are measured in, nothing else:
trial layouts report into a private sink (estimate._scratch), read no other item of the page, and
the `memo` the plan passes only spares work (exact). So the key is everything they are made from,
spelled out as for a page's plan (plan.page_key), for one story: the story in full (its text,
headline, photos with their files' signatures, settings), its composition, the edition's word
list, the template, print profile and composition style, the faces' files, the page list, and the
call's arguments. A story with tables is not kept (a table reads its page's colour and the
edition's tables). Entries are checked on read; the engine's source is in every key
(layout.cache)."""

from __future__ import annotations

import hashlib
from dataclasses import fields

from layout.autolayout.estimate import Option
from layout.cache import file_signature

_FIELDS = [f.name for f in fields(Option)]
_TUPLES = {"photo_lines", "feet"}


def options_key(ctx, story, kind: str, arguments: dict) -> str | None:
    """The digest of what `story`'s options depend on (see the module's docstring), or None when
    they are not to be kept (tables, or a value without a stable spelling). `kind`: the item the
    options are for ("story", "continued"); the story's direction, which picks the measuring
    (estimate or vertical), is in the story."""
    if getattr(story, "tables", None):
        return None
    e = ctx.edition
    faces = sorted({(f.key, *(file_signature(f.spec.path) or [])) for chain in ctx.setter.chains.values()
                    for f in chain.faces})
    photos = [file_signature(p.file) for p in story.photos]
    text = repr([kind, story, photos, sorted(e.composition_of(story.id).items()), e.words, ctx.template,
                 ctx.profile, ctx.setter.style, faces, [p.id for p in e.pages], sorted(arguments.items())])
    if " object at 0x" in text:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _checked(value) -> list[Option]:
    """Options read back: a list of field lists, each value of its field's kind."""
    if not isinstance(value, list):
        raise TypeError("not a list of options")
    out = []
    for entry in value:
        if not isinstance(entry, list) or len(entry) != len(_FIELDS):
            raise ValueError("not an option")
        args = {}
        for name, v in zip(_FIELDS, entry, strict=True):
            if name in _TUPLES:
                if not isinstance(v, list) or not all(type(x) is int for x in v):
                    raise ValueError(f"{name} is not a list of whole numbers")
                v = tuple(v)
            elif name == "valid":
                if type(v) is not bool:
                    raise ValueError("valid is not true or false")
            elif name in ("cost", "head_size", "head_start"):  # as measured: JSON keeps 0 and 0.0 apart
                if not (type(v) in (int, float) or (v is None and name == "head_start")):
                    raise ValueError(f"{name} is not a number")
            elif name == "notch":  # an L-shaped module's cut-out corner: (side, cols, lines) or none
                if v is not None:
                    if not (isinstance(v, list) and len(v) == 3 and v[0] in ("left", "right")
                            and type(v[1]) is int and type(v[2]) is int):
                        raise ValueError("notch is not [side, cols, lines]")
                    v = tuple(v)
            elif name == "photo_cols":
                if not (v is None or type(v) is int):
                    raise ValueError("photo_cols is not a whole number")
            elif type(v) is not int:
                raise ValueError(f"{name} is not a whole number")
            args[name] = v
        out.append(Option(**args))
    return out


def cached_options(ctx, story, measure, kind: str, **arguments) -> list[Option]:
    """measure(ctx, story, **arguments), from the build cache when this story was measured so
    before ($LAYOUT_CACHE/story-options). `memo` in the arguments is passed on but is no part of
    the key (it only spares work). Numbers are kept as JSON writes them (a float's shortest repr,
    which reads back the same float; an int stays an int)."""
    from layout.cache import JsonCache

    memo = arguments.pop("memo", None)
    cache = JsonCache.default("story-options")
    key = options_key(ctx, story, kind, arguments) if cache is not None else None
    if key is not None:
        hit = cache.load(key, check=_checked)
        if hit is not None:
            return hit
    options = measure(ctx, story, memo=memo, **arguments)
    if key is not None and all(type(o) is Option for o in options):
        cache.store(key, [[list(v) if isinstance(v, tuple) else v for v in (getattr(o, n) for n in _FIELDS)]
                          for o in options])
    return options
