// luahealth: runs the Argo CD health checks in charts/steward/argocd against their fixtures with the Lua
// engine Argo CD embeds (hack/lua/ensure.sh builds it).
module steward.dev/hack/lua

go 1.26.0

require (
	github.com/yuin/gopher-lua v1.1.2
	sigs.k8s.io/yaml v1.6.0
)

require go.yaml.in/yaml/v2 v2.4.2 // indirect
