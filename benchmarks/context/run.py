"""Assertion side by side: medtext vs negspacy vs medspaCy ConText on the shared NegEx rows.

Writes ``benchmarks/context/RESULTS.md``:

1. NegEx negation (accuracy, negated P/R/F1, sentences per second) for medtext, negspacy
   and medspaCy ConText on the same located rows, on three splits of the shared half:
   ``dev`` (reports whose number is not a multiple of 5, used to write the rules),
   ``heldout`` (every 5th report, kept aside as a check) and ``all``.
2. Assertion cost on the PhysioNet notes: the rule pipeline plus a simple EntityRuler
   (``findings.txt``) with and without the ``assertion`` component.
3. Whole-pipeline throughput of the peers on the same notes and patterns
   (negspacy-style EntityRuler + negex; ``medspacy.load()`` with target rules).

The peers run in ``benchmarks/.venv-peers`` (``bash benchmarks/peers/setup.sh``); without it,
``--skip-peers`` runs medtext alone.

Usage:
    .venv/bin/python -m benchmarks.context.run --shared ../shared [--repeat 3] [--skip-peers]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
WORK = REPO / "benchmarks" / "work"
PEER_PYTHON = REPO / "benchmarks" / ".venv-peers" / "bin" / "python"  # see benchmarks/peers_env.py
PEER_SCRIPT = REPO / "benchmarks" / "peers" / "run_peer.py"
SPLITS = ("dev", "heldout", "all")
PEER_NEGATION = ("negspacy", "medspacy_context")
PEER_THROUGHPUT = ("negspacy", "medspacy_default")


def split_of(report: str) -> str:
    """``heldout`` for every 5th report (by number), else ``dev``."""
    return "heldout" if int(report) % 5 == 0 else "dev"


# --- data ---------------------------------------------------------------------------
def negex_rows(shared: Path) -> tuple[list[dict[str, Any]], int]:
    """Located NegEx rows {id, text, start, end, gold, split} and the number not locatable."""
    from medtext.evaluate.negation import locate_concept, read_gold

    rows, skipped = [], 0
    for row in read_gold(shared / "corpora" / "negex" / "Annotations-1-120.txt"):
        where = locate_concept(row.concept, row.sentence)
        if where is None:
            skipped += 1
            continue
        rows.append({"id": row.line, "text": row.sentence, "start": where[0], "end": where[1],
                     "gold": row.negated, "split": split_of(row.report)})
    return rows, skipped


def physionet_notes(shared: Path) -> list[str]:
    """The note texts of the shared PhysioNet deid half."""
    raw = (shared / "corpora" / "physionet_deid" / "id.text").read_text(encoding="utf-8", errors="replace")
    return re.findall(r"START_OF_RECORD=\d+\|\|\|\|\d+\|\|\|\|\n(.*?)\|\|\|\|END_OF_RECORD", raw, re.S)


def finding_patterns() -> list[dict[str, str]]:
    lines = (HERE / "findings.txt").read_text(encoding="utf-8").splitlines()
    return [{"label": "FINDING", "pattern": t.strip()} for t in lines if t.strip() and not t.startswith("#")]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    return path


# --- medtext ------------------------------------------------------------------------
def medtext_negation(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Same loop as the peers: make_doc, the concept as the only entity, every component."""
    from medtext.evaluate.negation import LABEL, negation_pipeline

    nlp = negation_pipeline()
    components = list(nlp.pipeline)
    per_component = {name: 0.0 for name, _ in components}
    predictions = []
    clock = time.perf_counter
    start_time = clock()
    for row in rows:
        doc = nlp.make_doc(row["text"])
        span = doc.char_span(row["start"], row["end"], label=LABEL, alignment_mode="expand")
        doc.ents = [span] if span is not None else []
        for name, proc in components:
            t = clock()
            doc = proc(doc)
            per_component[name] += clock() - t
        predictions.append({"id": row["id"], "negated": bool(doc.ents and doc.ents[0]._.negated)})
    seconds = clock() - start_time
    return {"pipeline": "medtext", "pipe_names": nlp.pipe_names, "n": len(rows), "seconds": seconds,
            "component_seconds": per_component, "predictions": predictions}


