"""The Parquet schema of an annotation record (DESIGN.md, "Annotation record"), and record <-> row helpers.

pyarrow is imported inside functions so ``import medtext.io`` stays light.

Example:
    >>> annotation_schema(include_text=False).names
    ['id', 'sentences', 'sections', 'entities', 'abbreviations', 'phi']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["RECORD_FIELDS", "annotation_schema", "from_arrow", "unknown_field"]

RECORD_FIELDS = ("id", "text", "sentences", "sections", "entities", "abbreviations", "phi")
"""Top-level fields of an annotation record, in column order."""


@lru_cache(maxsize=2)
def annotation_schema(include_text: bool = True) -> Any:
    """The explicit ``pyarrow.Schema`` of annotation records (``text`` left out when ``include_text=False``).

    ``id`` is a string (numeric ids are written as their decimal string);
    offsets are int64; ``triggers`` is ``map<string, string>``.

    Example:
        >>> str(annotation_schema().field("sentences").type)
        'list<item: list<item: int64>>'
    """
    import pyarrow as pa

    string, int64, boolean = pa.string(), pa.int64(), pa.bool_()
    code = pa.struct([("system", string), ("code", string)])
    entity = pa.struct(
        [
            ("start", int64),
            ("end", int64),
            ("text", string),
            ("label", string),
            ("codes", pa.list_(code)),
            ("source", string),
            ("negated", boolean),
            ("uncertain", boolean),
            ("historical", boolean),
            ("family", boolean),
            ("hypothetical", boolean),
            ("triggers", pa.map_(string, string)),
        ]
    )
    section = pa.struct([("category", string), ("title", string), ("start", int64), ("end", int64)])
    abbreviation = pa.struct([("short", string), ("long", string), ("start", int64), ("end", int64)])
    phi = pa.struct([("start", int64), ("end", int64), ("label", string), ("text", string)])
    fields = [
        ("id", string),
        ("text", string),
        ("sentences", pa.list_(pa.list_(int64))),
        ("sections", pa.list_(section)),
        ("entities", pa.list_(entity)),
        ("abbreviations", pa.list_(abbreviation)),
        ("phi", pa.list_(phi)),
    ]
    return pa.schema([f for f in fields if include_text or f[0] != "text"])


def unknown_field(value: Any, dtype: Any, where: str) -> str | None:
    """The dotted path of the first dict key the Arrow type has no field for (pyarrow would drop it silently).

    Example:
        >>> schema = annotation_schema()
        >>> unknown_field([{"start": 0, "end": 1, "kb": "x"}], schema.field("phi").type, "phi")
        'phi[0].kb'
    """
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_struct(dtype) and isinstance(value, dict):
        names = {dtype.field(i).name: dtype.field(i).type for i in range(dtype.num_fields)}
        for key, sub in value.items():
            if key not in names:
                return f"{where}.{key}"
            found = unknown_field(sub, names[key], f"{where}.{key}")
            if found:
                return found
    elif pa.types.is_list(dtype) and isinstance(value, list | tuple):
        item = dtype.value_type
        if pa.types.is_struct(item) or pa.types.is_list(item):
            for i, sub in enumerate(value):
                found = unknown_field(sub, item, f"{where}[{i}]")
                if found:
                    return found
    return None


def from_arrow(value: Any, dtype: Any) -> Any:
    """Turn a ``to_pylist`` value back into JSON-like data: Arrow maps (lists of pairs) become dicts.

    Example:
        >>> import pyarrow as pa
        >>> from_arrow([("negation", "no")], pa.map_(pa.string(), pa.string()))
        {'negation': 'no'}
    """
    import pyarrow as pa

    if value is None:
        return None
    if pa.types.is_map(dtype):
        return {k: from_arrow(v, dtype.item_type) for k, v in value}
    if pa.types.is_struct(dtype):
        fields = (dtype.field(i) for i in range(dtype.num_fields))
        return {f.name: from_arrow(value[f.name], f.type) for f in fields}
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype):
        item = dtype.value_type
        if not pa.types.is_nested(item):
            return value
        return [from_arrow(v, item) for v in value]
    return value
