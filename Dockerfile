# dealbot: slim Python, no compilers (every compiled dependency ships a wheel), non-root.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEALBOT_CONFIG=/config/feeds.yaml

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install . && rm -rf /src

RUN useradd --create-home --uid 1000 --user-group dealbot \
    && mkdir -p /config/storage && chown -R dealbot:dealbot /config
USER dealbot
# feeds.yaml is mounted at /config/feeds.yaml and the data folder at /config/storage
# (see docker-compose.yml); /config itself holds only the edit lock and feeds.yaml.bak.
WORKDIR /config

HEALTHCHECK --interval=60s --timeout=10s --start-period=2m --retries=3 \
    CMD ["dealbot", "health", "--max-age", "5m"]
ENTRYPOINT ["dealbot"]
CMD ["run"]
