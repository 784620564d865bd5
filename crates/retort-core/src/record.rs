//! What the query runtime (`retort-orm`) needs from a model, as plain data: no I/O here.
//!
//! `#[derive(Model)]` implements [`Record`] for every model: its columns in field order
//! ([`ColumnInfo`]: name, field, key, whether the server fills it), the conversion of a row
//! to and from [`Value`]s, and one typed handle a column ([`Col`]), written
//! `Order::customer_id`. Handles build [`Filter`]s and [`OrderBy`]s whose values are bound
//! as parameters by the runtime, never pasted into SQL.
//!
//! A field whose Rust type has no [`FieldValue`] (a user type with `sql_type = ".."`, an
//! array, a `DbEnum`) still compiles: the model keeps working as a schema declaration, and
//! the runtime refuses to read or write it with an error naming the field. Filtering on such
//! a column does not compile (`Col::eq` needs `FieldValue`).

use std::fmt;
use std::marker::PhantomData;

/// One value of a column, as the runtime binds it and reads it back.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// SQL `NULL`, with the kind of value the column holds (PostgreSQL types its parameters).
    Null(ValueKind),
    /// `boolean`.
    Bool(bool),
    /// `smallint`.
    I16(i16),
    /// `integer`.
    I32(i32),
    /// `bigint`.
    I64(i64),
    /// `real`.
    F32(f32),
    /// `double precision`.
    F64(f64),
    /// `varchar` / `text`.
    Text(String),
    /// bytes.
    Bytes(Vec<u8>),
    /// `timestamp with time zone`.
    #[cfg(feature = "chrono")]
    DateTimeUtc(chrono::DateTime<chrono::Utc>),
    /// `timestamp` (no time zone).
    #[cfg(feature = "chrono")]
    DateTime(chrono::NaiveDateTime),
    /// `date`.
    #[cfg(feature = "chrono")]
    Date(chrono::NaiveDate),
}

/// Which Rust type a column reads into: what the runtime asks its driver for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValueKind {
    /// `bool`.
    Bool,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `String`.
    Text,
    /// `Vec<u8>`.
    Bytes,
    /// `chrono::DateTime<Utc>`.
    #[cfg(feature = "chrono")]
    DateTimeUtc,
    /// `chrono::NaiveDateTime`.
    #[cfg(feature = "chrono")]
    DateTime,
    /// `chrono::NaiveDate`.
    #[cfg(feature = "chrono")]
    Date,
}

/// A value read back did not fit the field (a `NULL` in a non-`Option` field, another type).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("field `{field}`: {problem}")]
pub struct ValueError {
    /// The model's field.
    pub field: &'static str,
    /// What was wrong.
    pub problem: String,
}

/// A Rust type the runtime can bind and read: the scalar types of [`crate::ColumnType`]
/// (and `Option`s of them).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be bound or read by the query runtime",
    note = "the runtime reads booleans, integers, floats, `String`, `Vec<u8>` and (feature `chrono`) `DateTime<Utc>`, `NaiveDateTime`, `NaiveDate`, and `Option`s of them"
)]
pub trait FieldValue: Sized {
    /// The kind to read a column of this type as.
    const KIND: ValueKind;
    /// The value to bind.
    fn into_value(self) -> Value;
    /// The field from a value read back; `Err` says what did not fit.
    fn from_value(value: Value) -> Result<Self, String>;
}

macro_rules! field_values {
    ($($rust:ty => $variant:ident),* $(,)?) => {
        $(impl FieldValue for $rust {
            const KIND: ValueKind = ValueKind::$variant;
            fn into_value(self) -> Value { Value::$variant(self) }
            fn from_value(value: Value) -> Result<Self, String> {
                match value {
                    Value::$variant(v) => Ok(v),
                    Value::Null(_) => Err("NULL in a field that is not an Option".into()),
                    other => Err(format!("expected {}, read {other:?}", stringify!($rust))),
                }
            }
        })*
    };
}

field_values! {
    bool => Bool, i16 => I16, i32 => I32, i64 => I64, f32 => F32, f64 => F64,
    String => Text, Vec<u8> => Bytes,
}

