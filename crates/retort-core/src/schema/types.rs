//! Column types, dialect-neutral. Each dialect renders them (`retort-dialect`).

use std::fmt;

/// A column type. Dialects map each variant to their own spelling; [`Type::Custom`] is passed
/// through verbatim for anything Retort does not model.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Type {
    /// 16-bit integer (`smallint`).
    SmallInt,
    /// 32-bit integer (`integer`).
    Integer,
    /// 64-bit integer (`bigint`).
    BigInt,
    /// Single precision float (`real`).
    Real,
    /// Double precision float (`double precision`).
    Double,
    /// Exact decimal, `numeric(precision, scale)`; both optional (`numeric` alone is unbounded).
    Numeric {
        /// Total number of significant digits; `None` (with no scale): unbounded `numeric`.
        precision: Option<u32>,
        /// Digits after the decimal point; `None`: 0 with a precision. A scale needs a precision.
        scale: Option<u32>,
    },
    /// `boolean` (MySQL `TINYINT(1)`).
    Boolean,
    /// `varchar(n)`, or unbounded `varchar` when `None`.
    Varchar(Option<u32>),
    /// Unbounded text (`text`).
    Text,
    /// `char(n)`; `None` is `char` (length 1).
    Char(Option<u32>),
    /// A calendar date without time of day (`date`).
    Date,
    /// Time of day (`time`); MySQL `TIME(6)`.
    Time {
        /// `WITH TIME ZONE` (PostgreSQL only; MySQL ignores it).
        tz: bool,
    },
    /// Date and time (`timestamp`); MySQL `DATETIME(6)`.
    Timestamp {
        /// `WITH TIME ZONE`: stored as an instant (PostgreSQL `timestamptz`; MySQL ignores it).
        tz: bool,
    },
    /// A span of time (`interval`, PostgreSQL only).
    Interval,
    /// `uuid` on PostgreSQL, `CHAR(36)` on MySQL and SQLite.
    Uuid,
    /// JSON text (`json`; SQLite `TEXT`).
    Json,
    /// Binary JSON (`jsonb`, PostgreSQL; MySQL `JSON`).
    Jsonb,
    /// Variable-length binary (`bytea` on PostgreSQL, `BLOB` on SQLite).
    Binary,
    /// A named enum type; its values live in [`crate::EnumType`] in the metadata.
    Enum(EnumRef),
    /// An array of the element type (PostgreSQL).
    Array(Box<Type>),
    /// Any other type, rendered verbatim.
    Custom(String),
    /// `base`, except on the dialects `variants` names (SQLAlchemy's `with_variant`; see
    /// [`Type::with_variant`]). Resolved by [`Type::for_dialect`] before anything renders
    /// or compares it.
    Variant {
        /// The type on every dialect `variants` does not name.
        base: Box<Type>,
        /// Per-dialect types, at most one per dialect.
        variants: Vec<(crate::DialectKind, Type)>,
    },
}

/// Reference to a named enum type by schema and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnumRef {
    /// The type's schema; `None`: the column's table's schema, then the default schema.
    pub schema: Option<String>,
    /// The enum type's name.
    pub name: String,
}

impl EnumRef {
    /// A reference to the enum type `name`, with no schema.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            schema: None,
            name: name.into(),
        }
    }
}

impl Type {
    /// `numeric(precision, scale)`.
    pub fn numeric(precision: u32, scale: u32) -> Self {
        Type::Numeric {
            precision: Some(precision),
            scale: Some(scale),
        }
    }
    /// A column of the named enum type `name` (see [`crate::EnumType`]).
    pub fn enumeration(name: impl Into<String>) -> Self {
        Type::Enum(EnumRef::new(name))
    }
    /// An array of `of` (`of[]`, PostgreSQL).
    pub fn array(of: Type) -> Self {
        Type::Array(Box::new(of))
    }
    /// Any type Retort does not model, as SQL the dialect writes verbatim (`tsvector`).
    pub fn custom(sql: impl Into<String>) -> Self {
        Type::Custom(sql.into())
    }
    /// Integer types can carry an identity.
    pub fn is_integer(&self) -> bool {
        matches!(self, Type::SmallInt | Type::Integer | Type::BigInt)
    }
}

/// A neutral, readable spelling used in messages (not SQL: dialects render SQL).
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::SmallInt => f.write_str("SmallInt"),
            Type::Integer => f.write_str("Integer"),
            Type::BigInt => f.write_str("BigInt"),
            Type::Real => f.write_str("Real"),
            Type::Double => f.write_str("Double"),
            Type::Numeric { precision, scale } => match (precision, scale) {
                (Some(p), Some(s)) => write!(f, "Numeric({p}, {s})"),
                (Some(p), None) => write!(f, "Numeric({p})"),
                _ => f.write_str("Numeric"),
            },
            Type::Boolean => f.write_str("Boolean"),
            Type::Varchar(Some(n)) => write!(f, "Varchar({n})"),
            Type::Varchar(None) => f.write_str("Varchar"),
            Type::Text => f.write_str("Text"),
            Type::Char(Some(n)) => write!(f, "Char({n})"),
            Type::Char(None) => f.write_str("Char"),
            Type::Date => f.write_str("Date"),
            Type::Time { tz } => write!(f, "Time(tz={tz})"),
            Type::Timestamp { tz } => write!(f, "Timestamp(tz={tz})"),
            Type::Interval => f.write_str("Interval"),
            Type::Uuid => f.write_str("Uuid"),
            Type::Json => f.write_str("Json"),
            Type::Jsonb => f.write_str("Jsonb"),
            Type::Binary => f.write_str("Binary"),
            Type::Enum(e) => write!(f, "Enum({})", e.name),
            Type::Array(t) => write!(f, "Array({t})"),
            Type::Custom(s) => write!(f, "Custom({s:?})"),
            Type::Variant { base, variants } => {
                write!(f, "{base}")?;
                for (d, t) in variants {
                    write!(f, " ({}: {t})", d.as_str())?;
                }
                Ok(())
            }
        }
    }
}

/// A named enum type (`CREATE TYPE name AS ENUM (...)` on PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumType {
    /// The type's schema; `None`: unqualified, in the database's default schema (a
    /// [`crate::MetaData`] with a default schema fills it in as it adds the type).
    pub schema: Option<String>,
    /// The type's name.
    pub name: String,
    /// The allowed values, in their sort order.
    pub values: Vec<String>,
}

impl EnumType {
    /// The enum type `name` with `values`, in order, in the default schema.
    pub fn new<I, S>(name: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            schema: None,
            name: name.into(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }
    /// A [`EnumRef`] to this type, for a column's [`Type::Enum`].
    pub fn reference(&self) -> EnumRef {
        EnumRef {
            schema: self.schema.clone(),
            name: self.name.clone(),
        }
    }
}
