#!/usr/bin/env bash
# scripts/guide.sh: follows the tutorial of the user guide (docs/guide/tutorial.md)
# literally, in a new temporary directory, as a new user would: install the `retort` tool
# from this checkout into a clean CARGO_HOME, `retort init`, write the model, autogenerate
# the first revision, upgrade on SQLite, then on PostgreSQL (a fresh database this script
# creates and drops).
#
#   scripts/guide.sh              # called by scripts/test.sh for the whole workspace
#   scripts/guide.sh --print      # print the script made from the tutorial, run nothing
#
# "Literally": the steps are read from the tutorial itself, not copied here. In
# docs/guide/tutorial.md,
#   * every ```sh block is run, in order, in one shell (so `cd` and `export` carry over);
#   * a block after `<!-- guide.sh: write PATH -->` is written to PATH (the file's content);
#   * a block after `<!-- guide.sh: compare GLOB -->` must equal the one file GLOB names
#     (the revision autogenerate wrote; its id and date are compared as placeholders);
#   * a block after `<!-- guide.sh: instead: COMMAND -->` is not run; COMMAND is, in its
#     place (only where this script provides what a reader brings: the clone of Retort,
#     the PostgreSQL database);
#   * every other block (```console output, ```toml shown for reading) is not run.
#
# What this script provides that a reader brings (and nothing else):
#   * GUIDE_CHECKOUT: this checkout (the reader's clone of Retort);
#   * a clean CARGO_HOME: no installed binaries and no configuration. Its registry is a
#     link to this machine's cache and Cargo runs offline, so nothing is downloaded and the
#     versions already in the cache are used (RETORT_GUIDE_ONLINE=1 uses the network and a
#     registry of its own instead);
#   * PATH: the clean CARGO_HOME's bin/, the toolchain's own bin/ (cargo, rustc, rustfmt,
#     not rustup's proxies beside other installed tools) and the system's;
#   * CARGO_TARGET_DIR: a cache kept between runs (the release build `cargo install` makes,
#     and the project's debug build), $RETORT_GUIDE_CACHE or <target>/guide;
#   * DATABASE_URL for the PostgreSQL part: a fresh database on the server of
#     RETORT_TEST_POSTGRES_URL (or the local one), created and dropped by this script.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GUIDE="$ROOT/docs/guide/tutorial.md"
say() { printf 'guide.sh: %s\n' "$*" >&2; }
die() {
    say "error: $*"
    exit 1
}

[ -f "$GUIDE" ] || die "$GUIDE is missing"
command -v cargo >/dev/null 2>&1 || die "cargo is not installed: install Rust with rustup (https://rustup.rs)"

