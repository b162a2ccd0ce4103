"""OVERSET badges on proofs of narrow modules (layout.proof.badges): readable, apart, on the page.

On one line ("OVERSET +12345字 / 987 lines") a badge is about twice a column wide: on a page of
1-column briefs side by side each ran over its neighbours' badges, and the last one off the
page's edge."""

from __future__ import annotations

from PIL import Image, ImageChops

from layout.proof.badges import badge_lines, choose_shape, free_spot, overlaps
from layout.proof.geometry import PageGeometry
from layout.proof.overlay import OverlayOptions, draw_overlays
from layout.proof.report import Module, PageInfo, StoryInfo

DPI = 100
W, H, BLEED = 1000.0, 1500.0, 20.0
COL, GUTTER = 117.0, 9.0  # the broadsheet's column (13 characters of 9 pt) and gutter


def _page(modules: list[Module], stories: dict[str, StoryInfo], opts: OverlayOptions) -> Image.Image:
    s = DPI / 72
    crop = (0.0, 0.0, W + 2 * BLEED, H + 2 * BLEED)
    geom = PageGeometry(crop=crop, trim_left=BLEED, trim_top=H + BLEED, scale=s,
                        size=(round(crop[2] * s), round(crop[3] * s)))
    img = Image.new("RGB", geom.size, "white")
    draw_overlays(img, PageInfo("A02", "A02.pdf", width=W, height=H, modules=tuple(modules)), geom, stories, opts)
    return img


def _px(x: float, y: float, w: float, h: float) -> tuple[int, int, int, int]:
    s = DPI / 72
    return (round((BLEED + x) * s), round((BLEED + y) * s), round((BLEED + x + w) * s), round((BLEED + y + h) * s))


def _inked(img: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels in `box` that are not white."""
    grey = ImageChops.invert(img.crop(box).convert("L"))
    return sum(grey.point(lambda v: 255 if v > 10 else 0).histogram()[255:])


def _briefs(n: int) -> tuple[list[Module], dict[str, StoryInfo]]:
    mods, stories = [], {}
    for k in range(n):
        ref = f"brief-{k}"
        # the last column's module reaches the trim's right edge
        x = W - COL if k == n - 1 else 10 + k * (COL + GUTTER)
        mods.append(Module("story", ref, x, 900.0, COL, 300.0))
        stories[ref] = StoryInfo(ref, status="over", overset_chars=12345, overset_lines=987, pages=("A02",))
    return mods, stories


def test_badges_of_one_column_modules_stay_in_their_modules_and_on_the_page():
    mods, stories = _briefs(8)
    img = _page(mods, stories, OverlayOptions(outlines=False, missing=False))
    for a, b in zip(mods[:-2], mods[1:-1], strict=True):
        gutter = _px(a.x + a.w + 2, a.y, b.x - a.x - a.w - 4, a.h)  # the white between two modules
        assert _inked(img, gutter) == 0, (a.ref, b.ref)
    s = DPI / 72
    outside = (round((BLEED + W) * s) + 1, 0, img.size[0], img.size[1])  # the bleed right of the trim
    assert _inked(img, outside) == 0


def test_a_narrow_badge_keeps_every_word_at_a_readable_size():
    texts = badge_lines(405, 31)
    assert all(" ".join(t).replace(" / ", " ").split() == ["OVERSET", "+405字", "31", "lines"] for t in texts)
    # a column is 162 px wide at 100 dpi; text about 9 px an em a character
    shape = choose_shape(texts, (17, 13), 150, 400, lambda t, z: (max(len(x) for x in t) * z * 0.6, 1.3 * z * len(t)))
    assert shape.w <= 150 and shape.size >= 13
    # nothing fits: the least overflow, never below the smallest size offered
    tiny = choose_shape(texts, (17, 13), 20, 10, lambda t, z: (max(len(x) for x in t) * z * 0.6, 1.3 * z * len(t)))
    assert tiny.size == 13 and tiny.lines == texts[-1]


def test_badges_and_names_of_stacked_short_modules_do_not_cover_each_other():
    """Two overset stories 2 lines deep one over the other: each badge is deeper than its module, and
    it covered its neighbour's badge and its own module's name."""
    taken: list[tuple[float, float, float, float]] = [(10, 100, 90, 118), (10, 137, 90, 155)]  # the two names
    page = (0.0, 0.0, 400.0, 600.0)
    for top in (100, 137):
        x, y = free_spot((14, top + 37 - 4 - 40), 110, 40, page, taken)
        box = (x, y, x + 110, y + 40)
        assert page[0] <= box[0] and box[2] <= page[2] and page[1] <= box[1] and box[3] <= page[3]
        assert not any(overlaps(box, r) for r in taken), (box, taken)
        taken.append(box)


def test_free_spot_is_the_wanted_one_when_it_is_free_and_stays_in_bounds():
    assert free_spot((10, 20), 30, 10, (0, 0, 100, 100), []) == (10, 20)
    assert free_spot((90, 95), 30, 10, (0, 0, 100, 100), []) == (70, 90)  # moved inside the page
