"""Alembic's env.py for the bench (copied into out/alembic by run.sh): the generated
models.py as target_metadata (and its alembic_utils `entities`, when it has them), the URL
from BENCH_URL, Alembic's defaults otherwise."""
import os
import sys

# Reflecting t999 reflects the table it references, and so on down the chain: Python
# recursion 1,000 tables deep, past the default limit of 1,000 frames.
sys.setrecursionlimit(100_000)

from alembic import context
from sqlalchemy import create_engine, pool

sys.path.insert(0, os.path.dirname(__file__))
import models  # noqa: E402

target_metadata = models.metadata

# bench/entities.sh: the views, functions and triggers, through alembic_utils; not with
# BENCH_NO_ENTITIES=1 (autogenerating the tables' revision: alembic_utils simulates each
# view in the database, where its tables must already exist).
if hasattr(models, "entities") and os.environ.get("BENCH_NO_ENTITIES") != "1":
    from alembic_utils.replaceable_entity import register_entities

    register_entities(models.entities)


def run_migrations_offline() -> None:
    context.configure(url=os.environ["BENCH_URL"], target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(os.environ["BENCH_URL"], poolclass=pool.NullPool)
    with engine.connect() as connection:
        # bench/scale.sh: the model's tables are in schemas s0..s9, which Alembic compares only
        # with include_schemas.
        context.configure(connection=connection, target_metadata=target_metadata,
                          include_schemas=os.environ.get("BENCH_INCLUDE_SCHEMAS") == "1")
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
