"""`layout watch` on an edition that does not load (a slip mid-edit): the errors are printed and the
rebuild is said as not built; the watch goes on. It went on to proof the output folder the build
never wrote and said "proofs failed: [Errno 2] No such file or directory: '…/report.json'"."""

from __future__ import annotations

import io
import threading

from layout.proof.watch import watch
from layout.watchbuild import Rebuilder
from tests.robust.test_bad_inputs import write_base


def test_an_edition_with_errors_is_said_as_not_built(tmp_path, capsys):
    ed = write_base(tmp_path / "ed")
    ed.write_text(ed.read_text("utf-8").replace("    section: 測試\n", "\tsection: 測試\n", 1), "utf-8")
    stop = threading.Event()
    stop.set()  # the first build only
    out = io.StringIO()
    [rb] = watch(ed, tmp_path / "out", Rebuilder(), stop=stop, out=out)
    assert "YAML-SYNTAX" in capsys.readouterr().out
    assert rb.error and "nothing built" in rb.error and "proofs failed" not in rb.error, rb.error
    assert "1 error above" in out.getvalue(), out.getvalue()
    assert not (tmp_path / "out").exists()
