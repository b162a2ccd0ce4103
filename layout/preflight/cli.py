"""`layout preflight FILE.pdf…`: a readable report (or JSON) and an exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from layout.preflight.check import preflight_many
from layout.printprofile import load_profile


def run(paths: list[Path], profile_name: str, as_json: bool, out=None) -> int:
    """0 when no file has an error, 1 otherwise (2: the profile itself is wrong)."""
    out = out or sys.stdout
    try:
        profile = load_profile(profile_name)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failed = False
    report = []
    results = preflight_many([Path(p) for p in paths], profile)
    for path, findings in results.items():
        errors = [f for f in findings if f.is_error]
        failed |= bool(errors)
        report.append({"file": str(path), "profile": profile.name, "ok": not errors,
                       "findings": [f.to_json() for f in findings]})
        if not as_json:
            status = "FAIL" if errors else "ok"
            warnings = sum(1 for f in findings if f.severity.value == "warning")
            print(f"{path}: {status} ({len(errors)} errors, {warnings} warnings; profile {profile.name})", file=out)
            for f in findings:
                print(f"  {f.format()}", file=out)
    if as_json:
        json.dump(report, out, ensure_ascii=False, indent=2)
        print(file=out)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="layout preflight", description="Check PDFs against a print profile")
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--profile", default="newsprint")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    return run(args.files, args.profile, args.json)


if __name__ == "__main__":
    sys.exit(main())
