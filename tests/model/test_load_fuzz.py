"""The loader never raises anything but InputError, whatever the input: random bytes,
generated YAML mappings with random keys and values, and mutated valid editions."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from modelkit import GRID, PAGES, VALID, build_edition_dir

from layout.diagnostics import InputError
from layout.model import load as load_module
from layout.model.load import load_edition

KNOWN_KEYS = sorted(
    set(load_module.TOP_KEYS + load_module.PAGE_KEYS + load_module.ITEM_KEYS + load_module.AT_KEYS
        + load_module.STORY_KEYS + load_module.PHOTO_KEYS + load_module.AD_KEYS)
)
NAMES = ["ai-plan", "rail-link", "museum", "subscribe", "bank", "A01", "A02", "A03", "assets/park.jpg",
         "assets/bank.pdf", "text/ai-plan.txt", "../x.txt", "/etc/passwd", "box", "pdf", "image", "red"]

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
    st.text(max_size=20), st.sampled_from(NAMES), st.dates().map(str),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=8), st.sampled_from(NAMES))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
                      max_leaves=10)
documents = st.dictionaries(keys, values, max_size=8)


def _mutate(text: str, data: st.DataObject) -> bytes:
    raw = text.encode("utf-8")
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        if not raw:
            break
        at = data.draw(st.integers(0, len(raw) - 1), label="at")
        op = data.draw(st.sampled_from(["delete", "insert", "replace", "dupline", "swapline"]), label="op")
        if op == "delete":
            raw = raw[:at] + raw[at + data.draw(st.integers(1, 40)):]
        elif op == "insert":
            raw = raw[:at] + data.draw(st.sampled_from([b":", b"- ", b"\t", b"[", b"{", b"&a ", b"*a", b"!!str ",
                                                         b"\n  ", b'"', b"\xff", b"\x00", b"<<: *a",
                                                         b"#", b"..", b"~", b"99999999999999999999"]) | st.binary(max_size=6)) + raw[at:]
        elif op == "replace":
            raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=3)) + raw[at + 1:]
        else:
            lines = raw.split(b"\n")
            i = at % len(lines)
            j = data.draw(st.integers(0, len(lines) - 1))
            if op == "dupline":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            raw = b"\n".join(lines)
    return raw


_VALID_DOC = yaml.load(VALID, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _paths(value, prefix=()):
    """Every place in a parsed document: tuples of keys and indexes."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


def _replace_nodes(data: st.DataObject) -> bytes:
    """The valid edition with a few values swapped for generated ones (or deleted): exercises the
    semantic checks rather than the parser."""
    doc = copy.deepcopy(_VALID_DOC)
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        places = [p for p in _paths(doc) if p]
        place = data.draw(st.sampled_from(places), label="place")
        parent = doc
        for step in place[:-1]:
            parent = parent[step]
        if data.draw(st.booleans(), label="delete") and isinstance(parent, dict):
            del parent[place[-1]]
        else:
            parent[place[-1]] = data.draw(values, label="value")
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True).encode("utf-8")


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return build_edition_dir(tmp_path_factory.mktemp("fuzz") / "ed").root


def _load_bytes(root: Path, raw: bytes, check_files: bool = True) -> None:
    path = root / "edition.yaml"
    path.write_bytes(raw)
    try:
        load_edition(path, page_count=PAGES, grid=GRID, check_files=check_files)
    except InputError as exc:
        assert exc.diagnostics, "an InputError always carries diagnostics"
        for d in exc.diagnostics:
            assert d.code and d.message and d.hint and d.location.file, d
            if d.code not in ("EDITION-FILE", "YAML-LIMIT"):
                assert d.location.line is not None and d.location.line >= 1, d


_settings = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])


@settings(max_examples=700, **_settings)
@given(raw=st.binary(max_size=400))
def test_random_bytes(fuzz_dir, raw):
    _load_bytes(fuzz_dir, raw)


@settings(max_examples=500, **_settings)
@given(doc=documents)
def test_generated_mappings(fuzz_dir, doc):
    _load_bytes(fuzz_dir, yaml.dump(doc, Dumper=_Dumper, allow_unicode=True).encode("utf-8"))


@settings(max_examples=800, **_settings)
@given(data=st.data())
def test_mutated_valid_edition(fuzz_dir, data):
    _load_bytes(fuzz_dir, _mutate(VALID, data))


@settings(max_examples=500, **_settings)
@given(data=st.data())
def test_valid_edition_with_replaced_values(fuzz_dir, data):
    # the photo and PDF contents are always the same here: checking them each time only costs time
    _load_bytes(fuzz_dir, _replace_nodes(data), check_files=False)


@pytest.mark.long
@settings(max_examples=100_000, **_settings)
@given(data=st.data())
def test_long_fuzz(fuzz_dir, data):
    kind = data.draw(st.sampled_from(["bytes", "mapping", "mutation", "values"]))
    if kind == "bytes":
        raw = data.draw(st.binary(max_size=2000))
    elif kind == "mapping":
        raw = yaml.dump(data.draw(documents), Dumper=_Dumper, allow_unicode=True).encode("utf-8")
    elif kind == "values":
        raw = _replace_nodes(data)
    else:
        raw = _mutate(VALID, data)
    _load_bytes(fuzz_dir, raw)
