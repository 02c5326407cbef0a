# hookgate's production image (see README, "Production image"):
#   docker build -t hookgate .
#   docker run -p 3000:3000 -v hookgate-data:/app/data \
#     -e AUTH_JWT_SECRET=... -e HOOKGATE_ENCRYPTION_KEY=... hookgate
# Only the paths named below enter the image; .dockerignore keeps data/, secrets and builds out of
# the context as well.

# --- build: every dependency (TypeScript), then dist/
FROM node:20-bookworm-slim AS build
# sqlite3 compiles from source when no prebuilt binary can be fetched
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY plugins ./plugins
COPY bench ./bench
COPY scripts ./scripts
# the console's wire types are generated from the committed OpenAPI document
COPY openapi/openapi.json ./openapi/
RUN npm run build

# --- run: production dependencies and the build, as the unprivileged `node` user
FROM node:20-bookworm-slim AS run
ENV NODE_ENV=production \
    DATABASE_URL=sqlite:///app/data/hookgate.sqlite \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# One layer: the compiler toolchain sqlite3 needs is gone again before the layer is written.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
 && npm ci --omit=dev && npm cache clean --force \
 && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/dist ./dist
COPY bin ./bin
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
