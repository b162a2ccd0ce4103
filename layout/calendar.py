"""The publication calendar: which days the paper comes out, the issue number of each, and the
page count it usually has that weekday; `layout new` writes the next edition file from it.

A publication file (publication.yaml, beside the editions) holds the paper's name, its weekdays,
its holidays (dates with names, no issue), optional extra issue days, one known issue number on a
known date, and a default page count per weekday. Issue numbers are counted from the known one
over the publication days in between, so a holiday shifts every later number, as it does at the
paper. The file is checked against layout/calendar.schema.json at file:line:column."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from layout.diagnostics import Diagnostic, InputError, Location, Severity
from layout.model.schemacheck import check_node, load_schema, node_at
from layout.model.yamlpos import YMap, YNode, parse_yaml, to_plain

SCHEMA_PATH = Path(__file__).resolve().parent / "calendar.schema.json"
FILE_NAME = "publication.yaml"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_ZH = "一二三四五六日"
MAX_SPAN_DAYS = 200 * 366  # issue numbers are counted day by day; bound the walk
PAGE_ID = re.compile(r"([A-Z]{1,2})(\d{2,3})")


@dataclass(frozen=True)
class Publication:
    paper: str
    weekdays: frozenset[int]  # 0 = Monday
    known_date: dt.date
    known_issue: int
    holidays: dict[dt.date, str] = field(default_factory=dict)
    extra_days: dict[dt.date, str] = field(default_factory=dict)
    pages: dict[int, int] = field(default_factory=dict)  # weekday → default page count
    file: str = ""
    template: str | None = None

    def is_publication_day(self, day: dt.date) -> bool:
        if day in self.extra_days:
            return True
        return day.weekday() in self.weekdays and day not in self.holidays

    def why_not(self, day: dt.date) -> str:
        """Why there is no issue on `day` (for messages)."""
        if day in self.holidays:
            return f"{self.holidays[day]}, a holiday"
        return f"a {day.strftime('%A')}, not a publication day"

    def next_day(self, after: dt.date) -> dt.date:
        day = after + dt.timedelta(days=1)
        for _ in range(MAX_SPAN_DAYS):
            if self.is_publication_day(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError("no publication day ahead")  # the schema requires at least one weekday

    def issue_on(self, day: dt.date) -> int:
        """The issue number of publication day `day`, counted over the publication days from the
        known issue (itself on a publication day: load_publication checks it)."""
        if not self.is_publication_day(day):
            raise ValueError(f"{day} is {self.why_not(day)}")
        if abs((day - self.known_date).days) > MAX_SPAN_DAYS:
            raise ValueError(f"{day} is too far from the known issue ({self.known_date})")
        lo, hi = sorted((day, self.known_date))
        # publication days in (lo, hi]: after the known date counts up, before it down
        count = sum(1 for n in range(1, (hi - lo).days + 1) if self.is_publication_day(lo + dt.timedelta(days=n)))
        return self.known_issue + count if day >= self.known_date else self.known_issue - count

    def pages_on(self, day: dt.date) -> int | None:
        return self.pages.get(day.weekday())

    def year(self, year: int) -> list[dt.date]:
        day = dt.date(year, 1, 1)
        out = []
        while day.year == year:
            if self.is_publication_day(day):
                out.append(day)
            day += dt.timedelta(days=1)
        return out


def find_publication(folder: Path) -> Path | None:
    """publication.yaml in the edition's folder or the one above it (editions/ and the project)."""
    for candidate in (folder / FILE_NAME, folder.parent / FILE_NAME, folder / "editions" / FILE_NAME):
        if candidate.is_file():
            return candidate
    return None


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load_publication(path: Path) -> Publication:
    """Read and check a publication file; raises InputError with every problem at its place."""
    shown = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError([Diagnostic("CALENDAR-FILE", Severity.ERROR, f"cannot read the publication file: {reason}",
                                     Location(shown), hint="check the path; it is a UTF-8 YAML file")]) from None
    root, diags = parse_yaml(text, shown)
    if root is None and not diags:
        diags = [Diagnostic("CALENDAR-FILE", Severity.ERROR, "the publication file is empty", Location(shown, 1, 1),
                            hint="see docs/edition-format.md (The publication calendar)")]
    if diags:
        raise InputError(diags)
    schema = load_schema(str(SCHEMA_PATH))
    plain = _jsonable(to_plain(root))
    found = check_node(root, schema, file=shown, what="the publication file", codes="CALENDAR", plain=plain,
                       doc="docs/edition-format.md (The publication calendar)")
    if not found:
        found = _dates(root, plain, shown)
    if found:
        raise InputError(found)
    known = plain["known_issue"]
    publication = _publication(plain, shown)
    if not publication.is_publication_day(publication.known_date):
        node = node_at(root, ["known_issue", "date"])
        raise InputError([Diagnostic("CALENDAR-VALUE", Severity.ERROR, f"the known issue's date {known['date']} is "
                                     f"{publication.why_not(publication.known_date)}", location=node.loc if node else
                                     Location(shown), hint="give the number of an issue that came out")])
    return publication


