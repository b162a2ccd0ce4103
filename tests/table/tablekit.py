"""Helpers of the table tests (a module of its own: `conftest` is a name several test folders
use). Tables are tested on one-page editions: loaded, paginated and inspected through the PageFrame
(positions of every glyph), and built to PDF where the text must come back."""

from __future__ import annotations

import textwrap
from pathlib import Path

from layout.diagnostics import Diagnostics
from layout.model.load import load_edition
from layout.paginate.context import Context
from layout.paginate.edition import paginate
from layout.printprofile import load_profile

HEAD = """\
paper: 測試晨報
date: 2026-12-01
issue: 1
colour_pages: [{colour}]
pages:
  - page: A01
    items:
{items}
  - page: A02
    items:
{items2}
stories: {{}}
tables:
"""


def write_edition(folder: Path, tables: str, items: str, items2: str = "      []", colour: str = "A01",
                  files: dict[str, str | bytes] | None = None) -> Path:
    """A two-page edition (A01 colour, A02 mono by default) holding `tables` (YAML, indented under
    `tables:`) and the page items given."""
    for name, data in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    text = HEAD.format(colour=colour, items=textwrap.indent(textwrap.dedent(items).strip("\n"), "      "),
                       items2=textwrap.indent(textwrap.dedent(items2).strip("\n"), "      ") if items2.strip() != "[]"
                       else "      []")
    text = text.replace("    items:\n      []", "    items: []")
    text += textwrap.indent(textwrap.dedent(tables).strip("\n"), "  ") + "\n"
    path = folder / "edition.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def lay_out(kit, path: Path):
    """(EditionLayout, Diagnostics) of the edition at `path`."""
    template, setter = kit
    diagnostics = Diagnostics()
    edition = load_edition(path, grid=(template.grid.columns, template.grid.lines), diagnostics=diagnostics)
    ctx = Context(edition, template, setter, diagnostics, profile=load_profile("newsprint"))
    return paginate(ctx), diagnostics
