#!/usr/bin/env bash
# Regenerates the real-world schema fixtures beside this script (see README.md): each
# application builds its schema with its own migration code, on a scratch PostgreSQL
# database and a scratch SQLite file, and the schema is dumped.
#
#   crates/retort-evolution/real_world/generate.sh [postgres-server-url]
#
# Needs python3 (a virtualenv is made in a temporary folder; packages come from PyPI at the
# pinned versions below), pg_dump and sqlite3. The server URL defaults to the local test
# server; the scratch databases (rw_gen_<app>) are created and dropped by this script.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SERVER=${1:-postgresql://postgres@127.0.0.1:5432/postgres}
BASE=${SERVER%/*}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 -m venv "$WORK/venv"
PY="$WORK/venv/bin/python"
"$WORK/venv/bin/pip" install -q \
    optuna==5.1.0 mlflow-skinny==3.18.0 jupyterhub==6.1.1 \
    alembic==1.20.1 sqlalchemy==2.1.9 psycopg2-binary==2.9.13

# Each application's own way of building its schema from nothing.
cat > "$WORK/build.py" <<'PYEOF'
import sys
import sqlalchemy

app, url = sys.argv[1], sys.argv[2]
if app == "optuna":
    # `optuna storage upgrade` needs an existing schema; RDBStorage runs optuna's Alembic
    # history from its first revision.
    import os
    from alembic import command
    from alembic.config import Config
    import optuna.storages._rdb as rdb
    root = os.path.dirname(rdb.__file__)
    cfg = Config(os.path.join(root, "alembic.ini"))
    cfg.set_main_option("script_location", os.path.join(root, "alembic"))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "head")
elif app == "mlflow":
    # What `mlflow server` does on an empty database: the initial tables, then every
    # Alembic revision (mlflow/store/db_migrations).
    from mlflow.store.db.utils import _initialize_tables
    _initialize_tables(sqlalchemy.create_engine(url))
elif app == "jupyterhub":
    # What the Hub does at start-up on an empty database: its tables, stamped at Alembic head.
    from jupyterhub import orm
    orm.new_session_factory(url)
else:
    raise SystemExit(f"unknown application {app}")
PYEOF

for app in optuna mlflow jupyterhub; do
    db="rw_gen_$app"
    psql -X -q -d "$SERVER" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    "$PY" "$WORK/build.py" "$app" "postgresql+psycopg2://${BASE#*://}/$db" > "$WORK/$app.log" 2>&1 \
        || { cat "$WORK/$app.log"; exit 1; }
    # No owners or grants (the test loads it as another role); pg_dump's random
    # \restrict key and version lines left out so a regeneration diffs cleanly.
    pg_dump --schema-only --no-owner --no-privileges -d "$BASE/$db" \
        | grep -v -e '^\\restrict' -e '^\\unrestrict' -e '^-- Dumped from' -e '^-- Dumped by' \
        > "$HERE/$app/postgres.sql"
    psql -X -q -d "$SERVER" -c "DROP DATABASE $db"

    rm -f "$WORK/$app.sqlite"
    "$PY" "$WORK/build.py" "$app" "sqlite:///$WORK/$app.sqlite" > "$WORK/$app.sqlite.log" 2>&1 \
        || { cat "$WORK/$app.sqlite.log"; exit 1; }
    sqlite3 "$WORK/$app.sqlite" \
        "SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid" \
        > "$HERE/$app/sqlite.sql"
done
echo "fixtures written under $HERE"
