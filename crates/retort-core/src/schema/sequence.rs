//! Sequences: standalone ones in [`MetaData`](crate::MetaData) (SQLAlchemy's `Sequence`, used
//! by a column as `DEFAULT nextval('seq')`), and the sequence a `serial` column owns
//! ([`Serial`], carried by the column so that whatever drops and re-creates the column or its
//! table re-creates the sequence too).

use super::{Identity, Type};

/// The option setters `Sequence` and `Serial` share (each keeps its `options` field).
macro_rules! option_setters {
    () => {
        /// `START WITH n`: the first value given.
        pub fn start(mut self, start: i64) -> Self {
            self.options.start = Some(start);
            self
        }
        /// `INCREMENT BY n`; a negative step makes a descending sequence.
        pub fn increment(mut self, increment: i64) -> Self {
            self.options.increment = Some(increment);
            self
        }
        /// `MINVALUE n`: the least value given.
        pub fn minvalue(mut self, minvalue: i64) -> Self {
            self.options.minvalue = Some(minvalue);
            self
        }
        /// `MAXVALUE n`: the greatest value given.
        pub fn maxvalue(mut self, maxvalue: i64) -> Self {
            self.options.maxvalue = Some(maxvalue);
            self
        }
        /// `CYCLE`: start again from the other limit once one is reached.
        pub fn cycle(mut self) -> Self {
            self.options.cycle = true;
            self
        }
        /// `CACHE n`: values preallocated per session.
        pub fn cache(mut self, cache: i64) -> Self {
            self.options.cache = Some(cache);
            self
        }
    };
}

/// A sequence's options. `None` (and `cycle: false`) is the database's default for the
/// sequence's type, as for [`Identity`]: START at MINVALUE (MAXVALUE descending), INCREMENT 1,
/// MINVALUE 1, MAXVALUE the type's greatest, NO CYCLE, CACHE 1.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SequenceOptions {
    /// `START WITH n`: the first value given; `None`: `minvalue` (`maxvalue` when descending).
    pub start: Option<i64>,
    /// `INCREMENT BY n`, negative for a descending sequence; `None`: 1.
    pub increment: Option<i64>,
    /// `MINVALUE n`; `None`: 1, or the type's least value when descending.
    pub minvalue: Option<i64>,
    /// `MAXVALUE n`; `None`: the type's greatest value, or -1 when descending.
    pub maxvalue: Option<i64>,
    /// `CYCLE`: wrap around at the limit instead of failing; `false`: `NO CYCLE`.
    pub cycle: bool,
    /// `CACHE n`: values preallocated per session; `None`: 1.
    pub cache: Option<i64>,
}

impl SequenceOptions {
    /// `START WITH n`: the first value given.
    pub fn start(mut self, start: i64) -> Self {
        self.start = Some(start);
        self
    }
    /// `INCREMENT BY n`; a negative step makes a descending sequence.
    pub fn increment(mut self, increment: i64) -> Self {
        self.increment = Some(increment);
        self
    }
    /// `MINVALUE n`: the least value given.
    pub fn minvalue(mut self, minvalue: i64) -> Self {
        self.minvalue = Some(minvalue);
        self
    }
    /// `MAXVALUE n`: the greatest value given.
    pub fn maxvalue(mut self, maxvalue: i64) -> Self {
        self.maxvalue = Some(maxvalue);
        self
    }
    /// `CYCLE`: start again from the other limit once one is reached.
    pub fn cycle(mut self) -> Self {
        self.cycle = true;
        self
    }
    /// `CACHE n`: values preallocated per session.
    pub fn cache(mut self, cache: i64) -> Self {
        self.cache = Some(cache);
        self
    }
    /// Whether any option is set.
    pub fn has_options(&self) -> bool {
        self.as_identity().has_options()
    }
    /// The options that differ from the defaults of a sequence of type `ty`: two option sets
    /// that mean the same sequence have the same minimal form (an identity's rule, which is
    /// the same rule).
    pub fn minimal(&self, ty: &Type) -> SequenceOptions {
        Self::from_identity(&self.as_identity().minimal(ty))
    }
    /// Every option spelled out for a sequence of type `ty`.
    pub fn resolved(&self, ty: &Type) -> SequenceOptions {
        Self::from_identity(&self.as_identity().resolved(ty))
    }
    fn as_identity(&self) -> Identity {
        Identity {
            generation: super::IdentityGeneration::ByDefault,
            start: self.start,
            increment: self.increment,
            minvalue: self.minvalue,
            maxvalue: self.maxvalue,
            cycle: self.cycle,
            cache: self.cache,
        }
    }
    fn from_identity(i: &Identity) -> Self {
        Self {
            start: i.start,
            increment: i.increment,
            minvalue: i.minvalue,
            maxvalue: i.maxvalue,
            cycle: i.cycle,
            cache: i.cache,
        }
    }
}

