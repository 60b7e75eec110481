#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback for Airflow's metadata (tests, make targets).
#   deploy/scaleout/postgres.sh start DIR PORT   -> prints the SQLAlchemy URL on stdout
#   deploy/scaleout/postgres.sh stop DIR
# As root the cluster runs as the 'postgres' user (PostgreSQL refuses to run as root).
# Authentication is 'trust' on 127.0.0.1 only: for a disposable local cluster, never production.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?cluster folder}; port=${3:-5433}
pgbin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || command -v initdb)")
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
        as_owner "$pgbin/initdb" -D "$dir" -U airflow --auth=trust -E UTF8 >/dev/null
    fi
    as_owner "$pgbin/pg_ctl" -D "$dir" -l "$dir/postgres.log" -w -t 60 start \
        -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off" >/dev/null
    "$pgbin/psql" -h 127.0.0.1 -p "$port" -U airflow -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'airflow'" | grep -q 1 \
        || "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U airflow airflow
    echo "postgresql+psycopg2://airflow@127.0.0.1:$port/airflow"
    ;;
stop)
    as_owner "$pgbin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
    ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
