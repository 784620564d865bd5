"""Writes Alembic's "create entities" revision for bench/entities.sh without autogenerate.

alembic_utils autogenerates that revision by simulating every entity in one transaction,
a savepoint each; at the full size (500 views, 150 functions and triggers) it had not
finished after 67 minutes (bench/README.md). The revision is only the setup of the timed
runs (`check` and autogenerate with a database at head), so with ALEMBIC_ENTITIES=written
entities.sh writes it here instead: the same `op.create_entity(..)` of the same
alembic_utils objects, in the order the model lists them (functions, then views, each
after the views it reads, then triggers), dropped in reverse by the downgrade.

    python alembic_entities_revision.py N VIEWS TRIGGERS versions_dir down_revision
"""
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from gen_models import entities  # noqa: E402

HEADER = '''"""create entities (written by bench/alembic_entities_revision.py)

Revision ID: {rev}
Revises: {down}
"""
from alembic import op
from alembic_utils.pg_function import PGFunction
from alembic_utils.pg_trigger import PGTrigger
from alembic_utils.pg_view import PGView

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None

'''


def main() -> None:
    n, views, triggers = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    versions, down = sys.argv[4], sys.argv[5]
    # The list literal gen_models.py writes into models.py, evaluated here.
    text = entities(n, views, triggers, False)
    scope: dict = {}
    exec(text, scope)  # noqa: S102 - our own generated text
    items = [line.strip().rstrip(",") for line in text.splitlines() if line.startswith("    PG")]
    assert len(items) == len(scope["entities"]), "one entity a line"
    rev = "e0e0e0e0e0e0"
    out = [HEADER.format(rev=rev, down=down), "def upgrade() -> None:\n"]
    out += [f"    op.create_entity({item})\n" for item in items]
    out.append("\n\ndef downgrade() -> None:\n")
    out += [f"    op.drop_entity({item})\n" for item in reversed(items)]
    with open(f"{versions}/{rev}_create_entities.py", "w") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
