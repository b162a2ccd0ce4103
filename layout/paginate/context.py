"""What every pagination stage needs, bundled once per build (no global state)."""

from __future__ import annotations

from dataclasses import dataclass

from layout.diagnostics import Diagnostics
from layout.grid.grid import Grid
from layout.model.edition import Edition
from layout.paginate.typeset import TextSetter
from layout.template import Template


@dataclass
class Context:
    edition: Edition
    template: Template
    setter: TextSetter
    diagnostics: Diagnostics
    images: object | None = None  # layout.images.ImageStore, when photos are prepared
    profile: object | None = None  # layout.printprofile.PrintProfile
    plans: object | None = None  # layout.cache.JsonCache of page layouts the optimiser found before

    @property
    def grid(self) -> Grid:
        return self.template.grid
