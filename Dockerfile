# Node 20 LTS on Debian bookworm slim: the same Node major as development and CI, and the one
# better-sqlite3 12 supports (13 needs Node 22). glibc rather than alpine, so native modules
# behave as they do everywhere else.
ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies only, compiled here because better-sqlite3 builds from source when no
# prebuilt binary can be downloaded; the toolchain stays out of the runtime image.
FROM ${NODE_IMAGE} AS prod-deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Everything, dev dependencies included, to compile the TypeScript.
FROM prod-deps AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json openapi.yaml ./
COPY service ./service
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 forwards SIGTERM to node (so the graceful shutdown runs) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=3000 \
    SQLITE_PATH=/data/orders.sqlite
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json openapi.yaml ./
# The only writable place the app needs (for SQLite); everything else can be a read-only root.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/service/main.js"]
