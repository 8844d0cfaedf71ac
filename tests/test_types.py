"""The package type-checks cleanly under mypy --strict (config in pyproject.toml)."""
from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_mypy_strict_passes() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "reportgen"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
