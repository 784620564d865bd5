#!/usr/bin/env bash
# Retort at 10,000 tables in 10 schemas (issue 16's anchors; bench/models/gen10k.py's model):
# `check` with nothing to change, `revision --autogenerate` against 10 empty schemas, and the
# CPU of diffing N added tables (`upgrade head --sql`: model, diff against empty, render) at
# 1,000 and 10,000 tables; `pg_dump -s` of the 10,000 tables as the floor of `check`.
#
#   bench/scale.sh [N=10000] [SCHEMAS=10] [RUNS=3]
#
# Alembic's side (ALEMBIC_RUNS=1, 0 skips it; about 15 minutes at 10,000 tables): its
# autogenerate of the same model (gen10k.py's SQLAlchemy classes) against 10 empty schemas,
# its `upgrade head` of that revision on a fresh database (whose `pg_dump -s` must equal
# Retort's, bookkeeping tables aside), and `check` on it with nothing to change.
#
# Then (HISTORY_N=2000 by default, 0 skips it) the long-history figure, by bench/history.sh: the
# rebuild of a migrations crate after one revision is added to HISTORY_N, dev and release
# profiles, in this script's CARGO_TARGET_DIR (nothing else may build there meanwhile).
#
# Server as bench/run.sh (a throwaway cluster, max_locks_per_transaction 8192, or
# BENCH_SERVER=existing). Each figure: /usr/bin/time wall, peak RSS, user+sys CPU; medians.
set -euo pipefail
N=${1:-10000}
SCHEMAS=${2:-10}
RUNS=${3:-3}
ALEMBIC_RUNS=${ALEMBIC_RUNS:-1}
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
# --- Alembic, once per ALEMBIC_RUNS ---------------------------------------------------------
schema_of() { pg_dump -s -d "$1" -T "$2" | grep -v '^--\|^\\restrict\|^\\unrestrict\|^$'; }
if [ "$ALEMBIC_RUNS" -gt 0 ]; then
  VENV="$HERE/.venv"
  [ -x "$VENV/bin/alembic" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q alembic==1.14.1 sqlalchemy==2.0.36 psycopg2-binary==2.9.10
  AL="$OUT/alembic" && rm -rf "$AL" && mkdir -p "$AL/versions"
  { "$VENV/bin/python" "$HERE/models/gen10k.py" "$N" "$SCHEMAS"; echo "metadata = Base.metadata"; } >"$AL/models.py"
  cp "$HERE/alembic_env.py" "$AL/env.py"
  cp "$VENV"/lib/python3*/site-packages/alembic/templates/generic/script.py.mako "$AL/"
  printf '[alembic]\nscript_location = %s\n' "$AL" >"$OUT/alembic.ini"
  export BENCH_INCLUDE_SCHEMAS=1
  for run in $(seq "$ALEMBIC_RUNS"); do
    echo "$(date -u +%H:%M:%S) Alembic run $run: $(uptime | sed 's/.*load average/load average/')" | tee -a "$OUT/load.txt" >&2
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${DB}_empty" -c "CREATE DATABASE ${DB}_empty"
    for s in $(seq 0 $((SCHEMAS - 1))); do psql -X -q -d "${DB}_empty" -c "CREATE SCHEMA s$s"; done
    rm -f "$AL"/versions/*
    BENCH_URL="postgresql+psycopg2://$PGUSER@$PGHOST:$PGPORT/${DB}_empty" \
      timed alembic_autogen_10k "$VENV/bin/alembic" -c "$OUT/alembic.ini" revision --autogenerate -m create
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${DB}_al" -c "CREATE DATABASE ${DB}_al"
    # Alembic does not create schemas (Retort's revision does): made beforehand, as its users do.
    for s in $(seq 0 $((SCHEMAS - 1))); do psql -X -q -d "${DB}_al" -c "CREATE SCHEMA s$s"; done
    export BENCH_URL="postgresql+psycopg2://$PGUSER@$PGHOST:$PGPORT/${DB}_al"
    timed alembic_upgrade_10k "$VENV/bin/alembic" -c "$OUT/alembic.ini" upgrade head
    timed alembic_check "$VENV/bin/alembic" -c "$OUT/alembic.ini" check
  done
  # The same model: both tools' schemas, bookkeeping tables aside, must be identical.
  schema_of "$DB" 'retort_*' >"$OUT/schema_retort.sql"
  schema_of "${DB}_al" alembic_version >"$OUT/schema_alembic.sql"
  if ! diff -q "$OUT/schema_retort.sql" "$OUT/schema_alembic.sql" >/dev/null; then
    echo "the two tools created different schemas: diff $OUT/schema_retort.sql $OUT/schema_alembic.sql" >&2
    exit 1
  fi
  echo "same schema from both tools (pg_dump -s, bookkeeping tables aside): yes"
fi
for d in "$DB" "${DB}_sql" "${DB}_empty" "${DB}_al"; do psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d"; done
echo "server: $BENCH_SERVER_NOTE; $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; end $(uptime | sed 's/.*load average/load average/')"
python3 - "$OUT" "$N" <<'PY'
import os, statistics, sys
out = sys.argv[1]
n = f"{int(sys.argv[2]) / 1000:g}k"
print(f"{'figure':<44}{'wall s':>8}{'CPU s':>8}{'RSS MB':>8}  (medians; runs: wall)")
for k, label in [("check", f"check, {n} tables, nothing to change"), ("pg_dump", f"pg_dump -s of the {n} tables"),
                 ("autogen_10k", f"autogenerate, {n} tables vs the empty schemas"),
                 ("autogen_1k", "autogenerate, 1k tables vs empty"),
                 ("diff_1k", "upgrade --sql (diff+render), 1k added"), ("diff_10k", f"upgrade --sql (diff+render), {n} added"),
                 ("alembic_check", f"Alembic check, {n} tables"), ("alembic_autogen_10k", f"Alembic autogenerate, {n} vs the empty"),
                 ("alembic_upgrade_10k", f"Alembic upgrade head, {n} tables")]:
    if not os.path.exists(f"{out}/{k}.times"):
        continue
    rows = [list(map(float, l.split())) for l in open(f"{out}/{k}.times")]
    wall = statistics.median(r[0] for r in rows); rss = statistics.median(r[1] for r in rows) / 1024
    cpu = statistics.median(r[2] + r[3] for r in rows)
    print(f"{label:<44}{wall:>8.2f}{cpu:>8.2f}{rss:>8.0f}  ({', '.join(f'{r[0]:.2f}' for r in rows)})")
def med(k, i):
    rows = [list(map(float, l.split())) for l in open(f"{out}/{k}.times")]
    return statistics.median(r[i] for r in rows)
for label, r, a in [("check", "check", "alembic_check"), (f"autogenerate, {n}", "autogen_10k", "alembic_autogen_10k")]:
    if os.path.exists(f"{out}/{a}.times"):
        print(f"Alembic / Retort, {label}: {med(a, 0) / med(r, 0):.0f}x wall, {med(a, 1) / med(r, 1):.1f}x peak RSS")
if os.path.exists(f"{out}/pg_dump.times"):
    print(f"Retort check / pg_dump -s: {med('check', 0) / med('pg_dump', 0):.2f}x wall")
PY
HISTORY_N=${HISTORY_N:-2000}
if [ "$HISTORY_N" -gt 0 ]; then
  echo "long history: bench/history.sh $HISTORY_N \"dev release\" ($(uptime | sed 's/.*load average/load average/'))" >&2
  bash "$HERE/history.sh" "$HISTORY_N" "dev release"
fi
