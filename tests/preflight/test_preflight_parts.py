"""Unit tests of preflight parts that need no Ghostscript: colour-space classes, the content
walk, page boxes, ink cropping, and the print profile loader."""

from __future__ import annotations

import numpy as np
import pikepdf
import pytest

from layout.preflight.content import Colour, apply, check_page_content, mul
from layout.preflight.ink import PagePlates, crop_to_box, ink_findings
from layout.preflight.resources import classify_colorspace, colorspace_problem
from layout.preflight.structure import check_page_boxes
from layout.printprofile import PrintProfile, load_profile


def test_matrix_mul_applies_first_then_second():
    scale = (2.0, 0.0, 0.0, 3.0, 0.0, 0.0)
    move = (1.0, 0.0, 0.0, 1.0, 10.0, 20.0)
    assert apply(mul(scale, move), 1, 1) == (12.0, 23.0)
    assert apply(mul(move, scale), 1, 1) == (22.0, 63.0)


@pytest.mark.parametrize("cs, kind", [
    (pikepdf.Name.DeviceRGB, "rgb"),
    (pikepdf.Name.DeviceCMYK, "cmyk"),
    (pikepdf.Name.DeviceGray, "gray"),
    (pikepdf.Array([pikepdf.Name.Lab, pikepdf.Dictionary()]), "lab"),
    (pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, 1, b"\x00" * 6]), "indexed:rgb"),
    (pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/PANTONE 185"), pikepdf.Name.DeviceCMYK,
                    pikepdf.Dictionary()]), "spot"),
])
def test_classify_colorspace(cs, kind):
    assert classify_colorspace(cs) == kind


def test_colorspace_rules_depend_on_pdfx_level():
    x1a = PrintProfile()
    assert colorspace_problem("icc-cmyk", x1a)[0] == "COLOR-ICC"
    assert colorspace_problem("lab", x1a)[0] == "COLOR-LAB"
    assert colorspace_problem("indexed:rgb", x1a)[0] == "COLOR-RGB"
    assert colorspace_problem("cmyk", x1a) is None
    assert colorspace_problem("spot", x1a) is None
    x4 = PrintProfile(pdfx="PDF/X-4")
    assert colorspace_problem("icc-cmyk", x4) is None
    assert colorspace_problem("rgb", x4)[0] == "COLOR-RGB"


def test_colour_ink_count():
    assert Colour("cmyk", (0, 0, 0, 1)).inks() == 1
    assert Colour("cmyk", (0.6, 0.4, 0.4, 1)).inks() == 4
    assert Colour("gray", (0,)).inks() == 1
    assert Colour("gray", (1,)).inks() == 0  # white
    assert Colour("rgb", (0, 0, 0)).inks() == 4
    assert Colour("spot", (1,)).inks() is None


def _page(content: bytes, **resources) -> tuple[pikepdf.Pdf, pikepdf.Page]:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.obj.Contents = pikepdf.Stream(pdf, content)
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font), **resources)
    return pdf, page


def _codes(content: bytes, profile=None, **res) -> list[str]:
    pdf, page = _page(content, **res)
    return [f.code for f in check_page_content(page, 1, profile or PrintProfile())]


def test_small_rich_black_text_found_and_k_text_passes():
    assert _codes(b"0.5 0.4 0.4 1 k BT /F1 9 Tf 10 10 Td (x) Tj ET") == ["TEXT-RICH-BLACK"]
    assert _codes(b"0 0 0 1 k BT /F1 9 Tf 10 10 Td (x) Tj ET") == []
    assert _codes(b"0 g BT /F1 9 Tf 10 10 Td (x) Tj ET") == []
    # Large text may use more inks; small text in two inks without black is still an error.
    assert _codes(b"0 1 1 0 k BT /F1 18 Tf 10 10 Td (x) Tj ET") == []
    assert _codes(b"0 1 1 0 k BT /F1 9 Tf 10 10 Td (x) Tj ET") == ["TEXT-SMALL-MULTI-INK"]


