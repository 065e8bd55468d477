# syntax=docker/dockerfile:1

# ---- build: compile TypeScript, then drop dev dependencies -------------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
# Node 24 comes with the image; the `node` dev dependency (Node 24 for machines whose system Node is older) is
# installed for the build and pruned with the other dev dependencies. Older npm versions ignore package.json's
# allowScripts; this keeps the one telemetry install script (under the Spectral test linter) quiet there too.
ENV SCARF_ANALYTICS=false
# Manifests first, so the dependency layer is reused while only sources change.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled code and production dependencies only, as the unprivileged `node` user ---------
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Code stays root-owned (read-only for the service); only the embedded database directory is writable.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 8002
# Liveness only (no dependencies); docker-compose checks readiness (database) itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8002) + '/api/crew/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same runtime flags as npm start (README: runtime flags).
CMD ["node", "--max-semi-space-size=32", "dist/src/main.js"]
