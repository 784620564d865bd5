//! [`Environment`]: what a migrations binary knows at compile time, i.e. Alembic's
//! `env.py`: the target model and the compiled revision scripts, plus where the crate
//! lives so the command line can find its `retort.toml` and `versions/` from any working
//! directory (`cargo run -p my-migrations` runs from the workspace root).

use std::sync::Arc;

use retort_core::diff::{IncludeObject, ObjectRef};
use retort_core::MetaData;
use retort_migrate::{Script, Versions};

/// The migration environment of one project.
#[derive(Clone)]
pub struct Environment {
    metadata: MetaData,
    versions: Versions,
    include_object: Option<IncludeObject>,
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("metadata", &self.metadata)
            .field("versions", &self.versions)
            .field(
                "include_object",
                &self.include_object.as_ref().map(|_| ".."),
            )
            .finish()
    }
}

impl Environment {
    /// `metadata` is the model the database should match (what autogenerate compares
    /// with); `versions` the scripts (`retort::versions!()`, or a `Vec<Script>`).
    pub fn new(metadata: MetaData, versions: impl Into<Versions>) -> Self {
        Environment {
            metadata,
            versions: versions.into(),
            include_object: None,
        }
    }

    /// A custom decision for autogenerate and `check`, as Alembic's `include_object` in
    /// `env.py`: called for every schema, table, column, constraint, index and enum type the
    /// comparison is about to consider (after the `[autogenerate]` filters of
    /// `retort.toml`); return `false` to leave it out.
    ///
    /// ```
    /// # use retort_cli::Environment;
    /// # use retort_core::MetaData;
    /// // Leave the legacy tables nobody models any more to their owners.
    /// let env = Environment::new(MetaData::new(), Vec::<retort_migrate::Script>::new())
    ///     .include_object(|o| !o.name.is_some_and(|n| n.starts_with("legacy_")));
    /// # let _ = env;
    /// ```
    pub fn include_object(
        mut self,
        f: impl Fn(&ObjectRef<'_>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.include_object = Some(Arc::new(f));
        self
    }

    /// The `include_object` hook, if one was set.
    pub fn include_object_hook(&self) -> Option<IncludeObject> {
        self.include_object.clone()
    }

    /// The model the commands compare with the database (`metadata()` of the migrations crate).
    pub fn metadata(&self) -> &MetaData {
        &self.metadata
    }

    /// Every revision script compiled into this binary, with its checksum.
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
