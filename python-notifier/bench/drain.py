"""Throughput, latency and CPU of the notifier against a real broker.

Three phases, each on fresh topics and a fresh consumer group, with ``python3 -m notifier``
(outbox sender) in a child process:

1. **drain**: once the notifier is up (a first request has its receipt), ``--count`` requests
   are written at once (much faster than it handles them); it reports how long it takes from
   the first write to the last receipt, and the notifier's CPU time meanwhile;
2. **lone**: ``--lone`` single requests, one at a time, each waiting for its receipt: the
   latency of a request that arrives alone;
3. **rate**: ``--rate`` requests per second for ``--seconds`` (open loop): the notifier's CPU
   use and the latency under steady load.

Latency is from the request's write to the receipt's timestamp (CreateTime, set by the
notifier's producer), so the reader of the receipts adds nothing.

Usage (the broker: ``java -jar launcher/target/baedal.jar kafka --port 29192``)::

    /usr/bin/python3 bench/drain.py --kafka 127.0.0.1:29192 --count 5000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

PROJECT = Path(__file__).resolve().parents[1]


def request(notification_id: str, order_id: str) -> bytes:
    """A ``notification.requested`` CloudEvent."""
    event = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/notify",
        "type": "notification.requested",
        "subject": order_id,
        "time": "2024-05-01T12:00:00Z",
        "datacontenttype": "application/json",
        "data": {
            "notificationId": notification_id,
            "orderId": order_id,
            "customerId": "c-1",
            "recipientPhone": "010-1234-5678",
            "template": "order_accepted",
            "text": "[배달] 주문이 접수되었습니다 / [Baedal] Your order was accepted",
            "buttons": [{"title": "Track order", "url": f"http://127.0.0.1/#/o/{order_id}"}],
        },
    }
    return json.dumps(event, ensure_ascii=False).encode("utf-8")


class Run:
    """Fresh topics, a notifier child process and a reader of its receipts."""

    def __init__(self, args: argparse.Namespace, name: str) -> None:
        self.args = args
        suffix = f"{name}-{uuid.uuid4().hex[:6]}"
        self.prefix = f"bench-{suffix}-"  # BAEDAL_KAFKA_TOPIC_PREFIX
        self.requests = f"{self.prefix}notification-requests"
        self.receipts = f"{self.prefix}notification-receipts"
        admin = AdminClient({"bootstrap.servers": args.kafka})
        topics = [self.requests, self.receipts, f"{self.requests}.dlq"]
        futures = admin.create_topics(
            [NewTopic(t, num_partitions=args.partitions, replication_factor=1) for t in topics]
        )
        for future in futures.values():
            future.result(30)
        self.dir = Path(tempfile.mkdtemp(prefix=f"notifier-bench-{name}-"))
        self.producer = Producer({"bootstrap.servers": args.kafka, "linger.ms": 5})
        self.reader = Consumer(
            {
                "bootstrap.servers": args.kafka,
                "group.id": f"bench-reader-{suffix}",
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,
            }
        )
        self.reader.subscribe([self.receipts])
        self.seen: dict[str, float] = {}  # notificationId -> receipt timestamp (epoch s)
        self.child: subprocess.Popen | None = None

    def produce(self, ids: list[str]) -> None:
        """Write one request per id (key o-<n>) without waiting."""
        for n, nid in enumerate(ids):
            self.producer.produce(self.requests, key=f"o-{n}", value=request(nid, f"o-{n}"))
            self.producer.poll(0)

    def start(self) -> None:
        """Start the notifier on this run's topics, logging to a file."""
        env = {
            **os.environ,
            "BAEDAL_KAFKA": self.args.kafka,
            "BAEDAL_KAFKA_GROUP_PREFIX": f"bench-{uuid.uuid4().hex[:6]}",
            "BAEDAL_KAFKA_TOPIC_PREFIX": self.prefix,
            "BAEDAL_DATA_DIR": str(self.dir),
        }
        if self.args.batch_size:
            env["BAEDAL_NOTIFIER_BATCH_SIZE"] = str(self.args.batch_size)
        if self.args.batch_wait_ms:
            env["BAEDAL_NOTIFIER_BATCH_WAIT_MS"] = str(self.args.batch_wait_ms)
        with open(self.dir / "notifier.log", "ab") as log:
            self.child = subprocess.Popen(
                [sys.executable, "-m", "notifier"], cwd=PROJECT, env=env, stderr=log
            )

    def cpu_seconds(self) -> float:
        """User + system CPU time of the notifier so far."""
        return sum(self.cpu_split())

    def cpu_split(self) -> tuple[float, float]:
        """User and system CPU time of the notifier so far."""
        fields = Path(f"/proc/{self.child.pid}/stat").read_text().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / tick, int(fields[12]) / tick

    def read(self, timeout: float = 0.05) -> None:
        """Note the timestamps of the receipts fetched now (waits up to ``timeout`` for one)."""
        first = self.reader.consume(1, timeout)  # returns as soon as one is there
        for msg in first + (self.reader.consume(1000, 0) if first else []):
            if msg.error() is None:
                nid = json.loads(msg.value())["data"]["notificationId"]
                self.seen.setdefault(nid, msg.timestamp()[1] / 1000)

    def await_receipts(self, ids: list[str], deadline_s: float) -> None:
        """Read receipts until every id in ``ids`` has one."""
        deadline = time.monotonic() + deadline_s
        while not all(i in self.seen for i in ids):
            if time.monotonic() > deadline:
                missing = sum(i not in self.seen for i in ids)
                raise SystemExit(f"{missing} receipts missing after {deadline_s}s ({self.dir})")
            self.read()

    def outbox_check(self, ids: list[str], warm: int = 0) -> None:
        """Every id is in the outbox exactly once (after ``warm`` warm-up lines)."""
        lines = (self.dir / "notifications.jsonl").read_text().splitlines()[warm:]
        sent = [json.loads(line)["notificationId"] for line in lines]
        assert sorted(sent) == sorted(ids), "outbox does not hold each notification once"

    def stop(self) -> None:
        """SIGTERM the notifier and wait for it."""
        self.child.send_signal(signal.SIGTERM)
        code = self.child.wait(60)
        self.reader.close()
        if code != 0:
            raise SystemExit(f"notifier exited {code}, see {self.dir / 'notifier.log'}")

    def clean(self) -> None:
        """Remove the run's files (kept when something went wrong)."""
        shutil.rmtree(self.dir)


