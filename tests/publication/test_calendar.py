"""The publication calendar: issue numbers counted over publication days, `layout new` writing the
next edition (the Monday after a Friday, a listed holiday skipped, the weekday's page count),
`layout check` warning about a date without an issue or an issue number off the calendar, and
`layout calendar YEAR` counting the year's issues."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from layout.build import prepare
from layout.calendar import load_publication, new_edition
from layout.diagnostics import InputError
from tests.edition.editionkit import edition_yaml, write_edition

ROOT = Path(__file__).resolve().parents[2]

PUBLICATION = """\
paper: 測試晨報
weekdays: [mon, tue, wed, thu, fri]
pages: {mon: 8, tue: 12, wed: 12, thu: 12, fri: 12}
known_issue: {date: 2027-01-08, issue: 100}
holidays:
  - {date: 2027-01-01, name: 元旦}
"""

FRIDAY = "2027-01-08"


def _run(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True, text=True, cwd=cwd, env=env)


@pytest.fixture
def paper(tmp_path):
    folder = tmp_path / "editions"
    folder.mkdir()
    (folder / "publication.yaml").write_text(PUBLICATION, encoding="utf-8")
    base = write_edition(folder, edition_yaml(12, date=FRIDAY, issue=100), name=f"{FRIDAY}.yaml")
    return folder, base


def test_issue_numbers_count_publication_days():
    pub = load_publication(ROOT / "editions" / "publication.yaml")
    assert pub.issue_on(dt.date(2026, 12, 1)) == 8123
    assert pub.issue_on(dt.date(2026, 12, 2)) == 8124
    assert pub.issue_on(dt.date(2026, 11, 30)) == 8122
    assert pub.issue_on(dt.date(2026, 12, 7)) == 8127  # Friday 4th is 8126, Monday 7th the next
    assert pub.next_day(dt.date(2026, 12, 31)) == dt.date(2027, 1, 4)  # 元旦 and the weekend skipped
    assert pub.issue_on(dt.date(2027, 1, 4)) == pub.issue_on(dt.date(2026, 12, 31)) + 1


def test_new_after_a_friday_is_the_monday_with_the_next_issue(paper):
    folder, base = paper
    made = new_edition(load_publication(folder / "publication.yaml"), base)
    assert (made.date, made.issue, made.path.name) == (dt.date(2027, 1, 11), 101, "2027-01-11.yaml")
    doc = yaml.safe_load(made.path.read_text("utf-8"))
    assert (doc["date"], doc["issue"], doc["paper"]) == (dt.date(2027, 1, 11), 101, "測試晨報")
    # Monday's page count from the publication file: 8 pages, the base's back page kept last
    assert [p["page"] for p in doc["pages"]] == [f"A{n:02d}" for n in range(1, 9)]
    assert doc["pages"][-1]["items"][0]["at"] == yaml.safe_load(base.read_text("utf-8"))["pages"][-1]["items"][0]["at"]
    assert all(v["headline"] is None and v["body"] is None for v in doc["stories"].values())
    # check reports the stories as empty, nothing else stands in the way
    prep = prepare(made.path)
    codes = {d.code for d in prep.ctx.diagnostics}
    assert "STORY-EMPTY" in codes
    assert not [d for d in prep.ctx.diagnostics if d.severity.value == "error"]
    empty = [d for d in prep.ctx.diagnostics if d.code == "STORY-EMPTY"]
    assert len(empty) == len(doc["stories"]) == 8


def test_new_skips_a_listed_holiday(paper):
    folder, base = paper
    (folder / "publication.yaml").write_text(PUBLICATION + "  - {date: 2027-01-11, name: 測試假日}\n", encoding="utf-8")
    made = new_edition(load_publication(folder / "publication.yaml"), base)
    assert (made.date, made.issue) == (dt.date(2027, 1, 12), 101)
    assert made.pages == 12  # Tuesday's count: the base's plan as it was


def test_cli_new_writes_the_file_and_check_reports_it_empty(paper):
    folder, base = paper
    r = _run("new", "--from", str(base))
    assert r.returncode == 0, r.stderr
    assert "2027-01-11" in r.stdout and "第101期" in r.stdout
    written = folder / "2027-01-11.yaml"
    r = _run("check", str(written))
    assert r.returncode == 0 and "STORY-EMPTY" in r.stderr
    # run again: the file is there, nothing is overwritten
    before = written.read_bytes()
    r = _run("new", "--from", str(base))
    assert r.returncode == 2 and "exists already" in r.stderr and written.read_bytes() == before


def test_cli_new_on_a_holiday_is_refused(paper):
    folder, base = paper
    r = _run("new", "--from", str(base), "--date", "2027-01-01")
    assert r.returncode == 2 and "元旦" in r.stderr and "Traceback" not in r.stderr


def test_check_warns_about_a_day_without_an_issue(paper):
    folder, _ = paper
    text = edition_yaml(12, date="2027-01-01", issue=95)
    path = write_edition(folder, text, name="holiday.yaml")
    d = next(d for d in prepare(path).ctx.diagnostics if d.code == "CALENDAR-NOT-PUBLICATION-DAY")
    assert d.severity.value == "warning" and "元旦" in d.message and d.location.line == 2
    assert "2027-01-04" in d.hint


def test_check_warns_about_an_issue_number_off_the_calendar(paper):
    folder, _ = paper
    path = write_edition(folder, edition_yaml(12, date="2027-01-12", issue=100), name="x.yaml")
    d = next(d for d in prepare(path).ctx.diagnostics if d.code == "CALENDAR-ISSUE")
    assert "第102期" in d.message and d.location.line == 3 and "issue: 102" in d.hint
    ok = write_edition(folder, edition_yaml(12, date="2027-01-12", issue=102), name="y.yaml")
    assert not [d for d in prepare(ok).ctx.diagnostics if d.code.startswith("CALENDAR")]


def test_calendar_2027_counts_the_seed_papers_issues():
    r = _run("calendar", "2027")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().split("\n")
    # 261 weekdays in 2027, 17 of them public holidays
    assert lines[-1].startswith("渝江晨報 2027: 244 issues")
    assert sum(1 for line in lines if "期" in line and "no issue" not in line and ":" not in line) == 244
    assert "2027-01-01  星期五  no issue: 元旦" in lines
    assert "2027-01-04  星期一  第8146期  12版" in lines


def test_calendar_of_a_publication_file(paper):
    folder, _ = paper
    r = _run("calendar", "2027", "--publication", str(folder / "publication.yaml"), "--count")
    assert r.stdout.strip() == "測試晨報 2027: 260 issues (第96–355期), 1 holiday(s) on publication weekdays"


@pytest.mark.parametrize("old,new,code,hint", [
    ("weekdays: [mon", "weekday: [mon", "CALENDAR-UNKNOWN-KEY", "did you mean 'weekdays'"),
    ("[mon, tue,", "[monday, tue,", "CALENDAR-VALUE", "did you mean 'mon'"),
    ("{date: 2027-01-01, name", "{date: 2027-02-30, name", "EDITION-DATE", "YYYY-MM-DD"),
    ("{date: 2027-01-08, issue", "{date: 2027-01-09, issue", "CALENDAR-VALUE", "an issue that came out"),
])
def test_bad_publication_file(tmp_path, old, new, code, hint):
    text = PUBLICATION.replace(old, new)
    path = tmp_path / "publication.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_publication(path)
    d = next(d for d in info.value.diagnostics if d.code == code)
    assert d.location.file == str(path) and d.location.line == next(
        n for n, line in enumerate(text.split("\n"), 1) if new.split(",")[0] in line)
    assert hint in d.hint


def test_empty_edition_hint_names_layout_new_which_exists(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text("", encoding="utf-8")
    r = _run("check", str(path))
    assert r.returncode == 2 and "layout new" in r.stderr
    assert _run("new", "--help").returncode == 0


def test_new_with_fewer_pages_keeps_the_back_page_and_renumbers(paper):
    folder, base = paper
    made = new_edition(load_publication(folder / "publication.yaml"), base, pages=10,
                       out=folder / "ten.yaml")
    doc = yaml.safe_load(made.path.read_text("utf-8"))
    ids = [p["page"] for p in doc["pages"]]
    assert ids == [f"A{n:02d}" for n in range(1, 11)]
    # the base's A12 story slot is now on A10, and the lead's jump (to A11, left out) is dropped
    assert doc["pages"][-1]["items"][0]["story"] == "a10-1"
    assert "jump" not in doc["stories"]["a01-1"]
    assert not [d for d in prepare(made.path).ctx.diagnostics if d.severity.value == "error"]


def test_new_refuses_a_count_the_template_does_not_print(paper):
    folder, base = paper
    with pytest.raises(InputError) as info:
        new_edition(load_publication(folder / "publication.yaml"), base, pages=7, out=folder / "seven.yaml")
    assert info.value.diagnostics[0].code == "PAGE-COUNT"


def test_new_from_an_edition_with_tables_keeps_the_tables_its_pages_place(tmp_path):
    """`layout new --from editions/sample.yaml` wrote pages that place the tables a-shares and
    city-league but no `tables:`: the fresh edition failed `layout check` with TABLE-MISSING
    (exit 2) before anyone had typed a word. The tables are kept, as the ads are."""
    sample = ROOT / "editions" / "sample.yaml"
    made = new_edition(load_publication(ROOT / "editions" / "publication.yaml"), sample,
                       out=sample.parent / f".qa-new-{os.getpid()}.yaml")
    try:
        assert any("table(s) kept" in n for n in made.notes)
        prep = prepare(made.path)
        errors = [d.format() for d in prep.ctx.diagnostics if d.severity.value == "error"]
        assert not [e for e in errors if "TABLE-MISSING" in e], errors
    except InputError as err:
        pytest.fail("\n".join(d.format() for d in err.diagnostics))
    finally:
        made.path.unlink()


# -- `layout new -o`: a folder as every command's -o, written whole, nothing left beside it ------------

def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_cli_new_into_an_existing_folder_writes_the_dated_file_there_and_nothing_else(paper, tmp_path):
    """`layout new -o FOLDER` said "FOLDER exists already"; with --force it left `.FOLDER.tmp`
    beside FOLDER and failed "Is a directory" naming that file."""
    folder, base = paper
    out = tmp_path / "next"
    out.mkdir()
    for force in ((), ("--force",)):
        r = _run("new", "--from", str(base), "-o", str(out), *force)
        assert r.returncode == 0, r.stderr
        assert _listing(out) == ["2027-01-11.yaml"] and "created" not in r.stdout
        assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert yaml.safe_load((out / "2027-01-11.yaml").read_text("utf-8"))["issue"] == 101
    before = (out / "2027-01-11.yaml").read_bytes()
    r = _run("new", "--from", str(base), "-o", str(out))  # there already: refused, left as it was
    assert r.returncode == 2 and "exists already" in r.stderr and (out / "2027-01-11.yaml").read_bytes() == before
    assert _listing(out) == ["2027-01-11.yaml"]


@pytest.mark.parametrize("name", ["missing/", "missing", "deep/er/"])
def test_cli_new_creates_a_missing_folder_and_says_so(paper, tmp_path, name):
    """A missing folder was taken for a file name (`-o missing/` wrote a file `missing`), or its
    parents made without a word; like `layout build -o`, the folder is made, and said."""
    folder, base = paper
    r = _run("new", "--from", str(base), "-o", str(tmp_path / name))
    assert r.returncode == 0, r.stderr
    made = tmp_path / name.rstrip("/")
    assert _listing(made) == ["2027-01-11.yaml"]
    assert f"created the folder {made}" in r.stdout


def test_cli_new_to_a_file_in_a_missing_folder_says_it_made_the_folder(paper, tmp_path):
    folder, base = paper
    target = tmp_path / "nights" / "monday.yaml"
    r = _run("new", "--from", str(base), "-o", str(target))
    assert r.returncode == 0, r.stderr
    assert _listing(tmp_path / "nights") == ["monday.yaml"] and f"created the folder {target.parent}" in r.stdout


def test_new_that_cannot_write_leaves_nothing(paper, tmp_path, monkeypatch):
    """A write that fails (the disk full as the file is synced) is an EDITION-FILE error: no
    temporary file is left, no folder made for it, and an old file is kept as it was."""
    import errno

    import layout.calendar as calendar

    folder, base = paper
    pub = load_publication(folder / "publication.yaml")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(calendar.os, "fsync", full)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InputError) as info:
        new_edition(pub, base, into=out / "a" / "b")
    assert info.value.diagnostics[0].code == "EDITION-FILE" and "No space left" in info.value.diagnostics[0].message
    assert _listing(out) == []
    old = out / "old.yaml"
    old.write_text("paper: old\n", encoding="utf-8")
    with pytest.raises(InputError):
        new_edition(pub, base, out=old, force=True)
    assert old.read_text("utf-8") == "paper: old\n" and _listing(out) == ["old.yaml"]


def test_new_in_another_folder_names_the_files_it_cannot_find_from_there(tmp_path):
    """The sample's kept ads and tables name files relative to editions/: written elsewhere, the
    edition would fail `layout check` (FILE-MISSING) with no word from `layout new`."""
    made = new_edition(load_publication(ROOT / "editions" / "publication.yaml"), ROOT / "editions" / "sample.yaml",
                       into=tmp_path)
    unreachable = [n for n in made.notes if "not found from" in n]
    assert any("bank-half" in n for n in unreachable) and any("a-shares" in n for n in unreachable)
