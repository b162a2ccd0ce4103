"""Fonts: faces (metrics), the catalogue of roles and fallback chains, and PDF embedding (Type0 fonts
with subset CFF or TrueType outlines).

    FontCatalog.from_config(cfg, base_dir=None) / FontCatalog.default()     catalog.py
        .chain(role) -> FontChain   .face(key) -> Face   .roles   .faces
    FontChain(role, faces).resolve(ch) -> (Face, gid) | None   .damaged      chain.py
    Face(FaceSpec(path, index), key): gid/has/advance/advances/ink/ascent/descent/
        ps_name/bbox/digest/is_cff/glyph_problem(gid)/subset_program(gids)/
        subset_checked(gids) -> (program, {gid: why})                        face.py
    PdfFonts(catalog).draw(canvas, face, size, [(gid, x, y, text), ...])    pdf.py
        .problems (glyphs no subsetter fall-back could reproduce)
    canvas_kwargs() -> {"initialFontName": ...}  (no unembedded Helvetica)  pdf.py
    font_report(catalog, [(role, story, paragraph, text), ...]) -> FontReport   report.py
    damaged_glyph_diagnostics / missing_glyph_diagnostics / page_missing_glyphs  report.py
    read_sfnt / verify_checksums -> FontFileError on truncated, damaged files   sfnt.py

Subsetting (cff.py, ttf.py) keeps the face's glyph ids, so content streams use them as CIDs.
Every subset is checked against its face before it is embedded; a face is refused at load when a
table it reads is cut off or fails its checksum, and a glyph whose outline data is broken is never
handed out by a chain.
"""
