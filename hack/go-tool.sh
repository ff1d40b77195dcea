#!/usr/bin/env bash
# Builds a Go program from a pinned module under hack/ once into the per-user cache and prints the
# binary's path. The cache key holds the pinned version and a hash of the module's own files, so a
# changed pin or wrapper never reuses an old binary.
#   hack/go-tool.sh <module dir> <package> <binary name> <pinned module whose version keys the cache> [go build flags...]
set -euo pipefail
module_dir="$(cd "$1" && pwd)"
package="$2"
binary="$3"
pinned="$4"
shift 4

version="$(awk -v m="$pinned" '$1 == m { print $2 }' "$module_dir/go.mod")"
[ -n "$version" ] || { echo "go-tool: $pinned is not pinned in $module_dir/go.mod" >&2; exit 1; }
own="$(find "$module_dir" -maxdepth 1 \( -name go.mod -o -name '*.go' \) | sort | xargs cat | sha256sum | cut -c1-12)"
dest="${STEWARD_CACHE:-$HOME/.cache/steward}/$binary/$version-$own"
if [ -x "$dest/$binary" ]; then
  echo "$dest/$binary"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "go-tool: building $binary needs Go >= 1.26 (https://go.dev/doc/install)" >&2
  exit 1
fi
echo "go-tool: building $binary $version into $dest (once)" >&2
# Build into a scratch folder and rename, so an interrupted build never looks complete.
tmp="$dest.partial.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"
(cd "$module_dir" && GOTOOLCHAIN=local go build -o "$tmp/$binary" "$@" "$package")
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp" "$dest"
echo "$dest/$binary"
