"""Content checks of files an edition names: photos and image ads (Pillow), ad PDFs (pikepdf).

Each check returns the problems found as (code, message, hint) and never raises for a bad
file: a corrupt upload must become a diagnostic, not a traceback.
"""

from __future__ import annotations

import struct
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Pillow's own bomb threshold, as our limit: a broadsheet page at 300 ppi is ~25 MP, so
# anything past this is a mistake (or an attack) and would take gigabytes to process.
MAX_PIXELS = 89_478_485
SUPPORTED_IMAGE_FORMATS = ("JPEG", "PNG", "TIFF")


@dataclass(frozen=True)
class FileProblem:
    code: str
    message: str
    hint: str | None = None


def check_image(path: Path) -> list[FileProblem]:
    """Open, identify and fully decode an image; corrupt, truncated, unsupported or
    bomb-sized files are problems. CMYK, 16-bit and palette images are fine.

    The answer depends only on the file's bytes, so it is remembered per (path, size, mtime), in
    this process and in the build cache: a rebuild should not decode every photo again."""
    unreadable = _unreadable(path)
    if unreadable:
        # Not a property of the bytes (permissions change without touching the file): never remembered.
        return [unreadable]
    try:
        st = path.stat()
    except OSError:
        return _check_image(path)
    return list(_check_image_memo(str(path), st.st_size, st.st_mtime_ns))


def _unreadable(path: Path) -> FileProblem | None:
    """The file cannot be opened at all (no permission, an I/O error): said as such, not as a
    damaged picture."""
    try:
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        return FileProblem("FILE-UNREADABLE", f"{path.name} cannot be read: {exc.strerror or exc}",
                           "check the file's permissions (chmod a+r) and that the disk or share is there")
    return None


@lru_cache(maxsize=4096)
def _check_image_memo(path: str, size: int, mtime_ns: int) -> tuple[FileProblem, ...]:
    from layout.cache import JsonCache, file_problems

    cache = JsonCache.default("filechecks")
    key = f"{path}|{size}|{mtime_ns}"
    known = cache.load(key, check=file_problems) if cache is not None else None
    if known is not None:
        return tuple(FileProblem(*p) for p in known)
    found = tuple(_check_image(Path(path)))
    if cache is not None:
        cache.store(key, [[p.code, p.message, p.hint] for p in found])
    return found


