# The Steward image: the whole workspace's `steward` command (operator and job entry points) on
# Node 24. One image serves the operator Deployment and the CronJobs/Jobs it creates.
#
#   docker build -t steward .        (or: podman build / buildah bud)
#
# Without a registry, hack/node/image.sh makes both bases from Debian packages and passes them in
# (BUILD_BASE, RUNTIME_BASE) together with the host's pnpm store (PNPM_STORE, PNPM_FLAGS=--offline).
ARG BUILD_BASE=docker.io/library/node:24.21.0-bookworm-slim
ARG RUNTIME_BASE=docker.io/library/node:24.21.0-bookworm-slim

FROM ${BUILD_BASE} AS build
ARG PNPM_VERSION=10.34.9
ARG PNPM_STORE=/pnpm-store
ARG PNPM_FLAGS=
# The node image has npm; the offline build base ships pnpm already.
RUN command -v pnpm >/dev/null || npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}"
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/ packages/
# The fraud-scoring example's trainer, validator and model server (a few kB on the CLI's own dependencies),
# so the example RetrainPipeline's Jobs and the example ModelDeployment's pods run on this image:
#   node /app/examples/fraud-scoring/trainer/src/train.ts        (and validate.ts)
#   node /app/examples/fraud-scoring/model-server/src/main.ts    (MODEL_URI names the artefact)
COPY examples/fraud-scoring/trainer/ examples/fraud-scoring/trainer/
COPY examples/fraud-scoring/model-server/ examples/fraud-scoring/model-server/
# Production dependencies of the CLI, the example trainer and model server and the workspace packages they
# import, nothing else. Copies (not hard links) so the stage owns its files whatever filesystem the store is on.
RUN --mount=type=cache,id=steward-pnpm-store,target=/pnpm-store \
    pnpm install --frozen-lockfile --prod --filter "@steward/cli..." \
      --filter "@steward/example-fraud-trainer..." --filter "@steward/example-fraud-model-server..." \
      --store-dir "${PNPM_STORE}" --package-import-method=copy ${PNPM_FLAGS}

FROM ${RUNTIME_BASE}
ENV NODE_ENV=production
# Workspace packages stay outside node_modules: Node strips TypeScript types only there.
COPY --from=build /app /app
# Entry point `steward` on PATH, so a Job can also say `command: [steward, ...]`: the CLI package's
# own bin entry, linked with Node because the runtime base may have no shell.
RUN ["/usr/local/bin/node", "-e", "const cli = '/app/packages/cli'; require('node:fs').symlinkSync(require('node:path').resolve(cli, require(cli + '/package.json').bin.steward), '/usr/local/bin/steward')"]
# Any non-root numeric user works (runAsNonRoot can verify a number); nothing is written to the root filesystem.
USER 65532:65532
WORKDIR /app
ENTRYPOINT ["steward"]
CMD ["--help"]
