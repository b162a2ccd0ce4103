"""Bad booking lists are input errors with a place and a hint, never a traceback."""

from __future__ import annotations

import pytest

from layout.diagnostics import InputError
from layout.model.load import load_edition

HEAD = "paper: 晨報\ndate: 2026-12-01\nissue: 1\npages:\n  - page: A01\n    section: 要聞\nstories: {}\n" \
       "ads:\n  x: {kind: box, title: 甲}\n"

BAD = [
    "bookings: 5",
    "bookings: {a: 1}",
    "bookings: [1, x, null]",
    "bookings:\n  - {advertiser: 甲}",
    "bookings:\n  - {advertiser: [甲], ad: x, size: 2x10}",
    "bookings:\n  - {advertiser: 甲, ad: [x], size: 2x10}",
    "bookings:\n  - {advertiser: 甲, ad: x, size: {cols: a, lines: 2}}",
    "bookings:\n  - {advertiser: 甲, ad: x, size: {cols: 2}}",
    "bookings:\n  - {advertiser: 甲, ad: x, size: [2, 10]}",
    "bookings:\n  - {advertiser: 甲, ad: x, size: 0x10}",
    "bookings:\n  - {advertiser: 甲, ad: x, size: 通欄, height: tall}",
    "bookings:\n  - {advertiser: 甲, ad: x, size: 2x10, at: {col: 1, line: 1}}",
    "bookings:\n  - {advertiser: 甲, ad: x, size: 2x10, colour: maybe}",
    "bookings:\n  - {advertiser: 甲, ad: x, size: 2x10, priority: 1.5}",
    "bookings:\n  - {advertiser: 甲, ad: x, size: 2x10, separate: {a: b}}",
    "bookings:\n  - {advertiser: 甲, ad: x, size: 2x10, section: 體育}",
    "bookings:\n  - {advertiser: 甲, ad: {kind: box}, size: 2x10}",
    "bookings:\n  - {id: x, advertiser: 甲, ad: {kind: box, title: t}, size: 2x10}",
    "bookings:\n  - {id: b, advertiser: 甲, ad: x, size: 2x10}\n  - {id: b, advertiser: 乙, ad: x, size: 2x10}",
    "bookings: bookings.txt",
    "bookings: ../../etc/bookings.csv",
    "bookings: none.csv",
]


@pytest.mark.parametrize("text", BAD)
def test_a_bad_booking_list_is_an_input_error_with_a_place(tmp_path, text):
    path = tmp_path / "e.yaml"
    path.write_text(HEAD + text + "\n", "utf-8")
    with pytest.raises(InputError) as err:
        load_edition(path, page_count=1, grid=(8, 105))
    assert err.value.diagnostics
    for d in err.value.diagnostics:
        assert d.location.file and d.location.line and d.hint, d.format()


@pytest.mark.parametrize("csv_text", [
    "",
    "advertiser,ad,size\n甲,x\n乙,x,2x10,extra",
    "advertiser,ad,size,at\n甲,x,2x10,1\n",
    'advertiser,ad,size\n"甲,x,2x10\n',
    "advertiser,ad,size,kind,title\n甲,x,2x10,box,t\n",
    "advertiser,size,kind\n甲,2x10,box\n",
])
def test_a_bad_csv_is_an_input_error_in_the_csv(tmp_path, csv_text):
    (tmp_path / "b.csv").write_text(csv_text, "utf-8")
    path = tmp_path / "e.yaml"
    path.write_text(HEAD + "bookings: b.csv\n", "utf-8")
    with pytest.raises(InputError) as err:
        load_edition(path, page_count=1, grid=(8, 105))
    assert any(d.location.file == str(tmp_path / "b.csv") and d.location.line for d in err.value.diagnostics)


def test_a_csv_in_another_encoding_is_reported(tmp_path):
    (tmp_path / "b.csv").write_bytes("advertiser,ad,size\n甲,x,2x10\n".encode("gb18030"))
    path = tmp_path / "e.yaml"
    path.write_text(HEAD + "bookings: b.csv\n", "utf-8")
    with pytest.raises(InputError) as err:
        load_edition(path, page_count=1, grid=(8, 105))
    assert [d.code for d in err.value.diagnostics if d.severity.value == "error"][0] == "TEXT-ENCODING"
