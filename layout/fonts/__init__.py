"""Fonts: faces (metrics), the catalogue of roles and fallback chains, and PDF embedding (Type0 fonts
with subset CFF or TrueType outlines).

    FontCatalog.from_config(cfg, base_dir=None) / FontCatalog.default()     catalog.py
        .chain(role) -> FontChain   .face(key) -> Face   .roles   .faces
    FontChain(role, faces).resolve(ch) -> (Face, gid) | None                 chain.py
    Face(FaceSpec(path, index), key): gid/has/advance/advances/ink/ascent/descent/
        ps_name/bbox/digest/is_cff/subset_program(gids)                      face.py
    PdfFonts(catalog).draw(canvas, face, size, [(gid, x, y, text), ...])    pdf.py
    canvas_kwargs() -> {"initialFontName": ...}  (no unembedded Helvetica)  pdf.py
    font_report(catalog, [(role, story, paragraph, text), ...]) -> FontReport   report.py

Subsetting (cff.py, ttf.py) keeps the face's glyph ids, so content streams use them as CIDs.
"""
