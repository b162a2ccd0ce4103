"""A page plan as plain data, to compare plans made before and after a change of the optimiser
(tests/autolayout/test_search_golden.py, bench/plan_compare.py): what decides the page, nothing
timed. Floats are kept as Python writes them (repr round-trips), so equal records mean equal plans."""

from __future__ import annotations

import dataclasses
import hashlib
import json

from layout.autolayout.plan import PagePlan


def plan_record(plan: PagePlan, *, options: bool = True) -> dict:
    """The pass, gaps, every option offered to the optimiser (or, `options=False`, a SHA-256 of
    them: a golden file stays small) and every solution kept, with its placements' options."""
    pieces = [{"name": pc.name, "pinned": list(pc.pinned) if pc.pinned else None,
               "options": [_option(o) for o in pc.options]} for pc in plan.problem.pieces]
    offered = json.loads(json.dumps(pieces))  # tuples as lists, as they come back from a file
    return {
        "level": plan.level,
        "relaxed": plan.relaxed,
        "problems": list(plan.problems),
        "item_of": list(plan.item_of),
        "gaps": [list(g) for g in plan.gaps],
        "unplaceable": None if plan.unplaceable is None else str(plan.unplaceable),
        "pieces": offered if options else hashlib.sha256(json.dumps(offered, sort_keys=True).encode()).hexdigest(),
        "solutions": json.loads(json.dumps([
            {"total": s.score.total, "items": s.score.items, "position": s.score.position,
             "tombstones": s.score.tombstones, "lead_head": s.lead_head,
             "places": [[p.item, p.col, p.line, p.cols, p.lines, _option(p.option)]
                        for p in plan.placements(s)]}
            for s in plan.solutions])),
    }


def _option(option) -> dict:
    """An option as plain data; its notch (an L-shaped module's, issue 13) only when it has one, so
    that the records of plans without one read as they did before there were notches."""
    out = dataclasses.asdict(option)
    if out.get("notch") is None:
        out.pop("notch", None)
    return out