/// The column a sequence belongs to (`OWNED BY table.column`): dropped with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SequenceOwner {
    /// The owning table's name, in the sequence's schema.
    pub table: String,
    /// The owning column's name.
    pub column: String,
}

/// A sequence: `CREATE SEQUENCE name AS ty ...`. A standalone sequence lives in
/// [`MetaData::sequences`](crate::MetaData::sequences); the sequence of a serial column is the
/// column's [`Serial`], and [`Serial::sequence`] gives it as a `Sequence` (with `owned_by`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sequence {
    /// The sequence's schema; `None`: unqualified, in the database's default schema (a
    /// [`crate::MetaData`] with a default schema fills it in as it adds the sequence).
    pub schema: Option<String>,
    /// The sequence's name.
    pub name: String,
    /// `AS type`: `SmallInt`, `Integer` or `BigInt` (PostgreSQL's default, and the only one
    /// of SQLAlchemy's `Sequence` without `data_type`).
    pub ty: Type,
    /// `START`, `INCREMENT`, limits, `CYCLE` and `CACHE`.
    pub options: SequenceOptions,
    /// `OWNED BY table.column`: the serial column whose default it feeds; `None`: a standalone
    /// sequence.
    pub owned_by: Option<SequenceOwner>,
    /// The last value handed out when the database was read (`None`: none yet, or not
    /// read). Not compared: a re-created sequence is moved to it (`setval`), so a re-created
    /// table's new rows do not take the keys its old rows had.
    pub last_value: Option<i64>,
}

impl Sequence {
    /// A `bigint` sequence with the default options.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            schema: None,
            name: name.into(),
            ty: Type::BigInt,
            options: SequenceOptions::default(),
            owned_by: None,
            last_value: None,
        }
    }
    /// Puts the sequence in `schema`.
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.schema = Some(schema.into());
        self
    }
    /// `AS type` (`Type::SmallInt`, `Type::Integer` or `Type::BigInt`).
    pub fn data_type(mut self, ty: Type) -> Self {
        self.ty = ty;
        self
    }
    /// Replaces all the options at once.
    pub fn options(mut self, options: SequenceOptions) -> Self {
        self.options = options;
        self
    }
    option_setters!();
    /// `OWNED BY table.column`.
    pub fn owned_by(mut self, table: impl Into<String>, column: impl Into<String>) -> Self {
        self.owned_by = Some(SequenceOwner {
            table: table.into(),
            column: column.into(),
        });
        self
    }
    /// The recorded last value (see the field).
    pub fn last_value(mut self, value: i64) -> Self {
        self.last_value = Some(value);
        self
    }
    /// `nextval('name')` of this sequence (schema-qualified when it has one), the default a
    /// column using it has.
    pub fn nextval(&self) -> String {
        nextval_sql(self.schema.as_deref(), &self.name)
    }
    /// Whether two definitions are the same sequence: name, type and options (in their
    /// minimal form), and owner; not the last value.
    pub fn same_definition(&self, other: &Sequence) -> bool {
        self.name == other.name
            && self.schema == other.schema
            && self.ty == other.ty
            && self.options.minimal(&self.ty) == other.options.minimal(&other.ty)
            && self.owned_by == other.owned_by
    }
}

