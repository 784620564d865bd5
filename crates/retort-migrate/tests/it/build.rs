//! The `build.rs` helper: deterministic module list, valid names, normalised checksums.

use retort_migrate::build::{render_versions, Options};
use retort_migrate::checksum;

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("retort-migrate-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("versions")).unwrap();
    dir
}

#[test]
fn generates_one_module_per_script_sorted() {
    let dir = temp_dir("gen");
    let versions = dir.join("versions");
    std::fs::write(versions.join("bbb222_two.rs"), "// two\r\n").unwrap();
    std::fs::write(versions.join("aaa111_one-more.rs"), "// one\n").unwrap();
    std::fs::write(versions.join("notes.md"), "not a script").unwrap();
    std::fs::write(versions.join(".aaa000_hidden.rs"), "").unwrap();

    let out = render_versions(&versions, &Options::default()).unwrap();
    let abs = std::fs::canonicalize(&versions).unwrap();
    let one = abs.join("aaa111_one-more.rs");
    let expected_one = format!("#[path = {:?}]", one.display().to_string());
    assert!(out.source.contains(&expected_one), "{}", out.source);
    assert!(out.source.contains("mod r_aaa111_one_more;"));
    assert!(out.source.contains("mod r_bbb222_two;"));
    assert!(!out.source.contains("hidden") && !out.source.contains("notes"));
    assert!(
        out.source.find("r_aaa111_one_more::REVISION").unwrap()
            < out.source.find("r_bbb222_two::REVISION").unwrap()
    );
    assert!(out.source.contains("path: \"versions/bbb222_two.rs\""));
    assert!(out
        .source
        .contains("pub fn scripts() -> ::std::vec::Vec<::retort_migrate::Script>"));
    // CRLF is normalised: the checksum is that of "// two\n".
    let two = checksum(b"// two\n");
    assert!(out.source.contains(&format!("checksum: {two:?}")));
    assert_eq!(out.watched.len(), 3);
    assert_eq!(out.watched[0], abs);

    // Deterministic: the same folder gives the same text.
    let again = render_versions(&versions, &Options::default()).unwrap();
    assert_eq!(again.source, out.source);

    let facade = render_versions(
        &versions,
        &Options {
            crate_path: "::retort::migrate".into(),
        },
    )
    .unwrap();
    assert!(facade.source.contains("::retort::migrate::Script {"));

    let out_file = dir.join("versions.rs");
    retort_migrate::build::generate_versions(&versions, &out_file).unwrap();
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), out.source);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_folder_is_named() {
    let err = render_versions(
        std::path::Path::new("/no/such/versions"),
        &Options::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("/no/such/versions"), "{err}");
}