def medtext_note_timing(notes: list[str], patterns: list[dict[str, str]], repeat: int) -> dict[str, Any]:
    """Rule pipeline + EntityRuler, with and without assertion: CPU time of this process
    (``time.process_time``, steadier than wall time on a shared machine), interleaved runs
    alternating which goes first, best of ``repeat``."""
    import medtext
    from medtext.pipeline.loader import component_names

    names = component_names()
    with_assertion = medtext.load(exclude=[n for n in ("ner",) if n in names])
    without = medtext.load(exclude=[n for n in ("ner", "assertion") if n in names])
    for nlp in (with_assertion, without):
        ruler = nlp.add_pipe("entity_ruler", before="assertion" if "assertion" in nlp.pipe_names else None,
                             config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(patterns)
    best = {"with": float("inf"), "without": float("inf")}
    ratios = []
    order = [("without", without), ("with", with_assertion)]
    for round_ in range(repeat):
        seconds = {}
        for key, nlp in order if round_ % 2 == 0 else order[::-1]:
            t = time.process_time()
            for _ in nlp.pipe(notes):  # streamed, as medtext annotate does
                pass
            seconds[key] = time.process_time() - t
            best[key] = min(best[key], seconds[key])
        ratios.append(seconds["with"] / seconds["without"] - 1)
    ents = [e for d in with_assertion.pipe(notes) for e in d.ents]
    stats = {"entities": len(ents), "negated": sum(e._.negated for e in ents),
             "any_assertion": sum(bool(e._.triggers) for e in ents)}
    # The component alone, on freshly annotated docs (everything before it already run).
    before = [name for name in with_assertion.pipe_names if name != "assertion"]
    assertion = with_assertion.get_pipe("assertion")
    component_best = float("inf")
    for _ in range(repeat):
        with with_assertion.select_pipes(enable=before):
            docs = list(with_assertion.pipe(notes, batch_size=64))
        t = time.process_time()
        for doc in docs:
            assertion(doc)
        component_best = min(component_best, time.process_time() - t)
    return {
        "notes": len(notes),
        "chars": sum(map(len, notes)),
        "pipe_names_with": with_assertion.pipe_names,
        "pipe_names_without": without.pipe_names,
        "seconds_with": best["with"],
        "seconds_without": best["without"],
        "overhead": (best["with"] - best["without"]) / best["without"],
        "overhead_median": statistics.median(ratios),
        "overhead_rounds": ratios,
        "assertion_component_seconds": component_best,
        "assertion_component_share": component_best / best["without"],
        **stats,
    }


def _ir_child(shared: Path, mode: str, count: int) -> None:
    """Child of :func:`instruction_overhead`: build a pipeline and (unless ``load*``) annotate notes."""
    import medtext
    from medtext.pipeline.loader import component_names

    with_assertion = mode in ("with", "load-with")
    exclude = [n for n in ("ner",) if n in component_names()] + ([] if with_assertion else ["assertion"])
    nlp = medtext.load(exclude=exclude)
    ruler = nlp.add_pipe("entity_ruler", before="assertion" if with_assertion else None, config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(finding_patterns())
    notes = physionet_notes(shared)[:count]
    for _ in nlp.pipe(notes[:20]):  # the same warm-up in every mode
        pass
    if not mode.startswith("load"):
        for _ in nlp.pipe(notes):
            pass


def instruction_overhead(shared: Path, count: int) -> dict[str, Any] | None:
    """Instructions executed (valgrind callgrind), a noise-free proxy for work on a shared machine.

    Four runs: pipeline built without/with assertion, each with and without annotating
    ``count`` notes; the differences are the annotation work.
    """
    import shutil

    if shutil.which("valgrind") is None:
        return None
    counts = {}
    for mode in ("load-without", "without", "load-with", "with"):
        out = WORK / f"callgrind.{mode}"
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-m", "benchmarks.context.run",
             "--shared", str(shared), "--ir-child", mode, "--ir-notes", str(count)],
            capture_output=True, text=True, cwd=REPO, timeout=3600,
        )
        found = re.search(r"Collected : (\d+)", proc.stderr)
        if proc.returncode != 0 or not found:
            return None
        counts[mode] = int(found.group(1))
    without = counts["without"] - counts["load-without"]
    with_ = counts["with"] - counts["load-with"]
    return {"notes": count, "without": without, "with": with_, "overhead": (with_ - without) / without}


