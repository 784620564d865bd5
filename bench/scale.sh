#!/usr/bin/env bash
# Retort at 10,000 tables in 10 schemas (issue 16's anchors; bench/models/gen10k.py's model):
# `check` with nothing to change, `revision --autogenerate` against 10 empty schemas, and the
# CPU of diffing N added tables (`upgrade head --sql`: model, diff against empty, render) at
# 1,000 and 10,000 tables; `pg_dump -s` of the 10,000 tables as the floor of `check`.
#
#   bench/scale.sh [N=10000] [SCHEMAS=10] [RUNS=3]
#
# Server as bench/run.sh (a throwaway cluster, max_locks_per_transaction 8192, or
# BENCH_SERVER=existing). Each figure: /usr/bin/time wall, peak RSS, user+sys CPU; medians.
set -euo pipefail
N=${1:-10000}
SCHEMAS=${2:-10}
RUNS=${3:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT="$HERE/out/scale"
# shellcheck source=bench/cluster.sh
. "$HERE/cluster.sh"
BASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT"
DB=retort_scale
(cd "$ROOT" && cargo build --release -q -p retort-bench)
RETORT="${CARGO_TARGET_DIR:-$ROOT/target}/release/retort-bench"
mkdir -p "$OUT" && rm -f "$OUT"/*.times "$OUT/load.txt"
# (The revision creates the schemas itself.)
fresh_db() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" 2>/dev/null; }
timed() {
  local name=$1; shift
  if ! /usr/bin/time -f '%e %M %U %S' -o "$OUT/$name.time" "$@" >"$OUT/$name.log" 2>&1; then
    echo "FAILED: $name; see $OUT/$name.log" >&2; tail -5 "$OUT/$name.log" >&2; exit 1
  fi
  tail -1 "$OUT/$name.time" >>"$OUT/$name.times"
}
export RETORT_BENCH_TABLES=$N RETORT_BENCH_SCHEMAS=$SCHEMAS
REV="$OUT/rev" && mkdir -p "$REV/versions"

# The database at head, once (its upgrade is bench/run.sh's figure, not this one's).
fresh_db
"$RETORT" --url "$BASE_URL/$DB" upgrade head >"$OUT/upgrade.log" 2>&1
for run in $(seq "$RUNS"); do
  echo "$(date -u +%H:%M:%S) run $run: $(uptime | sed 's/.*load average/load average/')" | tee -a "$OUT/load.txt" >&2
  timed check "$RETORT" --url "$BASE_URL/$DB" check
  timed pg_dump pg_dump -s -d "$DB" -f "$OUT/schema.sql"
  (export RETORT_BENCH_TABLES=1000 RETORT_BENCH_SCHEMAS=0; timed diff_1k "$RETORT" --url "$BASE_URL/$DB" upgrade head --sql)
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${DB}_sql" -c "CREATE DATABASE ${DB}_sql"
  timed diff_10k "$RETORT" --url "$BASE_URL/${DB}_sql" upgrade head --sql
  # autogenerate against 10 empty schemas, and 1,000 tables against an empty database
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${DB}_empty" -c "CREATE DATABASE ${DB}_empty"
  for s in $(seq 0 $((SCHEMAS - 1))); do psql -X -q -d "${DB}_empty" -c "CREATE SCHEMA s$s"; done
  rm -f "$REV"/versions/*
  (cd "$REV" && RETORT_BENCH_NO_REVISION=1 timed autogen_10k "$RETORT" --url "$BASE_URL/${DB}_empty" revision --autogenerate -m create)
  rm -f "$REV"/versions/*
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${DB}_empty" -c "CREATE DATABASE ${DB}_empty"
  (cd "$REV" && RETORT_BENCH_NO_REVISION=1 RETORT_BENCH_TABLES=1000 RETORT_BENCH_SCHEMAS=0 \
    timed autogen_1k "$RETORT" --url "$BASE_URL/${DB}_empty" revision --autogenerate -m create)
done
for d in "$DB" "${DB}_sql" "${DB}_empty"; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d"; done
echo "server: $BENCH_SERVER_NOTE; $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; end $(uptime | sed 's/.*load average/load average/')"
python3 - "$OUT" <<'PY'
import statistics, sys
out = sys.argv[1]
print(f"{'figure':<44}{'wall s':>8}{'CPU s':>8}{'RSS MB':>8}  (medians; runs: wall)")
for k, label in [("check", "check, 10k tables, nothing to change"), ("pg_dump", "pg_dump -s of the 10k tables"),
                 ("autogen_10k", "autogenerate, 10k tables vs 10 empty schemas"),
                 ("autogen_1k", "autogenerate, 1k tables vs empty"),
                 ("diff_1k", "upgrade --sql (diff+render), 1k added"), ("diff_10k", "upgrade --sql (diff+render), 10k added")]:
    rows = [list(map(float, l.split())) for l in open(f"{out}/{k}.times")]
    wall = statistics.median(r[0] for r in rows); rss = statistics.median(r[1] for r in rows) / 1024
    cpu = statistics.median(r[2] + r[3] for r in rows)
    print(f"{label:<44}{wall:>8.2f}{cpu:>8.2f}{rss:>8.0f}  ({', '.join(f'{r[0]:.2f}' for r in rows)})")
PY
