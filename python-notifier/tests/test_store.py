"""The SQLite dedup store: claims, outcomes and publications in batches, across a reopen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from notifier.store import DedupStore, Finished


@pytest.fixture
def store(tmp_path: Path) -> DedupStore:
    return DedupStore(tmp_path / "state.sqlite3")


def test_a_claim_is_exclusive(store: DedupStore) -> None:
    assert store.claim(["n-1"], "2024-05-01T12:00:00Z") == {"n-1": None}
    again = store.claim(["n-1"], "2024-05-01T12:00:05Z")["n-1"]

    assert again is not None
    assert (again.status, again.at, again.published) == ("sending", "2024-05-01T12:00:00Z", False)


def test_what_was_sent_is_remembered_across_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "state.sqlite3"
    store = DedupStore(path)
    store.claim(["n-1", "n-2"], "2024-05-01T12:00:00Z")
    store.finish([Finished("n-1", "sent", "2024-05-01T12:00:01Z", '{"id":"r-1"}')])
    store.mark_published(["n-1"])
    store.close()

    reopened = DedupStore(path)

    sent = reopened.claim(["n-1"], "2024-05-01T13:00:00Z")["n-1"]
    assert (sent.status, sent.at, sent.receipt, sent.published) == (
        "sent",
        "2024-05-01T12:00:01Z",
        '{"id":"r-1"}',
        True,
    )
    assert reopened.get("n-2").status == "sending"
    assert reopened.count("sending") == 1
    assert reopened.get("n-3") is None


def test_a_new_outcome_needs_publishing_again(store: DedupStore) -> None:
    store.claim(["n-1"], "t0")
    store.finish([Finished("n-1", "failed", "t1", "{}")])

    assert store.get("n-1").published is False


def test_the_table_is_the_documented_one(tmp_path: Path) -> None:
    DedupStore(tmp_path / "state.sqlite3").close()

    with sqlite3.connect(tmp_path / "state.sqlite3") as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(sent)")]

    assert columns == ["notification_id", "status", "at", "receipt", "published"]


def test_a_batch_is_claimed_in_one_go_and_known_ids_come_back(store: DedupStore) -> None:
    store.claim(["n-2"], "t0")
    store.finish([Finished("n-2", "sent", "t1", '{"id":"r-2"}')])

    claimed = store.claim(["n-1", "n-2", "n-3"], "t2")

    assert claimed["n-1"] is None and claimed["n-3"] is None
    assert (claimed["n-2"].status, claimed["n-2"].receipt) == ("sent", '{"id":"r-2"}')
    assert store.count("sending") == 2


def test_outcomes_and_publications_are_recorded_in_batches(store: DedupStore) -> None:
    store.claim(["n-1", "n-2", "n-3"], "t0")

    store.finish(
        [Finished("n-1", "sent", "t1", '{"id":"r-1"}'), Finished("n-2", "failed", "t1", "{}")]
    )
    store.mark_published(["n-1"])

    assert [store.get(n).status for n in ("n-1", "n-2", "n-3")] == ["sent", "failed", "sending"]
    assert store.unpublished() == [("n-2", "{}")]


def test_a_batch_with_a_bad_outcome_records_nothing(store: DedupStore) -> None:
    store.claim(["n-1", "n-2"], "t0")

    with pytest.raises(ValueError):
        store.finish([Finished("n-1", "sent", "t1", "{}"), Finished("n-2", "sending", "t1", "{}")])

    assert store.get("n-1").status == "sending"


def test_a_failing_batch_transaction_is_rolled_back(store: DedupStore) -> None:
    with pytest.raises(sqlite3.Error):
        store.claim(["n-1", object()], "t0")  # the second id cannot be bound

    assert store.get("n-1") is None
    assert store.claim(["n-1"], "t1") == {"n-1": None}  # and the store is usable again


def test_unpublished_marks_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = DedupStore(path)
    store.claim(["n-1", "n-2"], "t0")
    store.finish([Finished("n-1", "sent", "t1", "{1}"), Finished("n-2", "sent", "t1", "{2}")])
    store.mark_published(["n-2"])
    store.close()

    reopened = DedupStore(path)

    assert reopened.unpublished() == [("n-1", "{1}")]
    assert reopened.get("n-2").published
