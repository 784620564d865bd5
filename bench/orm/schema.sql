-- The seed's customers and orders (examples/ecommerce/src/models.rs), as Retort's
-- create_all writes them for PostgreSQL, plus an index on orders.customer_id for the
-- batched load and the filtered query. Every tool runs on a fresh database made from this.
CREATE TABLE customers (
    customer_id integer GENERATED ALWAYS AS IDENTITY NOT NULL,
    first_name varchar NOT NULL,
    last_name varchar NOT NULL,
    email_address varchar NOT NULL,
    CONSTRAINT customers_pkey PRIMARY KEY (customer_id)
);
CREATE TABLE orders (
    order_id integer GENERATED ALWAYS AS IDENTITY NOT NULL,
    customer_id integer NOT NULL,
    order_date timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (order_id),
    CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (customer_id) ON DELETE CASCADE
);
CREATE INDEX ix_orders_customer_id ON orders (customer_id);
