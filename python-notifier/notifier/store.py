"""The dedup store: which notifications were sent, in SQLite, so restarts never resend."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SENDING = "sending"
SENT = "sent"
FAILED = "failed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (
    notification_id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    at TEXT NOT NULL,
    receipt TEXT,
    published INTEGER NOT NULL DEFAULT 0
)
"""

# Finds the receipts still to publish at start without scanning the whole table.
_UNPUBLISHED_INDEX = """
CREATE INDEX IF NOT EXISTS sent_unpublished ON sent (notification_id) WHERE published = 0
"""


@dataclass(frozen=True)
class Entry:
    """One row of ``sent``: the status, when, the receipt (JSON) and whether it is on Kafka."""

    notification_id: str
    status: str
    at: str
    receipt: str | None
    published: bool


@dataclass(frozen=True)
class Finished:
    """The outcome of one send, to record: status, when, and the receipt event (JSON)."""

    notification_id: str
    status: str
    at: str
    receipt: str


class DedupStore:
    """``sent(notification_id primary key, status, at, receipt, published)``.

    ``status`` is ``sending`` from just before the sender is called until its outcome is
    recorded, then ``sent`` or ``failed``; ``receipt`` is the receipt event to (re)publish
    and ``published`` turns 1 once it is flushed to Kafka. Every call is one transaction,
    whether it writes one row or a batch of them, committed and synced before it returns
    (but for :meth:`mark_published`).
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = path
        # created 0600 before SQLite opens it (its -wal and -shm files take the same mode), so
        # that no other local user reads which notifications went out and their receipts
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(_SCHEMA)
        self.db.execute(_UNPUBLISHED_INDEX)

    @contextmanager
    def _transaction(self, synced: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed at the end, rolled back on error.

        ``synced``: the commit is on disk when it returns. Otherwise it is in the WAL file,
        safe from a crash of the process but not of the machine, until the next synced commit.
        """
        if not synced:
            self.db.execute("PRAGMA synchronous=NORMAL")
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        finally:
            if not synced:
                self.db.execute("PRAGMA synchronous=FULL")

    def get(self, notification_id: str) -> Entry | None:
        """The row of ``notification_id``, or ``None``."""
        row = self.db.execute(
            "SELECT notification_id, status, at, receipt, published FROM sent"
            " WHERE notification_id = ?",
            (notification_id,),
        ).fetchone()
        return Entry(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    def claim(self, notification_ids: Sequence[str], at: str) -> dict[str, Entry | None]:
        """Record the intent to send (``sending``) each of the distinct ``notification_ids``, in
        one transaction: id -> ``None`` if claimed now, else the existing row (claimed before:
        do not send blindly)."""
        claimed: dict[str, Entry | None] = {}
        with self._transaction() as db:
            for notification_id in notification_ids:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO sent (notification_id, status, at) VALUES (?, ?, ?)",
                    (notification_id, SENDING, at),
                )
                fresh = cursor.rowcount == 1
                claimed[notification_id] = None if fresh else self.get(notification_id)
        return claimed

    def finish(self, outcomes: Sequence[Finished]) -> None:
        """Record the outcomes of several sends and their receipts in one transaction."""
        for outcome in outcomes:
            if outcome.status not in (SENT, FAILED):
                raise ValueError(f"not a final status: {outcome.status}")
        with self._transaction() as db:
            db.executemany(
                "UPDATE sent SET status = ?, at = ?, receipt = ?, published = 0"
                " WHERE notification_id = ?",
                [(o.status, o.at, o.receipt, o.notification_id) for o in outcomes],
            )

    def mark_published(self, notification_ids: Iterable[str]) -> None:
        """Record that these receipts are on Kafka, in one transaction.

        Not synced: the mark only spares a republish. Lost in a machine crash, it costs one
        more copy of the receipts (same event ids); the next synced commit makes it durable.
        """
        with self._transaction(synced=False) as db:
            db.executemany(
                "UPDATE sent SET published = 1 WHERE notification_id = ?",
                [(notification_id,) for notification_id in notification_ids],
            )

    def unpublished(self) -> list[tuple[str, str]]:
        """``(notification_id, receipt)`` of every outcome whose receipt is not on Kafka yet."""
        return self.db.execute(
            "SELECT notification_id, receipt FROM sent"
            " WHERE published = 0 AND status IN (?, ?) ORDER BY rowid",
            (SENT, FAILED),
        ).fetchall()

    def count(self, status: str) -> int:
        """How many rows have ``status``."""
        sql = "SELECT count(*) FROM sent WHERE status = ?"
        return self.db.execute(sql, (status,)).fetchone()[0]

    def close(self) -> None:
        """Close the database."""
        self.db.close()
