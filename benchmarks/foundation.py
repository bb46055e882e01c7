"""Foundation benchmarks: sentence boundaries on HoC, section headers on MTSamples,
pipeline throughput on the PhysioNet notes, and ``medtext --help`` start-up time.

Run through ``python -m benchmarks.run`` (writes benchmarks/RESULTS.md), or alone:
    python -m benchmarks.foundation --shared ../shared
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.peers_env import peer_python
from benchmarks.sentences import evaluate_segmenter, hoc_abstracts

MAJOR_HEADERS = [
    "chief complaint", "history of present illness", "past medical history", "past surgical history",
    "medications", "current medications", "allergies", "social history", "family history", "review of systems",
    "physical examination", "physical exam", "vital signs", "impression", "assessment", "plan",
    "assessment and plan", "preoperative diagnosis", "preoperative diagnoses", "postoperative diagnosis",
    "postoperative diagnoses", "procedure", "procedures", "procedure performed", "anesthesia", "complications",
    "estimated blood loss", "findings", "indications", "description of procedure", "procedure in detail",
    "hospital course", "discharge diagnosis", "discharge medications", "diagnosis", "recommendations",
    "laboratory data", "history",
]


def physionet_notes(shared: Path) -> list[str]:
    """The note texts of the shared PhysioNet deid half."""
    from medtext.io.physionet import read_physionet

    return [note.text for note in read_physionet(shared / "corpora" / "physionet_deid" / "id.text")]


def sentence_benchmark(shared: Path) -> dict[str, Any]:
    """Sentence-start F1 on HoC for medtext, spaCy's sentencizer, pysbd and PyRuSH (peers venv)."""
    import spacy

    import medtext
    from medtext.pipeline.sentences import find_sentence_starts

    data = list(hoc_abstracts(shared))
    results: dict[str, Any] = {"abstracts": len(data), "sentences": sum(len(g) for _, g in data)}
    from medtext.pipeline.loader import component_names

    rule_nlp = medtext.load(exclude=[n for n in component_names() if n not in ("sections", "sentences")])
    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    systems = {
        "medtext (sections + sentences components)": lambda t: [s.start_char for s in rule_nlp(t).sents],
        "medtext find_sentence_starts (text only)": find_sentence_starts,
        "spaCy sentencizer": lambda t: [s.start_char for s in sentencizer(t).sents],
    }
    try:
        import pysbd

        segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
        systems["pysbd"] = lambda t: [s.start for s in segmenter.segment(t)]
    except ImportError:
        results["pysbd"] = "not installed (pip install pysbd)"
    for name, fn in systems.items():
        started = time.perf_counter()
        scores = evaluate_segmenter(fn, data)
        scores["seconds"] = time.perf_counter() - started
        results[name] = scores
    results["PyRuSH (medspaCy)"] = _pyrush(data)
    return results