def _publication(plain: dict, shown: str) -> Publication:
    known = plain["known_issue"]
    pages = {DAYS.index(k): v for k, v in (plain.get("pages") or {}).items()}
    return Publication(
        paper=plain["paper"],
        weekdays=frozenset(DAYS.index(d) for d in plain["weekdays"]),
        known_date=dt.date.fromisoformat(known["date"]),
        known_issue=known["issue"],
        holidays={dt.date.fromisoformat(h["date"]): h["name"] for h in plain.get("holidays") or []},
        extra_days={dt.date.fromisoformat(h["date"]): h["name"] for h in plain.get("extra_days") or []},
        pages=pages,
        file=shown,
        template=plain.get("template"),
    )


def _dates(root: YNode, plain: dict, file: str) -> list[Diagnostic]:
    """Dates that match the pattern but are not days (2027-02-30), and a date listed twice."""
    out = []
    seen: dict[str, Location] = {}
    places = [(["known_issue", "date"], plain["known_issue"]["date"])]
    for key in ("holidays", "extra_days"):
        places += [([key, n, "date"], h["date"]) for n, h in enumerate(plain.get(key) or [])]
    for path, value in places:
        node = node_at(root, path)
        loc = node.loc if node is not None else Location(file, 1, 1)
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            out.append(Diagnostic("CALENDAR-VALUE", Severity.ERROR, f"{value} is not a day", location=loc,
                                  hint="write the date as YYYY-MM-DD, e.g. 2027-01-01"))
            continue
        if path[0] != "known_issue":
            if value in seen:
                out.append(Diagnostic("CALENDAR-VALUE", Severity.ERROR, f"{value} is listed twice (first at line "
                                      f"{seen[value].line})", location=loc, hint="delete one of them"))
            seen[value] = loc
    return out


def check_edition(edition, publication: Publication, where: dict[str, Location] | None = None) -> list[Diagnostic]:
    """Warnings for an edition whose date is not a publication day or whose issue number
    disagrees with the calendar (`where` gives the places of `date` and `issue` in the file)."""
    where = where or {}
    loc_date = where.get("date", Location(str(edition.path)))
    loc_issue = where.get("issue", loc_date)
    out = []
    day = edition.date
    if not publication.is_publication_day(day):
        nxt = publication.next_day(day)
        out.append(Diagnostic("CALENDAR-NOT-PUBLICATION-DAY", Severity.WARNING,
                              f"{day.isoformat()} is {publication.why_not(day)} in {Path(publication.file).name}",
                              location=loc_date, hint=f"the next publication day is {nxt.isoformat()} "
                              f"(星期{WEEKDAY_ZH[nxt.weekday()]}); `layout new --date {nxt.isoformat()}`"))
        return out
    try:
        expected = publication.issue_on(day)
    except ValueError:
        return out
    if expected != edition.issue:
        out.append(Diagnostic("CALENDAR-ISSUE", Severity.WARNING,
                              f"issue {edition.issue} on {day.isoformat()}: the calendar gives 第{expected}期",
                              location=loc_issue, hint=f"write issue: {expected}, or correct known_issue or the "
                              f"holidays in {Path(publication.file).name}"))
    if edition.paper != publication.paper:
        out.append(Diagnostic("CALENDAR-PAPER", Severity.WARNING,
                              f"the edition is of {edition.paper}, the publication file of {publication.paper}",
                              location=where.get("paper", loc_date), hint="is this the paper's publication file?"))
    return out


