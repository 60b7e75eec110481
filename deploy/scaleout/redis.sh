#!/usr/bin/env bash
# A throw-away Redis on loopback as the Celery broker (tests, make targets).
#   deploy/scaleout/redis.sh start DIR PORT   -> prints the broker URL on stdout
#   deploy/scaleout/redis.sh stop DIR
# No persistence and no password: bound to 127.0.0.1 for a disposable local broker, never
# production (there: requirepass/ACLs, TLS, and the broker on a host of its own).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?folder}; port=${3:-6380}
case $cmd in
start)
    mkdir -p "$dir"
    redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes \
        --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save '' --appendonly no \
        --protected-mode yes
    for _ in $(seq 100); do
        redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break
        sleep 0.1
    done
    redis-cli -h 127.0.0.1 -p "$port" ping | grep -q PONG
    echo "$port" > "$dir/port"
    echo "redis://127.0.0.1:$port/0"
    ;;
stop)
    [ -f "$dir/port" ] && redis-cli -h 127.0.0.1 -p "$(cat "$dir/port")" shutdown nosave \
        >/dev/null 2>&1 || true
    if [ -f "$dir/redis.pid" ]; then
        pid=$(cat "$dir/redis.pid")
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
        kill "$pid" 2>/dev/null || true
    fi
    ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
