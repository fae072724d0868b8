# syntax=docker/dockerfile:1
# The bot: Node.js 22 LTS on Debian slim, ffmpeg, a current yt-dlp (with Deno, the JavaScript
# runtime yt-dlp needs for YouTube since 2025.11) in a venv the bot's user owns (so it can
# update it: YTDLP_AUTO_UPDATE=1), tini as PID 1, a non-root user, /data as the volume.
# See docs/operations.md.
#
#   docker build -t music-bot .
#   docker build --build-arg YTDLP_REFRESH=$(date +%F) -t music-bot .   # force a new yt-dlp
#
# yt-dlp and Deno are fetched when the image is built (PyPI and Docker Hub): building needs
# the internet, running does not need more than Telegram, Spotify and the music sites.

# Base images pinned by full version tag and digest (the multi-architecture index, so amd64
# and arm64 builds both resolve from it): a rebuild gets the same Node.js and Deno. The tag
# says what the digest is; to move to a newer patch release change both, taking the digest
# from `docker buildx imagetools inspect node:<tag>` (or the Docker Hub page of the tag).
ARG NODE_IMAGE=node:22.22.2-bookworm-slim@sha256:9f6d5975c7dca860947d3915877f85607946403fc55349f39b4bc3688448bb6e
# The Deno binary (glibc build) comes from the official image.
ARG DENO_IMAGE=denoland/deno:bin-2.9.5@sha256:0d1262facd139e815217c001945eb822c7a78584cf660142c34a6b53effec1aa

FROM ${DENO_IMAGE} AS deno

FROM ${NODE_IMAGE} AS app

ENV NODE_ENV=production \
    DATA_DIR=/data \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    YTDLP_PATH=/opt/yt-dlp/bin/yt-dlp \
    FFMPEG_PATH=/usr/bin/ffmpeg

RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg python3 python3-venv ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*

COPY --from=deno /deno /usr/local/bin/deno

# yt-dlp in its own virtualenv (Debian forbids pip into the system Python), created and
# filled by the bot's user `node`, who owns it: with YTDLP_AUTO_UPDATE=1 the running bot
# updates it in place (`/opt/yt-dlp/bin/python -m pip install -U "yt-dlp[default]"`) without
# root. Nothing else in the image is writable by `node` except /data. "[default]" brings
# yt-dlp-ejs, the scripts it runs in Deno for YouTube. Change YTDLP_REFRESH (or build with
# --no-cache) to get the newest release: YouTube breaks old versions every few weeks.
ARG YTDLP_VERSION=
ARG YTDLP_REFRESH=
RUN install -d -o node -g node -m 755 /opt/yt-dlp
USER node
RUN python3 -m venv /opt/yt-dlp \
 && /opt/yt-dlp/bin/python -m pip install --no-cache-dir --disable-pip-version-check --upgrade "yt-dlp[default]${YTDLP_VERSION:+==$YTDLP_VERSION}" \
 && /opt/yt-dlp/bin/yt-dlp --version
USER root
# On PATH too, for `docker compose exec bot yt-dlp --version`; the bot uses YTDLP_PATH above.
RUN ln -s /opt/yt-dlp/bin/yt-dlp /usr/local/bin/yt-dlp \
 && yt-dlp --version && deno --version && ffmpeg -hide_banner -version | head -n 1

WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# tsx runs the TypeScript sources (there is no build step), so it must be a dependency.
# package.json's "allowScripts" names the dependencies whose install scripts may run
# (classic-level's native binding, esbuild's binary for tsx): npm 11 skips any other; the
# image's npm 10 knows no such list and runs them all (today the same two).
RUN npm ci --omit=dev \
 && { test -f node_modules/tsx/package.json \
      || { echo 'tsx is missing: it must be in "dependencies" of package.json (npm start runs it)' >&2; exit 1; }; }
COPY tsconfig.json ./
COPY eventlog ./eventlog
COPY machines ./machines
COPY src ./src

RUN mkdir -p /data && chown node:node /data && chmod 700 /data
VOLUME ["/data"]
USER node

EXPOSE 8080
# /healthz on the container's own port; HTTP_HOST=0.0.0.0 above makes 127.0.0.1 reachable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# tini reaps the yt-dlp/ffmpeg children and passes SIGTERM on; node runs main.ts directly (no
# npm in between) so the bot's graceful stop gets the signal. Give it 30 s: docker stop -t 30.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "src/main.ts"]