def edition_positions(path: Path) -> dict[str, Location]:
    """Where `paper`, `date` and `issue` are in an edition file (for calendar warnings)."""
    try:
        root, _ = parse_yaml(path.read_text("utf-8-sig"), str(path))
    except (OSError, UnicodeDecodeError):
        return {}
    out = {}
    if isinstance(root, YMap):
        for key in ("paper", "date", "issue"):
            node = root.get(key)
            if node is not None:
                out[key] = node.loc
    return out


def calendar_warnings(edition) -> list[Diagnostic]:
    """The calendar's warnings for a loaded edition, if a publication file is found beside it;
    a broken publication file is reported (as warnings: the edition itself may be fine)."""
    found = find_publication(edition.path.parent)
    if found is None:
        return []
    try:
        publication = load_publication(found)
    except InputError as err:
        return [Diagnostic(d.code, Severity.WARNING, d.message, location=d.location, hint=d.hint)
                for d in err.diagnostics]
    return check_edition(edition, publication, edition_positions(edition.path))


# ---------------------------------------------------------------------------------------------
# layout new


@dataclass
class NewEdition:
    path: Path
    date: dt.date
    issue: int
    pages: int
    notes: list[str]


def new_edition(publication: Publication, base_path: Path, *, date: dt.date | None = None, out: Path | None = None,
                pages: int | None = None, force: bool = False, into: Path | None = None) -> NewEdition:
    """Write the edition after `base_path` (or for `date`): paper, date and issue from the
    calendar; the page plan is the base's as it was laid out (every story module, ad and teaser
    box pinned where the base build put it), its stories left as placeholders to fill (ids by page
    and place, no text); the base's free photos are left out, its ads kept for the bookings to be
    checked. Pages are dropped or blank ones added (before the back page) to the weekday's count.
    The file is `out`, or <date>.yaml in the folder `into` (the base's folder by default); a
    folder that is missing is created and said so in the notes, as `layout build -o` creates its
    output folder."""
    from layout.build import prepare

    base_prep = prepare(base_path)
    base = base_prep.ctx.edition  # laid out: every item has its `at`
    if base.zone:
        raise InputError([Diagnostic("ZONE-BASE", Severity.ERROR, f"{base_path.name} is a zoned edition ({base.zone})",
                                     location=Location(str(base_path)), hint=f"write the next full edition from "
                                     f"{base.base.name if base.base else 'its base'}, then its zones beside it")])
    if date is None:
        date = publication.next_day(base.date)
    elif not publication.is_publication_day(date):
        nxt = publication.next_day(date)
        raise InputError([Diagnostic("CALENDAR-NOT-PUBLICATION-DAY", Severity.ERROR,
                                     f"{date.isoformat()} is {publication.why_not(date)}", location=Location(publication.file),
                                     hint=f"the next publication day is {nxt.isoformat()}")])
    try:
        issue = publication.issue_on(date)
    except ValueError as exc:
        raise InputError([Diagnostic("CALENDAR-VALUE", Severity.ERROR, str(exc), location=Location(publication.file),
                                     hint="move known_issue nearer")]) from None
    want = pages or publication.pages_on(date) or len(base.pages)
    rule = base_prep.template.pages
    bad = [m for sev, m, _ in rule.problems(want) if sev is Severity.ERROR]
    if bad:
        raise InputError([Diagnostic("PAGE-COUNT", Severity.ERROR, bad[0], location=Location(publication.file),
                                     hint=f"a multiple of {rule.step} from {rule.min} to {rule.max}")])
    raw = yaml.safe_load(base_path.read_text("utf-8-sig")) or {}
    notes: list[str] = []
    plan, renames = _page_plan([_page_dict(p) for p in base.pages], want, notes)
    stories, plan = _placeholders(plan, renames, {sid: {"jump": st.jump} for sid, st in base.stories.items()}, notes)
    doc: dict = {"paper": publication.paper, "date": date, "issue": issue}
    for key in ("template", "print", "sections", "fonts", "overrides"):
        if key in raw:
            doc[key] = raw[key]
    ids = [p["page"] for p in plan]
    if "colour_pages" in raw:
        doc["colour_pages"] = [renames.get(str(p), p) for p in raw["colour_pages"] if renames.get(str(p), p) in ids]
    doc["pages"] = plan
    used = {i["ad"] for p in plan for i in p.get("items") or [] if "ad" in i}
    ads = {k: v for k, v in (raw.get("ads") or {}).items() if k in used}
    if ads:
        notes.append(f"{len(ads)} ad(s) kept from the base edition: check tonight's bookings")
    # The tables the plan places are kept too (a page naming a table it lacks fails the check):
    # their data is the base's until tonight's file or rows replace it.
    used_tables = {i["table"] for p in plan for i in p.get("items") or [] if "table" in i}
    tables = {k: v for k, v in (raw.get("tables") or {}).items() if k in used_tables}
    if tables:
        notes.append(f"{len(tables)} table(s) kept from the base edition: update their data")
    target = out or (into or base_path.parent) / f"{date.isoformat()}.yaml"
    if target.is_dir():  # (--force replaces a file, never a folder)
        raise InputError([Diagnostic("EDITION-FILE", Severity.ERROR, f"{target} is a folder", Location(str(target)),
                                     hint=f"name the file with -o {target / (date.isoformat() + '.yaml')}, or give "
                                          "-o the folder to write it in")])
    if target.exists() and not force:
        raise InputError([Diagnostic("EDITION-FILE", Severity.ERROR, f"{target} exists already", Location(str(target)),
                                     hint="name another file with -o, or --force to replace it")])
    dump = lambda value: yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=None, width=110)  # noqa: E731
    text = (f"# {publication.paper} {date.isoformat()} 星期{WEEKDAY_ZH[date.weekday()]} 第{issue}期: written by "
            f"`layout new` from {base_path.name}.\n# Fill in each story's headline and body; `layout check` lists "
            "those still empty (STORY-EMPTY).\n")
    text += dump(doc)
    text += "stories:\n" + "".join(_placeholder_text(sid, entry) for sid, entry in stories.items())
    if ads:
        text += dump({"ads": ads})
    if tables:
        text += dump({"tables": tables})
    if target.parent.resolve() != base_path.parent.resolve():
        notes.extend(_unreachable(base_prep.template.asset_roots, target.parent, ads, tables))
    created = _make_folder(target.parent)
    try:
        _write_new(target, text.encode("utf-8"), replace=force)
    except InputError:
        for folder in created:  # nothing written: not even the folders
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    if created:
        notes.insert(0, f"created the folder {target.parent}")
    return NewEdition(target, date, issue, len(plan), notes)


