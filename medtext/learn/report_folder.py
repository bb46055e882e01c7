"""Put an evaluation report folder in place all at once, so a failure leaves no half report.

The report is written into a hidden sibling folder (:func:`medtext.learn.folder_swap.staging_folder`,
removed again when writing fails). When it is complete it takes the place of the ``--report``
folder: a new folder, or one holding only the files of an earlier report, is swapped whole
(:func:`medtext.learn.folder_swap.replace_folder`); a folder that also holds other files keeps
them, and the finished report's files are moved into it (earlier report files it no longer
writes are removed). Either way, an earlier report stays as it was until the new one is done.

Example:
    >>> import tempfile; from pathlib import Path
    >>> target = Path(tempfile.mkdtemp()) / "report"
    >>> _ = publish_report(target, lambda tmp: (tmp / "per_class.csv").write_text("label\\n"))
    >>> sorted(p.name for p in target.iterdir())
    ['per_class.csv']
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .folder_swap import replace_folder, replace_in_place, staging_folder

__all__ = ["REPORT_FILES", "publish_report"]

# every file a report may hold (medtext.learn.report.write_report)
REPORT_FILES = frozenset({"bootstrap_ci.json", "per_class.csv", "per_class.md", "confusion_matrix.png",
                          "confusion_matrix.json", "pr_curves.png", "pr_curves.json", "scatter.png"})


def publish_report(folder: str | os.PathLike, write: Callable[[Path], Any]) -> Any:
    """Call ``write(staging folder)``, then put what it wrote at ``folder``; returns what ``write`` returns.
    When ``write`` raises, nothing at ``folder`` has changed and the staging folder is gone."""
    target = Path(folder).resolve()  # '.' and 'a/..' have no name to put a sibling beside
    with staging_folder(target) as tmp:
        result = write(tmp)
        other = sorted(p.name for p in target.iterdir() if p.name not in REPORT_FILES) if target.is_dir() else []
        if not other:
            replace_folder(tmp, target)
        else:  # the user's own files live there too: move the report's files in, keep theirs
            replace_in_place(tmp, target, keep=other)
    return result
