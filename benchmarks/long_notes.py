"""Time each pipeline component alone on long and pathological notes of doubling size.

One monster note (a whole admission concatenated, one 2 MB line, 100k repeated lines, a
run of dots, a list of names, a table of numbers, capitals) must not stall a batch run:
every component's time should grow linearly with the note. This prints, per pipeline,
note kind and size, the CPU seconds of the tokenizer and of each component alone, and
flags the component/kind pairs whose time grows more than ``--flag`` times per doubling
at the largest sizes. It prints sizes and seconds only, never note text.

    python -m benchmarks.long_notes [--notes benchmarks/work/notes.jsonl]
        [--sizes 25000 50000 100000 200000 400000] [--kinds real dots ...] [--rule-only] [--repeat 3] [--gc default|cli|off]

On a shared machine, ``--repeat 3`` (the fastest of three runs per component) keeps
other processes' noise from flagging linear components.

Example (one kind, two sizes, rule pipeline only):
    python -m benchmarks.long_notes --kinds dots --sizes 25000 50000 --rule-only
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_NOTES = HERE / "work" / "notes.jsonl"
SAMPLE_NOTES = HERE.parent / "corpora" / "notes"
SIZES = [25_000, 50_000, 100_000, 200_000, 400_000]

_FIRST = ["John", "Mary", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "James", "Nancy",
          "William", "Lisa", "Richard", "Betty", "Thomas", "Helen", "Charles", "Sandra", "Joseph", "Donna"]
_LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Wilson", "Moore",
         "Taylor", "Anderson", "Thomas", "Jackson", "White", "Harris", "Martin", "Thompson", "Lee", "Clark"]
_LINE = "Seen by Dr. John Smith on 01/02/2003 at Boston General for chest pain; denies fever.\n"
# One sentence of findings (no period): triggers of every category, commas, brackets.
_FINDINGS = ["no fever", "cough", "possible pneumonia", "history of asthma", "mother with breast cancer", "denies nausea",
             "edema (no pitting)", "rule out sepsis", "without dyspnea", "if chest pain returns", "hypertension", "[no rash]"]
_SF_LETTERS = "ABCDEFGHIJKLMNPRSTVW"
_SF_WORDS = ("ardiac", "enal", "ortic", "ulmonary", "entral", "ystolic", "ocal", "ateral")


def _short_forms(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct "long form (SF) ... SF" units: a note defining and using thousands of short forms."""
    forms: dict[str, str] = {}
    while len(forms) < n:
        short = "".join(rng.choice(_SF_LETTERS) for _ in range(rng.randint(3, 5)))
        forms.setdefault(short, " ".join(c.lower() + rng.choice(_SF_WORDS) for c in short))
    shorts = list(forms)
    return [f"{forms[sf]} ({sf}) with {sf} and {shorts[i // 2]}s; " for i, sf in enumerate(shorts)]


def _distinct_names(rng: random.Random, n: int) -> list[str]:
    """``n`` lines naming ``n`` different invented people: a note whose names and places are all different."""
    names: set[str] = set()
    while len(names) < n:
        names.add("".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)).capitalize())
    return [f"Seen by Dr. {name} today; {name}'s plan was discussed with Mr. {name}. " for name in sorted(names)]


def real_texts(path: Path | None) -> list[str]:
    """Texts of the benchmark notes (JSONL ``text``), else of the shipped sample notes."""
    if path is not None and path.exists():
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line)["text"] for line in fh if line.strip()]
    return [p.read_text(encoding="utf-8") for p in sorted(SAMPLE_NOTES.glob("*.txt"))]


def _fill(unit: Callable[[int], str], size: int) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        part = unit(i)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)[:size]


def kinds(texts: list[str]) -> dict[str, Callable[[int], str]]:
    """Note builders by kind: size in characters -> note text."""
    rng = random.Random(0)
    names = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}, " for _ in range(997)]
    numbers = ["  ".join(f"{rng.uniform(0, 500):.1f}" for _ in range(6)) + "\n" for _ in range(991)]
    short_forms = _short_forms(rng, 20_000)
    distinct_names = _distinct_names(rng, 8_000)
    concat = lambda i: texts[i % len(texts)] + "\n\n"  # noqa: E731
    return {
        "real": lambda n: _fill(concat, n),
        "one_line": lambda n: " ".join(_fill(concat, n).split()),
        "capitals": lambda n: _fill(concat, n).upper(),
        "one_note_repeated": lambda n: _fill(lambda i: texts[0] + "\n\n", n),
        "repeated_line": lambda n: _fill(lambda i: _LINE, n),
        "dots": lambda n: "." * n,
        "dashes": lambda n: "-" * n,
        "dash_lines": lambda n: _fill(lambda i: "-" * 40 + "\n", n),
        "names": lambda n: _fill(lambda i: names[i % len(names)], n),
        "numbers": lambda n: _fill(lambda i: numbers[i % len(numbers)], n),
        "blob": lambda n: _fill(lambda i: "aZ09xQ7" * 3, n),
        "one_sentence": lambda n: " ".join(re.sub(r"[^\w\s]", " ", _fill(concat, n)).split()),
        "negations": lambda n: _fill(lambda i: "no fever no cough denies chest pain without dyspnea ", n),
        "definitions": lambda n: _fill(lambda i: "congestive heart failure (CHF) and CHF ", n),
        "short_forms": lambda n: _fill(lambda i: short_forms[i % len(short_forms)], n),
        "findings": lambda n: _fill(lambda i: _FINDINGS[i % len(_FINDINGS)] + ", ", n),
        "distinct_names": lambda n: _fill(lambda i: distinct_names[i % len(distinct_names)], n),
        "lower_periods": lambda n: _fill(lambda i: "The Pain is here. and then? and see ", n),
    }


