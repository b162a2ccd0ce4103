"""A YAML tree (layout.model.yamlpos) checked against a JSON Schema, each problem reported at the
file:line:column of the node it concerns, with a suggestion.

The schema says what is allowed (the same file an editor's YAML plugin reads for completion);
jsonschema does the checking, this module only turns its findings into diagnostics a person can
act on: an unknown key gets a did-you-mean from the keys the schema allows at that place, a value
outside a list gets the closest allowed value, a number out of range its range."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from layout.diagnostics import Diagnostic, Location, Severity, did_you_mean
from layout.model.yamlpos import YMap, YNode, YSeq, kind_name, to_plain


@cache
def load_schema(path: str) -> dict:
    return json.loads(Path(path).read_text("utf-8"))


def partial(schema: dict) -> dict:
    """The schema without `required`: for a layer (an extending template, an override) that gives
    only what differs from its base. What is still missing is checked on the merged result."""
    if isinstance(schema, dict):
        return {k: partial(v) for k, v in schema.items() if k not in ("required", "minProperties")}
    if isinstance(schema, list):
        return [partial(v) for v in schema]
    return schema


def node_at(root: YNode | None, path: Sequence) -> YNode | None:
    node = root
    for part in path:
        if isinstance(node, YMap):
            node = node.get(str(part))
        elif isinstance(node, YSeq) and isinstance(part, int) and 0 <= part < len(node.items):
            node = node.items[part]
        else:
            return None
    return node


def _key_loc(mapping: YNode | None, key: str) -> Location | None:
    if isinstance(mapping, YMap):
        k = mapping.key_node(key)
        if k is not None:
            return k.loc
    return None


def _resolve(schema: dict, root: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            break
        target = root
        for part in ref[2:].split("/"):
            target = target[part]
        schema = target
    return schema


def _where(path: Sequence, what: str) -> str:
    dotted = ".".join(f"[{p + 1}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")
    if dotted and what:
        return f"{dotted} in {what}"
    return dotted or what or "the file"


def _clean_key(schema: dict, plain: object) -> str | None:
    """What decides that a value is valid: the schema (with its $defs), the value and the installed
    jsonschema (its package file's size and time: another version writes it again), as a digest;
    None when the value has no stable spelling (then it is checked every time). Only a value
    found valid is remembered (layout.cache.JsonCache, keyed by the engine's source too): a value
    with problems is checked again, so its diagnostics are always those of the check itself."""
    from importlib.util import find_spec

    try:
        spec = find_spec("jsonschema")
        origin = spec.origin if spec is not None else None
        st = Path(origin).stat() if origin else None
        lib = [origin, st.st_size, st.st_mtime_ns] if st is not None else None
        # repr, not JSON: it tells a date from the text of its repr, a tuple from a list, 1 from 1.0
        text = repr([schema, plain, lib])
    except (ImportError, ValueError, OSError, RecursionError):
        return None
    if " object at 0x" in text:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_node(node: YNode | None, schema: dict, *, file: str, what: str, codes: str = "TEMPLATE",
               root_schema: dict | None = None, path_prefix: Sequence = (), doc: str = "docs/edition-format.md",
               plain: object = None, fallback: Location | None = None) -> list[Diagnostic]:
    """Diagnostics for `node` against `schema` (a part of `root_schema`, whose $refs it may use).
    Codes: {codes}-UNKNOWN-KEY, {codes}-MISSING-KEY, {codes}-VALUE. `what` names the node for
    messages (e.g. "the template", "the composition of story x"). `plain` checks a value that has
    no YAML tree (a merged template) instead of `node`; its problems are placed at `fallback`."""
    root_schema = root_schema if root_schema is not None else schema
    if root_schema is not schema:
        schema = {**schema, "$defs": root_schema.get("$defs", {})}
    if plain is None:
        plain = to_plain(node)
    from layout.cache import JsonCache

    clean = JsonCache.default("schema-clean")
    key = _clean_key(schema, plain) if clean is not None else None
    if key is not None and clean.load(key, check=lambda v: v if v is True else None):
        return []  # this very value was found valid against this very schema before
    import jsonschema  # imported only when a value must be checked: ~0.08 s of a build's start

    validator = jsonschema.Draft202012Validator(schema)
    out: list[Diagnostic] = []
    if fallback is None:
        fallback = node.loc if node is not None else Location(file, 1, 1)
    for err in sorted(validator.iter_errors(plain), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(err.absolute_path)
        here = node_at(node, path)
        loc = here.loc if here is not None else fallback
        sub = _resolve(err.schema, schema) if isinstance(err.schema, dict) else {}
        label = _where(list(path_prefix) + path, what)
        if err.validator == "additionalProperties":
            allowed = sorted(sub.get("properties", {}))
            extras = [k for k in (err.instance or {}) if k not in sub.get("properties", {})]
            for key in extras:
                guess = did_you_mean(str(key), allowed)
                hint = (f"did you mean '{guess}'? " if guess else "") + ("allowed keys: " + ", ".join(allowed)
                                                                          if allowed else "no keys are allowed here")
                out.append(Diagnostic(f"{codes}-UNKNOWN-KEY", Severity.ERROR, f"unknown key '{key}' in {label}",
                                      location=_key_loc(here, str(key)) or loc, hint=hint))
        elif err.validator == "required":
            missing = [k for k in err.validator_value if k not in (err.instance or {})]
            for key in missing:
                out.append(Diagnostic(f"{codes}-MISSING-KEY", Severity.ERROR, f"{label} has no '{key}'",
                                      location=loc, hint=f"add '{key}:' (see {doc})"))
        elif err.validator == "enum":
            allowed = [str(v) for v in err.validator_value]
            guess = did_you_mean(str(err.instance), allowed)
            out.append(Diagnostic(f"{codes}-VALUE", Severity.ERROR,
                                  f"{label} is {err.instance!r}, which is not one of the allowed values", location=loc,
                                  hint=(f"did you mean '{guess}'? " if guess else "") + "allowed: " + ", ".join(allowed)))
        elif err.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            lo, hi = sub.get("minimum", "…"), sub.get("maximum", "…")
            out.append(Diagnostic(f"{codes}-VALUE", Severity.ERROR, f"{label} is {err.instance}, outside {lo}..{hi}",
                                  location=loc, hint=_described(sub, f"a number from {lo} to {hi}")))
        elif err.validator == "type":
            want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
            words = " or ".join(_TYPE_WORDS.get(t, t) for t in want)
            out.append(Diagnostic(f"{codes}-VALUE", Severity.ERROR, f"{label} must be {words}, not {kind_name(here)}",
                                  location=loc, hint=_described(sub, f"write {words}")))
        elif err.validator == "propertyNames":
            out.append(Diagnostic(f"{codes}-UNKNOWN-KEY", Severity.ERROR, f"{label}: {err.message}", location=loc,
                                  hint=_described(sub, f"see {doc}")))
        else:
            out.append(Diagnostic(f"{codes}-VALUE", Severity.ERROR, f"{label}: {err.message}", location=loc,
                                  hint=_described(sub, f"see {doc}")))
    if not out and key is not None:
        clean.store(key, True)
    return out


_TYPE_WORDS = {"integer": "a whole number", "number": "a number", "string": "text", "boolean": "true or false",
               "object": "a mapping", "array": "a list"}


def _described(sub: dict, default: str) -> str:
    desc = sub.get("description") if isinstance(sub, dict) else None
    return f"{desc}; {default}" if desc else default
