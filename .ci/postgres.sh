#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the integration tests and exports RASGUARD_IT_POSTGRES_*.
# Installs PostgreSQL from Debian's packages when the machine lacks it. Sourced by .ci/run.
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_port=${RASGUARD_IT_POSTGRES_PORT:-55432}
pg_dir=$(mktemp -d /tmp/rasguard-pg.XXXXXX)
chown postgres:postgres "$pg_dir"
su postgres -s /bin/sh -c "$pg_bin/initdb -D '$pg_dir/data' -U postgres -A trust -E UTF8 >'$pg_dir/initdb.log' 2>&1"
su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D '$pg_dir/data' -o '-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=200' -l '$pg_dir/server.log' -w start >/dev/null"
trap 'su postgres -s /bin/sh -c "$pg_bin/pg_ctl -D \"$pg_dir/data\" -m fast stop" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT

export RASGUARD_IT_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$pg_port/postgres"
export RASGUARD_IT_POSTGRES_USER=postgres
export RASGUARD_IT_POSTGRES_PASSWORD=
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for the integration tests on 127.0.0.1:$pg_port"
