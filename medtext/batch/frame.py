"""Annotate a pandas DataFrame: one frame of documents, one of entities.

Example:
    >>> import pandas as pd, medtext
    >>> docs, ents = medtext.annotate_frame(pd.DataFrame({"text": ["No fever.", None]}))
    >>> list(docs["error"].fillna(""))
    ['', 'text is null']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from medtext.batch.job import DEFAULT_BATCH_SIZE

ENTITY_COLUMNS = ["id", "start", "end", "text", "label", "codes", "source", "negated", "uncertain", "historical",
                  "family", "hypothetical", "triggers"]
DOCUMENT_COLUMNS = ["id", "sentences", "sections", "abbreviations", "phi", "n_entities", "error"]


def annotate_frame(
    df: Any,
    text_column: str = "text",
    id_column: str | None = None,
    *,
    nlp: Any = None,
    exclude: Iterable[str] = (),
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
) -> tuple[Any, Any]:
    """Annotate ``df[text_column]``; returns ``(documents, entities)`` DataFrames.

    Ids come from ``id_column`` (default: the frame's index). Rows whose text is
    missing, not a string or blank are kept in ``documents`` with an ``error``.
    """
    import pandas as pd

    from medtext.errors import Errors, InputError
    from medtext.pipeline.record import doc_to_record

    if text_column not in df.columns:
        raise InputError(Errors.E004.format(field=text_column, path="the DataFrame", found=", ".join(map(str, df.columns)), option="text-field"))
    if id_column is not None and id_column not in df.columns:
        raise InputError(Errors.E004.format(field=id_column, path="the DataFrame", found=", ".join(map(str, df.columns)), option="id-field"))
    if nlp is None:
        import medtext

        nlp = medtext.load(exclude=list(exclude))
    ids = list(df[id_column]) if id_column else list(df.index)
    texts = list(df[text_column])
    errors = [_problem(t) for t in texts]
    good = [(i, t) for i, (t, e) in enumerate(zip(texts, errors)) if e is None]
    records: dict[int, dict[str, Any]] = {}
    for doc, position in nlp.pipe(((t, i) for i, t in good), as_tuples=True, batch_size=batch_size, n_process=n_process):
        records[position] = doc_to_record(doc, ids[position], include_text=False)
    doc_rows, entity_rows = [], []
    for position, doc_id in enumerate(ids):
        record = records.get(position)
        if record is None:
            doc_rows.append({"id": doc_id, "sentences": [], "sections": [], "abbreviations": [], "phi": [], "n_entities": 0, "error": errors[position]})
            continue
        doc_rows.append({"id": doc_id, "sentences": record["sentences"], "sections": record["sections"],
                         "abbreviations": record["abbreviations"], "phi": record["phi"],
                         "n_entities": len(record["entities"]), "error": None})
        entity_rows.extend({"id": doc_id, **entity} for entity in record["entities"])
    return pd.DataFrame(doc_rows, columns=DOCUMENT_COLUMNS), pd.DataFrame(entity_rows, columns=ENTITY_COLUMNS)


def _problem(text: Any) -> str | None:
    if text is None or (isinstance(text, float) and text != text):
        return "text is null"
    if not isinstance(text, str):
        return f"text is not a string (got {type(text).__name__})"
    if not text.strip():
        return "empty text" if not text else "blank text"
    return None
