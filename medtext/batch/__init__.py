"""Batch annotation of corpora: streaming, parallel (processes or Dask), resumable, loss-free.

Example:
    >>> from medtext.batch import AnnotateJob, annotate_corpus
    >>> annotate_corpus(AnnotateJob(inputs=["notes/"], output="out/", workers=2))  # doctest: +SKIP
"""

from medtext.batch.job import AnnotateJob, Summary
from medtext.batch.runner import annotate_corpus

__all__ = ["AnnotateJob", "Summary", "annotate_corpus"]
