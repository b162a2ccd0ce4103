"""Suite-wide set-up: derived data (prepared photos, page layouts) is cached in a folder of this
run, never in the user's ~/.cache, so the tests neither depend on nor disturb it."""

import os
import tempfile


def pytest_configure(config):
    if "LAYOUT_CACHE" not in os.environ:
        os.environ["LAYOUT_CACHE"] = tempfile.mkdtemp(prefix="layout-test-cache-")
