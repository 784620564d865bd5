#!/usr/bin/env bash
# bench/build/run.sh REPO_BEFORE REPO_AFTER: the clean build of a migrations crate outside the
# workspace (default profiles, as `retort init` makes one), for two checkouts of Retort, each
# with the default backends and PostgreSQL-only; then the compilation units of each build
# (bench/build/units.py). Not part of CI: it compiles everything four times.
# REPO_BEFORE is a checkout whose build dependency is retort-migrate (before d45001b), REPO_AFTER
# one with retort-build.
set -euo pipefail
before=$(cd "$1" && pwd) after=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/retort-build-bench.XXXXXX")
here=$(cd "$(dirname "$0")" && pwd)
for v in before after; do
    root=$before bdep="retort-migrate = { path = \"$before/crates/retort-migrate\" }" bcall=retort_migrate::build
    [ "$v" = after ] && root=$after bdep="retort-build = { path = \"$after/crates/retort-build\" }" bcall=retort_build
    for variant in default pgonly; do
        feats='features = ["cli", "chrono"]'
        [ "$variant" = pgonly ] && feats='default-features = false, features = ["cli", "chrono", "postgres", "tls"]'
        d=$work/$v-$variant
        mkdir -p "$d/m/src" "$d/m/versions"
        cp "$root"/examples/ecommerce/migrations/versions/*.rs "$d/m/versions/"
        cp "$root/Cargo.lock" "$d/"
        printf '[workspace]\nmembers = ["m"]\nresolver = "2"\n' >"$d/Cargo.toml"
        cat >"$d/m/Cargo.toml" <<TOML
[package]
name = "m"
version = "0.1.0"
edition = "2021"
[dependencies]
retort = { path = "$root/crates/retort", $feats }
chrono = { version = "0.4", default-features = false, features = ["std", "clock"] }
[build-dependencies]
$bdep
TOML
        cat >"$d/m/build.rs" <<RS
fn main() {
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("versions.rs");
    let options = $bcall::Options { crate_path: "::retort::migrate".to_owned() };
    $bcall::generate_versions_with("versions", &out, &options).unwrap();
}
RS
        echo 'fn main() -> std::process::ExitCode { retort::cli::main(retort::Environment::new(retort::MetaData::new(), retort::versions!())) }' >"$d/m/src/main.rs"
        (cd "$d" && /usr/bin/time -f "$v-$variant: %e s wall, %U s user, %S s system" cargo build --timings -q)
    done
done
python3 "$here/units.py" "$work"/*-*
