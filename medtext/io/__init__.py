"""Streaming readers and writers: plain text, JSONL, CSV/TSV, Parquet and the gold formats.

Readers are generators of :class:`Document` and :class:`BadRecord`; nothing
loads a corpus whole. ``read_corpus`` is the one entry point most code needs.
This package imports nothing from medtext but ``medtext.errors`` and ``medtext.text_checks`` (which import nothing).
The gold readers (PubTator, CoNLL, NegEx, Ab3P, BRAT, PhysioNet, PubMed-RCT) are imported on first use.

Example:
    >>> from medtext.io import FORMATS, read_corpus
    >>> "jsonl" in FORMATS
    True
"""

from typing import TYPE_CHECKING, Any

from medtext.io.annotations import read_annotations
from medtext.io.csv import read_csv
from medtext.io.decode import Undecodable, decode_bytes, repair
from medtext.io.dispatch import FORMATS, estimate_records, infer_format, read_corpus
from medtext.io.jsonl import read_jsonl
from medtext.io.parquet import read_parquet
from medtext.io.records import BadRecord, Document
from medtext.io.schema import annotation_schema
from medtext.io.text import read_lines, read_text_files
from medtext.io.writers import JsonlWriter, ParquetWriter

if TYPE_CHECKING:
    from medtext.io.ab3p import Ab3pRecord, read_ab3p
    from medtext.io.brat import (
        BratAttribute,
        BratDocument,
        BratEntity,
        BratEvent,
        BratNormalization,
        BratNote,
        BratRelation,
        read_brat,
        write_brat,
    )
    from medtext.io.conll import ConllSentence, iob_to_spans, read_conll
    from medtext.io.negex import NegexRow, read_negex
    from medtext.io.physionet import PhiPhrase, PhysionetNote, read_physionet
    from medtext.io.pubtator import Mention, PubTatorDocument, PubTatorRelation, read_pubtator, split_ids
    from medtext.io.rct import RctAbstract, RctSentence, rct_documents, read_rct

# The gold readers, imported on first use (PEP 562): reading a plain corpus needs none of them.
_LAZY = {
    "ab3p": ("Ab3pRecord", "read_ab3p"),
    "brat": ("BratAttribute", "BratDocument", "BratEntity", "BratEvent", "BratNormalization", "BratNote",
             "BratRelation", "read_brat", "write_brat"),
    "conll": ("ConllSentence", "iob_to_spans", "read_conll"),
    "negex": ("NegexRow", "read_negex"),
    "physionet": ("PhiPhrase", "PhysionetNote", "read_physionet"),
    "pubtator": ("Mention", "PubTatorDocument", "PubTatorRelation", "read_pubtator", "split_ids"),
    "rct": ("RctAbstract", "RctSentence", "rct_documents", "read_rct"),
}
_LAZY_MODULE = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> Any:
    """A gold reader's name, from its module (imported now); ``from medtext.io import read_pubtator`` works."""
    module = _LAZY_MODULE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_MODULE))


__all__ = [
    "FORMATS",
    "Ab3pRecord",
    "BadRecord",
    "BratAttribute",
    "BratDocument",
    "BratEntity",
    "BratEvent",
    "BratNormalization",
    "BratNote",
    "BratRelation",
    "ConllSentence",
    "Document",
    "JsonlWriter",
    "Mention",
    "NegexRow",
    "ParquetWriter",
    "PhiPhrase",
    "PhysionetNote",
    "PubTatorDocument",
    "PubTatorRelation",
    "RctAbstract",
    "RctSentence",
    "Undecodable",
    "annotation_schema",
    "decode_bytes",
    "estimate_records",
    "infer_format",
    "iob_to_spans",
    "rct_documents",
    "read_ab3p",
    "read_annotations",
    "read_brat",
    "read_conll",
    "read_corpus",
    "read_csv",
    "read_jsonl",
    "read_lines",
    "read_negex",
    "read_parquet",
    "read_physionet",
    "read_pubtator",
    "read_rct",
    "read_text_files",
    "repair",
    "split_ids",
    "write_brat",
]
