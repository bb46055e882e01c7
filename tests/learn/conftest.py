"""Fixtures for the learn tests (synthetic corpora from learn_fixtures.py)."""

from learn_fixtures import (multilabel_rows, rct_file, regress_rows, texts_rows,  # noqa: F401
                            train_file)
