"""The page-description preflight on pages made to hold our own faults, with the Ghostscript
preflight of the PDF the renderer writes from the same frames as the oracle; and its cache of
placed-ad renders (the same findings from any cache state, an ad rendered once)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PRINT = HERE.parent / "print"
if str(PRINT) not in sys.path:
    sys.path.insert(0, str(PRINT))

from frame_pages import catalog, glyph_run  # noqa: E402
from make_bad_ads import make_corpus  # noqa: E402
from preflight_oracle import compare  # noqa: E402

from layout.cache import BlobCache  # noqa: E402
from layout.color import CMYK, WHITE  # noqa: E402
from layout.frames import Box, GlyphRun, Mark, PageFrame, PdfItem, PlacedGlyph, Rule, Source  # noqa: E402
from layout.preflight import described, preflight_pdf  # noqa: E402
from layout.preflight.described import AdRenders, preflight_frame  # noqa: E402
from layout.printprofile import load_profile  # noqa: E402
from layout.render.pdf import place_pdf_ads, render  # noqa: E402
from layout.units import mm  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript missing")
K = CMYK(0, 0, 0, 100)


@pytest.fixture(scope="module")
def fonts():
    return catalog()


def _both(tmp_path: Path, frame: PageFrame, fonts, profile, *, mono: bool = False, renders=None):
    data, pending = render([frame], catalog=fonts, images={}, profile=profile, title="T")
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(place_pdf_ads(data, pending, [frame]))
    ours = preflight_frame(frame, profile=profile, catalog=fonts, images={}, title="T", mono=mono,
                           ad_renders=renders if renders is not None else AdRenders())
    return ours, preflight_pdf(pdf, profile, mono=mono)


def _vertical(fonts, text: str, x: float, top: float, size: float, colour: CMYK, role: str = "sans") -> GlyphRun:
    """An upright vertical run: the column's centre line at x, glyphs an em apart from `top` down."""
    glyphs = []
    for n, ch in enumerate(text):
        face, gid = fonts.chain(role).resolve(ch)
        glyphs.append(PlacedGlyph(gid, x, top + n * size, ch, advance=size))
    return GlyphRun(face.key, size, tuple(glyphs), color=colour, source=Source(kind="body"), vertical=True)


@pytest.mark.parametrize("profile", ["newsprint", "commercial"])
def test_our_own_faults_are_found_as_ghostscript_finds_them(fonts, tmp_path, profile):
    prof = load_profile(profile)
    items = (
        glyph_run(fonts, "五號以下小字", mm(10), mm(15), 5.0, K),  # under min_text_pt
        Box(mm(10), mm(20), mm(60), mm(12), fill=CMYK(40, 30, 30, 0)),
        glyph_run(fonts, "反白小字", mm(12), mm(29), 8.0, WHITE, role="body"),  # reversed serif, 3 inks
        Box(mm(80), mm(20), mm(60), mm(12), fill=CMYK(0, 0, 0, 50)),
        glyph_run(fonts, "深底黑字", mm(82), mm(29), 9.0, K),  # 9 pt on a 50 % tint
        Rule(mm(10), mm(40), mm(140), mm(40), 0.1, K),  # thinner than min_rule_pt
        Rule(mm(10), mm(45), mm(140), mm(45), 1.0, CMYK(50, 50, 0, 0)),  # two inks
        Box(mm(10), mm(50), mm(60), mm(20), fill=CMYK(100, 100, 100, 100)),  # 400 % ink
        Mark("dot", mm(100), mm(60), size=2.0),
        glyph_run(fonts, "紅色大標題", mm(10), mm(90), 30.0, CMYK(0, 100, 100, 0), kind="headline"),
        glyph_run(fonts, "紅色小字", mm(10), mm(100), 9.0, CMYK(0, 100, 100, 0)),  # printed in K
        _vertical(fonts, "直排小字", mm(145), mm(10), 5.5, K),  # under min_text_pt, in a column
        Box(mm(120), mm(60), mm(20), mm(45), fill=CMYK(0, 60, 60, 20)),
        _vertical(fonts, "直排反白", mm(130), mm(65), 9.0, WHITE, role="body"),  # reversed serif, 3 inks
    )
    frame = PageFrame("P", mm(150), mm(110), items)
    ours, oracle = _both(tmp_path, frame, fonts, prof)
    assert compare("P", ours, oracle) == []
    codes = {f.code for f in ours}
    assert {"TEXT-TOO-SMALL", "TEXT-REVERSED-SMALL", "TEXT-REVERSED-SERIF", "TEXT-ON-DARK-TINT", "RULE-TOO-THIN",
            "RULE-MULTI-INK", "INK-OVER-LIMIT"} <= codes, codes
    assert "TEXT-SMALL-MULTI-INK" not in codes  # the writer printed the small red text in K
    sizes = {(f.code, f.message.split()[0]) for f in ours}
    assert {("TEXT-TOO-SMALL", "5.5"), ("TEXT-REVERSED-SMALL", "9.0"), ("TEXT-REVERSED-SERIF", "9.0")} <= sizes, \
        sizes  # the vertical runs
    if profile == "commercial":  # bleed and marks: the boxes and the slug as the writer makes them
        assert not any(f.code.startswith("BOX-") for f in ours)


