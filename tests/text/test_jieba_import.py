"""jieba is imported without pkg_resources (layout.text.words._jieba): pkg_resources cost ~0.25 s of
every new process's start. Checked in a fresh interpreter, since the test process may hold either
module already; the words found are those of jieba's own dictionary all the same."""

import subprocess
import sys

PROBE = """
import sys
from layout.text.words import _base, _jieba
jieba = _jieba()
assert "pkg_resources" not in sys.modules, "pkg_resources was imported"
tok = _base()
print(len(tok.FREQ), "/".join(tok.cut("渝江市民銀行推出冬季理財產品")))
"""


def test_jieba_comes_without_pkg_resources_and_reads_its_own_dictionary():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                         env={"LAYOUT_CACHE": "off", "PATH": "/usr/bin:/bin"}).stdout.split()
    assert int(out[0]) > 300_000  # jieba's dict.txt, with its word prefixes
    assert "銀行" in out[1].split("/") and "".join(out[1].split("/")) == "渝江市民銀行推出冬季理財產品"


def test_an_imported_pkg_resources_is_left_as_it_is():
    probe = ("import sys, types\nsys.modules['pkg_resources'] = fake = types.ModuleType('pkg_resources')\n"
             "from layout.text.words import _jieba\n_jieba()\nassert sys.modules['pkg_resources'] is fake\n")
    subprocess.run([sys.executable, "-c", probe], check=True, env={"LAYOUT_CACHE": "off", "PATH": "/usr/bin:/bin"})