def test_text_size_follows_the_ctm_and_text_matrix():
    # 24 pt font scaled by 0.25 in the CTM: 6 pt on paper, too small for 2 inks.
    assert _codes(b"q 0.25 0 0 0.25 0 0 cm 0 1 1 0 k BT /F1 24 Tf (x) Tj ET Q") == ["TEXT-SMALL-MULTI-INK"]
    assert _codes(b"0 1 1 0 k BT /F1 1 Tf 20 0 0 20 5 5 Tm (x) Tj ET") == []
    # q/Q restore the colour: black again after the rich colour was popped.
    assert _codes(b"q 0.5 0.5 0.5 1 k Q BT /F1 8 Tf (x) Tj ET") == []


def test_invisible_text_is_ignored_and_tiny_text_warned():
    assert _codes(b"0.5 0.4 0.4 1 k BT 3 Tr /F1 8 Tf (x) Tj ET") == []
    assert _codes(b"0 0 0 1 k BT /F1 4 Tf (x) Tj ET") == ["TEXT-TOO-SMALL"]


def test_rgb_operators_are_found():
    assert _codes(b"1 0 0 rg 0 0 10 10 re f") == ["COLOR-RGB"]
    assert _codes(b"/DeviceRGB cs 1 0 0 sc 0 0 10 10 re f") == ["COLOR-RGB"]


def test_image_ppi_from_ctm():
    pdf, page = _page(b"")
    img = pikepdf.Stream(pdf, b"\x00" * (100 * 100 * 4))
    img.Type, img.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    img.Width, img.Height, img.BitsPerComponent, img.ColorSpace = 100, 100, 8, pikepdf.Name.DeviceCMYK
    page.obj.Resources.XObject = pikepdf.Dictionary(Im0=img)
    profile = PrintProfile()
    # 100 px over 72 pt = 100 ppi: an error; over 36 pt = 200 ppi: fine; 40 pt = 180 ppi: a warning.
    for size, codes in ((72, ["IMAGE-LOW-PPI"]), (36, []), (40, ["IMAGE-BELOW-TARGET-PPI"])):
        page.obj.Contents = pikepdf.Stream(pdf, f"q {size} 0 0 {size} 10 10 cm /Im0 Do Q".encode())
        assert [f.code for f in check_page_content(page, 1, profile)] == codes


def test_boxes_against_profile():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 300))
    page = pdf.pages[0]
    page.obj.TrimBox = pikepdf.Array([20, 20, 280, 280])
    page.obj.BleedBox = pikepdf.Array([20, 20, 280, 280])
    commercial = load_profile("commercial")
    codes = [f.code for f in check_page_boxes(page, 1, commercial)]
    assert "BOX-BLEED-SMALL" in codes
    page.obj.BleedBox = pikepdf.Array([11.4, 11.4, 288.6, 288.6])  # 3 mm = 8.504 pt
    codes = [f.code for f in check_page_boxes(page, 1, commercial)]
    assert "BOX-BLEED-SMALL" not in codes and "BOX-NO-ROOM-FOR-MARKS" in codes
    assert [f.code for f in check_page_boxes(page, 1, commercial, expected_trim=(260, 261))] == \
        ["BOX-TRIM-SIZE", *codes]
    page.obj.BleedBox = pikepdf.Array([30, 30, 270, 270])
    assert "BOX-BLEED-INSIDE-TRIM" in [f.code for f in check_page_boxes(page, 1, commercial)]


def test_ink_crop_and_findings_positions():
    dpi = 72.0
    plates = {n: np.zeros((100, 100), np.uint8) for n in ("Cyan", "Magenta", "Yellow", "Black")}
    for n in plates:  # a 400 % square at x 10..20, y (from top) 30..40
        plates[n][30:40, 10:20] = 255
    pp = PagePlates(plates, dpi)
    media = (0.0, 0.0, 100.0, 100.0)
    sub, ox, oy = crop_to_box(pp.total_percent(), media, (5, 5, 95, 95), dpi)
    assert (ox, oy, sub.shape) == (5, 5, (90, 90))
    (f,) = ink_findings(pp, 1, media, media, PrintProfile())
    assert f.code == "INK-OVER-LIMIT" and f.bbox == (10.0, 60.0, 20.0, 70.0)
    # Outside the bleed box, the same square is not counted (marks live there).
    assert ink_findings(pp, 1, media, (50, 0, 100, 100), PrintProfile()) == []


