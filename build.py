"""Loa's command line: `python build.py [build|check|serve] [--out DIR] [--lang vi,en] ...`."""

from loa.cli import run
from loa.errors import utf8_output

if __name__ == "__main__":
    utf8_output()
    run()
