//! `#[derive(Model)]` and `#[derive(DbEnum)]` for Retort.
//!
//! Each derive is a thin `proc_macro` shell over an `_inner` function on `proc_macro2`
//! tokens, which parses the input into a typed model (`model.rs`, `field.rs`,
//! `constraint.rs`, `db_enum.rs` on top of the generic `attrs.rs`) and generates code from it
//! (`expand.rs`). Every misuse is a `syn::Error` spanned at the attribute at fault whose
//! message says what is allowed; independent problems are reported together.
//!
//! Generated code names everything by absolute path (`::retort::core::...`), so it needs the
//! `retort` facade crate as a dependency and nothing in scope.
//!
//! # `#[derive(Model)]`
//!
//! On a struct with named fields and no generics. It implements `retort::core::Model`:
//! `MODEL_NAME` (the struct's name), `TABLE_NAME`, `table()` and `enum_types()`.
//!
//! Each field is a **column**, unless its type's last path segment is `HasMany<T>`,
//! `HasOne<T>`, `BelongsTo<T>` or `ManyToMany<T>`: then it is a **relationship** to model `T`
//! and emits no column. A relationship is better declared on the struct
//! (`has_many(orders = Order, ..)`, `belongs_to(..)`, `has_one(..)`, `many_to_many(..)`): the
//! struct then keeps no field for it, so building a model never fills one. Either way the
//! derive generates a handle named as the relationship (`Customer::orders`, a
//! `retort::core::record::Rel`) that the query runtime loads and writes through. A column's type comes from the `ColumnType` trait
//! (`<FieldTy as ColumnType>::column_type()`), so aliases and your own types work, and a
//! type without a mapping is a compile error at the field's type. `Option<T>` is nullable;
//! anything else is `NOT NULL`. `Vec<T>` is an array of `T`'s type at any depth
//! (`Vec<String>` is `VARCHAR[]`, `Vec<Vec<i32>>` `INTEGER[][]`, `Vec<MyEnum>` an array of the
//! enum type), except `Vec<u8>`, which is bytes; arrays are PostgreSQL's (SQLite refuses them
//! with a hint to use a child table or a JSON column).
//!
//! ```
//! use retort::prelude::*;
//!
//! #[derive(Model)]
//! #[retort(
//!     table = "customers",
//!     has_many(orders = Order, back_populates = "customer", cascade = "all, delete-orphan")
//! )]
//! pub struct Customer {
//!     #[retort(primary_key, identity = "always")]
//!     pub customer_id: i32,
//! }
//!
//! #[derive(Model)]
//! #[retort(table = "orders", index(columns("customer_id", "order_date")))]
//! pub struct Order {
//!     #[retort(primary_key, identity = "always")]
//!     pub order_id: i32,
//!     #[retort(foreign_key = "customers.customer_id", on_delete = "cascade")]
//!     pub customer_id: i32,
//!     #[retort(server_default = "now()")]
//!     pub order_date: chrono::DateTime<chrono::Utc>,
//!     #[retort(back_populates = "orders")]
//!     pub customer: BelongsTo<Customer>,
//! }
//!
//! let md = MetaData::new().with::<Customer>().with::<Order>();
//! md.validate().unwrap();
//! assert_eq!(md.tables()[1].indexes[0].name.as_deref(), Some("ix_orders_customer_id"));
//! ```
//!
//! ## Struct attributes: `#[retort(...)]` on the struct
//!
//! | attribute | meaning |
//! |---|---|
//! | `table = "customers"` | table name; default: the struct name in snake_case (`OrderItem` -> `order_item`), never pluralised |
//! | `schema = "sales"` | the table's schema; default: the `MetaData`'s |
//! | `comment = "..."` | table comment |
//! | `inherits = "sales.invoices"` | PostgreSQL table inheritance, `INHERITS (sales.invoices)`: the parent tables, `"schema.table"` or `"table"`, repeatable or comma-separated, in order; a parent must be in the `MetaData` and is created first. Fields the parents give are marked `inherited`. SQLite and MySQL have no inheritance and refuse it, naming the table |
//! | `inherits(table = "old, \"odd\" invoices", schema = "sales.eu")` | one parent (repeatable, with `inherits = ..` too), its table and schema (optional: the default) taken as written: for a name that holds a `.` or a `,`, which the text form would split. `models --from-db` writes this form for such names |
//! | `with = "fillfactor=70, autovacuum_enabled=false"` | the table's storage parameters, `WITH (fillfactor='70', ..)` (PostgreSQL; SQLite and MySQL refuse them); `with = ".."` on `primary_key(..)`, `unique(..)` and `index(..)` gives those of the key's or index's index. A change is `ALTER .. SET (..)`/`RESET (..)`, not a rebuild |
//! | `primary_key(columns("a", "b"), name = "pk")` | composite primary key (instead of `primary_key` on fields) |
//! | `unique(columns("a", "b"), name = "uq", deferrable, initially_deferred, nulls_not_distinct)` | unique constraint; repeatable; the rest optional: `DEFERRABLE [INITIALLY DEFERRED]`, `NULLS NOT DISTINCT` (PostgreSQL 15; SQLite can do neither and refuses them) |
//! | `index(columns("a", "b"), expr = "lower(email)", name = "ix", unique, nulls_not_distinct, method = "gin", include("c"), where = "deleted_at IS NULL")` | index; repeatable; `nulls_not_distinct` (PostgreSQL 15) on a unique index. Elements are `columns(..)` and `expr = ".."` in the order written (each repeatable, at least one); the rest optional |
//! | `index(columns(created_at(desc, nulls_last), "title"(collate = "C", opclass = "text_pattern_ops")), expr("lower(title)", desc))` | index elements with their options: a column (a name, or a string for any name) or `expr("..", ..)` followed by `desc` or `asc`, `nulls_first` or `nulls_last`, `collate = ".."`, `opclass = ".."` (`CREATE INDEX .. (created_at DESC NULLS LAST, title COLLATE "C" text_pattern_ops, (lower(title)) DESC)`). An expression is the expression alone: `expr = "created_at DESC"` is a compile error saying to write `columns(created_at(desc))` |
//! | `check(expr = "price > 0", name = "ck")` | check constraint; repeatable; `name` optional |
//! | `exclude(name = "no_overlap", using = "gist", element(column = "room_id", op = "="), element(expr = "tstzrange(starts_at, ends_at)", op = "&&"), where = "NOT cancelled", include("id"), deferrable, initially_deferred)` | exclusion constraint (PostgreSQL; SQLAlchemy's `ExcludeConstraint`): `CONSTRAINT no_overlap EXCLUDE USING gist (room_id WITH =, (tstzrange(starts_at, ends_at)) WITH &&) WHERE (NOT cancelled)`; repeatable. `name` is required (no naming convention names one, and a migration drops it by name) and at least one `element`; `using` defaults to `gist`. An element is a `column = ".."` or an `expr = ".."` with its `op = ".."`, and the index element options `opclass`, `collate`, `desc`/`asc`, `nulls_first`/`nulls_last`. `room_id WITH =` under gist needs PostgreSQL's `btree_gist` extension; SQLite has no exclusion constraints and refuses them, naming table and constraint |
//! | `foreign_key(columns("a", "b"), references = "table(x, y)", on_delete = "..", on_update = "..", name = "..", deferrable, initially_deferred, match = "full", use_alter)` | composite foreign key; repeatable; `references` may be `"schema.table(x, y)"`; `match = "full"` is `MATCH FULL` (SQLAlchemy's `match=`; PostgreSQL: SQLite and MySQL, which parse it and ignore it, refuse it); `use_alter` (SQLAlchemy's) is accepted and unnecessary: `create_all` adds the keys that close a cycle afterwards by itself |
//! | `foreign_key(columns("a", "b"), references(table = "odd.t, 1", schema = "sales.eu", columns("i.d", "pa(rt, 2")), ..)` | the same, the referenced table, schema (optional: the default) and columns taken as written: for names that hold a `.`, `,` or `(`, which `references = ".."` would split. `models --from-db` writes this form for such names |
//! | `sequence(name = "order_no_seq", data_type = "integer", start = 1000, increment = 10, minvalue = 1, maxvalue = 99999, cycle, cache = 20)` | a standalone sequence (SQLAlchemy's `Sequence` in the metadata), in the model's schema; repeatable; only `name` is required (`data_type`: `"smallint"`, `"integer"` or `"bigint"`, the default). PostgreSQL only: SQLite refuses sequences |
//! | `has_many(orders = Order, back_populates = "customer", cascade = "all, delete-orphan")` | a relationship named `orders` to model `Order`, without a field; repeatable; `has_one`, `belongs_to` and `many_to_many` (with `secondary`) alike; the options are the relationship attributes below |
//!
//! Columns in struct attributes are SQL column names (after any `column = ".."` rename) and
//! must be columns of the model: a name that is not is a compile error at that name.
//!
//! ## Column attributes: `#[retort(...)]` on a column field
//!
//! | attribute | meaning |
//! |---|---|
//! | `primary_key` | the column is (part of) the primary key, in field order; implies NOT NULL |
//! | `identity = "always"` / `"by_default"` | `GENERATED ALWAYS/BY DEFAULT AS IDENTITY`; implies NOT NULL |
//! | `identity_start = 1000`, `identity_increment = 10`, `identity_minvalue = 1`, `identity_maxvalue = 99999`, `identity_cycle`, `identity_cache = 20` | identity sequence options (need `identity`; PostgreSQL only, SQLite refuses them): `GENERATED ALWAYS AS IDENTITY (START WITH 1000 INCREMENT BY 10 MINVALUE 1 MAXVALUE 99999 CYCLE CACHE 20)`. Unset ones are the database's defaults for the column's type |
//! | `serial` | a serial column (PostgreSQL `serial`/`bigserial`/`smallserial` by the field's integer type): NOT NULL, its default the `nextval` of a sequence it owns (`<table>_<column>_seq`), created, dropped and re-created with it. On SQLite it must be the table's whole integer primary key, which is then the rowid (`INTEGER PRIMARY KEY AUTOINCREMENT`, as an identity) |
//! | `default_sequence = "order_no_seq"` | server default `nextval('order_no_seq'::regclass)`: a standalone sequence the model declares with `sequence(..)` (SQLAlchemy's `server_default=Sequence('order_no_seq').next_value()`) |
//! | `length = 20` / `length(20)` | the length of the field's own text type: `VARCHAR(20)` on a `String`, `VARCHAR(20)[][]` on a `Vec<Vec<String>>` (the innermost element), through `Option` too; on a type that takes no length, a compile error naming it |
//! | `column = "sql_name"` | the column's name; default: the field's name |
//! | `nullable` / `nullable = false` | force nullability, whatever the Rust type says |
//! | `server_default = "now()"` | server default, an SQL expression passed through verbatim |
//! | `default_value = 5` / `"text"` / `true` / `9.99` / `-1` | server default, a literal the dialect renders and escapes |
//! | `computed = "price * qty"` | a stored generated column (`GENERATED ALWAYS AS (..) STORED`) |
//! | `comment = "..."` | column comment |
//! | `foreign_key = "table.column"` / `"schema.table.column"` | a single-column foreign key; an unqualified table is in the default schema (as in SQLAlchemy), even from a model with `schema = ".."`: write `"inventory.warehouses.id"` for one in a named schema |
//! | `foreign_key(table = "odd.t, 1", schema = "sales.eu", column = "i.d")` | the same, the referenced table, schema (optional: the default) and column taken as written: for a name that holds a `.`, which `foreign_key = ".."` would split. The options below go beside it on the field. `models --from-db` writes this form for such names |
//! | `on_delete = ".."`, `on_update = ".."` | referential actions: `"cascade"`, `"set null"`, `"set default"`, `"restrict"`, `"no action"` (need `foreign_key`) |
//! | `deferrable`, `initially_deferred` | `DEFERRABLE [INITIALLY DEFERRED]` (need `foreign_key`) |
//! | `match = "full"` | `MATCH FULL` (needs `foreign_key`; `"simple"`, the default, is also accepted). PostgreSQL: SQLite and MySQL refuse it |
//! | `fk_name = ".."` | the foreign key constraint's name (needs `foreign_key`) |
//! | `collation = "C"` | `COLLATE "C"`: the column's collation, named as the database names it (PostgreSQL `"C"`, `"und-x-icu"`; SQLite `NOCASE`, `RTRIM`) |
//! | `inherited` | only a parent table (`inherits`) gives the column, not the table's own (`pg_attribute.attislocal` false): `CREATE TABLE` leaves it out, as `pg_dump` does; a parent must have it. A column the child declares too is not `inherited` |
//! | `use_alter` | accepted for SQLAlchemy models, and unnecessary: foreign-key cycles are broken automatically |
//! | `unique` | a single-column unique constraint (named by the naming convention, if any) |
//! | `index` | a single-column index (named by the naming convention, `ix_<table>_<column>` by default) |
//! | `sqlite(no_server_default)`, `sqlite(sql_type = "TEXT")`, `postgres(default_value = 1)`, `mysql(server_default = "uuid()")` | a per-dialect variant (SQLAlchemy's `with_variant`): a type key and/or a default (`server_default`, `default_value`, `no_server_default`) that this database (`postgres`, `sqlite`, or `mysql` for MySQL and MariaDB) uses instead of the field's own |
//!
//! A **per-dialect variant** gives one database another type or default; the table carries
//! every variant (`Type::with_variant`, `ServerDefault::with_variant`), each database creates
//! and compares its own, and revision scripts record them all so a history runs on both:
//!
//! ```text
//! #[retort(primary_key, server_default = "gen_random_uuid()", sqlite(no_server_default), mysql(server_default = "uuid()"))]
//! pub id: uuid::Uuid,
//! #[retort(jsonb, sqlite(sql_type = "TEXT"))]
//! pub body: String,
//! #[retort(server_default = "now()", sqlite(server_default = "CURRENT_TIMESTAMP"))]
//! pub created: chrono::DateTime<chrono::Utc>,
//! ```
//!
//! One **type override** replaces the `ColumnType` mapping: `smallint`, `integer`, `bigint`,
//! `real`, `double`, `boolean`, `text`, `date`, `time`, `timetz`, `timestamp`, `timestamptz`,
//! `interval`, `uuid`, `json`, `jsonb`, `binary`; `varchar`, `varchar = 255` or
//! `varchar(255)`; `char`, `char = 3` or `char(3)`; `numeric`, `numeric(10)` or
//! `numeric(10, 2)`; and `sql_type = "tsvector"` for any other type, rendered verbatim
//! (`Type::Custom`). With an override the field's type need not implement `ColumnType`;
//! nullability then follows the written type (`Option<..>`) or `nullable`.
//!
//! Conflicts are compile errors: two type overrides (or one with `length`), `server_default` with `default_value`,
//! `computed` with a default or identity, identity with a default, `nullable` with
//! `primary_key` or `identity`, `serial` with identity, a default, `computed` or `nullable`.
//!
//! ## Relationship attributes
//!
//! On the struct, `has_many(name = Target, ..)`, `has_one(..)`, `belongs_to(..)` or
//! `many_to_many(..)`, the relationship's name and target model first; or on a
//! `HasMany<T>`, `HasOne<T>`, `BelongsTo<T>` or `ManyToMany<T>` field:
//!
//! | attribute | meaning |
//! |---|---|
//! | `back_populates = "field"` | the relationship field on `T` that points back here |
//! | `cascade = "all, delete-orphan"` | SQLAlchemy cascade words (`all`, `save-update`, `merge`, `refresh-expire`, `expunge`, `delete`, `delete-orphan`, `none`), checked at compile time; default `"save-update, merge"` |
//! | `foreign_keys = "b_id"` / `foreign_keys("x", "y")` | SQLAlchemy's `foreign_keys=[..]`: the referencing columns (by column name; several comma-separated, or as a list when a name holds a `,`) of the foreign key this relationship follows: on a `belongs_to`, this table's; on a `has_many`/`has_one`, the target's. Required where the two tables have more than one foreign key between them (`validate()` says which); not on `many_to_many` |
//! | `passive_deletes` / `passive_deletes = true` | SQLAlchemy's `passive_deletes=True`: deleting this model through the query runtime leaves the related rows to the foreign key's `ON DELETE`, neither deleted (`delete` cascade) nor set to `NULL` first; on a `many_to_many`, its association rows (and, with `delete`, its targets) are left alone, for the link table's `ON DELETE CASCADE` |
//! | `secondary = "assoc_table"` | the association table by name, with `through` (alone, a compile error: the query runtime could not see the table's columns); `secondary` is required on, and only allowed on, `ManyToMany<T>` |
//! | `secondary = assoc_table` | the association table as a function returning its `Table` (SQLAlchemy's `secondary=assoc_table`, a table with no model; add it to the `MetaData` too): the query runtime loads and writes through it |
//! | `through = AssocModel` | a many-to-many relationship's association model (its table is `secondary`), which the query runtime needs to load and write through it when `secondary` is a name |
//!
//! Whether each relationship has a foreign-key path, and whether `back_populates` points
//! back, needs the other models, so `MetaData::validate()` checks those at run time.
//!
//! # `#[derive(DbEnum)]`
//!
//! On an enum with fieldless variants. It implements `DbEnum` (the `EnumType` definition) and
//! `ColumnType` (`Type::Enum`), so a field of that type is an enum column and
//! `MetaData::with::<Model>()` registers the type.
//!
//! | attribute | meaning |
//! |---|---|
//! | `#[retort(name = "order_status")]` on the enum | the type's name; default: the enum name in snake_case |
//! | `#[retort(schema = "sales")]` on the enum | the type's schema |
//! | `#[retort(rename = "on-hold")]` on a variant | the stored value; default: the variant name in snake_case |
//!
//! # Every attribute, in one example
//!
//! The same block is in the README (a test keeps the two equal and checks that it uses every
//! key the derives accept); this one is compiled and run as a doc test.
//!
//! ```
//! use retort::prelude::*;
//!
//! #[derive(DbEnum)]
//! #[retort(name = "order_status", schema = "sales")] // default name: the enum's in snake_case
//! pub enum OrderStatus {
//!     Pending,
//!     #[retort(rename = "on-hold")] // the stored value; default: the variant in snake_case
//!     OnHold,
//! }
//!
//! #[derive(Model)]
//! #[retort(
//!     table = "orders",
//!     schema = "sales",
//!     comment = "one row per order",
//!     // relationships: no column, no field; `Order::lines` loads them (retort::orm)
//!     has_many(lines = LineItem, back_populates = "order", cascade = "all, delete-orphan"),
//!     // passive_deletes: deleting an order leaves its lines to their ON DELETE CASCADE
//!     has_many(line_rows = LineItem, passive_deletes),
//!     many_to_many(tags = Tag, secondary = "sales.order_tags", through = OrderTag)
//! )]
//! pub struct Order {
//!     #[retort(
//!         primary_key,
//!         identity = "always", // or "by_default"
//!         identity_start = 1000,
//!         identity_increment = 10,
//!         identity_minvalue = 1000,
//!         identity_maxvalue = 999999,
//!         identity_cycle,
//!         identity_cache = 20
//!     )]
//!     pub order_id: i64,
//!     #[retort(column = "order_ref", length = 20, unique, collation = "C", comment = "printed on the invoice")]
//!     pub reference: String, // order_ref VARCHAR(20) COLLATE "C" NOT NULL UNIQUE
//!     #[retort(default_value = "pending")] // a literal the dialect quotes: 5, true, 9.99, -1, "text"
//!     pub status: OrderStatus,
//!     #[retort(server_default = "now()", sqlite(server_default = "CURRENT_TIMESTAMP"))]
//!     pub placed_at: chrono::DateTime<chrono::Utc>,
//!     #[retort(nullable, index)] // nullable whatever the Rust type says; a one-column index
//!     pub note: String,
//!     #[retort(nullable = false)]
//!     pub discount: Option<i32>,
//! }
//!
//! #[derive(Model)]
//! #[retort(
//!     table = "line_items",
//!     schema = "sales",
//!     belongs_to(order = Order, back_populates = "lines"),
//!     primary_key(columns("order_id", "line_no"), name = "pk_line_items", with = "fillfactor=100"),
//!     unique(columns("order_id", "sku"), name = "uq_line_items_sku", deferrable, initially_deferred, nulls_not_distinct, with = "fillfactor=90"),
//!     index(
//!         columns("sku", added_at(desc, nulls_last), "label"(collate = "C", opclass = "text_pattern_ops")),
//!         expr("lower(label)", asc, nulls_first),
//!         name = "ix_line_items_search",
//!         method = "btree",
//!         include("qty"),
//!         where = "qty > 0",
//!         with = "fillfactor=80" // the index's storage parameters (PostgreSQL)
//!     ),
//!     index(expr = "lower(sku)", unique, nulls_not_distinct),
//!     check(expr = "qty > 0", name = "qty_positive"),
//!     foreign_key(
//!         columns("order_id"),
//!         references = "sales.orders(order_id)",
//!         on_delete = "cascade",
//!         on_update = "no action",
//!         name = "fk_line_items_order",
//!         deferrable,
//!         initially_deferred,
//!         match = "full", // MATCH FULL (PostgreSQL; SQLite and MySQL refuse it)
//!         use_alter
//!     )
//! )]
//! pub struct LineItem {
//!     pub order_id: i64,
//!     pub line_no: i32,
//!     #[retort(varchar = 40)]
//!     pub sku: String,
//!     pub label: String,
//!     pub qty: i32,
//!     #[retort(numeric(10, 2), computed = "qty * 2")] // GENERATED ALWAYS AS (qty * 2) STORED
//!     pub doubled: rust_decimal::Decimal,
//!     pub added_at: Option<chrono::DateTime<chrono::Utc>>,
//!     #[retort(
//!         foreign_key = "sales.tags.tag_id", // "table.column" means the default schema
//!         on_delete = "set null",
//!         on_update = "cascade",
//!         deferrable,
//!         initially_deferred,
//!         match = "simple", // the default; "full" is MATCH FULL
//!         fk_name = "fk_line_items_tag",
//!         use_alter // accepted from SQLAlchemy; cycles are broken without it
//!     )]
//!     pub tag_id: Option<i32>,
//! }
//!
//! #[derive(Model)]
//! #[retort(table = "tags", schema = "sales", has_one(line = LineItem, foreign_keys = "tag_id"))] // one line refers to it, by tag_id
//! pub struct Tag {
//!     #[retort(primary_key, identity = "by_default")]
//!     pub tag_id: i32,
//!     #[retort(text, default_value = "new", postgres(server_default = "'new'::text"), sqlite(no_server_default), mysql(varchar = 40))]
//!     pub name: String,
//!     #[retort(secondary = "sales.order_tags", through = OrderTag)] // a relationship as a field: filled with `ManyToMany::default()`
//!     pub orders: ManyToMany<Order>,
//! }
//!
//! #[derive(Model)]
//! #[retort(table = "order_tags", schema = "sales", primary_key(columns("order_id", "tag_id")))]
//! pub struct OrderTag {
//!     #[retort(foreign_key = "sales.orders.order_id")]
//!     pub order_id: i64,
//!     #[retort(foreign_key = "sales.tags.tag_id")]
//!     pub tag_id: i32,
//! }
//!
//! #[derive(Model)]
//! #[retort(
//!     table = "bookings",
//!     schema = "sales",
//!     exclude(
//!         name = "no_double_booking", // required: PostgreSQL's own name cannot be predicted
//!         using = "gist",             // the default, as in SQLAlchemy
//!         element(column = "room", op = "="), // `=` under gist needs the btree_gist extension
//!         element(expr = "tstzrange(starts_at, ends_at)", op = "&&"),
//!         where = "NOT cancelled",
//!         include("note"),
//!         deferrable,
//!         initially_deferred
//!     )
//! )]
//! pub struct Booking {
//!     #[retort(primary_key)]
//!     pub id: i32,
//!     pub room: i32,
//!     pub starts_at: chrono::DateTime<chrono::Utc>,
//!     pub ends_at: chrono::DateTime<chrono::Utc>,
//!     pub cancelled: bool,
//!     pub note: Option<String>,
//! }
//!
//! #[derive(Model)]
//! #[retort(
//!     table = "invoices",
//!     schema = "sales",
//!     sequence( // a standalone sequence, versioned with the table
//!         name = "invoice_no_seq", // in the model's schema
//!         data_type = "integer",
//!         start = 1000,
//!         increment = 1,
//!         minvalue = 1000,
//!         maxvalue = 999999,
//!         cycle,
//!         cache = 1
//!     )
//! )]
//! pub struct Invoice {
//!     #[retort(primary_key, serial)] // bigserial: the sequence it owns comes back with it
//!     pub invoice_id: i64,
//!     #[retort(default_sequence = "sales.invoice_no_seq")] // DEFAULT nextval('sales.invoice_no_seq')
//!     pub invoice_no: i32,
//! }
//!
//! #[derive(Model)]
//! #[retort(
//!     table = "old_invoices",
//!     schema = "sales",
//!     inherits = "sales.invoices", // INHERITS (sales.invoices): created after it (PostgreSQL)
//!     with = "fillfactor=70, autovacuum_enabled=false" // WITH (..): storage parameters (PostgreSQL)
//! )]
//! pub struct OldInvoice {
//!     #[retort(inherited)] // the parent's column, not written in CREATE TABLE
//!     pub invoice_id: i64,
//!     #[retort(inherited)]
//!     pub invoice_no: i32,
//!     pub archived_on: chrono::NaiveDate, // the child's own
//! }
//!
//! /// One type override a field: the Rust type then need not map to SQL by itself.
//! #[derive(Model)]
//! #[retort(table = "type_overrides")]
//! pub struct TypeOverrides {
//!     #[retort(primary_key, integer)]
//!     pub id: i64,
//!     #[retort(smallint)]
//!     pub a: i64,
//!     #[retort(bigint)]
//!     pub b: i32,
//!     #[retort(real)]
//!     pub c: f64,
//!     #[retort(double)]
//!     pub d: f32,
//!     #[retort(boolean)]
//!     pub e: i32,
//!     #[retort(text)]
//!     pub f: String,
//!     #[retort(varchar(255))] // or `varchar` (no length) or `varchar = 255`
//!     pub g: String,
//!     #[retort(char = 3)] // or `char`, `char(3)`
//!     pub h: String,
//!     #[retort(numeric(10))] // or `numeric`, `numeric(10, 2)`
//!     pub i: String,
//!     #[retort(date)]
//!     pub j: String,
//!     #[retort(time)]
//!     pub k: String,
//!     #[retort(timetz)]
//!     pub l: String,
//!     #[retort(timestamp)]
//!     pub m: String,
//!     #[retort(timestamptz)]
//!     pub n: String,
//!     #[retort(interval)]
//!     pub o: String,
//!     #[retort(uuid)]
//!     pub p: String,
//!     #[retort(json)]
//!     pub q: String,
//!     #[retort(jsonb, sqlite(sql_type = "TEXT"))] // another type on one database
//!     pub r: String,
//!     #[retort(binary)]
//!     pub s: String,
//!     #[retort(sql_type = "tsvector", sqlite(text))]
//!     pub t: Option<String>,
//! }
//!
//! let md = MetaData::new()
//!     .with::<Order>()
//!     .with::<LineItem>()
//!     .with::<Tag>()
//!     .with::<OrderTag>()
//!     .with::<Booking>()
//!     .with::<Invoice>()
//!     .with::<OldInvoice>()
//!     .with::<TypeOverrides>();
//! md.validate().unwrap();
//! ```

