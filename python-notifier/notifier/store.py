"""The dedup store: which notifications were sent, in SQLite, so restarts never resend."""

from __future__ import annotations

import sqlite3
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


@dataclass(frozen=True)
class Entry:
    """One row of ``sent``: the status, when, the receipt (JSON) and whether it is on Kafka."""

    notification_id: str
    status: str
    at: str
    receipt: str | None
    published: bool


class DedupStore:
    """``sent(notification_id primary key, status, at, receipt, published)``.

    ``status`` is ``sending`` from just before the sender is called until its outcome is
    recorded, then ``sent`` or ``failed``; ``receipt`` is the receipt event to (re)publish
    and ``published`` turns 1 once it is flushed to Kafka. Every write is committed and
    synced before the call returns.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(_SCHEMA)

    def get(self, notification_id: str) -> Entry | None:
        """The row of ``notification_id``, or ``None``."""
        row = self.db.execute(
            "SELECT notification_id, status, at, receipt, published FROM sent"
            " WHERE notification_id = ?",
            (notification_id,),
        ).fetchone()
        return Entry(row[0], row[1], row[2], row[3], bool(row[4])) if row else None

    def claim(self, notification_id: str, at: str) -> Entry | None:
        """Record the intent to send (``sending``); returns ``None`` if this call claimed it,
        else the existing row (the notification was claimed before: do not send blindly)."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO sent (notification_id, status, at) VALUES (?, ?, ?)",
            (notification_id, SENDING, at),
        )
        return None if cursor.rowcount == 1 else self.get(notification_id)

    def finish(self, notification_id: str, status: str, at: str, receipt: str) -> None:
        """Record the outcome of a send and the receipt that reports it."""
        if status not in (SENT, FAILED):
            raise ValueError(f"not a final status: {status}")
        self.db.execute(
            "UPDATE sent SET status = ?, at = ?, receipt = ?, published = 0"
            " WHERE notification_id = ?",
            (status, at, receipt, notification_id),
        )

    def mark_published(self, notification_id: str) -> None:
        """Record that the receipt is on Kafka."""
        self.db.execute(
            "UPDATE sent SET published = 1 WHERE notification_id = ?", (notification_id,)
        )

    def count(self, status: str) -> int:
        """How many rows have ``status``."""
        return self.db.execute("SELECT count(*) FROM sent WHERE status = ?", (status,)).fetchone()[
            0
        ]

    def close(self) -> None:
        """Close the database."""
        self.db.close()
