#!/usr/bin/env bash
# Builds the Steward image from ./Dockerfile without any registry, with Debian's buildah:
#   build base   = debootstrap --variant=minbase + the toolchain's Node 24 and pnpm;
#   runtime base = only the libraries Node links against (unpacked from Debian packages), Node,
#                  /usr/bin/env for the CLI's shebang, and a passwd file; no shell, no package manager;
#   the build stage installs production dependencies offline from the host's pnpm store.
# Each base and the image are cached in $STEWARD_CACHE/image, keyed by the hash of their inputs.
# Prints (stdout) STEWARD_IMAGE=<name> and STEWARD_IMAGE_ARCHIVE=<docker-archive path>. A build's own output
# goes to $STEWARD_IMAGE_BUILD_LOG (default .run/image-build.log), so the narrated output of `make demo` and
# the test tiers shows one line for it; when the build fails, the log's last lines follow on stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
# shellcheck source=lib.sh
source "$here/lib.sh"

need_commands buildah:buildah debootstrap:debootstrap dpkg-deb:dpkg
cache="${STEWARD_CACHE:-$HOME/.cache/steward}/image"
mkdir -p "$cache"
# A private image store: nothing of this lands in the machine's default containers storage.
mkdir -p "$cache/tmp"
bh() { TMPDIR="$cache/tmp" buildah --root "$cache/storage" --runroot "$cache/runroot" --storage-driver overlay "$@"; }
has_image() { bh inspect --type image "$1" >/dev/null 2>&1; }
# One image build at a time per cache: concurrent test runs would otherwise race on the same tags.
exec 9>"$cache/.lock"
flock 9

node_bin="$(readlink -f "$(command -v node)")"
[ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ] ||
  { echo "image: the image needs Node 24 and $node_bin is $(node --version); run 'make setup'" >&2; exit 1; }
pnpm_dir="$(cd "$(dirname "$(readlink -f "$(command -v pnpm)")")/.." && pwd)"
# The toolchain pins Node's release; its version and size name the binary without hashing 120 MB.
node_key="$(node --version)-$(stat -c %s "$node_bin")"
pnpm_version="$(node -p "require('$pnpm_dir/package.json').version")"

# Commits a root filesystem folder as an image; extra arguments are `buildah config` options.
commit_rootfs() {
  local rootfs="$1" name="$2"
  shift 2
  local ctr
  ctr="$(bh from scratch)"
  bh copy "$ctr" "$rootfs" / >/dev/null
  bh config --env PATH=/usr/local/bin:/usr/bin:/bin "$@" "$ctr"
  bh commit -q --rm "$ctr" "$name" >/dev/null
}

# Each base's recipe is a function; its text is part of the base's cache key, so editing a recipe
# rebuilds that base and nothing else.
make_build_base() {
  local rootfs="$1"
  debootstrap --variant=minbase "$DEBIAN_SUITE" "$rootfs" http://deb.debian.org/debian >/dev/null
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/{doc,man,locale}
  install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib"
  cp -a "$pnpm_dir" "$rootfs/usr/local/lib/pnpm"
  ln -s ../lib/pnpm/bin/pnpm.cjs "$rootfs/usr/local/bin/pnpm"
}

runtime_packages=(libc6 libgcc-s1 libstdc++6 coreutils)
make_runtime_base() {
  local rootfs="$1" debs="$1.debs" deb
  # shellcheck disable=SC2086 # one package=version per word
  download_debs "$debs" $runtime_versions
  mkdir -p "$rootfs"
  for deb in "$debs"/*.deb; do
    case "$deb" in
      */coreutils_*) dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$rootfs" ./usr/bin/env ;;
      *) dpkg-deb -x "$deb" "$rootfs" ;;
    esac
  done
  rm -rf "$debs" "$rootfs"/usr/share/{doc,lintian,locale} "$rootfs"/usr/lib/x86_64-linux-gnu/gconv
  install -D -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/etc" "$rootfs/tmp" && chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nsteward:x:65532:65532:steward:/nonexistent:/usr/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nsteward:x:65532:\n' >"$rootfs/etc/group"
}

