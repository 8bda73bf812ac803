# The Arrears engine. Build: docker build -t arrears .
# Everything is compiled here, at image build time: the container starts the built engine
# (node dist/src/main.js) with no npm and no compiler. It runs as the non-root user `node`;
# /app/data (the keys file, and the SQLite files on the embedded default) is a volume that
# user owns, and HEALTHCHECK asks GET /health with node's own fetch (the image has no curl).
# test/deploy/deployment-files.spec.ts checks these properties.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm ci runs `prepare` (scripts/build-if-stale.mjs): with no sources copied yet it builds nothing.
COPY scripts/build-if-stale.mjs ./scripts/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.web.json ./
COPY src ./src
COPY bench ./bench
COPY web ./web
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/public ./web/public
COPY package.json ./
# A named volume mounted here starts with this folder's owner, so the engine can write to it.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=64", "dist/src/main.js"]
