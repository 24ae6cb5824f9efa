# syntax=docker/dockerfile:1
# Multi-stage: compile TypeScript in a build stage, ship only the compiled
# code and production dependencies. The embedded Postgres (an optional
# dependency) is left out: a container runs against a real server.

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=optional --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
RUN npm run build

FROM node:24-slim
WORKDIR /app
# No embedded database in a container: without DATABASE_URL it stops with a
# clear message instead of running on a throwaway database.
ENV EMBEDDED_POSTGRES=off \
    PORT=8080 \
    HOST=0.0.0.0
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN chmod +x dist/src/cli.js && ln -s /app/dist/src/cli.js /usr/local/bin/pod-bridge
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["pod-bridge", "start"]
