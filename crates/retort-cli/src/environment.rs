//! [`Environment`]: what a migrations binary knows at compile time, i.e. Alembic's
//! `env.py`: the target model and the compiled revision scripts, plus where the crate
//! lives so the command line can find its `retort.toml` and `versions/` from any working
//! directory (`cargo run -p my-migrations` runs from the workspace root).

use retort_core::MetaData;
use retort_migrate::Script;

/// The compiled revision scripts and the folder of the crate that compiled them, as
/// `retort::versions!()` produces them.
#[derive(Debug, Clone)]
pub struct Versions {
    pub scripts: Vec<Script>,
    /// `CARGO_MANIFEST_DIR` of the migrations crate, when known.
    pub crate_dir: Option<&'static str>,
}

impl From<Vec<Script>> for Versions {
    fn from(scripts: Vec<Script>) -> Self {
        Versions {
            scripts,
            crate_dir: None,
        }
    }
}

/// The migration environment of one project.
#[derive(Debug, Clone)]
pub struct Environment {
    metadata: MetaData,
    versions: Versions,
}

impl Environment {
    /// `metadata` is the model the database should match (what autogenerate compares
    /// with); `versions` the scripts (`retort::versions!()`, or a `Vec<Script>`).
    pub fn new(metadata: MetaData, versions: impl Into<Versions>) -> Self {
        Environment {
            metadata,
            versions: versions.into(),
        }
    }

    pub fn metadata(&self) -> &MetaData {
        &self.metadata
    }

    pub fn scripts(&self) -> &[Script] {
        &self.versions.scripts
    }

    /// The migrations crate's folder, when the scripts came from `versions!()`.
    pub fn crate_dir(&self) -> Option<&'static str> {
        self.versions.crate_dir
    }

    /// Uses `dir` as the migrations crate's folder (where `retort.toml` is looked for).
    pub fn with_crate_dir(mut self, dir: &'static str) -> Self {
        self.versions.crate_dir = Some(dir);
        self
    }
}
