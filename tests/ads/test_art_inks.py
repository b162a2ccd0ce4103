"""Colour art booked without `colour: true`: the planner reads the file's inks (layout/ads/inks.py)
and places the ad on a colour page, or reports it where the edition puts it on a mono page, before
the build (it used to go on a mono page and fail preflight: COLOR-ON-MONO-PAGE)."""

from __future__ import annotations

from adkit import COLOUR_PAGES, ad_pdf, needs_gs, write_edition
from PIL import Image

from layout.ads.inks import image_inks, pdf_inks
from layout.ads.plan import plan_ads
from layout.model.load import load_edition
from layout.template import load_template

GRID = (8, 105)


def edition(tmp_path, bookings, items_a03: str = ""):
    g = load_template("broadsheet").grid
    w, h = g.span_width(3), 20 * g.pitch
    ads = tmp_path / "ads"
    ads.mkdir(parents=True, exist_ok=True)
    (ads / "red.pdf").write_bytes(ad_pdf(w, h, "0 1 1 0 k"))  # M+Y: a red ad
    (ads / "black.pdf").write_bytes(ad_pdf(w, h, "0 0 0 1 k"))
    dpi = 72 * 400 / w
    Image.new("RGB", (400, round(400 * h / w)), (200, 30, 30)).save(ads / "red.jpg", dpi=(dpi, dpi))
    Image.new("RGB", (400, round(400 * h / w)), (90, 90, 90)).save(ads / "grey.jpg", dpi=(dpi, dpi))
    path = write_edition(tmp_path, bookings)
    text = path.read_text("utf-8").replace("\nads:\n", "\nads:\n" + "".join(
        f"  {name}:\n    kind: {kind}\n    file: ads/{file}\n" for name, kind, file in
        [("red-pdf", "pdf", "red.pdf"), ("black-pdf", "pdf", "black.pdf"), ("red-jpg", "image", "red.jpg"),
         ("grey-jpg", "image", "grey.jpg"), ("red-pdf-2", "pdf", "red.pdf")]), 1)
    if items_a03:
        text = text.replace("  - page: A03\n    section: 城市\n    items:\n",
                            "  - page: A03\n    section: 城市\n    items:\n" + items_a03, 1)
    path.write_text(text, "utf-8")
    ed = load_edition(path, page_count=12, grid=GRID)
    return path, ed, *plan_ads(ed, load_template("broadsheet"))


@needs_gs
def test_the_inks_of_delivered_art_are_read_from_the_file(tmp_path):
    g = load_template("broadsheet").grid
    (tmp_path / "red.pdf").write_bytes(ad_pdf(g.span_width(2), 100, "0 1 1 0 k"))
    (tmp_path / "black.pdf").write_bytes(ad_pdf(g.span_width(2), 100, "0 0 0 1 k"))
    Image.new("RGB", (50, 50), (0, 90, 200)).save(tmp_path / "blue.jpg")
    Image.new("RGB", (50, 50), (128, 128, 128)).save(tmp_path / "grey.jpg")
    Image.new("L", (50, 50), 40).save(tmp_path / "l.jpg")
    assert pdf_inks(tmp_path / "red.pdf").inks == ("Magenta", "Yellow")
    assert pdf_inks(tmp_path / "black.pdf").inks == ()
    assert image_inks(tmp_path / "blue.jpg").colour
    assert not image_inks(tmp_path / "grey.jpg").colour and not image_inks(tmp_path / "l.jpg").colour


@needs_gs
def test_colour_art_booked_without_colour_goes_on_a_colour_page(tmp_path):
    bookings = [("red-pdf", "甲", "{cols: 3, lines: 20}", "ad: red-pdf"),
                ("red-jpg", "乙", "{cols: 3, lines: 20}", "ad: red-jpg\n    side: left"),
                ("black-pdf", "丙", "{cols: 3, lines: 20}", "ad: black-pdf\n    section: 體育"),
                ("grey-jpg", "丁", "{cols: 3, lines: 20}", "ad: grey-jpg\n    section: 文化")]
    _, _, _, plan = edition(tmp_path, bookings)
    got = {p.booking: p for p in plan.placements}
    # no `colour: true`, and yet only colour pages: the art is in colour inks
    assert got["red-pdf"].page in COLOUR_PAGES and got["red-pdf"].colour
    assert got["red-jpg"].page in COLOUR_PAGES and got["red-jpg"].colour
    # black art goes where its wishes say, mono pages included
    assert got["black-pdf"].page in ("A09", "A10") and not got["black-pdf"].colour
    assert got["grey-jpg"].page in ("A07", "A08") and not got["grey-jpg"].colour
    assert not [d for d in plan.diagnostics if d.code.startswith(("BOOKING-", "AD-ART"))]


@needs_gs
def test_colour_art_pinned_to_a_mono_page_is_reported_at_its_booking(tmp_path):
    bookings = [("pinned-red", "甲", "{cols: 3, lines: 20}", "ad: red-pdf\n    page: A02"),
                ("mono-section", "乙", "{cols: 3, lines: 20}", "ad: red-jpg\n    section: 文化")]
    path, _, planned, plan = edition(tmp_path, bookings, items_a03="      - ad: red-pdf-2\n")
    got = {p.booking: p for p in plan.placements}
    # kept where the edition put it (someone chose the page), reported before the build
    assert got["pinned-red"].page == "A02" and got["mono-section"].page in ("A07", "A08")
    found = [d for d in plan.diagnostics if d.code == "BOOKING-ART-COLOUR"]
    assert len(found) == 2
    image = next(d for d in found if "mono-section" in d.message)
    assert image.severity.value == "warning" and "grey" in image.message  # the build prints an image grey
    text = path.read_text("utf-8").splitlines()
    first = next(d for d in found if "pinned-red" in d.message)
    assert text[first.location.line - 1][first.location.column - 1:].startswith("A02")
    assert "Magenta, Yellow" in first.message and "A02" in first.message and "black-only" in first.hint
    assert first.severity.value == "error" and "COLOR-ON-MONO-PAGE" in first.message
    hand = [d for d in plan.diagnostics if d.code == "AD-ART-COLOUR"]
    assert len(hand) == 1 and hand[0].page == "A03" and "Magenta, Yellow" in hand[0].message
    assert text[hand[0].location.line - 1].strip().startswith("- ad: red-pdf-2")
