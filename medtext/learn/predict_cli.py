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
import os
import sys
from pathlib import Path
from typing import Any

from medtext.learn.sentence_split import sentence_spans


class SomeRecordsFailed(Exception):
    """Raised after all good records were written; carries the one-line summary (exit code 1)."""

    exit_code = 1


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _fail_summary(failed: list[tuple[Any, str]], total: int) -> None:
    counts: dict[str, int] = {}
    for _, reason in failed:
        kind = reason.split(":")[0]
        counts[kind] = counts.get(kind, 0) + 1
    kinds = "; ".join(f"{k}: {n}" for k, n in sorted(counts.items()))
    raise SomeRecordsFailed(f"{len(failed)} of {total} record(s) not processed ({kinds}); "
                            f"each has an \"error\" line in its place in the output")


def input_records(command: str, texts: list[str] | None, input: Path | None, input_format: str | None,
                  id_field: str, text_field: str, label_field: str, txt: str = "txt") -> tuple[list[dict[str, Any]], bool]:
    """Records to predict on and whether they come from an RCT file."""
    from medtext.errors import Errors, InputError
    from medtext.io.jsonl_sniff import refuse_non_jsonl
    from medtext.learn.data import infer_format, parse_jsonl_lines, read_records, records_from_texts

    if texts and input is not None:
        raise InputError(Errors.E011.format(option="TEXT / --input", expected="either TEXT arguments or --input FILE",
                                            found="both"))
    if texts:
        return records_from_texts(texts), False
    if input is not None and str(input) != "-":
        fmt = infer_format(input, input_format, txt)
        return read_records(input, fmt, id_field=id_field, text_field=text_field, label_field=label_field), fmt == "rct"
    if sys.stdin is None or sys.stdin.isatty():
        raise InputError(Errors.E011.format(option="input", expected="TEXT arguments, --input FILE, or JSONL on stdin",
                                            found="nothing"))
    if input_format not in (None, "jsonl"):
        raise InputError(Errors.E011.format(option="--input-format", expected="jsonl for standard input", found=input_format))
    lines = refuse_non_jsonl(sys.stdin, "<stdin>", fix=STDIN_FIX)
    return list(parse_jsonl_lines(lines, "<stdin>", id_field, text_field, label_field)), False


STDIN_FIX = ("Standard input is read as JSONL only: give a CSV or TSV table with --input FILE "
             "(and --input-format csv or tsv when its name does not end in .csv / .tsv).")


def _base(rec: dict[str, Any]) -> dict[str, Any]:
    return {"id": rec["id"]} if rec.get("id") is not None else {}


def _error_line(r: dict[str, Any], reason: str) -> dict[str, Any]:
    from medtext.learn.data import record_ref

    ref = record_ref(r)
    return ({"id": ref} if ref is not None else {}) | {"error": reason}


def _emit_in_order(part: list[dict[str, Any]], problems: list[str | None], outputs) -> None:
    """One line per record of ``part``: its output, or an error line where it has a problem."""
    outs = iter(outputs)
    for r, why in zip(part, problems):
        _emit(_error_line(r, why) if why else {**_base(r), **next(outs)})


def _predict_rct_abstracts(model, records: list[dict[str, Any]], problems: list[str | None]) -> None:
    from medtext.learn.data import group_abstracts

    why = {id(r): p for r, p in zip(records, problems)}
    for _, recs in group_abstracts(records):
        probs = [why[id(r)] for r in recs]
        ok = [r["text"] for r, p in zip(recs, probs) if not p]
        _emit_in_order(recs, probs, model.classify_abstract(ok) if ok else [])


def _predict_split_texts(model, records: list[dict[str, Any]], problems: list[str | None]) -> None:
    for r, why in zip(records, problems):
        if why:
            _emit(_error_line(r, why))
            continue
        text = r["text"]
        spans = sentence_spans(text)
        outs = model.classify_abstract([text[a:b] for a, b in spans])
        for i, ((a, b), out) in enumerate(zip(spans, outs)):
            rid = f"{r['id']}:{i}" if r.get("id") is not None else i
            _emit({"id": rid, "start": a, "end": b, **out})


