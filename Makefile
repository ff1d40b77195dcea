# Every target works on a fresh clone: `setup` provisions the toolchain and dependencies,
# `controlplane` the Kubernetes binaries; the targets that need them depend on them.

NODE_VERSION := 24.21.0
PNPM_VERSION := 10.34.9
TOOLS_DIR    := $(CURDIR)/.tools
# Control-plane binaries outlive the clone (CI clones afresh), so they are cached per user.
STEWARD_CACHE ?= $(HOME)/.cache/steward

export PATH := $(TOOLS_DIR)/bin:$(PATH)
export STEWARD_CACHE

NODE_CHECK := node --disable-warning=ExperimentalWarning test/harness/node/can-host-cli.ts
TOOLCHAIN := NODE_VERSION=$(NODE_VERSION) PNPM_VERSION=$(PNPM_VERSION) TOOLS_DIR=$(TOOLS_DIR) hack/toolchain.sh
# The file the control-plane script writes: the folder holding etcd, kube-apiserver, kube-controller-manager.
CONTROLPLANE_ENV := .run/controlplane.env

.PHONY: setup build test test-unit test-integration test-e2e demo crds bench lint format clean clean-tools controlplane node image chart-tools

setup:
	@$(TOOLCHAIN)
	@pnpm install --frozen-lockfile --prefer-offline --reporter=silent

build: setup
	pnpm run build

# The end-to-end tier needs a machine that can host a node (root, cgroups, overlayfs) or an
# existing cluster; elsewhere `make test` says exactly why it skips it (and fails instead when
# STEWARD_REQUIRE_E2E=true, as CI sets: there the tier must run).
test: test-unit test-integration
	@if [ "$${USE_EXISTING_CLUSTER:-}" = true ] || reason="$$($(NODE_CHECK))"; then \
	  $(MAKE) --no-print-directory test-e2e; \
	elif [ "$${STEWARD_REQUIRE_E2E:-}" = true ]; then \
	  echo "make test: STEWARD_REQUIRE_E2E=true but this machine cannot host the e2e node: $$reason" >&2; exit 1; \
	else \
	  echo "make test: skipped the end-to-end tier (make test-e2e): $$reason"; \
	fi

test-unit: setup
	pnpm exec vitest run --project unit

controlplane:
	@hack/controlplane/ensure.sh

# kube-scheduler, kubelet, kubectl, containerd, runc, the CNI plugins and the pause image, cached.
node: setup controlplane
	@hack/node/ensure.sh

# The Steward image from ./Dockerfile, built offline with buildah; prints its name and archive.
image: setup
	@hack/node/image.sh

# A control plane plus a real node running the Steward image (the global setup provisions both).
test-e2e: setup controlplane
	pnpm exec vitest run --project e2e

# The chart tests' tools, pinned and cached under $(STEWARD_CACHE) like the control plane: helm and luahealth
# (Argo CD's Lua engine) built from their Go modules in hack/, promtool from Debian's prometheus package, the
# prometheus-operator CRDs from its Go module. Provided before the suites start, so no test waits for a build.
chart-tools:
	@hack/helm/ensure.sh >/dev/null
	@hack/lua/ensure.sh >/dev/null
	@hack/promtool/ensure.sh >/dev/null
	@hack/prometheus-operator/crds.sh >/dev/null

test-integration: setup controlplane chart-tools
	pnpm exec vitest run --project integration

demo: setup controlplane
	node --disable-warning=ExperimentalWarning test/demo.ts

crds: setup
	pnpm --filter @steward/api run crds

# Each package with benchmarks has a `bench` script; they run one after another so
# their timings do not disturb each other.
bench: setup controlplane
	@hack/bench-deps.sh
	pnpm -r --workspace-concurrency=1 --if-present run bench

lint: setup
	pnpm exec biome check --error-on-warnings .
	pnpm exec tsc -b

format: setup
	pnpm exec biome check --write .

clean:
	rm -rf .run packages/*/dist test/dist packages/*/tsconfig.tsbuildinfo test/tsconfig.tsbuildinfo

clean-tools: clean
	rm -rf .tools node_modules packages/*/node_modules test/node_modules
