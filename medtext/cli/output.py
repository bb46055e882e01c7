"""Printing results: JSON lines on stdout, metrics as one JSON object on the last line.

Example:
    >>> print_metrics({"f1": 0.5})
    {"f1": 0.5}
"""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json_line(obj: Any) -> None:
    """One JSON object on one stdout line (non-ASCII kept)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def print_metrics(metrics: dict[str, Any]) -> None:
    """The ``medtext evaluate`` contract: metrics as one JSON object, last line of stdout."""
    sys.stdout.flush()
    print_json_line(metrics)
    sys.stdout.flush()
