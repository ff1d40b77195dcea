#!/usr/bin/env bash
# Builds the S3-compatible test server (hack/s3, gofakes3 in memory) once into a per-user cache
# keyed by the pinned gofakes3 version, and prints the binary's path. The drift integration tests
# call this from beforeAll; STEWARD_S3_SERVER (a path to a built server) skips the build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ -n "${STEWARD_S3_SERVER:-}" ]; then
  [ -x "$STEWARD_S3_SERVER" ] || { echo "s3: STEWARD_S3_SERVER=$STEWARD_S3_SERVER is not executable" >&2; exit 1; }
  echo "$STEWARD_S3_SERVER"
  exit 0
fi

version="$(awk '$1 == "require" && $2 == "github.com/johannesboyne/gofakes3" { print $3 }' "$here/go.mod")"
# The main.go wrapper is part of the key too: a changed wrapper must not reuse an old binary.
wrapper="$(sha256sum "$here/main.go" | cut -c1-12)"
dest="${STEWARD_CACHE:-$HOME/.cache/steward}/s3/gofakes3-$version-$wrapper"
if [ -x "$dest/s3server" ]; then
  echo "$dest/s3server"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "s3: the drift S3 tests need Go >= 1.26 to build hack/s3, or STEWARD_S3_SERVER pointing at a built server" >&2
  exit 1
fi
echo "s3: building gofakes3 $version into $dest (once)" >&2
# Build into a scratch folder and rename, so an interrupted build never looks complete.
tmp="$dest.partial.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"
(cd "$here" && GOTOOLCHAIN=local go build -o "$tmp/s3server" .)
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp" "$dest"
echo "$dest/s3server"
