"""`python -m tipweek`: the same command line as the `tipweek` script."""

from __future__ import annotations

import sys

from tipweek.cli.main import main

sys.exit(main())
