"""Run every benchmark side by side and write benchmarks/RESULTS.md (with date and machine facts).

    python -m benchmarks.run --shared ../shared [--only foundation --only batch]

With ``--only``, the named suites are run again and the other suites' sections are kept
from their last run (a suite package's own RESULTS.md, or ``benchmarks/sections/NAME.md``).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
from pathlib import Path

# name -> module: either run(shared) -> results and to_markdown(results) -> str, or
# main(argv) that writes RESULTS.md beside itself (folded in here, headings demoted).
SUITES = {
    "foundation": "benchmarks.foundation",
    "entities": "benchmarks.entities.run",
    "abbreviations": "benchmarks.abbreviations.run",
    "learn": "benchmarks.learn.run",
    "deid": "benchmarks.deid.run",
    "context": "benchmarks.context.run",
    "batch": "benchmarks.batch",
}


SECTIONS = Path(__file__).resolve().parent / "sections"


def demote(markdown: str) -> str:
    """A suite's own RESULTS.md, one heading level down."""
    return "\n".join("#" + line if line.startswith("#") else line for line in markdown.splitlines()) + "\n"


def last_section(name: str) -> str:
    """The suite's section from its last run ('' if it never ran): its own RESULTS.md, demoted, or the stored section."""
    own = Path(__file__).resolve().parent / SUITES[name].split(".")[1] / "RESULTS.md"
    if SUITES[name].endswith(".run") and own.exists():
        return demote(own.read_text(encoding="utf-8"))
    stored = SECTIONS / f"{name}.md"
    return stored.read_text(encoding="utf-8") if stored.exists() else ""


def machine_facts() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs ({cpu})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--only", action="append", choices=sorted(SUITES))
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    args = parser.parse_args()
    names = args.only or list(SUITES)
    raw_path = args.out.with_suffix(".json")
    raw = json.loads(raw_path.read_text(encoding="utf-8")) if args.only and raw_path.exists() else {}
    SECTIONS.mkdir(exist_ok=True)
    for name in names:
        module = importlib.import_module(SUITES[name])
        if hasattr(module, "run") and hasattr(module, "to_markdown"):
            results = module.run(args.shared)
            raw[name] = results
            (SECTIONS / f"{name}.md").write_text(module.to_markdown(results), encoding="utf-8")
        else:
            module.main(["--shared", str(args.shared)])
    sections = [text for text in map(last_section, SUITES) if text]
    header = [
        "# medtext benchmarks",
        "",
        f"Run {datetime.date.today().isoformat()} on {machine_facts()}.",
        "Reproduce: `make benchmarks` (or `python -m benchmarks.run --shared ../shared`).",
        "Wall-clock figures on a shared 2-core machine vary by run; ratios come from interleaved runs.",
        "",
    ]
    args.out.write_text("\n".join(header + sections) + "\n", encoding="utf-8")
    raw_path.write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
