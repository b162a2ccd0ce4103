"""Module names on proofs ("table prices", "story harbour-plan") kept off the module's text: drawn
at the top left, each covered the table's title or the story's headline, the line that says what
the module is. A name goes to the first of the module's corners (then the rule above it) over no
text, inside the page (layout.proof.badges.label_spot)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from layout.proof.badges import label_corners, label_spot
from layout.proof.geometry import PageGeometry
from layout.proof.overlay import OverlayOptions, draw_overlays
from layout.proof.report import Module, PageInfo

DPI = 100
W, H, BLEED = 1000.0, 1500.0, 20.0
S = DPI / 72


def _geom() -> PageGeometry:
    crop = (0.0, 0.0, W + 2 * BLEED, H + 2 * BLEED)
    return PageGeometry(crop=crop, trim_left=BLEED, trim_top=H + BLEED, scale=S,
                        size=(round(crop[2] * S), round(crop[3] * S)))


def _px(x: float, y: float, w: float, h: float) -> tuple[int, int, int, int]:
    return (round((BLEED + x) * S), round((BLEED + y) * S), round((BLEED + x + w) * S), round((BLEED + y + h) * S))


def _proof(modules: list[Module], ink: list[tuple[int, int, int, int]]) -> Image.Image:
    img = Image.new("RGB", _geom().size, "white")
    draw = ImageDraw.Draw(img)
    for box in ink:  # the page's text: black bars
        draw.rectangle(box, fill="black")
    draw_overlays(img, PageInfo("A02", "A02.pdf", width=W, height=H, modules=tuple(modules)), _geom(), {},
                  OverlayOptions(overset=False, missing=False))
    return img


def _still_black(img: Image.Image, box: tuple[int, int, int, int]) -> bool:
    return img.crop(box).convert("L").getextrema()[1] < 40


def _label_pixels(img: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels of a label's fill (the table colour, grey: neither white nor black) in `box`."""
    grey = img.crop(box).convert("L")
    return sum(grey.histogram()[60:200])


def test_a_tables_name_is_not_drawn_over_its_title():
    table = Module("table", "prices", 100.0, 100.0, 400.0, 300.0)
    x0, y0, x1, y1 = _px(table.x, table.y, table.w, table.h)
    title = (x0 + 4, y0 + 3, x0 + 160, y0 + 24)  # 菜價一覽 at the top left
    img = _proof([table], [title])
    assert _still_black(img, title)
    # the name is in the module's top right corner instead, on the page
    assert _label_pixels(img, (x1 - 150, y0, x1, y0 + 24)) > 200


def test_a_name_goes_to_a_blank_foot_when_the_title_spans_the_module():
    story = Module("story", "harbour-plan", 100.0, 100.0, 400.0, 300.0)
    x0, y0, x1, y1 = _px(story.x, story.y, story.w, story.h)
    headline = (x0 + 4, y0 + 3, x1 - 4, y0 + 40)  # a headline across the whole module
    img = _proof([story], [headline])
    assert _still_black(img, headline)
    assert _label_pixels(img, (x0, y1 - 30, x1, y1)) > 200


def test_spots_over_text_outside_the_page_or_taken_are_passed_over():
    module = (100.0, 100.0, 300.0, 200.0)
    spots = label_corners(module, 50, 10, 2)
    assert spots[0] == (248.0, 102.0) and spots[1] == (102.0, 102.0)  # top right first, then top left
    page = (0.0, 0.0, 1000.0, 1000.0)
    inked = {(248.0, 102.0)}  # the top right corner has text

    def ink(box) -> int:
        return 5 if (box[0], box[1]) in inked else 0

    assert label_spot(spots, 50, 10, page, [], ink) == (102.0, 102.0)
    # the top left taken by a neighbour's name: the foot
    assert label_spot(spots, 50, 10, page, [(90.0, 95.0, 160.0, 115.0)], ink) == (248.0, 188.0)
    # text under every spot: the least inked; all outside the page: none
    assert label_spot(spots, 50, 10, page, [], lambda b: 9 if b[1] < 150 else 3) == spots[2]
    assert label_spot(spots, 50, 10, (0.0, 0.0, 50.0, 50.0), [], ink) is None
