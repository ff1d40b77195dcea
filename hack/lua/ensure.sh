#!/usr/bin/env bash
# Prints the path of luahealth (hack/lua: Argo CD's Lua engine, gopher-lua, running health checks against
# their fixtures), built once into the per-user cache.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/../go-tool.sh" "$here" . luahealth github.com/yuin/gopher-lua
