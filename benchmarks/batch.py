"""Batch annotation benchmarks (issue 6): whole-process throughput of ``medtext annotate``,
1 vs 2 workers, Dask LocalCluster, per-component words/s, medspaCy and negspacy pipelines
on the same notes, and peak RSS on a large generated corpus.

    python -m benchmarks.batch --shared ../shared [--rss-gb 1.0]

The notes corpus is the shared PhysioNet notes followed by MTSamples transcriptions,
up to about 850k whitespace-separated words. Words/s = words / wall time of the whole
``medtext annotate`` process (start-up and lexicon loading included).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.peers_env import peer_python

WORK = Path(__file__).resolve().parent / "work"
TARGET_WORDS = 850_000
RSS_RESULT = WORK / "rss.json"


def notes_corpus(shared: Path, target_words: int = TARGET_WORDS) -> tuple[Path, int, int]:
    """Write the benchmark notes as JSONL; returns (path, notes, words)."""
    from medtext.io.physionet import read_physionet

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / "notes.jsonl"
    texts = [n.text for n in read_physionet(shared / "corpora" / "physionet_deid" / "id.text")]
    with open(shared / "corpora" / "mtsamples" / "mtsamples.csv", encoding="utf-8", newline="") as fh:
        texts += [row["transcription"] for row in csv.DictReader(fh) if row["transcription"].strip()]
    words = notes = 0
    for text in texts:
        if words >= target_words:
            break
        words += len(text.split())
        notes += 1
    write_texts(texts[:notes], path)
    return path, notes, words


def write_texts(texts: list[str], path: Path) -> Path:
    """The texts as JSONL records ``{"id": "n<i>", "text": ...}``, the input of ``medtext annotate``."""
    with open(path, "w", encoding="utf-8") as out:
        for i, text in enumerate(texts):
            out.write(json.dumps({"id": f"n{i}", "text": text}) + "\n")
    return path


def medtext_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("medtext")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "medtext"]


def timed_annotate(corpus: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> float:
    """Wall seconds of one whole ``medtext annotate`` process (``env``: extra environment variables)."""
    started = time.perf_counter()
    proc = subprocess.run(medtext_cmd() + ["annotate", str(corpus), "-o", str(out), "--quiet", *extra],
                          capture_output=True, text=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"medtext annotate failed: {proc.stderr.strip()[-500:]}")
    return elapsed


RULE_1 = "rule pipeline (--exclude ner), 1 worker"
RULE_2 = "rule pipeline, 2 workers"
DASK_2 = "rule pipeline, Dask LocalCluster 2 workers"


def process_benchmark(corpus: Path, words: int, rounds: int = 3) -> dict[str, Any]:
    """Rule pipeline (1 and 2 workers, Dask 2) and default pipeline, whole-process wall time.

    The runs are interleaved round by round, so a slow spell of a shared machine hits
    every configuration alike; each is reported as its best and its median round.
    """
    runs = {
        RULE_1: ["--exclude", "ner"],
        RULE_2: ["--exclude", "ner", "--workers", "2"],
        DASK_2: ["--exclude", "ner", "--workers", "2", "--backend", "dask"],
        "default pipeline (with ner), 1 worker": [],
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, extra in runs.items():
            times[name].append(timed_annotate(corpus, WORK / "out", *extra))
    out: dict[str, Any] = {"rounds": rounds}
    for name, values in times.items():
        best, median = min(values), statistics.median(values)
        out[name] = {"seconds": best, "median_seconds": median, "words_per_s": words / best, "all_seconds": values}
    for label, name in (("2 workers", RULE_2), ("Dask 2 workers", DASK_2)):
        out[f"speed-up {label}"] = out[RULE_1]["seconds"] / out[name]["seconds"]
        out[f"speed-up {label} (medians)"] = out[RULE_1]["median_seconds"] / out[name]["median_seconds"]
    return out


def busy_count(n: int) -> int:
    """Pure CPU work for :func:`parallel_ceiling`: the sum of ``range(n)``, one Python step at a time.

    Example:
        >>> busy_count(5)
        10
    """
    total = 0
    for i in range(n):
        total += i
    return total


def parallel_ceiling(rounds: int = 5, n: int = 30_000_000) -> dict[str, Any]:
    """What 2 processes give on this machine for pure CPU work that shares nothing:
    wall of two counting loops one after the other / the same two at once (2.0 on two
    free cores; lower where the cores are shared, e.g. with a virtual machine's neighbours)."""
    import multiprocessing

    ratios = []
    for _ in range(rounds):
        started = time.perf_counter()
        busy_count(n)
        busy_count(n)
        serial = time.perf_counter() - started
        started = time.perf_counter()
        procs = [multiprocessing.Process(target=busy_count, args=(n,)) for _ in range(2)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join()
        ratios.append(serial / (time.perf_counter() - started))
    return {"ratios": ratios, "best": max(ratios), "median": statistics.median(ratios)}


def twin_ceiling(corpus: Path, rounds: int = 3) -> dict[str, Any]:
    """What two rule-pipeline processes gain on this machine: half the corpus alone, then
    two copies of that run at once; ceiling = 2 x alone / together (best and median round).

    Unlike :func:`parallel_ceiling`'s counting loops, this is the batch job's own work, with
    its memory traffic: what ``--workers 2`` could reach with no serial part at all.
    """
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    half = WORK / "notes-half.jsonl"
    half.write_text("".join(lines[::2]), encoding="utf-8")
    alone: list[float] = []
    together: list[float] = []
    cmd = medtext_cmd() + ["annotate", str(half), "--quiet", "--exclude", "ner", "-o"]
    for _ in range(rounds):
        alone.append(timed_annotate(half, WORK / "out-a", "--exclude", "ner"))
        started = time.perf_counter()
        procs = [subprocess.Popen(cmd + [str(WORK / f"out-{k}")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for k in "bc"]
        codes = [p.wait() for p in procs]
        together.append(time.perf_counter() - started)
        if any(code not in (0, 1) for code in codes):
            raise RuntimeError(f"medtext annotate failed (exit codes {codes})")
    ratios = [2 * a / t for a, t in zip(alone, together)]
    return {"alone_seconds": alone, "together_seconds": together, "ratios": ratios,
            "best": 2 * min(alone) / min(together), "median": statistics.median(ratios)}


def component_benchmark(corpus: Path) -> dict[str, float]:
    """Words/s of each component alone (CPU time, batches through ``pipe`` as nlp.pipe does), on the benchmark notes."""
    import medtext

    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    words = sum(len(t.split()) for t in texts)
    nlp = medtext.load()
    started = time.process_time()
    docs = [nlp.make_doc(t) for t in texts]
    result = {"tokenizer": words / (time.process_time() - started)}
    for name, component in nlp.pipeline:
        started = time.process_time()
        docs = list(component.pipe(docs)) if hasattr(component, "pipe") else [component(doc) for doc in docs]
        result[name] = words / (time.process_time() - started)
    return result


def peers_benchmark(corpus: Path, words: int) -> dict[str, Any]:
    """medspaCy's default pipeline and a negspacy-style pipeline, whole-process wall time (peers venv)."""
    python = peer_python()
    runner = Path(__file__).resolve().parent / "peers" / "run_peer.py"
    if python is None or not runner.exists():
        return {"note": "not run: peers venv missing (bash benchmarks/peers/setup.sh)"}
    out: dict[str, Any] = {}
    for name, pipeline, extra in PEER_RUNS:
        started = time.perf_counter()
        with open(os.devnull, "w") as sink:
            # stderr to /dev/null: medspaCy's logging (kept on in one run) writes every sentence, with note text
            proc = subprocess.run([str(python), str(runner), "--pipeline", pipeline, "--texts", str(corpus), "--throughput", *extra],
                                  stdout=subprocess.PIPE, stderr=sink, text=True)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            out[name] = {"error": f"exit {proc.returncode}; rerun benchmarks/peers/run_peer.py --pipeline {pipeline} by hand to see why"}
        else:
            out[name] = {"seconds": elapsed, "words_per_s": words / elapsed}
    return out


# (row name, run_peer pipeline, extra arguments). medspaCy's PyRuSH logs every sentence at DEBUG level
# through loguru by default; the first row switches that off (the fairest comparison), the second keeps
# it as ``medspacy.load()`` ships (stderr to /dev/null, so no terminal cost is counted).
PEER_RUNS = (("medspacy_default", "medspacy_default", ()),
             ("medspacy_default, logging as shipped", "medspacy_default", ("--keep-logging",)),
             ("negspacy", "negspacy", ()),
             ("spacy_tokenizer", "spacy_tokenizer", ()))


def generate_big_corpus(corpus: Path, gigabytes: float) -> Path:
    """Repeat the notes (new ids) until the JSONL file has the given size."""
    path = WORK / f"big-{gigabytes:g}gb.jsonl"
    target = int(gigabytes * 1e9)
    if path.exists() and path.stat().st_size >= target:
        return path
    lines = corpus.read_text(encoding="utf-8").splitlines()
    size, copy = 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while size < target:
            for line in lines:
                record = json.loads(line)
                record["id"] = f"{record['id']}-{copy}"
                data = json.dumps(record) + "\n"
                out.write(data)
                size += len(data.encode("utf-8"))
                if size >= target:
                    break
            copy += 1
    return path


def rss_benchmark(corpus: Path, gigabytes: float, workers: int = 2) -> dict[str, Any]:
    """Peak RSS of the parent and of each worker while annotating a large corpus."""
    big = generate_big_corpus(corpus, gigabytes)
    cmd = medtext_cmd() + ["annotate", str(big), "-o", str(WORK / "big-out"), "--quiet", "--exclude", "ner", "--workers", str(workers)]
    started = time.perf_counter()
    date = time.strftime("%Y-%m-%d %H:%M")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks: dict[int, int] = {}
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            for pid in [proc.pid, *_children(proc.pid)]:
                peaks[pid] = max(peaks.get(pid, 0), _rss_kb(pid))
            time.sleep(0.5)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    proc.wait()
    stop.set()
    thread.join()
    parent = peaks.pop(proc.pid, 0)
    return {"date": date, "corpus_bytes": big.stat().st_size, "seconds": time.perf_counter() - started, "exit_code": proc.returncode,
            "parent_peak_mb": parent / 1024, "worker_peaks_mb": sorted(v / 1024 for v in peaks.values() if v)}


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            kids = [int(x) for x in fh.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def probe() -> None:
    """``medtext annotate`` in this process (arguments from ``sys.argv[1:]``), then one JSON line on stderr:
    CPU seconds of this process until the pipeline is built and after it, CPU seconds of its children
    (the workers), and seconds from the process's start to the pipeline built, to the first shard
    committed and to the end of the run. Run as
    ``python -c "from benchmarks.batch import probe; probe()" annotate NOTES -o OUT --exclude ner --quiet --workers 2``.
    """
    import atexit
    import resource

    import medtext.batch.runner as runner
    import medtext.batch.sinks as sinks
    import medtext.batch.worker as worker

    with open("/proc/self/stat", encoding="ascii") as fh:
        started_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime", encoding="ascii") as fh:
        origin = time.perf_counter() - (float(fh.read().split()[0]) - started_ticks / os.sysconf("SC_CLK_TCK"))
    main_pid, marks = os.getpid(), {}

    def cpu(who: int) -> float:
        usage = resource.getrusage(who)
        return usage.ru_utime + usage.ru_stime

    build = worker.get_pipeline

    def get_pipeline(settings: Any) -> Any:
        nlp = build(settings)
        if os.getpid() == main_pid and "built_s" not in marks:
            marks.update(built_s=time.perf_counter() - origin, parent_cpu_to_built=cpu(resource.RUSAGE_SELF))
        return nlp

    worker.get_pipeline = runner.get_pipeline = get_pipeline
    for cls in (sinks.StdoutSink, sinks.FileSink, sinks.FolderSink):
        def commit(self: Any, *args: Any, _commit: Any = cls.commit) -> None:
            marks.setdefault("first_commit_s", time.perf_counter() - origin)
            _commit(self, *args)
        cls.commit = commit

    def report() -> None:
        if os.getpid() == main_pid:
            total = cpu(resource.RUSAGE_SELF)
            marks.update(end_s=time.perf_counter() - origin, parent_cpu=total, children_cpu=cpu(resource.RUSAGE_CHILDREN),
                         parent_cpu_after_built=total - marks.get("parent_cpu_to_built", 0.0))
            print(json.dumps({k: round(v, 3) for k, v in marks.items()}), file=sys.stderr)

    atexit.register(report)
    from medtext.cli.entry import main as medtext_main

    sys.argv = ["medtext", *sys.argv[1:]]
    medtext_main()


def run(shared: Path, rss_gb: float = 0.0) -> dict[str, Any]:
    corpus, notes, words = notes_corpus(shared)
    results: dict[str, Any] = {"notes": notes, "words": words, "date": time.strftime("%Y-%m-%d %H:%M")}
    results["ceiling"] = parallel_ceiling()
    results["twin ceiling"] = twin_ceiling(corpus)
    from benchmarks.entities.run import machine_speed

    loop_before = machine_speed()
    results["processes"] = process_benchmark(corpus, words)
    results["machine loop"] = [loop_before, machine_speed()]
    results["components"] = component_benchmark(corpus)
    results["peers"] = peers_benchmark(corpus, words)
    if rss_gb > 0:
        results["rss"] = rss_benchmark(corpus, rss_gb)
        RSS_RESULT.write_text(json.dumps(results["rss"], indent=1), encoding="utf-8")
    elif (last := last_rss()) is not None:  # the RSS run takes 20+ minutes: report the last one, dated
        results["rss"] = last
    return results


def last_rss() -> dict[str, Any] | None:
    """The last peak-RSS run: this machine's (``work/rss.json``), else the one in the committed RESULTS.json."""
    if RSS_RESULT.exists():
        return json.loads(RSS_RESULT.read_text(encoding="utf-8"))
    committed = Path(__file__).resolve().parent / "RESULTS.json"
    if committed.exists():
        return json.loads(committed.read_text(encoding="utf-8")).get("batch", {}).get("rss")
    return None


def to_markdown(results: dict[str, Any]) -> str:
    proc = results["processes"]
    lines = ["## Batch annotation", "",
             f"Run {results.get('date', '?')} with `python -m benchmarks.batch --shared ../shared`. "
             f"Notes: {results['notes']:,} (PhysioNet half, then MTSamples), {results['words']:,} words. "
             "Words/s = words / wall time of the whole `medtext annotate ... --quiet` process, start-up included; "
             f"{proc.get('rounds', 1)} rounds, the configurations interleaved; best and median round."
             + (" Machine speed around these runs: a fixed pure-Python loop (`benchmarks.entities.run.machine_speed`) "
                f"took {results['machine loop'][0]:.2f} s before and {results['machine loop'][1]:.2f} s after (0.35 s at "
                "the fastest moments seen, over 0.7 s at the slowest)." if "machine loop" in results else ""), "",
             "| run | best s | median s | words/s (best) |", "|---|---|---|---|"]
    for name, v in proc.items():
        if isinstance(v, dict):
            lines.append(f"| medtext annotate: {name} | {v['seconds']:.1f} | {v.get('median_seconds', v['seconds']):.1f} | {v['words_per_s']:,.0f} |")
    for name, v in results["peers"].items():
        if isinstance(v, dict) and "seconds" in v:
            lines.append(f"| {name} (peers venv, one run) | {v['seconds']:.1f} | | {v['words_per_s']:,.0f} |")
        elif isinstance(v, dict):
            lines.append(f"| {name} (peers venv) | {v.get('error')} | | |")
        else:
            lines.append(f"| peers | {v} | | |")
    lines += ["", f"Speed-up with 2 workers: {proc['speed-up 2 workers']:.2f}x of the best rounds "
              f"({proc.get('speed-up 2 workers (medians)', float('nan')):.2f}x of the medians); Dask LocalCluster 2 workers: "
              f"{proc['speed-up Dask 2 workers']:.2f}x ({proc.get('speed-up Dask 2 workers (medians)', float('nan')):.2f}x).", ""]
    if "ceiling" in results:
        c = results["ceiling"]
        lines += [f"Machine ceiling: two processes of a pure counting loop (nothing shared) ran {c['median']:.2f}x "
                  f"(median; best {c['best']:.2f}x, all: {', '.join(f'{r:.2f}' for r in c['ratios'])}) faster than the same loops "
                  "one after the other, i.e. what any 2-process job can reach on this machine at the time.", ""]
    if "twin ceiling" in results:
        c = results["twin ceiling"]
        lines += [f"Workload ceiling: half the notes through the rule pipeline alone ({min(c['alone_seconds']):.1f} s best), then two "
                  f"such processes at once ({min(c['together_seconds']):.1f} s best): 2 x alone / together = {c['median']:.2f}x "
                  f"(median; all: {', '.join(f'{r:.2f}' for r in c['ratios'])}), what `--workers 2` could reach with no serial "
                  "part (start-up, reading, writing) at all: the two processes slow each other down.", ""]
    medspacy = results["peers"].get("medspacy_default", {})
    if isinstance(medspacy, dict) and "words_per_s" in medspacy:
        rule = proc[RULE_1]["words_per_s"]
        lines += [f"Rule pipeline vs medspaCy default: {rule / medspacy['words_per_s']:.1f}x (its logging off)."]
        shipped = results["peers"].get("medspacy_default, logging as shipped", {})
        if isinstance(shipped, dict) and "words_per_s" in shipped:
            lines += [f"Rule pipeline vs medspaCy default with its logging as shipped (stderr to /dev/null): "
                      f"{rule / shipped['words_per_s']:.1f}x."]
        lines += [""]
        bare = results["peers"].get("spacy_tokenizer", {})
        if isinstance(bare, dict) and "words_per_s" in bare:
            lines += [f"spaCy's bare tokenizer (`spacy.blank('en')`, peers venv, whole process) vs medspaCy default: "
                      f"{bare['words_per_s'] / medspacy['words_per_s']:.1f}x: no spaCy pipeline can be more than that.", ""]
    lines += ["Per component (CPU time, each component alone on the same docs):", "", "| component | words/s |", "|---|---|"]
    lines += [f"| {name} | {rate:,.0f} |" for name, rate in results["components"].items()]
    if "rss" in results:
        r = results["rss"]
        lines += ["", f"Peak RSS on a {r['corpus_bytes'] / 1e9:.2f} GB generated corpus (run {r.get('date', '?')}; rule pipeline, 2 workers, "
                  f"{r['seconds']:.0f} s, exit {r['exit_code']}): parent {r['parent_peak_mb']:.0f} MB, workers "
                  + ", ".join(f"{v:.0f} MB" for v in r["worker_peaks_mb"]) + "."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--rss-gb", type=float, default=0.0, help="also measure peak RSS on a generated corpus of this size")
    args = parser.parse_args()
    print(to_markdown(run(args.shared, args.rss_gb)))


if __name__ == "__main__":
    main()
