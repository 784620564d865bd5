#!/usr/bin/env bash
# Many targets and catalog scope (issue 16, items 6 and 2), on the shared server
# (PGHOST/PGPORT/PGUSER, default 127.0.0.1:5432 postgres, trust auth).
#
#   bench/tenants.sh tenants [TENANTS=1000] [TABLES=5] [JOBS=4]
#       one database with TENANTS schemas tenant_0000..; timed: `upgrade head --schemas
#       'tenant_*' --jobs JOBS` of the bench model (TABLES tables a tenant), the same again
#       (every tenant at head: the cost of a resumed run), and `current --schemas`.
#   bench/tenants.sh scope [N=1000] [OTHER=9] [RUNS=3] [BEFORE=14eb856]
#       `check` of the bench's N-table model on its own database, and on one that also has
#       OTHER schemas of N tables each that the model does not name; then the five table
#       queries of queries/postgres/ as of git revision BEFORE and as they are now, timed
#       with psql on the larger database (median of RUNS).
#
# Databases are named retort_bench_tenants and retort_bench_scope_*; each is dropped first
# and at the end (with KEEP_OTHER=1, the larger scope database is kept and reused). Release build: `cargo build --release -p retort-bench` (CARGO_TARGET_DIR
# respected). Each figure: /usr/bin/time's wall seconds and peak RSS; the load average is
# printed beside it.
set -euo pipefail

MODE=${1:-tenants}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
BASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT"
OUT="$HERE/out/tenants"
mkdir -p "$OUT"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time: apt-get install time" >&2; exit 2; }
(cd "$ROOT" && cargo build --release -q -p retort-bench)
RETORT="${CARGO_TARGET_DIR:-$ROOT/target}/release/retort-bench"

psql_db() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
fresh_db() { psql_db -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }
drop_db() { psql_db -d postgres -c "DROP DATABASE IF EXISTS $1"; }
load() { cut -d' ' -f1 /proc/loadavg; }
# timed NAME CMD...: prints "NAME: seconds s, peak MB (load L)"; OK_CODES (default 0) are
# the exit codes that count as success.
timed() {
  local name=$1; shift
  local code=0
  "$TIME" -f '%e %M' -o "$OUT/$name.time" "$@" >"$OUT/$name.log" 2>&1 || code=$?
  if [[ " ${OK_CODES:-0} " != *" $code "* ]]; then
    echo "FAILED: $name (exit $code); see $OUT/$name.log" >&2; tail -5 "$OUT/$name.log" >&2; exit 1
  fi
  read -r secs kb <"$OUT/$name.time"
  printf '%s: %s s, %s MB (load %s)\n' "$name" "$secs" "$((kb / 1024))" "$(load)"
}

tenants() {
  local n=${1:-1000} tables=${2:-5} jobs=${3:-4}
  local db=retort_bench_tenants
  fresh_db $db
  psql_db -d $db -c "DO \$\$BEGIN FOR i IN 0..$((n - 1)) LOOP
      EXECUTE format('CREATE SCHEMA tenant_%s', lpad(i::text, 4, '0')); END LOOP; END\$\$"
  export RETORT_BENCH_TABLES=$tables
  local url="$BASE_URL/$db"
  echo "$n tenant schemas, $tables tables each, --jobs $jobs"
  timed "upgrade-$n-$tables-j$jobs" "$RETORT" --url "$url" upgrade head --schemas 'tenant_*' --jobs "$jobs"
  grep -c '^ok ' "$OUT/upgrade-$n-$tables-j$jobs.log" | sed 's/^/  targets ok: /'
  timed "upgrade-again-$n-$tables-j$jobs" "$RETORT" --url "$url" upgrade head --schemas 'tenant_*' --jobs "$jobs"
  timed "current-$n-$tables-j$jobs" "$RETORT" --url "$url" current --schemas 'tenant_*' --jobs "$jobs"
  psql_db -d $db -At -c "SELECT count(*) || ' tables in tenant schemas' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname LIKE 'tenant\_%' AND c.relkind = 'r'"
  drop_db $db
}

