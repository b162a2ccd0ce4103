"""Fonts: faces (metrics from fontTools), the catalogue of roles and fallback chains, and PDF
embedding (Type0 fonts with subset CFF or TrueType outlines)."""
