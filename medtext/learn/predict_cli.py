"""Prediction commands without Typer: ``medtext classify`` / ``medtext score`` record handling, and a
fast path that runs them straight from ``sys.argv``.

The cold-start target (``medtext classify --model abstract-topics "text"`` <= 1 s) leaves no
room for importing Typer/Click/Pydantic/Rich, scikit-learn or spaCy: :func:`fast_main`
parses the few options of ``classify``/``score`` itself and imports only numpy and the model
loader. Anything it does not recognise (``--help``, unknown options) returns ``None`` so the
regular Typer command handles it with the same results.

Example (in the console entry point, before building the Typer app):
    >>> rc = fast_main(["classify", "--model", "abstract-topics", "Colon polyps."])   # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


class SomeRecordsFailed(Exception):
    """Raised after all good records were written; carries the one-line summary (exit code 1)."""

    exit_code = 1


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _fail_summary(command: str, failed: list[tuple[Any, str]]) -> None:
    ids = ", ".join(str(i) for i, _ in failed[:3])
    reasons = sorted({r for _, r in failed})
    raise SomeRecordsFailed(f"{len(failed)} record(s) not processed ({'; '.join(reasons)}); first ids: {ids}")


def input_records(command: str, texts: list[str] | None, input: Path | None, input_format: str | None,
                   id_field: str, text_field: str, label_field: str) -> tuple[list[dict[str, Any]], bool]:
    """Records to predict on and whether they come from an RCT file."""
    from medtext.errors import Errors, InputError
    from medtext.learn.data import infer_format, parse_jsonl_lines, read_records, records_from_texts

    if texts and input is not None:
        raise InputError(Errors.E011.format(option="TEXT / --input", expected="either TEXT arguments or --input FILE",
                                            found="both"))
    if texts:
        return records_from_texts(texts), False
    if input is not None and str(input) != "-":
        fmt = infer_format(input, input_format)
        return read_records(input, fmt, id_field=id_field, text_field=text_field, label_field=label_field), fmt == "rct"
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError(Errors.E011.format(option="input", expected="TEXT arguments, --input FILE, or JSONL on stdin",
                                            found="nothing"))
    if input_format not in (None, "jsonl"):
        raise InputError(Errors.E011.format(option="--input-format", expected="jsonl for standard input", found=input_format))
    return list(parse_jsonl_lines(sys.stdin, "<stdin>", id_field, text_field, label_field)), False


def _base(rec: dict[str, Any]) -> dict[str, Any]:
    return {"id": rec["id"]} if rec.get("id") is not None else {}


def predict_lines(command: str, model, records: list[dict[str, Any]], rct: bool) -> None:
    from medtext.learn.data import group_abstracts, is_blank

    failed: list[tuple[Any, str]] = []

    def bad(r: dict[str, Any]) -> str | None:
        if r.get("error"):
            return r["error"]
        if is_blank(r.get("text")):
            return "missing or empty text"
        return None

    if model.kind == "sentences":
        if rct:
            for _, recs in group_abstracts(records):
                ok = [r for r in recs if not bad(r)]
                failed += [(r.get("id") or f"line {r.get('line')}", bad(r)) for r in recs if bad(r)]
                for r, out in zip(ok, model.classify_abstract([r["text"] for r in ok])):
                    _emit({**_base(r), **out})
        else:
            for n, r in enumerate(records):
                why = bad(r)
                if why:
                    failed.append((r.get("id") or f"line {r.get('line') or n + 1}", why))
                    continue
                text = r["text"]
                spans, pos = [], 0
                for s in _SENT_SPLIT.split(text.strip()):
                    start = text.index(s, pos)
                    spans.append((start, start + len(s)))
                    pos = start + len(s)
                outs = model.classify_abstract([text[a:b] for a, b in spans])
                for i, ((a, b), out) in enumerate(zip(spans, outs)):
                    rid = f"{r['id']}:{i}" if r.get("id") is not None else i
                    _emit({"id": rid, "start": a, "end": b, **out})
    else:
        ok = []
        for n, r in enumerate(records):
            why = bad(r)
            if why:
                failed.append((r.get("id") if r.get("id") is not None else f"line {r.get('line') or n + 1}", why))
            else:
                ok.append(r)
        batch = 256
        for i in range(0, len(ok), batch):
            part = ok[i:i + batch]
            texts = [r["text"] for r in part]
            outs = [{"score": s} for s in model.score(texts)] if command == "score" else model.classify(texts)
            for r, out in zip(part, outs):
                _emit({**_base(r), **out})
    sys.stdout.flush()
    if failed:
        _fail_summary(command, failed)


def load_for(command: str, name: str):
    from medtext.errors import Errors, ModelError
    from medtext.learn.api import load_model

    model = load_model(name)
    if command == "score" and model.kind != "regressor":
        raise ModelError(Errors.E068.format(path=name, found=model.kind, command="classify"))
    if command == "classify" and model.kind == "regressor":
        raise ModelError(Errors.E068.format(path=name, found=model.kind, command="score"))
    return model



def run(command: str, model: str, texts: list[str] | None, input: Path | None, input_format: str | None,
        id_field: str = "id", text_field: str = "text", label_field: str = "label") -> None:
    """Run ``classify`` or ``score``: JSON lines on stdout; raises MedtextError / SomeRecordsFailed."""
    m = load_for(command, model)
    records, rct = input_records(command, texts, input, input_format, id_field, text_field, label_field)
    predict_lines(command, m, records, rct)


_OPTS = {"--model": "model", "-m": "model", "--input": "input", "-i": "input", "--input-format": "input_format",
         "--id-field": "id_field", "--text-field": "text_field", "--label-field": "label_field"}


def fast_main(argv: list[str] | None = None, prog: str = "medtext") -> int | None:
    """Handle ``classify``/``score`` without Typer; ``None`` means "not handled, use the Typer app"."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("classify", "score"):
        return None
    command, rest = args[0], args[1:]
    opts: dict[str, Any] = {"model": None, "input": None, "input_format": None, "id_field": "id",
                            "text_field": "text", "label_field": None}
    texts: list[str] = []
    i = 0
    while i < len(rest):
        a = rest[i]
        if a == "--":
            texts.extend(rest[i + 1:])
            break
        if a.startswith("-") and a != "-":
            name, eq, val = a.partition("=")
            if name not in _OPTS:
                return None  # --help and anything unusual: let Typer handle it
            if not eq:
                if i + 1 >= len(rest):
                    return None
                val = rest[i + 1]
                i += 1
            opts[_OPTS[name]] = val
        else:
            texts.append(a)
        i += 1
    if opts["model"] is None:
        return None
    from medtext.errors import MedtextError

    try:
        run(command, opts["model"], texts or None, Path(opts["input"]) if opts["input"] else None, opts["input_format"],
            opts["id_field"], opts["text_field"], opts["label_field"] or "label")
    except SomeRecordsFailed as e:
        sys.stdout.flush()
        sys.stderr.write(f"{prog} {command}: {e}\n")
        return 1
    except MedtextError as e:
        sys.stdout.flush()
        sys.stderr.write(f"{prog}: error: {' '.join(str(e).split())}\n")
        return e.exit_code
    except BrokenPipeError:
        return 0
    return 0
