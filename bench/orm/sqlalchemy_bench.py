"""The ORM benchmark's workload (src/lib.rs) in SQLAlchemy 2.x async with asyncpg (an anchor).

ORM-mapped classes, an AsyncSession; inserts as SQLAlchemy 2's ORM bulk INSERT with
RETURNING (``insert(Order).returning(Order)`` with a list of dicts, its "insertmanyvalues"
batches), the load as ``selectinload(Customer.orders)``, the filter as a ``select``.
Prints the same one line as the Rust tools.
"""

import asyncio
import datetime
import os
import resource
import time

from sqlalchemy import ForeignKey, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload

CUSTOMERS = 1_000
ORDERS = 100_000
BATCH = 1_000
FILTERS = 200
FILTER_SPAN = 5
FILTER_LIMIT = 100


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"
    customer_id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str]
    last_name: Mapped[str]
    email_address: Mapped[str]
    orders: Mapped[list["Order"]] = relationship(back_populates="customer")


class Order(Base):
    __tablename__ = "orders"
    order_id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.customer_id"))
    order_date: Mapped[datetime.datetime] = mapped_column(server_default=func.now())
    customer: Mapped[Customer] = relationship(back_populates="orders")


def peak_rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


async def main():
    url = os.environ["BENCH_URL"].replace("postgres://", "postgresql+asyncpg://", 1)
    engine = create_async_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    times = []

    async def phase(name, f):
        start = time.perf_counter()
        rows = await f()
        times.append((name, time.perf_counter() - start, rows))

    ids = []

    async def insert_phase():
        async with sessions() as s, s.begin():
            stored = (
                await s.scalars(
                    insert(Customer).returning(Customer),
                    [
                        {"first_name": f"First{i}", "last_name": f"Last{i}", "email_address": f"c{i}@example.com"}
                        for i in range(CUSTOMERS)
                    ],
                )
            ).all()
        ids.extend(c.customer_id for c in stored)
        rows = len(stored)
        for start in range(0, ORDERS, BATCH):
            async with sessions() as s, s.begin():
                stored = (
                    await s.scalars(
                        insert(Order).returning(Order),
                        [{"customer_id": ids[i % len(ids)]} for i in range(start, start + BATCH)],
                    )
                ).all()
            rows += len(stored)
        return rows

    async def load_phase():
        async with sessions() as s:
            customers = (
                await s.scalars(
                    select(Customer).options(selectinload(Customer.orders)).order_by(Customer.customer_id)
                )
            ).all()
            return len(customers) + sum(len(c.orders) for c in customers)

    async def filter_phase():
        rows = 0
        async with sessions() as s:
            for i in range(FILTERS):
                k = ids[0] + (i * FILTER_SPAN) % CUSTOMERS
                found = (
                    await s.scalars(
                        select(Order)
                        .where(Order.customer_id >= k, Order.customer_id < k + FILTER_SPAN)
                        .order_by(Order.order_id.desc())
                        .limit(FILTER_LIMIT)
                    )
                ).all()
                rows += len(found)
        return rows

    await phase("insert", insert_phase)
    await phase("load", load_phase)
    await phase("filter", filter_phase)
    await engine.dispose()
    line = "tool=sqlalchemy" + "".join(f" {n}={t:.4f}/{r}" for n, t, r in times)
    # The process's CPU time (user + system), which load from elsewhere barely moves.
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{line} peak_rss_kb={peak_rss_kb()} cpu_s={usage.ru_utime + usage.ru_stime:.3f}")


asyncio.run(main())
