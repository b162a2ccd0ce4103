"""Fuzzing past the loader's own fuzz (tests/model/test_load_fuzz.py): the composer on any text at
any measure, style and level — it returns, never raises, and accounts for every character — and
the loader on generated editions with one known fault, which it reports with its code and line.

Example counts are tallied and printed; the normal suite runs 2 000 composer and 132 broken-edition
examples, `pytest -m long tests/robust` 100 000 composer examples."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.diagnostics import InputError
from layout.fonts.catalog import FontCatalog
from layout.model.load import load_edition
from layout.template import load_template
from layout.text.compose import Composer
from layout.text.segment import _INVISIBLE
from layout.text.style import CompositionStyle
from tests.robust.strategies import (
    FAULTS,
    LEVELS,
    PAGE_COUNT,
    PUNCT_STYLES,
    broken_editions,
    composer_text,
    dump,
    write_edition,
)

_settings = dict(deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def chains():
    """The broadsheet template's real font roles (fallback chains with missing characters)."""
    template = load_template("broadsheet")
    catalog = FontCatalog.from_config(template.fonts)
    return {role: catalog.chain(role) for role in template.fonts}


styles = st.builds(
    CompositionStyle,
    punct_style=st.sampled_from(PUNCT_STYLES), level=st.sampled_from(LEVELS),
    convention=st.sampled_from(["mainland", "taiwan"]), indent=st.sampled_from([0.0, 2.0, 7.5]),
    open_at_line_start=st.sampled_from(["trim", "keep"]), justify=st.booleans(),
    last_line=st.sampled_from(["start", "distribute", "centre"]), min_last_line_han=st.integers(0, 3),
    breaker=st.sampled_from(["total-fit", "first-fit"]), grid_mode=st.booleans(), newspaper=st.booleans(),
    han_latin_pinned=st.booleans(),
)
measures = st.one_of(st.integers(1, 60).map(float), st.floats(1.0, 60.0))


@dataclass
class Case:
    text: str
    measure: float
    style: CompositionStyle
    indent: float | None
    hang: float


cases = st.builds(Case, composer_text, measures, styles, st.sampled_from([None, 0.0, 2.0, 30.0]),
                  st.sampled_from([0.0, 0.0, 4.0]))


def check_composed(chain, case: Case) -> None:
    par = Composer(case.style, chain).paragraph(case.text, case.measure, case.indent, case.hang)
    text = case.text
    drawn = [g.index for line in par.lines for g in line.glyphs]
    # every character once, in order: drawn as a glyph (or .notdef, listed missing) or a dropped space
    assert drawn == sorted(drawn) and len(set(drawn)) == len(drawn), drawn
    assert sorted(drawn + list(par.dropped)) == list(range(len(text)))
    # only spaces, or the invisible characters pasted text carries (zero-width space, joiners, a
    # stray BOM, soft hyphen), which draw nothing
    assert all(text[k].isspace() or text[k] in _INVISIBLE for k in par.dropped), [text[k] for k in par.dropped]
    for line in par.lines:
        assert line.glyphs, "no empty lines"
        for g in line.glyphs:
            assert g.text == text[g.index]
            assert g.width == g.width and abs(g.x) < 1e6, g  # finite positions
    assert set(par.missing) <= set(text)


def run_composer_fuzz(chain, examples: int) -> int:
    count = 0

    @settings(max_examples=examples, **_settings)
    @given(case=cases)
    def one(case):
        nonlocal count
        count += 1
        check_composed(chain, case)

    one()
    return count


@pytest.mark.parametrize("role", ["body", "headline"])
def test_composer_accounts_for_every_character_of_any_text(chains, role, capsys):
    count = run_composer_fuzz(chains[role], 1000)
    assert count >= 1000
    with capsys.disabled():
        print(f"\ncomposer fuzz ({role}): {count} examples")


@pytest.mark.long
def test_composer_long_fuzz(chains, capsys):
    count = sum(run_composer_fuzz(chains[role], 50_000) for role in ("body", "headline"))
    assert count >= 100_000
    with capsys.disabled():
        print(f"\ncomposer long fuzz: {count} examples")


def test_composer_edge_cases(chains):
    """The inputs fuzzing finds by luck, every time."""
    style = CompositionStyle()
    for text in ["", " ", " 中文", "\u3000 GDP", "\x00", "\ud800", "\U00020000" * 3, "中" * 500, "x" * 500, "。" * 40, "“" * 30,
                 "\u3000\u3000", "中\n文\t字", "\ufeff中文", "——" * 20, "……" * 20, "中" + "\u0301" * 10]:
        for measure in (1.0, 1.5, 13.0, 60.0):
            for breaker in ("total-fit", "first-fit"):
                check_composed(chains["body"], Case(text, measure, replace(style, breaker=breaker), None, 0.0))


# -- the loader on generated editions with one known fault -----------------------------------------


BROKEN_PER_FAULT = 12


@pytest.mark.parametrize("fault", FAULTS)
def test_broken_generated_editions_are_reported_with_code_and_line(tmp_path_factory, fault, capsys):
    folder = tmp_path_factory.mktemp("broken")
    count = 0

    @settings(max_examples=BROKEN_PER_FAULT, **_settings)
    @given(bad=broken_editions(fault))
    def one(bad):
        nonlocal count
        count += 1
        path = write_edition(bad.edition, folder / f"ed{count}")
        with pytest.raises(InputError) as info:
            load_edition(path, page_count=PAGE_COUNT, grid=(8, 105))
        diags = info.value.diagnostics
        found = [d for d in diags if d.code == bad.code]
        assert found, [d.format() for d in diags]
        if bad.needle:
            # the diagnostic names the line (of the edition or of the story's text file) with the fault
            lines = _where(path, found[0].location.file).read_text("utf-8", errors="replace").split("\n")
            assert any(d.location.line and bad.needle in lines[d.location.line - 1] for d in found), \
                [d.format() for d in found]

    one()
    assert count >= BROKEN_PER_FAULT
    with capsys.disabled():
        print(f"\nbroken editions ({fault}): {count} examples")


def _where(path: Path, file: str | None) -> Path:
    """The file a diagnostic names: the edition, or a text file beside it."""
    return Path(file) if file and Path(file).is_file() else path


def test_generated_documents_load(tmp_path):
    """A sanity check of the generator itself: what `dump` writes is what the loader accepts."""
    from tests.robust.strategies import GeneratedEdition

    doc = {"paper": "測試晨報", "date": "2026-12-01", "issue": 1,
           "pages": [{"page": f"A{n:02d}", "section": "要聞", "items": [
               {"story": f"s{n}", "at": {"col": 1, "line": 13 if n == 1 else 1, "cols": 8,
                                          "lines": 93 if n == 1 else 105}}]} for n in range(1, 13)],
           "stories": {f"s{n}": {"headline": "標題", "body": "正文。"} for n in range(1, 13)}}
    doc["pages"][0]["masthead"] = True
    path = write_edition(GeneratedEdition(doc), tmp_path / "ed")
    assert dump(doc) == path.read_text("utf-8")
    assert len(load_edition(path, page_count=PAGE_COUNT, grid=(8, 105)).pages) == 12