# --- peers --------------------------------------------------------------------------
def run_peer(args: list[str]) -> dict[str, Any]:
    proc = subprocess.run([str(PEER_PYTHON), str(PEER_SCRIPT), *args], capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"peer run failed ({' '.join(args)}): {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def best_of(results: list[dict[str, Any]]) -> dict[str, Any]:
    return min(results, key=lambda r: r["seconds"])


# --- scoring and report ---------------------------------------------------------------
def score(rows: list[dict[str, Any]], predictions: list[dict[str, Any]], split: str, skipped: int) -> dict[str, Any]:
    from medtext.evaluate.negation import Judgement, metrics

    predicted = {p["id"]: p["negated"] for p in predictions}
    chosen = [r for r in rows if split == "all" or r["split"] == split]
    judgements = [Judgement(r["id"], "", r["start"], r["end"], r["gold"], predicted[r["id"]], None) for r in chosen]
    return metrics(judgements, skipped)


def machine_facts() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    import spacy

    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "spacy (medtext)": spacy.__version__,
        "load average at start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def fmt(x: float) -> str:
    return f"{x:.3f}"


def report(facts: dict[str, str], systems: dict[str, dict[str, Any]], rows: list[dict[str, Any]], skipped: int,
           notes: dict[str, Any] | None, peers_notes: dict[str, dict[str, Any]], peer_versions: dict[str, str] | None,
           command: str) -> str:
    counts = {s: sum(1 for r in rows if s == "all" or r["split"] == s) for s in SPLITS}
    lines = [
        "# Assertion (negation) benchmark: medtext vs negspacy vs medspaCy ConText",
        "",
        f"Generated by `{command}` on {facts['date']}.",
        "",
        "## Machine",
        "",
    ]
    lines += [f"- {k}: {v}" for k, v in facts.items() if k != "date"]
    if peer_versions:
        lines.append("- peers venv: " + ", ".join(f"{k} {v}" for k, v in peer_versions.items()))
    lines += [
        "- the machine is shared with other jobs: timings are the best of the repeated runs, and ratios",
        "  (measured in the same run) are more stable than absolute figures.",
        "",
        "## NegEx rows (shared half, reports 1-60)",
        "",
        f"Rows located by medtext's concept search: {len(rows)} (dev {counts['dev']}, held-out {counts['heldout']}); "
        f"not locatable and skipped for every system: {skipped} ({skipped / (len(rows) + skipped):.1%}).",
        "Every system gets the same rows with the concept as the document's only entity and judges only negation.",
        "`dev` = reports whose number is not a multiple of 5 (the rules were written looking at these);",
        "`heldout` = reports 5, 10, ..., 60, kept aside as a check. The official test half is withheld.",
        "",
        "| system | split | n | accuracy | negated P | negated R | negated F1 |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, result in systems.items():
        for split in SPLITS:
            m = result["scores"][split]
            lines.append(f"| {name} | {split} | {m['n']} | {fmt(m['accuracy'])} | {fmt(m['negated_precision'])} | "
                         f"{fmt(m['negated_recall'])} | {fmt(m['negated_f1'])} |")
    lines += [
        "",
        "Speed on all rows (tokenizer + every component; best of the repeats):",
        "",
        "| system | components | sentences/s | x medtext time | assertion component alone: sentences/s |",
        "|---|---|---:|---:|---:|",
    ]
    base = systems["medtext"]["run"]["seconds"]
    for name, result in systems.items():
        run = result["run"]
        component = {"medtext": "assertion", "negspacy": "negex", "medspacy_context": "medspacy_context"}[name]
        comp_seconds = run["component_seconds"].get(component)
        comp = f"{run['n'] / comp_seconds:,.0f}" if comp_seconds else "-"
        lines.append(f"| {name} | {', '.join(run['pipe_names'])} | {run['n'] / run['seconds']:,.0f} | "
                     f"{run['seconds'] / base:.2f} | {comp} |")
    if notes:
        lines += [
            "",
            "## Assertion cost on clinical notes (PhysioNet deid shared half)",
            "",
            f"{notes['notes']} notes ({notes['chars']:,} characters); entities from a simple EntityRuler over "
            f"`benchmarks/context/findings.txt` ({notes['entities']:,} entities, {notes['negated']:,} negated, "
            f"{notes['any_assertion']:,} with any assertion).",
            "",
            "| pipeline | CPU seconds | notes/s |",
            "|---|---:|---:|",
            f"| {' + '.join(notes['pipe_names_without'])} | {notes['seconds_without']:.2f} | {notes['notes'] / notes['seconds_without']:,.0f} |",
            f"| {' + '.join(notes['pipe_names_with'])} | {notes['seconds_with']:.2f} | {notes['notes'] / notes['seconds_with']:,.0f} |",
            "",
            f"- assertion adds **{notes['overhead']:.1%}** to the rule pipeline's CPU time (best runs; median of the "
            f"{len(notes['overhead_rounds'])} interleaved rounds {notes['overhead_median']:.1%}, range "
            f"{min(notes['overhead_rounds']):.1%} to {max(notes['overhead_rounds']):.1%}; target: at most 15%);",
            f"- the component alone, timed on freshly annotated docs: {notes['assertion_component_seconds']:.3f} CPU s "
            f"= {notes['assertion_component_share']:.1%} of the pipeline without it.",
        ]
        if notes.get("instructions"):
            ir = notes["instructions"]
            lines.append(f"- instructions executed (valgrind callgrind, {ir['notes']} notes; unaffected by other jobs on the "
                         f"machine, blind to cache misses): {ir['without']:,} without, {ir['with']:,} with assertion: "
                         f"**+{ir['overhead']:.1%}**.")
    if peers_notes:
        lines += [
            "",
            "Whole pipelines on the same notes and finding patterns (EntityRuler / medspaCy target rules):",
            "",
            "| pipeline | components | entities | negated | notes per CPU s | x medtext (with assertion) CPU time |",
            "|---|---|---:|---:|---:|---:|",
        ]
        if notes:
            lines.append(f"| medtext | {', '.join(notes['pipe_names_with'])} | {notes['entities']:,} | {notes['negated']:,} | "
                         f"{notes['notes'] / notes['seconds_with']:,.0f} | 1.00 |")
        for name, r in peers_notes.items():
            ratio = f"{r['cpu_seconds'] / notes['seconds_with']:.2f}" if notes else "-"
            lines.append(f"| {name} | {', '.join(r['pipe_names'])} | {r['entities']:,} | {r['negated']:,} | "
                         f"{r['docs_per_cpu_s']:,.0f} | {ratio} |")
    lines += [
        "",
        "## Notes",
        "",
        "- medtext: for the NegEx rows, `medtext.load()`'s sections, sentences and assertion with the shipped rules;",
        "  on the notes, the default pipeline without the NER (whatever rule components it has) plus the EntityRuler.",
        "- Note timings are CPU seconds (`time.process_time`) of `nlp.pipe` over the notes, best of the runs;",
        "  medtext's with/without runs are interleaved. Entity counts differ between systems because each",
        "  tokenizes differently (the same phrase patterns match different tokens).",
        "- negspacy: `spacy.blank('en')` + sentencizer + `negex` with its default `en_clinical` termset.",
        "- medspaCy ConText: `medspacy.load()` tokenizer + PyRuSH sentence splitter + ConText with its default rules;",
        "  PyRuSH's DEBUG logging (on by default through loguru) is switched off, otherwise it dominates the time.",
        "  A finding counts as negated for medspaCy when `ent._.is_negated`.",
        "- Peers' published figures on the withheld half (issue 4): negspacy accuracy 0.980 / negated F1 0.948,",
        "  medspaCy ConText 0.969 / 0.925.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared folder (holds corpora/)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per system (best is kept)")
    parser.add_argument("--note-rounds", type=int, default=10, help="interleaved rounds for the assertion cost on notes")
    parser.add_argument("--skip-peers", action="store_true", help="run medtext only")
    parser.add_argument("--skip-notes", action="store_true", help="skip the PhysioNet timing")
    parser.add_argument("--instructions", type=int, default=0, metavar="N",
                        help="also count instructions (valgrind) of the assertion cost on N notes (slow: minutes)")
    parser.add_argument("--ir-child", help=argparse.SUPPRESS)
    parser.add_argument("--ir-notes", type=int, default=300, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    if args.ir_child:
        _ir_child(args.shared, args.ir_child, args.ir_notes)
        return 0
    command = "python -m benchmarks.context.run " + " ".join(a for a in (argv if argv is not None else sys.argv[1:]))
    facts = machine_facts()
    rows, skipped = negex_rows(args.shared)
    rows_path = write_jsonl(WORK / "negex_rows.jsonl", [{k: r[k] for k in ("id", "text", "start", "end")} for r in rows])
    runs: dict[str, dict[str, Any]] = {"medtext": best_of([medtext_negation(rows) for _ in range(args.repeat)])}
    peers = not args.skip_peers and PEER_PYTHON.exists()
    if not args.skip_peers and not peers:
        print("peers venv missing: run `bash benchmarks/peers/setup.sh` (continuing with medtext only)", file=sys.stderr)
    peer_versions = None
    if peers:
        for name in PEER_NEGATION:
            runs[name] = best_of([run_peer(["--task", "negation", "--pipeline", name, "--input", str(rows_path)])
                                  for _ in range(args.repeat)])
            peer_versions = runs[name]["versions"]
    systems = {name: {"run": run, "scores": {s: score(rows, run["predictions"], s, skipped) for s in SPLITS}} for name, run in runs.items()}
    notes = peers_notes = None
    if not args.skip_notes:
        texts = physionet_notes(args.shared)
        patterns = finding_patterns()
        notes = medtext_note_timing(texts, patterns, args.note_rounds)
        if peers:
            notes_path = write_jsonl(WORK / "physionet_notes.jsonl", [{"id": i, "text": t} for i, t in enumerate(texts)])
            patterns_path = write_jsonl(WORK / "finding_patterns.jsonl", patterns)
            peers_notes = {name: run_peer(["--task", "throughput", "--pipeline", name, "--input", str(notes_path),
                                           "--patterns", str(patterns_path), "--repeat", str(args.repeat)])
                           for name in PEER_THROUGHPUT}
    instructions = instruction_overhead(args.shared, args.instructions) if args.instructions else None
    if notes is not None and instructions is not None:
        notes["instructions"] = instructions
    facts["load average at end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    text = report(facts, systems, rows, skipped, notes, peers_notes or {}, peer_versions, command)
    args.out.write_text(text, encoding="utf-8")
    summary = {name: {s: round(v["scores"][s]["accuracy"], 4) for s in SPLITS} for name, v in systems.items()}
    print(json.dumps({"results": str(args.out), "accuracy": summary,
                      "notes_overhead": notes["overhead"] if notes else None}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
