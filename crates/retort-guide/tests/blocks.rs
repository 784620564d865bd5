//! Holds the guide to the rules that make it tested: every chapter is compiled as doc
//! tests (`src/lib.rs` includes it), every code block names its language (so a Rust block
//! is never mistaken for text, nor a shell block for Rust), a Rust block is left out of the
//! doc tests (tagged `rs`, never `ignore`, which would count as skipped) only when
//! `scripts/guide.sh` writes it into the tutorial's project and builds it, and every link to a file of the repository leads somewhere.

use std::path::{Path, PathBuf};

fn guide_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/guide")
}

fn chapters() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(guide_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(out.len() >= 8, "the guide's chapters are found: {out:?}");
    out
}

#[test]
fn every_chapter_is_compiled_as_doc_tests() {
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for (name, _) in chapters() {
        assert!(
            lib.contains(&format!("docs/guide/{name}\")")),
            "docs/guide/{name} is not included in crates/retort-guide/src/lib.rs, so its code is not tested"
        );
    }
}

#[test]
fn every_block_names_its_language_and_ignored_rust_is_built_by_the_script() {
    let mut problems = Vec::new();
    for (name, text) in chapters() {
        let lines: Vec<&str> = text.lines().collect();
        let mut inside = false;
        for (i, line) in lines.iter().enumerate() {
            let Some(info) = line.strip_prefix("```") else {
                continue;
            };
            if inside {
                inside = false;
                continue;
            }
            inside = true;
            let at = format!("docs/guide/{name}:{}", i + 1);
            let info = info.trim();
            if info.is_empty() {
                problems.push(format!(
                    "{at}: a block with no language (```rust, ```sh, ```console, ```toml, ```text)"
                ));
                continue;
            }
            let marker = lines[..i]
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .copied()
                .unwrap_or("");
            let scripted = marker.starts_with("<!-- guide.sh: write ")
                || marker.starts_with("<!-- guide.sh: compare ");
            // An `ignore`d block would show as skipped in the test summary: a Rust block
            // that needs the tutorial's project is tagged `rs` (not a doc test) and built by
            // scripts/guide.sh instead.
            if info.split(',').any(|t| t.trim() == "ignore") {
                problems.push(format!(
                    "{at}: `ignore` makes a skipped doc test; tag a block that needs the tutorial's project `rs` and have scripts/guide.sh build it"
                ));
            }
            if info == "rs" && !scripted {
                problems.push(format!(
                    "{at}: a Rust block left out of the doc tests (`rs`) that scripts/guide.sh does not build (no `<!-- guide.sh: write PATH -->` before it)"
                ));
            }
            if marker.starts_with("<!-- guide.sh:") && name != "tutorial.md" {
                problems.push(format!(
                    "{at}: scripts/guide.sh follows tutorial.md only; this marker does nothing here"
                ));
            }
        }
        if inside {
            problems.push(format!("docs/guide/{name}: a block is never closed"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn links_to_files_lead_somewhere() {
    let mut problems = Vec::new();
    for (name, text) in chapters() {
        for (i, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(start) = rest.find("](") {
                rest = &rest[start + 2..];
                let Some(end) = rest.find(')') else { break };
                let target = &rest[..end];
                rest = &rest[end..];
                if target.contains("://") || target.starts_with('#') || target.starts_with('<') {
                    continue;
                }
                let file = target.split('#').next().unwrap();
                if !guide_dir().join(file).exists() {
                    problems.push(format!(
                        "docs/guide/{name}:{}: link to {target}: no such file",
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
