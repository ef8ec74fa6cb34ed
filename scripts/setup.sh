#!/bin/sh
# Create .venv and install the pinned packages of a requirements file into it.
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
