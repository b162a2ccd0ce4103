"""A byline or credit keeps the space between a title and a name as an ideographic space (the
composer drops a plain one between Han characters), but the space inside a Latin name stays a
word space: 'Jean-Pierre Dupont' with an em in it reads as two names."""

import pytest

from layout.build import prepare
from layout.frames import GlyphRun
from layout.paginate.deck import name_spaces
from tests.paginate.conftest import MINI

S06 = "  s06:\n    headline: 第6版測試稿件標題\n"


@pytest.mark.parametrize("typed, expected", [
    ("本報記者 林曉 攝", "本報記者\u3000林曉\u3000攝"),
    ("本報記者 陳思遠 Jason Li", "本報記者\u3000陳思遠\u3000Jason Li"),
    ("Jean-Pierre Dupont 攝", "Jean-Pierre Dupont\u3000攝"),
    ("新華社記者 A. B. Smith", "新華社記者\u3000A. B. Smith"),
])
def test_name_spaces(typed, expected):
    assert name_spaces(typed) == expected


def test_a_latin_name_in_a_byline_is_set_with_a_word_space(tmp_path):
    text = MINI.read_text("utf-8")
    assert S06 in text
    path = tmp_path / "ed.yaml"
    path.write_text(text.replace(S06, S06 + "    byline: 本報記者 Jean Dupont\n", 1), "utf-8")
    prep = prepare(path)
    page = next(p for p in prep.layout.pages if p.page.id == "A06")
    runs = [i for i in page.frame.items if isinstance(i, GlyphRun) and i.source.kind == "byline"]
    glyphs = sorted((g for r in runs for g in r.glyphs), key=lambda g: g.x)
    size = runs[0].size
    text = "".join(g.text for g in glyphs)
    assert "JeanDupont" in text.replace(" ", "").replace("\u3000", "")
    n = next(g for g in glyphs if g.text == "n")
    d = next(g for g in glyphs if g.text == "D")
    gap = d.x - (n.x + n.advance)
    assert 0 < gap < 0.5 * size, gap
