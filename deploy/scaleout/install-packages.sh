#!/usr/bin/env bash
# Packages the scale-out setups need (docs/scale-out.md), installed only when missing:
#   Debian: postgresql (metadata database), redis-server (Celery broker)  -- needs root
#   PyPI:   deploy/scaleout/requirements.txt into .venv (PostgreSQL driver; with CELERY=1 also
#           deploy/scaleout/requirements-celery.txt: the Celery provider, celery, redis)
# PyPI packages are installed with the lock (requirements.txt) as constraints: if one of them
# needed a different version of a package the lock pins, uv fails here instead of silently
# changing the lock's package (see the note in requirements-celery.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=.venv/bin

missing=()
command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ "${CELERY:-0}" = 1 ]; then command -v redis-server >/dev/null || missing+=(redis-server); fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "need Debian packages ${missing[*]}: run as root, or apt-get install them" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

$BIN/python -c "import psycopg2, asyncpg" 2>/dev/null \
    || $BIN/uv pip install --quiet --python $BIN/python -c requirements.txt \
        -r deploy/scaleout/requirements.txt
if [ "${CELERY:-0}" = 1 ]; then
    $BIN/python -c "import airflow.providers.celery, celery, redis" 2>/dev/null \
        || $BIN/uv pip install --quiet --python $BIN/python -c requirements.txt \
            -r deploy/scaleout/requirements-celery.txt
fi
