"""Art inks: which colour inks a delivered ad's art prints in, read from its file before the
booking planner places it, so a colour ad booked without `colour: true` goes on a colour page
(or is reported where the edition puts it on a mono one) instead of failing preflight after the
build (COLOR-ON-MONO-PAGE).

A PDF ad is rendered to its separations by the same Ghostscript reader preflight uses for placed
ads (layout.preflight.ink.render_page) and read the way mono_findings reads a mono page's plates:
any plate but Black with ink in it. An image ad is read with Pillow: one-channel images are K
only, others are colour when any pixel is not neutral (the build prints such art grey on a mono
page, not as the advertiser drew it)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field

from layout.model.edition import Ad

# Resolution of the planner's render: Ghostscript paints every pixel a shape touches, so a thin
# coloured rule still marks a plate at this resolution; a half-page ad renders in a few hundredths
# of a second.
INK_DPI = 18.0
CHROMA = 8  # an RGB pixel whose channels differ by more than this (of 255) is coloured, not grey
THUMB = 256  # image art is read on a copy this many pixels across at most: colour areas are not tiny


@dataclass(frozen=True)
class ArtInks:
    """The colour inks of an ad's art (() for K-only art), or why they are unknown (`unknown`)."""

    inks: tuple[str, ...] = ()
    unknown: str = ""

    @property
    def colour(self) -> bool:
        return bool(self.inks)

    def describe(self) -> str:
        return ", ".join(self.inks)


def pdf_inks(path, page_index: int = 0) -> ArtInks:
    """The colour plates of page `page_index` of the PDF at `path`. Rendering it costs Ghostscript
    about a quarter of a second an ad, every build: the answer is kept in the build cache
    ("ad-inks"), keyed by the file's content digest, the page and the Ghostscript there is (the
    engine's version is in every entry's name), and checked when read back (inks_entry). An
    answer that is unknown (no Ghostscript, a file it cannot render) is not kept: it is no
    property of the bytes alone, and the next build tries again."""
    from layout.cache import JsonCache

    cache = JsonCache.default("ad-inks")
    key = _pdf_key(path, page_index) if cache is not None else None
    if key is not None:
        hit = cache.load(key, check=inks_entry)
        if hit is not None:
            return hit
    found = _render_inks(path, page_index)
    if key is not None and not found.unknown:
        cache.store(key, list(found.inks))
    return found


def _pdf_key(path, page_index: int) -> str | None:
    """What a PDF ad's inks depend on: its bytes (by their digest), the page, and the Ghostscript
    binary (path, size and time: an upgrade writes it again); None when the file cannot be read
    (then it is rendered, which reports why)."""
    import hashlib
    import shutil

    from layout.cache import file_signature

    try:
        with open(path, "rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None
    return f"{digest}|{page_index}|{file_signature(shutil.which('gs'))}"


def inks_entry(value) -> ArtInks:
    """A cached entry of pdf_inks checked: distinct plate names (colour plates only, Black is
    never one), sorted as pdf_inks gives them; raises ValueError otherwise."""
    if not isinstance(value, list) or not all(isinstance(n, str) and n and n != "Black" for n in value) \
            or value != sorted(set(value)):
        raise ValueError(f"{value!r} is not a list of colour plates")
    return ArtInks(tuple(value))


def _render_inks(path, page_index: int) -> ArtInks:
    from layout.preflight.ink import INK_LEVEL, GhostscriptMissing, render_page

    try:
        plates = render_page(path, INK_DPI, page_index)
    except GhostscriptMissing as exc:
        return ArtInks(unknown=str(exc))
    except (subprocess.SubprocessError, OSError, RuntimeError) as exc:
        return ArtInks(unknown=f"Ghostscript could not render it ({exc})")
    return ArtInks(tuple(sorted(n for n, a in plates.plates.items() if n != "Black" and a.max() > INK_LEVEL)))


def image_inks(path) -> ArtInks:
    import numpy as np
    from PIL import Image

    try:
        with Image.open(path) as im:
            if im.mode in ("1", "L", "LA", "I", "I;16", "F"):
                return ArtInks()
            im.draft("RGB", (THUMB, THUMB))  # a JPEG decodes at a fraction of its size
            small = im.convert("RGB")
            small.thumbnail((THUMB, THUMB))
            arr = np.asarray(small, dtype=np.int16)
    except OSError as exc:
        return ArtInks(unknown=f"the image cannot be read ({exc})")
    chroma = int((arr.max(axis=2) - arr.min(axis=2)).max()) if arr.size else 0
    return ArtInks(("Cyan", "Magenta", "Yellow")) if chroma > CHROMA else ArtInks()


@dataclass
class InkReader:
    """art_inks for each ad once (an ad booked twice is read once)."""

    seen: dict[str, ArtInks] = field(default_factory=dict)

    def of(self, ad: Ad | None) -> ArtInks:
        if ad is None or ad.kind not in ("pdf", "image") or not ad.file:
            return ArtInks()
        key = f"{ad.kind}:{ad.file}"
        if key not in self.seen:
            self.seen[key] = pdf_inks(ad.file) if ad.kind == "pdf" else image_inks(ad.file)
        return self.seen[key]


__all__ = ["ArtInks", "InkReader", "image_inks", "inks_entry", "pdf_inks"]
