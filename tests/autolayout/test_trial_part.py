"""A trial first part (layout_part(trial=True), what the automatic layout's estimate measures) has
the geometry and diagnostics of the real one: only the glyph runs, box and photo requests that no
trial reads are left out (issue 13's speed work)."""

from __future__ import annotations

import dataclasses

from layout.autolayout.estimate import headline_pt
from layout.diagnostics import Diagnostics
from layout.model.edition import At
from layout.paginate.story import layout_part


def _said(diagnostics: Diagnostics) -> list:
    return [(d.code, d.severity, d.message, d.story) for d in diagnostics]


def _both(ctx, story, at, **kw):
    out = []
    for trial in (False, True):
        probe = dataclasses.replace(ctx, diagnostics=Diagnostics())
        out.append((layout_part(probe, story, "A02", at, trial=trial, **kw), _said(probe.diagnostics)))
    return out


def test_a_trial_part_has_the_real_parts_geometry_and_diagnostics(prepared):
    prep, written = prepared
    ctx, g = prep.ctx, prep.ctx.grid
    checked = with_items = 0
    for story in written.stories.values():
        for cols in range(1, g.columns + 1):
            for lines in (g.lines, 12):  # as deep as the grid, and a shallow module (photos, heads cut)
                for kw in (dict(lead=False, continued_from=None, jump_to=None, module_index=0),
                           dict(lead=True, continued_from=None, jump_to="A05", module_index=0),
                           dict(lead=False, continued_from="A01", jump_to=None, module_index=1)):
                    (real, said), (trial, trial_said) = _both(ctx, story, At(1, 1, cols, lines), **kw)
                    assert trial.head == real.head and trial.slots == real.slots
                    assert (trial.strip_cols, trial.jump_line, trial.tables == real.tables) == \
                        (real.strip_cols, real.jump_line, True)
                    assert headline_pt(trial) == headline_pt(real)
                    assert trial_said == said  # nothing a trial reports is lost
                    with_items += bool(real.items) and not trial.items
                    checked += 1
    assert checked and with_items  # the real parts do carry the runs the trials leave out
