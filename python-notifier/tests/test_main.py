"""The command line entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def test_an_invalid_configuration_exits_with_status_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "notifier", "--sender", "http"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert done.returncode == 2
    assert "NOTIFIER_HTTP_URL" in done.stderr


def test_help_lists_the_options() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "notifier", "--help"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert done.returncode == 0
    assert "--max-attempts" in done.stdout
