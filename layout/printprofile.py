"""Print profiles: what a print shop asks for (PDF/X level, output condition, bleed, marks, ink
and resolution limits), as data in layout/profiles/*.yaml. See /work/shared/print-spec.md."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from layout.diagnostics import did_you_mean

PROFILE_DIR = Path(__file__).parent / "profiles"
PDFX_LEVELS = ("PDF/X-1a:2003", "PDF/X-1a:2001", "PDF/X-4")


@dataclass(frozen=True)
class PrintProfile:
    name: str = "newsprint"
    pdfx: str = "PDF/X-1a:2003"
    output_condition_identifier: str = "IFRA26"
    output_condition: str = "Newspaper coldset offset on newsprint, ISO 12647-3, 26 % dot gain"
    registry_name: str = "http://www.color.org"
    icc_profile: Path | None = None  # shop profile: embedded as DestOutputProfile, used for photos
    bleed_mm: float = 0.0
    marks: bool = False
    slug_mm: float = 0.0  # extra media outside the bleed (grown to fit the marks when marks is set)
    mark_offset_mm: float = 3.0
    mark_length_mm: float = 5.0
    mark_weight_pt: float = 0.25
    ink_limit: float = 220.0  # total area coverage, %
    ink_warn: float = 200.0
    target_ppi: float = 200.0
    min_ppi: float = 150.0
    max_ppi: float = 300.0
    highlight_pct: float = 3.0
    shadow_pct: float = 95.0
    small_text_pt: float = 12.0
    text_tint_max: float = 30.0  # total coverage, %, of a tint behind surprinted text (table rows, cells)
    jpeg_quality: int = 90
    preflight_dpi: float = 72.0

    @property
    def is_x4(self) -> bool:
        return self.pdfx == "PDF/X-4"

    @property
    def allows_icc(self) -> bool:
        """X-1a forbids ICC-based and Lab colour; X-4 allows them."""
        return self.is_x4

    def digest_fields(self) -> tuple:
        """The values that change prepared photos (for image cache keys)."""
        icc = None
        if self.icc_profile is not None:
            import hashlib

            icc = hashlib.sha256(Path(self.icc_profile).read_bytes()).hexdigest()[:16]
        return (icc, self.ink_limit, self.target_ppi, self.max_ppi, self.highlight_pct, self.shadow_pct,
                self.jpeg_quality)


_FIELD_NAMES = tuple(f.name for f in fields(PrintProfile))


def _check_and_convert(data: dict, origin: str, base: Path | None) -> dict:
    out = {}
    for key, value in data.items():
        if key not in _FIELD_NAMES:
            guess = did_you_mean(str(key), _FIELD_NAMES)
            hint = f"; did you mean {guess!r}?" if guess else ""
            raise ValueError(f"{origin}: unknown print profile setting {key!r}{hint}")
        if key == "icc_profile" and value is not None:
            path = Path(value)
            if not path.is_absolute() and base is not None:
                path = base / path
            if not path.is_file():
                raise ValueError(f"{origin}: ICC profile not found: {path}")
            value = path
        out[key] = value
    return out


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


def load_profile(name: str, overrides: dict | None = None) -> PrintProfile:
    """A profile by name (layout/profiles/<name>.yaml) or by path to a YAML file, with overrides
    (for example from the edition's template) applied on top. Unknown keys raise ValueError."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        origin, base = str(path), path.parent
    else:
        path = PROFILE_DIR / f"{name}.yaml"
        if not path.is_file():
            guess = did_you_mean(name, available_profiles())
            hint = f"; did you mean {guess!r}?" if guess else ""
            raise ValueError(f"unknown print profile {name!r}{hint} (known: {', '.join(available_profiles())})")
        origin, base = f"print profile {name}", PROFILE_DIR
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{origin}: a print profile is a mapping of settings")
    values = _check_and_convert(data, origin, base)
    if overrides:
        values.update(_check_and_convert(dict(overrides), "print profile overrides", Path.cwd()))
    profile = PrintProfile(**values)
    return _validated(profile)


def _validated(p: PrintProfile) -> PrintProfile:
    if p.pdfx not in PDFX_LEVELS:
        guess = did_you_mean(p.pdfx, PDFX_LEVELS)
        hint = f"; did you mean {guess!r}?" if guess else ""
        raise ValueError(f"print profile {p.name}: unknown pdfx {p.pdfx!r}{hint}")
    if p.is_x4 and p.icc_profile is None:
        raise ValueError(f"print profile {p.name}: PDF/X-4 requires an ICC output profile (icc_profile)")
    for key in ("bleed_mm", "slug_mm", "mark_offset_mm", "mark_length_mm"):
        if getattr(p, key) < 0:
            raise ValueError(f"print profile {p.name}: {key} must not be negative")
    if p.marks and p.mark_offset_mm < 3:
        raise ValueError(f"print profile {p.name}: crop marks need mark_offset_mm >= 3")
    if not 0 < p.ink_warn <= p.ink_limit <= 400:
        raise ValueError(f"print profile {p.name}: need 0 < ink_warn <= ink_limit <= 400")
    if not 0 < p.min_ppi <= p.target_ppi <= p.max_ppi:
        raise ValueError(f"print profile {p.name}: need 0 < min_ppi <= target_ppi <= max_ppi")
    if not 0 <= p.highlight_pct < p.shadow_pct <= 100:
        raise ValueError(f"print profile {p.name}: need 0 <= highlight_pct < shadow_pct <= 100")
    return p


def replace(profile: PrintProfile, **changes) -> PrintProfile:
    """A copy with some settings changed (validated like a loaded profile)."""
    return _validated(dataclasses.replace(profile, **changes))
