"""Proofs for editors: page images with overlays, a contact sheet, proof.html, build diffs and a
live preview. Reads a build directory (report.json + page PDFs); never writes the print PDFs."""

from layout.proof.diff import diff_builds
from layout.proof.proofs import ProofResult, make_proofs
from layout.proof.watch import Rebuild, watch

__all__ = ["ProofResult", "Rebuild", "diff_builds", "make_proofs", "watch"]
