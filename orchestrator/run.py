"""Entry point: `python orchestrator/run.py --entity all` or `python -m orchestrator.run ...`.

Thin on purpose: it makes the repository importable when run as a script and hands over
to orchestrator.cli (the command line) and orchestrator/flow.py (the flow of a run).
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: put the repository root on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orchestrator.cli import main

if __name__ == "__main__":
    sys.exit(main())