def _pyrush(data: list[tuple[str, list[int]]]) -> Any:
    python = peer_python()
    if python is None:
        return "not run: peers venv missing (bash benchmarks/peers/setup.sh)"
    from benchmarks.sentences import score_starts

    payload = "\n".join(json.dumps(text) for text, _ in data)
    proc = subprocess.run([str(python), str(Path(__file__).with_name("peer_sentences.py"))], input=payload,
                          capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        return f"failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}"
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    scores = score_starts([(pred, gold) for pred, (_, gold) in zip(out["starts"], data)])
    scores["seconds"] = out["seconds"]
    return scores


def section_benchmark(shared: Path) -> dict[str, Any]:
    """Share of MTSamples major headers that start a detected section (within 3 characters)."""
    import spacy

    from medtext.pipeline.sections import SectionDetector

    detector = SectionDetector(spacy.blank("en"))
    alternation = "|".join(sorted((re.escape(h.upper()) for h in MAJOR_HEADERS), key=len, reverse=True))
    gold_re = re.compile(r"(?:^|(?<=\n)|(?<=[,.]))\s*(" + alternation + r")\s*:")
    total = hit = 0
    with open(shared / "corpora" / "mtsamples" / "mtsamples.csv", encoding="utf-8", newline="") as fh:
        notes = [row["transcription"] for row in csv.DictReader(fh)]
    started = time.perf_counter()
    for text in notes:
        starts = [s["start"] for s in detector.find(text)]
        for match in gold_re.finditer(text):
            total += 1
            hit += any(abs(s - match.start(1)) <= 3 for s in starts)
    return {"notes": len(notes), "major_headers": total, "found": hit, "recall": hit / total if total else 0.0,
            "seconds": time.perf_counter() - started}


def throughput_benchmark(shared: Path, repeats: int = 3) -> dict[str, Any]:
    """Words/s (whitespace words) of spaCy's blank English vs medtext pipelines on the notes, same run."""
    import spacy

    import medtext
    from medtext.pipeline.loader import component_names

    notes = physionet_notes(shared)
    words = sum(len(n.split()) for n in notes)
    core = [n for n in component_names() if n not in ("sections", "sentences")]
    systems = {
        "spacy.blank('en')": spacy.blank("en"),
        "medtext core (tokenizer, sections, sentences)": medtext.load(exclude=core),
        "medtext rule pipeline (exclude ner)": medtext.load(exclude=[n for n in ("ner",) if n in component_names()]),
        "medtext.load() (default)": medtext.load(),
    }
    timings: dict[str, list[float]] = {name: [] for name in systems}
    for _ in range(repeats):  # interleaved, and CPU time, so other load on the machine hits all alike
        for name, nlp in systems.items():
            started = time.process_time()
            for _doc in nlp.pipe(notes, batch_size=256):
                pass
            timings[name].append(time.process_time() - started)
    out: dict[str, Any] = {"notes": len(notes), "words": words}
    base = words / statistics.median(timings["spacy.blank('en')"])
    for name, values in timings.items():
        rate = words / statistics.median(values)
        out[name] = {"words_per_s": rate, "ratio_to_blank": rate / base}
    return out


def help_benchmark(repeats: int = 5) -> dict[str, Any]:
    """Wall time of ``medtext --help`` in a fresh process (best and median of several runs)."""
    exe = Path(sys.executable).with_name("medtext")
    cmd = [str(exe), "--help"] if exe.exists() else [sys.executable, "-m", "medtext", "--help"]
    subprocess.run(cmd, capture_output=True, timeout=60)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True, timeout=60)
        times.append(time.perf_counter() - started)
    return {"best_s": min(times), "median_s": statistics.median(times)}


def run(shared: Path) -> dict[str, Any]:
    return {
        "sentences_hoc": sentence_benchmark(shared),
        "sections_mtsamples": section_benchmark(shared),
        "throughput_physionet": throughput_benchmark(shared),
        "help_startup": help_benchmark(),
    }


def to_markdown(results: dict[str, Any]) -> str:
    """The foundation part of RESULTS.md."""
    lines = ["## Foundation: sentences, sections, throughput, start-up", ""]
    s = results["sentences_hoc"]
    lines += [f"### Sentence boundaries, Hallmarks of Cancer ({s['abstracts']} abstracts, {s['sentences']} sentences)", "",
              "| system | precision | recall | F1 | seconds |", "|---|---|---|---|---|"]
    for name, v in s.items():
        if isinstance(v, dict):
            lines.append(f"| {name} | {v['precision']:.4f} | {v['recall']:.4f} | {v['f1']:.4f} | {v['seconds']:.2f} |")
        elif name not in ("abstracts", "sentences"):
            lines.append(f"| {name} | {v} | | | |")
    sec = results["sections_mtsamples"]
    lines += ["", f"### Section headers, MTSamples ({sec['notes']} notes)", "",
              f"{sec['found']} of {sec['major_headers']} major headers start a detected section: "
              f"**{sec['recall']:.4f}** ({sec['seconds']:.2f} s).", ""]
    t = results["throughput_physionet"]
    lines += [f"### Throughput, PhysioNet notes ({t['notes']} notes, {t['words']:,} words; one process, CPU time, median of interleaved runs)", "",
              "| pipeline | words/s | ratio to blank |", "|---|---|---|"]
    for name, v in t.items():
        if isinstance(v, dict):
            lines.append(f"| {name} | {v['words_per_s']:,.0f} | {v['ratio_to_blank']:.2f} |")
    h = results["help_startup"]
    lines += ["", f"### `medtext --help`: best {h['best_s']:.3f} s, median {h['median_s']:.3f} s", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    print(to_markdown(run(args.shared)))


if __name__ == "__main__":
    main()