def test_a_box_after_a_black_rule_knocks_out_as_it_asks(fonts, tmp_path):
    """The /OP of a black rule also turns on the fill overprint in PDF (/op defaults to /OP), and
    reportlab writes a fill's overprint only when its own record changes: the writer used to let a
    second yellow box after a black rule overprint the 200 % box below it (260 % in the PDF, seen
    by Ghostscript). A tint box knocks out: the page holds no more than the 200 % of the first box."""
    prof = load_profile("newsprint")
    y = CMYK(0, 0, 60, 0)
    items = (
        Box(mm(10), mm(10), mm(40), mm(30), fill=CMYK(100, 100, 0, 0)),
        Box(mm(60), mm(10), mm(20), mm(10), fill=y),
        Rule(mm(60), mm(25), mm(80), mm(25), 0.5, K),
        Box(mm(20), mm(15), mm(20), mm(20), fill=y),
    )
    ours, oracle = _both(tmp_path, PageFrame("P", mm(100), mm(50), items), fonts, prof)
    assert compare("P", ours, oracle) == []
    assert prof.ink_limit >= 200
    assert not [f for f in ours + oracle if f.code == "INK-OVER-LIMIT"], (ours, oracle)


def test_colour_on_a_mono_page(fonts, tmp_path):
    prof = load_profile("newsprint")
    items = (Box(mm(10), mm(10), mm(30), mm(10), fill=CMYK(0, 0, 0, 30)),
             glyph_run(fonts, "彩色標題", mm(10), mm(40), 20.0, CMYK(0, 100, 0, 0), kind="headline"))
    ours, oracle = _both(tmp_path, PageFrame("P", mm(100), mm(50), items, colour=False), fonts, prof, mono=True)
    assert compare("P", ours, oracle) == []
    (f,) = [f for f in ours if f.code == "COLOR-ON-MONO-PAGE"]
    assert "Magenta" in f.message


def test_a_placed_ad_is_rendered_once_and_its_findings_do_not_depend_on_the_cache(fonts, tmp_path, monkeypatch):
    prof = load_profile("newsprint")
    ad = make_corpus(tmp_path / "ads")["ink_400"]
    calls = []
    real = described.render_page

    def counting(path, dpi, page_index):
        calls.append(path)
        return real(path, dpi, page_index)

    monkeypatch.setattr(described, "render_page", counting)
    frames = [PageFrame(f"P{n}", mm(120), mm(90), (PdfItem(mm(10), mm(10), mm(90), mm(60), str(ad),
                                                           source=Source(story="a", kind="ad")),))
              for n in (1, 2)]
    cold = [preflight_frame(f, profile=prof, catalog=fonts, images={}, title="T", ad_renders=AdRenders())
            for f in frames[:1]]
    assert len(calls) == 1
    store = BlobCache(tmp_path / "cache", "preflight-ads")
    renders = AdRenders(store)
    warm_pages = [preflight_frame(f, profile=prof, catalog=fonts, images={}, title="T", ad_renders=renders)
                  for f in frames]
    assert len(calls) == 2  # two pages placing one ad: one render
    assert warm_pages[0] == cold[0] and warm_pages[1] == cold[0]
    assert any(f.code == "INK-OVER-LIMIT" for f in cold[0])
    # A new process (an empty memory) reads the render back from the cache: no Ghostscript.
    assert preflight_frame(frames[0], profile=prof, catalog=fonts, images={}, title="T",
                           ad_renders=AdRenders(store)) == cold[0]
    assert len(calls) == 2
    # A damaged entry is rendered again, with the same findings.
    (entry,) = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    entry.write_bytes(entry.read_bytes()[:100])
    assert preflight_frame(frames[0], profile=prof, catalog=fonts, images={}, title="T",
                           ad_renders=AdRenders(store)) == cold[0]
    assert len(calls) == 3