# The bench model's shape in schema $1, N tables, 100 a transaction (a default server's
# lock table holds that).
other_schema_sql() {
  python3 - "$1" "$2" <<'EOF'
import sys
s, n = sys.argv[1], int(sys.argv[2])
print(f'CREATE SCHEMA "{s}";')
for k in range(0, n, 100):
    print("BEGIN;")
    for i in range(k, min(k + 100, n)):
        fk = f', prev_id integer REFERENCES "{s}".t{i-1}(id)' if i else ', prev_id integer'
        print(f"""CREATE TABLE "{s}".t{i} (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY{fk}, code varchar(40) NOT NULL UNIQUE, name varchar(100) NOT NULL DEFAULT 'x', qty integer NOT NULL DEFAULT 0, price numeric(10,2) DEFAULT 0, active boolean NOT NULL DEFAULT true, created timestamptz NOT NULL DEFAULT now(), note text);""")
        print(f'CREATE INDEX t{i}_name_created ON "{s}".t{i} (name, created);')
    print("COMMIT;")
EOF
}

scope() {
  local n=${1:-1000} other=${2:-9} runs=${3:-3} before=${4:-14eb856}
  local alone=retort_bench_scope_alone big=retort_bench_scope_big
  export RETORT_BENCH_TABLES=$n
  # KEEP_OTHER=1 keeps the larger database's other schemas from an earlier run when they
  # hold OTHER x N tables (making them takes minutes): only its public schema is made again.
  local have=0
  if [ "${KEEP_OTHER:-0}" = 1 ]; then
    have=$(psql_db -d $big -At -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname ~ '^s[0-9]+$'" 2>/dev/null || echo 0)
  fi
  fresh_db $alone
  if [ "$have" = "$((other * n))" ]; then
    # Dropped 100 tables a statement, for the lock table's sake.
    psql_db -d $big -At -c "SELECT string_agg(format('%I', relname), ',') FROM (SELECT relname, row_number() OVER () / 100 AS b FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r') t GROUP BY b" |
      while read -r list; do psql_db -d $big -c "DROP TABLE IF EXISTS $list CASCADE"; done
  else
    fresh_db $big
    for i in $(seq 1 "$other"); do
      other_schema_sql "s$i" "$n" | psql_db -d $big >/dev/null
    done
  fi
  # The model's tables: the bench's own revision as `upgrade head --sql` prints it, cut into
  # transactions of 200 statements (one transaction of 1,000 tables needs more locks than a
  # shared server with a default lock table can spare).
  "$RETORT" --url "$BASE_URL/$alone" upgrade head --sql 2>/dev/null | python3 -c '
import sys
text = "\n".join(l for l in sys.stdin.read().splitlines() if not l.startswith("\\"))
text = text.replace("BEGIN;", "").replace("COMMIT;", "")
stmts = [s.strip() for s in text.split(";\n") if s.strip()]
for k in range(0, len(stmts), 200):
    print("BEGIN;"); print(";\n".join(stmts[k:k + 200]) + ";"); print("COMMIT;")
' >"$OUT/scope-model.sql"
  for db in $alone $big; do
    psql_db -d $db -f "$OUT/scope-model.sql" >/dev/null
  done
  psql_db -d $big -At -c "SELECT count(*) || ' tables in the larger database' FROM pg_class WHERE relkind = 'r' AND relnamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema'))"
  for r in $(seq 1 "$runs"); do
    timed "check-alone-$n-run$r" "$RETORT" --url "$BASE_URL/$alone" check
    timed "check-big-$n-$other-run$r" "$RETORT" --url "$BASE_URL/$big" check
  done
  echo "catalog queries on the larger database, $before vs now (ms, median of $runs):"
  for q in columns constraints indexes enums sequences; do
    for rev in "$before" now; do
      local sql
      if [ "$rev" = now ]; then sql=$(cat "$ROOT/crates/retort-dialect/queries/postgres/$q.sql")
      else sql=$(git -C "$ROOT" show "$rev:crates/retort-dialect/queries/postgres/$q.sql"); fi
      sql=$(printf '%s\n' "$sql" | grep -v '^\s*--' | sed "s/\$1::text\[\]/ARRAY['public']::text[]/g")
      local times=()
      for _ in $(seq 1 "$runs"); do
        times+=("$(printf 'SET jit = off;\nEXPLAIN (ANALYZE, TIMING OFF) %s\n' "$sql" | psql_db -d $big | sed -n 's/.*Execution Time: \([0-9.]*\) ms.*/\1/p')")
      done
      printf '  %-12s %-8s %s\n' "$q" "$rev" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")"
    done
  done
  drop_db $alone
  [ "${KEEP_OTHER:-0}" = 1 ] || drop_db $big
}

case "$MODE" in
  tenants) shift || true; tenants "$@" ;;
  scope) shift || true; scope "$@" ;;
  *) echo "usage: bench/tenants.sh tenants|scope [...]" >&2; exit 2 ;;
esac