def _make_folder(folder: Path) -> list[Path]:
    """Create `folder` (and its missing parents); the folders made, deepest first. A file in the
    way, or a folder that cannot be made, is an EDITION-FILE error (exit 2, nothing written)."""
    made = []
    for p in (folder, *folder.parents):
        if p.is_dir():
            break
        made.append(p)
    if not made:
        return []
    blocker = next((p for p in (folder, *folder.parents) if os.path.lexists(p) and not p.is_dir()), None)
    if blocker is not None:
        raise InputError([Diagnostic("EDITION-FILE", Severity.ERROR, f"{blocker} is a file, so the edition cannot be "
                                     f"written in {folder}", Location(str(blocker)),
                                     hint="name another folder or file with -o")])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError([Diagnostic("EDITION-FILE", Severity.ERROR, f"cannot create the folder {folder}: "
                                     f"{err.strerror or err}", Location(str(folder)),
                                     hint="name another folder or file with -o")]) from None
    return made


def _write_new(target: Path, data: bytes, *, replace: bool) -> None:
    """Write `data` to `target` whole or not at all: into a file of its own beside it, synced, then
    linked in (or, with `replace`, renamed over the old file). Whatever fails, the temporary file
    goes: nothing is left beside the target, and without `replace` a file that appeared meanwhile
    is not overwritten."""
    for n in range(1000):  # a name of this process's own (O_EXCL), made with the umask's mode
        tmp = target.with_name(f".{target.name}.{os.getpid()}-{n}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as err:
            raise _cannot_write(target, err) from None
    else:  # (others' files, left alone)
        raise _cannot_write(target, FileExistsError(errno.EEXIST, "no free name for its temporary file"))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if replace:
            os.replace(tmp, target)
            return
        try:
            os.link(tmp, target)  # fails if the name was taken meanwhile
        except FileExistsError:
            raise InputError([Diagnostic("EDITION-FILE", Severity.ERROR, f"{target} exists already", Location(str(target)),
                                         hint="name another file with -o, or --force to replace it")]) from None
        except OSError as err:
            if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
                raise
            os.replace(tmp, target)  # a file system without hard links: the name was checked free above
    except OSError as err:
        raise _cannot_write(target, err) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _cannot_write(target: Path, err: OSError) -> InputError:
    return InputError([Diagnostic("EDITION-FILE", Severity.ERROR, f"cannot write {target}: {err.strerror or err}",
                                  Location(str(target)), hint="name another file or folder with -o")])


def _unreachable(asset_roots, folder: Path, ads: dict, tables: dict) -> list[str]:
    """Notes for the files the kept ads and tables name that the new edition, written in another
    folder than its base, does not find from there (names are relative to the edition's folder
    and its asset roots, and may not leave them: layout.model.paths)."""
    from layout.model.paths import resolve_file

    roots = [(folder / r).resolve() for r in asset_roots]
    out = []
    for what, entries in (("ad", ads), ("table", tables)):
        for key, entry in entries.items():
            raw = entry.get("file") if isinstance(entry, dict) else None
            if isinstance(raw, str) and resolve_file(raw, folder, roots).problem is not None:
                out.append(f"{what} {key} names {raw}, which is not found from {folder}: copy the file there "
                           "or name it again")
    return out


def _placeholder_text(sid: str, entry: dict) -> str:
    jump = f"    jump: {entry['jump']}\n" if entry.get("jump") else ""
    return f"  {sid}:\n    headline:\n{jump}    body:\n"


def _page_dict(page) -> dict:
    """A laid-out page of the model as edition YAML (items pinned where the base build put them)."""
    out: dict = {"page": page.id}
    if page.section and not page.section_id or page.section:
        out["section"] = page.section
    if page.masthead:
        out["masthead"] = True
    if page.credits:
        out["credits"] = dict(page.credits)
    if page.composition:
        out["composition"] = dict(page.composition)
    items = []
    for item in page.items:
        entry: dict = {}
        if item.kind == "teasers":
            entry["teasers"] = list(item.refs)
        elif item.kind == "photo":
            entry["photo"] = str(item.photo.file) if item.photo else None
        else:
            entry[item.kind] = item.ref
        if item.at is not None:
            entry["at"] = {"col": item.at.col, "line": item.at.line, "cols": item.at.cols, "lines": item.at.lines}
        items.append(entry)
    out["items"] = items
    return out


def _page_plan(pages: list[dict], want: int, notes: list[str]) -> tuple[list[dict], dict[str, str]]:
    """The base's pages resized to `want`: pages are dropped, or blank pages added, before the last
    page (the back page keeps its place), and the last section's ids renumbered (old id → new)."""
    plan = [dict(p) for p in pages]
    renames: dict[str, str] = {}
    if want == len(plan) or not plan:
        return plan, renames
    if want < len(plan):
        dropped = plan[want - 1:-1]
        plan = plan[:want - 1] + plan[-1:]
        notes.append(f"{len(dropped)} page(s) of the base left out: " + ", ".join(str(p["page"]) for p in dropped))
    else:
        added = [{"page": f"new-{n + 1}", "items": []} for n in range(want - len(plan))]
        plan = plan[:-1] + added + plan[-1:]
        notes.append(f"{len(added)} blank page(s) added before the back page: plan them")
    last = PAGE_ID.fullmatch(str(plan[-1]["page"]))
    if last:
        letter, width = last.group(1), len(last.group(2))

        def in_section(page: dict) -> bool:
            m = PAGE_ID.fullmatch(str(page["page"]))
            return (m is not None and m.group(1) == letter) or str(page["page"]).startswith("new-")

        first = next(i for i, p in enumerate(plan) if in_section(p))
        for n, page in enumerate(plan[first:], start=1):
            new = f"{letter}{n:0{width}d}"
            if new != page["page"]:
                renames[str(page["page"])] = new
            page["page"] = new
    return plan, renames


def _placeholders(plan: list[dict], renames: dict[str, str], stories: dict,
                  notes: list[str]) -> tuple[dict, list[dict]]:
    """Each story module keeps its place under a new id (its page and number there) as an empty
    story to fill; teasers and jumps follow the new ids; free photos are left out."""
    ids = {p["page"] for p in plan}
    new_id: dict[str, str] = {}
    for page in plan:
        n = 0
        for item in page.get("items") or []:
            if "story" in item:
                n += 1
                new_id[item["story"]] = f"{str(page['page']).lower()}-{n}"
    photos = 0
    for page in plan:
        items = []
        for item in page.get("items") or []:
            item = dict(item)
            if "photo" in item:
                photos += 1
                continue
            if "story" in item:
                item["story"] = new_id[item["story"]]
            elif "continued" in item:
                if item["continued"] not in new_id:
                    continue
                item["continued"] = new_id[item["continued"]]
            elif "teasers" in item:
                item["teasers"] = [new_id[t] for t in item["teasers"] if t in new_id]
                if not item["teasers"]:
                    continue
            items.append(item)
        page["items"] = items
    slots = {(p["page"], i["continued"]) for p in plan for i in p["items"] if "continued" in i}
    out: dict = {}
    for old, new in new_id.items():
        jump = (stories.get(old) or {}).get("jump")
        jump = renames.get(str(jump), jump)
        out[new] = {"jump": jump} if jump in ids and (jump, new) in slots else {}
    for page in plan:  # a slot whose story no longer jumps there goes with it
        page["items"] = [i for i in page["items"] if "continued" not in i or out[i["continued"]].get("jump") == page["page"]]
    if photos:
        notes.append(f"{photos} free photo(s) of the base left out (its pictures): their modules are empty")
    return out, plan


def format_year(publication: Publication, year: int) -> str:
    days = publication.year(year)
    lines = []
    for day in days:
        pages = publication.pages_on(day)
        lines.append(f"{day.isoformat()}  星期{WEEKDAY_ZH[day.weekday()]}  第{publication.issue_on(day)}期"
                     + (f"  {pages}版" if pages else ""))
    skipped = sorted(d for d in publication.holidays if d.year == year and d.weekday() in publication.weekdays)
    for day in skipped:
        lines.append(f"{day.isoformat()}  星期{WEEKDAY_ZH[day.weekday()]}  no issue: {publication.holidays[day]}")
    lines.sort()
    first = publication.issue_on(days[0]) if days else None
    last = publication.issue_on(days[-1]) if days else None
    summary = (f"{publication.paper} {year}: {len(days)} issues" + (f" (第{first}–{last}期)" if days else "")
               + f", {len(skipped)} holiday(s) on publication weekdays")
    return "\n".join(lines + [summary])
