"""Every diagnostic and preflight finding code the engine can emit is documented in
docs/errors.md, as `CODE` in the first cell of a table row: a new code without a catalogue entry
fails the suite."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "layout"
CATALOGUE = ROOT / "docs" / "errors.md"

# A quoted string that looks like a code: UPPER-CASE-WITH-HYPHENS.
CODE_LITERAL = re.compile(r"""(["'])([A-Z][A-Z0-9]+(?:-[A-Z0-9]+)+)\1""")
# Codes derived from others in the same file, e.g. code.replace("COLOR-", "IMAGE-").
DERIVED = re.compile(r"""\.replace\(\s*(["'])([A-Z][A-Z0-9]*-)\1\s*,\s*(["'])([A-Z][A-Z0-9]*-)\3\s*\)""")
# Literals of that shape that are not codes.
NOT_CODES = {"UTF-8"}
# A catalogue table row: | `CODE` | severity | cause | how to fix |
ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9]+(?:-[A-Z0-9]+)+)`\s*\|\s*([a-z]+)\s*\|.+\|.+\|\s*$")
SEVERITIES = {"error", "warning", "info"}


def emitted_codes() -> dict[str, set[str]]:
    """code -> the source files (relative) that contain it."""
    found: dict[str, set[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text("utf-8")
        codes = {m.group(2) for m in CODE_LITERAL.finditer(text)} - NOT_CODES
        for m in DERIVED.finditer(text):
            old, new = m.group(2), m.group(4)
            codes |= {new + c[len(old):] for c in codes if c.startswith(old)}
        for code in codes:
            found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return found


def catalogue_rows() -> dict[str, str]:
    """code -> severity, from the table rows of docs/errors.md."""
    rows: dict[str, str] = {}
    for line in CATALOGUE.read_text("utf-8").splitlines():
        m = ROW.match(line.strip())
        if m:
            rows.setdefault(m.group(1), m.group(2))
    return rows


def test_codes_are_found():
    codes = emitted_codes()
    # The scan itself works: codes from every stage, and the derived image colour codes.
    for code in ("YAML-SYNTAX", "HEADLINE-TOO-LONG", "TEXT-QUOTE-OPEN", "IMAGE-LOW-PPI", "PDFX-TRAPPED",
                 "IMAGE-RGB"):
        assert code in codes, code
    assert not NOT_CODES & codes.keys()


def test_every_code_is_in_the_catalogue():
    documented = catalogue_rows()
    missing = {code: sorted(files) for code, files in emitted_codes().items() if code not in documented}
    assert not missing, (
        "codes emitted in layout/ but not documented in docs/errors.md "
        "(add a row | `CODE` | severity | cause | how to fix |):\n"
        + "\n".join(f"  {code}  ({', '.join(files)})" for code, files in sorted(missing.items()))
    )


def test_catalogue_rows_name_a_severity():
    bad = {code: sev for code, sev in catalogue_rows().items() if sev not in SEVERITIES}
    assert not bad, f"rows whose severity is not one of {sorted(SEVERITIES)}: {bad}"
