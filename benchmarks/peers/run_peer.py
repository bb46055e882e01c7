"""Run a peer pipeline (negspacy, medspaCy) on JSONL input; print results and timings as JSON.

Runs inside ``benchmarks/.venv-peers`` (built by ``benchmarks/peers/setup.sh``), never in
medtext's environment: it imports only spaCy, negspacy and medspaCy.

Pipelines (``--pipeline``):
  negspacy          spacy.blank("en") + sentencizer + negex (negspacy's en_clinical termset);
                    for throughput an EntityRuler goes before negex (the "negspacy-style" pipeline)
  negspacy_ruler    the same as negspacy with the EntityRuler, for any task
  medspacy_context  medspaCy tokenizer + PyRuSH sentences + ConText (default rules)
  medspacy_default  ``medspacy.load()``: tokenizer, PyRuSH, target matcher, ConText
  spacy_tokenizer   ``spacy.blank("en")`` alone: the ceiling of any spaCy pipeline (throughput only)

Tasks (``--task``):
  negation    input rows ``{"id", "text", "start", "end"}``: the span is the document's only
              entity; prints ``{"pipeline", "n", "seconds", "predictions": [{"id", "negated"}]}``.
  throughput  input rows ``{"id", "text"}`` (``--throughput --texts FILE`` also works): entities
              come from ``--patterns`` (EntityRuler patterns, JSONL ``{"label", "pattern"}``;
              default: the finding terms of ``benchmarks/context/findings.txt``), as EntityRuler
              patterns or medspaCy target rules; prints docs, chars, entities, negated,
              seconds (wall) and cpu_seconds (best of ``--repeat``), docs_per_s, docs_per_cpu_s.

The JSON result is the last line of stdout.

Example:
    benchmarks/.venv-peers/bin/python benchmarks/peers/run_peer.py --task negation \\
        --pipeline negspacy --input benchmarks/work/negex_rows.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path
from typing import Any

PIPELINES = ("negspacy", "negspacy_ruler", "medspacy_context", "medspacy_default", "spacy_tokenizer")


def read_jsonl(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


FINDINGS = Path(__file__).resolve().parents[1] / "context" / "findings.txt"


def default_patterns() -> list[dict[str, Any]]:
    """EntityRuler patterns from the shared finding list (the medtext benchmark uses the same)."""
    lines = FINDINGS.read_text(encoding="utf-8").splitlines()
    return [{"label": "FINDING", "pattern": t.strip()} for t in lines if t.strip() and not t.startswith("#")]


def build(name: str, patterns: list[dict[str, Any]], ruler: bool, keep_logging: bool = False) -> tuple[Any, str]:
    """The pipeline and the Span extension that holds its negation flag (``keep_logging``: leave
    PyRuSH's loguru DEBUG logging on, as ``medspacy.load()`` ships it)."""
    import spacy

    if name == "spacy_tokenizer":
        return spacy.blank("en"), "is_negated"  # no entities: the flag is never read
    if name in ("negspacy", "negspacy_ruler"):
        import negspacy.negation  # noqa: F401  (registers the "negex" factory)

        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        if ruler or name == "negspacy_ruler":
            ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
            ruler.add_patterns(patterns)
        nlp.add_pipe("negex")
        return nlp, "negex"
    if not keep_logging:
        _quiet_loguru()
    import medspacy

    if name == "medspacy_context":
        return medspacy.load(medspacy_enable=["medspacy_tokenizer", "medspacy_pyrush", "medspacy_context"]), "is_negated"
    if name == "medspacy_default":
        from medspacy.ner import TargetRule

        nlp = medspacy.load()
        if not ruler:
            return nlp, "is_negated"
        matcher = nlp.get_pipe("medspacy_target_matcher")
        matcher.add([TargetRule(p["pattern"], p["label"]) if isinstance(p["pattern"], str) else TargetRule(p.get("id", "pattern"), p["label"], pattern=p["pattern"]) for p in patterns])
        return nlp, "is_negated"
    raise SystemExit(f"unknown pipeline {name!r}; choose one of {', '.join(PIPELINES)}")


def _quiet_loguru() -> None:
    """PyRuSH (medspaCy's sentence splitter) logs every sentence at DEBUG level through
    loguru to stderr by default, which costs more than the splitting itself; keep warnings only."""
    try:
        from loguru import logger
    except ImportError:
        return
    logger.remove()
    logger.add(sys.stderr, level="WARNING")


def run_negation(nlp: Any, flag: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each row's span as the only entity, then every component; time the processing only."""
    components = list(nlp.pipeline)
    per_component = {name: 0.0 for name, _ in components}
    predictions = []
    clock = time.perf_counter
    start_time = clock()
    for row in rows:
        doc = nlp.make_doc(row["text"])
        span = doc.char_span(row["start"], row["end"], label="CONCEPT", alignment_mode="expand")
        doc.ents = [span] if span is not None else []
        for name, proc in components:
            t = clock()
            doc = proc(doc)
            per_component[name] += clock() - t
        ents = list(doc.ents)
        predictions.append({"id": row["id"], "negated": bool(ents and getattr(ents[0]._, flag))})
    seconds = clock() - start_time
    return {"n": len(rows), "seconds": seconds, "component_seconds": per_component, "predictions": predictions}


def run_throughput(nlp: Any, flag: str, rows: list[dict[str, Any]], repeat: int) -> dict[str, Any]:
    """Stream the texts through ``nlp.pipe``; best wall and CPU (process) time of ``repeat`` runs."""
    texts = [row["text"] for row in rows]
    best_wall = best_cpu = float("inf")
    entities = negated = 0
    for _ in range(repeat):
        entities = negated = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for doc in nlp.pipe(texts, batch_size=64):
            entities += len(doc.ents)
            negated += sum(bool(getattr(e._, flag)) for e in doc.ents)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return {
        "docs": len(texts),
        "chars": sum(map(len, texts)),
        "entities": entities,
        "negated": negated,
        "seconds": best_wall,
        "cpu_seconds": best_cpu,
        "docs_per_s": len(texts) / best_wall if best_wall else None,
        "docs_per_cpu_s": len(texts) / best_cpu if best_cpu else None,
    }


def versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"python": sys.version.split()[0]}
    for dist in ("spacy", "negspacy", "medspacy", "numpy"):
        try:
            out[dist] = md.version(dist)
        except md.PackageNotFoundError:
            out[dist] = "absent"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task", choices=("negation", "throughput"))
    parser.add_argument("--throughput", action="store_true", help="same as --task throughput")
    parser.add_argument("--pipeline", choices=PIPELINES, required=True)
    parser.add_argument("--input", "--texts", dest="input", required=True, help="JSONL rows (see the module docstring)")
    parser.add_argument("--patterns", help="JSONL EntityRuler patterns {label, pattern} (default: benchmarks/context/findings.txt)")
    parser.add_argument("--repeat", type=int, default=1, help="throughput: best of this many runs")
    parser.add_argument("--keep-logging", action="store_true",
                        help="medSpaCy: keep PyRuSH's DEBUG logging to stderr (its default; it writes note text)")
    args = parser.parse_args(argv)
    task = "throughput" if args.throughput else args.task
    if task is None:
        parser.error("give --task negation|throughput (or --throughput)")
    if task == "negation" and args.pipeline == "spacy_tokenizer":
        parser.error("spacy_tokenizer finds no entities: use it with --throughput")
    if task == "throughput" and args.pipeline == "medspacy_context":
        parser.error("throughput needs a pipeline that finds entities: negspacy, negspacy_ruler or medspacy_default")
    warnings.filterwarnings("ignore")
    patterns = read_jsonl(args.patterns) if args.patterns else default_patterns()
    rows = read_jsonl(args.input)
    load_start = time.perf_counter()
    nlp, flag = build(args.pipeline, patterns, ruler=task == "throughput", keep_logging=args.keep_logging)
    load_seconds = time.perf_counter() - load_start
    if task == "negation":
        result = run_negation(nlp, flag, rows)
    else:
        result = run_throughput(nlp, flag, rows, args.repeat)
    result = {"pipeline": args.pipeline, "task": task, "keep_logging": args.keep_logging, "pipe_names": nlp.pipe_names, "load_seconds": load_seconds,
              "versions": versions(), "input": str(Path(args.input).name), **result}
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
