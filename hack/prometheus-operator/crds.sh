#!/usr/bin/env bash
# Prints the folder holding the pinned prometheus-operator's CRDs, downloading the module (through the Go module
# proxy, into the Go module cache) on first use. STEWARD_MONITORING_CRDS (a folder of CRD YAML) skips Go.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -n "${STEWARD_MONITORING_CRDS:-}" ]; then
  [ -d "$STEWARD_MONITORING_CRDS" ] || { echo "prometheus-operator: STEWARD_MONITORING_CRDS=$STEWARD_MONITORING_CRDS is not a folder" >&2; exit 1; }
  echo "$STEWARD_MONITORING_CRDS"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "prometheus-operator: the chart tests need Go >= 1.26 to fetch the monitoring CRDs, or STEWARD_MONITORING_CRDS" >&2
  exit 1
fi
dir="$(cd "$here" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json github.com/prometheus-operator/prometheus-operator | awk -F'"' '$2 == "Dir" { print $4 }')"
echo "$dir/example/prometheus-operator-crd"
