"""PNG files of proof images, written fast.

Pillow's PNG writer picks a filter for every row by trying all five and deflates with zlib; on a
1560 x 2174 page at 100 dpi that is ~140 ms, as much as pdfium takes to render the page. A proof
is seen once and thrown away, so size matters less than time: rows are stored unfiltered (a
newspaper page is mostly flat white and black text, where prediction gains little) and deflated
with ISA-L's igzip (the `isal` package) at its fast level, ~5x less time for files ~10 % larger.
Where isal is not installed, zlib at level 1 is used. The output is a plain 8-bit RGB PNG that any
reader opens; the bytes depend only on the pixels and on ENCODER (part of the proofs' cache key).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np
from PIL import Image

try:
    from isal import __version__ as _isal_version
    from isal import isal_zlib as _deflater

    _LEVEL = 2  # igzip's levels are 0-3; 2 is within a few % of zlib-1's size at a fifth of its time
    ENCODER = f"isal {_isal_version} level {_LEVEL}, no filter"
except ImportError:  # a platform without isal wheels: same format, slower
    _deflater = zlib  # type: ignore[assignment]
    _LEVEL = 1
    ENCODER = f"zlib {zlib.ZLIB_RUNTIME_VERSION} level {_LEVEL}, no filter"

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(img: Image.Image) -> bytes:
    """The image as an 8-bit RGB PNG (filter type 0 on every row, one IDAT chunk)."""
    rgb = np.asarray(img if img.mode == "RGB" else img.convert("RGB"))
    height, width = rgb.shape[:2]
    rows = np.zeros((height, width * 3 + 1), np.uint8)  # column 0: each row's filter byte (0, none)
    rows[:, 1:] = rgb.reshape(height, width * 3)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, truecolour, no interlace
    return (SIGNATURE + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", _deflater.compress(rows.data, _LEVEL))
            + _chunk(b"IEND", b""))


def png_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG from its header, or None when the bytes do not start as a PNG with
    an intact header chunk."""
    if len(data) < 33 or not data.startswith(SIGNATURE) or data[12:16] != b"IHDR":
        return None
    (length,) = struct.unpack(">I", data[8:12])
    if length != 13 or struct.unpack(">I", data[29:33])[0] != zlib.crc32(data[12:29]):
        return None
    width, height = struct.unpack(">II", data[16:24])
    return (width, height) if width and height else None