def test_profile_loader_rejects_unknown_keys_with_a_suggestion():
    with pytest.raises(ValueError, match="did you mean 'ink_limit'"):
        load_profile("newsprint", {"ink_limt": 240})
    with pytest.raises(ValueError, match="did you mean 'newsprint'"):
        load_profile("newsprnt")
    with pytest.raises(ValueError, match="requires an ICC"):
        load_profile("newsprint", {"pdfx": "PDF/X-4"})
    p = load_profile("newsprint", {"ink_limit": 240})
    assert p.ink_limit == 240 and p.bleed_mm == 0 and not p.marks
    c = load_profile("commercial")
    assert c.bleed_mm == 3 and c.marks and c.mark_weight_pt == 0.25 and c.mark_offset_mm >= 3


def test_profile_from_a_yaml_path(tmp_path):
    f = tmp_path / "shop.yaml"
    f.write_text("name: shop\nink_limit: 240\nink_warn: 230\noutput_condition_identifier: ISOnewspaper26v4\n")
    p = load_profile(str(f))
    assert (p.name, p.ink_limit, p.output_condition_identifier) == ("shop", 240, "ISOnewspaper26v4")


def test_resources_inherited_from_the_page_tree():
    pdf, page = _page(b"0.5 0.4 0.4 1 k BT /F1 9 Tf 10 10 Td (x) Tj ET")
    res = page.obj.Resources
    del page.obj["/Resources"]
    pdf.Root.Pages.Resources = res
    assert [f.code for f in check_page_content(pdf.pages[0], 1, PrintProfile())] == ["TEXT-RICH-BLACK"]
    from layout.preflight.resources import check_page_resources

    assert [f.code for f in check_page_resources(pdf.pages[0], 1, PrintProfile())] == ["FONT-NOT-EMBEDDED"]


def test_rules_thin_or_multi_ink():
    assert _codes(b"0 0 0 1 K 0.5 w 10 10 m 100 10 l S") == []
    assert _codes(b"0 0 0 1 K 0.1 w 10 10 m 100 10 l S") == ["RULE-TOO-THIN"]
    assert _codes(b"0 0 0 1 K 0 w 10 10 m 100 10 l S") == ["RULE-TOO-THIN"]
    assert _codes(b"0.5 0.5 0 1 K 1 w 10 10 m 100 10 l S") == ["RULE-MULTI-INK"]
    assert _codes(b"0.5 0.5 0 1 K 6 w 10 10 m 100 10 l S") == []  # a thick bar may use several inks
    assert _codes(b"0.5 0.5 0 1 K 1 w 10 10 m 100 10 l f") == []  # filled, not stroked
    # Width scales with the CTM: 1 pt × 0.2 = 0.2 pt.
    assert _codes(b"q 0.2 0 0 0.2 0 0 cm 0 0 0 1 K 1 w 10 10 m 100 10 l S Q") == ["RULE-TOO-THIN"]


def test_marks_outside_the_print_area_are_not_checked():
    pdf, page = _page(b"1 1 1 1 K 0.25 w 1 1 m 1 8 l 150 1 m 150 8 l S "
                      b"0.3 0.2 0.2 1 k BT /F1 6 Tf 2 2 Td (slug) Tj ET")
    area = (10.0, 10.0, 190.0, 190.0)
    assert check_page_content(page, 1, PrintProfile(), area) == []
    assert {f.code for f in check_page_content(page, 1, PrintProfile())} == {"RULE-MULTI-INK", "TEXT-RICH-BLACK"}
    # One subpath reaching into the area is enough.
    page.obj.Contents = pikepdf.Stream(pdf, b"1 1 1 1 K 0.25 w 1 1 m 1 8 l 50 1 m 50 50 l S")
    assert [f.code for f in check_page_content(page, 1, PrintProfile(), area)] == ["RULE-MULTI-INK"]


