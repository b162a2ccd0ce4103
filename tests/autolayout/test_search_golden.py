"""The sample's inside pages plan as they did when the golden file was written: every pass,
option (by digest), solution and placement. A change to the optimiser or the measuring that is
meant to be faster only must leave this file alone; one that changes plans on purpose rewrites it
(`LAYOUT_GOLDEN=write`) and says why in its commit."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from planrecord import plan_record

from layout.autolayout.plan import needs_layout, plan_page
from layout.paginate.typeset import TextSetter

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample_plans.json"


def _plans(prepared) -> dict[str, dict]:
    prep, written = prepared
    out = {}
    for page in written.pages:
        if needs_layout(page):
            # a text setter of its own, as a cold build's: nothing composed before the plan
            ctx = dataclasses.replace(prep.ctx, setter=TextSetter(prep.ctx.setter.chains, prep.ctx.setter.style))
            out[page.id] = plan_record(plan_page(ctx, written, page), options=False)
    return out


def test_sample_plans_equal_the_golden(prepared):
    got = _plans(prepared)
    if os.environ.get("LAYOUT_GOLDEN") == "write":
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
        pytest.skip("golden written")
    want = json.loads(GOLDEN.read_text())
    assert sorted(got) == sorted(want)
    for page in want:
        assert got[page] == want[page], f"page {page}: its plan changed"
