"""The SQLite dedup store survives a restart."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from notifier.store import DedupStore


def test_a_claim_is_exclusive(tmp_path: Path) -> None:
    store = DedupStore(tmp_path / "state.sqlite3")

    assert store.claim("n-1", "2024-05-01T12:00:00Z") is None
    again = store.claim("n-1", "2024-05-01T12:00:05Z")

    assert again is not None
    assert (again.status, again.at, again.published) == ("sending", "2024-05-01T12:00:00Z", False)


def test_what_was_sent_is_remembered_across_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "state.sqlite3"
    store = DedupStore(path)
    store.claim("n-1", "2024-05-01T12:00:00Z")
    store.finish("n-1", "sent", "2024-05-01T12:00:01Z", '{"id":"r-1"}')
    store.claim("n-2", "2024-05-01T12:00:02Z")
    store.mark_published("n-1")
    store.close()

    reopened = DedupStore(path)

    sent = reopened.claim("n-1", "2024-05-01T13:00:00Z")
    assert sent is not None
    assert (sent.status, sent.at, sent.receipt, sent.published) == (
        "sent",
        "2024-05-01T12:00:01Z",
        '{"id":"r-1"}',
        True,
    )
    assert reopened.get("n-2").status == "sending"
    assert reopened.count("sending") == 1
    assert reopened.get("n-3") is None


def test_a_new_outcome_needs_publishing_again(tmp_path: Path) -> None:
    store = DedupStore(tmp_path / "state.sqlite3")
    store.claim("n-1", "t0")
    store.finish("n-1", "failed", "t1", "{}")

    assert store.get("n-1").published is False


def test_only_final_statuses_finish_a_send(tmp_path: Path) -> None:
    store = DedupStore(tmp_path / "state.sqlite3")
    store.claim("n-1", "t0")

    with pytest.raises(ValueError):
        store.finish("n-1", "sending", "t1", "{}")


def test_the_table_is_the_documented_one(tmp_path: Path) -> None:
    DedupStore(tmp_path / "state.sqlite3").close()

    with sqlite3.connect(tmp_path / "state.sqlite3") as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(sent)")]

    assert columns == ["notification_id", "status", "at", "receipt", "published"]
