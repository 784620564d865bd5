#!/usr/bin/env bash
# scripts/test.sh: the one command that runs every test of the workspace.
#
#   scripts/test.sh                  # all tests of the workspace
#   scripts/test.sh -p ecommerce     # arguments go to the test runner (nextest or cargo test)
#
# Tests use real databases, never mocks. This script finds one, in this order:
#   1. the PostgreSQL server named by RETORT_TEST_POSTGRES_URL, if it answers;
#   2. the local server postgres://postgres@127.0.0.1:5432/postgres, if it answers
#      (not probed when RETORT_TEST_NO_LOCAL=1);
#   3. a throwaway cluster made with this machine's initdb/pg_ctl on a free port, stopped
#      and deleted when the script ends (as root, it runs as the `postgres` OS user;
#      RETORT_TEST_NO_CLUSTER=1 forbids this step);
#   4. otherwise it fails and says what to install.
# It then exports RETORT_TEST_POSTGRES_URL and RETORT_TEST_POSTGRES_VERIFIED=1, which the
# testkit reads: a database test that then finds no server fails, it never skips.
# (SQLite needs no server.) MariaDB/MySQL the same way: RETORT_TEST_MYSQL_URL if it answers,
# else mysql://root@127.0.0.1:3306 (not probed when RETORT_TEST_NO_LOCAL=1), else this
# machine's /usr/sbin/mariadbd started as a daemon; then RETORT_TEST_MYSQL_URL and
# RETORT_TEST_MYSQL_VERIFIED=1 are exported. Without a server the MySQL tests fail (under
# CI the run stops here), they never skip.
#
# Tests run with cargo-nextest when installed (then doc tests with cargo test --doc),
# else with cargo test. The last line is "tests: N passed, N failed, N skipped"; the exit
# status is non-zero when anything failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 2

DEFAULT_PG_URL="postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_MYSQL_URL="mysql://root@127.0.0.1:3306"
CLUSTER_DIR=""
CLUSTER_BIN=""
CLUSTER_USER=""
LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/retort-test-log.XXXXXX")