/// `nextval('schema.name')`, quoting each part as PostgreSQL prints it (only where needed).
pub fn nextval_sql(schema: Option<&str>, name: &str) -> String {
    let part = |s: &str| {
        let plain = s
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
        if plain {
            s.to_string()
        } else {
            format!("\"{}\"", s.replace('"', "\"\""))
        }
    };
    let qualified = match schema {
        Some(s) => format!("{}.{}", part(s), part(name)),
        None => part(name),
    };
    format!("nextval('{}'::regclass)", qualified.replace('\'', "''"))
}

/// A `serial` column: an integer column whose default is `nextval` of a sequence it owns
/// (PostgreSQL's `serial`/`bigserial`/`smallserial`). The sequence's type is the column's.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Serial {
    /// The sequence's name; `None`: the name PostgreSQL gives a serial's sequence
    /// (`table_column_seq`, see [`Serial::default_name`]).
    pub name: Option<String>,
    /// The sequence's options (`START`, `INCREMENT`, limits, `CYCLE`, `CACHE`).
    pub options: SequenceOptions,
    /// The recorded last value, as [`Sequence::last_value`].
    pub last_value: Option<i64>,
}

impl Serial {
    /// A serial with PostgreSQL's sequence name and the default options.
    pub fn new() -> Self {
        Self::default()
    }
    /// The sequence under another name than PostgreSQL's own.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
    /// Replaces all the sequence's options at once.
    pub fn options(mut self, options: SequenceOptions) -> Self {
        self.options = options;
        self
    }
    option_setters!();
    /// The recorded last value (see [`Sequence::last_value`]).
    pub fn last_value(mut self, value: i64) -> Self {
        self.last_value = Some(value);
        self
    }
    /// The name PostgreSQL gives the sequence of serial column `column` of `table`:
    /// `table_column_seq`, the longer of the two names shortened until it fits in 63 bytes.
    pub fn default_name(table: &str, column: &str) -> String {
        const AVAILABLE: usize = 63 - "__seq".len();
        let (mut t, mut c) = (table.chars().count(), column.chars().count());
        let bytes = |s: &str, n: usize| s.chars().take(n).map(char::len_utf8).sum::<usize>();
        while bytes(table, t) + bytes(column, c) > AVAILABLE {
            if t > c {
                t -= 1;
            } else {
                c -= 1;
            }
        }
        let t: String = table.chars().take(t).collect();
        let c: String = column.chars().take(c).collect();
        format!("{t}_{c}_seq")
    }
    /// The sequence's name for column `column` of `table`.
    pub fn sequence_name(&self, table: &str, column: &str) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| Self::default_name(table, column))
    }
    /// The sequence this serial column `column` (of type `ty`) of `schema.table` owns.
    pub fn sequence(&self, schema: Option<&str>, table: &str, column: &str, ty: &Type) -> Sequence {
        Sequence {
            schema: schema.map(str::to_string),
            name: self.sequence_name(table, column),
            ty: ty.clone(),
            options: self.options.clone(),
            owned_by: Some(SequenceOwner {
                table: table.to_string(),
                column: column.to_string(),
            }),
            last_value: self.last_value,
        }
    }
    /// The serial a sequence owned by `table.column` makes of it (the name kept only when it
    /// is not PostgreSQL's own).
    pub fn from_sequence(seq: &Sequence, table: &str, column: &str) -> Serial {
        Serial {
            name: (seq.name != Self::default_name(table, column)).then(|| seq.name.clone()),
            options: seq.options.clone(),
            last_value: seq.last_value,
        }
    }
    /// Whether two serials of columns of type `ty` of `table.column` are the same: the
    /// sequence's name and options (minimal); not the last value.
    pub fn same(&self, other: &Serial, table: &str, column: &str, ty: &Type) -> bool {
        self.sequence_name(table, column) == other.sequence_name(table, column)
            && self.options.minimal(ty) == other.options.minimal(ty)
    }
}
