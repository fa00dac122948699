# One image for both processes: docker-compose.yml picks the API or worker command per service.
# Debian (glibc), not Alpine: @temporalio/worker's native core-bridge is built for glibc.
FROM node:20.19.5-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies are left out: the runtime transpiles with @swc-node/register, @swc/core and
# tsconfig-paths (all dependencies), and the typescript it requires is kept as its peer.
# The image's npm 10 ignores package.json "allowScripts" (npm 11.19's `npm ci` rejects this
# lockfile, which lacks other platforms' optional binaries), so install with scripts off and
# then run only the ones that policy approves.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && approved="$(node -p "Object.entries(require('./package.json').allowScripts || {}).filter(([, ok]) => ok).map(([name]) => name).join(' ')")" \
 && if [ -n "$approved" ]; then npm rebuild $approved; fi \
 && npm cache clean --force

FROM node:20.19.5-bookworm-slim
ENV NODE_ENV=production
# The API binds loopback by default; inside a container only every interface reaches the published port.
ENV API_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# The apps run from TypeScript source: tools/register.js reads tsconfig.json for the lib aliases,
# and the worker bundles workflows/ when it starts.
COPY package.json tsconfig.json ./
COPY tools ./tools
COPY libs ./libs
COPY workflows ./workflows
COPY apps ./apps
# The anchors folder exists in the image, owned by the app user, so the named volume compose
# mounts there starts out writable by it.
RUN mkdir -p /var/lib/opsloop/anchors && chown -R node:node /var/lib/opsloop
# The base image's unprivileged user. The app writes only to /tmp (swc's transform cache) and the anchors folder.
USER node
EXPOSE 3000
# No HEALTHCHECK here: the worker has no HTTP port; compose checks the API's /health/ready.
CMD ["node", "-r", "./tools/register.js", "apps/api/src/main.ts"]
