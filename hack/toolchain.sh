#!/usr/bin/env bash
# Prints the folder whose node/pnpm every Makefile target uses, provisioning a pinned
# Node and pnpm into the project-local tools folder when the system's Node is too old
# for @kubernetes/client-node 2.x (needs >= 22.19). Idempotent: a second run only checks.
set -euo pipefail

NODE_VERSION="${NODE_VERSION:?}"
PNPM_VERSION="${PNPM_VERSION:?}"
TOOLS_DIR="${TOOLS_DIR:?}"
BIN="$TOOLS_DIR/bin"
mkdir -p "$BIN"

node_is_recent() {
  "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 19) ? 0 : 1)' 2>/dev/null
}

if [ ! -x "$BIN/node" ]; then
  if command -v node >/dev/null && node_is_recent "$(command -v node)"; then
    ln -sf "$(command -v node)" "$BIN/node"
  else
    echo "toolchain: system Node is missing or older than 22.19; provisioning Node $NODE_VERSION into $TOOLS_DIR" >&2
    command -v npm >/dev/null || { echo "toolchain: npm is needed once to fetch Node $NODE_VERSION from the registry" >&2; exit 1; }
    npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/node-$NODE_VERSION" "node@$NODE_VERSION" >&2
    ln -sf "$TOOLS_DIR/node-$NODE_VERSION/node_modules/node/bin/node" "$BIN/node"
  fi
fi
node_is_recent "$BIN/node" || { echo "toolchain: $BIN/node is not Node >= 22.19; run 'make clean-tools'" >&2; exit 1; }

if [ "$("$BIN/pnpm" --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "toolchain: provisioning pnpm $PNPM_VERSION into $TOOLS_DIR" >&2
  PATH="$BIN:$PATH" npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/pnpm-$PNPM_VERSION" "pnpm@$PNPM_VERSION" >&2
  ln -sf "$TOOLS_DIR/pnpm-$PNPM_VERSION/node_modules/pnpm/bin/pnpm.cjs" "$BIN/pnpm"
fi
