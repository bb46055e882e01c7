"""A user's lexicon files (TSV or JSONL) and the ``codes`` of their terms: parsed and checked line by line.

* TSV: ``term<TAB>label<TAB>system:code[|system:code...]`` (the codes column may be empty);
* JSONL: ``{"term": ..., "label": ..., "codes": [{"system": ..., "code": ...}]}``.

Example:
    >>> parse_codes("MESH:D1|OMIM:1234")
    ({'system': 'MESH', 'code': 'D1'}, {'system': 'OMIM', 'code': '1234'})
    >>> check_entry({"term": " CKD ", "label": "DISEASE"})
    {'term': 'CKD', 'label': 'DISEASE', 'codes': []}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from medtext.errors import Errors, RuleError

Code = dict[str, str]


LABEL_PATTERN_EXAMPLE = "aspirin<TAB>CHEMICAL<TAB>MESH:D001241|DRUGBANK:DB00945"
JSONL_EXAMPLE = '{"term": "aspirin", "label": "CHEMICAL", "codes": [{"system": "MESH", "code": "D001241"}]}'


def parse_codes(raw: str) -> tuple[Code, ...]:
    """``"MESH:D003920|ICD10CM:E11"`` -> ``({"system": "MESH", "code": "D003920"}, ...)``.

    Example:
        >>> parse_codes("MESH:D1|OMIM:1234")
        ({'system': 'MESH', 'code': 'D1'}, {'system': 'OMIM', 'code': '1234'})
    """
    out = []
    for part in raw.split("|"):
        part = part.strip()
        if not part:
            continue
        system, sep, code = part.partition(":")
        if not sep or not system.strip() or not code.strip():
            raise ValueError(f"code '{part[:40]}' is not SYSTEM:CODE")
        out.append({"system": system.strip().upper(), "code": code.strip()})
    return tuple(out)


def format_codes(codes: Iterable[Code]) -> str:
    """Inverse of :func:`parse_codes`."""
    return "|".join(f"{c['system']}:{c['code']}" for c in codes)


def check_codes(value: Any) -> tuple[Code, ...]:
    """Validate a JSON ``codes`` value; ValueError when malformed."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError("'codes' must be a list of {system, code} objects")
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("system"), str) or not isinstance(item.get("code"), str):
            raise ValueError("each code must be an object with string 'system' and 'code'")
        if not item["system"].strip() or not item["code"].strip():
            raise ValueError("'system' and 'code' must not be empty")
        out.append({"system": item["system"].strip().upper(), "code": item["code"].strip()})
    return tuple(out)


def read_user_lexicon(path: str | Path) -> list[dict[str, Any]]:
    """Entries ``{term, label, codes}`` of a user's TSV or JSONL lexicon, every line checked.

    Raises RuleError naming the file and line of the first bad line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleError(Errors.E080.format(path=path)) from None
    except (OSError, UnicodeDecodeError) as err:
        raise RuleError(Errors.E022.format(path=path, line=0, detail=f"cannot read the file ({type(err).__name__})")) from None
    jsonl = path.suffix.lower() in (".jsonl", ".json") or text.lstrip().startswith("{")
    parse = _parse_jsonl_line if jsonl else _parse_tsv_line
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or (not jsonl and line.startswith("#")):
            continue
        try:
            entries.append(parse(line))
        except ValueError as err:
            example = JSONL_EXAMPLE if jsonl else LABEL_PATTERN_EXAMPLE
            raise RuleError(Errors.E081.format(path=path, line=number, detail=err, example=example)) from None
    return entries


def _parse_tsv_line(line: str) -> dict[str, Any]:
    cells = line.rstrip("\r\n").split("\t")
    if len(cells) not in (2, 3):
        raise ValueError(f"expected 2 or 3 tab-separated columns, found {len(cells)}")
    term, label = cells[0].strip(), cells[1].strip()
    return check_entry({"term": term, "label": label, "codes": list(parse_codes(cells[2]) if len(cells) == 3 else ())})


def _parse_jsonl_line(line: str) -> dict[str, Any]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise ValueError(f"invalid JSON ({err.msg})") from None
    if not isinstance(obj, dict):
        raise ValueError("a line must be a JSON object")
    unknown = set(obj) - {"term", "label", "codes"}
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    return check_entry(obj)


def check_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """Validate one ``{term, label, codes}`` entry; ValueError when malformed."""
    term, label = entry.get("term"), entry.get("label")
    if not isinstance(term, str) or not term.strip():
        raise ValueError("'term' must be a non-empty string")
    if not isinstance(label, str) or not label.strip() or any(c.isspace() for c in label.strip()):
        raise ValueError("'label' must be a non-empty word such as DISEASE or CHEMICAL")
    codes = check_codes(entry.get("codes"))
    return {"term": term.strip(), "label": label.strip(), "codes": [dict(c) for c in codes]}
