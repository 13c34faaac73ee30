"""Loa's command line: `python build.py [build|check|serve] [--out DIR] [--lang vi,en] ...`."""

import sys

from loa.cli import main
from loa.errors import utf8_output

if __name__ == "__main__":
    utf8_output()
    sys.exit(main())
