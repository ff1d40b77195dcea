#!/usr/bin/env bash
# Makes sure etcd, kube-apiserver and kube-controller-manager exist for the tests.
# KUBEBUILDER_ASSETS (envtest convention) wins when set; otherwise the binaries are
# built once from the pinned Go modules here into a per-user cache keyed by version.
#
# `ensure.sh node` does the same for the end-to-end tier's node binaries (kube-scheduler, kubelet,
# kubectl) from the same pinned Kubernetes module, into their own cache folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
# The version ldflags make each binary report its real release instead of v0.0.0.
version_ldflags="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)"

if [ "${1:-}" = node ]; then
  dest="${STEWARD_CACHE:-$HOME/.cache/steward}/node/kubernetes-$KUBERNETES_VERSION"
  [ -x "$dest/kube-scheduler" ] && [ -x "$dest/kubelet" ] && [ -x "$dest/kubectl" ] && exit 0
  command -v go >/dev/null || { echo "node: building kubelet, kube-scheduler and kubectl needs Go >= 1.26 (https://go.dev/doc/install)" >&2; exit 1; }
  echo "node: building kube-scheduler, kubelet and kubectl $KUBERNETES_VERSION into $dest (once)" >&2
  tmp="$dest.partial.$$"
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp"
  # kubectl reports its client version from client-go's copy of the version variables.
  (cd "$here/kubernetes" && GOTOOLCHAIN=local go build -o "$tmp/" \
    -ldflags "$version_ldflags ${version_ldflags//component-base/client-go\/pkg}" \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl)
  rm -rf "$dest"
  mv "$tmp" "$dest"
  echo "node: ready in $dest" >&2
  exit 0
fi

if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  for bin in etcd kube-apiserver; do
    [ -x "$KUBEBUILDER_ASSETS/$bin" ] || { echo "controlplane: KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS has no executable $bin" >&2; exit 1; }
  done
  [ -x "$KUBEBUILDER_ASSETS/kube-controller-manager" ] ||
    echo "controlplane: KUBEBUILDER_ASSETS has no kube-controller-manager; tests that need garbage collection or Jobs are skipped" >&2
  exit 0
fi

dest="${STEWARD_CACHE:-$HOME/.cache/steward}/controlplane/kubernetes-$KUBERNETES_VERSION-etcd-$ETCD_VERSION"
if [ -x "$dest/etcd" ] && [ -x "$dest/kube-apiserver" ] && [ -x "$dest/kube-controller-manager" ]; then
  exit 0
fi

if ! command -v go >/dev/null; then
  cat >&2 <<MSG
controlplane: the integration tests need etcd and kube-apiserver, and neither Go nor KUBEBUILDER_ASSETS is available.
Fix it one of two ways:
  1. install Go >= 1.26 (https://go.dev/doc/install); the binaries are then built once from hack/controlplane
     and cached in $dest, or
  2. set KUBEBUILDER_ASSETS to a folder holding etcd and kube-apiserver (envtest convention, e.g. the output
     of 'setup-envtest use -p path'), plus kube-controller-manager for the garbage-collection tests.
MSG
  exit 1
fi

echo "controlplane: building Kubernetes $KUBERNETES_VERSION and etcd $ETCD_VERSION into $dest (once; a cold build takes minutes)" >&2
# Build into a scratch folder and rename, so an interrupted build never looks complete.
tmp="$dest.partial.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"
export GOTOOLCHAIN=local
(cd "$here/etcd" && go build -o "$tmp/etcd" .)
(cd "$here/kubernetes" && go build -o "$tmp/" -ldflags "$version_ldflags" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager)
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp" "$dest"
echo "controlplane: ready in $dest" >&2
