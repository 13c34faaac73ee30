"""Loa's command line: `python build.py [build|check|serve] [--out DIR] [--lang vi,en] ...`."""

import sys

from loa.cli import main

if __name__ == "__main__":
    sys.exit(main())