def warm_up(run: Run) -> None:
    """Start the notifier and wait until it has handled a first request."""
    run.start()
    warm = [f"w-{uuid.uuid4().hex[:6]}"]
    run.produce(warm)
    run.producer.flush(10)
    run.await_receipts(warm, 60)


def drain(args: argparse.Namespace) -> None:
    """Phase 1: ``count`` requests written at once."""
    run = Run(args, "drain")
    warm_up(run)
    ids = [f"d-{i}-{uuid.uuid4().hex[:6]}" for i in range(args.count)]
    cpu_start, begin = run.cpu_seconds(), time.time()
    run.produce(ids)
    run.producer.flush(60)
    run.await_receipts(ids, 600)
    cpu = run.cpu_seconds() - cpu_start
    elapsed = max(run.seen[i] for i in ids) - begin
    run.stop()
    run.outbox_check(ids, warm=1)
    run.clean()
    print(
        f"drain: {args.count} requests, {args.partitions} partitions: "
        f"{elapsed:.2f}s = {args.count / elapsed:.0f}/s, "
        f"CPU {cpu:.2f}s ({1000 * cpu / args.count:.2f} ms per notification)"
    )


def lone(args: argparse.Namespace) -> None:
    """Phase 2: single requests, one at a time."""
    run = Run(args, "lone")
    warm_up(run)
    latencies = []
    for i in range(args.lone):
        nid = f"l-{i}-{uuid.uuid4().hex[:6]}"
        written = time.time()
        run.produce([nid])
        run.producer.flush(10)
        run.await_receipts([nid], 30)
        latencies.append(1000 * (run.seen[nid] - written))
        time.sleep(0.05)
    run.stop()
    run.clean()
    print(
        f"lone: {args.lone} single requests, write to receipt: median "
        f"{statistics.median(latencies):.1f} ms, max {max(latencies):.1f} ms"
    )


def rate(args: argparse.Namespace) -> None:
    """Phase 3: ``rate`` requests per second for ``seconds`` (open loop)."""
    run = Run(args, "rate")
    warm_up(run)
    total = int(args.rate * args.seconds)
    ids = [f"r-{i}-{uuid.uuid4().hex[:6]}" for i in range(total)]
    written: dict[str, float] = {}
    split_start = run.cpu_split()
    cpu_start, begin = run.cpu_seconds(), time.monotonic()
    for n, nid in enumerate(ids):
        due = begin + n / args.rate
        while time.monotonic() < due:
            run.read(timeout=max(0.0, min(0.01, due - time.monotonic())))
        written[nid] = time.time()
        run.producer.produce(run.requests, key=f"o-{n}", value=request(nid, f"o-{n}"))
        run.producer.poll(0)
    run.producer.flush(10)
    run.await_receipts(ids, 120)
    busy = max(run.seen[i] for i in ids) - min(written.values())
    cpu = run.cpu_seconds() - cpu_start
    user, system = (b - a for a, b in zip(split_start, run.cpu_split()))
    run.stop()
    run.outbox_check(ids, warm=1)
    run.clean()
    lags = sorted(1000 * (run.seen[i] - written[i]) for i in ids)
    print(
        f"rate: {args.rate:.0f}/s for {args.seconds:.0f}s: CPU {100 * cpu / busy:.0f}% of a core "
        f"({100 * user / busy:.0f}% user, {100 * system / busy:.0f}% system), "
        f"write to receipt p50 {lags[len(lags) // 2]:.1f} ms, "
        f"p99 {lags[int(len(lags) * 0.99)]:.1f} ms, max {lags[-1]:.1f} ms"
    )


def main() -> None:
    """Parse the options and run the phases."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kafka", default=os.environ.get("BAEDAL_KAFKA", "127.0.0.1:29192"))
    p.add_argument("--count", type=int, default=5000, help="backlog of the drain phase")
    p.add_argument("--partitions", type=int, default=4, help="partitions of the bench topics")
    p.add_argument(
        "--batch-size", type=int, default=0, help="BAEDAL_NOTIFIER_BATCH_SIZE (0: default)"
    )
    p.add_argument("--batch-wait-ms", type=float, default=0, help="BAEDAL_NOTIFIER_BATCH_WAIT_MS")
    p.add_argument("--lone", type=int, default=20, help="single requests of the lone phase")
    p.add_argument("--rate", type=float, default=200, help="requests/s of the rate phase")
    p.add_argument("--seconds", type=float, default=10, help="duration of the rate phase")
    p.add_argument("--phases", default="drain,lone,rate")
    args = p.parse_args()
    phases = {"drain": drain, "lone": lone, "rate": rate}
    for phase in args.phases.split(","):
        phases[phase](args)


if __name__ == "__main__":
    main()
