//! The seed model's `erd --format svg` (issue 18, item 1), drawn by the real
//! `ecommerce-migrations` binary and rendered in headless Chromium (Debian's
//! `/usr/bin/chromium`, driven by playwright-core: `scripts/erd-browser.mjs`, installed with
//! it by scripts/test.sh, which sets `RETORT_TEST_BROWSER_DIR`): every table of the model
//! with every column in its box, and every foreign key as a line from the referring table's
//! box to the referred table's, each with its cardinality label, all inside the canvas.
//! The screenshot stays in `target/tmp/erd-browser/` (the path is printed). The check must
//! be able to fail: a diagram with a table's name taken out, and one whose canvas is too
//! narrow for it, are refused.

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_ecommerce-migrations");

/// A JSON string (the model's names are plain, but quote what JSON needs quoted).
fn json(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// What the diagram must show, from the model (not from the diagram): each table (as the
/// diagram names it: `schema.name` outside the default schema) with its columns, and one
/// edge a foreign key.
fn expectation(model: &retort::MetaData) -> (String, usize, usize) {
    let name = |schema: &Option<String>, table: &str| match schema {
        Some(s) => format!("{s}.{table}"),
        None => table.to_owned(),
    };
    let mut tables = Vec::new();
    let mut edges = Vec::new();
    for t in model.tables() {
        let columns: Vec<String> = t.columns.iter().map(|c| json(&c.name)).collect();
        tables.push(format!(
            "{{\"name\": {}, \"columns\": [{}]}}",
            json(&name(&t.schema, &t.name)),
            columns.join(", ")
        ));
        for fk in &t.foreign_keys {
            let to = name(&fk.ref_schema, &fk.ref_table);
            edges.push(format!(
                "{{\"from\": {}, \"to\": {}}}",
                json(&name(&t.schema, &t.name)),
                json(&to)
            ));
        }
    }
    let text = format!(
        "{{\"tables\": [{}], \"edges\": [{}]}}",
        tables.join(", "),
        edges.join(", ")
    );
    (text, tables.len(), edges.len())
}

/// Runs `scripts/erd-browser.mjs` on `svg`; its exit status and what it printed.
fn render(dir: &Path, svg: &Path, expect: &Path, shot: &Path) -> (bool, String) {
    let out = Command::new("node")
        .arg(dir.join("erd-browser.mjs"))
        .arg(svg)
        .arg(expect)
        .arg(shot)
        .output()
        .expect("node runs (scripts/test.sh installs it)");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn the_seed_models_svg_shows_every_table_and_edge_in_chromium() {
    let dir = PathBuf::from(std::env::var("RETORT_TEST_BROWSER_DIR").expect(
        "RETORT_TEST_BROWSER_DIR is not set: run the tests through scripts/test.sh, which installs Chromium and playwright-core and sets it",
    ));
    let artefacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("erd-browser");
    std::fs::create_dir_all(&artefacts).expect("the artefact directory");
    let svg = artefacts.join("ecommerce.svg");
    // From an empty directory, so no retort.toml or .env of the developer's is read: the
    // model's diagram connects to nothing.
    let cwd = tempfile::tempdir().expect("temp dir");
    let out = Command::new(BIN)
        .current_dir(cwd.path())
        .env_remove("DATABASE_URL")
        .args(["erd", "--format", "svg", "-o"])
        .arg(&svg)
        .output()
        .expect("the ecommerce-migrations binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let model = ecommerce::metadata();
    let (expect_text, tables, edges) = expectation(&model);
    // The seed's customers, orders, products and order_items, joined by three keys.
    assert_eq!((tables, edges), (4, 3), "{expect_text}");
    let expect = artefacts.join("ecommerce.expect.json");
    std::fs::write(&expect, &expect_text).expect("write the expectation");
    let shot = artefacts.join("ecommerce.png");
    let (ok, said) = render(&dir, &svg, &expect, &shot);
    println!("erd screenshot: {}", shot.display());
    assert!(ok, "Chromium's rendering of {}:\n{said}", svg.display());
    assert_eq!(said.trim(), "ok");
    let png = std::fs::read(&shot).expect("the screenshot is written");
    assert!(png.starts_with(b"\x89PNG"), "not a PNG: {}", shot.display());

    // The check fails where a table is missing, and where the drawing leaves the canvas.
    let text = std::fs::read_to_string(&svg).expect("read the diagram");
    let without = artefacts.join("without_customers.svg");
    assert!(text.contains(">customers</tspan>"), "{text}");
    std::fs::write(&without, text.replace(">customers</tspan>", "></tspan>")).unwrap();
    let (ok, said) = render(
        &dir,
        &without,
        &expect,
        &artefacts.join("without_customers.png"),
    );
    assert!(
        !ok && said.contains("table customers: no text \"customers\""),
        "{said}"
    );
    let narrow = artefacts.join("narrow.svg");
    let width = text
        .split("width=\"")
        .nth(1)
        .and_then(|w| w.split('"').next())
        .expect("the canvas's width");
    let half = (width.parse::<f64>().expect("a number") / 2.0).to_string();
    std::fs::write(
        &narrow,
        text.replacen(
            &format!("width=\"{width}\""),
            &format!("width=\"{half}\""),
            1,
        )
        .replacen(
            &format!("viewBox=\"0 0 {width} "),
            &format!("viewBox=\"0 0 {half} "),
            1,
        ),
    )
    .unwrap();
    let (ok, said) = render(&dir, &narrow, &expect, &artefacts.join("narrow.png"));
    assert!(!ok && said.contains("outside the canvas"), "{said}");
}
