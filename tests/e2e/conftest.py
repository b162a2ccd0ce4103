import shutil
from pathlib import Path

import pytest

from layout.build import build

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "mini" / "mini.yaml"
SAMPLE = ROOT / "editions" / "sample.yaml"


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install {'poppler-utils' if tool.startswith('pdf') else tool})")
    return path


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("mini")
    return build(MINI, out, preflight=False)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip("editions/sample.yaml is not there yet")
    out = tmp_path_factory.mktemp("sample")
    return build(SAMPLE, out, preflight=True)
