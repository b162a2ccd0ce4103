"""Output: PageFrames to PDF bytes (reportlab canvas only), PDF/X keys and marks, text dumps."""