def time_components(nlp, text: str, repeat: int = 1) -> dict[str, float]:
    """CPU seconds of the tokenizer and of each component alone, on one note (the fastest of ``repeat`` runs)."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        gc.collect()
        started = time.process_time()
        doc = nlp.make_doc(text)
        seconds = {"tokenizer": time.process_time() - started}
        for name, component in nlp.pipeline:
            gc.collect()
            started = time.process_time()
            doc = component(doc)
            seconds[name] = time.process_time() - started
        best = {k: min(v, best.get(k, v)) for k, v in seconds.items()}
    return best


def flags(rows: dict[int, dict[str, float]], threshold: float, floor: float = 0.05) -> list[tuple[str, float]]:
    """Components whose time ratio between the two largest sizes exceeds ``threshold``.

    >>> flags({1: {"a": 0.1, "b": 1.0}, 2: {"a": 0.2, "b": 4.0}}, 2.6)
    [('b', 4.0)]
    """
    sizes = sorted(rows)
    if len(sizes) < 2:
        return []
    small, large = rows[sizes[-2]], rows[sizes[-1]]
    doublings = math.log2(sizes[-1] / sizes[-2])
    out = []
    for name, seconds in large.items():
        if seconds < floor:
            continue
        ratio = (seconds / max(small.get(name, 0.0), 1e-3)) ** (1 / doublings)
        if ratio > threshold:
            out.append((name, round(ratio, 2)))
    return out


def run(pipelines: dict[str, object], builders: dict[str, Callable[[int], str]], sizes: list[int],
        threshold: float, budget: float, repeat: int = 1) -> list[str]:
    """Print one line per pipeline/kind/size; return the flagged ``pipeline/kind/component`` lines."""
    flagged = []
    for label, nlp in pipelines.items():
        time_components(nlp, builders[next(iter(builders))](2_000))  # warm-up: lazy tables and caches
        for kind, build in builders.items():
            rows: dict[int, dict[str, float]] = {}
            for size in sizes:
                seconds = time_components(nlp, build(size), repeat)
                rows[size] = seconds
                cells = " ".join(f"{k}={v:.3f}" for k, v in seconds.items())
                print(f"{label:7} {kind:18} {size:>9,} chars total={sum(seconds.values()):7.2f}s  {cells}", flush=True)
                if sum(seconds.values()) > budget:
                    print(f"{label:7} {kind:18} stopped: over {budget:.0f} s", flush=True)
                    break
            for name, ratio in flags(rows, threshold):
                flagged.append(f"{label}/{kind}/{name}: x{ratio} per doubling")
    return flagged


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=Path, default=DEFAULT_NOTES)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--kinds", nargs="+")
    parser.add_argument("--rule-only", action="store_true", help="only the rule pipeline (--exclude ner)")
    parser.add_argument("--default-only", action="store_true", help="only the default pipeline (with ner)")
    parser.add_argument("--flag", type=float, default=2.6, help="time ratio per doubling to flag")
    parser.add_argument("--budget", type=float, default=120.0, help="stop a kind's growth past this many seconds")
    parser.add_argument("--repeat", type=int, default=1, help="time each note this many times, keep the fastest")
    parser.add_argument("--gc", choices=["default", "cli", "off"], default="default",
                        help="Python's garbage collector while timing: its default thresholds (as in research code), "
                             "medtext CLI's (gc_control.GC_THRESHOLD), or off; full collections grow with the heap "
                             "and make linear components look superlinear on huge notes")
    args = parser.parse_args(argv)

    import medtext

    builders = kinds(real_texts(args.notes))
    if args.kinds:
        unknown = sorted(set(args.kinds) - set(builders))
        if unknown:
            sys.exit(f"unknown kind(s) {unknown}; expected some of {sorted(builders)}")
        builders = {k: builders[k] for k in args.kinds}
    pipelines = {}
    if not args.rule_only:
        pipelines["default"] = medtext.load()
    if not args.default_only:
        pipelines["rule"] = medtext.load(exclude=["ner"])
    if args.repeat < 1:
        sys.exit(f"--repeat must be at least 1, got {args.repeat}")
    if args.gc == "cli":
        from medtext.gc_control import GC_THRESHOLD

        gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    elif args.gc == "off":
        gc.disable()  # gc.collect() before each timing still runs
    flagged = run(pipelines, builders, sorted(args.sizes), args.flag, args.budget, args.repeat)
    print("superlinear:" if flagged else "superlinear: none", *flagged, sep="\n  ")


if __name__ == "__main__":
    main()
