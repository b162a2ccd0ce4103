import os
import sys

from layout.cli import main

code = main()
# Everything is written and closed by now (output folder swapped in, pools shut down in their
# `with` blocks, caches renamed into place): leave without the interpreter tearing down every
# object one by one, which on a built edition (frames, faces, composed lines) takes a third of a
# second that nobody waits for usefully.
sys.stdout.flush()
sys.stderr.flush()
os._exit(0 if code is None else code if isinstance(code, int) else 1)
