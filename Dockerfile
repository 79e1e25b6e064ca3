# mtsim in a container (docker build ., or buildah bud): `mtsim` is the entrypoint, the user is
# the node image's non-root `node` (uid 1000), the app lives in /app. Two targets:
#   docker build -t mtsim:0.1.0 .                        the load generator, simulator and coordinator
#   docker build --target kannel -t mtsim:0.1.0-kannel .  the same with Kannel (mtsim gateway kannel)
# Without a registry or a Docker daemon, deploy/build-image.sh builds the same image with buildah
# from scratch. mtsim k8s writes the Kubernetes objects that run these images.

FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY capacity ./capacity
COPY lib ./lib
COPY config ./config
COPY smpp ./smpp
COPY simulator ./simulator
COPY loadgen ./loadgen
COPY results ./results
COPY run ./run
COPY reports ./reports
COPY gateways ./gateways
COPY scenarios ./scenarios
COPY cli ./cli
COPY bench ./bench
COPY deploy ./deploy
COPY types ./types
RUN npm run build && rm -rf dist/bench && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/scenarios ./scenarios

# Kannel for `mtsim gateway kannel` (bearerbox and smsbox in /usr/sbin, where mtsim looks).
FROM runtime AS kannel
RUN apt-get update \
 && apt-get install -y --no-install-recommends kannel \
 && rm -rf /var/lib/apt/lists/*
USER node
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["--help"]

# The default target (last): no Kannel.
FROM runtime AS mtsim
USER node
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["--help"]
