# Every target works on a fresh clone: `setup` provisions the toolchain and dependencies,
# `controlplane` the Kubernetes binaries; the targets that need them depend on them.

NODE_VERSION := 24.21.0
PNPM_VERSION := 10.34.9
TOOLS_DIR    := $(CURDIR)/.tools
# Control-plane binaries outlive the clone (CI clones afresh), so they are cached per user.
STEWARD_CACHE ?= $(HOME)/.cache/steward

export PATH := $(TOOLS_DIR)/bin:$(PATH)
export STEWARD_CACHE

TOOLCHAIN := NODE_VERSION=$(NODE_VERSION) PNPM_VERSION=$(PNPM_VERSION) TOOLS_DIR=$(TOOLS_DIR) hack/toolchain.sh
# The file the control-plane script writes: the folder holding etcd, kube-apiserver, kube-controller-manager.
CONTROLPLANE_ENV := .run/controlplane.env

.PHONY: setup build test test-unit test-integration demo crds bench lint format clean clean-tools controlplane

setup:
	@$(TOOLCHAIN)
	@pnpm install --frozen-lockfile --prefer-offline --reporter=silent

build: setup
	pnpm run build

test: test-unit test-integration

test-unit: setup
	pnpm exec vitest run --project unit

controlplane:
	@hack/controlplane/ensure.sh

test-integration: setup controlplane
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
	pnpm exec biome check .
	pnpm exec tsc -b

format: setup
	pnpm exec biome check --write .

clean:
	rm -rf .run packages/*/dist test/dist packages/*/tsconfig.tsbuildinfo test/tsconfig.tsbuildinfo

clean-tools: clean
	rm -rf .tools node_modules packages/*/node_modules test/node_modules