# Makes the base named $2 with the recipe $1 unless the image store has it already.
ensure_base() {
  local recipe="$1" name="$2"
  has_image "$name" && return 0
  echo "image: making $name ($recipe)" >&2
  scratch="$(mktemp -d "$cache/rootfs.XXXXXX")"
  "$recipe" "$scratch/root"
  commit_rootfs "$scratch/root" "$name"
  rm -rf "$scratch"
}
scratch=""
build_log=""
# Enough of a failed build's log to show the failing step and its error.
LOG_TAIL_LINES=40
on_exit() {
  local status=$?
  [ -z "$scratch" ] || rm -rf "$scratch"
  if [ "$status" -ne 0 ] && [ -n "$build_log" ]; then
    echo "image: the build failed (exit $status); the last lines of $build_log:" >&3
    tail -n "$LOG_TAIL_LINES" "$build_log" >&3
  fi
}
trap on_exit EXIT

build_base="localhost/steward-build-base:$(echo "$DEBIAN_SUITE $node_key $pnpm_version $(declare -f make_build_base)" | short_hash)"
runtime_versions="$(candidate_versions "${runtime_packages[@]}")"
runtime_base="localhost/steward-runtime-base:$(echo "$runtime_versions $node_key $(declare -f make_runtime_base)" | short_hash)"
# The build context as the Dockerfile sees it (.dockerignore applied by listing the same paths).
context_key="$(cd "$repo" && git ls-files --cached --others --exclude-standard -- \
  Dockerfile .dockerignore package.json pnpm-lock.yaml pnpm-workspace.yaml packages examples/fraud-scoring/trainer examples/fraud-scoring/model-server |
  grep -v -e '\.test\.ts$' -e '^packages/[^/]*/src/bench/' -e '^packages/[^/]*/testdata/' | sort | xargs sha256sum | short_hash)"
tag="$(echo "$build_base $runtime_base $context_key" | short_hash)"
image="localhost/steward:$tag"
archive="$cache/steward-$tag.tar"
images_kept=6
if [ ! -f "$archive" ]; then
  log="${STEWARD_IMAGE_BUILD_LOG:-$repo/.run/image-build.log}"
  mkdir -p "$(dirname "$log")"
  echo "image: building the Steward image $image (log: $log)" >&2
  started=$(date +%s)
  # From here to the end of the build, stderr (where every step's output goes) is the log; fd 3 the caller's.
  exec 3>&2 2>"$log"
  build_log="$log"
  ensure_base make_build_base "$build_base"
  ensure_base make_runtime_base "$runtime_base"
  # The store's parent: pnpm appends its layout version (v10) to --store-dir itself.
  bh bud --layers=false --network none -f "$repo/Dockerfile" -t "$image" \
    --build-arg "BUILD_BASE=$build_base" --build-arg "RUNTIME_BASE=$runtime_base" \
    --build-arg PNPM_STORE=/host-pnpm-store --build-arg PNPM_FLAGS=--offline \
    --volume "$(dirname "$(pnpm store path)"):/host-pnpm-store" "$repo" >&2
  rm -f "$archive.partial"
  bh push -q "$image" "docker-archive:$archive.partial:$image"
  mv "$archive.partial" "$archive"
  build_log=""
  exec 2>&3 3>&-
  echo "image: $image built in $(($(date +%s) - started)) s, $(du -m "$archive" | cut -f1) MiB archive" >&2
  # Clones and worktrees share the cache, each with its own image: keep the most recently used few
  # (a hit touches its archive) and drop the rest, archive and image alike. Bases stay: they change rarely.
  # shellcheck disable=SC2012 # names are ours: steward-<hex>.tar
  for old in $(ls -t "$cache"/steward-*.tar | tail -n +$((images_kept + 1))); do
    rm -f "$old"
    bh rmi -f "localhost/steward:$(basename "$old" .tar | cut -d- -f2)" >/dev/null 2>&1 || true
  done
else
  touch "$archive"
fi
echo "STEWARD_IMAGE=$image"
echo "STEWARD_IMAGE_ARCHIVE=$archive"