def _check_image(path: Path) -> list[FileProblem]:
    from PIL import Image, UnidentifiedImageError

    name = path.name
    try:
        with warnings.catch_warnings():
            # We apply our own limit below; Pillow's warning would only be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                fmt = im.format or "?"
                width, height = im.size
                if fmt not in SUPPORTED_IMAGE_FORMATS:
                    return [
                        FileProblem(
                            "PHOTO-FORMAT",
                            f"{name} is a {fmt} image; supported are JPEG, PNG and TIFF",
                            "save it as JPEG (CMYK or RGB) or TIFF",
                        )
                    ]
                if width * height > MAX_PIXELS or width <= 0 or height <= 0:
                    return [_too_large(name, width, height)]
                im.verify()  # checksums and structure, cheap
            with Image.open(path) as im:
                if im.format == "JPEG":
                    # Decoding at 1/8 scale still reads the whole stream: truncation shows, 8x faster.
                    im.draft(None, (max(1, width // 8), max(1, height // 8)))
                im.load()
    except Image.DecompressionBombError as exc:
        return [_too_large(name, 0, 0, str(exc))]
    except UnidentifiedImageError:
        return [
            FileProblem(
                "PHOTO-CORRUPT",
                f"{name} is not an image that can be read (damaged, or not an image at all)",
                "export the picture again as JPEG or TIFF",
            )
        ]
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError, IndexError, TypeError, struct.error) as exc:
        # Pillow signals damaged data with these (SyntaxError from verify(), OSError "truncated").
        return [
            FileProblem(
                "PHOTO-CORRUPT",
                f"{name} is damaged or truncated: {exc}",
                "the upload was probably cut off; copy or export the picture again",
            )
        ]
    return []


def _too_large(name: str, width: int, height: int, detail: str = "") -> FileProblem:
    size = f" ({width}×{height} pixels)" if width and height else ""
    if detail:  # Pillow refused it before giving the size; its message has the pixel count
        size = f" ({detail.split('exceeds')[0].strip()})"
    return FileProblem(
        "PHOTO-TOO-LARGE",
        f"{name} is too large to process{size}; the limit is {MAX_PIXELS // 1_000_000} megapixels",
        "resample it to about 300 ppi at its printed size",
    )


def check_pdf(path: Path) -> list[FileProblem]:
    """An ad PDF must open without a password, be unencrypted and have a page."""
    import pikepdf

    name = path.name
    unreadable = _unreadable(path)
    if unreadable:
        return [unreadable]
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
        if b"%PDF-" not in head:
            return [FileProblem("AD-PDF-CORRUPT", f"{name} is not a PDF file", "ask the advertiser for the PDF")]
        with pikepdf.open(path) as pdf:
            if pdf.is_encrypted:
                return [_encrypted(name)]
            if len(pdf.pages) < 1:
                return [FileProblem("AD-PDF-CORRUPT", f"{name} has no pages", "ask the advertiser for a new file")]
            box = pdf.pages[0].mediabox
            if len(box) != 4:
                raise ValueError("bad MediaBox")
    except pikepdf.PasswordError:
        return [_encrypted(name)]
    except (pikepdf.PdfError, OSError, ValueError, TypeError, KeyError, AttributeError, RuntimeError) as exc:
        return [
            FileProblem(
                "AD-PDF-CORRUPT",
                f"{name} is damaged and cannot be read: {str(exc)[:160]}",
                "ask the advertiser to export the PDF again (PDF/X-1a or PDF/X-4)",
            )
        ]
    return []


def _encrypted(name: str) -> FileProblem:
    return FileProblem(
        "AD-PDF-ENCRYPTED",
        f"{name} is encrypted or password protected; it cannot be placed or printed",
        "ask the advertiser for an unprotected PDF/X file",
    )


# Operators that put marks on the page: path painting, shadings, text showing, inline images and
# XObjects (a form is followed into its own content). `n` ends a path without painting it.
_PAINT_OPERATORS = frozenset(["f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh", "Tj", "TJ", "'", '"',
                              "INLINE IMAGE", "BI"])
_MAX_FORM_DEPTH = 12


def check_ad_pdf(path: Path) -> list[FileProblem]:
    """check_pdf, then what gets printed: an ad PDF whose page content cannot be decoded, or that
    draws nothing, would print as an empty box (issue 17: a truncated file and a broken content
    stream built without an error, a pikepdf UserWarning on stderr being all)."""
    return check_pdf(path) or check_pdf_content(path)


def check_pdf_content(path: Path) -> list[FileProblem]:
    """The first page's content stream (and every form it draws) must decode and parse without
    qpdf having to repair or skip anything, and must paint something."""
    import pikepdf

    name = path.name
    qpdf_warnings: list[str] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with pikepdf.open(path) as pdf:
                qpdf_warnings += pdf.get_warnings()  # repairs made while opening (a truncated file)
                page = pdf.pages[0]
                paints = _paints(page.obj, pikepdf.parse_content_stream(page), set(), 0)
                qpdf_warnings += pdf.get_warnings()  # tokens or stream data skipped while parsing
        qpdf_warnings += [str(w.message) for w in caught]
    except (pikepdf.PdfError, OSError, ValueError, TypeError, KeyError, AttributeError, RuntimeError,
            RecursionError) as exc:
        return [_broken_content(path, str(exc))]
    if qpdf_warnings:
        # "file is damaged" says nothing the message does not; the next warning says what broke.
        telling = [w for w in qpdf_warnings if not w.endswith("file is damaged")] or qpdf_warnings
        return [_broken_content(path, telling[0])]
    if not paints:
        return [FileProblem("AD-PDF-EMPTY", f"{name} draws nothing on its page: it would print as an empty box",
                            "ask the advertiser to export the PDF again (PDF/X-1a or PDF/X-4)")]
    return []


def _paints(owner, instructions, seen: set, depth: int) -> bool:
    """Whether a content stream paints: any painting operator, an image, or a form that paints.
    Every form drawn is parsed (a broken one raises), not only the first that paints."""
    import pikepdf

    found = False
    resources = owner.get("/Resources") if hasattr(owner, "get") else None
    xobjects = resources.get("/XObject") if resources is not None else None
    for operands, operator in instructions:
        op = str(operator)
        if op in _PAINT_OPERATORS:
            found = True
        elif op == "Do" and operands and xobjects is not None:
            xobj = xobjects.get(operands[0])
            if xobj is None:
                raise ValueError(f"the page draws {operands[0]}, which is not in its resources")
            if xobj.get("/Subtype") == "/Image":
                found = True
            elif xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
                if depth >= _MAX_FORM_DEPTH:
                    raise ValueError("forms nested too deeply")
                seen.add(xobj.objgen)
                found = _paints(xobj, pikepdf.parse_content_stream(xobj), seen, depth + 1) or found
    return found


def _broken_content(path: Path, detail: str) -> FileProblem:
    # qpdf starts its messages with the file's path (or name): the message names the file already.
    for prefix in (f"{path}: ", f"{path.name}: "):
        if detail.startswith(prefix):
            detail = detail[len(prefix):]
    return FileProblem(
        "AD-PDF-CORRUPT",
        f"{path.name} is damaged or truncated ({detail[:160]}): its page content cannot be read, it would "
        "print as an empty box",
        "ask the advertiser to export the PDF again (PDF/X-1a or PDF/X-4)",
    )
