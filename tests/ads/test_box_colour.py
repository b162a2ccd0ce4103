"""A box ad's default colour prints as meant: no `colour:` gave every booked box ad a red (M+Y)
slogan at 12 pt, under the press's 14 pt for text in two inks, so each printed its slogan black
with TEXT-COLOUR-TO-BLACK. Now the default red slogan is set at the press's size at least, and
default red the box makes smaller goes to one ink; a colour the edition gives is kept as given,
the slogan at its own size, and still warned when it cannot print."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from layout.color import CMYK
from layout.diagnostics import Diagnostics
from layout.frames import GlyphRun, PageFrame
from layout.model.edition import Ad
from layout.paginate.ads import box_ad
from layout.render.textcolour import colour_diagnostics, needs_black

MINI = Path(__file__).resolve().parents[1] / "data" / "mini" / "mini.yaml"
RED = CMYK(0, 100, 100, 0)
ONE_INK_RED = CMYK(0, 100, 0, 0)  # the documented one-ink default (docs/edition-format.md)
CAR = Ad("car", "box", title="渝江車城冬季車展", lines=("12月5日—12月8日", "雲渡新區會展中心3號館", "購車即送全年保養",
                                                   "諮詢熱線：023-6111 8888"), slogan="好車 好價 好服務")


@pytest.fixture(scope="module")
def ctx():
    from layout.build import prepare

    return dataclasses.replace(prepare(MINI).ctx, diagnostics=Diagnostics())


def _runs(ctx, ad, cols, lines):
    items = box_ad(ctx, ad, ctx.grid.rect(1, 13, cols, lines), True, "A02")
    return [i for i in items if isinstance(i, GlyphRun)]


def _warnings(ctx, runs):
    return colour_diagnostics([PageFrame("A02", 800, 1000, tuple(runs), ())], ctx.profile)


def test_the_default_red_slogan_prints_red(ctx):
    runs = _runs(ctx, CAR, 4, 26)  # the booked 4 × 26 box of /tmp/qapages ads.yaml
    slogan = [r for r in runs if "好車" in r.text or "好服務" in r.text]
    assert slogan and all(r.color == RED and r.size >= ctx.profile.multi_ink_text_pt for r in slogan)
    assert not _warnings(ctx, runs)


@pytest.mark.parametrize("cols,lines,copies", [(1, 40, 1), (2, 18, 1), (2, 40, 10), (3, 30, 8), (2, 40, 30)])
def test_default_red_never_turns_black_however_small_the_box(ctx, cols, lines, copies):
    crowded = dataclasses.replace(CAR, lines=CAR.lines * copies)  # the box shrinks its type to fit
    runs = _runs(ctx, crowded, cols, lines)
    assert runs and not _warnings(ctx, runs)
    assert all(not needs_black(r.color, r.size, ctx.profile) for r in runs)
    assert {r.color for r in runs if r.size < ctx.profile.multi_ink_text_pt} <= {ONE_INK_RED, CMYK(0, 0, 0, 100)}


@pytest.mark.parametrize("cols,lines,copies", [(4, 26, 1), (2, 40, 10)])
def test_a_colour_the_edition_gives_is_kept_and_warned_when_it_cannot_print(ctx, cols, lines, copies):
    given = dataclasses.replace(CAR, colour=RED, colour_given=True, lines=CAR.lines * copies)
    runs = _runs(ctx, given, cols, lines)
    assert {r.color for r in runs} <= {RED, CMYK(0, 0, 0, 100)}  # as given: never the one-ink default
    slogan = [r for r in runs if "好車" in r.text]
    assert slogan and all(r.size < ctx.profile.multi_ink_text_pt for r in slogan)  # the slogan's own size
    warned = _warnings(ctx, runs)
    assert warned and {d.code for d in warned} == {"TEXT-COLOUR-TO-BLACK"}
