#!/usr/bin/env bash
# Retort's query runtime side by side with raw sqlx (the floor), SeaORM and SQLAlchemy 2.x
# async with asyncpg (the anchors), on one PostgreSQL: the workload of bench/orm/src/lib.rs
# (insert 100,000 orders in batches of 1,000; load 1,000 customers with their orders in one
# batched query; 200 filtered queries). Issue 17 item 7.
#
#   bench/orm.sh [RUNS=3]
#
# Server: PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres, trust auth); the script
# creates the database axum_orm_bench (ORM_BENCH_DB) and drops it at the end. Each tool runs
# on a fresh copy of bench/orm/schema.sql; within a run the tools take turns, so load from
# elsewhere hurts them alike, and each run starts one tool later (run 1: sqlx first, run 2:
# Retort first, ..), so no tool always runs in the same slot, after the same other tool's
# 100,000 rows and DROP DATABASE (before, SeaORM always ran third). Prints the medians and
# the ratios to raw sqlx as a Markdown table, with each process's CPU time (user + system,
# what the tool itself costs, barely moved by load from elsewhere); raw lines in
# bench/out/orm/results.txt.
#
# The Rust tools are one crate, bench/orm, outside the workspace (its own Cargo.lock), built
# in release mode in ${CARGO_TARGET_DIR:-bench/orm/target}; SQLAlchemy and asyncpg come
# from PyPI into the venv bench/out/orm-venv at the versions pinned below.
set -euo pipefail

RUNS=${1:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/out/orm"
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
DB=${ORM_BENCH_DB:-axum_orm_bench}
export BENCH_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$DB"
PINS="sqlalchemy[asyncio]==2.0.58 asyncpg==0.30.0"
VENV="$HERE/out/orm-venv"
TARGET=${CARGO_TARGET_DIR:-$HERE/orm/target}

mkdir -p "$OUT"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
# shellcheck disable=SC2086
"$VENV/bin/pip" install -q $PINS # a no-op when the pinned versions are there
(cd "$HERE/orm" && CARGO_TARGET_DIR="$TARGET" cargo build --release -q --locked)

drop_db() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; }
trap drop_db EXIT
fresh_db() {
  psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
  psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$HERE/orm/schema.sql" >/dev/null
}

run_tool() {
  case $1 in
  sqlx | retort | seaorm) "$TARGET/release/orm-$1" ;;
  sqlalchemy) "$VENV/bin/python" "$HERE/orm/sqlalchemy_bench.py" ;;
  esac
}

RESULTS="$OUT/results.txt"
: >"$RESULTS"
echo "load before: $(uptime)" | tee "$OUT/load.txt"
TOOLS=(sqlx retort seaorm sqlalchemy)
for run in $(seq "$RUNS"); do
  for i in 0 1 2 3; do
    tool=${TOOLS[$(((run - 1 + i) % 4))]}
    fresh_db
    line=$(run_tool "$tool")
    echo "run=$run $line" | tee -a "$RESULTS"
    # Every tool must have done the same work: 101,000 rows written and loaded, 20,000 filtered.
    case $line in
    *" insert="*/101000" load="*/101000" filter="*/20000" "*) ;;
    *) echo "FAILED: $tool did not read back the expected rows: $line" >&2; exit 1 ;;
    esac
  done
done
echo "load after: $(uptime)" | tee -a "$OUT/load.txt"

"$VENV/bin/python" - "$RESULTS" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    fields = dict(f.split("=", 1) for f in line.split())
    rows.setdefault(fields["tool"], []).append(fields)
phases = ["insert", "load", "filter"]
def med(tool, key):
    vals = [float(r[key].split("/")[0]) for r in rows[tool]]
    return statistics.median(vals)
print(f"\nmedians of {len(rows['sqlx'])} runs; (x) = ratio to raw sqlx\n")
print("| tool | " + " | ".join(f"{p} (s)" for p in phases) + " | total (s) | peak RSS (MB) | CPU (s) |")
print("|---|" + "---:|" * (len(phases) + 3))
for tool in ["sqlx", "retort", "seaorm", "sqlalchemy"]:
    cells = []
    total = sum(med(tool, p) for p in phases)
    base_total = sum(med("sqlx", p) for p in phases)
    for p in phases:
        cells.append(f"{med(tool, p):.3f} ({med(tool, p) / med('sqlx', p):.2f}x)")
    rss = med(tool, "peak_rss_kb") / 1024
    base_rss = med("sqlx", "peak_rss_kb") / 1024
    cells.append(f"{total:.3f} ({total / base_total:.2f}x)")
    cells.append(f"{rss:.1f} ({rss / base_rss:.2f}x)")
    cpu, base_cpu = med(tool, "cpu_s"), med("sqlx", "cpu_s")
    cells.append(f"{cpu:.2f} ({cpu / base_cpu:.2f}x)")
    print(f"| {tool} | " + " | ".join(cells) + " |")
EOF
