#!/usr/bin/env bash
# Gives the test suite a PostgreSQL on 127.0.0.1:5432 with role "hive" (password "hive") and
# database "hive_test" (dropped and made anew on every run; with HIVE_LOCAL_DB=name, that database
# instead, made once and kept). Installs Debian's postgresql package when missing, listens on loopback
# only, and is safe to run again. Needs root (CI and the dev machines run as root).
set -euo pipefail

if [ "$(id -u)" != "0" ]; then
  echo "local-test-db.sh: run as root (it installs and starts PostgreSQL)" >&2
  exit 1
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing PostgreSQL from Debian packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
cluster=main
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version $cluster"; then
  pg_createcluster "$version" "$cluster" >/dev/null
fi
conf="/etc/postgresql/$version/$cluster/postgresql.conf"
if ! grep -q "^listen_addresses = '127.0.0.1'" "$conf"; then
  echo "listen_addresses = '127.0.0.1'" >> "$conf"
  pg_ctlcluster "$version" "$cluster" stop >/dev/null 2>&1 || true
fi
if ! pg_lsclusters -h | awk '$1=="'"$version"'" && $2=="'"$cluster"'" {print $4}' | grep -qx online; then
  pg_ctlcluster "$version" "$cluster" start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
[ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = 'hive'")" = "1" ] \
  || psql_admin "CREATE ROLE hive LOGIN PASSWORD 'hive'"
if [ -n "${HIVE_LOCAL_DB:-}" ]; then
  # a database that lives on (./hive cluster's): made once, kept across runs
  [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$HIVE_LOCAL_DB'")" = "1" ] \
    || su postgres -c "createdb -O hive $HIVE_LOCAL_DB"
  echo "PostgreSQL $version ready on 127.0.0.1:5432 (database $HIVE_LOCAL_DB, role hive)" >&2
  exit 0
fi
# a fresh test database each time: every test class makes its own schema in it
su postgres -c "dropdb --if-exists hive_test"
su postgres -c "createdb -O hive hive_test"
echo "PostgreSQL $version ready on 127.0.0.1:5432 (database hive_test, role hive)" >&2
