"""The command line entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def notifier(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "notifier", *args]
    return subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=30)


def test_an_invalid_configuration_exits_with_status_2() -> None:
    done = notifier("--sender", "http")

    assert done.returncode == 2
    assert "BAEDAL_NOTIFIER_HTTP_URL" in done.stderr


def test_help_lists_the_options_and_the_environment_variables() -> None:
    done = notifier("--help")

    assert done.returncode == 0
    assert "--kafka" in done.stdout and "BAEDAL_NOTIFIER_MAX_ATTEMPTS" in done.stdout
