# syntax=docker/dockerfile:1
# Build stage: install the project and its dependencies into a virtualenv.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY app ./app
COPY classifiers ./classifiers
COPY migrations ./migrations
RUN /opt/venv/bin/pip install .

# Runtime stage: the virtualenv and the migrations, run as an unprivileged user.
FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 UPPSIKT_DATABASE_URL=sqlite:////data/uppsikt.db
RUN useradd --system --uid 10001 --home-dir /srv uppsikt && mkdir -p /data && chown uppsikt /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src/migrations /opt/venv/lib/python3.11/site-packages/migrations
WORKDIR /srv
USER uppsikt
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["sh", "-c", "uppsikt migrate && exec uppsikt serve --host 0.0.0.0 --port 8000"]
