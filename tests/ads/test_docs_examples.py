"""The booking examples of docs/edition-format.md load and place as the text says."""

from __future__ import annotations

import re
from pathlib import Path

from adkit import ad_pdf

from layout.ads.bookings import BOOKING_KEYS, STANDARD_UNITS
from layout.ads.plan import plan_ads
from layout.diagnostics import Diagnostics
from layout.model.load import load_edition
from layout.template import load_template

DOC = Path(__file__).resolve().parents[2] / "docs" / "edition-format.md"
SCHEMA = Path(__file__).resolve().parents[2] / "layout" / "model" / "edition.schema.json"


def section(title: str) -> str:
    text = DOC.read_text("utf-8")
    start = text.index(title)
    return text[start:text.index("\n## ", start + 1) if "\n## " in text[start + 1:] else len(text)]


def edition(root: Path, bookings: str) -> Path:
    g = load_template("broadsheet").grid
    (root / "assets" / "ads").mkdir(parents=True, exist_ok=True)
    (root / "assets" / "ads" / "bank-foot.pdf").write_bytes(ad_pdf(g.span_width(8), 15 * g.pitch))
    pages = "\n".join(f"  - page: A{n:02d}\n    section: {'生活' if n == 12 else '要聞'}" + ("\n    masthead: true"
                      if n == 1 else "") for n in range(1, 13))
    ads = "\n".join(f"  {a}: {{kind: box, title: {a}}}" for a in ("subscribe-2027", "travel", "city-build"))
    path = root / "edition.yaml"
    path.write_text(f"paper: 晨報\ndate: 2026-12-01\nissue: 1\npages:\n{pages}\nstories: {{}}\nads:\n{ads}\n"
                    f"{bookings}\n", "utf-8")
    return path


def plan(path: Path):
    diags = Diagnostics()
    e = load_edition(path, page_count=12, grid=(8, 105), diagnostics=diags)
    return e, plan_ads(e, load_template("broadsheet"))[1]


def test_the_yaml_example_places_every_booking(tmp_path):
    block = re.search(r"```yaml\n(bookings:.*?)```", section("## Bookings"), re.S).group(1)
    e, result = plan(edition(tmp_path, block))
    assert len(e.bookings) == 5 and not result.unplaced(), [p.message for p in result.unplaced()]
    got = {p.booking: (p.page, p.rect) for p in result.placements}
    assert got["ear"] == ("A01", (7, 13, 2, 30))
    assert got["bank-foot"] == ("A01", (1, 91, 8, 15))
    assert got["clinic"][0] == "A12" and got["clinic"][1][2:] == (5, 25)
    assert got["booking-5"] == ("A06", (5, 76, 4, 30))
    assert int(got["booking-4"][0][1:]) % 2 == 1  # right-hand


def test_the_csv_example_loads_and_places(tmp_path):
    block = re.search(r"```\n(id,advertiser.*?)```", section("### Booking files"), re.S).group(1)
    (tmp_path / "bookings.csv").write_text(block, "utf-8")
    e, result = plan(edition(tmp_path, "bookings: bookings.csv"))
    assert [b.id for b in e.bookings] == ["bank-foot", "clinic", "travel"]
    assert e.ads["clinic"].lines == ("12月6日上午9:00", "預約電話：023-6000 1212")
    assert not result.unplaced()


def test_the_schema_knows_the_booking_keys_and_units():
    import json

    s = json.loads(SCHEMA.read_text("utf-8"))
    booking = s["$defs"]["booking"]
    assert set(booking["properties"]) == set(BOOKING_KEYS)
    assert set(booking["properties"]["size"]["oneOf"][0]["enum"]) == set(STANDARD_UNITS)
    table = section("### Standard sizes")
    named = set(re.findall(r"`([^`]+)`", table))
    assert set(STANDARD_UNITS) <= named
