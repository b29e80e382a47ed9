"""SQLite: a read (a connection's implicit transaction) takes no lock, so a long report never keeps a writer
waiting; writes (explicit transactions) take the write lock at their start and queue behind each other."""
from __future__ import annotations

import threading

from sqlalchemy import text

from danso.storage.engine import make_engine


def test_a_write_goes_through_while_a_read_transaction_is_open(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    with engine.begin() as c:
        c.execute(text("CREATE TABLE t (x INTEGER)"))
    reading, written = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def reader() -> None:
        with engine.connect() as c:
            seen["before"] = c.execute(text("SELECT count(*) FROM t")).scalar_one()
            reading.set()
            seen["written_while_reading"] = written.wait(timeout=10)  # the read transaction is still open
            seen["snapshot"] = c.execute(text("SELECT count(*) FROM t")).scalar_one()

    th = threading.Thread(target=reader)
    th.start()
    assert reading.wait(timeout=10)
    with engine.begin() as c:
        c.execute(text("INSERT INTO t VALUES (1)"))
    written.set()
    th.join()
    assert seen == {"before": 0, "written_while_reading": True, "snapshot": 0}  # the reader kept its snapshot
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM t")).scalar_one() == 1


def test_explicit_transactions_take_the_write_lock_at_their_start(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    with engine.begin() as c:
        assert c.connection.driver_connection.in_transaction
        c.execute(text("CREATE TABLE t (x INTEGER)"))
    other = make_engine(f"sqlite:///{tmp_path / 'd.db'}")
    with engine.begin() as c:  # holds the write lock: another writer cannot start
        c.execute(text("SELECT 1"))
        raw = other.raw_connection()
        raw.driver_connection.execute("PRAGMA busy_timeout = 0")
        try:
            raw.driver_connection.execute("BEGIN IMMEDIATE")
            locked = False
        except Exception as e:  # noqa: BLE001
            locked = "locked" in str(e)
        finally:
            raw.close()
    assert locked
