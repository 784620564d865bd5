#!/usr/bin/env bash
# Issue 16, long histories: how long a migrations crate takes to rebuild after one revision
# is added to a history of N, in the dev and the release profile.
#
#   bench/history.sh [N=2000] [PROFILES="dev release"]
#
# The chain is ../shared/bench/gen_chain.py's (N+1 linear revisions, each one table with a
# foreign key to the previous one and one index), turned into revision files as
# `revision --autogenerate` writes them (bench/history/chain_to_rust.py). The crate is a
# migrations crate as `retort init` makes it (build.rs, src/main.rs, versions/), built in
# bench/out/history with this repository's Cargo.lock and $CARGO_TARGET_DIR. Per profile:
# a build with N revisions (not timed: it warms the caches), then the (N+1)th file is
# added and the rebuild timed; then removed and added again, timed again. Also timed: a
# rebuild after `touch` of one old revision (nothing changed but its time stamp). Nothing
# else may build in $CARGO_TARGET_DIR meanwhile: cargo's lock would be timed too.
#
# NICE=-20 runs the timed builds (only those, a few seconds each) at that priority: on a
# machine shared with other builds, their wall time then comes closer to an idle machine's
# (CPU time is measured either way). The priority is printed with the figures. With the
# kernel's autogroups (sched_autogroup_enabled), a nice value counts only within its session,
# so each timed build runs in a session of its own whose group gets the same nice value
# (/proc/self/autogroup; root only, else the group keeps its own).
set -euo pipefail

N=${1:-2000}
PROFILES=${2:-dev release}
NICE=${NICE:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT="$HERE/out/history"
SHARED=${SHARED_BENCH:-$ROOT/../../shared/bench}
[ -f "$SHARED/gen_chain.py" ] || SHARED=/work/shared/bench
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}

rm -rf "$OUT" && mkdir -p "$OUT/src" "$OUT/held"
python3 "$SHARED/gen_chain.py" "$((N + 1))" "$OUT/alembic"
python3 "$HERE/history/chain_to_rust.py" "$OUT/alembic" "$OUT/versions"
last=$(ls "$OUT/versions" | sort | tail -1)
mv "$OUT/versions/$last" "$OUT/held/"

# The crate retort init writes (templates/generic) in a workspace of its own, with the
# profile init writes into a workspace manifest it creates, and an empty model.
cat >"$OUT/Cargo.toml" <<TOML
[package]
name = "history-migrations"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
retort = { path = "$ROOT/crates/retort", features = ["cli"] }

[build-dependencies]
retort-build = { path = "$ROOT/crates/retort-build" }

[workspace]
resolver = "2"
members = ["."]
$(cat "$ROOT/crates/retort-cli/templates/workspace-profile.toml")
TOML
cp "$ROOT/crates/retort-cli/templates/generic/build.rs.j2" "$OUT/build.rs"
cat >"$OUT/src/main.rs" <<'RS'
fn main() -> std::process::ExitCode {
    retort::cli::main(retort::Environment::new(retort::MetaData::new(), retort::versions!()))
}
RS
cp "$ROOT/Cargo.lock" "$OUT/Cargo.lock"

# build PROFILE: "wall cpu" seconds of one `cargo build` (cpu: user + system of cargo,
# rustc, the build script and the linker; it moves less than wall time on a loaded machine).
build() {
  local flag=(); [ "$1" = release ] && flag=(--release)
  local prio=()
  [ -n "$NICE" ] && [ "${2:-}" = timed ] && prio=(setsid --wait bash -c \
    'echo "$0" >/proc/self/autogroup 2>/dev/null || true; exec nice -n "$0" "$@"' "$NICE")
  /usr/bin/time -f '%e %U %S' -o "$OUT/time" \
    "${prio[@]}" cargo build -q --manifest-path "$OUT/Cargo.toml" "${flag[@]}"
  awk '{ printf "%.2f %.2f", $1, $2 + $3 }' "$OUT/time"
}

for profile in $PROFILES; do
  echo "$profile: building $N revisions (warm-up)" >&2
  build "$profile" >/dev/null
  build "$profile" >/dev/null
  mv "$OUT/held/$last" "$OUT/versions/"
  add1=$(build "$profile" timed)
  mv "$OUT/versions/$last" "$OUT/held/"
  build "$profile" >/dev/null
  mv "$OUT/held/$last" "$OUT/versions/"
  add2=$(build "$profile" timed)
  touch "$OUT/versions/$(ls "$OUT/versions" | sort | head -1)"
  touched=$(build "$profile" timed)
  noop=$(build "$profile" timed)
  # The floor: what any change to the crate costs (compile its few lines, link).
  echo "// $(date +%s%N)" >>"$OUT/src/main.rs"
  floor=$(build "$profile" timed)
  mv "$OUT/versions/$last" "$OUT/held/"
  printf '%-8s N=%s, seconds wall/cpu: add one revision %s, again %s; touch one %s; nothing changed %s; floor (a comment in main.rs) %s (load %s; %s UTC; nice %s; binary %s bytes)\n' \
    "$profile" "$N" "${add1/ //}" "${add2/ //}" "${touched/ //}" "${noop/ //}" "${floor/ //}" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%H:%M)" "${NICE:-0}" \
    "$(stat -c %s "$CARGO_TARGET_DIR/$([ "$profile" = dev ] && echo debug || echo release)/history-migrations")"
done
