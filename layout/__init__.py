"""Print layout engine for a Chinese daily newspaper.

The pipeline (each stage a function from one plain value to the next):
edition YAML -> model.Edition -> text.compose (lines) -> paginate (PageFrame per page)
-> render (PDF bytes) -> preflight (findings) / proof (images, proof.html).
"""

__version__ = "0.1.0"