#[cfg(feature = "chrono")]
field_values! {
    chrono::DateTime<chrono::Utc> => DateTimeUtc,
    chrono::NaiveDateTime => DateTime,
    chrono::NaiveDate => Date,
}

impl<T: FieldValue> FieldValue for Option<T> {
    const KIND: ValueKind = T::KIND;
    fn into_value(self) -> Value {
        match self {
            Some(v) => v.into_value(),
            None => Value::Null(T::KIND),
        }
    }
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Null(_) => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One column of a [`Record`], in field order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnInfo {
    /// The column's name in the database.
    pub name: &'static str,
    /// The model's field.
    pub field: &'static str,
    /// The kind its values read as; `None` when the field's type has no [`FieldValue`].
    pub kind: Option<ValueKind>,
    /// Part of the primary key.
    pub primary_key: bool,
    /// Filled by the server on insert (identity, serial, server default, computed): left out
    /// of `INSERT`, read back with `RETURNING`.
    pub server_filled: bool,
    /// Computed by the server (`GENERATED ALWAYS AS`): never written, not even by `save`.
    pub computed: bool,
}

/// A model the query runtime can read and write. Implemented by `#[derive(Model)]`.
pub trait Record: crate::Model + Sized {
    /// The primary key: the key field's type, a tuple for a composite key, `()` for none.
    type Key;
    /// The columns, in field order (relationship fields are not columns).
    fn columns() -> &'static [ColumnInfo];
    /// The row's values, in [`Record::columns`] order.
    fn to_values(&self) -> Result<Vec<Value>, ValueError>;
    /// A model from the values of a row, in [`Record::columns`] order; relationship fields
    /// are their empty markers.
    fn from_values(values: Vec<Value>) -> Result<Self, ValueError>;
    /// The primary key's values, in key order.
    fn key_values(key: Self::Key) -> Vec<Value>;
    /// The model's relationships as the runtime follows them (loading, cascades), in
    /// declaration order; their kind and cascade are in [`crate::Model::table`]'s
    /// `relationships`, under the same field name.
    fn relations() -> &'static [RelationInfo] {
        &[]
    }
}

/// One relationship of a [`Record`], for the runtime: its name and the target model's
/// table, columns and own relationships. Function pointers the derive fills in, so the
/// runtime follows a chain of cascades (customer, orders, order lines) without the types.
#[derive(Debug, Clone, Copy)]
pub struct RelationInfo {
    /// The relationship's name (the field or the struct-level declaration's name).
    pub field: &'static str,
    /// The target model's Rust name.
    pub target_model: &'static str,
    /// The target model's table ([`crate::Model::table`]).
    pub target_table: fn() -> crate::Table,
    /// The target model's columns ([`Record::columns`]).
    pub target_columns: fn() -> &'static [ColumnInfo],
    /// The target model's relationships ([`Record::relations`]).
    pub target_relations: fn() -> &'static [RelationInfo],
    /// A many-to-many relationship's association table: its model's (`through = OrderTag`),
    /// or the function `secondary` names (`secondary = order_tags`, a table with no model).
    pub through: Option<fn() -> crate::Table>,
}

/// A relationship that leads to many rows (`has_many`, `many_to_many`): loads as a `Vec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Many {}
/// A relationship that leads to at most one row (`belongs_to`, `has_one`): loads as an
/// `Option`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum One {}

/// The typed handle of relationship `name` from model `P` to model `C`, `K` being [`Many`]
/// or [`One`]: `Customer::orders`, generated by the derive. The runtime loads and writes
/// through it; the models themselves stay plain data.
pub struct Rel<P, C, K> {
    name: &'static str,
    _marker: PhantomData<Ends<P, C, K>>,
}

/// What a [`Rel`] joins, as a type only (never `Send`/`Sync`-bound by the ends).
type Ends<P, C, K> = fn() -> (P, C, K);

impl<P, C, K> Clone for Rel<P, C, K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P, C, K> Copy for Rel<P, C, K> {}
impl<P, C, K> fmt::Debug for Rel<P, C, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rel({})", self.name)
    }
}

