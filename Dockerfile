# socsec in production: gunicorn (socsec/gunicorn.conf.py) with production settings.
# Build:  docker build --build-arg SOCSEC_RELEASE=$(git rev-parse --short HEAD) -t socsec .
# Run:    see "Production" in README.md (environment variables, migrate, first administrator).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production \
    DJANGO_SETTINGS_MODULE=socsec.settings \
    PORT=8000

WORKDIR /app

# An unprivileged user owns nothing but var/ (SQLite and the file cache, when no DATABASE_URL/REDIS_URL;
# var/backups is where compose.yaml mounts the backups volume).
RUN groupadd --system --gid 10001 socsec \
    && useradd --system --uid 10001 --gid socsec --home-dir /app --no-create-home --shell /usr/sbin/nologin socsec

# Dependencies first: this layer is rebuilt only when requirements.txt changes. All wheels, no compiler.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY manage.py ./
COPY socsec ./socsec
COPY inquiry ./inquiry
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# Hashed, compressed (gzip and brotli) static files, served by WhiteNoise. Production settings insist on a
# secret key; this one exists only for this build step and is not kept in the image.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" ALLOWED_HOSTS=build \
        python manage.py collectstatic --noinput --verbosity 1 \
    && python -m compileall -q socsec inquiry \
    && mkdir -p /app/var/backups \
    && chown -R socsec:socsec /app/var

# Names this release in every cached page's key, so a rolling deploy never serves the old release's pages.
ARG SOCSEC_RELEASE=""
ENV SOCSEC_RELEASE=${SOCSEC_RELEASE}

USER socsec
# No EXPOSE: the port is not for publishing. gunicorn listens on 127.0.0.1 unless GUNICORN_BIND says
# otherwise (compose.yaml sets 0.0.0.0:8000 on its internal network, where only nginx reaches it).

# /healthz answers 200 when the database answers (503 when it does not), over plain HTTP by IP address.
HEALTHCHECK --interval=30s --timeout=6s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=5)"]

CMD ["gunicorn", "--config", "socsec/gunicorn.conf.py"]
