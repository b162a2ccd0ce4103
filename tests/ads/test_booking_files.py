"""Bookings exported by an ad system, as CSV or YAML: the same plan as inline, and errors at the
file's own line and column."""

from __future__ import annotations

import pytest
from adkit import write_edition

from layout.ads.plan import plan_ads
from layout.diagnostics import InputError
from layout.model.load import load_edition
from layout.template import load_template


def placements(path):
    edition = load_edition(path, page_count=12, grid=(8, 105))
    _, plan = plan_ads(edition, load_template("broadsheet"))
    return [(p.booking, p.page, p.rect, p.reason) for p in plan.placements]


@pytest.mark.parametrize("kind", ["csv", "yaml"])
def test_a_booking_file_gives_the_same_plan_as_inline(tmp_path, edition_path, kind):
    assert placements(write_edition(tmp_path, booking_file=kind)) == placements(edition_path)


def test_csv_errors_name_the_row_and_column(tmp_path):
    path = write_edition(tmp_path, booking_file="csv")
    csv_path = tmp_path / "bookings.csv"
    rows = csv_path.read_text("utf-8").split("\n")
    rows[0] = rows[0].replace("priority", "priorty")
    rows[3] = rows[3].replace("半通欄", "半通攔", 1)
    csv_path.write_text("\n".join(rows), "utf-8")
    with pytest.raises(InputError) as err:
        load_edition(path, page_count=12, grid=(8, 105))
    found = {d.code: d for d in err.value.diagnostics}
    key = found["EDITION-UNKNOWN-KEY"]
    assert key.location.file == str(csv_path) and key.location.line == 1
    assert rows[0][key.location.column - 1:].startswith("priorty") and "did you mean 'priority'" in key.hint
    size = found["BOOKING-SIZE"]
    assert size.location.line == 4 and rows[3][size.location.column - 1:].startswith("半通攔")
    assert "did you mean '半通欄'" in size.hint


def test_a_yaml_booking_file_reports_at_its_own_lines(tmp_path):
    path = write_edition(tmp_path, booking_file="yaml")
    yaml_path = tmp_path / "bookings.yaml"
    text = yaml_path.read_text("utf-8").replace("side: right", "side: rigth", 1)
    yaml_path.write_text(text, "utf-8")
    with pytest.raises(InputError) as err:
        load_edition(path, page_count=12, grid=(8, 105))
    d = next(d for d in err.value.diagnostics if "rigth" in d.message)
    assert d.location.file == str(yaml_path)
    assert text.split("\n")[d.location.line - 1].strip().endswith("side: rigth") and "right" in d.hint


def test_a_missing_booking_file_is_an_error_at_the_edition(tmp_path):
    path = write_edition(tmp_path, booking_file="csv")
    (tmp_path / "bookings.csv").unlink()
    with pytest.raises(InputError) as err:
        load_edition(path, page_count=12, grid=(8, 105))
    d = next(d for d in err.value.diagnostics if d.severity.value == "error")  # (a blank page warns too)
    assert d.code == "FILE-MISSING" and d.location.file == str(path)
    assert path.read_text("utf-8").split("\n")[d.location.line - 1].startswith("bookings: bookings.csv")


def test_rows_of_empty_cells_are_skipped(tmp_path, edition_path):
    """A spreadsheet's export ends in rows of commas only: they book nothing, they are no error."""
    path = write_edition(tmp_path, booking_file="csv")
    csv_path = tmp_path / "bookings.csv"
    rows = csv_path.read_text("utf-8").rstrip("\n").split("\n")
    empty = "," * rows[0].count(",")
    csv_path.write_text("\n".join([rows[0], empty, *rows[1:], empty, " , ,", ""]), "utf-8")
    assert placements(path) == placements(edition_path)


def test_an_unreadable_height_is_reported_once(tmp_path):
    path = write_edition(tmp_path, booking_file="csv")
    csv_path = tmp_path / "bookings.csv"
    rows = csv_path.read_text("utf-8").split("\n")
    header = rows[0].split(",")
    n = next(i for i, r in enumerate(rows) if "通欄" in r.split(",")[header.index("size")])
    cells = rows[n].split(",")
    cells[header.index("height")] = "abc"
    rows[n] = ",".join(cells)
    csv_path.write_text("\n".join(rows), "utf-8")
    with pytest.raises(InputError) as err:
        load_edition(path, page_count=12, grid=(8, 105))
    sizes = [d for d in err.value.diagnostics if d.code == "BOOKING-SIZE"]
    assert len(sizes) == 1 and "'abc'" in sizes[0].message
