"""Annotate a pandas DataFrame: one frame of documents, one of entities.

``documents`` has the input's index (one row per input row, in order), so
``df.join(documents)`` or ``df.assign(n=documents["n_entities"])`` lines up;
``entities`` is indexed by the index label of the row each entity comes from
(repeated, as ``DataFrame.explode`` does), so ``entities.join(df)`` works too.

Example:
    >>> import pandas as pd, medtext
    >>> df = pd.DataFrame({"text": ["No fever.", None]}, index=[50, 7])
    >>> docs, ents = medtext.annotate_frame(df)
    >>> docs.index.tolist(), list(docs["error"].fillna(""))
    ([50, 7], ['', 'text is null'])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from medtext.batch.job import DEFAULT_BATCH_SIZE, DEFAULT_MAX_CHARS

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
    max_chars: int = DEFAULT_MAX_CHARS,
) -> tuple[Any, Any]:
    """Annotate ``df[text_column]``; returns ``(documents, entities)`` DataFrames.

    ``documents`` (columns :data:`DOCUMENT_COLUMNS`) has ``df``'s index, one row per
    input row. ``entities`` (columns :data:`ENTITY_COLUMNS`) is indexed by the index
    label of each entity's row. The ``id`` column holds ``df[id_column]`` (default:
    the index label). Rows whose text is null (None, NaN, ``pd.NA``), not a string,
    empty or blank, or longer than ``max_chars`` characters (as ``medtext annotate
    --max-chars``), are kept in ``documents`` with an ``error`` and no entities.
    A frame whose index repeats a label needs ``id_column`` (``InputError``), else
    entities could not be traced to their rows.
    """
    import pandas as pd

    from medtext.errors import Errors, InputError, MedtextError
    from medtext.pipeline.record import doc_to_record

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"annotate_frame needs a pandas DataFrame; got {type(df).__name__} (for a Series: series.to_frame('text'))")
    found = ", ".join(map(str, df.columns)) or "(no columns)"
    if text_column not in df.columns:
        raise InputError(Errors.E015.format(field=text_column, found=found, option="text_column"))
    if id_column is not None and id_column not in df.columns:
        raise InputError(Errors.E015.format(field=id_column, found=found, option="id_column"))
    for option, column in (("text_column", text_column), ("id_column", id_column)):
        repeats = list(df.columns).count(column) if column is not None else 0
        if repeats > 1:
            raise InputError(Errors.E151.format(field=column, n=repeats, option=option))
    if id_column is None and not df.index.is_unique:
        n = int(df.index.duplicated(keep=False).sum())
        raise InputError(Errors.E016.format(n=n))
    if not isinstance(max_chars, int) or isinstance(max_chars, bool) or max_chars < 1:
        raise InputError(Errors.E011.format(option="max_chars", expected="an integer of at least 1", found=max_chars))
    if nlp is not None and list(exclude):
        raise MedtextError(Errors.E153.format(exclude=list(exclude)))
    if nlp is None:
        import medtext

        nlp = medtext.load(exclude=list(exclude))
    ids = list(df[id_column]) if id_column else list(df.index)
    texts = list(df[text_column])
    errors = [_problem(t, max_chars) for t in texts]
    good = [(i, t) for i, (t, e) in enumerate(zip(texts, errors)) if e is None]
    records: dict[int, dict[str, Any]] = {}
    for doc, position in nlp.pipe(((t, i) for i, t in good), as_tuples=True, batch_size=batch_size, n_process=n_process):
        records[position] = doc_to_record(doc, ids[position], include_text=False)
    doc_rows, entity_rows, entity_positions = [], [], []
    for position, doc_id in enumerate(ids):
        record = records.get(position)
        if record is None:
            doc_rows.append({"id": doc_id, "sentences": [], "sections": [], "abbreviations": [], "phi": [], "n_entities": 0, "error": errors[position]})
            continue
        doc_rows.append({"id": doc_id, "sentences": record["sentences"], "sections": record["sections"],
                         "abbreviations": record["abbreviations"], "phi": record["phi"],
                         "n_entities": len(record["entities"]), "error": None})
        entity_rows.extend({"id": doc_id, **entity} for entity in record["entities"])
        entity_positions.extend([position] * len(record["entities"]))
    documents = pd.DataFrame(doc_rows, columns=DOCUMENT_COLUMNS, index=df.index.copy())
    entities = pd.DataFrame(entity_rows, columns=ENTITY_COLUMNS, index=df.index.take(entity_positions))
    if not entity_rows:  # the column types a frame with entities gets, not object everywhere
        entities = entities.astype(_empty_entity_types(df[id_column].dtype if id_column else df.index.dtype))
    return documents, entities


def _empty_entity_types(id_type: Any) -> dict[str, Any]:
    """Column types of an entities frame without rows, as pandas infers them for one with rows."""
    flags = ("negated", "uncertain", "historical", "family", "hypothetical")
    return {"id": id_type, "start": "int64", "end": "int64", "text": str, "label": str, "source": str,
            **{flag: bool for flag in flags}}


def _problem(text: Any, max_chars: int) -> str | None:
    import pandas as pd

    if text is None or (not isinstance(text, str) and pd.api.types.is_scalar(text) and pd.isna(text)):
        return "text is null"
    if not isinstance(text, str):
        return f"text is not a string (got {type(text).__name__})"
    if not text.strip():
        return "empty text" if not text else "blank text"
    if len(text) > max_chars:
        return f"text longer than max_chars ({len(text)} > {max_chars} characters)"
    return None
