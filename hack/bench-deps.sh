#!/usr/bin/env bash
# The drift benchmark compares against scipy/numpy from Debian's python3 (the same reference the
# committed fixtures were generated with). Installs them when missing and we may; else says how.
set -euo pipefail
if /usr/bin/python3 -c 'import scipy, numpy' 2>/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "bench: installing python3-scipy and python3-numpy (the drift benchmark's baseline)" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-scipy python3-numpy >/dev/null
  exit 0
fi
echo "bench: the drift benchmark needs scipy and numpy for /usr/bin/python3: apt-get install python3-scipy python3-numpy" >&2
exit 1