impl<P, C, K> Rel<P, C, K> {
    /// The handle of relationship `name` (what the derive generates).
    pub const fn new(name: &'static str) -> Self {
        Rel {
            name,
            _marker: PhantomData,
        }
    }
    /// The relationship's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

/// The typed handle of one column of model `M` holding `T`: `Order::customer_id`.
pub struct Col<M, T> {
    name: &'static str,
    _marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for Col<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<M, T> Copy for Col<M, T> {}
impl<M, T> fmt::Debug for Col<M, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Col({})", self.name)
    }
}

/// A comparison operator of a [`Filter`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `LIKE`
    Like,
}

impl CmpOp {
    /// The SQL operator.
    pub fn sql(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "<>",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Like => "LIKE",
        }
    }
}

/// A condition on rows, as data: rendered by the runtime with bound parameters.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Expr {
    /// `column <op> value`.
    Cmp(&'static str, CmpOp, Value),
    /// `column IN (values..)` (an empty list is false).
    In(&'static str, Vec<Value>),
    /// `column IS NULL` (`IS NOT NULL` when the flag is false).
    IsNull(&'static str, bool),
    /// All of them (an empty list is true).
    And(Vec<Expr>),
    /// Any of them (an empty list is false).
    Or(Vec<Expr>),
    /// Not it.
    Not(Box<Expr>),
}

/// A typed condition on rows of `M`: filters of another model do not mix with it.
pub struct Filter<M> {
    /// The condition.
    pub expr: Expr,
    _marker: PhantomData<fn() -> M>,
}

impl<M> Clone for Filter<M> {
    fn clone(&self) -> Self {
        Filter::new(self.expr.clone())
    }
}
impl<M> fmt::Debug for Filter<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

impl<M> Filter<M> {
    fn new(expr: Expr) -> Self {
        Filter {
            expr,
            _marker: PhantomData,
        }
    }
    /// Both conditions.
    pub fn and(self, other: Filter<M>) -> Filter<M> {
        match self.expr {
            Expr::And(mut all) => {
                all.push(other.expr);
                Filter::new(Expr::And(all))
            }
            e => Filter::new(Expr::And(vec![e, other.expr])),
        }
    }
    /// Either condition.
    pub fn or(self, other: Filter<M>) -> Filter<M> {
        match self.expr {
            Expr::Or(mut any) => {
                any.push(other.expr);
                Filter::new(Expr::Or(any))
            }
            e => Filter::new(Expr::Or(vec![e, other.expr])),
        }
    }
    /// The negated condition (also `!filter`).
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Filter<M> {
        Filter::new(Expr::Not(Box::new(self.expr)))
    }
    /// Every one of `filters` (true for none).
    pub fn all(filters: impl IntoIterator<Item = Filter<M>>) -> Filter<M> {
        Filter::new(Expr::And(filters.into_iter().map(|f| f.expr).collect()))
    }
    /// Any one of `filters` (false for none).
    pub fn any(filters: impl IntoIterator<Item = Filter<M>>) -> Filter<M> {
        Filter::new(Expr::Or(filters.into_iter().map(|f| f.expr).collect()))
    }
}

impl<M> std::ops::Not for Filter<M> {
    type Output = Filter<M>;
    fn not(self) -> Filter<M> {
        Filter::not(self)
    }
}

/// One key of an `ORDER BY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderBy<M> {
    /// The column.
    pub column: &'static str,
    /// Descending.
    pub descending: bool,
    _marker: PhantomData<fn() -> M>,
}

impl<M, T> Col<M, T> {
    /// The handle of column `name` (what the derive generates).
    pub const fn new(name: &'static str) -> Self {
        Col {
            name,
            _marker: PhantomData,
        }
    }
    /// The column's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }
    /// Ascending order on this column.
    pub fn asc(self) -> OrderBy<M> {
        OrderBy {
            column: self.name,
            descending: false,
            _marker: PhantomData,
        }
    }
    /// Descending order on this column.
    pub fn desc(self) -> OrderBy<M> {
        OrderBy {
            descending: true,
            ..self.asc()
        }
    }
    /// `column IS NULL`.
    pub fn is_null(self) -> Filter<M> {
        Filter::new(Expr::IsNull(self.name, true))
    }
    /// `column IS NOT NULL`.
    pub fn is_not_null(self) -> Filter<M> {
        Filter::new(Expr::IsNull(self.name, false))
    }
}

macro_rules! comparisons {
    ($($(#[$doc:meta])* $method:ident => $op:ident),* $(,)?) => {
        impl<M, T: FieldValue> Col<M, T> {
            $($(#[$doc])*
            pub fn $method(self, value: impl Into<T>) -> Filter<M> {
                Filter::new(Expr::Cmp(self.name, CmpOp::$op, value.into().into_value()))
            })*

            /// `column IN (values..)`.
            pub fn is_in<V: Into<T>>(self, values: impl IntoIterator<Item = V>) -> Filter<M> {
                Filter::new(Expr::In(
                    self.name,
                    values.into_iter().map(|v| v.into().into_value()).collect(),
                ))
            }
        }
    };
}

comparisons! {
    /// `column = value`.
    eq => Eq,
    /// `column <> value`.
    ne => Ne,
    /// `column < value`.
    lt => Lt,
    /// `column <= value`.
    le => Le,
    /// `column > value`.
    gt => Gt,
    /// `column >= value`.
    ge => Ge,
}

/// Text columns (and optional ones) take `LIKE`.
pub trait TextValue: FieldValue {}
impl TextValue for String {}
impl TextValue for Option<String> {}

impl<M, T: TextValue> Col<M, T> {
    /// `column LIKE pattern`.
    pub fn like(self, pattern: impl Into<String>) -> Filter<M> {
        Filter::new(Expr::Cmp(
            self.name,
            CmpOp::Like,
            Value::Text(pattern.into()),
        ))
    }
}

/// Autoref specialisation for the derive: a field type with a [`FieldValue`] converts; any
/// other type compiles and is refused at run time, naming the field. Not for hand use.
#[doc(hidden)]
pub mod via {
    use super::{FieldValue, Value, ValueError, ValueKind};
    use std::marker::PhantomData;

    /// A field type, probed by method resolution.
    pub struct Probe<T>(pub PhantomData<fn() -> T>);

    impl<T> Default for Probe<T> {
        fn default() -> Self {
            Self::new()
        }
    }

    impl<T> Probe<T> {
        /// The probe of `T`.
        pub const fn new() -> Self {
            Probe(PhantomData)
        }
    }

    /// Taken when `T: FieldValue` (one reference deeper, so it wins).
    pub trait Supported<T> {
        /// The kind of `T`.
        fn kind(&self) -> Option<ValueKind>;
        /// `value` as a `Value`.
        fn to_value(&self, field: &'static str, value: &T) -> Result<Value, ValueError>;
        /// A `T` from a value.
        fn read_value(&self, field: &'static str, value: Value) -> Result<T, ValueError>;
    }
    impl<T: FieldValue + Clone> Supported<T> for &&Probe<T> {
        fn kind(&self) -> Option<ValueKind> {
            Some(T::KIND)
        }
        fn to_value(&self, _: &'static str, value: &T) -> Result<Value, ValueError> {
            Ok(value.clone().into_value())
        }
        fn read_value(&self, field: &'static str, value: Value) -> Result<T, ValueError> {
            T::from_value(value).map_err(|problem| ValueError { field, problem })
        }
    }

    /// Taken otherwise: the runtime refuses the field.
    pub trait Unsupported<T> {
        /// `None`: no kind.
        fn kind(&self) -> Option<ValueKind>;
        /// An error naming the field.
        fn to_value(&self, field: &'static str, value: &T) -> Result<Value, ValueError>;
        /// An error naming the field.
        fn read_value(&self, field: &'static str, value: Value) -> Result<T, ValueError>;
    }
    impl<T> Unsupported<T> for &Probe<T> {
        fn kind(&self) -> Option<ValueKind> {
            None
        }
        fn to_value(&self, field: &'static str, _: &T) -> Result<Value, ValueError> {
            Err(unsupported::<T>(field))
        }
        fn read_value(&self, field: &'static str, _: Value) -> Result<T, ValueError> {
            Err(unsupported::<T>(field))
        }
    }

    fn unsupported<T>(field: &'static str) -> ValueError {
        ValueError {
            field,
            problem: format!(
                "the query runtime cannot read or write `{}` yet",
                std::any::type_name::<T>()
            ),
        }
    }
}
