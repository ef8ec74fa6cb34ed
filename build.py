#!/usr/bin/env python3
"""gongkai command line: `python build.py check|build|schema`. See README.md."""
import sys

from builder.cli import main

if __name__ == "__main__":
    sys.exit(main())
