"""Sends a whole SQL file as ONE simple-query message (psycopg2, autocommit so the file's
own BEGIN/COMMIT decide the transactions): the floor with no round trip per statement,
to tell server time from round trips. `python batch_send.py URL FILE`"""
import sys

import psycopg2

conn = psycopg2.connect(sys.argv[1])
conn.autocommit = True
with open(sys.argv[2]) as f:
    conn.cursor().execute(f.read())
conn.close()
