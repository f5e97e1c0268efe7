"""flake8 finds nothing in the notifier, its tests and its bench (settings in .flake8)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


def test_flake8_finds_nothing() -> None:
    pytest.importorskip("flake8", reason="apt-get install python3-flake8 (./run-tests does)")
    done = subprocess.run(
        [sys.executable, "-m", "flake8"], cwd=PROJECT, capture_output=True, text=True, timeout=120
    )

    assert done.returncode == 0, done.stdout + done.stderr
