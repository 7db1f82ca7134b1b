# One image for both processes; docker-compose.yml picks the command (bot, worker, migrate).
# Node 24 is the current LTS (Node 20 reached end of life in April 2026); development machines may still run 20.19+.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
# The prune leaves out the development dependencies, PGlite (the demo's and tests' embedded PostgreSQL) among them.
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production TZ=Europe/Moscow
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/generated ./generated
COPY --from=build /app/cabinet/dist ./cabinet/dist
COPY package.json ./
COPY locales ./locales
COPY prisma ./prisma
COPY data ./data
# The data volume starts from this folder, so it must belong to the user the processes run as.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/bot/main.js"]
