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

RUN useradd --create-home --uid 1000 --user-group dealbot
USER dealbot
# The folder that holds feeds.yaml (and storage/) is mounted here.
WORKDIR /config
VOLUME ["/config"]

HEALTHCHECK --interval=60s --timeout=10s --start-period=2m --retries=3 \
    CMD ["dealbot", "health", "--max-age", "5m"]
ENTRYPOINT ["dealbot"]
CMD ["run"]
