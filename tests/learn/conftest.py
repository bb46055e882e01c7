"""Fixtures for the learn tests (synthetic corpora from learn_fixtures.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from learn_fixtures import (multilabel_rows, rct_file, regress_rows, texts_rows,  # noqa: E402,F401
                            train_file)
