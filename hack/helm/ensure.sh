#!/usr/bin/env bash
# Prints the path of the pinned helm (built once from hack/helm/go.mod); STEWARD_HELM (a helm binary) skips the build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${STEWARD_HELM:-}" ]; then
  [ -x "$STEWARD_HELM" ] || { echo "helm: STEWARD_HELM=$STEWARD_HELM is not executable" >&2; exit 1; }
  echo "$STEWARD_HELM"
  exit 0
fi
version="$(awk '$1 == "helm.sh/helm/v4" { print $2 }' "$here/go.mod")"
# Without the version stamp helm reports v4.3 and `helm version` hides which patch release runs.
exec "$here/../go-tool.sh" "$here" helm.sh/helm/v4/cmd/helm helm helm.sh/helm/v4 \
  -ldflags "-X helm.sh/helm/v4/internal/version.version=$version"
