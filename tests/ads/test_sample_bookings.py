"""The sample edition's ads come from its booking list, at the places they had when they were
written into the pages by hand (the sample's page PDFs are byte-identical to that build)."""

from __future__ import annotations

from pathlib import Path

from layout.ads.plan import plan_ads
from layout.model.load import load_edition
from layout.template import load_template

SAMPLE = Path(__file__).resolve().parents[2] / "editions" / "sample.yaml"


def test_the_sample_places_its_ads_from_its_bookings():
    template = load_template("broadsheet")
    roots = [(SAMPLE.parent / r).resolve() for r in template.asset_roots]
    edition = load_edition(SAMPLE, asset_roots=roots, page_count=12, grid=(8, 105))
    assert not [i for p in edition.pages for i in p.items if i.kind == "ad"]
    planned, plan = plan_ads(edition, template)
    assert not plan.unplaced() and not plan.diagnostics
    got = {(p.id, i.ref, (i.at.col, i.at.line, i.at.cols, i.at.lines))
           for p in planned.pages for i in p.items if i.kind == "ad"}
    assert got == {("A01", "subscribe-2027", (7, 13, 2, 30)), ("A06", "bank-half", (1, 66, 8, 40)),
                   ("A10", "travel", (1, 76, 4, 30)), ("A12", "clinic", (1, 81, 5, 25))}
    # the 報眼 joins the front page in reading order, where it was written by hand
    a01 = [i.ref for i in planned.pages[0].items]
    assert a01[:3] == ["rail-loop", "subscribe-2027", "egret-island"]
