"""``python3 -m notifier``: run the notifier until SIGTERM or SIGINT."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence

from .config import load_config
from .consumer import EXIT_FATAL, run
from .logs import setup_logging


def install_stop_handlers(stop: threading.Event) -> None:
    """SIGTERM and SIGINT ask the loop to stop after the batch in hand."""

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
    try:
        return run(config, stop)
    except Exception:  # e.g. the state file cannot be opened: say so in a JSON log line
        logging.getLogger("notifier").exception("notifier could not start")
        return EXIT_FATAL


if __name__ == "__main__":
    sys.exit(main())
