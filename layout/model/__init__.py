"""The edition model: frozen dataclasses loaded from the edition YAML, with source positions."""

from layout.model.edition import (  # noqa: F401
    Ad,
    At,
    Edition,
    Page,
    PageItem,
    Paragraph,
    Photo,
    Story,
)
from layout.model.load import load_edition  # noqa: E402, F401
