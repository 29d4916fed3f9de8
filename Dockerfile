# Node 22 LTS on Debian bookworm slim. Node 20's upstream support ended in April 2026, so the image
# production runs is on the supported LTS line, while development and CI may still use Node 20.19+
# (package.json engines): the service is plain compiled JavaScript, and better-sqlite3 12 supports
# both (the container test builds and runs this image, so Node 22 is exercised in CI). glibc rather
# than alpine, so native modules behave as they do everywhere else. Pinned by tag; the tag moves
# with Node 22 and Debian security patches, so rebuilding picks them up.
ARG NODE_IMAGE=node:22-bookworm-slim

# Production dependencies only (npm ci --omit=dev): what the runtime stage copies. better-sqlite3
# compiles from source when its prebuilt binary cannot be downloaded, so this stage has the
# toolchain; the runtime image never does.
FROM ${NODE_IMAGE} AS prod-deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp compiles against the headers shipped in the node image instead of downloading them.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
COPY package.json package-lock.json ./
# Install, then drop what nothing loads at run time: better-sqlite3's compiler output and SQLite
# sources (only build/Release/better_sqlite3.node is used), and the declaration-only @types
# packages that express-openapi-validator lists as dependencies.
RUN npm ci --omit=dev --no-audit --no-fund \
 && find node_modules/better-sqlite3/build -mindepth 1 ! -path '*/build/Release' ! -path '*/build/Release/better_sqlite3.node' -delete \
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src node_modules/@types node_modules/undici-types \
 && npm cache clean --force

# Every dependency, dev ones included, to compile the TypeScript. tsc needs no native addon, so
# install scripts are skipped: better-sqlite3 is compiled once, above, and nothing here ships.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY service ./service
RUN npm run build
# The Amazon RDS CA certificates as one PEM file, so that DB_SSL=verify-full can check Aurora's
# certificate and host name (DB_SSL_CA_PATH=/app/certs/aws-rds-ca.pem; the CDK app sets both).
COPY scripts/write-rds-ca-bundle.mjs ./scripts/
RUN node scripts/write-rds-ca-bundle.mjs certs/aws-rds-ca.pem

FROM ${NODE_IMAGE} AS runtime
# tini forwards SIGTERM to node (so the graceful shutdown runs) and reaps zombies. -s keeps that
# working under another init (compose `init: true`, ECS initProcessEnabled) instead of warning.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3000 \
    SQLITE_PATH=/data/orders.sqlite
WORKDIR /app
# Owned by root and not writable by the app: the process cannot alter its own code.
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist/service ./dist/service
COPY --from=build --chown=root:root /app/certs ./certs
COPY --chown=root:root package.json openapi.yaml asyncapi.yaml ./
# The only place the app writes (the SQLite file and its WAL), so the root filesystem can be
# read-only (docker run --read-only, ECS readonlyRootFilesystem).
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
# Slim images have no curl: the probe is node's own fetch.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(2500) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "-s", "--"]
# A 4 MB young generation (node's default grows it to 16 MB) keeps a task's peak memory under
# load about 30 MB lower for a few percent of throughput (docs/performance.md).
CMD ["node", "--max-semi-space-size=4", "dist/service/main.js"]
