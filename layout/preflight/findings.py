"""A preflight finding: what is wrong (a stable code), how bad, where (1-based page, 0 for the
whole document; bbox in PDF points of the page's MediaBox space when known)."""

from __future__ import annotations

from dataclasses import dataclass

from layout.diagnostics import Severity


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    page: int = 0  # 1-based; 0 = the document as a whole
    bbox: tuple[float, float, float, float] | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        where = f"page {self.page}" if self.page else "document"
        text = f"{where}: {self.severity.value} {self.code}: {self.message}"
        if self.bbox:
            text += " [at " + ", ".join(f"{v:.0f}" for v in self.bbox) + " pt]"
        return text

    def to_json(self) -> dict:
        return {"code": self.code, "severity": self.severity.value, "message": self.message,
                "page": self.page, "bbox": list(self.bbox) if self.bbox else None}


def error(code: str, message: str, page: int = 0, bbox=None) -> Finding:
    return Finding(code, Severity.ERROR, message, page, bbox)


def warning(code: str, message: str, page: int = 0, bbox=None) -> Finding:
    return Finding(code, Severity.WARNING, message, page, bbox)


def info(code: str, message: str, page: int = 0, bbox=None) -> Finding:
    return Finding(code, Severity.INFO, message, page, bbox)
