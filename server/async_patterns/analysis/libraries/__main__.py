"""`python -m async_patterns.analysis.libraries [--check]`: rebuild (or check) catalogue.json."""

import sys

from async_patterns.analysis.libraries import main

raise SystemExit(main(sys.argv[1:]))
