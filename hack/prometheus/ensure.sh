#!/usr/bin/env bash
# Makes sure a Prometheus server binary exists and prints its path. The DriftMonitor integration
# tests call this from beforeAll (a real Prometheus answers their KPI queries). STEWARD_PROMETHEUS
# (a path to a binary) wins; then one on PATH; otherwise Debian's `prometheus` package is installed
# with apt-get (as root, as CI runs). Installing never starts a service: the tests run their own.
set -euo pipefail

if [ -n "${STEWARD_PROMETHEUS:-}" ]; then
  [ -x "$STEWARD_PROMETHEUS" ] || { echo "prometheus: STEWARD_PROMETHEUS=$STEWARD_PROMETHEUS is not executable" >&2; exit 1; }
  echo "$STEWARD_PROMETHEUS"
  exit 0
fi
if command -v prometheus >/dev/null; then
  command -v prometheus
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "prometheus: the DriftMonitor KPI tests need a Prometheus binary: install Debian's prometheus package, or set STEWARD_PROMETHEUS" >&2
  exit 1
fi
echo "prometheus: installing Debian's prometheus package (once)" >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d exit 101 tells the package scripts not to start the service they install.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  created_policy=true
fi
trap '$created_policy && rm -f "$policy"' EXIT
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends prometheus >&2
command -v prometheus