def test_malformed_operands_do_not_crash():
    assert _codes(b"0.5 0.5 k BT /F1 9 Tf (x) Tj ET") in ([], ["TEXT-SMALL-MULTI-INK"])
    assert _codes(b"/Foo k BT /F1 Tf (x) Tj ET 1 cm Q Q Q") == []


# --- issue 17's blind spots, one content stream each ----------------------------------------------

OP = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=True, op=True, OPM=1)
OP_OPM0 = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=True, op=True, OPM=0)


def _codes_gs(content: bytes, profile=None) -> list[str]:
    return _codes(content, profile, ExtGState=pikepdf.Dictionary(OP=OP, OP0=OP_OPM0))


CYAN_PANEL = b"0.2 0 0 0 k 0 0 200 200 re f "  # a light tint (under 30 %)


def test_two_ink_text_under_14_pt_is_an_error():
    assert _codes(b"0 1 1 0 k BT /F1 12 Tf 10 10 Td (xx) Tj ET") == ["TEXT-SMALL-MULTI-INK"]
    assert _codes(b"0 1 1 0 k BT /F1 14 Tf 10 10 Td (xx) Tj ET") == []
    # The threshold is the profile's.
    assert _codes(b"0 1 1 0 k BT /F1 12 Tf 10 10 Td (xx) Tj ET", PrintProfile(multi_ink_text_pt=12)) == []
    # Rich black between small_text_pt and multi_ink_text_pt: still two or more inks.
    assert _codes(b"0.5 0.4 0.4 1 k BT /F1 13 Tf 10 10 Td (x) Tj ET") == ["TEXT-RICH-BLACK"]


def test_reversed_text_needs_size_by_ink_count_and_no_small_serif():
    three = b"0.4 0.3 0.3 0 k 0 0 200 200 re f "
    one = b"0 0 0 0.8 k 0 0 200 200 re f "
    serif = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name("/Times-Roman"))

    def codes(content):
        pdf, page = _page(content)
        page.obj.Resources.Font.F2 = serif
        return sorted(f.code for f in check_page_content(page, 1, PrintProfile()))

    assert codes(three + b"0 0 0 0 k BT /F2 8 Tf 10 10 Td (white) Tj ET") == ["TEXT-REVERSED-SERIF", "TEXT-REVERSED-SMALL"]
    assert codes(three + b"1 g BT /F1 12 Tf 10 10 Td (white) Tj ET") == ["TEXT-REVERSED-SMALL"]  # sans, 3 inks
    assert codes(three + b"1 g BT /F1 14 Tf 10 10 Td (white) Tj ET") == []
    assert codes(one + b"1 g BT /F1 9 Tf 10 10 Td (white) Tj ET") == ["TEXT-REVERSED-SMALL"]  # one ink: 10 pt
    assert codes(one + b"1 g BT /F1 10 Tf 10 10 Td (white) Tj ET") == []
    assert codes(one + b"1 g BT /F2 11 Tf 10 10 Td (white) Tj ET") == ["TEXT-REVERSED-SERIF"]
    # White text on paper is not reversed text (nothing to check), nor on a white panel over colour.
    assert codes(b"1 g BT /F2 6 Tf 10 10 Td (white) Tj ET") == []
    assert codes(three + b"1 g 0 0 200 200 re f 0 0 0 0 k BT /F2 8 Tf 10 10 Td (w) Tj ET") == []


def test_surprinted_text_on_a_dark_tint():
    assert _codes_gs(b"0 0 0 0.5 k 0 0 200 200 re f /OP gs 0 0 0 1 k BT /F1 9 Tf 10 10 Td (x) Tj ET") == \
        ["TEXT-ON-DARK-TINT"]
    assert _codes_gs(b"0 0 0 0.3 k 0 0 200 200 re f /OP gs 0 0 0 1 k BT /F1 9 Tf 10 10 Td (x) Tj ET") == []
    # Large text may sit on a dark tint; text elsewhere on the page is not on the tint.
    assert _codes_gs(b"0 0 0 0.5 k 0 0 200 200 re f /OP gs 0 0 0 1 k BT /F1 18 Tf 10 10 Td (x) Tj ET") == []
    assert _codes_gs(b"0 0 0 0.5 k 0 0 50 50 re f /OP gs 0 0 0 1 k BT /F1 9 Tf 100 100 Td (x) Tj ET") == []


