"""Sends a whole SQL file as ONE simple-query message (psycopg2, autocommit so the file's
own BEGIN/COMMIT decide the transactions): the floor with no round trip per statement,
to tell server time from round trips. `python batch_send.py URL FILE`

Lines that are psql meta-commands (`\\set ON_ERROR_STOP on`, which Retort's `--sql` output
starts with) are left out: the server would read them as SQL. One statement failing
fails the whole message anyway."""
import sys

import psycopg2

conn = psycopg2.connect(sys.argv[1])
conn.autocommit = True
with open(sys.argv[2]) as f:
    sql = "".join(line for line in f if not line.startswith("\\"))
conn.cursor().execute(sql)
conn.close()
