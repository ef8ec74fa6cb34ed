#!/bin/sh
# Install the Debian packages named as arguments that are not installed yet.
# Quick when nothing is missing (one dpkg query each), so make runs it every time.
set -eu
missing=""
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: please install:$missing (as root: apt-get install$missing)" >&2
  exit 1
fi
echo "setup: installing Debian packages:$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
