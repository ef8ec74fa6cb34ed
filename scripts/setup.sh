#!/bin/sh
# Create .venv, install the pinned packages of a requirements file into it, then gongkai itself.
#
#   scripts/setup.sh REQUIREMENTS
#
# Called by the Makefile, which runs it again only when its inputs changed.
set -eu
cd "$(dirname "$0")/.."
requirements=${1:-requirements.txt}
PYTHON=${PYTHON:-python3}

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup: $PYTHON not found; gongkai needs Python 3.11 or newer" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: gongkai needs Python 3.11 or newer; $PYTHON is $("$PYTHON" --version 2>&1)" >&2
  exit 1
fi

# Debian's python3 has no ensurepip without python3-venv, so `python3 -m venv`
# would fail on a fresh machine.
if ! "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
  sh scripts/install-debs.sh python3-venv
fi

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys' 2>/dev/null; then
  echo "setup: creating .venv"
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi
echo "setup: installing $requirements into .venv"
.venv/bin/python -m pip install --disable-pip-version-check --no-input -q -r "$requirements"
# gongkai itself, editable: `builder` is then importable by the venv's python from any folder, as
# `.venv/bin/dask scheduler` and `dask worker` need (docs/scale.md), and edits need no reinstall.
# No build isolation: the pinned setuptools of the requirements builds it, nothing is downloaded.
echo "setup: installing gongkai (editable) into .venv"
.venv/bin/python -m pip install --disable-pip-version-check --no-input -q --no-deps --no-build-isolation -e .
