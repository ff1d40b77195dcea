#!/usr/bin/env bash
# Makes sure everything the end-to-end node runs exists, each piece cached under $STEWARD_CACHE
# keyed by its version, nothing installed system-wide except missing tools from Debian:
#   - kube-scheduler, kubelet, kubectl: built from the pinned Kubernetes module (hack/controlplane);
#   - containerd, containerd-shim-runc-v2, runc, the CNI plugins: the Debian packages pinned in
#     versions.env, unpacked (not installed) into the cache;
#   - the pod sandbox image, built from hack/node/pause with Go and saved as a docker-archive.
# Prints (stdout) one KEY=path line per location, for the test harness.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
# shellcheck source=../controlplane/versions.env
source "$here/../controlplane/versions.env"
# shellcheck source=lib.sh
source "$here/lib.sh"
cache="${STEWARD_CACHE:-$HOME/.cache/steward}/node"
mkdir -p "$cache"

"$here/../controlplane/ensure.sh" node

runtime="$cache/debian-containerd-$CONTAINERD_DEB-runc-$RUNC_DEB-cni-$CNI_PLUGINS_DEB"
if [ ! -x "$runtime/usr/bin/containerd" ]; then
  need_commands apt-get:apt dpkg-deb:dpkg
  echo "node: unpacking containerd $CONTAINERD_DEB, runc $RUNC_DEB, CNI plugins $CNI_PLUGINS_DEB into $runtime" >&2
  tmp="$runtime.partial.$$"
  trap 'rm -rf "$tmp"' EXIT
  download_debs "$tmp/debs" "containerd=$CONTAINERD_DEB" "runc=$RUNC_DEB" "containernetworking-plugins=$CNI_PLUGINS_DEB"
  for deb in "$tmp"/debs/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
  mv "$tmp/root" "$runtime"
  rm -rf "$tmp"
fi

# Tools the node's host processes call: iptables (kubelet, CNI), mount/ip (teardown), openssl (the
# node's certificates), ctr comes with containerd, buildah builds the pause image.
need_commands iptables:iptables ip:iproute2 openssl:openssl buildah:buildah

pause_key="$(cat "$here/pause/main.go" "$here/pause/go.mod" <(go version) | short_hash)"
pause_image="localhost/steward-pause:$pause_key"
pause_archive="$cache/pause-$pause_key.tar"
if [ ! -f "$pause_archive" ]; then
  echo "node: building the pod sandbox image $pause_image" >&2
  tmp="$(mktemp -d "$cache/pause.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  # Static, so the image needs nothing but this one file.
  CGO_ENABLED=0 GOTOOLCHAIN=local go build -C "$here/pause" -ldflags='-s -w' -o "$tmp/rootfs/pause" .
  bh() { buildah --root "$tmp/storage" --runroot "$tmp/runroot" --storage-driver vfs "$@"; }
  ctr="$(bh from scratch)"
  bh copy "$ctr" "$tmp/rootfs/pause" /pause >/dev/null
  bh config --entrypoint '["/pause"]' "$ctr"
  bh commit -q --rm "$ctr" "$pause_image" >/dev/null
  bh push -q "$pause_image" "docker-archive:$tmp/pause.tar:$pause_image"
  mv "$tmp/pause.tar" "$pause_archive"
  bh rmi -a -f >/dev/null
  rm -rf "$tmp"
fi

echo "NODE_BIN_DIR=${STEWARD_CACHE:-$HOME/.cache/steward}/node/kubernetes-$KUBERNETES_VERSION"
echo "NODE_RUNTIME_DIR=$runtime"
echo "PAUSE_IMAGE=$pause_image"
echo "PAUSE_IMAGE_ARCHIVE=$pause_archive"