mod attrs;
mod constraint;
mod db_enum;
mod exclude;
mod expand;
mod feature_hint;
mod field;
mod index_element;
mod model;
mod record;
#[cfg(test)]
mod tests;
mod variant;

use proc_macro::TokenStream;

/// Implements `retort::core::Model` for a struct; see the crate documentation for attributes.
#[proc_macro_derive(Model, attributes(retort))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    derive_model_inner(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements `retort::core::DbEnum` and `ColumnType` for a fieldless enum; see the crate
/// documentation for attributes.
#[proc_macro_derive(DbEnum, attributes(retort))]
pub fn derive_db_enum(input: TokenStream) -> TokenStream {
    derive_db_enum_inner(input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

fn derive_model_inner(input: proc_macro2::TokenStream) -> syn::Result<proc_macro2::TokenStream> {
    let input: syn::DeriveInput = syn::parse2(input)?;
    let def = model::parse_model(&input)?;
    let mut out = expand::expand_model(&def);
    let fields: Vec<(syn::Ident, syn::Visibility)> = match &input.data {
        syn::Data::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| Some((f.ident.clone()?, f.vis.clone())))
            .collect(),
        _ => Vec::new(),
    };
    let vis_of = |ident: &syn::Ident| {
        fields
            .iter()
            .find(|(i, _)| i == ident)
            // A relationship declared on the struct has no field: the struct's visibility.
            .map_or_else(|| input.vis.clone(), |(_, v)| v.clone())
    };
    out.extend(record::expand_record(&def, &vis_of));
    Ok(out)
}

fn derive_db_enum_inner(input: proc_macro2::TokenStream) -> syn::Result<proc_macro2::TokenStream> {
    let input: syn::DeriveInput = syn::parse2(input)?;
    let def = db_enum::parse_enum(&input)?;
    Ok(db_enum::expand_enum(&def))
}
