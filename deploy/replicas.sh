#!/usr/bin/env bash
# Three replicas behind HAProxy (deploy/haproxy.cfg), one killed and restarted under load; see `replicas` in the
# bench's help. Installs HAProxy when it is missing and this runs as root. Everything listens on 127.0.0.1 only.
#   deploy/replicas.sh [--seconds 60] [--rate 100] [--articles N]
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v haproxy >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq haproxy >/dev/null
    else
        echo "haproxy is not installed: run 'apt-get install haproxy' as root (or this script as root)" >&2
        exit 2
    fi
fi
exec dotnet run -c Release --project bench/NewsSearch.Bench -- replicas "$@"
