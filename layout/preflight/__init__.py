"""Preflight: checks a PDF against a print profile (PDF/X keys, boxes, fonts, colour,
transparency, ink, small text, image resolution). Used on our own pages and on delivered ads."""

from layout.preflight.check import preflight_many, preflight_pdf
from layout.preflight.findings import Finding

__all__ = ["Finding", "preflight_many", "preflight_pdf"]