def test_black_text_on_colour_must_overprint_with_opm_1():
    text = b"0 0 0 1 k BT /F1 9 Tf 10 10 Td (black) Tj ET"
    assert _codes_gs(CYAN_PANEL + text) == ["TEXT-BLACK-KNOCKOUT"]  # overprint off
    assert _codes_gs(CYAN_PANEL + b"/OP gs " + text) == []
    assert _codes_gs(CYAN_PANEL + b"/OP0 gs " + text) == ["OVERPRINT-OPM0"]
    assert _codes_gs(CYAN_PANEL + b"/OP gs 0 g BT /F1 9 Tf 10 10 Td (grey) Tj ET") == ["TEXT-BLACK-KNOCKOUT"]
    assert _codes_gs(text) == []  # on paper, knocking out changes nothing
    # q/Q restores the overprint state.
    assert _codes_gs(CYAN_PANEL + b"q /OP gs Q " + text) == ["TEXT-BLACK-KNOCKOUT"]


def test_overprint_with_opm_0_over_colour_is_found_for_fills_and_rules_too():
    assert _codes_gs(CYAN_PANEL + b"/OP0 gs 0 1 0 0 k 20 20 50 50 re f") == ["OVERPRINT-OPM0"]
    assert _codes_gs(CYAN_PANEL + b"/OP gs 0 1 0 0 k 20 20 50 50 re f") == []
    assert _codes_gs(b"/OP0 gs 0 1 0 0 k 20 20 50 50 re f") == []  # over paper
    # Over magenta only: the magenta fill's zero C, Y, K have nothing to knock out.
    assert _codes_gs(b"0 0.5 0 0 k 0 0 200 200 re f /OP0 gs 0 1 0 0 k 20 20 50 50 re f") == []
    assert _codes_gs(CYAN_PANEL + b"/OP0 gs 0 0 0 1 K 1 w 10 10 m 100 10 l S") == ["OVERPRINT-OPM0"]


def test_text_under_6_pt_and_thin_or_two_ink_rules_are_errors():
    pdf, page = _page(b"0 0 0 1 k BT /F1 4 Tf (x) Tj ET 0.5 0.5 0 0 K 0.1 w 10 10 m 100 10 l S")
    found = check_page_content(page, 1, PrintProfile())
    assert sorted((f.code, f.severity.value) for f in found) == [
        ("RULE-MULTI-INK", "error"), ("RULE-TOO-THIN", "error"), ("TEXT-TOO-SMALL", "error")]
    shop = PrintProfile(min_text_pt=4, min_rule_pt=0.1, k_only_rule_pt=0)
    assert check_page_content(page, 1, shop) == []


@pytest.mark.parametrize("override, message", [
    ({"multi_ink_text_pt": "big"}, "multi_ink_text_pt must be a number"),
    ({"ink_limit": "22O"}, "ink_limit must be a number"),
    ({"marks": "yes"}, "marks must be true or false"),
    ({"min_rule_pt": True}, "min_rule_pt must be a number"),
    ({"reversed_serif_pt": -1}, "reversed_serif_pt must be a size"),
    ({"text_tint_max_pct": 500}, "text_tint_max_pct must be 0..400"),
])
def test_profile_settings_of_the_wrong_type_or_range(override, message):
    with pytest.raises(ValueError, match=message):
        load_profile("newsprint", override)


def test_profile_file_that_is_not_yaml(tmp_path):
    f = tmp_path / "shop.yaml"
    f.write_text("name: shop\nink_limit: [1\n")
    with pytest.raises(ValueError, match=r"shop.yaml:3:1: not valid YAML"):
        load_profile(str(f))
    f.write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(ValueError, match="cannot read it"):
        load_profile(str(f))
