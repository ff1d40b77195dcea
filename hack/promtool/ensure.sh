#!/usr/bin/env bash
# Prints the path of promtool from Debian's `prometheus` package. STEWARD_PROMTOOL wins, then a promtool on
# PATH; otherwise the package is downloaded (not installed: installing it would start a Prometheus service)
# and its promtool unpacked once into the per-user cache, keyed by the package version.
set -euo pipefail

if [ -n "${STEWARD_PROMTOOL:-}" ]; then
  [ -x "$STEWARD_PROMTOOL" ] || { echo "promtool: STEWARD_PROMTOOL=$STEWARD_PROMTOOL is not executable" >&2; exit 1; }
  echo "$STEWARD_PROMTOOL"
  exit 0
fi
if command -v promtool >/dev/null; then
  command -v promtool
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "promtool: install Prometheus' promtool (Debian/Ubuntu package 'prometheus') or set STEWARD_PROMTOOL" >&2
  exit 1
fi

candidate() { apt-cache policy prometheus 2>/dev/null | awk '$1 == "Candidate:" { print $2 }'; }
version="$(candidate)"
if [ -z "$version" ] || [ "$version" = "(none)" ]; then
  # A fresh image has no package lists; refreshing them needs root.
  if [ "$(id -u)" -ne 0 ]; then
    echo "promtool: apt knows no 'prometheus' package; run 'apt-get update' as root, or set STEWARD_PROMTOOL" >&2
    exit 1
  fi
  apt-get update -qq >&2
  version="$(candidate)"
fi
dest="${STEWARD_CACHE:-$HOME/.cache/steward}/promtool/$version"
if [ -x "$dest/promtool" ]; then
  echo "$dest/promtool"
  exit 0
fi
echo "promtool: unpacking promtool from Debian's prometheus $version into $dest (once)" >&2
# Download and unpack in a scratch folder and rename, so an interrupted run never looks complete.
tmp="$dest.partial.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/deb"
(cd "$tmp/deb" && apt-get download -qq "prometheus=$version" >&2)
dpkg-deb -x "$tmp"/deb/prometheus_*.deb "$tmp/root"
mv "$tmp/root/usr/bin/promtool" "$tmp/promtool"
rm -rf "$tmp/deb" "$tmp/root"
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp" "$dest"
echo "$dest/promtool"
