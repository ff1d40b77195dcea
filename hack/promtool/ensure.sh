#!/usr/bin/env bash
# Prints the path of promtool, which Debian's `prometheus` package ships beside prometheus. STEWARD_PROMTOOL wins,
# then a promtool on PATH; otherwise hack/prometheus/ensure.sh provides the package and promtool is its neighbour.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if [ -n "${STEWARD_PROMTOOL:-}" ]; then
  [ -x "$STEWARD_PROMTOOL" ] || { echo "promtool: STEWARD_PROMTOOL=$STEWARD_PROMTOOL is not executable" >&2; exit 1; }
  echo "$STEWARD_PROMTOOL"
  exit 0
fi
if command -v promtool >/dev/null; then
  command -v promtool
  exit 0
fi
prometheus="$("$here/../prometheus/ensure.sh")"
promtool="$(dirname "$prometheus")/promtool"
[ -x "$promtool" ] || { echo "promtool: no promtool beside $prometheus; install Prometheus' promtool or set STEWARD_PROMTOOL" >&2; exit 1; }
echo "$promtool"