say() { printf 'test.sh: %s\n' "$*" >&2; }
die() {
    say "error: $*"
    exit 2
}
# Never print a password: postgres://user:secret@host -> postgres://user:***@host
redact() { sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#' <<<"$1"; }
is_root() { [ "$(id -u)" = 0 ]; }

# This run's id: the testkit marks every database it creates with it (a COMMENT naming run,
# host and pid) and drops only databases so marked; other runs' databases on a shared
# server are never touched, whatever their names.
RUN_ID=$(printf '%s' "${RETORT_TEST_RUN_ID:-$(hostname 2>/dev/null || echo host)-$$-$(date +%s)-$RANDOM}" |
    tr -c 'A-Za-z0-9._-' '_')
export RETORT_TEST_RUN_ID="$RUN_ID"
PG_URL=""
MYSQL_URL=""

# Drop what this run's test processes left behind (a process killed before its database
# was dropped): only databases whose marker names this run. A throwaway cluster goes whole.
sweep_run_databases() {
    [ -n "$PG_URL" ] && [ -z "$CLUSTER_DIR" ] && command -v psql >/dev/null 2>&1 || return 0
    local db
    PGCONNECT_TIMEOUT=5 psql "$PG_URL" -XAtq -c "SELECT datname FROM pg_database
        WHERE datname LIKE 'retort\_test\_%'
          AND starts_with(coalesce(shobj_description(oid, 'pg_database'), ''),
                          'retort-testkit run=$RUN_ID ')" </dev/null 2>/dev/null |
        while IFS= read -r db; do
            [ -n "$db" ] || continue
            if psql "$PG_URL" -Xq -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" \
                </dev/null >/dev/null 2>&1; then
                say "dropped $db, left behind by this run"
            fi
        done
}

# The same on MariaDB/MySQL, whose databases carry the marker as the comment of a stored
# function (retort_testkit_marker) since they have no database comments.
sweep_run_mysql_databases() {
    [ -n "$MYSQL_URL" ] && mysql_client >/dev/null || return 0
    local db
    mysql_sql "$MYSQL_URL" "SELECT ROUTINE_SCHEMA FROM information_schema.ROUTINES
        WHERE ROUTINE_NAME = 'retort_testkit_marker'
          AND ROUTINE_SCHEMA LIKE 'retort\\_test\\_%'
          AND ROUTINE_COMMENT LIKE 'retort-testkit run=$RUN_ID %'" 2>/dev/null |
        while IFS= read -r db; do
            [ -n "$db" ] || continue
            if mysql_sql "$MYSQL_URL" "DROP DATABASE IF EXISTS \`$db\`" >/dev/null 2>&1; then
                say "dropped $db, left behind by this run"
            fi
        done
}

cleanup() {
    sweep_run_databases
    sweep_run_mysql_databases
    if [ -n "$CLUSTER_DIR" ] && [ -d "$CLUSTER_DIR/data" ]; then
        run_as_cluster_user "$CLUSTER_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -m immediate -w stop \
            >/dev/null 2>&1 || say "warning: could not stop the throwaway cluster in $CLUSTER_DIR"
    fi
    [ -n "$CLUSTER_DIR" ] && rm -rf "$CLUSTER_DIR"
    rm -rf "$LOG_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- installing what a fresh machine may lack ------------------------------------------

APT_UPDATED=0
apt_install() {
    is_root && command -v apt-get >/dev/null 2>&1 || return 1
    say "installing $* with apt-get"
    if [ "$APT_UPDATED" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || return 1
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
        >/dev/null 2>&1
}

# The directory of the newest PostgreSQL installation holding all of the given tools.
pg_bin_dir() {
    local dir candidates=()
    [ -n "${RETORT_TEST_PG_BIN:-}" ] && candidates+=("$RETORT_TEST_PG_BIN")
    while IFS= read -r dir; do candidates+=("$dir"); done < <(
        ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr
    )
    local tool found
    for tool in "$@"; do
        # Both where PATH finds it and where a symlink leads (initdb -> .../15/bin/initdb).
        found=$(command -v "$tool" 2>/dev/null) &&
            candidates+=("$(dirname "$found")" "$(dirname "$(readlink -f "$found")")")
    done
    candidates+=(/usr/local/pgsql/bin /usr/pgsql-*/bin)
    for dir in "${candidates[@]}"; do
        local ok=1
        for tool in "$@"; do [ -x "$dir/$tool" ] || ok=0; done
        if [ "$ok" = 1 ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

ensure_cargo() {
    # A non-login shell (CI) may not have rustup's directory on PATH.
    if ! command -v cargo >/dev/null 2>&1 && [ -x "${CARGO_HOME:-${HOME:-/root}/.cargo}/bin/cargo" ]; then
        PATH="${CARGO_HOME:-${HOME:-/root}/.cargo}/bin:$PATH"
        export PATH
    fi
    command -v cargo >/dev/null 2>&1 ||
        die "cargo is not installed: install Rust with rustup (https://rustup.rs), then rerun"
}

# The writer's tests compare its output with rustfmt's, on every machine: install it.
ensure_rustfmt() {
    rustfmt --version >/dev/null 2>&1 && return 0
    if command -v rustup >/dev/null 2>&1; then
        say "installing rustfmt with rustup"
        rustup component add rustfmt >/dev/null 2>&1 || true
    fi
    rustfmt --version >/dev/null 2>&1 ||
        die "rustfmt is missing and could not be installed: run \`rustup component add rustfmt\`, then rerun"
}

ensure_pg_client() {
    if ! command -v psql >/dev/null 2>&1 || ! pg_bin_dir pg_dump >/dev/null; then
        apt_install postgresql-client || true
    fi
    pg_bin_dir pg_dump >/dev/null ||
        die "pg_dump is missing: install PostgreSQL's client tools (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq)"
}

# The TLS tests (retort_testkit::tls) start a cluster of their own with initdb and pg_ctl,
# and make its certificates with openssl; without them they fail, so install what is missing.
ensure_tls_test_tools() {
    command -v openssl >/dev/null 2>&1 || apt_install openssl || true
    pg_bin_dir initdb pg_ctl >/dev/null || apt_install postgresql || true
}

# The `erd` tests parse the Mermaid they render with Mermaid's own parser (npm `mermaid`):
# installed once under the target directory with npm (Node.js 18+), then found through
# RETORT_TEST_MERMAID_DIR. Without node and npm it installs them, or fails saying so.
MERMAID_VERSION=11.17.2
ensure_mermaid() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm || true
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
        die "the erd tests need Node.js 18+ and npm to run Mermaid's parser: install them (apt-get install nodejs npm), then rerun"
    local dir="${CARGO_TARGET_DIR:-$ROOT/target}/mermaid-$MERMAID_VERSION"
    if [ ! -f "$dir/node_modules/mermaid/package.json" ]; then
        say "installing Mermaid's parser for the erd tests: npm install mermaid@$MERMAID_VERSION (in $dir)"
        mkdir -p "$dir"
        npm install --prefix "$dir" --no-audit --no-fund --silent "mermaid@$MERMAID_VERSION" \
            >"$LOG_DIR/mermaid-install.log" 2>&1 || {
            cat "$LOG_DIR/mermaid-install.log" >&2
            die "could not install the npm package mermaid@$MERMAID_VERSION (above)"
        }
    fi
    cp "$ROOT/scripts/mermaid-parse.mjs" "$dir/"
    export RETORT_TEST_MERMAID_DIR="$dir"
}

# The erd browser test (examples/ecommerce/migrations/tests/it/erd_browser.rs) renders the
# seed model's SVG in headless Chromium: Debian's chromium (/usr/bin/chromium, installed
# when missing; a test tool's own browser download does not work here) driven by the npm
# package playwright-core, installed once under the target directory; found through
# RETORT_TEST_BROWSER_DIR. Under CI a Chromium that cannot be installed stops the run; else
# it warns, and the test fails (it never skips).
PLAYWRIGHT_VERSION=1.64.1
ensure_browser() {
    local chromium="${RETORT_TEST_CHROMIUM:-/usr/bin/chromium}"
    [ -x "$chromium" ] || apt_install chromium || true
    if [ ! -x "$chromium" ]; then
        local what="Chromium is not installed and could not be installed ($chromium): the erd browser test needs it (Debian/Ubuntu: apt-get install chromium; elsewhere set RETORT_TEST_CHROMIUM to a Chromium binary)"
        [ -n "${CI:-}" ] && [ "${CI}" != 0 ] && [ "${CI}" != false ] && die "$what"
        say "warning: $what
  The erd browser test will fail (a test never skips)."
    fi
    local dir="${CARGO_TARGET_DIR:-$ROOT/target}/playwright-core-$PLAYWRIGHT_VERSION"
    if [ ! -f "$dir/node_modules/playwright-core/package.json" ]; then
        say "installing playwright-core for the erd browser test: npm install playwright-core@$PLAYWRIGHT_VERSION (in $dir)"
        mkdir -p "$dir"
        npm install --prefix "$dir" --no-audit --no-fund --silent "playwright-core@$PLAYWRIGHT_VERSION" \
            >"$LOG_DIR/playwright-install.log" 2>&1 || {
            cat "$LOG_DIR/playwright-install.log" >&2
            die "could not install the npm package playwright-core@$PLAYWRIGHT_VERSION (above)"
        }
    fi
    cp "$ROOT/scripts/erd-browser.mjs" "$dir/"
    export RETORT_TEST_BROWSER_DIR="$dir"
    [ "$chromium" != /usr/bin/chromium ] && export RETORT_TEST_CHROMIUM="$chromium"
    return 0
}

# --- finding or starting PostgreSQL ------------------------------------------------------

# Does the server at $1 accept a query? (psql when present, else a bare TCP check.)
pg_answers() {
    if command -v psql >/dev/null 2>&1; then
        PGCONNECT_TIMEOUT=5 psql "$1" -XAtqw -c 'SELECT 1' </dev/null >/dev/null 2>&1
    else
        local hostport host port
        hostport=$(sed -E 's#^[a-z]+://([^@/]*@)?([^/?]*).*#\2#' <<<"$1")
        host=${hostport%:*}
        port=${hostport##*:}
        [ "$port" = "$hostport" ] && port=5432
        (exec 3<>"/dev/tcp/${host:-127.0.0.1}/$port") 2>/dev/null
    fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

run_as_cluster_user() {
    # From /, so a working directory the cluster user may not enter is no problem.
    if [ -z "$CLUSTER_USER" ]; then
        (cd / && "$@")
    elif command -v runuser >/dev/null 2>&1; then
        (cd / && runuser -u "$CLUSTER_USER" -- "$@")
    else
        (cd / && su -s /bin/sh "$CLUSTER_USER" -c "$(printf '%q ' "$@")")
    fi
}

start_throwaway_cluster() {
    [ -n "${RETORT_TEST_NO_CLUSTER:-}" ] && die "no PostgreSQL server is reachable, and RETORT_TEST_NO_CLUSTER forbids a throwaway cluster.
  Start PostgreSQL, or set RETORT_TEST_POSTGRES_URL to a server where the user may CREATE DATABASE."
    CLUSTER_BIN=$(pg_bin_dir initdb pg_ctl postgres) || {
        apt_install postgresql && CLUSTER_BIN=$(pg_bin_dir initdb pg_ctl postgres)
    } || die "no PostgreSQL server is reachable and initdb/pg_ctl are not installed.
  Install the PostgreSQL server (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql@15),
  or set RETORT_TEST_POSTGRES_URL to a server where the user may CREATE DATABASE."

    # initdb and postgres refuse to run as root: use the postgres OS user (or make one).
    if is_root; then
        if id -u postgres >/dev/null 2>&1; then
            CLUSTER_USER=postgres
        else
            id -u retort-pg >/dev/null 2>&1 ||
                useradd --system --no-create-home --shell /usr/sbin/nologin retort-pg ||
                die "running as root and cannot create an unprivileged user for initdb"
            CLUSTER_USER=retort-pg
        fi
    fi
    # /tmp, not $TMPDIR: the cluster user must be able to reach the directory.
    CLUSTER_DIR=$(mktemp -d /tmp/retort-pg.XXXXXX) || die "cannot create a temporary directory"
    [ -n "$CLUSTER_USER" ] && chown "$CLUSTER_USER" "$CLUSTER_DIR"

    say "starting a throwaway PostgreSQL cluster ($CLUSTER_BIN, in $CLUSTER_DIR${CLUSTER_USER:+, as $CLUSTER_USER})"
    if ! run_as_cluster_user "$CLUSTER_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres -A trust \
        -E UTF8 --locale=C --no-sync --no-instructions >"$LOG_DIR/initdb.log" 2>&1; then
        cat "$LOG_DIR/initdb.log" >&2
        die "initdb failed (log above)"
    fi
    local attempt port
    for attempt in $(seq 1 20); do
        # Below the kernel's ephemeral range (32768+), where client sockets come and go.
        port=$((20000 + RANDOM % 12000))
        port_in_use "$port" && continue
        # Durability is worthless for a cluster deleted in a minute: turn it off for speed.
        if run_as_cluster_user "$CLUSTER_BIN/pg_ctl" -D "$CLUSTER_DIR/data" \
            -l "$CLUSTER_DIR/server.log" -w -t 60 \
            -o "-p $port -k $CLUSTER_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >"$LOG_DIR/pg_ctl.log" 2>&1; then
            PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
            PG_BIN="$CLUSTER_BIN"
            return 0
        fi
        say "pg_ctl start on port $port failed (attempt $attempt), trying another port:"
        tail -n 3 "$CLUSTER_DIR/server.log" >&2 2>/dev/null
    done
    cat "$LOG_DIR/pg_ctl.log" "$CLUSTER_DIR/server.log" >&2 2>/dev/null
    die "could not start the throwaway PostgreSQL cluster (logs above)"
}

setup_postgres() {
    PG_URL=""
    PG_BIN=""
    if [ -n "${RETORT_TEST_POSTGRES_URL:-}" ]; then
        if pg_answers "$RETORT_TEST_POSTGRES_URL"; then
            PG_URL="$RETORT_TEST_POSTGRES_URL"
        else
            say "RETORT_TEST_POSTGRES_URL=$(redact "$RETORT_TEST_POSTGRES_URL") does not answer; looking elsewhere"
        fi
    fi
    if [ -z "$PG_URL" ] && [ -z "${RETORT_TEST_NO_LOCAL:-}" ] && pg_answers "$DEFAULT_PG_URL"; then
        PG_URL="$DEFAULT_PG_URL"
    fi
    if [ -n "$PG_URL" ]; then
        say "using the PostgreSQL server at $(redact "$PG_URL")"
        # Prefer the pg_dump of the server's major version (pg_dump refuses newer servers).
        local major
        major=$(PGCONNECT_TIMEOUT=5 psql "$PG_URL" -XAtqw -c 'SHOW server_version_num' </dev/null 2>/dev/null)
        major=${major:0:2}
        [ -n "$major" ] && [ -x "/usr/lib/postgresql/$major/bin/pg_dump" ] && PG_BIN="/usr/lib/postgresql/$major/bin"
    else
        start_throwaway_cluster
        pg_answers "$PG_URL" || die "the throwaway cluster at $PG_URL does not answer"
        say "using the throwaway PostgreSQL cluster at $PG_URL"
    fi
    export RETORT_TEST_POSTGRES_URL="$PG_URL"
    export RETORT_TEST_POSTGRES_VERIFIED=1
    [ -n "$PG_BIN" ] && export RETORT_TEST_PG_BIN="$PG_BIN"
    return 0
}

# --- finding or starting MariaDB/MySQL ---------------------------------------------------

# The command-line client: mariadb, else mysql (the same program under its old name).
mysql_client() {
    command -v mariadb 2>/dev/null || command -v mysql 2>/dev/null
}

# Run one SQL text with the client on the server at URL $1 (mysql://user[:pw]@host[:port][/db]),
# printing rows tab-separated without headers. The password goes through the environment
# (MYSQL_PWD), never the command line, so `ps` does not show it.
mysql_sql() {
    local client rest userinfo hostport user pw host port
    client=$(mysql_client) || return 1
    rest=${1#*://}
    rest=${rest%%/*}
    rest=${rest%%\?*}
    userinfo=""
    case "$rest" in *@*) userinfo=${rest%@*} rest=${rest##*@} ;; esac
    user=${userinfo%%:*}
    pw=""
    case "$userinfo" in *:*) pw=${userinfo#*:} ;; esac
    # URL user info is percent-encoded (p%40ss -> p@ss).
    pw=$(printf '%b' "${pw//%/\\x}")
    hostport=$rest
    host=${hostport%:*}
    port=${hostport##*:}
    [ "$port" = "$hostport" ] && port=3306
    MYSQL_PWD="$pw" "$client" --protocol=TCP -h "${host:-127.0.0.1}" -P "$port" \
        -u "${user:-root}" --connect-timeout=5 -N -B -e "$2" </dev/null
}

# Does the MariaDB/MySQL server at $1 accept a query? (the client when present, else a bare
# TCP check: the tests themselves then say what is wrong.)
mysql_answers() {
    if mysql_client >/dev/null; then
        mysql_sql "$1" 'SELECT 1' >/dev/null 2>&1
    else
        local hostport host port
        hostport=$(sed -E 's#^[a-z]+://([^@/]*@)?([^/?]*).*#\2#' <<<"$1")
        host=${hostport%:*}
        port=${hostport##*:}
        [ "$port" = "$hostport" ] && port=3306
        (exec 3<>"/dev/tcp/${host:-127.0.0.1}/$port") 2>/dev/null
    fi
}

# Start this machine's mariadbd (from its own configuration, as its packaging would) and
# wait up to a minute until it answers. It is the machine's server: left running afterwards.
start_local_mariadb() {
    [ -x /usr/sbin/mariadbd ] || return 1
    command -v start-stop-daemon >/dev/null 2>&1 || return 1
    say "starting this machine's MariaDB server (/usr/sbin/mariadbd)"
    # Its socket and pid file live in /run/mysqld, which a fresh container may lack.
    if [ ! -d /run/mysqld ] && is_root; then
        mkdir -p /run/mysqld && chown mysql: /run/mysqld 2>/dev/null
    fi
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd ||
        return 1
    local attempt
    for attempt in $(seq 1 60); do
        mysql_answers "$DEFAULT_MYSQL_URL" && return 0
        sleep 1
    done
    return 1
}

setup_mysql() {
    MYSQL_URL=""
    # The sweep and the probe want the client; a machine with the server has it.
    mysql_client >/dev/null || apt_install mariadb-client || true
    if [ -n "${RETORT_TEST_MYSQL_URL:-}" ]; then
        if mysql_answers "$RETORT_TEST_MYSQL_URL"; then
            MYSQL_URL="$RETORT_TEST_MYSQL_URL"
        else
            say "RETORT_TEST_MYSQL_URL=$(redact "$RETORT_TEST_MYSQL_URL") does not answer; looking elsewhere"
        fi
    fi
    if [ -z "$MYSQL_URL" ] && [ -z "${RETORT_TEST_NO_LOCAL:-}" ]; then
        if mysql_answers "$DEFAULT_MYSQL_URL" || start_local_mariadb; then
            MYSQL_URL="$DEFAULT_MYSQL_URL"
        fi
    fi
    if [ -z "$MYSQL_URL" ]; then
        local what="no MariaDB/MySQL server answers (RETORT_TEST_MYSQL_URL, $DEFAULT_MYSQL_URL) and none could be started.
  Install MariaDB (Debian/Ubuntu: apt-get install mariadb-server) or set RETORT_TEST_MYSQL_URL to a server where the user may CREATE DATABASE."
        [ -n "${CI:-}" ] && [ "${CI}" != 0 ] && [ "${CI}" != false ] && die "$what"
        say "warning: $what
  The MySQL/MariaDB tests will fail (a database test never skips)."
        return 0
    fi
    say "using the MariaDB/MySQL server at $(redact "$MYSQL_URL")"
    export RETORT_TEST_MYSQL_URL="$MYSQL_URL"
    export RETORT_TEST_MYSQL_VERIFIED=1
    return 0
}

# --- unused dependencies ----------------------------------------------------------------

# Every dependency a crate declares is used (issue 12: a lean tree): cargo-machete reads the
# sources, so it needs no build. Run with the whole workspace only; installed when missing.
check_unused_dependencies() {
    if ! cargo machete --version >/dev/null 2>&1; then
        say "installing cargo-machete (unused dependency check): cargo install cargo-machete --locked"
        cargo install cargo-machete --locked >"$LOG_DIR/machete-install.log" 2>&1 || {
            cat "$LOG_DIR/machete-install.log" >&2
            die "could not install cargo-machete: run \`cargo install cargo-machete\`, then rerun"
        }
    fi
    say "running: cargo machete (unused dependencies)"
    if ! cargo machete "$ROOT" >"$LOG_DIR/machete.log" 2>&1; then
        cat "$LOG_DIR/machete.log" >&2
        say "FAILED: a crate declares a dependency it does not use (above); remove it, or list it under [package.metadata.cargo-machete] ignored with the reason"
        return 1
    fi
}

# --- API docs ---------------------------------------------------------------------------

# The published crates' API docs build without a warning (a broken intra-doc link, a private
# item linked from a public one), as docs.rs builds them (all features, see each crate's
# [package.metadata.docs.rs]). Run with the whole workspace only.
PUBLISHED_CRATES=(retort retort-core retort-dialect retort-derive retort-migrate retort-build retort-cli)
check_api_docs() {
    local args=() c
    for c in "${PUBLISHED_CRATES[@]}"; do args+=(-p "$c"); done
    say "running: cargo doc --no-deps --all-features ${args[*]} (rustdoc warnings are errors)"
    if ! RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features "${args[@]}" >"$LOG_DIR/apidoc.log" 2>&1; then
        cat "$LOG_DIR/apidoc.log" >&2
        say "FAILED: rustdoc warned on a published crate's docs (above)"
        return 1
    fi
}

# --- running the tests ------------------------------------------------------------------

# Sum the runners' own summary lines into one closing line.
summarize() {
    local clean passed=0 failed=0 skipped=0 n
    clean=$(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$@")
    while IFS= read -r line; do
        n=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+') && passed=$((passed + n))
        n=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+') && failed=$((failed + n))
        n=$(grep -oE '[0-9]+ (ignored|skipped)' <<<"$line" | grep -oE '[0-9]+') && skipped=$((skipped + n))
        n=$(grep -oE '[0-9]+ timed out' <<<"$line" | grep -oE '[0-9]+') && failed=$((failed + n))
    done < <(grep -E '^test result: |^ *Summary \[' <<<"$clean")
    echo "$passed $failed $skipped"
}

main() {
    ensure_cargo
    ensure_rustfmt
    ensure_pg_client
    setup_postgres
    setup_mysql
    ensure_tls_test_tools
    ensure_mermaid
    ensure_browser

    local args=("$@") deps_status=0 whole=0 guide_status=0 apidoc_status=0
    if [ ${#args[@]} -eq 0 ]; then
        args=(--workspace)
        whole=1
        check_unused_dependencies || deps_status=1
        check_api_docs || apidoc_status=1
    fi
    local status=0 doc_status=0
    if cargo nextest --version >/dev/null 2>&1; then
        say "running: cargo nextest run --no-fail-fast ${args[*]}"
        cargo nextest run --tool-config-file "retort:$ROOT/scripts/nextest.toml" \
            --no-fail-fast "${args[@]}" 2>&1 | tee "$LOG_DIR/run.log"
        status=${PIPESTATUS[0]}
        # A nextest filter expression (-E) selects tests by name; cargo test knows no -E, and
        # the selection asked for is run already: doc tests are left out then, and it says so.
        local arg filtered=0
        for arg in "${args[@]}"; do
            case "$arg" in -E | -E* | --filter-expr* | --filterset*) filtered=1 ;; esac
        done
        if [ "$filtered" = 1 ]; then
            say "not running doc tests: a filter expression (-E) selects nextest tests only"
            : >"$LOG_DIR/doc.log"
        else
            say "running: cargo test --doc ${args[*]}"
            cargo test --doc --no-fail-fast "${args[@]}" 2>&1 | tee "$LOG_DIR/doc.log"
            doc_status=${PIPESTATUS[0]}
        fi
        # A selection without a library has no doc tests: not a failure.
        if [ "$doc_status" != 0 ] && grep -q 'no library targets found' "$LOG_DIR/doc.log"; then
            doc_status=0
        fi
    else
        say "cargo-nextest is not installed; running: cargo test --no-fail-fast ${args[*]}"
        cargo test --no-fail-fast "${args[@]}" 2>&1 | tee "$LOG_DIR/run.log"
        status=${PIPESTATUS[0]}
        : >"$LOG_DIR/doc.log"
    fi

    # The guide's tutorial, followed literally in a new directory (install, init, model,
    # autogenerate, upgrade on SQLite and PostgreSQL): with the whole workspace only.
    if [ "$whole" = 1 ]; then
        say "running: scripts/guide.sh (docs/guide/tutorial.md, followed literally)"
        RETORT_TEST_POSTGRES_URL="$PG_URL" "$ROOT/scripts/guide.sh" || guide_status=1
    fi

    local counts passed failed skipped
    counts=$(summarize "$LOG_DIR/run.log" "$LOG_DIR/doc.log")
    read -r passed failed skipped <<<"$counts"
    local result=0
    if [ "$status" != 0 ] || [ "$doc_status" != 0 ]; then
        say "FAILED: the test runner exited with status $status (doc tests: $doc_status); see above"
        result=1
    elif [ "$passed" = 0 ]; then
        say "FAILED: no test ran"
        result=1
    fi
    if [ "$guide_status" != 0 ]; then
        say "FAILED: scripts/guide.sh could not follow the guide's tutorial (above)"
        result=1
    fi
    if [ "$deps_status" != 0 ]; then
        say "FAILED: unused dependencies (see cargo machete's list above)"
        result=1
    fi
    if [ "$apidoc_status" != 0 ]; then
        say "FAILED: the published crates' API docs (see rustdoc's warnings above)"
        result=1
    fi
    echo "tests: $passed passed, $failed failed, $skipped skipped"
    exit "$result"
}

main "$@"
