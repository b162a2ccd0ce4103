"""A face is read by a forked worker (edition.pdf is rendered in one) and by its parent at the same
time: neither may see the other's reads. With fontTools reading through an open file, the two
processes shared one file offset and sometimes read garbage tables."""

import os
from pathlib import Path

import pytest

from layout.fonts.face import Face, FaceSpec

FONTS = Path(__file__).resolve().parents[2] / "fonts"


def _read_everything(face: Face) -> tuple:
    # Fresh lazy reads: what the renderer and the composer touch, table by table.
    return (face.font["OS/2"].sTypoAscender, face.font["hhea"].ascent, face.font["post"].underlinePosition,
            len(face.font["name"].names), face.font["maxp"].numGlyphs, face.font["head"].unitsPerEm,
            len(face.font.reader["CFF "]), len(face.font.reader["hmtx"]), len(face.font.reader["cmap"]))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_parent_and_forked_child_read_a_face_at_once():
    path = FONTS / "NotoSerifCJKsc-Regular.otf"
    expected = _read_everything(Face(FaceSpec(path)))
    for _ in range(5):
        faces = [Face(FaceSpec(path)) for _ in range(8)]  # opened, not yet read
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = 0 if all(_read_everything(f) == expected for f in faces) else 3
            except Exception:
                code = 4
            finally:
                os._exit(code)
        mine = [_read_everything(f) == expected for f in faces]
        _, status = os.waitpid(pid, 0)
        assert all(mine) and os.waitstatus_to_exitcode(status) == 0