def _predict_texts(command: str, model, records: list[dict[str, Any]], problems: list[str | None],
                   batch: int = 256) -> None:
    for i in range(0, len(records), batch):
        part, probs = records[i:i + batch], problems[i:i + batch]
        texts = [r["text"] for r, p in zip(part, probs) if not p]
        if not texts:
            outs: list[dict[str, Any]] = []
        elif command == "score":
            outs = [{"score": s} for s in model.score(texts)]
        else:
            outs = model.classify(texts)
        _emit_in_order(part, probs, outs)


def predict_lines(command: str, model, records: list[dict[str, Any]], rct: bool) -> None:
    """Write one JSON line per record, in input order (a record that cannot be predicted gets
    ``{"id", "error"}``); raises :class:`SomeRecordsFailed` after writing when any did."""
    from medtext.learn.data import record_problem

    problems = [record_problem(r) for r in records]
    if model.kind == "sentences" and rct:
        _predict_rct_abstracts(model, records, problems)
    elif model.kind == "sentences":
        _predict_split_texts(model, records, problems)
    else:
        _predict_texts(command, model, records, problems)
    sys.stdout.flush()
    failed = [(r, p) for r, p in zip(records, problems) if p]
    if failed:
        _fail_summary(failed, len(records))


# The command to use instead when a model is of the other kind (E068).
_OTHER_COMMAND = {"classify": "score", "score": "classify",
                  "evaluate classifier": "evaluate regressor", "evaluate regressor": "evaluate classifier"}


def load_for(command: str, name: str):
    """The model ``name`` for ``command`` (one of ``_OTHER_COMMAND``'s keys): E068 when it is of the other kind
    (a regressor for classify, a classifier for score), and an unknown name lists the models of the right kind."""
    from medtext.errors import Errors, ModelError
    from medtext.learn.api import load_model
    from medtext.learn.persist import CLASSIFIER_TASKS, REGRESSOR_TASKS, resolve_model

    regressor = command in ("score", "evaluate regressor")
    model = load_model(resolve_model(name, REGRESSOR_TASKS if regressor else CLASSIFIER_TASKS))
    if (model.kind == "regressor") != regressor:
        raise ModelError(Errors.E068.format(path=name, found=model.kind, command=_OTHER_COMMAND[command]))
    return model


def run(command: str, model: str, texts: list[str] | None, input: Path | None, input_format: str | None,
        id_field: str = "id", text_field: str = "text", label_field: str = "label") -> None:
    """Run ``classify`` or ``score``: JSON lines on stdout; raises MedtextError / SomeRecordsFailed."""
    m = load_for(command, model)
    records, rct = input_records(command, texts, input, input_format, id_field, text_field, label_field,
                                 txt="rct" if m.kind == "sentences" else "txt")
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

    from medtext.cli.interrupt import interrupts_kept

    try:
        with interrupts_kept():
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
    except BrokenPipeError:  # the reader of standard output has gone (| head -1): nothing more to say
        from medtext.cli.failures import silence_stdout

        silence_stdout()
        return 0
    except KeyboardInterrupt:
        from medtext.errors import Errors, Interrupted

        sys.stdout.flush()
        sys.stderr.write(f"{prog}: error: {Errors.E123}\n")
        return Interrupted.exit_code
    except Exception as e:  # noqa: BLE001 - the last line of defence, as in the Typer app: no tracebacks
        if os.environ.get("MEDTEXT_DEBUG", "") not in ("", "0", "false", "no"):
            raise
        sys.stdout.flush()
        sys.stderr.write(f"{prog}: error: unexpected {type(e).__name__}; rerun with MEDTEXT_DEBUG=1 to see the "
                         f"traceback, and report it\n")
        return 2
    return 0
