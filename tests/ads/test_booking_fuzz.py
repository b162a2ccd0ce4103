"""The loader never raises anything but InputError on a random booking list, inline or as CSV, and
what loads plans without raising."""

from __future__ import annotations

import csv
import io

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.ads.bookings import BOOKING_KEYS, CSV_AD_KEYS, STANDARD_UNITS
from layout.ads.plan import plan_ads
from layout.diagnostics import InputError
from layout.model.load import load_edition
from layout.template import load_template

HEAD = "paper: 晨報\ndate: 2026-12-01\nissue: 1\npages:\n  - page: A01\nstories: {}\nads:\n  x: {kind: box, title: 甲}\n"
WORDS = ["x", "A01", "A02", "要聞", "right", "above", "通欄", "3x20", "60mm", "true", "mono", "box", "pdf", "7 13"]
WORDS += sorted(STANDARD_UNITS)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 2000), st.floats(allow_nan=True), st.text(max_size=8),
                    st.sampled_from(WORDS))
keys = st.sampled_from(BOOKING_KEYS + CSV_AD_KEYS + ("ad", "zz"))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
                      max_leaves=8)
settings_ = dict(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


TEMPLATE = load_template("broadsheet")


def _load(path):
    """Invalid input is InputError with places; what loads also plans without raising."""
    try:
        edition = load_edition(path, page_count=1, grid=(8, 105))
    except InputError as err:
        assert all(d.location.file for d in err.diagnostics)
        return
    _, plan = plan_ads(edition, TEMPLATE)
    assert len(plan.placements) == len(edition.bookings)


@settings(**settings_)
@given(st.lists(st.dictionaries(keys, values, max_size=8), max_size=4))
def test_random_inline_bookings(tmp_path, entries):
    path = tmp_path / "e.yaml"
    path.write_text(HEAD + yaml.safe_dump({"bookings": entries}, allow_unicode=True), "utf-8")
    _load(path)


@settings(**settings_)
@given(st.lists(st.sampled_from(BOOKING_KEYS + CSV_AD_KEYS + ("", "zz")), min_size=1, max_size=8),
       st.lists(st.lists(st.one_of(st.text(max_size=6), st.sampled_from(WORDS)), max_size=9), max_size=4))
def test_random_csv_bookings(tmp_path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    (tmp_path / "b.csv").write_text(buf.getvalue(), "utf-8")
    path = tmp_path / "e.yaml"
    path.write_text(HEAD + "bookings: b.csv\n", "utf-8")
    _load(path)


@settings(**settings_)
@given(st.lists(st.dictionaries(keys, values, max_size=6), min_size=1, max_size=6))
def test_random_wishes_on_valid_bookings(tmp_path, entries):
    entries = [{**e, "advertiser": "甲", "ad": "x"} for e in entries]
    path = tmp_path / "e.yaml"
    path.write_text(HEAD + yaml.safe_dump({"bookings": entries}, allow_unicode=True), "utf-8")
    _load(path)
