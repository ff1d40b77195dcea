#!/usr/bin/env bash
# Prints the path of kubectl built from the pinned Kubernetes module (building it once), for
# `make demo`'s kubectl line: no kubectl needs to be installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../controlplane/versions.env
source "$here/../controlplane/versions.env"
"$here/../controlplane/ensure.sh" node
echo "${STEWARD_CACHE:-$HOME/.cache/steward}/node/kubernetes-$KUBERNETES_VERSION/kubectl"
