"""Diagnostics: every content problem the engine finds, with a stable code, a severity, where it
is (file:line:column, story, paragraph, page) and a hint. Exceptions are for bugs; user errors
and content problems are diagnostics. Codes are listed in docs/errors.md."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        parts = [self.file or "<edition>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    hint: str | None = None
    story: str | None = None
    paragraph: int | None = None
    page: str | None = None

    def format(self) -> str:
        where = [str(self.location)]
        # `story` names the item a diagnostic is about: a table's or an ad's id for their codes
        item = {"TABLE": "table", "AD": "ad"}.get(self.code.split("-", 1)[0], "story")
        for label, value in (("page", self.page), (item, self.story), ("paragraph", self.paragraph)):
            if value is not None and value != "":  # a free photo's story is ""
                where.append(f"{label} {value}")
        text = f"{', '.join(where)}: {self.severity.value} {self.code}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_json(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


class Diagnostics:
    """The sink a build passes through its stages. Not global: each build owns one."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def error(self, code: str, message: str, **kw) -> None:
        self.add(Diagnostic(code, Severity.ERROR, message, **kw))

    def warning(self, code: str, message: str, **kw) -> None:
        self.add(Diagnostic(code, Severity.WARNING, message, **kw))

    def info(self, code: str, message: str, **kw) -> None:
        self.add(Diagnostic(code, Severity.INFO, message, **kw))

    def extend(self, items) -> None:
        self.items.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class InputError(Exception):
    """Raised when the edition cannot be loaded at all; carries the diagnostics (exit code 2)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


class OutputError(InputError):
    """The output folder cannot take the build, or writing it failed (a file in its place, no
    permission, a full disk): the previous output is untouched (exit code 2). An InputError, so a
    caller that reports input errors (watch) reports these the same way."""


def did_you_mean(word: str, choices) -> str | None:
    """The closest known name to a misspelt one, or None."""
    import difflib

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None