# --- the tutorial, as a script ------------------------------------------------------------
# Turns the tutorial's blocks into one bash script (see the header for the markers).
tutorial_script() {
awk -v q="'" '
    BEGIN { esc = q "\\" q q }
    function quote(s) { gsub(q, esc, s); return q s q }
    function step(text) { printf "guide_step %d %s\n", NR, quote(text) }
    /^<!-- guide\.sh: write / { mode = "write"; arg = $4; next }
    /^<!-- guide\.sh: compare / { mode = "compare"; arg = $4; next }
    /^<!-- guide\.sh: instead: / {
        mode = "skip"
        cmd = $0
        sub(/^<!-- guide\.sh: instead: /, "", cmd)
        sub(/ -->[ \t]*$/, "", cmd)
        step("instead of the next block: " cmd)
        print cmd
        next
    }
    /^```/ && !inside {
        inside = 1
        lang = substr($0, 4)
        if (mode == "write") {
            step("write " arg)
            printf "mkdir -p \"$(dirname %s)\"\ncat > %s <<%sGUIDE_EOF%s\n", quote(arg), quote(arg), q, q
            block = "heredoc"
        } else if (mode == "compare") {
            step("compare " arg)
            printf "guide_compare %s <<%sGUIDE_EOF%s\n", quote(arg), q, q
            block = "heredoc"
        } else if (mode != "skip" && lang == "sh") {
            block = "run"
        } else {
            block = "none"
        }
        mode = ""
        next
    }
    /^```/ && inside {
        inside = 0
        if (block == "heredoc") print "GUIDE_EOF"
        next
    }
    inside && block == "heredoc" { print; next }
    inside && block == "run" {
        if ($0 !~ /^[ \t]*(#.*)?$/) step($0)
        print
        next
    }
' "$GUIDE"
}

# The revision autogenerate wrote, compared with the tutorial's copy of it: its id and
# creation date differ every run, so both sides have them replaced.
if [ "${1:-}" = --print ]; then
    tutorial_script
    exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/retort-guide.XXXXXX")
STEPS="$WORK/steps.sh"
tutorial_script >"$STEPS"
CACHE=${RETORT_GUIDE_CACHE:-${CARGO_TARGET_DIR:-$ROOT/target}/guide}
mkdir -p "$CACHE"
ADMIN_URL=${RETORT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DB_NAME="retort_guide_$(date +%s)_$$"
DB_CREATED=0

cleanup() {
    local status=$?
    if [ "$DB_CREATED" = 1 ]; then
        psql "$ADMIN_URL" -XAtq -c "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" \
            </dev/null >/dev/null 2>&1 || say "warning: could not drop the database $DB_NAME"
    fi
    if [ "$status" = 0 ] || [ -z "${RETORT_GUIDE_KEEP:-}" ]; then
        rm -rf "$WORK"
    else
        say "kept $WORK (RETORT_GUIDE_KEEP)"
    fi
}
trap cleanup EXIT

# --- a clean CARGO_HOME -------------------------------------------------------------------
ORIGINAL_CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
SYSROOT_BIN="$(rustc --print sysroot)/bin"
[ -x "$SYSROOT_BIN/cargo" ] || die "no cargo in the toolchain's $SYSROOT_BIN"
# Kept at one place between runs (Cargo's fingerprints name the registry's path), emptied
# of everything but the registry link each run.
export CARGO_HOME="$CACHE/cargo-home"
rm -rf "$CARGO_HOME"
mkdir -p "$CARGO_HOME/bin"
if [ -z "${RETORT_GUIDE_ONLINE:-}" ] && [ -d "$ORIGINAL_CARGO_HOME/registry" ]; then
    ln -s "$ORIGINAL_CARGO_HOME/registry" "$CARGO_HOME/registry"
    export CARGO_NET_OFFLINE=true
fi
export PATH="$CARGO_HOME/bin:$SYSROOT_BIN:/usr/local/bin:/usr/bin:/bin"
export CARGO_TARGET_DIR="$CACHE/target"
unset DATABASE_URL RUSTUP_TOOLCHAIN CARGO_BUILD_TARGET RETORT
command -v retort >/dev/null 2>&1 && die "a retort binary is on the clean PATH already: $(command -v retort)"

# --- the database of the PostgreSQL part --------------------------------------------------
command -v psql >/dev/null 2>&1 || die "psql is missing: install PostgreSQL's client tools"
psql "$ADMIN_URL" -XAtq -c "CREATE DATABASE \"$DB_NAME\"" </dev/null >/dev/null ||
    die "cannot create the database $DB_NAME on $(sed -E 's#(://[^:/@]*):[^@/]*@#\1:***@#' <<<"$ADMIN_URL")"
DB_CREATED=1
GUIDE_DATABASE_URL=$(sed -E "s#^(postgres(ql)?://[^/]*)/[^?]*#\1/$DB_NAME#" <<<"$ADMIN_URL")

guide_compare() {
    local files=($1)
    [ ${#files[@]} = 1 ] && [ -f "${files[0]}" ] ||
        { echo "guide.sh: compare: $1 names ${#files[@]} files: ${files[*]}" >&2; return 1; }
    local placeholder='s/[0-9a-f]{12}/<rev>/g; s/Create Date: .*/Create Date: <date>/'
    if ! diff -u <(sed -E "$placeholder") <(sed -E "$placeholder" "${files[0]}"); then
        echo "guide.sh: ${files[0]} differs from the tutorial's copy (- tutorial, + written)" >&2
        return 1
    fi
}
guide_step() { printf '\nguide.sh: [tutorial.md:%s] %s\n' "$1" "$2" >&2; }

say "following $GUIDE in $WORK"
say "CARGO_HOME=$CARGO_HOME (clean${CARGO_NET_OFFLINE:+; registry: a link to $ORIGINAL_CARGO_HOME/registry, offline})"
say "CARGO_TARGET_DIR=$CARGO_TARGET_DIR (a cache kept between runs)"
mkdir -p "$WORK/home"
(
    cd "$WORK/home"
    export GUIDE_CHECKOUT="$ROOT" GUIDE_DATABASE_URL
    # shellcheck disable=SC1090
    set -euo pipefail
    source "$STEPS"
) || die "the tutorial failed at the step above (the script it ran: RETORT_GUIDE_KEEP=1 keeps $STEPS)"
say "the tutorial ran to its end: install, init, model, autogenerate, upgrade on SQLite and PostgreSQL"
