"""``python3 -m notifier``: run the notifier until SIGTERM or SIGINT."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Sequence

from .config import load_config
from .consumer import run
from .logs import setup_logging


def install_stop_handlers(stop: threading.Event) -> None:
    """SIGTERM and SIGINT ask the loop to stop after the record in hand."""

    def request_stop(signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 stopped cleanly, 1 fatal, 2 bad config)."""
    config = load_config(argv, os.environ)
    setup_logging(config.log_level)
    stop = threading.Event()
    install_stop_handlers(stop)
    return run(config, stop)


if __name__ == "__main__":
    sys.exit(main())
