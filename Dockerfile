# syntax=docker/dockerfile:1
# The production image (README "Containers", docs/operations.md#the-build). Two stages:
# - build: every dependency (TypeScript, vite included), `npm ci` builds dist/ (`prepare`) and console/dist;
# - runtime: production dependencies only (no tsx, no TypeScript), dist/ and the files it reads at run time
#   (schema/ for /openapi.yaml, docs/ for /docs), no src/. Runs as the unprivileged `node` user under tini, so
#   that SIGTERM reaches Node (the drain: docs/operations.md#readiness-and-drain) and zombies are reaped.
# Where no container engine can run, test/smoke/production-install.sh performs these same steps (CI does).
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts scripts
COPY src src
COPY console console
# --ignore-scripts would skip the dependency patch (postinstall) and the build (prepare, scripts/build.mjs): both
# must run. The build checks no types: CI's `npm run check` does.
RUN npm ci --no-audit --no-fund && test -f dist/main/main.js && test -f console/dist/index.html

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
# MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_: see docs/operations.md#memory-allocator.
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/kosher-catalog \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts scripts
COPY src/platform/db/patches src/platform/db/patches
COPY --from=build /app/dist dist
# The console's bundle (postinstall, scripts/build-console.mjs); vite is not in the runtime stage.
COPY --from=build /app/console/dist console/dist
# Production dependencies only (the patch is applied again); prepare finds no TypeScript and keeps dist/.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force && rm -rf src
COPY schema schema
COPY docs docs
RUN mkdir -p /var/lib/kosher-catalog && chown node:node /var/lib/kosher-catalog
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"
# tini as PID 1 forwards SIGTERM to Node; `npm start` is not used here (npm does not pass signals on reliably).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "scripts/run.mjs", "main/main"]
