"""CLI commands of medtext.learn: ``train``, ``classify``, ``score``, ``check`` and
``evaluate classifier`` / ``evaluate regressor``.

Thin wrappers: validate options, call :mod:`medtext.learn`, print JSON lines. Only typer is
imported at module level; ``classify``/``score`` import numpy and the model loader only
(never scikit-learn or spaCy), so a cold ``medtext classify`` is fast.

    $ medtext classify --model abstract-topics "Glioblastoma resection outcomes."
    {"label": "neoplasms", "scores": {...}}

Errors are raised as :class:`medtext.errors.MedtextError` (the app prints one line, exit 2);
records that cannot be processed are counted, summarised on stderr, and give exit code 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, List, Optional

import typer

from medtext.cli.options import UnusedLabelField

IdField = Annotated[str, typer.Option("--id-field", help="JSONL key / CSV column holding record ids.")]
TextField = Annotated[str, typer.Option("--text-field", help="JSONL key / CSV column holding the text.")]
LabelField = Annotated[Optional[str], typer.Option("--label-field", help=(
    "JSONL key / CSV column holding the labels (default: label; --task multilabel: labels). Multi-label: a JSON "
    'list ["a", "b"] ([] for none), or a string split on | ("a|b"; a string starting with [ is read as a JSON '
    "list); commas and semicolons do not split a label (medtext check flags them)."))]
GoldField = Annotated[Optional[str], typer.Option("--label-field", help=(
    "JSONL key / CSV column holding the gold labels (default: label; multi-label models: labels, a JSON list "
    'or a string split on |, e.g. "a|b").'))]
ValueField = Annotated[Optional[str], typer.Option("--label-field", help=(
    "JSONL key / CSV column holding the gold numeric values (default: label)."))]
InputFormat = Annotated[Optional[str], typer.Option("--input-format", help=(
    "jsonl, csv, tsv, parquet, rct (PubMed-RCT sentence file: ###id lines, then label<TAB>sentence) or txt "
    "(default: from the extension; .txt is rct for sentence-role tasks and models, else one document without a "
    "label)."))]
AllowProblems = Annotated[Optional[List[str]], typer.Option("--allow", help=(
    "With --strict: a problem that does not stop, by its name in the report (repeatable), e.g. "
    "--allow class_imbalance --allow rare_labels."))]
_MODEL_HELP = ("Model name ({names}; 'medtext info' lists all) or the folder of a model written by "
               "'medtext train'.")


def _finite(obj: Any) -> Any:
    """``obj`` with NaN/inf floats as None, so the line is valid JSON."""
    if isinstance(obj, float):
        return obj if obj == obj and obj not in (float("inf"), float("-inf")) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(_finite(obj), ensure_ascii=False, allow_nan=False) + "\n")


def _run_predict(command: str, model: str, texts, input, input_format, id_field, text_field, label_field) -> None:
    from medtext.learn.predict_cli import SomeRecordsFailed, run

    try:
        run(command, model, texts, input, input_format, id_field, text_field, label_field or "label")
    except SomeRecordsFailed as e:
        sys.stdout.flush()
        typer.echo(f"medtext {command}: {e}", err=True)
        raise typer.Exit(1) from None


def classify_cmd(
    model: Annotated[str, typer.Option("--model", "-m", help=_MODEL_HELP.format(
        names="shipped: abstract-topics, ade-sentences, hallmarks, sentence-roles"))],
    texts: Annotated[Optional[List[str]], typer.Argument(help="Texts to classify (else --input, else JSONL on stdin).")] = None,
    input: Annotated[Optional[Path], typer.Option("--input", "-i", help=(
        "File of records to classify (see --input-format); '-' reads JSONL from standard input."))] = None,
    input_format: InputFormat = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    label_field: UnusedLabelField = None,
) -> None:
    """Classify texts: one JSON line per record, in input order, with `label` and `scores` (multi-label
    models: `labels` and `scores`; sentence-role models: one line per sentence).

    A record that cannot be classified (no text, a malformed line) gets {"id", "error"} in its place
    and the command exits 1. Example: medtext classify --model abstract-topics "Aspirin after myocardial
    infarction."
    """
    _run_predict("classify", model, texts, input, input_format, id_field, text_field, label_field)


def score_cmd(
    model: Annotated[str, typer.Option("--model", "-m", help=_MODEL_HELP.format(names="a regressor; shipped: review-rating"))],
    texts: Annotated[Optional[List[str]], typer.Argument(help="Texts to score (else --input, else JSONL on stdin).")] = None,
    input: Annotated[Optional[Path], typer.Option("--input", "-i", help=(
        "File of records to score (see --input-format); '-' reads JSONL from standard input."))] = None,
    input_format: InputFormat = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    label_field: UnusedLabelField = None,
) -> None:
    """Score texts with a regressor: one JSON line per record, in input order, with `score`.

    A record that cannot be scored gets {"id", "error"} in its place and the command exits 1.
    Example: medtext score --model review-rating "Worked well, mild headache."
    """
    _run_predict("score", model, texts, input, input_format, id_field, text_field, label_field)


# The algorithms of each task, the first the default (medtext.learn.models.TASK_ALGORITHMS; a test keeps
# the two equal). Spelt out here so that `medtext --help` needs no scikit-learn import.
TRAIN_ALGORITHMS = {
    "classify": ("logreg", "svm", "nbsvm", "term-pairs"),
    "multilabel": ("logreg", "svm", "nbsvm", "line-max"),
    "sentences": ("logreg", "svm"),
    "regress": ("ridge", "linear", "ordinal"),
}
_ALGORITHM_HELP = ("By task (first = default): " + "; ".join(f"{t}: {', '.join(a)}" for t, a in TRAIN_ALGORITHMS.items())
                   + ". nbsvm: NB-SVM (SVM on naive-Bayes-scaled features); term-pairs: words + drug/effect pair "
                     "features learnt from each record's --pairs-field annotations (binary labels, JSONL input); line-max: "
                     "multi-label, a document head + a sentence head learnt from each record's --sentences-field "
                     "(p = mix * p_document + (1 - mix) * max over the text's lines of p_sentence; JSONL input).")


def train_cmd(
    input: Annotated[Path, typer.Option("--input", "-i", help="Training file (JSONL, CSV/TSV, or RCT for --task sentences).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model folder to write, e.g. models/my-model.")],
    task: Annotated[Optional[str], typer.Option("--task", help=(
        "classify, multilabel, sentences or regress (default: the --config's 'task', else classify)."))] = None,
    algorithm: Annotated[Optional[str], typer.Option("--algorithm", help=_ALGORITHM_HELP + (
        " Default: the --config's 'algorithm' when it is for the task."))] = None,
    input_format: InputFormat = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    label_field: LabelField = None,
    cv: Annotated[Optional[int], typer.Option("--cv", help="Report K-fold cross-validated metrics (stored in meta.json).", min=2)] = None,
    search: Annotated[bool, typer.Option("--search", help=(
        "Choose C/alpha and class weights (the algorithm's grid) by cross-validation: --cv K folds, 5 when "
        "--cv is not given, so at least that many records."))] = False,
    config: Annotated[Optional[Path], typer.Option("--config", help=(
        "JSON file with 'params' (the algorithm's), 'features' (TF-IDF settings) and/or 'context' objects, "
        "and 'task' / 'algorithm' names used when the options are not given; a model's meta.json works: "
        "training with it repeats that model (e.g. --config models/hallmarks/meta.json)."))] = None,
    pairs_field: Annotated[str, typer.Option("--pairs-field", help=(
        "term-pairs: JSONL key holding each record's annotations, a list like "
        '[{"drug": "aspirin", "effect": "rash"}] (a term is a string or \\[start, end] offsets into the text; '
        "either key may be left out; records without the key have none)."))] = "pairs",
    group_field: Annotated[str, typer.Option("--group-field", help=(
        "term-pairs: JSONL key holding each record's document (e.g. PMID); a document's records stay in one "
        "fold of the pair features' cross-fitting and of --cv."))] = "group",
    sentences_field: Annotated[str, typer.Option("--sentences-field", help=(
        "line-max: JSONL key holding each record's sentences with their own labels, a list like "
        '[{"text": "First sentence.", "labels": ["a"]}, {"start": 16, "end": 32, "labels": []}] (a sentence is '
        "its text or start/end character offsets into the record's text; its labels are among the record's). "
        "Prediction reads a text line by line, so write one sentence per line."))] = "sentences",
    positive: Annotated[Optional[str], typer.Option("--positive", help=(
        "term-pairs: the label of records reporting a drug-effect relation (default: the only label whose "
        "records have both a drug and an effect)."))] = None,
    eval_input: Annotated[Optional[Path], typer.Option("--eval", help="Evaluation file to check for leakage against.")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="Model name in meta.json (default: folder name).")] = None,
    description: Annotated[Optional[str], typer.Option("--description", help="Training data description for meta.json.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Stop when the data checks find any problem.")] = False,
    allow: AllowProblems = None,
    keep_labels: Annotated[bool, typer.Option("--keep-labels", help="Train even when a label looks like a typo of another.")] = False,
    concepts: Annotated[bool, typer.Option("--concepts", help="Add concept features from the shipped lexicon (codes, ICD-10-CM chapters).")] = False,
    concept_weight: Annotated[float, typer.Option("--concept-weight", help="Weight of the concept block with --concepts.", min=0.0)] = 0.5,
    concept_trees: Annotated[int, typer.Option("--concept-trees", help=(
        "With --concepts: also the MeSH trees of disease mentions (1: top level such as C04 neoplasms; "
        "2: also the second level such as C04.557)."), min=0, max=2)] = 0,
) -> None:
    """Train a model (TF-IDF + linear model) and write its folder; prints a JSON summary line."""
    from medtext.errors import Errors, InputError
    from medtext.learn.api import train
    from medtext.learn.checks import check_records, format_report, raise_if_strict
    from medtext.learn.data import read_records

    settings: dict = {"params": None, "features": None, "context": None}
    if config is not None:
        from medtext.learn.train_config import read_config

        settings = read_config(config)
    if task is None and settings.get("task") is not None:
        if settings["task"] not in TRAIN_ALGORITHMS:
            raise InputError(Errors.E122.format(path=config, detail=f"'task' {settings['task']!r}"[:60] +
                                                f" is not one of {', '.join(TRAIN_ALGORITHMS)}"))
        task = settings["task"]
    task = task or "classify"
    if task not in TRAIN_ALGORITHMS:
        raise InputError(Errors.E011.format(option="--task", expected="one of " + ", ".join(TRAIN_ALGORITHMS),
                                            found=repr(task)))
    algos = TRAIN_ALGORITHMS[task]
    if algorithm is not None and algorithm not in algos:
        raise InputError(Errors.E011.format(option="--algorithm", expected=f"one of {', '.join(algos)} for --task {task}",
                                            found=repr(algorithm)))
    if algorithm is None and config is not None:
        from medtext.learn.train_config import chosen_algorithm

        algorithm = chosen_algorithm(settings, task, config)
    if positive is not None and algorithm != "term-pairs":
        raise InputError(Errors.E011.format(option="--positive", expected="used with --algorithm term-pairs only",
                                            found=f"--algorithm {algorithm or algos[0]}"))
    params = dict(settings["params"] or {}, **({"positive": positive} if positive is not None else {}))
    features = settings["features"]
    if concept_trees and not concepts:
        raise InputError(Errors.E011.format(option="--concept-trees", expected="used with --concepts", found=concept_trees))
    if concepts:
        features = dict(features or {}, concepts=True, concept_weight=concept_weight,
                        **({"concept_trees": concept_trees} if concept_trees else {}))
    lf = label_field or ("labels" if task == "multilabel" else "label")
    if eval_input is not None:
        tr = read_records(input, input_format, id_field=id_field, text_field=text_field, label_field=lf,
                          txt="rct" if task == "sentences" else "txt", require_label=True)
        ev = read_records(eval_input, input_format, id_field=id_field, text_field=text_field, label_field=lf,
                          txt="rct" if task == "sentences" else "txt", require_label=True)
        rep = check_records(tr, source=str(input), eval_records=ev, multilabel=task == "multilabel",
                            regression=task == "regress", allow=allow or ())
        for line in format_report(rep):
            typer.echo(line, err=True)
        if strict:
            raise_if_strict(rep, allow or ())
    model, report = train(str(input), task=task, algorithm=algorithm, output=output, input_format=input_format,
                          id_field=id_field, text_field=text_field, label_field=lf, cv=cv, search=search, name=name,
                          description=description, keep_labels=keep_labels, strict=strict, allow=allow or (), features=features,
                          params=params or None, context=settings["context"], pairs_field=pairs_field,
                          group_field=group_field, sentences_field=sentences_field,
                          settings_source=str(config) if config else "<params>")
    if eval_input is None and report.get("checks"):
        for line in format_report(report["checks"]):
            typer.echo(line, err=True)
    _emit({"model": str(output), "task": task, "algorithm": report["algorithm"], "params": report["params"],
           "labels": model.labels, "n_records": report["n_records"],
           "cv_metrics": {k: v for k, v in (report.get("cv_metrics") or {}).items() if k != "per_label"} or None})


def check_cmd(
    input: Annotated[Path, typer.Option("--input", "-i", help="Labelled file to check.")],
    eval_input: Annotated[Optional[Path], typer.Option("--eval", help=(
        "Evaluation file: report texts shared with --input (leakage), also when they differ only in case, spacing "
        "or punctuation; its labels are not needed."))] = None,
    task: Annotated[str, typer.Option("--task", help="classify, multilabel, sentences or regress.")] = "classify",
    input_format: InputFormat = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    label_field: LabelField = None,
    min_examples: Annotated[int, typer.Option("--min-examples", help="Warn about labels with fewer examples.")] = 5,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any problem is found.")] = False,
    allow: AllowProblems = None,
) -> None:
    """Check a labelled file before learning; prints a short report, then a JSON line."""
    from medtext.errors import Errors, InputError
    from medtext.learn.checks import check_records, format_report, stopping_problems
    from medtext.learn.data import read_records

    tasks = ("classify", "multilabel", "sentences", "regress")
    if task not in tasks:
        raise InputError(Errors.E011.format(option="--task", expected="one of " + ", ".join(tasks), found=repr(task)))
    lf = label_field or ("labels" if task == "multilabel" else "label")
    recs = read_records(input, input_format, id_field=id_field, text_field=text_field, label_field=lf,
                          txt="rct" if task == "sentences" else "txt", require_label=True)
    ev = None
    if eval_input is not None:  # only its texts are compared: an unlabelled file (e.g. a test set) will do
        ev = read_records(eval_input, input_format, id_field=id_field, text_field=text_field, label_field=lf,
                          txt="rct" if task == "sentences" else "txt")
    rep = check_records(recs, source=str(input), eval_records=ev, multilabel=task == "multilabel",
                        regression=task == "regress", min_examples=min_examples, allow=allow or ())
    for line in format_report(rep):
        typer.echo(line)
    _emit(rep)
    if strict and stopping_problems(rep, allow or ()):
        raise typer.Exit(1)


def _evaluate(kind: str, model: str, input: Path, input_format, id_field, text_field, label_field, report: Optional[Path],
              bootstrap: Optional[int]) -> None:
    from medtext.errors import Errors, InputError

    if bootstrap is not None and report is None:  # the intervals are written to the report only
        raise InputError(Errors.E011.format(option="--bootstrap", expected="used with --report (the confidence "
                                            "intervals are part of the report)", found=f"--bootstrap {bootstrap} without --report"))
    from medtext.learn.api import evaluate
    from medtext.learn.predict_cli import load_for

    m = load_for(f"evaluate {kind}", model)
    metrics = evaluate(m, str(input), input_format=input_format, id_field=id_field, text_field=text_field,
                       label_field=label_field, report_dir=report, bootstrap=bootstrap,
                       warn=lambda msg: typer.echo(f"medtext evaluate: warning: {' '.join(msg.split())}", err=True))
    if report is not None:
        typer.echo(f"report written to {report}", err=True)
    _emit(metrics)


_REPORT_HELP = ("Also write a report folder (put in place when complete; other files in it are kept): {what} and "
                "95% bootstrap confidence intervals (percentiles; bootstrap_ci.json, also in the JSON as "
                "confidence_intervals; records are resampled, whole abstracts for sentence-role models; a warning "
                "when fewer than 20 of them).")
_BOOTSTRAP_HELP = "Bootstrap resamples (default 1000) for the --report confidence intervals (used with --report only)."


def evaluate_classifier_cmd(
    model: Annotated[str, typer.Option("--model", "-m", help=_MODEL_HELP.format(
        names="a classifier, multi-label or sentence-role model"))],
    input: Annotated[Path, typer.Option("--input", "-i", help="Labelled evaluation file (see --input-format).")],
    input_format: InputFormat = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    label_field: GoldField = None,
    report: Annotated[Optional[Path], typer.Option("--report", help=_REPORT_HELP.format(
        what="confusion matrix (PNG, JSON), precision-recall curves (PNG; average precision per label in "
             "pr_curves.json), per-class table (CSV, Markdown)"))] = None,
    bootstrap: Annotated[Optional[int], typer.Option("--bootstrap", help=_BOOTSTRAP_HELP, min=10)] = None,
) -> None:
    """Accuracy, macro/weighted/micro F1 and per-label scores of a classifier (JSON, last line).

    Works for single-label, multi-label and sentence-role models: one JSON object on the last line of
    stdout (n, accuracy, macro_f1, weighted_f1, micro_f1, per_label with `predicted` counts, macro_f1_labels:
    the labels macro-F1 averages, those in the gold or the predictions), warnings on stderr. Example:
    medtext evaluate classifier --model models/my-model --input dev.jsonl --report report/
    """
    _evaluate("classifier", model, input, input_format, id_field, text_field, label_field, report, bootstrap)


def evaluate_regressor_cmd(
    model: Annotated[str, typer.Option("--model", "-m", help=_MODEL_HELP.format(names="a regressor; shipped: review-rating"))],
    input: Annotated[Path, typer.Option("--input", "-i", help="Evaluation file with numeric gold values (see --input-format).")],
    input_format: InputFormat = None,
    id_field: IdField = "id",
    text_field: TextField = "text",
    label_field: ValueField = None,
    report: Annotated[Optional[Path], typer.Option("--report", help=_REPORT_HELP.format(
        what="a scatter plot of gold against predicted values"))] = None,
    bootstrap: Annotated[Optional[int], typer.Option("--bootstrap", help=_BOOTSTRAP_HELP, min=10)] = None,
) -> None:
    """RMSE, MAE and R² of a regressor (JSON, last line).

    One JSON object on the last line of stdout (n, rmse, mae, r2; r2 is null when the gold values are
    all equal), warnings on stderr. Example: medtext evaluate regressor --model review-rating --input
    reviews.jsonl
    """
    _evaluate("regressor", model, input, input_format, id_field, text_field, label_field, report, bootstrap)


def register(app: typer.Typer) -> None:
    """Add ``train``, ``classify``, ``score`` and ``check`` to the main app."""
    app.command("train")(train_cmd)
    app.command("classify")(classify_cmd)
    app.command("score")(score_cmd)
    app.command("check")(check_cmd)


def register_evaluate(evaluate_app: typer.Typer) -> None:
    """Add ``classifier`` and ``regressor`` to the ``evaluate`` sub-app."""
    evaluate_app.command("classifier")(evaluate_classifier_cmd)
    evaluate_app.command("regressor")(evaluate_regressor_cmd)
