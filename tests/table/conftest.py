"""The table tests' session fixture; the helpers are in tablekit.py."""

from __future__ import annotations

import pytest

from layout.fonts.catalog import FontCatalog
from layout.paginate.typeset import TextSetter
from layout.template import load_template


@pytest.fixture(scope="session")
def kit():
    template = load_template("broadsheet")
    catalog = FontCatalog.from_config(template.fonts, base_dir=None)
    chains = {role: catalog.chain(role) for role in template.fonts}
    return template, TextSetter(chains, template.composition)
