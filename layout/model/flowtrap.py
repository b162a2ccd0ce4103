"""The YAML flow-sequence trap: `decks: [霧溪村今年網上賣出農產品1,860萬元, …]` is two items, since
a comma ends a plain item inside [ ]. The text is split silently into `…農產品1` and `860萬元`.

The signs are checkable: an item that is only a number, or an item ending in a digit followed by
one that starts with three digits (a thousands group). Quoted items are what the editor meant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from layout.diagnostics import Diagnostic, Severity
from layout.model.yamlpos import YNode, YScalar

_GROUP = re.compile(r"\d{3}(\D|$)")


def flow_split_warnings(items: Sequence[YNode], what: str) -> list[Diagnostic]:
    """YAML-FLOW-SPLIT warnings for the list `items` (decks, box-ad lines) of `what`."""
    out: list[Diagnostic] = []
    plain = [n if isinstance(n, YScalar) and not n.style and n.value is not None else None for n in items]
    for k, node in enumerate(plain):
        if node is None:
            continue
        text = node.text.strip()
        nxt = plain[k + 1] if k + 1 < len(plain) else None
        if isinstance(node.value, int | float) and not isinstance(node.value, bool) or re.fullmatch(r"[\d.,]+", text):
            joined = text
            reason = f"item {k + 1} of {what} is only the number {text}"
        elif nxt is not None and text[-1:].isdigit() and _GROUP.match(nxt.text.strip()):
            joined = f"{text},{nxt.text.strip()}"
            reason = f"items {k + 1} and {k + 2} of {what} look like one text split at the comma of a number"
        else:
            continue
        out.append(Diagnostic(
            "YAML-FLOW-SPLIT", Severity.WARNING, reason, location=node.loc,
            hint=f"inside [ ] a comma ends an item: quote the text, e.g. '{joined}'"))
    return out
