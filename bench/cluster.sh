# Sourced by run.sh and entities.sh: the PostgreSQL server both tools are measured on.
#
# By default a throwaway cluster of this machine's PostgreSQL (initdb + pg_ctl) on a free
# port, in /tmp, stopped and deleted when the script exits, so that no other user of a
# shared server weighs on the figures and so that its settings are the bench's own:
# `max_locks_per_transaction` is raised (BENCH_MAX_LOCKS, default 8192), because
# alembic_utils takes a savepoint per simulated entity in one transaction and runs out of
# the default lock table ("out of shared memory") at 500 views; everything else is
# PostgreSQL's default (jit on, fsync on), as on a server installed with its defaults.
# As root, initdb and the server run as the `postgres` OS user (as scripts/test.sh does).
#
# BENCH_SERVER=existing uses PGHOST/PGPORT/PGUSER instead (default 127.0.0.1:5432,
# postgres, trust auth), with whatever settings that server has.
#
# Sets PGHOST, PGPORT, PGUSER (exported) and BENCH_SERVER_NOTE (what the figures ran on).

bench_pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr) \
    "$(dirname "$(readlink -f "$(command -v initdb 2>/dev/null || echo /nonexistent)")")"; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

bench_as_cluster_user() {
  if [ -z "$BENCH_CLUSTER_USER" ]; then
    (cd / && "$@")
  else
    (cd / && runuser -u "$BENCH_CLUSTER_USER" -- "$@")
  fi
}

bench_stop_cluster() {
  if [ -n "${BENCH_CLUSTER_DIR:-}" ] && [ -d "$BENCH_CLUSTER_DIR/data" ]; then
    bench_as_cluster_user "$BENCH_PG_BIN/pg_ctl" -D "$BENCH_CLUSTER_DIR/data" -m fast -w stop \
      >/dev/null 2>&1 || echo "warning: could not stop the bench's cluster in $BENCH_CLUSTER_DIR" >&2
  fi
  [ -n "${BENCH_CLUSTER_DIR:-}" ] && rm -rf "$BENCH_CLUSTER_DIR"
  BENCH_CLUSTER_DIR=
}

bench_start_cluster() {
  BENCH_PG_BIN=$(bench_pg_bin) || {
    echo "initdb/pg_ctl not found (apt-get install postgresql), or run with BENCH_SERVER=existing" >&2
    exit 2
  }
  BENCH_CLUSTER_USER=
  if [ "$(id -u)" = 0 ]; then
    id -u postgres >/dev/null 2>&1 || { echo "as root, the bench's cluster needs the postgres OS user" >&2; exit 2; }
    BENCH_CLUSTER_USER=postgres
  fi
  BENCH_CLUSTER_DIR=$(mktemp -d /tmp/retort-bench-pg.XXXXXX)
  [ -n "$BENCH_CLUSTER_USER" ] && chown "$BENCH_CLUSTER_USER" "$BENCH_CLUSTER_DIR"
  trap bench_stop_cluster EXIT
  trap 'exit 130' INT TERM
  bench_as_cluster_user "$BENCH_PG_BIN/initdb" -D "$BENCH_CLUSTER_DIR/data" -U postgres -A trust \
    -E UTF8 --locale=C --no-instructions >"$BENCH_CLUSTER_DIR/initdb.log" 2>&1 || {
    cat "$BENCH_CLUSTER_DIR/initdb.log" >&2; echo "initdb failed" >&2; exit 2
  }
  local locks=${BENCH_MAX_LOCKS:-8192} attempt port
  for attempt in $(seq 1 20); do
    port=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    if bench_as_cluster_user "$BENCH_PG_BIN/pg_ctl" -D "$BENCH_CLUSTER_DIR/data" \
      -l "$BENCH_CLUSTER_DIR/server.log" -w -t 60 \
      -o "-p $port -k $BENCH_CLUSTER_DIR -c listen_addresses=127.0.0.1 -c max_connections=20 -c max_locks_per_transaction=$locks" \
      start >/dev/null 2>&1; then
      export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
      BENCH_SERVER_NOTE="a throwaway cluster (PostgreSQL $("$BENCH_PG_BIN/postgres" --version | awk '{print $3}'), port $port, max_locks_per_transaction=$locks, other settings default)"
      return 0
    fi
  done
  tail -5 "$BENCH_CLUSTER_DIR/server.log" >&2
  echo "could not start the bench's throwaway cluster" >&2
  exit 2
}

if [ "${BENCH_SERVER:-throwaway}" = existing ]; then
  export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
  BENCH_SERVER_NOTE="the existing server at $PGHOST:$PGPORT"
else
  bench_start_cluster
fi
echo "bench server: $BENCH_SERVER_NOTE" >&2
