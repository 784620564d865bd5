//! Relationships between models. They describe how models navigate to each other; they emit
//! no DDL. Validation checks that each one is backed by a foreign-key path (the one its
//! `foreign_keys` names where the two tables have several) and that `back_populates` names a
//! relationship that points back.

/// The shape of a relationship, seen from the model that declares it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RelationshipKind {
    /// This model is referenced by many rows of the target (`HasMany<T>`): the target holds
    /// the foreign key.
    OneToMany,
    /// This model is referenced by at most one row of the target (`HasOne<T>`).
    OneToOne,
    /// This model refers to one row of the target (`BelongsTo<T>`): this table holds the
    /// foreign key.
    ManyToOne,
    /// Many to many through an association table that refers to both.
    ManyToMany {
        /// The association table, as `table` (the default schema's) or `schema.table`.
        secondary: String,
    },
}

/// SQLAlchemy's cascade options. `"all"` is save-update, merge, refresh-expire, expunge and
/// delete; `"delete-orphan"` adds orphan deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cascade {
    /// `save-update`: adding this object to a session adds the related objects too.
    pub save_update: bool,
    /// `merge`: merging this object into a session merges the related objects too.
    pub merge: bool,
    /// `refresh-expire`: refreshing or expiring this object does the same to the related ones.
    pub refresh_expire: bool,
    /// `expunge`: removing this object from a session removes the related ones too.
    pub expunge: bool,
    /// `delete`: deleting this object deletes the related ones (in the ORM, not `ON DELETE
    /// CASCADE`).
    pub delete: bool,
    /// `delete-orphan`: a related object taken away from this one is deleted.
    pub delete_orphan: bool,
}

impl Default for Cascade {
    /// SQLAlchemy's default: `"save-update, merge"`.
    fn default() -> Self {
        Self {
            save_update: true,
            merge: true,
            refresh_expire: false,
            expunge: false,
            delete: false,
            delete_orphan: false,
        }
    }
}

impl Cascade {
    /// The words [`Cascade::parse`] accepts, as error messages list them.
    pub const ALLOWED: &'static str =
        "all, save-update, merge, refresh-expire, expunge, delete, delete-orphan, none";

    /// Parses a comma-separated cascade string such as `"all, delete-orphan"`. Returns the
    /// unknown word on error.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut c = Cascade {
            save_update: false,
            merge: false,
            refresh_expire: false,
            expunge: false,
            delete: false,
            delete_orphan: false,
        };
        for word in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match word {
                "all" => {
                    c.save_update = true;
                    c.merge = true;
                    c.refresh_expire = true;
                    c.expunge = true;
                    c.delete = true;
                }
                "save-update" => c.save_update = true,
                "merge" => c.merge = true,
                "refresh-expire" => c.refresh_expire = true,
                "expunge" => c.expunge = true,
                "delete" => c.delete = true,
                "delete-orphan" => c.delete_orphan = true,
                "none" => {}
                other => return Err(other.to_string()),
            }
        }
        Ok(c)
    }
}

/// A relationship field of a model.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Relationship {
    /// The field name on the declaring model.
    pub field: String,
    /// Which side holds the foreign key, and how many rows each side has.
    pub kind: RelationshipKind,
    /// The target model's Rust name.
    pub target_model: String,
    /// The target model's table.
    pub target_table: String,
    /// The target model's relationship field that points back at this one (SQLAlchemy's
    /// `back_populates`); `None`: one-way.
    pub back_populates: Option<String>,
    /// Which session operations on this model carry over to the related objects (ORM only, no DDL).
    pub cascade: Cascade,
    /// SQLAlchemy's `passive_deletes=True` (ORM only): deleting this model leaves the
    /// related rows to the foreign key's `ON DELETE` instead of deleting them (`delete`
    /// cascade) or setting their key to `NULL` (the default) first; on a many-to-many,
    /// its association rows are left to the link table's `ON DELETE CASCADE` (neither
    /// they nor, with `delete`, the targets are loaded or deleted by the runtime).
    pub passive_deletes: bool,
    /// SQLAlchemy's `foreign_keys=[..]`: the referencing columns of the foreign key this
    /// relationship follows (this table's for a `ManyToOne`, the target's for a `OneToMany`
    /// or `OneToOne`), by column name. Empty: the one foreign key between the two tables;
    /// where there are several, naming one is required.
    pub foreign_keys: Vec<String>,
}

impl Relationship {
    /// The derive's key naming the foreign key of `columns`: `foreign_keys = "a_id, b_id"`,
    /// or `foreign_keys("x", "y, z")` where the text form would split or trim a name.
    pub fn foreign_keys_attribute(columns: &[String]) -> String {
        let reads_back = columns
            .iter()
            .all(|c| !c.contains(',') && !c.is_empty() && c.trim() == c);
        if reads_back {
            format!("foreign_keys = {:?}", columns.join(", "))
        } else {
            let each: Vec<String> = columns.iter().map(|c| format!("{c:?}")).collect();
            format!("foreign_keys({})", each.join(", "))
        }
    }

    /// Whether `fk` is a key this relationship may follow: with no `foreign_keys` every key
    /// is; otherwise the one whose columns are those `foreign_keys` names, in any order.
    pub fn follows(&self, fk: &super::ForeignKey) -> bool {
        self.foreign_keys.is_empty()
            || (fk.columns.len() == self.foreign_keys.len()
                && self.foreign_keys.iter().all(|c| fk.columns.contains(c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ForeignKey;

    #[test]
    fn foreign_keys_follows_its_key_and_is_spelled_as_the_derive_reads_it() {
        let names = |c: &[&str]| c.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let rel = |fks: &[&str]| Relationship {
            field: "b".into(),
            kind: RelationshipKind::ManyToOne,
            target_model: "People".into(),
            target_table: "people".into(),
            back_populates: None,
            cascade: Cascade::default(),
            passive_deletes: false,
            foreign_keys: names(fks),
        };
        let ab = ForeignKey::new(["a", "b"], "people", ["x", "y"]);
        assert!(rel(&[]).follows(&ab));
        assert!(rel(&["b", "a"]).follows(&ab), "in any order");
        assert!(!rel(&["a"]).follows(&ab));
        assert_eq!(
            Relationship::foreign_keys_attribute(&names(&["a_id", "b_id"])),
            "foreign_keys = \"a_id, b_id\""
        );
        assert_eq!(
            Relationship::foreign_keys_attribute(&names(&["to, a", " b", "c\"d"])),
            "foreign_keys(\"to, a\", \" b\", \"c\\\"d\")"
        );
    }
}
